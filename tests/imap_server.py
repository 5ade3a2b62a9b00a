"""A private dovecot IMAP server on 127.0.0.1 for mailbox tests, and real-looking mail to seed it with.

`dovecot_server(tmp)` writes a config into its own folder (listener on a free loopback port, plaintext
login allowed there, users from a passwd-file, Maildir storage, logs and sockets all inside the folder)
and runs `dovecot -F` as a child process. As root, dovecot's login and internal processes run as its
unprivileged system users and mail is stored as `nobody`; as any other user everything runs as that
user. With TLS on, a trustme CA signs the server certificate and the IMAPS port is served too.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "sales@uv-factory.example"
PASSWORD = "imap-pw-for-tests-only"


@dataclass(frozen=True, slots=True)
class ImapServer:
    host: str
    port: int
    tls_port: int  # 0 when started without TLS
    user: str
    password: str
    ca_file: str  # the trustme CA that signed the server certificate; "" without TLS
    folder: Path
    process: subprocess.Popen[bytes]

    def client(self) -> imaplib.IMAP4:
        imap = imaplib.IMAP4(self.host, self.port, timeout=10)
        imap.login(self.user, self.password)
        return imap

    def append(self, raw: bytes, mailbox: str = "INBOX", flags: str = "") -> None:
        imap = self.client()
        try:
            status, data = imap.append(mailbox, flags or None, imaplib.Time2Internaldate(time.time()), raw)
            if status != "OK":
                raise RuntimeError(f"APPEND failed: {data!r}")
        finally:
            imap.logout()

    def flags(self, mailbox: str = "INBOX") -> dict[int, str]:
        """UID → FLAGS of every message, read without changing any."""
        imap = self.client()
        try:
            imap.select(mailbox, readonly=True)
            status, data = imap.uid("FETCH", "1:*", "(FLAGS)")
            result = {}
            for item in data:
                if isinstance(item, bytes) and b"UID" in item:
                    text = item.decode()
                    uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
                    result[uid] = text.split("FLAGS (")[1].split(")")[0]
            return result
        finally:
            imap.logout()

    def message_count(self, mailbox: str = "INBOX") -> int:
        imap = self.client()
        try:
            status, data = imap.select(mailbox, readonly=True)
            return int(data[0])
        finally:
            imap.logout()

    def log(self) -> str:
        path = self.folder / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or (
        str(Path("/usr/sbin/dovecot")) if Path("/usr/sbin/dovecot").exists() else None
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _version(binary: str) -> tuple[int, int]:
    output = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10).stdout
    parts = output.split()[0].split(".") if output.split() else ["2", "3"]
    return int(parts[0]), int(parts[1])


@contextmanager
def dovecot_server(*, tls: bool = False, ready_timeout_s: float = 15.0) -> Iterator[ImapServer]:
    binary = dovecot_binary()
    if binary is None:
        raise FileNotFoundError("dovecot is not installed (apt-get install dovecot-imapd)")
    # Its own folder under /tmp, readable by dovecot's unprivileged users (pytest's tmp_path is not).
    folder = Path(tempfile.mkdtemp(prefix="imap-test-"))
    folder.chmod(0o755)
    port, tls_port = _free_port(), (_free_port() if tls else 0)
    is_root = os.geteuid() == 0
    me = pwd.getpwuid(os.geteuid())
    if is_root:
        login_user, internal_user, internal_group = "dovenull", "dovecot", "dovecot"
        mail_uid, mail_gid = 65534, 65534  # nobody: dovecot refuses to store mail as root
    else:
        login_user = internal_user = me.pw_name
        internal_group = _group_name(me.pw_gid)
        mail_uid, mail_gid = me.pw_uid, me.pw_gid
    for sub in ("mail", "home"):
        (folder / sub).mkdir()
        if is_root:
            os.chown(folder / sub, mail_uid, mail_gid)
    (folder / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    major, minor = _version(binary)
    # dovecot 2.3 calls it disable_plaintext_auth; 2.4 renamed it auth_allow_cleartext.
    cleartext = "auth_allow_cleartext = yes" if (major, minor) >= (2, 4) else "disable_plaintext_auth = no"
    ca_file = ""
    ssl_lines = "ssl = no"
    imaps = "  inet_listener imaps {\n    port = 0\n  }"
    if tls:
        import trustme

        ca = trustme.CA()
        certificate = ca.issue_cert("127.0.0.1", "localhost")
        certificate.cert_chain_pems[0].write_to_path(str(folder / "cert.pem"))
        for blob in certificate.cert_chain_pems[1:]:
            blob.write_to_path(str(folder / "cert.pem"), append=True)
        certificate.private_key_pem.write_to_path(str(folder / "key.pem"))
        ca.cert_pem.write_to_path(str(folder / "ca.pem"))
        ca_file = str(folder / "ca.pem")
        ssl_lines = f"ssl = yes\nssl_cert = <{folder}/cert.pem\nssl_key = <{folder}/key.pem"
        imaps = (
            f"  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {tls_port}\n    ssl = yes\n  }}"
        )
    config = f"""
base_dir = {folder}/run
state_dir = {folder}/state
instance_name = imap-test-{port}
log_path = {folder}/dovecot.log
info_log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl_lines}
{cleartext}
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {min(mail_uid, 100)}
mail_location = maildir:{folder}/mail/%n
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={folder}/home/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
{imaps}
  chroot =
}}
service anvil {{
  chroot =
}}
service auth {{
  user = {"root" if is_root else me.pw_name}
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
    (folder / "dovecot.conf").write_text(config)
    process = subprocess.Popen(
        [binary, "-F", "-c", str(folder / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=(folder / "stderr.log").open("wb"),
        start_new_session=True,
    )
    server = ImapServer("127.0.0.1", port, tls_port, USER, PASSWORD, ca_file, folder, process)
    try:
        _wait_ready(server, ready_timeout_s)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _group_name(gid: int) -> str:
    import grp

    return grp.getgrgid(gid).gr_name


def _wait_ready(server: ImapServer, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(
                "dovecot exited:\n"
                + (server.folder / "stderr.log").read_text(errors="replace")
                + server.log()
            )
        try:
            server.client().logout()
            return
        except (OSError, imaplib.IMAP4.error) as error:
            if time.monotonic() > deadline:
                raise RuntimeError(f"dovecot not ready: {error}\n{server.log()}") from None
            time.sleep(0.1)
