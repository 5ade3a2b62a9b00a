"""Settings: every knob comes from the environment (see .env.example), with local defaults.

Defaults run on a bare machine: SQLite and Celery's filesystem broker in DATA_DIR.
"""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_list, env_str
from leads.mailbox.config import parse_mailboxes

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR") or BASE_DIR / "data")
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # A development key is made once and kept, so sessions survive restarts.
    key_file = DATA_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "channels_ref",
    "leads",
    "followups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.office_time_zone",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "leads.context_processors.user_roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if not IS_POSTGRES:
    # SQLite is shared by the web server and the worker: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The dashboard's covering index (INCLUDE columns) is a PostgreSQL speed-up; SQLite builds it as a plain
    # index, which is all development needs, so its warning on every command says nothing useful.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "leads:board"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
SALES_OFFICE_TZ = env_str("SALES_OFFICE_TZ", "Asia/Shanghai")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic's target; left unset in development so WhiteNoise does not look for a missing folder.
STATIC_ROOT = BASE_DIR / "staticfiles" if (not DEBUG or (BASE_DIR / "staticfiles").exists()) else None
# Static files are served from the source folders, so no collectstatic step is needed to start.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or DATA_DIR / "media")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sales@localhost")

# --- Redis, cache and Celery -------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    # An unacknowledged message (its worker died) is redelivered after this many seconds; workers look for
    # such messages every few seconds (kombu's default sweep period is 100 s).
    _visibility_s = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _visibility_s,
        "unacked_restore_interval": max(1, min(10, _visibility_s // 3)),
        "unacked_restore_throttle": 1,
    }
else:
    # No server needed: the cache and the broker live in files, shared by web and worker.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
    _broker_dir = DATA_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # results land in the database, not in a result backend
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "sweep-stale-checks": {
        "task": "leads.tasks.sweep_checks",
        "schedule": float(env_int("LEADS_SWEEP_INTERVAL_S", 120)),
    },
}

# --- Verification knobs --------------------------------------------------------


def _networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in env_list(name))
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None


LEADS_DNS_NAMESERVERS = env_str("LEADS_DNS_NAMESERVERS")  # "host:port,host"; empty: system resolver
LEADS_FETCH_ALLOWED_NETWORKS = _networks("LEADS_FETCH_ALLOWED_NETWORKS")
LEADS_CA_BUNDLE = env_str("LEADS_CA_BUNDLE")
LEADS_HTTP_TIMEOUT = env_float("LEADS_HTTP_TIMEOUT", 10.0)
LEADS_DNS_TIMEOUT = env_float("LEADS_DNS_TIMEOUT", 5.0)
LEADS_SMTP_PROBE = env_bool("LEADS_SMTP_PROBE", False)
LEADS_SMTP_PORT = env_int("LEADS_SMTP_PORT", 25)
LEADS_SMTP_HELO = env_str("LEADS_SMTP_HELO", "localhost")
LEADS_SMTP_MAIL_FROM = env_str("LEADS_SMTP_MAIL_FROM", DEFAULT_FROM_EMAIL)
LEADS_CHECK_CONCURRENCY = env_int("LEADS_CHECK_CONCURRENCY", 20)


def _port_map(name: str) -> dict[int, int]:
    """ "80:18080,443:18443": where to connect for a URL's port (test and benchmark fake internets only)."""
    mapping = {}
    for item in env_list(name):
        source, _, target = item.partition(":")
        if not (source.isdigit() and target.isdigit()):
            raise ImproperlyConfigured(f"{name}: expected PORT:PORT pairs, got {item!r}")
        mapping[int(source)] = int(target)
    return mapping


