"""What a board card says about a lead: flag, local time, badges, waiting days, and the column pagination."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from phonenumbers.geodata.locale import LOCALE_DATA

from followups import timing

_CHECKING_STATUSES = frozenset({"pending", "running"})
_REGIONAL_INDICATOR_A = 0x1F1E6

# phonenumbers ships English country names; a few are dated or long for a card's tooltip.
_NAME_OVERRIDES = {
    "CD": "DR Congo",
    "CZ": "Czechia",
    "MK": "North Macedonia",
    "TR": "Türkiye",
    "SZ": "Eswatini",
}
# Not ISO 3166-1 codes any more, so never offered.
_RETIRED_CODES = frozenset({"AN"})

COUNTRY_NAMES: dict[str, str] = dict(
    sorted(
        (
            (code, _NAME_OVERRIDES.get(code, names["aa"]))
            for code, names in LOCALE_DATA.items()
            if len(code) == 2 and code not in _RETIRED_CODES
        ),
        key=lambda item: item[1],
    )
)

# Reason codes the checks store, as a rep reads them; an unknown code falls back to a readable form of itself.
REASON_TEXTS: dict[str, str] = {
    "syntax": "The address is not well formed",
    "domain_nxdomain": "The email domain does not exist",
    "null_mx": "The domain says it accepts no mail (null MX)",
    "no_mail_host": "The domain has no mail server",
    "implicit_mx": "No MX record; mail would go to the domain's own address",
    "dns_servfail": "DNS failed to answer (SERVFAIL)",
    "dns_timeout": "DNS did not answer in time",
    "dns_error": "DNS lookup error",
    "dns_unchecked": "DNS was not checked",
    "smtp_accepted": "The mail server accepted the mailbox",
    "smtp_rejected": "The mail server rejected the mailbox",
    "catch_all": "The mail server accepts any address (catch-all)",
    "smtp_temp_failure": "The mail server answered with a temporary failure",
    "smtp_timeout": "The mail server did not answer in time",
    "smtp_connection_failed": "Could not connect to the mail server",
    "smtp_inconclusive": "The mail server's answer was inconclusive",
    "disposable": "Disposable (throwaway) email provider",
    "free_provider": "Free email provider (Gmail, Outlook, QQ...)",
    "role_account": "Role account (info@, sales@...), not a person",
    # Website checks
    "no_website": "No website given or found",
    "url_invalid": "The website address is not a valid URL",
    "invalid_url": "The website address is not a valid URL",
    "parking_nameservers": "The domain uses a parking service's nameservers",
    "redirect_to_parking": "The site redirects to a domain-parking page",
    "for_sale_text": "The page offers the domain for sale",
    "parking_text": "The page is a domain-parking page",
    "default_server_page": "A web server's default page, no real site",
    "coming_soon": "A 'coming soon' or 'under construction' page",
    "near_empty": "The page is nearly empty",
    "script_rendered": "The page only renders with JavaScript",
    "non_html_content": "The site returns no HTML page",
    "non_public_address": "The site resolves to a private address (not fetched)",
    "blocked_address": "The site resolves to a private address (not fetched)",
    "blocked_redirect": "The site redirects to a blocked address",
    "blocked_port": "The site uses a port that is not checked",
    "blocked_scheme": "The site redirects to a non-web address",
    "bad_redirect": "The site sends a broken redirect",
    "http_not_found": "The page is not found (404)",
    "http_gone": "The page is gone (410)",
    "http_server_error": "The server fails (5xx)",
    "http_unavailable": "The server is unavailable (503)",
    "http_unauthorized": "The site asks for a login (401)",
    "http_forbidden": "The site refuses automated visits (403)",
    "http_rate_limited": "The site limits automated visits (429)",
    "http_client_error": "The site answers with a client error (4xx)",
    "http_unexpected_status": "The site answers with an unexpected status",
    "content": "The site has real content",
    "dns_nxdomain": "The domain does not exist",
    "dns_no_address": "The domain has no web address",
    "connect_refused": "The server refuses connections",
    "connect_timeout": "The server did not accept a connection in time",
    "connect_error": "Could not connect to the server",
    "read_timeout": "The server stopped answering",
    "total_timeout": "The site took too long to load",
    "too_many_redirects": "Too many redirects",
    "tls_error": "The secure connection failed",
    "tls_invalid": "The site's TLS certificate is not valid",
    "redirected_offsite": "The site redirects to another domain",
    "thin_content": "The site has very little content",
    "email_domain_mismatch": "The email domain differs from the website's",
    "http_error": "The site's answer was broken",
    # Authenticity
    "email_check_inconclusive": "The email check was inconclusive; it will be re-checked",
    "website_check_inconclusive": "The website check was inconclusive; it will be re-checked",
    "website_dead": "The website is dead",
    "website_parked": "The website is a parked domain",
    "website_placeholder": "The website is a placeholder page",
    "no_email": "No email address",
    "email_undeliverable": "The email address cannot receive mail",
    "email_disposable": "A throwaway email address",
    "email_risky": "The email address is risky",
    "free_email": "A free-mail address",
    "email_website_mismatch": "The email domain does not match the website",
    "website_redirects_offsite": "The website redirects to an unrelated domain",
    "inquiry_specific": "The inquiry names specific products or quantities",
    "inquiry_generic": "The inquiry is generic",
    "email_and_website_confirm": "A deliverable email and a live website that match",
    "demo_data": "Demo data",
}


def reason_text(code: str) -> str:
    """A reason code as a rep reads it."""
    if code in REASON_TEXTS:
        return REASON_TEXTS[code]
    readable = str(code).replace("_", " ").replace("-", " ").strip()
    return readable[:1].upper() + readable[1:] if readable else "Unknown reason"


def flag(country: str) -> str:
    """The flag emoji of an ISO 3166-1 alpha-2 code (two regional indicator symbols), or ''."""
    code = (country or "").strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return ""
    return "".join(chr(_REGIONAL_INDICATOR_A + ord(letter) - ord("A")) for letter in code)


def country_name(country: str) -> str:
    code = (country or "").strip().upper()
    return COUNTRY_NAMES.get(code, code)


def waiting_days(
    last_outbound_at: datetime | None, last_inbound_at: datetime | None, now: datetime
) -> int | None:
    """Whole days since our last message when they have not answered it; None when the ball is in our court."""
    if last_outbound_at is None:
        return None
    if last_inbound_at is not None and last_inbound_at >= last_outbound_at:
        return None
    return max(0, (now - last_outbound_at).days)


@functools.lru_cache(maxsize=2048)
def _calendar(country: str, subdivision: str, tz: str) -> timing.BusinessCalendar:
    return timing.calendar_for(country or None, subdivision or None, tz or None)


@dataclass(frozen=True, slots=True)
class LocalDay:
    local_time: datetime | None  # the contact's wall clock now; None when no country or zone is known
    is_after_hours: bool
    holiday: str | None  # today's public holiday in their country, if any
    is_on_vacation: bool


def local_day(
    now: datetime,
    country: str,
    subdivision: str = "",
    tz: str = "",
    vacation_from: date | None = None,
    vacation_until: date | None = None,
) -> LocalDay:
    """The contact's local time now, and whether today is a holiday or a vacation day for them."""
    if not country and not tz:
        return LocalDay(None, False, None, False)
    cal = _calendar(country.upper(), subdivision.upper(), tz)
    local = timing.local_time(now, cal)
    today = local.date()
    is_on_vacation = vacation_until is not None and vacation_until >= today
    if is_on_vacation and vacation_from is not None and vacation_from > today:
        is_on_vacation = False
    return LocalDay(
        local_time=local,
        is_after_hours=not timing.is_business_time(now, cal),
        holiday=timing.holiday_name(today, cal),
        is_on_vacation=is_on_vacation,
    )


