"""How long a buyer has waited for our reply, in business days of their own calendar, and why they are likely silent.

A message's wait is the number of the buyer's business days after its local sending day, up to and including
their today: their weekend, their country's public holidays and their vacation do not count. The dashboard
counts tens of thousands of waits per render, so the calendar work is done once per calendar and day:

- `wait_cutoffs` gives the instants "N business days before today" (N = 3, 7, 14, 30): a message sent before
  the N-th one has waited at least N days. SQL compares each message with these instants.
- `BusinessDaysBack` counts business days back from today, one running total per day, so that a vacation's
  business days can be taken out of one wait with two look-ups (`classify_wait`).
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from followups import timing

# The offset at which timing.explain_silence calls a time-zone gap a reason on its own.
TIMEZONE_GAP_HOURS = 6
# A calendar with no public holiday in this long has no holiday data: stop looking.
_HOLIDAY_LOOKBACK_DAYS = 400
# Running totals kept per calendar and day, farther back than any plausible run of 30 business days; a day
# farther back still is counted by walking (a message years old).
_MAX_KEPT_DAYS = 3 * 366


class WaitBucket(StrEnum):
    """Business days waited, in the contact's calendar: 0-2, 3-6, 7-13, 14-29, 30 and more."""

    UNDER_3 = "lt3"
    DAYS_3 = "3"
    DAYS_7 = "7"
    DAYS_14 = "14"
    DAYS_30 = "30"


BUCKETS = tuple(WaitBucket)
BUCKET_DAYS = {WaitBucket.DAYS_3: 3, WaitBucket.DAYS_7: 7, WaitBucket.DAYS_14: 14, WaitBucket.DAYS_30: 30}
LONGEST_BUCKETS_FIRST = tuple(sorted(BUCKET_DAYS.items(), key=lambda item: -item[1]))
MAX_BUCKET_DAYS = LONGEST_BUCKETS_FIRST[0][1]
BUCKET_LABELS = {
    WaitBucket.UNDER_3: "< 3 days",
    WaitBucket.DAYS_3: "3–6 days",
    WaitBucket.DAYS_7: "7–13 days",
    WaitBucket.DAYS_14: "14–29 days",
    WaitBucket.DAYS_30: "30+ days",
}
# The board's "waiting" filter: every unanswered lead, one bucket, or a bucket and every longer one ("7+").
WAITING_ALL = "all"
WAITING_FILTER_LABELS = {
    WAITING_ALL: "Any wait",
    **{str(bucket): label for bucket, label in BUCKET_LABELS.items()},
    **{f"{bucket}+": f"{days}+ days" for bucket, days in BUCKET_DAYS.items() if days < MAX_BUCKET_DAYS},
}


def buckets_for_filter(value: str) -> tuple[WaitBucket, ...]:
    """The buckets a board "waiting" value stands for, () meaning every bucket; ValueError if it is none."""
    if value in ("", WAITING_ALL):
        return ()
    if value not in WAITING_FILTER_LABELS:
        raise ValueError(f"unknown waiting filter {value!r}")
    if not value.endswith("+"):
        return (WaitBucket(value),)
    least = BUCKET_DAYS[WaitBucket(value.removesuffix("+"))]
    return tuple(bucket for bucket, days in BUCKET_DAYS.items() if days >= least)


class LikelyReason(StrEnum):
    """Why a buyer is probably silent; one per lead, the first that applies in this (declaration) order.

    A vacation is explicit and a holiday closes the whole country, so they come first; a contact who always
    takes longer than this is next; the time-zone gap applies to every far-away buyer, so it is weakest.
    """

    VACATION = "vacation"  # their vacation overlaps the days from sending to today
    HOLIDAY = "holiday"  # a public holiday of their country fell on a day from sending to today
    SLOW_REPLIES = "slow_replies"  # their median reply latency so far is longer than this wait
    TIMEZONE_GAP = "timezone_gap"  # sent outside their business hours, or their clock is 6+ h from the office
    NONE = "none"  # none of the above


REASONS = tuple(LikelyReason)
REASON_LABELS = {
    LikelyReason.VACATION: "On vacation",
    LikelyReason.HOLIDAY: "Public holiday",
    LikelyReason.SLOW_REPLIES: "Usually slow to reply",
    LikelyReason.TIMEZONE_GAP: "Time-zone gap",
    LikelyReason.NONE: "No reason found",
}


def bucket_for_days(days: int) -> WaitBucket:
    """The bucket of a wait of `days` business days."""
    for bucket, needed in LONGEST_BUCKETS_FIRST:
        if days >= needed:
            return bucket
    return WaitBucket.UNDER_3


