"""The masking step: recognizers find personal data, the masker replaces it.

Each recognizer sees the text as the recognizers before it left it (their finds
already replaced by placeholders), so a later, weaker recognizer never re-reads
an e-mail address's digits as a phone number. Adding a recognizer (a name
recognizer with a language model, say) is appending one object that has `find`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

# The typed placeholders the agent and the editor read in place of the value.
PLACEHOLDERS = {
    "fodselsnummer": "[fødselsnummer]",  # Norwegian fødselsnummer and D-nummer
    "personnummer": "[personnummer]",  # Swedish personnummer and samordningsnummer
    "cpr": "[cpr]",  # Danish CPR-nummer
    "bsn": "[bsn]",  # Dutch burgerservicenummer
    "henkilotunnus": "[henkilötunnus]",  # Finnish personal identity code
    "iban": "[iban]",
    "card": "[card]",
    "email": "[email]",
    "phone": "[phone]",
}
CONTACT_KINDS = ("phone", "email")


@dataclass(frozen=True)
class Span:
    """Where a recognizer found something in the text it was given."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    """One value that was masked. `value` lives in memory only: never log or store it."""

    kind: str
    value: str = field(repr=False)


@dataclass(frozen=True)
class Masked:
    """The masked text and what was taken out of it; the findings hold the values in memory only."""

    text: str
    findings: tuple[Finding, ...] = ()

    @property
    def kinds(self) -> list[str]:
        """The kind of each finding, in order, repeats included."""
        return [f.kind for f in self.findings]

    def contacts(self) -> dict[str, str]:
        """The last phone number and e-mail address given, as typed (for a callback)."""
        found: dict[str, str] = {}
        for finding in self.findings:
            if finding.kind in CONTACT_KINDS:
                found[finding.kind] = finding.value.strip()
        return found


class Recognizer(Protocol):
    """Finds one or more kinds of personal data; spans must not overlap."""

    def find(self, text: str) -> list[Span]:
        """Spans of personal data in `text`, in any order."""
        ...


class Masker:
    """Runs recognizers in order; each one's finds become placeholders before the next."""

    def __init__(self, recognizers: list[Recognizer]) -> None:
        self.recognizers = list(recognizers)

    def mask(self, text: str) -> Masked:
        """Run the recognizers in order, each on the text the previous ones masked; where one
        recognizer's spans overlap, the first wins.
        """
        findings: list[Finding] = []
        for recognizer in self.recognizers:
            spans = sorted(recognizer.find(text), key=lambda s: s.start)
            if not spans:
                continue
            parts: list[str] = []
            position = 0
            for span in spans:
                if span.start < position:  # overlapping find: keep the first
                    continue
                parts.append(text[position : span.start])
                parts.append(PLACEHOLDERS[span.kind])
                findings.append(Finding(span.kind, text[span.start : span.end]))
                position = span.end
            parts.append(text[position:])
            text = "".join(parts)
        return Masked(text, tuple(findings))
