"""Schema-driven fuzzing: schemathesis drives the real bot service from its own OpenAPI document.

The service (tests/security/staff_service.py) runs as a real server over a database of its own.
Every operation in `/api/openapi.json` gets cases generated from its declared parameters and
bodies, valid ones and ones that break the schema (wrong types, missing fields, boundary values),
sent with the credentials the operation names (`x-role`): a bearer token per role for the JSON
APIs, as integrations use them, and a console session cookie for the staff pages. Each answer
must pass schemathesis' checks — no 5xx, a status code, content type and body the document
declares for the operation — and come within `SVAR_FUZZ_MAX_SECONDS`.

`make test` runs a short session (`SVAR_SCHEMA_EXAMPLES`, default 3 generated cases per
operation and mode, plus schemathesis' coverage phase: boundary and missing values, the same
cases every run); `make fuzz` runs the long one (60 per operation and mode, a new seed each
run, and every method a route does not take).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import strategies as st
from sanic import Sanic
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bench.stack import free_port, stop_process, wait_for_server
from bot.settings import Settings
from bot.web import create_app
from bot.web.openapi import openapi_document
from tests.security.staff_service import ACTION_TOKEN, TOKENS

pytestmark = [pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("SVAR_SCHEMA_EXAMPLES", "3"))
LONG = EXAMPLES >= 20
MAX_SECONDS = float(os.environ.get("SVAR_FUZZ_MAX_SECONDS", "3.0"))
STAFF_LOGIN = {"name": "fuzz-staff", "password": "fuzz-staff-password"}
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Ids of the rows the service was seeded with, by path parameter (filled once it has started).
SEEDED: dict[str, list[Any]] = {}


@dataclass
class StaffService:
    url: str
    seeded: dict[str, list[Any]]
    session: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    slowest: tuple[float, str] = (0.0, "")


@pytest.fixture(scope="session")
def staff_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffService]:
    workdir = tmp_path_factory.mktemp("schema-fuzz")
    port = free_port()
    log = workdir / "service.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.security.staff_service", str(workdir), str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=log.open("wb"),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the staff service did not start:\n{log.read_text()[-4000:]}")
        service = StaffService(f"http://127.0.0.1:{port}", json.loads(line))
        SEEDED.update(service.seeded)
        wait_for_server(f"{service.url}/health", process, log, seconds=60)
        service.session = _sign_in(service.url)
        yield service
        _report(service)
    finally:
        stop_process(process)


def _sign_in(url: str) -> str:
    """A console session, signed in before the fuzzer's failed logins throttle this address."""
    response = httpx.post(f"{url}/console/login", data=STAFF_LOGIN, follow_redirects=False)
    assert response.status_code == 302, response.text
    return str(response.cookies["svar_session"])


def _report(service: StaffService) -> None:
    total = sum(service.counts.values())
    groups = ", ".join(f"{group} {n}" for group, n in sorted(service.counts.items()))
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(service.statuses.items()))
    print(
        f"\nschema fuzz: {total} cases ({groups}); statuses {statuses}; "
        f"slowest answer {service.slowest[0]:.3f}s ({service.slowest[1]})"
    )


def the_document() -> dict[str, Any]:
    """The document as the service generates it (the test checks the served one is the same).

    Built here, at collection, because schemathesis makes one test per operation from it.
    """
    Sanic.test_mode = True  # more than one app in this process
    return openapi_document(create_app(Settings.from_env({})))


DOCUMENT = the_document()
schema = schemathesis.openapi.from_dict(
    DOCUMENT,
    config=schemathesis.Config.from_dict(
        {
            "seed": int(time.time()) if LONG else 7731,  # the short run is the same every time
            # The credentials are the test's (below), not generated ones.
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES,
                "with-security-parameters": False,
            },
            "phases": {
                "examples": {"enabled": False},
                "stateful": {"enabled": False},
                # The short run leaves out methods the routes do not take (Sanic's 405s).
                "coverage": {} if LONG else {"unexpected-methods": []},
            },
            "request-timeout": 30,
        }
    ),
)


@schema.hook
def flatmap_path_parameters(context: Any, path: dict[str, Any] | None) -> Any:
    """Half the cases name a row that exists, so the handlers past the 404 are reached."""
    if not isinstance(path, dict):
        return st.just(path)
    known = {k: st.sampled_from(SEEDED[k]) for k in path if SEEDED.get(k)}
    if not known:
        return st.just(path)
    return st.one_of(st.just(path), st.fixed_dictionaries(known).map(lambda v: {**path, **v}))


def test_the_fuzzed_document_is_the_one_served(staff_service: StaffService) -> None:
    served = httpx.get(f"{staff_service.url}/api/openapi.json", timeout=30).json()
    assert served == DOCUMENT


def credentials(operation: Any, service: StaffService) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, cookies): the role's token for APIs, the session for pages, the action token
    for Rasa's door, nothing for what is public."""
    definition = operation.definition.raw
    role, path = definition.get("x-role"), operation.path
    if path in ("/webhook", "/actions"):
        return {"authorization": f"Bearer {ACTION_TOKEN}"}, {}
    if not role:
        return {}, {}
    if path.startswith("/api/"):
        return {"authorization": f"Bearer {TOKENS[role]}"}, {}
    return {}, {"svar_session": service.session}


def group(path: str) -> str:
    """The route group a case counts under, for the report."""
    parts = path.strip("/").split("/")
    if parts[0] == "api" and len(parts) > 1:
        return f"api/{parts[1].split('.')[0]}"
    return parts[0] or "/"


@schema.parametrize()
def test_the_service_keeps_its_documented_contract(case: Any, staff_service: StaffService) -> None:
    headers, cookies = credentials(case.operation, staff_service)
    started = time.monotonic()
    response = case.call(
        base_url=staff_service.url, headers=headers, cookies=cookies, allow_redirects=False
    )
    took = time.monotonic() - started
    staff_service.counts[group(case.operation.path)] += 1
    staff_service.statuses[response.status_code] += 1
    staff_service.slowest = max(staff_service.slowest, (took, case.operation.label))
    case.validate_response(response, checks=CHECKS, headers=headers)
    assert took < MAX_SECONDS, (case.operation.label, took)
