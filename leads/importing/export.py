"""How a cell is written into a CSV we hand out, so a spreadsheet never runs it as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# OWASP "CSV injection": a cell starting with one of these is a formula to Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralize_cell(value: str) -> str:
    """The cell as text a spreadsheet shows but never evaluates: a leading quote before a formula start."""
    if value.startswith(FORMULA_STARTS) or value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A CSV document (UTF-8 with BOM, so Excel reads it as UTF-8) with every cell neutralized."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralize_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralize_cell(str(cell)) for cell in row])
    return buffer.getvalue()
