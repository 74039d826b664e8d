"""Fully connected networks in Nielsen's notation: the spec, BP1–BP4 with floats, SGD.

Layers are numbered l = 1..L (1 is the input).  ``weights[i][j][k]`` is
w^l_{jk}, the weight from neuron k of layer l−1 to neuron j of layer l, with
l = i + 2; ``biases[i][j]`` is b^l_j.  Every per-layer list in this module uses
the same indexing: position i holds layer i + 2 (the input a¹ = x is the sample's).

The layer-level computation uses plain Python floats; the neuron-level graph of
one sample's cost (:mod:`symbp.network_graph`) runs on the engine of ``symbp
explain`` and checks it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, pairwise, repeat
from operator import add, mul, truediv

import sympy

from ..core.functions import relu, sigmoid
from ..core.printing import name
from ..errors import DomainError, LimitError, SymbpError

__all__ = [
    "ACTIVATIONS",
    "COSTS",
    "Activation",
    "CostFunction",
    "Network",
    "NetworkSpec",
    "Sample",
    "SampleBackprop",
    "Training",
    "backprop",
    "batch_backprop",
    "batch_gradient",
    "check_training",
    "freeze_matrices",
    "freeze_vectors",
    "sgd_step",
    "train",
]

Vector = tuple[float, ...]
Matrix = tuple[Vector, ...]

MAX_WORK = 2_000_000
"""Most (epochs × samples × parameters) a training run takes unless told otherwise
(``max_work``, ``--max-work``): about a few seconds of pure-Python SGD."""
STEP_OVERHEAD = 30
"""The cost of one sample's step beyond its parameters, in parameters: 500,000 epochs of a
2-parameter network took 18 s."""


# -- activations and costs: the two tables ----------------------------------------------------

# (comparisons with 0.0, not 0: float against float is the interpreter's fast path)

def _sigmoid(z: float) -> float:
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)  # never overflows for z < 0
    return e / (1.0 + e)


def _sigmoid_prime(z: float) -> float:
    s = _sigmoid(z)
    return s * (1.0 - s)


@dataclass(frozen=True)
class Activation:
    """σ: its float value and derivative, its SymPy form, and its graph operation.

    ``op`` is the name of the engine rule (``None`` for the identity, which the graph
    writes as ``a = 1·z``).
    """

    name: str
    op: str | None
    value: Callable[[float], float]
    derivative: Callable[[float], float]
    symbolic: Callable[[sympy.Expr], sympy.Expr]
    symbolic_derivative: Callable[[sympy.Expr], sympy.Expr]
    formula: str
    derivative_formula: str


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid", "sigmoid", _sigmoid, _sigmoid_prime,
        sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z)),
        "σ(z) = 1/(1 + e^(−z))", "σ'(z) = σ(z)(1 − σ(z))"),
    "tanh": Activation(
        "tanh", "tanh", math.tanh, lambda z: 1.0 - math.tanh(z) ** 2,
        sympy.tanh, lambda z: 1 - sympy.tanh(z) ** 2,
        "σ(z) = tanh(z)", "σ'(z) = 1 − tanh²(z)"),
    "relu": Activation(
        "relu", "relu", lambda z: z if z > 0.0 else 0.0, lambda z: 1.0 if z > 0.0 else 0.0,
        relu, lambda z: sympy.Heaviside(z, 0),
        "σ(z) = max(0, z)", "σ'(z) = 1 if z > 0 else 0 (σ'(0) = 0, as in PyTorch)"),
    "identity": Activation(
        "identity", None, lambda z: z, lambda z: 1.0,
        lambda z: z, lambda z: sympy.S.One,
        "σ(z) = z", "σ'(z) = 1"),
}
"""Activation name → :class:`Activation`."""


@dataclass(frozen=True)
class CostFunction:
    """C_x as a function of the output activations a = a^L and the target y."""

    name: str
    value: Callable[[Vector, Vector], float]
    gradient: Callable[[Vector, Vector], Vector]  # ∇_a C, one entry per output neuron
    symbolic: Callable[[Sequence[sympy.Expr], Sequence[sympy.Expr]], sympy.Expr]
    symbolic_gradient: Callable[[sympy.Expr, sympy.Expr], sympy.Expr]  # ∂C/∂a_j of (a_j, y_j)
    formula: str
    gradient_formula: str


def _quadratic(a: Vector, y: Vector) -> float:
    # (y − a)·(y − a), not ** 2: a huge float gives inf instead of raising OverflowError
    return 0.5 * sum((yj - aj) * (yj - aj) for aj, yj in zip(a, y, strict=True))


def _cross_entropy(a: Vector, y: Vector) -> float:
    return -sum(yj * math.log(aj) + (1.0 - yj) * math.log(1.0 - aj)
                for aj, yj in zip(a, y, strict=True))


COSTS: dict[str, CostFunction] = {
    "quadratic": CostFunction(
        "quadratic", _quadratic,
        lambda a, y: tuple(aj - yj for aj, yj in zip(a, y, strict=True)),
        lambda a, y: sympy.Rational(1, 2) * sympy.Add(
            *((yj - aj) ** 2 for aj, yj in zip(a, y, strict=True))),
        lambda aj, yj: aj - yj,
        "C = ½‖y − aᴸ‖² = ½ Σⱼ (yⱼ − aᴸⱼ)²", "∂C/∂aᴸⱼ = aᴸⱼ − yⱼ"),
    "cross-entropy": CostFunction(
        "cross-entropy", _cross_entropy,
        lambda a, y: tuple((aj - yj) / (aj * (1.0 - aj)) for aj, yj in zip(a, y, strict=True)),
        lambda a, y: -sympy.Add(*(yj * sympy.log(aj) + (1 - yj) * sympy.log(1 - aj)
                                  for aj, yj in zip(a, y, strict=True))),
        lambda aj, yj: (aj - yj) / (aj * (1 - aj)),
        "C = −Σⱼ [yⱼ ln aᴸⱼ + (1 − yⱼ) ln(1 − aᴸⱼ)]",
        "∂C/∂aᴸⱼ = (aᴸⱼ − yⱼ) / (aᴸⱼ(1 − aᴸⱼ))"),
}
"""Cost name → :class:`CostFunction` (the cost of one example, C_x)."""


# -- the records ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Network:
    """Layer sizes, σ, the cost and the parameters (``weights[i]`` is w^{i+2})."""

    layers: tuple[int, ...]
    activation: str
    cost: str
    weights: tuple[Matrix, ...]
    biases: tuple[Vector, ...]

    @property
    def depth(self) -> int:
        """L, the number of layers (the input layer included)."""
        return len(self.layers)

    @property
    def parameter_count(self) -> int:
        """How many weights and biases."""
        return sum(n * m + n for m, n in pairwise(self.layers))

    def with_parameters(self, weights, biases) -> Network:
        """The same network with other parameters."""
        return Network(self.layers, self.activation, self.cost,
                       freeze_matrices(weights), freeze_vectors(biases))


@dataclass(frozen=True)
class Sample:
    """One training example: the input x (= a¹) and the desired output y."""

    x: Vector
    y: Vector


@dataclass(frozen=True)
class NetworkSpec:
    """A network with its training samples and learning rate η.

    ``seed`` seeds the random initial parameters (when ``random_parameters``), the
    shuffling of mini-batches and the random points of the checks.
    """

    network: Network
    samples: tuple[Sample, ...]
    learning_rate: float
    seed: int = 0
    random_parameters: bool = False
    source: str = ""


@dataclass(frozen=True)
class SampleBackprop:
    """One sample's forward pass, BP1–BP2 errors and BP3–BP4 gradient (per-layer lists)."""

    sample: Sample
    z: tuple[Vector, ...]
    a: tuple[Vector, ...]
    sigma_prime: tuple[Vector, ...]  # σ'(z^l_j)
    grad_a: tuple[Vector, ...]  # ∂C/∂a^l_j: ∇_a C at the output (BP1), (w^{l+1})ᵀ δ^{l+1} below
    delta: tuple[Vector, ...]
    grad_b: tuple[Vector, ...]
    grad_w: tuple[Matrix, ...]
    cost: float

    def activation(self, layer: int) -> Vector:
        """a^l for l = 1..L (a¹ is the input x)."""
        return self.sample.x if layer == 1 else self.a[layer - 2]


