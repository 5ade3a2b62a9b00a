"""Every way in shares one dedupe: same email, E.164 phone or registered domain joins the existing rows."""

from datetime import UTC, datetime

import pytest

from leads.intake import InquiryInput, Outcome, existing_leads, register_inquiry
from leads.models import Company, Contact, ContactChannel, Lead

pytestmark = pytest.mark.django_db
AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _inquiry(**fields: object) -> InquiryInput:
    return InquiryInput(source=str(fields.pop("source", "manual")), received_at=AT, **fields)  # type: ignore[arg-type]


def test_new_inquiry_creates_company_contact_and_pending_lead() -> None:
    result = register_inquiry(
        _inquiry(
            email="Anna@Aqua-Tech.DE", company_name="Aqua Tech GmbH", website="www.aqua-tech.de", country="de"
        )
    )
    assert result.outcome is Outcome.CREATED
    assert result.company.domain == "aqua-tech.de"
    assert result.company.country == "DE"
    assert result.company.website == "https://www.aqua-tech.de/"
    assert result.contact is not None
    assert result.contact.email == "Anna@aqua-tech.de"
    assert result.lead.check_status == "pending"
    assert ContactChannel.objects.filter(contact=result.contact, kind="email").exists()


def test_same_email_in_other_case_joins_the_same_contact() -> None:
    first = register_inquiry(_inquiry(email="anna@aqua-tech.de"))
    second = register_inquiry(_inquiry(email="ANNA@AQUA-TECH.DE", message="second inquiry"))
    assert second.outcome is Outcome.MERGED
    assert second.contact == first.contact
    assert Contact.objects.count() == 1
    assert Lead.objects.count() == 2


def test_same_registered_domain_joins_the_same_company() -> None:
    first = register_inquiry(_inquiry(email="anna@aqua-tech.de"))
    second = register_inquiry(
        _inquiry(email="ben@sales.aqua-tech.de", website="https://shop.aqua-tech.de/de")
    )
    assert second.outcome is Outcome.MERGED
    assert second.company == first.company
    assert Company.objects.count() == 1
    assert Contact.objects.count() == 2


def test_free_mail_domains_never_join_companies() -> None:
    register_inquiry(_inquiry(email="anna@gmail.com", company_name="A"))
    register_inquiry(_inquiry(email="ben@gmail.com", company_name="B"))
    assert Company.objects.count() == 2
    assert not Company.objects.filter(domain="gmail.com").exists()


def test_same_phone_in_another_format_joins_the_same_contact() -> None:
    first = register_inquiry(_inquiry(phone="+49 151 2345 6789", contact_name="Anna", country="DE"))
    second = register_inquiry(_inquiry(phone="0151 23456789", country="DE"))
    assert second.contact == first.contact


def test_same_platform_reference_is_a_duplicate_and_creates_nothing() -> None:
    first = register_inquiry(_inquiry(source="alibaba", source_ref="INQ-77", email="x@y-corp.com"))
    second = register_inquiry(_inquiry(source="alibaba", source_ref="INQ-77", email="x@y-corp.com"))
    assert second.outcome is Outcome.DUPLICATE
    assert second.lead == first.lead
    assert Lead.objects.count() == 1


def test_existing_leads_finds_matches_by_email_or_domain() -> None:
    lead = register_inquiry(_inquiry(email="anna@aqua-tech.de")).lead
    assert existing_leads(_inquiry(email="other@aqua-tech.de")) == [lead]
    assert existing_leads(_inquiry(website="aqua-tech.de")) == [lead]
    assert existing_leads(_inquiry(email="someone@else.example")) == []


def test_bad_channel_values_are_reported_and_the_rest_kept() -> None:
    result = register_inquiry(
        _inquiry(email="anna@aqua-tech.de", channels=(("whatsapp", "javascript:alert(1)"),))
    )
    assert result.problems
    assert Lead.objects.count() == 1


def test_blank_fields_of_existing_company_are_filled_but_never_overwritten() -> None:
    register_inquiry(_inquiry(email="anna@aqua-tech.de", company_name="Aqua Tech"))
    register_inquiry(_inquiry(email="ben@aqua-tech.de", company_name="Other Name", country="DE"))
    company = Company.objects.get()
    assert company.name == "Aqua Tech"
    assert company.country == "DE"
