"""How the bytes of an uploaded export become rows of text cells: CSV in any common encoding, or XLSX."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
DELIMITERS = ",;\t|"
# Labels people pick or charset detection reports, and what to decode them with. GB2312 and GBK
# files routinely hold characters beyond their own tables: GB18030 is the superset that reads them all.
ENCODING_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "hz": "gb18030",
    "ascii": "utf-8",
    "latin_1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "utf_8": "utf-8",
    "utf_16": "utf-16",
}
ENCODING_CHOICES = ("utf-8", "gb18030", "utf-16", "cp1252", "latin-1", "big5", "shift_jis", "cp1251")


@dataclass(frozen=True, slots=True)
class Table:
    format: str  # "csv" or "xlsx"
    encoding: str  # the one used to decode a CSV; "" for XLSX
    delimiter: str  # "" for XLSX
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells), header rows included
    problems: list[tuple[int, str]]  # (line number, why the line could not be read)


@dataclass(frozen=True, slots=True)
class FileProblem:
    message: str  # for people: why nothing in the file can be imported


def read_table(
    data: bytes, file_name: str = "", encoding: str = "", max_rows: int = 1_000_000, max_unzipped: int = 0
) -> Table | FileProblem:
    """Read an uploaded CSV or XLSX into rows of text; a FileProblem when the file itself is unreadable.

    The format is told by the bytes, not the name: a ".csv" that is a workbook is read as one.
    Cells are never evaluated: "=HYPERLINK(...)" stays that text.
    """
    if not data.strip():
        return FileProblem("The file is empty.")
    if data.startswith(OLE_MAGIC):
        return FileProblem(
            "Old Excel .xls files cannot be read: save the sheet as .xlsx or CSV and upload that."
        )
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, max_rows, max_unzipped or 40 * len(data) + 10_000_000)
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        return FileProblem("This file is named .xlsx but is not a workbook (it may be damaged).")
    text = decode_text(data, encoding)
    if isinstance(text, FileProblem):
        return text
    decoded, used = text
    return _read_csv(decoded, used, max_rows)


def decode_text(data: bytes, encoding: str = "") -> tuple[str, str] | FileProblem:
    """The text and the encoding it was read with: the one asked for, a byte-order mark, UTF-8, or a guess."""
    if encoding:
        name = _codec_name(encoding)
        if name is None:
            return FileProblem(f"Unknown encoding {encoding!r}.")
        return data.decode(name, errors="replace").removeprefix("\ufeff"), name
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode("utf-8-sig" if name == "utf-8" else name, errors="replace").removeprefix(
                "\ufeff"
            ), name
    if name := _utf16_without_bom(data):
        return data.decode(name, errors="replace"), name
    if b"\x00" in data[:4096]:
        return FileProblem("This is not a text or spreadsheet file (it contains binary data).")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    name = _detect(data)
    return data.decode(name, errors="replace"), name


def _utf16_without_bom(data: bytes) -> str:
    # ASCII-range text in UTF-16 has a NUL in every other byte: the odd ones little-endian, the even ones big.
    sample = data[:2000]
    if len(sample) < 4:
        return ""
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if max(even_nuls, odd_nuls) > 0.3 * half and min(even_nuls, odd_nuls) < 0.05 * half:
        return "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    return ""


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    # Chinese exports are GB18030/GBK; European ones cp1252. Detection on a bounded sample keeps large files fast.
    best = from_bytes(
        data[:200_000], cp_isolation=["gb18030", "big5", "cp1252", "cp1251", "shift_jis", "utf_16"]
    ).best()
    name = _codec_name(best.encoding) if best is not None else None
    if name is None:
        return "cp1252"
    try:
        data.decode(name)
    except UnicodeDecodeError:
        # The guess failed past the sample: cp1252 and latin-1 read any byte, so nothing is lost.
        return "cp1252" if name != "cp1252" else "latin-1"
    return name


def _codec_name(label: str) -> str | None:
    key = label.strip().lower().replace(" ", "")
    key = ENCODING_ALIASES.get(key, key)
    try:
        info = codecs.lookup(key)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None  # rot13, base64, zlib...: codecs, but not ways to write text
    return ENCODING_ALIASES.get(info.name, info.name)


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV: what the sniffer finds in the first lines, else the most frequent candidate."""
    sample = "\n".join(text[:65536].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        counts = {candidate: first.count(candidate) for candidate in DELIMITERS}
        best = max(counts, key=lambda candidate: counts[candidate])
        return best if counts[best] else ","


def _read_csv(text: str, encoding: str, max_rows: int) -> Table | FileProblem:
    # PostgreSQL text cannot hold NUL, and csv would stop at it: no real export contains one.
    text = text.replace("\x00", "")
    delimiter = sniff_delimiter(text)
    # A cell may legitimately be large (a long message); the cap is ours, applied per field later.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    rows: list[tuple[int, list[str]]] = []
    problems: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append((start, f"unreadable CSV line: {error}"))
            start = reader.line_num + 1
            if len(problems) > 1000:
                return FileProblem(f"This is not a readable CSV file (line {start}: {error}).")
            continue
        rows.append((start, cells))
        start = reader.line_num + 1
        if len(rows) > max_rows:
            return FileProblem(f"The file has more than {max_rows:,} rows: split it and import the parts.")
    return Table("csv", encoding, delimiter, rows, problems)


def _read_xlsx(data: bytes, max_rows: int, max_unzipped: int) -> Table | FileProblem:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        return FileProblem(f"This workbook is damaged and cannot be opened ({error}).")
    if unzipped > max_unzipped:
        return FileProblem("This workbook unpacks to far more data than it holds: refused as a zip bomb.")
    try:
        rows = list(_xlsx_rows(data, max_rows + 1))
    except Exception as error:  # noqa: BLE001 - a damaged workbook can fail in zipfile, XML or openpyxl code
        return FileProblem(f"This workbook cannot be read ({type(error).__name__}: {error}).")
    if len(rows) > max_rows:
        return FileProblem(f"The sheet has more than {max_rows:,} rows: split it and import the parts.")
    return Table("xlsx", "", "", rows, [])


def _xlsx_rows(data: bytes, limit: int) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    # data_only=False: a formula comes back as its text, never as a value someone's formula computed.
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheet = next(
            (ws for ws in workbook.worksheets if ws.max_row and ws.max_row > 0), workbook.worksheets[0]
        )
        # Exporters often write a wrong <dimension>: read every row that is really there.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(value) for value in values]
            while cells and not cells[-1]:
                cells.pop()
            yield number, cells
            if number >= limit:
                return
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A workbook cell as the text a person sees: integral numbers without ".0", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
