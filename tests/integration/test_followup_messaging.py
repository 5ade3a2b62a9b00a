"""Sending follow-ups (email through Django's mail backend, chat apps by click-to-chat link and "mark sent"),
limited-time offers, and urgent matters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from followups import messaging, urgent
from followups.models import Activity, FollowUpTask
from leads.models import Lead, Stage
from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _mail_in_memory(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "sales@uv-factory.example"


def _task(owner, language: str = "de", **task_fields) -> FollowUpTask:  # type: ignore[no-untyped-def]
    company = factories.CompanyFactory(country="DE", name="Klinikbedarf Weber GmbH")
    contact = factories.ContactFactory(company=company, name="Hans Weber", language=language)
    factories.ContactChannelFactory(contact=contact)  # WhatsApp +49 151 23456789
    lead = factories.LeadFactory(company=company, contact=contact, owner=owner, products="UV-C lamps T8 36W")
    return factories.FollowUpTaskFactory(lead=lead, contact=contact, due_at=timezone.now(), **task_fields)


def _send(client, task: FollowUpTask, **data):  # type: ignore[no-untyped-def]
    payload = {
        "channel": "email",
        "subject": "Ihre Anfrage: {product}",
        "body": "Guten Tag {contact_name}",
        **data,
    }
    return client.post(reverse("followups:send", args=[task.pk]), payload)


def test_an_email_follow_up_goes_through_the_mail_backend_and_is_logged(client, rep) -> None:
    rep.first_name, rep.last_name, rep.email = "Li", "Wei", "li.wei@uv-factory.example"
    rep.save()
    task = _task(rep, cadence_key="cadence:test:1:1")
    client.force_login(rep)

    response = _send(client, task, body="Guten Tag {contact_name},\n{product} für {company}.\n{rep_name}")

    assert response.status_code == 302
    (email,) = mail.outbox
    assert email.to == [task.contact.email]
    assert email.from_email == "sales@uv-factory.example"
    assert email.reply_to == ["li.wei@uv-factory.example"]
    assert email.subject == "Ihre Anfrage: UV-C lamps T8 36W"
    assert email.body == "Guten Tag Hans Weber,\nUV-C lamps T8 36W für Klinikbedarf Weber GmbH.\nLi Wei"
    activity = Activity.objects.get(lead=task.lead)
    assert (activity.direction, activity.channel, activity.created_by) == (
        Activity.Direction.OUTBOUND,
        "email",
        rep,
    )
    assert activity.message_id == email.extra_headers["Message-ID"]
    assert activity.metadata["followup_task_id"] == task.pk
    task.refresh_from_db()
    lead = Lead.objects.get(pk=task.lead_id)
    assert task.status == FollowUpTask.Status.DONE
    assert lead.last_outbound_at == activity.occurred_at
    assert lead.stage == Stage.AWAITING_REPLY


def test_sending_twice_sends_one_email(client, rep) -> None:
    task = _task(rep)
    client.force_login(rep)

    _send(client, task)
    second = _send(client, task)

    assert len(mail.outbox) == 1
    assert "already done" in second.content.decode()


def test_an_attached_offer_fills_its_placeholders_in_the_contacts_time_zone(client, rep) -> None:
    offer = factories.OfferFactory(
        title="Frühjahrsrabatt",
        terms="10 % auf alle T8-Lampen.",
        valid_until=datetime(2099, 3, 31, 16, tzinfo=UTC),
    )
    task = _task(rep)
    client.force_login(rep)

    _send(
        client,
        task,
        offer=offer.pk,
        subject="{offer_title}",
        body="{offer_terms} Gültig bis {offer_valid_until}.",
    )

    (email,) = mail.outbox
    assert email.subject == "Frühjahrsrabatt"
    assert email.body == "10 % auf alle T8-Lampen. Gültig bis 2099-03-31 18:00 CEST."
    task.refresh_from_db()
    assert task.offer == offer


def test_an_expired_offer_cannot_be_sent_and_says_why(client, rep) -> None:
    offer = factories.OfferFactory(title="Winter deal", valid_until=timezone.now() - timedelta(minutes=1))
    task = _task(rep, offer=offer)
    client.force_login(rep)

    response = _send(client, task, offer=offer.pk, body="{offer_title}")

    assert mail.outbox == []
    assert "expired" in response.content.decode()
    assert "cannot be sent" in response.content.decode()
    task.refresh_from_db()
    assert task.status == FollowUpTask.Status.OPEN
    assert not Activity.objects.filter(lead=task.lead).exists()


def test_an_expired_offer_cannot_be_marked_sent_on_a_chat_app_either(rep) -> None:
    offer = factories.OfferFactory(valid_until=timezone.now() - timedelta(seconds=1))
    task = _task(rep)

    with pytest.raises(messaging.MessagingError, match="expired"):
        messaging.mark_sent(task, rep, messaging.ChannelKind.WHATSAPP, "Hallo", offer=offer)


def test_an_offer_for_other_languages_is_refused(rep) -> None:
    offer = factories.OfferFactory(languages=["fr", "es"])
    task = _task(rep, language="de")

    with pytest.raises(messaging.MessagingError, match="fr, es"):
        messaging.send_email(task, rep, "Angebot", "{offer_title}", offer=offer)


def test_offer_placeholders_without_an_offer_are_refused(rep) -> None:
    task = _task(rep)

    with pytest.raises(messaging.MessagingError, match="attach an offer"):
        messaging.send_email(task, rep, "Angebot", "Nur bis {offer_valid_until}")
    assert mail.outbox == []


def test_unknown_placeholders_are_reported_before_anything_is_sent(client, rep) -> None:
    task = _task(rep)
    client.force_login(rep)

    response = _send(client, task, body="Hallo {contact_nme}")

    assert response.status_code == 200
    assert "{contact_nme}" in response.content.decode()
    assert mail.outbox == []


def test_a_line_break_in_the_subject_cannot_add_mail_headers(client, rep) -> None:
    task = _task(rep)
    client.force_login(rep)

    _send(client, task, subject="Angebot\nBcc: all@competitor.example")

    (email,) = mail.outbox
    assert email.subject == "Angebot Bcc: all@competitor.example"
    assert email.bcc == []


def test_the_template_preview_is_filled_in_for_the_contact(client, rep) -> None:
    template = factories.MessageTemplateFactory(
        language="de", subject="Anfrage {product}", body="Hallo {contact_name}"
    )
    task = _task(rep)
    client.force_login(rep)

    fragment = client.get(
        reverse("followups:compose", args=[task.pk]), {"channel": "email", "template": template.pk}
    ).content.decode()

    assert 'value="Anfrage UV-C lamps T8 36W"' in fragment
    assert "Hallo Hans Weber" in fragment


def test_a_chat_app_gets_a_click_to_chat_link_and_is_logged_when_marked_sent(client, rep) -> None:
    task = _task(rep, channel="whatsapp")
    client.force_login(rep)

    fragment = client.get(
        reverse("followups:compose", args=[task.pk]), {"channel": "whatsapp", "template": ""}
    ).content.decode()
    response = client.post(
        reverse("followups:send", args=[task.pk]), {"channel": "whatsapp", "body": "Hallo {contact_name}!"}
    )

    assert "https://wa.me/4915123456789" in fragment
    assert "Mark as sent" in fragment
    assert response.status_code == 302
    assert mail.outbox == []
    activity = Activity.objects.get(lead=task.lead)
    assert (activity.channel, activity.body, activity.direction) == ("whatsapp", "Hallo Hans Weber!", "out")
    task.refresh_from_db()
    assert task.status == FollowUpTask.Status.DONE


def test_the_whatsapp_link_carries_the_rendered_text(rep) -> None:
    task = _task(rep)

    link = messaging.chat_link_for(task.contact, messaging.ChannelKind.WHATSAPP, "Hallo Hans & Co")

    assert link == "https://wa.me/4915123456789?text=" + quote("Hallo Hans & Co", safe="")


def test_a_chat_app_the_contact_has_no_handle_for_cannot_be_marked_sent(rep) -> None:
    task = _task(rep)

    with pytest.raises(messaging.MessagingError, match="no Telegram handle"):
        messaging.mark_sent(task, rep, messaging.ChannelKind.TELEGRAM, "Hallo")


# --- urgent matters ------------------------------------------------------------------------------------------


def _customs_case(owner):  # type: ignore[no-untyped-def]
    company = factories.CompanyFactory(country="DE", name="Hamburg Hospital Supply")
    buyer = factories.ContactFactory(company=company, name="Buyer")
    emergency = factories.ContactFactory(company=company, name="Night Logistics", is_emergency_contact=True)
    factories.ContactChannelFactory(
        contact=emergency, kind="phone", value="+49 40 1234567", normalized="+49401234567"
    )
    factories.ContactChannelFactory(
        contact=emergency, kind="whatsapp", value="+49 151 76543210", normalized="+4915176543210"
    )
    factories.ContactChannelFactory(
        contact=emergency, kind="telegram", value="nightlogistics", normalized="nightlogistics"
    )
    return factories.LeadFactory(company=company, contact=buyer, owner=owner)


def test_an_urgent_matter_is_due_now_at_night_and_the_owner_is_emailed_at_once(client, rep, manager) -> None:
    rep.email = "rep@uv-factory.example"
    rep.save()
    lead = _customs_case(rep)
    client.force_login(manager)

    response = client.post(
        reverse("followups:urgent", args=[lead.pk]),
        {"matter": "Goods at the port of Hamburg awaiting customs clearance"},
    )

    task = FollowUpTask.objects.get(lead=lead)
    assert response.status_code == 302
    assert response["Location"] == reverse("followups:task", args=[task.pk])
    assert task.is_urgent
    assert task.assignee == rep
    assert abs((task.due_at - timezone.now()).total_seconds()) < 60
    assert task.contact.name == "Night Logistics"
    assert task.channel == "phone"
    (email,) = mail.outbox
    assert email.to == ["rep@uv-factory.example"]
    assert "customs clearance" in email.subject
    assert f"/followups/{task.pk}/" in email.body
    assert Activity.objects.filter(
        lead=lead, kind=Activity.Kind.SYSTEM, metadata__event=urgent.URGENT_EVENT
    ).exists()


def test_the_urgent_task_shows_on_the_owners_list_and_lists_every_channel_of_the_emergency_contact(
    client, rep
) -> None:
    lead = _customs_case(rep)
    task = urgent.raise_urgent(lead, rep, "Customs documents needed before 16:00", now=timezone.now())
    client.force_login(rep)

    listing = client.get(reverse("followups:mine")).content.decode()
    page = client.get(reverse("followups:task", args=[task.pk])).content.decode()

    assert 'class="urgent-banner"' in listing
    assert "Customs documents needed before 16:00" in listing
    assert page.index("Night Logistics") < page.index("Buyer")
    for link in ("tel:+49401234567", "https://wa.me/4915176543210", "https://t.me/nightlogistics", "mailto:"):
        assert link in page


def test_an_urgent_task_ignores_business_hours_whatever_the_time_there(rep) -> None:
    lead = _customs_case(rep)
    sunday_night = datetime(2026, 3, 8, 1, 30, tzinfo=UTC)  # 02:30 on a Sunday in Hamburg

    task = urgent.raise_urgent(lead, rep, "Container held at the port", now=sunday_night)

    assert task.due_at == sunday_night
    cards = urgent.contact_cards(lead, sunday_night)
    assert cards[0].contact.name == "Night Logistics"
    assert cards[0].is_business_time is False


def test_a_failed_notification_is_reported_and_the_task_stays(rep, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        9,
        2,
    )  # nothing listens there
    rep.email = "rep@uv-factory.example"
    rep.save()
    task = urgent.raise_urgent(_customs_case(rep), rep, "Port")

    notification = urgent.notify_owner(task, "http://testserver/followups/1/")

    assert notification.is_sent is False
    assert "failed" in notification.detail
    assert FollowUpTask.objects.filter(pk=task.pk, status=FollowUpTask.Status.OPEN).exists()


def test_an_urgent_matter_on_a_pool_lead_must_be_claimed_first(manager) -> None:
    lead = _customs_case(None)

    with pytest.raises(urgent.UrgentError, match="claim or assign"):
        urgent.raise_urgent(lead, manager, "Port")


def test_an_offer_attached_to_a_follow_up_shows_its_countdown_in_the_list(client, rep) -> None:
    offer = factories.OfferFactory(
        title="Spring deal", valid_until=timezone.now() + timedelta(days=2, hours=5)
    )
    task = _task(rep)
    client.force_login(rep)

    response = client.post(
        reverse("followups:attach_offer", args=[task.pk]), {"channel": "email", "offer": offer.pk}
    )
    listing = client.get(reverse("followups:mine")).content.decode()

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.offer == offer
    assert "Spring deal" in listing
    assert "2 days 4 h left" in listing


def test_an_expired_offer_cannot_be_attached(rep) -> None:
    offer = factories.OfferFactory(valid_until=timezone.now() - timedelta(hours=1))
    task = _task(rep)

    with pytest.raises(messaging.MessagingError, match="expired"):
        messaging.attach_offer(task, offer)
    task.refresh_from_db()
    assert task.offer is None


def test_attaching_an_offer_that_is_no_longer_offered_says_so(client, rep) -> None:
    expired = factories.OfferFactory(valid_until=timezone.now() - timedelta(hours=1))
    task = _task(rep)
    client.force_login(rep)

    response = client.post(
        reverse("followups:attach_offer", args=[task.pk]), {"channel": "email", "offer": expired.pk}
    )

    assert "has expired" in response.content.decode()
    task.refresh_from_db()
    assert task.offer is None


def test_a_phone_follow_up_is_logged_as_a_call(rep) -> None:
    task = _task(rep)
    factories.ContactChannelFactory(
        contact=task.contact, kind="phone", value="+49 30 1234567", normalized="+49301234567"
    )

    activity = messaging.mark_sent(task, rep, messaging.ChannelKind.PHONE, "Asked about the T8 order")

    assert (activity.kind, activity.channel, activity.direction) == (Activity.Kind.CALL, "phone", "out")
