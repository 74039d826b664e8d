"""The steps of ``symbp network --spec`` as records, before any syntax: what each renderer shows.

A walkthrough (:class:`~symbp.network.records.NetworkWalkthrough`) holds every number;
this module decides, once for the terminal and the LaTeX/Markdown renderers, which of
them a page shows and how:

- which neurons, gradient entries, parameters and samples are shown, and how many are
  left out (:func:`summarize`, with :data:`ROWS`), unless the record is ``full``;
- when a sum is written term by term and when by its value alone (:data:`TERMS`);
- for each δ, BP1 (at the output, from the cost: quadratic or cross-entropy) or BP2
  (from the column w^{l+1}_{kj} of the next layer's weights and its δ^{l+1});
- the entries of BP3 (∂C/∂b^l_j = δ^l_j) and BP4 (∂C/∂w^l_{jk} = a^{l−1}_k δ^l_j)
  layer by layer, from the output down;
- which nodes of the neuron-level graph the sweep table lists, and what BP1–BP4 say
  the adjoint dC/dv of each of them is (:func:`sweep_table`).

Indices in the records are Nielsen's: layers l = 2..L, neurons j and k from 1.  The
records hold numbers, indices and node names (``w^{2}_{11}``), no syntax: each renderer
writes them in its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar, Generic, Literal, TypeVar

import sympy

from ..core.forward import SweepStep
from ..core.printing import noun
from ..summary import ROWS, summarize
from .graph import (
    activation_name,
    bias_name,
    delta_name,
    weight_name,
    weighted_input_name,
)
from .model import Network, SampleBackprop, Training, Vector
from .records import NetworkWalkthrough

__all__ = [
    "COLUMNS",
    "EPOCH_ROWS",
    "ROWS",
    "SAMPLE_COLUMNS",
    "TERMS",
    "BatchRow",
    "BatchTable",
    "ErrorRow",
    "ForwardRow",
    "GradientRow",
    "HiddenError",
    "LayerAdjoint",
    "LayerRows",
    "NeuronParameters",
    "OutputError",
    "ParameterTable",
    "SampleCost",
    "SweepNode",
    "SweepTable",
    "batch_table",
    "detailed_samples",
    "error_rows",
    "forward_rows",
    "gradient_rows",
    "layer_adjoints",
    "parameter_tables",
    "sample_cost",
    "shown_epochs",
    "summarize",
    "sweep_table",
]

COLUMNS = 6
"""Weights shown per row of a parameter table before summarizing (unless ``full``)."""
TERMS = 3
"""Terms written out in a sum (Σₖ w a) before it is shown by its value alone."""
SAMPLE_COLUMNS = 3
"""Most samples given their own gradient column in the batch table."""
EPOCH_ROWS = 10
"""About how many epochs the training table shows (unless ``full``)."""

T = TypeVar("T")

# -- the records ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class LayerRows(Generic[T]):
    """The rows of one layer that are shown, and how many are not (``… {hidden} more
    {what}``)."""

    layer: int
    rows: tuple[T, ...]
    hidden: int
    what: str


@dataclass(frozen=True)
class ForwardRow:
    """z^l_j = Σₖ w^l_{jk} a^{l−1}_k + b^l_j and a^l_j = σ(z^l_j) for neuron j of layer l.

    ``weights`` is the row w^l_{j1}, w^l_{j2}, …; ``inputs`` is a^{l−1}.  When not
    ``written_out``, the sum is shown as Σₖ with its value alone.
    """

    layer: int
    j: int
    weights: Vector
    inputs: Vector
    bias: float
    z: float
    a: float
    written_out: bool

    @property
    def terms(self) -> tuple[tuple[float, float], ...]:
        """The pairs (w^l_{jk}, a^{l−1}_k) of the sum when it is written out, else ()."""
        return tuple(zip(self.weights, self.inputs, strict=True)) if self.written_out else ()


@dataclass(frozen=True)
class SampleCost:
    """C_x of one sample from its output a^L and target y (``cost`` names the function);
    when not ``written_out``, the general formula with its value alone."""

    cost: str
    layer: int
    outputs: Vector
    targets: Vector
    value: float
    written_out: bool


@dataclass(frozen=True)
class OutputError:
    """BP1 for output neuron j: δ^L_j = ∂C/∂a^L_j · σ'(z^L_j), with ∂C/∂a^L_j from the
    ``cost`` (quadratic: a − y; cross-entropy: (a − y)/(a(1 − a)))."""

    label: ClassVar[str] = "BP1"
    layer: int
    j: int
    cost: str
    output: float  # a^L_j
    target: float  # y_j
    sigma_prime: float  # σ'(z^L_j)
    delta: float


@dataclass(frozen=True)
class HiddenError:
    """BP2 for neuron j of layer l < L: δ^l_j = (Σₖ w^{l+1}_{kj} δ^{l+1}_k) σ'(z^l_j).

    ``weights`` is the column w^{l+1}_{1j}, w^{l+1}_{2j}, … (the weights out of neuron j)
    and ``errors`` is δ^{l+1}, term by term when ``written_out``; else the sum is shown
    by its value ``weighted_error`` (= ∂C/∂a^l_j).
    """

    label: ClassVar[str] = "BP2"
    layer: int
    j: int
    weights: Vector
    errors: Vector
    weighted_error: float
    sigma_prime: float  # σ'(z^l_j)
    delta: float
    written_out: bool

    @property
    def terms(self) -> tuple[tuple[float, float], ...]:
        """The pairs (w^{l+1}_{kj}, δ^{l+1}_k) of the sum when it is written out, else ()."""
        return tuple(zip(self.weights, self.errors, strict=True)) if self.written_out else ()


ErrorRow = OutputError | HiddenError
"""One δ^l_j: BP1 at the output, BP2 below."""


@dataclass(frozen=True)
class GradientRow:
    """One entry of the gradient of layer l: BP3, ∂C/∂b^l_j = δ^l_j, when ``k`` is None;
    else BP4, ∂C/∂w^l_{jk} = a^{l−1}_k δ^l_j (BP3 is BP4 with 1 for a^{l−1}_k)."""

    layer: int
    j: int
    k: int | None
    activation: float | None  # a^{l−1}_k (BP4)
    delta: float  # δ^l_j
    value: float  # the entry: ∂C/∂b^l_j or ∂C/∂w^l_{jk}

    @property
    def label(self) -> str:
        """``"BP3"`` for a bias, ``"BP4"`` for a weight."""
        return "BP3" if self.k is None else "BP4"


# -- one sample: forward pass, cost, backward pass, gradient --------------------------------------

def forward_rows(network: Network, record: SampleBackprop,
                 full: bool) -> tuple[LayerRows[ForwardRow], ...]:
    """The forward pass, layer 2 to L: z and a of each neuron shown."""
    layers = []
    for i, (zs, activations) in enumerate(zip(record.z, record.a, strict=True)):
        layer = i + 2
        inputs = record.activation(layer - 1)
        written_out = full or len(inputs) <= TERMS
        shown, hidden = summarize(range(len(zs)), full)
        rows = tuple(ForwardRow(layer, j + 1, network.weights[i][j], inputs,
                                network.biases[i][j], zs[j], activations[j], written_out)
                     for j in shown)
        layers.append(LayerRows(layer, rows, hidden, f"{noun(hidden, 'neuron')} in layer {layer}"))
    return tuple(layers)


def sample_cost(network: Network, record: SampleBackprop) -> SampleCost:
    """C_x, term by term for at most :data:`TERMS` outputs."""
    outputs = record.a[-1]
    return SampleCost(network.cost, network.depth, outputs, record.sample.y, record.cost,
                      len(outputs) <= TERMS)


def error_rows(network: Network, record: SampleBackprop,
               full: bool) -> tuple[LayerRows[ErrorRow], ...]:
    """The backward pass, layer L down to 2: δ of each neuron shown, by BP1 or BP2."""
    layers = []
    for i in range(len(record.delta) - 1, -1, -1):
        layer = i + 2
        shown, hidden = summarize(range(len(record.delta[i])), full)
        rows = tuple(_error(network, record, full, i, j) for j in shown)
        layers.append(LayerRows(layer, rows, hidden, f"in layer {layer}"))
    return tuple(layers)


def _error(network: Network, r: SampleBackprop, full: bool, i: int, j: int) -> ErrorRow:
    layer, sp, delta = i + 2, r.sigma_prime[i][j], r.delta[i][j]
    if layer == network.depth:
        return OutputError(layer, j + 1, network.cost, r.a[-1][j], r.sample.y[j], sp, delta)
    up = r.delta[i + 1]
    column = tuple(network.weights[i + 1][k][j] for k in range(len(up)))  # w^{l+1}_{kj}
    return HiddenError(layer, j + 1, column, up, r.grad_a[i][j], sp, delta,
                       full or len(up) <= TERMS - 1)


def gradient_rows(record: SampleBackprop, full: bool) -> tuple[LayerRows[GradientRow], ...]:
    """The gradient, layer L down to 2: for each neuron j its BP3 entry, then BP4 for each k."""
    layers = []
    for i in range(len(record.delta) - 1, -1, -1):
        layer = i + 2
        inputs = record.activation(layer - 1)
        # entry e of the layer: neuron j = e // (n + 1), then the bias (0) or weight k
        per_neuron = len(inputs) + 1
        shown, hidden = summarize(range(len(record.delta[i]) * per_neuron), full)
        rows = []
        for e in shown:
            j, k = divmod(e, per_neuron)
            delta = record.delta[i][j]
            rows.append(GradientRow(layer, j + 1, None, None, delta, record.grad_b[i][j])
                        if k == 0 else
                        GradientRow(layer, j + 1, k, inputs[k - 1], delta,
                                    record.grad_w[i][j][k - 1]))
        layers.append(LayerRows(layer, tuple(rows), hidden, f"in layer {layer}"))
    return tuple(layers)


# -- the network, the samples, the batch, training -------------------------------------------------

@dataclass(frozen=True)
class NeuronParameters:
    """Row j of a parameter table: the weights shown w^l_{jk} (k in the table's
    ``columns``) and the bias b^l_j."""

    j: int
    weights: Vector
    bias: float


@dataclass(frozen=True)
class ParameterTable:
    """The weights and biases of layer l: the columns k shown (``cut`` when some are
    left out), the rows shown and how many neurons are ``hidden``."""

    layer: int
    columns: tuple[int, ...]
    cut: bool
    rows: tuple[NeuronParameters, ...]
    hidden: int


def parameter_tables(network: Network, full: bool) -> tuple[ParameterTable, ...]:
    """One table per layer 2..L; at most :data:`COLUMNS` weights per row unless ``full``."""
    tables = []
    for i, (n_in, n_out) in enumerate(pairwise(network.layers)):
        # one more column rather than "…" for it
        ks = tuple(range(1, n_in + 1 if full or n_in <= COLUMNS + 1 else COLUMNS + 1))
        shown, hidden = summarize(range(n_out), full)
        rows = tuple(NeuronParameters(j + 1, tuple(network.weights[i][j][k - 1] for k in ks),
                                      network.biases[i][j])
                     for j in shown)
        tables.append(ParameterTable(i + 2, ks, len(ks) < n_in, rows, hidden))
    return tuple(tables)


def detailed_samples(w: NetworkWalkthrough) -> int:
    """How many samples are shown step by step (the first; all of a few, or when ``full``)."""
    count = len(w.samples)
    return count if w.full or count <= SAMPLE_COLUMNS else 1


@dataclass(frozen=True)
class BatchRow:
    """One parameter in the batch table: its node name (``w^{2}_{11}``), each sample's
    gradient (one per sample column), the mean gradient, its value before and after the
    SGD step."""

    parameter: str
    per_sample: tuple[float, ...]
    mean: float
    before: float
    after: float


@dataclass(frozen=True)
class BatchTable:
    """The batch: ``sample_columns`` columns of per-sample gradients (none for one sample
    or many), C = (1/n) Σₓ Cₓ term by term when ``written_out``, the rows shown and how
    many are ``hidden``."""

    sample_columns: int
    written_out: bool
    rows: tuple[BatchRow, ...]
    hidden: int


def batch_table(w: NetworkWalkthrough) -> BatchTable:
    """Every weight then the bias of each neuron, layer 2 to L (summarized beyond
    2 × :data:`ROWS` rows)."""
    net, count = w.network, len(w.samples)
    per_sample = count if 1 < count <= SAMPLE_COLUMNS else 0
    columns = w.samples[:per_sample]
    rows = []
    for i, layer in enumerate(range(2, net.depth + 1)):
        for j in range(net.layers[layer - 1]):
            for k in range(net.layers[layer - 2]):
                rows.append(BatchRow(weight_name(layer, j + 1, k + 1),
                                     tuple(r.grad_w[i][j][k] for r in columns), w.grad_w[i][j][k],
                                     net.weights[i][j][k], w.updated.weights[i][j][k]))
            rows.append(BatchRow(bias_name(layer, j + 1), tuple(r.grad_b[i][j] for r in columns),
                                 w.grad_b[i][j], net.biases[i][j], w.updated.biases[i][j]))
    shown, hidden = summarize(rows, w.full) if len(rows) > 2 * ROWS else (rows, 0)
    return BatchTable(per_sample, 1 < count <= TERMS, tuple(shown), hidden)


# -- the neuron-level graph of one sample ---------------------------------------------------------

@dataclass(frozen=True)
class LayerAdjoint:
    """What BP1–BP4 say the adjoint dC/dv of a node v of the neuron-level graph is.

    ``quantity`` names it, with Nielsen's indices ``layer`` (l), ``j`` and ``k``:

    - ``"output"``: ∂C/∂a^L_j at the output a^L_j (∇_a C, where BP1 starts);
    - ``"weighted error"``: Σₖ w^{l+1}_{kj} δ^{l+1}_k at a^l_j below the output (the sum
      of BP2);
    - ``"delta"``: δ^l_j at z^l_j, by BP1 (l = L) or BP2;
    - ``"bias"``: ∂C/∂b^l_j at b^l_j (BP3);
    - ``"weight"``: ∂C/∂w^l_{jk} at w^l_{jk} (BP4).

    ``label`` is the equation that gives it (``""`` at a) and ``value`` the layer-level
    number, which the sweep's adjoint equals.
    """

    quantity: Literal["output", "weighted error", "delta", "bias", "weight"]
    layer: int
    j: int
    k: int | None
    value: float
    label: str

    @property
    def node(self) -> str:
        """The node v of the graph whose adjoint dC/dv this is (a, z, b or w)."""
        if self.k is not None:
            return weight_name(self.layer, self.j, self.k)
        at = {"delta": weighted_input_name, "bias": bias_name}.get(self.quantity, activation_name)
        return at(self.layer, self.j)

    @property
    def names(self) -> tuple[str, ...]:
        """The names in its symbol: w^{l+1}_{kj} and δ^{l+1}_k of the weighted error, δ^l_j,
        else the node v of ∂C/∂v."""
        if self.quantity == "weighted error":
            return weight_name(self.layer + 1, "k", self.j), delta_name(self.layer + 1, "k")
        return (delta_name(self.layer, self.j),) if self.quantity == "delta" else (self.node,)


@dataclass(frozen=True)
class SweepNode:
    """One node v of the sweep table: its ``formula`` in its operands (None for an input),
    its value, dC/dv from the engine's reverse sweep and what BP1–BP4 say dC/dv is (None
    for the products p = w·a, the running sums s, the cost's terms and the inputs x, y)."""

    node: str
    formula: sympy.Expr | None
    value: float
    adjoint: float
    layer_level: LayerAdjoint | None


