"""Settings come from the environment with safe local defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'broker': s.CELERY_BROKER_URL, "
    "'cache': s.CACHES['default']['BACKEND'], 'tz': s.SALES_OFFICE_TZ, 'debug': s.DEBUG, "
    "'eager': getattr(s, 'CELERY_TASK_ALWAYS_EAGER', False), 'acks_late': s.CELERY_TASK_ACKS_LATE, "
    "'allowed': [str(n) for n in s.LEADS_FETCH_ALLOWED_NETWORKS], 'smtp': s.LEADS_SMTP_PROBE}))"
)


def _settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "LEADS_", "DATA_DIR"))
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_bare_machine_defaults_to_sqlite_and_a_file_broker(tmp_path: Path) -> None:
    import json

    result = _settings(tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["broker"] == "filesystem://"
    assert values["tz"] == "Asia/Shanghai"
    assert values["eager"] is False
    assert values["acks_late"] is True
    assert values["smtp"] is False
    assert (tmp_path / "dev-secret-key").exists()


def test_services_come_from_database_url_and_redis_url(tmp_path: Path) -> None:
    import json

    result = _settings(
        tmp_path,
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/3",
        LEADS_FETCH_ALLOWED_NETWORKS="127.0.0.0/8",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["broker"] == "redis://127.0.0.1:6379/3"
    assert values["cache"].endswith("RedisCache")
    assert values["allowed"] == ["127.0.0.0/8"]


def test_debug_off_without_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = _settings(tmp_path, DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_boolean_is_a_clear_error(tmp_path: Path) -> None:
    result = _settings(tmp_path, LEADS_SMTP_PROBE="maybe")
    assert result.returncode != 0
    assert "LEADS_SMTP_PROBE must be a boolean" in result.stderr


def test_bad_network_is_a_clear_error(tmp_path: Path) -> None:
    result = _settings(tmp_path, LEADS_FETCH_ALLOWED_NETWORKS="not-a-network")
    assert result.returncode != 0
    assert "LEADS_FETCH_ALLOWED_NETWORKS" in result.stderr
