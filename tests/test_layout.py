"""The shape of the package: every module has one home and the imports run one way.

Read from the source (lazy imports inside functions included), so a cycle hidden behind
a function-level import is found as surely as one at the top of a file.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.wavs import ROOT

PACKAGE = ROOT / "copilot"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Each copilot module and the copilot modules it imports anywhere in its body."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found |= {t for t in targets if t in modules and t != name}
        graph[name] = found
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, if there is any (depth-first search, colouring nodes)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_package_has_no_import_cycle_lazy_imports_included() -> None:
    graph = imports()
    # A package's __init__ is imported with each of its modules; count it as theirs.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not name.startswith(t + ".")}
    assert cycle(graph) is None


def test_only_the_entry_point_imports_the_command_line() -> None:
    users = {name for name, targets in imports().items() if "copilot.cli" in targets}
    # ... and the fuzzer, which runs the commands as a rep does, thousands of times a minute (a process
    # each would leave it a few hundred cases in twenty minutes).
    assert users == {"copilot.__main__", "copilot.bench.fuzz_kinds"}


def test_the_package_root_holds_at_most_five_plain_modules() -> None:
    plain = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(plain) <= 5, plain


def test_the_core_imports_nothing_but_the_core_and_the_error_type() -> None:
    for name, targets in imports().items():
        if name.startswith("copilot.core"):
            assert all(t.startswith("copilot.core") or t == "copilot.errors" for t in targets), (name, targets)


def test_the_sample_rate_is_written_once() -> None:
    literal = re.compile(r"\b16_?000\b")
    places = [f"{p.relative_to(ROOT)}:{i}" for p in PACKAGE.rglob("*.py")
              for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if literal.search(line)]
    assert places == ["copilot/core/facts.py:14"], places
