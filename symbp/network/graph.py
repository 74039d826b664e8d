"""The neuron-level computational graph of one sample's cost, and the network self-checks.

The cost C_x of one example is an ordinary :class:`~symbp.graph.Graph` built from
the engine's operations: products p^l_{jk} = w^l_{jk}·a^{l−1}_k, running sums
s^l_{jk}, the weighted input z^l_j = Σ_k p^l_{jk} + b^l_j, the activation
a^l_j = σ(z^l_j) and the cost terms.  The engine's reverse sweep over it is
backpropagation, and it *is* BP1–BP4: the adjoint of z^l_j is δ^l_j, of b^l_j is
δ^l_j (BP3, the edge b → z has partial 1) and of w^l_{jk} is a^{l−1}_k δ^l_j (BP4,
the edge w → p has partial a^{l−1}_k).  The checks compare the layer-level floats
with that sweep, with central finite differences on the graph, and δ with
``sympy.diff`` of the cost written out.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import mpmath
import sympy

from ..core.checks import FD_SECONDS, Check, finite_differences
from ..core.evaluate import values
from ..core.exact import TooCostly, budget
from ..core.forward import SweepStep
from ..core.graph import Graph, Node
from ..core.partials import partials_in
from ..core.printing import name
from ..core.reverse import reverse_sweep
from ..errors import DomainError
from .functions import ACTIVATIONS, COSTS
from .model import Network, Sample, SampleBackprop

__all__ = [
    "NeuronSweep",
    "activation_name",
    "bias_name",
    "delta_name",
    "graph_point",
    "input_name",
    "network_checks",
    "network_graph",
    "neuron_sweep",
    "parameter_names",
    "product_name",
    "sympy_delta_check",
    "target_name",
    "weight_name",
    "weighted_input_name",
]

TOLERANCE = 1e-9
"""Relative tolerance between the layer-level floats and the engine's values."""
GRAPH_BUDGET = 400_000
"""Node evaluations spent on the graph checks (reverse sweep and finite differences) before
the remaining samples are left out; the first sample is always checked."""
SYMPY_PARAMETERS = 60
"""Largest network (weights and biases) whose cost is written out for ``sympy.diff``."""
FD_PARAMETERS = 60
"""Most parameters compared with finite differences per sample (beyond: a random subset)."""
FD_BUDGET = 100_000
"""Node evaluations finite differences may spend on one sample (fewer parameters on big
graphs, never fewer than 1)."""
KINK = 1e-9
"""|z| below which a relu is treated as sitting on its kink (finite differences skipped)."""


