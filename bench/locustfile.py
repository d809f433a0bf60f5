"""Customers and agents for `make bench-load` (run by locust, in var/venv-load; see bench/load.py).

Each simulated customer is one conversation, over Rasa's REST channel or over the
widget's socket.io channel (half each), in one of five languages, with a realistic
mix: mostly knowledge-base questions, some one-word questions that get a clarify,
some the KB cannot answer, feedback on an answer, now and then a request for a
person, whose ticket an agent then claims, answers and resolves through the bot
service's API. A socket.io customer who handed off waits for the agent's reply in
the conversation, as the widget does.

Every request is logged (time, channel, kind, latency, ok, outcome) to $SVAR_LOAD_LOG
for bench/load.py to cut into load steps and to check the mix reached every outcome.
A REST turn's latency is the webhook's; a socket.io turn's runs from the emit to the
bot's first message.

Only locust, python-socketio and the standard library: this runs outside the project's
environments.
"""

import contextlib
import json
import os
import queue
import random
import socket
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import socketio
from locust import HttpUser, LoadTestShape, User, between, events, task

MESSAGES = json.loads(Path(os.environ["SVAR_LOAD_MESSAGES"]).read_text(encoding="utf-8"))
BOT_URL = os.environ["SVAR_LOAD_BOT_URL"]
CONSOLE_TOKEN = os.environ["SVAR_LOAD_CONSOLE_TOKEN"]
STEPS = [int(n) for n in os.environ.get("SVAR_LOAD_STEPS", "4,8,16,24,32,48,64").split(",")]
STEP_SECONDS = float(os.environ.get("SVAR_LOAD_STEP_SECONDS", "20"))
REPLY_SECONDS = 30.0  # a turn without a reply by then is an error
TURN_QUIET_SECONDS = 1.0  # a turn's messages arrive together; this long without one ends it
AGENT_WAIT_SECONDS = 60.0  # how long a handed-off widget customer waits for the agent
_log = open(os.environ["SVAR_LOAD_LOG"], "a", encoding="utf-8")  # noqa: SIM115  (for the run)
_log_lock = threading.Lock()
# Handed-off tickets for the agents: widget customers are waiting in the conversation,
# so theirs come first.
_tickets: dict[str, list] = {"sio": [], "rest": []}
# Customers sign off; varying it keeps most turns texts the bot service has not embedded
# before (its per-text memory would make repeated questions free).
SIGN_OFFS = ["Thanks", "Takk", "Tack", "Tak", "Bedankt", "Mvh", "Hilsen", "Groeten", "Cheers"]
NAMES = ["Kari", "Ola", "Anna", "Erik", "Piet", "Mette", "Sanne", "Lars", "Ingrid", "Jonas"]


def signed(question):
    return f"{question} {random.choice(SIGN_OFFS)}, {random.choice(NAMES)} {random.randint(1, 99)}"


def outcome_of(messages):
    """What the bot did in a turn: the contract's kind, else 'text' (a plain response)."""
    for m in messages:
        kind = (m.get("custom") or {}).get("kind")
        if kind:
            return kind
    return "text" if messages else "none"


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    outcome = (kwargs.get("context") or {}).get("outcome", "")
    channel = "sio" if request_type == "sio" else "rest"  # HTTP: REST customers and agents
    with _log_lock:
        ok = 0 if exception else 1
        _log.write(f"{time.time():.3f},{channel},{name},{response_time:.1f},{ok},{outcome}\n")
        _log.flush()


class Conversation(User):
    """The mix of turns, the same over either channel; `say` is the channel."""

    abstract = True
    wait_time = between(0.5, 1.5)  # a busy hour: many conversations, short pauses
    channel = ""

    def say(self, kind, text):
        raise NotImplementedError

    def start_conversation(self):
        self.lang = random.choice(sorted(MESSAGES["questions"]))
        self.answered = False

    def handed_off(self, ticket_id):
        """A person takes over and the bot is paused for this conversation: queue the
        ticket for an agent; the next turns are a new customer's."""
        if ticket_id:
            _tickets[self.channel].append(ticket_id)
        self.start_conversation()

    def turn(self, kind, text):
        messages = self.say(kind, text)
        contracts = [m.get("custom") or {} for m in messages]
        handoff = next((c for c in contracts if c.get("kind") == "handoff"), None)
        if handoff is not None:
            # Repeated failures, frustration or asking: a person takes over.
            self.handed_off(handoff.get("ticket_id"))
        return messages

    @task(12)
    def kb_question(self):
        replies = self.turn("kb", signed(random.choice(MESSAGES["questions"][self.lang])))
        self.answered = outcome_of(replies) == "answer"

    @task(2)
    def clarify(self):
        self.turn("clarify", random.choice(MESSAGES["vague"]))

    @task(2)
    def no_answer(self):
        self.turn("no_answer", signed(random.choice(MESSAGES["unanswerable"])))

    @task(2)
    def feedback(self):
        if self.answered:
            self.turn("feedback", random.choice(["/feedback_helpful", "/feedback_not_helpful"]))
            self.answered = False

    @task(1)
    def greeting(self):
        self.turn("plain", random.choice(MESSAGES["greetings"]))

    @task(1)
    def handoff(self):
        if random.random() < 0.3:  # asking for a person now and then (~1 turn in 60)
            self.turn("handoff", MESSAGES["human"][self.lang])


