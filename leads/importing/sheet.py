"""Where an export's header row is, and what its first rows become under a mapping (the preview)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo

from leads.importing.columns import Field, find_header_row
from leads.importing.rows import RowInquiry, RowRejection, read_row
from leads.importing.tables import Table


@dataclass(frozen=True, slots=True)
class Sheet:
    header_line: int  # line number of the header row in the file
    headers: list[str]
    body: list[tuple[int, list[str]]]  # (line number, cells) of every row under the header


@dataclass(frozen=True, slots=True)
class PreviewRow:
    line: int
    cells: list[str]
    result: RowInquiry | RowRejection | None


def split_sheet(table: Table) -> Sheet:
    """The header row (found among the first rows, skipping titles) and the rows below it."""
    if not table.rows:
        return Sheet(0, [], [])
    index = find_header_row([cells for _line, cells in table.rows])
    line, headers = table.rows[index]
    return Sheet(line, [header.strip() for header in headers], table.rows[index + 1 :])


def preview(
    sheet: Sheet, mapping: Mapping[int, Field], default_tz: tzinfo, limit: int = 10
) -> list[PreviewRow]:
    """The first non-blank rows as they would be imported: the inquiry, or why each is rejected."""
    shown: list[PreviewRow] = []
    for line, cells in sheet.body:
        result = read_row(line, cells, mapping, default_tz=default_tz)
        if result is None:
            continue
        shown.append(PreviewRow(line, cells, result))
        if len(shown) >= limit:
            break
    return shown