@dataclass(frozen=True, slots=True)
class Labels:
    """Display labels of the stored choice values (from the models' choices)."""

    stage: Mapping[str, str]
    source: Mapping[str, str]
    email_verdict: Mapping[str, str]
    website_verdict: Mapping[str, str]
    authenticity: Mapping[str, str]
    channel: Mapping[str, str]
    customer_category: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Viewer:
    id: int
    is_manager: bool


@dataclass(frozen=True, slots=True)
class Badge:
    css: str
    text: str
    title: str = ""


# Verdicts as a rep reads them on a card, where there is no room for "Email:" and "Website:" prefixes.
_EMAIL_BADGES = {
    "valid": "Email valid",
    "invalid": "Email invalid",
    "risky": "Email risky",
    "unknown": "Email unclear",
}
_WEBSITE_BADGES = {
    "live": "Site live",
    "dead": "Site dead",
    "parked": "Site parked",
    "placeholder": "Site placeholder",
    "unknown": "Site unclear",
    "none": "No website",
}


@dataclass(frozen=True, slots=True)
class Card:
    """Everything one board card shows, as display-ready values (a card renders with few template lookups)."""

    id: int
    stage: str
    stage_label: str
    company: str
    contact_label: str
    country: str
    flag: str
    country_name: str
    local: LocalDay
    local_label: str  # "14:05", their wall clock
    local_css: str
    fit_score: int | None
    fit_tier: str
    fit_label: str
    source_label: str
    owner_id: int | None
    owner_name: str
    received_at: datetime
    waiting_days: int | None
    check_status: str
    is_checking: bool
    junk_reason: str  # only for junk cards
    snoozed_until: datetime | None
    customer_category_label: str
    badges: tuple[Badge, ...]  # verdicts, holiday, vacation, category, snooze
    meta: tuple[Badge, ...]  # source, waiting days, next follow-up, offer
    can_edit: bool
    can_claim: bool
    can_assign: bool
    css: str  # state classes of the card element
    cursor: str
    urls: Mapping[str, str]

    @property
    def is_in_pool(self) -> bool:
        return self.owner_id is None


