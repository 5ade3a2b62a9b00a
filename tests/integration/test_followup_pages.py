"""'My follow-ups' and a task's page: order, filters, silence and channels shown, htmx actions, and who may act."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from followups.activities import log_activity
from followups.models import Activity, FollowUpTask
from leads.models import CustomerCategory, Lead
from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

TASK_URLS = (
    "followups:task",
    "followups:compose",
    "followups:send",
    "followups:attach_offer",
    "followups:complete",
    "followups:skip",
    "followups:snooze",
)


def _lead(owner, **fields) -> Lead:  # type: ignore[no-untyped-def]
    company = factories.CompanyFactory(country="DE")
    contact = factories.ContactFactory(company=company, language="de")
    factories.ContactChannelFactory(contact=contact)  # WhatsApp
    return factories.LeadFactory(company=company, contact=contact, owner=owner, **fields)


def _task(owner, due_in: timedelta, **fields) -> FollowUpTask:  # type: ignore[no-untyped-def]
    lead = fields.pop("lead", None) or _lead(owner)
    return factories.FollowUpTaskFactory(
        lead=lead, contact=lead.contact, due_at=timezone.now() + due_in, **fields
    )


def test_urgent_comes_first_then_overdue_then_today_then_upcoming(client, rep, settings) -> None:
    settings.SALES_OFFICE_TZ = "UTC"
    now = timezone.now()
    end_of_day = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    upcoming = _task(rep, timedelta(days=3), reason="UPCOMING-TASK")
    today = _task(rep, (end_of_day - now) / 2, reason="TODAY-TASK")
    overdue = _task(rep, -timedelta(days=2), reason="OVERDUE-TASK")
    urgent = _task(rep, timedelta(hours=5), is_urgent=True, reason="URGENT-TASK")
    client.force_login(rep)

    page = client.get(reverse("followups:mine")).content.decode()

    positions = [page.index(f'id="task-{task.pk}"') for task in (urgent, overdue, today, upcoming)]
    assert positions == sorted(positions)
    assert 'class="urgent-banner"' in page
    assert "URGENT-TASK" in page[: positions[0]]  # named in the banner above the list


def test_other_reps_tasks_and_closed_tasks_are_not_listed(client, rep, other_rep) -> None:
    _task(other_rep, timedelta(hours=1), reason="NOT-MINE")
    _task(rep, timedelta(hours=1), reason="ALREADY-DONE", status=FollowUpTask.Status.DONE)
    client.force_login(rep)

    page = client.get(reverse("followups:mine")).content.decode()

    assert "NOT-MINE" not in page
    assert "ALREADY-DONE" not in page


@pytest.mark.parametrize(
    ("category", "shown"),
    [("", {"CURRENT", "FAVOURITE", "PROSPECT"}), ("favourite", {"FAVOURITE"}), ("prospect", {"PROSPECT"})],
)
def test_follow_ups_filter_by_customer_category(client, rep, category, shown) -> None:
    for label, value in (
        ("CURRENT", CustomerCategory.CURRENT),
        ("FAVOURITE", CustomerCategory.FAVOURITE),
        ("PROSPECT", ""),
    ):
        _task(rep, timedelta(hours=1), reason=f"{label}-TASK", lead=_lead(rep, customer_category=value))
    client.force_login(rep)

    fragment = client.get(
        reverse("followups:mine"), {"category": category}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert {label for label in ("CURRENT", "FAVOURITE", "PROSPECT") if f"{label}-TASK" in fragment} == shown
    assert "<html" not in fragment  # htmx gets the sections alone


def test_a_task_shows_why_the_lead_is_silent_and_its_channels_with_links(client, rep) -> None:
    lead = _lead(rep)
    log_activity(lead, rep, Activity.Direction.OUTBOUND, channel="email", subject="Quote",
                 occurred_at=timezone.now() - timedelta(hours=3))  # fmt: skip
    task = _task(rep, timedelta(0), lead=lead)
    client.force_login(rep)

    listing = client.get(reverse("followups:mine")).content.decode()
    page = client.get(reverse("followups:task", args=[task.pk])).content.decode()

    assert 'aria-label="Why no reply"' in listing
    assert "https://wa.me/4915123456789" in listing
    assert "Next good moment" in page
    assert "https://wa.me/4915123456789" in page
    assert f"mailto:{lead.contact.email}" in page


def test_my_follow_ups_takes_the_same_number_of_queries_for_five_or_twenty_tasks(client, rep) -> None:
    client.force_login(rep)

    def count(tasks: int) -> int:
        for _ in range(tasks):
            lead = _lead(rep)
            log_activity(lead, rep, Activity.Direction.OUTBOUND, channel="email", subject="Quote",
                         occurred_at=timezone.now() - timedelta(days=3))  # fmt: skip
            _task(rep, -timedelta(hours=1), lead=lead)
        client.get(reverse("followups:mine"))  # warm the session and the rankings cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("followups:mine")).status_code == 200
        return len(queries)

    five = count(5)
    twenty = count(15)

    assert twenty == five


def test_done_skip_and_snooze_over_htmx_return_the_row_in_its_new_state(client, rep) -> None:
    done, skipped, snoozed = (_task(rep, -timedelta(hours=1)) for _ in range(3))
    client.force_login(rep)

    done_row = client.post(
        reverse("followups:complete", args=[done.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    skip_row = client.post(
        reverse("followups:skip", args=[skipped.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    snooze_row = client.post(
        reverse("followups:snooze", args=[snoozed.pk]), {"until": "next_business_day"}, HTTP_HX_REQUEST="true"
    ).content.decode()

    for task in (done, skipped, snoozed):
        task.refresh_from_db()
    assert (done.status, skipped.status, snoozed.status) == ("done", "skipped", "open")
    assert "Done" in done_row
    assert "is-closed" in done_row
    assert "Skipped" in skip_row
    local = snoozed.due_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.hour, local.minute) == (9, 0)
    assert local.weekday() < 5
    assert snoozed.due_at > timezone.now()
    assert f'id="task-{snoozed.pk}"' in snooze_row


def test_a_plain_post_redirects_back_to_the_list(client, rep) -> None:
    task = _task(rep, timedelta(0))
    client.force_login(rep)

    response = client.post(reverse("followups:complete", args=[task.pk]), {"next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == reverse("followups:mine")


@pytest.mark.parametrize("name", TASK_URLS)
def test_a_rep_gets_404_on_every_url_of_another_reps_task(client, rep, other_rep, name) -> None:
    task = _task(other_rep, timedelta(0))
    client.force_login(rep)

    response = client.post(reverse(name, args=[task.pk]), {"until": "1h"}, HTTP_HX_REQUEST="true")
    if response.status_code == 405:
        response = client.get(reverse(name, args=[task.pk]))

    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == FollowUpTask.Status.OPEN


def test_a_rep_gets_404_for_a_task_left_on_a_lead_someone_else_now_owns(client, rep, other_rep) -> None:
    task = _task(rep, timedelta(0))
    Lead.objects.filter(pk=task.lead_id).update(owner=other_rep)
    client.force_login(rep)

    assert client.get(reverse("followups:task", args=[task.pk])).status_code == 404


def test_a_manager_may_open_any_reps_task(client, rep, manager) -> None:
    task = _task(rep, timedelta(0))
    client.force_login(manager)

    assert client.get(reverse("followups:task", args=[task.pk])).status_code == 200


def test_a_rep_gets_404_raising_an_urgent_matter_on_another_reps_or_a_pool_lead(
    client, rep, other_rep
) -> None:
    theirs, pooled = _lead(other_rep), _lead(None)
    client.force_login(rep)

    for lead in (theirs, pooled):
        response = client.post(reverse("followups:urgent", args=[lead.pk]), {"matter": "Port"})
        assert response.status_code == 404
    assert not FollowUpTask.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client) -> None:
    response = client.get(reverse("followups:mine"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]
