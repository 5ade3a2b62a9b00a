"""What a raw email says: decoded headers, addresses, threading keys, text and sanitized HTML, attachments.

Mail arrives in every charset and in every state of repair. Nothing here raises on bad input: a
header that cannot be decoded is read with replacement characters, a body in an unknown or wrong
charset is guessed, and the parser's complaints are kept as defects.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import email
import email.policy
import email.utils
import hashlib
import quopri
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message

import nh3
from selectolax.lexbor import LexborHTMLParser

MAX_TEXT_CHARS = 200_000
MAX_HTML_CHARS = 500_000
MAX_MESSAGE_ID_CHARS = 500
# The headers kept on record and handed to auto-reply detection.
SUMMARY_HEADERS = (
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Auto-Submitted",
    "X-Autoreply",
    "X-Autorespond",
    "X-Autoresponder",
    "X-Auto-Response-Suppress",
    "Precedence",
    "List-Id",
    "Return-Path",
    "Content-Type",
)
# Labels mailers write and the codec that really reads them. GB2312 and GBK mail routinely holds
# characters beyond those tables; GB18030 is their superset. ISO-8859-1 mail is written as windows-1252.
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "unicode-1-1-utf-7": "utf-7",
    "x-unknown": "",
    "unknown-8bit": "",
}
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,40})\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(?<=\?=)[ \t\r\n]+(?==\?[^?\s]{1,40}\?[bBqQ]\?)")
_BASE64_TEXT = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")
_ANGLE_ID = re.compile(r"<[^<>\s]{1,490}>")
_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|div|tr|li|h[1-6]|table|blockquote|pre)\s*>")
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+\n")
_ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"img"}  # remote images are trackers; cid: images would not resolve


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    address: str  # as written, trimmed; "" when the header holds no address

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2].lower()


@dataclass(frozen=True, slots=True)
class MailAttachment:
    filename: str  # decoded; may be "" and is never trusted as a path
    declared_type: str  # what the sender's header says, for the record only
    data: bytes


@dataclass(frozen=True, slots=True)
class ParsedMail:
    message_id: str  # "<...>"; "" when the message has none
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    sender: Address | None
    reply_to: Address | None
    to: tuple[Address, ...]
    subject: str
    sent_at: datetime | None
    text: str  # the plain-text body, or the text of the HTML body
    html: str  # sanitized HTML; "" when the message has no HTML part
    attachments: tuple[MailAttachment, ...]
    headers: dict[str, str]  # decoded SUMMARY_HEADERS that are present
    content_type: str
    defects: tuple[str, ...]

    @property
    def thread_keys(self) -> tuple[str, ...]:
        """Message-IDs this one answers, nearest first: In-Reply-To, then References from the newest."""
        keys: list[str] = []
        for key in (*self.in_reply_to, *reversed(self.references)):
            if key not in keys:
                keys.append(key)
        return tuple(keys)


def parse_mail(raw: bytes) -> ParsedMail:
    """Parse a raw RFC 5322 message leniently; every field is decoded text, never bytes."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    headers = _summary_headers(message)
    text_parts: list[str] = []
    html_parts: list[str] = []
    attachments: list[MailAttachment] = []
    defects = [type(defect).__name__ for defect in message.defects]
    _collect(message, text_parts, html_parts, attachments, defects, depth=0)

    html_source = "\n".join(html_parts)[:MAX_HTML_CHARS]
    html = sanitize_html(html_source) if html_source else ""
    text = "\n\n".join(part.strip() for part in text_parts if part.strip())
    if not text and html_source:
        text = html_to_text(html_source)
    return ParsedMail(
        message_id=message_id(headers.get("Message-ID", "")),
        in_reply_to=tuple(_ANGLE_ID.findall(headers.get("In-Reply-To", ""))),
        references=tuple(_ANGLE_ID.findall(headers.get("References", "")))[-50:],
        sender=_first_address(headers.get("From", "")),
        reply_to=_first_address(headers.get("Reply-To", "")),
        to=tuple(_addresses(", ".join(filter(None, (headers.get("To", ""), headers.get("Cc", "")))))),
        subject=_one_line(headers.get("Subject", ""))[:300],
        sent_at=_date(headers.get("Date", "")),
        text=_tidy(text)[:MAX_TEXT_CHARS],
        html=html,
        attachments=tuple(attachments),
        headers=headers,
        content_type=message.get_content_type(),
        defects=tuple(dict.fromkeys(defects)),
    )


