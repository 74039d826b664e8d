"""The neuron-level computational graph of one sample's cost, its node names, and the
engine's reverse sweep over it.

The cost C_x of one example is an ordinary :class:`~symbp.core.graph.Graph` built from
the engine's operations: products p^l_{jk} = w^l_{jk}·a^{l−1}_k, running sums
s^l_{jk}, the weighted input z^l_j = Σ_k p^l_{jk} + b^l_j, the activation
a^l_j = σ(z^l_j) and the cost terms.  The engine's reverse sweep over it is
backpropagation, and it *is* BP1–BP4: the adjoint of z^l_j is δ^l_j, of b^l_j is
δ^l_j (BP3, the edge b → z has partial 1) and of w^l_{jk} is a^{l−1}_k δ^l_j (BP4,
the edge w → p has partial a^{l−1}_k).  :mod:`symbp.network.checks` compares the
layer-level floats with that sweep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy

from ..core.evaluate import values
from ..core.forward import SweepStep
from ..core.graph import Graph, Node
from ..core.partials import partials_in
from ..core.reverse import reverse_sweep
from .functions import ACTIVATIONS
from .model import Network, Sample

__all__ = [
    "NeuronSweep",
    "activation_name",
    "bias_name",
    "delta_name",
    "graph_point",
    "input_name",
    "network_graph",
    "neuron_sweep",
    "parameter_names",
    "product_name",
    "shift_name",
    "target_name",
    "weight_name",
    "weighted_input_name",
    "weighted_inputs",
]


# -- names (Nielsen's, ASCII with TeX-style indices: shown as w²₁₁ by symbp.core.printing.name)

def _pair(j: int | str, k: int | str) -> str:
    """Two indices: ``11``, or ``1,10`` when one has several digits; letters allowed (``jk``)."""
    return f"{j}{k}" if len(str(j)) == 1 and len(str(k)) == 1 else f"{j},{k}"


def product_name(layer: int, j: int | str, k: int | str) -> str:
    """``p^{l}_{jk}`` = w^l_{jk}·a^{l−1}_k, one term of z^l_j."""
    return f"p^{{{layer}}}_{{{_pair(j, k)}}}"


def weight_name(layer: int, j: int | str, k: int | str) -> str:
    """``w^{l}_{jk}``: the weight from neuron k of layer l−1 to neuron j of layer l."""
    return f"w^{{{layer}}}_{{{_pair(j, k)}}}"


def bias_name(layer: int, j: int | str) -> str:
    """``b^{l}_{j}``."""
    return f"b^{{{layer}}}_{{{j}}}"


def weighted_input_name(layer: int, j: int | str) -> str:
    """``z^{l}_{j}``."""
    return f"z^{{{layer}}}_{{{j}}}"


def activation_name(layer: int, j: int | str) -> str:
    """``a^{l}_{j}`` (``x_{j}`` for the input layer, a¹ = x)."""
    return input_name(j) if layer == 1 else f"a^{{{layer}}}_{{{j}}}"


def delta_name(layer: int, j: int | str) -> str:
    """``delta^{l}_{j}`` (shown δˡⱼ)."""
    return f"delta^{{{layer}}}_{{{j}}}"


def input_name(k: int | str) -> str:
    """``x_{k}``."""
    return f"x_{{{k}}}"


def target_name(j: int | str) -> str:
    """``y_{j}``."""
    return f"y_{{{j}}}"


# -- the graph ---------------------------------------------------------------------------------

def network_graph(network: Network) -> Graph:
    """The computational graph of C_x, the cost of one example, neuron by neuron.

    Its inputs are x, y, and every weight and bias; its output is ``C``.  The structure
    depends only on the layer sizes, each layer's σ and the cost.
    """
    layers = network.layers
    nodes = [Node(input_name(k)) for k in range(1, layers[0] + 1)]
    for layer in range(2, network.depth + 1):
        n_in, act = layers[layer - 2], ACTIVATIONS[network.sigma(layer)]
        for j in range(1, layers[layer - 1] + 1):
            nodes += [Node(weight_name(layer, j, k)) for k in range(1, n_in + 1)]
            nodes.append(Node(bias_name(layer, j)))
        for j in range(1, layers[layer - 1] + 1):
            total = None
            for k in range(1, n_in + 1):
                product = product_name(layer, j, k)
                nodes.append(Node(product, "mul", (weight_name(layer, j, k),
                                                   activation_name(layer - 1, k))))
                if total is None:
                    total = product
                else:  # s^l_{jk} = p^l_{j1} + … + p^l_{jk}: the sum, one edge at a time
                    running = f"s^{{{layer}}}_{{{_pair(j, k)}}}"
                    nodes.append(Node(running, "add", (total, product)))
                    total = running
            z = weighted_input_name(layer, j)
            nodes.append(Node(z, "add", (total, bias_name(layer, j))))
            a = activation_name(layer, j)
            if not act.elementwise:  # softmax: below, once every z of the layer is there
                continue
            if act.op is None:  # identity: a = 1·z keeps a and z distinct nodes
                nodes.append(Node(a, "mul", (sympy.S.One, z)))
            else:
                nodes.append(Node(a, act.op, (z,)))
        if not act.elementwise:
            nodes += _softmax_nodes(layer, layers[layer - 1])
    nodes += _cost_nodes(network)
    return Graph(nodes, "C", generated_names=True)


def shift_name(layer: int) -> str:
    """``m^{l}``: the constant subtracted from z^l before the softmax's exponentials."""
    return f"m^{{{layer}}}"


