"""A rep's day in a real browser: board, lead page, moving and claiming cards, live check results, access, XSS."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import Offer
from leads.models import Lead, Stage
from tests import factories
from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

XSS_TITLE = "UV Leads"


@pytest.fixture
def people(role_groups):  # type: ignore[no-untyped-def]
    rep = factories.user_with_role("rep", username="mei", first_name="Mei", last_name="Lin")
    other = factories.user_with_role("rep", username="tom", first_name="Tom", last_name="Berg")
    return rep, other


def log_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/board/"))


def card(page, lead):  # type: ignore[no-untyped-def]
    return page.locator(f"#lead-{lead.pk}")


def mark_page(page) -> None:  # type: ignore[no-untyped-def]
    """A value on window survives htmx swaps but not a page load: proves nothing reloaded."""
    page.evaluate("window.__noReload = true")


def still_same_page(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("window.__noReload === true")


def demo_leads(rep, other):  # type: ignore[no-untyped-def]
    """A realistic handful of leads across the columns, for the journeys and the screenshots."""
    now = timezone.now()
    offer = Offer.objects.create(
        title="Spring promotion: 8% off", terms="8% off", valid_until=now + timedelta(days=6)
    )
    rows = [
        (
            "Rhein Wassertechnik GmbH",
            "DE",
            "Lena Vogel",
            Stage.NEW,
            None,
            "alibaba",
            "valid",
            "live",
            81,
            "A",
        ),
        (
            "Clearwater Aquaculture Inc.",
            "US",
            "Ashley Brooks",
            Stage.NEW,
            None,
            "website",
            "risky",
            "live",
            64,
            "B",
        ),
        (
            "Lagoa Azul Aquicultura Ltda.",
            "BR",
            "Mariana Souza",
            Stage.QUALIFIED,
            rep,
            "made_in_china",
            "valid",
            "live",
            77,
            "A",
        ),
        ("Sakura Water K.K.", "JP", "Yui Tanaka", Stage.QUALIFIED, rep, "email", "valid", "live", 52, "B"),
        (
            "Al Noor Purification",
            "SA",
            "Fatimah Al-Harbi",
            Stage.CONTACTED,
            rep,
            "alibaba",
            "valid",
            "live",
            69,
            "B",
        ),
        (
            "Ganga Engineering Pvt Ltd",
            "IN",
            "Priya Sharma",
            Stage.AWAITING_REPLY,
            rep,
            "alibaba",
            "valid",
            "live",
            88,
            "A",
        ),
        (
            "Thames Hospital Supply Ltd",
            "GB",
            "Oliver Clarke",
            Stage.AWAITING_REPLY,
            rep,
            "website",
            "unknown",
            "live",
            58,
            "B",
        ),
        (
            "Adriatica Food Processing S.r.l.",
            "IT",
            "Giulia Rossi",
            Stage.NURTURE,
            rep,
            "made_in_china",
            "valid",
            "live",
            41,
            "C",
        ),
        ("Levante Pool & Spa S.L.", "ES", "Pablo García", Stage.WON, rep, "manual", "valid", "live", 72, "B"),
        ("Best Price Trading", "NG", "", Stage.JUNK, rep, "alibaba", "invalid", "parked", 0, "D"),
        ("Nordsee Fischzucht GmbH", "DE", "Felix Becker", Stage.CHECKING, None, "email", "", "", None, ""),
        (
            "Secret Rival Corp",
            "FR",
            "Camille Martin",
            Stage.QUALIFIED,
            other,
            "website",
            "valid",
            "live",
            90,
            "A",
        ),
    ]
    leads = {}
    for index, (company, country, person, stage, owner, source, email, website, score, tier) in enumerate(
        rows
    ):
        lead = factories.LeadFactory(
            company__name=company,
            company__country=country,
            company__website_verdict=website,
            company__fit_score=score,
            company__fit_tier=tier,
            contact__name=person,
            contact__country=country,
            contact__email_verdict=email,
            stage=stage,
            owner=owner,
            source=source,
            received_at=now - timedelta(hours=5 * index + 1),
            check_status="running" if stage == Stage.CHECKING else "done",
            authenticity="fake" if stage == Stage.JUNK else ("suspicious" if email == "risky" else "genuine"),
            junk_reason="Parked domain and an undeliverable email" if stage == Stage.JUNK else "",
            last_outbound_at=now - timedelta(days=index - 2) if stage == Stage.AWAITING_REPLY else None,
            customer_category="favourite" if index == 4 else "",
        )
        leads[company] = lead
    ganga = leads["Ganga Engineering Pvt Ltd"]
    _dress_up(ganga, rep, now)
    factories.FollowUpTaskFactory(lead=ganga, due_at=now + timedelta(days=1), channel="whatsapp", offer=offer)
    thames = leads["Thames Hospital Supply Ltd"]
    thames.contact.vacation_until = timezone.localdate() + timedelta(days=4)
    thames.contact.save()
    factories.FollowUpTaskFactory(lead=thames, due_at=now - timedelta(hours=3), channel="email")
    return leads


def _dress_up(lead, rep, now) -> None:  # type: ignore[no-untyped-def]
    """The lead of the lead-page screenshot: channels, evidence, fit, a message each way and a note."""
    from followups.activities import log_activity
    from leads.models import Company, Contact

    Lead.objects.filter(pk=lead.pk).update(
        subject="RFQ: UV sterilizers for 3 water treatment plants",
        message=(
            "Dear Sir/Madam,\n\nWe are an engineering contractor in Pune and need UV sterilizers for three "
            "municipal water treatment plants (flow 40 m3/h each, 254 nm, SS316).\n\n"
            "Please quote CIF Nhava Sheva for 6 units and advise lead time and warranty.\n\nRegards,\nPriya Sharma"
        ),
        products="UV sterilizer 40 m3/h",
        quantity="6 units",
        authenticity_reasons=["email_and_website_confirm", "inquiry_specific"],
        checked_at=now - timedelta(hours=20),
    )
    Company.objects.filter(pk=lead.company_id).update(
        website="https://www.ganga-engineering.example/",
        domain="ganga-engineering.example",
        website_reasons=["content"],
        website_final_url="https://www.ganga-engineering.example/en/",
        website_checked_at=now - timedelta(hours=20),
        fit_evidence={
            "score": 88,
            "tier": "A",
            "industries": [
                {"name": "Water treatment engineering", "score": 70},
                {"name": "Municipal purification"},
            ],
            "matches": [
                {"term": "UV sterilizer", "language": "en", "count": 4},
                {"term": "water treatment plant", "language": "en", "count": 3},
                {"term": "disinfection", "language": "en", "count": 2},
            ],
            "explanation": ["Our own product named on the website", "2 target industries, no unrelated ones"],
        },
    )
    Contact.objects.filter(pk=lead.contact_id).update(
        email="priya.sharma@ganga-engineering.example",
        role="Purchasing manager",
        email_reasons=["smtp_accepted"],
    )
    for kind, value in (
        ("email", "priya.sharma@ganga-engineering.example"),
        ("whatsapp", "+919812345678"),
        ("phone", "+912025531234"),
        ("linkedin", "in/priya-sharma-pune"),
    ):
        factories.ContactChannelFactory(contact=lead.contact, kind=kind, value=value, normalized=value)
    night = factories.ContactFactory(
        company=lead.company,
        name="Rohit Kulkarni",
        role="Site engineer",
        email="",
        is_emergency_contact=True,
        country="IN",
    )
    factories.ContactChannelFactory(
        contact=night, kind="phone", value="+919876543210", normalized="+919876543210"
    )
    lead.refresh_from_db()
    log_activity(
        lead, rep, "out", "email", "Quotation UV-40 x 6, CIF Nhava Sheva",
        "Dear Ms Sharma,\nplease find our quotation attached. Lead time 25 days.", now - timedelta(days=3),
    )  # fmt: skip
    log_activity(lead, rep, "internal", body="Decision after their board meeting on Friday.", kind="note")


def test_rep_sees_the_board_opens_a_lead_and_gets_404_for_another_reps_lead(
    page, live_server, people, screenshots
) -> None:
    rep, other = people
    leads = demo_leads(rep, other)
    log_in(page, live_server, rep)
    for title in ("New", "Checking", "Qualified", "Contacted", "Awaiting reply", "Nurture", "Won", "Junk"):
        assert page.locator(".column-head h2", has_text=re.compile(f"^{title}$")).count() == 1
    assert card(page, leads["Ganga Engineering Pvt Ltd"]).is_visible()
    assert page.locator("text=Secret Rival Corp").count() == 0
    junk = card(page, leads["Best Price Trading"])
    assert "Parked domain and an undeliverable email" in junk.inner_text()
    page.locator("body").click(position={"x": 5, "y": 5})
    page.screenshot(path=str(screenshots / "board.png"))
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(screenshots / "board-phone.png"))
    page.set_viewport_size({"width": 1280, "height": 860})

    card(page, leads["Ganga Engineering Pvt Ltd"]).locator(".card-title").click()
    page.wait_for_url(re.compile(rf"/leads/{leads['Ganga Engineering Pvt Ltd'].pk}/$"))
    assert page.locator("h1", has_text="Ganga Engineering Pvt Ltd").is_visible()
    assert page.locator(".inquiry-text").is_visible()
    page.screenshot(path=str(screenshots / "lead.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(screenshots / "lead-phone.png"))

    response = page.goto(f"{live_server.url}/leads/{leads['Secret Rival Corp'].pk}/")
    assert response.status == 404
    assert "Secret Rival" not in page.content()


def test_rep_moves_a_card_and_claims_one_from_the_pool_without_a_reload(page, live_server, people) -> None:
    rep, other = people
    leads = demo_leads(rep, other)
    log_in(page, live_server, rep)
    mark_page(page)

    moving = card(page, leads["Sakura Water K.K."])
    moving.locator(".card-menu summary").click()
    moving.locator(".menu-panel button[name=stage][value=nurture]").click()
    moved = page.locator(f"#cards-nurture #lead-{leads['Sakura Water K.K.'].pk}")
    moved.wait_for()
    assert page.locator(f"#cards-qualified #lead-{leads['Sakura Water K.K.'].pk}").count() == 0
    assert page.locator(".toast", has_text="Moved to Nurture.").count() == 1

    pooled = card(page, leads["Clearwater Aquaculture Inc."])
    assert pooled.locator(".owner.pool").is_visible()
    pooled.get_by_role("button", name="Claim").click()
    page.locator(f"#lead-{leads['Clearwater Aquaculture Inc.'].pk} .owner:not(.pool)").wait_for()
    assert "Mei Lin" in card(page, leads["Clearwater Aquaculture Inc."]).inner_text()
    assert still_same_page(page)
    assert Lead.objects.get(pk=leads["Sakura Water K.K."].pk).stage == Stage.NURTURE
    assert Lead.objects.get(pk=leads["Clearwater Aquaculture Inc."].pk).owner == rep


def test_a_card_shows_its_check_result_by_itself_once_the_check_finishes(page, live_server, people) -> None:
    rep, other = people
    lead = factories.LeadFactory(
        owner=rep,
        stage=Stage.NEW,
        check_status="pending",
        company__name="Pending Check Ltd",
        contact__email_verdict="",
    )
    log_in(page, live_server, rep)
    mark_page(page)
    pending = card(page, lead)
    assert "Checking" in pending.inner_text()
    assert pending.get_attribute("hx-trigger") == "every 3s"

    # The worker's part, done here: the check finishes and the lead is qualified.
    lead.contact.email_verdict = "valid"
    lead.contact.save()
    lead.company.website_verdict = "live"
    lead.company.save()
    Lead.objects.filter(pk=lead.pk).update(check_status="done", stage=Stage.QUALIFIED, authenticity="genuine")

    updated = page.locator(f"#cards-qualified #lead-{lead.pk}")
    updated.wait_for(timeout=10_000)
    assert "Email valid" in updated.inner_text()
    assert "Site live" in updated.inner_text()
    assert updated.get_attribute("hx-trigger") is None
    assert page.locator(f"#cards-new #lead-{lead.pk}").count() == 0
    assert still_same_page(page)


def test_keyboard_moves_focus_between_cards_and_shows_the_help(page, live_server, people) -> None:
    rep, other = people
    demo_leads(rep, other)
    log_in(page, live_server, rep)
    page.keyboard.press("j")
    first = page.evaluate("document.activeElement.id")
    assert first.startswith("lead-")
    page.keyboard.press("j")
    second = page.evaluate("document.activeElement.id")
    assert second.startswith("lead-")
    assert second != first
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.id") == first
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus ring is visible
    page.keyboard.press("?")
    assert page.locator("#keys-help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#keys-help").is_visible()


def test_keyboard_claims_the_focused_pool_card(page, live_server, people) -> None:
    rep, other = people
    lead = factories.LeadFactory(owner=None, company__name="Keyboard Claim Co")
    log_in(page, live_server, rep)
    page.locator(f"#lead-{lead.pk}").focus()
    page.keyboard.press("c")
    page.locator(f"#lead-{lead.pk} .owner:not(.pool)").wait_for()
    assert Lead.objects.get(pk=lead.pk).owner == rep


def test_an_inquiry_carrying_script_runs_nothing(page, live_server, people) -> None:
    rep, other = people
    payload = (
        '<script>window.__xss = 1; document.title = "pwned"</script>'
        "<img src=x onerror=\"window.__xss = 2; document.title = 'pwned'\">"
        '<a id="evil" href="javascript:window.__xss=3">open me</a>'
        '<svg onload="window.__xss = 4"></svg>'
    )
    lead = factories.LeadFactory(
        owner=rep,
        subject=payload,
        message=f"Dear sir,\n{payload}",
        company__name='Evil <script>window.__xss=1</script><img src=x onerror="window.__xss=2">',
        contact__name='<img src=x onerror="window.__xss=7">',
        company__website="javascript:window.__xss=5",
        stage=Stage.JUNK,
        junk_reason=payload,
    )
    factories.ContactChannelFactory(
        contact=lead.contact,
        kind="telegram",
        value="javascript:window.__xss=6",
        normalized="javascript:window.__xss=6",
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, live_server, rep)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert page.title().endswith(XSS_TITLE)
    page.goto(f"{live_server.url}/leads/{lead.pk}/")
    page.wait_for_timeout(300)
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator(".inquiry-text").inner_text().count("<script>") == 1  # shown as text
    assert page.evaluate("window.__xss") is None
    assert page.title().endswith(XSS_TITLE)
    assert dialogs == []


def test_bulk_recheck_shows_progress_until_every_check_is_back(page, live_server, people) -> None:
    rep, other = people
    leads = [
        factories.LeadFactory(owner=rep, check_status="done", company__name=f"Bulk {index}")
        for index in range(3)
    ]
    log_in(page, live_server, rep)
    for lead in leads[:2]:
        card(page, lead).locator(".card-select").check()
    assert page.locator("[data-bulk-count]").inner_text() == "2 selected"
    page.get_by_role("button", name="Re-check selected").click()
    progress = page.locator("#job-progress progress")
    progress.wait_for()
    assert "Re-checking 0 of 2" in page.locator("#job-progress").inner_text()
    card(page, leads[0]).locator(".badge.checking").wait_for()  # the board refreshed: the cards poll

    Lead.objects.filter(pk__in=[lead.pk for lead in leads[:2]]).update(check_status="done")
    page.locator("#job-progress", has_text="Re-check finished: 2 leads").wait_for(timeout=10_000)
    assert Lead.objects.get(pk=leads[2].pk).check_job is None
