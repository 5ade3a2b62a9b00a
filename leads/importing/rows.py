"""Whether one export row is an inquiry to take in, with its stable key, or a rejection with the reasons."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from leads.importing.columns import CHANNEL_FIELDS, FIELD_LABELS, Field
from leads.importing.countries import country_code

# Longest text kept per field (the database's column sizes); a message is capped so one runaway cell
# cannot bloat the lead table, and the row says so.
MAX_CHARS: dict[Field, int] = {
    Field.SOURCE_REF: 200,
    Field.CONTACT_NAME: 200,
    Field.ROLE: 120,
    Field.COMPANY_NAME: 200,
    Field.WEBSITE: 500,
    Field.COUNTRY: 100,
    Field.EMAIL: 254,
    Field.PHONE: 64,
    Field.SUBJECT: 300,
    Field.MESSAGE: 20_000,
    Field.PRODUCTS: 300,
    Field.QUANTITY: 100,
    Field.RECEIVED_AT: 100,
    Field.WHATSAPP: 300,
    Field.WECHAT: 300,
    Field.SKYPE: 300,
    Field.TELEGRAM: 300,
}
_MULTILINE = {Field.MESSAGE, Field.SUBJECT}
# C0/C1 controls other than tab and newline: invisible, and some break XML, CSV or the database.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_EMAIL_SPLIT = re.compile(r"[;,\s]+")
_EMAIL_SHAPE = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[^@\s<>()\[\],;:\"./]+(?:\.[^@\s<>()\[\],;:\"./]+)+$")


@dataclass(frozen=True, slots=True)
class RowInquiry:
    line: int
    key: str  # stable across imports of the same export: the platform's id, else a content hash
    fields: dict[str, str]  # InquiryInput keyword arguments (text fields)
    channels: tuple[tuple[str, str], ...]  # (channel kind, value) for WhatsApp, WeChat...
    received_at: datetime | None  # None: the file gives no date
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RowRejection:
    line: int
    reasons: tuple[str, ...]


def read_row(
    line: int, cells: Sequence[str], mapping: Mapping[int, Field], *, default_tz: tzinfo
) -> RowInquiry | RowRejection | None:
    """Validate one row under a column mapping; None for a blank row (nothing to report).

    Rejected: no buyer to speak of (no email, phone, name or company), an email that is not an
    address, an unreadable date, an overlong id. Kept with a warning: cut cells, an unknown country,
    a masked platform email, extra addresses in one cell.
    """
    raw: dict[Field, str] = {}
    for index, field in mapping.items():
        if index < len(cells):
            raw[field] = cells[index]
    if not any(value.strip() for value in raw.values()):
        return None

    warnings: list[str] = []
    reasons: list[str] = []
    values: dict[Field, str] = {}
    for field, text in raw.items():
        cleaned = _clean(text, multiline=field in _MULTILINE)
        limit = MAX_CHARS[field]
        if len(cleaned) > limit:
            if field in (Field.SOURCE_REF, Field.EMAIL):
                reasons.append(f"{field_label(field)} is longer than {limit} characters")
                continue
            warnings.append(f"{field_label(field)} cut to {limit:,} of {len(cleaned):,} characters")
            cleaned = cleaned[:limit]
        values[field] = cleaned

    email = _email(values.get(Field.EMAIL, ""), warnings, reasons)
    country_text = values.get(Field.COUNTRY, "")
    country = country_code(country_text)
    if country_text and not country:
        warnings.append(f"country {country_text[:60]!r} not recognised: left empty")

    received_at: datetime | None = None
    date_text = values.get(Field.RECEIVED_AT, "")
    if date_text:
        received_at = parse_received_at(date_text, default_tz)
        if received_at is None:
            reasons.append(f"date {date_text[:60]!r} not understood (expected e.g. 2024-03-05 14:30)")
    else:
        warnings.append("no date: the import time is used")

    phone = values.get(Field.PHONE, "")
    name = values.get(Field.CONTACT_NAME, "")
    company = values.get(Field.COMPANY_NAME, "")
    if not (email or phone or name or company) and not reasons:
        reasons.append("no buyer: a row needs an email, a phone, a name or a company")
    if reasons:
        return RowRejection(line, tuple(reasons))

    message = values.get(Field.MESSAGE, "")
    platform_id = values.get(Field.SOURCE_REF, "")
    key = platform_id or row_hash(email, received_at, message, phone, name, company)
    fields = {
        "email": email,
        "contact_name": name,
        "role": values.get(Field.ROLE, ""),
        "company_name": company,
        "website": values.get(Field.WEBSITE, ""),
        "country": country,
        "phone": phone,
        "subject": values.get(Field.SUBJECT, ""),
        "message": message,
        "products": values.get(Field.PRODUCTS, ""),
        "quantity": values.get(Field.QUANTITY, ""),
    }
    channels = tuple((field.value, values[field]) for field in CHANNEL_FIELDS if values.get(field))
    return RowInquiry(line, key, fields, channels, received_at, tuple(warnings))


def field_label(field: Field) -> str:
    return FIELD_LABELS[field]


def _clean(text: str, *, multiline: bool) -> str:
    if text.isascii() and text.isprintable():
        return text.strip() if multiline else _SPACES.sub(" ", text).strip()
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text)).replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def _email(text: str, warnings: list[str], reasons: list[str]) -> str:
    if not text:
        return ""
    candidates = [part for part in _EMAIL_SPLIT.split(text) if part]
    if not candidates:  # only separators (";", ",", spaces): no address at all
        return ""
    if len(candidates) > 1:
        warnings.append(f"several addresses in one cell: {candidates[0]!r} kept")
    first = candidates[0].removeprefix("mailto:")
    if "*" in first.split("@", 1)[0]:
        # Platforms mask buyers' addresses ("j***@gmail.com"); joining contacts on one would merge strangers.
        warnings.append(f"masked address {first!r} dropped")
        return ""
    # The shape only: intake normalizes the address and the checks judge whether it receives mail.
    if not _EMAIL_SHAPE.match(first):
        reasons.append(f"email {first[:80]!r} is not an address (expected name@domain.tld)")
        return ""
    return first


def row_hash(
    email: str, received_at: datetime | None, message: str, phone: str = "", name: str = "", company: str = ""
) -> str:
    """The key of a row without a platform id: its email, date and message, normalized.

    Rows with neither email nor message are told apart by phone, name and company as well.
    """
    parts = [
        email.strip().casefold(),
        received_at.astimezone(UTC).isoformat() if received_at else "",
        _SPACES.sub(" ", message).strip().casefold(),
    ]
    if not parts[0] and not parts[2]:
        parts += [_SPACES.sub("", phone), name.strip().casefold(), company.strip().casefold()]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"row:{digest[:40]}"


_ISO_LIKE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[T\s]+(\d{1,2})[:时点](\d{1,2})(?:[:分](\d{1,2})(?:\.\d+)?)?秒?\s*(am|pm|上午|下午)?)?$",
    re.IGNORECASE,
)
_DAY_FIRST = re.compile(
    r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T\s]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?\s*(am|pm)?)?$",
    re.IGNORECASE,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAME = re.compile(
    r"^(?:(?P<m1>[a-z]+)\.?\s+(?P<d1>\d{1,2}),?\s+(?P<y1>\d{4})|(?P<d2>\d{1,2})[\s-](?P<m2>[a-z]+)\.?[\s-](?P<y2>\d{4}))"
    r"(?:,?\s+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ap>am|pm)?)?$",
    re.IGNORECASE,
)
_ZONE = re.compile(
    r"\s*\(?(?:(?:gmt|utc)\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?|(?P<z>gmt|utc|z))\)?$", re.I
)
_EXCEL_EPOCH = datetime(1899, 12, 30)


def parse_received_at(text: str, default_tz: tzinfo) -> datetime | None:
    """A date and time in the forms exports use, as an aware datetime; None when it is not one.

    ISO 8601 (with or without offset), "2024/3/5 14:22", "2024年3月5日 14:22", "05.03.2024",
    "Mar 5, 2024 2:22 PM", "5-Mar-2024", "... GMT+8", Excel serial days, Unix seconds.
    Numeric day/month dates are read day first, as in most of the world, unless only month first
    makes sense. A time without a zone is in default_tz (the platforms show the seller's office time).
    """
    value = _SPACES.sub(" ", text.strip())
    if not value:
        return None
    zone: tzinfo | None = None
    if (match := _ZONE.search(value)) and match.start() > 0:
        if match.group("z"):
            zone = UTC
        else:
            offset = timedelta(hours=int(match.group("h")), minutes=int(match.group("m") or 0))
            if offset > timedelta(hours=14):
                return None
            zone = timezone(-offset if match.group("sign") == "-" else offset)
        value = value[: match.start()].strip()
    parsed = _parse_naive_or_aware(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone or default_tz)
    if not 1990 <= parsed.year <= 2100:
        return None
    return parsed


def _parse_naive_or_aware(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(
            value.replace(" ", "T", 1) if re.match(r"^\d{4}-\d\d-\d\d \d", value) else value
        )
    except ValueError:
        pass
    if match := _ISO_LIKE.match(value):
        year, month, day, hour, minute, second, half = match.groups()
        return _build(int(year), int(month), int(day), hour, minute, second, half)
    if match := _DAY_FIRST.match(value):
        first, second_number, year, hour, minute, second, half = match.groups()
        day, month = int(first), int(second_number)
        if month > 12 >= day:
            day, month = month, day
        return _build(int(year), month, day, hour, minute, second, half)
    if match := _MONTH_NAME.match(value):
        groups = match.groupdict()
        month_name = (groups["m1"] or groups["m2"] or "").lower()
        if month_name not in _MONTHS:
            return None
        day = int(groups["d1"] or groups["d2"])
        year = int(groups["y1"] or groups["y2"])
        return _build(year, _MONTHS[month_name], day, groups["h"], groups["mi"], groups["s"], groups["ap"])
    if re.fullmatch(r"\d{5}(\.\d+)?", value):
        days = float(value)
        if 25_000 <= days <= 75_000:  # 1968..2105 as Excel serial days
            return _EXCEL_EPOCH + timedelta(days=days)
    if re.fullmatch(r"\d{10}(\d{3})?", value):
        seconds = int(value[:10])
        return datetime.fromtimestamp(seconds, UTC)
    return None


def _build(
    year: int,
    month: int,
    day: int,
    hour: str | None,
    minute: str | None,
    second: str | None,
    half: str | None,
) -> datetime | None:
    hours = int(hour or 0)
    if half and half.lower() in ("pm", "下午") and hours < 12:
        hours += 12
    if half and half.lower() in ("am", "上午") and hours == 12:
        hours = 0
    try:
        return datetime(year, month, day, hours, int(minute or 0), int(second or 0))
    except ValueError:
        return None
