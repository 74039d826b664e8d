"""The machine-readable document of ``symbp explain --format json``.

Expressions are SymPy ``str`` strings.  A value is a JSON number when it is an
integer or a float that a 64-bit float holds exactly, and otherwise its exact SymPy
string (``"1/2"``, ``"cos(2)"``, ``"2**1000"``); beside every ``"value"`` a ``"float"``
holds the nearest 64-bit float (``null`` when the value has none: beyond ±1.8e308).
Without a point every value is ``null``.  The text is strict JSON: never ``NaN`` or
``Infinity``.
"""

from __future__ import annotations

import json
import math

import sympy

from .. import arguments
from ..core.exact import ExactValue, written_out
from ..core.printing import approximate, nearest_float, plain
from ..explanation.records import Explanation, Quantity
from ..explanation.steps import adjoint_steps
from ..explanation.view import WHOLE_PATH
from ..limits import with_long_int_text
from ..version import __version__

__all__ = ["to_dict", "to_json"]


@with_long_int_text
def to_json(explanation: Explanation, *, indent: int | None = 2) -> str:
    """The document as JSON text (keys in a fixed order: byte-identical for equal input)."""
    arguments.explanation(explanation, "to_json")
    arguments.whole_number(indent, "to_json", "indent", none=True)
    # allow_nan=False: a NaN or infinity reaching here is a bug, not something to print
    return json.dumps(to_dict(explanation), indent=indent, ensure_ascii=False,
                      allow_nan=False)


@with_long_int_text
def to_dict(ex: Explanation, *, rows: int | None = None) -> dict:
    """The document as Python data.

    ``rows`` (the HTML page of a big graph) keeps the first ``rows`` entries of each long
    list or table (nodes, edges, sweeps' totals, reverse steps; the gradient and the
    inputs' adjoints stay whole) and says in ``"summarized"`` how many each left out.
    """
    arguments.explanation(ex, "to_dict")
    arguments.whole_number(rows, "to_dict", "rows", none=True)
    graph = ex.graph
    partials = {p.edge: p for p in ex.partials}
    left_out: dict[str, int] = {}

    def cut(key: str, items, keep=()):
        items = list(items)
        if rows is None or len(items) <= rows:
            return items
        kept = items[:rows] + [i for i in items[rows:] if i in keep]
        left_out[key] = left_out.get(key, 0) + len(items) - len(kept)
        return kept

    inputs = set(graph.inputs)
    document = {
        "symbp": __version__,
        "output": graph.output,
        "inputs": list(graph.inputs),
        "wrt": list(ex.wrt),
        "at": None if ex.point is None else {k: _value(v) for k, v in ex.point.items()},
        "at_float": None if ex.point is None else {k: _float(v) for k, v in ex.point.items()},
        "nodes": [
            {
                "name": node.name,
                "op": node.op,
                "formula": plain(graph.formula(node.name), as_written=True),
                **_number(ex.values[node.name] if ex.values else None),
            }
            for node in cut("nodes", graph.nodes)
        ],
        "edges": [
            {
                "from": edge.source,
                "to": edge.target,
                "slot": edge.slot,
                "rule": partials[edge].rule,
                "partial": plain(partials[edge].expr),
                **_number(partials[edge].value),
            }
            for edge in cut("edges", graph.edges)
        ],
        "paths": {
            x: {
                "count": _count(p.count),
                "shown": [
                    {"nodes": list(t.nodes), "product": _product(t, rows, left_out),
                     **_number(t.value)}
                    for t in p.shown
                ],
                "sum": _expr(p.sum),
                **_number(p.value),
            }
            for x, p in ex.paths.items()
        },
        "forward": {
            x: {name: _quantity(sweep.totals[name])
                for name in cut("forward", sweep.totals, keep=(graph.output,))}
            for x, sweep in ex.forward.items()
        },
        "reverse": {name: _quantity(ex.reverse.totals[name])
                    for name in cut("reverse", ex.reverse.totals, keep=inputs)},
        "reverse_steps": [
            {
                "from": a.step.edge.source,
                "to": a.step.edge.target,
                "slot": a.step.edge.slot,
                "carried": {"expr": _expr(a.step.carried), **_number(a.step.carried_value)},
                "partial": {"expr": _expr(a.step.partial), **_number(a.step.partial_value)},
                "product": {"expr": _expr(a.step.contribution),
                            **_number(a.step.contribution_value)},
                "before": _quantity(a.before),
                "after": _quantity(a.after),
            }
            for a in cut("reverse_steps", adjoint_steps(ex))
        ],
        "gradient": {
            x: {**_quantity(q), "in_inputs": _expr(ex.gradient_in_inputs.get(x))}
            for x, q in ex.gradient.items()
        },
        "cost": {
            method: {"mul": _count(ops.mul), "add": _count(ops.add)}
            for method, ops in (
                ("paths", ex.cost.paths),
                ("forward", ex.cost.forward),
                ("reverse", ex.cost.reverse),
            )
        },
        "repeated_products": [
            {"from": edge.source, "to": edge.target, "times": _count(times)}
            for edge, times in cut("repeated_products", ex.cost.repeated)
        ],
        "checks": {c.name: c.passed for c in ex.checks if c.passed is not None},
        "check_details": [
            {"name": c.name, "passed": c.passed, "method": c.method, "detail": c.detail}
            for c in ex.checks
        ],
        "warnings": list(ex.warnings),
        "notes": list(ex.notes),
    }
    if left_out:
        document["summarized"] = left_out
    return document


