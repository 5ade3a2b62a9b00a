"""Rows in, core values out: the contact's calendar, reply history and auto-reply holds, and why a lead is silent.

Shared by the scheduler, "My follow-ups", the lead page, the board and the dashboard, so each of them
reads a contact's calendar the same way. The `*_from_*` builders take plain values (no queries) for
callers that load rows in bulk; the `*_for_*` helpers take model instances and run at most one query.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, F, JSONField, Q, QuerySet, TextField, Value, When
from django.db.models.fields.json import KeyTransform

from channels_ref.catalogue import CATALOGUE, ChannelKind, NormalizedHandle, chat_link, normalize_handle
from channels_ref.queries import Rankings, load_rankings
from channels_ref.recommend import Recommendation
from followups.autoreply import AutoReply, detect_auto_reply
from followups.cadence import hold_from_auto_reply
from followups.history import Direction, MessageEvent, ReplyHistory, summarize_replies
from followups.models import Activity
from followups.timing import BusinessCalendar, DateRange, SilenceExplanation, calendar_for, explain_silence
from leads.models import Contact, ContactChannel, Lead, Stage

# Kinds of activity that reach the contact (or come from them); notes and system rows do not.
MESSAGE_KINDS = (Activity.Kind.MESSAGE, Activity.Kind.CALL)
# An out-of-office note older than this says nothing about the contact's present.
AUTO_REPLY_RELEVANCE = timedelta(days=366)
FINISHED_STAGES = (Stage.WON, Stage.JUNK)


# --- calendars ----------------------------------------------------------------------------------------


def subdivision_code(country: str, subdivision: str) -> str | None:
    """The `holidays` package's subdivision code from an ISO 3166-2 value ("US-CA" or "CA")."""
    value = (subdivision or "").strip().upper()
    prefix = f"{(country or '').strip().upper()}-"
    return value.removeprefix(prefix) or None


def vacation_window(vacation_from: date | None, vacation_until: date | None) -> DateRange | None:
    """The contact's recorded absence; `vacation_until` is their last day away.

    With only a start, the absence lasts the default hold (LEADS_VACATION_HOLD_DAYS); with only an end,
    it is taken to be that day alone, since nothing says when it began.
    """
    first = vacation_from or vacation_until
    if first is None:
        return None
    last = vacation_until or first + timedelta(days=settings.LEADS_VACATION_HOLD_DAYS - 1)
    return DateRange(first=first, last=last) if last >= first else None


def calendar_from_fields(
    country: str,
    subdivision: str = "",
    time_zone: str = "",
    vacation_from: date | None = None,
    vacation_until: date | None = None,
    holds: Sequence[DateRange] = (),
) -> BusinessCalendar:
    """The contact's business calendar from plain column values; `holds` are extra away days (auto-replies)."""
    window = vacation_window(vacation_from, vacation_until)
    vacations = (*((window,) if window else ()), *holds)
    code = (country or "").strip().upper() or None
    return _calendar(code, subdivision_code(code or "", subdivision), time_zone.strip() or None, vacations)


@functools.lru_cache(maxsize=4096)
def _calendar(
    country: str | None, subdivision: str | None, time_zone: str | None, vacations: tuple[DateRange, ...]
) -> BusinessCalendar:
    # Many contacts share a country and zone; the calendar is immutable, so one copy serves them all.
    cal = calendar_for(country, subdivision, time_zone, vacations)
    # ZoneInfo keeps only a few zones strongly cached; a batch spanning thirty countries would reread
    # the zone files from disk over and over without these references.
    _ZONES_IN_USE.setdefault(cal.tz, cal.zone)
    return cal


_ZONES_IN_USE: dict[str, ZoneInfo] = {}


def contact_country(contact: Contact | None, lead: Lead | None = None) -> str:
    """The contact's own country, else their company's."""
    if contact is not None and contact.country:
        return contact.country
    if contact is not None:
        return contact.company.country
    return lead.company.country if lead is not None else ""


