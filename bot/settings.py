"""Settings.from_env(): the only place that reads the environment."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.errors import SettingsError

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "bundled:multilingual-e5-small"
LANGUAGES = ("en", "nb", "sv", "da", "nl")


@dataclass(frozen=True)
class Thresholds:
    """Fused-score cut-offs of the answer / clarify / no-answer decision.

    `answer`: the top candidate is answered outright at or above this score,
    provided it leads the runner-up by `margin`. `clarify`: candidates at or
    above it are offered as buttons. Below `clarify` the bot says it does not
    know. Every index build calibrates them (bot/kb/calibrate.py); the
    `BOT_*_THRESHOLD` variables override the calibrated values.
    """

    answer: float
    clarify: float
    margin: float


@dataclass(frozen=True)
class Settings:
    """Everything configurable about the bot service, read once at start."""

    faq_dir: Path = ROOT / "data" / "faq"
    index_dir: Path = ROOT / "kb_index"
    database_url: str = f"sqlite:///{ROOT / 'var' / 'svar.db'}"
    embedding_model: str = DEFAULT_MODEL
    thresholds: Thresholds | None = None  # None: the index's calibrated thresholds
    languages: tuple[str, ...] = LANGUAGES
    default_language: str = "en"
    language_confidence: float = 0.6
    support_email: str = "support@nordvind.example"
    support_phone: str = "+47 22 00 00 00"
    host: str = "127.0.0.1"
    port: int = 5055
    rasa_url: str = "http://127.0.0.1:5005"
    console_token: str | None = None
    console_users: str = ""
    secret_key: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `BOT_*` variables and `DATABASE_URL`."""
        env = os.environ if env is None else env
        base = cls()
        thresholds = None
        if env.get("BOT_ANSWER_THRESHOLD") or env.get("BOT_CLARIFY_THRESHOLD"):
            answer = _float(env, "BOT_ANSWER_THRESHOLD", 0.0)
            thresholds = Thresholds(
                answer=answer,
                clarify=_float(env, "BOT_CLARIFY_THRESHOLD", answer),
                margin=_float(env, "BOT_CLARIFY_MARGIN", 0.0),
            )
        settings = cls(
            faq_dir=Path(env.get("BOT_FAQ_DIR", str(base.faq_dir))),
            index_dir=Path(env.get("BOT_INDEX_DIR", str(base.index_dir))),
            database_url=env.get("DATABASE_URL", base.database_url),
            embedding_model=env.get("BOT_EMBEDDING_MODEL", base.embedding_model),
            thresholds=thresholds,
            default_language=env.get("BOT_DEFAULT_LANGUAGE", base.default_language),
            language_confidence=_float(env, "BOT_LANGUAGE_CONFIDENCE", base.language_confidence),
            support_email=env.get("BOT_SUPPORT_EMAIL", base.support_email),
            support_phone=env.get("BOT_SUPPORT_PHONE", base.support_phone),
            host=env.get("BOT_HOST", base.host),
            port=int(_float(env, "BOT_PORT", base.port)),
            rasa_url=env.get("RASA_URL", base.rasa_url).rstrip("/"),
            console_token=env.get("BOT_CONSOLE_TOKEN") or None,
            console_users=env.get("BOT_CONSOLE_USERS", ""),
            secret_key=env.get("BOT_SECRET_KEY") or None,
        )
        if settings.default_language not in settings.languages:
            raise SettingsError(
                "BOT_DEFAULT_LANGUAGE", settings.default_language, f"not one of {LANGUAGES}"
            )
        if thresholds and not thresholds.clarify <= thresholds.answer:
            raise SettingsError(
                "BOT_CLARIFY_THRESHOLD", str(thresholds.clarify), "must not exceed the answer one"
            )
        return settings


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise SettingsError(name, raw, "not a number") from exc
