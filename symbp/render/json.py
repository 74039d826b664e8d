"""The machine-readable document of ``symbp explain --format json``.

Expressions are SymPy ``str`` strings.  A value is a JSON number when it is an
integer or a float, and otherwise its exact SymPy string (``"1/2"``, ``"cos(2)"``);
without a point every value is ``null``.
"""

from __future__ import annotations

import json

import sympy

from .. import arguments
from ..explain import Explanation, Quantity
from ..limits import with_long_int_text
from ..printing import plain

__all__ = ["to_dict", "to_json"]


@with_long_int_text
def to_json(explanation: Explanation, *, indent: int | None = 2) -> str:
    """The document as JSON text (keys in a fixed order: byte-identical for equal input)."""
    arguments.explanation(explanation, "to_json")
    arguments.whole_number(indent, "to_json", "indent", none=True)
    return json.dumps(to_dict(explanation), indent=indent, ensure_ascii=False)


@with_long_int_text
def to_dict(ex: Explanation) -> dict:
    """The document as Python data."""
    arguments.explanation(ex, "to_dict")
    graph = ex.graph
    partials = {p.edge: p for p in ex.partials}
    return {
        "symbp": _version(),
        "output": graph.output,
        "inputs": list(graph.inputs),
        "wrt": list(ex.wrt),
        "at": None if ex.point is None else {k: _value(v) for k, v in ex.point.items()},
        "nodes": [
            {
                "name": node.name,
                "op": node.op,
                "formula": plain(graph.formula(node.name), as_written=True),
                "value": _value(ex.values[node.name]) if ex.values else None,
            }
            for node in graph.nodes
        ],
        "edges": [
            {
                "from": edge.source,
                "to": edge.target,
                "slot": edge.slot,
                "rule": partials[edge].rule,
                "partial": plain(partials[edge].expr),
                "value": _value(partials[edge].value),
            }
            for edge in graph.edges
        ],
        "paths": {
            x: {
                "count": _count(p.count),
                "shown": [
                    {"nodes": list(t.nodes), "product": plain(t.product), "value": _value(t.value)}
                    for t in p.shown
                ],
                "sum": _expr(p.sum),
                "value": _value(p.value),
            }
            for x, p in ex.paths.items()
        },
        "forward": {
            x: {name: _quantity(q) for name, q in sweep.totals.items()}
            for x, sweep in ex.forward.items()
        },
        "reverse": {name: _quantity(q) for name, q in ex.reverse.totals.items()},
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
            for edge, times in ex.cost.repeated
        ],
        "checks": {c.name: c.passed for c in ex.checks if c.passed is not None},
        "check_details": [
            {"name": c.name, "passed": c.passed, "method": c.method, "detail": c.detail}
            for c in ex.checks
        ],
        "warnings": list(ex.warnings),
        "notes": list(ex.notes),
    }


JSON_EXACT_INT = 2**53
"""Largest count written as a JSON number: every consumer (JavaScript's doubles too)
holds it exactly.  Larger counts (2^3000 paths) are strings of their exact digits."""


def _count(n: int) -> int | str:
    """A count of paths or operations: exact, as a number or (beyond 2^53) a string."""
    return n if n <= JSON_EXACT_INT else str(n)


def _quantity(q: Quantity) -> dict:
    return {"expr": _expr(q.expr), "value": _value(q.value)}


def _expr(expr) -> str | None:
    return None if expr is None else plain(expr)


def _value(value):
    if value is None:
        return None
    value = sympy.sympify(value, strict=True)
    if value.is_Integer:
        return int(value)
    if value.is_Float:
        return float(value)
    return plain(value)


def _version() -> str:
    from .. import __version__

    return __version__
