"""Sending a follow-up: a template rendered for the contact, email through Django's mail backend, chat apps
as click-to-chat links logged when the rep marks them sent. Every message sent is an outbound Activity."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from channels_ref.catalogue import CATALOGUE, ChannelKind, NormalizedHandle, chat_link
from followups import nonresponse
from followups.activities import log_activity
from followups.models import Activity, FollowUpTask, MessageTemplate, Offer
from followups.queries import offers_for
from leads.models import Contact, Lead

PLACEHOLDERS: dict[str, str] = {
    "contact_name": "the contact's name",
    "company": "the customer's company",
    "product": "the products they asked about (else the inquiry's subject)",
    "offer_title": "the attached offer's title",
    "offer_terms": "the attached offer's terms",
    "offer_valid_until": "when the offer ends, in the contact's time zone",
    "rep_name": "your name",
}
OFFER_PLACEHOLDERS = frozenset({"offer_title", "offer_terms", "offer_valid_until"})
# Only these exact names are replaced: str.format on admin-edited text could reach attributes ("{x.__class__}").
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class MessagingError(Exception):
    """A follow-up that cannot go out, with the reason a rep can act on."""


@dataclass(frozen=True, slots=True)
class Draft:
    subject: str
    body: str
    empty_placeholders: tuple[str, ...]  # known placeholders that had nothing to fill in


def unknown_placeholders(text: str) -> list[str]:
    """Placeholder names in `text` that rendering would leave as they are (typos, unsupported names)."""
    return sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def used_placeholders(text: str) -> set[str]:
    return {name for name in _PLACEHOLDER.findall(text) if name in PLACEHOLDERS}


def offer_problem(offer: Offer | None, contact: Contact | None, now: datetime) -> str | None:
    """Why this offer cannot be sent to this contact now, or None when it can."""
    if offer is None:
        return None
    if offer.valid_until <= now:
        return (
            f"The offer “{offer.title}” expired on {offer.valid_until:%Y-%m-%d %H:%M} UTC and cannot be sent."
        )
    languages = [str(code).lower() for code in offer.languages or []]
    language = (contact.language if contact else "").lower()
    if languages and language and language not in languages:
        return f"The offer “{offer.title}” is for {', '.join(languages)}; the contact reads {language}."
    return None


def placeholder_values(
    lead: Lead, contact: Contact | None, offer: Offer | None, rep: AbstractBaseUser | None
) -> dict[str, str]:
    values = {
        "contact_name": contact.name if contact else "",
        "company": lead.company.name or lead.company.domain,
        "product": lead.products or lead.subject,
        "offer_title": "",
        "offer_terms": "",
        "offer_valid_until": "",
        "rep_name": _rep_name(rep),
    }
    if offer is not None:
        zone = nonresponse.calendar_for_contact(contact).zone if contact else timezone.get_default_timezone()
        local = offer.valid_until.astimezone(zone)
        values |= {
            "offer_title": offer.title,
            "offer_terms": offer.terms,
            "offer_valid_until": f"{local:%Y-%m-%d %H:%M} {local.tzname()}",
        }
    return values


def render(text: str, values: Mapping[str, str]) -> str:
    """Replace the known placeholders; anything else in braces stays as written."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def compose(
    lead: Lead,
    contact: Contact | None,
    subject: str,
    body: str,
    offer: Offer | None,
    rep: AbstractBaseUser | None,
) -> Draft:
    """Fill a template's (or a rep's edited) subject and body for this contact."""
    used = used_placeholders(subject) | used_placeholders(body)
    if used & OFFER_PLACEHOLDERS and offer is None:
        raise MessagingError(
            "This text mentions an offer ({offer_title}…): attach an offer or remove those lines."
        )
    values = placeholder_values(lead, contact, offer, rep)
    empty = tuple(sorted(name for name in used if not values[name].strip()))
    return Draft(
        subject=render(subject, values).replace("\n", " ").strip(),
        body=render(body, values),
        empty_placeholders=empty,
    )


def draft_from_template(
    lead: Lead,
    contact: Contact | None,
    template: MessageTemplate,
    offer: Offer | None,
    rep: AbstractBaseUser | None,
) -> Draft:
    return compose(lead, contact, template.subject, template.body, offer, rep)


@dataclass(frozen=True, slots=True)
class ComposeOptions:
    contact: Contact | None
    language: str  # the contact's, else English
    channels: list[ChannelKind]  # the contact's, the task's own channel first
    offers: list[Offer]  # valid offers for the language; the task's own offer first, even expired


def compose_options(task: FollowUpTask, now: datetime | None = None) -> ComposeOptions:
    """What a rep may choose from when writing the task's message."""
    contact = task.contact or task.lead.contact
    language = (contact.language if contact else "") or "en"
    channels = [handle.kind for handle in nonresponse.handles_of(contact)] if contact else []
    preferred = _kind(task.channel)
    if preferred in channels:
        channels.remove(preferred)
        channels.insert(0, preferred)
    offers = offers_for(language, now)
    if task.offer is not None and task.offer not in offers:
        offers.insert(0, task.offer)
    return ComposeOptions(contact=contact, language=language, channels=channels, offers=offers)


@dataclass(frozen=True, slots=True)
class Preview:
    subject: str
    body: str
    problem: str  # why the template cannot be filled in as it stands ("" when it can)
    empty_placeholders: tuple[str, ...]


def preview(
    task: FollowUpTask, template: MessageTemplate, offer: Offer | None, rep: AbstractBaseUser | None
) -> Preview:
    """The template filled in for the task's contact, or its raw text with the reason it cannot be."""
    lead = task.lead
    contact = task.contact or lead.contact
    try:
        draft = draft_from_template(lead, contact, template, offer, rep)
    except MessagingError as error:
        return Preview(
            subject=template.subject, body=template.body, problem=str(error), empty_placeholders=()
        )
    return Preview(
        subject=draft.subject, body=draft.body, problem="", empty_placeholders=draft.empty_placeholders
    )


