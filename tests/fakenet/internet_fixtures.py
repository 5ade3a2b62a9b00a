"""Pytest fixtures: the fake internet for the whole session, and Django settings aimed at it per test."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest

from tests.fakenet.internet import FakeInternet


@pytest.fixture(scope="session")
def internet() -> Iterator[FakeInternet]:
    with FakeInternet() as net:
        yield net


@pytest.fixture
def online(internet: FakeInternet, settings) -> FakeInternet:  # type: ignore[no-untyped-def]
    """Django settings aimed at the fake internet (fresh zone and records for each test)."""
    internet.load()
    internet.web.clear()
    env = internet.env()
    settings.LEADS_DNS_NAMESERVERS = env["LEADS_DNS_NAMESERVERS"]
    settings.LEADS_FETCH_ALLOWED_NETWORKS = (ipaddress.ip_network(env["LEADS_FETCH_ALLOWED_NETWORKS"]),)
    settings.LEADS_CA_BUNDLE = env["LEADS_CA_BUNDLE"]
    settings.LEADS_FETCH_PORT_MAP = dict(internet.web.port_map)
    settings.LEADS_HTTP_TIMEOUT = float(env["LEADS_HTTP_TIMEOUT"])
    settings.LEADS_DNS_TIMEOUT = float(env["LEADS_DNS_TIMEOUT"])
    settings.LEADS_SMTP_PORT = internet.smtp.port
    settings.LEADS_ALLOW_TEST_DOMAINS = True
    return internet
