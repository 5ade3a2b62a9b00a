"""Start a real Celery worker process against the test database, for integration tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent


def worker_database_url() -> str:
    """A DATABASE_URL for the database this test session really uses (pytest-django's test copy)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, process: subprocess.Popen[bytes], log_path: Path, queue: str) -> None:
        self.process = process
        self.log_path = log_path
        self.queue = queue

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children), as a crashed machine would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@contextmanager
def celery_worker(
    tmp_path: Path,
    *,
    broker_env: dict[str, str],
    queue: str | None = None,
    extra_env: dict[str, str] | None = None,
    concurrency: int = 1,
    beat: bool = False,
    ready_timeout_s: float = 40.0,
) -> Iterator[Worker]:
    """Run `celery worker` in a subprocess; by default on this test session's queue, where this process sends."""
    queue = queue or app.conf.task_default_queue
    env = {**os.environ, **broker_env, **(extra_env or {})}
    env["DATABASE_URL"] = worker_database_url()
    env["CELERY_QUEUE"] = queue
    env.setdefault("DATA_DIR", str(settings.DATA_DIR))
    if not env.get("LEADS_DNS_NAMESERVERS"):
        env["LEADS_DNS_NAMESERVERS"] = "127.0.0.1:9"  # never the machine's resolver
    log_path = tmp_path / f"worker-{queue}.log"
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", f"--concurrency={concurrency}",
        "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    if beat:
        command += ["--beat", "--schedule", str(tmp_path / f"beat-{queue}")]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = Worker(process, log_path, queue)
    try:
        deadline = time.monotonic() + ready_timeout_s
        while "ready." not in worker.log():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Celery worker did not start:\n" + worker.log()[-4000:])
            time.sleep(0.2)
        yield worker
    finally:
        worker.stop()


def wait_for(predicate, timeout_s: float = 30.0, interval_s: float = 0.2) -> bool:  # type: ignore[no-untyped-def]
    """Poll until predicate() is truthy; False on timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval_s)
    return bool(predicate())
