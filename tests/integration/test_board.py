"""The triage board: columns, cards, filters, search, pagination and the query bound."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from followups import dashboard
from followups.models import FollowUpTask, Offer
from leads.models import Lead, Stage
from tests import factories

pytestmark = pytest.mark.django_db


def board(client, **params):  # type: ignore[no-untyped-def]
    return client.get(reverse("leads:board"), params)


def card_ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [card.id for column in response.context["columns"] for card in column["cards"]]


def column(response, stage: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return next(column for column in response.context["columns"] if column["stage"] == stage)


def test_board_has_a_column_for_every_stage_in_order(client, manager) -> None:
    client.force_login(manager)
    response = board(client)
    assert response.status_code == 200
    assert [column["stage"] for column in response.context["columns"]] == list(Stage.values)
    for label in ("New", "Checking", "Qualified", "Contacted", "Awaiting reply", "Nurture", "Won", "Junk"):
        assert f">{label}</h2>" in response.text


def test_rep_sees_own_and_pool_cards_but_never_another_reps(client, rep, other_rep) -> None:
    own = factories.LeadFactory(owner=rep, stage=Stage.QUALIFIED)
    pool = factories.LeadFactory(owner=None, stage=Stage.NEW)
    foreign = factories.LeadFactory(owner=other_rep, stage=Stage.QUALIFIED, company__name="Secret Rival GmbH")
    client.force_login(rep)
    response = board(client)
    assert set(card_ids(response)) == {own.pk, pool.pk}
    assert "Secret Rival" not in response.text
    assert foreign.pk not in card_ids(board(client, q="Secret Rival"))


def test_manager_sees_every_card(client, manager, rep, other_rep) -> None:
    leads = [factories.LeadFactory(owner=owner) for owner in (rep, other_rep, None)]
    client.force_login(manager)
    assert set(card_ids(board(client))) == {lead.pk for lead in leads}


def test_card_shows_company_contact_flag_verdicts_tier_source_and_owner(client, rep) -> None:
    lead = factories.LeadFactory(
        owner=rep,
        stage=Stage.QUALIFIED,
        check_status="done",
        source="alibaba",
        company__name="Aqua Klar GmbH",
        company__country="DE",
        company__website_verdict="parked",
        company__fit_score=82,
        company__fit_tier="A",
        contact__name="Jana Vogel",
        contact__email_verdict="valid",
    )
    client.force_login(rep)
    response = board(client)
    card = column(response, Stage.QUALIFIED)["cards"][0]
    assert card.id == lead.pk
    assert card.flag == "🇩🇪"
    assert card.local_label  # their wall clock, from the country's main zone
    html = response.text
    for text in ("Aqua Klar GmbH", "Jana Vogel", "🇩🇪", "Email valid", "Site parked", "Alibaba", ">82<"):
        assert text in html
    assert 'class="tier tier-A"' in html
    assert rep.username in html


def test_pool_card_says_pool_and_offers_claim(client, rep) -> None:
    lead = factories.LeadFactory(owner=None)
    client.force_login(rep)
    html = board(client).text
    assert 'class="owner pool">Pool<' in html
    assert reverse("leads:claim", kwargs={"pk": lead.pk}) in html


def test_junk_card_shows_the_reason(client, manager) -> None:
    factories.LeadFactory(stage=Stage.JUNK, junk_reason="Parked domain, free-mail sender")
    client.force_login(manager)
    assert "Parked domain, free-mail sender" in board(client).text


def test_card_counts_days_waiting_for_a_reply(client, rep) -> None:
    now = timezone.now()
    waiting = factories.LeadFactory(
        owner=rep, stage=Stage.AWAITING_REPLY, last_outbound_at=now - timedelta(days=4, hours=2)
    )
    answered = factories.LeadFactory(
        owner=rep,
        stage=Stage.CONTACTED,
        last_outbound_at=now - timedelta(days=6),
        last_inbound_at=now - timedelta(days=1),
    )
    client.force_login(rep)
    cards = {card.id: card for card in column(board(client), Stage.AWAITING_REPLY)["cards"]}
    assert cards[waiting.pk].waiting_days == 4
    contacted = {card.id: card for card in column(board(client), Stage.CONTACTED)["cards"]}
    assert contacted[answered.pk].waiting_days is None


def test_card_shows_next_open_follow_up_and_its_offer(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, stage=Stage.AWAITING_REPLY)
    now = timezone.now()
    offer = Offer.objects.create(title="Spring 10% off", terms="10% off", valid_until=now + timedelta(days=5))
    factories.FollowUpTaskFactory(lead=lead, due_at=now + timedelta(days=9), channel="email")
    factories.FollowUpTaskFactory(lead=lead, due_at=now + timedelta(days=2), channel="whatsapp", offer=offer)
    factories.FollowUpTaskFactory(
        lead=lead, due_at=now - timedelta(days=1), status=FollowUpTask.Status.DONE, channel="phone"
    )
    client.force_login(rep)
    html = board(client).text
    local_due = timezone.localtime(now + timedelta(days=2), ZoneInfo(settings.SALES_OFFICE_TZ))
    assert f"Next {local_due:%d %b} · WhatsApp" in html
    assert "Offer · 4 d left" in html or "Offer · 5 d left" in html


def test_vacation_badge_while_the_contact_is_away(client, rep) -> None:
    today = timezone.now().date()
    factories.LeadFactory(
        owner=rep,
        contact__vacation_from=today - timedelta(days=1),
        contact__vacation_until=today + timedelta(days=3),
    )
    factories.LeadFactory(owner=rep, contact__vacation_until=today - timedelta(days=2))
    client.force_login(rep)
    html = board(client).text
    assert html.count("Away until") == 1


def test_checking_card_polls_itself_and_a_finished_one_does_not(client, rep) -> None:
    checking = factories.LeadFactory(owner=rep, check_status="running")
    done = factories.LeadFactory(owner=rep, check_status="done")
    client.force_login(rep)
    html = board(client).text
    poll = f'hx-get="{reverse("leads:card", kwargs={"pk": checking.pk})}?column=new" hx-trigger="every 3s"'
    assert poll in html
    assert f'hx-get="{reverse("leads:card", kwargs={"pk": done.pk})}' not in html


def test_polled_card_stops_polling_once_its_check_is_done(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, check_status="pending", stage=Stage.NEW)
    client.force_login(rep)
    url = reverse("leads:card", kwargs={"pk": lead.pk}) + "?column=new"
    assert 'hx-trigger="every 3s"' in client.get(url, HTTP_HX_REQUEST="true").text
    Lead.objects.filter(pk=lead.pk).update(check_status="done")
    lead.contact.email_verdict = "valid"
    lead.contact.save()
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 3s"' not in response.text
    assert "Email valid" in response.text


def test_polled_card_moves_to_its_new_column_when_the_check_changed_the_stage(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, check_status="running", stage=Stage.NEW)
    client.force_login(rep)
    Lead.objects.filter(pk=lead.pk).update(check_status="done", stage=Stage.JUNK, junk_reason="Fake")
    response = client.get(
        reverse("leads:card", kwargs={"pk": lead.pk}), {"column": "new"}, HTTP_HX_REQUEST="true"
    )
    assert 'hx-swap-oob="afterbegin:#cards-junk"' in response.text
    assert f'id="lead-{lead.pk}"' in response.text


def test_columns_paginate_on_their_own_with_a_keyset_cursor(client, manager) -> None:
    now = timezone.now()
    leads = [
        factories.LeadFactory(stage=Stage.QUALIFIED, received_at=now - timedelta(hours=index))
        for index in range(13)
    ]
    factories.LeadFactory(stage=Stage.NEW)
    client.force_login(manager)
    response = board(client, per=10)
    qualified = column(response, Stage.QUALIFIED)
    assert [card.id for card in qualified["cards"]] == [lead.pk for lead in leads[:10]]
    assert qualified["page"].has_more
    assert not column(response, Stage.NEW)["page"].has_more
    more = client.get(
        reverse("leads:board_column", kwargs={"stage": "qualified"}),
        {"per": 10, "after": qualified["cards"][-1].cursor},
        HTTP_HX_REQUEST="true",
    )
    assert [card.id for card in more.context["column"]["cards"]] == [lead.pk for lead in leads[10:]]
    assert "Load more" not in more.text


def test_load_more_without_javascript_opens_the_column_on_the_board(client, manager) -> None:
    client.force_login(manager)
    response = client.get(reverse("leads:board_column", kwargs={"stage": "won"}), {"after": "1.2"})
    assert response.status_code == 302
    assert "stage=won" in response["Location"]


def test_cards_received_at_the_same_moment_page_without_gaps_or_repeats(client, manager) -> None:
    moment = timezone.now()
    leads = [factories.LeadFactory(stage=Stage.NURTURE, received_at=moment) for _ in range(12)]
    client.force_login(manager)
    first = column(board(client, per=10), Stage.NURTURE)["cards"]
    rest = client.get(
        reverse("leads:board_column", kwargs={"stage": "nurture"}),
        {"per": 10, "after": first[-1].cursor},
        HTTP_HX_REQUEST="true",
    ).context["column"]["cards"]
    assert sorted(card.id for card in [*first, *rest]) == sorted(lead.pk for lead in leads)


@pytest.mark.parametrize(
    ("params", "matching", "other"),
    [
        ({"country": "FR"}, {"company__country": "FR"}, {"company__country": "DE"}),
        ({"tier": "A"}, {"company__fit_tier": "A"}, {"company__fit_tier": "C"}),
        ({"tier": "none"}, {"company__fit_tier": ""}, {"company__fit_tier": "B"}),
        (
            {"email_verdict": "invalid"},
            {"contact__email_verdict": "invalid"},
            {"contact__email_verdict": "valid"},
        ),
        ({"email_verdict": "unchecked"}, {"contact__email_verdict": ""}, {"contact__email_verdict": "valid"}),
        (
            {"website_verdict": "dead"},
            {"company__website_verdict": "dead"},
            {"company__website_verdict": "live"},
        ),
        ({"authenticity": "suspicious"}, {"authenticity": "suspicious"}, {"authenticity": "genuine"}),
        ({"source": "made_in_china"}, {"source": "made_in_china"}, {"source": "alibaba"}),
        ({"stage": "won"}, {"stage": "won"}, {"stage": "new"}),
        ({"customer_category": "favourite"}, {"customer_category": "favourite"}, {"customer_category": ""}),
        ({"customer_category": "prospect"}, {"customer_category": ""}, {"customer_category": "current"}),
    ],
)
def test_each_filter_keeps_only_matching_cards(client, manager, params, matching, other) -> None:
    wanted = factories.LeadFactory(**matching)
    factories.LeadFactory(**other)
    client.force_login(manager)
    assert card_ids(board(client, **params)) == [wanted.pk]


def test_owner_filter_me_pool_and_a_named_rep(client, manager, rep) -> None:
    mine = factories.LeadFactory(owner=manager)
    reps = factories.LeadFactory(owner=rep)
    pooled = factories.LeadFactory(owner=None)
    client.force_login(manager)
    assert card_ids(board(client, owner="me")) == [mine.pk]
    assert card_ids(board(client, owner="pool")) == [pooled.pk]
    assert card_ids(board(client, owner=str(rep.pk))) == [reps.pk]


def test_a_rep_cannot_filter_on_another_reps_leads(client, rep, other_rep) -> None:
    factories.LeadFactory(owner=other_rep)
    own = factories.LeadFactory(owner=rep)
    client.force_login(rep)
    # The choice is not offered to reps, so the value is dropped and the rep sees their usual board.
    assert card_ids(board(client, owner=str(other_rep.pk))) == [own.pk]


def test_received_date_range(client, manager) -> None:
    now = timezone.now()
    inside = factories.LeadFactory(received_at=now - timedelta(days=10))
    factories.LeadFactory(received_at=now - timedelta(days=40))
    factories.LeadFactory(received_at=now)
    client.force_login(manager)
    start = timezone.localdate(now - timedelta(days=12))
    end = timezone.localdate(now - timedelta(days=8))
    assert card_ids(board(client, received_from=start.isoformat(), received_to=end.isoformat())) == [
        inside.pk
    ]


@pytest.mark.parametrize(
    "text", ["Nordlicht", "nordlicht", "nordlicht-uv.example", "Svensson", "lars.SVENSSON@"]
)
def test_search_matches_company_domain_contact_and_email_in_any_case(client, manager, text) -> None:
    wanted = factories.LeadFactory(
        company__name="Nordlicht Wasser AB",
        company__domain="nordlicht-uv.example",
        contact__name="Lars Svensson",
        contact__email="lars.svensson@nordlicht-uv.example",
    )
    factories.LeadFactory(company__name="Other Trading", contact__name="Anna Berg")
    client.force_login(manager)
    assert card_ids(board(client, q=text)) == [wanted.pk]


def test_filters_combine_with_search(client, manager) -> None:
    wanted = factories.LeadFactory(company__name="Blue Lagoon Fish", company__country="NO", source="alibaba")
    factories.LeadFactory(company__name="Blue Lagoon Spa", company__country="IS", source="alibaba")
    factories.LeadFactory(company__name="Blue Lagoon Farm", company__country="NO", source="email")
    client.force_login(manager)
    assert card_ids(board(client, q="blue lagoon", country="NO", source="alibaba")) == [wanted.pk]


def test_invalid_filter_values_are_ignored_not_an_error(client, manager) -> None:
    lead = factories.LeadFactory()
    client.force_login(manager)
    response = board(client, country="XX1", tier="Z", received_from="yesterday", per="7", after="garbage")
    assert response.status_code == 200
    assert card_ids(response) == [lead.pk]


def test_snoozed_leads_stay_off_the_board_unless_asked_for(client, rep) -> None:
    snoozed = factories.LeadFactory(owner=rep, snoozed_until=timezone.now() + timedelta(days=2))
    awake = factories.LeadFactory(owner=rep, snoozed_until=timezone.now() - timedelta(hours=1))
    client.force_login(rep)
    assert card_ids(board(client)) == [awake.pk]
    assert set(card_ids(board(client, include_snoozed="on"))) == {snoozed.pk, awake.pk}


def test_htmx_filter_request_gets_only_the_columns(client, manager) -> None:
    factories.LeadFactory(company__name="Fragmented Ltd")
    client.force_login(manager)
    response = client.get(
        reverse("leads:board"), {"q": "fragmented"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board"
    )
    assert "Fragmented Ltd" in response.text
    assert "<html" not in response.text
    assert response["Vary"].count("HX-Request")


def test_column_counts_are_exact_for_a_small_filtered_set(client, manager) -> None:
    for _ in range(3):
        factories.LeadFactory(stage=Stage.QUALIFIED, company__country="PT")
    factories.LeadFactory(stage=Stage.WON, company__country="PT")
    factories.LeadFactory(stage=Stage.WON, company__country="ES")
    client.force_login(manager)
    response = board(client, country="PT")
    assert column(response, Stage.QUALIFIED)["page"].count == 3
    assert column(response, Stage.WON)["page"].count == 1
    assert column(response, Stage.NEW)["page"].count == 0


@pytest.mark.parametrize("per_page", [10, 50])
@pytest.mark.parametrize("plan", ["probe", "walk"])
def test_board_renders_in_at_most_ten_queries_whatever_the_page_size(
    client, manager, rep, django_assert_max_num_queries, monkeypatch, per_page, plan
) -> None:
    if plan == "walk":  # id lists and the probe overflow: joins, column walks and the dense checks
        from leads import queries

        monkeypatch.setattr(queries, "RESOLVE_CAP", 1)
        monkeypatch.setattr(queries, "PROBE_CAP", 1)
    now = timezone.now()
    offer = Offer.objects.create(title="Promo", terms="-", valid_until=now + timedelta(days=3))
    for index in range(120):
        lead = factories.LeadFactory(
            stage=list(Stage.values)[index % 8],
            owner=rep if index % 3 else None,
            received_at=now - timedelta(minutes=index),
            company__country=["DE", "BR", "JP", "US"][index % 4],
            last_outbound_at=now - timedelta(days=index % 5) if index % 2 else None,
        )
        if index % 4 == 0:
            factories.FollowUpTaskFactory(lead=lead, due_at=now + timedelta(days=1), offer=offer)
        if index % 7 == 0:
            factories.ContactChannelFactory(
                contact=lead.contact, value=f"+49151{index:08d}", normalized=f"+49151{index:08d}"
            )
    for user in (manager, rep):
        client.force_login(user)
        for params in (
            {},
            {"q": "Company"},
            {"country": "DE", "tier": "none"},
            {"source": "manual", "owner": "me"},
            # The dashboard's drill-down on top of company and contact filters, its calendar list not cached.
            {"waiting": "all", "country": "DE", "tier": "none", "email_verdict": "unchecked"},
            {"waiting": "lt3", "silence": "timezone_gap", "q": "Company", "include_snoozed": "1"},
        ):
            cache.delete(dashboard.calendar_keys_cache_key())
            with django_assert_max_num_queries(10):
                response = board(client, per=per_page, **params)
            assert response.status_code == 200
    assert len(card_ids(board(client, per=per_page))) == min(per_page, 15) * 8


def test_trigram_indexes_serve_the_search(client, manager, postgres_url) -> None:
    """icontains compiles to UPPER(col) LIKE UPPER(...), the expression the GIN trigram indexes cover."""
    from leads.models import Company, Contact

    factories.LeadFactory(company__name="Indexed Company")
    checks = [
        (Company.objects.filter(name__icontains="ndexed"), "lead_company_name_trgm"),
        (Company.objects.filter(domain__icontains="ndexed"), "lead_company_domain_trgm"),
        (Contact.objects.filter(name__icontains="ndexed"), "lead_contact_name_trgm"),
        (Contact.objects.filter(email__icontains="ndexed"), "lead_contact_email_trgm"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for queryset, index in checks:
            sql, params = queryset.values("id").query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert index in plan, plan


@pytest.mark.parametrize(("resolve_cap", "probe_cap"), [(2000, 2000), (1, 2000), (2000, 1), (1, 1), (0, 0)])
def test_filters_give_the_same_cards_whichever_query_plan_is_taken(
    client, manager, monkeypatch, resolve_cap, probe_cap
) -> None:
    """Short id lists or joins, probe or column walks: the board shows the same leads."""
    from leads import queries

    monkeypatch.setattr(queries, "RESOLVE_CAP", resolve_cap)
    monkeypatch.setattr(queries, "PROBE_CAP", probe_cap)
    wanted = {
        factories.LeadFactory(
            company__name="Harbor Fish Farm", company__country="NO", company__fit_tier="A", source="alibaba"
        ).pk,
        factories.LeadFactory(
            company__name="Fjord Supplies",
            company__country="NO",
            company__fit_tier="A",
            contact__email="harbor@fjord.example",
            source="alibaba",
            contact__email_verdict="valid",
        ).pk,
    }
    factories.LeadFactory(
        company__name="Harbor Fish Farm 2", company__country="SE", company__fit_tier="A", source="alibaba"
    )
    factories.LeadFactory(
        company__name="Harbor Tools", company__country="NO", company__fit_tier="C", source="alibaba"
    )
    factories.LeadFactory(
        company__name="Harbor Lights", company__country="NO", company__fit_tier="A", source="email"
    )
    factories.LeadFactory(
        company__name="Unrelated", company__country="NO", company__fit_tier="A", source="alibaba"
    )
    client.force_login(manager)
    assert set(card_ids(board(client, q="harbor", country="NO", tier="A", source="alibaba"))) == wanted
    assert set(card_ids(board(client, q="harbor", country="NO", tier="A"))) == wanted | {
        lead.pk for lead in Lead.objects.filter(company__name="Harbor Lights")
    }
    valid = Lead.objects.get(contact__email="harbor@fjord.example").pk
    assert card_ids(board(client, q="harbor", email_verdict="valid")) == [valid]


def test_dashboard_drill_down_shows_the_unanswered_leads_of_one_bucket(client, manager) -> None:
    from followups import dashboard

    now = timezone.now()
    leads = {
        days: factories.LeadFactory(
            stage=Stage.AWAITING_REPLY,
            company__country="DE",
            contact__country="DE",
            last_outbound_at=now - timedelta(days=days),
        )
        for days in (1, 15, 60)
    }
    # Still in Qualified, but our message to them is unanswered: the dashboard counts it, so the board shows it.
    qualified = factories.LeadFactory(
        stage=Stage.QUALIFIED,
        company__country="DE",
        contact__country="DE",
        last_outbound_at=now - timedelta(days=16),
    )
    answered = factories.LeadFactory(
        stage=Stage.CONTACTED,
        company__country="DE",
        contact__country="DE",
        last_outbound_at=now - timedelta(days=20),
        last_inbound_at=now - timedelta(days=19),
    )
    today = timezone.localdate(now)
    scope = dashboard.Filters(date_from=today, date_to=today)
    expected = set(dashboard.unanswered_lead_ids(now, scope, settings.SALES_OFFICE_TZ, "7"))
    assert expected == {
        leads[15].pk,
        qualified.pk,
    }  # 15-16 calendar days: 7-13 business days, holidays or not
    client.force_login(manager)
    response = board(client, waiting="7")
    assert set(card_ids(response)) == expected
    assert "Unanswered, waiting 7–13 days" in response.text
    at_least_7 = board(client, waiting="7+")
    assert set(card_ids(at_least_7)) == {leads[15].pk, leads[60].pk, qualified.pk}
    assert "Unanswered, waiting 7+ days" in at_least_7.text
    every_wait = board(client, waiting="all")
    assert set(card_ids(every_wait)) == {*(lead.pk for lead in leads.values()), qualified.pk}
    assert answered.pk not in card_ids(every_wait)
    assert '<span class="badge info">Unanswered</span>' in every_wait.text


def test_a_drill_down_longer_than_a_probe_numbers_the_columns_in_one_query(
    client, manager, monkeypatch, django_assert_max_num_queries
) -> None:
    from leads import queries

    monkeypatch.setattr(queries, "PROBE_CAP", 2)
    now = timezone.now()
    waiting = {
        stage: [
            factories.LeadFactory(
                stage=stage,
                company__country="DE",
                contact__country="DE",
                last_outbound_at=now - timedelta(days=20 + index),
            )
            for index in range(count)
        ]
        for stage, count in ((Stage.AWAITING_REPLY, 4), (Stage.QUALIFIED, 2), (Stage.NURTURE, 1))
    }
    factories.LeadFactory(stage=Stage.AWAITING_REPLY, last_outbound_at=None)  # never written to
    client.force_login(manager)
    with django_assert_max_num_queries(10) as captured:
        response = board(client, waiting="all", per="10")
    numbered = [query["sql"] for query in captured.captured_queries if "ROW_NUMBER() OVER" in query["sql"]]
    assert len(numbered) == 1
    for stage, leads in waiting.items():
        page = column(response, stage)["page"]
        newest_first = sorted(leads, key=lambda lead: (-lead.received_at.timestamp(), lead.pk))
        assert list(page.ids) == [lead.pk for lead in newest_first]
        assert page.count == len(leads)
    assert column(response, Stage.NEW)["page"].count == 0


def test_unfiltered_column_counts_are_reused_for_half_a_minute(client, manager, postgres_url) -> None:
    """PostgreSQL walks the columns and counts them apart (SQLite counts exactly as it numbers the rows)."""
    from django.core.cache import cache

    cache.clear()
    factories.LeadFactory(stage=Stage.QUALIFIED)
    client.force_login(manager)
    assert column(board(client), Stage.QUALIFIED)["page"].count == 1
    newer = factories.LeadFactory(stage=Stage.QUALIFIED)
    again = board(client)
    assert column(again, Stage.QUALIFIED)["page"].count == 1  # the count of a moment ago
    assert newer.pk in card_ids(again)  # the cards themselves are always fresh
    cache.clear()
    assert column(board(client), Stage.QUALIFIED)["page"].count == 2


@pytest.mark.parametrize(("resolve_cap", "probe_cap"), [(2000, 2000), (1, 2000), (2000, 1)])
def test_a_search_found_through_the_contact_still_checks_the_company_filters(
    client, manager, monkeypatch, resolve_cap, probe_cap
) -> None:
    from leads import queries

    monkeypatch.setattr(queries, "RESOLVE_CAP", resolve_cap)
    monkeypatch.setattr(queries, "PROBE_CAP", probe_cap)
    fits = factories.LeadFactory(
        company__name="Nordic Pumps", company__fit_tier="A", contact__email="kv@qzx.example"
    )
    factories.LeadFactory(company__name="Polar Trade", company__fit_tier="C", contact__email="lo@qzx.example")
    # Found through its company name; its contact's address fails the contact filter.
    factories.LeadFactory(
        company__name="Qzx Holdings", company__fit_tier="A", contact__email_verdict="invalid"
    )
    client.force_login(manager)
    assert card_ids(board(client, q="qzx", tier="A", email_verdict="valid")) == []
    assert set(card_ids(board(client, q="qzx", tier="A"))) == {
        fits.pk,
        Lead.objects.get(company__name="Qzx Holdings").pk,
    }
    assert card_ids(board(client, q="QZX.example", tier="C")) == [
        Lead.objects.get(company__name="Polar Trade").pk
    ]


def test_managers_filter_the_board_by_sales_team_and_reps_cannot(client, manager, rep, other_rep) -> None:
    from leads.models import SalesTeam

    team = SalesTeam.objects.create(name="Middle East")
    team.members.add(other_rep)
    theirs = factories.LeadFactory(owner=other_rep, stage=Stage.QUALIFIED)
    mine = factories.LeadFactory(owner=rep, stage=Stage.QUALIFIED)
    pooled = factories.LeadFactory(owner=None, stage=Stage.NEW)
    value = f"team-{team.pk}"

    client.force_login(manager)
    response = board(client, owner=value)
    assert card_ids(response) == [theirs.pk]
    assert f'<option value="{value}" selected>Team: Middle East</option>' in response.text

    client.force_login(rep)
    as_rep = board(client, owner=value)  # not a choice a rep has: dropped, the rep sees what a rep sees
    assert set(card_ids(as_rep)) == {mine.pk, pooled.pk}
    assert "Team: Middle East" not in as_rep.text
