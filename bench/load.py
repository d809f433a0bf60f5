"""`make bench-load`: 1+1 and 2+2 replicas under a ramp of customers, measured with locust.

For each configuration, starts the cluster (bench/cluster.py: HAProxy, PostgreSQL,
Redis) with the demo KB, runs bench/locustfile.py headless with more customers every
step, and records every request and the CPU and memory of every process. Per step:
customer turns/s, p50/p95/p99 latency, errors. Per configuration: the turns/s at the
highest step whose p95 stays within 500 ms. Writes reports/load.md, reports/load.json
and reports/load.png (latency against load). Locust lives in var/venv-load
(requirements/load-bench.txt), created on first use; it runs on the same machine
and its CPU is reported too.

    .venv/bin/python -m bench.load [--replicas 1 2] [--steps 4,8,16,24,32,48,64]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from bench.cluster import Cluster, running_cluster
from bench.stack import ROOT
from bot.evaluation.dataset import load_questions

VENV = ROOT / "var" / "venv-load"
LANGUAGES = ("en", "nb", "sv", "da", "nl")
VAGUE = ["shipping", "frakt", "leverans", "levering", "verzending", "payment", "betaling"]
TARGET_P95_MS = 500.0
# The customers' turns as bench/locustfile.py names them (not connects or agents' calls).
TURN_KINDS = frozenset({"kb", "clarify", "no_answer", "feedback", "plain", "handoff"})
CHANNELS = ("rest", "sio")
TICKS = os.sysconf("SC_CLK_TCK")


def ensure_locust() -> Path:
    """var/venv-load's locust, (re)installed when requirements/load-bench.txt changed."""
    locust = VENV / "bin" / "locust"
    requirements = ROOT / "requirements" / "load-bench.txt"
    stamp = VENV / ".svar-load-stamp"
    wanted = hashlib.sha256(requirements.read_bytes()).hexdigest()
    if not locust.exists() or not stamp.exists() or stamp.read_text() != wanted:
        if not VENV.exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "-q", "-r", str(requirements)], check=True
        )
        stamp.write_text(wanted)
    return locust


def messages() -> dict[str, Any]:
    """What the customers say, per language, from the eval set and the NLU data."""
    questions: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    unanswerable: list[str] = []
    for q in load_questions(ROOT / "data" / "eval" / "questions.yml"):
        if q.lang in questions and q.expected:
            questions[q.lang].append(q.text)
        elif not q.expected:
            unanswerable.append(q.text)
    human, greetings = {}, []
    for lang in LANGUAGES:
        nlu = yaml.safe_load((ROOT / "data" / "nlu" / f"{lang}.yml").read_text(encoding="utf-8"))
        by_intent = {i["intent"]: i["examples"] for i in nlu["nlu"] if "intent" in i}
        human[lang] = _examples(by_intent["request_human"])[-1]
        greetings += _examples(by_intent["greet"])[:3]
    return {
        "questions": {lang: texts for lang, texts in questions.items() if texts},
        "unanswerable": unanswerable,
        "vague": VAGUE,
        "greetings": greetings,
        "human": human,
    }