@dataclass(frozen=True)
class SweepTable:
    """The neuron-level graph of C for one sample (``sample``, from 1) with ``nodes`` nodes
    and ``edges`` edges: the rows shown and how many nodes are ``hidden``; ``steps`` are
    every step of the sweep in its order when ``full``, else ()."""

    sample: int
    nodes: int
    edges: int
    rows: tuple[SweepNode, ...]
    hidden: int
    steps: tuple[SweepStep, ...]


def layer_adjoints(network: Network, record: SampleBackprop) -> dict[str, LayerAdjoint]:
    """Graph node → what BP1–BP4 say its adjoint is, layer by layer from the output; in
    each layer neuron by neuron: a, z, b, then the weights w into it."""
    out, levels = network.depth, []
    for i in range(out - 2, -1, -1):
        layer = i + 2
        for j in range(network.layers[layer - 1]):
            levels += [
                LayerAdjoint("output" if layer == out else "weighted error", layer, j + 1, None,
                             record.grad_a[i][j], ""),
                LayerAdjoint("delta", layer, j + 1, None, record.delta[i][j],
                             "BP1" if layer == out else "BP2"),
                LayerAdjoint("bias", layer, j + 1, None, record.grad_b[i][j], "BP3"),
                *(LayerAdjoint("weight", layer, j + 1, k + 1, record.grad_w[i][j][k], "BP4")
                  for k in range(network.layers[layer - 2])),
            ]
    return {level.node: level for level in levels}


