"""The lead page: inquiry, contacts and chat links, evidence, fit, timeline, follow-ups, notes, logging."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import Activity, FollowUpTask, Offer
from leads.models import Lead, Stage
from tests import factories

pytestmark = pytest.mark.django_db

XSS = (
    '<script>window.__xss = 1</script><img src=x onerror="window.__xss=2">'
    '<a href="javascript:window.__xss=3">click</a><svg onload=alert(1)>'
)


def page(client, lead):  # type: ignore[no-untyped-def]
    return client.get(reverse("leads:detail", kwargs={"pk": lead.pk}))


def test_inquiry_text_is_escaped_with_its_line_breaks_kept(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, subject=XSS, message=f"Hello\nsecond line {XSS}")
    client.force_login(rep)
    html = page(client, lead).text
    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in html
    assert "Hello<br>second line" in html


def test_company_and_contact_names_are_escaped_on_the_page_and_the_board(client, rep) -> None:
    lead = factories.LeadFactory(
        owner=rep, company__name=XSS, contact__name=XSS, junk_reason=XSS, stage="junk"
    )
    client.force_login(rep)
    for html in (page(client, lead).text, client.get(reverse("leads:board")).text):
        assert "<script>window.__xss" not in html
        assert "onerror=" not in html.replace("onerror=&quot;", "")


def test_every_channel_is_a_click_to_chat_link_and_the_emergency_contact_is_marked(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, company__country="DE", contact__email="jana@aqua.example")
    contact = lead.contact
    for kind, normalized in (
        ("email", "jana@aqua.example"),
        ("whatsapp", "+4915123456789"),
        ("telegram", "jana_vogel"),
        ("skype", "live:jana.vogel"),
        ("phone", "+4930123456"),
    ):
        factories.ContactChannelFactory(contact=contact, kind=kind, value=normalized, normalized=normalized)
    emergency = factories.ContactFactory(company=lead.company, name="Night Desk", is_emergency_contact=True)
    factories.ContactChannelFactory(
        contact=emergency, kind="phone", value="+4930999999", normalized="+4930999999"
    )
    client.force_login(rep)
    html = page(client, lead).text
    for link in (
        'href="mailto:jana@aqua.example"',
        'href="https://wa.me/4915123456789"',
        'href="https://t.me/jana_vogel"',
        'href="skype:live:jana.vogel?chat"',
        'href="tel:+4930123456"',
        'href="tel:+4930999999"',
    ):
        assert link in html, link
    assert "Emergency contact" in html
    assert html.index("Night Desk") > html.index(lead.contact.name)  # the inquiry's own contact first


def test_a_hostile_stored_handle_is_shown_as_text_never_as_a_link(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep)
    factories.ContactChannelFactory(
        contact=lead.contact, kind="telegram", value="javascript:alert(1)", normalized="javascript:alert(1)"
    )
    factories.ContactChannelFactory(
        contact=lead.contact,
        kind="email",
        value='x"onmouseover=alert(1)',
        normalized='x"onmouseover=alert(1)',
    )
    client.force_login(rep)
    html = page(client, lead).text
    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html
    assert "onmouseover=alert" not in html.replace("&quot;onmouseover=alert", "")


def test_website_link_only_for_http_addresses(client, rep) -> None:
    safe = factories.LeadFactory(owner=rep, company__website="https://www.aqua.example/")
    hostile = factories.LeadFactory(owner=rep, company__website="javascript:alert(1)")
    client.force_login(rep)
    assert 'href="https://www.aqua.example/"' in page(client, safe).text
    html = page(client, hostile).text
    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html


def test_verification_evidence_shows_each_check_with_readable_reasons(client, rep) -> None:
    now = timezone.now()
    lead = factories.LeadFactory(
        owner=rep,
        check_status="done",
        checked_at=now,
        authenticity="suspicious",
        authenticity_reasons=["free_email", "made_up_code"],
        company__website_verdict="parked",
        company__website_reasons=["parking_nameservers"],
        company__website_final_url="https://sedo.example/for-sale",
        company__website_checked_at=now,
        contact__email_verdict="risky",
        contact__email_reasons=["catch_all", "role_account"],
        contact__email_checked_at=now,
    )
    client.force_login(rep)
    html = page(client, lead).text
    for text in (
        "The mail server accepts any address (catch-all)",
        "Role account (info@, sales@...), not a person",
        "The domain uses a parking service",
        "A free-mail address",
        "Made up code",  # an unknown code still reads as words
        "https://sedo.example/for-sale",
        "Suspicious",
        "Parked",
        "Risky",
    ):
        assert text in html, text


def test_fit_explanation_renders_whatever_the_scoring_engine_stored(client, rep) -> None:
    lead = factories.LeadFactory(
        owner=rep,
        company__fit_score=77,
        company__fit_tier="B",
        company__fit_evidence={
            "score": 77,
            "tier": "B",
            "industries": [{"name": "Aquaculture", "score": 40}, "Water treatment"],
            "matches": [{"term": "UV sterilizer", "language": "en", "count": 3}, "Entkeimung"],
            "explanation": ["Matched 2 target industries", {"odd": "shape"}],
            "unexpected": {"nested": [1, 2]},
        },
    )
    odd = factories.LeadFactory(
        owner=rep, company__fit_score=10, company__fit_evidence={"industries": "Fishing", "matches": 5}
    )
    client.force_login(rep)
    html = page(client, lead).text
    for text in (
        "Aquaculture (40)",
        "Water treatment",
        "UV sterilizer ×3 · en",
        "Entkeimung",
        "Matched 2 target industries",
        "odd: shape",
    ):
        assert text in html, text
    assert page(client, odd).status_code == 200
    assert "Fishing" in page(client, odd).text


def test_logging_our_message_moves_the_lead_to_awaiting_reply(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, stage=Stage.QUALIFIED)
    client.force_login(rep)
    sent_at = timezone.localtime(timezone.now() - timedelta(hours=2))
    response = client.post(
        reverse("leads:log_message", kwargs={"pk": lead.pk}),
        {
            "direction": "out",
            "channel": "email",
            "occurred_at": sent_at.strftime("%Y-%m-%dT%H:%M"),
            "subject": "Quotation UV-C 254nm",
            "body": "Dear Jana,\nplease find our offer.",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Quotation UV-C 254nm" in response.text
    assert 'id="lead-header"' in response.text
    assert 'hx-swap-oob="true"' in response.text
    lead.refresh_from_db()
    assert lead.stage == Stage.AWAITING_REPLY
    assert lead.last_outbound_at is not None
    activity = Activity.objects.get(lead=lead)
    assert activity.direction == "out"
    assert activity.created_by == rep
    assert activity.contact == lead.contact


def test_logging_their_reply_moves_the_lead_to_contacted_but_an_auto_reply_does_not(client, rep) -> None:
    now = timezone.now()
    lead = factories.LeadFactory(
        owner=rep, stage=Stage.AWAITING_REPLY, last_outbound_at=now - timedelta(days=3)
    )
    client.force_login(rep)
    url = reverse("leads:log_message", kwargs={"pk": lead.pk})
    form = {
        "direction": "in",
        "channel": "email",
        "occurred_at": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M"),
    }
    client.post(url, {**form, "subject": "Out of office", "is_auto_reply": "on"})
    lead.refresh_from_db()
    assert lead.stage == Stage.AWAITING_REPLY
    assert lead.last_inbound_at is None
    response = client.post(url, {**form, "subject": "Re: Quotation", "body": "Thanks, we need 200 pcs."})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.stage == Stage.CONTACTED
    assert lead.last_inbound_at is not None


def test_invalid_message_form_comes_back_with_errors(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep)
    client.force_login(rep)
    future = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("leads:log_message", kwargs={"pk": lead.pk}),
        {"direction": "out", "channel": "carrier_pigeon", "occurred_at": future},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "This is in the future." in response.text
    assert "Select a valid choice" in response.text
    assert not Activity.objects.exists()


def test_notes_are_added_and_listed_apart_from_the_timeline(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep)
    client.force_login(rep)
    response = client.post(
        reverse("leads:add_note", kwargs={"pk": lead.pk}),
        {"body": "Prefers calls after 3 pm <b>bold</b>"},
        HTTP_HX_REQUEST="true",
    )
    assert "Prefers calls after 3 pm &lt;b&gt;bold&lt;/b&gt;" in response.text
    note = Activity.objects.get(lead=lead)
    assert note.kind == Activity.Kind.NOTE
    assert note.direction == Activity.Direction.INTERNAL
    html = page(client, lead).text
    timeline = html[html.index('id="lead-activity"') : html.index('id="lead-notes"')]
    assert "Prefers calls" not in timeline


def test_follow_up_tasks_are_listed_with_their_offer(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep)
    offer = Offer.objects.create(
        title="Free spare lamps", terms="2 spare lamps", valid_until=timezone.now() + timedelta(days=4)
    )
    factories.FollowUpTaskFactory(
        lead=lead, channel="whatsapp", reason="No reply after 2 business days", offer=offer
    )
    factories.FollowUpTaskFactory(lead=lead, status=FollowUpTask.Status.DONE, reason="First nudge")
    client.force_login(rep)
    html = page(client, lead).text
    assert "No reply after 2 business days" in html
    assert "Offer: Free spare lamps" in html
    assert html.index("No reply after 2 business days") < html.index("First nudge")


def test_pool_lead_page_is_read_only_for_a_rep_until_claimed(client, rep) -> None:
    lead = factories.LeadFactory(owner=None)
    client.force_login(rep)
    html = page(client, lead).text
    assert reverse("leads:claim", kwargs={"pk": lead.pk}) in html
    assert reverse("leads:log_message", kwargs={"pk": lead.pk}) not in html
    response = client.post(reverse("leads:add_note", kwargs={"pk": lead.pk}), {"body": "mine now?"})
    assert response.status_code == 404


def test_checks_panel_polls_while_running_and_refreshes_the_header_when_done(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, check_status="running", stage=Stage.NEW)
    client.force_login(rep)
    url = reverse("leads:checks", kwargs={"pk": lead.pk})
    assert 'hx-trigger="every 3s"' in page(client, lead).text
    running = client.get(url, HTTP_HX_REQUEST="true").text
    assert 'hx-trigger="every 3s"' in running
    assert "hx-swap-oob" not in running
    Lead.objects.filter(pk=lead.pk).update(check_status="done", stage=Stage.QUALIFIED, authenticity="genuine")
    done = client.get(url, HTTP_HX_REQUEST="true").text
    assert 'hx-trigger="every 3s"' not in done
    assert 'id="lead-header" class="lead-header card" hx-swap-oob="true"' in done
    assert "Qualified" in done


def test_header_actions_on_the_lead_page_return_the_header(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, stage=Stage.QUALIFIED)
    client.force_login(rep)
    response = client.post(
        reverse("leads:move", kwargs={"pk": lead.pk}),
        {"stage": "nurture", "fragment": "header"},
        HTTP_HX_REQUEST="true",
    )
    assert 'id="lead-header"' in response.text
    assert "Moved to Nurture." in response.text
    lead.refresh_from_db()
    assert lead.stage == Stage.NURTURE


def test_board_cards_escape_quotes_and_ampersands_as_django_does(client, rep) -> None:
    from django.utils.html import escape

    lead = factories.LeadFactory(
        owner=rep, company__name='A&B "Quoted" O\'Brien', contact__name="<b>bold</b>"
    )
    client.force_login(rep)
    html = client.get(reverse("leads:board")).text
    assert escape(lead.company.name) in html  # &amp; &quot; &#x27;
    assert escape("<b>bold</b>") in html
    assert "<b>bold</b>" not in html
