"""Microsoft Presidio's recognizers on the same set, as the anchor for `bot privacy eval`.

Presidio is a benchmark dependency only: it is installed into a folder of its own
(`requirements/privacy-bench.txt`, see its header) that is appended to the import
path here, after the environment's own packages, so it can never shadow them.
Its recognizers are called directly: the analyzer engine would load a spaCy
language model, which cannot be downloaded here, and the recognizers compared
(pattern and phone-number ones) do not use it.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from bot.errors import BotError
from bot.settings import ROOT

logger = logging.getLogger(__name__)
PRESIDIO_DIR = Path(os.environ.get("SVAR_PRESIDIO_DIR", ROOT / "var" / "presidio"))
# Presidio's entity names → ours.
ENTITIES = {
    "CREDIT_CARD": "card",
    "IBAN_CODE": "iban",
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "SE_PERSONNUMMER": "personnummer",
    "FI_PERSONAL_IDENTITY_CODE": "henkilotunnus",
}
# The phone recognizer's regions, widened from its default (US, GB, DE, ...) to ours.
REGIONS = ("NO", "SE", "DK", "NL", "FI", "GB", "US", "DE", "FR")


class PresidioUnavailable(BotError):
    """presidio-analyzer is not installed; the evaluation reports it and scores Svar alone."""

    http_status = 503
    public = "personal-data masking is not available"


def presidio_finder() -> tuple[Any, frozenset[str]]:
    """A finder over Presidio's recognizers for our types, and the types it covers."""
    if PRESIDIO_DIR.is_dir() and str(PRESIDIO_DIR) not in sys.path:
        sys.path.append(str(PRESIDIO_DIR))
    logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)  # one line per recognizer
    try:
        _offline_tldextract()
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer,
            EmailRecognizer,
            FiPersonalIdentityCodeRecognizer,
            IbanRecognizer,
            PhoneRecognizer,
            SePersonnummerRecognizer,
        )
    except ImportError as exc:
        raise PresidioUnavailable(
            f"presidio-analyzer is not installed ({exc}); "
            "`.venv/bin/pip install --target var/presidio -r requirements/privacy-bench.txt`"
        ) from exc
    recognizers = [
        CreditCardRecognizer(),
        IbanRecognizer(),
        EmailRecognizer(),
        PhoneRecognizer(supported_regions=REGIONS),
        SePersonnummerRecognizer(),
        FiPersonalIdentityCodeRecognizer(),
    ]

    def find(text: str) -> list[tuple[str, str]]:
        found = []
        for recognizer in recognizers:
            entities = recognizer.supported_entities
            for result in recognizer.analyze(text, entities, None) or ():
                kind = ENTITIES.get(result.entity_type)
                if kind and result.score > 0:
                    found.append((kind, text[result.start : result.end]))
        return found

    return find, frozenset(ENTITIES.values())


def _offline_tldextract() -> None:
    """Presidio's e-mail check asks tldextract, which would fetch the suffix list online."""
    import tldextract

    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = extractor
    tldextract.tldextract.extract = extractor
