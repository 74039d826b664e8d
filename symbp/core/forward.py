"""Forward mode: seed one input with tangent 1 and push tangents forward.

After the sweep seeded at x, every node v holds ∂v/∂x.  Each edge u → v adds one
term ∂v/∂u · ∂u/∂x to v's tangent — one step per edge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

import sympy

from .graph import Edge, Graph

__all__ = ["SweepStep", "add_up", "forward_sweep"]


def add_up(terms: list, tidy=None):
    """The sum of a node's terms: SymPy's ``Add`` for expressions, plain ``+`` for floats.

    ``tidy`` (e.g. :func:`symbp.core.evaluate.bounded`) is applied to the sum.
    """
    if len(terms) == 1:
        total = terms[0]
    elif isinstance(terms[0], (float, int)):
        total = sum(terms[1:], terms[0])
    else:
        total = sympy.Add(*terms)
    return tidy(total) if tidy is not None else total


class SweepStep(NamedTuple):
    """One edge's contribution: ``carried`` (the tangent of the edge's source in forward
    mode, the adjoint of its target in reverse mode) times the local ``partial``.

    A named tuple rather than a dataclass, as :class:`~symbp.core.graph.Edge`: a sweep
    records one per edge (an explanation of 15,000 edges, four sweeps: 60,000), and a
    tuple is made in C where a frozen dataclass sets each field through a Python call."""

    edge: Edge
    partial: sympy.Expr
    carried: sympy.Expr
    contribution: sympy.Expr


def forward_sweep(
    graph: Graph,
    wrt: str,
    partial: Mapping[Edge, sympy.Expr] | Callable[[Edge], sympy.Expr],
    *,
    seed=sympy.S.One,
    tidy=None,
) -> tuple[list[SweepStep], dict[str, sympy.Expr]]:
    """Tangents ∂v/∂wrt of every node that depends on ``wrt``, and the steps that made them.

    ``partial`` gives each edge's local partial (symbolic, exact or float); the sweep
    only multiplies and adds, so the same code runs on symbols and on numbers.
    ``seed`` is 1 (``1.0`` for a float sweep); ``tidy`` is applied to each node's sum.
    """
    get = partial.__getitem__ if isinstance(partial, Mapping) else partial
    tangent: dict[str, sympy.Expr] = {wrt: seed}
    steps: list[SweepStep] = []
    for node in graph.nodes[graph.index[wrt] + 1 :]:
        terms = []
        for edge in graph.in_edges[node.name]:
            if edge.source not in tangent:
                continue  # this operand does not depend on wrt: its tangent is 0
            local = get(edge)
            contribution = local * tangent[edge.source]
            steps.append(SweepStep(edge, local, tangent[edge.source], contribution))
            terms.append(contribution)
        if terms:
            tangent[node.name] = add_up(terms, tidy)  # a fork joins here: the paths' sum
    return steps, tangent
