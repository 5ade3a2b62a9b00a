"""Recording what happened on a lead: a message out, a reply in, a call, a note; and what it means for the lead."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from followups import reply_stats
from followups.models import Activity
from followups.scheduler import on_activity_logged
from leads.models import Contact, Lead, Stage

# Our message leaves the ball in their court; their answer puts it back in ours.
_AWAITING_AFTER_OUTBOUND = frozenset({Stage.NEW, Stage.CHECKING, Stage.QUALIFIED, Stage.CONTACTED})
_CONTACTED_AFTER_INBOUND = frozenset(
    {Stage.NEW, Stage.CHECKING, Stage.QUALIFIED, Stage.AWAITING_REPLY, Stage.NURTURE}
)


def stage_after(stage: str, direction: str, is_auto_reply: bool = False) -> str:
    """The lead's stage after the latest message: outbound waits for a reply, a real reply re-opens the talk.

    Won and junk leads never move on their own, and an auto-reply (out of office) is not an answer.
    """
    if direction == Activity.Direction.OUTBOUND and stage in _AWAITING_AFTER_OUTBOUND:
        return Stage.AWAITING_REPLY
    if direction == Activity.Direction.INBOUND and not is_auto_reply and stage in _CONTACTED_AFTER_INBOUND:
        return Stage.CONTACTED
    return stage


def buyer_country(lead: Lead) -> str:
    """The buyer's country as the dashboard groups messages: the lead's contact's own, else their company's."""
    own = lead.contact.country if lead.contact_id and lead.contact is not None else ""
    return (own or lead.company.country or "").upper()


def log_activity(
    lead: Lead,
    user: AbstractBaseUser | None,
    direction: str,
    channel: str = "",
    subject: str = "",
    body: str = "",
    occurred_at: datetime | None = None,
    *,
    kind: str = Activity.Kind.MESSAGE,
    contact: Contact | None = None,
    is_auto_reply: bool = False,
    message_id: str = "",
    in_reply_to: str = "",
    metadata: dict[str, Any] | None = None,
) -> Activity:
    """Save an activity and bring the lead's last-contact times and stage up to date.

    The times only move forward, so logging an older message afterwards never hides a newer one;
    the stage follows only when this is the latest message on the lead.
    """
    occurred_at = occurred_at or timezone.now()
    author = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        locked = (
            Lead.objects.select_for_update(of=("self",)).select_related("contact", "company").get(pk=lead.pk)
        )
        activity = Activity.objects.create(
            lead=locked,
            contact=contact or (locked.contact if locked.contact_id else None),
            buyer_country=buyer_country(locked),
            direction=direction,
            kind=kind,
            channel=channel,
            occurred_at=occurred_at,
            subject=subject[:300],
            body=body,
            is_auto_reply=is_auto_reply,
            message_id=message_id[:300],
            in_reply_to=in_reply_to[:300],
            created_by=author,
            rep_id=author.pk if author is not None else locked.owner_id,
            metadata=metadata or {},
        )
        changed = _advance(locked, direction, kind, occurred_at, is_auto_reply)
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        if reply_stats.is_relevant(activity):
            reply_stats.refresh_activity(activity)
    for name in ("last_outbound_at", "last_inbound_at", "last_activity_at", "stage"):
        setattr(lead, name, getattr(locked, name))
    on_activity_logged(
        activity
    )  # the cadence: our message closes its task, a reply stops it, a holiday note holds it
    return activity


def _advance(lead: Lead, direction: str, kind: str, occurred_at: datetime, is_auto_reply: bool) -> list[str]:
    changed = []
    if lead.last_activity_at is None or occurred_at > lead.last_activity_at:
        lead.last_activity_at = occurred_at
        changed.append("last_activity_at")
    if kind == Activity.Kind.NOTE or direction == Activity.Direction.INTERNAL:
        return changed
    latest = max(filter(None, (lead.last_outbound_at, lead.last_inbound_at)), default=None)
    is_latest = latest is None or occurred_at >= latest
    if direction == Activity.Direction.OUTBOUND and (
        lead.last_outbound_at is None or occurred_at > lead.last_outbound_at
    ):
        lead.last_outbound_at = occurred_at
        changed.append("last_outbound_at")
    if (
        direction == Activity.Direction.INBOUND
        and not is_auto_reply
        and (lead.last_inbound_at is None or occurred_at > lead.last_inbound_at)
    ):
        lead.last_inbound_at = occurred_at
        changed.append("last_inbound_at")
    if is_latest:
        stage = stage_after(lead.stage, direction, is_auto_reply)
        if stage != lead.stage:
            lead.stage = stage
            changed.append("stage")
    return changed
