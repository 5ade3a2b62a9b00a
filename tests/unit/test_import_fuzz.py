"""No file and no row makes the importers fail: malformed CSV, wrong encodings, huge and formula cells."""

import csv
import io
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followups.csv_export import FORMULA_TRIGGERS as FORMULA_STARTS
from followups.csv_export import to_csv
from leads.importing.columns import Field, guess_mapping
from leads.importing.rows import RowInquiry, RowRejection, read_row
from leads.importing.sheet import preview, split_sheet
from leads.importing.tables import FileProblem, Table, read_table

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADERS = ["询盘编号", "Buyer Name", "Company", "国家", "Email", "Tel", "Message", "Date"]
cells = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ['=HYPERLINK("http://x","y")', "+49 151 2345678", "@SUM(A1)", "a@b.de", "2026-01-02", "美国"]
    ),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=3000),
)


@FUZZ
@given(st.binary(max_size=4000), st.sampled_from(["x.csv", "x.xlsx", "x.txt", ""]))
def test_any_bytes_give_a_table_or_a_file_problem(data: bytes, name: str) -> None:
    result = read_table(data, name)
    assert isinstance(result, Table | FileProblem)
    if isinstance(result, Table):
        sheet = split_sheet(result)
        preview(sheet, guess_mapping(sheet.headers), SHANGHAI)


@FUZZ
@given(
    st.lists(st.lists(cells, min_size=0, max_size=10), min_size=1, max_size=8),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "cp1252"]),
    st.sampled_from([",", ";", "\t"]),
)
def test_any_csv_in_any_encoding_reads_back_every_row(
    rows: list[list[str]], encoding: str, delimiter: str
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([HEADERS, *rows])
    data = buffer.getvalue().encode(encoding, errors="replace")
    table = read_table(data, "x.csv")
    assert isinstance(table, Table | FileProblem)
    if isinstance(table, Table):
        sheet = split_sheet(table)
        for line, row_cells in sheet.body:
            result = read_row(line, row_cells, guess_mapping(sheet.headers), default_tz=SHANGHAI)
            assert result is None or isinstance(result, RowInquiry | RowRejection)


@FUZZ
@given(
    st.lists(cells, min_size=0, max_size=12),
    st.dictionaries(st.integers(0, 12), st.sampled_from(list(Field))),
)
def test_any_row_under_any_mapping_is_an_inquiry_a_rejection_or_blank(
    row: list[str], mapping: dict[int, Field]
) -> None:
    result = read_row(3, row, mapping, default_tz=SHANGHAI)
    if isinstance(result, RowRejection):
        assert result.reasons
        assert all(reason.strip() for reason in result.reasons)
    elif isinstance(result, RowInquiry):
        assert result.key
        assert all("\x00" not in value for value in result.fields.values())
        assert len(result.fields["message"]) <= 20_000
        assert len(result.fields["contact_name"]) <= 200
    else:
        assert result is None


@FUZZ
@given(st.lists(st.lists(st.text(max_size=30), max_size=5), max_size=5))
def test_csv_we_hand_out_never_has_a_cell_a_spreadsheet_would_run(rows: list[list[str]]) -> None:
    text = to_csv(["a", "b"], rows, bom=True)
    for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"))):
        for cell in row:
            assert not cell.lstrip(" ").startswith(FORMULA_STARTS)
