"""Collects a network's derivation or numeric walkthrough into inert records for renderers.

Two entry points, one per mode of ``symbp network``:

- :func:`derive_network` — the symbolic derivation: notation, the assumptions on the
  cost, BP1–BP4 (component and vector form, with their chain-rule derivation),
  instantiated for every layer of the given network, and how the reverse sweep over
  the neuron-level graph produces each of them;
- :func:`network_walkthrough` — the numbers for a spec: per sample the forward pass,
  δ by BP1 and BP2, the gradient by BP3 and BP4; the batch average; one SGD step; and
  optionally more epochs of SGD.

Both run every check of :mod:`symbp.network.checks`; a failed check raises
:class:`~symbp.errors.CheckFailure` (carrying the record) unless ``strict=False``.
The records hold numbers, SymPy expressions and strings only; renderers (rich and
JSON now, LaTeX/Markdown later) never compute mathematics.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy

from .. import arguments
from ..core.checks import Check
from ..core.graph import Edge, Graph
from ..core.partials import partials_in
from ..core.printing import name
from ..errors import CheckFailure
from .backprop import backprop, batch_gradient, sgd_step
from .checks import network_checks
from .functions import ACTIVATIONS, COSTS
from .graph import (
    NeuronSweep,
    activation_name,
    bias_name,
    delta_name,
    product_name,
    target_name,
    weight_name,
    weighted_input_name,
)
from .model import Network, NetworkSpec, Sample, SampleBackprop, Training
from .spec import check_explainable, parse_layers, random_network
from .train import check_batch_size, check_training, train

__all__ = [
    "AdjointRule",
    "Component",
    "GenericEquation",
    "LayerEquation",
    "NetworkDerivation",
    "NetworkWalkthrough",
    "component_lhs",
    "derive_network",
    "network_walkthrough",
    "sigma_prime",
]

MAX_COMPONENTS = 500
"""Most component equations stored per equation and layer (the count is always kept)."""
SIGMA_PRIME = "sigma'"


class sigma_prime(sympy.Function):
    """σ', the derivative of the activation function, left unevaluated in the equations."""

    def _sympystr(self, printer):
        # through the printer's own symbol printing: σ'(z³₁) inline, sigma'(z^{3}_{1}) plain
        return f"{printer._print(sympy.Symbol(SIGMA_PRIME))}({printer._print(self.args[0])})"

    def _latex(self, printer, exp=None):
        base = rf"\sigma'\left({printer._print(self.args[0])}\right)"
        return base if exp is None else rf"{base}^{{{exp}}}"


# -- records -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class GenericEquation:
    """One of BP1–BP4 in general: component and vector form (Unicode and LaTeX) and the
    chain-rule steps that derive it."""

    label: str
    title: str
    component: str
    vector: str
    derivation: str
    component_latex: str
    vector_latex: str


@dataclass(frozen=True)
class Component:
    """One instantiated component equation ``lhs = rhs``.

    ``lhs`` is ``delta^{l}_{j}`` or ``dC/dw^{l}_{jk}``, ``dC/db^{l}_{j}`` (ASCII, TeX-style
    indices); ``node`` is the graph node whose adjoint dC/d(node) the equation gives
    (z^l_j for δ^l_j).  ``rhs`` is a SymPy expression in node names, δ's and σ', kept
    unevaluated in Nielsen's order: print it with ``as_written=True`` (``order="none"``).
    """

    lhs: str
    node: str
    rhs: sympy.Expr


@dataclass(frozen=True)
class LayerEquation:
    """One BP equation instantiated for one layer: its vector form and (some of) its
    components; ``count`` is the number of components in all."""

    label: str
    layer: int
    vector: str
    vector_latex: str
    components: tuple[Component, ...]
    count: int
    note: str = ""


@dataclass(frozen=True)
class AdjointRule:
    """How the reverse sweep gets dC/d``node``: Σ over its out-edges of dC/d(target) times
    the local partial ∂target/∂node (symbolic, from the rule table)."""

    node: str
    terms: tuple[tuple[Edge, sympy.Expr], ...]
    equation: str  # which BP equation this adjoint is ("" for intermediate nodes)
    meaning: str  # e.g. "δ³₁"


