"""Request limits for Rasa's Sanic server, installed by Svar's connectors.

Rasa 3.6 leaves Sanic's defaults: a 100 MB body is read in full (28 s for 20 MB) and
answered 200. Every Svar connector passes its blueprint through `protect`, which

- lowers the server's `REQUEST_MAX_SIZE` (1 MB, `SVAR_REQUEST_MAX_BYTES`) before the
  server accepts connections, so Sanic answers an oversized body 413 from its
  Content-Length, before reading it;
- refuses compressed request bodies (415) on the connector's routes: no platform sends
  them, and inflating is where a small body becomes a large one.
"""

import logging
import os
from typing import Any, Optional

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

DEFAULT_REQUEST_MAX_BYTES = 1_000_000


def request_max_bytes() -> int:
    try:
        return max(1024, int(os.environ.get("SVAR_REQUEST_MAX_BYTES") or DEFAULT_REQUEST_MAX_BYTES))
    except ValueError:
        return DEFAULT_REQUEST_MAX_BYTES


def refuse_encoded(request: Request) -> Optional[HTTPResponse]:
    encoding = (request.headers.get("content-encoding") or "identity").strip().lower()
    if encoding != "identity":
        return response.json({"error": "compressed request bodies are not accepted"}, status=415)
    return None


def protect(blueprint: Blueprint) -> Blueprint:
    """Add the limits to a connector's blueprint (and through it, to the server)."""

    @blueprint.listener("before_server_start")
    async def limit_body_size(app: Any, _loop: Any) -> None:
        limit = request_max_bytes()
        if limit < app.config.REQUEST_MAX_SIZE:
            app.config.REQUEST_MAX_SIZE = limit
            logger.debug("request bodies limited to %s bytes", limit)

    @blueprint.middleware("request")
    async def no_compressed_bodies(request: Request) -> Optional[HTTPResponse]:
        return refuse_encoded(request)

    return blueprint