def calendar_for_contact(contact: Contact, holds: Sequence[DateRange] = ()) -> BusinessCalendar:
    """The contact's calendar: their zone (or their country's), the company's country and subdivision, vacations."""
    company = contact.company
    return calendar_from_fields(
        contact.country or company.country,
        company.subdivision,
        contact.time_zone,
        contact.vacation_from,
        contact.vacation_until,
        holds,
    )


# --- reply history ------------------------------------------------------------------------------------


def events_from_rows(rows: Iterable[Mapping[str, Any]]) -> tuple[MessageEvent, ...]:
    """Message events from Activity values (direction, kind, channel, occurred_at, is_auto_reply).

    Auto-replies are no answer, and rows on a channel the catalogue does not know cannot be ranked.
    """
    events: list[MessageEvent] = []
    for row in rows:
        if row["kind"] not in MESSAGE_KINDS or row["is_auto_reply"]:
            continue
        direction = _DIRECTIONS.get(row["direction"])
        channel = _channel(row["channel"])
        if direction is None or channel is None:
            continue
        events.append(MessageEvent(at=row["occurred_at"], direction=direction, channel=channel))
    return tuple(events)


_DIRECTIONS = {Activity.Direction.OUTBOUND: Direction.OUTBOUND, Activity.Direction.INBOUND: Direction.INBOUND}
HISTORY_FIELDS = ("direction", "kind", "channel", "occurred_at", "is_auto_reply")


def history_for_contact(contact: Contact, cal: BusinessCalendar | None = None) -> ReplyHistory:
    """How this contact has answered before, over every lead they are on (one query)."""
    cal = cal or calendar_for_contact(contact)
    rows = Activity.objects.filter(contact=contact, kind__in=MESSAGE_KINDS).values(*HISTORY_FIELDS)
    return summarize_replies(events_from_rows(rows), cal.tz)


# --- auto-reply holds -----------------------------------------------------------------------------------


def auto_reply_from_row(
    metadata: Mapping[str, Any], subject: str, body: str, received_at: datetime
) -> AutoReply | None:
    """The out-of-office facts of a logged auto-reply: as stored at logging time, else read from its text.

    A message a person marked as an auto-reply whose text shows nothing is still an absence: the
    default hold applies.
    """
    stored = metadata.get("auto_reply") if isinstance(metadata, Mapping) else None
    hold_days = settings.LEADS_VACATION_HOLD_DAYS
    if isinstance(stored, Mapping):
        return_date = _date(stored.get("return_date"))
        is_vacation = bool(stored.get("is_vacation"))
        return AutoReply(
            is_vacation=is_vacation,
            return_date=return_date,
            language=stored.get("language"),
            matched=str(stored.get("matched", "")),
            hold_until=(return_date + timedelta(days=1))
            if return_date
            else received_at.date() + timedelta(days=hold_days if is_vacation else 0),
        )
    headers = metadata.get("headers", {}) if isinstance(metadata, Mapping) else {}
    found = detect_auto_reply(
        headers if isinstance(headers, Mapping) else {}, subject, body, received_at, hold_days
    )
    if found is not None:
        return found
    return AutoReply(
        is_vacation=True,
        return_date=None,
        language=None,
        matched="marked as an auto-reply",
        hold_until=received_at.date() + timedelta(days=hold_days),
    )


def auto_reply_metadata(auto_reply: AutoReply) -> dict[str, Any]:
    """What is stored on the Activity (the mailbox importer writes the same shape)."""
    return {
        "is_vacation": auto_reply.is_vacation,
        "return_date": auto_reply.return_date.isoformat() if auto_reply.return_date else None,
        "matched": auto_reply.matched,
        "language": auto_reply.language,
    }


