"""The recognizers of the default masker, strongest first.

Every pattern here is linear in the length of the text: no nested quantifiers,
each repetition bounded or unambiguous, and every pattern anchored by a
lookbehind so that a match can only start where a token starts.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import stdnum
from stdnum import iban
from stdnum.fi import hetu
from stdnum.se import personnummer

from svar_privacy.masker import Recognizer, Span
from svar_privacy.numbers import Window, classify

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Two letters, two check digits, then at most 30 letters or digits, single spaces allowed.
_IBAN = re.compile(r"(?<![^\W_])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){10,30}")
# DDMMYY, century sign, three digits, check character (131052-308T, 010594Y9032).
_HETU = re.compile(r"(?<![^\W_])\d{6}[-+A-FU-Ya-fu-y]\d{3}[0-9A-Za-z](?![^\W_])")
# The start of an IBAN written in groups, just before a run of digits ("LT42 0259 ...").
_IBAN_HEAD = re.compile(r"(?<![^\W_])[A-Za-z]{2}\d{2}(?: [A-Za-z0-9]{4})* \Z")
# The personnummer of someone 100 or older: 121212+1212.
_PERSONNUMMER_PLUS = re.compile(r"(?<![^\W_])(?:\d{2})?\d{6}\+\d{4}(?![^\W_])")
# Digit groups with one separator between them (a space, "-", ".", "/", or a bracket
# with its space); the run may start with "+" or "(" ("+47 912 34 567",
# "(555) 123-4567", "+31 (0)20 123 4567"). " / " or " - " ends a run: two numbers.
_RUN = re.compile(r"(?<![\w+\-/.,])\+?\(?\d+(?:(?:[ \u00a0]\(|\)[ \u00a0]?|[ \u00a0.\-/–()])\d+)*")
_GROUP = re.compile(r"\d+")
MAX_WINDOW_GROUPS = 8
# A run longer than this is a list or a table, not one number written in groups
# (the longest, a 19-digit card in groups of four, is 23 characters): in it only
# strong numbers written without separators are looked for (a fødselsnummer, a card),
# which keeps the cost per character small whatever the text.
MAX_RUN_CHARS = 64
_LONE_NUMBER = re.compile(r"(?<!\d)\d{11,19}(?!\d)")
# A phone number has 7 to 17 digits (with its country code), an id or a card 8 to 19.
WINDOW_DIGITS = frozenset(range(7, 20))


class EmailRecognizer:
    """E-mail addresses; runs first, so their digits are never read as phone numbers."""

    def find(self, text: str) -> list[Span]:
        """Every e-mail address in `text`."""
        if "@" not in text:
            return []
        return [Span("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]


def _iban_lengths() -> dict[str, int]:
    """Each country's IBAN length, from the registry python-stdnum ships (iban.dat)."""
    lengths = {}
    registry = Path(stdnum.__file__).parent / "iban.dat"
    for line in registry.read_text(encoding="utf-8").splitlines():
        if 'bban="' in line:
            structure = line.split('bban="')[1].split('"')[0]
            lengths[line[:2]] = 4 + sum(int(n) for n in re.findall(r"(\d+)!", structure))
    return lengths


_IBAN_LENGTHS = _iban_lengths()


class IbanRecognizer:
    """mod 97 and each country's length and format (stdnum.iban), spaces or not."""

    def find(self, text: str) -> list[Span]:
        """IBANs of known countries, with or without spaces,
        kept only when the check digits hold.
        """
        spans = []
        for match in _IBAN.finditer(text):
            found = match.group()
            length = _IBAN_LENGTHS.get(found[:2].upper())
            if length is None:
                continue
            # The pattern may have run on into the next word: the end where the
            # country's length is reached (at a space, or at the end) is the candidate.
            compact = 0
            for at, char in enumerate(found):
                compact += char != " "
                if compact == length and (at + 1 == len(found) or found[at + 1] == " "):
                    if iban.is_valid(found[: at + 1].replace(" ", "").upper()):
                        spans.append(Span("iban", match.start(), match.start() + at + 1))
                    break
        return spans


