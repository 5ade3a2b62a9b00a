"""`manage.py qualify --batch` as a script runs it: a real process against the fake internet, with worker processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests import celery_worker
from tests.fakenet.internet import FakeInternet

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LEADS = [
    {"id": "a-1", "email": "anna@aquaclear-uv.test", "website": "aquaclear-uv.test"},
    {"id": 2, "email": "jens@uv-technik.test"},
    {"id": 3, "website": "parked.test"},
    {"id": None, "email": "boss@nxdomain.test", "website": "nxdomain.test"},
    {"id": 5, "website": "status-404.test", "message": "UV lamps, 500 pcs"},
    {"id": 6, "email": "li@guangming-uv.test", "website": "guangming-uv.test"},
]
WEBSITE_VERDICTS = ["live", "live", "parked", "dead", "dead", "live"]


def run_qualify(internet: FakeInternet, batch: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **internet.env(),
        "DATABASE_URL": celery_worker.worker_database_url(),
        "DATA_DIR": str(settings.DATA_DIR),
        "REDIS_URL": "",
    }
    command = [sys.executable, "manage.py", "qualify", "--batch", str(batch), *options]
    return subprocess.run(
        command, cwd=celery_worker.ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def write_batch(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def judged(output: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    for line in lines:
        line.pop("elapsed_ms", None)  # the only field that differs between two runs
    return lines


def test_worker_processes_print_every_lead_in_input_order_with_its_id(
    online: FakeInternet, tmp_path: Path
) -> None:
    batch = write_batch(tmp_path / "leads.jsonl", [json.dumps(lead) for lead in LEADS])
    finished = run_qualify(online, batch, "--processes", "2", "--concurrency", "4")
    assert finished.returncode == 0, finished.stderr
    lines = judged(finished.stdout)
    assert [line["id"] for line in lines] == [lead["id"] for lead in LEADS]
    assert [line["website"]["verdict"] for line in lines] == WEBSITE_VERDICTS


def test_worker_processes_judge_exactly_as_one_process_does(online: FakeInternet, tmp_path: Path) -> None:
    batch = write_batch(tmp_path / "leads.jsonl", [json.dumps(lead) for lead in LEADS])
    alone = run_qualify(online, batch, "--processes", "1")
    shared = run_qualify(online, batch, "--processes", "3", "--concurrency", "2")
    assert alone.returncode == shared.returncode == 0, alone.stderr + shared.stderr
    assert judged(shared.stdout) == judged(alone.stdout)


def test_an_unreadable_line_is_reported_by_number_and_the_other_lines_are_judged(
    online: FakeInternet, tmp_path: Path
) -> None:
    batch = write_batch(
        tmp_path / "leads.jsonl",
        [
            json.dumps(LEADS[0]),
            "{not json",
            "",
            json.dumps({"id": 9, "website": "parked.test", "phone": "+49 711 0"}),
            json.dumps(LEADS[2]),
        ],
    )
    finished = run_qualify(online, batch, "--processes", "2")
    assert finished.returncode == 1
    lines = judged(finished.stdout)
    assert [line["id"] for line in lines] == ["a-1", None, 9, 3]
    assert [line.get("line") for line in lines] == [None, 2, 4, None]
    assert lines[1]["error"].startswith("not valid JSON")
    assert lines[2]["error"] == "unknown field(s): phone"
    assert [lines[0]["website"]["verdict"], lines[3]["website"]["verdict"]] == ["live", "parked"]
    assert finished.stderr.splitlines() == [f"line 2: {lines[1]['error']}", "line 4: unknown field(s): phone"]
