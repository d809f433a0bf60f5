"""Exclusive wall time per stage, for benchmarks that clock a real code path."""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock


class StageClock:
    """Time per stage, each stage's without the stages called inside it, so they add up."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._stack: list[list[Any]] = []  # per open stage: [name, started or resumed]

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """`function`, its time counted under `stage`."""

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.stage(stage):
                return function(*args, **kwargs)

        return timed

    @contextmanager
    def stage(self, stage: str) -> Iterator[None]:
        now = time.perf_counter()
        if self._stack:
            self.seconds[self._stack[-1][0]] += now - self._stack[-1][1]
        self._stack.append([stage, now])
        try:
            yield
        finally:
            now = time.perf_counter()
            name, started = self._stack.pop()
            self.seconds[name] += now - started
            if self._stack:
                self._stack[-1][1] = now

    @contextmanager
    def around(self, patches: Iterable[tuple[Any, str, str]]) -> Iterator[None]:
        """While the block runs, each (owner, attribute, stage)'s attribute is clocked."""
        with ExitStack() as stack:
            for owner, name, stage in patches:
                wrapped = self.wrap(stage, getattr(owner, name))
                stack.enter_context(mock.patch.object(owner, name, wrapped))
            yield
