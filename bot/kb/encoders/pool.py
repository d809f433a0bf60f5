"""Query embeddings in worker processes, so that a turn's embedding uses a core of its own.

The bot service answers turns in threads of one Python process: ONNX Runtime
releases the GIL while it runs, but the tokenizer and everything around the
inference hold it. A pool of worker processes, each with its own model and a
few intra-op threads, takes the whole embedding off the service's process.
Each worker maps the same exported weights (`.cache/e5-onnx/`), so the rows of
the embedding table that customers' words touch are shared through the page
cache, not copied.

A worker that dies (killed, out of memory) breaks the pool: the call that saw it
starts a fresh pool and tries once more, and a second failure is an
`EncoderError` that names the model, never a hang.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

import numpy as np

from bot.errors import EncoderError
from bot.kb.encoders.base import Encoder, TextKind

logger = logging.getLogger(__name__)
START_SECONDS = 300.0  # loading (and on a fresh clone exporting) the model
CALL_SECONDS = 120.0  # one call: a few hundred ms for a query, seconds for an index batch
PARENT_CHECK_SECONDS = 2.0

T = TypeVar("T")

_worker_encoder: Encoder | None = None  # the model of this worker process
_worker_problem = ""  # why it could not be loaded


class WorkerFailure(RuntimeError):
    """What went wrong in a worker, as one string (our errors' fields do not pickle)."""


def _worker_start(name: str, threads: int, parent: int) -> None:
    """Load the model as the worker starts, before it takes any call."""
    global _worker_encoder, _worker_problem
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    try:
        from bot.kb.encoders.factory import load_backend

        _worker_encoder = load_backend(name, threads)
    except Exception as exc:  # told to the caller of the next call
        _worker_problem = f"{type(exc).__name__}: {exc}"


def _exit_with(parent: int) -> None:
    """A service killed outright (out of memory, SIGKILL) leaves no idle workers behind."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _worker_model() -> Encoder:
    if _worker_encoder is None:
        raise WorkerFailure(_worker_problem or "the model was not loaded")
    return _worker_encoder


def _worker_dim() -> int:
    return int(_worker_model().dim)


def _worker_encode(texts: list[str], kind: TextKind) -> np.ndarray:
    model = _worker_model()
    try:
        return model.encode(texts, kind)
    except Exception as exc:
        raise WorkerFailure(f"{type(exc).__name__}: {exc}") from None


class EncoderPool:
    """`workers` processes with the model `name`, `threads` intra-op threads each."""

    def __init__(self, name: str, workers: int, threads: int = 1) -> None:
        if workers < 1 or threads < 1:
            raise EncoderError(name, f"workers and threads must be >= 1 ({workers}, {threads})")
        self.name = name
        self.workers = workers
        self.threads = threads
        self._lock = threading.Lock()
        self._executor = self._start()
        try:
            self.dim = self._ready(self._executor)
        except BaseException:
            self._executor.shutdown(wait=False, cancel_futures=True)
            raise

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> np.ndarray:
        """Like the model itself; one call runs in one worker."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        executor = self._executor
        try:
            return self._call(executor, list(texts), kind)
        except BrokenProcessPool:
            logger.warning("an encoder worker of %s died; starting a fresh pool", self.name)
        try:
            return self._call(self._restart(executor), list(texts), kind)
        except BrokenProcessPool as exc:
            raise EncoderError(self.name, f"the encoder workers keep dying ({exc})") from exc

    def worker_pids(self) -> list[int]:
        """The worker processes' ids (for monitoring, and for tests that kill one)."""
        processes = getattr(self._executor, "_processes", None) or {}  # CPython's, 3.8+
        return sorted(processes)

    def close(self) -> None:
        """Stop the workers (they also stop with the service)."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _call(self, executor: ProcessPoolExecutor, texts: list[str], kind: TextKind) -> np.ndarray:
        future = executor.submit(_worker_encode, texts, kind)
        return _result(future, CALL_SECONDS, self.name)

    def _start(self) -> ProcessPoolExecutor:
        # spawn: a fork of the service would copy its threads' locks mid-use
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            self.workers,
            mp_context=context,
            initializer=_worker_start,
            initargs=(self.name, self.threads, os.getpid()),
        )

    def _ready(self, executor: ProcessPoolExecutor) -> int:
        """Start every worker now (each loads the model first), not in a customer's turn."""
        asked = [executor.submit(_worker_dim) for _ in range(self.workers)]
        try:
            dims = {_result(future, START_SECONDS, self.name) for future in asked}
        except BrokenProcessPool as exc:
            raise EncoderError(self.name, f"the encoder workers did not start ({exc})") from exc
        return dims.pop()

    def _restart(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        """A fresh pool in place of `broken`, unless another thread already made one."""
        with self._lock:
            if self._executor is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                fresh = self._start()
                try:
                    self._ready(fresh)
                except BaseException:
                    fresh.shutdown(wait=False, cancel_futures=True)
                    raise
                self._executor = fresh
            return self._executor


def _result(future: Future[T], seconds: float, name: str) -> T:
    """The worker's answer; its failure or silence as an `EncoderError`."""
    try:
        return future.result(timeout=seconds)
    except TimeoutError as exc:
        raise EncoderError(name, f"an encoder worker gave no answer in {seconds:.0f} s") from exc
    except WorkerFailure as exc:
        raise EncoderError(name, f"in an encoder worker: {exc}") from exc
