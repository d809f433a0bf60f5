"""GET /status: which index and model the service is serving."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

status_blueprint = Blueprint("status")


@status_blueprint.get("/status")
async def status(request: Request) -> HTTPResponse:
    searcher = request.app.ctx.runtime.index.searcher()
    manifest = searcher.index.manifest
    return json(
        {
            "status": "ok",
            "index_version": manifest["version"],
            "model": manifest["model"],
            "entries": manifest["entries"],
            "topics": manifest["topics"],
            "languages": manifest["languages"],
        }
    )
