"""Celery entry points for leads: load ids, call the shell, own the retry policy."""

from celery import shared_task

from leads import qualification


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def verify_lead(self, lead_id: int) -> str:  # type: ignore[no-untyped-def]
    """Verify and score one lead; a transient failure re-runs later with exponential backoff."""
    outcome = qualification.run_check(lead_id, task_id=self.request.id or "")
    if outcome.retry_in_s is not None:
        # The retry keeps its own message; the database row says "pending" so the sweeper covers a lost one.
        raise self.retry(countdown=outcome.retry_in_s)
    return outcome.status


@shared_task(acks_late=True)
def sweep_checks() -> int:
    """Re-enqueue checks left pending (lost broker message) or stuck running (dead worker), and lost re-scores."""
    from leads import keywords

    keywords.resend_stale_rescore()
    return qualification.sweep_stale_checks()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def verify_leads(self, lead_ids: list[int]) -> int:  # type: ignore[no-untyped-def]
    """Check a batch of leads concurrently inside this worker; transient ones are re-queued one by one."""
    outcomes = qualification.run_checks(lead_ids, task_id=self.request.id or "")
    for lead_id, outcome in outcomes:
        if outcome.retry_in_s is not None:
            qualification.enqueue_check(lead_id, countdown_s=outcome.retry_in_s)
    return len(outcomes)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def rescore_all(job_id: int) -> int:
    """Re-score every stored company from stored text after a keyword-list change (no refetch)."""
    from leads import keywords

    return keywords.rescore_all(job_id)
