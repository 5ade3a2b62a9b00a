"""Urgent matters (goods at the port awaiting customs clearance): a task due now, whatever the hour where
the customer is, the owner told at once, and every way to reach the customer's people on one page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from channels_ref.catalogue import ChannelKind
from channels_ref.queries import load_rankings
from followups import nonresponse
from followups.activities import log_activity
from followups.models import Activity, FollowUpTask
from followups.timing import is_business_time, local_time
from leads.models import Contact, Lead

logger = logging.getLogger(__name__)

URGENT_EVENT = "urgent_raised"


class UrgentError(Exception):
    """An urgent matter that cannot be raised, with the reason a person can act on."""


@dataclass(frozen=True, slots=True)
class Notification:
    is_sent: bool
    detail: str  # to whom, or why not


@dataclass(frozen=True, slots=True)
class ContactCard:
    contact: Contact
    is_emergency: bool
    is_lead_contact: bool
    local_now: datetime
    is_business_time: bool
    channels: tuple[nonresponse.ChannelLink, ...]


def raise_urgent(
    lead: Lead,
    raised_by: AbstractBaseUser,
    matter: str,
    contact: Contact | None = None,
    now: datetime | None = None,
) -> FollowUpTask:
    """Create the urgent task for the lead's owner, due now, and note it on the lead's timeline.

    The contact to reach is the one given, else the company's emergency contact, else the lead's contact.
    """
    now = now or timezone.now()
    matter = " ".join(matter.split())
    if not matter:
        raise UrgentError("Say what the matter is.")
    if lead.owner_id is None:
        raise UrgentError("The lead is in the pool: claim or assign it first, so someone owns the matter.")
    contact = contact or _emergency_contact(lead) or lead.contact
    with transaction.atomic():
        task = FollowUpTask.objects.create(
            lead=lead,
            contact=contact,
            assignee_id=lead.owner_id,
            due_at=now,
            channel=_best_channel(contact),
            is_urgent=True,
            reason=matter[:300],
        )
        log_activity(
            lead,
            raised_by,
            Activity.Direction.INTERNAL,
            subject=f"Urgent: {matter}"[:300],
            occurred_at=now,
            kind=Activity.Kind.SYSTEM,
            contact=contact,
            metadata={"event": URGENT_EVENT, "followup_task_id": task.pk},
        )
    return task


def notify_owner(task: FollowUpTask, task_url: str) -> Notification:
    """Email the task's assignee about the urgent matter now; a failed send is reported, not raised."""
    owner = task.assignee
    if owner is None or not owner.email:
        return Notification(
            is_sent=False, detail="the owner has no email address; the banner on My follow-ups shows it"
        )
    lead = task.lead
    contact = task.contact
    lines = [
        f"Urgent matter on {lead.company}: {task.reason}",
        "",
        f"Contact: {contact.name or contact.email}" if contact else "Contact: none recorded",
        f"Open it: {task_url}",
    ]
    try:
        send_mail(
            subject=f"URGENT: {lead.company}: {task.reason}"[:200].replace("\n", " "),
            message="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[owner.email],
        )
    except (OSError, ValueError) as error:  # SMTP errors are OSErrors; a bad address a ValueError
        logger.warning("urgent task %s: could not email %s: %s", task.pk, owner.email, error)
        return Notification(is_sent=False, detail=f"email to {owner.email} failed: {error}")
    return Notification(is_sent=True, detail=f"emailed {owner.email}")


def contact_cards(lead: Lead, now: datetime | None = None) -> list[ContactCard]:
    """The company's people with every channel and its link: emergency contacts first, then the lead's contact.

    Three queries whatever the number of contacts (contacts, their channels, the rankings when not cached).
    """
    now = now or timezone.now()
    rankings = load_rankings()
    contacts = list(
        Contact.objects.filter(company_id=lead.company_id)
        .select_related("company")
        .prefetch_related("channels")
    )
    cards = []
    for contact in contacts:
        cal = nonresponse.calendar_for_contact(contact)
        cards.append(
            ContactCard(
                contact=contact,
                is_emergency=contact.is_emergency_contact,
                is_lead_contact=contact.pk == lead.contact_id,
                local_now=local_time(now, cal),
                is_business_time=is_business_time(now, cal),
                channels=tuple(
                    nonresponse.channel_links(contact, rankings=rankings, channel_rows=contact.channels.all())
                ),
            )
        )
    return sorted(cards, key=lambda card: (not card.is_emergency, not card.is_lead_contact, card.contact.pk))


def _emergency_contact(lead: Lead) -> Contact | None:
    return (
        Contact.objects.filter(company_id=lead.company_id, is_emergency_contact=True).order_by("pk").first()
    )


def _best_channel(contact: Contact | None) -> str:
    """A ringing phone first, then their country's favourite chat app they have, then email."""
    if contact is None:
        return ""
    kinds = nonresponse.available_channels(contact)
    if ChannelKind.PHONE in kinds:
        return ChannelKind.PHONE.value
    recommendation = load_rankings().recommend(nonresponse.contact_country(contact), kinds)
    best = recommendation.best_instant_messaging or (
        ChannelKind.EMAIL if ChannelKind.EMAIL in kinds else None
    )
    best = best or recommendation.best
    return best.value if best else ""
