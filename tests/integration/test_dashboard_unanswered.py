"""Unanswered leads are bucketed by business days in the buyer's own calendar, with a likely reason.

Every expected bucket and reason below is counted by hand from the calendar in the comment next to it.
Office time zone: Asia/Shanghai (UTC+8). Business hours 09:00-18:00 local.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache

from followups import dashboard
from followups.activities import log_activity
from followups.dashboard import Filters
from followups.waiting import LikelyReason, WaitBucket
from leads.models import Lead, Stage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_cached_calendars() -> None:
    """Each test starts without the cached calendar list, so the SQL path is the one under test."""
    cache.delete(dashboard.calendar_keys_cache_key())


OFFICE = "Asia/Shanghai"


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def lead_in(
    country: str,
    *,
    subdivision: str = "",
    time_zone: str = "",
    owner=None,
    vacation: tuple[date | None, date | None] = (None, None),
    stage: str = Stage.QUALIFIED,
) -> Lead:
    company = factories.CompanyFactory(country=country, subdivision=subdivision)
    contact = factories.ContactFactory(
        company=company, time_zone=time_zone, vacation_from=vacation[0], vacation_until=vacation[1]
    )
    return factories.LeadFactory(company=company, contact=contact, owner=owner, stage=stage)


def send(lead: Lead, when: datetime, channel: str = "email") -> None:
    log_activity(lead, lead.owner, "out", channel, occurred_at=when)


def reply(lead: Lead, when: datetime, channel: str = "email", *, auto: bool = False) -> None:
    log_activity(lead, None, "in", channel, occurred_at=when, is_auto_reply=auto)


def classified(now: datetime, **filters: str) -> dict[int, tuple[WaitBucket, LikelyReason]]:
    """Each waiting lead's (bucket, reason), read back through the drill-down id lists."""
    period = Filters(date(2026, 1, 1), date(2027, 12, 31), **filters)
    result = {}
    for bucket in WaitBucket:
        for reason in LikelyReason:
            for lead_id in dashboard.unanswered_lead_ids(now, period, OFFICE, waiting=bucket, reason=reason):
                assert lead_id not in result, f"lead {lead_id} counted twice"
                result[lead_id] = (bucket, reason)
    return result


def totals(now: datetime) -> dashboard.Unanswered:
    return dashboard.unanswered(now, Filters(date(2026, 1, 1), date(2027, 12, 31)), OFFICE, {})


def test_german_contact_over_christmas_2026_counts_only_german_business_days() -> None:
    # Berlin is UTC+1 in winter. German public holidays: Fri Dec 25, Sat Dec 26, Fri Jan 1.
    now = at(2027, 1, 5, 11)  # Tue Jan 5, 12:00 Berlin
    before_christmas = lead_in("DE")
    send(before_christmas, at(2026, 12, 22, 9))  # Tue Dec 22, 10:00 Berlin
    # After Dec 22: Dec 23, 24, 28, 29, 30, 31, Jan 4, 5 = 8 business days (14 calendar days): 7-13 bucket.
    between_holidays = lead_in("DE")
    send(between_holidays, at(2026, 12, 30, 15))  # Wed Dec 30, 16:00 Berlin
    # After Dec 30: Dec 31, Jan 4, Jan 5 = 3 business days (6 calendar days): 3-6 bucket; Jan 1 in between.
    after_holidays = lead_in("DE")
    send(after_holidays, at(2027, 1, 4, 8, 30))  # Mon Jan 4, 09:30 Berlin, in their hours
    # After Jan 4: Jan 5 = 1 business day. No holiday since; Berlin is 7 h behind Shanghai: a time-zone gap.

    assert classified(now) == {
        before_christmas.pk: (WaitBucket.DAYS_7, LikelyReason.HOLIDAY),
        between_holidays.pk: (WaitBucket.DAYS_3, LikelyReason.HOLIDAY),
        after_holidays.pk: (WaitBucket.UNDER_3, LikelyReason.TIMEZONE_GAP),
    }
    assert totals(now).totals == (1, 1, 1, 0, 0)


