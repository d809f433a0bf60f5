"""Customer-length messages for the benchmarks, in the demo KB's five languages.

Customers write more than a held-out FAQ question: context, the order, how they
feel, then the question. These sentences are stitched into messages of an exact
word count, each one different (so no per-text memory helps).
"""

from __future__ import annotations

import itertools

SENTENCES = [
    "Hi, I ordered a pair of running shoes from you last Tuesday.",
    "The tracking page has said the parcel is in Oslo for four days now.",
    "How long does delivery to northern Norway usually take?",
    "Hei, jeg bestilte en sykkelhjelm for to uker siden og har fortsatt ikke fått den.",
    "Kan jeg returnere en jakke som jeg har brukt én gang hvis den ikke passer?",
    "Hej, jag köpte ett par skidor i er butik i Göteborg förra månaden.",
    "Hur gör jag för att byta storlek på skorna när jag redan har fått dem?",
    "Hej, jeg har et spørgsmål om jeres prismatch, fordi jeg fandt jakken billigere.",
    "Hoi, ik heb gisteren een tent besteld maar ik wil het adres nog veranderen.",
    "Is it possible to pay with an invoice instead of a card, and when is it due?",
    "My daughter got a gift card for her birthday and we cannot find out how to use it online.",
    "I would also like to know whether you offer a warranty on bicycle frames.",
    "Hvor mye koster frakten hvis jeg bestiller for mindre enn fem hundre kroner?",
    "Kan ni skicka till ett utlämningsställe i stället för hem till mig?",
    "Wat zijn jullie openingstijden in het weekend en kan ik daar ook retourneren?",
    "Thanks in advance, I really hope you can help me with this quickly.",
]


_WORDS = " ".join(SENTENCES).split()


def message(words: int, variant: int) -> str:
    """A message of exactly `words` words, starting `variant` words into the text."""
    start = variant % len(_WORDS)
    return " ".join(itertools.islice(itertools.cycle(_WORDS), start, start + words))


def messages(words: int, count: int, first: int = 0) -> list[str]:
    """`count` different messages of `words` words (up to the text's length in words)."""
    # Steps of 7 words (prime to the text's 221) start each message elsewhere.
    return [message(words, 7 * i) for i in range(first, first + count)]
