"""The tables of ``symbp network --spec`` as records, before any syntax: the parameters,
the batch and its SGD step, the sweep over the neuron-level graph, the epochs of training.

Like :mod:`symbp.network.steps`, it decides once for every renderer which rows a page
shows (:func:`~symbp.summary.summarize`, with :data:`~symbp.summary.ROWS`) unless the
record is ``full``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import sympy

from ..core.forward import SweepStep
from ..summary import ROWS, summarize
from .graph import (
    activation_name,
    bias_name,
    delta_name,
    weight_name,
    weighted_input_name,
)
from .model import Network, SampleBackprop, Training, Vector
from .prose import Code, Prose, Rounded, prose
from .records import NetworkWalkthrough
from .steps import TERMS
from .symbols import Adjoint, Juxtapose, Partial, SumOver, symbol

__all__ = [
    "COLUMNS",
    "EPOCH_ROWS",
    "SAMPLE_COLUMNS",
    "SWEEP_ADJOINTS",
    "BatchRow",
    "BatchTable",
    "LayerAdjoint",
    "NeuronParameters",
    "ParameterTable",
    "SweepNode",
    "SweepTable",
    "batch_table",
    "detailed_samples",
    "layer_adjoints",
    "parameter_tables",
    "sections",
    "shown_epochs",
    "sweep_table",
]

COLUMNS = 6
"""Weights shown per row of a parameter table before summarizing (unless ``full``)."""
SAMPLE_COLUMNS = 3
"""Most samples given their own gradient column in the batch table."""
EPOCH_ROWS = 10
"""About how many epochs the training table shows (unless ``full``)."""

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


def sections(w: NetworkWalkthrough) -> tuple[tuple[str, int | None], ...]:
    """What the walkthrough shows, in order, decided once for every format: ``(name,
    sample)`` — the parameters, each sample shown step by step, the other samples in one
    table (from ``sample`` on), the batch, the layer view (matrix form), the neuron sweep,
    training (when there was any) and the checks.  The neuron view's sections (parameters,
    samples, sweep) are left out with ``view="layers"``, the layer view with
    ``view="neurons"``."""
    detailed = detailed_samples(w) if w.shows_neurons else 0
    return (*((("parameters", None),) if w.shows_neurons else ()),
            *(("sample", i) for i in range(detailed)),
            *((("other samples", detailed),) if 0 < detailed < len(w.samples) else ()),
            ("batch", None), *((("layers", None),) if w.layers is not None else ()),
            *((("sweep", None),) if w.shows_neurons else ()),
            *((("training", None),) if w.training is not None else ()), ("checks", None))


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

    @property
    def formula(self) -> sympy.Basic:
        """Its symbol as math: ``Σₖ w³ₖ₁ δ³ₖ``, ``δ³₁``, else ``∂C/∂v``."""
        names = [symbol(n) for n in self.names]
        if self.quantity == "weighted error":
            return SumOver(Juxtapose(*names), symbol("k"))
        return names[0] if self.quantity == "delta" else Partial(symbol("C"), names[0])

    @property
    def statement(self) -> Prose:
        """What BP1–BP4 say dC/dv is, with the equation's name: ``δ³₁ = -0.079754 (BP1)``."""
        label = f" ({self.label})" if self.label else ""
        return prose(sympy.Eq(self.formula, Rounded(self.value), evaluate=False), label)


SWEEP_ADJOINTS = prose(
    "The reverse sweep of ", Code("symbp explain"), "'s engine stores ",
    Adjoint(symbol("C"), symbol("v")), " for every node ", symbol("v"), ": at ", symbol("z"),
    " it is ", symbol("delta"), " (BP1, BP2), at ", symbol("b"), " and ", symbol("w"),
    " the gradient (BP3, BP4).")
"""What the sweep table's adjoints are, and where BP1–BP4 speak of them."""


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
