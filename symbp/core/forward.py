"""Forward mode: seed one input with tangent 1 and push tangents forward.

After the sweep seeded at x, every node v holds ∂v/∂x.  Each edge u → v adds one
term ∂v/∂u · ∂u/∂x to v's tangent — one step per edge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import sympy

from .graph import Edge, Graph

__all__ = ["RecordedSteps", "SweepStep", "add_up", "forward_sweep"]


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
    if isinstance(seed, float) and isinstance(partial, Mapping):
        return _float_forward_sweep(graph, wrt, partial, seed, tidy)
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


def _float_forward_sweep(graph, wrt, partial, seed, tidy):
    """:func:`forward_sweep` in floats: the same products and sums in the same order
    (``add_up``'s left-to-right sum, kept as a running total), each edge recorded as
    itself; its step is made from the partial and the final tangent when looked at."""
    tangent: dict[str, float] = {wrt: seed}
    used: list[Edge] = []
    in_edges = graph.in_edges
    for node in graph.nodes[graph.index[wrt] + 1 :]:
        total = None
        for edge in in_edges[node.name]:
            carried = tangent.get(edge.source)
            if carried is None:
                continue  # this operand does not depend on wrt: its tangent is 0
            used.append(edge)
            contribution = partial[edge] * carried
            total = contribution if total is None else total + contribution
        if total is not None:
            tangent[node.name] = _tidied(total, tidy)
    return RecordedSteps(used, partial, tangent, forward=True), tangent


def _tidied(total, tidy):
    return total if tidy is None or type(total) is float else tidy(total)


class RecordedSteps(Sequence[SweepStep]):
    """A float sweep's steps, each a :class:`SweepStep` made when looked at from the edge,
    its partial and the carried quantity — the tangent of the edge's source (forward) or
    the adjoint of its target (reverse), final when the step was taken — so the very
    product the sweep added.  A 15,000-edge explanation records four sweeps and shows
    a dozen steps of each."""

    __slots__ = ("_carried", "_edges", "_forward", "_partial")

    def __init__(self, edges: list[Edge], partial: Mapping[Edge, object],
                 carried: Mapping[str, object], *, forward: bool) -> None:
        self._edges, self._partial, self._carried = edges, partial, carried
        self._forward = forward

    def __len__(self) -> int:
        return len(self._edges)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        edge = self._edges[i]
        local = self._partial[edge]
        if self._forward:
            carried = self._carried[edge.source]
            return SweepStep(edge, local, carried, local * carried)
        carried = self._carried[edge.target]
        return SweepStep(edge, local, carried, carried * local)
