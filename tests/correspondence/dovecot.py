"""A throwaway IMAP server for the tests: the distribution's Dovecot, on a free loopback port,
with a temporary Maildir and one user. It runs as root with the mail folder owned by the
`dovecot` user (Dovecot refuses mail access below first_valid_uid and root login processes)."""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

USER, PASSWORD = "foi", "secret"

CONFIG = """\
first_valid_uid = 1
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/run
log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{dir}/mail/%u
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/passwd
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={dir}/mail/%u
}}
"""


def unavailable() -> str:
    """Why Dovecot cannot run here, or '' when it can."""
    if shutil.which("dovecot") is None:
        return "Dovecot is not installed (apt-get install dovecot-imapd)"
    if os.geteuid() != 0:
        return "the Dovecot test server needs root (its mail folder belongs to 'dovecot')"
    try:
        pwd.getpwnam("dovecot")
    except KeyError:
        return "there is no 'dovecot' user"
    return ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dovecot:
    def __init__(self) -> None:
        # Not pytest's tmp_path: its parents are closed to the dovecot user.
        self.dir = Path(tempfile.mkdtemp(prefix="foi-dovecot-"))
        self.dir.chmod(0o755)
        self.port = free_port()
        self.config = self.dir / "dovecot.conf"
        self.url = f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def start(self) -> None:
        (self.dir / "mail").mkdir(exist_ok=True)
        (self.dir / "run").mkdir(exist_ok=True)
        shutil.chown(self.dir / "mail", "dovecot", "dovecot")
        passwd = self.dir / "passwd"
        passwd.write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        passwd.chmod(0o644)
        self.config.write_text(CONFIG.format(dir=self.dir, port=self.port))
        # It daemonises: its output goes nowhere, so nothing waits on a pipe it holds.
        subprocess.run(
            ["dovecot", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            timeout=30,
        )
        self._wait(lambda: self._answers(), "Dovecot to answer")

    def stop(self) -> None:
        master = self._master()
        subprocess.run(
            ["dovecot", "-c", str(self.config), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            timeout=30,
        )
        self._wait(lambda: not self._answers(), "Dovecot to stop")
        # A session's imap process can outlive its master: end this instance's process group.
        self._kill_group(master)

    def crash(self) -> None:
        """Every process of this instance dies at once, open sessions included."""
        self._kill_group(self._master())
        self._wait(lambda: not self._answers(), "Dovecot to die")
        # Killed, it may linger as a zombie where nothing reaps orphans, and Dovecot would
        # then refuse to start again "already running": its pid file goes too.
        (self.dir / "run" / "master.pid").unlink(missing_ok=True)

    def _master(self) -> int | None:
        try:
            return int((self.dir / "run" / "master.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    @staticmethod
    def _kill_group(master: int | None) -> None:
        # Dovecot's master leads its own process group (it calls setsid), shared by every
        # process it starts and by nothing else.
        if master is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(master, signal.SIGKILL)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                return sock.recv(64).startswith(b"* OK")
        except OSError:
            return False

    @staticmethod
    def _wait(condition, what: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"gave up waiting for {what}")
            time.sleep(0.1)

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(USER, PASSWORD)
        client.select("INBOX")
        return client

    def append(self, *messages: bytes) -> None:
        client = self.client()
        try:
            for raw in messages:
                status, _ = client.append("INBOX", None, None, raw)
                assert status == "OK"
        finally:
            client.logout()

    def flags(self) -> dict[int, str]:
        """UID -> the message's flags, as the server reports them."""
        client = self.client()
        try:
            _, data = client.uid("FETCH", "1:*", "(UID FLAGS)")
        finally:
            client.logout()
        found = {}
        for line in data or []:
            if not line:
                continue
            text = line.decode()
            uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
            found[uid] = text.split("FLAGS (")[1].split(")")[0]
        return found