def test_saudi_contact_has_a_friday_saturday_weekend() -> None:
    # Riyadh is UTC+3, 5 h from Shanghai (no gap on its own). No Saudi holiday between Sep 23 and Feb 22.
    now = at(2027, 1, 15, 9)  # Fri Jan 15, 12:00 Riyadh: their weekend
    tuesday = lead_in("SA")
    send(tuesday, at(2027, 1, 12, 6))  # Tue Jan 12, 09:00 Riyadh
    # After Tue: Wed 13, Thu 14 = 2 (Fri is their weekend): under 3. A Sat/Sun weekend would say 3.
    sunday_slow = lead_in("SA")
    # Earlier replies took 10, 7 and 9 days: median 9 days.
    send(sunday_slow, at(2026, 11, 1, 6))
    reply(sunday_slow, at(2026, 11, 11, 6))
    send(sunday_slow, at(2026, 12, 1, 6))
    reply(sunday_slow, at(2026, 12, 8, 6))
    send(sunday_slow, at(2026, 12, 20, 6))
    reply(sunday_slow, at(2026, 12, 29, 6))
    send(sunday_slow, at(2027, 1, 10, 7))  # Sun Jan 10, 10:00 Riyadh: a working day there
    # After Sun: Mon 11, Tue 12, Wed 13, Thu 14 = 4: 3-6 bucket. Waited 5 d 2 h < 9 d median: usually slow.
    evening = lead_in("SA")
    send(evening, at(2027, 1, 11, 17))  # Mon Jan 11, 20:00 Riyadh: after their hours
    # After Mon: Tue, Wed, Thu = 3: 3-6 bucket; sent outside their business hours: time-zone gap.

    assert classified(now) == {
        tuesday.pk: (WaitBucket.UNDER_3, LikelyReason.NONE),
        sunday_slow.pk: (WaitBucket.DAYS_3, LikelyReason.SLOW_REPLIES),
        evening.pk: (WaitBucket.DAYS_3, LikelyReason.TIMEZONE_GAP),
    }


def test_chinese_contact_over_spring_festival_2027() -> None:
    # Shanghai, same zone as the office. Holidays: Feb 5 (New Year's Eve) to Feb 10 (observed days).
    now = at(2027, 2, 12, 3)  # Fri Feb 12, 11:00 Shanghai
    before_festival = lead_in("CN")
    send(before_festival, at(2027, 2, 3, 2))  # Wed Feb 3, 10:00
    # After Feb 3: Thu 4, Thu 11, Fri 12 = 3 (9 calendar days): 3-6 bucket, holiday.
    three_weeks = lead_in("CN")
    send(three_weeks, at(2027, 1, 20, 3))  # Wed Jan 20, 11:00
    # After Jan 20: Jan 21, 22, 25-29, Feb 1-4, 11, 12 = 2 + 5 + 4 + 2 = 13 (23 calendar days): 7-13, holiday.
    after_festival = lead_in("CN")
    send(after_festival, at(2027, 2, 11, 1))  # Thu Feb 11, 09:00, in their hours, no gap
    # After Feb 11: Feb 12 = 1: under 3, and nothing explains the silence.

    assert classified(now) == {
        before_festival.pk: (WaitBucket.DAYS_3, LikelyReason.HOLIDAY),
        three_weeks.pk: (WaitBucket.DAYS_7, LikelyReason.HOLIDAY),
        after_festival.pk: (WaitBucket.UNDER_3, LikelyReason.NONE),
    }


def test_us_contact_across_the_daylight_saving_change() -> None:
    # New York moves from UTC-5 to UTC-4 on Sun Mar 14, 2027.
    now = at(2027, 3, 16, 4, 30)  # Tue Mar 16, 00:30 EDT (it would still be Mon 23:30 at UTC-5)
    thursday = lead_in("US")
    send(thursday, at(2027, 3, 11, 15))  # Thu Mar 11, 10:00 EST
    # After Thu: Fri 12, Mon 15, Tue 16 = 3: 3-6 bucket. Ignoring the change (today = Mon 15) would give 2.
    pacific_evening = lead_in("US", subdivision="CA")
    send(pacific_evening, at(2027, 3, 12, 7, 30))  # Thu Mar 11, 23:30 PST (Fri Mar 12 in UTC)
    # Los Angeles today is Mon Mar 15 (21:30 PDT). After Thu 11: Fri 12, Mon 15 = 2: under 3.

    assert classified(now) == {
        thursday.pk: (WaitBucket.DAYS_3, LikelyReason.TIMEZONE_GAP),
        pacific_evening.pk: (WaitBucket.UNDER_3, LikelyReason.TIMEZONE_GAP),
    }


