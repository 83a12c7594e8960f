"""The package's imports point down: reading -> domain -> presentation -> delivery.

Each module of klachtlib/ lies in the folder of its layer (klachtlib/reading/, domain/,
presentation/, delivery/); only the base that every layer uses (config, errors) and
`__main__` sit in klachtlib/ itself (`TOP_LEVEL`). A module imports only from its own layer
or a lower one; the imports, read with `ast` from the source, form no cycle (imports inside
functions and under `TYPE_CHECKING` count too, so a lazy import cannot hide one); no module
imports another inside a function, except the few lazy imports listed in `LAZY` for
start-up time; and no module uses another's private (`_underscored`) name.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "klachtlib"
SOURCE = Path(__file__).resolve().parent.parent / PACKAGE

BASE, READING, DOMAIN, PRESENTATION, DELIVERY = "base", "reading", "domain", "presentation", "delivery"
ORDER = (BASE, READING, DOMAIN, PRESENTATION, DELIVERY)

# The folders are the layers: klachtlib/reading/, domain/, presentation/, delivery/. Only these
# modules sit beside them, in klachtlib/ itself: the base every layer uses, and `python -m klachtlib`.
TOP_LEVEL: dict[str, str] = {
    "__init__": BASE,
    "config": BASE,  # paths and locale, in one place
    "errors": BASE,  # Problem, DataError, RenderError: raised in every layer
    "__main__": DELIVERY,  # `python -m klachtlib` runs the command line
}


def layer_of(module: str) -> str:
    """'presentation.report' -> 'presentation'; a top-level module by TOP_LEVEL."""
    head, _, rest = module.partition(".")
    return head if rest or head in ORDER else TOP_LEVEL[module]


# Imports inside a function, each for start-up time only (the cycle test still counts them).
LAZY: dict[tuple[str, str], str] = {
    # `klachten --help` stays quick, and `klachten report` starts its kernel before it imports
    # pandas, matplotlib and nbconvert, so the two overlap.
    **{
        ("delivery.cli", target): "the command line imports what a command needs when it runs"
        for target in (
            "domain.classify",
            "errors",
            "reading.koppel",
            "domain.periods",
            "delivery.pipeline",
            "reading.register",
        )
    },
    **{
        ("delivery.cli", target): "see above"
        for target in ("delivery.render", "delivery.summary", "delivery.woo")
    },
    # nbconvert takes about half a second to import; `WarmKernel` must not wait for it.
    (
        "delivery.render",
        "delivery.exporter",
    ): "the exporter (nbconvert) is loaded when the first page is rendered",
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported klachtlib module
    names: tuple[str, ...]  # names taken from it (`from ... import a, b`)
    in_function: bool
    line: int


def _modules(source: Path = SOURCE) -> list[str]:
    """Every module as its dotted name below the package: 'config', 'presentation.report', ..."""
    names = (".".join(p.relative_to(source).with_suffix("").parts) for p in source.rglob("*.py"))
    return sorted(n.removesuffix(".__init__") if n != "__init__" else n for n in names)


def _path(module: str, source: Path) -> Path:
    as_file = source.joinpath(*module.split(".")).with_suffix(".py")
    return as_file if as_file.is_file() else source.joinpath(*module.split("."), "__init__.py")


def _target(name: str) -> str | None:
    """'klachtlib.presentation.report' -> 'presentation.report'; None outside the package."""
    if name == PACKAGE:
        return ""
    prefix = PACKAGE + "."
    return name[len(prefix) :] if name.startswith(prefix) else None


def _is_package(module: str, source: Path) -> bool:
    return source.joinpath(*module.split("."), "__init__.py").is_file()


def _imports(module: str, source: Path = SOURCE) -> list[Import]:
    tree = ast.parse(_path(module, source).read_text(encoding="utf-8"))
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
                if target is not None and (target == "" or _is_package(target, source)):
                    # from klachtlib import config; from klachtlib.delivery import pack, woo
                    for imported in names:
                        sub = f"{target}.{imported}" if target else imported
                        found.append(Import(module, sub, (), in_function, child.lineno))
                elif target:
                    found.append(Import(module, target, names, in_function, child.lineno))
            visit(child, inner)

    visit(tree, False)
    return found


ALL_IMPORTS = [i for m in _modules() for i in _imports(m)]


def test_every_module_is_in_a_layer_folder():
    """A new module goes into the folder of its layer; only the base and __main__ sit on top."""
    top = {m for m in _modules() if "." not in m}
    assert top == set(TOP_LEVEL) | {"reading", "domain", "presentation", "delivery"}
    assert {layer_of(m) for m in _modules()} <= set(ORDER)


@pytest.mark.parametrize("module", _modules())
def test_a_module_imports_only_from_its_own_or_a_lower_layer(module):
    own = ORDER.index(layer_of(module))
    upward = [
        f"{i.module}:{i.line} imports {i.target} ({layer_of(i.target)})"
        for i in ALL_IMPORTS
        if i.module == module and ORDER.index(layer_of(i.target)) > own
    ]
    assert upward == [], f"{module} is {layer_of(module)}"


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
    tree = ast.parse(_path(module, source).read_text(encoding="utf-8"))
    modules = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE)
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
