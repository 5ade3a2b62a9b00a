"""Celery entry points for getting inquiries in: imports, their checks, the sales mailbox."""

from celery import shared_task

from leads import imports, mailbox_poll, qualification


@shared_task(
    acks_late=True, soft_time_limit=imports.IMPORT_SOFT_LIMIT_S, time_limit=imports.IMPORT_HARD_LIMIT_S
)
def run_import(run_id: int) -> str:
    """Import a queued run; a second delivery finds it taken and does nothing (rows have stable keys anyway)."""
    run = imports.run_queued_import(run_id)
    return run.status if run is not None else "skipped"


@shared_task(acks_late=True)
def enqueue_checks(lead_ids: list[int]) -> int:
    """Queue the verification of freshly imported leads; one message per chunk instead of one per lead."""
    return sum(qualification.enqueue_check(lead_id) for lead_id in lead_ids)


@shared_task(acks_late=True)
def poll_mailboxes() -> int:
    """Read new mail from every configured sales mailbox; returns how many messages were taken in."""
    return mailbox_poll.poll_all()