@dataclass(frozen=True)
class Training:
    """SGD over the samples: the batch cost before training and after every epoch."""

    epochs: int
    batch_size: int
    learning_rate: float
    costs: tuple[float, ...]  # costs[0] before training, costs[e] after epoch e
    network: Network


# -- layer-level computation (floats) ----------------------------------------------------------

def backprop(network: Network, sample: Sample) -> SampleBackprop:
    """Forward pass, then BP1 at the output, BP2 down the layers, BP3 and BP4.

    Raises :class:`DomainError` when the cost is undefined (cross-entropy of an output
    that rounds to 0 or 1) or the numbers overflow.
    """
    # for a batch of one sample, each layer's numbers are just its vector
    zs, activations, sigma_prime, grad_a, deltas, (value,) = _errors(network, (sample,))
    grad_w = tuple(_outer(d, a_prev)  # δ^l with a^{l−1}
                   for d, a_prev in zip(deltas, activations[:-1], strict=True))
    return SampleBackprop(sample, tuple(zs), tuple(activations[1:]), tuple(sigma_prime),
                          tuple(grad_a), tuple(deltas), tuple(deltas), grad_w, value)


def batch_backprop(network: Network, samples: Sequence[Sample]) -> tuple[float, tuple, tuple]:
    """C = (1/n) Σ_x C_x and the averaged ∂C/∂w, ∂C/∂b, without a gradient per sample.

    BP1 and BP2 run for the whole batch at once; BP3 and BP4 averaged over the batch are
    ∂C/∂b^l_j = (1/n) Σ_x δ^l_j and ∂C/∂w^l_{jk} = (1/n) Σ_x a^{l−1}_k δ^l_j, one
    ``math.fsum`` per parameter.  These are the very floats of
    ``batch_gradient([backprop(network, x) for x in samples])`` (the same products, and
    fsum is correctly rounded), with the same errors, checked for the whole batch.
    """
    n = len(samples)
    if n == 0:
        raise ValueError("a batch needs at least one sample")
    _, activations, _, _, deltas, costs = _errors(network, samples)
    grad_w, grad_b = [], []
    for d, a_prev in zip(deltas, activations[:-1], strict=True):  # δ^l with a^{l−1}
        d_columns = _columns(d, n)
        grad_w.append(_mean_outer(d_columns, _columns(a_prev, n), n))
        grad_b.append(tuple(map(truediv, map(math.fsum, d_columns), repeat(n))))
    return math.fsum(costs) / n, tuple(grad_w), tuple(grad_b)


