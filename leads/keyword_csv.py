"""Whole keyword lists as CSV: parse and validate an upload into rows, or report every bad line. Pure."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

COLUMNS = (
    "industry_slug", "industry_name", "is_target", "industry_weight", "term", "language", "weight", "is_negative",
    "match_mode",
)  # fmt: skip
MATCH_MODES = ("word", "phrase", "prefix")
MAX_ROWS = 50_000
MAX_TERM = 120
_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n", ""}


@dataclass(frozen=True, slots=True)
class KeywordRow:
    industry_slug: str
    industry_name: str
    is_target: bool
    industry_weight: float
    term: str
    language: str
    weight: float
    is_negative: bool
    match_mode: str


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    message: str


def parse_keyword_csv(text: str) -> tuple[list[KeywordRow], list[LineError]]:
    """Rows of a keyword-list CSV (the export's columns), or the errors of every bad line, numbered from 1."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        return [], [LineError(1, "the file is empty")]
    except csv.Error as error:
        return [], [LineError(1, f"unreadable CSV: {error}")]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        return [], [LineError(1, f"missing column(s): {', '.join(missing)}")]
    index = {name: header.index(name) for name in COLUMNS}
    rows: list[KeywordRow] = []
    errors: list[LineError] = []
    seen: set[tuple[str, str, str]] = set()
    try:
        for line_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                errors.append(LineError(line_number, f"more than {MAX_ROWS} rows: split the file"))
                break
            row = _row(cells, index)
            if isinstance(row, str):
                errors.append(LineError(line_number, row))
                continue
            key = (row.industry_slug, row.term.casefold(), row.language)
            if key in seen:
                errors.append(
                    LineError(line_number, f"duplicate of an earlier line: {row.term!r} [{row.language}]")
                )
                continue
            seen.add(key)
            rows.append(row)
    except csv.Error as error:
        errors.append(LineError(reader.line_num, f"unreadable CSV: {error}"))
    return rows, errors


def _row(cells: list[str], index: dict[str, int]) -> KeywordRow | str:
    def cell(name: str) -> str:
        position = index[name]
        return cells[position].strip() if position < len(cells) else ""

    slug = cell("industry_slug").lower()
    if not slug or not all(c.isalnum() or c in "_-" for c in slug) or len(slug) > 60:
        return "industry_slug must be letters, digits, - or _ (at most 60)"
    term = cell("term").lstrip("'")  # an export neutralizes formula-like cells with a leading quote
    if not term or len(term) > MAX_TERM:
        return f"term must be 1 to {MAX_TERM} characters"
    language = cell("language").lower()
    if not (2 <= len(language) <= 10) or not language.replace("-", "").isalpha():
        return "language must be an ISO 639-1 code such as en, de, zh"
    mode = cell("match_mode").lower() or "word"
    if mode not in MATCH_MODES:
        return f"match_mode must be one of {', '.join(MATCH_MODES)}"
    flags = {}
    for name in ("is_target", "is_negative"):
        value = cell(name).lower()
        if value not in _TRUE | _FALSE:
            return f"{name} must be yes or no"
        flags[name] = value in _TRUE
    numbers = {}
    for name, default in (("weight", 1.0), ("industry_weight", 1.0)):
        raw = cell(name)
        try:
            numbers[name] = float(raw) if raw else default
        except ValueError:
            return f"{name} must be a number"
        if not 0 <= numbers[name] <= 100:
            return f"{name} must be between 0 and 100"
    return KeywordRow(
        industry_slug=slug,
        industry_name=(cell("industry_name") or slug)[:120],
        is_target=flags["is_target"],
        industry_weight=numbers["industry_weight"],
        term=term,
        language=language,
        weight=numbers["weight"],
        is_negative=flags["is_negative"],
        match_mode=mode,
    )
