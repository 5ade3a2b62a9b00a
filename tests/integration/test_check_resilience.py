"""Nothing is lost when the broker or a worker fails: check state lives in the database.

These tests run their own throwaway redis-server, so stopping it harms nobody else.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from leads.models import CheckStatus, Lead
from tests import factories
from tests.celery_worker import ROOT, celery_worker, wait_for, worker_database_url
from tests.conftest import REQUIRE_SERVICES

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    def __init__(self, tmp_path: Path) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.tmp_path = tmp_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.process = subprocess.Popen([*command, "--dir", str(self.tmp_path)], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def throwaway_redis(tmp_path: Path) -> Iterator[ThrowawayRedis]:
    if shutil.which("redis-server") is None:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is required")
        pytest.skip("redis-server not installed")
    server = ThrowawayRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def run_django(code: str, env: dict[str, str]) -> str:
    """Run Python in a fresh Django process on the test database and the given broker; return its stdout."""
    full_env = {
        **os.environ,
        **env,
        "DATABASE_URL": worker_database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


REGISTER = """
from datetime import UTC, datetime
from leads.intake import InquiryInput, register_inquiry
for index in range({count}):
    lead = register_inquiry(InquiryInput(source="manual", received_at=datetime.now(UTC), website="{domain}"))
    print(lead.lead.pk)
"""


def test_leads_saved_while_redis_is_down_are_all_checked_once_it_is_back(
    tmp_path: Path, throwaway_redis: ThrowawayRedis, postgres_url: str, internet
) -> None:  # type: ignore[no-untyped-def]
    internet.load()
    env = {
        "REDIS_URL": throwaway_redis.url,
        **internet.env(),
        "LEADS_SWEEP_INTERVAL_S": "2",
        "LEADS_CHECK_LOST_AFTER_S": "1",
    }
    broker = {"REDIS_URL": throwaway_redis.url, "CELERY_QUEUE": "resilience"}
    # Saved (and their checks queued) while Redis is up, then Redis dies and forgets them.
    before = [
        int(i) for i in run_django(REGISTER.format(count=3, domain="aquaclear-uv.test"), broker).split()
    ]
    throwaway_redis.stop()
    # Saving never fails because the broker is down: the rows wait as "pending".
    during = [int(i) for i in run_django(REGISTER.format(count=5, domain="uv-technik.test"), broker).split()]
    assert Lead.objects.filter(pk__in=during, check_status=CheckStatus.PENDING).count() == 5
    throwaway_redis.start()  # empty: whatever was queued before is gone too
    with celery_worker(tmp_path, broker_env=env, queue="resilience", beat=True) as worker:
        ids = before + during
        done = Lead.objects.filter(pk__in=ids, check_status=CheckStatus.DONE)
        assert wait_for(lambda: done.count() == len(ids), timeout_s=90), worker.log()[-4000:]
    checked = Lead.objects.filter(pk__in=before + during)
    assert set(checked.values_list("company__website_verdict", flat=True)) == {"live"}
    assert all(attempts == 1 for attempts in checked.values_list("check_attempts", flat=True))


def test_check_of_a_killed_worker_completes_on_the_next_worker_exactly_once(
    tmp_path: Path, throwaway_redis: ThrowawayRedis, postgres_url: str, internet
) -> None:  # type: ignore[no-untyped-def]
    internet.load()
    internet.web.clear()
    env = {
        "REDIS_URL": throwaway_redis.url,
        **internet.env(http_timeout_s=10),
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }
    company = factories.CompanyFactory(domain="slow.test", website="slow.test")
    lead = factories.LeadFactory(company=company, contact=None)
    with celery_worker(tmp_path, broker_env=env) as first:
        send = f"from leads.tasks import verify_lead; verify_lead.apply_async(args=[{lead.pk}], queue={first.queue!r})"
        run_django(send, {"REDIS_URL": throwaway_redis.url})
        assert wait_for(lambda: internet.web.requests_for("slow.test"), timeout_s=30), first.log()[-3000:]
        assert Lead.objects.get(pk=lead.pk).check_status == CheckStatus.RUNNING
        first.kill()  # mid-check: the slow site has not answered yet
        queue = first.queue
    with celery_worker(tmp_path, broker_env=env, queue=queue) as second:
        done = Lead.objects.filter(pk=lead.pk, check_status=CheckStatus.DONE)
        assert wait_for(done.exists, timeout_s=60), second.log()[-4000:]
        time.sleep(2)  # room for a duplicate delivery to show itself
    lead.refresh_from_db()
    assert lead.check_attempts == 2  # the killed attempt, then the one that finished
    assert lead.checked_at is not None
    home_requests = [r for r in internet.web.requests_for("slow.test") if r.path == "/"]
    assert len(home_requests) == 2, "one fetch per attempt: the finished check ran exactly once"
