"""The widget never waits for nothing: a message the bot does not answer in time, or that
the server says it could not store, gets a polite notice in the conversation's language
and a "Try again" button; a message stored in a handed-off conversation gets neither.

Headless Chromium runs the real svar.js and socket.io client; the page and the socket.io
server are Playwright routes (a few lines of the Engine.IO v4 / Socket.IO v5 protocol
below), so each test decides exactly what the server answers and when.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import headless_chromium

WIDGET = Path(__file__).resolve().parents[2] / "bot" / "web" / "widget"
ORIGIN = "http://svar.test"
SESSION = "0123456789abcdef0123456789abcdef"
EMIT = re.compile(r"^42(\d*)(\[.*)$", re.S)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with headless_chromium() as launched:
        yield launched


class FakeServer:
    """Rasa's socket.io channel as the widget sees it; `on_message(text, ack)` decides
    what happens to each customer message (ack(payload) acknowledges it)."""

    def __init__(self, on_message: Callable[[FakeServer, str, Callable[[Any], None]], None]):
        self.on_message = on_message
        self.received: list[str] = []
        self.ws: Any = None

    def route(self, ws: Any) -> None:
        self.ws = ws
        ws.on_message(self._handle)
        open_packet = {"sid": "e", "upgrades": [], "pingInterval": 25000, "pingTimeout": 20000}
        ws.send("0" + json.dumps({**open_packet, "maxPayload": 1000000}))

    def say(self, message: dict[str, Any]) -> None:
        self.ws.send("42" + json.dumps(["bot_uttered", message]))

    def _handle(self, packet: str | bytes) -> None:
        packet = str(packet)
        if packet == "40":
            self.ws.send('40{"sid":"s"}')
            return
        found = EMIT.match(packet)
        if not found:
            return
        ack_id, (event, data) = found.group(1), json.loads(found.group(2))
        if event == "session_request":
            self.ws.send("42" + json.dumps(["session_confirm", SESSION]))
        elif event == "user_uttered":
            self.received.append(data["message"])

            def ack(payload: Any) -> None:
                if ack_id:
                    self.ws.send(f"43{ack_id}" + json.dumps([payload]))

            self.on_message(self, data["message"], ack)


def open_widget(browser: Any, server: FakeServer, lang: str, reply_timeout: float) -> Any:
    page = browser.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    html = (
        f'<!doctype html><html lang="{lang}"><body>'
        f'<script src="{ORIGIN}/widget/svar.js" data-server="{ORIGIN}" '
        f'data-reply-timeout="{reply_timeout}"></script></body></html>'
    )

    def serve(route: Any) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path.startswith("/widget/"):
            file = WIDGET / path.removeprefix("/widget/")
            kind = "text/css" if file.suffix == ".css" else "text/javascript"
            route.fulfill(body=file.read_bytes(), content_type=f"{kind}; charset=utf-8")
        else:
            route.fulfill(body=html, content_type="text/html; charset=utf-8")

    page.route_web_socket(re.compile(r".*/socket\.io/.*"), server.route)
    page.route(re.compile(r"^http://svar\.test/.*"), serve)
    page.goto(f"{ORIGIN}/shop")
    root = page.locator("#svar-widget")
    page.locator(".launcher").click()
    root.and_(page.locator("[data-state=ready]")).wait_for(state="attached")
    return page


def ask(page: Any, text: str) -> None:
    page.locator("#svar-input").fill(text)
    page.keyboard.press("Enter")


def test_an_unanswered_message_gets_a_notice_and_a_retry(browser: Any) -> None:
    def answer_only_the_second_time(server: FakeServer, text: str, ack: Any) -> None:
        if len(server.received) > 1:
            server.say({"text": f"Shipping takes 2-3 days. ({text})"})
            ack({"ok": True})

    server = FakeServer(answer_only_the_second_time)
    page = open_widget(browser, server, "en", reply_timeout=1)
    ask(page, "How long is shipping?")
    notice = page.locator(".msg.notice")
    notice.get_by_text("Sorry, no answer came through. Please try again.").wait_for()
    again = notice.get_by_role("button", name="Try again")
    again.click()
    page.locator(".msg.bot .bubble", has_text="Shipping takes 2-3 days").wait_for()
    assert server.received == ["How long is shipping?", "How long is shipping?"]
    assert again.is_disabled()
    page.wait_for_timeout(1500)  # the retry was answered: no second notice
    assert notice.count() == 1
    assert page.locator(".msg.user").count() == 2
    assert not page.errors, page.errors
    page.close()


def test_a_message_the_server_could_not_store_is_told_at_once_in_the_page_language(
    browser: Any,
) -> None:
    def store_down(server: FakeServer, text: str, ack: Any) -> None:
        ack({"ok": False, "error": "not_stored"})

    server = FakeServer(store_down)
    page = open_widget(browser, server, "sv", reply_timeout=60)
    ask(page, "Hur lång är leveranstiden?")
    notice = page.locator(".msg.notice")
    notice.get_by_text("Tyvärr kom inget svar fram. Försök igen.").wait_for(timeout=5_000)
    assert notice.get_by_role("button", name="Försök igen").is_enabled()
    # The notice outlives a reload, its button still there.
    page.reload()
    page.locator("#svar-widget[data-state=ready]").wait_for(state="attached")
    assert page.locator(".msg.notice .retry").count() == 1
    assert not page.errors, page.errors
    page.close()


def test_a_stored_message_without_a_reply_gets_no_notice(browser: Any) -> None:
    """A handed-off conversation: the bot is paused, the message is stored and acked."""

    def paused(server: FakeServer, text: str, ack: Any) -> None:
        ack({"ok": True})

    server = FakeServer(paused)
    page = open_widget(browser, server, "nb", reply_timeout=1)
    ask(page, "Er det noen der?")
    page.wait_for_timeout(2500)
    assert server.received == ["Er det noen der?"]
    assert page.locator(".msg.notice").count() == 0
    assert not page.errors, page.errors
    page.close()
