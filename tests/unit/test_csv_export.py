"""CSV exports open as data in a spreadsheet: a cell that would start a formula is quoted."""

import ast
import csv
import io
from pathlib import Path

import pytest

from followups.csv_export import neutralize, to_csv


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+49 151 2345", "'+49 151 2345"),
        ("-5", "'-5"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Müller GmbH", "Müller GmbH"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (42, "42"),
        (-3, "-3"),
        (12.5, "12.5"),
        (-0.25, "-0.25"),
        (float("nan"), ""),
        (True, "yes"),
    ],
)
def test_cells_that_would_start_a_formula_get_a_leading_quote(cell, written) -> None:
    assert neutralize(cell) == written


def test_document_has_header_crlf_lines_and_quoting() -> None:
    text = to_csv(["Rep", "Leads"], [['=cmd|"/c calc"!A1', 3], ["Li, Wei", 0]])
    assert text == 'Rep,Leads\r\n"\'=cmd|""/c calc""!A1",3\r\n"Li, Wei",0\r\n'
    assert list(csv.reader(io.StringIO(text))) == [
        ["Rep", "Leads"],
        ['\'=cmd|"/c calc"!A1', "3"],
        ["Li, Wei", "0"],
    ]


def test_headers_are_neutralized_too() -> None:
    assert to_csv(["=1+1"], []) == "'=1+1\r\n"


def test_csv_module_is_pure() -> None:
    source = Path(__file__).resolve().parents[2] / "followups" / "csv_export.py"
    tree = ast.parse(source.read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in {"django", "leads", "followups"}}
