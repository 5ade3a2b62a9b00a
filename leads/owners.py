"""Whose leads a view shows: anyone's, the pool's, one user's, or a sales team's (the board and the dashboard)."""

from __future__ import annotations

from django.db.models import Q

from leads.models import SalesTeam

TEAM_PREFIX = "team-"


def team_value(team_id: int) -> str:
    """The filter value that stands for a team ("team-3")."""
    return f"{TEAM_PREFIX}{team_id}"


def owner_condition(owner: str, field: str) -> Q:
    """The filter on a user field: "pool" for none, a user id for that user, "team-<id>" for any member
    of that team, anything else for anyone (the form has already refused what it does not offer)."""
    if owner == "pool":
        return Q(**{f"{field}__isnull": True})
    if owner.isdigit():
        return Q(**{field: int(owner)})
    team = owner.removeprefix(TEAM_PREFIX)
    if owner.startswith(TEAM_PREFIX) and team.isdigit():
        members = SalesTeam.members.through.objects.filter(salesteam_id=int(team)).values("user_id")
        return Q(**{f"{field}__in": members})
    return Q()


def team_choices() -> list[tuple[str, str]]:
    """Every team as a filter choice, in one query."""
    return [(team_value(pk), f"Team: {name}") for pk, name in SalesTeam.objects.values_list("pk", "name")]
