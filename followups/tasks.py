"""Celery entry points for follow-ups: call the shell, own the retry and overlap policy."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from celery import shared_task
from django.core.cache import cache

from followups import reply_stats, scheduler

logger = logging.getLogger(__name__)

_LOCK_KEY = "followups:scheduler:running"
# A run over 100,000 leads takes well under this; a worker that died mid-run frees the lock by then.
_RUN_LIMIT_S = 900


@shared_task(acks_late=True, soft_time_limit=_RUN_LIMIT_S, time_limit=_RUN_LIMIT_S + 60)
def run_followup_scheduler() -> dict[str, Any]:
    """Beat's periodic run of the cadence. A run still going when the next tick comes is not doubled:
    the second one returns at once (and a doubled run would still create nothing twice)."""
    token = uuid.uuid4().hex
    if not cache.add(_LOCK_KEY, token, timeout=_RUN_LIMIT_S + 60):
        logger.info("follow-up scheduler already running; this tick is skipped")
        return {"skipped": True}
    try:
        report = scheduler.run_scheduler()
    finally:
        if cache.get(_LOCK_KEY) == token:
            cache.delete(_LOCK_KEY)
    logger.info("follow-up scheduler: %s", report.as_dict())
    return report.as_dict()


@shared_task(acks_late=True, soft_time_limit=_RUN_LIMIT_S, time_limit=_RUN_LIMIT_S + 60)
def refresh_reply_stats() -> None:
    """Beat's nightly reconciliation of the stored reply facts (see followups.reply_stats); harmless twice."""
    reply_stats.refresh_all()