class HetuRecognizer:
    """Finnish henkilötunnus (stdnum.fi.hetu), and the Swedish "+" personnummer."""

    def find(self, text: str) -> list[Span]:
        """Valid henkilötunnus (not also a valid personnummer), and valid "+" personnummer."""
        spans = [
            Span("henkilotunnus", m.start(), m.end())
            for m in _HETU.finditer(text)
            if hetu.is_valid(m.group().upper()) and not personnummer.is_valid(m.group())
        ]
        spans += [
            Span("personnummer", m.start(), m.end())
            for m in _PERSONNUMMER_PLUS.finditer(text)
            if personnummer.is_valid(m.group())
        ]
        return spans


class NumberRecognizer:
    """National ids, card numbers and phone numbers in runs of digit groups.

    A run ("ring 912 34 567 eller 01017012345") may hold several numbers: from each
    group, the longest window of following groups that is something wins.
    """

    def find(self, text: str) -> list[Span]:
        """Numbers in digit runs not glued to letters (product codes) nor left over from a failed
        IBAN.
        """
        spans: list[Span] = []
        for run in _RUN.finditer(text):
            end = run.end()
            if end < len(text) and (text[end].isalpha() or text[end] == "_"):
                continue  # glued to letters: a product or booking code
            if _IBAN_HEAD.search(text, max(0, run.start() - 40), run.start()):
                continue  # the rest of an IBAN-shaped string that failed its check
            spans += self._in_run(text, run)
        return spans

    def _in_run(self, text: str, run: re.Match[str]) -> list[Span]:
        if run.end() - run.start() > MAX_RUN_CHARS:
            return self._in_long_run(text, run)
        groups = list(_GROUP.finditer(text, run.start(), run.end()))
        plus = run.group().startswith(("+", "(+"))
        opens = run.group().startswith(("+", "("))
        spans: list[Span] = []
        weak: list[Span] = []
        left_over = False
        i = 0
        while i < len(groups):
            first = i == 0 and opens
            found = self._longest_at(text, groups, i, plus and i == 0, run.start() if first else -1)
            if found is None:
                left_over = True
                i += 1
                continue
            span, j = found
            if _is_weak(span, sum(len(g.group()) for g in groups[i:j]), plus and i == 0):
                weak.append(span)
            else:
                spans.append(span)
            i = j
        # A weak number carved out of a longer run ("4935 1085" of a card number with a
        # wrong check digit, "2004 1219" of an IBAN) is a piece of something else.
        if not left_over and len(weak) <= 1:
            spans += weak
        return spans

    def _in_long_run(self, text: str, run: re.Match[str]) -> list[Span]:
        spans = []
        for group in _LONE_NUMBER.finditer(text, run.start(), run.end()):
            found = self._longest_at(text, [group], 0, False, -1)
            if found and not _is_weak(found[0], group.end() - group.start(), False):
                spans.append(found[0])
        return spans

    def _longest_at(
        self, text: str, groups: list[re.Match[str]], i: int, plus: bool, run_start: int
    ) -> tuple[Span, int] | None:
        sizes = [0]  # digits in groups[i:i + k], k = 0, 1, ...
        for group in groups[i : i + MAX_WINDOW_GROUPS]:
            sizes.append(sizes[-1] + group.end() - group.start())
        for j in range(i + len(sizes) - 1, i, -1):
            if sizes[j - i] not in WINDOW_DIGITS:
                continue  # no kind has that many digits: skip the costly checks
            chosen = groups[i:j]
            start = run_start if run_start >= 0 else chosen[0].start()
            window = Window(
                groups=tuple(g.group() for g in chosen),
                separators=tuple(
                    text[a.end() : b.start()].strip() or " " for a, b in pairwise(chosen)
                ),
                plus=plus,
                text=text,
                start=start,
                end=chosen[-1].end(),
            )
            kind = classify(window)
            if kind:
                return Span(kind, window.start, window.end), j
        return None


def _is_weak(span: Span, digits: int, plus: bool) -> bool:
    """No check digit, or a single one: a national phone number, a BSN, a 10-digit id."""
    if span.kind == "phone":
        return not plus
    return span.kind == "bsn" or (span.kind in ("personnummer", "cpr") and digits == 10)


def default_recognizers() -> list[Recognizer]:
    """The recognizers in masking order: e-mail, IBAN, Finnish ids, then digit runs."""
    return [EmailRecognizer(), IbanRecognizer(), HetuRecognizer(), NumberRecognizer()]