@dataclass(frozen=True)
class NetworkDerivation:
    """The symbolic derivation of BP1–BP4 for one network shape (``symbp network --layers``).

    ``network`` has random parameters (``seed``): the checks run on it with a random
    sample.
    """

    network: Network
    seed: int
    notation: tuple[tuple[str, str, str], ...]
    assumptions: tuple[str, ...]
    cost_formula: str
    gradient_formula: str
    activation_formula: str
    derivative_formula: str
    equations: tuple[GenericEquation, ...]
    layers: tuple[LayerEquation, ...]
    graph: Graph
    adjoint_rules: tuple[AdjointRule, ...]
    sweep_steps: tuple[tuple[Edge, sympy.Expr], ...]
    checks: tuple[Check, ...]
    full: bool = False

    ok = property(lambda self: all(c.passed is not False for c in self.checks),
                  doc="True when no check failed.")

    def to_dict(self) -> dict:
        """The JSON document as Python data."""
        from ..render.network_json import derivation_to_dict

        return derivation_to_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON document of ``symbp network --layers … --format json``."""
        from ..render.network_json import dumps

        return dumps(self.to_dict(), indent=indent)

    def __rich_console__(self, console, options):
        from ..render.network_terminal import render_derivation

        yield from render_derivation(self)

    def __str__(self) -> str:
        from ..render.network_terminal import to_text

        return to_text(self)


@dataclass(frozen=True)
class NetworkWalkthrough:
    """The numbers of ``symbp network --spec``: every sample, the batch, one SGD step.

    ``samples[i]`` is the i-th sample's backprop; ``grad_w``/``grad_b`` are the batch
    averages; ``updated`` is the network after one SGD step with η; ``sweep`` is the
    engine's reverse sweep over the neuron-level graph of sample 1; ``training`` is
    set when more epochs were asked for.
    """

    spec: NetworkSpec
    samples: tuple[SampleBackprop, ...]
    cost: float
    grad_w: tuple
    grad_b: tuple
    updated: Network
    sweep: NeuronSweep
    checks: tuple[Check, ...]
    training: Training | None = None
    full: bool = False

    @property
    def network(self) -> Network:
        """The network before the step."""
        return self.spec.network

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return all(c.passed is not False for c in self.checks)

    def to_dict(self) -> dict:
        """The JSON document as Python data."""
        from ..render.network_json import walkthrough_to_dict

        return walkthrough_to_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON document of ``symbp network --spec … --format json``."""
        from ..render.network_json import dumps

        return dumps(self.to_dict(), indent=indent)

    def __rich_console__(self, console, options):
        from ..render.network_terminal import render_walkthrough

        yield from render_walkthrough(self)

    def __str__(self) -> str:
        from ..render.network_terminal import to_text

        return to_text(self)


# -- the walkthrough -----------------------------------------------------------------------------

def network_walkthrough(
    spec: NetworkSpec,
    *,
    epochs: int = 0,
    batch_size: int | None = None,
    full: bool = False,
    strict: bool = True,
    on_epoch: Callable[[int, float], None] | None = None,
    max_parameters: int | None = None,
    max_layers: int | None = None,
    max_work: int | None = None,
) -> NetworkWalkthrough:
    """BP1–BP4 for every sample of ``spec``, the batch average, one SGD step with the spec's
    learning rate and, with ``epochs``, that many epochs of SGD (mini-batches of
    ``batch_size``, all samples by default).  Every check runs; with ``strict`` a failure
    raises :class:`CheckFailure` carrying the walkthrough as ``.explanation``.
    Networks and training runs that would take more than a few seconds are refused up
    front unless ``max_parameters``, ``max_layers`` or ``max_work`` (see
    :func:`~symbp.network_spec.check_explainable`, :func:`~symbp.network.train`) allow them.
    """
    _check_walkthrough_arguments(spec, epochs, batch_size, full, strict, on_epoch)
    for parameter, value in (("max_parameters", max_parameters), ("max_layers", max_layers),
                             ("max_work", max_work)):
        arguments.whole_number(value, "network_walkthrough", parameter, none=True)
    network, samples = spec.network, spec.samples
    check_explainable(network.layers, max_parameters=max_parameters, max_layers=max_layers)
    if epochs:  # refuse a training run too long before the walkthrough's own work
        check_training(network, len(samples), epochs, max_work)
    results = tuple(backprop(network, s) for s in samples)
    cost, grad_w, grad_b = batch_gradient(results)
    updated = sgd_step(network, grad_w, grad_b, spec.learning_rate)
    seed = spec.seed
    checks, sweep = network_checks(network, samples, results, seed=seed)
    training = None
    if epochs:
        training = train(network, samples, epochs=epochs, learning_rate=spec.learning_rate,
                         batch_size=batch_size, seed=seed, on_epoch=on_epoch,
                         max_work=max_work)
    elif batch_size is not None:
        check_batch_size(len(samples), batch_size)
    result = NetworkWalkthrough(spec, results, cost, grad_w, grad_b, updated, sweep, checks,
                                training, full)
    _raise_if_failed(result, strict)
    return result


