"""Every page needs login; a rep never reaches another rep's lead through any URL; managers see all."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _lead_urls() -> list[str]:
    """Every route that takes a lead's pk, found from the URL conf so new views are covered too."""
    names = []

    def walk(patterns: list, namespace: str = "") -> None:  # type: ignore[type-arg]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and namespace == "leads"
                and "pk" in pattern.pattern.regex.groupindex
            ):
                names.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def test_lead_urls_are_found() -> None:
    assert "leads:detail" in _lead_urls()


@pytest.mark.parametrize("method", ["get", "post"])
def test_rep_gets_404_for_another_reps_lead_on_every_lead_url(client, rep, other_rep, method) -> None:
    lead = factories.LeadFactory(owner=other_rep)
    client.force_login(rep)
    for name in _lead_urls():
        response = getattr(client, method)(reverse(name, kwargs={"pk": lead.pk}), HTTP_HX_REQUEST="true")
        assert response.status_code in (404, 405), f"{method.upper()} {name} gave {response.status_code}"
    lead.refresh_from_db()
    assert lead.owner == other_rep


def test_rep_sees_own_and_pool_leads_but_not_others(client, rep, other_rep) -> None:
    own = factories.LeadFactory(owner=rep)
    pool = factories.LeadFactory(owner=None)
    client.force_login(rep)
    assert client.get(reverse("leads:detail", kwargs={"pk": own.pk})).status_code == 200
    assert client.get(reverse("leads:detail", kwargs={"pk": pool.pk})).status_code == 200


def test_manager_sees_every_lead(client, manager, rep) -> None:
    lead = factories.LeadFactory(owner=rep)
    client.force_login(manager)
    assert client.get(reverse("leads:detail", kwargs={"pk": lead.pk})).status_code == 200


def test_anonymous_user_is_sent_to_login(client) -> None:
    lead = factories.LeadFactory()
    for url in (
        reverse("leads:board"),
        reverse("leads:detail", kwargs={"pk": lead.pk}),
        reverse("followups:mine"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_login_page_is_public(client) -> None:
    assert client.get(reverse("login")).status_code == 200


def test_rep_cannot_open_the_admin_keyword_lists(client, rep) -> None:
    client.force_login(rep)
    response = client.get(reverse("admin:leads_industrykeyword_changelist"))
    assert response.status_code == 302  # not staff: sent to the admin login


def test_admin_role_edits_keyword_lists_in_the_admin(client, admin_user) -> None:
    client.force_login(admin_user)
    assert client.get(reverse("admin:leads_industrykeyword_changelist")).status_code == 200
    assert client.get(reverse("admin:channels_ref_countrychannelrank_changelist")).status_code == 200
