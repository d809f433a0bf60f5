"""The encoder pool for real: worker processes with the real model, killed for real."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from bot.errors import EncoderError
from bot.kb.encoders.base import TextKind
from bot.kb.encoders.factory import load_backend
from bot.kb.encoders.pool import EncoderPool

TEXTS = [
    "How long does shipping take?",
    "Hei! Jeg bestilte en kaffekvern for to uker siden og den har fortsatt ikke kommet, "
    "kan dere sjekke hvor pakken er? Mvh Kari",
    "Kan jag ändra min leveransadress efter att ordern skickats?",
]


@pytest.fixture(scope="module")
def pool() -> Iterator[EncoderPool]:
    started = EncoderPool("e5-onnx", workers=2, threads=1)
    yield started
    started.close()


def test_pool_gives_the_very_vectors_of_the_model_in_process(pool: EncoderPool) -> None:
    here = load_backend("e5-onnx", threads=1)
    for kind in ("query", "passage"):
        assert np.array_equal(pool.encode(TEXTS, kind), here.encode(TEXTS, kind))
    assert pool.dim == here.dim and pool.encode([]).shape == (0, here.dim)


def test_pool_answers_concurrent_callers_each_their_own(pool: EncoderPool) -> None:
    expected = {text: pool.encode([text])[0] for text in TEXTS}
    got: dict[str, np.ndarray] = {}

    def call(text: str) -> None:
        got[text] = pool.encode([text])[0]

    threads = [threading.Thread(target=call, args=(t,)) for t in TEXTS * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(np.array_equal(got[t], expected[t]) for t in TEXTS)


def test_pool_killed_worker_is_replaced_and_the_call_answered(pool: EncoderPool) -> None:
    before = pool.encode(TEXTS)
    victims = pool.worker_pids()
    assert len(victims) == 2
    os.kill(victims[0], signal.SIGKILL)
    time.sleep(0.5)  # let the pool notice: the next call meets a broken pool
    assert np.array_equal(pool.encode(TEXTS), before)
    assert not set(pool.worker_pids()) & set(victims)


class DyingPool(EncoderPool):
    """Every call first kills a worker, `deaths` times in all."""

    deaths = 0

    def _call(self, executor: ProcessPoolExecutor, texts: list[str], kind: TextKind) -> np.ndarray:
        if self.deaths > 0:
            self.deaths -= 1
            executor.submit(os._exit, 1).exception(timeout=60)
        return super()._call(executor, texts, kind)


def test_pool_whose_workers_keep_dying_raises_a_clear_error_not_a_hang() -> None:
    dying = DyingPool("e5-onnx", workers=1)
    try:
        dying.deaths = 1
        assert dying.encode(TEXTS[:1]).shape == (1, dying.dim)  # one death: recovered
        dying.deaths = 2
        started = time.monotonic()
        with pytest.raises(EncoderError, match="keep dying"):
            dying.encode(TEXTS[:1])
        assert time.monotonic() - started < 60
    finally:
        dying.close()


def test_pool_of_a_model_that_cannot_load_says_why() -> None:
    with pytest.raises(EncoderError, match="unknown bundled model"):
        EncoderPool("bundled:nothing", workers=1)
    with pytest.raises(EncoderError, match="must be >= 1"):
        EncoderPool("e5-onnx", workers=0)
