"""Waits counted in the buyer's business days: running totals, vacations taken out, the board's waiting filter."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from followups import timing, waiting
from followups.waiting import BusinessDaysBack, LikelyReason, WaitBucket

COUNTRIES = ["DE", "US", "SA", "CN", "IN"]


def walked(cal: timing.BusinessCalendar, first: date, last: date) -> int:
    return sum(
        1
        for offset in range((last - first).days + 1)
        if timing.is_business_day(first + timedelta(days=offset), cal)
    )


@pytest.mark.parametrize("country", COUNTRIES)
def test_running_totals_count_what_walking_the_calendar_counts(country: str) -> None:
    cal = waiting.calendar_of(country, "", "")
    today = date(2027, 4, 14)
    counts = BusinessDaysBack(cal, today)
    rng = random.Random(country)
    # Up to four years back: beyond the kept totals (three years) the rest is walked.
    for _ in range(300):
        last = today - timedelta(days=rng.randint(0, 1500))
        first = last - timedelta(days=rng.randint(-3, 200))
        assert counts.between(first, last) == walked(cal, first, last)
        assert counts.after(last) == walked(cal, last + timedelta(days=1), today)


@pytest.mark.parametrize("country", COUNTRIES)
def test_the_nth_business_day_back_is_the_one_walking_back_finds(country: str) -> None:
    cal = waiting.calendar_of(country, "", "")
    today = date(2027, 2, 16)  # Spring Festival in China, Presidents' Day week in the US
    counts = BusinessDaysBack(cal, today)
    found, day = [], today
    while len(found) < 200:
        if timing.is_business_day(day, cal):
            found.append(day)
        day -= timedelta(days=1)
    assert [counts.nth_back(count) for count in range(1, 201)] == found
    assert counts.nth_back(5000) is None  # more business days than three years hold


def test_totals_are_the_counts_back_from_today() -> None:
    cal = waiting.calendar_of("DE", "", "")
    today = date(2027, 1, 5)  # Tue; Jan 1 (Fri) is a holiday
    counts = BusinessDaysBack(cal, today)
    # (Jan 5], (Jan 4, 5], (Jan 3, 5], (Jan 2, 5], (Jan 1, 5], (Dec 31, Jan 5]
    assert counts.totals(5) == (0, 1, 2, 2, 2, 2)
    assert counts.after(date(2026, 12, 31)) == 2
    assert counts.after(date(2026, 12, 30)) == 3
    assert counts.after(today) == counts.after(today + timedelta(days=3)) == 0


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, "lt3"),
        (2, "lt3"),
        (3, "3"),
        (6, "3"),
        (7, "7"),
        (13, "7"),
        (14, "14"),
        (29, "14"),
        (30, "30"),
        (400, "30"),
    ],
)
def test_bucket_for_days(days: int, bucket: str) -> None:
    assert waiting.bucket_for_days(days) == WaitBucket(bucket)


@pytest.mark.parametrize(
    ("value", "buckets"),
    [
        ("", ()),
        ("all", ()),
        ("7", ("7",)),
        ("lt3", ("lt3",)),
        ("30", ("30",)),
        ("3+", ("3", "7", "14", "30")),
        ("7+", ("7", "14", "30")),
        ("14+", ("14", "30")),
    ],
)
def test_board_waiting_values_stand_for_buckets(value: str, buckets: tuple[str, ...]) -> None:
    assert waiting.buckets_for_filter(value) == tuple(WaitBucket(bucket) for bucket in buckets)


@pytest.mark.parametrize("value", ["30+", "lt3+", "8", "7++", "+", "ALL", "7 "])
def test_unknown_board_waiting_values_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="unknown waiting filter"):
        waiting.buckets_for_filter(value)


def reference_wait(
    sent_at: datetime, now: datetime, cal: timing.BusinessCalendar, window: timing.DateRange
) -> WaitBucket:
    """The bucket counted day by day in a calendar that has the vacation in it."""
    today = timing.local_time(now, cal).date()
    away = dataclasses.replace(cal, vacations=(window,))
    return waiting.bucket_of(sent_at, waiting.wait_cutoffs(away, today))


@pytest.mark.parametrize("country", COUNTRIES)
def test_a_vacation_comes_off_the_wait_as_counting_day_by_day_does(country: str) -> None:
    rng = random.Random(f"vacation-{country}")
    cal = waiting.calendar_of(country, "", "")
    now = datetime(2027, 3, 10, 9, 30, tzinfo=UTC)
    today = timing.local_time(now, cal).date()
    checked = 0
    for _ in range(400):
        sent_at = now - timedelta(minutes=rng.randint(0, 500 * 24 * 60))
        sent_day = timing.local_time(sent_at, cal).date()
        until = today + timedelta(days=rng.randint(-450, 30))
        length = rng.choice([1, 3, 10, 40, 120, 400])
        start = None if rng.random() < 0.2 else until - timedelta(days=rng.randint(0, length))
        window = waiting.vacation_range(start, until, sent_day)
        bucket, reason = waiting.classify_wait(
            sent_at, now, (country, "", ""), (start, until), None, "Asia/Shanghai"
        )
        if window is None or window.first > today or window.last < sent_day:
            assert reason != LikelyReason.VACATION
            continue
        checked += 1
        assert reason == LikelyReason.VACATION
        assert bucket == reference_wait(sent_at, now, cal, window), (sent_at, window)
    assert checked > 100


def test_a_message_sent_in_a_vacation_that_has_no_start_counts_from_the_return() -> None:
    # An out-of-office said "back on Mon Jan 18"; we wrote on Mon Jan 11. Berlin, no holidays then.
    now = datetime(2027, 1, 22, 10, tzinfo=UTC)  # Fri Jan 22
    bucket, reason = waiting.classify_wait(
        datetime(2027, 1, 11, 9, tzinfo=UTC), now, ("DE", "", ""), (None, date(2027, 1, 17)), None, "UTC"
    )
    # Mon 18 .. Fri 22 = 5 business days.
    assert (bucket, reason) == (WaitBucket.DAYS_3, LikelyReason.VACATION)


def test_without_a_vacation_the_wait_is_the_calendar_instants() -> None:
    cal = waiting.calendar_of("US", "", "")
    now = datetime(2027, 3, 16, 4, 30, tzinfo=UTC)
    cutoffs = waiting.cutoffs_for(cal, now)
    starts = dict(cutoffs.bucket_starts)
    # The 30th business day back from Tue Mar 16 (New York) is Tue Feb 2 (Feb 15 is a holiday).
    assert starts[WaitBucket.DAYS_30] == timing.local_moment(date(2027, 2, 2), time.min, cal)
    bucket, _ = waiting.classify_wait(
        starts[WaitBucket.DAYS_30], now, ("US", "", ""), (None, None), None, "UTC"
    )
    assert bucket == WaitBucket.DAYS_14
    earlier = starts[WaitBucket.DAYS_30] - timedelta(seconds=1)
    assert (
        waiting.classify_wait(earlier, now, ("US", "", ""), (None, None), None, "UTC")[0]
        == WaitBucket.DAYS_30
    )