def holds_from_auto_replies(
    auto_replies: Iterable[tuple[AutoReply, datetime]], cal: BusinessCalendar, now: datetime
) -> tuple[DateRange, ...]:
    """The away days announced by (auto-reply, received_at) pairs received in the last year."""
    holds: list[DateRange] = []
    for auto_reply, received_at in auto_replies:
        if now - received_at > AUTO_REPLY_RELEVANCE:
            continue
        hold = hold_from_auto_reply(auto_reply, cal, received_at, settings.LEADS_VACATION_HOLD_DAYS)
        if hold is not None:
            holds.append(hold)
    return tuple(holds)


# --- rows in bulk ------------------------------------------------------------------------------------------


def message_rows(
    lead_ids: Iterable[int] | QuerySet[Any], contact_ids: Iterable[int] | QuerySet[Any], also: Q | None = None
) -> list[dict[str, Any]]:
    """Messages on the leads and by the contacts (plus rows matching `also`), in one query.

    The ids may be lists or subqueries (`values("id")`), which spare the database a long IN list.
    Bodies and metadata (which may hold a whole HTML mail) are read only for inbound auto-replies whose
    facts were never stored: the rest is not needed to time a follow-up.
    """
    is_auto = Q(is_auto_reply=True, direction=Activity.Direction.INBOUND)
    unread = is_auto & ~Q(metadata__has_key="auto_reply")
    relevant = Q(kind__in=MESSAGE_KINDS) | also if also is not None else Q(kind__in=MESSAGE_KINDS)
    return list(
        Activity.objects.filter(Q(lead_id__in=lead_ids) | Q(contact_id__in=contact_ids))
        .filter(relevant)
        .values(
            "id",
            "lead_id",
            "contact_id",
            *HISTORY_FIELDS,
            auto_reply=Case(
                When(is_auto, then=KeyTransform("auto_reply", "metadata")),
                default=Value(None),
                output_field=JSONField(),
            ),
            auto_metadata=Case(
                When(unread, then=F("metadata")), default=Value(None), output_field=JSONField()
            ),
            auto_subject=Case(When(unread, then=F("subject")), default=Value(""), output_field=TextField()),
            auto_body=Case(When(unread, then=F("body")), default=Value(""), output_field=TextField()),
        )
    )


def auto_replies_in(rows: Iterable[dict[str, Any]]) -> list[tuple[AutoReply, datetime]]:
    """(auto-reply, received_at) pairs of the inbound auto-replies among `message_rows` rows.

    A note whose facts were never stored is read from its text here, and the facts are put on its row
    (`auto_reply`, with `auto_reply_read` set) so the caller can store them once: see `store_auto_reply_facts`.
    """
    found = []
    for row in rows:
        if row["direction"] != Activity.Direction.INBOUND or not row["is_auto_reply"]:
            continue
        if row["auto_reply"]:
            auto = auto_reply_from_row({"auto_reply": row["auto_reply"]}, "", "", row["occurred_at"])
        else:
            auto = auto_reply_from_row(
                row["auto_metadata"] or {},
                row["auto_subject"] or "",
                row["auto_body"] or "",
                row["occurred_at"],
            )
            if auto is not None:
                row["auto_reply"], row["auto_reply_read"] = auto_reply_metadata(auto), True
        if auto is not None:
            found.append((auto, row["occurred_at"]))
    return found


def store_auto_reply_facts(rows: Iterable[Mapping[str, Any]]) -> int:
    """Keep the facts `auto_replies_in` read from notes' text on their rows, so no run reads them again."""
    changed = [
        Activity(pk=row["id"], metadata={**(row["auto_metadata"] or {}), "auto_reply": row["auto_reply"]})
        for row in rows
        if row.get("auto_reply_read")
    ]
    if changed:
        Activity.objects.bulk_update(changed, ["metadata"])
    return len(changed)


