"""GET /ready and /metrics: what a load balancer and a monitoring system ask.

- `/health` (rasa-sdk's own route): the process answers (liveness); touches
  nothing, so a slow database never gets a live replica restarted.
- `/ready`: the database answers and an index is loaded (readiness); a load
  balancer sends customers only to ready replicas. 503 with the failing check.
- `/metrics`: Prometheus' text format (bot/metrics.py). Not for the public: a
  request needs `Authorization: Bearer <BOT_METRICS_TOKEN>`, or comes straight
  from this host (a loopback address and no proxy's X-Forwarded-For).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from sanic import Blueprint, Request, Sanic
from sanic.response import HTTPResponse, raw
from sqlalchemy import text

from bot import metrics
from bot.runtime import Runtime
from bot.web.auth import NotAuthorised
from bot.web.contract import api, reply
from bot.web.models import Readiness
from bot.web.security import bearer_matches, is_loopback

logger = logging.getLogger(__name__)

health_blueprint = Blueprint("health")


@health_blueprint.get("/ready")
@api(
    "Readiness: the database answers and an index is loaded (503 with the failing check)",
    role=None,
    response=Readiness,
)
async def ready(request: Request) -> HTTPResponse:
    """503 while the runtime is starting, or when a check fails (the body names it)."""
    rt: Runtime | None = getattr(request.app.ctx, "runtime", None)
    if rt is None:
        return reply(Readiness(status="starting"), 503)
    checks = {
        "database": await asyncio.to_thread(_database_answers, rt),
        "index": _index_loaded(rt),
    }
    ok = all(checks.values())
    found = Readiness(status="ready" if ok else "not ready", checks=checks)
    return reply(found, 200 if ok else 503)


@health_blueprint.get("/metrics")
@api(
    "Prometheus metrics (BOT_METRICS_TOKEN as a bearer token, or from this host)",
    role=None,
    response=None,
    errors=(NotAuthorised,),
    content_type="text/plain",
)
async def metrics_page(request: Request) -> HTTPResponse:
    """Refused unless the metrics token is given or the request comes from this host, unproxied."""
    token = request.app.ctx.settings.metrics_token
    if not (token and bearer_matches(request, token)) and not _from_this_host(request):
        raise NotAuthorised("metrics")
    rt: Runtime | None = getattr(request.app.ctx, "runtime", None)
    if rt is not None and _index_loaded(rt):
        manifest = rt.index.searcher().index.manifest
        metrics.serving_index(str(manifest["version"]), str(manifest["model"]), manifest["entries"])
    return raw(metrics.exposition(), content_type=metrics.CONTENT_TYPE)


def install_timing(app: Sanic[Any, Any]) -> None:
    """Time every action call Rasa makes, by action name."""

    @app.on_request
    async def start_clock(request: Request) -> None:
        request.ctx.started = time.perf_counter()

    @app.on_response
    async def stop_clock(request: Request, response: HTTPResponse) -> None:
        started = getattr(request.ctx, "started", None)
        if request.path != "/webhook" or started is None:
            return
        body: Any = request.json if request.body else None
        action = body.get("next_action") if isinstance(body, dict) else None
        metrics.ACTION_SECONDS.labels(_action_label(action)).observe(time.perf_counter() - started)


def _action_label(action: Any) -> str:
    # Bounded: a label per action the service knows, never text a caller made up.
    name = str(action or "")
    return name if name.startswith(("action_", "validate_")) and len(name) < 64 else "other"


def _from_this_host(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-for") or request.headers.get("forwarded")
    return not forwarded and is_loopback(str(request.ip or ""))


def _database_answers(rt: Runtime) -> bool:
    try:
        with rt.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # the check reports it; the service stays up
        logger.warning("ready: database check failed: %s", type(exc).__name__)
        return False


def _index_loaded(rt: Runtime) -> bool:
    try:
        return rt.index.searcher() is not None
    except Exception as exc:
        logger.warning("ready: index check failed: %s", type(exc).__name__)
        return False
