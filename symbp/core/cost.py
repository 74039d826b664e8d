"""What each method costs, in counted multiplications and additions.

Counting convention (the same for all three methods, so a single chain of L edges
costs L − 1 multiplications each way): every edge product is one multiplication,
except a product with the seed 1 (the input in forward mode, the output in reverse
mode), which is free; joining k terms at a node is k − 1 additions.
"""

from __future__ import annotations

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
    per_forward = {x: _forward_ops(graph, x) for x in graph.inputs}
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


def _forward_ops(graph: Graph, wrt: str) -> Ops:
    # by node position (Graph.arg_positions): one pass per input over lists, not dicts
    start = graph.index[wrt]
    reached = bytearray(len(graph.nodes))
    reached[start] = 1
    mul = add = 0
    positions = graph.arg_positions
    for i in range(start + 1, len(positions)):
        incoming = [a for a in positions[i] if type(a) is int and reached[a]]
        if incoming:
            reached[i] = 1
            mul += len(incoming) - incoming.count(start)  # products with the seed are free
            add += len(incoming) - 1
    return Ops(mul, add)


def _reverse_ops(graph: Graph) -> Ops:
    mul = sum(1 for edge in graph.edges if edge.target != graph.output)
    add = sum(
        max(len(graph.out_edges[node.name]) - 1, 0)
        for node in graph.nodes
        if node.name != graph.output
    )
    return Ops(mul, add)