def _check_walkthrough_arguments(spec, epochs, batch_size, full, strict, on_epoch) -> None:
    name = "network_walkthrough"
    arguments.instance(spec, NetworkSpec, name, "spec", "a NetworkSpec: build one with "
                       "symbp.parse_spec({...}) or symbp.load_spec(path)")
    arguments.whole_number(epochs, name, "epochs")
    arguments.whole_number(batch_size, name, "batch_size", minimum=1, none=True)
    arguments.flag(full, name, "full")
    arguments.flag(strict, name, "strict")
    arguments.callable_or_none(on_epoch, name, "on_epoch")


def _raise_if_failed(result, strict: bool) -> None:
    failed = [c for c in result.checks if c.passed is False]
    if strict and failed:
        detail = ", ".join(f"{c.name} ({c.detail})" for c in failed)
        error = CheckFailure(f"self-check failed — this is a bug in symbp: {detail}")
        error.explanation = result
        raise error


# -- the derivation -----------------------------------------------------------------------------

def derive_network(
    layers: str | Sequence[int],
    activation: str = "sigmoid",
    cost: str = "quadratic",
    *,
    seed: int = 0,
    full: bool = False,
    strict: bool = True,
    max_parameters: int | None = None,
    max_layers: int | None = None,
) -> NetworkDerivation:
    """Derive BP1–BP4 for a network of these layer sizes, σ and cost, symbolically.

    The checks run on random parameters and a random sample drawn with ``seed``.
    A network too big to explain in a few seconds is refused up front unless
    ``max_parameters`` / ``max_layers`` allow it (:func:`~symbp.network_spec.check_explainable`).
    """
    arguments.instance(layers, str | Sequence, "derive_network", "layers",
                       'layer sizes such as "2,3,1" or [2, 3, 1]')
    arguments.whole_number(seed, "derive_network", "seed", minimum=None)
    arguments.flag(full, "derive_network", "full")
    arguments.flag(strict, "derive_network", "strict")
    for parameter, value in (("max_parameters", max_parameters), ("max_layers", max_layers)):
        arguments.whole_number(value, "derive_network", parameter, none=True)
    sizes = parse_layers(layers)
    check_explainable(sizes, max_parameters=max_parameters, max_layers=max_layers)
    network = random_network(sizes, activation, cost, seed=seed)
    act, cost_fn = ACTIVATIONS[activation], COSTS[cost]
    rng = random.Random(seed)
    sample = Sample(tuple(round(rng.uniform(-1, 1), 2) for _ in range(network.layers[0])),
                    tuple(round(rng.uniform(0, 1), 2) for _ in range(network.layers[-1])))
    result = backprop(network, sample)
    checks, sweep = network_checks(network, (sample,), (result,), seed=seed)
    layer_equations = tuple(_layer_equations(network))
    checks = (*checks, _equations_check(network, layer_equations, sweep))
    graph = sweep.graph
    symbolic = partials_in(graph, graph.symbols)
    derivation = NetworkDerivation(
        network=network,
        seed=seed,
        notation=_notation(network),
        assumptions=_assumptions(network),
        cost_formula=cost_fn.formula,
        gradient_formula=cost_fn.gradient_formula,
        activation_formula=act.formula,
        derivative_formula=act.derivative_formula,
        equations=GENERIC,
        layers=layer_equations,
        graph=graph,
        adjoint_rules=_adjoint_rules(network, graph, symbolic),
        sweep_steps=tuple((e, symbolic[e]) for node in reversed(graph.nodes)
                          for e in graph.in_edges[node.name]),
        checks=checks,
        full=full,
    )
    _raise_if_failed(derivation, strict)
    return derivation


def _n(text: str) -> str:
    return name(text)


