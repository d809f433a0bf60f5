from __future__ import annotations

from bot.kb.augment import chat_copies
from bot.kb.examples import copies_of


def test_copies_of_every_phrasing_below_the_cap() -> None:
    texts = [f"Can I return item {i}?" for i in range(10)]
    copies, source = copies_of(texts, ["en"] * 10, limit=20)
    assert source.tolist() == [i for i in range(10) for _ in range(2)]
    assert copies == [c for t in texts for c in chat_copies(t, "en")]


def test_above_the_cap_a_seeded_sample_of_phrasings_is_copied() -> None:
    texts = [f"Can I return item {i}?" for i in range(100)]
    langs = ["en", "nb"] * 50
    copies, source = copies_of(texts, langs, limit=30)
    assert len(copies) == 30 and len(set(source.tolist())) == 15
    assert (source[:-1] <= source[1:]).all()  # in the KB's order
    for i in set(source.tolist()):  # each copy is still of the phrasing its source names
        assert copies[list(source).index(i)] == chat_copies(texts[i], langs[i])[0]
    assert copies_of(texts, langs, limit=30)[1].tolist() == source.tolist()
