"""Reverse mode (backpropagation): one memoized sweep from the output.

Seed the output's adjoint with 1; visit nodes in reverse topological order; when a
node is visited its adjoint ∂out/∂node is complete, so it is *stored and reused* for
every edge into it.  Each edge is used exactly once, and all inputs' partials come
out of the one sweep — the dynamic-programming form of the sum over paths.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import sympy

from .evaluate import constant_float, input_float
from .forward import RecordedSteps, SweepStep, add_up
from .graph import INPUT, Edge, Graph
from .numeric import float_rule

__all__ = ["float_gradient", "reverse_sweep"]


def reverse_sweep(
    graph: Graph,
    partial: Mapping[Edge, sympy.Expr] | Callable[[Edge], sympy.Expr],
    *,
    record: bool = True,
    seed=sympy.S.One,
    tidy=None,
) -> tuple[list[SweepStep], dict[str, sympy.Expr]]:
    """Adjoints ∂output/∂v of every node, and (if ``record``) one step per edge.

    ``seed`` is ∂output/∂output: 1, or ``1.0`` for a float sweep.
    """
    if isinstance(seed, float) and isinstance(partial, Mapping):
        return _float_reverse_sweep(graph, partial, seed, tidy, record)
    get = partial.__getitem__ if isinstance(partial, Mapping) else partial
    terms: dict[str, list[sympy.Expr]] = {graph.output: [seed]}
    adjoint: dict[str, sympy.Expr] = {}
    steps: list[SweepStep] = []
    for node in reversed(graph.nodes):
        pending = terms.pop(node.name, None)
        if pending is None:
            continue  # not an ancestor of the output
        total = adjoint[node.name] = add_up(pending, tidy)  # complete: consumers came before
        for edge in graph.in_edges[node.name]:
            local = get(edge)
            contribution = total * local
            # the += of micrograd: adjoints from several consumers add up, which *is*
            # the sum over paths, each path's product shared through the stored adjoint
            waiting = terms.get(edge.source)
            if waiting is None:
                terms[edge.source] = [contribution]
            else:
                waiting.append(contribution)
            if record:
                steps.append(SweepStep(edge, local, total, contribution))
    return steps, adjoint


def _float_reverse_sweep(graph, partial, seed, tidy, record):
    """:func:`reverse_sweep` in floats: the same products, each adjoint's terms summed in
    the same order (``add_up``'s left-to-right sum, kept as a running total), each edge
    recorded as itself (:class:`~symbp.core.forward.RecordedSteps` makes its step when
    looked at)."""
    pending: dict[str, float] = {graph.output: seed}
    adjoint: dict[str, float] = {}
    used: list[Edge] = []
    in_edges = graph.in_edges
    for node in reversed(graph.nodes):
        total = pending.pop(node.name, None)
        if total is None:
            continue  # not an ancestor of the output
        if tidy is not None and type(total) is not float:
            total = tidy(total)
        adjoint[node.name] = total
        edges = in_edges[node.name]
        for edge in edges:
            contribution = total * partial[edge]
            waiting = pending.get(edge.source)
            pending[edge.source] = contribution if waiting is None else waiting + contribution
        if record:
            used += edges
    return RecordedSteps(used if record else [], partial, adjoint, forward=False), adjoint


def float_gradient(graph: Graph, point: Mapping[str, object]) -> dict[str, float] | None:
    """The reverse sweep's gradient in floats: node values, local partials and adjoints in
    lists indexed by node position (:attr:`Graph.arg_positions`), one pass each way.

    The very floats of :func:`~symbp.core.evaluate.float_values`,
    :func:`~symbp.core.partials.partials_in` and :func:`reverse_sweep` with seed 1.0 (the
    same compiled rules, the same products, each adjoint's terms summed by ``add_up`` in
    the same order), without a dict lookup per edge.  An input that does not reach the
    output has gradient 0.0.  ``None`` when a value or a local partial is not a finite
    float: the slower path then says which and where.
    """
    nodes, positions = graph.nodes, graph.arg_positions
    value: list[float] = []
    local: list[tuple] = []  # each node's partials, in slot order of its operand edges
    for node, args in zip(nodes, positions, strict=True):
        if node.op == INPUT:
            value.append(input_float(graph, node.name, point[node.name]))  # or a DomainError
            local.append(())
            continue
        evaluate, partials = float_rule(node.op)
        operands = [value[a] if type(a) is int else constant_float(graph, a) for a in args]
        try:
            v = evaluate(*operands)
            ps = tuple([partials[slot](*operands) for slot, a in enumerate(args)
                        if type(a) is int])
        except (ValueError, ZeroDivisionError, OverflowError):
            return None
        if (isinstance(v, complex) or not math.isfinite(v)
                or not all(map(_finite_number, ps))):
            return None
        value.append(v)
        local.append(ps)
    terms: list[list | None] = [None] * len(nodes)
    terms[graph.index[graph.output]] = [1.0]
    adjoint: list[float | None] = [None] * len(nodes)
    for i in range(len(nodes) - 1, -1, -1):
        pending = terms[i]
        if pending is None:
            continue  # not an ancestor of the output
        terms[i] = None
        total = adjoint[i] = add_up(pending)
        sources = [a for a in positions[i] if type(a) is int]
        for source, partial in zip(sources, local[i], strict=True):
            contribution = total * partial
            waiting = terms[source]
            if waiting is None:
                terms[source] = [contribution]
            else:
                waiting.append(contribution)
    index = graph.index
    return {x: 0.0 if adjoint[index[x]] is None else adjoint[index[x]] for x in graph.inputs}


def _finite_number(value) -> bool:
    return not isinstance(value, complex) and math.isfinite(value)
