"""A manager's look at the dashboard in a real browser: charts drawn, filters in the URL, drill-down to the board."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from followups.activities import log_activity
from leads.models import Authenticity, Lead, SalesTeam, Source, Stage
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COMPANIES = [
    ("Rhein Wassertechnik GmbH", "DE", ""),
    ("Clearwater Aquaculture Inc.", "US", "CA"),
    ("Al Noor Medical Supplies", "SA", ""),
    ("Shenzhen Brightway Trading", "CN", ""),
    ("Lumière Hygiène SARL", "FR", ""),
    ("Pure Air Systems Ltd", "GB", ""),
    ("Saúde Total Distribuidora", "BR", ""),
    ("Mumbai Sterile Solutions", "IN", ""),
    ("Gulf Hospitality Trading", "AE", ""),
    ("Nordic Clean Water AS", "NO", ""),
    ("Hanoi Medical Equipment", "VN", ""),
    ("Lone Star Food Safety", "US", "TX"),
]
CHANNEL_REPLY_ODDS = {"email": 0.45, "whatsapp": 0.7, "wechat": 0.6, "linkedin": 0.25}


@pytest.fixture
def team(role_groups):  # type: ignore[no-untyped-def]
    manager = factories.user_with_role("manager", username="mia", first_name="Mia", last_name="Wang")
    reps = [
        factories.user_with_role("rep", username=name.lower(), first_name=name, last_name=last)
        for name, last in (("Mei", "Lin"), ("Tom", "Berg"), ("Ana", "Costa"))
    ]
    return manager, reps


def realistic_book(reps) -> Lead:  # type: ignore[no-untyped-def]
    """About 90 leads over the last 12 weeks across countries, channels and outcomes; returns one that has
    waited 30+ business days for Mei."""
    rng = random.Random(5)
    now = timezone.now()
    sources = (
        [Source.ALIBABA] * 4
        + [Source.MADE_IN_CHINA] * 3
        + [Source.WEBSITE] * 2
        + [Source.EMAIL, Source.IMPORT]
    )
    for number in range(90):
        name, country, subdivision = COMPANIES[number % len(COMPANIES)]
        company = factories.CompanyFactory(
            name=f"{name} #{number}", country=country, subdivision=subdivision,
            fit_tier=rng.choice("AABBBCD"),
        )  # fmt: skip
        away = rng.random() < 0.06
        contact = factories.ContactFactory(
            company=company,
            vacation_from=(now - timedelta(days=3)).date() if away else None,
            vacation_until=(now + timedelta(days=4)).date() if away else None,
        )
        owner = reps[number % 3] if number % 7 else None
        authenticity = rng.choices(
            [Authenticity.GENUINE, Authenticity.SUSPICIOUS, Authenticity.FAKE], weights=[70, 12, 18]
        )[0]
        received = now - timedelta(days=rng.uniform(1, 82))
        lead = factories.LeadFactory(
            company=company, contact=contact, owner=owner, source=rng.choice(sources), received_at=received,
            authenticity=authenticity, stage=Stage.JUNK if authenticity == Authenticity.FAKE else Stage.QUALIFIED,
        )  # fmt: skip
        if authenticity == Authenticity.FAKE:
            continue
        moment = received + timedelta(hours=rng.uniform(2, 30))
        for _ in range(rng.randint(1, 3)):
            if moment >= now:
                break
            channel = rng.choice(list(CHANNEL_REPLY_ODDS))
            log_activity(lead, owner, "out", channel, occurred_at=moment)
            if rng.random() < CHANNEL_REPLY_ODDS[channel]:
                answer = moment + timedelta(hours=rng.expovariate(1 / 30))
                if answer < now:
                    log_activity(lead, None, "in", channel, occurred_at=answer)
                    moment = answer
            moment += timedelta(days=rng.uniform(2, 12))
        if rng.random() < 0.08:
            Lead.objects.filter(pk=lead.pk).update(stage=Stage.WON)
        if owner is not None and rng.random() < 0.3:
            factories.FollowUpTaskFactory(
                lead=lead, assignee=owner, due_at=now - timedelta(days=rng.uniform(0.2, 9))
            )
    company = factories.CompanyFactory(
        name="Bayern Reinraum AG", country="DE", subdivision="BY", fit_tier="A"
    )
    long_wait = factories.LeadFactory(
        company=company, contact=factories.ContactFactory(company=company), owner=reps[0],
        source=Source.ALIBABA, authenticity=Authenticity.GENUINE, stage=Stage.QUALIFIED,
        received_at=now - timedelta(days=70),
    )  # fmt: skip
    log_activity(long_wait, reps[0], "out", "email", occurred_at=now - timedelta(days=60))
    return long_wait


def log_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/board/"))


def test_manager_reads_the_charts_and_drills_down_to_the_board(page, live_server, team, screenshots) -> None:
    manager, reps = team
    long_wait = realistic_book(reps)
    log_in(page, live_server, manager)

    page.click("nav >> text=Dashboard")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.locator("h1").inner_text() == "Managers' dashboard"
    assert page.locator("svg.chart[role=img]").count() == 11
    assert page.locator("svg.chart title").first.text_content() == "Unanswered leads by business days waited"
    assert page.locator("#table-unanswered-by-rep tbody tr").count() == 4  # three reps and the pool

    page.screenshot(path=str(screenshots / "dashboard.png"), full_page=True)

    # Filters go into the URL; the panels are swapped by htmx without a page load.
    page.evaluate("window.__noReload = true")
    page.select_option("#id_source", "alibaba")
    page.wait_for_url(re.compile(r"source=alibaba"))
    page.wait_for_selector("#dashboard-panels:not(.htmx-request)")
    assert page.evaluate("window.__noReload === true")
    assert page.locator("svg.chart[role=img]").count() >= 10

    # Mei's 30+ business days cell links to her waiting leads on the board.
    mei_row = page.locator("#table-unanswered-by-rep tbody tr", has_text="Mei Lin")
    mei_row.locator("td").nth(4).locator("a").click()
    page.wait_for_url(re.compile(r"/board/\?"))
    query = parse_qs(urlparse(page.url).query)
    assert query == {
        "owner": [str(reps[0].pk)],
        "source": ["alibaba"],
        "include_snoozed": ["1"],
        "waiting": ["30"],
    }
    assert page.locator("h1").inner_text() == "Triage board"
    assert page.locator(f"#lead-{long_wait.pk}").is_visible()

    # A sales team: the rep table narrows to its members, and the team stays in the URL.
    europe = SalesTeam.objects.create(name="Europe & Americas")
    europe.members.add(reps[0], reps[1])
    page.goto(f"{live_server.url}/dashboard/")
    page.select_option("#id_owner", f"team-{europe.pk}")
    page.wait_for_url(re.compile(rf"owner=team-{europe.pk}"))
    page.wait_for_selector("#dashboard-panels:not(.htmx-request)")
    reps_shown = page.locator("#table-unanswered-by-rep tbody tr > :first-child").all_inner_texts()
    assert sorted(reps_shown) == ["Mei Lin", "Tom Berg"]


def test_rep_cannot_open_the_dashboard(page, live_server, team) -> None:
    _, reps = team
    log_in(page, live_server, reps[0])
    assert page.locator("nav >> text=Dashboard").count() == 0
    response = page.goto(f"{live_server.url}/dashboard/")
    assert response is not None
    assert response.status == 403