def test_vacation_days_do_not_count_and_explain_the_silence() -> None:
    now = at(2027, 1, 20, 10)  # Wed Jan 20, 11:00 Berlin. No German public holiday from Jan 2 to Good Friday.
    away_all_week = lead_in("DE", vacation=(date(2027, 1, 11), date(2027, 1, 15)))
    send(away_all_week, at(2027, 1, 8, 10))  # Fri Jan 8
    # After Fri 8: Jan 11-15 away; Mon 18, Tue 19, Wed 20 = 3 (8 without the vacation): 3-6, vacation.
    back_on_14th = lead_in("DE", vacation=(None, date(2027, 1, 13)))
    send(back_on_14th, at(2027, 1, 11, 10))  # Mon Jan 11; an out-of-office said "back on Jan 14"
    # Away from sending to Wed 13: Thu 14, Fri 15, Mon 18, Tue 19, Wed 20 = 5 (7 without): 3-6, vacation.
    back_before_we_wrote = lead_in("DE", vacation=(date(2027, 1, 4), date(2027, 1, 11)))
    send(back_before_we_wrote, at(2027, 1, 12, 10))  # Tue Jan 12, the day after they came back
    # After Tue 12: W13, Th14, F15, M18, T19, W20 = 6: 3-6. The vacation ended before: time-zone gap.
    leaving_next_month = lead_in("DE", vacation=(date(2027, 2, 1), date(2027, 2, 5)))
    send(leaving_next_month, at(2027, 1, 14, 10))  # Thu Jan 14
    # After Thu 14: F15, M18, T19, W20 = 4: 3-6; the vacation is still ahead: time-zone gap.
    old_vacation = lead_in("DE", vacation=(date(2026, 12, 1), date(2026, 12, 5)))
    send(old_vacation, at(2027, 1, 18, 10))  # Mon Jan 18
    # After Mon 18: T19, W20 = 2: under 3.

    assert classified(now) == {
        away_all_week.pk: (WaitBucket.DAYS_3, LikelyReason.VACATION),
        back_on_14th.pk: (WaitBucket.DAYS_3, LikelyReason.VACATION),
        back_before_we_wrote.pk: (WaitBucket.DAYS_3, LikelyReason.TIMEZONE_GAP),
        leaving_next_month.pk: (WaitBucket.DAYS_3, LikelyReason.TIMEZONE_GAP),
        old_vacation.pk: (WaitBucket.UNDER_3, LikelyReason.TIMEZONE_GAP),
    }


def test_a_day_starts_at_the_contacts_local_midnight_after_the_clock_change() -> None:
    now = at(2027, 3, 18, 16)  # Thu Mar 18, 12:00 EDT (UTC-4 since Sun Mar 14)
    monday_night = lead_in("US")
    send(monday_night, at(2027, 3, 16, 3, 30))  # Mon Mar 15, 23:30 EDT
    # After Mon 15: Tue 16, Wed 17, Thu 18 = 3: 3-6 bucket.
    just_after_midnight = lead_in("US")
    send(just_after_midnight, at(2027, 3, 16, 4, 30))  # Tue Mar 16, 00:30 EDT (23:30 Monday at UTC-5)
    # After Tue 16: Wed 17, Thu 18 = 2: under 3. The day boundary is 04:00 UTC, not 00:00 or 05:00.

    assert classified(now) == {
        monday_night.pk: (WaitBucket.DAYS_3, LikelyReason.TIMEZONE_GAP),
        just_after_midnight.pk: (WaitBucket.UNDER_3, LikelyReason.TIMEZONE_GAP),
    }


def test_thirty_business_days_and_more_is_the_last_bucket() -> None:
    now = at(2027, 3, 16, 4, 30)  # Tue Mar 16, 00:30 New York
    # US holidays in between: Mon Feb 15 (Washington's Birthday). Counting back from Tue Mar 16:
    # Mar 16, 15, 12, 11, 10, 9, 8, 5, 4, 3, 2, 1 (12), Feb 26..22 (17), Feb 19..16 (21, Feb 15 off),
    # Feb 12..8 (26), Feb 5, 4, 3, 2 (30): the 30th business day back is Tue Feb 2.
    last_day_of_29 = lead_in("US")
    send(last_day_of_29, at(2027, 2, 2, 15))  # Tue Feb 2, 10:00 EST: 29 business days after it
    thirty = lead_in("US")
    send(thirty, at(2027, 2, 1, 15))  # Mon Feb 1: 30 business days after it

    buckets = {lead_id: bucket for lead_id, (bucket, _) in classified(now).items()}
    assert buckets == {last_day_of_29.pk: WaitBucket.DAYS_14, thirty.pk: WaitBucket.DAYS_30}


