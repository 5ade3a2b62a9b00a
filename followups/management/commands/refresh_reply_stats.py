"""Recompute the stored reply facts the dashboard reads (after a bulk load or a restore, say)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from followups import reply_stats


class Command(BaseCommand):
    help = "Recompute each outbound message's first reply time and each contact's median reply latency."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        reply_stats.refresh_all()
        self.stdout.write(f"reply facts recomputed in {time.perf_counter() - started:.1f} s")
