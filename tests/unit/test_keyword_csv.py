"""Keyword-list CSV uploads: good rows in, every bad line reported with its number."""

import pytest

from leads.keyword_csv import COLUMNS, parse_keyword_csv

HEADER = ",".join(COLUMNS)


def _csv(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def test_good_rows_are_parsed() -> None:
    rows, errors = parse_keyword_csv(_csv("water_treatment,Water treatment,yes,1,Kläranlage,de,2,no,prefix"))
    assert errors == []
    assert rows[0].term == "Kläranlage"
    assert rows[0].match_mode == "prefix"
    assert rows[0].is_target


def test_byte_order_mark_and_column_order_do_not_matter() -> None:
    header = (
        "term,language,industry_slug,industry_name,is_target,industry_weight,weight,is_negative,match_mode"
    )
    rows, errors = parse_keyword_csv("\ufeff" + header + "\nclinic,en,clinics,Clinics,yes,1,1,no,word\n")
    assert errors == []
    assert rows[0].industry_slug == "clinics"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("water,Water,yes,1,,en,1,no,word", "term must be"),
        ("water,Water,maybe,1,pump,en,1,no,word", "is_target must be yes or no"),
        ("water,Water,yes,1,pump,en,heavy,no,word", "weight must be a number"),
        ("water,Water,yes,1,pump,en,1000,no,word", "weight must be between"),
        ("water,Water,yes,1,pump,english!,1,no,word", "language must be"),
        ("water,Water,yes,1,pump,en,1,no,regex", "match_mode must be one of"),
        ("wa ter,Water,yes,1,pump,en,1,no,word", "industry_slug must be"),
    ],
)
def test_bad_line_is_reported_with_its_number(line: str, message: str) -> None:
    rows, errors = parse_keyword_csv(_csv("water,Water,yes,1,filter,en,1,no,word", line))
    assert len(rows) == 1
    assert errors[0].line == 3
    assert message in errors[0].message


def test_duplicate_term_in_the_same_industry_and_language_is_an_error() -> None:
    _, errors = parse_keyword_csv(
        _csv("water,Water,yes,1,Filter,de,1,no,word", "water,Water,yes,1,filter,de,1,no,word")
    )
    assert errors[0].line == 3


def test_missing_columns_and_empty_files_are_clear_errors() -> None:
    assert parse_keyword_csv("")[1][0].message == "the file is empty"
    assert "missing column(s)" in parse_keyword_csv("term,language\nx,en\n")[1][0].message


def test_neutralized_formula_from_an_export_comes_back_as_the_term() -> None:
    rows, errors = parse_keyword_csv(_csv("water,Water,yes,1,'=cmd,en,1,no,word"))
    assert errors == []
    assert rows[0].term == "=cmd"