def _product(term, rows: int | None, left_out: dict[str, int]) -> str | None:
    """A path's product; in a summarized document (``rows``) a path longer than
    :data:`~symbp.explanation.view.WHOLE_PATH` edges has none (thousands of factors)."""
    if rows is not None and len(term.edges) > WHOLE_PATH:
        left_out["path_products"] = left_out.get("path_products", 0) + 1
        return None
    return plain(term.product)


JSON_EXACT_INT = 2**53
"""Largest count written as a JSON number: every consumer (JavaScript's doubles too)
holds it exactly.  Larger counts (2^3000 paths) are strings of their exact digits."""


def _count(n: int) -> int | str:
    """A count of paths or operations: exact, as a number or (beyond 2^53) a string."""
    return n if n <= JSON_EXACT_INT else str(n)


def _quantity(q: Quantity) -> dict:
    return {"expr": _expr(q.expr), **_number(q.value)}


def _number(value) -> dict:
    """``{"value": exact, "float": nearest float}`` (both ``null`` without a value)."""
    return {"value": _value(value), "float": _float(value)}


def _expr(expr) -> str | None:
    return None if expr is None else plain(expr)


_EXACT_INTEGERS = 2**53
"""Integers up to this size are JSON numbers (every JSON reader holds them exactly)."""


def _value(value):
    if value is None:
        return None
    value = sympy.sympify(value, strict=True)
    if value.is_Integer and abs(value) <= _EXACT_INTEGERS:
        return int(value)
    if value.is_Float and _float(value) is not None:
        return float(value)
    if value.has(ExactValue):  # written out when that stays short, else certain digits
        exact = written_out(value)
        if _tree_size(exact, 400) <= 400:
            return plain(exact)
        decimal = approximate(value, 30)
        return None if decimal is None else sympy.sstr(decimal)
    return plain(value)


def _tree_size(expr, limit: int) -> int:
    for size, _ in enumerate(sympy.preorder_traversal(expr), start=1):
        if size > limit:
            return size
    return 0


def _float(value) -> float | None:
    """The nearest 64-bit float, or ``None`` when there is none (beyond ±1.8e308)."""
    result = nearest_float(value)
    return result if result is not None and math.isfinite(result) else None
