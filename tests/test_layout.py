"""The shape of the package: every module has one home and the imports run one way.

Read from the source (lazy imports inside functions included), so a cycle hidden behind
a function-level import is found as surely as one at the top of a file.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from tests.wavs import ROOT

PACKAGE = ROOT / "copilot"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def tree_of(path: Path) -> ast.Module:
    """A source file parsed once a test run: several checks read every module."""
    return ast.parse(path.read_text(encoding="utf-8"))


@cache
def nodes_of(path: Path) -> tuple[ast.AST, ...]:
    """Every node of a source file, walked once a test run (walking the package is most of these checks' time)."""
    return tuple(ast.walk(tree_of(path)))


@cache
def imports() -> dict[str, set[str]]:
    """Each copilot module and the copilot modules it imports anywhere (made once a run: never change it)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in nodes_of(path):
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
    # A package's __init__ is imported with each of its modules; count it as theirs.
    graph = {name: {t for t in targets if not name.startswith(t + ".")} for name, targets in imports().items()}
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


def private(name: str) -> bool:
    """``_name`` is a module's own; ``__name__`` (a dunder) is everyone's."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def project_modules() -> dict[str, Path]:
    """Every module of ours by the name it is imported with: the package, the tests, and the tools
    (which import one another by their bare names)."""
    found = {module_name(p): p for folder in ("copilot", "tests") for p in (ROOT / folder).rglob("*.py")}
    return found | {p.stem: p for p in (ROOT / "tools").glob("*.py")}


def dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and (left := dotted(node.value)):
        return f"{left}.{node.attr}"
    return None


def reaches(path: Path, modules: set[str]) -> list[str]:
    """Where one file uses another module's private names: ``from m import _x``, ``m._x``, or
    ``setattr(m, "_x", …)`` (monkeypatch's too), where ``m`` is a module (or a name imported from one) of ours."""
    bound: dict[str, str] = {}  # a local name -> the module of ours (or the thing in it) it stands for
    found: list[str] = []
    where = f"{path.relative_to(ROOT)}"
    for node in nodes_of(path):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in {m.split(".")[0] for m in modules}:
                    bound[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and (
                node.module in modules or node.module.split(".")[0] in ("copilot", "tests")):
            for a in node.names:
                if private(a.name):
                    found.append(f"{where}:{node.lineno} from {node.module} import {a.name}")
                bound[a.asname or a.name] = f"{node.module}.{a.name}"
    for node in nodes_of(path):
        if isinstance(node, ast.Attribute) and private(node.attr):
            left = dotted(node.value)
            if left and left.split(".")[0] in bound:
                found.append(f"{where}:{node.lineno} {left}.{node.attr}")
        elif (isinstance(node, ast.Call) and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
              and isinstance(node.args[1].value, str) and private(node.args[1].value)
              and (dotted(node.func) or "").rsplit(".", 1)[-1] in ("setattr", "getattr", "delattr", "hasattr")):
            left = dotted(node.args[0])
            if left and left.split(".")[0] in bound:
                found.append(f"{where}:{node.lineno} {left}.{node.args[1].value} (by name)")
    return found


def test_no_module_uses_another_modules_private_names() -> None:
    # A private name is free to change with its module; whatever another module needs is public,
    # with a docstring saying what it is for. (Objects' own attributes are not read here.)
    modules = project_modules()
    files = set(modules.values()) | set((ROOT / "packaging").rglob("*.py"))
    found = [hit for path in sorted(files) for hit in reaches(path, set(modules))]
    assert found == [], "\n".join(found)


MEASURING = ("copilot.bench", "copilot.scripted")  # left out of the packaged app (docs/house.md)


def test_the_product_runs_without_the_benchmarks_and_the_scripted_calls() -> None:
    # Only the bench command reaches for them, so the frozen app, which leaves them out, runs every other command.
    users = {name for name, targets in imports().items()
             if not name.startswith(MEASURING) and any(t.startswith(MEASURING) for t in targets)}
    assert users == {"copilot.commands.bench"}, users


def imported_names(path: Path) -> set[str]:
    """Every module name one file imports, anywhere in its body."""
    names: set[str] = set()
    for node in nodes_of(path):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_tests_check_the_product_without_the_benchmarks() -> None:
    # Ground truth the tests share lives in copilot.scripted (or tests/); only tests/bench tests the benchmarks.
    reach = [f"{p.relative_to(ROOT)}" for p in (ROOT / "tests").rglob("*.py")
             if "bench" not in p.relative_to(ROOT / "tests").parts
             and any(n == "copilot.bench" or n.startswith("copilot.bench.") for n in imported_names(p))]
    assert reach == [], reach
