from __future__ import annotations

import pytest

from bot.messages import MESSAGES, message, team_name
from bot.settings import LANGUAGES

HANDOFF_KEYS = [
    k for k in MESSAGES if k.startswith(("handoff_", "team_", "wait_")) or k == "talk_to_person"
]
VALUES = {
    "team": "kundeservice",
    "minutes": 15,
    "wait": "innen omtrent 15 minutter",
    "date": "07.06.",
    "time": "08:00",
    "ticket": "T1",
}


@pytest.mark.parametrize("key", HANDOFF_KEYS)
def test_every_handoff_sentence_exists_in_all_five_languages(key: str) -> None:
    assert set(MESSAGES[key]) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert "{" not in message(key, lang, **VALUES, hours=24)


def test_team_names_fall_back_to_the_queue_id() -> None:
    assert team_name("billing", "nb") == "fakturaavdelingen"
    assert team_name("privacy", "sv") == "privacy"