def _notation(network: Network) -> tuple[tuple[str, str, str], ...]:
    layers, depth = network.layers, network.depth
    shapes = ", ".join(f"{_n(f'w^{{{i + 2}}}')}: {layers[i + 1]}×{layers[i]}"
                       for i in range(depth - 1))
    sizes = ", ".join(f"{_n(f'b^{{{i + 2}}}')}: {layers[i + 1]}" for i in range(depth - 1))
    return (
        ("l", "layer number, 1 (input) … L (output)", f"L = {depth}"),
        (_n("w^{l}_{jk}"), "weight from neuron k in layer l−1 to neuron j in layer l", shapes),
        (_n("b^{l}_{j}"), "bias of neuron j in layer l", sizes),
        (_n("z^{l}_{j}"), f"weighted input: {_n('z^{l}_{j}')} = Σₖ {_n('w^{l}_{jk}')} "
         f"{_n('a^{l-1}_{k}')} + {_n('b^{l}_{j}')}", ""),
        (_n("a^{l}_{j}"), f"activation: {_n('a^{l}_{j}')} = σ({_n('z^{l}_{j}')}); "
         f"a¹ = x, the input", f"x: {layers[0]}, y: {layers[-1]}"),
        (_n("delta^{l}_{j}"), f"error of neuron j in layer l: {_n('delta^{l}_{j}')} = "
         f"∂C/∂{_n('z^{l}_{j}')}", ""),
        ("σ", "activation function", ACTIVATIONS[network.activation].formula),
        ("⊙", "elementwise (Hadamard) product: (s ⊙ t)ⱼ = sⱼ tⱼ", ""),
    )


def _assumptions(network: Network) -> tuple[str, ...]:
    cost = COSTS[network.cost]
    return (
        "C = (1/n) Σₓ Cₓ is the average of the costs Cₓ of the n training examples x, so "
        "∂C/∂w and ∂C/∂b are the averages of ∂Cₓ/∂w and ∂Cₓ/∂b: backpropagation works "
        "on one example at a time (below C means Cₓ).",
        f"Cₓ depends on the network only through its output aᴸ (y is fixed): here "
        f"{cost.formula}, so ∇ₐC, the vector of ∂C/∂aᴸⱼ, is known: {cost.gradient_formula}.",
    )


GENERIC: tuple[GenericEquation, ...] = (
    GenericEquation(
        "BP1", "error in the output layer",
        "δᴸⱼ = ∂C/∂aᴸⱼ · σ'(zᴸⱼ)",
        "δᴸ = ∇ₐC ⊙ σ'(zᴸ)",
        "δᴸⱼ = ∂C/∂zᴸⱼ = Σₖ ∂C/∂aᴸₖ · ∂aᴸₖ/∂zᴸⱼ; aᴸₖ = σ(zᴸₖ) depends on zᴸⱼ only "
        "when k = j, so one term is left: ∂C/∂aᴸⱼ · σ'(zᴸⱼ).",
        r"\delta^L_j = \frac{\partial C}{\partial a^L_j}\,\sigma'(z^L_j)",
        r"\delta^L = \nabla_a C \odot \sigma'(z^L)",
    ),
    GenericEquation(
        "BP2", "error of a layer from the next layer's error",
        "δˡⱼ = Σₖ wˡ⁺¹ₖⱼ δˡ⁺¹ₖ σ'(zˡⱼ)",
        "δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ'(zˡ)",
        "δˡⱼ = ∂C/∂zˡⱼ = Σₖ ∂C/∂zˡ⁺¹ₖ · ∂zˡ⁺¹ₖ/∂zˡⱼ = Σₖ δˡ⁺¹ₖ · ∂zˡ⁺¹ₖ/∂zˡⱼ; "
        "zˡ⁺¹ₖ = Σⱼ wˡ⁺¹ₖⱼ σ(zˡⱼ) + bˡ⁺¹ₖ, so ∂zˡ⁺¹ₖ/∂zˡⱼ = wˡ⁺¹ₖⱼ σ'(zˡⱼ).",
        r"\delta^l_j = \sum_k w^{l+1}_{kj}\,\delta^{l+1}_k\,\sigma'(z^l_j)",
        r"\delta^l = \left((w^{l+1})^T \delta^{l+1}\right) \odot \sigma'(z^l)",
    ),
    GenericEquation(
        "BP3", "rate of change of the cost with a bias",
        "∂C/∂bˡⱼ = δˡⱼ",
        "∂C/∂bˡ = δˡ",
        "∂C/∂bˡⱼ = ∂C/∂zˡⱼ · ∂zˡⱼ/∂bˡⱼ = δˡⱼ · 1, since zˡⱼ = Σₖ wˡⱼₖ aˡ⁻¹ₖ + bˡⱼ.",
        r"\frac{\partial C}{\partial b^l_j} = \delta^l_j",
        r"\frac{\partial C}{\partial b^l} = \delta^l",
    ),
    GenericEquation(
        "BP4", "rate of change of the cost with a weight",
        "∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ",
        "∂C/∂wˡ = δˡ (aˡ⁻¹)ᵀ",
        "∂C/∂wˡⱼₖ = ∂C/∂zˡⱼ · ∂zˡⱼ/∂wˡⱼₖ = δˡⱼ · aˡ⁻¹ₖ, since zˡⱼ = Σₖ wˡⱼₖ aˡ⁻¹ₖ + bˡⱼ.",
        r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k\,\delta^l_j",
        r"\frac{\partial C}{\partial w^l} = \delta^l \left(a^{l-1}\right)^T",
    ),
)
"""BP1–BP4 in general (Nielsen, ch. 2)."""