# The whole batch goes through each layer at once.  A layer's numbers for a batch of n
# samples are one flat tuple, neuron by neuron: neuron j's n values are v[j*n:(j+1)*n]
# (its column) and sample x's vector is v[x::n]; for one sample, the vector itself.  The
# loops are map() over C functions, each over a layer, a column or a row: the same
# left-to-right sums and products as sum() over a generator (identical numbers), without
# a Python frame per term or per sample.

def _errors(network: Network, samples: Sequence[Sample]) -> tuple:
    """The forward pass, BP1 and BP2 of a batch: per layer, z, a (from a¹ = x), σ'(z),
    ∂C/∂a and δ, and each sample's cost C_x.

    The checks are those of one sample at a time, made for the whole batch: shapes layer
    by layer, then the cost's domain, then overflow.
    """
    act, cost = ACTIVATIONS[network.activation], COSTS[network.cost]
    n = len(samples)
    xs, ys = [s.x for s in samples], [s.y for s in samples]
    widths = dict.fromkeys(map(len, xs))  # the sizes of a¹, in the order of the samples
    for w, b in zip(network.weights, network.biases, strict=True):
        for width in widths:
            _check_shape(w, b, width)
        widths = (len(b),)
    a = _gather(xs)  # a¹ = x
    zs, activations = [], [a]
    for w, b in zip(network.weights, network.biases, strict=True):
        z = tuple(map(add, _products(w, a, n), _spread(b, n)))  # z^l = w^l a^{l−1} + b^l
        a = tuple(map(act.value, z))
        zs.append(z)
        activations.append(a)
    outputs = _split(a, n)  # each sample's a^L
    for sample, output in zip(samples, outputs, strict=True):
        _check_cost_domain(network, sample, output)
    sigma_prime = [tuple(map(act.derivative, z)) for z in zs]
    grad_a = [_gather(map(cost.gradient, outputs, ys))]
    deltas = [tuple(map(mul, grad_a[0], sigma_prime[-1]))]
    for i in range(len(zs) - 2, -1, -1):  # BP2: layer i+2 from layer i+3, via w^{i+3}
        transposed = tuple(zip(*network.weights[i + 1], strict=True))  # (w^{l+1})ᵀ
        back = tuple(_products(transposed, deltas[0], n))  # (w^{l+1})ᵀ δ^{l+1}
        grad_a.insert(0, back)
        deltas.insert(0, tuple(map(mul, back, sigma_prime[i])))
    costs = tuple(map(cost.value, outputs, ys))
    if not all(map(math.isfinite, chain(costs, deltas[0], deltas[-1]))):
        for sample, value, first, last in zip(samples, costs, _split(deltas[0], n),
                                              _split(deltas[-1], n), strict=True):
            if not all(map(math.isfinite, (value, *first, *last))):
                raise DomainError(f"the numbers overflow for x = {list(sample.x)} "
                                  f"(C = {value}); use smaller inputs, weights or learning rate")
    return zs, activations, sigma_prime, grad_a, deltas, costs