def _softmax_nodes(layer: int, n: int) -> list[Node]:
    """a^l_j = E^l_j / S^l with E^l_j = exp(u^l_j), u^l_j = z^l_j − m^l and S^l their sum.

    m^l is an input, set to max_k z^l_k at the point (:func:`graph_point`): a constant, so
    no exponential overflows and the graph's function is the softmax whatever m is
    (e^(z−m)/Σ e^(z−m) = e^z/Σ e^z); its adjoint is 0 (rounding aside) and no path through
    it adds to any other."""
    m = shift_name(layer)
    nodes = [Node(m)]
    for j in range(1, n + 1):
        u, e = f"u^{{{layer}}}_{{{j}}}", f"E^{{{layer}}}_{{{j}}}"
        nodes += [Node(u, "sub", (weighted_input_name(layer, j), m)), Node(e, "exp", (u,))]
    total = f"E^{{{layer}}}_{{1}}"
    for j in range(2, n + 1):  # S^l_j = E^l_1 + … + E^l_j, one edge at a time
        running = f"S^{{{layer}}}_{{{j}}}"
        nodes.append(Node(running, "add", (total, f"E^{{{layer}}}_{{{j}}}")))
        total = running
    nodes += [Node(activation_name(layer, j), "div", (f"E^{{{layer}}}_{{{j}}}", total))
              for j in range(1, n + 1)]
    return nodes


