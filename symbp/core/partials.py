"""Local partials: ∂consumer/∂operand on every edge, from the rule table.

The same rule functions give the symbolic partial (called with the operands'
symbols: ∂e/∂c = d) and its value (called with the operands' values: 2).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy

from ..errors import PARAMETER, DomainError
from .evaluate import beyond_floats, is_defined
from .graph import Edge, Graph
from .lazy import LazySequence
from .numeric import float_rule
from .printing import inline
from .printing import name as shown_name
from .rules import rule_for

__all__ = ["LocalPartial", "LocalPartials", "SymbolicPartials", "kinks", "local_partials",
           "partials_in"]


@dataclass(frozen=True)
class LocalPartial:
    """One edge's local partial: the rule that gives it, its formula and its value.

    The formula (``expr``) is built on first use, from the graph's :class:`SymbolicPartials`:
    a big graph shows a dozen of its thousands of partials, and each costs SymPy a
    fraction of a millisecond (tanh' = 1 − tanh(b)² runs SymPy's simplifications).
    """

    edge: Edge
    rule: str
    symbolic: Mapping[Edge, sympy.Expr] = field(repr=False, compare=False)
    value: sympy.Expr | None = None

    @property
    def expr(self) -> sympy.Expr:
        """∂target/∂source in the operands' names, from the rule table."""
        return self.symbolic[self.edge]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LocalPartial):
            return NotImplemented
        return (self.edge, self.rule, self.expr, self.value) == (
            other.edge, other.rule, other.expr, other.value)

    def __hash__(self) -> int:
        return hash((self.edge, self.rule))


class SymbolicPartials(Mapping):
    """Edge → its symbolic local partial (operands' symbols), each built on first look-up
    and kept; the same expressions as ``partials_in(graph, graph.symbols)``."""

    def __init__(self, graph: Graph) -> None:
        self._graph = graph
        self._built: dict[Edge, sympy.Expr] = {}

    def __getitem__(self, edge: Edge) -> sympy.Expr:
        built = self._built.get(edge)
        if built is None:
            graph = self._graph
            node = graph[edge.target]
            if not isinstance(edge, Edge) or node.args[edge.slot] != edge.source:
                raise KeyError(edge)
            operands = graph.operand_values(node.name, graph.symbols)
            built = self._built[edge] = rule_for(node.op).partials[edge.slot](*operands)
        return built

    def __iter__(self):
        return iter(self._graph.edges)

    def __len__(self) -> int:
        return len(self._graph.edges)


def partials_in(graph: Graph, env: Mapping[str, object]) -> dict[Edge, sympy.Expr]:
    """Every edge's partial with operands looked up in ``env`` (symbols, values or expressions).

    An ``env`` of Python floats gives float partials (compiled from the same rules).
    """
    floats = any(isinstance(v, float) for v in env.values())
    result: dict[Edge, sympy.Expr] = {}
    for node in graph.nodes:
        if node.is_input:
            continue
        if floats:
            partials = float_rule(node.op)[1]
            operands = [env[a] if isinstance(a, str) else float(a) for a in node.args]
        else:
            partials = rule_for(node.op).partials
            operands = graph.operand_values(node.name, env)
        for edge in graph.in_edges[node.name]:
            try:
                result[edge] = partials[edge.slot](*operands)
            except (ValueError, ZeroDivisionError, OverflowError):
                result[edge] = math.nan  # reported with the edge by local_partials
    return result


def local_partials(graph: Graph, values: Mapping[str, sympy.Expr] | None = None
                   ) -> LocalPartials:
    """Every edge's local partial, symbolic (built on first use) and, given node
    ``values``, numeric — each checked to be defined here, each record made when looked at."""
    symbolic = SymbolicPartials(graph)
    numeric = partials_in(graph, values) if values is not None else {}
    for edge, value in numeric.items():
        if not (math.isfinite(value) if type(value) is float else is_defined(value)):
            raise DomainError(_beyond_floats(graph, edge, symbolic[edge], values)
                              or _undefined(graph, edge, symbolic[edge], values),
                              parameter="at")
    return LocalPartials(graph, symbolic, numeric)


class LocalPartials(LazySequence[LocalPartial]):
    """The :class:`LocalPartial` of every edge in graph order, each made when looked at (a
    sequence like the tuple it stands for: indexing, slices, ``len``, iteration, ``==``).
    A 15,000-edge explanation shows a dozen; ``symbolic`` and ``numeric`` are the tables
    behind them (edge → partial), for the sweeps."""

    __slots__ = ("_graph", "numeric", "symbolic")

    def __init__(self, graph: Graph, symbolic: SymbolicPartials,
                 numeric: Mapping[Edge, object]) -> None:
        self._graph, self.symbolic, self.numeric = graph, symbolic, numeric

    def __len__(self) -> int:
        return len(self._graph.edges)

    def item(self, i: int) -> LocalPartial:
        edge = self._graph.edges[i]
        rule = rule_for(self._graph[edge.target].op)
        return LocalPartial(edge, rule.rule_names[edge.slot], self.symbolic,
                            self.numeric.get(edge))

    def __repr__(self) -> str:
        return repr(tuple(self))


def kinks(graph: Graph, values: Mapping[str, sympy.Expr]) -> list[str]:
    """Warnings for operations evaluated exactly at a point where they are not differentiable."""
    warnings = []
    for node in graph.nodes:
        rule = None if node.is_input else rule_for(node.op)
        if rule is None or rule.kink is None:
            continue
        if rule.kink(*graph.operand_values(node.name, values)):
            formula = inline(graph.formula(node.name), as_written=True)
            warnings.append(
                f"{shown_name(node.name)} = {formula} is not differentiable at this point; "
                f"symbp uses the convention {rule.convention}"
            )
    return warnings


def _beyond_floats(graph: Graph, edge: Edge, expr: sympy.Expr, values) -> str | None:
    """The message for a float partial that overflowed where the partial is a fine real
    number (∂(a/b)/∂b = -a/b² at b = 1e-200 is -1e400), or ``None``."""
    node = graph[edge.target]
    if not any(type(v) is float for v in values.values()):
        return None
    operands = [sympy.Float(v, 30) for v in graph.operand_values(node.name, values)]
    try:
        partial = rule_for(node.op).partials[edge.slot](*operands)
        value = sympy.sympify(partial, strict=True).evalf(30)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    if not (value.is_Float and is_defined(value)):
        return None
    return beyond_floats(graph, f"the local partial ∂{shown_name(edge.target)}/"
                         f"∂{shown_name(edge.source)} = {inline(expr)}", value, node.op)


def _undefined(graph: Graph, edge: Edge, expr: sympy.Expr, values) -> str:
    where = ", ".join(
        f"{shown_name(arg)} = {inline(values[arg])}"
        for arg in dict.fromkeys(graph[edge.target].operands)
    )
    return (
        f"the local partial ∂{shown_name(edge.target)}/∂{shown_name(edge.source)} = "
        f"{inline(expr)} is undefined at this point ({where}); "
        f"{graph[edge.target].op} is not differentiable there — choose another point with "
        f"{PARAMETER}"
    )
