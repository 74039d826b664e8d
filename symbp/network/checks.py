"""The network self-checks: the layer-level floats against the engine's values and reverse
sweep over the neuron-level graph, against central finite differences on that graph, and
δ against ``sympy.diff`` of the cost written out."""

from __future__ import annotations

import random
from collections.abc import Sequence

import mpmath
import sympy

from ..core.checks import FD_SECONDS, Check, finite_differences
from ..core.exact import TooCostly, budget
from ..core.graph import Graph
from ..errors import DomainError
from .functions import ACTIVATIONS, COSTS, softmax_jacobian
from .graph import (
    NeuronSweep,
    activation_name,
    bias_name,
    delta_name,
    graph_point,
    input_name,
    network_graph,
    neuron_sweep,
    parameter_names,
    target_name,
    weight_name,
    weighted_input_name,
)
from .model import Network, Sample, SampleBackprop
from .prose import Prose, joined, plain, prose
from .symbols import Adjoint, Partial, symbol

__all__ = ["network_checks", "sympy_delta_check"]

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


def _checked(name: str, passed: bool | None, method: str, detail: Prose) -> Check:
    """A check whose detail holds its math (its plain text as ``detail``)."""
    return Check(name, passed, method, plain(detail), prose=detail)


def _first(bad: list[Prose]) -> Prose:
    """The first three failures, one after the other."""
    return joined(bad[:3])


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
        bad += [prose(f"sample {sweep.sample_index + 1}: ", symbol(n),
                      f" = {ours!r} vs {sweep.values[n]!r}")
                for n, ours in pairs if not _close(ours, sweep.values[n])]
    detail = _first(bad) if bad else prose(
        symbol("z"), ", ", symbol("a"), " and ", symbol("C"),
        f" agree for {_samples_text([s.sample_index for s in sweeps], total)}")
    return _checked("forward pass == graph values", not bad, "engine evaluation of the graph",
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
                bad.append(prose(f"sample {sweep.sample_index + 1}, {bp}: ",
                                 Adjoint(symbol("C"), symbol(node)),
                                 f" = {ours!r} vs sweep {sweep.adjoints[node]!r}"))
    c = symbol("C")
    detail = _first(bad) if bad else prose(
        symbol("delta"), " (BP1, BP2) = ", Adjoint(c, symbol("z")), " and ",
        Partial(c, symbol("b")), ", ", Partial(c, symbol("w")),
        " (BP3, BP4) agree with the graph's adjoints "
        f"for {_samples_text([s.sample_index for s in sweeps], total)}")
    return _checked("BP1-BP4 == reverse sweep", not bad,
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
            skipped.append(prose(f"sample {i + 1}: ", *kink))
            continue
        try:
            with budget(FD_SECONDS):  # no check runs unbounded (mpmath over a big graph)
                estimates = finite_differences(graph, graph_point(network, samples[i]), params)
        except DomainError as exc:
            skipped.append(prose(f"sample {i + 1}: {exc}"))
            continue
        except TooCostly:
            skipped.append(prose(f"sample {i + 1}: not checked: too costly at this point "
                                 f"(more than {FD_SECONDS:g} s)"))
            continue
        checked.append(i)
        ours = {node: value for node, _, value in _layer_level(network, results[i])}
        for p in params:
            if abs(mpmath.mpf(ours[p]) - estimates[p]) > TOLERANCE * max(1, abs(ours[p])):
                bad.append(prose(f"sample {i + 1}: ", Partial(symbol("C"), symbol(p)),
                                 f" = {ours[p]!r} vs {mpmath.nstr(estimates[p], 15)}"))
    if not checked:
        return _checked(name_, None, method, prose("skipped: ", *joined(skipped)))
    c = symbol("C")
    detail = _first(bad) if bad else prose(
        "every ", Partial(c, symbol("w")), " and ", Partial(c, symbol("b")),
        f" agrees to 1e-9 for {_samples_text(checked, len(samples))}{subset}")
    if skipped:
        detail = prose(*detail, " (not compared: ", *joined(skipped), ")")
    return _checked(name_, not bad, method, detail)


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


def _kink(network: Network, r: SampleBackprop) -> Prose:
    for i, z in enumerate(r.z):
        if network.activations[i] != "relu":
            continue
        for j, v in enumerate(z, start=1):
            if abs(v) < KINK:
                return prose(symbol(weighted_input_name(i + 2, j)),
                             f" = {v:.3g} is at the kink of relu, where it is not differentiable")
    return ()


# -- δ against sympy.diff ------------------------------------------------------------------------

def sympy_delta_check(network: Network, sample: Sample, result: SampleBackprop,
                      *, seed: int = 0) -> Check:
    """δ from BP1–BP2 (built symbolically) == ∂C/∂z by ``sympy.diff`` of the cost written out.

    Both are exact SymPy functions of x, y, w and b; they are compared at the sample
    and at two random points (30 digits), and the sample's values against the floats.
    """
    label = "delta == sympy.diff"
    if network.parameter_count > SYMPY_PARAMETERS:
        return _checked(label, None, "", prose(
            f"skipped: {network.parameter_count} parameters is too many to write the cost out "
            f"(limit {SYMPY_PARAMETERS}); the reverse sweep and finite differences check it "
            "instead"))
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
                    bad.append(prose(symbol(delta_name(layer, j + 1)),
                                     f" at {where}: {ours} vs {ref}"))
                elif n == 0 and not _close(float(ref), result.delta[i][j]):
                    bad.append(prose(symbol(delta_name(layer, j + 1)),
                                     f": float {result.delta[i][j]!r} vs sympy {ref}"))
    detail = _first(bad) if bad else prose(
        "every ", symbol("delta^{l}_{j}"), " from BP1–BP2 equals ",
        Partial(symbol("C_x"), symbol("z^{l}_{j}")),
        " by sympy.diff (sample 1 and 2 random points)")
    return _checked(label, not bad, "sympy.diff of the cost written out in x, y, w, b", detail)


class _Symbols:
    """The network written out in SymPy: symbols named as the graph's inputs."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.acts = [ACTIVATIONS[name] for name in network.activations]  # acts[i]: layer i+2
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
            a = self.acts[layer - 2].symbolic_layer(z)
        return zs

    def bp_deltas(self, zs):
        """BP1 and BP2 with SymPy expressions."""
        out = self.acts[-1]
        a_out = out.symbolic_layer(zs[-1])
        grad = [self.cost.symbolic_gradient(a, y) for a, y in zip(a_out, self.y, strict=True)]
        if out.elementwise:
            deltas = [[g * out.symbolic_derivative(z)
                       for g, z in zip(grad, zs[-1], strict=True)]]
        else:  # softmax: the general BP1, δⱼ = Σₖ ∂C/∂aₖ · ∂aₖ/∂zⱼ (not the reduced a − y)
            jacobian = softmax_jacobian(a_out)
            deltas = [[sympy.Add(*(g * jacobian[k][j] for k, g in enumerate(grad)))
                       for j in range(len(grad))]]
        for i in range(len(zs) - 2, -1, -1):
            layer, nxt, act = i + 2, deltas[0], self.acts[i]
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
            a = self.acts[i].symbolic_layer(zeta)
            for later in range(layer + 1, self.network.depth + 1):
                a = self.acts[later - 2].symbolic_layer(self._layer(later, a))
            cost = self.cost.symbolic(a, self.y)
            back = dict(zip(zeta, zs[i], strict=True))
            result.append([sympy.diff(cost, s).xreplace(back) for s in zeta])
        return result

    def random_point(self, rng: random.Random) -> dict[str, float]:
        point = {n: rng.uniform(-1.0, 1.0) for n in self.of}
        if self.network.cost == "log-likelihood":  # a one-hot target
            label = rng.randrange(len(self.y))
            point.update({y.name: float(j == label) for j, y in enumerate(self.y)})
        else:
            for y in self.y:
                point[y.name] = rng.uniform(0.05, 0.95)
        return point
