"""The qualification use case: probe a lead's email and website, judge, score, save.

The check state lives on the Lead row (pending, running, done, failed), so a lost broker
message or a killed worker never loses a check: the sweeper re-enqueues it.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from leads.models import BackgroundJob, CheckStatus, Lead

log = logging.getLogger(__name__)

# A check is stuck when it has been "running" longer than the task's hard time limit allows.
STUCK_AFTER = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
# A pending check whose message should have been picked up by now is presumed lost.
LOST_AFTER = timedelta(seconds=90)
SWEEP_BATCH = 500


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    status: str
    retry_in_s: int | None = None


def backoff_s(attempt: int) -> int:
    """Exponential backoff for transient failures: 1, 2, 4, 8... minutes, capped at 6 hours."""
    return min(60 * 2 ** max(attempt - 1, 0), 6 * 3600)


def request_check(lead: Lead, job: BackgroundJob | None = None) -> None:
    """Mark the lead's check pending and enqueue it after commit; a broker outage loses nothing."""
    now = timezone.now()
    Lead.objects.filter(pk=lead.pk).update(
        check_status=CheckStatus.PENDING,
        check_attempts=0,
        check_last_error="",
        check_queued_at=now,
        check_retry_at=None,
        check_task_id="",
        check_job=job,
    )
    lead_id = lead.pk
    transaction.on_commit(lambda: enqueue_check(lead_id))


def enqueue_check(lead_id: int, countdown_s: int | None = None) -> bool:
    """Send the task; on a broker failure log it and let the sweeper retry. Never raises."""
    from leads import tasks

    try:
        tasks.verify_lead.apply_async(args=[lead_id], countdown=countdown_s, retry=False)
    except Exception as error:  # noqa: BLE001 - any broker error: the row stays pending for the sweeper
        log.warning("could not enqueue check for lead %s: %s", lead_id, error)
        return False
    return True


def _claim(lead_id: int, task_id: str) -> str | None:
    """Atomically take the check for this task; None when another worker holds it or it is done.

    A redelivered message (its worker died) carries the same task id, so it may take over at once.
    """
    now = timezone.now()
    token = task_id or uuid.uuid4().hex
    claimable = Q(check_status=CheckStatus.PENDING) | Q(
        check_status=CheckStatus.RUNNING, check_started_at__lt=now - STUCK_AFTER
    )
    if task_id:
        claimable |= Q(check_status=CheckStatus.RUNNING, check_task_id=task_id)
    taken = Lead.objects.filter(claimable, pk=lead_id).update(
        check_status=CheckStatus.RUNNING,
        check_started_at=now,
        check_task_id=token,
        check_attempts=F("check_attempts") + 1,
    )
    return token if taken else None


def run_check(lead_id: int, task_id: str = "") -> CheckOutcome:
    """Claim, evaluate and save one lead's check. Running it twice is harmless."""
    token = _claim(lead_id, task_id)
    if token is None:
        return CheckOutcome(status="skipped")
    lead = Lead.objects.select_related("company", "contact").get(pk=lead_id)
    try:
        is_transient = evaluate_and_save(lead, token)
    except Exception as error:
        log.exception("check failed for lead %s", lead_id)
        return _record_failure(lead, token, f"{type(error).__name__}: {error}")
    if is_transient and lead.check_attempts < settings.LEADS_CHECK_MAX_ATTEMPTS:
        delay = backoff_s(lead.check_attempts)
        Lead.objects.filter(pk=lead_id, check_task_id=token).update(
            check_status=CheckStatus.PENDING, check_retry_at=timezone.now() + timedelta(seconds=delay)
        )
        return CheckOutcome(status="retry", retry_in_s=delay)
    return CheckOutcome(status="done")


def _record_failure(lead: Lead, token: str, error: str) -> CheckOutcome:
    if lead.check_attempts >= settings.LEADS_CHECK_MAX_ATTEMPTS:
        Lead.objects.filter(pk=lead.pk, check_task_id=token).update(
            check_status=CheckStatus.FAILED, check_last_error=error[:500]
        )
        return CheckOutcome(status="failed")
    delay = backoff_s(lead.check_attempts)
    Lead.objects.filter(pk=lead.pk, check_task_id=token).update(
        check_status=CheckStatus.PENDING,
        check_last_error=error[:500],
        check_retry_at=timezone.now() + timedelta(seconds=delay),
    )
    return CheckOutcome(status="retry", retry_in_s=delay)


def sweep_stale_checks(now: timezone.datetime | None = None) -> int:
    """Re-enqueue pending checks whose message is overdue and running checks whose worker died."""
    now = now or timezone.now()
    stuck = Lead.objects.filter(check_status=CheckStatus.RUNNING, check_started_at__lt=now - STUCK_AFTER)
    stuck.update(check_status=CheckStatus.PENDING, check_retry_at=now, check_task_id="")
    overdue = (
        Lead.objects.filter(check_status=CheckStatus.PENDING)
        .filter(
            Q(check_retry_at__lte=now - LOST_AFTER)
            | Q(check_retry_at__isnull=True, check_queued_at__lte=now - LOST_AFTER)
            | Q(check_retry_at__isnull=True, check_queued_at__isnull=True)
        )
        .order_by("check_queued_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    count = 0
    for lead_id in list(overdue):
        Lead.objects.filter(pk=lead_id).update(check_queued_at=now, check_retry_at=None)
        if enqueue_check(lead_id):
            count += 1
    return count


def start_bulk_recheck(job_id: int) -> int:
    """Put every lead of the job back to pending and enqueue them; progress is read from the rows."""
    job = BackgroundJob.objects.get(pk=job_id)
    lead_ids = list(Lead.objects.filter(check_job=job).values_list("pk", flat=True))
    BackgroundJob.objects.filter(pk=job_id).update(status=BackgroundJob.Status.RUNNING, total=len(lead_ids))
    for lead_id in lead_ids:
        enqueue_check(lead_id)
    return len(lead_ids)


def evaluate_and_save(lead: Lead, token: str) -> bool:
    """Probe, judge, score and save one lead; returns True when a transient failure calls for a retry."""
    raise NotImplementedError  # replaced below once the verification engine lands