def card_from_row(
    row: Mapping[str, Any],
    now: datetime,
    viewer: Viewer,
    labels: Labels,
    tz: tzinfo = UTC,
    urls: Mapping[str, str] | None = None,
) -> Card:
    """A display-ready card from one board row (the keys `queries.CARD_VALUES` selects).

    `tz` is the zone the rep reads dates in; `urls` the card's links, built by the caller.
    """
    country = row["contact_country"] or row["company_country"] or ""
    # The company's subdivision says nothing about a contact who lives in another country.
    subdivision = (row["company_subdivision"] or "") if country == row["company_country"] else ""
    local = local_day(
        now,
        country,
        subdivision,
        row["contact_time_zone"] or "",
        row["contact_vacation_from"],
        row["contact_vacation_until"],
    )
    owner_id = row["owner_id"]
    is_own = owner_id is not None and owner_id == viewer.id
    snoozed_until = row["snoozed_until"] if row["snoozed_until"] and row["snoozed_until"] > now else None
    is_checking = row["check_status"] in _CHECKING_STATUSES
    category = labels.customer_category.get(row["customer_category"], "") if row["customer_category"] else ""
    waiting = waiting_days(row["last_outbound_at"], row["last_inbound_at"], now)
    source_label = labels.source.get(row["source"], row["source"])
    name = country_name(country)
    css = " ".join(
        name for name, is_on in (("is-checking", is_checking), ("is-pool", owner_id is None)) if is_on
    )
    return Card(
        id=row["id"],
        stage=row["stage"],
        stage_label=labels.stage.get(row["stage"], row["stage"]),
        company=row["company_name"] or row["company_domain"] or f"Company {row['company_id']}",
        contact_label=row["contact_name"] or row["contact_email"] or "No contact",
        country=country,
        flag=flag(country),
        country_name=name,
        local=local,
        local_label=f"{local.local_time:%H:%M}" if local.local_time else "",
        local_css="after-hours" if local.is_after_hours else "",
        fit_score=row["company_fit_score"],
        fit_tier=row["company_fit_tier"] or "",
        fit_label="" if row["company_fit_score"] is None else str(row["company_fit_score"]),
        source_label=source_label,
        owner_id=owner_id,
        owner_name=_person(row),
        received_at=row["received_at"],
        waiting_days=waiting,
        check_status=row["check_status"],
        is_checking=is_checking,
        junk_reason=(row["junk_reason"] or "") if row["stage"] == "junk" else "",
        snoozed_until=snoozed_until,
        customer_category_label=category,
        badges=_badges(row, labels, local, is_checking, category, snoozed_until, tz),
        meta=_meta(row, labels, now, waiting, source_label, tz),
        can_edit=viewer.is_manager or is_own,
        can_claim=owner_id is None,
        can_assign=viewer.is_manager,
        css=css,
        cursor=encode_cursor(row["received_at"], row["id"]),
        urls=urls or {},
    )


