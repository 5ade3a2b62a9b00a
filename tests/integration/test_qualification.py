"""The qualification use case against the fake internet: real DNS, HTTP(S) and SMTP on loopback, no mocks."""

from __future__ import annotations

import asyncio

import pytest

from leads import qualification
from leads.models import CheckStatus, Lead, Stage
from leads.qualification import LeadFacts
from leads.scoring.matcher import compile_matcher
from tests import factories

pytestmark = pytest.mark.integration
EMPTY_MATCHER = compile_matcher([], [], "empty")


def _qualify(facts: LeadFacts):  # type: ignore[no-untyped-def]
    return asyncio.run(qualification.qualify_many([facts], qualification.probe_config(), EMPTY_MATCHER, 4))[0]


def test_company_email_and_matching_live_site_is_genuine(online) -> None:  # type: ignore[no-untyped-def]
    result = _qualify(LeadFacts(email="anna@aquaclear-uv.test", website="aquaclear-uv.test"))
    assert result.email.verdict == "valid", result.email.reasons
    assert result.website.verdict == "live"
    assert result.authenticity.verdict == "genuine"
    assert result.website.pages, "page text is kept for fit scoring"


def test_company_email_without_website_checks_the_email_domain_site(online) -> None:  # type: ignore[no-untyped-def]
    result = _qualify(LeadFacts(email="jens@uv-technik.test"))
    assert result.website_checked == "https://uv-technik.test/"
    assert result.website.verdict == "live"
    assert result.authenticity.verdict == "genuine"


def test_unreachable_mail_and_parked_site_is_fake(online) -> None:  # type: ignore[no-untyped-def]
    result = _qualify(LeadFacts(email="boss@nxdomain.test", website="parked.test"))
    assert result.email.verdict == "invalid"
    assert result.website.verdict == "parked"
    assert result.authenticity.verdict == "fake"
    assert not result.authenticity.is_transient


def test_null_mx_and_dead_site_is_fake(online) -> None:  # type: ignore[no-untyped-def]
    result = _qualify(LeadFacts(email="x@nullmx.test", website="status-404.test"))
    assert result.email.verdict == "invalid"
    assert "null_mx" in result.email.reasons
    assert result.authenticity.verdict == "fake"


def test_servfail_everywhere_is_never_fake_and_asks_for_a_recheck(online) -> None:  # type: ignore[no-untyped-def]
    result = _qualify(LeadFacts(email="x@servfail-mail.test", website="servfail.test"))
    assert result.email.verdict == "unknown"
    assert result.website.verdict == "unknown"
    assert result.authenticity.verdict != "fake"
    assert result.authenticity.is_transient


def test_website_on_another_domain_than_the_email_is_suspicious(online) -> None:  # type: ignore[no-untyped-def]
    result = _qualify(LeadFacts(email="anna@aquaclear-uv.test", website="uv-technik.test"))
    assert result.authenticity.verdict == "suspicious"
    assert "email_website_mismatch" in result.authenticity.reasons


def test_private_address_site_is_not_fetched_without_permission(online, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LEADS_FETCH_ALLOWED_NETWORKS = ()
    result = _qualify(LeadFacts(website="aquaclear-uv.test"))
    assert result.website.verdict != "live"
    assert not online.web.requests_for("aquaclear-uv.test")


def test_smtp_probe_finds_unknown_mailbox_invalid(online, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LEADS_SMTP_PROBE = True
    result = _qualify(LeadFacts(email="nobody@aquaclear-uv.test", website="aquaclear-uv.test"))
    assert result.email.verdict == "invalid"
    assert "smtp_rejected" in result.email.reasons


def test_smtp_probe_flags_catch_all_domain_risky(online, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LEADS_SMTP_PROBE = True
    result = _qualify(LeadFacts(email="whoever@catchall.test"))
    assert result.email.verdict == "risky"
    assert "catch_all" in result.email.reasons


@pytest.mark.django_db
def test_run_check_saves_evidence_and_moves_fakes_to_junk(online) -> None:  # type: ignore[no-untyped-def]
    company = factories.CompanyFactory(domain="parked.test", website="parked.test")
    lead = factories.LeadFactory(
        company=company, contact=factories.ContactFactory(company=company, email="boss@nxdomain.test")
    )
    outcome = qualification.run_check(lead.pk)
    assert outcome.status == "done"
    lead.refresh_from_db()
    assert lead.check_status == CheckStatus.DONE
    assert lead.stage == Stage.JUNK
    assert lead.authenticity == "fake"
    assert "parked" in lead.junk_reason
    assert lead.company.website_verdict == "parked"
    assert lead.company.website_evidence["nameservers"]
    assert lead.contact.email_verdict == "invalid"
    assert lead.checked_at is not None


@pytest.mark.django_db
def test_running_a_finished_check_again_is_harmless(online) -> None:  # type: ignore[no-untyped-def]
    company = factories.CompanyFactory(domain="aquaclear-uv.test", website="aquaclear-uv.test")
    lead = factories.LeadFactory(
        company=company, contact=factories.ContactFactory(company=company, email="anna@aquaclear-uv.test")
    )
    assert qualification.run_check(lead.pk).status == "done"
    requests = len(online.web.requests)
    assert qualification.run_check(lead.pk).status == "skipped"
    assert len(online.web.requests) == requests
    lead.refresh_from_db()
    assert lead.stage == Stage.QUALIFIED
    assert lead.check_attempts == 1


@pytest.mark.django_db
def test_transient_failure_leaves_the_check_pending_with_backoff(online) -> None:  # type: ignore[no-untyped-def]
    company = factories.CompanyFactory(domain="servfail.test", website="servfail.test")
    lead = factories.LeadFactory(company=company, contact=factories.ContactFactory(company=company, email=""))
    outcome = qualification.run_check(lead.pk)
    assert outcome.retry_in_s == 60
    lead.refresh_from_db()
    assert lead.check_status == CheckStatus.PENDING
    assert lead.check_retry_at is not None
    assert lead.authenticity != "fake"
    assert lead.stage != Stage.JUNK


@pytest.mark.django_db
def test_batch_checks_many_leads_in_one_event_loop(online) -> None:  # type: ignore[no-untyped-def]
    leads = []
    for domain in ("aquaclear-uv.test", "uv-technik.test", "parked.test"):
        company = factories.CompanyFactory(domain=domain, website=domain)
        leads.append(factories.LeadFactory(company=company, contact=None))
    outcomes = qualification.run_checks([lead.pk for lead in leads])
    assert [status for _, status in ((i, o.status) for i, o in outcomes)] == ["done", "done", "done"]
    verdicts = dict(
        Lead.objects.filter(pk__in=[lead.pk for lead in leads]).values_list(
            "company__domain", "company__website_verdict"
        )
    )
    assert verdicts == {"aquaclear-uv.test": "live", "uv-technik.test": "live", "parked.test": "parked"}
