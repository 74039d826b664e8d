"""Builds a network's derivation or numeric walkthrough (the records of
:mod:`symbp.network.records`).

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
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence

import sympy

from .. import arguments
from ..core.graph import Graph
from ..core.partials import partials_in
from ..errors import CheckFailure
from .backprop import backprop, batch_gradient, sgd_step
from .checks import network_checks
from .equations import GENERIC, equations_check, layer_equations
from .functions import COSTS, sigmas
from .graph import (
    activation_name,
    bias_name,
    delta_name,
    product_name,
    weight_name,
    weighted_input_name,
)
from .layer_steps import layer_view
from .layers import CONVENTIONS, VIEWS
from .model import Network, NetworkSpec, Sample
from .prose import Prose, prose
from .records import AdjointRule, NetworkDerivation, NetworkWalkthrough
from .spec import check_choice, check_explainable, parse_layers, parse_spec, random_network
from .symbols import (
    Adjoint,
    Difference,
    Entry,
    Gradient,
    Hadamard,
    Juxtapose,
    Operator,
    Partial,
    Shape,
    SumOver,
    sigma,
    symbol,
)
from .train import check_batch_size, check_training, train

__all__ = ["derive_network", "network_walkthrough"]


# -- the walkthrough -----------------------------------------------------------------------------

def network_walkthrough(
    spec: NetworkSpec | Mapping,
    *,
    epochs: int = 0,
    batch_size: int | None = None,
    full: bool = False,
    strict: bool = True,
    on_epoch: Callable[[int, float], None] | None = None,
    max_parameters: int | None = None,
    max_layers: int | None = None,
    max_work: int | None = None,
    view: str = "both",
    convention: str = "nielsen",
) -> NetworkWalkthrough:
    """BP1–BP4 for every sample of ``spec`` (a :class:`NetworkSpec`, or a spec dict as
    :func:`~symbp.network.spec.parse_spec` takes), the batch average, one SGD step with the spec's
    learning rate and, with ``epochs``, that many epochs of SGD (mini-batches of
    ``batch_size``, all samples by default).  Every check runs; with ``strict`` a failure
    raises :class:`CheckFailure` carrying the walkthrough as ``.explanation``.
    Networks and training runs that would take more than a few seconds are refused up
    front unless ``max_parameters``, ``max_layers`` or ``max_work`` (see
    :func:`~symbp.network.spec.check_explainable`, :func:`~symbp.network.train.train`) allow them.

    ``view`` is what the printers show: ``"both"`` views, ``"neurons"`` (BP1–BP4 neuron by
    neuron) or ``"layers"`` (the same numbers in matrix form, layer by layer:
    :mod:`symbp.network.layers`), the latter in ``convention`` ``"nielsen"`` (column
    vectors, samples as columns) or ``"pytorch"`` (samples as rows, y = x·Wᵀ + b).  The
    layer view's check against the neuron view and the reverse sweep runs whenever it is
    shown.
    """
    if isinstance(spec, Mapping):  # a spec dict: {**symbp.network_from_torch(m), "samples": …}
        spec = parse_spec(spec)
    _check_walkthrough_arguments(spec, epochs, batch_size, full, strict, on_epoch)
    check_choice(view, "view", dict.fromkeys(VIEWS), parameter=True)
    check_choice(convention, "convention", dict.fromkeys(CONVENTIONS), parameter=True)
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
    layers = None
    if view != "neurons":
        layers = layer_view(network, samples, results, grad_w, grad_b, sweep, convention, full)
        checks = (*checks, layers.check)
    training = None
    if epochs:
        training = train(network, samples, epochs=epochs, learning_rate=spec.learning_rate,
                         batch_size=batch_size, seed=seed, on_epoch=on_epoch,
                         max_work=max_work)
    elif batch_size is not None:
        check_batch_size(len(samples), batch_size)
    result = NetworkWalkthrough(spec, results, cost, grad_w, grad_b, updated, sweep, checks,
                                training, full, view, layers)
    _raise_if_failed(result, strict)
    return result


def _check_walkthrough_arguments(spec, epochs, batch_size, full, strict, on_epoch) -> None:
    name = "network_walkthrough"
    arguments.instance(spec, NetworkSpec, name, "spec", "a NetworkSpec or a spec dict: build "
                       "one with symbp.parse_spec({...}) or symbp.load_spec(path)")
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
    activation: str | Sequence[str] = "sigmoid",
    cost: str = "quadratic",
    *,
    output_activation: str | None = None,
    seed: int = 0,
    full: bool = False,
    strict: bool = True,
    max_parameters: int | None = None,
    max_layers: int | None = None,
) -> NetworkDerivation:
    """Derive BP1–BP4 for a network of these layer sizes, σ and cost, symbolically.

    σ is ``activation`` in every layer after the input (or a sequence: one name per
    layer), and ``output_activation`` in the output layer when given.

    The checks run on random parameters and a random sample drawn with ``seed``.
    A network too big to explain in a few seconds is refused up front unless
    ``max_parameters`` / ``max_layers`` allow it (:func:`~symbp.network.spec.check_explainable`).
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
    network = random_network(sizes, activation, cost, seed=seed,
                             output_activation=output_activation)
    cost_fn = COSTS[cost]
    rng = random.Random(seed)
    x = tuple(round(rng.uniform(-1, 1), 2) for _ in range(network.layers[0]))
    outputs = network.layers[-1]
    if cost == "log-likelihood":  # a one-hot target: the class of x
        label = rng.randrange(outputs)
        y = tuple(float(j == label) for j in range(outputs))
    else:
        y = tuple(round(rng.uniform(0, 1), 2) for _ in range(outputs))
    sample = Sample(x, y)
    result = backprop(network, sample)
    checks, sweep = network_checks(network, (sample,), (result,), seed=seed)
    instantiated = tuple(layer_equations(network))
    checks = (*checks, equations_check(network, instantiated, sweep))
    graph = sweep.graph
    symbolic = partials_in(graph, graph.symbols)
    derivation = NetworkDerivation(
        network=network,
        seed=seed,
        notation=_notation(network),
        assumptions=_assumptions(network),
        cost_formula=cost_fn.formula,
        gradient_formula=cost_fn.gradient_formula,
        activation_formula=sigmas(network),
        derivative_formula=sigmas(network, "derivative_formula"),
        equations=GENERIC,
        layers=instantiated,
        graph=graph,
        adjoint_rules=_adjoint_rules(network, graph, symbolic),
        sweep_steps=tuple((e, symbolic[e]) for node in reversed(graph.nodes)
                          for e in graph.in_edges[node.name]),
        checks=checks,
        full=full,
    )
    _raise_if_failed(derivation, strict)
    return derivation


