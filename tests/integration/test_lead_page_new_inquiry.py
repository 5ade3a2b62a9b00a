"""The new-inquiry form: field errors, duplicate warnings, and creation through intake only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leads.models import Company, ContactChannel, Lead
from tests import factories

pytestmark = pytest.mark.django_db

VALID = {
    "company_name": "Lagoa Azul Aquicultura",
    "website": "www.lagoa-azul.example",
    "contact_name": "Marta Silva",
    "email": "marta@lagoa-azul.example",
    "phone": "",
    "country": "PT",
    "subject": "UV sterilizer for shrimp farm",
    "message": "We need 4 units, 30 m3/h each.",
    "products": "UV sterilizer",
    "quantity": "4",
    "source": "manual",
}


def submit(client, **changes):  # type: ignore[no-untyped-def]
    return client.post(reverse("leads:new"), {**VALID, **changes})


def test_the_form_opens_for_every_role(client, rep) -> None:
    client.force_login(rep)
    response = client.get(reverse("leads:new"))
    assert response.status_code == 200
    assert 'name="company_name"' in response.text
    assert '<option value="PT">Portugal</option>' in response.text


def test_a_valid_inquiry_is_created_for_the_rep_and_opens_its_page(client, rep) -> None:
    client.force_login(rep)
    response = submit(client, channel_1_kind="whatsapp", channel_1_value="+351 912 345 678")
    lead = Lead.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:detail", kwargs={"pk": lead.pk})
    assert lead.owner == rep
    assert lead.company.domain == "lagoa-azul.example"
    assert lead.contact.email == "marta@lagoa-azul.example"
    assert lead.check_status == "pending"
    assert ContactChannel.objects.filter(
        contact=lead.contact, kind="whatsapp", normalized="+351912345678"
    ).exists()


def test_putting_it_in_the_pool_leaves_it_unowned(client, rep) -> None:
    client.force_login(rep)
    submit(client, to_pool="on")
    assert Lead.objects.get().owner is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "marta@@lagoa"}, "email", "Not a valid email address"),
        ({"website": "javascript:alert(1)"}, "website", "Not a website address"),
        ({"phone": "12345", "country": ""}, "phone", "Not a usable phone number"),
        ({"channel_1_kind": "telegram", "channel_1_value": ""}, "channel_1_value", "Enter the handle"),
        ({"channel_1_kind": "", "channel_1_value": "@someone"}, "channel_1_kind", "Pick the channel"),
        (
            {"channel_1_kind": "telegram", "channel_1_value": "javascript:alert(1)"},
            "channel_1_value",
            "Not usable",
        ),
        ({"country": "XX"}, "country", "Select a valid choice"),
        ({"source": "carrier_pigeon"}, "source", "Select a valid choice"),
    ],
)
def test_bad_fields_come_back_with_clear_errors_and_nothing_is_created(
    client, rep, changes, field, message
) -> None:
    client.force_login(rep)
    response = submit(client, **changes)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert f'id="id_{field}-error"' in response.text or message in response.text
    assert not Lead.objects.exists()


def test_an_inquiry_needs_a_way_to_reach_them_and_a_name_for_the_company(client, rep) -> None:
    client.force_login(rep)
    response = submit(client, email="", phone="", company_name="", website="")
    assert "Give at least one way to reach them" in response.text
    response = submit(client, email="", website="", company_name="", phone="+351912345678")
    assert "Give the company&#x27;s name, its website or an email address." in response.text
    assert not Lead.objects.exists()


def test_a_known_email_is_shown_with_a_link_and_needs_add_anyway(client, rep) -> None:
    existing = factories.LeadFactory(
        owner=rep, company__domain="lagoa-azul.example", contact__email="marta@lagoa-azul.example"
    )
    client.force_login(rep)
    response = submit(client)
    assert response.status_code == 200
    assert "Already on record" in response.text
    assert reverse("leads:detail", kwargs={"pk": existing.pk}) in response.text
    assert Lead.objects.count() == 1
    response = submit(client, add_anyway="on")
    assert response.status_code == 302
    newest = Lead.objects.exclude(pk=existing.pk).get()
    assert newest.company_id == existing.company_id  # joined the company, no second copy
    assert Company.objects.count() == 1


def test_a_duplicate_owned_by_another_rep_is_counted_but_not_linked(client, rep, other_rep) -> None:
    hidden = factories.LeadFactory(
        owner=other_rep, company__domain="lagoa-azul.example", contact__email="x@lagoa-azul.example"
    )
    client.force_login(rep)
    response = submit(client)
    assert "1 more lead owned by another rep" in response.text
    assert reverse("leads:detail", kwargs={"pk": hidden.pk}) not in response.text
    assert hidden.company.name not in response.text


def test_same_registered_domain_counts_as_a_duplicate(client, manager) -> None:
    factories.LeadFactory(company__domain="lagoa-azul.example", contact__email="ceo@lagoa-azul.example")
    client.force_login(manager)
    response = submit(client, email="sales@lagoa-azul.example", website="")
    assert "Already on record" in response.text
