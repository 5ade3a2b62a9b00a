"""Reply rates, the funnel and follow-up discipline, checked against numbers counted by hand.

The office calendar is Asia/Shanghai (UTC+8): weeks and the date range are read on its clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache

from followups import dashboard
from followups.activities import log_activity
from followups.dashboard import Filters, ReplyStats
from followups.models import FollowUpTask
from leads.models import Authenticity, Lead, Source, Stage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_cached_calendars() -> None:
    """Each test starts without the cached calendar list, so the SQL path is the one under test."""
    cache.delete(dashboard.calendar_keys_cache_key())


OFFICE = "Asia/Shanghai"
NOW = datetime(2027, 3, 20, tzinfo=UTC)
PERIOD = Filters(date(2027, 3, 1), date(2027, 3, 14))  # Mon Mar 1 to Sun Mar 14: two office weeks
HOUR = 3600


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def lead_in(country: str, owner=None, **fields) -> Lead:
    company = factories.CompanyFactory(country=country, fit_tier=fields.pop("tier", ""))
    contact = factories.ContactFactory(company=company)
    fields.setdefault("stage", Stage.QUALIFIED)
    return factories.LeadFactory(company=company, contact=contact, owner=owner, **fields)


def send(lead: Lead, when: datetime, channel: str = "email", user=None) -> None:
    log_activity(lead, user or lead.owner, "out", channel, occurred_at=when)


def reply(lead: Lead, when: datetime, channel: str = "email", *, auto: bool = False) -> None:
    log_activity(lead, None, "in", channel, occurred_at=when, is_auto_reply=auto)


@pytest.fixture
def conversations(rep, other_rep):
    l1 = lead_in("DE", rep)
    send(l1, at(2027, 3, 1, 2))
    reply(l1, at(2027, 3, 1, 8))  # 6 h
    l2 = lead_in("DE", rep)
    send(l2, at(2027, 3, 2, 2))  # answered by the reply below after 48 h
    send(l2, at(2027, 3, 3, 2), "whatsapp")  # a nudge, answered after 24 h
    reply(l2, at(2027, 3, 4, 2), "whatsapp")
    l3 = lead_in("US", other_rep)
    send(l3, at(2027, 3, 2, 10))
    reply(l3, at(2027, 3, 2, 10, 5), auto=True)  # an out-of-office is not an answer
    l4 = lead_in("US", other_rep)
    send(l4, at(2027, 3, 7, 20), "whatsapp")  # Sun 20:00 UTC is Mon Mar 8, 04:00 in Shanghai: week of Mar 8
    reply(l4, at(2027, 3, 8, 8), "whatsapp")  # 12 h
    l5 = lead_in("DE", other_rep)
    send(l5, at(2027, 3, 9, 2), user=rep)  # sent by rep on another rep's lead: counts for rep
    reply(l5, at(2027, 3, 20, 1))  # after `now`: not answered yet
    l6 = lead_in("US", rep)
    send(l6, at(2027, 2, 26, 2))  # before the period
    send(l6, at(2027, 3, 14, 17))  # Mon Mar 15, 01:00 in Shanghai: after the period
    l7 = lead_in("CN", rep)
    send(l7, at(2027, 3, 10, 2), "wechat")
    reply(l7, at(2027, 3, 10, 3), "wechat")  # 1 h
    l8 = lead_in("GB", other_rep)
    send(l8, at(2027, 2, 28, 16, 30))  # Mon Mar 1, 00:30 in Shanghai: in the period, week of Mar 1
    return rep, other_rep


def test_reply_rates_per_week_rep_channel_and_country(conversations) -> None:
    rep, other_rep = conversations
    result = dashboard.reply_rates(NOW, PERIOD, OFFICE, {rep.pk: "Rita", other_rep.pk: "Omar"})

    assert result.weeks == (date(2027, 3, 1), date(2027, 3, 8))
    # Week of Mar 1: l1 (6 h), l2 email (48 h), l2 whatsapp (24 h), l3 (none), l8 (none).
    # Week of Mar 8: l4 (12 h), l5 (reply after now), l7 (1 h).
    assert result.weekly == (ReplyStats(5, 3, 24 * HOUR), ReplyStats(3, 2, 6.5 * HOUR))
    assert result.total == ReplyStats(8, 5, 12 * HOUR)  # median of 1, 6, 12, 24, 48 h
    assert result.total.rate == pytest.approx(5 / 8)
    # Rita: l1, l2 x2, l5, l7 -> 4 of 5, median of 1, 6, 24, 48 h = 15 h. Omar: l3, l4, l8 -> 1 of 3, 12 h.
    assert [(row.label, row.stats) for row in result.by_rep] == [
        ("Rita", ReplyStats(5, 4, 15 * HOUR)),
        ("Omar", ReplyStats(3, 1, 12 * HOUR)),
    ]
    assert [(row.key, row.stats) for row in result.by_channel] == [
        ("email", ReplyStats(5, 2, 27 * HOUR)),  # l1 6 h, l2 48 h; l3, l5, l8 unanswered
        ("whatsapp", ReplyStats(2, 2, 18 * HOUR)),
        ("wechat", ReplyStats(1, 1, 1 * HOUR)),
    ]
    weekly_email = {key: per_week for key, _, per_week in result.weekly_by_channel}["email"]
    # Emails, week of Mar 1: l1, l2, l3, l8 (2 answered); week of Mar 8: l5 (not yet answered).
    assert [(stats.sent, stats.replied) for stats in weekly_email] == [(4, 2), (1, 0)]
    countries = {row.country: (row.total.sent, row.total.replied) for row in result.by_country}
    assert countries == {"DE": (4, 3), "US": (2, 1), "CN": (1, 1), "GB": (1, 0)}
    de = next(row for row in result.by_country if row.country == "DE")
    assert {channel: (stats.sent, stats.replied) for channel, stats in de.channels.items()} == {
        "email": (3, 2),
        "whatsapp": (1, 1),
    }


def test_reply_rates_follow_the_filters(conversations) -> None:
    rep, _ = conversations
    mine = dashboard.reply_rates(
        NOW, Filters(PERIOD.date_from, PERIOD.date_to, owner=str(rep.pk)), OFFICE, {}
    )
    assert mine.total == ReplyStats(5, 4, 15 * HOUR)
    americans = dashboard.reply_rates(
        NOW, Filters(PERIOD.date_from, PERIOD.date_to, country="US"), OFFICE, {}
    )
    assert americans.total == ReplyStats(2, 1, 12 * HOUR)
    second_week = dashboard.reply_rates(NOW, Filters(date(2027, 3, 8), date(2027, 3, 14)), OFFICE, {})
    assert second_week.weeks == (date(2027, 3, 8),)
    assert second_week.total == ReplyStats(3, 2, 6.5 * HOUR)


def test_funnel_per_source_with_share_of_fakes(rep) -> None:
    received = at(2027, 3, 3, 2)

    def lead(source: str, authenticity: str = "", tier: str = "", **fields) -> Lead:
        return lead_in(
            "DE", rep, source=source, authenticity=authenticity, tier=tier, received_at=received, **fields
        )

    won = lead(Source.ALIBABA, Authenticity.GENUINE, "A")
    send(won, at(2027, 3, 4, 2))
    reply(won, at(2027, 3, 5, 2))
    Lead.objects.filter(pk=won.pk).update(stage=Stage.WON)
    send(lead(Source.ALIBABA, Authenticity.GENUINE, "B"), at(2027, 3, 4, 2))  # contacted, silent
    lead(Source.ALIBABA, Authenticity.FAKE)
    off_target = lead(Source.ALIBABA, Authenticity.GENUINE, "C")
    send(off_target, at(2027, 3, 4, 2))  # contacted but not qualified: stops at "genuine"
    wrote_first = lead(Source.MADE_IN_CHINA, Authenticity.GENUINE, "A")
    reply(wrote_first, at(2027, 3, 3, 3))  # the buyer wrote before we did: not a reply to us
    send(wrote_first, at(2027, 3, 4, 2))
    lead(Source.MADE_IN_CHINA, Authenticity.SUSPICIOUS)
    lead(Source.MADE_IN_CHINA, Authenticity.FAKE)
    lead(Source.MADE_IN_CHINA, Authenticity.FAKE)
    answered = lead(Source.WEBSITE, Authenticity.GENUINE, "B")
    send(answered, at(2027, 3, 4, 2))
    reply(answered, at(2027, 3, 6, 2), auto=True)
    reply(answered, at(2027, 3, 7, 2))
    lead(Source.MANUAL)
    lead_in("DE", rep, source=Source.IMPORT, authenticity=Authenticity.GENUINE, tier="A",
            received_at=at(2027, 2, 28, 17))  # Mon Mar 1, 01:00 in Shanghai: in the period  # fmt: skip
    lead_in("DE", rep, source=Source.ALIBABA, authenticity=Authenticity.FAKE,
            received_at=at(2027, 3, 14, 16, 30))  # Mon Mar 15, 00:30 in Shanghai: after  # fmt: skip
    lead_in("DE", rep, source=Source.ALIBABA, received_at=at(2027, 2, 20))  # before the period

    result = dashboard.funnel(NOW, PERIOD, OFFICE)

    steps = {row.source: (row.received, row.genuine, row.qualified, row.contacted, row.replied, row.won, row.fake)
             for row in result.rows}  # fmt: skip
    assert steps == {
        "alibaba": (4, 3, 2, 2, 1, 1, 1),
        "made_in_china": (4, 1, 1, 1, 0, 0, 2),
        "website": (1, 1, 1, 1, 1, 0, 0),
        "email": (0, 0, 0, 0, 0, 0, 0),
        "manual": (1, 0, 0, 0, 0, 0, 0),
        "import": (1, 1, 1, 0, 0, 0, 0),
    }
    alibaba = result.rows[0]
    assert alibaba.fake_share == pytest.approx(0.25)
    assert result.rows[3].fake_share is None  # nothing received by email
    assert result.total.steps == (
        ("Received", 11),
        ("Genuine", 6),
        ("Qualified (A/B)", 5),
        ("Contacted", 4),
        ("Replied", 2),
        ("Won", 1),
    )
    assert result.total.fake == 3

    only_alibaba = dashboard.funnel(NOW, Filters(PERIOD.date_from, PERIOD.date_to, source="alibaba"), OFFICE)
    assert only_alibaba.total.received == 4


def test_discipline_counts_overdue_tasks_and_idle_leads_per_rep(rep, other_rep) -> None:
    def task(assignee, due_at: datetime, status: str = FollowUpTask.Status.OPEN) -> None:
        factories.FollowUpTaskFactory(
            lead=lead_in("DE", rep), assignee=assignee, due_at=due_at, status=status
        )

    task(rep, at(2027, 3, 19))
    task(rep, at(2027, 3, 10))
    task(rep, at(2027, 3, 21))  # not due yet
    task(rep, at(2027, 3, 1), FollowUpTask.Status.DONE)
    task(other_rep, at(2027, 3, 18))
    task(None, at(2027, 3, 15))
    # Release after 14 days: idle when the last activity is before Mar 6, 00:00 UTC.
    Lead.objects.update(last_activity_at=at(2027, 3, 19))  # the task leads above are all active
    lead_in("DE", rep, last_activity_at=at(2027, 3, 1))
    lead_in("DE", rep, last_activity_at=at(2027, 3, 10))
    lead_in("DE", rep, stage=Stage.WON, last_activity_at=at(2027, 1, 1))  # finished
    lead_in("DE", rep, last_activity_at=None, claimed_at=at(2027, 2, 1))
    lead_in("US", other_rep, last_activity_at=at(2027, 3, 5, 23, 59))
    lead_in("US", other_rep, last_activity_at=at(2027, 3, 6))  # exactly 14 days: not yet
    lead_in("US", None, last_activity_at=at(2027, 1, 1))  # in the pool already

    result = dashboard.discipline(NOW, PERIOD, 14, {rep.pk: "Rita", other_rep.pk: "Omar"})

    rows = {row.label: (row.overdue_tasks, row.oldest_due_at, row.idle_leads) for row in result.rows}
    assert rows == {
        "Rita": (2, at(2027, 3, 10), 2),
        "Omar": (1, at(2027, 3, 18), 1),
        "Unassigned": (1, at(2027, 3, 15), 0),
    }
    assert (result.overdue_total, result.idle_total) == (4, 3)
    americans = dashboard.discipline(NOW, Filters(PERIOD.date_from, PERIOD.date_to, country="US"), 14, {})
    assert (americans.overdue_total, americans.idle_total) == (0, 1)
