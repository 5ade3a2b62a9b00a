"""Reply history: pairing replies with what they answer, medians, usual hours and channels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from channels_ref.catalogue import ChannelKind
from followups.history import Direction, MessageEvent, events_from_pairs, summarize_replies

K = ChannelKind


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def _out(at: datetime, channel: ChannelKind = K.EMAIL) -> MessageEvent:
    return MessageEvent(at=at, direction=Direction.OUTBOUND, channel=channel)


def _in(at: datetime, channel: ChannelKind = K.EMAIL) -> MessageEvent:
    return MessageEvent(at=at, direction=Direction.INBOUND, channel=channel)


@pytest.mark.parametrize(
    ("latencies_h", "median_h"),
    [
        ([5], 5),
        ([1, 9, 2], 2),
        ([1, 3], 2),
        ([10, 2, 4, 30], 7),
    ],
)
def test_median_latency_is_the_middle_reply_time(latencies_h: list[int], median_h: float) -> None:
    events = []
    for index, hours in enumerate(latencies_h):
        sent = _at(2 + index * 2, 8)
        events += [_out(sent), _in(sent + timedelta(hours=hours))]
    assert summarize_replies(events, "UTC").median_latency == timedelta(hours=median_h)


def test_reply_is_paired_with_the_latest_outbound_before_it() -> None:
    events = [_out(_at(2, 8)), _out(_at(3, 8)), _in(_at(3, 10))]
    history = summarize_replies(events, "UTC")
    assert history.median_latency == timedelta(hours=2)
    assert (history.reply_count, history.sample_size) == (1, 2)


def test_second_inbound_without_new_outbound_is_not_another_reply() -> None:
    events = [_out(_at(2, 8)), _in(_at(2, 9)), _in(_at(5, 9))]
    history = summarize_replies(events, "UTC")
    assert history.reply_count == 1
    assert history.median_latency == timedelta(hours=1)


def test_inbound_before_any_outbound_is_the_contact_writing_first_not_a_reply() -> None:
    history = summarize_replies([_in(_at(1, 9)), _out(_at(2, 8))], "UTC")
    assert history.reply_count == 0
    assert history.median_latency is None
    assert history.preferred_channel is None


def test_events_are_ordered_by_time_whatever_order_they_come_in() -> None:
    events = [_in(_at(2, 11)), _out(_at(2, 8))]
    assert summarize_replies(events, "UTC").median_latency == timedelta(hours=3)


def test_usual_hours_are_local_to_the_contact_most_frequent_first() -> None:
    # 08:xx UTC is 09:xx in Berlin in March before the clocks change (CET, UTC+1).
    events = []
    for day, hour in [(2, 8), (3, 8), (4, 13), (5, 8), (9, 13), (10, 15)]:
        events += [_out(_at(day, 6)), _in(_at(day, hour, 30))]
    history = summarize_replies(events, "Europe/Berlin")
    assert history.usual_hours == (9, 14, 16)


def test_usual_hours_keep_the_three_most_frequent() -> None:
    events = []
    for day, hour in [(2, 9), (3, 9), (4, 10), (5, 11), (6, 12), (9, 12)]:
        events += [_out(_at(day, 6)), _in(_at(day, hour))]
    assert summarize_replies(events, "UTC").usual_hours == (9, 12, 10)


def test_usual_weekdays_are_counted_in_the_contacts_zone() -> None:
    # Monday 2 March 2026 23:30 UTC is already Tuesday in Shanghai.
    events = [_out(_at(2, 20)), _in(_at(2, 23, 30)), _out(_at(4, 1)), _in(_at(4, 2))]
    history = summarize_replies(events, "Asia/Shanghai")
    assert history.usual_weekdays == (1, 2)


def test_preferred_channel_is_the_one_they_reply_on_most() -> None:
    events = [
        _out(_at(2, 8)),
        _in(_at(2, 9), K.WHATSAPP),
        _out(_at(3, 8)),
        _in(_at(3, 9), K.WHATSAPP),
        _out(_at(4, 8)),
        _in(_at(4, 9), K.EMAIL),
    ]
    history = summarize_replies(events, "UTC")
    assert history.preferred_channel is K.WHATSAPP
    assert history.channel_counts == ((K.WHATSAPP, 2), (K.EMAIL, 1))
    assert history.replies_on(K.WHATSAPP) == 2
    assert history.replies_on(K.TELEGRAM) == 0


def test_channel_tie_goes_to_the_most_recent_reply_channel() -> None:
    events = [_out(_at(2, 8)), _in(_at(2, 9), K.EMAIL), _out(_at(3, 8)), _in(_at(3, 9), K.WECHAT)]
    assert summarize_replies(events, "UTC").preferred_channel is K.WECHAT


def test_pairs_become_events_and_unanswered_pairs_count_as_samples() -> None:
    pairs = [(_at(2, 8), _at(2, 12), K.EMAIL), (_at(3, 8), None, K.EMAIL), (_at(4, 8), _at(4, 10), K.LINE)]
    history = summarize_replies(events_from_pairs(pairs), "UTC")
    assert (history.reply_count, history.sample_size) == (2, 3)
    assert history.median_latency == timedelta(hours=3)


def test_no_events_mean_an_empty_history() -> None:
    history = summarize_replies([], "UTC")
    assert history.median_latency is None
    assert history.usual_hours == ()
    assert history.sample_size == 0


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        summarize_replies([_out(datetime(2026, 3, 2, 8))], "UTC")