def _notation(network: Network) -> tuple[tuple[sympy.Basic, Prose, Prose], ...]:
    layers, depth = network.layers, network.depth
    s = symbol
    j, k, l_, L, x, y = s("j"), s("k"), s("l"), s("L"), s("x"), s("y")
    w, b, z, a = s("w^{l}_{jk}"), s("b^{l}_{j}"), s("z^{l}_{j}"), s("a^{l}_{j}")
    delta, C = s("delta^{l}_{j}"), s("C")
    shapes: list = []
    sizes: list = []
    for i in range(depth - 1):
        comma = ", " if i else ""
        shapes += [comma, s(f"w^{{{i + 2}}}"), ": ",
                   Shape(sympy.Integer(layers[i + 1]), sympy.Integer(layers[i]))]
        sizes += [comma, s(f"b^{{{i + 2}}}"), f": {layers[i + 1]}"]
    t, u, odot = s("s"), s("t"), Operator("odot")
    return (
        (l_, prose("layer number, 1 (input) … ", L, " (output)"),
         prose(sympy.Eq(L, depth, evaluate=False))),
        (w, prose("weight from neuron ", k, " in layer ", Difference(l_, sympy.Integer(1)),
                  " to neuron ", j, " in layer ", l_), prose(*shapes)),
        (b, prose("bias of neuron ", j, " in layer ", l_), prose(*sizes)),
        (z, prose("weighted input: ", sympy.Eq(z, sympy.Add(
            SumOver(Juxtapose(w, s("a^{l-1}_{k}")), k), b, evaluate=False), evaluate=False)),
         ()),
        (a, prose("activation: ", sympy.Eq(a, sigma(z), evaluate=False), "; ",
                  sympy.Eq(s("a^{1}"), x, evaluate=False), ", the input"),
         prose(x, f": {layers[0]}, ", y, f": {layers[-1]}")),
        (delta, prose("error of neuron ", j, " in layer ", l_, ": ",
                      sympy.Eq(delta, Partial(C, z), evaluate=False)), ()),
        (s("sigma"), prose("activation function"), sigmas(network)),
        (odot, prose("elementwise (Hadamard) product: ", sympy.Eq(
            Entry(Hadamard(t, u), j), Juxtapose(s("s_{j}"), s("t_{j}")), evaluate=False)), ()),
    )


