"""How a table becomes CSV that a spreadsheet opens as data, never as formulas (CSV injection)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence

# OWASP "CSV Injection": a cell starting with one of these may be run as a formula by Excel, LibreOffice or
# Google Sheets (=HYPERLINK(...), +cmd|..., @SUM(...), a leading tab or carriage return before any of them).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

Cell = str | int | float | None


def neutralize(value: Cell) -> str:
    """The cell as text; text that a spreadsheet would read as a formula gets a leading single quote.

    Numbers stay numbers: a negative int or float is data, not a formula, and quoting it would turn it into
    text in the spreadsheet. A number that arrives as text ("-5") is quoted like any other text.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "" if not math.isfinite(value) else repr(round(value, 6))
    text = str(value)
    # Spreadsheets skip leading spaces before reading a formula ("  =1" runs too).
    if text.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, bom: bool = False) -> str:
    """A whole CSV document (RFC 4180: CRLF line ends, quotes where needed) with every cell neutralized.

    `bom` starts it with a UTF-8 byte order mark, so Excel opens non-ASCII text (Chinese names) correctly.
    """
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralize(header) for header in headers])
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
    return buffer.getvalue()
