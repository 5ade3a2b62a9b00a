"""Shared fixtures: users per role, service checks, and the REQUIRE_SERVICES switch for CI."""

from __future__ import annotations

import os
import socket
import uuid
from urllib.parse import urlparse

import pytest

from config.celery import app as celery_app
from tests import factories

# One queue per test session, set before anything is sent: workers started by the tests consume from it, and
# nothing crosses over from other sessions. (Celery caches its queue table on first use, so this must come first.)
celery_app.conf.task_default_queue = f"tests-{uuid.uuid4().hex[:10]}"

pytest_plugins = ["tests.fakenet.internet_fixtures", "tests.fakenet.web_fixtures", "tests.fakenet.fixtures"]

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def need_service(name: str, env_var: str, default_port: int) -> str:
    """The service's URL, or skip (fail in CI, where REQUIRE_SERVICES=1) when it is not configured or down."""
    url = os.environ.get(env_var, "")
    problem = ""
    if not url:
        problem = f"{env_var} is not set"
    elif not _reachable(url, default_port):
        problem = f"{name} at {url} is not reachable"
    if problem:
        if REQUIRE_SERVICES:
            pytest.fail(f"{name} required (REQUIRE_SERVICES=1): {problem}")
        pytest.skip(problem)
    return url


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Tests with database access find the roles, channels and keyword lists the migrations created."""
    marker = request.node.get_closest_marker("django_db")
    is_transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        is_transactional = True
    if not (is_transactional or marker is not None or "db" in request.fixturenames):
        return
    request.getfixturevalue("transactional_db" if is_transactional else "db")
    from tests.reference_data import ensure_reference_data

    ensure_reference_data()


@pytest.fixture(autouse=True)
def _no_real_dns(settings) -> None:  # type: ignore[no-untyped-def]
    """Never ask the machine's resolver: an unconfigured look-up goes to a closed loopback port."""
    if not settings.LEADS_DNS_NAMESERVERS:
        settings.LEADS_DNS_NAMESERVERS = "127.0.0.1:9"


@pytest.fixture
def redis_url() -> str:
    return need_service("Redis", "REDIS_URL", 6379)


@pytest.fixture
def postgres_url() -> str:
    url = need_service("PostgreSQL", "DATABASE_URL", 5432)
    if not url.startswith(("postgres://", "postgresql://")):
        message = "DATABASE_URL is not PostgreSQL"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def rep(db):  # type: ignore[no-untyped-def]
    return factories.user_with_role("rep")


@pytest.fixture
def other_rep(db):  # type: ignore[no-untyped-def]
    return factories.user_with_role("rep")


@pytest.fixture
def manager(db):  # type: ignore[no-untyped-def]
    return factories.user_with_role("manager")


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    return factories.user_with_role("admin")
