"""Shared querysets for leads: always start from what the user may see."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from leads import roles
from leads.models import Lead


def leads_for_board(user: AbstractBaseUser, stage: str) -> QuerySet[Lead]:
    return (
        roles.visible_leads(user)
        .filter(stage=stage)
        .select_related("company", "contact", "owner")
        .order_by("-received_at", "-id")
    )


def lead_for_user(user: AbstractBaseUser) -> QuerySet[Lead]:
    return roles.visible_leads(user).select_related("company", "contact", "owner")
