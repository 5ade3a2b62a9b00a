"""Admins edit keyword lists in the admin: every change is audited, bumps the revision and re-scores stored leads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.urls import reverse

from leads import keywords
from leads.models import BackgroundJob, Company, Industry, IndustryKeyword, KeywordChange
from leads.scoring.seed import INDUSTRIES, KEYWORDS
from tests import factories
from tests.celery_worker import celery_worker, wait_for

WATER_PAGE = [
    {
        "url": "https://aqua.example/",
        "title": "Aqua GmbH – Wasseraufbereitung und UV-Desinfektion",
        "meta": "Trinkwasseraufbereitung, Abwasserbehandlung, UV-Entkeimung",
        "headings": ["Wasseraufbereitung für Kommunen und Industrie"],
        "text": "Wir planen Kläranlagen und Anlagen zur Trinkwasseraufbereitung mit UV-Desinfektion.",
    }
]


@pytest.mark.django_db
def test_seed_migration_loads_every_industry_and_keyword() -> None:
    assert Industry.objects.count() == len(INDUSTRIES)
    assert IndustryKeyword.objects.count() == len(KEYWORDS)
    assert keywords.current_revision() >= 1


@pytest.mark.django_db
def test_matcher_is_rebuilt_only_when_the_lists_change() -> None:
    first = keywords.current_matcher()
    assert keywords.current_matcher() is first
    keywords.bump_revision()
    assert keywords.current_matcher() is not first


@pytest.mark.django_db
def test_editing_a_keyword_in_the_admin_is_audited_and_queues_a_rescore(client, admin_user) -> None:
    client.force_login(admin_user)
    keyword = IndustryKeyword.objects.select_related("industry").first()
    before = keywords.current_revision()
    url = reverse("admin:leads_industrykeyword_change", args=[keyword.pk])
    response = client.post(
        url,
        {
            "industry": keyword.industry_id,
            "term": keyword.term,
            "language": keyword.language,
            "weight": "2.5",
            "match_mode": keyword.match_mode,
        },
    )
    assert response.status_code == 302
    change = KeywordChange.objects.get()
    assert change.user == admin_user
    assert change.action == "changed"
    assert change.term == keyword.term
    assert "weight" in change.detail
    assert keywords.current_revision() == before + 1
    assert BackgroundJob.objects.filter(kind="rescore", status="queued").count() == 1


@pytest.mark.django_db
def test_csv_export_then_import_round_trips_and_reports_bad_lines(client, admin_user) -> None:
    client.force_login(admin_user)
    exported = client.get(reverse("admin:leads_keywords_export"))
    assert exported.status_code == 200
    text = exported.content.decode()
    assert text.startswith("industry_slug,industry_name")
    bad = text + "water_treatment,Water,yes,1,,en,1,no,word\r\n"
    response = client.post(reverse("admin:leads_keywords_import"), {"file": io.BytesIO(bad.encode())})
    assert response.status_code == 200
    assert "term must be 1 to 120 characters" in response.content.decode()
    assert not KeywordChange.objects.exists(), "a file with a bad line changes nothing"
    smaller = "\r\n".join(
        text.splitlines()[:1] + [line for line in text.splitlines()[1:] if "Brunnen" not in line]
    )
    upload = io.BytesIO(smaller.encode())
    upload.name = "lists.csv"
    response = client.post(reverse("admin:leads_keywords_import"), {"file": upload})
    assert response.status_code == 302
    assert KeywordChange.objects.filter(action="imported").count() == 1


@pytest.mark.django_db
def test_rep_cannot_export_or_import_keyword_lists(client, rep) -> None:
    client.force_login(rep)
    assert client.get(reverse("admin:leads_keywords_export")).status_code == 302  # the admin's login wall


@pytest.mark.django_db
def test_rescore_scores_stored_text_without_refetching() -> None:
    company = factories.CompanyFactory(page_text=WATER_PAGE, fit_score=None)
    factories.LeadFactory(company=company, message="Need UV germicidal lamps for our water treatment plant")
    unrelated = factories.CompanyFactory(
        page_text=[
            {"url": "https://shop.example/", "title": "Fashion boutique: dresses and handbags", "text": ""}
        ]
    )
    job = BackgroundJob.objects.create(kind="rescore")
    assert keywords.rescore_all(job.pk) == Company.objects.count()
    company.refresh_from_db()
    unrelated.refresh_from_db()
    job.refresh_from_db()
    assert company.fit_score >= 60
    assert company.fit_tier in ("A", "B")
    assert company.fit_evidence["matches"]
    assert unrelated.fit_score < 30
    assert job.status == "done"
    assert job.percent == 100


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_keyword_change_rescores_every_lead_in_a_real_worker(
    tmp_path: Path, redis_url: str, admin_user
) -> None:
    company = factories.CompanyFactory(page_text=WATER_PAGE, fit_score=None)
    with celery_worker(tmp_path, broker_env={"REDIS_URL": redis_url}):
        keywords.record_change(admin_user, "changed", "Water treatment", "Kläranlage", "weight=2")
        job = BackgroundJob.objects.get(kind="rescore")
        assert wait_for(lambda: BackgroundJob.objects.get(pk=job.pk).status == "done", timeout_s=60)
    company.refresh_from_db()
    assert company.fit_score >= 60
    assert company.fit_keyword_version == f"r{keywords.current_revision()}"
