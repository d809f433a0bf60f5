"""Fitting Rasa's buttons into the platforms' size limits without losing their meaning."""

from typing import Any, Dict, List, Text, Tuple

from svar_langid import detect
from svar_rasa.locale import say


def shorten(text: Text, limit: int) -> Text:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def numbered_titles(
    text: Text, buttons: List[Dict[Text, Any]], limit: int
) -> Tuple[Text, List[Text]]:
    """Titles cut to `limit`; when one is cut, the full titles go into the text, numbered."""
    titles = [str(b.get("title") or b.get("payload") or "") for b in buttons]
    if all(len(t) <= limit for t in titles):
        return text, titles
    listed = "\n".join(f"{i}. {t}" for i, t in enumerate(titles, start=1))
    short = [shorten(f"{i}. {t}", limit) for i, t in enumerate(titles, start=1)]
    return f"{text}\n\n{listed}", short


def choose_label(text: Text) -> Text:
    """The label of WhatsApp's list button, in the language of the message it belongs to."""
    return say("choose", detect(text).lang)
