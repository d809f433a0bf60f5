"""Start the real stack (bot service + Rasa) on free ports, for tests and benchmarks."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 240


@dataclass
class Stack:
    rasa_url: str
    bot_url: str
    database_url: str
    workdir: Path
    bot: subprocess.Popen[bytes]
    rasa: subprocess.Popen[bytes]
    rasa_token: str = ""
    action_token: str = ""
    widget_secret: str = ""

    def signed_customer(self, customer_id: str, tier: str = "standard") -> dict[str, Any]:
        """A customer signed as the company's site signs one (the widget's scheme), which
        the REST and socket.io channels accept as proof of who the customer is."""
        expires = int(time.time()) + 3600
        message = f"{customer_id}|{tier}|{expires}".encode()
        signature = hmac.new(self.widget_secret.encode(), message, hashlib.sha256).hexdigest()
        return {"id": customer_id, "tier": tier, "expires": expires, "signature": signature}

    def say(self, sender: str, message: str, **metadata: Any) -> list[dict[str, Any]]:
        """Send one customer message over the REST channel; return the bot's messages."""
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        response = httpx.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()
        return messages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_stack(
    faq_dir: Path, workdir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[Stack]:
    """Train (if needed), build the index, start both servers; stop them on exit."""
    trained = subprocess.run(
        [str(ROOT / "scripts" / "train.sh")], cwd=ROOT, check=True, capture_output=True, text=True
    )
    model = trained.stdout.strip().splitlines()[-1]
    bot_port, rasa_port = free_port(), free_port()
    database_url = f"sqlite:///{workdir / 'svar.db'}"
    rasa_token = secrets.token_hex(16)
    env = {
        **os.environ,
        "BOT_FAQ_DIR": str(faq_dir),
        "BOT_INDEX_DIR": str(workdir / "kb_index"),
        "DATABASE_URL": database_url,
        "BOT_PORT": str(bot_port),
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "SVAR_ACTION_URL": f"http://127.0.0.1:{bot_port}/webhook",
        "SVAR_TRACKER_DB": str(workdir / "tracker.db"),
        "SVAR_ROOT": str(ROOT),
        "SVAR_RASA_TOKEN": rasa_token,
        "RASA_TOKEN": rasa_token,
        "SVAR_ACTION_TOKEN": secrets.token_hex(16),
        "SVAR_WIDGET_SECRET": secrets.token_hex(16),
        "BOT_INSECURE_COOKIES": "1",  # plain http on loopback
        **(extra_env or {}),
    }
    bot_cli = str(ROOT / ".venv" / "bin" / "bot")
    subprocess.run([bot_cli, "kb", "build"], env=env, check=True, cwd=ROOT)
    bot = _start([bot_cli, "serve"], env, workdir / "bot.log")
    rasa_cmd = (
        f"source scripts/rasa-env.sh && exec .venv-rasa/bin/rasa run --model {model} "
        "--endpoints endpoints.yml --credentials credentials.yml "
        f"--port {rasa_port} --interface 127.0.0.1 "
        '--enable-api --auth-token "$SVAR_RASA_TOKEN"'
    )
    rasa = _start(["bash", "-c", rasa_cmd], env, workdir / "rasa.log")
    try:
        wait_for_server(f"http://127.0.0.1:{bot_port}/status", bot, workdir / "bot.log")
        wait_for_server(f"http://127.0.0.1:{rasa_port}/", rasa, workdir / "rasa.log")
        yield Stack(
            f"http://127.0.0.1:{rasa_port}",
            f"http://127.0.0.1:{bot_port}",
            database_url,
            workdir,
            bot,
            rasa,
            rasa_token=env["RASA_TOKEN"],
            action_token=env["SVAR_ACTION_TOKEN"],
            widget_secret=env["SVAR_WIDGET_SECRET"],
        )
    finally:
        stop_process(rasa)
        stop_process(bot)


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def wait_for_server(
    url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = STARTUP_SECONDS
) -> None:
    """Until `url` answers 200; a process that exits or stays silent for `seconds` raises with
    the end of its log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited during start-up:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not start in {seconds:.0f} s:\n{log.read_text()[-4000:]}")


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill what does not stop in 20 s, and reap it (no zombie)."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