def handle_for(contact: Contact, kind: ChannelKind) -> NormalizedHandle | None:
    """The contact's handle on that channel, validated again; None when they have none."""
    return next((handle for handle in nonresponse.handles_of(contact) if handle.kind is kind), None)


def chat_link_for(contact: Contact, kind: ChannelKind, text: str = "", subject: str = "") -> str | None:
    """The click-to-chat link for the contact on that channel, pre-filled with the text where it can be."""
    handle = handle_for(contact, kind)
    if handle is None:
        return None
    return chat_link(handle, text=text or None, subject=subject or None)


def send_email(
    task: FollowUpTask,
    rep: AbstractBaseUser,
    subject: str,
    body: str,
    offer: Offer | None = None,
    template: MessageTemplate | None = None,
    now: datetime | None = None,
) -> Activity:
    """Email the task's contact through Django's mail backend, log it and close the task.

    The task row is locked while sending, so a double click sends one email, not two.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked, lead, contact = _open_task(task)
        problem = offer_problem(offer, contact, now)
        if problem:
            raise MessagingError(problem)
        if contact is None or not contact.email:
            raise MessagingError("The contact has no email address: use another channel.")
        draft = compose(lead, contact, subject, body, offer, rep)
        if not draft.subject:
            raise MessagingError("The email needs a subject.")
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        message_id = make_msgid(domain=domain)
        reply_to = [rep.email] if getattr(rep, "email", "") else None
        EmailMessage(
            subject=draft.subject,
            body=draft.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[contact.email],
            reply_to=reply_to,
            headers={"Message-ID": message_id},
        ).send()
        activity = log_activity(
            lead,
            rep,
            Activity.Direction.OUTBOUND,
            channel=ChannelKind.EMAIL.value,
            subject=draft.subject,
            body=draft.body,
            occurred_at=now,
            contact=contact,
            message_id=message_id,
            metadata=_metadata(locked, offer, template, via="email"),
        )
        _close(locked, offer, now)
    return activity


def mark_sent(
    task: FollowUpTask,
    rep: AbstractBaseUser,
    channel: ChannelKind,
    body: str,
    offer: Offer | None = None,
    template: MessageTemplate | None = None,
    now: datetime | None = None,
) -> Activity:
    """Log a message the rep sent in a chat app (opened from its click-to-chat link), or a call they made,
    and close the task."""
    now = now or timezone.now()
    if channel is ChannelKind.EMAIL:
        raise MessagingError("Email goes out from here: use Send.")
    with transaction.atomic():
        locked, lead, contact = _open_task(task)
        problem = offer_problem(offer, contact, now)
        if problem:
            raise MessagingError(problem)
        if contact is None or handle_for(contact, channel) is None:
            raise MessagingError(f"The contact has no {CATALOGUE[channel].label} handle.")
        draft = compose(lead, contact, "", body, offer, rep)
        activity = log_activity(
            lead,
            rep,
            Activity.Direction.OUTBOUND,
            channel=channel.value,
            body=draft.body,
            occurred_at=now,
            kind=Activity.Kind.CALL if channel is ChannelKind.PHONE else Activity.Kind.MESSAGE,
            contact=contact,
            metadata=_metadata(locked, offer, template, via="click_to_chat"),
        )
        _close(locked, offer, now)
    return activity


def attach_offer(task: FollowUpTask, offer: Offer | None, now: datetime | None = None) -> None:
    """Attach a valid offer to an open follow-up (the board shows its countdown), or detach with None."""
    now = now or timezone.now()
    contact = task.contact or task.lead.contact
    problem = offer_problem(offer, contact, now)
    if problem:
        raise MessagingError(problem)
    if task.status != FollowUpTask.Status.OPEN:
        raise MessagingError(f"This follow-up is already {task.get_status_display().lower()}.")
    FollowUpTask.objects.filter(pk=task.pk, status=FollowUpTask.Status.OPEN).update(offer=offer)
    task.offer = offer


def _open_task(task: FollowUpTask) -> tuple[FollowUpTask, Lead, Contact | None]:
    locked = FollowUpTask.objects.select_for_update().select_related("lead__company").get(pk=task.pk)
    if locked.status != FollowUpTask.Status.OPEN:
        raise MessagingError(f"This follow-up is already {locked.get_status_display().lower()}.")
    lead = locked.lead
    contact_id = locked.contact_id or lead.contact_id
    contact = Contact.objects.select_related("company").filter(pk=contact_id).first() if contact_id else None
    return locked, lead, contact


def _close(task: FollowUpTask, offer: Offer | None, now: datetime) -> None:
    task.status = FollowUpTask.Status.DONE
    task.completed_at = now
    task.offer = offer or task.offer
    task.save(update_fields=["status", "completed_at", "offer"])


def _metadata(
    task: FollowUpTask, offer: Offer | None, template: MessageTemplate | None, via: str
) -> dict[str, object]:
    metadata: dict[str, object] = {"followup_task_id": task.pk, "via": via}
    if offer is not None:
        metadata["offer_id"] = offer.pk
    if template is not None:
        metadata["template_id"] = template.pk
    return metadata


def _kind(value: str) -> ChannelKind | None:
    try:
        return ChannelKind(value)
    except ValueError:
        return None


def _rep_name(rep: AbstractBaseUser | None) -> str:
    if rep is None:
        return ""
    full_name = rep.get_full_name() if hasattr(rep, "get_full_name") else ""
    return full_name or rep.get_username()
