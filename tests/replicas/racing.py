"""Run one function in several processes at the same moment, as replicas would.

Threads in one process share the GIL and one engine's pool and so hide races
that replicas hit; forked processes with their own connections do not. Forking
keeps the test fast: the children start with the parent's imports.
"""

from __future__ import annotations

import importlib
import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.synchronize import Barrier
from typing import Any

_fork = multiprocessing.get_context("fork")


def _run(target: str, args: list[Any], barrier: Barrier, results: Any, slot: int) -> None:
    module, _, name = target.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    try:
        barrier.wait(timeout=60)
        results[slot] = ("ok", function(*args))
    except BaseException:
        results[slot] = ("error", traceback.format_exc())


def race(target: str, argument_lists: list[list[Any]]) -> list[Any]:
    """Call `module:function(*args)` in one process per argument list, released together.

    Returns each call's result in order; raises with the traceback if one failed.
    """
    with _fork.Manager() as manager:
        results = manager.list([None] * len(argument_lists))
        barrier = _fork.Barrier(len(argument_lists))
        procs = [
            _fork.Process(target=_run, args=(target, args, barrier, results, slot))
            for slot, args in enumerate(argument_lists)
        ]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(timeout=120)
        found = list(results)
    failures = [r[1] for r in found if r is None or r[0] != "ok"]
    if failures:
        raise AssertionError(f"a racer failed:\n{failures[0]}")
    return [r[1] for r in found]