@dataclass(frozen=True, slots=True)
class WaitCutoffs:
    """Per calendar and day: a message sent before `bucket_starts[b]` has waited at least bucket b's days."""

    bucket_starts: tuple[tuple[WaitBucket, datetime | None], ...]  # longest bucket first
    holiday_cutoff: datetime | None  # sent before this: a public holiday fell between sending and today


def wait_cutoffs(cal: timing.BusinessCalendar, today: date) -> WaitCutoffs:
    """The instants "N business days before `today`" (N = 3, 7, 14, 30) and the end of the latest holiday.

    N business days have passed since a message's local sending day d when the contact's calendar has at
    least N business days in (d, today]. Counting back from today, the N-th business day b_N is the last one
    that must come after d, so the condition is d < b_N, i.e. sent before the start of b_N on their clock.
    """
    counts = business_days_back(cal, today)
    starts: dict[WaitBucket, datetime] = {}
    for bucket, days in BUCKET_DAYS.items():
        day = counts.nth_back(days)
        if day is not None:
            starts[bucket] = timing.local_moment(day, time.min, cal)
    holiday_cutoff = None
    day = today
    for _ in range(_HOLIDAY_LOOKBACK_DAYS):
        if timing.holiday_name(day, cal) is not None:
            holiday_cutoff = timing.local_moment(day + timedelta(days=1), time.min, cal)
            break
        day -= timedelta(days=1)
    return WaitCutoffs(
        tuple((bucket, starts.get(bucket)) for bucket, _ in LONGEST_BUCKETS_FIRST), holiday_cutoff
    )


def bucket_of(sent_at: datetime, cutoffs: WaitCutoffs) -> WaitBucket:
    for bucket, start in cutoffs.bucket_starts:
        if start is not None and sent_at < start:
            return bucket
    return WaitBucket.UNDER_3


class BusinessDaysBack:
    """Business days of one calendar counted back from `today`, one running total per day.

    `after(d)` is the number of business days in (d, today]; the totals are extended as far back as asked
    (up to _MAX_KEPT_DAYS; farther days are counted by walking), so each later question is one look-up.
    """

    __slots__ = ("cal", "today", "_totals")

    def __init__(self, cal: timing.BusinessCalendar, today: date) -> None:
        self.cal = cal
        self.today = today
        self._totals = [0]  # _totals[i]: business days in (today - i days, today]

    def after(self, day: date) -> int:
        """Business days strictly after `day`, up to and including today (0 for today or later)."""
        back = (self.today - day).days
        if back <= 0:
            return 0
        totals = self._totals
        if back >= len(totals) and len(totals) <= _MAX_KEPT_DAYS:
            totals = self._extended(min(max(back, 2 * len(totals), 64), _MAX_KEPT_DAYS))
        if back < len(totals):
            return totals[back]
        # Older than the kept totals: the kept part, then the rest day by day.
        kept = len(totals) - 1
        return totals[kept] + self._walk(day + timedelta(days=1), self.today - timedelta(days=kept))

    def nth_back(self, count: int) -> date | None:
        """The `count`-th business day counting back from today (today itself is the first when it is one);
        None when the kept totals do not reach that far."""
        totals = self._totals
        while totals[-1] < count and len(totals) <= _MAX_KEPT_DAYS:
            totals = self._extended(min(2 * len(totals) + 64, _MAX_KEPT_DAYS))
        if totals[-1] < count:
            return None
        # totals[i] counts (today - i days, today]: the first index reaching `count` ends on today - (i - 1).
        return self.today - timedelta(days=bisect.bisect_left(totals, count) - 1)

    def totals(self, days: int) -> tuple[int, ...]:
        """`after(today - i days)` for i = 0 .. days: the running totals themselves, for a query to look up."""
        if days >= len(self._totals):
            self._extended(days)
        return tuple(self._totals[: days + 1])

    def between(self, first: date, last: date) -> int:
        """Business days in [first, last], for `last` up to today."""
        if first > last:
            return 0
        return self.after(first - timedelta(days=1)) - self.after(last)

    def _extended(self, reach: int) -> list[int]:
        # A longer copy replaces the list in one assignment: threads sharing this object never see a
        # half-extended list, and two that extend at once build equal ones.
        totals = list(self._totals)
        for index in range(len(totals), reach + 1):
            counted = self.today - timedelta(days=index - 1)
            totals.append(totals[-1] + timing.is_business_day(counted, self.cal))
        self._totals = totals
        return totals

    def _walk(self, first: date, last: date) -> int:
        return sum(
            1
            for offset in range((last - first).days + 1)
            if timing.is_business_day(first + timedelta(days=offset), self.cal)
        )


