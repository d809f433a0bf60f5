from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.errors import SettingsError
from bot.settings import Settings


def test_settings_from_env_reads_overrides() -> None:
    settings = Settings.from_env(
        {
            "BOT_FAQ_DIR": "/kb",
            "DATABASE_URL": "postgresql://x@h/db",
            "BOT_EMBEDDING_MODEL": "intfloat/multilingual-e5-small",
            "BOT_ANSWER_THRESHOLD": "0.8",
            "BOT_PORT": "6000",
        }
    )
    assert settings.faq_dir == Path("/kb")
    assert settings.database_url == "postgresql://x@h/db"
    assert settings.embedding_model == "intfloat/multilingual-e5-small"
    assert settings.threshold_override is not None and settings.threshold_override[0] == 0.8
    assert settings.port == 6000


def test_settings_from_env_defaults_work_offline() -> None:
    settings = Settings.from_env({})
    assert settings.embedding_model == "e5-onnx"
    assert settings.database_url.startswith("sqlite:///")
    assert settings.threshold_override is None  # the index's calibrated thresholds apply


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"BOT_ANSWER_THRESHOLD": "high"}, "BOT_ANSWER_THRESHOLD"),
        ({"BOT_DEFAULT_LANGUAGE": "de"}, "BOT_DEFAULT_LANGUAGE"),
        ({"BOT_ANSWER_THRESHOLD": "0.1", "BOT_CLARIFY_THRESHOLD": "0.5"}, "BOT_CLARIFY_THRESHOLD"),
        ({"BOT_CLOCK": "yesterday at noon"}, "BOT_CLOCK"),  # at start, not at the first handoff
        ({"BOT_FRUSTRATION_HANDOFF": "high"}, "BOT_FRUSTRATION_HANDOFF"),
        ({"BOT_ENCODER_WORKERS": "two"}, "BOT_ENCODER_WORKERS"),
        ({"BOT_ENCODER_WORKERS": "-1"}, "BOT_ENCODER_WORKERS"),
        ({"BOT_ENCODER_THREADS": "1.5"}, "BOT_ENCODER_THREADS"),
        ({"BOT_ENCODER_THREADS": "1000"}, "BOT_ENCODER_THREADS"),
    ],
)
def test_settings_from_env_rejects_bad_values(env: dict[str, str], name: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env(env)


@pytest.mark.parametrize(
    ("raw", "mode"),
    [("auto", "auto"), ("1", "auto"), ("always", "always"), ("Off", "off"), ("0", "off")],
)
def test_adapter_mode_reads_auto_always_off_and_the_old_switch(raw: str, mode: str) -> None:
    assert Settings.from_env({"BOT_KB_ADAPTER": raw}).kb_adapter == mode


def test_encoder_workers_and_threads_read_counts_and_auto() -> None:
    assert (Settings().encoder_workers, Settings().encoder_threads) == (0, 0)
    given = Settings.from_env({"BOT_ENCODER_WORKERS": "3", "BOT_ENCODER_THREADS": "2"})
    assert (given.encoder_workers, given.encoder_threads) == (3, 2)
    auto = Settings.from_env({"BOT_ENCODER_WORKERS": "auto"}).encoder_workers
    assert auto == len(os.sched_getaffinity(0))


def test_an_unknown_adapter_mode_names_the_setting() -> None:
    with pytest.raises(SettingsError, match="BOT_KB_ADAPTER"):
        Settings.from_env({"BOT_KB_ADAPTER": "sometimes"})


def test_a_fixed_clock_is_kept_as_given() -> None:
    assert Settings.from_env({"BOT_CLOCK": "2026-03-03T10:00:00+01:00"}).clock == (
        "2026-03-03T10:00:00+01:00"
    )


def test_api_tokens_and_console_users_are_parsed_at_start() -> None:
    settings = Settings.from_env(
        {
            "BOT_API_TOKENS": "helpdesk:helpdesk-token-0123456789:agent+editor;"
            " dpo:d:p-0123456789abcdef:admin",
            "BOT_CONSOLE_USERS": "edith:s3cret:editor+agent;"
            "ada:$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA:admin",
        }
    )
    assert [(t.name, t.token, t.roles) for t in settings.api_tokens] == [
        ("helpdesk", "helpdesk-token-0123456789", {"agent", "editor"}),
        ("dpo", "d:p-0123456789abcdef", {"admin"}),  # a colon inside the token is kept
    ]
    assert [(u.name, u.roles) for u in settings.console_users] == [
        ("edith", {"agent", "editor"}),
        ("ada", {"admin"}),
    ]
    assert settings.console_users[1].password.startswith("$argon2id$")
    assert "s3cret" not in repr(settings) and "helpdesk-token" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("BOT_API_TOKENS", "helpdesk:short:agent"),
        ("BOT_API_TOKENS", "helpdesk:helpdesk-token-0123456789:owner"),
        ("BOT_API_TOKENS", "helpdesk:helpdesk-token-0123456789:"),
        ("BOT_CONSOLE_USERS", "edith::editor"),
        ("BOT_CONSOLE_USERS", "edith:s3cret:superuser"),
        ("BOT_CONSOLE_USERS", ":s3cret:editor"),
    ],
)
def test_a_bad_token_or_account_stops_start_naming_the_variable_not_the_secret(
    name: str, raw: str
) -> None:
    with pytest.raises(SettingsError, match=name) as caught:
        Settings.from_env({name: raw})
    assert "s3cret" not in str(caught.value) and "0123456789" not in str(caught.value)
