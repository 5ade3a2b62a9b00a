"""Model constraints and dedupe keys, on the configured database (PostgreSQL in CI)."""

import pytest
from django.db import IntegrityError, transaction

from leads.models import Company, Lead
from tests import factories

pytestmark = pytest.mark.django_db


def test_company_domain_is_unique_among_unmerged_companies() -> None:
    factories.CompanyFactory(domain="aqua.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CompanyFactory(domain="aqua.example")


def test_merged_company_frees_its_domain_for_the_survivor() -> None:
    survivor = factories.CompanyFactory(domain="survivor.example")
    factories.CompanyFactory(domain="aqua.example", merged_into=survivor)
    factories.CompanyFactory(domain="aqua.example")
    assert Company.objects.filter(domain="aqua.example").count() == 2


def test_many_companies_may_have_no_domain() -> None:
    factories.CompanyFactory(domain="")
    factories.CompanyFactory(domain="")
    assert Company.objects.filter(domain="").count() == 2


def test_contact_email_is_unique_ignoring_case() -> None:
    factories.ContactFactory(email="Buyer@Aqua.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ContactFactory(email="buyer@aqua.example")


def test_same_source_reference_cannot_create_two_leads() -> None:
    factories.LeadFactory(source="alibaba", source_ref="INQ-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.LeadFactory(source="alibaba", source_ref="INQ-1")
    factories.LeadFactory(source="made_in_china", source_ref="INQ-1")
    assert Lead.objects.filter(source_ref="INQ-1").count() == 2


def test_fit_score_above_100_is_rejected() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CompanyFactory(fit_score=101)


def test_country_must_be_iso_alpha2() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.CompanyFactory(country="de")


def test_contact_channel_is_unique_per_contact_kind_and_value() -> None:
    channel = factories.ContactChannelFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ContactChannelFactory(contact=channel.contact)


def test_roles_exist_with_admins_editing_keyword_lists_and_rankings() -> None:
    from django.contrib.auth.models import Group

    admin = Group.objects.get(name="Admin")
    rep = Group.objects.get(name="Sales rep")
    admin_perms = set(admin.permissions.values_list("codename", flat=True))
    rep_perms = set(rep.permissions.values_list("codename", flat=True))
    assert {"change_industrykeyword", "change_countrychannelrank"} <= admin_perms
    assert "change_industrykeyword" not in rep_perms
    assert "view_lead" in rep_perms


def test_channel_rankings_are_seeded_from_customer_research() -> None:
    from channels_ref.models import CountryChannelRank

    germany = list(
        CountryChannelRank.objects.filter(country="DE")
        .order_by("position")
        .values_list("channel__kind", flat=True)
    )
    assert germany == ["whatsapp", "facebook", "messenger", "apple_messages", "skype", "telegram"]
    assert not CountryChannelRank.objects.filter(country="DE", is_default=True).exists()
    assert CountryChannelRank.objects.filter(country="", is_default=True).exists()