def _gather(vectors) -> Vector:
    """The samples' vectors as one layer's numbers, neuron by neuron."""
    return tuple(chain.from_iterable(zip(*vectors, strict=True)))


def _split(v: Vector, n: int) -> list[Vector]:
    """A layer's numbers as each sample's vector."""
    return [v[x::n] for x in range(n)]


def _columns(v: Vector, n: int) -> list[Vector]:
    """A layer's numbers as each neuron's column (its values for the n samples)."""
    return [v[j:j + n] for j in range(0, len(v), n)]


def _spread(b: Vector, n: int) -> Iterable[float]:
    """One number per neuron (a bias), repeated for each sample."""
    return b if n == 1 else chain.from_iterable(map(repeat, b, repeat(n)))


def _products(rows: Matrix, v: Vector, n: int) -> Iterable[float]:
    """Each row's dot product with each sample's vector: Σ_k row_k·a_k, summed left to right
    (from 0, as sum() does), for each row j and sample x.

    Each way below gives those very sums; each map() runs over the longer of a row (one
    sample at a time, the only way for one sample) or a column (a weight times the batch).
    """
    if n == 1:
        return tuple(map(sum, map(map, repeat(mul), rows, repeat(v))))
    if n <= len(v) // n:  # a small batch: one sample at a time, row by row
        return _gather([_products(rows, a, 1) for a in _split(v, n)])
    columns = _columns(v, n)
    terms = (map(map, repeat(mul), map(repeat, row), columns) for row in rows)  # row_k·a_k
    if 0 < len(columns) <= 2:
        return chain.from_iterable(map(_running_sum, terms))
    return chain.from_iterable(map(sum, zip(*t, strict=True)) for t in terms)


