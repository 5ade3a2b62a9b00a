"""Business calendars across countries, time zones and DST changes; why a contact is silent."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from followups.history import ReplyHistory
from followups.timing import (
    BusinessCalendar,
    DateRange,
    SilenceReason,
    TimezoneSource,
    add_business_days,
    business_time_between,
    calendar_for,
    explain_silence,
    holiday_name,
    is_business_day,
    is_business_time,
    local_moment,
    local_time,
    next_business_slot,
)

R = SilenceReason


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- choosing the calendar -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "subdivision", "tz", "zone", "source"),
    [
        ("DE", None, None, "Europe/Berlin", TimezoneSource.COUNTRY),
        ("us", None, None, "America/New_York", TimezoneSource.COUNTRY),
        ("US", "CA", None, "America/Los_Angeles", TimezoneSource.SUBDIVISION),
        ("US", "AZ", None, "America/Phoenix", TimezoneSource.SUBDIVISION),
        ("AU", "WA", None, "Australia/Perth", TimezoneSource.SUBDIVISION),
        ("US", "CA", "America/Chicago", "America/Chicago", TimezoneSource.CONTACT),
        ("IN", None, None, "Asia/Kolkata", TimezoneSource.COUNTRY),
        (None, None, None, "UTC", TimezoneSource.FALLBACK_UTC),
        ("XK", None, None, "UTC", TimezoneSource.FALLBACK_UTC),
    ],
)
def test_calendar_zone_prefers_contact_then_subdivision_then_country(
    country: str | None, subdivision: str | None, tz: str | None, zone: str, source: TimezoneSource
) -> None:
    cal = calendar_for(country, subdivision, tz)
    assert (cal.tz, cal.tz_source) == (zone, source)


def test_unknown_contact_zone_is_ignored_with_a_note() -> None:
    cal = calendar_for("FR", tz="Europe/Atlantis")
    assert cal.tz == "Europe/Paris"
    assert cal.notes == ("unknown time zone 'Europe/Atlantis' ignored",)


def test_unknown_country_falls_back_to_utc_and_says_so() -> None:
    cal = calendar_for("ZZ")
    assert cal.tz == "UTC"
    assert "no time zone known for ZZ: using UTC" in cal.notes
    assert holiday_name(date(2026, 12, 25), cal) is None


def test_unknown_subdivision_keeps_national_holidays_with_a_note() -> None:
    cal = calendar_for("DE", "XX")
    assert cal.subdivision is None
    assert holiday_name(date(2026, 12, 25), cal) == "Christmas Day"
    assert any("subdivision XX" in note for note in cal.notes)


@pytest.mark.parametrize(
    ("country", "weekend"),
    [
        ("DE", {5, 6}),
        ("US", {5, 6}),
        ("CN", {5, 6}),
        ("SA", {4, 5}),  # Friday and Saturday
        ("QA", {4, 5}),
        ("KW", {4, 5}),
        ("BH", {4, 5}),
        ("OM", {4, 5}),
        ("EG", {4, 5}),
        ("JO", {4, 5}),
        ("IL", {4, 5}),
        ("IR", {4}),  # Friday only
        ("AE", {5, 6}),  # moved to Saturday/Sunday in 2022
    ],
)
def test_weekend_days_follow_the_country(country: str, weekend: set[int]) -> None:
    assert calendar_for(country).weekend_days == weekend


def test_calendar_refuses_hours_that_close_before_they_open() -> None:
    with pytest.raises(ValueError, match="close after they open"):
        BusinessCalendar(tz="UTC", opens_at=time(18), closes_at=time(9))


# --- holidays --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "subdivision", "day", "name"),
    [
        ("US", None, date(2026, 11, 26), "Thanksgiving Day"),
        ("US", None, date(2026, 7, 3), "Independence Day (observed)"),
        ("GB", None, date(2026, 12, 28), "Boxing Day (observed)"),
        ("GB", "ENG", date(2026, 8, 31), "Late Summer Bank Holiday"),
        ("FR", None, date(2026, 7, 14), "National Day"),
        ("DE", None, date(2026, 12, 25), "Christmas Day"),
        ("DE", None, date(2026, 12, 26), "Second Day of Christmas"),
        ("DE", "BY", date(2026, 1, 6), "Epiphany"),
        ("DE", None, date(2026, 1, 6), None),  # Epiphany is a holiday in Bavaria, not nationwide
        ("ES", None, date(2027, 1, 6), "Epiphany"),
        ("IT", None, date(2026, 6, 2), "Republic Day"),
        ("IN", None, date(2026, 1, 26), "Republic Day"),
        ("IN", None, date(2027, 10, 29), "Diwali"),
        ("CN", None, date(2027, 2, 5), "Chinese New Year's Eve"),
        ("CN", None, date(2027, 2, 6), "Chinese New Year (Spring Festival)"),
        ("CN", None, date(2027, 2, 10), "Chinese New Year (Spring Festival) (observed)"),
        ("BR", None, date(2027, 2, 8), "Carnival"),  # optional by law, closed in practice
        ("BR", None, date(2027, 2, 9), "Carnival"),
        ("SA", None, date(2027, 3, 10), "Eid al-Fitr Holiday"),
        ("SA", None, date(2027, 9, 23), "National Day Holiday"),
        ("JP", None, date(2026, 4, 29), "Showa Day"),  # Golden Week
        ("JP", None, date(2026, 5, 4), "Greenery Day"),
        ("JP", None, date(2026, 5, 5), "Children's Day"),
        ("JP", None, date(2026, 5, 6), "Substitute Holiday"),
        ("JP", None, date(2026, 5, 7), None),
    ],
)
def test_holiday_name_comes_from_the_countrys_calendar(
    country: str, subdivision: str | None, day: date, name: str | None
) -> None:
    assert holiday_name(day, calendar_for(country, subdivision)) == name


@pytest.mark.parametrize(
    ("country", "day", "is_business"),
    [
        ("DE", date(2026, 12, 24), True),  # Christmas Eve is not a public holiday
        ("DE", date(2026, 12, 25), False),
        ("DE", date(2026, 12, 27), False),  # Sunday
        ("SA", date(2027, 1, 8), False),  # Friday
        ("SA", date(2027, 1, 10), True),  # Sunday is a working day
        ("CN", date(2026, 2, 14), True),  # make-up working Saturday before the Spring Festival
        ("CN", date(2026, 2, 21), False),  # an ordinary Saturday
        ("CN", date(2027, 2, 8), False),
        ("JP", date(2026, 5, 5), False),
    ],
)
def test_business_day_accounts_for_weekends_holidays_and_make_up_days(
    country: str, day: date, is_business: bool
) -> None:
    assert is_business_day(day, calendar_for(country)) is is_business


def test_vacation_days_are_not_business_days() -> None:
    cal = calendar_for("IT", vacations=[DateRange(date(2026, 8, 10), date(2026, 8, 21))])
    assert not is_business_day(date(2026, 8, 10), cal)
    assert not is_business_day(date(2026, 8, 21), cal)
    assert is_business_day(date(2026, 8, 24), cal)


def test_date_range_refuses_to_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        DateRange(date(2026, 8, 21), date(2026, 8, 10))


# --- local time and DST ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "country", "expected"),
    [
        (_utc(2026, 3, 9, 13), "DE", True),  # 14:00 Berlin
        (_utc(2026, 3, 9, 7, 59), "DE", False),  # 08:59 Berlin
        (_utc(2026, 3, 9, 8), "DE", True),  # 09:00 Berlin: opening is inside
        (_utc(2026, 3, 9, 17), "DE", False),  # 18:00 Berlin: closing is outside
        (_utc(2026, 3, 9, 13), "US", True),  # 09:00 New York, first Monday of daylight saving time
        (_utc(2026, 3, 9, 12, 30), "US", False),  # 08:30 New York
        (_utc(2027, 1, 8, 7), "SA", False),  # Friday in Riyadh
    ],
)
def test_business_time_is_judged_on_the_contacts_clock(at: datetime, country: str, expected: bool) -> None:
    assert is_business_time(at, calendar_for(country)) is expected


@pytest.mark.parametrize(
    ("tz", "day", "wall", "utc"),
    [
        # Spring forward: 02:30 does not exist and lands at 03:30 on the new clock.
        ("America/New_York", date(2026, 3, 8), time(2, 30), _utc(2026, 3, 8, 7, 30)),
        ("Europe/Berlin", date(2026, 3, 29), time(2, 30), _utc(2026, 3, 29, 1, 30)),
        # Fall back: 01:30 (US) and 02:30 (EU) happen twice; the first occurrence is taken.
        ("America/New_York", date(2026, 11, 1), time(1, 30), _utc(2026, 11, 1, 5, 30)),
        ("Europe/Berlin", date(2026, 10, 25), time(2, 30), _utc(2026, 10, 25, 0, 30)),
        ("America/New_York", date(2027, 3, 14), time(2, 30), _utc(2027, 3, 14, 7, 30)),
        ("Europe/London", date(2027, 10, 31), time(1, 30), _utc(2027, 10, 31, 0, 30)),
    ],
)
def test_local_moment_resolves_dst_gap_forward_and_fold_to_first(
    tz: str, day: date, wall: time, utc: datetime
) -> None:
    cal = BusinessCalendar(tz=tz)
    moment = local_moment(day, wall, cal)
    assert moment == utc
    assert local_time(moment, cal).utcoffset() == local_time(utc, cal).utcoffset()


@pytest.mark.parametrize(
    ("country", "subdivision", "after", "slot"),
    [
        # Friday evening before spring forward: Monday 09:00 is one hour earlier in UTC than before.
        ("US", None, _utc(2026, 3, 7, 1), _utc(2026, 3, 9, 13)),
        ("DE", None, _utc(2026, 3, 27, 18), _utc(2026, 3, 30, 7)),
        ("US", None, _utc(2027, 3, 13, 0), _utc(2027, 3, 15, 13)),
        ("GB", None, _utc(2027, 3, 26, 19), _utc(2027, 3, 29, 8)),
        # Friday evening before fall back: Monday 09:00 is one hour later in UTC.
        ("US", None, _utc(2026, 10, 30, 23), _utc(2026, 11, 2, 14)),
        ("DE", None, _utc(2026, 10, 23, 17), _utc(2026, 10, 26, 8)),
        ("US", None, _utc(2027, 11, 5, 23), _utc(2027, 11, 8, 14)),
        # Fall back in France, then All Saints' Day on Monday 1 November 2027: Tuesday it is.
        ("FR", None, _utc(2027, 10, 29, 17), _utc(2027, 11, 2, 8)),
        # Sydney springs forward on 4 October 2026 and Monday the 5th is Labour Day in New South Wales.
        ("AU", "NSW", _utc(2026, 10, 2, 9), _utc(2026, 10, 5, 22)),
    ],
)
def test_next_slot_is_opening_time_on_the_next_business_day_across_dst(
    country: str, subdivision: str | None, after: datetime, slot: datetime
) -> None:
    assert next_business_slot(after, calendar_for(country, subdivision)) == slot


def test_next_slot_is_now_when_already_in_business_hours() -> None:
    assert next_business_slot(_utc(2026, 3, 10, 10), calendar_for("DE")) == _utc(2026, 3, 10, 10)


def test_next_slot_before_opening_is_todays_opening() -> None:
    # 06:00 in Berlin on a Tuesday: opens at 09:00 CET.
    assert next_business_slot(_utc(2026, 3, 10, 5), calendar_for("DE")) == _utc(2026, 3, 10, 8)


@pytest.mark.parametrize(
    ("after", "preferred_hour", "slot"),
    [
        (_utc(2026, 3, 10, 9), 15, _utc(2026, 3, 10, 14)),  # 10:00 Berlin, they answer at 15:00: today
        (_utc(2026, 3, 10, 16), 15, _utc(2026, 3, 11, 14)),  # 17:00 Berlin: tomorrow at 15:00
        (_utc(2026, 3, 13, 16), 10, _utc(2026, 3, 16, 9)),  # Friday 17:00: Monday 10:00
        (_utc(2026, 3, 10, 9), 22, _utc(2026, 3, 10, 9)),  # 22:00 is outside business hours: ignored
    ],
)
def test_next_slot_uses_their_usual_reply_hour_when_in_business_hours(
    after: datetime, preferred_hour: int, slot: datetime
) -> None:
    assert next_business_slot(after, calendar_for("DE"), preferred_hour) == slot


def test_next_slot_skips_holidays_weekend_and_vacation() -> None:
    cal = calendar_for("DE", vacations=[DateRange(date(2026, 12, 28), date(2027, 1, 5))])
    # Thursday 24 December, 18:30 Berlin; Christmas, weekend, vacation and New Year follow.
    assert next_business_slot(_utc(2026, 12, 24, 17, 30), cal) == _utc(2027, 1, 6, 8)


def test_next_slot_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        next_business_slot(datetime(2026, 3, 10, 9), calendar_for("DE"))


def test_next_slot_gives_up_on_a_calendar_without_business_days() -> None:
    cal = BusinessCalendar(tz="UTC", weekend_days=frozenset(range(7)))
    with pytest.raises(ValueError, match="no business day"):
        next_business_slot(_utc(2026, 3, 10), cal)


# --- business days ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "start", "count", "expected"),
    [
        ("DE", date(2026, 3, 10), 0, date(2026, 3, 10)),
        ("DE", date(2026, 3, 13), 1, date(2026, 3, 16)),  # Friday + 1: Monday
        ("DE", date(2026, 12, 23), 2, date(2026, 12, 28)),  # over Christmas and the weekend
        ("US", date(2026, 11, 25), 1, date(2026, 11, 27)),  # over Thanksgiving
        ("SA", date(2027, 1, 7), 1, date(2027, 1, 10)),  # Thursday + 1: Sunday
        ("CN", date(2027, 2, 4), 2, date(2027, 2, 12)),  # over the Spring Festival
        ("IN", date(2026, 1, 23), 1, date(2026, 1, 27)),  # Friday + 1 over Republic Day Monday
        ("JP", date(2026, 4, 30), 2, date(2026, 5, 7)),  # over Golden Week
    ],
)
def test_add_business_days_skips_non_working_days(
    country: str, start: date, count: int, expected: date
) -> None:
    assert add_business_days(start, count, calendar_for(country)) == expected


def test_add_business_days_skips_vacation_days() -> None:
    cal = calendar_for("DE", vacations=[DateRange(date(2027, 1, 4), date(2027, 1, 8))])
    assert add_business_days(date(2026, 12, 31), 1, cal) == date(2027, 1, 11)


def test_add_business_days_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_business_days(date(2026, 3, 10), -1, calendar_for("DE"))


def test_business_time_between_counts_only_working_hours() -> None:
    # Friday 16:00 to Monday 10:00 Berlin: two hours on Friday, one on Monday.
    worked = business_time_between(_utc(2026, 3, 13, 15), _utc(2026, 3, 16, 9), calendar_for("DE"))
    assert worked == timedelta(hours=3)


def test_business_time_between_uses_the_shorter_day_of_spring_forward() -> None:
    # Sunday to Tuesday in New York across the change: Monday's full nine hours, nothing else.
    worked = business_time_between(_utc(2026, 3, 8), _utc(2026, 3, 10, 4), calendar_for("US"))
    assert worked == timedelta(hours=9)


# --- why no reply ----------------------------------------------------------------------------------


def test_christmas_and_weekend_explain_silence_in_germany() -> None:
    # Thursday 24 December 09:00 Berlin to Monday 28 December 10:00.
    result = explain_silence(_utc(2026, 12, 24, 8), _utc(2026, 12, 28, 9), calendar_for("DE"))
    assert result.codes == (R.WEEKEND, R.PUBLIC_HOLIDAY, R.TIMEZONE_GAP)
    details = {reason.code: reason.detail for reason in result.reasons}
    assert "Christmas Day on Fri 2026-12-25" in details[R.PUBLIC_HOLIDAY]
    assert "Second Day of Christmas on Sat 2026-12-26" in details[R.PUBLIC_HOLIDAY]
    assert details[R.TIMEZONE_GAP].startswith("their clock is 7 h behind Asia/Shanghai")
    assert result.business_time_elapsed == timedelta(hours=10)
    assert result.next_attempt_at == _utc(2026, 12, 28, 9)


def test_message_sent_in_shanghai_office_hours_arrives_at_night_in_new_york() -> None:
    # Tuesday 10:00 Shanghai is Monday 21:00 in New York.
    result = explain_silence(_utc(2026, 3, 3, 2), _utc(2026, 3, 3, 3), calendar_for("US"))
    assert result.codes == (R.OUTSIDE_BUSINESS_HOURS, R.TIMEZONE_GAP)
    assert result.local_time_at_send == datetime.fromisoformat("2026-03-02T21:00:00-05:00")
    assert "13 h behind" in result.reasons[1].detail
    assert result.next_attempt_at == _utc(2026, 3, 3, 14)  # Tuesday 09:00 EST


def test_small_time_difference_still_counts_when_it_pushed_the_message_out_of_hours() -> None:
    # 10:00 in Shanghai is 07:30 in India: India is 2.5 h behind.
    result = explain_silence(_utc(2026, 3, 3, 2), _utc(2026, 3, 3, 4), calendar_for("IN"))
    assert result.codes == (R.OUTSIDE_BUSINESS_HOURS, R.TIMEZONE_GAP)
    assert "2.5 h behind" in result.reasons[1].detail


def test_holiday_anywhere_in_the_window_is_a_reason() -> None:
    # Sent Wednesday before Thanksgiving at 10:00 New York time, checked Friday.
    result = explain_silence(_utc(2026, 11, 25, 15), _utc(2026, 11, 27, 15), calendar_for("US"))
    assert R.PUBLIC_HOLIDAY in result.codes
    assert result.reasons[result.codes.index(R.PUBLIC_HOLIDAY)].detail == "Thanksgiving Day on Thu 2026-11-26"


def test_saudi_friday_and_saturday_are_the_weekend() -> None:
    # Thursday 10:00 Riyadh to Saturday 10:00 Riyadh.
    result = explain_silence(_utc(2027, 1, 7, 7), _utc(2027, 1, 9, 7), calendar_for("SA"))
    assert result.codes == (R.WEEKEND,)
    assert result.reasons[0].detail.startswith("Fri 2027-01-08, Sat 2027-01-09 fell on their weekend")
    assert result.next_attempt_at == _utc(2027, 1, 10, 6)  # Sunday 09:00 Riyadh


def test_vacation_in_the_window_gives_the_return_date() -> None:
    cal = calendar_for("DE", vacations=[DateRange(date(2027, 1, 4), date(2027, 1, 8))])
    result = explain_silence(_utc(2027, 1, 4, 9), _utc(2027, 1, 6, 9), cal)
    assert R.ON_VACATION in result.codes
    detail = result.reasons[result.codes.index(R.ON_VACATION)].detail
    assert detail == "away 2027-01-04 to 2027-01-08, back on Mon 2027-01-11"
    assert result.next_attempt_at == _utc(2027, 1, 11, 8)


def test_slow_replier_is_given_their_usual_time_at_their_usual_hour() -> None:
    history = ReplyHistory(median_latency=timedelta(days=3), usual_hours=(15,), reply_count=4, sample_size=5)
    # Tuesday 10:00 Tokyo, checked a day later.
    result = explain_silence(_utc(2026, 3, 10, 1), _utc(2026, 3, 11, 1), calendar_for("JP"), history)
    assert result.codes == (R.USUALLY_SLOW,)
    assert result.reasons[0].detail == "they usually reply after 3 d; 1 d has passed"
    assert result.next_attempt_at == _utc(2026, 3, 13, 6)  # Friday 15:00 Tokyo


def test_no_reason_found_when_sent_in_hours_on_ordinary_days() -> None:
    result = explain_silence(_utc(2026, 3, 10, 1), _utc(2026, 3, 12, 3), calendar_for("JP"))
    assert result.codes == (R.NO_REASON_FOUND,)
    assert result.next_attempt_at == _utc(2026, 3, 12, 3)


def test_weekend_stops_explaining_once_three_working_days_have_passed() -> None:
    # Monday 10:00 Tokyo to the Wednesday of the next week.
    result = explain_silence(_utc(2026, 3, 2, 1), _utc(2026, 3, 11, 1), calendar_for("JP"))
    assert result.codes == (R.NO_REASON_FOUND,)


def test_message_sent_on_their_weekend_is_explained_by_it() -> None:
    result = explain_silence(_utc(2027, 1, 8, 7), _utc(2027, 1, 8, 10), calendar_for("SA"))
    assert result.codes == (R.WEEKEND,)


def test_silence_explanation_refuses_now_before_sending() -> None:
    with pytest.raises(ValueError, match="before the message was sent"):
        explain_silence(_utc(2026, 3, 10, 1), _utc(2026, 3, 9, 1), calendar_for("JP"))
