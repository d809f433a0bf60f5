"""The Rasa process's own sentences, from the same catalogue as the bot service's.

`locale/<lang>/messages.yml` at the repository root holds every sentence Svar says
to a customer; the `rasa` section is what this process says by itself (the action
server failed, a message is too long, WhatsApp's list button). The bot service reads
the same files through `bot/locale.py`; this package imports nothing from `bot`, so
it reads them with these few lines. Read once per process.
"""

from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Text, Tuple

import yaml

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
FALLBACK = "en"


@lru_cache(maxsize=1)
def languages() -> Tuple[Text, ...]:
    """The languages that have a catalogue, English first, then alphabetically."""
    found = sorted(p.parent.name for p in LOCALE_DIR.glob("*/messages.yml"))
    return tuple(sorted(found, key=lambda lang: (lang != FALLBACK, lang)))


@lru_cache(maxsize=None)
def sentences(lang: Text) -> Dict[Text, Text]:
    """The `rasa` section of one language's catalogue."""
    path = LOCALE_DIR / lang / "messages.yml"
    with path.open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle).get("rasa") or {})


def say(key: Text, lang: Optional[Text], **values: object) -> Text:
    """The sentence `key` in `lang` (English for an unknown language), `values` filled in."""
    lang = lang if lang in languages() else FALLBACK
    text = sentences(lang).get(key) or sentences(FALLBACK)[key]
    return text.format(**values) if values else text