# -- names (Nielsen's, ASCII with TeX-style indices: shown as w²₁₁ by symbp.printing.name) ----

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
    depends only on the layer sizes, σ and the cost.
    """
    layers, act = network.layers, ACTIVATIONS[network.activation]
    nodes = [Node(input_name(k)) for k in range(1, layers[0] + 1)]
    for layer in range(2, network.depth + 1):
        n_in = layers[layer - 2]
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
            if act.op is None:  # identity: a = 1·z keeps a and z distinct nodes
                nodes.append(Node(a, "mul", (sympy.S.One, z)))
            else:
                nodes.append(Node(a, act.op, (z,)))
    nodes += _cost_nodes(network)
    return Graph(nodes, "C", generated_names=True)


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
    for i, (w, b) in enumerate(zip(network.weights, network.biases, strict=True)):
        for j, row in enumerate(w, start=1):
            for k, value in enumerate(row, start=1):
                point[weight_name(i + 2, j, k)] = value
            point[bias_name(i + 2, j)] = b[j - 1]
    return point


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


# -- checks ---------------------------------------------------------------------------------------

def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def _samples_text(indices: Sequence[int], total: int) -> str:
    if len(indices) == total:
        return "every sample" if total > 1 else "the sample"
    shown = ", ".join(str(i + 1) for i in indices)
    return f"sample{'s' if len(indices) > 1 else ''} {shown} of {total} (budget)"


def network_checks(
    network: Network, samples: Sequence[Sample], results: Sequence[SampleBackprop],
    *, seed: int = 0,
) -> tuple[tuple[Check, ...], NeuronSweep]:
    """Run every check; return them and the sweep of the first sample (shown by renderers)."""
    graph = network_graph(network)
    per_sample = len(graph.nodes) * (1 + 2 * _fd_count(network, graph))
    count = max(1, min(len(samples), GRAPH_BUDGET // max(per_sample, 1)))
    indices = list(range(count))
    sweeps = [neuron_sweep(network, samples[i], i, graph) for i in indices]
    checks = (
        _forward_check(network, results, sweeps, len(samples)),
        _sweep_check(network, results, sweeps, len(samples)),
        _finite_difference_check(network, samples, results, indices, graph, seed),
        sympy_delta_check(network, samples[0], results[0], seed=seed),
    )
    return checks, sweeps[0]


def _forward_check(network, results, sweeps, total) -> Check:
    bad = []
    for sweep in sweeps:
        r = results[sweep.sample_index]
        pairs = [("C", r.cost)]
        for i, (z, a) in enumerate(zip(r.z, r.a, strict=True)):
            pairs += [(weighted_input_name(i + 2, j), v) for j, v in enumerate(z, start=1)]
            pairs += [(activation_name(i + 2, j), v) for j, v in enumerate(a, start=1)]
        bad += [f"sample {sweep.sample_index + 1}: {name(n)} = {ours!r} vs {sweep.values[n]!r}"
                for n, ours in pairs if not _close(ours, sweep.values[n])]
    detail = "; ".join(bad[:3]) if bad else (
        f"z, a and C agree for {_samples_text([s.sample_index for s in sweeps], total)}")
    return Check("forward pass == graph values", not bad, "engine evaluation of the graph",
                 detail)


def _layer_level(network: Network, r: SampleBackprop) -> list[tuple[str, str, float]]:
    """(graph node, what BP says it is, value) for every δ and every gradient entry."""
    rows = []
    for i, layer in enumerate(range(2, network.depth + 1)):
        bp = "BP1" if layer == network.depth else "BP2"
        for j, d in enumerate(r.delta[i], start=1):
            rows.append((weighted_input_name(layer, j), bp, d))
            rows.append((bias_name(layer, j), "BP3", r.grad_b[i][j - 1]))
            rows += [(weight_name(layer, j, k), "BP4", g)
                     for k, g in enumerate(r.grad_w[i][j - 1], start=1)]
    return rows


def _sweep_check(network, results, sweeps, total) -> Check:
    bad = []
    for sweep in sweeps:
        for node, bp, ours in _layer_level(network, results[sweep.sample_index]):
            if not _close(ours, sweep.adjoints[node]):
                bad.append(f"sample {sweep.sample_index + 1}, {bp}: dC/d{name(node)} = {ours!r} "
                           f"vs sweep {sweep.adjoints[node]!r}")
    detail = "; ".join(bad[:3]) if bad else (
        "δ (BP1, BP2) = dC/dz and ∂C/∂b, ∂C/∂w (BP3, BP4) agree with the graph's adjoints "
        f"for {_samples_text([s.sample_index for s in sweeps], total)}")
    return Check("BP1-BP4 == reverse sweep", not bad,
                 "engine reverse sweep over the neuron-level graph", detail)


def _finite_difference_check(network, samples, results, indices, graph, seed) -> Check:
    name_ = "BP3-BP4 == finite differences"
    method = "central differences on the graph (mpmath, 40 digits, h = 1e-15)"
    params = parameter_names(network)
    subset, count = "", _fd_count(network, graph)
    if len(params) > count:  # two graph evaluations per parameter: sample them
        params = _subset(network, params, count, seed)
        subset = (f" ({len(params)} of the {network.parameter_count:,} parameters, drawn at "
                  f"random from every layer with seed {seed})")
    bad, checked, skipped = [], [], []
    for i in indices:
        kink = _kink(network, results[i])
        if kink:
            skipped.append(f"sample {i + 1}: {kink}")
            continue
        try:
            with budget(FD_SECONDS):  # no check runs unbounded (mpmath over a big graph)
                estimates = finite_differences(graph, graph_point(network, samples[i]), params)
        except DomainError as exc:
            skipped.append(f"sample {i + 1}: {exc}")
            continue
        except TooCostly:
            skipped.append(f"sample {i + 1}: not checked: too costly at this point (more than "
                           f"{FD_SECONDS:g} s)")
            continue
        checked.append(i)
        ours = {node: value for node, _, value in _layer_level(network, results[i])}
        for p in params:
            if abs(mpmath.mpf(ours[p]) - estimates[p]) > TOLERANCE * max(1, abs(ours[p])):
                bad.append(f"sample {i + 1}: ∂C/∂{name(p)} = {ours[p]!r} vs "
                           f"{mpmath.nstr(estimates[p], 15)}")
    if not checked:
        return Check(name_, None, method, "skipped: " + "; ".join(skipped))
    detail = "; ".join(bad[:3]) if bad else (
        f"every ∂C/∂w and ∂C/∂b agrees to 1e-9 for {_samples_text(checked, len(samples))}"
        f"{subset}")
    if skipped:
        detail += " (not compared: " + "; ".join(skipped) + ")"
    return Check(name_, not bad, method, detail)


def _subset(network: Network, params: tuple[str, ...], count: int, seed: int):
    """About ``count`` parameters drawn at random, the same share from every layer."""
    rng, chosen = random.Random(seed), set()
    layers = range(2, network.depth + 1)
    share = max(1, count // len(layers))
    for layer in layers:
        own = [p for p in params if p.split("}", 1)[0] == f"{p[0]}^{{{layer}"]
        chosen.update(rng.sample(own, min(share, len(own))))
    return tuple(p for p in params if p in chosen)


def _fd_count(network: Network, graph: Graph) -> int:
    """How many parameters finite differences compare per sample."""
    affordable = FD_BUDGET // (2 * len(graph.nodes))
    return min(network.parameter_count, FD_PARAMETERS, max(1, affordable))


def _kink(network: Network, r: SampleBackprop) -> str:
    if network.activation != "relu":
        return ""
    for i, z in enumerate(r.z):
        for j, v in enumerate(z, start=1):
            if abs(v) < KINK:
                return (f"{name(weighted_input_name(i + 2, j))} = {v:.3g} is at the kink of relu, "
                        "where it is not differentiable")
    return ""


# -- δ against sympy.diff ------------------------------------------------------------------------

def sympy_delta_check(network: Network, sample: Sample, result: SampleBackprop,
                      *, seed: int = 0) -> Check:
    """δ from BP1–BP2 (built symbolically) == ∂C/∂z by ``sympy.diff`` of the cost written out.

    Both are exact SymPy functions of x, y, w and b; they are compared at the sample
    and at two random points (30 digits), and the sample's values against the floats.
    """
    label = "delta == sympy.diff"
    if network.parameter_count > SYMPY_PARAMETERS:
        return Check(label, None, "", f"skipped: {network.parameter_count} parameters is too "
                     f"many to write the cost out (limit {SYMPY_PARAMETERS}); the reverse sweep "
                     "and finite differences check it instead")
    symbols = _Symbols(network)
    zs = symbols.forward()
    bp = symbols.bp_deltas(zs)
    reference = symbols.diff_deltas(zs)
    rng = random.Random(seed)
    points = [graph_point(network, sample)]
    points += [symbols.random_point(rng) for _ in range(2)]
    bad = []
    for n, point in enumerate(points):
        subs = {symbols.of[k]: sympy.Float(v, 30) for k, v in point.items() if k in symbols.of}
        for i, layer in enumerate(range(2, network.depth + 1)):
            for j in range(len(bp[i])):
                ours = sympy.N(bp[i][j].xreplace(subs), 30)
                ref = sympy.N(reference[i][j].xreplace(subs), 30)
                where = "the sample" if n == 0 else f"random point {n}"
                if not (ours.is_number and ref.is_number) or abs(ours - ref) > 1e-20 * max(
                        1, abs(ref)):
                    bad.append(f"{name(delta_name(layer, j + 1))} at {where}: {ours} vs {ref}")
                elif n == 0 and not _close(float(ref), result.delta[i][j]):
                    bad.append(f"{name(delta_name(layer, j + 1))}: float {result.delta[i][j]!r} "
                               f"vs sympy {ref}")
    detail = "; ".join(bad[:3]) if bad else (
        "every δˡⱼ from BP1–BP2 equals ∂Cₓ/∂zˡⱼ by sympy.diff (sample 1 and 2 random points)")
    return Check(label, not bad, "sympy.diff of the cost written out in x, y, w, b", detail)


class _Symbols:
    """The network written out in SymPy: symbols named as the graph's inputs."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.act = ACTIVATIONS[network.activation]
        self.cost = COSTS[network.cost]
        self.of = {n: sympy.Symbol(n, real=True) for n in graph_point(network, Sample(
            (0.0,) * network.layers[0], (0.0,) * network.layers[-1]))}
        layers = network.layers
        self.x = [self.of[input_name(k)] for k in range(1, layers[0] + 1)]
        self.y = [self.of[target_name(j)] for j in range(1, layers[-1] + 1)]

    def w(self, layer, j, k):
        return self.of[weight_name(layer, j, k)]

    def b(self, layer, j):
        return self.of[bias_name(layer, j)]

    def _layer(self, layer, a_prev):
        return [sympy.Add(*(self.w(layer, j, k) * a_k for k, a_k in enumerate(a_prev, start=1)))
                + self.b(layer, j) for j in range(1, self.network.layers[layer - 1] + 1)]

    def forward(self):
        """z^l as expressions in x, w, b, for l = 2..L."""
        zs, a = [], self.x
        for layer in range(2, self.network.depth + 1):
            z = self._layer(layer, a)
            zs.append(z)
            a = [self.act.symbolic(v) for v in z]
        return zs

    def bp_deltas(self, zs):
        """BP1 and BP2 with SymPy expressions."""
        act = self.act
        a_out = [act.symbolic(v) for v in zs[-1]]
        deltas = [[self.cost.symbolic_gradient(a, y) * act.symbolic_derivative(z)
                   for a, y, z in zip(a_out, self.y, zs[-1], strict=True)]]
        for i in range(len(zs) - 2, -1, -1):
            layer, nxt = i + 2, deltas[0]
            deltas.insert(0, [
                sympy.Add(*(self.w(layer + 1, k, j) * nxt[k - 1]
                            for k in range(1, len(nxt) + 1)))
                * act.symbolic_derivative(zs[i][j - 1])
                for j in range(1, len(zs[i]) + 1)])
        return deltas

    def diff_deltas(self, zs):
        """∂C/∂z^l_j by sympy.diff: C written as a function of fresh symbols ζ for z^l."""
        result = []
        for i, layer in enumerate(range(2, self.network.depth + 1)):
            zeta = [sympy.Symbol(f"zeta_{j}", real=True) for j in range(1, len(zs[i]) + 1)]
            a = [self.act.symbolic(v) for v in zeta]
            for later in range(layer + 1, self.network.depth + 1):
                a = [self.act.symbolic(v) for v in self._layer(later, a)]
            cost = self.cost.symbolic(a, self.y)
            back = dict(zip(zeta, zs[i], strict=True))
            result.append([sympy.diff(cost, s).xreplace(back) for s in zeta])
        return result

    def random_point(self, rng: random.Random) -> dict[str, float]:
        point = {n: rng.uniform(-1.0, 1.0) for n in self.of}
        for y in self.y:
            point[y.name] = rng.uniform(0.05, 0.95)
        return point
