"""The bulk import path decides exactly as register_inquiry does one inquiry at a time."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leads import bulk_intake
from leads.intake import InquiryInput, Outcome, register_inquiry
from leads.models import CheckStatus, Company, Contact, ContactChannel, Lead
from tests import factories

pytestmark = pytest.mark.django_db
AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _inquiry(n: int = 0, **fields: object) -> InquiryInput:
    return InquiryInput(
        source=str(fields.pop("source", "alibaba")), received_at=AT + timedelta(minutes=n), **fields
    )  # type: ignore[arg-type]


TRICKY = [
    _inquiry(1, email="Anna@Aqua-Tech.DE", company_name="Aqua Tech", country="de", source_ref="A1"),
    _inquiry(2, email="anna@aqua-tech.de", contact_name="Anna Schmidt", phone="0151 23456789", country="DE"),
    _inquiry(3, phone="+49 151 23456789", message="same phone, no email"),
    _inquiry(4, email="ben@sales.aqua-tech.de", website="https://shop.aqua-tech.de/x"),
    _inquiry(5, email="carl@gmail.com", company_name="Carl's", country="US", phone="+1 415 555 2671"),
    _inquiry(6, email="dora@gmail.com", company_name="Dora's"),
    _inquiry(7, email="x@y-corp.com", source_ref="A1"),  # the same platform reference: a duplicate
    _inquiry(8, contact_name="Only A Name"),
    _inquiry(9, company_name="Only A Company", website="only-a-company.example"),
    _inquiry(10, email="eve@only-a-company.example", role="Buyer"),
    _inquiry(
        11, phone="+1 415 555 2671", email="carl.new@gmail.com", channels=(("whatsapp", "+1 415 555 2671"),)
    ),
    _inquiry(
        12, email="bad address@", phone="not a phone", channels=(("skype", "javascript:x"), ("nope", "x"))
    ),
    _inquiry(
        13, email="eve@only-a-company.example", company_name="Filled Later", country="FR", source_ref="A2"
    ),
    _inquiry(14, email="ΑΝΝΑ@παράδειγμα.ελ", contact_name="Non-ASCII"),
    _inquiry(15, email="άννα@παράδειγμα.ελ"),
    # Two contacts come to share a phone; a later inquiry with only that phone joins the older one.
    _inquiry(16, email="x1@p-corp.com", phone="+1 650 253 0000"),
    _inquiry(17, email="y1@q-corp.com"),
    _inquiry(18, email="y1@q-corp.com", phone="+1 650 253 0000"),
    _inquiry(19, phone="+16502530000", message="which contact?"),
]


def _snapshot() -> dict[str, object]:
    """Everything intake decides, with database ids replaced by their order of appearance."""
    company_ids = {
        pk: index for index, pk in enumerate(Company.objects.order_by("pk").values_list("pk", flat=True))
    }
    contact_ids = {
        pk: index for index, pk in enumerate(Contact.objects.order_by("pk").values_list("pk", flat=True))
    }
    return {
        "companies": [(c.name, c.website, c.domain, c.country) for c in Company.objects.order_by("pk")],
        "contacts": [
            (company_ids[c.company_id], c.name, c.role, c.email, c.country)
            for c in Contact.objects.order_by("pk")
        ],
        "channels": sorted(
            (contact_ids[ch.contact_id], ch.kind, ch.normalized, ch.value)
            for ch in ContactChannel.objects.all()
        ),
        "leads": [
            (
                company_ids[lead.company_id],
                contact_ids.get(lead.contact_id) if lead.contact_id else None,
                lead.source,
                lead.source_ref,
                lead.received_at,
                lead.message,
                lead.check_status,
                lead.last_activity_at,
            )
            for lead in Lead.objects.order_by("pk")
        ],
    }


def _one_by_one(inputs: list[InquiryInput]) -> tuple[list[Outcome], list[list[str]], dict[str, object]]:
    results = [register_inquiry(data) for data in inputs]
    return [r.outcome for r in results], [r.problems for r in results], _snapshot()


def _in_bulk(
    inputs: list[InquiryInput], chunk: int
) -> tuple[list[Outcome], list[list[str]], dict[str, object]]:
    results: list[bulk_intake.BulkResult] = []
    for start in range(0, len(inputs), chunk):
        with transaction.atomic():
            results += bulk_intake.register_inquiries(inputs[start : start + chunk])
    return [r.outcome for r in results], [r.problems for r in results], _snapshot()


def _compare(inputs: list[InquiryInput], chunk: int, seed_rows: bool = False) -> None:
    def run(fn):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            if seed_rows:
                _seed()
            outcome = fn()
            transaction.set_rollback(True)
        return outcome

    expected = run(lambda: _one_by_one(inputs))
    actual = run(lambda: _in_bulk(inputs, chunk))
    assert actual == expected


def _seed() -> None:
    company = Company.objects.create(name="", domain="aqua-tech.de", country="")
    contact = Contact.objects.create(company=company, email="Old.Buyer@Aqua-Tech.de", name="")
    ContactChannel.objects.create(
        contact=contact, kind="whatsapp", value="+1 415 555 2671", normalized="+14155552671"
    )
    Company.objects.create(name="Merged", domain="only-a-company.example", merged_into=company)


@pytest.mark.parametrize("chunk", [1, 3, 100])
def test_bulk_registration_matches_one_by_one_on_an_empty_database(chunk: int) -> None:
    _compare(TRICKY, chunk)


@pytest.mark.parametrize("chunk", [2, 100])
def test_bulk_registration_matches_one_by_one_over_existing_rows(chunk: int) -> None:
    _compare(
        [*TRICKY, _inquiry(20, email="old.buyer@aqua-tech.de", contact_name="Filled")], chunk, seed_rows=True
    )


emails = st.sampled_from(
    ["", "a@x-corp.com", "A@X-Corp.com", "b@x-corp.com", "c@gmail.com", "d@y.org", "broken@"]
)
phones = st.sampled_from(["", "+49 151 23456789", "0151 23456789", "+1 415 555 2671", "12"])
countries = st.sampled_from(["", "DE", "US", "de"])
websites = st.sampled_from(["", "x-corp.com", "https://www.y.org/", "gmail.com"])
names = st.sampled_from(["", "Anna", "Ben"])
refs = st.sampled_from(["", "", "R1", "R2"])
inquiries = st.builds(
    lambda n, email, phone, country, website, name, ref: _inquiry(
        n,
        email=email,
        phone=phone,
        country=country,
        website=website,
        contact_name=name,
        company_name=name,
        source_ref=ref,
    ),
    st.integers(0, 100),
    emails,
    phones,
    countries,
    websites,
    names,
    refs,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(inquiries, min_size=1, max_size=12), st.integers(1, 5), st.booleans())
def test_bulk_registration_matches_one_by_one_for_any_sequence(
    inputs: list[InquiryInput], chunk: int, seed_rows: bool
) -> None:
    _compare(inputs, chunk, seed_rows)


def test_bulk_leads_are_pending_with_their_check_queued() -> None:
    with transaction.atomic():
        results = bulk_intake.register_inquiries([_inquiry(1, email="a@x-corp.com")])
    lead = Lead.objects.get(pk=results[0].lead_id)
    assert lead.check_status == CheckStatus.PENDING
    assert lead.check_queued_at is not None
    assert lead.created_at is not None
    assert lead.updated_at is not None
    assert lead.stage == "new"
    assert lead.authenticity_reasons == []
    assert lead.inquiry_signal == {}


def test_portable_insert_path_writes_the_same_rows() -> None:
    rows = [bulk_intake.NewRow(name="Portable Co", website="", domain="portable.example", country="DE")]
    bulk_intake.create_rows(Company, rows)
    company = Company.objects.get(pk=rows[0].pk)
    assert (company.name, company.domain, company.website_reasons) == ("Portable Co", "portable.example", [])


def test_a_concurrent_writers_row_makes_the_chunk_fail_whole() -> None:
    factories.ContactFactory(email="taken@x-corp.com")
    rows = [bulk_intake.NewRow(company=factories.CompanyFactory(), email="TAKEN@x-corp.com", name="")]
    # A Django IntegrityError, not the driver's: the import's fallback catches Django's errors.
    with pytest.raises(IntegrityError, match="uniq_contact_email_ci"), transaction.atomic():
        bulk_intake.insert_rows(Contact, rows, AT)
