"""Taking an inquiry in: dedupe onto existing companies and contacts, create the lead, queue its check.

Every way in (the form, platform imports, the website API, the sales mailbox) goes through
`register_inquiry`, so the dedupe keys are decided once: the same email joins the same contact,
the same phone (E.164) the same contact, the same registered domain the same company.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q

from channels_ref.catalogue import ChannelKind, HandleProblem, NormalizedHandle, normalize_handle
from leads import qualification
from leads.models import Company, Contact, ContactChannel, Lead, Stage
from leads.verification.email import ParsedAddress, is_free_provider, parse_address
from leads.verification.urls import NormalizedUrl, normalize_website, registered_domain

PHONE_KINDS = (
    ChannelKind.PHONE.value,
    ChannelKind.WHATSAPP.value,
    ChannelKind.VIBER.value,
    ChannelKind.SMS.value,
)


class Outcome(StrEnum):
    CREATED = "created"  # a new company and contact
    MERGED = "merged"  # a new lead joined an existing company or contact
    DUPLICATE = "duplicate"  # the same inquiry was already in: nothing created


@dataclass(frozen=True, slots=True)
class InquiryInput:
    source: str
    received_at: datetime
    email: str = ""
    contact_name: str = ""
    role: str = ""
    company_name: str = ""
    website: str = ""
    country: str = ""
    phone: str = ""
    subject: str = ""
    message: str = ""
    products: str = ""
    quantity: str = ""
    source_ref: str = ""
    channels: tuple[tuple[str, str], ...] = ()  # (channel kind, value as given)
    language: str = ""
    time_zone: str = ""


@dataclass(slots=True)
class IntakeResult:
    outcome: Outcome
    lead: Lead
    company: Company
    contact: Contact | None
    problems: list[str] = field(default_factory=list)  # values dropped (bad phone...), the rest is kept


@dataclass(frozen=True, slots=True)
class Keys:
    email: str
    domain: str
    phone: str
    website: str


def dedupe_keys(data: InquiryInput) -> Keys:
    """The normalized email, registered domain, E.164 phone and website URL of an inquiry."""
    email = ""
    email_domain = ""
    if data.email.strip():
        parsed = parse_address(data.email)
        if isinstance(parsed, ParsedAddress):
            email = parsed.address
            email_domain = parsed.domain
        else:
            email = data.email.strip().lower()[:254]
    website = ""
    domain = ""
    if data.website.strip():
        url = normalize_website(data.website)
        if isinstance(url, NormalizedUrl):
            # Company.website holds 500 characters and percent-encoding lengthens paths: keep the site's origin.
            website = url.url if len(url.url) <= 500 else url.origin
            domain = registered_domain(url.host)
    if not domain and email_domain and not is_free_provider(email_domain):
        domain = registered_domain(email_domain)
    phone = ""
    if data.phone.strip():
        handle = _normalized(ChannelKind.PHONE, data.phone, data.country or None)
        if isinstance(handle, NormalizedHandle):
            phone = handle.value
    return Keys(email=email, domain=domain, phone=phone, website=website)


@lru_cache(maxsize=8192)
def _normalized(kind: ChannelKind, raw: str, region: str | None) -> NormalizedHandle | HandleProblem:
    # Pure and deterministic: dedupe_keys and planned_channels read the same phone, and imports repeat buyers.
    return normalize_handle(kind, raw, region)


def existing_leads(data: InquiryInput, visible: Q | None = None) -> list[Lead]:
    """Leads already on record for the same email, phone or registered domain (most recent first)."""
    keys = dedupe_keys(data)
    match = Q(pk__in=[])
    if keys.email:
        match |= Q(contact__email__iexact=keys.email)
    if keys.domain:
        match |= Q(company__domain=keys.domain, company__merged_into__isnull=True)
    if keys.phone:
        match |= Q(contact__channels__kind__in=PHONE_KINDS, contact__channels__normalized=keys.phone)
    leads = Lead.objects.filter(match)
    if visible is not None:
        leads = leads.filter(visible)
    return list(leads.select_related("company", "contact", "owner").distinct().order_by("-received_at")[:5])


def register_inquiry(data: InquiryInput, owner: AbstractBaseUser | None = None) -> IntakeResult:
    """Create the lead on the right company and contact, and queue its check after commit."""
    keys = dedupe_keys(data)
    if data.source_ref:
        previous = Lead.objects.filter(source=data.source, source_ref=data.source_ref).select_related(
            "company", "contact"
        )
        if found := previous.first():
            return IntakeResult(Outcome.DUPLICATE, found, found.company, found.contact)
    try:
        with transaction.atomic():
            return _register(data, keys, owner)
    except IntegrityError:
        # Another worker created the same company, contact or lead a moment ago: join it.
        with transaction.atomic():
            if data.source_ref and (
                found := Lead.objects.filter(source=data.source, source_ref=data.source_ref).first()
            ):
                return IntakeResult(Outcome.DUPLICATE, found, found.company, found.contact)
            return _register(data, keys, owner)


def _register(data: InquiryInput, keys: Keys, owner: AbstractBaseUser | None) -> IntakeResult:
    contact = _find_contact(keys)
    company = contact.company if contact else _find_company(keys)
    is_new = company is None and contact is None
    if company is None:
        company = Company.objects.create(**company_values(data, keys))
    else:
        _fill_blanks(company, **company_blanks(data, keys))
    if contact is None and wants_contact(data, keys):
        contact = Contact.objects.create(company=company, **contact_values(data, keys))
    elif contact is not None:
        _fill_blanks(contact, **contact_blanks(data, keys))
    problems: list[str] = []
    if contact is not None:
        channels, problems = planned_channels(data, keys)
        for channel in channels:
            ContactChannel.objects.get_or_create(
                contact=contact,
                kind=channel.kind,
                normalized=channel.normalized,
                defaults={"value": channel.value},
            )
    lead = Lead.objects.create(company=company, contact=contact, **lead_values(data, owner))
    qualification.request_check(lead)
    return IntakeResult(Outcome.CREATED if is_new else Outcome.MERGED, lead, company, contact, problems)


# The row values an inquiry gives, shared by register_inquiry and the bulk import path so both
# decide alike: what a new row holds, which blanks an existing row gets, which channels it adds.


def company_values(data: InquiryInput, keys: Keys) -> dict[str, str]:
    return {
        "name": data.company_name.strip()[:200],
        "website": keys.website,
        "domain": keys.domain,
        "country": _country(data.country),
    }


def company_blanks(data: InquiryInput, keys: Keys) -> dict[str, str]:
    """What may complete an existing company; its domain is never changed by an inquiry."""
    return {
        "name": data.company_name.strip()[:200],
        "website": keys.website,
        "country": _country(data.country),
    }


def wants_contact(data: InquiryInput, keys: Keys) -> bool:
    return bool(keys.email or keys.phone or data.contact_name.strip())


def contact_values(data: InquiryInput, keys: Keys) -> dict[str, str]:
    return {
        "name": data.contact_name.strip()[:200],
        "role": data.role.strip()[:120],
        "email": keys.email,
        "country": _country(data.country),
        "language": data.language[:10],
        "time_zone": data.time_zone[:64],
    }


def contact_blanks(data: InquiryInput, keys: Keys) -> dict[str, str]:
    return {"name": data.contact_name.strip()[:200], "role": data.role.strip()[:120], "email": keys.email}


def lead_values(data: InquiryInput, owner: AbstractBaseUser | None) -> dict[str, Any]:
    return {
        "source": data.source,
        "source_ref": data.source_ref[:200],
        "received_at": data.received_at,
        "subject": data.subject.strip()[:300],
        "message": data.message,
        "products": data.products.strip()[:300],
        "quantity": data.quantity.strip()[:100],
        "stage": Stage.NEW,
        "owner": owner,
        "claimed_at": data.received_at if owner else None,
        "last_activity_at": data.received_at,
    }


@dataclass(frozen=True, slots=True)
class PlannedChannel:
    kind: str
    normalized: str
    value: str  # as given, trimmed


def planned_channels(data: InquiryInput, keys: Keys) -> tuple[list[PlannedChannel], list[str]]:
    """The contact channels an inquiry brings, normalized, and a problem for each that cannot be read."""
    wanted: list[tuple[str, str]] = []
    if keys.email:
        wanted.append((ChannelKind.EMAIL.value, keys.email))
    if data.phone.strip():
        wanted.append((ChannelKind.PHONE.value, data.phone))
    wanted += list(data.channels)
    channels: list[PlannedChannel] = []
    problems: list[str] = []
    for kind_text, raw in wanted:
        try:
            kind = ChannelKind(kind_text)
        except ValueError:
            problems.append(f"unknown channel {kind_text!r}")
            continue
        handle = _normalized(kind, raw, _country(data.country) or None)
        if not isinstance(handle, NormalizedHandle):
            problems.append(f"{kind.value}: {handle.detail}")
            continue
        channels.append(PlannedChannel(kind.value, handle.value, raw.strip()[:300]))
    return channels, problems


def blanks_to_fill(row: Company | Contact, **values: str) -> list[str]:
    """Set the row's empty fields from the given values and name them; never overwrite what a rep may have corrected."""
    changed = [name for name, value in values.items() if value and not getattr(row, name)]
    for name in changed:
        setattr(row, name, values[name])
    return changed


def _find_contact(keys: Keys) -> Contact | None:
    contacts = Contact.objects.select_related("company")
    if keys.email and (found := contacts.filter(email__iexact=keys.email).first()):
        return found
    if keys.phone:
        found = contacts.filter(channels__kind__in=PHONE_KINDS, channels__normalized=keys.phone).first()
        if found:
            return found
    return None


def _find_company(keys: Keys) -> Company | None:
    if not keys.domain:
        return None
    return Company.objects.filter(domain=keys.domain, merged_into__isnull=True).first()


def _fill_blanks(row: Company | Contact, **values: str) -> None:
    if changed := blanks_to_fill(row, **values):
        row.save(update_fields=[*changed, "updated_at"])


def _country(raw: str) -> str:
    code = raw.strip().upper()
    return code if len(code) == 2 and code.isalpha() and code.isascii() else ""