def silences_for_leads(leads: Sequence[Lead], now: datetime) -> dict[int, LeadSilence]:
    """`explain_lead_silence` for many leads (with contact and company loaded): one query whatever their number."""
    awaiting = [lead for lead in leads if is_awaiting_reply(lead) and lead.contact_id]
    if not awaiting:
        return {}
    rows = message_rows(
        [lead.pk for lead in awaiting], sorted({lead.contact_id for lead in awaiting if lead.contact_id})
    )
    by_lead: dict[int, list[dict[str, Any]]] = {}
    by_contact: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_lead.setdefault(row["lead_id"], []).append(row)
        if row["contact_id"]:
            by_contact.setdefault(row["contact_id"], []).append(row)
    silences = {}
    for lead in awaiting:
        contact, sent_at = lead.contact, lead.last_outbound_at
        if contact is None or sent_at is None:  # narrowed by `awaiting`; says so to the type checker
            continue
        base = calendar_for_contact(contact)
        cal = calendar_for_contact(
            contact, holds_from_auto_replies(auto_replies_in(by_lead.get(lead.pk, [])), base, now)
        )
        history = summarize_replies(events_from_rows(by_contact.get(contact.pk, [])), cal.tz)
        explanation = explain_silence(sent_at, max(now, sent_at), cal, history, settings.SALES_OFFICE_TZ)
        silences[lead.pk] = LeadSilence(
            explanation=explanation,
            calendar=cal,
            history=history,
            sent_at=sent_at,
            history_contact_id=contact.pk,
        )
    return silences


def links_for_contacts(
    contacts: Sequence[Contact], histories: Mapping[int, ReplyHistory] | None = None
) -> dict[int, list[ChannelLink]]:
    """`channel_links` for many contacts (company loaded): one query for their channels."""
    rows: dict[int, list[ContactChannel]] = {}
    for channel in ContactChannel.objects.filter(
        contact_id__in=[contact.pk for contact in contacts]
    ).order_by("pk"):
        rows.setdefault(channel.contact_id, []).append(channel)
    rankings = load_rankings()
    return {
        contact.pk: channel_links(
            contact, (histories or {}).get(contact.pk), rankings, channel_rows=rows.get(contact.pk, [])
        )
        for contact in contacts
    }


# --- why a lead is silent ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LeadSilence:
    explanation: SilenceExplanation
    calendar: BusinessCalendar
    history: ReplyHistory
    sent_at: datetime  # our last message, unanswered
    history_contact_id: int | None = None  # whose replies `history` summarises


def is_awaiting_reply(lead: Lead) -> bool:
    """Our last message has had no real answer (auto-replies do not count) and the lead is still open."""
    if lead.last_outbound_at is None or lead.stage in FINISHED_STAGES:
        return False
    return lead.last_inbound_at is None or lead.last_inbound_at < lead.last_outbound_at


def explain_lead_silence(lead: Lead, now: datetime) -> LeadSilence | None:
    """Why the lead has not answered our last message, and when to try next; None when nothing is awaited.

    Reads the contact's calendar (with vacations and auto-reply holds) and reply history in one query.
    """
    return silences_for_leads([lead], now).get(lead.pk)


# --- channels and links -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChannelLink:
    kind: ChannelKind
    label: str
    display: str  # the handle as a person reads it
    link: str | None  # click-to-chat (or profile) link; None where the channel has none
    position: int | None  # 1 = try first; None for a channel the recommendation left out
    reason: str
    is_instant_messaging: bool
    is_discontinued: bool


def available_channels(
    contact: Contact, channel_rows: Iterable[ContactChannel] | None = None
) -> list[ChannelKind]:
    """The channels the contact has a handle for (their email address counts as one)."""
    rows = channel_rows if channel_rows is not None else contact.channels.all()
    kinds = [ChannelKind.EMAIL] if contact.email else []
    for row in rows:
        kind = _channel(row.kind)
        if kind is not None and kind not in kinds:
            kinds.append(kind)
    return kinds