def _badges(
    row: Mapping[str, Any],
    labels: Labels,
    local: LocalDay,
    is_checking: bool,
    category: str,
    snoozed_until: datetime | None,
    tz: tzinfo,
) -> tuple[Badge, ...]:
    badges = []
    if is_checking:
        badges.append(Badge("info checking", "Checking"))
    else:
        if email := row["contact_email_verdict"]:
            badges.append(Badge(f"v-{email}", _EMAIL_BADGES.get(email, f"Email {email}")))
        if website := row["company_website_verdict"]:
            badges.append(Badge(f"v-{website}", _WEBSITE_BADGES.get(website, f"Site {website}")))
        if row["check_status"] == "failed":
            badges.append(Badge("bad", "Check failed"))
    authenticity = row["authenticity"]
    if authenticity and authenticity != "genuine":
        badges.append(Badge(f"v-{authenticity}", labels.authenticity.get(authenticity, authenticity)))
    if local.holiday:
        badges.append(Badge("holiday", f"Holiday: {local.holiday}"))
    if local.is_on_vacation:
        until = row["contact_vacation_until"]
        badges.append(Badge("vacation", f"Away until {until:%d %b}" if until else "On vacation"))
    if category:
        badges.append(Badge("category", category))
    if snoozed_until:
        badges.append(Badge("muted", f"Snoozed to {snoozed_until.astimezone(tz):%d %b}"))
    return tuple(badges)


def _meta(
    row: Mapping[str, Any], labels: Labels, now: datetime, waiting: int | None, source_label: str, tz: tzinfo
) -> tuple[Badge, ...]:
    meta = [Badge("source", source_label)]
    if waiting is not None:
        meta.append(Badge("waiting long" if waiting >= 7 else "waiting", f"{waiting} d waiting"))
    if next_at := row["next_followup_at"]:
        channel = labels.channel.get(row["next_followup_channel"] or "", "")
        is_overdue = next_at < now
        css = (
            "followup"
            + (" overdue" if is_overdue else "")
            + (" urgent" if row["next_followup_urgent"] else "")
        )
        text = ("Overdue " if is_overdue else "Next ") + f"{next_at.astimezone(tz):%d %b}"
        meta.append(Badge(css, text + (f" · {channel}" if channel else "")))
    offer_until = row["offer_valid_until"]
    if row["offer_title"] and offer_until and offer_until > now:
        days = (offer_until - now).days
        meta.append(
            Badge("offer", f"Offer · {days} d left" if days else "Offer ends today", row["offer_title"])
        )
    return tuple(meta)


def _person(row: Mapping[str, Any]) -> str:
    if row["owner_id"] is None:
        return ""
    full = f"{row['owner_first_name'] or ''} {row['owner_last_name'] or ''}".strip()
    return full or row["owner_username"] or ""


# --- Column pagination ----------------------------------------------------------------
# Columns are ordered newest first, ties broken by id ascending (the order of the stage index),
# and continue after a cursor "<received_at in µs since the epoch>.<id>" (keyset pagination).


def encode_cursor(received_at: datetime, lead_id: int) -> str:
    micros = round((received_at - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() * 1_000_000)
    return f"{micros}.{lead_id}"


def decode_cursor(text: str) -> tuple[datetime, int] | None:
    """The (received_at, id) a cursor stands for; None for anything malformed."""
    micros_text, _, id_text = (text or "").partition(".")
    if not (micros_text.lstrip("-").isdigit() and id_text.isdigit()) or len(micros_text) > 20:
        return None
    try:
        received_at = datetime.fromtimestamp(int(micros_text) / 1_000_000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return received_at, int(id_text)


@dataclass(frozen=True, slots=True)
class ColumnPage:
    stage: str
    ids: tuple[int, ...]  # newest first
    has_more: bool
    count: int | None  # matching leads in the column; None when not counted
    is_count_capped: bool = False  # count is a lower bound ("1,000+")


def rank_columns(
    rows: Iterable[tuple[int, str, Any]], stages: Sequence[str], per_page: int
) -> dict[str, ColumnPage]:
    """Split a small, complete match set into column pages with exact counts.

    Rows are (id, stage, received key), the key being anything that sorts like received_at.
    """
    by_stage: dict[str, list[tuple[Any, int]]] = {stage: [] for stage in stages}
    for lead_id, stage, received_at in rows:
        if stage in by_stage:
            by_stage[stage].append((received_at, lead_id))
    pages = {}
    for stage, items in by_stage.items():
        items.sort(key=lambda item: (item[0], -item[1]), reverse=True)
        pages[stage] = ColumnPage(
            stage=stage,
            ids=tuple(lead_id for _, lead_id in items[:per_page]),
            has_more=len(items) > per_page,
            count=len(items),
        )
    return pages


def web_href(url: str) -> str | None:
    """The URL if it is plainly http(s) and so safe in an href; None for javascript:, data: and the like."""
    text = (url or "").strip()
    if any(ord(character) <= 32 or ord(character) == 127 for character in text):
        return None
    return text if text.lower().startswith(("https://", "http://")) else None
