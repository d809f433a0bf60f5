"""The import-linter contracts in pyproject.toml, checked with the standard library.

`make layers` runs import-linter itself; this test reads the same contracts and
checks them on the source (every import statement, also those inside functions,
as import-linter's graph has them; a layer breach may be a chain of imports), so
that the suite enforces the layering wherever import-linter is not installed.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _modules() -> dict[str, Path]:
    found = {}
    for package in CONFIG["root_packages"]:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import of a root package in `path`."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.append(full if full in MODULES else base)
        for target in targets:
            if target.split(".")[0] in CONFIG["root_packages"]:
                yield target, node.lineno


IMPORTS = [(name, *found) for name, path in MODULES.items() for found in _imports(name, path)]


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _ignored(importer: str, imported: str, contract: dict[str, Any]) -> bool:
    for rule in contract.get("ignore_imports", []):
        source, _, target = (part.strip() for part in rule.partition("->"))
        if fnmatchcase(importer, source) and fnmatchcase(imported, target):
            return True
    return False


def _layers(contract: dict[str, Any]) -> list[list[tuple[str, bool]]]:
    """Each layer's modules, each with whether it must not import its siblings."""
    parsed = []
    for layer in contract["layers"]:
        independent = ":" not in layer
        names = [n.strip() for n in layer.replace(":", "|").split("|")]
        parsed.append([(n, independent) for n in names])
    return parsed


def _graph(contract: dict[str, Any]) -> dict[str, set[str]]:
    """Who imports whom directly, less the contract's known exceptions."""
    graph: dict[str, set[str]] = {}
    for importer, imported, _ in IMPORTS:
        if not _ignored(importer, imported, contract):
            graph.setdefault(importer, set()).add(imported)
    return graph


def _chain(graph: dict[str, set[str]], start: str, stop: Any) -> list[str] | None:
    """The shortest import chain from `start` to a module for which `stop` holds."""
    came_from: dict[str, str] = {start: ""}
    queue = [start]
    while queue:
        module = queue.pop(0)
        for nxt in sorted(graph.get(module, ())):
            if nxt in came_from:
                continue
            came_from[nxt] = module
            if stop(nxt):
                chain = [nxt]
                while came_from[chain[-1]]:
                    chain.append(came_from[chain[-1]])
                return chain[::-1]
            queue.append(nxt)
    return None


def _layer_breaches(contract: dict[str, Any]) -> list[str]:
    """Chains (direct or not) from a layer to one above it, or to an independent sibling."""
    position = {}
    for rank, layer in enumerate(_layers(contract)):
        for top, independent in layer:
            position[top] = (rank, independent)

    def where(module: str) -> tuple[str, int, bool] | None:
        for top, (rank, independent) in position.items():
            if _within(module, top):
                return top, rank, independent
        return None

    graph = _graph(contract)
    breaches = []
    for module in sorted(MODULES):
        source = where(module)
        if source is None:
            continue

        def above(other: str, source: tuple[str, int, bool] = source) -> bool:
            target = where(other)
            if target is None or target[0] == source[0]:
                return False
            return target[1] < source[1] or (target[1] == source[1] and source[2])

        chain = _chain(graph, module, above)
        if chain:
            breaches.append(" -> ".join(chain))
    return breaches


def _forbidden_breaches(contract: dict[str, Any]) -> list[str]:
    """Imports (chains too, unless `allow_indirect_imports`) of a forbidden module."""

    def forbidden(module: str) -> bool:
        return any(_within(module, f) for f in contract["forbidden_modules"])

    graph = _graph(contract)
    if contract.get("allow_indirect_imports"):
        graph = {m: {i for i in imported if forbidden(i)} for m, imported in graph.items()}
    breaches = []
    for module in sorted(MODULES):
        if any(_within(module, s) for s in contract["source_modules"]):
            chain = _chain(graph, module, forbidden)
            if chain:
                breaches.append(" -> ".join(chain))
    return breaches


CONTRACTS = {c["id"]: c for c in CONFIG["contracts"]}


@pytest.mark.parametrize("contract_id", sorted(CONTRACTS))
def test_contract_kept(contract_id: str) -> None:
    contract = CONTRACTS[contract_id]
    check = _layer_breaches if contract["type"] == "layers" else _forbidden_breaches
    assert check(contract) == [], contract["name"]


def test_every_layer_names_a_module_and_every_exception_is_still_needed() -> None:
    layered = [m for c in CONTRACTS.values() if c["type"] == "layers" for m in _modules_of(c)]
    assert [m for m in layered if m not in MODULES] == []
    for contract in CONTRACTS.values():
        for rule in contract.get("ignore_imports", []):
            source, _, target = (part.strip() for part in rule.partition("->"))
            assert any(fnmatchcase(i, source) and fnmatchcase(t, target) for i, t, _ in IMPORTS), (
                f"{rule} is no longer imported: drop the exception"
            )


def test_a_breach_is_found() -> None:
    """The checker itself: a made-up contract that the real code breaks."""
    backwards = {"layers": ["bot.settings", "bot.turn"]}
    assert any("bot.turn" in b for b in _layer_breaches(backwards))
    assert _forbidden_breaches({"source_modules": ["actions"], "forbidden_modules": ["bot.turn"]})


def _modules_of(contract: dict[str, Any]) -> list[str]:
    return [module for layer in _layers(contract) for module, _ in layer]
