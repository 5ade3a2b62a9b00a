"""What a silent lead gets next (wait, follow up, hold, stop or release), on which channel and when, in the contact's working days."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from channels_ref.catalogue import CATALOGUE, ChannelKind
from channels_ref.recommend import Recommendation, recommend_channels
from followups.autoreply import AutoReply
from followups.history import ReplyHistory
from followups.timing import (
    BusinessCalendar,
    DateRange,
    add_business_days,
    holiday_name,
    is_business_time,
    is_weekend,
    local_moment,
    local_time,
    next_business_day,
    next_business_slot,
    vacation_on,
)


class CadenceAction(StrEnum):
    WAIT = "wait"  # the current step's business days have not passed yet
    FOLLOW_UP = "follow_up"  # send the next message now (or at due_at, their next working moment)
    STOP_REPLIED = "stop_replied"  # they answered: the sequence is over
    RELEASE_TO_POOL = "release_to_pool"  # every step went unanswered: let another rep try
    HOLD_VACATION = "hold_vacation"  # they are away today: nothing goes out before due_at


class CadenceReason(StrEnum):
    REPLIED = "replied"
    NOTHING_SENT = "nothing_sent"
    WAITING = "waiting"
    STEP_DUE = "step_due"
    PAUSED_FOR_HOLIDAY = "paused_for_holiday"
    PAUSED_FOR_VACATION = "paused_for_vacation"
    AWAY_NOW = "away_now"
    SWITCHED_TO_INSTANT_MESSAGING = "switched_to_instant_messaging"
    NO_INSTANT_MESSAGING_HANDLE = "no_instant_messaging_handle"
    NO_EMAIL_ADDRESS = "no_email_address"
    NO_CHANNEL = "no_channel"
    RELEASE_PENDING = "release_pending"
    LAST_STEP_ELAPSED = "last_step_elapsed"


@dataclass(frozen=True, slots=True)
class CadenceConfig:
    # Business days to wait after each message; after the last one's wait the lead is released.
    steps_business_days: tuple[int, ...] = (2, 5, 10)
    emails_before_im: int = 2  # unanswered emails before switching to a chat app

    def __post_init__(self) -> None:
        if not self.steps_business_days or any(days < 1 for days in self.steps_business_days):
            raise ValueError("steps_business_days needs at least one step of one business day or more")
        if self.emails_before_im < 0:
            raise ValueError("emails_before_im must not be negative")


_DEFAULT_CONFIG = CadenceConfig()


@dataclass(frozen=True, slots=True)
class SentMessage:
    at: datetime  # timezone-aware
    channel: ChannelKind


@dataclass(frozen=True, slots=True)
class CadenceState:
    sent: tuple[SentMessage, ...] = ()  # the sequence's outbound messages, oldest first
    replied_at: datetime | None = None  # a real reply (auto-replies are not replies)
    holds: tuple[DateRange, ...] = ()  # the contact's local days announced as away (from auto-replies)


@dataclass(frozen=True, slots=True)
class CadenceNote:
    code: CadenceReason
    detail: str


@dataclass(frozen=True, slots=True)
class CadenceDecision:
    action: CadenceAction
    due_at: datetime | None  # UTC; None once the sequence has stopped
    channel: ChannelKind | None  # for the next message; None when none goes out
    step: int  # index of the next message: 0 is the opening email
    reasons: tuple[CadenceNote, ...]


def vacation_hold_until(
    auto_reply: AutoReply, cal: BusinessCalendar, received_at: datetime, default_hold_days: int = 7
) -> date | None:
    """The first local day a follow-up may go out after an out-of-office note, or None if it is no absence.

    One business day after the return date, because their first day back goes to the backlog; without a
    date, the first business day `default_hold_days` after the note arrived.
    """
    if not auto_reply.is_vacation:
        return None
    if auto_reply.return_date is not None:
        return add_business_days(auto_reply.return_date, 1, cal)
    received = local_time(received_at, cal).date()
    return next_business_day(received + timedelta(days=default_hold_days), cal)


def hold_from_auto_reply(
    auto_reply: AutoReply, cal: BusinessCalendar, received_at: datetime, default_hold_days: int = 7
) -> DateRange | None:
    """The contact's local days to hold the cadence for, from the note's arrival to the day before the hold ends."""
    until = vacation_hold_until(auto_reply, cal, received_at, default_hold_days)
    first = local_time(received_at, cal).date()
    if until is None or until <= first:
        return None  # no absence, or a stale note whose return date has passed
    return DateRange(first=first, last=until - timedelta(days=1))


def next_step(
    state: CadenceState,
    now: datetime,
    cal: BusinessCalendar,
    history: ReplyHistory | None = None,
    available_channels: Iterable[ChannelKind] = (),
    rankings: Mapping[str, Sequence[ChannelKind]] | None = None,
    default_ranking: Sequence[ChannelKind] = (),
    config: CadenceConfig = _DEFAULT_CONFIG,
) -> CadenceDecision:
    """The next move in a lead's follow-up sequence.

    Each step waits its business days in the contact's calendar after the previous message; holidays,
    known vacations and auto-reply holds do not count towards the wait. The first `emails_before_im`
    messages are emails; after that many unanswered emails the best chat app the contact has takes over
    (email again if they have none). A reply stops the sequence; the last step's wait ends it with a
    release to the pool. `rankings`/`default_ranking` are the country rankings as stored.
    """
    step = len(state.sent)
    if state.replied_at is not None:
        detail = f"replied at {state.replied_at.isoformat()}"
        return CadenceDecision(
            CadenceAction.STOP_REPLIED, None, None, step, (CadenceNote(CadenceReason.REPLIED, detail),)
        )

    held_cal = dataclasses.replace(cal, vacations=(*cal.vacations, *state.holds))
    preferred_hour = history.usual_hours[0] if history and history.usual_hours else None
    have = tuple(available_channels)
    recommendation = recommend_channels(cal.country, have, rankings or {}, default_ranking, history)
    channel, channel_notes = _channel_for(state.sent, config, recommendation, frozenset(have))

    if step == 0:
        due_at = next_business_slot(now, held_cal, preferred_hour)
        notes = (
            CadenceNote(CadenceReason.NOTHING_SENT, "no message sent yet: open with the first one"),
            *channel_notes,
        )
        return CadenceDecision(CadenceAction.FOLLOW_UP, due_at, channel, 0, notes)

    is_last_wait = step >= len(config.steps_business_days)
    wait_days = config.steps_business_days[min(step, len(config.steps_business_days)) - 1]
    last_sent_day = local_time(max(message.at for message in state.sent), cal).date()
    due_day = add_business_days(last_sent_day, wait_days, held_cal)
    due_at = next_business_slot(local_moment(due_day, time(0), cal), held_cal, preferred_hour)
    pauses = _pause_notes(last_sent_day, due_day, cal, state.holds)

    today = local_time(now, cal).date()
    away = vacation_on(today, held_cal)
    if away is not None:
        due_at = max(due_at, next_business_slot(now, held_cal, preferred_hour))
        detail = f"away {away.first.isoformat()} to {away.last.isoformat()}"
        notes = (CadenceNote(CadenceReason.AWAY_NOW, detail), *pauses)
        return CadenceDecision(
            CadenceAction.HOLD_VACATION, due_at, None if is_last_wait else channel, step, notes
        )

    waited = f"{wait_days} business days after message {step} (sent {last_sent_day.isoformat()} their time)"
    if now < due_at:
        code = CadenceReason.RELEASE_PENDING if is_last_wait else CadenceReason.WAITING
        upcoming = () if is_last_wait else channel_notes
        notes = (CadenceNote(code, f"due {due_at.isoformat()}: {waited}"), *pauses, *upcoming)
        return CadenceDecision(CadenceAction.WAIT, due_at, None if is_last_wait else channel, step, notes)
    if is_last_wait:
        notes = (CadenceNote(CadenceReason.LAST_STEP_ELAPSED, f"no reply {waited}"), *pauses)
        return CadenceDecision(CadenceAction.RELEASE_TO_POOL, due_at, None, step, notes)
    send_at = now if is_business_time(now, held_cal) else next_business_slot(now, held_cal, preferred_hour)
    notes = (CadenceNote(CadenceReason.STEP_DUE, f"no reply {waited}"), *pauses, *channel_notes)
    return CadenceDecision(CadenceAction.FOLLOW_UP, send_at, channel, step, notes)


def _channel_for(
    sent: Sequence[SentMessage],
    config: CadenceConfig,
    recommendation: Recommendation,
    have: frozenset[ChannelKind],
) -> tuple[ChannelKind | None, tuple[CadenceNote, ...]]:
    emails_sent = sum(1 for message in sent if message.channel is ChannelKind.EMAIL)
    chat = recommendation.best_instant_messaging
    if emails_sent < config.emails_before_im:
        if ChannelKind.EMAIL in have:
            return ChannelKind.EMAIL, ()
        fallback = chat or recommendation.best
        detail = "no email address: using " + (CATALOGUE[fallback].label if fallback else "nothing")
        return fallback, (CadenceNote(CadenceReason.NO_EMAIL_ADDRESS, detail),)
    if chat is not None:
        reason = next(ranked.reason for ranked in recommendation.channels if ranked.kind is chat)
        detail = f"{emails_sent} emails unanswered: switching to {CATALOGUE[chat].label} ({reason})"
        return chat, (CadenceNote(CadenceReason.SWITCHED_TO_INSTANT_MESSAGING, detail),)
    wanted = ", ".join(CATALOGUE[kind].label for kind in recommendation.ask_for) or "a chat app"
    if ChannelKind.EMAIL in have:
        detail = f"{emails_sent} emails unanswered and no chat handle: email again; ask for their {wanted}"
        return ChannelKind.EMAIL, (CadenceNote(CadenceReason.NO_INSTANT_MESSAGING_HANDLE, detail),)
    fallback = recommendation.best
    if fallback is None:
        return None, (
            CadenceNote(CadenceReason.NO_CHANNEL, f"no channel to reach them; ask for their {wanted}"),
        )
    detail = f"no chat handle and no email: using {CATALOGUE[fallback].label}; ask for their {wanted}"
    return fallback, (CadenceNote(CadenceReason.NO_INSTANT_MESSAGING_HANDLE, detail),)


def _pause_notes(
    last_sent_day: date, due_day: date, cal: BusinessCalendar, holds: Sequence[DateRange]
) -> tuple[CadenceNote, ...]:
    holidays: list[str] = []
    away: list[str] = []
    day = last_sent_day + timedelta(days=1)
    while day <= due_day:
        if is_weekend(day, cal):  # a weekend day would not have counted anyway
            day += timedelta(days=1)
            continue
        name = holiday_name(day, cal)
        if name is not None:
            holidays.append(f"{name} ({day.isoformat()})")
        elif vacation_on(day, cal) is not None or any(day in hold for hold in holds):
            away.append(day.isoformat())
        day += timedelta(days=1)
    notes: list[CadenceNote] = []
    if holidays:
        notes.append(CadenceNote(CadenceReason.PAUSED_FOR_HOLIDAY, "not counted: " + ", ".join(holidays)))
    if away:
        detail = f"not counted: {len(away)} working day(s) away between {away[0]} and {away[-1]}"
        notes.append(CadenceNote(CadenceReason.PAUSED_FOR_VACATION, detail))
    return tuple(notes)