def is_timezone_gap(sent_at: datetime, cal: timing.BusinessCalendar, office_tz: str) -> bool:
    """Sent outside their business hours, or their clock was 6 h or more from the office's at that moment."""
    local = timing.local_time(sent_at, cal)
    if not cal.opens_at <= local.time() < cal.closes_at:
        return True
    office = sent_at.astimezone(ZoneInfo(office_tz))
    gap = (local.utcoffset() or timedelta()) - (office.utcoffset() or timedelta())
    return abs(gap) >= timedelta(hours=TIMEZONE_GAP_HOURS)


def likely_reason(
    sent_at: datetime,
    now: datetime,
    cal: timing.BusinessCalendar,
    cutoffs: WaitCutoffs,
    median_latency: timedelta | None,
    office_tz: str,
) -> LikelyReason:
    """The first reason that applies, in LikelyReason's order; the window is sending day to today, their clock."""
    sent_day = timing.local_time(sent_at, cal).date()
    today = timing.local_time(now, cal).date()
    if any(vacation.first <= today and vacation.last >= sent_day for vacation in cal.vacations):
        return LikelyReason.VACATION
    if cutoffs.holiday_cutoff is not None and sent_at < cutoffs.holiday_cutoff:
        return LikelyReason.HOLIDAY
    if median_latency is not None and median_latency > now - sent_at:
        return LikelyReason.SLOW_REPLIES
    if is_timezone_gap(sent_at, cal, office_tz):
        return LikelyReason.TIMEZONE_GAP
    return LikelyReason.NONE


def vacation_range(
    vacation_from: date | None, vacation_until: date | None, sent_day: date
) -> timing.DateRange | None:
    """The contact's vacation as a range; an open start (an out-of-office gave only the return) means
    they were away since at least the day the message went out."""
    if vacation_until is None:
        return None
    first = vacation_from if vacation_from is not None else min(sent_day, vacation_until)
    if first > vacation_until:
        return None
    return timing.DateRange(first, vacation_until)


# zoneinfo keeps zones in a weak cache: without a strong reference each lookup may re-read the tz file.
_ZONES: dict[str, ZoneInfo] = {}


@functools.lru_cache(maxsize=4096)
def calendar_of(country: str, subdivision: str, tz: str) -> timing.BusinessCalendar:
    """The calendar of a (country, subdivision, raw time zone) key; lower-case codes are read as upper case."""
    cal = timing.calendar_for(country.upper() or None, subdivision.upper() or None, tz or None)
    _ZONES.setdefault(cal.tz, ZoneInfo(cal.tz))
    return cal


@functools.lru_cache(maxsize=4096)
def _cached_cutoffs(cal: timing.BusinessCalendar, today: date) -> WaitCutoffs:
    return wait_cutoffs(cal, today)


def cutoffs_for(cal: timing.BusinessCalendar, now: datetime) -> WaitCutoffs:
    """wait_cutoffs for the contact's today at `now`, computed once per calendar and day."""
    return _cached_cutoffs(cal, timing.local_time(now, cal).date())


@functools.lru_cache(maxsize=1024)
def business_days_back(cal: timing.BusinessCalendar, today: date) -> BusinessDaysBack:
    """The running business-day totals of a calendar back from `today`, shared by every wait of that day."""
    return BusinessDaysBack(cal, today)


def classify_wait(
    sent_at: datetime,
    now: datetime,
    key: tuple[str, str, str],
    vacation: tuple[date | None, date | None],
    median_latency: timedelta | None,
    office_tz: str,
) -> tuple[WaitBucket, LikelyReason]:
    """One waiting message's bucket and likely reason: the reference the dashboard's SQL reproduces.

    A vacation overlapping the wait takes its business days out of the count: the business days after the
    sending day, minus the vacation's business days after the sending day and up to today.
    """
    cal = calendar_of(*key)
    cutoffs = cutoffs_for(cal, now)
    sent_day = timing.local_time(sent_at, cal).date()
    today = timing.local_time(now, cal).date()
    window = vacation_range(*vacation, sent_day)
    if window is None or window.first > today or window.last < sent_day:
        return bucket_of(sent_at, cutoffs), likely_reason(
            sent_at, now, cal, cutoffs, median_latency, office_tz
        )
    counts = business_days_back(cal, today)
    away = counts.between(max(window.first, sent_day + timedelta(days=1)), min(window.last, today))
    return bucket_for_days(counts.after(sent_day) - away), LikelyReason.VACATION
