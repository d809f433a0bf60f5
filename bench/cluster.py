"""The production shape on one machine: N Rasa and N bot-service replicas behind HAProxy.

Rasa keeps conversations in PostgreSQL and takes their locks in Redis; the bot
service's database is PostgreSQL; the connectors share their state in Redis.
HAProxy listens where `make run` serves (Rasa 5005, bot service 5055 by default),
checks every replica's readiness each second and sends nothing to one that fails
twice, so clients, tests and benchmarks work against either shape unchanged.

    python -m bench.cluster --replicas 2        (scripts/run-cluster.sh sets it up)

Tests and benchmarks use `running_cluster(...)`, which also creates throwaway
databases and free ports.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from bench.stack import ROOT, free_port, stop_process

TEMPLATE = ROOT / "deploy" / "haproxy.cfg.template"
POSTGRES_ADMIN_URL = os.environ.get(
    "SVAR_CLUSTER_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
STARTUP_SECONDS = 300
ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
}


@dataclass
class Replica:
    name: str
    port: int
    ready_path: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    rasa_url: str
    bot_url: str
    database_url: str
    tracker_url: str
    workdir: Path
    rasa: list[Replica]
    bots: list[Replica]
    haproxy: subprocess.Popen[bytes]
    env: dict[str, str] = field(repr=False)

    def say(self, sender: str, message: str, timeout: float = 60) -> httpx.Response:
        """One customer message over the REST channel, through the load balancer."""
        body = {"sender": sender, "message": message}
        return httpx.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=timeout)

    def kill(self, replica: Replica) -> None:
        """kill -9: no goodbye, no cleanup (a crashed container, an OOM kill)."""
        replica.process.send_signal(signal.SIGKILL)
        replica.process.wait(timeout=10)


def create_database(admin_url: str, name: str) -> str:
    """Create `name` on the admin URL's server unless it exists; return its URL."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists.scalar() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def haproxy_config(
    bind: str, rasa_port: int, bot_port: int, rasa: list[Replica], bots: list[Replica]
) -> str:
    def servers(replicas: list[Replica]) -> str:
        return "\n".join(f"    server {r.name} 127.0.0.1:{r.port} check" for r in replicas)

    return Template(TEMPLATE.read_text()).substitute(
        bind=bind,
        rasa_port=rasa_port,
        bot_port=bot_port,
        rasa_servers=servers(rasa),
        bot_servers=servers(bots),
    )


def _train() -> str:
    trained = subprocess.run(
        [str(ROOT / "scripts" / "train.sh")], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return trained.stdout.strip().splitlines()[-1]


def _start(
    name: str, cmd: list[str], env: dict[str, str], workdir: Path, core: int | None = None
) -> subprocess.Popen[bytes]:
    """Start a process logging to `workdir/name.log`, on one CPU core if given."""
    log = workdir / f"{name}.log"
    if core is not None:
        env = {**env, **ONE_THREAD}
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=None if core is None else (lambda: os.sched_setaffinity(0, {core})),
    )


def replica_core(index: int, replicas: int) -> int | None:
    """With several replicas, replica `index` (from 1) gets one core, as a container gets its
    CPU quota; the thread pools (ONNX Runtime sizes its own to the affinity, TensorFlow and
    OpenMP by ONE_THREAD) then fit it instead of every process spreading over every core.
    One replica keeps all cores, as `make run`."""
    cores = sorted(os.sched_getaffinity(0))
    if replicas < 2 or len(cores) < 2:
        return None
    return cores[(index - 1) % len(cores)]


def wait_ready(replicas: list[Replica], seconds: float = STARTUP_SECONDS) -> None:
    """Until every replica answers its readiness check (or one exits, or time runs out)."""
    deadline = time.monotonic() + seconds
    waiting = list(replicas)
    while waiting and time.monotonic() < deadline:
        for replica in list(waiting):
            if replica.process.poll() is not None:
                tail = replica.log.read_text(errors="replace")[-4000:]
                raise RuntimeError(f"{replica.name} exited during start-up:\n{tail}")
            try:
                if httpx.get(replica.url + replica.ready_path, timeout=2).status_code == 200:
                    waiting.remove(replica)
            except httpx.HTTPError:
                pass
        time.sleep(0.5)
    if waiting:
        raise RuntimeError(f"not ready after {seconds:.0f}s: {[r.name for r in waiting]}")


