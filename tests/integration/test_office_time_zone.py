"""Pages show times in the sales office's zone (SALES_OFFICE_TZ), and a contact's own clock where labelled so."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from followups.activities import log_activity
from followups.models import Activity, FollowUpTask
from followups.nonresponse import calendar_for_contact
from leads.models import ImportRun, Lead
from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SHOWN = "D j M, H:i"  # how the follow-up pages and the lead page print a due time


def _one_am_utc_in_a_few_days() -> datetime:
    return (timezone.now() + timedelta(days=3)).replace(hour=1, minute=0, second=0, microsecond=0)


def _lead(owner) -> Lead:  # type: ignore[no-untyped-def]
    company = factories.CompanyFactory(country="DE")
    contact = factories.ContactFactory(company=company, language="de")
    factories.ContactChannelFactory(contact=contact)
    return factories.LeadFactory(company=company, contact=contact, owner=owner)


def _task(owner, due_at: datetime, **fields) -> FollowUpTask:  # type: ignore[no-untyped-def]
    lead = _lead(owner)
    return factories.FollowUpTaskFactory(lead=lead, contact=lead.contact, due_at=due_at, **fields)


def _in(zone: str, moment: datetime, shown: str = SHOWN) -> str:
    return dateformat.format(moment.astimezone(ZoneInfo(zone)), shown)


@pytest.mark.parametrize(("office_tz", "clock"), [("Asia/Shanghai", "09:00"), ("UTC", "01:00")])
def test_follow_up_pages_show_a_due_time_in_the_office_zone(client, rep, settings, office_tz, clock) -> None:
    settings.SALES_OFFICE_TZ = office_tz
    due_at = _one_am_utc_in_a_few_days()
    task = _task(rep, due_at)
    client.force_login(rep)

    listing = client.get(reverse("followups:mine")).content.decode()
    page = client.get(reverse("followups:task", args=[task.pk])).content.decode()

    office_due = _in(office_tz, due_at)
    assert office_due.endswith(clock)
    assert f"<strong>{office_due}</strong>" in listing
    assert f"Due {office_due}" in page


def test_a_task_due_at_one_utc_shows_nine_in_shanghai_not_one(client, rep, settings) -> None:
    settings.SALES_OFFICE_TZ = "Asia/Shanghai"
    due_at = _one_am_utc_in_a_few_days()
    task = _task(rep, due_at)
    client.force_login(rep)

    page = client.get(reverse("followups:task", args=[task.pk])).content.decode()

    assert f"Due {_in('Asia/Shanghai', due_at)}" in page
    assert ", 09:00" in _in("Asia/Shanghai", due_at)
    assert f"Due {_in('UTC', due_at)}" not in page


def test_their_time_stays_on_the_contacts_own_clock(client, rep, settings) -> None:
    settings.SALES_OFFICE_TZ = "Asia/Shanghai"
    due_at = _one_am_utc_in_a_few_days()
    task = _task(rep, due_at)
    their_zone = calendar_for_contact(task.contact).zone
    client.force_login(rep)

    listing = client.get(reverse("followups:mine")).content.decode()
    page = client.get(reverse("followups:task", args=[task.pk])).content.decode()

    assert f"{dateformat.format(due_at.astimezone(their_zone), 'D H:i')} their time" in listing
    assert f"({_in(str(their_zone), due_at)} their time)" in page


def test_the_lead_page_and_the_follow_up_pages_agree_on_the_due_time(client, rep, settings) -> None:
    settings.SALES_OFFICE_TZ = "Asia/Shanghai"
    due_at = _one_am_utc_in_a_few_days()
    task = _task(rep, due_at)
    client.force_login(rep)

    lead_page = client.get(reverse("leads:detail", args=[task.lead_id])).content.decode()
    task_page = client.get(reverse("followups:task", args=[task.pk])).content.decode()

    office_due = _in("Asia/Shanghai", due_at)
    assert f"<strong>{office_due}</strong>" in lead_page
    assert f"Due {office_due}" in task_page


def test_a_closed_task_shows_when_it_was_closed_in_the_office_zone(client, rep, settings) -> None:
    settings.SALES_OFFICE_TZ = "Asia/Shanghai"
    closed_at = _one_am_utc_in_a_few_days() - timedelta(days=5)
    task = _task(rep, closed_at, status=FollowUpTask.Status.DONE, completed_at=closed_at)
    client.force_login(rep)

    page = client.get(reverse("followups:task", args=[task.pk])).content.decode()

    assert f"since {_in('Asia/Shanghai', closed_at)}." in page


def test_the_row_returned_after_a_snooze_shows_the_new_due_time_in_the_office_zone(
    client, rep, settings
) -> None:
    settings.SALES_OFFICE_TZ = "Asia/Shanghai"
    task = _task(rep, _one_am_utc_in_a_few_days())
    client.force_login(rep)

    fragment = client.post(
        reverse("followups:snooze", args=[task.pk]), {"until": "1w"}, HTTP_HX_REQUEST="true"
    ).content.decode()

    task.refresh_from_db()
    assert f"<strong>{_in('Asia/Shanghai', task.due_at)}</strong>" in fragment


def test_next_good_moment_is_labelled_with_the_office_zone(client, rep, settings) -> None:
    settings.SALES_OFFICE_TZ = "Asia/Shanghai"
    task = _task(rep, timezone.now())
    log_activity(task.lead, rep, Activity.Direction.OUTBOUND, channel="email", subject="Quote",
                 occurred_at=timezone.now() - timedelta(hours=3))  # fmt: skip
    client.force_login(rep)

    page = client.get(reverse("followups:task", args=[task.pk])).content.decode()

    assert "Next good moment" in page
    assert "(Asia/Shanghai)</strong>" in page
    assert " UTC</strong>" not in page


def test_the_office_zone_is_active_only_during_a_request(client, rep, settings) -> None:
    settings.SALES_OFFICE_TZ = "Asia/Shanghai"
    client.force_login(rep)

    response = client.get(reverse("followups:mine"))

    assert response.status_code == 200
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_pages_beyond_the_board_and_follow_ups_use_the_office_zone_too(client, rep, settings) -> None:
    settings.SALES_OFFICE_TZ = "Asia/Shanghai"
    uploaded_at = _one_am_utc_in_a_few_days() - timedelta(days=10)
    run = ImportRun.objects.create(file_name="inquiries.csv", sha256="a" * 64, created_by=rep)
    ImportRun.objects.filter(pk=run.pk).update(created_at=uploaded_at)
    client.force_login(rep)

    page = client.get(reverse("imports:upload")).content.decode()

    assert _in("Asia/Shanghai", uploaded_at, "Y-m-d H:i") in page
    assert _in("UTC", uploaded_at, "Y-m-d H:i") not in page
