"""The package's imports point down: reading -> domain -> presentation -> delivery.

Each module of klachtlib/ belongs to one layer (`LAYER` below, the one table of them). A
module imports only from its own layer or a lower one; the imports, read with `ast` from the
source, form no cycle (imports inside functions and under `TYPE_CHECKING` count too, so a
lazy import cannot hide one); no module imports another inside a function, except the few
lazy imports listed in `LAZY` for start-up time; and no module uses another's private
(`_underscored`) name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "klachtlib"
SOURCE = Path(__file__).resolve().parent.parent / PACKAGE

READING, DOMAIN, PRESENTATION, DELIVERY = "reading", "domain", "presentation", "delivery"
ORDER = (READING, DOMAIN, PRESENTATION, DELIVERY)

# Every module's layer. A new module gets a line here (a test fails until it has one).
LAYER: dict[str, str] = {
    # reading: the data folder as it is, checked, in canonical columns; and what every layer uses
    "__init__": READING,
    "errors": READING,  # Problem, DataError, RenderError: raised in every layer
    "config": READING,  # paths and locale
    "vocab": READING,  # the canonical columns and values
    "files": READING,
    "dates": READING,
    "behoorlijkheid": READING,  # the ombudsman's norms, canonical per column
    "settings": READING,
    "tabular": READING,
    "values": READING,
    "contacts": READING,
    "comparison": READING,
    "measures": READING,
    "narrative_source": READING,
    "register": READING,
    "koppel": READING,  # proposes how to read an export (klachten.voorstel.toml)
    # domain: the figures, computed from the canonical frames
    "periods": DOMAIN,
    "classify": DOMAIN,
    "counts": DOMAIN,
    "measure_counts": DOMAIN,
    # presentation: figures in Dutch words, tables, charts and the report's sections
    "text": PRESENTATION,
    "narrative": PRESENTATION,
    "tables": PRESENTATION,
    "charts": PRESENTATION,
    "keyfigures": PRESENTATION,
    "rules": PRESENTATION,
    "report": PRESENTATION,
    "explore": PRESENTATION,
    # delivery: pages and files written, and the commands that write them
    "output": DELIVERY,
    "cells": DELIVERY,  # CSV/XLSX cells that never start a formula
    "publishable": DELIVERY,
    "exporter": DELIVERY,
    "render": DELIVERY,
    "pdf": DELIVERY,
    "pack": DELIVERY,
    "opendata": DELIVERY,
    "downloads": DELIVERY,  # the open data and pack, made in the kernel from the notebook's report
    "indexes": DELIVERY,
    "teams": DELIVERY,
    "woo": DELIVERY,
    "summary": DELIVERY,
    "pipeline": DELIVERY,
    "cli": DELIVERY,
    "__main__": DELIVERY,
}

# Imports inside a function, each for start-up time only (the cycle test still counts them).
LAZY: dict[tuple[str, str], str] = {
    # `klachten --help` stays quick, and `klachten report` starts its kernel before it imports
    # pandas, matplotlib and nbconvert, so the two overlap.
    **{
        ("cli", target): "the command line imports what a command needs when it runs"
        for target in ("classify", "errors", "koppel", "periods", "pipeline", "register")
    },
    **{("cli", target): "see above" for target in ("render", "summary", "woo")},
    # nbconvert takes about half a second to import; `WarmKernel` must not wait for it.
    ("render", "exporter"): "the exporter (nbconvert) is loaded when the first page is rendered",
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported klachtlib module
    names: tuple[str, ...]  # names taken from it (`from ... import a, b`)
    in_function: bool
    line: int


def _modules(source: Path = SOURCE) -> list[str]:
    return sorted(p.stem for p in source.glob("*.py"))


def _target(name: str) -> str | None:
    """'klachtlib.report' -> 'report'; None for anything outside the package."""
    if name == PACKAGE:
        return ""
    prefix = PACKAGE + "."
    return name[len(prefix) :].split(".")[0] if name.startswith(prefix) else None


def _imports(module: str, source: Path = SOURCE) -> list[Import]:
    tree = ast.parse((source / f"{module}.py").read_text(encoding="utf-8"))
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    target = _target(alias.name)
                    if target:
                        found.append(Import(module, target, (), in_function, child.lineno))
            elif isinstance(child, ast.ImportFrom):
                name = PACKAGE + (f".{child.module}" if child.module else "") if child.level else child.module
                target = _target(name or "")
                names = tuple(a.name for a in child.names)
                if target == "":  # from klachtlib import report, text
                    for imported in names:
                        found.append(Import(module, imported, (), in_function, child.lineno))
                elif target:
                    found.append(Import(module, target, names, in_function, child.lineno))
            visit(child, inner)

    visit(tree, False)
    return found


ALL_IMPORTS = [i for m in _modules() for i in _imports(m)]


def test_every_module_has_a_layer():
    assert set(_modules()) == set(LAYER), "add the new module to LAYER (or remove the old one)"


@pytest.mark.parametrize("module", _modules())
def test_a_module_imports_only_from_its_own_or_a_lower_layer(module):
    own = ORDER.index(LAYER[module])
    upward = [
        f"{i.module}:{i.line} imports {i.target} ({LAYER[i.target]})"
        for i in ALL_IMPORTS
        if i.module == module and ORDER.index(LAYER[i.target]) > own
    ]
    assert upward == [], f"{module} is {LAYER[module]}"


def _cycles(imports: list[Import]) -> list[list[str]]:
    """Every cycle a depth-first walk of the import graph meets (each as a path back to its start)."""
    graph: dict[str, set[str]] = {}
    for i in imports:
        graph.setdefault(i.module, set())
        graph.setdefault(i.target, set())
        if i.target != i.module:
            graph[i.module].add(i.target)
    cycles: list[list[str]] = []
    state: dict[str, str] = {}  # "open" while on the path, "done" after
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt)
        path.pop()
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            walk(module)
    return cycles


def test_the_imports_form_no_cycle():
    assert _cycles(ALL_IMPORTS) == []


def test_no_module_imports_another_inside_a_function_except_for_start_up_time():
    hidden = [
        f"{i.module}:{i.line} imports {i.target}"
        for i in ALL_IMPORTS
        if i.in_function and (i.module, i.target) not in LAZY
    ]
    assert hidden == []


def test_every_lazy_import_listed_is_still_there():
    lazy = {(i.module, i.target) for i in ALL_IMPORTS if i.in_function}
    assert set(LAZY) <= lazy


def _private_uses(module: str, imports: list[Import], source: Path = SOURCE) -> list[str]:
    """`from klachtlib.x import _y`, and `x._y` where `x` is a klachtlib module imported by name."""
    private = [
        f"{i.module}:{i.line} takes {name} from {i.target}"
        for i in imports
        for name in i.names
        if i.module == module and name.startswith("_") and not name.startswith("__")
    ]
    tree = ast.parse((source / f"{module}.py").read_text(encoding="utf-8"))
    modules = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module == PACKAGE or node.level and not node.module)
        for alias in node.names
    }
    return private + [
        f"{module}:{node.lineno} uses {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]


def test_no_module_uses_a_private_name_of_another():
    assert [use for m in _modules() for use in _private_uses(m, ALL_IMPORTS)] == []


def test_the_checks_see_a_planted_cycle_a_hidden_import_and_a_private_name(tmp_path):
    """The checks above fail on what they forbid (a test that cannot fail proves nothing)."""
    package = tmp_path / PACKAGE
    package.mkdir()
    (package / "low.py").write_text("def f():\n    from klachtlib.high import _secret\n", encoding="utf-8")
    (package / "high.py").write_text("from klachtlib import low\n\nlow._hidden()\n", encoding="utf-8")
    imports = [i for m in _modules(package) for i in _imports(m, package)]
    assert _cycles(imports) == [["high", "low", "high"]]
    assert [(i.module, i.target, i.in_function) for i in imports] == [
        ("high", "low", False),
        ("low", "high", True),
    ]
    assert _private_uses("low", imports, package) == ["low:2 takes _secret from high"]
    assert _private_uses("high", imports, package) == ["high:3 uses low._hidden"]
