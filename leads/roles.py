"""Who may see and do what: the three roles and the querysets that enforce them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from leads.models import Lead

SALES_REP = "Sales rep"
MANAGER = "Manager"
ADMIN = "Admin"
ROLE_NAMES = (SALES_REP, MANAGER, ADMIN)


def _group_names(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = (
            frozenset(user.groups.values_list("name", flat=True)) if user.is_authenticated else frozenset()
        )
        user._role_names = cached  # type: ignore[union-attr]
    return cached


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or ADMIN in _group_names(user)))


def is_manager(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Managers (and admins) see every lead and assign them; reps see their own and the pool."""
    return is_admin(user) or MANAGER in _group_names(user)


def visible_leads(
    user: AbstractBaseUser | AnonymousUser, queryset: QuerySet[Lead] | None = None
) -> QuerySet[Lead]:
    """The leads this user may see: managers all, reps their own plus the unclaimed pool, others none."""
    from leads.models import Lead

    leads = queryset if queryset is not None else Lead.objects.all()
    if not user.is_authenticated:
        return leads.none()
    if is_manager(user):
        return leads
    return leads.filter(Q(owner=user) | Q(owner__isnull=True))


def editable_leads(
    user: AbstractBaseUser | AnonymousUser, queryset: QuerySet[Lead] | None = None
) -> QuerySet[Lead]:
    """The leads this user may change: managers all, reps only their own (claim a pool lead first)."""
    from leads.models import Lead

    leads = queryset if queryset is not None else Lead.objects.all()
    if not user.is_authenticated:
        return leads.none()
    if is_manager(user):
        return leads
    return leads.filter(owner=user)
