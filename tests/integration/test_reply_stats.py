"""The reply facts the dashboard reads from columns: kept true by every write path, and repairable in bulk."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.urls import reverse

from channels_ref.catalogue import ChannelKind
from followups import dashboard, history, reply_stats
from followups.activities import log_activity
from followups.models import Activity
from leads.models import Contact
from tests import factories

T0 = datetime(2027, 3, 1, 8, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture
def superuser_client(client):
    """The activity log is edited in the admin by superusers only (the Admin role edits reference lists)."""
    client.force_login(User.objects.create_superuser("root-user", "root@example.com", "x"))
    return client


def _lead():
    company = factories.CompanyFactory(country="DE")
    return factories.LeadFactory(company=company, contact=factories.ContactFactory(company=company))


def _replied_at(lead) -> list[tuple[datetime, datetime | None]]:
    return list(
        Activity.objects.filter(lead=lead, direction="out")
        .order_by("occurred_at")
        .values_list("occurred_at", "replied_at")
    )


def _median(contact_id: int) -> float | None:
    return Contact.objects.get(pk=contact_id).reply_median_s


@pytest.mark.django_db
def test_a_reply_answers_every_earlier_message_of_ours_and_not_the_later_ones() -> None:
    lead = _lead()
    log_activity(lead, None, "out", "email", occurred_at=T0)
    log_activity(lead, None, "out", "email", occurred_at=T0 + 24 * HOUR)  # a nudge
    log_activity(lead, None, "in", "email", occurred_at=T0 + 30 * HOUR)
    log_activity(lead, None, "in", "email", occurred_at=T0 + 31 * HOUR)  # they go on: answers nothing new
    log_activity(lead, None, "out", "email", occurred_at=T0 + 40 * HOUR)
    assert _replied_at(lead) == [
        (T0, T0 + 30 * HOUR),
        (T0 + 24 * HOUR, T0 + 30 * HOUR),
        (T0 + 40 * HOUR, None),
    ]
    # Paired with the latest message of ours before it: 6 h.
    assert _median(lead.contact_id) == 6 * 3600


@pytest.mark.django_db
def test_auto_replies_and_notes_are_not_answers() -> None:
    lead = _lead()
    log_activity(lead, None, "out", "email", occurred_at=T0)
    log_activity(lead, None, "in", "email", occurred_at=T0 + HOUR, is_auto_reply=True)
    log_activity(lead, None, "in", "email", occurred_at=T0 + 2 * HOUR, kind=Activity.Kind.NOTE)
    assert _replied_at(lead) == [(T0, None)]
    assert _median(lead.contact_id) is None


@pytest.mark.django_db
def test_a_message_of_ours_logged_late_gets_the_reply_that_came_after_it() -> None:
    lead = _lead()
    log_activity(lead, None, "in", "email", occurred_at=T0 + 5 * HOUR)
    assert _median(lead.contact_id) is None  # they wrote first: not a reply
    log_activity(lead, None, "out", "whatsapp", occurred_at=T0)  # logged afterwards, sent before
    assert _replied_at(lead) == [(T0, T0 + 5 * HOUR)]
    assert _median(lead.contact_id) == 5 * 3600


@pytest.mark.django_db
def test_the_reply_on_another_lead_does_not_answer_this_one() -> None:
    lead = _lead()
    other = factories.LeadFactory(company=lead.company, contact=lead.contact)
    log_activity(lead, None, "out", "email", occurred_at=T0)
    log_activity(other, None, "in", "email", occurred_at=T0 + HOUR)
    assert _replied_at(lead) == [(T0, None)]
    # The contact's median pairs their messages across leads, as the follow-up history does.
    assert _median(lead.contact_id) == 3600


@pytest.mark.django_db
def test_stored_median_equals_the_follow_up_history_on_random_conversations() -> None:
    rng = random.Random(11)
    for _ in range(25):
        lead = _lead()
        events = []
        moment = T0
        for _ in range(rng.randint(1, 12)):
            moment += timedelta(minutes=rng.randint(1, 5000))
            direction = rng.choice(["out", "out", "in"])
            auto = direction == "in" and rng.random() < 0.2
            log_activity(lead, None, direction, "email", occurred_at=moment, is_auto_reply=auto)
            if not auto:
                way = history.Direction.OUTBOUND if direction == "out" else history.Direction.INBOUND
                events.append(history.MessageEvent(at=moment, direction=way, channel=ChannelKind.EMAIL))
        expected = history.summarize_replies(events, "UTC").median_latency
        stored = _median(lead.contact_id)
        if expected is None:
            assert stored is None
        else:
            assert stored == pytest.approx(expected.total_seconds())


@pytest.mark.django_db
def test_a_message_keeps_the_buyer_country_it_was_sent_to() -> None:
    lead = _lead()  # company in DE, contact without a country of their own
    first = log_activity(lead, None, "out", "email", occurred_at=T0)
    Contact.objects.filter(pk=lead.contact_id).update(country="fr")  # they moved (stored lower case)
    second = log_activity(lead, None, "out", "email", occurred_at=T0 + HOUR)
    assert Activity.objects.get(pk=first.pk).buyer_country == "DE"
    assert Activity.objects.get(pk=second.pk).buyer_country == "FR"
    reply_stats.refresh_all()  # history is not rewritten
    assert Activity.objects.get(pk=first.pk).buyer_country == "DE"


@pytest.mark.django_db
def test_a_message_counts_for_its_author_else_the_rep_who_owned_the_lead_then(rep, other_rep) -> None:
    lead = _lead()
    lead.owner = rep
    lead.save(update_fields=["owner"])
    automatic = log_activity(lead, None, "out", "email", occurred_at=T0)  # sent by the cadence
    by_hand = log_activity(lead, other_rep, "out", "email", occurred_at=T0 + HOUR)  # a colleague helped
    lead.owner = other_rep
    lead.save(update_fields=["owner"])  # reassigned afterwards
    assert Activity.objects.get(pk=automatic.pk).rep == rep
    assert Activity.objects.get(pk=by_hand.pk).rep == other_rep
    stats = dashboard.reply_rates(
        T0 + 2 * HOUR, dashboard.Filters(date(2027, 3, 1), date(2027, 3, 1)), "UTC", dashboard.people()
    )
    assert {row.key: row.stats.sent for row in stats.by_rep} == {str(rep.pk): 1, str(other_rep.pk): 1}


@pytest.mark.django_db
def test_refresh_all_repairs_rows_written_past_log_activity() -> None:
    lead = _lead()
    Activity.objects.bulk_create(
        [
            Activity(lead=lead, contact=lead.contact, direction="out", channel="email", occurred_at=T0),
            Activity(
                lead=lead, contact=lead.contact, direction="in", channel="email", occurred_at=T0 + 3 * HOUR
            ),
        ]
    )
    assert _replied_at(lead) == [(T0, None)]
    reply_stats.refresh_all()
    assert _replied_at(lead) == [(T0, T0 + 3 * HOUR)]
    assert _median(lead.contact_id) == 3 * 3600
    assert set(Activity.objects.values_list("buyer_country", flat=True)) == {"DE"}
    # A reply deleted behind our back (a cascade, raw SQL) is forgotten by the next full refresh.
    Activity.objects.filter(direction="in").delete()
    reply_stats.refresh_all()
    assert _replied_at(lead) == [(T0, None)]
    assert _median(lead.contact_id) is None


@pytest.mark.django_db
def test_deleting_a_reply_in_the_admin_clears_what_it_answered(superuser_client) -> None:
    lead = _lead()
    log_activity(lead, None, "out", "email", occurred_at=T0)
    answer = log_activity(lead, None, "in", "email", occurred_at=T0 + 2 * HOUR)
    response = superuser_client.post(
        reverse("admin:followups_activity_delete", args=[answer.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert _replied_at(lead) == [(T0, None)]
    assert _median(lead.contact_id) is None


@pytest.mark.django_db
def test_moving_a_reply_to_another_contact_in_the_admin_updates_both(superuser_client) -> None:
    lead = _lead()
    log_activity(lead, None, "out", "email", occurred_at=T0)
    answer = log_activity(lead, None, "in", "email", occurred_at=T0 + 2 * HOUR)
    colleague = factories.ContactFactory(company=lead.company)
    url = reverse("admin:followups_activity_change", args=[answer.pk])
    form = {
        "lead": lead.pk,
        "contact": colleague.pk,
        "direction": "in",
        "kind": "message",
        "channel": "email",
        "occurred_at_0": "2027-03-02",  # a day later, whatever the admin's time zone
        "occurred_at_1": "11:00:00",
        "subject": "",
        "body": "",
        "message_id": "",
        "in_reply_to": "",
        "metadata": "{}",
    }
    response = superuser_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    moved = Activity.objects.get(pk=answer.pk)
    assert moved.occurred_at > T0 + 2 * HOUR
    assert _replied_at(lead) == [(T0, moved.occurred_at)]
    assert _median(lead.contact_id) is None  # the reply is no longer theirs
    assert _median(colleague.pk) is None  # and the colleague never had a message of ours before it


def _leads_waiting(owner, count: int) -> None:
    for index in range(count):
        lead = _lead()
        lead.owner = owner
        lead.save(update_fields=["owner"])
        sent = T0 - timedelta(days=3 * index, hours=index)
        log_activity(lead, owner, "out", "email", occurred_at=sent)
        if index % 3 == 0:
            log_activity(lead, None, "in", "email", occurred_at=sent + timedelta(hours=5 + index))
            log_activity(lead, owner, "out", "email", occurred_at=sent + timedelta(hours=30 + index))


def _client_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND backend_type = 'client backend'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_on_two_connections_gives_the_numbers_of_one(rep) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two connections in one snapshot need PostgreSQL")
    _leads_waiting(rep, 12)
    now = T0 + timedelta(days=2)
    filters = dashboard.Filters(date(2027, 1, 1), date(2027, 3, 2))
    names = dashboard.people()
    assert not connection.in_atomic_block
    assert dashboard._can_split(dashboard.SECTIONS)
    connections_before = _client_connections()
    split = dashboard.build_dashboard(filters, now, office_tz="Asia/Shanghai", release_days=14, names=names)
    connections_after = _client_connections()
    # Forced onto one connection: inside a transaction the split is off.
    with transaction.atomic():
        assert not dashboard._can_split(dashboard.SECTIONS)
        single = dashboard.build_dashboard(
            filters, now, office_tz="Asia/Shanghai", release_days=14, names=names
        )
    assert split == single
    assert split.unanswered is not None
    assert split.unanswered.total == 12  # our message is the last on every lead
    assert connections_after == connections_before  # the helper thread's connection was closed
