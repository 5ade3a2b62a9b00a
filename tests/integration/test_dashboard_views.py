"""The dashboard page and its CSVs: managers only, filters from the URL, bounded queries, safe output."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from followups import dashboard
from followups.activities import log_activity
from followups.dashboard_views import TABLES
from leads.models import Authenticity, Lead, Stage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_cached_calendars() -> None:
    """Each test starts without the cached calendar list, so the SQL path is the one under test."""
    cache.delete(dashboard.calendar_keys_cache_key())


PAGE = reverse("dashboard:page")


def waiting_lead(owner, country: str = "DE", days_ago: float = 10, **fields) -> Lead:
    company = factories.CompanyFactory(country=country, fit_tier="A")
    contact = factories.ContactFactory(company=company)
    lead = factories.LeadFactory(
        company=company,
        contact=contact,
        owner=owner,
        stage=Stage.QUALIFIED,
        authenticity=Authenticity.GENUINE,
        received_at=timezone.now() - timedelta(days=days_ago + 1),
        **fields,
    )
    log_activity(lead, owner, "out", "email", occurred_at=timezone.now() - timedelta(days=days_ago))
    return lead


def answered_lead(owner, country: str = "US") -> Lead:
    lead = waiting_lead(owner, country, days_ago=3)
    log_activity(lead, None, "in", "email", occurred_at=timezone.now() - timedelta(days=2))
    return lead


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_rep_gets_403_on_the_page_the_fragment_and_every_csv(client, rep) -> None:
    client.force_login(rep)
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE, HTTP_HX_REQUEST="true").status_code == 403
    for chart in TABLES:
        assert client.get(reverse("dashboard:csv", args=[chart])).status_code == 403, chart


def test_anonymous_user_is_sent_to_login(client) -> None:
    for url in (PAGE, reverse("dashboard:csv", args=["funnel"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["manager", "admin_user"])
def test_managers_and_admins_see_every_panel_as_charts_and_tables(client, request, role, rep) -> None:
    lead = waiting_lead(rep)
    answered_lead(rep)
    factories.FollowUpTaskFactory(lead=lead, assignee=rep, due_at=timezone.now() - timedelta(hours=5))
    client.force_login(request.getfixturevalue(role))

    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="chart"') == 11
    assert html.count('role="img"') == 11
    for title in ("Unanswered leads", "Replies", "Funnel", "Follow-up discipline"):
        assert f">{title}</h2>" in html
    for chart in TABLES:
        assert reverse("dashboard:csv", args=[chart]) in html
    assert 'href="/dashboard/"' in html  # the nav link


def test_nav_link_is_for_managers_only(client, rep) -> None:
    client.force_login(rep)
    assert reverse("dashboard:page") not in client.get(reverse("followups:mine")).content.decode()


def test_htmx_request_gets_only_the_panels(client, manager) -> None:
    client.force_login(manager)
    response = client.get(PAGE, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="unanswered"' in html
    assert response["Vary"] == "HX-Request, Cookie" or "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "not-a-date"},
        {"date_from": "2026-06-01", "date_to": "2026-01-01"},
        {"date_from": "2020-01-01", "date_to": "2026-01-01"},
        {"owner": "99999"},
        {"owner": "<script>"},
        {"country": "ZZZ"},
        {"source": "carrier-pigeon"},
    ],
)
def test_invalid_filters_are_reported_and_ignored(client, manager, query) -> None:
    client.force_login(manager)
    response = client.get(PAGE, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters were not applied" in html
    assert "<script>" not in html.split("</header>", 1)[1]
    csv_response = client.get(reverse("dashboard:csv", args=["funnel"]), query)
    assert csv_response.status_code == 200


def test_unknown_chart_has_no_csv(client, manager) -> None:
    client.force_login(manager)
    assert client.get(reverse("dashboard:csv", args=["passwords"])).status_code == 404


def test_filters_narrow_every_panel(client, manager, rep, other_rep) -> None:
    waiting_lead(rep, "DE")
    waiting_lead(other_rep, "FR")
    client.force_login(manager)

    everyone = csv_rows(client.get(reverse("dashboard:csv", args=["unanswered-by-country"])))
    french = csv_rows(client.get(reverse("dashboard:csv", args=["unanswered-by-country"]), {"country": "FR"}))
    reps_leads = csv_rows(client.get(reverse("dashboard:csv", args=["unanswered-by-rep"]), {"owner": rep.pk}))

    assert [row[0] for row in everyone[1:-1]] == ["France", "Germany"]
    assert [row[0] for row in french[1:-1]] == ["France"]
    assert len(reps_leads) == 3  # header, one rep, total
    assert reps_leads[1][0] == rep.username


def test_csv_has_the_chart_numbers_and_neutralizes_formulas(client, manager) -> None:
    sneaky = factories.user_with_role("rep", first_name='=HYPERLINK("http://evil.example","x")', last_name="")
    waiting_lead(sneaky, days_ago=10)  # 10 calendar days back: 6-8 business days in Germany
    client.force_login(manager)

    response = client.get(reverse("dashboard:csv", args=["unanswered-by-rep"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.match(
        r'attachment; filename="dashboard-unanswered-by-rep-\d{4}-\d{2}-\d{2}\.csv"',
        response["Content-Disposition"],
    )
    rows = csv_rows(response)
    assert rows[0] == [
        "Rep",
        "< 3 days waited",
        "3–6 days waited",
        "7–13 days waited",
        "14–29 days waited",
        "30+ days waited",
        "Total",
    ]
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[1][-1] == "1"
    assert rows[-1][0] == "All"


def test_user_supplied_labels_are_escaped_in_charts_and_tables(client, manager) -> None:
    waiting_lead(factories.user_with_role("rep", first_name="<img src=x onerror=alert(1)>", last_name="&"))
    client.force_login(manager)
    html = client.get(PAGE).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp;" in html


def test_bucket_numbers_link_to_the_filtered_board(client, manager, rep) -> None:
    lead = waiting_lead(rep, "DE", days_ago=45)  # 45 calendar days: 30+ business days
    client.force_login(manager)
    html = client.get(PAGE, {"source": lead.source}).content.decode()

    links = [urlparse(href.replace("&amp;", "&")) for href in re.findall(r'href="(/board/\?[^"]+)"', html)]
    rep_30 = [
        parse_qs(link.query)
        for link in links
        if parse_qs(link.query).get("owner") == [str(rep.pk)]
        and parse_qs(link.query).get("waiting") == ["30"]
    ]
    assert rep_30 == [
        {
            "owner": [str(rep.pk)],
            "source": [lead.source],
            "include_snoozed": ["1"],
            "waiting": ["30"],
        }
    ]
    country_links = [parse_qs(link.query) for link in links if parse_qs(link.query).get("country") == ["DE"]]
    assert {
        "country": ["DE"],
        "source": [lead.source],
        "include_snoozed": ["1"],
        "waiting": ["30"],
    } in country_links
    # Totals link to every waiting lead of their row, the "7+ days" figure to the 7-13, 14-29 and 30+ buckets.
    waiting_values = {value for link in links for value in parse_qs(link.query).get("waiting", [])}
    assert {"all", "7+", "30"} <= waiting_values
    assert all("stage" not in parse_qs(link.query) for link in links)


def _render_queries(client, django_assert_max_num_queries, limit: int) -> int:
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(PAGE).status_code == 200
    return len(captured.captured_queries)


# Session, user, role groups, reps and teams, names, result stamp, BEGIN, SET LOCAL jit, calendar list (only
# when not cached), unanswered, replies, funnel, overdue tasks, idle leads, COMMIT.
COLD_RENDER_QUERIES = 15


def test_page_renders_in_a_bounded_number_of_queries_whatever_the_data(
    client, manager, rep, other_rep, django_assert_max_num_queries
) -> None:
    client.force_login(manager)
    waiting_lead(rep)
    few = _render_queries(client, django_assert_max_num_queries, COLD_RENDER_QUERIES)
    for index in range(12):
        owner = (rep, other_rep, None)[index % 3]
        waiting_lead(owner, ("DE", "US", "CN", "SA", "BR", "JP")[index % 6], days_ago=index * 3 + 1)
        answered_lead(owner, ("GB", "FR")[index % 2])
        contact = factories.ContactFactory(
            vacation_from=timezone.localdate(), vacation_until=timezone.localdate()
        )
        vacation = waiting_lead(owner, "IT", days_ago=2)
        Lead.objects.filter(pk=vacation.pk).update(contact=contact)
        factories.FollowUpTaskFactory(
            lead=vacation, assignee=owner, due_at=timezone.now() - timedelta(days=1)
        )
    many = _render_queries(client, django_assert_max_num_queries, COLD_RENDER_QUERIES)
    assert many <= few  # the calendar list is cached after the first render
    cached = _render_queries(client, django_assert_max_num_queries, 6)
    assert cached < many


def test_a_new_message_invalidates_the_cached_result(client, manager, rep) -> None:
    lead = waiting_lead(rep, "DE", days_ago=45)
    client.force_login(manager)
    before = csv_rows(client.get(reverse("dashboard:csv", args=["unanswered-by-rep"])))
    log_activity(lead, None, "in", "email", occurred_at=timezone.now() - timedelta(hours=1))
    after = csv_rows(client.get(reverse("dashboard:csv", args=["unanswered-by-rep"])))
    assert before[-1] == ["All", "0", "0", "0", "0", "1", "1"]
    assert after[-1] == ["All", "0", "0", "0", "0", "0", "0"]  # nobody is waiting any more


def test_a_team_filter_shows_only_its_members_work_and_its_links_keep_it(
    client, manager, rep, other_rep
) -> None:
    from leads.models import SalesTeam

    europe = SalesTeam.objects.create(name="Europe")
    europe.members.add(rep)
    SalesTeam.objects.create(name="Asia").members.add(other_rep)
    ours = [waiting_lead(rep, "DE", days_ago=45), waiting_lead(rep, "FR", days_ago=10)]
    answered_lead(rep)
    theirs = waiting_lead(other_rep, "JP", days_ago=45)
    answered_lead(other_rep)
    waiting_lead(None, "DE", days_ago=45)  # the pool belongs to no team
    factories.FollowUpTaskFactory(lead=ours[0], assignee=rep, due_at=timezone.now() - timedelta(days=1))
    factories.FollowUpTaskFactory(lead=theirs, assignee=other_rep, due_at=timezone.now() - timedelta(days=1))
    client.force_login(manager)
    team = f"team-{europe.pk}"

    page = client.get(PAGE, {"owner": team})
    assert f'<option value="{team}" selected>Team: Europe</option>' in page.content.decode()

    by_rep = csv_rows(client.get(reverse("dashboard:csv", args=["unanswered-by-rep"]), {"owner": team}))
    assert [row[0] for row in by_rep[1:-1]] == [rep.get_full_name() or rep.username]
    assert by_rep[-1][-1] == "2"
    replies = csv_rows(client.get(reverse("dashboard:csv", args=["reply-rates-by-rep"]), {"owner": team}))
    assert [row[0] for row in replies[1:]] == [rep.get_full_name() or rep.username]
    assert replies[1][1:3] == ["3", "1"]  # three messages sent, one answered
    discipline = csv_rows(client.get(reverse("dashboard:csv", args=["discipline"]), {"owner": team}))
    assert discipline[-1][1] == "1"  # one overdue follow-up: the team's own

    links = [
        parse_qs(urlparse(href.replace("&amp;", "&")).query)
        for href in re.findall(r'href="(/board/\?[^"]+)"', page.content.decode())
    ]
    assert {"owner": [team], "include_snoozed": ["1"], "waiting": ["all"]} in links
    board = client.get(reverse("leads:board"), {"owner": team, "waiting": "all", "include_snoozed": "1"})
    shown = {card.id for column in board.context["columns"] for card in column["cards"]}
    assert shown == {lead.pk for lead in ours}


def test_an_unknown_team_is_refused_and_the_filter_falls_back_to_everyone(client, manager, rep) -> None:
    waiting_lead(rep, "DE", days_ago=45)
    client.force_login(manager)
    rows = csv_rows(client.get(reverse("dashboard:csv", args=["unanswered-by-rep"]), {"owner": "team-999"}))
    assert rows[-1][-1] == "1"
