"""Evidence in, authenticity verdict out."""

import pytest

from leads.verification.authenticity import AuthenticityEvidence, AuthenticityStatus, judge_authenticity
from leads.verification.email import EmailStatus
from leads.verification.website import WebsiteStatus

E, W, A = EmailStatus, WebsiteStatus, AuthenticityStatus


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (AuthenticityEvidence(E.VALID, W.LIVE, domains_match=True), A.GENUINE),
        (AuthenticityEvidence(E.VALID, W.LIVE, is_free_email=True), A.GENUINE),
        (AuthenticityEvidence(E.INVALID, W.DEAD), A.FAKE),
        (AuthenticityEvidence(E.INVALID, W.PARKED), A.FAKE),
        (AuthenticityEvidence(E.INVALID, None), A.FAKE),
        (AuthenticityEvidence(E.RISKY, W.PARKED, is_disposable_email=True), A.FAKE),
        (AuthenticityEvidence(E.RISKY, None, is_disposable_email=True), A.FAKE),
        (AuthenticityEvidence(None, W.DEAD), A.FAKE),
        (AuthenticityEvidence(E.VALID, W.LIVE, domains_match=False), A.SUSPICIOUS),
        (AuthenticityEvidence(E.VALID, W.PARKED, domains_match=True), A.SUSPICIOUS),
        (AuthenticityEvidence(E.VALID, None, is_free_email=True), A.SUSPICIOUS),
        (AuthenticityEvidence(E.INVALID, W.LIVE, domains_match=True), A.SUSPICIOUS),
        (AuthenticityEvidence(E.RISKY, W.LIVE, domains_match=True), A.SUSPICIOUS),
        (AuthenticityEvidence(E.VALID, W.LIVE, domains_match=True, is_redirected_offsite=True), A.SUSPICIOUS),
        (AuthenticityEvidence(None, None), A.SUSPICIOUS),
    ],
)
def test_evidence_gives_verdict(evidence: AuthenticityEvidence, expected: AuthenticityStatus) -> None:
    assert judge_authenticity(evidence).verdict is expected


@pytest.mark.parametrize(
    "evidence",
    [
        AuthenticityEvidence(E.UNKNOWN, W.DEAD),
        AuthenticityEvidence(E.INVALID, W.UNKNOWN),
        AuthenticityEvidence(E.UNKNOWN, W.UNKNOWN),
        AuthenticityEvidence(E.UNKNOWN, None),
        AuthenticityEvidence(E.RISKY, W.UNKNOWN, is_disposable_email=True),
    ],
)
def test_transient_failure_is_never_fake_and_asks_for_a_recheck(evidence: AuthenticityEvidence) -> None:
    verdict = judge_authenticity(evidence)
    assert verdict.verdict is not A.FAKE
    assert verdict.is_transient


def test_genuine_verdict_explains_itself() -> None:
    verdict = judge_authenticity(
        AuthenticityEvidence(E.VALID, W.LIVE, domains_match=True, inquiry_strength="strong")
    )
    assert verdict.reasons[0] == "email_and_website_confirm"
    assert "inquiry_specific" in verdict.reasons
    assert not verdict.is_transient


def test_mismatched_corporate_domains_are_named() -> None:
    verdict = judge_authenticity(AuthenticityEvidence(E.VALID, W.LIVE, domains_match=False))
    assert "email_website_mismatch" in verdict.reasons


def test_generic_template_is_a_reason_not_a_verdict() -> None:
    verdict = judge_authenticity(
        AuthenticityEvidence(E.VALID, W.LIVE, domains_match=True, inquiry_strength="weak")
    )
    assert verdict.verdict is A.GENUINE
    assert "inquiry_generic" in verdict.reasons
