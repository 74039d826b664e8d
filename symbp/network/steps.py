"""The steps of one sample in ``symbp network --spec`` as records, before any syntax: what
each renderer shows of its forward pass, cost, errors and gradient.

A walkthrough (:class:`~symbp.network.records.NetworkWalkthrough`) holds every number;
this module decides, once for the terminal and the LaTeX/Markdown renderers, which of
them a page shows and how (the tables of parameters, of the batch, of the sweep and of
training are :mod:`symbp.network.tables`):

- which neurons and gradient entries are shown, and how many are
  left out (:func:`summarize`, with :data:`ROWS`), unless the record is ``full``;
- when a sum is written term by term and when by its value alone (:data:`TERMS`);
- for each δ, BP1 (at the output, from the cost: quadratic, cross-entropy or, after a
  softmax, with its Jacobian) or BP2
  (from the column w^{l+1}_{kj} of the next layer's weights and its δ^{l+1});
- the entries of BP3 (∂C/∂b^l_j = δ^l_j) and BP4 (∂C/∂w^l_{jk} = a^{l−1}_k δ^l_j)
  layer by layer, from the output down.

Indices in the records are Nielsen's: layers l = 2..L, neurons j and k from 1.  The
records hold numbers, indices and node names (``w^{2}_{11}``), no syntax: each renderer
writes them in its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from ..core.printing import noun
from ..summary import ROWS, summarize
from .model import Network, SampleBackprop, Vector

__all__ = [
    "ROWS",
    "TERMS",
    "ErrorRow",
    "ForwardRow",
    "GradientRow",
    "HiddenError",
    "LayerRows",
    "OutputError",
    "SampleCost",
    "SoftmaxError",
    "error_rows",
    "forward_rows",
    "gradient_rows",
    "sample_cost",
    "summarize",
]

TERMS = 3
"""Terms written out in a sum (Σₖ w a) before it is shown by its value alone."""

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


def _terms(values: str) -> property:
    """``terms``: the pairs (weight, value) of a row's weighted sum Σₖ wₖ·``values``ₖ when it
    is written out, else ()."""
    def terms(row) -> tuple[tuple[float, float], ...]:
        if not row.written_out:
            return ()
        return tuple(zip(row.weights, getattr(row, values), strict=True))
    return property(terms, doc=f"The pairs (weight, {values[:-1]}) of the sum when it is "
                               "written out, else ().")


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
    terms = _terms("inputs")  # (w^l_{jk}, a^{l−1}_k)


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
class _OutputNeuron:
    """What BP1 knows of output neuron j, whatever the output layer: its layer, the cost
    function, its output a^L_j and the target y_j."""

    label: ClassVar[str] = "BP1"
    layer: int
    j: int
    cost: str
    output: float  # a^L_j
    target: float  # y_j


@dataclass(frozen=True)
class OutputError(_OutputNeuron):
    """BP1 for output neuron j: δ^L_j = ∂C/∂a^L_j · σ'(z^L_j), with ∂C/∂a^L_j from the
    ``cost`` (quadratic: a − y; cross-entropy: (a − y)/(a(1 − a)))."""

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
    terms = _terms("errors")  # (w^{l+1}_{kj}, δ^{l+1}_k)


@dataclass(frozen=True)
class SoftmaxError(_OutputNeuron):
    """BP1 for output neuron j of a softmax layer, with the Jacobian ∂aₖ/∂zⱼ = aₖ([k = j] − aⱼ):
    δ^L_j = Σₖ ∂C/∂a^L_k · ∂a^L_k/∂z^L_j = a^L_j (∂C/∂a^L_j − Σₖ a^L_k ∂C/∂a^L_k); with the
    log-likelihood (``cost``) and a one-hot y, a^L_j − y_j."""

    gradient: float  # ∂C/∂a^L_j
    weighted: float  # Σₖ a^L_k ∂C/∂a^L_k
    delta: float


ErrorRow = OutputError | SoftmaxError | HiddenError
"""One δ^l_j: BP1 at the output (a softmax's with its Jacobian), BP2 below."""


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
    if layer == network.depth and r.jacobian is not None:  # softmax
        a, grad = r.a[-1], r.grad_a[-1]
        weighted = math.fsum(a_k * g_k for a_k, g_k in zip(a, grad, strict=True))
        return SoftmaxError(layer, j + 1, network.cost, a[j], r.sample.y[j], grad[j], weighted,
                            delta)
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
