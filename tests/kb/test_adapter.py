from __future__ import annotations

import numpy as np
import pytest

from bot.kb import adapter
from bot.kb.adapter import MIN_TOPICS, MIN_TRANSLATED_TOPICS, worth_training


def rows_for(topics: int, langs_per_topic: list[str]) -> tuple[np.ndarray, list[str]]:
    row_entry = np.repeat(np.arange(topics), len(langs_per_topic))
    return row_entry, langs_per_topic * topics


def test_an_adapter_needs_alternatives_and_translations() -> None:
    english_alternatives = rows_for(MIN_TOPICS + 5, ["en", "en", "en"])
    translations_only = rows_for(MIN_TOPICS + 5, ["en", "nb", "sv"])
    both = rows_for(MIN_TOPICS + 5, ["en", "en", "nb"])
    assert not worth_training(*english_alternatives)  # would lose the other languages
    assert not worth_training(*translations_only)  # nothing to learn paraphrase from
    assert worth_training(*both)


def test_some_translated_topics_are_enough() -> None:
    row_entry, langs = rows_for(MIN_TOPICS + 5, ["en", "en"])
    translated = MIN_TRANSLATED_TOPICS
    row_entry = np.concatenate([row_entry, np.arange(translated)])
    langs = langs + ["da"] * translated
    assert worth_training(row_entry, langs)
    assert not worth_training(row_entry[:-1], langs[:-1])


def test_always_trains_for_a_one_language_kb_and_off_never() -> None:
    row_entry, langs = rows_for(MIN_TOPICS, ["en", "en"])
    assert not worth_training(row_entry, langs)
    assert worth_training(row_entry, langs, "always")
    assert not worth_training(*rows_for(MIN_TOPICS - 1, ["en", "en"]), "always")
    assert not worth_training(*rows_for(MIN_TOPICS + 5, ["en", "en", "nb"]), "off")


def test_auto_builds_a_large_kb_without_an_adapter_and_always_still_trains() -> None:
    per_topic = ["en", "en", "nb"]
    fits = rows_for(adapter.MAX_AUTO_ROWS // len(per_topic), per_topic)
    too_many = rows_for(adapter.MAX_AUTO_ROWS // len(per_topic) + 1, per_topic)
    assert worth_training(*fits)
    assert not worth_training(*too_many)
    assert worth_training(*too_many, "always")


def full_batch_adapter(
    vectors: np.ndarray, row_entry: np.ndarray, copies: np.ndarray, copy_source: np.ndarray
) -> np.ndarray:
    """The training as it was before the blocks: every score held at once."""
    import torch

    keys = torch.from_numpy(vectors)
    source = np.concatenate([np.arange(len(vectors)), copy_source])
    x = torch.from_numpy(np.vstack([vectors, copies]))
    own = torch.from_numpy(source)[:, None] == torch.arange(len(vectors))[None, :]
    not_self = 1.0 - own.float()
    labels = torch.from_numpy(row_entry)
    positives = (labels[source][:, None] == labels[None, :]).float() * not_self
    has_positive = positives.sum(dim=1) > 0
    identity = torch.eye(vectors.shape[1])
    weights = torch.nn.Parameter(identity.clone())
    optimiser = torch.optim.Adam([weights], lr=adapter.LEARNING_RATE)
    for _ in range(adapter.STEPS):
        k = torch.nn.functional.normalize(keys @ weights, dim=1)
        q = torch.nn.functional.normalize(x @ weights, dim=1)
        logits = (q @ k.T) / adapter.TEMPERATURE - (1.0 - not_self) * 1e9
        log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
        per_row = -(log_prob * positives).sum(dim=1) / positives.sum(dim=1).clamp(min=1)
        loss = per_row[has_positive].mean()
        loss = loss + adapter.REGULARISATION * ((weights - identity) ** 2).sum()
        optimiser.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimiser.step()
    result: np.ndarray = weights.detach().numpy()
    return result


def test_training_in_blocks_learns_what_full_batch_training_learns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((60, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    row_entry = np.arange(60) // 3
    row_entry[-1] = 99  # an entry with one row: its question has no positive
    copy_source = rng.integers(0, 60, 120)
    copies = vectors[copy_source] + 0.1 * rng.standard_normal((120, 16)).astype(np.float32)
    monkeypatch.setattr(adapter, "STEPS", 20)
    monkeypatch.setattr(adapter, "QUERY_BLOCK", 50)  # four blocks of questions
    blocked = adapter.train_adapter(vectors, row_entry, 0, copies, copy_source)
    expected = full_batch_adapter(vectors, row_entry, copies, copy_source)
    assert np.abs(expected - np.eye(16)).max() > 0.01  # it learned something
    assert np.allclose(blocked, expected, atol=1e-5)


def training_set() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((40, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    row_entry = np.arange(40) // 2
    copy_source = rng.integers(0, 40, 80)
    copies = vectors[copy_source] + 0.1 * rng.standard_normal((80, 8)).astype(np.float32)
    return vectors, row_entry, copies, copy_source


def test_up_to_the_cap_every_question_trains_every_step(monkeypatch: pytest.MonkeyPatch) -> None:
    vectors, row_entry, copies, copy_source = training_set()
    monkeypatch.setattr(adapter, "STEPS", 10)
    monkeypatch.setattr(adapter, "MAX_QUERIES", 120)  # the 40 rows and 80 copies
    capped = adapter.train_adapter(vectors, row_entry, 0, copies, copy_source)
    assert np.allclose(
        capped, full_batch_adapter(vectors, row_entry, copies, copy_source), atol=1e-5
    )


def test_above_the_cap_each_step_trains_on_a_seeded_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    vectors, row_entry, copies, copy_source = training_set()
    monkeypatch.setattr(adapter, "STEPS", 10)
    monkeypatch.setattr(adapter, "MAX_QUERIES", 30)
    monkeypatch.setattr(adapter, "QUERY_BLOCK", 16)  # a sample in blocks too
    first = adapter.train_adapter(vectors, row_entry, 0, copies, copy_source)
    again = adapter.train_adapter(vectors, row_entry, 0, copies, copy_source)
    other_seed = adapter.train_adapter(vectors, row_entry, 1, copies, copy_source)
    full = full_batch_adapter(vectors, row_entry, copies, copy_source)
    assert np.array_equal(first, again)
    assert not np.allclose(first, other_seed, atol=1e-5)
    assert not np.allclose(first, full, atol=1e-5)  # it sampled
    assert np.abs(first - np.eye(8)).max() > 0.01  # and learned