LEADS_FETCH_PORT_MAP = _port_map("LEADS_FETCH_PORT_MAP")
# Tests and benchmarks only: accept email addresses at .test, the fake internet's domains.
LEADS_ALLOW_TEST_DOMAINS = env_bool("LEADS_ALLOW_TEST_DOMAINS", False)
LEADS_CHECK_MAX_ATTEMPTS = env_int("LEADS_CHECK_MAX_ATTEMPTS", 6)
# A check "running" longer than this is presumed dead (its worker was killed) and re-queued by the sweeper.
LEADS_CHECK_STUCK_AFTER_S = env_int("LEADS_CHECK_STUCK_AFTER_S", CELERY_TASK_TIME_LIMIT + 60)
# A pending check not picked up after this long is presumed lost with its broker message and sent again.
LEADS_CHECK_LOST_AFTER_S = env_int("LEADS_CHECK_LOST_AFTER_S", 90)
LEADS_POOL_RELEASE_DAYS = env_int("LEADS_POOL_RELEASE_DAYS", 14)
LEADS_CLAIM_LIMIT = env_int("LEADS_CLAIM_LIMIT", 200)

# --- Follow-up cadence (followups/scheduler.py) -------------------------------------
try:
    LEADS_CADENCE_STEPS = [int(days) for days in env_list("LEADS_CADENCE_STEPS", "2,5,10")]
except ValueError:
    raise ImproperlyConfigured(
        "LEADS_CADENCE_STEPS must be business days separated by commas, e.g. 2,5,10"
    ) from None
if not LEADS_CADENCE_STEPS or min(LEADS_CADENCE_STEPS) < 1:
    raise ImproperlyConfigured("LEADS_CADENCE_STEPS needs at least one step of one business day or more")
LEADS_CADENCE_EMAILS_BEFORE_IM = env_int("LEADS_CADENCE_EMAILS_BEFORE_IM", 2)
LEADS_VACATION_HOLD_DAYS = env_int("LEADS_VACATION_HOLD_DAYS", 7)
LEADS_SCHEDULER_BATCH = env_int("LEADS_SCHEDULER_BATCH", 1000)
CELERY_BEAT_SCHEDULE["followup-scheduler"] = {
    "task": "followups.tasks.run_followup_scheduler",
    "schedule": env_float("LEADS_SCHEDULER_INTERVAL_S", 300.0),
}
# Writes that bypass log_activity (bulk loads, cascades, raw SQL) are folded into the dashboard's reply facts.
CELERY_BEAT_SCHEDULE["refresh-reply-stats"] = {
    "task": "followups.tasks.refresh_reply_stats",
    "schedule": env_float("LEADS_REPLY_STATS_INTERVAL_S", 86400.0),
}


# --- Getting inquiries in: imports, the sales mailbox, the website API ----------------
LEADS_IMPORT_MAX_BYTES = env_int("LEADS_IMPORT_MAX_BYTES", 100 * 1024 * 1024)
LEADS_IMPORT_MAX_ROWS = env_int("LEADS_IMPORT_MAX_ROWS", 1_000_000)
try:
    LEADS_MAILBOXES = [box.as_dict() for box in parse_mailboxes(env_str("LEADS_MAILBOXES"), os.environ)]
except ValueError as _error:
    raise ImproperlyConfigured(str(_error)) from None
LEADS_MAILBOX_MARK_SEEN = env_bool("LEADS_MAILBOX_MARK_SEEN", False)
LEADS_MAILBOX_MAX_MESSAGE_BYTES = env_int("LEADS_MAILBOX_MAX_MESSAGE_BYTES", 25 * 1024 * 1024)
LEADS_MAILBOX_MAX_ATTACHMENT_BYTES = env_int("LEADS_MAILBOX_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
LEADS_MAILBOX_BATCH = env_int("LEADS_MAILBOX_BATCH", 200)
LEADS_MAILBOX_TIMEOUT = env_float("LEADS_MAILBOX_TIMEOUT", 30.0)
LEADS_API_RATE_LIMIT = env_int("LEADS_API_RATE_LIMIT", 60)
LEADS_API_MAX_BODY_BYTES = env_int("LEADS_API_MAX_BODY_BYTES", 64 * 1024)
CELERY_BEAT_SCHEDULE["poll-mailboxes"] = {"task": "leads.import_tasks.poll_mailboxes", "schedule": 120.0}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Integration tests give each run its own queue so stray messages never cross runs.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
if not IS_POSTGRES:
    # A file, not memory, so a worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-db.sqlite3")}