@contextmanager
def running_cluster(
    faq_dir: Path,
    workdir: Path,
    replicas: int = 2,
    rasa_port: int | None = None,
    bot_port: int | None = None,
    extra_env: dict[str, str] | None = None,
    databases: tuple[str, str] | None = None,
    bind: str = "127.0.0.1",
) -> Iterator[Cluster]:
    """Build, train, create the stores, start every process; stop them all on exit.

    `databases`: the application's and Rasa's database names, kept afterwards
    (`make run-cluster`); None creates throwaway ones, dropped on exit.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    model = _train()
    rasa_port, bot_port = rasa_port or free_port(), bot_port or free_port()
    throwaway = databases is None
    suffix = uuid.uuid4().hex[:8]
    app_db, tracker_db = databases or (f"svar_cluster_{suffix}", f"svar_cluster_{suffix}_rasa")
    database_url = create_database(POSTGRES_ADMIN_URL, app_db)
    tracker_url = create_database(POSTGRES_ADMIN_URL, tracker_db).replace("+psycopg2", "")
    rasa_token = os.environ.get("SVAR_RASA_TOKEN") or secrets.token_hex(16)
    env = {
        **os.environ,
        "BOT_FAQ_DIR": str(faq_dir),
        "BOT_INDEX_DIR": os.environ.get("BOT_INDEX_DIR", str(workdir / "kb_index")),
        "DATABASE_URL": database_url,
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "SVAR_ACTION_URL": f"http://127.0.0.1:{bot_port}/webhook",
        "SVAR_TRACKER_DIALECT": "postgresql",
        "SVAR_TRACKER_URL": tracker_url,
        "SVAR_LOCK_STORE": "redis",
        "SVAR_REDIS_HOST": os.environ.get("SVAR_REDIS_HOST", "127.0.0.1"),
        "SVAR_REDIS_PORT": os.environ.get("SVAR_REDIS_PORT", "6379"),
        "SVAR_REDIS_DB": os.environ.get("SVAR_REDIS_DB", "1"),
        "SVAR_CHANNEL_STATE_URL": os.environ.get(
            "SVAR_CHANNEL_STATE_URL", "redis://127.0.0.1:6379/2"
        ),
        "SVAR_ROOT": str(ROOT),
        "SVAR_RASA_TOKEN": rasa_token,
        "RASA_TOKEN": rasa_token,
        "SVAR_ACTION_TOKEN": os.environ.get("SVAR_ACTION_TOKEN") or secrets.token_hex(16),
        "SVAR_WIDGET_SECRET": os.environ.get("SVAR_WIDGET_SECRET") or secrets.token_hex(16),
        "BOT_INSECURE_COOKIES": os.environ.get("BOT_INSECURE_COOKIES", "1"),
        **(extra_env or {}),
    }
    bot_cli = str(ROOT / ".venv" / "bin" / "bot")
    subprocess.run([bot_cli, "kb", "build"], env=env, check=True, cwd=ROOT, capture_output=True)
    rasa: list[Replica] = []
    bots: list[Replica] = []
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for i in range(1, replicas + 1):
            port = free_port()
            bot_env = {**env, "BOT_PORT": str(port)}
            proc = _start(
                f"bot{i}", [bot_cli, "serve"], bot_env, workdir, replica_core(i, replicas)
            )
            processes.append(proc)
            bots.append(Replica(f"bot{i}", port, "/ready", proc, workdir / f"bot{i}.log"))
        for i in range(1, replicas + 1):
            port = free_port()
            cmd = (
                f"source scripts/rasa-env.sh && exec .venv-rasa/bin/rasa run --model {model} "
                "--endpoints endpoints.yml --credentials credentials.yml "
                f"--port {port} --interface 127.0.0.1 --cors '*' "
                '--enable-api --auth-token "$SVAR_RASA_TOKEN"'
            )
            proc = _start(f"rasa{i}", ["bash", "-c", cmd], env, workdir, replica_core(i, replicas))
            processes.append(proc)
            rasa.append(
                Replica(f"rasa{i}", port, "/webhooks/rest/ready", proc, workdir / f"rasa{i}.log")
            )
        config = workdir / "haproxy.cfg"
        config.write_text(haproxy_config(bind, rasa_port, bot_port, rasa, bots))
        haproxy = _start("haproxy", ["haproxy", "-db", "-f", str(config)], env, workdir)
        processes.append(haproxy)
        wait_ready(bots + rasa)
        wait_ready(
            [
                Replica(
                    "lb-rasa", rasa_port, "/webhooks/rest/ready", haproxy, workdir / "haproxy.log"
                ),
                Replica("lb-bot", bot_port, "/ready", haproxy, workdir / "haproxy.log"),
            ],
            seconds=30,
        )
        yield Cluster(
            f"http://127.0.0.1:{rasa_port}",
            f"http://127.0.0.1:{bot_port}",
            database_url,
            tracker_url,
            workdir,
            rasa,
            bots,
            haproxy,
            env,
        )
    finally:
        for proc in reversed(processes):
            stop_process(proc)
        if throwaway:
            drop_database(POSTGRES_ADMIN_URL, app_db)
            drop_database(POSTGRES_ADMIN_URL, tracker_db)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=int(os.environ.get("REPLICAS", "2")))
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", "5005")))
    parser.add_argument("--bot-port", type=int, default=int(os.environ.get("BOT_PORT", "5055")))
    args = parser.parse_args(argv)
    faq_dir = Path(os.environ.get("BOT_FAQ_DIR", ROOT / "data" / "faq"))
    databases = (
        os.environ.get("SVAR_CLUSTER_DB", "svar"),
        os.environ.get("SVAR_CLUSTER_TRACKER_DB", "svar_rasa"),
    )
    with running_cluster(
        faq_dir,
        ROOT / "var" / "cluster",
        args.replicas,
        args.rasa_port,
        args.bot_port,
        databases=databases,
        bind=os.environ.get("CLUSTER_INTERFACE", "127.0.0.1"),
    ) as cluster:
        _announce(cluster)
        stop: dict[str, Any] = {"now": False}
        signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
        try:
            while not stop["now"]:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        print("\nrun-cluster: stopping")
    return 0


def _announce(cluster: Cluster) -> None:
    rasa = ", ".join(r.url for r in cluster.rasa)
    bots = ", ".join(r.url for r in cluster.bots)
    print(f"\nSvar is running as {len(cluster.rasa)} Rasa + {len(cluster.bots)} bot replicas:")
    print(f"  Rasa (REST, socket.io, channels)  {cluster.rasa_url}  -> {rasa}")
    print(f"  bot service (console, APIs)       {cluster.bot_url}  -> {bots}")
    print(f"  application database              {cluster.database_url}")
    print(f"  Rasa tracker store                {cluster.tracker_url}")
    print(f"  logs and haproxy.cfg              {cluster.workdir}")
    print("Ctrl-C stops everything.")


if __name__ == "__main__":
    raise SystemExit(main())
