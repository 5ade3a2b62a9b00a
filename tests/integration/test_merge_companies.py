"""A manager merges two companies: contacts, leads, activities and tasks move, blanks fill, nothing is lost."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from followups.models import Activity, FollowUpTask
from leads import merging
from leads.intake import InquiryInput, register_inquiry
from leads.models import Company, CompanyMerge, Contact, Lead
from tests import factories

pytestmark = pytest.mark.django_db


def _company_with_history(**fields: object) -> Company:
    company = factories.CompanyFactory(**fields)
    lead = factories.LeadFactory(company=company)
    factories.ActivityFactory(lead=lead)
    factories.ActivityFactory(lead=lead, direction=Activity.Direction.INBOUND)
    factories.FollowUpTaskFactory(lead=lead)
    return company


def test_merge_moves_everything_and_records_it(manager) -> None:  # type: ignore[no-untyped-def]
    survivor = _company_with_history(name="Aqua Tech GmbH", domain="aqua-tech.de", country="DE", website="")
    merged = _company_with_history(
        name="AquaTech", domain="aquatech.com", country="AT", website="https://aquatech.com/"
    )
    merged_leads = list(merged.leads.values_list("pk", flat=True))

    record = merging.merge_companies(survivor, merged, manager)

    assert set(Lead.objects.filter(pk__in=merged_leads).values_list("company", flat=True)) == {survivor.pk}
    assert Contact.objects.filter(company=merged).count() == 0
    assert Contact.objects.filter(company=survivor).count() == 2
    assert Activity.objects.filter(lead__company=survivor).count() == 4
    assert FollowUpTask.objects.filter(lead__company=survivor).count() == 2
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert (survivor.name, survivor.domain, survivor.country) == (
        "Aqua Tech GmbH",
        "aqua-tech.de",
        "DE",
    )  # kept
    assert survivor.website == "https://aquatech.com/"  # a blank filled from the merged company
    assert merged.merged_into == survivor
    assert (merged.name, merged.domain) == ("AquaTech", "aquatech.com")  # the merged row stays on record
    assert record.moved == {"contacts": 1, "leads": 1, "activities": 2, "followup_tasks": 1, "attachments": 0}
    assert (record.merged_company_pk, record.merged_name, record.merged_domain, record.merged_by) == (
        merged.pk,
        "AquaTech",
        "aquatech.com",
        manager,
    )
    assert record.filled_fields == ["website"]


def test_survivor_without_a_domain_takes_the_merged_ones_and_new_mail_joins_it(manager) -> None:  # type: ignore[no-untyped-def]
    survivor = factories.CompanyFactory(name="Bolt", domain="")
    merged = factories.CompanyFactory(name="Bolt Industries", domain="bolt-industries.com")
    merging.merge_companies(survivor, merged, manager)
    survivor.refresh_from_db()
    assert survivor.domain == "bolt-industries.com"
    result = register_inquiry(
        InquiryInput(source="website", received_at=timezone.now(), email="new@bolt-industries.com")
    )
    assert result.company == survivor


def test_check_results_move_whole_or_not_at_all(manager) -> None:  # type: ignore[no-untyped-def]
    checked_at = timezone.now()
    survivor = factories.CompanyFactory(website_verdict="", website_checked_at=None)
    merged = factories.CompanyFactory(
        website_verdict="live",
        website_reasons=["ok"],
        website_checked_at=checked_at,
        fit_score=80,
        fit_tier="A",
        fit_scored_at=checked_at,
    )
    merging.merge_companies(survivor, merged, manager)
    survivor.refresh_from_db()
    assert (survivor.website_verdict, survivor.website_reasons, survivor.fit_score, survivor.fit_tier) == (
        "live",
        ["ok"],
        80,
        "A",
    )


def test_companies_merged_into_the_merged_one_follow_to_the_survivor(manager) -> None:  # type: ignore[no-untyped-def]
    first, second, third = factories.CompanyFactory(), factories.CompanyFactory(), factories.CompanyFactory()
    merging.merge_companies(second, third, manager)
    merging.merge_companies(first, second, manager)
    third.refresh_from_db()
    assert third.merged_into == first
    assert [merge.merged_company_pk for merge in merging.merge_history(first)] == [second.pk, third.pk]


@pytest.mark.parametrize("case", ["self", "already merged"])
def test_refused_merges_change_nothing(manager, case: str) -> None:  # type: ignore[no-untyped-def]
    survivor, other = factories.CompanyFactory(), factories.CompanyFactory()
    if case == "self":
        other = survivor
    else:
        merging.merge_companies(factories.CompanyFactory(), other, manager)
    with pytest.raises(merging.MergeError):
        merging.merge_companies(survivor, other, manager)
    assert CompanyMerge.objects.filter(survivor=survivor).count() == 0


def test_candidates_share_an_email_domain_or_a_similar_name(manager) -> None:  # type: ignore[no-untyped-def]
    company = factories.CompanyFactory(name="Aqua-Tech GmbH", domain="aqua-tech.de")
    by_contact = factories.CompanyFactory(name="Somebody", domain="")
    factories.ContactFactory(company=by_contact, email="ben@aqua-tech.de")
    by_name = factories.CompanyFactory(name="AquaTech", domain="aquatech.example")
    factories.CompanyFactory(name="Unrelated Metals", domain="metals.example")
    candidates = merging.merge_candidates(company)
    found = {candidate.company.pk: candidate.reasons for candidate in candidates}
    assert set(found) == {by_contact.pk, by_name.pk}
    assert "a contact writes from aqua-tech.de" in found[by_contact.pk]
    assert found[by_name.pk][0].startswith("similar name")


def test_manager_merges_from_the_page_and_sees_what_was_merged(client: Client, manager) -> None:  # type: ignore[no-untyped-def]
    survivor = _company_with_history(name="Aqua Tech GmbH", domain="aqua-tech.de")
    merged = _company_with_history(name="Aqua-Tech", domain="aqua-tech.com")
    client.force_login(manager)
    page = client.get(reverse("companies:merge_page", kwargs={"company_pk": survivor.pk})).content.decode()
    assert "Aqua-Tech" in page
    assert "similar name" in page
    response = client.post(
        reverse("companies:merge", kwargs={"company_pk": survivor.pk}), {"merged": merged.pk}, follow=True
    )
    text = response.content.decode()
    assert (
        "Merged Aqua-Tech into Aqua Tech GmbH: 1 contacts, 1 leads, 2 activities and 1 follow-up tasks moved."
        in text
    )
    assert "Merged from" in text
    assert "aqua-tech.com" in text
    gone = client.get(reverse("companies:merge_page", kwargs={"company_pk": merged.pk})).content.decode()
    assert "This company was merged into" in gone


def test_manager_finds_any_company_by_name_to_merge(client: Client, manager) -> None:  # type: ignore[no-untyped-def]
    survivor = factories.CompanyFactory(name="Alpha")
    other = factories.CompanyFactory(name="Totally Different Ltd", domain="different.example")
    client.force_login(manager)
    page = client.get(reverse("companies:merge_page", kwargs={"company_pk": survivor.pk}), {"q": "different"})
    assert f'value="{other.pk}"' in page.content.decode()


def test_reps_get_404_on_the_merge_pages(client: Client, rep) -> None:  # type: ignore[no-untyped-def]
    survivor, merged = factories.CompanyFactory(), factories.CompanyFactory()
    client.force_login(rep)
    assert client.get(reverse("companies:merge_page", kwargs={"company_pk": survivor.pk})).status_code == 404
    response = client.post(
        reverse("companies:merge", kwargs={"company_pk": survivor.pk}), {"merged": merged.pk}
    )
    assert response.status_code == 404
    merged.refresh_from_db()
    assert merged.merged_into is None


def test_merge_page_needs_login(client: Client) -> None:
    company = factories.CompanyFactory()
    response = client.get(reverse("companies:merge_page", kwargs={"company_pk": company.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_merging_a_missing_company_is_404(client: Client, manager) -> None:  # type: ignore[no-untyped-def]
    survivor = factories.CompanyFactory()
    client.force_login(manager)
    assert (
        client.post(
            reverse("companies:merge", kwargs={"company_pk": survivor.pk}), {"merged": 999999}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("companies:merge", kwargs={"company_pk": survivor.pk}), {"merged": "x"}
        ).status_code
        == 404
    )
