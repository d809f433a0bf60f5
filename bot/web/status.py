"""GET /status: which index and model the service is serving."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from bot.errors import KBIndexError
from bot.web.contract import api, reply
from bot.web.models import ServiceStatus

status_blueprint = Blueprint("status")


@status_blueprint.get("/status")
@api(
    "Which index and model the service is serving",
    role=None,
    response=ServiceStatus,
    errors=(KBIndexError,),
)
async def status(request: Request) -> HTTPResponse:
    """KBIndexError (503) when no usable index has been built."""
    searcher = request.app.ctx.runtime.index.searcher()
    manifest = searcher.index.manifest
    return reply(
        ServiceStatus(
            status="ok",
            index_version=manifest["version"],
            model=manifest["model"],
            entries=manifest["entries"],
            topics=manifest["topics"],
            languages=manifest["languages"],
        )
    )