def _examples(block: str) -> list[str]:
    return [line.strip()[2:] for line in block.splitlines() if line.strip().startswith("- ")]


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_configuration(
    replicas: int, steps: list[int], step_seconds: float, workdir: Path
) -> dict[str, Any]:
    token = secrets.token_hex(16)
    locust = ensure_locust()
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "messages.json").write_text(json.dumps(messages(), ensure_ascii=False))
    log = workdir / "requests.csv"
    log.write_text("")
    env_extra = {"BOT_CONSOLE_TOKEN": token}
    with running_cluster(ROOT / "data" / "faq", workdir, replicas, extra_env=env_extra) as cluster:
        processes = _processes(cluster)
        env = {
            **os.environ,
            "SVAR_LOAD_MESSAGES": str(workdir / "messages.json"),
            "SVAR_LOAD_BOT_URL": cluster.bot_url,
            "SVAR_LOAD_CONSOLE_TOKEN": token,
            "SVAR_LOAD_LOG": str(log),
            "SVAR_LOAD_STEPS": ",".join(map(str, steps)),
            "SVAR_LOAD_STEP_SECONDS": str(step_seconds),
        }
        cmd = [
            str(locust),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            cluster.rasa_url,
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        started = time.time()
        runner = subprocess.Popen(
            cmd,
            env=env,
            cwd=ROOT,
            stdout=(workdir / "locust.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        processes["locust"] = runner.pid
        samples, loads = [], []
        while runner.poll() is None:
            samples.append(
                (time.time(), {n: (cpu_seconds(p), rss_mb(p)) for n, p in processes.items()})
            )
            loads.append((time.time(), os.getloadavg()[0]))
            time.sleep(1.0)
    return analyse(replicas, steps, step_seconds, started, log, samples, loads)


def _processes(cluster: Cluster) -> dict[str, int]:
    found = {r.name: r.process.pid for r in cluster.rasa + cluster.bots}
    found["haproxy"] = cluster.haproxy.pid
    return found


Sample = tuple[float, dict[str, tuple[float, float]]]


def read_log(log: Path) -> list[tuple[float, str, str, float, bool, str]]:
    """(time, channel, kind, ms, ok, outcome) per request, as bench/locustfile.py logs them."""
    rows = []
    for line in log.read_text().splitlines():
        at, channel, name, ms, ok, outcome = line.split(",")
        rows.append((float(at), channel, name, float(ms), ok == "1", outcome))
    return rows


def analyse(
    replicas: int,
    steps: list[int],
    step_seconds: float,
    started: float,
    log: Path,
    samples: list[Sample],
    loads: list[tuple[float, float]],
) -> dict[str, Any]:
    rows = read_log(log)
    results = []
    for index, users in enumerate(steps):
        # The first quarter of a step is the ramp; measure the rest.
        low = started + index * step_seconds + step_seconds / 4
        high = started + (index + 1) * step_seconds
        now = [r for r in rows if low <= r[0] < high]
        turns = [r for r in now if r[2] in TURN_KINDS]
        if not turns:
            continue
        latencies = sorted(r[3] for r in turns if r[4])
        window = [s for s in samples if low <= s[0] < high]
        load = [value for at, value in loads if low <= at < high]
        results.append(
            {
                "customers": users,
                # Answered turns only: a refused one is quick, and no throughput.
                "turns_per_s": round(len(latencies) / (high - low), 1),
                "p50_ms": _pct(latencies, 50),
                "p95_ms": _pct(latencies, 95),
                "p99_ms": _pct(latencies, 99),
                "p95_ms_by_channel": {
                    channel: _pct(sorted(r[3] for r in turns if r[4] and r[1] == channel), 95)
                    for channel in CHANNELS
                },
                "errors": sum(not r[4] for r in now if r[2] in TURN_KINDS or r[2] == "connect"),
                "load_average": round(max(load), 1) if load else None,
                "cpu_percent": _cpu(window),
                "rss_mb": {n: round(max(s[1][n][1] for s in window), 0) for n in window[-1][1]}
                if window
                else {},
            }
        )
    within = [s for s in results if s["p95_ms"] <= TARGET_P95_MS]
    return {
        "replicas": replicas,
        "steps": results,
        "turns_per_s_at_p95_500ms": max((s["turns_per_s"] for s in within), default=0.0),
        "mix": mix(rows),
    }


def mix(rows: list[tuple[float, str, str, float, bool, str]]) -> dict[str, Any]:
    """What the whole run did, by channel, kind and outcome, and which of the outcomes
    the issue asks the load to reach it never reached (`missing`)."""
    counts: dict[str, int] = {}
    for _, channel, kind, _, ok, outcome in rows:
        key = f"{channel} {kind} -> {outcome if ok else 'error'}"
        counts[key] = counts.get(key, 0) + 1
    reached = {(c, o) for _, c, _, _, ok, o in rows if ok} | {
        (c, k) for _, c, k, _, ok, _ in rows if ok
    }
    missing = [
        f"{channel} {outcome}"
        for channel in CHANNELS
        for outcome in ("answer", "clarify", "no_answer", "feedback", "handoff")
        if (channel, outcome) not in reached
    ]
    missing += [
        need for need in ("rest agent_reply", "sio agent") if tuple(need.split()) not in reached
    ]
    return {"counts": dict(sorted(counts.items())), "missing": missing}


def _pct(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    return round(values[min(len(values) - 1, int(len(values) * pct / 100))], 0)


def _cpu(window: list[tuple[float, dict[str, tuple[float, float]]]]) -> dict[str, float]:
    if len(window) < 2:
        return {}
    (t0, first), (t1, last) = window[0], window[-1]
    return {n: round(100 * (last[n][0] - first[n][0]) / (t1 - t0), 0) for n in first if n in last}


def report(results: list[dict[str, Any]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "load.json").write_text(json.dumps(results, indent=1))
    lines = ["# Load: 1+1 and 2+2 replicas behind HAProxy (bench/load.py)", ""]
    for config in results:
        n = config["replicas"]
        lines += [
            f"## {n} Rasa + {n} bot service",
            "",
            f"Turns/s at p95 <= {TARGET_P95_MS:.0f} ms: **{config['turns_per_s_at_p95_500ms']}**",
            "",
            "| customers | turns/s | p50 ms | p95 ms | p99 ms | p95 REST / socket.io | errors "
            "| load avg | CPU % | max RSS MB |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for s in config["steps"]:
            cpu = ", ".join(f"{k} {v:.0f}" for k, v in s["cpu_percent"].items())
            rss = ", ".join(f"{k} {v:.0f}" for k, v in s["rss_mb"].items())
            by_channel = " / ".join(f"{v:.0f}" for v in s["p95_ms_by_channel"].values())
            lines.append(
                f"| {s['customers']} | {s['turns_per_s']} | {s['p50_ms']:.0f} | "
                f"{s['p95_ms']:.0f} | {s['p99_ms']:.0f} | {by_channel} | {s['errors']} | "
                f"{s['load_average']} | {cpu} | {rss} |"
            )
        missing = config["mix"]["missing"]
        lines += [
            "",
            "Mix over the run (channel, kind -> outcome: requests): "
            + "; ".join(f"{k}: {v}" for k, v in config["mix"]["counts"].items()),
            "",
            "Never reached: " + (", ".join(missing) if missing else "none"),
            "",
        ]
    if len(results) == 2 and results[0]["turns_per_s_at_p95_500ms"]:
        ratio = results[1]["turns_per_s_at_p95_500ms"] / results[0]["turns_per_s_at_p95_500ms"]
        lines.append(f"2+2 / 1+1 at p95 <= 500 ms: **{ratio:.2f}x**")
    (out / "load.md").write_text("\n".join(lines) + "\n")
    _plot(results, out / "load.png")


def _plot(results: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for config in results:
        steps = config["steps"]
        label = f"{config['replicas']}+{config['replicas']}"
        x = [s["turns_per_s"] for s in steps]
        ax.plot(x, [s["p95_ms"] for s in steps], marker="o", label=f"{label} p95")
        ax.plot(x, [s["p50_ms"] for s in steps], marker=".", linestyle="--", label=f"{label} p50")
    ax.axhline(TARGET_P95_MS, color="grey", linewidth=0.8)
    ax.set_xlabel("customer turns/s (achieved)")
    ax.set_ylabel("latency, ms")
    ax.set_yscale("log")
    ax.set_title("Svar under load: latency against throughput")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--steps", default="4,8,16,24,32,48,64")
    parser.add_argument("--step-seconds", type=float, default=20.0)
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    args = parser.parse_args(argv)
    steps = [int(n) for n in args.steps.split(",")]
    results = []
    for n in args.replicas:
        config = run_configuration(n, steps, args.step_seconds, ROOT / "var" / "load" / f"r{n}")
        results.append(config)
        best = config["turns_per_s_at_p95_500ms"]
        print(f"{n}+{n}: {best} turns/s at p95 <= {TARGET_P95_MS:.0f} ms; steps:")
        for s in config["steps"]:
            print(
                f"  {s['customers']:>3} customers  {s['turns_per_s']:>5} turns/s  "
                f"p50 {s['p50_ms']:.0f}  p95 {s['p95_ms']:.0f}  p99 {s['p99_ms']:.0f}  "
                f"errors {s['errors']}  load {s['load_average']}"
            )
        if config["mix"]["missing"]:
            print(f"  the mix never reached: {', '.join(config['mix']['missing'])}")
    report(results, args.out)
    print(f"wrote {args.out / 'load.md'} and {args.out / 'load.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
