"""Sales teams: admins keep them in the admin; the board and the dashboard filter by them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leads.models import SalesTeam
from leads.owners import owner_condition, owner_options
from tests import factories

pytestmark = pytest.mark.django_db


def test_admins_create_a_team_of_reps_in_the_admin(client, admin_user, rep, other_rep) -> None:
    client.force_login(admin_user)
    add = reverse("admin:leads_salesteam_add")
    form = client.get(add)
    assert form.status_code == 200
    response = client.post(add, {"name": "Europe", "members": [rep.pk, other_rep.pk]})
    assert response.status_code == 302
    team = SalesTeam.objects.get(name="Europe")
    assert set(team.members.all()) == {rep, other_rep}
    listing = client.get(reverse("admin:leads_salesteam_changelist"))
    assert "Europe" in listing.text


def test_only_reps_and_managers_can_be_members(client, admin_user, rep) -> None:
    outsider = factories.UserFactory()
    client.force_login(admin_user)
    response = client.post(reverse("admin:leads_salesteam_add"), {"name": "X", "members": [outsider.pk]})
    assert response.status_code == 200  # the form again, with the error
    assert not SalesTeam.objects.exists()


def test_a_rep_with_staff_access_still_cannot_edit_teams(client, rep) -> None:
    rep.is_staff = True
    rep.save()
    client.force_login(rep)
    assert client.get(reverse("admin:leads_salesteam_add")).status_code == 403


def test_a_team_filter_matches_its_members_leads_only(rep, other_rep, manager) -> None:
    from leads.models import Lead

    team = SalesTeam.objects.create(name="Asia")
    team.members.add(rep, manager)
    ours = {factories.LeadFactory(owner=rep).pk, factories.LeadFactory(owner=manager).pk}
    factories.LeadFactory(owner=other_rep)
    factories.LeadFactory(owner=None)
    found = set(Lead.objects.filter(owner_condition(f"team-{team.pk}", "owner")).values_list("pk", flat=True))
    assert found == ours
    options = owner_options()
    assert options.teams == [(f"team-{team.pk}", "Team: Asia")]
    assert {pk for pk, _ in options.people} == {rep.pk, other_rep.pk, manager.pk}
    # Values that are no team stand for nobody in particular: the forms refuse them before they get here.
    for value in ("team-", "team-x", "teams-1"):
        assert str(owner_condition(value, "owner")) == "(AND: )"
