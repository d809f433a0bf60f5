"""What the bot service tells a company's monitoring (Prometheus text format at /metrics).

Counters are incremented where the thing happens (a KB turn logged, a ticket
opened, a gap opened, a database error); latency is measured per action call
around Rasa's requests (bot/web/health.py). Each replica exposes its own numbers
and Prometheus sums them. The service runs one process per replica; should it run
several Sanic workers, set `PROMETHEUS_MULTIPROC_DIR` and the values are kept in
files the client library merges at scrape time.
"""

from __future__ import annotations

import os

from prometheus_client import REGISTRY as DEFAULT_REGISTRY
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Customers notice from a few hundred ms; the action-server timeout is seconds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0)

TURNS = Counter("svar_kb_turns", "KB turns by outcome", ["outcome", "lang"])
ACTION_SECONDS = Histogram(
    "svar_action_seconds",
    "Time to run one action call from Rasa",
    ["action"],
    buckets=LATENCY_BUCKETS,
)
TURN_SECONDS = Histogram(
    "svar_turn_seconds",
    "Time one KB turn takes in the bot service, without Rasa's action protocol around it",
    buckets=LATENCY_BUCKETS,
)
HANDOFFS = Counter("svar_handoffs", "Tickets opened, by reason and queue", ["reason", "queue"])
GAPS_OPENED = Counter("svar_gaps_opened", "New gaps in the gap list, by kind", ["kind"])
STORE_ERRORS = Counter("svar_store_errors", "Database errors, by error class", ["error"])


def exposition() -> bytes:
    """Everything registered, in Prometheus' text format (merged across workers if any)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return bytes(generate_latest(registry))
    return bytes(generate_latest(DEFAULT_REGISTRY))


INDEX_INFO = Gauge(
    "svar_index_info",
    "The index this replica serves (value 1)",
    ["version", "model"],
    multiprocess_mode="liveall",
)
INDEX_ENTRIES = Gauge(
    "svar_index_entries", "KB entries in the served index", multiprocess_mode="liveall"
)


def serving_index(version: str, model: str, entries: int) -> None:
    """Record the index being served (one label set: the old version's goes)."""
    INDEX_INFO.clear()
    INDEX_INFO.labels(version, model).set(1)
    INDEX_ENTRIES.set(entries)