def _sym(text: str) -> sympy.Symbol:
    return sympy.Symbol(text, real=True)


def _layer_equations(network: Network):
    """BP1 (layer L), then for each layer from L down: BP2 (below L), BP3, BP4."""
    depth, layers = network.depth, network.layers
    cost = COSTS[network.cost]
    for layer in range(depth, 1, -1):
        n, n_in = layers[layer - 1], layers[layer - 2]
        sup = _sup(layer)
        deltas = [_sym(delta_name(layer, j)) for j in range(1, n + 1)]
        if layer == depth:
            components = []
            for j in range(1, n + 1):
                a, y = _sym(activation_name(layer, j)), _sym(target_name(j))
                z = _sym(weighted_input_name(layer, j))
                components.append(Component(delta_name(layer, j), z.name, sympy.Mul(
                    cost.symbolic_gradient(a, y), sigma_prime(z), evaluate=False)))
            grad = "a" + sup + " − y" if network.cost == "quadratic" else \
                f"(a{sup} − y) ⊘ (a{sup} ⊙ (1 − a{sup}))"
            note = ""
            if network.cost == "cross-entropy" and network.activation == "sigmoid":
                note = (f"with σ = sigmoid, σ'(z{sup}ⱼ) = a{sup}ⱼ(1 − a{sup}ⱼ) cancels the "
                        f"denominator: δ{sup} = a{sup} − y (the reason for this cost)")
            yield LayerEquation(
                "BP1", layer, f"δ{sup} = ∇ₐC ⊙ σ'(z{sup}), ∇ₐC = {grad}",
                rf"\delta^{{{layer}}} = \nabla_a C \odot \sigma'(z^{{{layer}}})",
                tuple(components[:MAX_COMPONENTS]), n, note)
        else:
            above = _sup(layer + 1)
            n_up = layers[layer]
            components = [
                Component(delta_name(layer, j), weighted_input_name(layer, j), sympy.Mul(
                    _unevaluated_sum([
                        sympy.Mul(_sym(weight_name(layer + 1, k, j)),
                                  _sym(delta_name(layer + 1, k)), evaluate=False)
                        for k in range(1, n_up + 1)]),
                    sigma_prime(_sym(weighted_input_name(layer, j))), evaluate=False))
                for j in range(1, min(n, MAX_COMPONENTS) + 1)]
            yield LayerEquation(
                "BP2", layer, f"δ{sup} = ((w{above})ᵀ δ{above}) ⊙ σ'(z{sup})",
                rf"\delta^{{{layer}}} = \left((w^{{{layer + 1}}})^T \delta^{{{layer + 1}}}\right)"
                rf" \odot \sigma'(z^{{{layer}}})",
                tuple(components), n)
        yield LayerEquation(
            "BP3", layer, f"∂C/∂b{sup} = δ{sup}",
            rf"\frac{{\partial C}}{{\partial b^{{{layer}}}}} = \delta^{{{layer}}}",
            tuple(Component(f"dC/d{bias_name(layer, j)}", bias_name(layer, j), deltas[j - 1])
                  for j in range(1, min(n, MAX_COMPONENTS) + 1)), n)
        a_prev = [_sym(activation_name(layer - 1, k)) for k in range(1, n_in + 1)]
        pairs = [(j, k) for j in range(1, n + 1) for k in range(1, n_in + 1)][:MAX_COMPONENTS]
        prev_latex = rf"\left(a^{{{layer - 1}}}\right)^T" if layer > 2 else "x^T"
        below = f"(a{_sup(layer - 1)})ᵀ" if layer > 2 else "xᵀ"
        yield LayerEquation(
            "BP4", layer, f"∂C/∂w{sup} = δ{sup} {below}   ({n}×{n_in})",
            rf"\frac{{\partial C}}{{\partial w^{{{layer}}}}} = \delta^{{{layer}}} {prev_latex}",
            tuple(Component(f"dC/d{weight_name(layer, j, k)}", weight_name(layer, j, k),
                            sympy.Mul(a_prev[k - 1], deltas[j - 1], evaluate=False))
                  for j, k in pairs), n * n_in)


