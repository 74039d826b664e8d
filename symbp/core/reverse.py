"""Reverse mode (backpropagation): one memoized sweep from the output.

Seed the output's adjoint with 1; visit nodes in reverse topological order; when a
node is visited its adjoint ∂out/∂node is complete, so it is *stored and reused* for
every edge into it.  Each edge is used exactly once, and all inputs' partials come
out of the one sweep — the dynamic-programming form of the sum over paths.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sympy

from .forward import SweepStep, add_up
from .graph import Edge, Graph

__all__ = ["reverse_sweep"]


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
