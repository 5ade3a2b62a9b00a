"""Whose leads a view shows: anyone's, the pool's, one user's, or a sales team's (the board and the dashboard)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import CharField, Q, QuerySet, Value

from leads import roles
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


def assignable_users() -> QuerySet[User]:
    """Active reps and managers, who may own leads."""
    in_roles = User.groups.through.objects.filter(group__name__in=(roles.SALES_REP, roles.MANAGER))
    return User.objects.filter(is_active=True, pk__in=in_roles.values("user_id")).order_by("username")


@dataclass(frozen=True, slots=True)
class OwnerOptions:
    """The choices of an owner filter."""

    people: list[tuple[int, str]]  # (user id, display name) of who may own leads, by username
    teams: list[tuple[str, str]]  # (filter value, label) of every sales team, by name


def owner_options() -> OwnerOptions:
    """Who may own leads and every sales team, in one query (a page's query count is bounded)."""
    text = CharField()
    people = (
        assignable_users()
        .order_by()
        .values_list("pk", "username", "first_name", "last_name", Value("person", output_field=text))
    )
    teams = SalesTeam.objects.order_by().values_list(
        "pk",
        "name",
        Value("", output_field=text),
        Value("", output_field=text),
        Value("team", output_field=text),
    )
    rows = sorted(people.union(teams, all=True), key=lambda row: (row[4], row[1]))
    return OwnerOptions(
        people=[
            (pk, f"{first} {last}".strip() or name)
            for pk, name, first, last, kind in rows
            if kind == "person"
        ],
        teams=[(team_value(pk), f"Team: {name}") for pk, name, _, _, kind in rows if kind == "team"],
    )
