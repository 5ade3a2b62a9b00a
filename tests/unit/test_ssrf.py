"""SSRF guard: which addresses and URL targets the fetcher may contact."""

from __future__ import annotations

import ipaddress

import pytest

from leads.verification.ssrf import (
    AddressPolicy,
    Refusal,
    check_address,
    check_url_target,
    literal_address,
    parse_networks,
    refusals,
)

PUBLIC = AddressPolicy()
LOOPBACK_ALLOWED = AddressPolicy(allowed_networks=(ipaddress.ip_network("127.0.0.0/8"),))


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("8.8.8.8", None),
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
        ("0.0.0.0", Refusal.UNSPECIFIED),
        ("0.1.2.3", Refusal.UNSPECIFIED),
        ("127.0.0.1", Refusal.LOOPBACK),
        ("127.255.255.254", Refusal.LOOPBACK),
        ("10.0.0.1", Refusal.PRIVATE),
        ("172.16.0.1", Refusal.PRIVATE),
        ("172.31.255.255", Refusal.PRIVATE),
        ("172.32.0.1", None),
        ("192.168.1.1", Refusal.PRIVATE),
        ("100.64.0.1", Refusal.SHARED_ADDRESS_SPACE),
        ("100.127.255.255", Refusal.SHARED_ADDRESS_SPACE),
        ("169.254.169.254", Refusal.LINK_LOCAL),
        ("192.0.0.170", Refusal.RESERVED),
        ("192.0.2.1", Refusal.DOCUMENTATION),
        ("198.51.100.7", Refusal.DOCUMENTATION),
        ("203.0.113.9", Refusal.DOCUMENTATION),
        ("198.18.0.1", Refusal.BENCHMARKING),
        ("224.0.0.1", Refusal.MULTICAST),
        ("239.255.255.250", Refusal.MULTICAST),
        ("240.0.0.1", Refusal.RESERVED),
        ("255.255.255.255", Refusal.BROADCAST),
        ("::", Refusal.UNSPECIFIED),
        ("::1", Refusal.LOOPBACK),
        ("::ffff:127.0.0.1", Refusal.IPV4_MAPPED),
        ("::ffff:10.0.0.1", Refusal.IPV4_MAPPED),
        ("::ffff:169.254.169.254", Refusal.IPV4_MAPPED),
        ("::ffff:8.8.8.8", None),
        ("::127.0.0.1", Refusal.IPV4_COMPATIBLE),
        ("64:ff9b::7f00:1", Refusal.NAT64),
        ("64:ff9b:1::1", Refusal.NAT64),
        ("2002:7f00:1::1", Refusal.SIX_TO_FOUR),
        ("2002:808:808::1", None),
        ("2001::1", Refusal.TEREDO),
        ("2001:db8::1", Refusal.DOCUMENTATION),
        ("fc00::1", Refusal.PRIVATE),
        ("fd12:3456:789a::1", Refusal.PRIVATE),
        ("fe80::1", Refusal.LINK_LOCAL),
        ("fe80::1%eth0", Refusal.LINK_LOCAL),
        ("fec0::1", Refusal.SITE_LOCAL),
        ("ff02::1", Refusal.MULTICAST),
        ("100::1", Refusal.RESERVED),
        ("not-an-ip", Refusal.INVALID_ADDRESS),
        ("", Refusal.INVALID_ADDRESS),
    ],
)
def test_check_address_names_the_reason_for_each_special_range(
    address: str, expected: Refusal | None
) -> None:
    assert check_address(address, PUBLIC) == expected


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::ffff:127.0.0.1"])
def test_addresses_inside_allowed_networks_are_allowed_even_if_loopback(address: str) -> None:
    assert check_address(address, LOOPBACK_ALLOWED) is None


@pytest.mark.parametrize(
    ("address", "expected"),
    [("10.0.0.1", Refusal.PRIVATE), ("::1", Refusal.LOOPBACK), ("::ffff:10.0.0.1", Refusal.IPV4_MAPPED)],
)
def test_allowing_loopback_does_not_allow_other_private_ranges(address: str, expected: Refusal) -> None:
    assert check_address(address, LOOPBACK_ALLOWED) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0x7F.0X0.0.01", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("0x", "0.0.0.0"),
        ("169.254.43518", "169.254.169.254"),
        ("2852039166", "169.254.169.254"),
        ("[::1]", "::1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("::1", "::1"),
    ],
)
def test_literal_address_reads_every_spelling_browsers_accept(host: str, expected: str) -> None:
    assert str(literal_address(host)) == expected


