"""The website widget's files (/widget/svar.js, svar.css, vendor/) and a demo page (/demo).

The widget itself talks to Rasa's socket.io channel; the bot service only
serves it, so that a site needs one <script> tag and no build step.
"""

from __future__ import annotations

import html
from pathlib import Path

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import html as html_response

from bot.web.contract import api

WIDGET_DIR = Path(__file__).resolve().parent / "widget"
# Options the demo page passes through from its query string to the script tag.
DEMO_OPTIONS = {
    "lang": "lang",
    "title": "title",
    "color": "color",
    "customer_id": "customer-id",
    "customer_tier": "customer-tier",
    "customer_expires": "customer-expires",
    "customer_signature": "customer-signature",
}

widget_blueprint = Blueprint("widget")
widget_blueprint.static("/widget/", str(WIDGET_DIR), name="files")


@widget_blueprint.get("/demo")
@api("A stand-in shop page with the widget", role=None, response=None, content_type="text/html")
async def demo(request: Request) -> HTTPResponse:
    """A stand-in shop page with the widget, talking to this deployment's Rasa."""
    settings = request.app.ctx.settings
    options = {"server": settings.rasa_url, "lang": "en", "title": "Nordvind Sport"}
    options["keep-days"] = f"{settings.retention.widget:g}"  # the browser's copy, at most
    for arg, option in DEMO_OPTIONS.items():
        value = request.args.get(arg)
        if value:
            options[option] = value[:200]
    attrs = " ".join(f'data-{k}="{html.escape(v, quote=True)}"' for k, v in options.items())
    page = (WIDGET_DIR / "demo.html").read_text(encoding="utf-8")
    return html_response(
        page.replace("{{lang}}", html.escape(options["lang"])).replace("{{widget_attrs}}", attrs)
    )
