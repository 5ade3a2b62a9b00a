"""Export files are read in whatever encoding, delimiter and format they come, with the file's line numbers."""

import codecs
import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from leads.importing.tables import FileProblem, Table, cell_text, decode_text, read_table, sniff_delimiter

HEADER = "询盘编号,买家姓名,公司名称,国家,邮箱,询盘内容"
ROW = "1001,王喆,深圳清源水处理有限公司,中国,wz@qingyuan-water.cn,需要紫外线杀菌灯"
LATIN = "Inquiry ID;Buyer Name;Company;Country;Email;Message\n7;Jürgen Müller;Müller Wasser GmbH;Österreich;jm@mw.at;Grüße, 5 Stück"


def _table(data: bytes, name: str = "export.csv", encoding: str = "") -> Table:
    table = read_table(data, name, encoding)
    assert isinstance(table, Table), table
    return table


@pytest.mark.parametrize(
    ("encoded", "expected_encoding"),
    [
        ((HEADER + "\n" + ROW).encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + (HEADER + "\n" + ROW).encode("utf-8"), "utf-8"),
        ((HEADER + "\n" + ROW).encode("utf-16"), "utf-16"),  # with BOM, as Excel's "Unicode text"
        ((HEADER + "\n" + ROW).encode("utf-16-le"), "utf-16-le"),
        ((HEADER + "\n" + ROW).encode("gb18030"), "gb18030"),
        ((HEADER + "\n" + ROW.replace("王喆", "王喆 ")).encode("gbk"), "gb18030"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-no-bom", "gb18030", "gbk"],
)
def test_chinese_export_is_read_in_every_common_encoding(encoded: bytes, expected_encoding: str) -> None:
    table = _table(encoded)
    assert table.encoding == expected_encoding
    assert table.rows[0][1][1] == "买家姓名"
    assert table.rows[1][1][1].startswith("王喆")


def test_european_export_in_windows_1252_with_semicolons_is_read() -> None:
    table = _table(LATIN.encode("cp1252"))
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert table.rows[1][1][1] == "Jürgen Müller"
    assert table.rows[1][1][5] == "Grüße, 5 Stück"


def test_chosen_encoding_overrides_detection() -> None:
    text, used = decode_text("Grüße".encode("cp1252"), "latin-1")
    assert (text, used) == ("Grüße", "cp1252")


def test_unknown_chosen_encoding_is_a_file_problem() -> None:
    assert isinstance(decode_text(b"a,b", "klingon-8"), FileProblem)


@pytest.mark.parametrize(("delimiter"), [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(delimiter: str) -> None:
    text = (
        delimiter.join(["Email", "Buyer Name", "Message"]) + "\n" + delimiter.join(["a@b.de", "Anna", "hi"])
    )
    assert sniff_delimiter(text) == delimiter


def test_quoted_newlines_keep_the_line_numbers_of_the_file() -> None:
    data = b'Email,Message\na@x.de,"line one\nline two\nline three"\nb@x.de,short\n'
    table = _table(data)
    assert [line for line, _cells in table.rows] == [1, 2, 5]
    assert table.rows[1][1][1] == "line one\nline two\nline three"


def test_huge_cell_is_read_whole_for_the_row_check_to_cut() -> None:
    data = b"Email,Message\na@x.de," + b"x" * 300_000 + b"\n"
    assert len(_table(data).rows[1][1][1]) == 300_000


def test_formula_looking_csv_cells_stay_text() -> None:
    data = b'Email,Message\na@x.de,"=HYPERLINK(""http://evil.example"",""click"")"\n'
    assert _table(data).rows[1][1][1] == '=HYPERLINK("http://evil.example","click")'


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_is_read_with_numbers_dates_and_formulas_as_text() -> None:
    data = _xlsx(
        [
            ["Inquiry ID", "Buyer Name", "Tel", "Date", "Message"],
            [123456789012, "Anna", 4915123456789, datetime(2026, 3, 5, 14, 22), '=HYPERLINK("http://x","y")'],
            [None, None, None, None, None],
            [2.5, "Ben", "", "2026-03-06", "plain"],
        ]
    )
    table = _table(data, "export.xlsx")
    assert table.format == "xlsx"
    assert table.rows[1] == (
        2,
        ["123456789012", "Anna", "4915123456789", "2026-03-05T14:22:00", '=HYPERLINK("http://x","y")'],
    )
    assert table.rows[2] == (3, [])
    assert table.rows[3][1][0] == "2.5"


def test_workbook_named_csv_is_read_as_a_workbook() -> None:
    data = _xlsx([["Email"], ["a@x.de"]])
    assert _table(data, "export.csv").format == "xlsx"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "x.csv", "empty"),
        (b"   \n  ", "x.csv", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "x.xls", ".xls"),
        (b"PK\x03\x04garbage", "x.xlsx", "damaged"),
        (b"not a workbook", "x.xlsx", "not a workbook"),
        (b"\x00\x01\x02\x03binary\x00\x00\xff" * 10, "x.csv", "binary"),
    ],
    ids=["empty", "blank", "old-xls", "broken-zip", "xlsx-name-only", "binary"],
)
def test_unreadable_files_are_refused_with_a_reason(data: bytes, name: str, message: str) -> None:
    problem = read_table(data, name)
    assert isinstance(problem, FileProblem)
    assert message in problem.message


def test_zip_bomb_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 5_000_000)
    problem = read_table(buffer.getvalue(), "bomb.xlsx", max_unzipped=1_000_000)
    assert isinstance(problem, FileProblem)
    assert "zip bomb" in problem.message


def test_too_many_rows_is_a_file_problem() -> None:
    problem = read_table(b"Email\n" + b"a@x.de\n" * 20, "x.csv", max_rows=10)
    assert isinstance(problem, FileProblem)
    assert "more than 10 rows" in problem.message


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "TRUE"),
        (12.0, "12"),
        (0.1, "0.1"),
        (7, "7"),
        (datetime(2026, 1, 2, 3, 4), "2026-01-02T03:04:00"),
    ],
)
def test_workbook_cells_read_as_people_see_them(value: object, text: str) -> None:
    assert cell_text(value) == text
