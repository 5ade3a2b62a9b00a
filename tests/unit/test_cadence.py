"""Follow-up cadence: business-day waits, pauses for holidays and vacations, channel switch, stop and release."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import pytest

from channels_ref.catalogue import ChannelKind
from channels_ref.seed_rankings import GLOBAL_DEFAULT_RANKING, rankings_by_country
from followups.autoreply import AutoReply
from followups.cadence import (
    CadenceAction,
    CadenceConfig,
    CadenceDecision,
    CadenceReason,
    CadenceState,
    SentMessage,
    hold_from_auto_reply,
    next_step,
    vacation_hold_until,
)
from followups.history import ReplyHistory
from followups.timing import BusinessCalendar, DateRange, calendar_for

K = ChannelKind
A = CadenceAction
GERMANY = calendar_for("DE")
STANDARD = CadenceConfig()


def _utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _emails(*moments: datetime) -> tuple[SentMessage, ...]:
    return tuple(SentMessage(at=moment, channel=K.EMAIL) for moment in moments)


def _decide(
    state: CadenceState,
    now: datetime,
    cal: BusinessCalendar = GERMANY,
    available: Sequence[ChannelKind] = (K.EMAIL, K.WHATSAPP),
    history: ReplyHistory | None = None,
    config: CadenceConfig = STANDARD,
) -> CadenceDecision:
    return next_step(
        state, now, cal, history, available, rankings_by_country(), GLOBAL_DEFAULT_RANKING.channels, config
    )


def _codes(decision: CadenceDecision) -> list[CadenceReason]:
    return [note.code for note in decision.reasons]


def _vacation_note(return_date: date | None) -> AutoReply:
    return AutoReply(
        is_vacation=True, return_date=return_date, language="en", matched="test", hold_until=date.max
    )


# --- waiting and sending ---------------------------------------------------------------------------


def test_reply_stops_the_sequence() -> None:
    state = CadenceState(sent=_emails(_utc(2026, 3, 10, 9)), replied_at=_utc(2026, 3, 10, 15))
    decision = _decide(state, _utc(2026, 3, 20, 9))
    assert (decision.action, decision.due_at, decision.channel, decision.step) == (
        A.STOP_REPLIED,
        None,
        None,
        1,
    )
    assert _codes(decision) == [CadenceReason.REPLIED]


def test_nothing_sent_yet_means_the_opening_email_now() -> None:
    decision = _decide(CadenceState(), _utc(2026, 3, 10, 10))
    assert (decision.action, decision.due_at, decision.channel, decision.step) == (
        A.FOLLOW_UP,
        _utc(2026, 3, 10, 10),
        K.EMAIL,
        0,
    )


def test_first_follow_up_waits_two_business_days() -> None:
    # Sent Tuesday 10:00 Berlin; due Thursday at opening time, 09:00 CET.
    state = CadenceState(sent=_emails(_utc(2026, 3, 10, 9)))
    decision = _decide(state, _utc(2026, 3, 11, 9))
    assert (decision.action, decision.due_at, decision.channel, decision.step) == (
        A.WAIT,
        _utc(2026, 3, 12, 8),
        K.EMAIL,
        1,
    )
    assert _codes(decision) == [CadenceReason.WAITING]


def test_due_step_is_sent_now_during_their_business_hours() -> None:
    state = CadenceState(sent=_emails(_utc(2026, 3, 10, 9)))
    decision = _decide(state, _utc(2026, 3, 12, 10))
    assert (decision.action, decision.due_at, decision.channel) == (
        A.FOLLOW_UP,
        _utc(2026, 3, 12, 10),
        K.EMAIL,
    )
    assert _codes(decision) == [CadenceReason.STEP_DUE]


def test_due_step_found_at_night_is_placed_at_their_next_opening() -> None:
    state = CadenceState(sent=_emails(_utc(2026, 3, 10, 9)))
    decision = _decide(state, _utc(2026, 3, 12, 20))  # 21:00 Berlin
    assert (decision.action, decision.due_at) == (A.FOLLOW_UP, _utc(2026, 3, 13, 8))


def test_due_time_is_their_usual_reply_hour() -> None:
    history = ReplyHistory(usual_hours=(15,), reply_count=2, sample_size=4)
    state = CadenceState(sent=_emails(_utc(2026, 3, 10, 9)))
    assert _decide(state, _utc(2026, 3, 11, 9), history=history).due_at == _utc(2026, 3, 12, 14)


def test_wait_counts_in_the_contacts_weekend() -> None:
    # Sent Thursday 10:00 Riyadh; Friday and Saturday are the weekend, so Sunday and Monday count.
    state = CadenceState(sent=_emails(_utc(2027, 1, 7, 7)))
    decision = _decide(state, _utc(2027, 1, 8, 7), cal=calendar_for("SA"))
    assert decision.due_at == _utc(2027, 1, 11, 6)  # Monday 09:00 Riyadh


# --- pauses ----------------------------------------------------------------------------------------


def test_christmas_pauses_the_wait_and_is_named() -> None:
    # Sent Wednesday 23 December; Thursday counts, Christmas and the weekend do not.
    state = CadenceState(sent=_emails(_utc(2026, 12, 23, 9)))
    decision = _decide(state, _utc(2026, 12, 24, 9))
    assert decision.due_at == _utc(2026, 12, 28, 8)
    assert decision.reasons[1].code is CadenceReason.PAUSED_FOR_HOLIDAY
    assert decision.reasons[1].detail == "not counted: Christmas Day (2026-12-25)"


def test_spring_festival_pauses_the_wait_in_china() -> None:
    state = CadenceState(sent=_emails(_utc(2027, 2, 4, 2)))
    decision = _decide(state, _utc(2027, 2, 5, 2), cal=calendar_for("CN"), available=(K.EMAIL, K.WECHAT))
    assert decision.due_at == _utc(2027, 2, 12, 1)  # Friday 12 February, 09:00 Shanghai
    assert CadenceReason.PAUSED_FOR_HOLIDAY in _codes(decision)


def test_auto_reply_hold_does_not_count_against_the_wait() -> None:
    # Sent Tuesday 10 March; the out-of-office note on Wednesday says back Monday 16 March.
    hold = hold_from_auto_reply(_vacation_note(date(2026, 3, 16)), GERMANY, _utc(2026, 3, 11, 10))
    assert hold == DateRange(date(2026, 3, 11), date(2026, 3, 16))
    state = CadenceState(sent=_emails(_utc(2026, 3, 10, 9)), holds=(hold,))
    decision = _decide(state, _utc(2026, 3, 17, 10))
    assert (decision.action, decision.due_at) == (A.WAIT, _utc(2026, 3, 18, 8))
    assert decision.reasons[1].code is CadenceReason.PAUSED_FOR_VACATION


def test_while_they_are_away_the_decision_is_hold_until_after_their_return() -> None:
    hold = DateRange(date(2026, 3, 11), date(2026, 3, 16))
    state = CadenceState(sent=_emails(_utc(2026, 3, 10, 9)), holds=(hold,))
    decision = _decide(state, _utc(2026, 3, 12, 10))
    assert (decision.action, decision.due_at, decision.channel) == (
        A.HOLD_VACATION,
        _utc(2026, 3, 18, 8),
        K.EMAIL,
    )
    assert decision.reasons[0].detail == "away 2026-03-11 to 2026-03-16"


def test_overdue_step_during_a_late_hold_waits_for_their_return() -> None:
    # The step was due on 12 March, but a hold from 13 to 20 March arrived before it went out.
    hold = DateRange(date(2026, 3, 13), date(2026, 3, 20))
    state = CadenceState(sent=_emails(_utc(2026, 3, 10, 9)), holds=(hold,))
    decision = _decide(state, _utc(2026, 3, 16, 10))
    assert (decision.action, decision.due_at) == (A.HOLD_VACATION, _utc(2026, 3, 23, 8))


def test_known_vacation_in_the_calendar_pauses_the_wait() -> None:
    cal = calendar_for("DE", vacations=[DateRange(date(2026, 3, 11), date(2026, 3, 13))])
    state = CadenceState(sent=_emails(_utc(2026, 3, 10, 9)))
    assert _decide(state, _utc(2026, 3, 10, 12), cal=cal).due_at == _utc(2026, 3, 17, 8)


def test_opening_message_to_someone_away_is_due_after_their_vacation() -> None:
    cal = calendar_for("DE", vacations=[DateRange(date(2026, 3, 9), date(2026, 3, 13))])
    decision = _decide(CadenceState(), _utc(2026, 3, 10, 10), cal=cal)
    assert (decision.action, decision.due_at) == (A.FOLLOW_UP, _utc(2026, 3, 16, 8))


# --- channels --------------------------------------------------------------------------------------


def test_second_follow_up_switches_to_the_best_chat_app_after_two_unanswered_emails() -> None:
    state = CadenceState(sent=_emails(_utc(2026, 3, 2, 9), _utc(2026, 3, 4, 9)))
    decision = _decide(state, _utc(2026, 3, 11, 10), available=(K.EMAIL, K.FACEBOOK, K.WHATSAPP))
    assert (decision.action, decision.channel, decision.step) == (A.FOLLOW_UP, K.WHATSAPP, 2)
    assert decision.reasons[-1].code is CadenceReason.SWITCHED_TO_INSTANT_MESSAGING
    assert decision.reasons[-1].detail == "2 emails unanswered: switching to WhatsApp (#1 in Germany)"


def test_waiting_for_the_chat_step_already_names_the_chat_app() -> None:
    state = CadenceState(sent=_emails(_utc(2026, 3, 2, 9), _utc(2026, 3, 4, 9)))
    decision = _decide(state, _utc(2026, 3, 5, 10))
    assert (decision.action, decision.channel) == (A.WAIT, K.WHATSAPP)
    assert _codes(decision) == [CadenceReason.WAITING, CadenceReason.SWITCHED_TO_INSTANT_MESSAGING]


def test_first_follow_up_is_still_an_email() -> None:
    state = CadenceState(sent=_emails(_utc(2026, 3, 2, 9)))
    assert _decide(state, _utc(2026, 3, 4, 10)).channel is K.EMAIL


def test_chat_app_follows_the_country_ranking() -> None:
    # United States: Messenger is ranked above WhatsApp; Facebook itself is a profile, not a chat.
    state = CadenceState(sent=_emails(_utc(2026, 3, 2, 14), _utc(2026, 3, 4, 14)))
    decision = _decide(
        state,
        _utc(2026, 3, 11, 15),
        cal=calendar_for("US"),
        available=(K.EMAIL, K.FACEBOOK, K.WHATSAPP, K.MESSENGER),
    )
    assert decision.channel is K.MESSENGER


def test_chat_app_they_answered_on_before_wins() -> None:
    history = ReplyHistory(channel_counts=((K.TELEGRAM, 2),), preferred_channel=K.TELEGRAM, reply_count=2)
    state = CadenceState(sent=_emails(_utc(2026, 3, 2, 9), _utc(2026, 3, 4, 9)))
    decision = _decide(
        state, _utc(2026, 3, 11, 10), available=(K.EMAIL, K.WHATSAPP, K.TELEGRAM), history=history
    )
    assert decision.channel is K.TELEGRAM


@pytest.mark.parametrize("available", [(K.EMAIL,), (K.EMAIL, K.SKYPE), (K.EMAIL, K.LINKEDIN, K.PHONE)])
def test_without_a_usable_chat_handle_email_continues_and_asks_for_one(
    available: tuple[ChannelKind, ...],
) -> None:
    state = CadenceState(sent=_emails(_utc(2026, 3, 2, 9), _utc(2026, 3, 4, 9)))
    decision = _decide(state, _utc(2026, 3, 11, 10), available=available)
    assert decision.channel is K.EMAIL
    assert decision.reasons[-1].code is CadenceReason.NO_INSTANT_MESSAGING_HANDLE
    assert decision.reasons[-1].detail.endswith(
        "ask for their WhatsApp, Messenger, Apple Messages (iMessage)"
    )


def test_contact_without_email_is_reached_on_their_chat_app_from_the_start() -> None:
    decision = _decide(CadenceState(), _utc(2026, 3, 10, 10), available=(K.WHATSAPP,))
    assert decision.channel is K.WHATSAPP
    assert _codes(decision)[-1] is CadenceReason.NO_EMAIL_ADDRESS


def test_contact_without_any_channel_gets_no_channel_and_says_so() -> None:
    state = CadenceState(sent=_emails(_utc(2026, 3, 2, 9), _utc(2026, 3, 4, 9)))
    decision = _decide(state, _utc(2026, 3, 11, 10), available=())
    assert decision.channel is None
    assert _codes(decision)[-1] is CadenceReason.NO_CHANNEL


def test_zero_emails_before_im_opens_on_the_chat_app() -> None:
    config = CadenceConfig(emails_before_im=0)
    assert _decide(CadenceState(), _utc(2026, 3, 10, 10), config=config).channel is K.WHATSAPP


# --- the end of the sequence -----------------------------------------------------------------------


def test_last_step_waits_then_releases_to_the_pool() -> None:
    # Three messages sent (the opening and two follow-ups); the last wait is 10 business days.
    sent = _emails(_utc(2026, 2, 16, 9), _utc(2026, 2, 18, 9), _utc(2026, 3, 2, 9))
    waiting = _decide(CadenceState(sent=sent), _utc(2026, 3, 10, 10))
    assert (waiting.action, waiting.due_at, waiting.channel, waiting.step) == (
        A.WAIT,
        _utc(2026, 3, 16, 8),
        None,
        3,
    )
    assert _codes(waiting) == [CadenceReason.RELEASE_PENDING]
    released = _decide(CadenceState(sent=sent), _utc(2026, 3, 16, 10))
    assert (released.action, released.channel) == (A.RELEASE_TO_POOL, None)
    assert _codes(released) == [CadenceReason.LAST_STEP_ELAPSED]


def test_single_step_cadence_releases_after_its_one_wait() -> None:
    config = CadenceConfig(steps_business_days=(1,))
    state = CadenceState(sent=_emails(_utc(2026, 3, 10, 9)))
    assert _decide(state, _utc(2026, 3, 11, 10), config=config).action is A.RELEASE_TO_POOL


@pytest.mark.parametrize(("steps", "emails_before_im"), [((), 2), ((2, 0), 2), ((2, 5), -1)])
def test_config_refuses_impossible_values(steps: tuple[int, ...], emails_before_im: int) -> None:
    with pytest.raises(ValueError, match="steps_business_days|emails_before_im"):
        CadenceConfig(steps_business_days=steps, emails_before_im=emails_before_im)


# --- holds from auto-replies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("return_date", "received", "default_days", "hold_until"),
    [
        (date(2027, 1, 4), _utc(2026, 12, 28, 9), 7, date(2027, 1, 5)),  # back Monday: follow up Tuesday
        (
            date(2026, 12, 24),
            _utc(2026, 12, 21, 9),
            7,
            date(2026, 12, 28),
        ),  # back Thursday: Christmas follows
        (None, _utc(2026, 12, 28, 9), 7, date(2027, 1, 4)),
        (None, _utc(2026, 12, 28, 9), 4, date(2027, 1, 4)),  # 1 January is a holiday, then the weekend
    ],
)
def test_vacation_hold_ends_a_business_day_after_their_return(
    return_date: date | None, received: datetime, default_days: int, hold_until: date
) -> None:
    assert vacation_hold_until(_vacation_note(return_date), GERMANY, received, default_days) == hold_until


def test_receipt_auto_reply_holds_nothing() -> None:
    receipt = AutoReply(
        is_vacation=False, return_date=None, language="en", matched="x", hold_until=date(2026, 3, 11)
    )
    assert vacation_hold_until(receipt, GERMANY, _utc(2026, 3, 11, 9)) is None
    assert hold_from_auto_reply(receipt, GERMANY, _utc(2026, 3, 11, 9)) is None


def test_stale_out_of_office_note_holds_nothing() -> None:
    assert hold_from_auto_reply(_vacation_note(date(2026, 1, 5)), GERMANY, _utc(2026, 3, 11, 9)) is None