@pytest.mark.parametrize(
    "host", ["example.com", "www.acme-uv.test", "xn--bcher-kva.de", "1password.com", "a1.b2"]
)
def test_literal_address_leaves_dns_names_alone(host: str) -> None:
    assert literal_address(host) is None


@pytest.mark.parametrize(
    "host", ["1.2.3.4.5", "256.1.1.1", "1.1.1.256", "4294967296", "09.1.1.1", "foo.09", "foo.0x1"]
)
def test_literal_address_rejects_numeric_hosts_that_are_not_addresses(host: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        literal_address(host)


@pytest.mark.parametrize(
    ("scheme", "host", "port", "expected"),
    [
        ("https", "example.com", 443, None),
        ("http", "example.com", 8080, None),
        ("HTTP", "example.com", 80, None),
        ("file", "example.com", 80, Refusal.SCHEME_NOT_ALLOWED),
        ("gopher", "example.com", 70, Refusal.SCHEME_NOT_ALLOWED),
        ("ftp", "example.com", 21, Refusal.SCHEME_NOT_ALLOWED),
        ("http", "example.com", 22, Refusal.PORT_NOT_ALLOWED),
        ("http", "example.com", 25, Refusal.PORT_NOT_ALLOWED),
        ("http", "example.com", 6379, Refusal.PORT_NOT_ALLOWED),
        ("http", "2130706433", 80, Refusal.LOOPBACK),
        ("http", "0177.0.0.1", 80, Refusal.LOOPBACK),
        ("http", "0x7f.0.0.1", 80, Refusal.LOOPBACK),
        ("http", "127.1", 80, Refusal.LOOPBACK),
        ("http", "0.0.0.0", 80, Refusal.UNSPECIFIED),
        ("http", "[::1]", 80, Refusal.LOOPBACK),
        ("http", "[::ffff:127.0.0.1]", 80, Refusal.IPV4_MAPPED),
        ("http", "169.254.169.254", 80, Refusal.LINK_LOCAL),
        ("http", "2852039166", 80, Refusal.LINK_LOCAL),
        ("http", "10.1.1.1", 80, Refusal.PRIVATE),
        ("http", "1.2.3.4.5", 80, Refusal.INVALID_HOST),
        ("http", "", 80, Refusal.INVALID_HOST),
        ("http", "exa mple.com", 80, Refusal.INVALID_HOST),
        ("http", "8.8.8.8", 80, None),
    ],
)
def test_check_url_target_refuses_odd_schemes_ports_and_disguised_addresses(
    scheme: str, host: str, port: int, expected: Refusal | None
) -> None:
    assert check_url_target(scheme, host, port, PUBLIC) == expected


def test_check_url_target_allows_disguised_loopback_only_when_loopback_is_allowed() -> None:
    assert check_url_target("http", "0x7f.1", 80, LOOPBACK_ALLOWED) is None


def test_custom_ports_replace_the_defaults() -> None:
    policy = AddressPolicy(allowed_ports=frozenset({8443}))
    assert check_url_target("https", "example.com", 443, policy) == Refusal.PORT_NOT_ALLOWED
    assert check_url_target("https", "example.com", 8443, policy) is None


def test_refusals_lists_every_forbidden_address_of_a_mixed_answer() -> None:
    assert refusals(["8.8.8.8", "10.1.2.3", "::1"], PUBLIC) == (
        ("10.1.2.3", Refusal.PRIVATE),
        ("::1", Refusal.LOOPBACK),
    )


def test_parse_networks_reads_comma_or_space_separated_cidrs() -> None:
    assert parse_networks("127.0.0.0/8, ::1/128  10.0.0.0/8") == (
        ipaddress.ip_network("127.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
        ipaddress.ip_network("10.0.0.0/8"),
    )
    assert parse_networks("  ") == ()