def _assumptions(network: Network) -> tuple[Prose, ...]:
    cost = COSTS[network.cost]
    s = symbol
    C, Cx, n, x, w, b = s("C"), s("C_{x}"), s("n"), s("x"), s("w"), s("b")
    return (
        prose(sympy.Eq(C, Juxtapose(sympy.Pow(n, -1, evaluate=False), SumOver(Cx, x)),
                       evaluate=False),
              " is the average of the costs ", Cx, " of the ", n, " training examples ", x,
              ", so ", Partial(C, w), " and ", Partial(C, b), " are the averages of ",
              Partial(Cx, w), " and ", Partial(Cx, b), ": backpropagation works on one "
              "example at a time (below ", C, " means ", Cx, ")."),
        prose(Cx, " depends on the network only through its output ", s("a^{L}"), " (",
              s("y"), " is fixed): here ", *cost.formula, ", so ", Gradient(C),
              ", the vector of ", Partial(C, s("a^{L}_{j}")), ", is known: ",
              *cost.gradient_formula, "."),
    )


def _adjoint_rules(network: Network, graph: Graph, symbolic) -> tuple[AdjointRule, ...]:
    """For neuron 1 of each layer: the sweep's rule at a, z, b, w (and the cost nodes)."""
    depth, layers = network.depth, network.layers
    rules: list[AdjointRule] = []

    def rule(node: str, equation: str = "", meaning: Prose = ()) -> None:
        terms = tuple((e, symbolic[e]) for e in graph.out_edges[node])
        rules.append(AdjointRule(node, terms, equation, meaning))

    C, s = symbol("C"), symbol
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
            rule(a, "", prose(Partial(C, s(a)), ", a factor of BP1"))
            rule(z, "BP1", prose(s(delta_name(layer, 1))))
        else:
            weight, delta = s(f"w^{{{layer + 1}}}_{{k1}}"), s(f"delta^{{{layer + 1}}}_{{k}}")
            rule(a, "", prose(SumOver(Juxtapose(weight, delta), s("k")), ", in BP2"))
            rule(z, "BP2", prose(s(delta_name(layer, 1))))
        rule(bias_name(layer, 1), "BP3", prose(Partial(C, s(bias_name(layer, 1)))))
        k = layers[layer - 2]
        chain = [product_name(layer, 1, k)]
        while graph.out_edges[chain[-1]] and graph.out_edges[chain[-1]][0].target != z:
            chain.append(graph.out_edges[chain[-1]][0].target)
        for node in reversed(chain):
            rule(node, "", prose("= ", Adjoint(C, s(z)), " (sums: partial 1)"))
        rule(weight_name(layer, 1, k), "BP4", prose(Partial(C, s(weight_name(layer, 1, k)))))
    return tuple(rules)
