"""Each export row is an inquiry with a stable key, or a rejection that says why; dates in every usual form."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from followups.csv_export import neutralize as neutralize_cell
from followups.csv_export import to_csv
from leads.importing.columns import Field
from leads.importing.countries import country_code
from leads.importing.rows import RowInquiry, RowRejection, parse_received_at, read_row, row_hash

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAPPING = {
    0: Field.SOURCE_REF,
    1: Field.CONTACT_NAME,
    2: Field.COMPANY_NAME,
    3: Field.COUNTRY,
    4: Field.EMAIL,
    5: Field.PHONE,
    6: Field.MESSAGE,
    7: Field.RECEIVED_AT,
    8: Field.WHATSAPP,
}


def _row(*cells: str, mapping: dict[int, Field] = MAPPING) -> RowInquiry | RowRejection | None:
    return read_row(7, list(cells), mapping, default_tz=SHANGHAI)


def _inquiry(*cells: str) -> RowInquiry:
    result = _row(*cells)
    assert isinstance(result, RowInquiry), result
    return result


def _reasons(*cells: str) -> str:
    result = _row(*cells)
    assert isinstance(result, RowRejection), result
    assert result.line == 7
    return " ".join(result.reasons)


def test_good_row_becomes_an_inquiry_keyed_by_the_platform_id() -> None:
    row = _inquiry(
        "9001",
        "Anna",
        "Aqua GmbH",
        "德国",
        "anna@aqua.de",
        "+49 151 2345678",
        "Need UV",
        "2026-03-05 14:22:10",
        "+49 151 1111111",
    )
    assert row.key == "9001"
    assert row.fields["country"] == "DE"
    assert row.fields["email"] == "anna@aqua.de"
    assert row.received_at == datetime(2026, 3, 5, 14, 22, 10, tzinfo=SHANGHAI)
    assert row.channels == (("whatsapp", "+49 151 1111111"),)
    assert row.warnings == ()


def test_blank_row_is_skipped_without_a_report() -> None:
    assert _row("", " ", "\t", "", "", "", "", "", "") is None


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (("1", "", "", "", "", "", "hello", "2026-01-01"), "no buyer"),
        (("1", "Anna", "", "", "anna@", "", "", "2026-01-01"), "not an address"),
        (("1", "Anna", "", "", "anna at aqua.de", "", "", "2026-01-01"), "not an address"),
        (("1", "Anna", "", "", "", "", "", "yesterday"), "date 'yesterday' not understood"),
        (("1", "Anna", "", "", "", "", "", "2026-02-30"), "not understood"),
        (("x" * 201, "Anna", "", "", "", "", "", "2026-01-01"), "Inquiry ID is longer than 200"),
    ],
)
def test_bad_rows_are_rejected_with_a_reason(cells: tuple[str, ...], reason: str) -> None:
    assert reason in _reasons(*cells)


def test_huge_message_is_cut_with_a_warning() -> None:
    row = _inquiry("1", "Anna", "", "", "", "", "y" * 50_000, "2026-01-01")
    assert len(row.fields["message"]) == 20_000
    assert any("Message cut to 20,000 of 50,000" in warning for warning in row.warnings)


def test_masked_platform_email_is_dropped_but_the_row_kept() -> None:
    row = _inquiry("1", "Anna", "", "", "a***@gmail.com", "", "", "2026-01-01")
    assert row.fields["email"] == ""
    assert any("masked" in warning for warning in row.warnings)


def test_only_the_first_of_several_addresses_is_kept() -> None:
    row = _inquiry("1", "Anna", "", "", "a@x.de; b@x.de", "", "", "2026-01-01")
    assert row.fields["email"] == "a@x.de"
    assert any("several addresses" in warning for warning in row.warnings)


def test_unknown_country_is_left_empty_with_a_warning() -> None:
    row = _inquiry("1", "Anna", "", "Atlantis", "", "", "", "2026-01-01")
    assert row.fields["country"] == ""
    assert any("Atlantis" in warning for warning in row.warnings)


def test_missing_date_is_a_warning_not_a_rejection() -> None:
    row = _inquiry("1", "Anna", "", "", "", "", "", "")
    assert row.received_at is None
    assert any("no date" in warning for warning in row.warnings)


def test_control_characters_and_nul_are_removed_and_formulas_kept_as_text() -> None:
    row = _inquiry("1", "An\x00na\x07", "", "", "", "", '=HYPERLINK("http://evil","x")', "2026-01-01")
    assert row.fields["contact_name"] == "Anna"
    assert row.fields["message"] == '=HYPERLINK("http://evil","x")'


def test_row_without_platform_id_is_keyed_by_a_hash_of_email_date_and_message() -> None:
    mapping = {0: Field.EMAIL, 1: Field.MESSAGE, 2: Field.RECEIVED_AT}
    first = read_row(2, ["A@x.de", "Need  UV", "2026-01-01 10:00"], mapping, default_tz=SHANGHAI)
    again = read_row(9, ["a@x.de ", "need uv", "2026-01-01 10:00:00"], mapping, default_tz=SHANGHAI)
    other = read_row(3, ["a@x.de", "Need UV lamps", "2026-01-01 10:00"], mapping, default_tz=SHANGHAI)
    assert isinstance(first, RowInquiry)
    assert isinstance(again, RowInquiry)
    assert isinstance(other, RowInquiry)
    assert first.key == again.key
    assert first.key.startswith("row:")
    assert other.key != first.key


def test_rows_without_email_and_message_are_told_apart_by_phone_and_name() -> None:
    assert row_hash("", None, "", phone="+49 1", name="Anna") != row_hash(
        "", None, "", phone="+49 2", name="Anna"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-05 14:22:10", datetime(2026, 3, 5, 14, 22, 10, tzinfo=SHANGHAI)),
        ("2026-03-05T14:22:10+01:00", datetime(2026, 3, 5, 14, 22, 10, tzinfo=timezone(timedelta(hours=1)))),
        ("2026-03-05T06:22:10Z", datetime(2026, 3, 5, 6, 22, 10, tzinfo=UTC)),
        ("2026/3/5 14:22", datetime(2026, 3, 5, 14, 22, tzinfo=SHANGHAI)),
        ("2026年3月5日 14:22", datetime(2026, 3, 5, 14, 22, tzinfo=SHANGHAI)),
        ("2026年03月05日", datetime(2026, 3, 5, tzinfo=SHANGHAI)),
        ("05.03.2026", datetime(2026, 3, 5, tzinfo=SHANGHAI)),
        ("03/25/2026 09:00", datetime(2026, 3, 25, 9, 0, tzinfo=SHANGHAI)),  # only month-first makes sense
        ("Mar 5, 2026 2:22 PM", datetime(2026, 3, 5, 14, 22, tzinfo=SHANGHAI)),
        ("5-Mar-2026", datetime(2026, 3, 5, tzinfo=SHANGHAI)),
        ("2026-03-05 14:22 GMT+8", datetime(2026, 3, 5, 14, 22, tzinfo=timezone(timedelta(hours=8)))),
        ("2026-03-05 14:22 (UTC-05:00)", datetime(2026, 3, 5, 14, 22, tzinfo=timezone(timedelta(hours=-5)))),
        ("46086.5", datetime(2026, 3, 5, 12, 0, tzinfo=SHANGHAI)),  # Excel serial days
        ("1772720530", datetime(2026, 3, 5, 14, 22, 10, tzinfo=UTC)),  # Unix seconds
    ],
)
def test_dates_in_export_forms_are_read(text: str, expected: datetime) -> None:
    assert parse_received_at(text, SHANGHAI) == expected


@pytest.mark.parametrize(
    "text", ["", "soon", "2026-13-01", "1850-01-01", "31/31/2026", "2026-03-05 14:22 GMT+99"]
)
def test_non_dates_are_refused(text: str) -> None:
    assert parse_received_at(text, SHANGHAI) is None


@pytest.mark.parametrize(
    ("name", "code"),
    [("United States", "US"), ("美国", "US"), ("USA", "US"), ("Deutschland", "DE"), ("de", "DE"), ("UK", "GB"),
     ("中国香港", "HK"), ("Russian Federation", "RU"), ("Türkiye", "TR"), ("España", "ES"), ("Atlantis", ""), ("ZZ", "")],
)  # fmt: skip
def test_country_names_in_many_languages_become_iso_codes(name: str, code: str) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+49 151 2345678", "'+49 151 2345678"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("  =1", "'  =1"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
    ],
)
def test_exported_cells_never_start_a_formula(cell: str, written: str) -> None:
    assert neutralize_cell(cell) == written


def test_csv_export_neutralizes_every_cell_and_starts_with_a_bom() -> None:
    text = to_csv(["line", "=cmd"], [["3", "=1+1"], ["4", "ok"]], bom=True)
    assert text.startswith("\ufeff")
    assert text.splitlines() == ["\ufeffline,'=cmd", "3,'=1+1", "4,ok"]


def test_email_cell_of_only_separators_is_read_as_no_email() -> None:
    result = read_row(2, ["Acme Ltd", ";"], {0: Field.COMPANY_NAME, 1: Field.EMAIL}, default_tz=SHANGHAI)
    assert isinstance(result, RowInquiry)
    assert result.fields.get("email", "") == ""
