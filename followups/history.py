"""How a contact has answered before: how long they take, at which local hours, on which days, on which channel."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from channels_ref.catalogue import ChannelKind

_USUAL_HOURS_KEPT = 3  # a preferred hour and two alternatives; a long tail says nothing


class Direction(StrEnum):
    OUTBOUND = "outbound"  # sent by the sales office
    INBOUND = "inbound"  # sent by the contact


@dataclass(frozen=True, slots=True)
class MessageEvent:
    at: datetime  # timezone-aware
    direction: Direction
    channel: ChannelKind


@dataclass(frozen=True, slots=True)
class ReplyHistory:
    median_latency: timedelta | None = None  # None: no reply to measure
    usual_hours: tuple[int, ...] = ()  # local hours (0-23) they reply in, most frequent first
    usual_weekdays: tuple[int, ...] = ()  # local weekdays (Monday = 0) they reply on, most frequent first
    channel_counts: tuple[tuple[ChannelKind, int], ...] = ()  # replies per channel, most first
    preferred_channel: ChannelKind | None = None
    reply_count: int = 0  # inbound messages that answered an outbound one
    sample_size: int = 0  # outbound messages: the chances they had to reply

    def replies_on(self, channel: ChannelKind) -> int:
        return dict(self.channel_counts).get(channel, 0)


def events_from_pairs(
    pairs: Iterable[tuple[datetime, datetime | None, ChannelKind]],
) -> tuple[MessageEvent, ...]:
    """Events from (outbound_at, inbound_at or None, channel) rows, the shape a report or an import gives."""
    events: list[MessageEvent] = []
    for outbound_at, inbound_at, channel in pairs:
        events.append(MessageEvent(at=outbound_at, direction=Direction.OUTBOUND, channel=channel))
        if inbound_at is not None:
            events.append(MessageEvent(at=inbound_at, direction=Direction.INBOUND, channel=channel))
    return tuple(events)


def summarize_replies(events: Sequence[MessageEvent], tz: str | ZoneInfo) -> ReplyHistory:
    """Pair each inbound message with the latest outbound one before it and summarise the replies.

    An outbound message is answered at most once: a second inbound message with no new outbound one in
    between is the contact continuing, and would otherwise inflate the latency. Inbound messages with no
    outbound one before them (the contact wrote first) are not replies. Hours and weekdays are read in
    `tz`, the contact's zone.
    """
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    for event in events:
        if event.at.tzinfo is None:
            raise ValueError(f"message time {event.at!r} has no time zone")
    ordered = sorted(events, key=lambda event: event.at)

    latencies: list[timedelta] = []
    reply_times: list[datetime] = []
    channels: Counter[ChannelKind] = Counter()
    last_reply_at: dict[ChannelKind, datetime] = {}
    waiting_since: datetime | None = None
    sample_size = 0
    for event in ordered:
        if event.direction is Direction.OUTBOUND:
            sample_size += 1
            waiting_since = event.at
        elif waiting_since is not None:
            latencies.append(event.at - waiting_since)
            reply_times.append(event.at.astimezone(zone))
            channels[event.channel] += 1
            last_reply_at[event.channel] = event.at
            waiting_since = None

    hours = Counter(moment.hour for moment in reply_times)
    weekdays = Counter(moment.weekday() for moment in reply_times)
    # Ties go to the channel answered on most recently: habits change, the latest one is likelier to hold.
    channel_order = sorted(
        channels, key=lambda channel: (-channels[channel], -last_reply_at[channel].timestamp())
    )
    return ReplyHistory(
        median_latency=_median(latencies),
        usual_hours=tuple(hour for hour, _ in sorted(hours.items(), key=lambda item: (-item[1], item[0])))[
            :_USUAL_HOURS_KEPT
        ],
        usual_weekdays=tuple(
            day for day, _ in sorted(weekdays.items(), key=lambda item: (-item[1], item[0]))
        ),
        channel_counts=tuple((channel, channels[channel]) for channel in channel_order),
        preferred_channel=channel_order[0] if channel_order else None,
        reply_count=len(latencies),
        sample_size=sample_size,
    )


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
