"""Customers and agents for `make bench-load` (run by locust, in var/venv-load; see bench/load.py).

Each simulated customer is one conversation over Rasa's REST channel, in one of five
languages, with a realistic mix: mostly knowledge-base questions, some one-word
questions that get a clarify, some the KB cannot answer, feedback on an answer, now
and then a request for a person, whose ticket an agent then answers through the bot
service's API. Every request is logged (time, kind, latency, status) to
$SVAR_LOAD_LOG for bench/load.py to cut into load steps.

Only locust and the standard library: this runs outside the project's environments.
"""

import json
import os
import random
import threading
import time
import uuid
from pathlib import Path

from locust import HttpUser, LoadTestShape, between, events, task

MESSAGES = json.loads(Path(os.environ["SVAR_LOAD_MESSAGES"]).read_text(encoding="utf-8"))
BOT_URL = os.environ["SVAR_LOAD_BOT_URL"]
CONSOLE_TOKEN = os.environ["SVAR_LOAD_CONSOLE_TOKEN"]
STEPS = [int(n) for n in os.environ.get("SVAR_LOAD_STEPS", "4,8,16,24,32,48,64").split(",")]
STEP_SECONDS = float(os.environ.get("SVAR_LOAD_STEP_SECONDS", "20"))
_log = open(os.environ["SVAR_LOAD_LOG"], "a", encoding="utf-8")  # noqa: SIM115  (for the run)
_log_lock = threading.Lock()
_tickets: list = []
# Customers sign off; varying it keeps most turns texts the bot service has not embedded
# before (its per-text memory would make repeated questions free).
SIGN_OFFS = ["Thanks", "Takk", "Tack", "Tak", "Bedankt", "Mvh", "Hilsen", "Groeten", "Cheers"]
NAMES = ["Kari", "Ola", "Anna", "Erik", "Piet", "Mette", "Sanne", "Lars", "Ingrid", "Jonas"]


def signed(question):
    return f"{question} {random.choice(SIGN_OFFS)}, {random.choice(NAMES)} {random.randint(1, 99)}"


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    with _log_lock:
        ok = 0 if exception else 1
        _log.write(f"{time.time():.3f},{name},{response_time:.1f},{ok}\n")
        _log.flush()


class Customer(HttpUser):
    """One conversation: a customer asking, reading, sometimes giving feedback."""

    wait_time = between(0.5, 1.5)  # a busy hour: many conversations, short pauses

    def on_start(self):
        self.sender = f"load-{uuid.uuid4().hex[:12]}"
        self.lang = random.choice(sorted(MESSAGES["questions"]))
        self.answered = False

    def say(self, kind, text):
        body = {"sender": self.sender, "message": text}
        with self.client.post(
            "/webhooks/rest/webhook", json=body, name=kind, catch_response=True, timeout=30
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return []
            messages = response.json()
            if not messages:
                response.failure("no reply")
        for m in messages:
            custom = m.get("custom") or {}
            if custom.get("kind") == "handoff":
                # Repeated failures, frustration or asking: a person takes over, the bot
                # is paused for this conversation, and the next turns are a new customer's.
                if custom.get("ticket_id"):
                    _tickets.append(custom["ticket_id"])
                self.on_start()
        return messages

    @task(12)
    def kb_question(self):
        replies = self.say("kb", signed(random.choice(MESSAGES["questions"][self.lang])))
        self.answered = any((m.get("custom") or {}).get("kind") == "answer" for m in replies)

    @task(2)
    def clarify(self):
        self.say("clarify", random.choice(MESSAGES["vague"]))

    @task(2)
    def no_answer(self):
        self.say("no_answer", signed(random.choice(MESSAGES["unanswerable"])))

    @task(2)
    def feedback(self):
        if self.answered:
            self.say("feedback", random.choice(["/feedback_helpful", "/feedback_not_helpful"]))
            self.answered = False

    @task(1)
    def greeting(self):
        self.say("plain", random.choice(MESSAGES["greetings"]))

    @task(1)
    def handoff(self):
        if random.random() < 0.3:  # asking for a person now and then (~1 turn in 60)
            self.say("handoff", MESSAGES["human"][self.lang])


class Agent(HttpUser):
    """An agent answering handed-off tickets through the bot service's API."""

    fixed_count = 1
    wait_time = between(2.0, 4.0)

    @task
    def answer_a_ticket(self):
        if not _tickets:
            return
        ticket = _tickets.pop(0)
        headers = {"authorization": f"Bearer {CONSOLE_TOKEN}"}
        self.client.post(
            f"{BOT_URL}/api/tickets/{ticket}/reply",  # absolute: --host names Rasa's balancer
            json={"text": "Hi, Kari here. Let me look at that for you."},
            headers=headers,
            name="agent_reply",
            timeout=30,
        )


class Steps(LoadTestShape):
    """More customers every STEP_SECONDS; stops after the last step."""

    def tick(self):
        step = int(self.get_run_time() // STEP_SECONDS)
        if step >= len(STEPS):
            return None
        return STEPS[step] + 1, max(1, STEPS[step])  # customers plus the one agent
