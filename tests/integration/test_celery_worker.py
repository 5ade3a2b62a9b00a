"""A real Celery worker runs our tasks and their results land in the database: on Redis, and on the file broker."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from celery import Celery

from leads.models import CheckStatus, Lead
from tests import factories
from tests.celery_worker import celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _offline_lead() -> Lead:
    """A lead with nothing to probe over the network: the check still runs end to end."""
    company = factories.CompanyFactory(domain="", website="")
    return factories.LeadFactory(company=company, contact=factories.ContactFactory(company=company, email=""))


def test_worker_on_redis_saves_a_check_result(tmp_path: Path, redis_url: str, postgres_url: str) -> None:
    from leads import tasks

    lead = _offline_lead()
    with celery_worker(tmp_path, broker_env={"REDIS_URL": redis_url}) as worker:
        tasks.verify_lead.apply_async(args=[lead.pk], queue=worker.queue)
        assert wait_for(lambda: Lead.objects.get(pk=lead.pk).check_status == CheckStatus.DONE), worker.log()[
            -3000:
        ]
    lead.refresh_from_db()
    assert lead.checked_at is not None
    assert lead.authenticity == "suspicious"
    assert "no_email" in lead.authenticity_reasons


def test_worker_on_the_embedded_file_broker_needs_no_server(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    lead = _offline_lead()
    env = {"REDIS_URL": "", "DATA_DIR": str(data_dir)}
    with celery_worker(tmp_path, broker_env=env, queue=queue) as worker:
        broker_dir = data_dir / "broker"
        # Not the current app: shared tasks in this process must keep sending through the project's app.
        sender = Celery(
            set_as_current=False,
            broker="filesystem://",
            broker_transport_options={
                "data_folder_in": str(broker_dir / "queue"),
                "data_folder_out": str(broker_dir / "queue"),
                "processed_folder": str(broker_dir / "processed"),
                "control_folder": str(broker_dir / "control"),
            },
        )
        sender.conf.task_serializer = "json"
        sender.send_task("leads.tasks.verify_lead", args=[lead.pk], queue=queue)
        assert wait_for(lambda: Lead.objects.get(pk=lead.pk).check_status == CheckStatus.DONE), worker.log()[
            -3000:
        ]
    assert Lead.objects.get(pk=lead.pk).checked_at is not None