def _summary_headers(message: Message) -> dict[str, str]:
    # raw_items: the stored values, so 8-bit bytes arrive as surrogate escapes rather than replaced.
    wanted = {name.lower(): name for name in SUMMARY_HEADERS}
    headers: dict[str, str] = {}
    for name, value in message.raw_items():
        canonical = wanted.get(name.lower())
        if canonical and canonical not in headers and isinstance(value, str):
            headers[canonical] = decode_header(value).strip()
    return {name: value for name, value in headers.items() if value}


def synthetic_message_id(raw: bytes) -> str:
    """A stable stand-in for a missing Message-ID: the same bytes always get the same one."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@message-id.invalid>"


def message_id(value: str) -> str:
    found = _ANGLE_ID.search(value)
    if found:
        return found.group(0)
    bare = value.strip()
    if bare and " " not in bare and len(bare) < MAX_MESSAGE_ID_CHARS - 2:
        return f"<{bare}>"
    return ""


def decode_header(value: str) -> str:
    """An RFC 2047 header as text, whatever charsets its words claim; raw 8-bit headers are guessed."""
    if not value:
        return ""
    text = _unescape_raw(str(value))
    # Whitespace between two encoded words is folding, not text (RFC 2047 section 6.2).
    text = _BETWEEN_WORDS.sub("", text)
    return _ENCODED_WORD.sub(_decode_word, text)


def _decode_word(match: re.Match[str]) -> str:
    charset, encoding, payload = match.group(1), match.group(2).lower(), match.group(3)
    charset = charset.split("*", 1)[0]  # RFC 2231 language suffix: "utf-8*en"
    if encoding == "b" and not _BASE64_TEXT.match(payload):
        return match.group(0)  # not base64: show it as written
    try:
        if encoding == "b":
            data = base64.b64decode(payload + "=" * (-len(payload) % 4), validate=False)
        else:
            data = quopri.decodestring(
                payload.replace("_", " ").encode("ascii", errors="replace"), header=True
            )
    except (ValueError, binascii.Error):
        return match.group(0)
    return decode_bytes(data, charset)


def _unescape_raw(text: str) -> str:
    # Raw 8-bit header bytes come through the parser as surrogate escapes: read them as the bytes they are.
    if any("\udc80" <= character <= "\udcff" for character in text):
        return decode_bytes(text.encode("utf-8", errors="surrogateescape"), "")
    return text


def decode_bytes(data: bytes, charset: str) -> str:
    """Bytes in the declared charset when it reads them; else UTF-8, a detected charset, or windows-1252."""
    name = _codec(charset)
    if name:
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        mostly_utf8 = data.decode("utf-8", errors="replace")
        # UTF-8 damaged in a few places or cut at the end, rather than text in another charset.
        if error.start >= len(data) // 2 or mostly_utf8.count("\ufffd") * 50 < len(mostly_utf8):
            return mostly_utf8
    from charset_normalizer import from_bytes

    best = from_bytes(
        data[:100_000], cp_isolation=["gb18030", "big5", "cp1252", "cp1251", "shift_jis", "euc_kr"]
    ).best()
    guessed = _codec(best.encoding) if best is not None else ""
    return data.decode(guessed or "cp1252", errors="replace")


def _codec(charset: str) -> str:
    label = charset.strip().strip('"').lower()
    if not label:
        return ""
    label = CHARSET_ALIASES.get(label, label)
    if not label:
        return ""
    if len(label) > 40:
        return ""
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):  # ValueError: a NUL inside the label
        return ""
    return CHARSET_ALIASES.get(name, name) or ""


def _collect(
    part: Message,
    text_parts: list[str],
    html_parts: list[str],
    attachments: list[MailAttachment],
    defects: list[str],
    depth: int,
) -> None:
    defects += [type(defect).__name__ for defect in part.defects] if depth else []
    content_type = part.get_content_type()
    if depth > 20:
        defects.append("TooDeeplyNested")
        return
    if content_type == "message/rfc822" and depth > 0:
        attachments.append(_attachment(part, "message/rfc822", ".eml"))
        return
    if part.is_multipart():
        payload = part.get_payload()
        for child in payload if isinstance(payload, list) else []:
            if isinstance(child, Message):
                _collect(child, text_parts, html_parts, attachments, defects, depth + 1)
        return
    disposition = (part.get_content_disposition() or "").lower()
    filename = _filename(part)
    is_body_text = (
        content_type in ("text/plain", "text/html") and disposition != "attachment" and not filename
    )
    if not is_body_text:
        if (
            disposition == "attachment"
            or filename
            or part.get_content_maintype() not in ("text", "multipart")
        ):
            attachments.append(_attachment(part, content_type, ""))
        return
    payload_bytes = _payload(part)
    body = decode_bytes(payload_bytes, part.get_content_charset() or "")
    (html_parts if content_type == "text/html" else text_parts).append(body)


def _payload(part: Message) -> bytes:
    raw = part.get_payload()
    if not isinstance(raw, str):
        return b""
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding == "base64":
        # Lenient, as mail clients are: skip characters outside the alphabet, mend the padding.
        cleaned = re.sub(r"[^A-Za-z0-9+/]", "", raw)
        try:
            return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
        except (ValueError, binascii.Error):
            return base64.b64decode(cleaned[: len(cleaned) // 4 * 4] or b"")
    try:
        data = part.get_payload(decode=True)
    except (ValueError, TypeError, AssertionError, LookupError):
        data = None
    if isinstance(data, bytes):
        return data
    return raw.encode("utf-8", errors="surrogateescape")


def _attachment(part: Message, content_type: str, suffix: str) -> MailAttachment:
    if content_type == "message/rfc822":
        inner = part.get_payload()
        first = inner[0] if isinstance(inner, list) and inner else None
        try:
            data = first.as_bytes() if isinstance(first, Message) else b""
        except (ValueError, TypeError, LookupError, UnicodeError):
            data = b""
    else:
        data = _payload(part)
    name = _filename(part) or (f"message{suffix}" if suffix else "")
    return MailAttachment(filename=name[:255], declared_type=content_type[:100], data=data)


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except (ValueError, LookupError, UnicodeError):
        name = ""
    name = decode_header(name) if "=?" in name else _unescape_raw(name)
    # Only the last path component, and no control characters: the name is shown, never used as a path.
    name = re.split(r"[\\/]", name)[-1]
    return "".join(character for character in name if character.isprintable()).strip()


def _first_address(value: str) -> Address | None:
    addresses = _addresses(value)
    return addresses[0] if addresses else None


def _addresses(value: str) -> list[Address]:
    if not value:
        return []
    try:
        pairs = email.utils.getaddresses([value])
    except (ValueError, TypeError, IndexError):
        return []
    found = []
    for name, address in pairs:
        address = address.strip()
        if "@" in address and len(address) <= 254 and " " not in address:
            found.append(Address(name=_one_line(name)[:200], address=address))
    return found


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # RFC 5322 "-0000": the zone is unknown, UTC is the best guess
    return parsed if 1990 <= parsed.year <= 2100 else None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = _TRAILING_SPACE.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def sanitize_html(html: str) -> str:
    """HTML safe to show inside our page: no scripts, styles, event handlers, images or foreign schemes."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def html_to_text(html: str) -> str:
    """The readable text of an HTML body, with line breaks where blocks end."""
    marked = _BLOCK_END.sub(lambda match: match.group(0) + "\n", html[:MAX_HTML_CHARS])
    tree = LexborHTMLParser(marked)
    for node in tree.css("script, style, head, title"):
        node.decompose()
    root = tree.body or tree.root
    text = root.text(separator="", strip=False) if root is not None else ""
    return _tidy("\n".join(line.strip() for line in text.splitlines()))
