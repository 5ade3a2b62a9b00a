"""Celery beat runs the follow-up scheduler on a real worker; tick after tick, the task exists once."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from followups.activities import log_activity
from followups.models import Activity, FollowUpTask
from leads.models import CheckStatus
from tests import factories
from tests.celery_worker import celery_worker, wait_for

pytestmark = [
    pytest.mark.integration,
    # The worker reads committed rows; the migrations' seed data is restored for the tests after.
    pytest.mark.django_db(transaction=True),
]

_RUN_DONE = re.compile(r"Task followups\.tasks\.run_followup_scheduler\[[^\]]+\] succeeded")


def test_beat_runs_the_scheduler_every_tick_and_creates_the_follow_up_once(
    tmp_path: Path, redis_url: str, postgres_url: str
) -> None:
    owner = factories.UserFactory()
    company = factories.CompanyFactory(country="DE")
    contact = factories.ContactFactory(company=company)
    # Checked already, so the check sweeper on the same beat has nothing to send anywhere.
    lead = factories.LeadFactory(company=company, contact=contact, owner=owner, check_status=CheckStatus.DONE)
    log_activity(lead, owner, Activity.Direction.OUTBOUND, channel="email", subject="Quote",
                 occurred_at=timezone.now() - timedelta(days=10))  # fmt: skip
    env = {
        "REDIS_URL": redis_url,
        "LEADS_SCHEDULER_INTERVAL_S": "1",
        # One business day for the first step, a long second one: due now whatever today's holidays are.
        "LEADS_CADENCE_STEPS": "1,60",
    }

    with celery_worker(tmp_path, broker_env={"REDIS_URL": redis_url}, extra_env=env, beat=True) as worker:
        assert wait_for(lambda: FollowUpTask.objects.filter(lead=lead).exists(), timeout_s=60), worker.log()[
            -3000:
        ]
        assert wait_for(lambda: len(_RUN_DONE.findall(worker.log())) >= 4, timeout_s=60), worker.log()[-3000:]

    (task,) = FollowUpTask.objects.filter(lead=lead)
    assert (task.assignee, task.step, task.channel, task.status) == (
        owner,
        1,
        "email",
        FollowUpTask.Status.OPEN,
    )
    assert task.cadence_key
