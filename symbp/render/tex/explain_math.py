r"""The math of the explanation's documents as SymPy objects, for
:class:`~symbp.network.prose.Math` runs with ``graph=True``: the LaTeX and Markdown printers
print them at the last moment with the explanation's TeX printer (:mod:`.math`), as they
print a graph's formulas.

A node's name is the graph's symbol, a local partial ∂v/∂u a
:class:`~symbp.network.symbols.Partial`, a total dv/dx an
:class:`~symbp.network.symbols.Adjoint`, an edge u → v an
:class:`~symbp.network.symbols.Edge`; a value after a name is :func:`valued`
(``= \sin(2) \approx 0.909``), from the links every format writes
(:func:`symbp.core.printing.value_links`).  The few notations only these documents need are
defined here, each once.
"""

from __future__ import annotations

from typing import ClassVar

import sympy

from ...core.graph import Edge as GraphEdge
from ...core.printing import UNCERTAIN, value_links
from ...explanation.records import Explanation
from ...explanation.view import output_expression, output_value
from ...network.symbols import Chain, Edge, Named, Notation, Partial
from .. import marks

__all__ = ["Joined", "Remark", "Separator", "Sign", "SlotEdge", "any_input", "edge", "listed",
           "name", "output", "partial", "valued", "written"]


class Separator(Named):
    """What stands between the items of a :class:`Joined`: ``commas`` (a, b), ``quads`` (a
    sentence's a = 2,  b = 1: a line may break after each comma), ``spaces`` (a = 2, b = 1
    close, TeX keeping the space), ``space`` (items written in a row) and ``tex_space``
    (a remark after math, ``∂c/∂b (operand 2)``)."""

    table: ClassVar[dict[str, tuple[str, str]]] = {
        "commas": (", ", ", "), "quads": (",  ", r",\allowbreak\quad "), "spaces": (", ", r",\ "),
        "space": (" ", " "), "tex_space": (" ", r"\ ")}


class Joined(sympy.Function):
    """Items in the order written, the :class:`Separator` its first argument names between
    them."""

    def _joined(self, printer, exp=None):
        separator, *items = (printer._print(a) for a in self.args)
        return separator.join(items)

    _sympystr = _latex = _joined


class Sign(Named):
    """A sign written between math: ``approx`` (≈), ``increment`` (a step's +=), ``ldots``
    (…), ``uncertain`` (a decimal with no certain digit)."""

    table: ClassVar[dict[str, tuple[str, str]]] = {
        "approx": ("≈", r"\approx"), "increment": ("+=", r"\mathrel{+}="),
        "ldots": ("…", r"\ldots"), "uncertain": (UNCERTAIN, rf"\text{{{UNCERTAIN}}}")}


class Remark(sympy.Symbol):
    """Words inside math, upright: ``(operand 2)``; ``(478 digits)`` after a decimal."""

    def _sympystr(self, printer):
        return self.name.strip()

    def _latex(self, printer, exp=None):
        return rf"\text{{{self.name}}}"


class SlotEdge(Notation):
    """u →₂ v: the edge from the k-th of several identical operands."""

    unicode, tex = "{0} →{2} {1}", r"{0} \to_{{{2}}} {1}"


def _of(cls, *args) -> sympy.Basic:
    # evaluate=False: a function whose arguments are all floats would be evalf'ed
    return cls(*args, evaluate=False)


def listed(separator: str, items) -> sympy.Basic:
    """Items with a :class:`Separator` between them (one item alone is itself)."""
    items = list(items)
    return items[0] if len(items) == 1 else _of(Joined, Separator(separator), *items)


def written(*items) -> sympy.Basic:
    """Items in a row, a space apart: ``written(t, Sign("increment"), Sign("ldots"))`` is
    t += …."""
    return listed("space", items)


def name(ex: Explanation, node: str) -> sympy.Symbol:
    """A node's name: the graph's symbol (``c_1`` prints ``c_{1}``, ``alpha`` ``\\alpha``)."""
    return ex.graph.symbols[node]


def _one_of_several(ex: Explanation, e: GraphEdge) -> bool:
    """Whether the edge is one of several from the same operand (``b·b``)."""
    return ex.graph[e.target].operands.count(e.source) > 1


def edge(ex: Explanation, e: GraphEdge) -> sympy.Basic:
    """The edge u → v, ``u \\to_{2} v`` when it is one of several from the same operand."""
    u, v = name(ex, e.source), name(ex, e.target)
    if _one_of_several(ex, e):
        return _of(SlotEdge, u, v, sympy.Integer(e.slot + 1))
    return _of(Edge, u, v)


def partial(ex: Explanation, e: GraphEdge, *, slot: bool = False) -> sympy.Basic:
    """The edge's local partial ∂v/∂u; with ``slot``, ``(operand 2)`` after it when the edge
    is one of several from the same operand."""
    local = Partial(name(ex, e.target), name(ex, e.source))
    if slot and _one_of_several(ex, e):
        return listed("tex_space", [local, Remark(f"(operand {e.slot + 1})")])
    return local


def valued(value, lhs=None) -> sympy.Basic:
    """``lhs = exact ≈ decimal``: a value as every format writes it after a name
    (:func:`~symbp.core.printing.value_links`); without ``lhs`` the value alone,
    ``≈ decimal`` when only its decimal is shown."""
    exact = approximate = None
    for relation, v in value_links(value):
        if relation == "note":  # the size of a long exact number: (478 digits)
            approximate = written(approximate, Remark(f" ({v})"))
        elif relation == "≈":
            approximate = Sign("uncertain") if v is None else v
        else:
            exact = v
    if exact is not None:
        lhs = exact if lhs is None else _of(Chain, lhs, exact)
    if approximate is None:
        return lhs
    return written(*([] if lhs is None else [lhs]), Sign("approx"), approximate)


def output(ex: Explanation) -> sympy.Basic:
    """The output and its value (or its formula in the inputs), for a heading."""
    out = name(ex, ex.graph.output)
    value = output_value(ex)
    if value is not None:
        return valued(value, out)
    expr = output_expression(ex)
    return out if expr is None else _of(Chain, out, expr)


def any_input(ex: Explanation) -> sympy.Symbol:
    """The input the paths' lead speaks of: the one input, else a letter no node has (``x``
    would be read as the node x in ``z = x·y``), else ξ."""
    if len(ex.paths) == 1:
        return name(ex, next(iter(ex.paths)))
    return sympy.Symbol(marks.any_input(ex.graph.index) or "xi")