def handles_of(
    contact: Contact, channel_rows: Iterable[ContactChannel] | None = None
) -> list[NormalizedHandle]:
    """Every stored handle of the contact, validated again; a value that no longer passes is left out."""
    rows = list(channel_rows if channel_rows is not None else contact.channels.all())
    country = contact.country or contact.company.country or None
    raw: list[tuple[ChannelKind, str]] = [(ChannelKind.EMAIL, contact.email)] if contact.email else []
    raw += [(kind, row.normalized or row.value) for row in rows if (kind := _channel(row.kind)) is not None]
    handles: list[NormalizedHandle] = []
    for kind, value in raw:
        handle = normalize_handle(kind, value, country)
        if isinstance(handle, NormalizedHandle) and handle not in handles:
            handles.append(handle)
    return handles


def channel_links(
    contact: Contact,
    history: ReplyHistory | None = None,
    rankings: Rankings | None = None,
    text: str | None = None,
    subject: str | None = None,
    channel_rows: Iterable[ContactChannel] | None = None,
) -> list[ChannelLink]:
    """Every channel of the contact with its link, recommended ones first (country ranking, then history).

    `text`/`subject` pre-fill the message where the channel's link supports it.
    """
    rows = list(channel_rows if channel_rows is not None else contact.channels.all())
    rankings = rankings or load_rankings()
    handles = handles_of(contact, rows)
    country = contact.country or contact.company.country or None
    recommendation = rankings.recommend(country, [handle.kind for handle in handles], history)
    ranked = {item.kind: item for item in recommendation.channels}
    links = []
    for handle in handles:
        info = CATALOGUE[handle.kind]
        item = ranked.get(handle.kind)
        links.append(
            ChannelLink(
                kind=handle.kind,
                label=info.label,
                display=handle.display,
                link=chat_link(handle, text=text, subject=subject),
                position=item.position if item else None,
                reason=item.reason if item else "",
                is_instant_messaging=info.is_instant_messaging,
                is_discontinued=info.is_discontinued,
            )
        )
    return sorted(links, key=lambda link: (link.position is None, link.position or 0))


def ask_for(
    contact: Contact, history: ReplyHistory | None = None, rankings: Rankings | None = None
) -> list[str]:
    """Labels of popular chat apps in the contact's country that they have not given us."""
    rankings = rankings or load_rankings()
    country = contact.country or contact.company.country or None
    recommendation = rankings.recommend(country, available_channels(contact), history)
    return [CATALOGUE[kind].label for kind in recommendation.ask_for]


def _channel(value: str) -> ChannelKind | None:
    try:
        return ChannelKind(value)
    except ValueError:
        return None


def _date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


# --- one message, no rows: the `nonreply` command ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MessageSilence:
    explanation: SilenceExplanation
    recommendation: Recommendation
    calendar: BusinessCalendar
    auto_reply: AutoReply | None


def explain_message_silence(
    country: str,
    sent_at: datetime,
    now: datetime,
    time_zone: str | None = None,
    auto_reply: AutoReply | None = None,
    auto_reply_at: datetime | None = None,
    channels: Sequence[ChannelKind] | None = None,
    rankings: Rankings | None = None,
) -> MessageSilence:
    """Why one message to someone in `country` is unanswered, when to try next, and on which channels.

    An out-of-office note (received at `auto_reply_at`, default `now`) adds its away days to the calendar.
    Without `channels`, the country's ranking (or the default one) stands in for the contact's handles.
    """
    rankings = rankings or load_rankings()
    base = calendar_for(country, None, time_zone)
    cal = base
    if auto_reply is not None:
        holds = holds_from_auto_replies([(auto_reply, auto_reply_at or now)], base, now)
        cal = calendar_for(country, None, time_zone, holds)
    explanation = explain_silence(sent_at, now, cal, None, settings.SALES_OFFICE_TZ)
    available = list(channels) if channels is not None else list(rankings.ranking_for(country))
    recommendation = rankings.recommend(country, available)
    return MessageSilence(
        explanation=explanation, recommendation=recommendation, calendar=cal, auto_reply=auto_reply
    )
