"""The graphs the benchmarks run on, built deterministically (same sizes, same numbers).

Every builder returns a :class:`symbp.Graph` (or program text for the end-to-end run)
so that what is timed is symbp's work on an already-built graph.
"""

from __future__ import annotations

import random
from itertools import pairwise

from symbp.core.graph import Graph, Node
from symbp.network.graph import network_graph
from symbp.network.model import Network, Sample


def diamond_chain(depth: int, uses: int = 3) -> Graph:
    """A chain of ``depth`` diamonds over the inputs x, y.

    v₀ = x·y; each layer forks the previous value and joins the branches again:
    ``uses = 2``: vᵢ = sin(vᵢ₋₁)·cos(vᵢ₋₁) (2 paths per layer, 2^depth in all);
    ``uses = 3``: vᵢ = sin(vᵢ₋₁) + vᵢ₋₁·cos(vᵢ₋₁) (3 per layer, 3^depth in all).
    Nodes and edges grow linearly with depth; paths grow exponentially.  Both maps
    keep the values and the derivatives of moderate size (no underflow at depth 16).
    """
    if uses not in (2, 3):
        raise ValueError("uses is 2 or 3")
    nodes = [Node("x"), Node("y"), Node("v_0", "mul", ("x", "y"))]
    for i in range(1, depth + 1):
        prev = f"v_{i - 1}"
        nodes += [Node(f"s_{i}", "sin", (prev,)), Node(f"c_{i}", "cos", (prev,))]
        if uses == 2:
            nodes.append(Node(f"v_{i}", "mul", (f"s_{i}", f"c_{i}")))
        else:
            nodes += [Node(f"p_{i}", "mul", (prev, f"c_{i}")),
                      Node(f"v_{i}", "add", (f"s_{i}", f"p_{i}"))]
    return Graph(nodes, f"v_{depth}")


def random_network(layers, activation: str = "sigmoid", seed: int = 0) -> Network:
    """A fully connected network with parameters drawn uniformly from [−1, 1]."""
    rng = random.Random(seed)
    weights = tuple(
        tuple(tuple(rng.uniform(-1, 1) for _ in range(m)) for _ in range(n))
        for m, n in pairwise(layers)
    )
    biases = tuple(tuple(rng.uniform(-1, 1) for _ in range(n)) for n in layers[1:])
    return Network(tuple(layers), activation, "quadratic", weights, biases)


def random_samples(network: Network, count: int, seed: int = 1) -> list[Sample]:
    """``count`` samples: x in [−1, 1], y in [0, 1]."""
    rng = random.Random(seed)
    return [
        Sample(tuple(rng.uniform(-1, 1) for _ in range(network.layers[0])),
               tuple(rng.uniform(0, 1) for _ in range(network.layers[-1])))
        for _ in range(count)
    ]


def mlp_cost_graph(layers) -> tuple[Graph, Network]:
    """The engine graph of the quadratic cost of a sigmoid network (symbp.network.graph)."""
    network = random_network(layers)
    return network_graph(network), network


def random_program(statements: int, inputs: int = 8, window: int = 20, seed: int = 0) -> str:
    """A program of ``statements`` lines ``t_i = tanh(t_j*t_k + t_l)`` (3 operations each).

    Operands come from the previous ``window`` lines (or the inputs), so nearly every
    node is an ancestor of the output and the number of paths is astronomical; tanh
    keeps every value in (−1, 1).
    """
    rng = random.Random(seed)
    names = [f"x{k}" for k in range(1, inputs + 1)]
    lines = []
    for i in range(1, statements + 1):
        recent = names[-window:]
        j, k, m = (rng.choice(recent) for _ in range(3))
        lines.append(f"t{i} = tanh({j}*{k} + {m})")
        names.append(f"t{i}")
    return "\n".join(lines)


def random_graph(edges: int, inputs: int = 8, window: int = 20, seed: int = 0) -> Graph:
    """The graph of :func:`random_program` with about ``edges`` edges, built directly.

    Each line adds three nodes (mul, add, tanh) and five edges.
    """
    rng = random.Random(seed)
    names = [f"x{k}" for k in range(1, inputs + 1)]
    nodes = [Node(name) for name in names]
    for i in range(1, edges // 5 + 1):
        recent = names[-window:]
        j, k, m = (rng.choice(recent) for _ in range(3))
        nodes += [Node(f"p{i}", "mul", (j, k)), Node(f"q{i}", "add", (f"p{i}", m)),
                  Node(f"t{i}", "tanh", (f"q{i}",))]
        names.append(f"t{i}")
    return Graph(nodes, names[-1])


def random_point(graph: Graph, seed: int = 0) -> dict[str, float]:
    """A float point for every input, uniform in [0.5, 1.5], rounded to 6 digits."""
    rng = random.Random(seed)
    return {x: round(rng.uniform(0.5, 1.5), 6) for x in graph.inputs}
