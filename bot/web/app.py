"""create_app: rasa-sdk's action server with Svar's blueprints and start-up."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk.endpoint import create_app as create_action_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic

from bot import accounts, runtime
from bot.handoff import webhook
from bot.privacy import logs as privacy_logs
from bot.privacy.schedule import run_purges
from bot.runtime import Runtime
from bot.settings import Settings
from bot.web import audit, security
from bot.web.auth import ConsoleAuth
from bot.web.console import console
from bot.web.editor import editor
from bot.web.editor_api import editor_api
from bot.web.handoff_api import handoff_api
from bot.web.health import health_blueprint, install_timing
from bot.web.privacy_api import privacy_api
from bot.web.status import status_blueprint
from bot.web.widget import widget_blueprint

logger = logging.getLogger(__name__)


def create_app(settings: Settings, rt: Runtime | None = None) -> Sanic[Any, Any]:
    """One Sanic app serving `/webhook` (Rasa's action protocol) and `/status`.

    The runtime (database, model, index) is built once, before the server
    accepts requests; tests may pass a ready one.
    """
    privacy_logs.install()  # no personal data, no tokens in the service's log lines
    executor = ActionExecutor()
    executor.register_package("actions")
    # No CORS: the widget's files load by <script>/<link>, and nothing here is for
    # other origins' scripts to call.
    app = create_action_app(executor, cors_origins=None)
    app.config.KEEP_ALIVE_TIMEOUT = 30
    security.install(app, settings)
    app.ctx.settings = settings
    app.ctx.auth = ConsoleAuth.from_settings(settings)
    app.blueprint(status_blueprint)
    app.blueprint(health_blueprint)
    install_timing(app)
    app.blueprint(handoff_api)
    app.blueprint(privacy_api)
    app.blueprint(console)
    app.blueprint(editor)
    app.blueprint(editor_api)
    app.blueprint(widget_blueprint)
    audit.install(app)  # staff actions logged, login throttle shared by replicas

    @app.before_server_start
    async def start_runtime(app: Sanic[Any, Any]) -> None:
        started: Runtime = (
            rt if rt is not None else await asyncio.to_thread(Runtime.start, settings)
        )
        await asyncio.to_thread(accounts.seed_from_env, started.db, settings.console_users)
        runtime.install(started)
        app.ctx.runtime = started
        if settings.webhook_url and settings.webhook_secret:
            app.add_task(webhook.run_outbox(started.db, settings.webhook_secret), name="outbox")
        if settings.retention.purge_every_hours > 0:  # one replica at a time: a lease row
            # A factory, not a coroutine: Sanic starts it once the loop runs.
            app.add_task(
                lambda _app: run_purges(started.db, settings),  # type: ignore[arg-type]
                name="privacy-purge",
            )
        logger.info("bot service ready on %s:%s", settings.host, settings.port)

    @app.before_server_stop
    async def stop_outbox(app: Sanic[Any, Any]) -> None:
        await app.cancel_task("outbox", raise_exception=False)
        await app.cancel_task("privacy-purge", raise_exception=False)

    @app.after_server_stop
    async def stop_runtime(app: Sanic[Any, Any]) -> None:
        if rt is None:
            app.ctx.runtime.close()
        runtime.install(None)

    return app  # type: ignore[no-any-return]