def _running_sum(terms: Iterable[Iterable[float]]) -> Iterable[float]:
    """(0 + t₁) + t₂ element by element: sum()'s very additions, without a tuple per sample.

    For one or two terms only: from three on, Python 3.12's sum() compensates its
    rounding (for two, the compensation is the rounding error itself, and rounds away).
    """
    total = repeat(0.0)  # 0.0 + t is 0 + t for every float, -0.0 included
    for t in terms:
        total = map(add, total, t)
    return total


def _mean_outer(d: Sequence[Vector], a: Sequence[Vector], n: int) -> Matrix:
    """BP4 averaged over the batch, from the columns of δ and a: row j holds
    (1/n) Σ_x a_k·d_j for each k, one fsum each (no matrix per sample)."""
    return tuple(tuple(map(truediv, map(math.fsum, map(map, repeat(mul), a, repeat(d_j))),
                           repeat(n)))
                 for d_j in d)


def _outer(d: Vector, a: Vector) -> Matrix:
    """BP4's matrix a_k·d_j: row j is a·d_j."""
    return tuple(map(tuple, map(map, repeat(mul), repeat(a), map(repeat, d))))


def _check_shape(w: Matrix, b: Vector, width: int) -> None:
    if len(w) != len(b) or not set(map(len, w)) <= {width}:
        raise ValueError(f"the weights do not fit {len(b)} biases and {width} activations")


def _check_cost_domain(network: Network, sample: Sample, a: Vector) -> None:
    if network.cost != "cross-entropy":
        return
    for j, a_j in enumerate(a, start=1):
        if not 0.0 < a_j < 1.0:
            output = name(f"a^{{{network.depth}}}_{{{j}}}")
            raise DomainError(
                f"the cross-entropy cost needs outputs strictly between 0 and 1, but for "
                f"x = {list(sample.x)} the output {output} rounds to {a_j!r} (σ saturated); "
                "use smaller weights or the quadratic cost")


def batch_gradient(results: Sequence[SampleBackprop]) -> tuple[float, tuple, tuple]:
    """C = (1/n) Σ_x C_x and the averaged ∂C/∂w, ∂C/∂b."""
    n = len(results)
    mean_cost = math.fsum(r.cost for r in results) / n
    # zip(*rows) gathers each parameter's column of per-sample gradients (fsum is
    # correctly rounded, so the order of the terms does not matter)
    grad_w = tuple(
        tuple(tuple(math.fsum(column) / n
                    for column in zip(*(r.grad_w[i][j] for r in results), strict=True))
              for j in range(len(layer)))
        for i, layer in enumerate(results[0].grad_w))
    grad_b = tuple(
        tuple(math.fsum(column) / n
              for column in zip(*(r.grad_b[i] for r in results), strict=True))
        for i in range(len(results[0].grad_b)))
    return mean_cost, grad_w, grad_b


def sgd_step(network: Network, grad_w, grad_b, learning_rate: float) -> Network:
    """One step of gradient descent: w → w − η ∂C/∂w, b → b − η ∂C/∂b."""
    weights = tuple(
        tuple(tuple(w - learning_rate * g for w, g in zip(row, g_row, strict=True))
              for row, g_row in zip(layer, g_layer, strict=True))
        for layer, g_layer in zip(network.weights, grad_w, strict=True))
    biases = tuple(
        tuple(b - learning_rate * g for b, g in zip(layer, g_layer, strict=True))
        for layer, g_layer in zip(network.biases, grad_b, strict=True))
    return network.with_parameters(weights, biases)


def check_training(network: Network, samples: int, epochs: int, max_work: int | None) -> None:
    """Refuse up front a training run of more than ``max_work`` (default :data:`MAX_WORK`)
    units of work: epochs × samples × (parameters + :data:`STEP_OVERHEAD`)."""
    work = epochs * samples * (network.parameter_count + STEP_OVERHEAD)
    limit = MAX_WORK if max_work is None else max_work
    if work > limit:
        raise LimitError(
            f"{epochs:,} epochs × {samples:,} samples × ({network.parameter_count:,} parameters "
            f"+ {STEP_OVERHEAD}) is more training than symbp does in a few seconds (limit "
            f"{limit:,}); use fewer epochs, or {{how}} to go past it (slow)",
            parameter="max_work", setting=work)


