"""Paths from an input to the output: counted exactly, enumerated lazily.

The number of paths can be exponential in the size of the graph (2^200 is easy to
build), so counts come from dynamic programming over the edges — never from
enumeration — and enumeration is a generator that the caller caps.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from types import MappingProxyType
from weakref import WeakKeyDictionary

import sympy

from .graph import Edge, Graph

__all__ = [
    "PathTerm",
    "count_paths",
    "edge_uses",
    "iter_paths",
    "path_lengths",
    "path_terms",
    "paths_to_output",
]


def paths_to_output(graph: Graph) -> Mapping[str, int]:
    """Node → number of paths from it to the output (exact integers, one pass over edges).

    Counted once per graph (graphs never change): an explanation asks for the counts once
    per input listed and for every cost, a pass over every edge each time.  Read-only."""
    count = _PATHS_TO_OUTPUT.get(graph)
    if count is None:
        count = {name: 0 for name in graph.index}
        count[graph.output] = 1
        for node in reversed(graph.nodes):
            for edge in graph.in_edges[node.name]:
                count[edge.source] += count[node.name]
        count = _PATHS_TO_OUTPUT[graph] = MappingProxyType(count)
    return count


_PATHS_TO_OUTPUT: WeakKeyDictionary[Graph, Mapping[str, int]] = WeakKeyDictionary()


def paths_from_inputs(graph: Graph) -> dict[str, int]:
    """Node → number of paths reaching it from any input (an input counts its empty path)."""
    count = {name: 0 for name in graph.index}
    for node in graph.nodes:
        if node.is_input:
            count[node.name] = 1
        for edge in graph.in_edges[node.name]:
            count[node.name] += count[edge.source]
    return count


def count_paths(graph: Graph, source: str) -> int:
    """Number of paths from ``source`` to the output (each multi-edge is its own path)."""
    return paths_to_output(graph)[source]


def path_lengths(graph: Graph) -> dict[str, int]:
    """Node → total number of edges over all its paths to the output (for cost counting)."""
    count = paths_to_output(graph)
    total = {name: 0 for name in graph.index}
    for node in reversed(graph.nodes):
        for edge in graph.in_edges[node.name]:
            total[edge.source] += total[node.name] + count[node.name]
    return total


def edge_uses(graph: Graph) -> dict[Edge, int]:
    """Edge → how many input-to-output paths go through it.

    That is how many times the naive sum over paths multiplies this edge's partial
    into a product, where the reverse sweep uses it once.
    """
    before = paths_from_inputs(graph)
    after = paths_to_output(graph)
    return {edge: before[edge.source] * after[edge.target] for edge in graph.edges}


def iter_paths(graph: Graph, source: str) -> Iterator[tuple[Edge, ...]]:
    """Paths from ``source`` to the output, lazily, in a fixed order (consumers in graph order).

    Iterative depth-first search: nothing is built beyond the current path, so the
    first paths of a graph with astronomically many come out at once.
    """
    if source == graph.output:
        yield ()
        return
    reaches = paths_to_output(graph)
    path: list[Edge] = []
    stack: list[Iterator[Edge]] = [iter(graph.out_edges[source])]
    while stack:
        edge = next(stack[-1], None)
        if edge is None:
            stack.pop()
            if path:
                path.pop()
            continue
        if reaches[edge.target] == 0:
            continue
        if edge.target == graph.output:
            yield (*path, edge)
            continue
        path.append(edge)
        stack.append(iter(graph.out_edges[edge.target]))


def _multiply(factors: list):
    if any(isinstance(f, float) for f in factors):
        return math.prod(factors)
    return sympy.Mul(*factors)


@dataclass(frozen=True)
class PathTerm:
    """One path and its contribution: the product of the local partials along it.

    ``factors`` (the local partials along the path) and their ``product`` are built on
    first use: a path through a big graph can have thousands of edges, and a renderer
    that shows only its length and value never pays for them symbolically.
    """

    edges: tuple[Edge, ...]
    symbolic: Mapping[Edge, sympy.Expr] = field(repr=False, compare=False)
    value: sympy.Expr | None = None

    @cached_property
    def factors(self) -> tuple[sympy.Expr, ...]:
        """The local partials along the path, in node names."""
        return tuple(self.symbolic[edge] for edge in self.edges)

    @cached_property
    def product(self) -> sympy.Expr:
        """The product of the local partials along the path (in node names)."""
        return sympy.Mul(*self.factors)

    @property
    def nodes(self) -> tuple[str, ...]:
        """The path as node names, from the input to the output."""
        return (self.edges[0].source, *(edge.target for edge in self.edges))


def path_terms(
    graph: Graph,
    source: str,
    symbolic: Mapping[Edge, sympy.Expr],
    numeric: Mapping[Edge, sympy.Expr] | None = None,
    limit: int | None = None,
) -> list[PathTerm]:
    """The first ``limit`` paths (all if ``None``) with their products."""
    terms = []
    for edges in islice(iter_paths(graph, source), limit):
        value = _multiply([numeric[edge] for edge in edges]) if numeric is not None else None
        terms.append(PathTerm(edges, symbolic, value))
    return terms
