"""Pytest fixtures for the fake web: servers, a dict-backed resolver, fetch policies and TLS trust.

Load them with `pytest_plugins = ["tests.fakenet.web_fixtures"]` in a test module
or the root conftest.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator

import pytest

from leads.verification.fetch import FetchLimits, tls_context
from leads.verification.ssrf import DEFAULT_PORTS, AddressPolicy
from tests.fakenet.web_server import WEB_ADDRESS_BOOK, FakeWeb, RebindingResolver, TableResolver

__all__ = ["RebindingResolver", "TableResolver"]

LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"),)


@pytest.fixture(scope="session")
def fake_web() -> Iterator[FakeWeb]:
    with FakeWeb() as web:
        yield web


@pytest.fixture
def web(fake_web: FakeWeb) -> Iterator[FakeWeb]:
    """The session's fake web with empty request records and no added latency."""
    fake_web.clear()
    fake_web.latency_s = 0.0
    yield fake_web
    fake_web.latency_s = 0.0


@pytest.fixture
def web_resolver() -> TableResolver:
    return TableResolver(WEB_ADDRESS_BOOK)


@pytest.fixture
def web_tls(fake_web: FakeWeb) -> ssl.SSLContext:
    """Trusts certifi's roots plus the fake web's test CA."""
    return tls_context(fake_web.ca_path)


@pytest.fixture
def loopback_policy(fake_web: FakeWeb) -> AddressPolicy:
    """The test-internet policy: 127.0.0.0/8 allowed, default ports plus the blackhole's."""
    return AddressPolicy(allowed_networks=LOOPBACK, allowed_ports=DEFAULT_PORTS | {fake_web.blackhole_port})


@pytest.fixture
def strict_policy() -> AddressPolicy:
    """The production policy: public addresses only, so the loopback fake web itself is forbidden."""
    return AddressPolicy()


@pytest.fixture
def fast_limits() -> FetchLimits:
    return FetchLimits(connect_timeout_s=1.0, read_timeout_s=1.0, total_timeout_s=4.0)