def sweep_table(w: NetworkWalkthrough) -> SweepTable:
    """The walkthrough's sweep over the neuron-level graph of one sample: with ``full``
    every node in the sweep's order and every step; else C, then the nodes BP1–BP4 speak
    of, layer by layer from the output (summarized beyond 2 × :data:`ROWS` rows)."""
    sweep = w.sweep
    graph = sweep.graph
    layer_level = layer_adjoints(w.network, w.samples[sweep.sample_index])
    nodes = ([n.name for n in reversed(graph.nodes)] if w.full
             else [graph.output, *layer_level])
    shown, hidden = summarize(nodes, w.full) if len(nodes) > 2 * ROWS else (nodes, 0)
    rows = tuple(SweepNode(v, None if graph[v].is_input else graph.formula(v),
                           sweep.values[v], sweep.adjoints[v], layer_level.get(v))
                 for v in shown)
    return SweepTable(sweep.sample_index + 1, len(graph.nodes), len(graph.edges), rows,
                      hidden, sweep.steps if w.full else ())


def shown_epochs(training: Training, full: bool) -> list[int]:
    """The epochs of the training table: all when ``full``, else 0, s, 2s, … and the last,
    with a round step s giving about :data:`EPOCH_ROWS` rows."""
    count = len(training.costs)
    if full:
        return list(range(count))
    last = count - 1
    step = max(1, -(-last // EPOCH_ROWS))
    for nice in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if nice >= step:
            step = nice
            break
    return sorted({*range(0, last + 1, step), last})
