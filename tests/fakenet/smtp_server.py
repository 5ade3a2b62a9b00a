"""A fake SMTP server on 127.0.0.1 for tests: per-domain recipient policies, no mail stored."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterable
from enum import StrEnum
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

from leads.verification.resolver import to_a_label

_START_ATTEMPTS = 5


class DomainPolicy(StrEnum):
    MAILBOXES = "mailboxes"  # accept the known mailboxes, 550 5.1.1 for anyone else
    CATCH_ALL = "catch_all"  # accept every recipient
    GREYLIST = "greylist"  # 451 4.7.1 for every recipient, as greylisting does
    SLOW = "slow"  # stall before answering RCPT, to provoke client timeouts
    BLOCKLISTED = "blocklisted"  # 550 5.7.1: the client is on a block list


# Unknown domains get what a real MX says to strangers: no relaying.
_RELAY_DENIED = "554 5.7.1 Relay access denied"


class FakeSmtpServer:
    """An aiosmtpd server whose RCPT answers depend on the recipient's domain.

    Use as a context manager or call start()/stop(). Configure domains with
    set_domain() and add_mailbox(); recipients_seen lists every RCPT TO
    address received, in order.
    """

    def __init__(self, host: str = "127.0.0.1", *, stall_s: float = 30.0) -> None:
        self.host = host
        self.stall_s = stall_s  # how long a SLOW domain holds its RCPT answer
        self._policies: dict[str, DomainPolicy] = {}
        self._mailboxes: set[str] = set()
        self._recipients_seen: list[str] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> FakeSmtpServer:
        """Listen on a free loopback port in a background thread."""
        if self._controller is not None:
            return self
        last_error: Exception | None = None
        for _ in range(_START_ATTEMPTS):
            controller = Controller(
                _Handler(self),
                hostname=self.host,
                port=_free_port(self.host),
                ready_timeout=5.0,
            )
            try:
                controller.start()
            except (OSError, RuntimeError) as error:
                # The port was taken between probing and binding: pick another.
                last_error = error
                continue
            self._controller = controller
            return self
        raise RuntimeError(f"could not start the fake SMTP server: {last_error}")

    def stop(self) -> None:
        """Stop listening and drop open conversations."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> FakeSmtpServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._controller is None:
            raise RuntimeError("the fake SMTP server is not running")
        return int(self._controller.port)

    def set_domain(self, domain: str, policy: DomainPolicy, mailboxes: Iterable[str] = ()) -> None:
        """Set how a domain answers RCPT; `mailboxes` are local parts that exist there."""
        normal_domain = to_a_label(domain)
        with self._lock:
            self._policies[normal_domain] = policy
            self._mailboxes.update(f"{local_part.lower()}@{normal_domain}" for local_part in mailboxes)

    def add_mailbox(self, address: str) -> None:
        """Make one mailbox exist; its domain gets the MAILBOXES policy unless it has one."""
        local_part, _, domain = address.rpartition("@")
        normal_domain = to_a_label(domain)
        with self._lock:
            self._policies.setdefault(normal_domain, DomainPolicy.MAILBOXES)
            self._mailboxes.add(f"{local_part.lower()}@{normal_domain}")

    def reset(self) -> None:
        """Forget every domain, mailbox and seen recipient."""
        with self._lock:
            self._policies.clear()
            self._mailboxes.clear()
            self._recipients_seen.clear()

    @property
    def recipients_seen(self) -> list[str]:
        with self._lock:
            return list(self._recipients_seen)

    def rcpt_reply(self, address: str) -> tuple[DomainPolicy | None, str]:
        """The policy and the reply line for one RCPT TO address."""
        local_part, _, domain = address.rpartition("@")
        try:
            normal_domain = to_a_label(domain)
        except ValueError:
            return None, "501 5.1.3 Bad recipient address syntax"
        with self._lock:
            self._recipients_seen.append(address)
            policy = self._policies.get(normal_domain)
            exists = f"{local_part.lower()}@{normal_domain}" in self._mailboxes
        if policy is None:
            return None, _RELAY_DENIED
        if policy is DomainPolicy.GREYLIST:
            return policy, "451 4.7.1 Greylisted, please try again later"
        if policy is DomainPolicy.BLOCKLISTED:
            return (
                policy,
                "550 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org",
            )
        if policy is DomainPolicy.MAILBOXES and not exists:
            return (
                policy,
                f"550 5.1.1 <{address}>: Recipient address rejected: User unknown",
            )
        return policy, "250 2.1.5 OK"


class _Handler:
    """aiosmtpd handler hooks; answers come from the owning FakeSmtpServer."""

    def __init__(self, server: FakeSmtpServer) -> None:
        self._server = server

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self,
        server: Any,
        session: Any,
        envelope: Any,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        policy, reply = self._server.rcpt_reply(address)
        if policy is DomainPolicy.SLOW:
            await asyncio.sleep(self._server.stall_s)
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        # A probe never sends DATA; refusing it keeps the fake from pretending to deliver.
        return "554 5.7.1 This test server does not take messages"


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