def _unevaluated_sum(terms: list) -> sympy.Expr:
    return terms[0] if len(terms) == 1 else sympy.Add(*terms, evaluate=False)


def component_lhs(component: Component) -> str:
    """The left side for display: δ³₁, ∂C/∂b³₁, ∂C/∂w³₁₂."""
    if component.lhs.startswith("dC/d"):
        return f"∂C/∂{_n(component.lhs[4:])}"
    return _n(component.lhs)


def _sup(layer: int) -> str:
    return _n(f"a^{{{layer}}}")[1:]


def _equations_check(network: Network, equations: Sequence[LayerEquation],
                     sweep: NeuronSweep) -> Check:
    """The shown component equations, evaluated with the graph's values and adjoints, give the
    graph's adjoints: every line printed is checked."""
    act = ACTIVATIONS[network.activation]
    env = {_sym(n): sympy.Float(v) for n, v in sweep.values.items()}
    env.update({_sym(delta_name(layer, j)): sympy.Float(sweep.adjoints[
        weighted_input_name(layer, j)]) for layer in range(2, network.depth + 1)
        for j in range(1, network.layers[layer - 1] + 1)})
    bad, count = [], 0
    for equation in equations:
        for c in equation.components:
            rhs = c.rhs.replace(sigma_prime, act.symbolic_derivative).xreplace(env)
            value, expected = sympy.N(rhs, 20), sweep.adjoints[c.node]
            count += 1
            if not value.is_number or abs(float(value) - expected) > 1e-9 * max(1, abs(expected)):
                bad.append(f"{equation.label} {component_lhs(c)}: {value} vs sweep {expected!r}")
    detail = "; ".join(bad[:3]) if bad else (
        f"all {count} instantiated component equations, evaluated at a random point, equal "
        "the adjoints of the engine's reverse sweep")
    return Check("equations == reverse sweep", not bad,
                 "the equations' right sides with the graph's values", detail)


def _adjoint_rules(network: Network, graph: Graph, symbolic) -> tuple[AdjointRule, ...]:
    """For neuron 1 of each layer: the sweep's rule at a, z, b, w (and the cost nodes)."""
    depth, layers = network.depth, network.layers
    rules: list[AdjointRule] = []

    def rule(node: str, equation: str = "", meaning: str = "") -> None:
        terms = tuple((e, symbolic[e]) for e in graph.out_edges[node])
        rules.append(AdjointRule(node, terms, equation, meaning))

    reached, stack = set(), [activation_name(depth, 1)]
    while stack:  # the cost nodes that depend on a^L_1
        for edge in graph.out_edges[stack.pop()]:
            if edge.target not in reached:
                reached.add(edge.target)
                stack.append(edge.target)
    for node in [n.name for n in reversed(graph.nodes) if n.name in reached][:12]:
        rule(node)
    for layer in range(depth, 1, -1):
        a, z = activation_name(layer, 1), weighted_input_name(layer, 1)
        if layer == depth:
            rule(a, "", f"∂C/∂{_n(a)}, a factor of BP1")
            rule(z, "BP1", _n(delta_name(layer, 1)))
        else:
            weight, delta = _n(f"w^{{{layer + 1}}}_{{k1}}"), _n(f"delta^{{{layer + 1}}}_{{k}}")
            rule(a, "", f"Σₖ {weight} {delta}, in BP2")
            rule(z, "BP2", _n(delta_name(layer, 1)))
        rule(bias_name(layer, 1), "BP3", f"∂C/∂{_n(bias_name(layer, 1))}")
        k = layers[layer - 2]
        chain = [product_name(layer, 1, k)]
        while graph.out_edges[chain[-1]] and graph.out_edges[chain[-1]][0].target != z:
            chain.append(graph.out_edges[chain[-1]][0].target)
        for node in reversed(chain):
            rule(node, "", f"= dC/d{_n(z)} (sums: partial 1)")
        rule(weight_name(layer, 1, k), "BP4", f"∂C/∂{_n(weight_name(layer, 1, k))}")
    return tuple(rules)
