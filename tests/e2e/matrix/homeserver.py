"""A real Synapse on 127.0.0.1 for the Matrix stories: SQLite, no federation, rate limits off.

It runs from its own venv (`.venv-synapse`, made by `make test`), so its pinned
dependencies never meet the bot's. People are registered through the shared-secret admin
API, as an operator's script would.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SYNAPSE_PYTHON = ROOT / ".venv-synapse" / "bin" / "python"
SERVER_NAME = "podaj.test"
SHARED_SECRET = "stories-only-secret"
READY_TIMEOUT_S = 60.0
# Straight to 127.0.0.1, whatever http_proxy the environment sets.
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_HIGH = {"per_second": 10_000, "burst_count": 10_000}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def config(workdir: Path, port: int) -> str:
    """homeserver.yaml as JSON (YAML's superset): a client listener only, on 127.0.0.1."""
    settings = {
        "server_name": SERVER_NAME,
        "pid_file": str(workdir / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(workdir / "homeserver.db")}},
        "log_config": str(workdir / "log.yaml"),
        "media_store_path": str(workdir / "media"),
        "signing_key_path": str(workdir / "signing.key"),
        "registration_shared_secret": SHARED_SECRET,
        "enable_registration": False,
        "report_stats": False,
        "trusted_key_servers": [],
        "federation_domain_whitelist": [],
        # Cheap password hashing: every story registers and logs in several people.
        "bcrypt_rounds": 4,
        "suppress_key_server_warning": True,
        "url_preview_enabled": False,
        "enable_metrics": False,
        "presence": {"enabled": False},
        "rc_message": _HIGH,
        "rc_registration": _HIGH,
        "rc_login": {"address": _HIGH, "account": _HIGH, "failed_attempts": _HIGH},
        "rc_joins": {"local": _HIGH, "remote": _HIGH},
        "rc_invites": {"per_room": _HIGH, "per_user": _HIGH, "per_issuer": _HIGH},
        "rc_admin_redaction": _HIGH,
        "rc_room_creation": _HIGH,
    }
    return json.dumps(settings, indent=1)


LOG_CONFIG = """\
version: 1
formatters:
  plain: {format: '%(asctime)s %(levelname)s %(name)s: %(message)s'}
handlers:
  file: {class: logging.FileHandler, formatter: plain, filename: LOGFILE}
root: {level: WARNING, handlers: [file]}
disable_existing_loggers: false
"""


@dataclass
class Synapse:
    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    started_in_s: float = 0.0
    _numbers: count[int] = field(default_factory=lambda: count(1))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.workdir / "homeserver.log"

    def start(self) -> None:
        if not SYNAPSE_PYTHON.exists():
            raise RuntimeError(f"{SYNAPSE_PYTHON} is missing: `make test` installs Synapse there")
        self.workdir.mkdir(parents=True, exist_ok=True)
        cfg = self.workdir / "homeserver.yaml"
        cfg.write_text(config(self.workdir, self.port), encoding="utf-8")
        log_config = LOG_CONFIG.replace("LOGFILE", str(self.log))
        (self.workdir / "log.yaml").write_text(log_config, encoding="utf-8")
        began = time.monotonic()
        command = [str(SYNAPSE_PYTHON), "-m", "synapse.app.homeserver", "-c", str(cfg)]
        subprocess.run([*command, "--generate-keys"], check=True, capture_output=True)
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=(self.workdir / "stderr.txt").open("wb"),
        )
        self._wait_ready(began)
        self.started_in_s = time.monotonic() - began

    def _wait_ready(self, began: float) -> None:
        while time.monotonic() - began < READY_TIMEOUT_S:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"Synapse exited at start; see {self.workdir}/stderr.txt")
            try:
                with _LOCAL.open(f"{self.base_url}/_matrix/client/versions", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError(f"Synapse did not answer within {READY_TIMEOUT_S:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def register(self, localpart: str, *, password: str = "secret", admin: bool = False) -> str:
        """A new account; a number keeps names unique across the session's stories."""
        user = f"{localpart}{next(self._numbers)}"
        url = f"{self.base_url}/_synapse/admin/v1/register"
        with _LOCAL.open(url, timeout=10) as answer:
            nonce = json.load(answer)["nonce"]
        mac = hmac.new(SHARED_SECRET.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), user.encode(), password.encode()]))
        mac.update(b"\x00admin" if admin else b"\x00notadmin")
        body = {
            "nonce": nonce,
            "username": user,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        request = urllib.request.Request(
            url, json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        with _LOCAL.open(request, timeout=10) as answer:
            return str(json.load(answer)["user_id"])
