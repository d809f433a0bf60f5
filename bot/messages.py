"""The bot service's own sentences, in every supported language.

They live in the `bot` section of `locale/<lang>/messages.yml`, beside Rasa's
responses and the widget's labels; these are the sentences around knowledge-base
answers and handoffs, rendered by the actions.
"""

from __future__ import annotations

from typing import Any

from bot.locale import FALLBACK, section

# key -> lang -> sentence, read once at import.
MESSAGES: dict[str, dict[str, str]] = section("bot")


def message(key: str, lang: str | None, **values: Any) -> str:
    """The sentence `key` in `lang` (English when missing), with `values` filled in."""
    variants = MESSAGES[key]
    return variants.get(lang or FALLBACK, variants[FALLBACK]).format(**values)


def team_name(team: str, lang: str | None) -> str:
    """A queue's name for customers ('billing' → 'fakturaavdelingen'); the id when unnamed."""
    key = f"team_{team}"
    return message(key, lang) if key in MESSAGES else team