def train(
    network: Network,
    samples: Sequence[Sample],
    *,
    epochs: int,
    learning_rate: float,
    batch_size: int | None = None,
    seed: int = 0,
    on_epoch: Callable[[int, float], None] | None = None,
    max_work: int | None = None,
) -> Training:
    """Stochastic gradient descent: each epoch shuffles the samples (``random.Random(seed)``)
    and takes one step per mini-batch of ``batch_size`` (all samples when ``None``: then
    epoch 1 is exactly the step of the walkthrough).  ``on_epoch(epoch, cost)`` reports
    progress.  More than ``max_work`` (default :data:`MAX_WORK`) epochs × samples ×
    parameters is refused up front.
    """
    n = len(samples)
    size = n if batch_size is None else batch_size
    if not 1 <= size <= n:
        raise SymbpError(f"--batch-size must be between 1 and the number of samples ({n})")
    if epochs < 0:
        raise SymbpError("--epochs must be 0 or more")
    check_training(network, n, epochs, max_work)
    if size == n:
        return _train_full_batch(network, samples, epochs, learning_rate, on_epoch)
    rng = random.Random(seed)
    order = list(range(n))
    costs = [_batch_cost(network, samples)]
    for epoch in range(1, epochs + 1):
        rng.shuffle(order)
        with _stopping_at(epoch):
            for start in range(0, n, size):
                batch = [samples[i] for i in order[start:start + size]]
                _, grad_w, grad_b = batch_backprop(network, batch)
                network = sgd_step(network, grad_w, grad_b, learning_rate)
            cost = _batch_cost(network, samples)
        _end_epoch(epoch, cost, costs, on_epoch)
    return Training(epochs, size, learning_rate, tuple(costs), network)


def _train_full_batch(network: Network, samples: Sequence[Sample], epochs: int,
                      learning_rate: float, on_epoch) -> Training:
    """Gradient descent on the whole batch: the cost after a step is the mean cost that
    the next step's gradient computes anyway, so each epoch runs one batch_backprop (not
    one for the step and another pass for the cost)."""
    cost, grad_w, grad_b = batch_backprop(network, samples)
    costs = [cost]
    for epoch in range(1, epochs + 1):
        network = sgd_step(network, grad_w, grad_b, learning_rate)
        with _stopping_at(epoch):
            cost, grad_w, grad_b = batch_backprop(network, samples)
        _end_epoch(epoch, cost, costs, on_epoch)
    return Training(epochs, len(samples), learning_rate, tuple(costs), network)


@contextmanager
def _stopping_at(epoch: int) -> Iterator[None]:
    """A DomainError (overflow, a saturated cross-entropy) ends training, naming the epoch."""
    try:
        yield
    except DomainError as exc:
        raise SymbpError(f"training stopped at epoch {epoch}: {exc}") from None


def _end_epoch(epoch: int, cost: float, costs: list[float], on_epoch) -> None:
    if not math.isfinite(cost):
        raise SymbpError(f"training diverged at epoch {epoch} (the cost is {cost}); "
                         "use a smaller learning rate")
    costs.append(cost)
    if on_epoch is not None:
        on_epoch(epoch, cost)


def _batch_cost(network: Network, samples: Sequence[Sample]) -> float:
    *_, costs = _errors(network, samples)
    return math.fsum(costs) / len(samples)


def freeze_matrices(matrices) -> tuple[Matrix, ...]:
    """Matrices (lists of lists of numbers) as tuples of floats."""
    return tuple(tuple(tuple(float(v) for v in row) for row in m) for m in matrices)


def freeze_vectors(vectors) -> tuple[Vector, ...]:
    """Vectors (lists of numbers) as tuples of floats."""
    return tuple(tuple(float(v) for v in vec) for vec in vectors)