def _cost_nodes(network: Network) -> list[Node]:
    last, outputs = network.depth, network.layers[-1]
    nodes = [Node(target_name(j)) for j in range(1, outputs + 1)]
    terms = []
    for j in range(1, outputs + 1):
        a, y = activation_name(last, j), target_name(j)
        if network.cost == "quadratic":
            nodes += [Node(f"r_{{{j}}}", "sub", (y, a)),  # r_j = y_j − a^L_j
                      Node(f"q_{{{j}}}", "pow", (f"r_{{{j}}}", sympy.Integer(2)))]
            terms.append(f"q_{{{j}}}")
        elif network.cost == "log-likelihood":  # t_j = y_j ln a_j
            nodes += [Node(f"g_{{{j}}}", "log", (a,)),
                      Node(f"t_{{{j}}}", "mul", (y, f"g_{{{j}}}"))]
            terms.append(f"t_{{{j}}}")
        else:  # c_j = y_j ln a_j + (1 − y_j) ln(1 − a_j)
            nodes += [Node(f"g_{{{j}}}", "log", (a,)),
                      Node(f"h_{{{j}}}", "sub", (sympy.S.One, a)),
                      Node(f"m_{{{j}}}", "log", (f"h_{{{j}}}",)),
                      Node(f"u_{{{j}}}", "sub", (sympy.S.One, y)),
                      Node(f"t_{{{j}}}", "mul", (y, f"g_{{{j}}}")),
                      Node(f"v_{{{j}}}", "mul", (f"u_{{{j}}}", f"m_{{{j}}}")),
                      Node(f"c_{{{j}}}", "add", (f"t_{{{j}}}", f"v_{{{j}}}"))]
            terms.append(f"c_{{{j}}}")
    total = terms[0]
    for j, term in enumerate(terms[1:], start=2):
        nodes.append(Node(f"S_{{{j}}}", "add", (total, term)))
        total = f"S_{{{j}}}"
    if network.cost == "quadratic":
        nodes.append(Node("C", "mul", (sympy.Rational(1, 2), total)))
    else:
        nodes.append(Node("C", "neg", (total,)))
    return nodes


def graph_point(network: Network, sample: Sample) -> dict[str, float]:
    """The graph's inputs for one sample: x, y, the weights and the biases."""
    point = {input_name(k): v for k, v in enumerate(sample.x, start=1)}
    point.update({target_name(j): v for j, v in enumerate(sample.y, start=1)})
    if not ACTIVATIONS[network.output_activation].elementwise:  # the softmax's shift
        point[shift_name(network.depth)] = max(weighted_inputs(network, sample.x)[-1])
    for i, (w, b) in enumerate(zip(network.weights, network.biases, strict=True)):
        for j, row in enumerate(w, start=1):
            for k, value in enumerate(row, start=1):
                point[weight_name(i + 2, j, k)] = value
            point[bias_name(i + 2, j)] = b[j - 1]
    return point


def weighted_inputs(network: Network, x) -> list[tuple[float, ...]]:
    """z^l for l = 2..L of the input ``x`` (the forward pass alone, in floats)."""
    zs, a = [], tuple(x)
    for w, b, name in zip(network.weights, network.biases, network.activations, strict=True):
        z = tuple(math.fsum(w_jk * a_k for w_jk, a_k in zip(row, a, strict=True)) + b_j
                  for row, b_j in zip(w, b, strict=True))
        zs.append(z)
        a = ACTIVATIONS[name].layer(z)
    return zs


def parameter_names(network: Network) -> tuple[str, ...]:
    """Every weight and bias name, layer by layer (w row by row, then b)."""
    names = []
    for layer in range(2, network.depth + 1):
        for j in range(1, network.layers[layer - 1] + 1):
            names += [weight_name(layer, j, k) for k in range(1, network.layers[layer - 2] + 1)]
        names += [bias_name(layer, j) for j in range(1, network.layers[layer - 1] + 1)]
    return tuple(names)


@dataclass(frozen=True)
class NeuronSweep:
    """The engine's reverse sweep over the graph of one sample's cost (floats).

    ``values[v]`` is the node's value and ``adjoints[v]`` is dC/dv; ``steps`` has one
    entry per edge, in the order the sweep used them.
    """

    graph: Graph
    sample_index: int
    values: dict[str, float]
    adjoints: dict[str, float]
    steps: tuple[SweepStep, ...]


def neuron_sweep(network: Network, sample: Sample, index: int = 0,
                 graph: Graph | None = None) -> NeuronSweep:
    """Evaluate the graph of C_x with the engine and run its reverse sweep."""
    graph = graph or network_graph(network)
    env = values(graph, graph_point(network, sample))
    steps, adjoint = reverse_sweep(graph, partials_in(graph, env))
    return NeuronSweep(
        graph, index,
        {n: float(v) for n, v in env.items()},
        {n: float(adjoint.get(n, 0)) for n in graph.index},
        tuple(SweepStep(s.edge, float(s.partial), float(s.carried), float(s.contribution))
              for s in steps),
    )
