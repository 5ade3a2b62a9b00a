"""SMTP mailbox probe (I/O shell): ask a domain's mail host whether it would accept a recipient."""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from leads.verification.resolver import to_a_label


class SmtpOutcome(StrEnum):
    ACCEPTED = "accepted"  # RCPT TO got 2xx
    REJECTED = "rejected"  # RCPT TO got a 5xx saying the mailbox does not exist
    INCONCLUSIVE = "inconclusive"  # a permanent refusal that says nothing about the mailbox
    TEMP_FAILURE = "temp_failure"  # 4xx: greylisting, overload
    TIMEOUT = "timeout"  # connected, then a reply did not come in time
    CONNECTION_FAILED = "connection_failed"  # no mail host could be reached


@dataclass(frozen=True, slots=True)
class SmtpProbeConfig:
    helo_name: str
    mail_from: str  # "" sends the null reverse-path, MAIL FROM:<>
    timeout_s: float = 10.0  # per connect and per command
    port: int = 25
    # Mail host name -> addresses to connect to, as the caller resolved and
    # vetted them; a host missing here is connected to by name.
    host_addresses: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SmtpProbeResult:
    outcome: SmtpOutcome
    codes: tuple[int, ...] = ()  # every reply code of the conversation, in order
    is_catch_all: bool | None = None  # None: the random-recipient check did not conclude
    mx_host: str = ""  # the mail host that held the conversation
    message: str = ""  # text of the deciding reply or error, for people


# RFC 3463 enhanced status codes: "5.1.1" and friends at the start of the text.
_ENHANCED_STATUS = re.compile(r"^([245])\.(\d{1,3})\.(\d{1,3})\b")
# Permanent codes that speak about the recipient's address (RFC 5321 4.2.2):
# 550 mailbox unavailable, 551 user not local, 553 mailbox name not allowed.
_MAILBOX_CODES = frozenset({550, 551, 553})
# Block-list refusals often come as a bare 550, so the text is the only clue
# that the refusal is about the prober, not the mailbox.
_BLOCK_WORDS = (
    "spamhaus",
    "blocklist",
    "blacklist",
    "block list",
    "blocked",
    "reputation",
)


def classify_rcpt_reply(code: int, text: str) -> SmtpOutcome:
    """Say what one RCPT TO reply means for the recipient's mailbox.

    Only a permanent refusal about the address itself is REJECTED; policy
    blocks (5.7.x, block lists), a full mailbox (5.2.2) and unexpected
    codes are INCONCLUSIVE, so a block on the prober never condemns a lead.
    """
    if 200 <= code < 300:
        return SmtpOutcome.ACCEPTED
    if 400 <= code < 500:
        return SmtpOutcome.TEMP_FAILURE
    if not 500 <= code < 600:
        return SmtpOutcome.INCONCLUSIVE
    lowered = text.lower()
    if any(word in lowered for word in _BLOCK_WORDS):
        return SmtpOutcome.INCONCLUSIVE
    enhanced = _ENHANCED_STATUS.match(text.strip())
    if enhanced is not None:
        subject, detail = int(enhanced.group(2)), int(enhanced.group(3))
        # 5.7.x is policy, 5.2.2 a full mailbox, and 5.1.7/5.1.8 are about the
        # sender's address, not the recipient's.
        if subject == 7 or (subject, detail) in {(2, 2), (1, 7), (1, 8)}:
            return SmtpOutcome.INCONCLUSIVE
        if subject == 1 or (subject, detail) == (2, 1):  # bad address, or mailbox disabled
            return SmtpOutcome.REJECTED
    return SmtpOutcome.REJECTED if code in _MAILBOX_CODES else SmtpOutcome.INCONCLUSIVE


async def probe_mailbox(address: str, mx_hosts: Sequence[str], config: SmtpProbeConfig) -> SmtpProbeResult:
    """Ask the domain's mail hosts whether they accept `address`, without sending mail.

    `mx_hosts` must be in preference order (best first). The next host is
    tried only when a host cannot be reached or greets with a 4xx (RFC 5321
    5.1); any other answer is final. After the real recipient is accepted,
    a random recipient at the same domain tells whether the domain accepts
    everything (catch-all). Which addresses may be dialled is the caller's
    policy: this function connects only to the addresses in
    `config.host_addresses`, never resolving a name itself.
    """
    local_part, at_sign, domain = address.rpartition("@")
    if not (at_sign and local_part and domain):
        raise ValueError(f"not an email address: {address!r}")
    for text in (address, config.helo_name, config.mail_from):
        if "\r" in text or "\n" in text:
            raise ValueError("line breaks would inject SMTP commands")
    recipient = f"{local_part}@{to_a_label(domain)}"
    failures: list[SmtpProbeResult] = []
    for host in mx_hosts:
        # Only vetted addresses are dialled: resolving a name here would bypass the caller's address policy.
        targets = config.host_addresses.get(host, ())
        if not targets:
            message = f"{host}: no vetted address to connect to"
            failures.append(SmtpProbeResult(SmtpOutcome.CONNECTION_FAILED, mx_host=host, message=message))
        for target in targets:
            try:
                async with asyncio.timeout(config.timeout_s):
                    reader, writer = await asyncio.open_connection(target, config.port)
            except OSError as error:  # TimeoutError included
                message = f"{host} ({target}): {type(error).__name__}: {error}"
                failures.append(SmtpProbeResult(SmtpOutcome.CONNECTION_FAILED, mx_host=host, message=message))
                continue
            session = _Session(reader, writer, config.timeout_s)
            result, is_worth_next_host = await _converse(session, host, recipient, config)
            if not is_worth_next_host:
                return result
            failures.append(result)
    return _best_failure(failures)


