"""The shared pool (high seas): claiming an unowned lead, assigning one, releasing one.

Ownership changes are single conditional UPDATEs, so two reps clicking "claim" at the same moment
cannot both win: the database decides, and the loser sees that the lead was taken.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from leads.models import Lead, Stage

# A won or junk lead is finished: it no longer counts against a rep's claim limit.
CLOSED_STAGES = (Stage.WON, Stage.JUNK)


class ClaimOutcome(StrEnum):
    CLAIMED = "claimed"
    TAKEN = "taken"  # someone else owns it already
    LIMIT_REACHED = "limit_reached"  # the rep holds as many open leads as the claim limit allows


def open_leads_held(user: AbstractBaseUser) -> int:
    """Open leads (not won, not junk) the user owns: what the claim limit counts."""
    return Lead.objects.filter(owner_id=user.pk).exclude(stage__in=CLOSED_STAGES).count()


def claim(
    lead_id: int, user: AbstractBaseUser, now: datetime | None = None, limit: int | None = None
) -> ClaimOutcome:
    """Take a pool lead for `user`, unless it has an owner or the user is at their claim limit.

    The user's row is locked for the transaction so one rep's simultaneous claims are counted one
    after another and cannot overshoot the limit together; the UPDATE's `owner IS NULL` condition
    settles races between different reps.
    """
    now = now or timezone.now()
    limit = settings.LEADS_CLAIM_LIMIT if limit is None else limit
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
        if not Lead.objects.filter(pk=lead_id, owner__isnull=True).exists():
            return ClaimOutcome.TAKEN
        if open_leads_held(user) >= limit:
            return ClaimOutcome.LIMIT_REACHED
        # Claiming counts as activity, so a lead that sat long in the pool is not released again at once.
        taken = Lead.objects.filter(pk=lead_id, owner__isnull=True).update(
            owner=user, claimed_at=now, last_activity_at=now
        )
    return ClaimOutcome.CLAIMED if taken else ClaimOutcome.TAKEN


def assign(lead_id: int, assignee: AbstractBaseUser, now: datetime | None = None) -> bool:
    """Give a lead to a rep (a manager's decision, so the claim limit does not apply)."""
    now = now or timezone.now()
    changed = (
        Lead.objects.filter(pk=lead_id)
        .filter(Q(owner__isnull=True) | ~Q(owner_id=assignee.pk))
        .update(owner=assignee, claimed_at=now, last_activity_at=now)
    )
    return bool(changed)


def release(lead_id: int, owner: AbstractBaseUser | None = None) -> bool:
    """Put a lead back in the pool; with `owner`, only if that user still owns it."""
    leads = Lead.objects.filter(pk=lead_id, owner__isnull=False)
    if owner is not None:
        leads = leads.filter(owner_id=owner.pk)
    return bool(leads.update(owner=None, claimed_at=None))
