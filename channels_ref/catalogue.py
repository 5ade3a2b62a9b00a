"""Which contact channels exist, how a pasted handle is normalised, and which click-to-chat link is safe to offer."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qs, quote, unquote, urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class ChannelKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    WHATSAPP = "whatsapp"
    FACEBOOK = "facebook"
    MESSENGER = "messenger"
    TWITTER = "twitter"
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    SNAPCHAT = "snapchat"
    SKYPE = "skype"
    GOOGLE_CHAT = "google_chat"  # formerly Google Hangouts
    DISCORD = "discord"
    APPLE_MESSAGES = "apple_messages"
    TELEGRAM = "telegram"
    WECHAT = "wechat"
    LINE = "line"
    KAKAOTALK = "kakaotalk"
    VIBER = "viber"
    LINKEDIN = "linkedin"
    SMS = "sms"


class HandleForm(StrEnum):
    """What the normalised value is, which decides the link shape."""

    EMAIL = "email"  # an address, as email-validator normalises it
    PHONE = "phone"  # E.164, "+" and digits
    USERNAME = "username"  # the network's user name or id, without "@"
    PROFILE_PATH = "profile_path"  # a path on the network's site ("in/jane-doe", "@channel")


class HandleProblemCode(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNSAFE_SCHEME = "unsafe_scheme"  # javascript:, data:, file: and any scheme not expected for this channel
    FOREIGN_URL = "foreign_url"  # a URL on a site that is not this channel's
    UNRECOGNISED_URL = "unrecognised_url"  # the channel's site, but not a profile or chat address
    INVALID_EMAIL = "invalid_email"
    INVALID_PHONE = "invalid_phone"
    NEEDS_COUNTRY = "needs_country"  # a national number and no country to read it in
    INVALID_USERNAME = "invalid_username"
    CONTROL_CHARACTERS = "control_characters"  # line breaks and the like: header or link injection attempts


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    kind: ChannelKind
    label: str
    is_instant_messaging: bool
    forms: tuple[HandleForm, ...]  # accepted handle forms, most usual first
    is_discontinued: bool = False  # the service no longer runs: keep old handles, never suggest it


@dataclass(frozen=True, slots=True)
class NormalizedHandle:
    kind: ChannelKind
    form: HandleForm
    value: str  # canonical: what is stored and compared
    display: str  # what a person reads


@dataclass(frozen=True, slots=True)
class HandleProblem:
    kind: ChannelKind
    raw: str
    code: HandleProblemCode
    detail: str


_E = HandleForm.EMAIL
_P = HandleForm.PHONE
_U = HandleForm.USERNAME
_PATH = HandleForm.PROFILE_PATH

CATALOGUE: dict[ChannelKind, ChannelInfo] = {
    info.kind: info
    for info in (
        ChannelInfo(ChannelKind.EMAIL, "Email", False, (_E,)),
        ChannelInfo(ChannelKind.PHONE, "Phone", False, (_P,)),
        ChannelInfo(ChannelKind.WHATSAPP, "WhatsApp", True, (_P,)),
        ChannelInfo(ChannelKind.FACEBOOK, "Facebook", False, (_U,)),
        ChannelInfo(ChannelKind.MESSENGER, "Messenger", True, (_U,)),
        ChannelInfo(ChannelKind.TWITTER, "X (Twitter)", False, (_U,)),
        ChannelInfo(ChannelKind.INSTAGRAM, "Instagram", False, (_U,)),
        ChannelInfo(ChannelKind.TIKTOK, "TikTok", False, (_U,)),
        ChannelInfo(ChannelKind.YOUTUBE, "YouTube", False, (_PATH,)),
        ChannelInfo(ChannelKind.SNAPCHAT, "Snapchat", True, (_U,)),
        # Microsoft retired Skype on 5 May 2025 (users moved to Teams); customer research still lists it.
        ChannelInfo(ChannelKind.SKYPE, "Skype", True, (_U,), is_discontinued=True),
        ChannelInfo(ChannelKind.GOOGLE_CHAT, "Google Chat (Hangouts)", True, (_E,)),
        ChannelInfo(ChannelKind.DISCORD, "Discord", True, (_U,)),
        ChannelInfo(ChannelKind.APPLE_MESSAGES, "Apple Messages (iMessage)", True, (_P, _E)),
        ChannelInfo(ChannelKind.TELEGRAM, "Telegram", True, (_U, _P)),
        ChannelInfo(ChannelKind.WECHAT, "WeChat", True, (_U, _P)),
        ChannelInfo(ChannelKind.LINE, "LINE", True, (_U,)),
        ChannelInfo(ChannelKind.KAKAOTALK, "KakaoTalk", True, (_U,)),
        ChannelInfo(ChannelKind.VIBER, "Viber", True, (_P,)),
        ChannelInfo(ChannelKind.LINKEDIN, "LinkedIn", False, (_PATH,)),
        ChannelInfo(ChannelKind.SMS, "SMS", False, (_P,)),
    )
}


def channel_info(kind: ChannelKind) -> ChannelInfo:
    return CATALOGUE[kind]


# Each network's own rules for user names, so nothing else (quotes, slashes, colons) reaches a link.
_USERNAME_PATTERNS: dict[ChannelKind, re.Pattern[str]] = {
    ChannelKind.FACEBOOK: re.compile(r"[A-Za-z0-9.]{5,50}"),
    ChannelKind.MESSENGER: re.compile(r"[A-Za-z0-9.]{5,50}"),  # m.me takes the Facebook user name
    ChannelKind.TWITTER: re.compile(r"[A-Za-z0-9_]{1,15}"),
    ChannelKind.INSTAGRAM: re.compile(r"[A-Za-z0-9._]{1,30}"),
    ChannelKind.TIKTOK: re.compile(r"[A-Za-z0-9._]{2,24}"),
    ChannelKind.SNAPCHAT: re.compile(r"[A-Za-z][A-Za-z0-9._-]{2,14}"),
    ChannelKind.SKYPE: re.compile(r"live:[A-Za-z0-9._-]{1,64}|[A-Za-z][A-Za-z0-9.,_-]{5,31}"),
    ChannelKind.DISCORD: re.compile(r"[a-z0-9_.]{2,32}|[A-Za-z0-9_. ]{2,32}#\d{4}"),
    ChannelKind.TELEGRAM: re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}"),
    ChannelKind.WECHAT: re.compile(r"[A-Za-z][A-Za-z0-9_-]{5,19}"),
    ChannelKind.LINE: re.compile(r"@?[a-z0-9._-]{3,20}"),  # "@" marks an official account
    ChannelKind.KAKAOTALK: re.compile(r"[A-Za-z0-9._-]{3,20}"),
}
_LINKEDIN_PATH = re.compile(r"(in|company|school|showcase)/[A-Za-z0-9_%-]{2,100}")
_YOUTUBE_PATH = re.compile(
    r"@[A-Za-z0-9._-]{3,30}|channel/UC[A-Za-z0-9_-]{22}|(c|user)/[A-Za-z0-9._-]{1,100}"
)
# Separators people type in numbers; anything else (letters, "<", ";") is refused before phonenumbers,
# which would otherwise pick digits out of junk.
_PHONE_CHARACTERS = re.compile(r"\+?[0-9 ()./\-]{4,40}")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_CASE_INSENSITIVE_USERNAMES = frozenset(
    {
        ChannelKind.LINE,
        ChannelKind.DISCORD,
        ChannelKind.TWITTER,
        ChannelKind.INSTAGRAM,
        ChannelKind.TIKTOK,
    }
)

# Hosts whose profile or chat URLs a person may paste for each channel.
_HOSTS: dict[ChannelKind, frozenset[str]] = {
    ChannelKind.FACEBOOK: frozenset(
        {
            "facebook.com",
            "www.facebook.com",
            "m.facebook.com",
            "web.facebook.com",
            "fb.com",
            "www.fb.com",
        }
    ),
    ChannelKind.MESSENGER: frozenset({"m.me", "messenger.com", "www.messenger.com"}),
    ChannelKind.TWITTER: frozenset(
        {"twitter.com", "www.twitter.com", "mobile.twitter.com", "x.com", "www.x.com"}
    ),
    ChannelKind.INSTAGRAM: frozenset({"instagram.com", "www.instagram.com"}),
    ChannelKind.TIKTOK: frozenset({"tiktok.com", "www.tiktok.com", "m.tiktok.com"}),
    ChannelKind.YOUTUBE: frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"}),
    ChannelKind.SNAPCHAT: frozenset({"snapchat.com", "www.snapchat.com"}),
    ChannelKind.TELEGRAM: frozenset({"t.me", "telegram.me", "www.telegram.me"}),
    ChannelKind.WHATSAPP: frozenset({"wa.me", "api.whatsapp.com", "web.whatsapp.com"}),
    ChannelKind.LINE: frozenset({"line.me"}),
    ChannelKind.LINKEDIN: frozenset({"linkedin.com", "www.linkedin.com"}),
}
_LINKEDIN_COUNTRY_HOST = re.compile(r"[a-z]{2}\.linkedin\.com")
# Paths on a network's own site that are not anybody's profile.
_RESERVED_FIRST_SEGMENTS = frozenset(
    {
        "groups",
        "pages",
        "events",
        "watch",
        "share",
        "sharer",
        "sharer.php",
        "login",
        "home",
        "explore",
        "search",
        "hashtag",
        "i",
        "intent",
        "p",
        "reel",
        "reels",
        "stories",
        "tv",
        "accounts",
        "settings",
        "messages",
        "notifications",
        "joinchat",
        "s",
    }
)
# Schemes a person may paste in front of a handle of that kind (stripped, never passed through).
_HANDLE_SCHEMES: dict[ChannelKind, frozenset[str]] = {
    ChannelKind.EMAIL: frozenset({"mailto"}),
    ChannelKind.GOOGLE_CHAT: frozenset({"mailto"}),
    ChannelKind.PHONE: frozenset({"tel"}),
    ChannelKind.SMS: frozenset({"sms", "tel"}),
    ChannelKind.WHATSAPP: frozenset({"tel", "whatsapp"}),
    ChannelKind.VIBER: frozenset({"tel", "viber"}),
    ChannelKind.APPLE_MESSAGES: frozenset({"tel", "sms", "imessage", "mailto"}),
    ChannelKind.SKYPE: frozenset({"skype"}),
    ChannelKind.TELEGRAM: frozenset({"tg", "tel"}),
    ChannelKind.WECHAT: frozenset({"tel", "weixin"}),
}
_MAX_RAW_LENGTH = 512
# Networks whose users write their names with a leading "@".
_AT_DISPLAYED = frozenset(
    {
        ChannelKind.TWITTER,
        ChannelKind.INSTAGRAM,
        ChannelKind.TIKTOK,
        ChannelKind.TELEGRAM,
        ChannelKind.SNAPCHAT,
    }
)


def normalize_handle(
    kind: ChannelKind, raw: str, default_region: str | None
) -> NormalizedHandle | HandleProblem:
    """Turn what a person typed or pasted (handle, "@handle", profile URL, number) into the canonical handle.

    `default_region` is the contact's ISO country code, used to read phone numbers written without "+".
    Anything that is not plainly a handle of this channel is refused with a reason, never passed through.
    """
    text = raw.strip()
    if not text:
        return _problem(kind, raw, HandleProblemCode.EMPTY, "nothing was entered")
    if len(text) > _MAX_RAW_LENGTH:
        return _problem(
            kind,
            raw,
            HandleProblemCode.TOO_LONG,
            f"longer than {_MAX_RAW_LENGTH} characters",
        )
    if any(ord(character) < 32 or ord(character) == 127 for character in text):
        return _problem(kind, raw, HandleProblemCode.CONTROL_CHARACTERS, "contains control characters")

    forms = CATALOGUE[kind].forms
    if kind is ChannelKind.SKYPE and text.lower().startswith("live:"):
        return _normalize_username(kind, raw, text)  # "live:" is part of the id, not a URL scheme
    scheme_match = _SCHEME.match(text)
    is_url = text.startswith("//") or (
        scheme_match is not None and scheme_match.group(1).lower() in {"http", "https"}
    )
    if scheme_match and not is_url and not _looks_like_phone(text):
        scheme = scheme_match.group(1).lower()
        if scheme not in _HANDLE_SCHEMES.get(kind, frozenset()):
            return _problem(
                kind,
                raw,
                HandleProblemCode.UNSAFE_SCHEME,
                f"'{scheme}:' links are not accepted for {_label(kind)}",
            )
        text = _strip_scheme(text[scheme_match.end() :])
        if not text:
            return _problem(kind, raw, HandleProblemCode.EMPTY, "nothing after the scheme")
    elif not is_url and _starts_with_host(text):
        text = "https://" + text
        is_url = True

    if is_url:
        return _normalize_url(kind, raw, text, default_region)
    if HandleForm.EMAIL in forms and "@" in text.lstrip("@"):
        return _normalize_email(kind, raw, text)
    if HandleForm.PHONE in forms and (forms == (HandleForm.PHONE,) or _looks_like_phone(text)):
        return _normalize_phone(kind, raw, text, default_region)
    if HandleForm.EMAIL in forms and HandleForm.PHONE not in forms:
        return _normalize_email(kind, raw, text)
    if HandleForm.PHONE in forms and HandleForm.USERNAME not in forms:
        return _normalize_phone(kind, raw, text, default_region)
    if kind is ChannelKind.LINKEDIN:
        return _normalize_linkedin_path(raw, text if "/" in text else f"in/{text}")
    if kind is ChannelKind.YOUTUBE:
        return _normalize_youtube_path(raw, text if text.startswith("@") or "/" in text else f"@{text}")
    return _normalize_username(kind, raw, text)


def chat_link(handle: NormalizedHandle, text: str | None = None, subject: str | None = None) -> str | None:
    """The link that opens a chat (or, failing that, the profile) for this handle; None where none exists.

    The handle is validated again here, so a hand-built NormalizedHandle cannot smuggle a hostile value
    into a link. `text` pre-fills the message where the channel supports it; `subject` is for email.
    """
    again = normalize_handle(handle.kind, handle.value, None)
    if not isinstance(again, NormalizedHandle) or again.value != handle.value or again.form != handle.form:
        return None
    builder = _LINK_BUILDERS.get(handle.kind)
    if builder is None:
        return None
    link = builder(again, text, subject)
    if link is None or not _is_safe_link(link, handle.kind):
        return None
    return link


def _label(kind: ChannelKind) -> str:
    return CATALOGUE[kind].label


def _problem(kind: ChannelKind, raw: str, code: HandleProblemCode, detail: str) -> HandleProblem:
    return HandleProblem(kind=kind, raw=raw, code=code, detail=detail)


def _strip_scheme(rest: str) -> str:
    # "skype:name?chat", "mailto:a@b.c?subject=x": keep only the part that names the person.
    # "tg://resolve?domain=name", "viber://chat?number=%2B...", "whatsapp://send?phone=...".
    rest = rest.removeprefix("//")
    path, _, query_text = rest.partition("?")
    query = parse_qs(query_text)
    for key in ("domain", "phone", "number"):
        if query.get(key):
            return query[key][0].strip()
    if path in {"resolve", "chat", "send"}:
        return ""
    return unquote(path).strip()


def _starts_with_host(text: str) -> bool:
    host = text.split("/", 1)[0].lower()
    return "/" in text and "." in host and " " not in host and "@" not in host


def _looks_like_phone(text: str) -> bool:
    return bool(_PHONE_CHARACTERS.fullmatch(text)) and sum(character.isdigit() for character in text) >= 5


def _normalize_email(kind: ChannelKind, raw: str, text: str) -> NormalizedHandle | HandleProblem:
    try:
        # Syntax only: deliverability is a network question for the verification shell.
        result = validate_email(text, check_deliverability=False, allow_quoted_local=False)
    except EmailNotValidError as error:
        return _problem(kind, raw, HandleProblemCode.INVALID_EMAIL, str(error))
    return NormalizedHandle(
        kind=kind,
        form=HandleForm.EMAIL,
        value=result.normalized,
        display=result.normalized,
    )


def _normalize_phone(
    kind: ChannelKind, raw: str, text: str, default_region: str | None
) -> NormalizedHandle | HandleProblem:
    if not _PHONE_CHARACTERS.fullmatch(text):
        return _problem(
            kind,
            raw,
            HandleProblemCode.INVALID_PHONE,
            "only digits, spaces, + ( ) . / - are allowed",
        )
    region = default_region.upper() if default_region else None
    if not text.startswith("+") and not text.startswith("00") and region is None:
        return _problem(
            kind,
            raw,
            HandleProblemCode.NEEDS_COUNTRY,
            "a number without + needs the contact's country",
        )
    if text.startswith("00"):
        # "00" is the ITU international prefix used by most countries; the contact may not live in
        # the country given as default (a German number typed "0049" for a contact filed under US).
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        return _problem(kind, raw, HandleProblemCode.INVALID_PHONE, str(error))
    if not phonenumbers.is_valid_number(number):
        return _problem(
            kind,
            raw,
            HandleProblemCode.INVALID_PHONE,
            "not a valid number in its country's numbering plan",
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    display = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return NormalizedHandle(kind=kind, form=HandleForm.PHONE, value=e164, display=display)


def _normalize_username(kind: ChannelKind, raw: str, text: str) -> NormalizedHandle | HandleProblem:
    pattern = _USERNAME_PATTERNS.get(kind)
    if pattern is None:
        return _problem(
            kind,
            raw,
            HandleProblemCode.INVALID_USERNAME,
            f"{_label(kind)} takes no user name",
        )
    name = text
    if kind is not ChannelKind.LINE:  # only LINE gives "@" a meaning (official accounts)
        name = name.removeprefix("@")
    if kind in _CASE_INSENSITIVE_USERNAMES:
        name = name.lower()
    if not pattern.fullmatch(name):
        return _problem(
            kind,
            raw,
            HandleProblemCode.INVALID_USERNAME,
            f"'{text}' is not a valid user name on {_label(kind)}",
        )
    display = f"@{name}" if kind in _AT_DISPLAYED else name
    return NormalizedHandle(kind=kind, form=HandleForm.USERNAME, value=name, display=display)


def _normalize_linkedin_path(raw: str, path: str) -> NormalizedHandle | HandleProblem:
    path = path.strip("/")
    if path.startswith("pub/"):
        path = "in/" + path.split("/")[1]  # legacy public profile URLs
    if not _LINKEDIN_PATH.fullmatch(path):
        return _problem(
            ChannelKind.LINKEDIN,
            raw,
            HandleProblemCode.UNRECOGNISED_URL,
            "not a LinkedIn profile or company page",
        )
    return NormalizedHandle(
        kind=ChannelKind.LINKEDIN,
        form=HandleForm.PROFILE_PATH,
        value=path,
        display=path,
    )


def _normalize_youtube_path(raw: str, path: str) -> NormalizedHandle | HandleProblem:
    path = path.strip("/")
    if not _YOUTUBE_PATH.fullmatch(path):
        return _problem(
            ChannelKind.YOUTUBE,
            raw,
            HandleProblemCode.UNRECOGNISED_URL,
            "not a YouTube channel address",
        )
    return NormalizedHandle(kind=ChannelKind.YOUTUBE, form=HandleForm.PROFILE_PATH, value=path, display=path)


def _normalize_url(
    kind: ChannelKind, raw: str, text: str, default_region: str | None
) -> NormalizedHandle | HandleProblem:
    parts = urlsplit(text if not text.startswith("//") else "https:" + text)
    host = (parts.hostname or "").lower()
    if parts.username is not None or parts.password is not None or parts.port is not None:
        # "https://facebook.com@evil.example/": the real host hides after the "@".
        return _problem(
            kind,
            raw,
            HandleProblemCode.FOREIGN_URL,
            "URLs with credentials or ports are not profiles",
        )
    is_own_host = host in _HOSTS.get(kind, frozenset()) or (
        kind is ChannelKind.LINKEDIN and bool(_LINKEDIN_COUNTRY_HOST.fullmatch(host))
    )
    if not is_own_host:
        return _problem(
            kind,
            raw,
            HandleProblemCode.FOREIGN_URL,
            f"'{host}' is not one of {_label(kind)}'s sites",
        )
    segments = [unquote(segment) for segment in parts.path.split("/") if segment]
    query = parse_qs(parts.query)
    unrecognised = _problem(
        kind,
        raw,
        HandleProblemCode.UNRECOGNISED_URL,
        f"not a profile address on {_label(kind)}",
    )

    if kind is ChannelKind.LINKEDIN:
        return _normalize_linkedin_path(raw, "/".join(segments[:2]))
    if kind is ChannelKind.YOUTUBE:
        size = 1 if segments and segments[0].startswith("@") else 2
        return _normalize_youtube_path(raw, "/".join(segments[:size]))
    if kind is ChannelKind.WHATSAPP:
        number = query.get("phone", [""])[0] if host != "wa.me" else (segments[0] if segments else "")
        return (
            _normalize_phone(kind, raw, "+" + number.lstrip("+"), default_region) if number else unrecognised
        )
    if kind is ChannelKind.FACEBOOK and segments[:1] == ["profile.php"]:
        profile_id = query.get("id", [""])[0]
        return _normalize_username(kind, raw, profile_id) if profile_id.isdigit() else unrecognised
    if kind is ChannelKind.FACEBOOK and segments[:1] == ["people"] and len(segments) >= 3:
        return _normalize_username(kind, raw, segments[2])
    if kind is ChannelKind.TELEGRAM and segments and segments[0].startswith("+"):
        return _normalize_phone(kind, raw, segments[0], default_region)  # t.me/+<number> links
    if kind is ChannelKind.MESSENGER and segments[:1] == ["t"]:
        segments = segments[1:]
    if kind is ChannelKind.SNAPCHAT and segments[:1] == ["add"]:
        segments = segments[1:]
    if kind is ChannelKind.LINE:
        # line.me/R/ti/p/~linedeveloper or line.me/ti/p/@official
        tail = segments[-1] if segments and segments[-2:-1] == ["p"] else ""
        return _normalize_username(kind, raw, tail.removeprefix("~")) if tail else unrecognised
    if not segments or segments[0].lower() in _RESERVED_FIRST_SEGMENTS:
        return unrecognised
    return _normalize_username(kind, raw, segments[0])


def _email_link(handle: NormalizedHandle, text: str | None, subject: str | None) -> str:
    # RFC 6068: the address and every header value are percent-encoded, so "?" or "&" cannot add headers.
    fields = [
        f"{name}={quote(value, safe='')}" for name, value in (("subject", subject), ("body", text)) if value
    ]
    query = "?" + "&".join(fields) if fields else ""
    return f"mailto:{quote(handle.value, safe='@')}{query}"


def _with_text(url: str, text: str | None) -> str:
    return f"{url}?text={quote(text, safe='')}" if text else url


def _digits(handle: NormalizedHandle) -> str:
    return handle.value.removeprefix("+")


_LinkBuilder = Callable[[NormalizedHandle, str | None, str | None], str | None]

_LINK_BUILDERS: dict[ChannelKind, _LinkBuilder] = {
    ChannelKind.EMAIL: _email_link,
    ChannelKind.PHONE: lambda handle, _text, _subject: f"tel:{handle.value}",
    # The sms: body parameter differs between iOS ("&body=") and Android ("?body="), so none is added.
    ChannelKind.SMS: lambda handle, _text, _subject: f"sms:{handle.value}",
    ChannelKind.WHATSAPP: lambda handle, text, _subject: _with_text(f"https://wa.me/{_digits(handle)}", text),
    ChannelKind.SKYPE: lambda handle, _text, _subject: f"skype:{handle.value}?chat",
    ChannelKind.TELEGRAM: lambda handle, _text, _subject: (
        f"tg://resolve?phone={_digits(handle)}"
        if handle.form is HandleForm.PHONE
        else f"https://t.me/{handle.value}"
    ),
    ChannelKind.MESSENGER: lambda handle, _text, _subject: f"https://m.me/{handle.value}",
    ChannelKind.VIBER: lambda handle, _text, _subject: f"viber://chat?number=%2B{_digits(handle)}",
    ChannelKind.LINE: lambda handle, _text, _subject: (
        f"https://line.me/R/ti/p/{handle.value}"
        if handle.value.startswith("@")
        else f"https://line.me/R/ti/p/~{handle.value}"
    ),
    ChannelKind.LINKEDIN: lambda handle, _text, _subject: f"https://www.linkedin.com/{handle.value}/",
    ChannelKind.FACEBOOK: lambda handle, _text, _subject: (
        f"https://www.facebook.com/profile.php?id={handle.value}"
        if handle.value.isdigit()
        else f"https://www.facebook.com/{handle.value}"
    ),
    ChannelKind.INSTAGRAM: lambda handle, _text, _subject: f"https://www.instagram.com/{handle.value}/",
    ChannelKind.TWITTER: lambda handle, _text, _subject: f"https://x.com/{handle.value}",
    ChannelKind.TIKTOK: lambda handle, _text, _subject: f"https://www.tiktok.com/@{handle.value}",
    ChannelKind.YOUTUBE: lambda handle, _text, _subject: f"https://www.youtube.com/{handle.value}",
    ChannelKind.SNAPCHAT: lambda handle, _text, _subject: f"https://www.snapchat.com/add/{handle.value}",
    # sms: opens Messages, which sends as iMessage when the number has it; imessage: is Apple-only.
    ChannelKind.APPLE_MESSAGES: lambda handle, _text, _subject: (
        f"sms:{handle.value}"
        if handle.form is HandleForm.PHONE
        else f"imessage:{quote(handle.value, safe='@')}"
    ),
    # WeChat, KakaoTalk, Discord and Google Chat have no public link that opens a chat with a user.
}

_ALLOWED_LINK_SCHEMES: dict[ChannelKind, frozenset[str]] = {
    ChannelKind.EMAIL: frozenset({"mailto"}),
    ChannelKind.PHONE: frozenset({"tel"}),
    ChannelKind.SMS: frozenset({"sms"}),
    ChannelKind.SKYPE: frozenset({"skype"}),
    ChannelKind.TELEGRAM: frozenset({"https", "tg"}),
    ChannelKind.VIBER: frozenset({"viber"}),
    ChannelKind.APPLE_MESSAGES: frozenset({"sms", "imessage"}),
}


def _is_safe_link(link: str, kind: ChannelKind) -> bool:
    # Last line of defence: whatever a builder produced must use the scheme expected for its channel.
    if any(ord(character) <= 32 or ord(character) == 127 for character in link):
        return False
    scheme = link.split(":", 1)[0].lower()
    return scheme in _ALLOWED_LINK_SCHEMES.get(kind, frozenset({"https"}))
