"""What each method costs, in counted multiplications and additions.

Counting convention (the same for all three methods, so a single chain of L edges
costs L − 1 multiplications each way): every edge product is one multiplication,
except a product with the seed 1 (the input in forward mode, the output in reverse
mode), which is free; joining k terms at a node is k − 1 additions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .graph import Edge, Graph
from .paths import edge_uses, path_lengths, paths_to_output

__all__ = ["Cost", "Ops", "cost"]


@dataclass(frozen=True)
class Ops:
    """A count of multiplications and additions."""

    mul: int = 0
    add: int = 0

    def __add__(self, other: Ops) -> Ops:
        return Ops(self.mul + other.mul, self.add + other.add)

    @property
    def total(self) -> int:
        """Multiplications plus additions."""
        return self.mul + self.add


@dataclass(frozen=True)
class Cost:
    """Operation counts of the three methods for all inputs, and the repeated edge products."""

    paths: Ops
    forward: Ops
    reverse: Ops
    per_input_paths: dict[str, Ops]
    per_input_forward: dict[str, Ops]
    repeated: tuple[tuple[Edge, int], ...]  # edges the path expansion uses more than once


def cost(graph: Graph) -> Cost:
    """Count the operations of the sum over paths, forward mode and the reverse sweep."""
    count = paths_to_output(graph)
    lengths = path_lengths(graph)
    per_paths = {
        x: Ops(lengths[x] - count[x], max(count[x] - 1, 0)) for x in graph.inputs
    }
    per_forward = _forward_ops(graph)
    uses = edge_uses(graph)
    repeated = tuple((edge, uses[edge]) for edge in graph.edges if uses[edge] > 1)
    return Cost(
        paths=sum(per_paths.values(), Ops()),
        forward=sum(per_forward.values(), Ops()),
        reverse=_reverse_ops(graph),
        per_input_paths=per_paths,
        per_input_forward=per_forward,
        repeated=repeated,
    )


def _forward_ops(graph: Graph) -> dict[str, Ops]:
    """Every input's forward-mode count, from one pass over the graph for all inputs.

    Seeded at input x, a sweep reaches the nodes x reaches; a reached node with k reached
    incoming edges costs k products (those with the seed x itself are free) and k − 1
    additions.  Summed over x's sweep: E_x − (edges out of x) products and E_x − N_x
    additions, where E_x counts the edges whose source x reaches (x itself included) and
    N_x the operations x reaches.  So one pass finds each node's set of reaching inputs
    (a bitmask: the OR of its operands'), and E_x and N_x for every x at once are column
    sums of those masks (:func:`_column_sums`), not a sweep per input (inputs × nodes
    steps: 8 passes over a 15,000-edge program).
    """
    inputs = graph.inputs
    bits = {graph.index[x]: 1 << k for k, x in enumerate(inputs)}
    reach: list[int] = []  # node position → the inputs that reach it, as a bitmask
    sources: list[int] = []  # each edge's source's mask
    operations: list[int] = []  # each operation's mask
    for i, args in enumerate(graph.arg_positions):
        mask = bits.get(i)
        if mask is None:
            mask = 0
            for a in args:
                if type(a) is int:
                    source = reach[a]
                    sources.append(source)
                    joined = mask | source
                    # the operand's own int when equal: one object for a whole saturated
                    # region (with thousands of inputs a mask is kilobytes)
                    mask = source if joined == source else joined
            operations.append(mask)
        reach.append(mask)
    edges = _column_sums(Counter(sources), len(inputs))
    nodes = _column_sums(Counter(operations), len(inputs))
    return {x: Ops(edges[k] - len(graph.out_edges[x]), edges[k] - nodes[k])
            for k, x in enumerate(inputs)}


def _column_sums(masks: Counter, width: int) -> list[int]:
    """For each bit k < ``width``, how many of ``masks`` (with repeats) have it set.

    A bit-sliced counter: ``planes[j]`` holds bit j of every column's count, so adding a
    mask is one binary increment of all columns at once — a few int operations however
    many columns; each distinct mask is added once, shifted by the bits of its count."""
    planes: list[int] = []
    for mask, times in masks.items():
        start = 0
        while times:
            if times & 1:
                carry, j = mask, start
                while carry:
                    if j >= len(planes):
                        planes.extend([0] * (j - len(planes)))
                        planes.append(carry)
                        break
                    plane = planes[j]
                    planes[j] = plane ^ carry
                    carry &= plane
                    j += 1
            times >>= 1
            start += 1
    sums = [0] * width
    for j, plane in enumerate(planes):
        digits = bin(plane)[:1:-1]  # digit k is bit k
        k = digits.find("1")
        while k != -1:
            sums[k] += 1 << j
            k = digits.find("1", k + 1)
    return sums


def _reverse_ops(graph: Graph) -> Ops:
    mul = sum(1 for edge in graph.edges if edge.target != graph.output)
    add = sum(
        max(len(graph.out_edges[node.name]) - 1, 0)
        for node in graph.nodes
        if node.name != graph.output
    )
    return Ops(mul, add)
