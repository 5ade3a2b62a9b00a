"""Card actions without a reload: move, claim, assign, release, snooze, junk, re-check, bulk re-check."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from leads.models import BackgroundJob, CheckStatus, Lead, Stage
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def post(client, name, lead, data=None, **headers):  # type: ignore[no-untyped-def]
    return client.post(reverse(f"leads:{name}", kwargs={"pk": lead.pk}), data or {}, **headers)


def test_moving_a_card_removes_it_here_and_adds_it_atop_its_new_column(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, stage=Stage.QUALIFIED)
    client.force_login(rep)
    response = post(client, "move", lead, {"stage": "contacted", "column": "qualified"}, **HTMX)
    assert response.status_code == 200
    assert 'hx-swap-oob="afterbegin:#cards-contacted"' in response.text
    assert f'id="lead-{lead.pk}"' in response.text
    assert "Moved to Contacted." in response.text
    lead.refresh_from_db()
    assert lead.stage == Stage.CONTACTED


def test_moving_out_of_junk_clears_the_reason(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, stage=Stage.JUNK, junk_reason="looked fake")
    client.force_login(rep)
    post(client, "move", lead, {"stage": "qualified"}, **HTMX)
    lead.refresh_from_db()
    assert (lead.stage, lead.junk_reason) == (Stage.QUALIFIED, "")


def test_junk_is_not_a_plain_move_and_needs_a_reason(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, stage=Stage.NEW)
    client.force_login(rep)
    post(client, "move", lead, {"stage": "junk"}, **HTMX)
    post(client, "junk", lead, {"reason": "  "}, **HTMX)
    lead.refresh_from_db()
    assert lead.stage == Stage.NEW
    response = post(client, "junk", lead, {"reason": "Fake buyer, parked domain", "column": "new"}, **HTMX)
    assert 'hx-swap-oob="afterbegin:#cards-junk"' in response.text
    lead.refresh_from_db()
    assert (lead.stage, lead.junk_reason) == (Stage.JUNK, "Fake buyer, parked domain")


def test_plain_post_redirects_back_instead_of_returning_a_fragment(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, stage=Stage.QUALIFIED)
    client.force_login(rep)
    response = post(client, "move", lead, {"stage": "won", "next": reverse("leads:board") + "?stage=won"})
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:board") + "?stage=won"
    response = post(client, "move", lead, {"stage": "nurture", "next": "https://evil.example/"})
    assert response["Location"] == reverse("leads:detail", kwargs={"pk": lead.pk})
    board_url = "http://testserver" + reverse("leads:board") + "?q=x"
    response = post(client, "move", lead, {"stage": "won"}, HTTP_REFERER=board_url)
    assert response["Location"] == board_url


def test_claiming_a_pool_lead_makes_it_yours(client, rep) -> None:
    lead = factories.LeadFactory(owner=None)
    client.force_login(rep)
    response = post(client, "claim", lead, {"column": "new"}, **HTMX)
    assert "Claimed: the lead is yours." in response.text
    assert 'class="owner pool"' not in response.text
    lead.refresh_from_db()
    assert lead.owner == rep
    assert lead.claimed_at is not None


def test_claiming_an_owned_lead_is_not_found_even_for_its_owner(client, rep, other_rep) -> None:
    own = factories.LeadFactory(owner=rep)
    foreign = factories.LeadFactory(owner=other_rep)
    client.force_login(rep)
    assert post(client, "claim", own, **HTMX).status_code == 404
    assert post(client, "claim", foreign, **HTMX).status_code == 404
    foreign.refresh_from_db()
    assert foreign.owner == other_rep


@override_settings(LEADS_CLAIM_LIMIT=2)
def test_claim_limit_counts_open_leads_only(client, rep) -> None:
    factories.LeadFactory(owner=rep, stage=Stage.QUALIFIED)
    factories.LeadFactory(owner=rep, stage=Stage.WON)
    factories.LeadFactory(owner=rep, stage=Stage.JUNK)
    first, second = factories.LeadFactory(owner=None), factories.LeadFactory(owner=None)
    client.force_login(rep)
    post(client, "claim", first, **HTMX)
    response = post(client, "claim", second, **HTMX)
    assert "the most allowed" in response.text
    second.refresh_from_db()
    assert second.owner is None


def test_rep_cannot_act_on_another_reps_lead(client, rep, other_rep) -> None:
    lead = factories.LeadFactory(owner=other_rep, stage=Stage.QUALIFIED)
    client.force_login(rep)
    for name, data in (
        ("move", {"stage": "won"}),
        ("junk", {"reason": "x"}),
        ("snooze", {"days": "7"}),
        ("recheck", {}),
        ("release", {}),
        ("assign", {"assignee": rep.pk}),
    ):
        assert post(client, name, lead, data, **HTMX).status_code == 404, name
    lead.refresh_from_db()
    assert (lead.owner, lead.stage, lead.snoozed_until) == (other_rep, Stage.QUALIFIED, None)


def test_only_managers_assign(client, manager, rep, other_rep) -> None:
    lead = factories.LeadFactory(owner=rep)
    client.force_login(rep)
    assert post(client, "assign", lead, {"assignee": other_rep.pk}, **HTMX).status_code == 404
    client.force_login(manager)
    response = post(client, "assign", lead, {"assignee": other_rep.pk, "column": "new"}, **HTMX)
    assert f"Assigned to {other_rep.username}." in response.text
    lead.refresh_from_db()
    assert lead.owner == other_rep


def test_manager_cannot_assign_to_someone_without_a_sales_role(client, manager) -> None:
    outsider = factories.UserFactory()
    lead = factories.LeadFactory(owner=None)
    client.force_login(manager)
    post(client, "assign", lead, {"assignee": outsider.pk}, **HTMX)
    lead.refresh_from_db()
    assert lead.owner is None


def test_releasing_puts_the_lead_back_in_the_pool(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, claimed_at=timezone.now())
    client.force_login(rep)
    response = post(client, "release", lead, {"column": "new"}, **HTMX)
    assert 'class="owner pool">Pool<' in response.text
    lead.refresh_from_db()
    assert lead.owner is None
    assert lead.claimed_at is None


def test_snoozing_hides_the_card_until_the_chosen_day(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep)
    client.force_login(rep)
    response = post(client, "snooze", lead, {"days": "3", "column": "new"}, **HTMX)
    assert f'id="lead-{lead.pk}"' not in response.text  # the card is swapped for nothing
    assert "Snoozed until" in response.text
    lead.refresh_from_db()
    assert 2.9 < (lead.snoozed_until - timezone.now()).total_seconds() / 86400 <= 3
    post(client, "snooze", lead, {"days": "0"}, **HTMX)
    lead.refresh_from_db()
    assert lead.snoozed_until is None


def test_recheck_sets_the_check_pending_and_the_card_starts_polling(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, check_status=CheckStatus.DONE)
    client.force_login(rep)
    response = post(client, "recheck", lead, {"column": "new"}, **HTMX)
    assert 'hx-trigger="every 3s"' in response.text
    assert "Re-check queued." in response.text
    lead.refresh_from_db()
    assert lead.check_status == CheckStatus.PENDING
    assert lead.check_queued_at is not None


def test_actions_menu_offers_only_what_the_user_may_do(client, manager, rep) -> None:
    lead = factories.LeadFactory(owner=rep, stage=Stage.QUALIFIED)
    client.force_login(rep)
    menu = client.get(reverse("leads:actions", kwargs={"pk": lead.pk}), **HTMX).text
    assert reverse("leads:move", kwargs={"pk": lead.pk}) in menu
    assert reverse("leads:assign", kwargs={"pk": lead.pk}) not in menu
    assert 'name="stage" value="qualified"' not in menu  # not a move to where it already is
    assert 'name="stage" value="won"' in menu
    client.force_login(manager)
    assert (
        reverse("leads:assign", kwargs={"pk": lead.pk})
        in client.get(reverse("leads:actions", kwargs={"pk": lead.pk}), **HTMX).text
    )


def test_bulk_recheck_of_selected_cards_creates_a_job_and_shows_its_progress(client, rep, other_rep) -> None:
    mine = [factories.LeadFactory(owner=rep, check_status=CheckStatus.DONE) for _ in range(3)]
    foreign = factories.LeadFactory(owner=other_rep, check_status=CheckStatus.DONE)
    client.force_login(rep)
    response = client.post(
        reverse("leads:bulk_recheck"),
        {"scope": "selected", "lead": [lead.pk for lead in mine] + [foreign.pk]},
        **HTMX,
    )
    job = BackgroundJob.objects.get()
    assert (job.kind, job.total, job.created_by) == ("recheck", 3, rep)
    assert "Re-checking 0 of 3" in response.text
    assert 'hx-trigger="every 2s"' in response.text
    assert "board-refresh" in response["HX-Trigger"]
    assert set(Lead.objects.filter(check_job=job).values_list("pk", flat=True)) == {lead.pk for lead in mine}
    assert Lead.objects.get(pk=foreign.pk).check_status == CheckStatus.DONE
    Lead.objects.filter(pk__in=[mine[0].pk, mine[1].pk]).update(check_status=CheckStatus.DONE)
    Lead.objects.filter(pk=mine[2].pk).update(check_status=CheckStatus.FAILED)
    progress = client.get(reverse("leads:job_progress", kwargs={"job_id": job.pk}), **HTMX)
    assert "Re-check finished: 3 leads" in progress.text
    assert 'hx-trigger="every 2s"' not in progress.text
    job.refresh_from_db()
    assert (job.status, job.done) == ("done", 3)


def test_bulk_recheck_of_everything_in_the_filter_takes_only_the_users_own_leads(
    client, rep, other_rep
) -> None:
    mine = factories.LeadFactory(owner=rep, company__country="PL", check_status=CheckStatus.DONE)
    factories.LeadFactory(owner=rep, company__country="CZ", check_status=CheckStatus.DONE)
    pooled = factories.LeadFactory(owner=None, company__country="PL", check_status=CheckStatus.DONE)
    factories.LeadFactory(owner=other_rep, company__country="PL", check_status=CheckStatus.DONE)
    client.force_login(rep)
    client.post(reverse("leads:bulk_recheck"), {"scope": "filter", "country": "PL"}, **HTMX)
    job = BackgroundJob.objects.get()
    assert list(Lead.objects.filter(check_job=job).values_list("pk", flat=True)) == [mine.pk]
    assert Lead.objects.get(pk=pooled.pk).check_status == CheckStatus.DONE


def test_bulk_recheck_with_nothing_selected_explains_itself(client, rep) -> None:
    client.force_login(rep)
    response = client.post(reverse("leads:bulk_recheck"), {"scope": "selected"}, **HTMX)
    assert "Select at least one card" in response.text
    assert not BackgroundJob.objects.exists()


def test_a_job_is_watched_only_by_its_creator_or_a_manager(client, rep, other_rep, manager) -> None:
    job = BackgroundJob.objects.create(kind="recheck", created_by=rep, total=1)
    url = reverse("leads:job_progress", kwargs={"job_id": job.pk})
    client.force_login(other_rep)
    assert client.get(url, **HTMX).status_code == 404
    client.force_login(manager)
    assert client.get(url, **HTMX).status_code == 200


def test_running_job_shows_on_the_board_after_a_reload(client, rep) -> None:
    lead = factories.LeadFactory(owner=rep, check_status=CheckStatus.DONE)
    client.force_login(rep)
    client.post(reverse("leads:bulk_recheck"), {"scope": "selected", "lead": [lead.pk]})
    assert "Re-checking 0 of 1" in client.get(reverse("leads:board")).text
