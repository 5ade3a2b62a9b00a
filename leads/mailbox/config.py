"""Which sales mailboxes to poll and how to reach them, read from LEADS_MAILBOXES and per-mailbox variables.

LEADS_MAILBOXES is a comma list of names ("sales,china") or a JSON list of objects ({"name": "sales",
"host": ..., "port": ..., "user": ..., "ssl": ..., "folder": ...}); anything an object leaves out comes
from LEADS_MAILBOX_<NAME>_HOST / _PORT / _USER / _PASSWORD / _SSL / _FOLDER / _CA_FILE. Passwords
come only from the environment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

_NAME = re.compile(r"^[A-Za-z0-9_]{1,40}$")
_SECURITY = {
    "": "ssl",
    "1": "ssl",
    "true": "ssl",
    "yes": "ssl",
    "on": "ssl",
    "ssl": "ssl",
    "tls": "ssl",
    "imaps": "ssl",
    "starttls": "starttls",
    "0": "plain",
    "false": "plain",
    "no": "plain",
    "off": "plain",
    "plain": "plain",
}
DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "plain": 143}


@dataclass(frozen=True, slots=True)
class MailboxSettings:
    name: str
    host: str
    port: int
    user: str
    password: str
    security: str  # "ssl" (implicit TLS), "starttls", or "plain" (tests on loopback only)
    folder: str = "INBOX"
    ca_file: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "security": self.security,
            "folder": self.folder,
            "ca_file": self.ca_file,
        }


def parse_mailboxes(raw: str, environ: Mapping[str, str]) -> list[MailboxSettings]:
    """The configured mailboxes; ValueError naming the variable when one is incomplete or malformed."""
    text = raw.strip()
    if not text:
        return []
    items: list[Mapping[str, object]]
    if text.startswith("["):
        try:
            loaded = json.loads(text)
        except ValueError as error:
            raise ValueError(f"LEADS_MAILBOXES is not valid JSON: {error}") from None
        if not isinstance(loaded, list) or not all(isinstance(item, dict) for item in loaded):
            raise ValueError("LEADS_MAILBOXES must be a JSON list of objects")
        items = loaded
    else:
        items = [{"name": name.strip()} for name in text.split(",") if name.strip()]
    mailboxes = [_mailbox(item, environ) for item in items]
    names = [mailbox.name for mailbox in mailboxes]
    if len(set(names)) != len(names):
        raise ValueError("LEADS_MAILBOXES names a mailbox twice")
    return mailboxes


def _mailbox(item: Mapping[str, object], environ: Mapping[str, str]) -> MailboxSettings:
    name = str(item.get("name", "")).strip()
    if not _NAME.match(name):
        raise ValueError(f"LEADS_MAILBOXES: mailbox name {name!r} must be letters, digits or _")
    prefix = f"LEADS_MAILBOX_{name.upper()}_"

    def value(key: str, default: str = "") -> str:
        given = item.get(key)
        if given is not None and str(given).strip():
            return str(given).strip()
        return environ.get(prefix + key.upper(), default).strip()

    security_text = value("ssl").lower()
    if security_text not in _SECURITY:
        raise ValueError(f"{prefix}SSL must be ssl, starttls or plain, got {security_text!r}")
    security = _SECURITY[security_text]
    port_text = value("port")
    try:
        port = int(port_text) if port_text else DEFAULT_PORTS[security]
    except ValueError:
        raise ValueError(f"{prefix}PORT must be a number, got {port_text!r}") from None
    if not 0 < port < 65536:
        raise ValueError(f"{prefix}PORT must be 1..65535, got {port}")
    host = value("host")
    user = value("user")
    if not host or not user:
        raise ValueError(f"{prefix}HOST and {prefix}USER must be set for mailbox {name!r}")
    return MailboxSettings(
        name=name,
        host=host,
        port=port,
        user=user,
        password=environ.get(prefix + "PASSWORD", ""),
        security=security,
        folder=value("folder", "INBOX"),
        ca_file=value("ca_file"),
    )
