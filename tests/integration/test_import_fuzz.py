"""Fuzzed exports through the whole import: every row accounted for, nothing half in, no crash."""

import csv
import io
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leads import imports
from leads.importing.columns import guess_mapping
from leads.models import Company, Contact, ContactChannel, ImportRun, Lead

pytestmark = pytest.mark.django_db
HEADERS = [
    "Inquiry ID",
    "Buyer Name",
    "Company",
    "Country",
    "Email",
    "Tel",
    "Message",
    "Date",
    "WhatsApp",
    "Website",
]
cell = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        ["", "a@x-corp.com", "A@X-CORP.COM", "b@gmail.com", "bad@", "j***@gmail.com", "+49 151 23456789", "0151 2345678",
         "Germany", "美国", "Atlantis", "2026-03-05 10:00", "tomorrow", "=HYPERLINK(\"http://x\")", "x-corp.com",
         "javascript:alert(1)", "1", "2", "\x00", "é" * 300]
    ),
)  # fmt: skip
rows = st.lists(st.lists(cell, min_size=0, max_size=len(HEADERS) + 2), min_size=0, max_size=25)


def _bytes(table: list[list[str]], encoding: str, delimiter: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([HEADERS, *table])
    return buffer.getvalue().encode(encoding, errors="replace")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows,
    st.sampled_from(["utf-8", "gb18030", "utf-16", "cp1252"]),
    st.sampled_from([",", ";", "\t"]),
    st.integers(1, 4),
)
def test_fuzzed_export_accounts_for_every_row_and_leaves_nothing_half_in(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    table: list[list[str]],
    encoding: str,
    delimiter: str,
    chunk: int,
) -> None:
    monkeypatch.setattr(imports, "CHUNK_ROWS", chunk * 3)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(_bytes(table, encoding, delimiter))
    with transaction.atomic():
        try:
            run = imports.import_path(path, source="alibaba")
        except imports.ImportFileError:
            transaction.set_rollback(True)
            return
        if run.status == ImportRun.Status.DONE:
            accounted = run.created_count + run.merged_count + run.duplicate_count + run.rejected_count
            table, sheet = imports.open_sheet(path.read_bytes(), path.name)  # type: ignore[misc]
            mapped = guess_mapping(sheet.headers)
            non_blank = [
                cells
                for _line, cells in sheet.body
                if any(cells[i].strip() for i in mapped if i < len(cells))
            ]
            assert accounted == len(non_blank) + len(table.problems)
            assert all(row["reasons"] and row["line"] >= 2 for row in run.rejected_rows)
            assert Lead.objects.count() == run.created_count + run.merged_count
            # Nothing half in: every company and contact belongs to a lead, every channel to a contact.
            assert not Company.objects.filter(leads__isnull=True).exists()
            assert not Contact.objects.filter(leads__isnull=True).exists()
            assert ContactChannel.objects.filter(contact__isnull=True).count() == 0
        else:
            assert run.error
            assert not Lead.objects.exists()
        transaction.set_rollback(True)