class RestCustomer(Conversation, HttpUser):
    """A conversation over Rasa's REST channel (a company's own app or backend)."""

    channel = "rest"

    def on_start(self):
        self.start_conversation()

    def start_conversation(self):
        super().start_conversation()
        self.sender = f"load-{uuid.uuid4().hex[:12]}"

    def say(self, kind, text):
        body = {"sender": self.sender, "message": text}
        with self.client.post(
            "/webhooks/rest/webhook",
            json=body,
            name=kind,
            catch_response=True,
            timeout=REPLY_SECONDS,
            context={},
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return []
            messages = response.json()
            response.request_meta["context"]["outcome"] = outcome_of(messages)
            if not messages:
                response.failure("no reply")
        return messages


class WidgetCustomer(Conversation):
    """A conversation over the widget's socket.io channel, speaking its protocol
    (svar_rasa/channels/widget.py, bot/web/widget/svar.js): a session, then
    `user_uttered` with the session id and the page's language, `bot_uttered` back.

    Each customer connects from its own loopback address (127.0.0.2-254): HAProxy
    keeps a socket.io session on one replica by the client's address, and real
    customers do not all share one.
    """

    channel = "sio"

    def on_start(self):
        self.client = None
        self.start_conversation()

    def on_stop(self):
        self._close()

    def _close(self):
        if self.client is not None:
            with contextlib.suppress(Exception):  # already gone
                self.client.disconnect()
            self.client = None

    def start_conversation(self):
        super().start_conversation()
        self._close()
        self.inbox = queue.Queue()
        self.session = None

    def _connect(self):
        """Open the socket and ask for a session, as the widget does; reported as 'connect'."""
        address = urlsplit(self.host)
        started = time.perf_counter()
        error = None
        try:
            raw = socket.create_connection(
                (address.hostname, address.port),
                timeout=REPLY_SECONDS,
                source_address=(f"127.0.0.{random.randint(2, 254)}", 0),
            )
            client = socketio.Client(reconnection=False, websocket_extra_options={"socket": raw})
            client.on("session_confirm", lambda data: self.inbox.put(("session", data)))
            client.on("bot_uttered", lambda data: self.inbox.put(("bot", data)))
            client.connect(self.host, transports=["websocket"], wait_timeout=REPLY_SECONDS)
            self.client = client
            client.emit("session_request", {"session_id": None})
            kind, data = self.inbox.get(timeout=REPLY_SECONDS)
            if kind != "session":
                raise RuntimeError(f"{kind} before session_confirm")
            self.session = data if isinstance(data, str) else (data or {}).get("session_id")
        except Exception as exc:  # reported to locust
            error = exc
            self._close()
        events.request.fire(
            request_type="sio",
            name="connect",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={"outcome": "session" if error is None else "failed"},
        )
        return error is None

    def say(self, kind, text):
        if self.client is None and not self._connect():
            return []
        while not self.inbox.empty():  # late messages of an earlier turn
            self.inbox.get_nowait()
        started = time.perf_counter()
        messages, error, elapsed = [], None, 0.0
        try:
            self.client.emit(
                "user_uttered",
                {
                    "message": text,
                    "session_id": self.session,
                    "metadata": {"language": self.lang, "page": "https://shop.example/help"},
                },
            )
            messages.append(self.inbox.get(timeout=REPLY_SECONDS)[1])
            elapsed = (time.perf_counter() - started) * 1000
            while True:
                try:
                    messages.append(self.inbox.get(timeout=TURN_QUIET_SECONDS)[1])
                except queue.Empty:
                    break
        except queue.Empty:
            error = TimeoutError(f"no reply within {REPLY_SECONDS:.0f} s")
            elapsed = REPLY_SECONDS * 1000
        except Exception as exc:  # a dropped socket: reported, then reconnect
            error = exc
            elapsed = (time.perf_counter() - started) * 1000
            self.start_conversation()
        events.request.fire(
            request_type="sio",
            name=kind,
            response_time=elapsed,
            response_length=len(messages),
            exception=error,
            context={"outcome": outcome_of(messages)},
        )
        return messages

    def handed_off(self, ticket_id):
        """Wait in the conversation for the agent's reply, as a widget customer does."""
        if ticket_id:
            _tickets["sio"].append(ticket_id)
            started = time.perf_counter()
            reply = None
            deadline = time.monotonic() + AGENT_WAIT_SECONDS
            while reply is None and time.monotonic() < deadline:
                try:
                    kind, data = self.inbox.get(timeout=max(0.1, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if kind == "bot" and (data or {}).get("agent"):
                    reply = data
            events.request.fire(
                request_type="sio",
                name="agent_seen",
                response_time=(time.perf_counter() - started) * 1000,
                response_length=0,
                exception=None if reply else TimeoutError("no agent reply"),
                context={"outcome": "agent" if reply else "none"},
            )
        self.start_conversation()


class Agent(HttpUser):
    """An agent working the queue through the bot service's API: claim, reply, resolve
    (the bot takes the conversation back)."""

    fixed_count = 2
    wait_time = between(0.5, 1.5)

    @task
    def answer_a_ticket(self):
        queue_ = _tickets["sio"] or _tickets["rest"]
        if not queue_:
            return
        ticket = queue_.pop(0)
        headers = {"authorization": f"Bearer {CONSOLE_TOKEN}"}
        url = f"{BOT_URL}/api/tickets/{ticket}"  # absolute: --host names Rasa's balancer
        for step, body in (
            ("claim", None),
            ("reply", {"text": "Hi, Kari here. Let me look at that for you."}),
            ("resolve", None),
        ):
            response = self.client.post(
                f"{url}/{step}", json=body, headers=headers, name=f"agent_{step}", timeout=30
            )
            if response.status_code != 200:
                return


class Steps(LoadTestShape):
    """More customers every STEP_SECONDS; stops after the last step."""

    def tick(self):
        step = int(self.get_run_time() // STEP_SECONDS)
        if step >= len(STEPS):
            return None
        return STEPS[step] + Agent.fixed_count, max(1, STEPS[step])  # customers plus the agents