def _best_failure(failures: list[SmtpProbeResult]) -> SmtpProbeResult:
    if not failures:
        return SmtpProbeResult(SmtpOutcome.CONNECTION_FAILED, message="no mail host to connect to")
    # A host that answered "try later" says more than hosts that never answered.
    for failure in failures:
        if failure.outcome is not SmtpOutcome.CONNECTION_FAILED:
            return failure
    return SmtpProbeResult(
        SmtpOutcome.CONNECTION_FAILED,
        mx_host=failures[-1].mx_host,
        message="; ".join(failure.message for failure in failures),
    )


class _ProtocolError(Exception):
    """The peer does not speak SMTP."""


class _Session:
    """One SMTP conversation over asyncio streams, every reply under a deadline."""

    _MAX_REPLY_LINES = 100  # a hostile server must not stream a reply forever

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        timeout_s: float,
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.timeout_s = timeout_s
        self.codes: list[int] = []

    async def reply(self) -> tuple[int, str]:
        lines: list[str] = []
        async with asyncio.timeout(self.timeout_s):
            while len(lines) < self._MAX_REPLY_LINES:
                raw = await self.reader.readline()
                if not raw:
                    raise ConnectionResetError("the server closed the connection")
                line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                if len(line) < 3 or not line[:3].isdigit() or (len(line) > 3 and line[3] not in " -"):
                    raise _ProtocolError(f"not an SMTP reply: {line[:80]!r}")
                lines.append(line[4:])
                if len(line) == 3 or line[3] == " ":
                    code = int(line[:3])
                    self.codes.append(code)
                    return code, "\n".join(lines)
        raise _ProtocolError("reply longer than the line limit")

    async def command(self, line: str) -> tuple[int, str]:
        self.writer.write(line.encode("utf-8") + b"\r\n")
        async with asyncio.timeout(self.timeout_s):
            await self.writer.drain()
        return await self.reply()

    async def close(self, *, is_polite: bool) -> None:
        with contextlib.suppress(OSError, _ProtocolError):
            if is_polite:
                await self.command("QUIT")
        self.writer.close()
        with contextlib.suppress(OSError):
            async with asyncio.timeout(self.timeout_s):
                await self.writer.wait_closed()


async def _converse(
    session: _Session, host: str, recipient: str, config: SmtpProbeConfig
) -> tuple[SmtpProbeResult, bool]:
    """Run greeting, EHLO, MAIL, RCPT (real), RCPT (random); return the result and whether to try the next host."""

    def result(outcome: SmtpOutcome, message: str, is_catch_all: bool | None = None) -> SmtpProbeResult:
        return SmtpProbeResult(outcome, tuple(session.codes), is_catch_all, host, message)

    is_polite = True
    try:
        code, text = await session.reply()
        if code != 220:
            # RFC 5321 5.1: a 4xx greeting means this host is busy; another MX may serve.
            return result(_refusal(code), text), 400 <= code < 500
        code, text = await session.command(f"EHLO {config.helo_name}")
        extensions: set[str] = set()
        if code == 250:
            extensions = {line.split(" ")[0].upper() for line in text.splitlines()[1:] if line}
        else:
            code, text = await session.command(f"HELO {config.helo_name}")
            if code != 250:
                return result(_refusal(code), text), False
        mail_parameters = ""
        if not recipient.isascii():
            # RFC 6531: a non-ASCII mailbox needs SMTPUTF8 end to end.
            if "SMTPUTF8" not in extensions:
                return result(SmtpOutcome.INCONCLUSIVE, "the server does not offer SMTPUTF8"), False
            mail_parameters = " SMTPUTF8"
        code, text = await session.command(f"MAIL FROM:<{config.mail_from}>{mail_parameters}")
        if code != 250:
            return result(_refusal(code), text), False
        code, text = await session.command(f"RCPT TO:<{recipient}>")
        outcome = classify_rcpt_reply(code, text)
        if outcome is SmtpOutcome.REJECTED:
            # It refused one address, so it does not accept everything.
            return result(outcome, text, is_catch_all=False), False
        if outcome is not SmtpOutcome.ACCEPTED:
            return result(outcome, text), False
        try:
            is_catch_all = await _accepts_random_recipient(session, recipient)
        except (OSError, _ProtocolError):
            # The real recipient was already accepted; a failed check only
            # leaves the catch-all question open.
            is_polite = False
            is_catch_all = None
        return result(SmtpOutcome.ACCEPTED, text, is_catch_all), False
    except TimeoutError:
        is_polite = False
        return result(SmtpOutcome.TIMEOUT, "no reply in time"), False
    except OSError as error:
        is_polite = False
        return result(SmtpOutcome.CONNECTION_FAILED, f"{type(error).__name__}: {error}"), False
    except _ProtocolError as error:
        is_polite = False
        return result(SmtpOutcome.INCONCLUSIVE, str(error)), False
    finally:
        await session.close(is_polite=is_polite)


async def _accepts_random_recipient(session: _Session, recipient: str) -> bool | None:
    domain = recipient.rpartition("@")[2]
    # 12 random hex digits: no real mailbox is named like this.
    code, text = await session.command(f"RCPT TO:<nx-{secrets.token_hex(6)}@{domain}>")
    outcome = classify_rcpt_reply(code, text)
    if outcome is SmtpOutcome.ACCEPTED:
        return True
    if outcome is SmtpOutcome.REJECTED:
        return False
    return None


def _refusal(code: int) -> SmtpOutcome:
    # Refusals before RCPT are about the session (policy, load), never the mailbox.
    return SmtpOutcome.TEMP_FAILURE if 400 <= code < 500 else SmtpOutcome.INCONCLUSIVE
