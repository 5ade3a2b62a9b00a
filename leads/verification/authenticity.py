"""Is there a real company behind the lead? Combines the email and website verdicts into genuine/suspicious/fake."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from leads.verification.email import EmailStatus
from leads.verification.website import WebsiteStatus


class AuthenticityStatus(StrEnum):
    GENUINE = "genuine"
    SUSPICIOUS = "suspicious"
    FAKE = "fake"


@dataclass(frozen=True, slots=True)
class AuthenticityEvidence:
    email: EmailStatus | None  # None: the lead has no email address
    website: WebsiteStatus | None  # None: no website given and none derivable from the email
    is_free_email: bool = False
    is_disposable_email: bool = False
    domains_match: bool | None = None  # email's registered domain vs the website's; None when not comparable
    is_redirected_offsite: bool = False
    inquiry_strength: str = "none"  # "strong", "weak" or "none", from the inquiry text


@dataclass(frozen=True, slots=True)
class AuthenticityVerdict:
    verdict: AuthenticityStatus
    reasons: tuple[str, ...]
    is_transient: bool  # a check came back unknown: re-check later before trusting the verdict


_DEAD_SITE = {WebsiteStatus.DEAD, WebsiteStatus.PARKED, WebsiteStatus.PLACEHOLDER}


def judge_authenticity(evidence: AuthenticityEvidence) -> AuthenticityVerdict:
    """Genuine, suspicious or fake, with reasons. A transient failure (unknown) never makes a lead fake.

    fake: nothing real behind it (mail cannot arrive and no live site; a throwaway address and no live site).
    genuine: a deliverable email with a live site that matches it, or a free-mail address with a live company site.
    """
    email, website = evidence.email, evidence.website
    reasons: list[str] = []
    is_transient = email is EmailStatus.UNKNOWN or website is WebsiteStatus.UNKNOWN
    if email is EmailStatus.UNKNOWN:
        reasons.append("email_check_inconclusive")
    if website is WebsiteStatus.UNKNOWN:
        reasons.append("website_check_inconclusive")

    has_live_site = website is WebsiteStatus.LIVE
    has_no_real_site = website is None or website in _DEAD_SITE
    if website is None:
        reasons.append("no_website")
    elif website in _DEAD_SITE:
        reasons.append(f"website_{website.value}")
    if email is None:
        reasons.append("no_email")
    elif email is EmailStatus.INVALID:
        reasons.append("email_undeliverable")
    elif evidence.is_disposable_email:
        reasons.append("email_disposable")
    elif email is EmailStatus.RISKY:
        reasons.append("email_risky")
    if evidence.is_free_email:
        reasons.append("free_email")
    if evidence.domains_match is False and not evidence.is_free_email:
        reasons.append("email_website_mismatch")
    if evidence.is_redirected_offsite:
        reasons.append("website_redirects_offsite")
    if evidence.inquiry_strength == "strong":
        reasons.append("inquiry_specific")
    elif evidence.inquiry_strength == "weak":
        reasons.append("inquiry_generic")

    cannot_receive = email is EmailStatus.INVALID or (email is None and website is not None)
    if has_no_real_site and not is_transient and (cannot_receive or evidence.is_disposable_email):
        return AuthenticityVerdict(AuthenticityStatus.FAKE, tuple(reasons), is_transient)

    deliverable = email is EmailStatus.VALID and not evidence.is_disposable_email
    matches = evidence.domains_match is True or evidence.is_free_email
    if deliverable and has_live_site and matches and not evidence.is_redirected_offsite:
        reasons.insert(0, "email_and_website_confirm")
        return AuthenticityVerdict(AuthenticityStatus.GENUINE, tuple(reasons), is_transient)
    return AuthenticityVerdict(AuthenticityStatus.SUSPICIOUS, tuple(reasons), is_transient)
