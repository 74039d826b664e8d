"""The layout of the package keeps its promises (docs/architecture.md).

Measured from the source with ``ast``, never by importing, so a test failure names the
file and line that broke a rule:

- every module sits in a layer, and module-level imports point only down the layers;
- no import circle among module-level imports, and at most one small one (≤ 3 modules)
  through the lazy imports inside functions;
- no module imports another module's private name (``_x``);
- no module is over 400 lines, and at most 10 modules lie flat in ``symbp/``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "symbp"

# Layers from the bottom up; a module may import its own layer and the ones below.
LAYERS = ("utilities", "core", "read", "explanation", "network", "render", "cli")
UTILITIES = {"errors", "limits", "arguments", "summary", "files", "version", "printable"}
MAX_LINES = 400
MAX_FLAT = 10


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def layer(module: str) -> str:
    """The layer of ``symbp.x.y``: its folder, or for a flat module what it is."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("__init__", "__main__"):
        return "api"  # the curated API and `python -m symbp` sit above everything
    if parts[1] in UTILITIES:
        return "utilities"
    return parts[1] if parts[1] in LAYERS else "cli"


def _imports():
    """(importer, imported module, name, line, lazy) for every import of symbp code."""
    found = []
    for module, path in MODULES.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lazy_lines = {n.lineno for f in ast.walk(tree)
                      if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                      for n in ast.walk(f) if isinstance(n, (ast.Import, ast.ImportFrom))}
        # `if TYPE_CHECKING:` imports are for the type checker; they never run
        typing_lines = {n.lineno for block in ast.walk(tree) if isinstance(block, ast.If)
                        and "TYPE_CHECKING" in ast.unparse(block.test)
                        for n in ast.walk(block) if isinstance(n, (ast.Import, ast.ImportFrom))}
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in typing_lines:
                continue
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module.split(".") if is_package else module.split(".")[:-1]
                    base = base[:len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                elif (node.module or "").split(".")[0] == "symbp":
                    target = node.module
                else:
                    continue
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    found.append((module, sub if sub in MODULES else target, alias.name,
                                  node.lineno, node.lineno in lazy_lines))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "symbp":
                        found.append((module, alias.name, "*", node.lineno,
                                      node.lineno in lazy_lines))
    return found


IMPORTS = _imports()


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iteratively)."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return components


def _graph(include_lazy: bool) -> dict[str, set[str]]:
    edges = defaultdict(set)
    for importer, imported, _name, _line, lazy in IMPORTS:
        if imported != importer and (include_lazy or not lazy) and imported in MODULES:
            edges[importer].add(imported)
    return edges


def test_module_level_imports_have_no_circle():
    assert _cycles(_graph(include_lazy=False)) == []


def test_lazy_imports_close_at_most_one_small_circle():
    circles = _cycles(_graph(include_lazy=True))
    assert len(circles) <= 1 and all(len(c) <= 3 for c in circles), circles


def test_imports_point_down_the_layers():
    rank = {name: i for i, name in enumerate(LAYERS)}
    upward = []
    for importer, imported, _name, line, lazy in IMPORTS:
        if lazy or imported not in MODULES:
            continue
        src, dst = layer(importer), layer(imported)
        if src == "api" or (dst == "api" and importer.startswith("symbp.cli")):
            continue
        if dst == "api" or rank[dst] > rank[src]:
            upward.append(f"{MODULES[importer].relative_to(PACKAGE.parent)}:{line} "
                          f"({src}) imports {imported} ({dst})")
    assert upward == []


def test_no_private_name_is_imported_from_another_module():
    private = [f"{MODULES[importer].relative_to(PACKAGE.parent)}:{line} {imported}.{name}"
               for importer, imported, name, line, _lazy in IMPORTS
               if name.startswith("_") and not name.startswith("__")]
    assert private == []


def test_no_module_is_over_400_lines():
    long = {str(path.relative_to(PACKAGE.parent)): n for path in MODULES.values()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_at_most_ten_modules_lie_flat_in_the_package():
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(flat) <= MAX_FLAT, flat


def test_no_test_module_imports_another():
    """Tests share helpers through modules made for it (strategies.py, browser.py,
    network_oracles.py, counting.py, conftest.py fixtures), never by importing a sibling
    test file."""
    tests = Path(__file__).resolve().parent
    found = []
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(tests)}:{node.lineno} {n}" for n in names
                      if n.split(".")[-1].startswith("test_")]
    assert found == []
    assert len(list(tests.rglob("test_*.py"))) > 50  # the scan sees the test files


def test_the_checks_see_the_whole_package():
    """The rules above are only as good as the import scan: it must find the package's
    real structure (a scan that found nothing would pass every rule)."""
    assert {"symbp.core.graph", "symbp.read.parse", "symbp.render.latex"} <= set(MODULES)
    assert len(IMPORTS) > 150
    assert any(i == "symbp.core.evaluate" and m == "symbp.core.graph" for i, m, *_ in IMPORTS)
    assert layer("symbp.core.graph") == "core" and layer("symbp.errors") == "utilities"
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_row_of_the_door_names_a_printer():
    import importlib

    from symbp.render import PRINTERS

    assert {kind for kind, _fmt in PRINTERS} == {"explanation", "gradient", "derivation",
                                                 "walkthrough"}
    for target in PRINTERS.values():
        module, function = target.split(":")
        assert callable(getattr(importlib.import_module(f"symbp.render.{module}"), function))


def test_records_print_through_the_door():
    """A record's conveniences and symbp.render.to give the printer's own output, and a
    format a record has no printer for says which ones it has."""
    import pytest

    import symbp
    from symbp.render import latex, network_json, to

    ex = symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1")
    assert ex.to_latex() == to(ex, "latex") == latex.to_latex(ex)
    assert "\\frac{\\partial e}{\\partial c} &= d" in ex.to_latex().replace("\\,", "")
    derivation = symbp.derive_network([2, 2, 1])
    assert derivation.to_json() == network_json.to_json(derivation)
    assert '"layers": [\n    2,\n    2,\n    1\n  ]' in derivation.to_json()
    with pytest.raises(ValueError, match="no 'python' printer for NetworkDerivation; there"):
        to(derivation, "python")


def test_the_door_is_reached_from_import_symbp_alone():
    """The README's ``symbp.render.to(ex, "latex")`` works after a plain ``import symbp``
    (in a fresh interpreter: another test may have imported symbp.render already)."""
    import subprocess
    import sys

    code = ("import symbp, sys; assert 'symbp.render' not in sys.modules; "
            "ex = symbp.explain('e=(a+b)*(b+1)', at='a=2,b=1'); "
            "assert symbp.render.to(ex, 'latex') == ex.to_latex(); print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