def test_replied_closed_and_auto_replied_leads_are_handled() -> None:
    now = at(2027, 1, 20, 10)
    answered = lead_in("DE")
    send(answered, at(2027, 1, 11, 10))
    reply(answered, at(2027, 1, 12, 10))
    only_out_of_office = lead_in("DE")
    send(only_out_of_office, at(2027, 1, 11, 10))
    reply(only_out_of_office, at(2027, 1, 11, 10, 5), auto=True)
    won = lead_in("DE", stage=Stage.WON)
    Lead.objects.filter(pk=won.pk).update(last_outbound_at=at(2027, 1, 11, 10))
    junk = lead_in("DE", stage=Stage.JUNK)
    Lead.objects.filter(pk=junk.pk).update(last_outbound_at=at(2027, 1, 11, 10))
    never_contacted = lead_in("DE")

    # Mon Jan 11 to Wed Jan 20: T12, W13, T14, F15, M18, T19, W20 = 7 business days.
    assert classified(now) == {only_out_of_office.pk: (WaitBucket.DAYS_7, LikelyReason.TIMEZONE_GAP)}
    assert never_contacted.pk not in classified(now)


def test_splits_by_rep_country_and_reason_add_up(rep, other_rep) -> None:
    now = at(2027, 1, 5, 11)  # Tue Jan 5, 2027
    # Rep: two Germans over Christmas (7-13 holiday, 3-6 holiday) and one Chinese lead of yesterday.
    send(lead_in("DE", owner=rep), at(2026, 12, 22, 9))
    send(lead_in("DE", owner=rep), at(2026, 12, 30, 15))
    send(lead_in("CN", owner=rep), at(2027, 1, 4, 2))  # Mon Jan 4, 10:00 Shanghai: 1 day, no reason
    # Other rep: a US lead from Dec 28 (Mon): Dec 29, 30, 31, Jan 4, 5 = 5 (Jan 1 off): 3-6, holiday.
    send(lead_in("US", owner=other_rep), at(2026, 12, 28, 15))
    # Pool: a Saudi lead sent Sun Dec 6, 10:00 Riyadh. Saudi business days Dec 7 .. Jan 5: Sun-Thu weeks
    # Dec 7-10 (4), 13-17 (5), 20-24 (5), 27-31 (5), Jan 3-5 (3) = 22: 14-29; no holiday since Sep 23;
    # 5 h from Shanghai, sent in their hours: no reason.
    send(lead_in("SA"), at(2026, 12, 6, 7))

    result = dashboard.unanswered(
        now, Filters(date(2026, 1, 1), date(2027, 12, 31)), OFFICE, {rep.pk: "Rita"}
    )
    #                    <3  3-6 7-13 14-29 30+
    assert result.totals == (1, 2, 1, 1, 0)
    by_rep = {row.key: (row.label, row.counts) for row in result.by_rep}
    assert by_rep == {
        str(rep.pk): ("Rita", (1, 1, 1, 0, 0)),
        str(other_rep.pk): (f"User {other_rep.pk}", (0, 1, 0, 0, 0)),
        "": ("Pool (unowned)", (0, 0, 0, 1, 0)),
    }
    assert {row.key: row.counts for row in result.by_country} == {
        "DE": (0, 1, 1, 0, 0),
        "CN": (1, 0, 0, 0, 0),
        "US": (0, 1, 0, 0, 0),
        "SA": (0, 0, 0, 1, 0),
    }
    assert {row.key: row.counts for row in result.by_reason} == {
        "holiday": (0, 2, 1, 0, 0),
        "none": (1, 0, 0, 1, 0),
    }
    assert [row.key for row in result.by_reason_bucket] == [reason.value for reason in LikelyReason]

    only_rep = dashboard.unanswered(
        now, Filters(date(2026, 1, 1), date(2027, 12, 31), owner=str(rep.pk)), OFFICE, {}
    )
    assert only_rep.totals == (1, 1, 1, 0, 0)
    only_pool = dashboard.unanswered(
        now, Filters(date(2026, 1, 1), date(2027, 12, 31), owner="pool"), OFFICE, {}
    )
    assert only_pool.totals == (0, 0, 0, 1, 0)
    germans = dashboard.unanswered(
        now, Filters(date(2026, 1, 1), date(2027, 12, 31), country="DE"), OFFICE, {}
    )
    assert germans.totals == (0, 1, 1, 0, 0)


