"""The follow-up scheduler on PostgreSQL: steps in the contact's calendar, idempotent runs, the switch to a
chat app, holds from out-of-office notes, replies that stop it, and leads going back to the pool."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followups.activities import log_activity
from followups.models import Activity, FollowUpTask
from followups.scheduler import RELEASE_EVENT, run_scheduler
from leads import pool
from leads.models import CustomerCategory, Lead, Stage
from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

OUT = Activity.Direction.OUTBOUND
IN = Activity.Direction.INBOUND


@pytest.fixture(autouse=True)
def _on_postgres(postgres_url: str) -> None:
    """Every test here runs against PostgreSQL (skipped, or failed in CI, without it)."""


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _lead(
    owner, country: str = "DE", time_zone: str = "", channels: tuple[str, ...] = (), **lead_fields
) -> Lead:  # type: ignore[no-untyped-def]
    company = factories.CompanyFactory(country=country)
    contact = factories.ContactFactory(company=company, time_zone=time_zone)
    handles = {"whatsapp": "+4915123456789", "telegram": "uvbuyer_hans", "wechat": "uvbuyer2026"}
    for kind in channels:
        factories.ContactChannelFactory(
            contact=contact, kind=kind, value=handles[kind], normalized=handles[kind]
        )
    return factories.LeadFactory(company=company, contact=contact, owner=owner, **lead_fields)


def _send(lead: Lead, at: datetime, channel: str = "email") -> Activity:
    return log_activity(lead, lead.owner, OUT, channel=channel, subject="Quote for UV lamps", occurred_at=at)


def _tasks(lead: Lead) -> list[FollowUpTask]:
    return list(FollowUpTask.objects.filter(lead=lead).order_by("created_at", "id"))


# --- the first step ----------------------------------------------------------------------------------------


def test_first_step_due_creates_one_task_for_the_owner_and_a_second_run_creates_nothing(rep) -> None:
    lead = _lead(rep)
    _send(lead, _utc(2026, 3, 2, 9))  # Monday 10:00 in Berlin
    now = _utc(2026, 3, 5, 8)  # Thursday 09:00 in Berlin: two business days have passed

    first = run_scheduler(now=now)
    second = run_scheduler(now=now)

    (task,) = _tasks(lead)
    assert (task.assignee, task.contact, task.channel, task.step, task.due_at) == (
        rep,
        lead.contact,
        "email",
        1,
        now,
    )
    assert task.cadence_key
    assert "2 business days after message 1" in task.reason
    assert (first.tasks_created, second.tasks_created) == (1, 0)


def test_nothing_is_created_before_the_first_step_is_due(rep) -> None:
    lead = _lead(rep)
    _send(lead, _utc(2026, 3, 2, 9))

    report = run_scheduler(now=_utc(2026, 3, 3, 16))  # Tuesday: one business day

    assert _tasks(lead) == []
    assert report.decisions == {"wait": 1}


def test_step_found_outside_their_hours_is_due_at_their_next_opening_across_a_dst_change(rep) -> None:
    # Los Angeles moves to daylight saving time on Sunday 8 March 2026: 09:00 there is 16:00 UTC after it.
    lead = _lead(rep, country="US", time_zone="America/Los_Angeles")
    _send(lead, _utc(2026, 3, 6, 17))  # Friday 09:00 PST

    run_scheduler(now=_utc(2026, 3, 10, 6))  # Monday 23:00 PDT: one business day only
    assert _tasks(lead) == []
    run_scheduler(now=_utc(2026, 3, 11, 3))  # Tuesday 20:00 PDT: due, but after their hours

    (task,) = _tasks(lead)
    assert task.due_at == _utc(2026, 3, 11, 16)  # Wednesday 09:00 PDT


def test_public_holidays_in_the_contacts_country_do_not_count_as_waiting_days(rep) -> None:
    lead = _lead(rep, country="DE")
    _send(lead, _utc(2026, 4, 2, 8))  # Thursday before Easter; Good Friday and Easter Monday follow

    run_scheduler(now=_utc(2026, 4, 7, 15))  # Tuesday: only one business day since
    assert _tasks(lead) == []
    run_scheduler(now=_utc(2026, 4, 8, 7))  # Wednesday 09:00 CEST

    (task,) = _tasks(lead)
    assert task.due_at == _utc(2026, 4, 8, 7)
    assert "Good Friday" in task.reason
    assert "Easter Monday" in task.reason


def test_a_chinese_contact_waits_through_the_spring_festival_and_works_the_make_up_saturday(rep) -> None:
    lead = _lead(rep, country="CN")
    _send(lead, _utc(2026, 2, 13, 2))  # Friday 10:00 in Shanghai; Saturday the 14th is a working day

    run_scheduler(now=_utc(2026, 2, 20, 2))  # in the middle of the festival
    assert _tasks(lead) == []
    run_scheduler(now=_utc(2026, 2, 24, 1))  # Tuesday 09:00, the first working day after it

    (task,) = _tasks(lead)
    assert task.due_at == _utc(2026, 2, 24, 1)
    assert "Spring Festival" in task.reason


# --- later steps, the switch to a chat app, the end -------------------------------------------------------


def test_after_two_unanswered_emails_the_next_step_goes_to_their_best_chat_app(rep) -> None:
    lead = _lead(rep, country="DE", channels=("telegram", "whatsapp"))
    _send(lead, _utc(2026, 3, 2, 9))
    run_scheduler(now=_utc(2026, 3, 4, 9))
    _send(lead, _utc(2026, 3, 4, 10))  # the first follow-up goes out, closing its task

    run_scheduler(now=_utc(2026, 3, 11, 9))  # five business days later

    first, second = _tasks(lead)
    assert first.status == FollowUpTask.Status.DONE
    assert (second.status, second.step, second.channel) == (FollowUpTask.Status.OPEN, 2, "whatsapp")
    assert "switching to WhatsApp" in second.reason


def test_without_a_chat_handle_the_third_message_is_an_email_asking_for_one(rep) -> None:
    lead = _lead(rep, country="DE")
    _send(lead, _utc(2026, 3, 2, 9))
    _send(lead, _utc(2026, 3, 4, 10))

    run_scheduler(now=_utc(2026, 3, 11, 9))

    (task,) = _tasks(lead)
    assert task.channel == "email"
    assert "WhatsApp" in task.reason


def test_custom_steps_from_settings_change_the_wait(rep, settings) -> None:
    settings.LEADS_CADENCE_STEPS = [1, 3]
    lead = _lead(rep)
    _send(lead, _utc(2026, 3, 2, 9))

    run_scheduler(now=_utc(2026, 3, 3, 9))

    assert len(_tasks(lead)) == 1


def test_the_last_unanswered_step_sends_the_lead_to_the_pool_once(rep, settings) -> None:
    settings.LEADS_POOL_RELEASE_DAYS = 60  # only the cadence may release it here
    lead = _lead(rep, channels=("whatsapp",))
    _send(lead, _utc(2026, 3, 2, 9))
    _send(lead, _utc(2026, 3, 4, 9))
    _send(lead, _utc(2026, 3, 11, 9), channel="whatsapp")
    run_scheduler(now=_utc(2026, 3, 24, 9))  # nine business days after the third message
    lead.refresh_from_db()
    assert lead.owner == rep
    manual = factories.FollowUpTaskFactory(lead=lead, due_at=_utc(2026, 3, 26, 9))

    first = run_scheduler(now=_utc(2026, 3, 25, 9))  # ten business days
    second = run_scheduler(now=_utc(2026, 3, 25, 9))

    lead.refresh_from_db()
    manual.refresh_from_db()
    assert (lead.owner, lead.claimed_at) == (None, None)
    assert manual.status == FollowUpTask.Status.CANCELLED
    markers = Activity.objects.filter(lead=lead, kind=Activity.Kind.SYSTEM, metadata__event=RELEASE_EVENT)
    assert markers.count() == 1
    assert markers.get().metadata["reason"] == "cadence_finished"
    assert (first.released_after_cadence, second.released_after_cadence) == (1, 0)


def test_a_rep_who_claims_a_released_lead_starts_a_new_sequence(rep, other_rep) -> None:
    lead = _lead(rep)
    for at in (_utc(2026, 3, 2, 9), _utc(2026, 3, 4, 9), _utc(2026, 3, 11, 9)):
        _send(lead, at)
    run_scheduler(now=_utc(2026, 3, 25, 9))
    assert pool.claim(lead.pk, other_rep) is pool.ClaimOutcome.CLAIMED
    lead.refresh_from_db()

    run_scheduler(now=_utc(2026, 3, 26, 9))
    assert _tasks(lead) == []  # claimed, nothing sent yet: nothing to follow up
    _send(lead, _utc(2026, 3, 26, 10))
    run_scheduler(now=_utc(2026, 3, 30, 9))

    (task,) = [task for task in _tasks(lead) if task.status == FollowUpTask.Status.OPEN]
    assert (task.assignee, task.step, task.channel) == (other_rep, 1, "email")


def test_a_customer_is_not_released_when_the_cadence_ends(rep) -> None:
    lead = _lead(rep, customer_category=CustomerCategory.FAVOURITE)
    for at in (_utc(2026, 3, 2, 9), _utc(2026, 3, 4, 9), _utc(2026, 3, 11, 9)):
        _send(lead, at)

    run_scheduler(now=_utc(2026, 3, 25, 9))

    lead.refresh_from_db()
    assert lead.owner == rep


# --- replies and out-of-office notes ------------------------------------------------------------------------


def test_a_reply_cancels_the_open_task_and_stops_the_cadence(rep) -> None:
    lead = _lead(rep)
    _send(lead, _utc(2026, 3, 2, 9))
    run_scheduler(now=_utc(2026, 3, 4, 9))
    log_activity(
        lead, None, IN, channel="email", body="Thanks, we will order.", occurred_at=_utc(2026, 3, 4, 10)
    )

    report = run_scheduler(now=_utc(2026, 3, 20, 9))

    (task,) = _tasks(lead)
    assert task.status == FollowUpTask.Status.CANCELLED
    assert report.leads_examined == 0


def test_a_reply_logged_without_log_activity_still_cancels_the_cadence_task(rep) -> None:
    lead = _lead(rep)
    _send(lead, _utc(2026, 3, 2, 9))
    run_scheduler(now=_utc(2026, 3, 4, 9))
    Lead.objects.filter(pk=lead.pk).update(last_inbound_at=_utc(2026, 3, 4, 10))

    run_scheduler(now=_utc(2026, 3, 4, 11))

    assert _tasks(lead)[0].status == FollowUpTask.Status.CANCELLED


def test_an_out_of_office_note_holds_the_step_until_a_business_day_after_their_return(rep) -> None:
    lead = _lead(rep)
    _send(lead, _utc(2026, 3, 2, 9))  # Monday
    log_activity(
        lead,
        None,
        IN,
        channel="email",
        subject="Automatic reply: Out of office",
        body="I am out of the office until 16 March 2026 with limited access to email.",
        occurred_at=_utc(2026, 3, 3, 7),
        is_auto_reply=True,
    )

    run_scheduler(now=_utc(2026, 3, 5, 9))  # the step would be due now without the note
    run_scheduler(now=_utc(2026, 3, 17, 12))  # back on Monday 16th; the 17th is their first free day
    assert _tasks(lead) == []
    run_scheduler(now=_utc(2026, 3, 18, 8))

    (task,) = _tasks(lead)
    assert task.due_at == _utc(2026, 3, 18, 8)
    note = Activity.objects.get(lead=lead, is_auto_reply=True)
    assert note.metadata["auto_reply"]["return_date"] == "2026-03-16"


def test_an_out_of_office_note_pushes_an_open_task_past_the_absence(rep) -> None:
    lead = _lead(rep)
    _send(lead, _utc(2026, 3, 2, 9))
    factories.FollowUpTaskFactory(lead=lead, cadence_key="cadence:manual-test", due_at=_utc(2026, 3, 4, 9))

    log_activity(
        lead,
        None,
        IN,
        channel="email",
        subject="Abwesenheitsnotiz",
        body="Ich bin bis zum 20.03.2026 nicht im Büro.",
        occurred_at=_utc(2026, 3, 3, 7),
        is_auto_reply=True,
    )

    (task,) = _tasks(lead)
    assert task.status == FollowUpTask.Status.OPEN
    assert task.due_at == _utc(2026, 3, 23, 8)  # back Friday 20th; Monday 23rd 09:00 is the first free slot


def test_the_contacts_recorded_vacation_pauses_the_wait(rep) -> None:
    lead = _lead(rep)
    lead.contact.vacation_from = datetime(2026, 3, 3).date()
    lead.contact.vacation_until = datetime(2026, 3, 13).date()
    lead.contact.save()
    _send(lead, _utc(2026, 3, 2, 9))

    run_scheduler(now=_utc(2026, 3, 16, 12))
    assert _tasks(lead) == []
    run_scheduler(now=_utc(2026, 3, 17, 12))

    assert len(_tasks(lead)) == 1


# --- ownership, the pool, and scale ----------------------------------------------------------------------


def test_claimed_leads_idle_for_n_days_go_back_to_the_pool(rep, settings) -> None:
    settings.LEADS_POOL_RELEASE_DAYS = 14
    now = _utc(2026, 3, 20, 9)
    idle = _lead(rep, last_activity_at=_utc(2026, 3, 5, 8))
    recent = _lead(rep, last_activity_at=_utc(2026, 3, 7, 9))
    customer = _lead(rep, last_activity_at=_utc(2026, 1, 1), customer_category=CustomerCategory.CURRENT)
    won = _lead(rep, last_activity_at=_utc(2026, 1, 1), stage=Stage.WON)
    snoozed = _lead(rep, last_activity_at=_utc(2026, 1, 1), snoozed_until=_utc(2026, 4, 1))
    task = factories.FollowUpTaskFactory(lead=idle, due_at=now)

    report = run_scheduler(now=now)

    owners = {lead.pk: Lead.objects.get(pk=lead.pk).owner for lead in (idle, recent, customer, won, snoozed)}
    assert owners == {idle.pk: None, recent.pk: rep, customer.pk: rep, won.pk: rep, snoozed.pk: rep}
    assert report.released_inactive == 1
    task.refresh_from_db()
    assert task.status == FollowUpTask.Status.CANCELLED
    marker = Activity.objects.get(lead=idle, kind=Activity.Kind.SYSTEM)
    assert marker.metadata == {"event": RELEASE_EVENT, "reason": "inactive", "previous_owner_id": rep.pk}


def test_a_lead_waiting_for_the_customer_is_left_to_the_cadence_unless_its_task_was_ignored(
    rep, settings
) -> None:
    settings.LEADS_POOL_RELEASE_DAYS = 14
    waiting = _lead(rep)
    _send(waiting, _utc(2026, 3, 2, 9))
    ignored = _lead(rep)
    _send(ignored, _utc(2026, 3, 2, 9))
    factories.FollowUpTaskFactory(lead=ignored, cadence_key="cadence:ignored", due_at=_utc(2026, 3, 4, 9))
    waiting.contact.vacation_from, waiting.contact.vacation_until = (
        datetime(2026, 3, 3).date(),
        datetime(2026, 3, 31).date(),
    )
    waiting.contact.save()

    run_scheduler(now=_utc(2026, 3, 20, 9))

    assert Lead.objects.get(pk=waiting.pk).owner == rep
    assert Lead.objects.get(pk=ignored.pk).owner is None


def test_a_skipped_step_counts_as_taken_and_the_cadence_moves_on(rep) -> None:
    lead = _lead(rep)
    _send(lead, _utc(2026, 3, 2, 9))
    run_scheduler(now=_utc(2026, 3, 4, 9))
    FollowUpTask.objects.filter(lead=lead).update(
        status=FollowUpTask.Status.SKIPPED, completed_at=_utc(2026, 3, 4, 10)
    )

    run_scheduler(now=_utc(2026, 3, 10, 9))  # four business days after the skip: step 2 waits five
    assert len(_tasks(lead)) == 1
    run_scheduler(now=_utc(2026, 3, 11, 9))

    skipped, second = _tasks(lead)
    assert (skipped.step, second.step, second.status) == (1, 2, FollowUpTask.Status.OPEN)


def test_open_tasks_follow_their_lead_to_a_new_owner(rep, other_rep) -> None:
    lead = _lead(rep)
    _send(lead, _utc(2026, 3, 2, 9))
    run_scheduler(now=_utc(2026, 3, 4, 9))
    pool.assign(lead.pk, other_rep, now=_utc(2026, 3, 4, 10))

    run_scheduler(now=_utc(2026, 3, 4, 11))

    (task,) = _tasks(lead)
    assert task.assignee == other_rep


def test_pool_leads_are_not_followed_up(rep) -> None:
    lead = _lead(rep)
    _send(lead, _utc(2026, 3, 2, 9))
    pool.release(lead.pk)

    run_scheduler(now=_utc(2026, 3, 10, 9))

    assert _tasks(lead) == []


def test_queries_per_batch_do_not_grow_with_the_number_of_leads(rep) -> None:
    def run(count: int) -> int:
        for _ in range(count):
            lead = _lead(rep, channels=("whatsapp",))
            _send(lead, _utc(2026, 3, 2, 9))
            log_activity(lead, None, IN, channel="email", subject="Out of office", body="Back on 4 March 2026",
                         occurred_at=_utc(2026, 3, 2, 10), is_auto_reply=True)  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            report = run_scheduler(now=_utc(2026, 3, 10, 9), batch_size=10)
        FollowUpTask.objects.all().delete()
        Lead.objects.update(owner=None)
        assert report.batches == count // 10
        return len(queries)

    ten, forty = run(10), run(40)

    per_batch = (forty - ten) / 3
    assert per_batch <= 8, f"{per_batch} queries per batch"


def test_an_auto_reply_written_without_its_facts_is_read_once_and_its_facts_kept(rep) -> None:
    lead = _lead(rep)
    _send(lead, _utc(2026, 3, 2, 9))
    note = factories.ActivityFactory(
        lead=lead,
        direction=IN,
        is_auto_reply=True,
        subject="Automatic reply",
        body="I am out of the office until 16 March 2026.",
        occurred_at=_utc(2026, 3, 3, 7),
        metadata={"mailbox": "sales"},
    )

    run_scheduler(now=_utc(2026, 3, 5, 9))

    note.refresh_from_db()
    assert note.metadata["mailbox"] == "sales"
    assert note.metadata["auto_reply"]["return_date"] == "2026-03-16"
    assert _tasks(lead) == []  # held until the 17th


def test_winning_the_lead_ends_its_cadence_but_not_an_urgent_matter_after_the_sale(rep) -> None:
    lead = _lead(rep)
    _send(lead, _utc(2026, 3, 2, 9))
    run_scheduler(now=_utc(2026, 3, 4, 9))
    customs = factories.FollowUpTaskFactory(lead=lead, is_urgent=True, reason="Goods at the port")
    Lead.objects.filter(pk=lead.pk).update(stage=Stage.WON)

    run_scheduler(now=_utc(2026, 3, 4, 10))

    cadence_task = FollowUpTask.objects.get(lead=lead, is_urgent=False)
    customs.refresh_from_db()
    assert cadence_task.status == FollowUpTask.Status.CANCELLED
    assert customs.status == FollowUpTask.Status.OPEN


def test_a_lead_without_a_contact_still_gets_its_follow_up_in_its_companys_calendar(rep) -> None:
    company = factories.CompanyFactory(country="JP")
    lead = factories.LeadFactory(company=company, contact=None, owner=rep)
    log_activity(lead, rep, OUT, channel="email", subject="Quote", occurred_at=_utc(2026, 3, 2, 1))

    run_scheduler(now=_utc(2026, 3, 4, 0))  # Wednesday 09:00 in Tokyo

    (task,) = _tasks(lead)
    assert (task.contact, task.channel, task.due_at) == (None, "", _utc(2026, 3, 4, 0))
    assert "no email address" in task.reason