def test_contact_country_wins_over_company_country() -> None:
    # A Saudi buyer working for a German company is in the Saudi calendar.
    now = at(2027, 1, 15, 9)  # Fri Jan 15
    company = factories.CompanyFactory(country="DE", subdivision="BY")
    contact = factories.ContactFactory(company=company, country="SA")
    lead = factories.LeadFactory(company=company, contact=contact, stage=Stage.QUALIFIED)
    send(lead, at(2027, 1, 12, 6))  # Tue Jan 12, 09:00 Riyadh: Wed, Thu = 2 (Fri is their weekend)

    assert classified(now) == {lead.pk: (WaitBucket.UNDER_3, LikelyReason.NONE)}
    assert classified(now, country="SA") == {lead.pk: (WaitBucket.UNDER_3, LikelyReason.NONE)}
    assert classified(now, country="DE") == {}


def test_leads_in_calendars_missing_from_the_cached_list_are_classified_in_python(postgres_url) -> None:
    # The calendar list only exists on PostgreSQL, where the CASE expressions need it.
    now = at(2027, 1, 5, 11)
    german = lead_in("DE")
    send(german, at(2026, 12, 22, 9))
    assert classified(now) == {german.pk: (WaitBucket.DAYS_7, LikelyReason.HOLIDAY)}
    assert cache.get(dashboard.calendar_keys_cache_key()) == [("DE", "", "")]
    american = lead_in("US")
    send(american, at(2026, 12, 28, 15))  # Dec 29, 30, 31, Jan 4, 5 = 5 business days (Jan 1 off)

    assert classified(now) == {
        german.pk: (WaitBucket.DAYS_7, LikelyReason.HOLIDAY),
        american.pk: (WaitBucket.DAYS_3, LikelyReason.HOLIDAY),
    }
    assert sorted(cache.get(dashboard.calendar_keys_cache_key())) == [("DE", "", ""), ("US", "", "")]


@pytest.mark.parametrize("days_in_sql", [dashboard.VACATION_DAYS_IN_SQL, 20])
def test_sql_classifies_every_lead_as_python_does(postgres_url, monkeypatch, rep, days_in_sql) -> None:
    """Random buyers in several calendars, with vacations of every shape, counted by the SQL and the Python path.

    With only 20 days of running totals in SQL, vacations farther back are decided by the lower bound or sent
    to Python: the result must not change.
    """
    monkeypatch.setattr(dashboard, "VACATION_DAYS_IN_SQL", days_in_sql)
    rng = random.Random(days_in_sql)
    now = at(2027, 3, 10, 9, 30)
    for _ in range(160):
        country = rng.choice(["DE", "US", "SA", "CN", "IN", "BR", "JP"])
        vacation: tuple[date | None, date | None] = (None, None)
        if rng.random() < 0.7:
            until = now.date() + timedelta(days=rng.randint(-300, 20))
            start = None if rng.random() < 0.2 else until - timedelta(days=rng.choice([0, 2, 9, 30, 90, 250]))
            vacation = (start, until)
        lead = lead_in(
            country,
            subdivision=rng.choice(["", "CA"]) if country == "US" else "",
            time_zone=rng.choice(["", "", "America/Chicago"]) if country == "US" else "",
            owner=rng.choice([rep, None]),
            vacation=vacation,
        )
        send(lead, now - timedelta(minutes=rng.randint(0, 400 * 24 * 60)))
    period = Filters(date(2026, 1, 1), date(2027, 12, 31))

    in_sql = dashboard._classified_in_postgres(now, period, OFFICE)
    in_python = dashboard._classified_in_python(now, period, OFFICE)

    assert in_sql == in_python
    assert (
        sum(count for (_, _, _, reason), count in in_python.items() if reason == LikelyReason.VACATION) > 40
    )
    for wanted in (dashboard.Wanted((WaitBucket.DAYS_30,), "vacation"), dashboard.Wanted((), "holiday")):
        assert dashboard._classified_in_postgres(
            now, period, OFFICE, wanted
        ) == dashboard._classified_in_python(now, period, OFFICE, wanted)
