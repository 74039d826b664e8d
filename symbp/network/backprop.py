"""BP1–BP4 with floats: one sample's backprop, the batch gradient and one SGD step.

The layer-level computation uses plain Python floats; the neuron-level graph of
one sample's cost (:mod:`symbp.network.graph`) runs on the engine of ``symbp
explain`` and checks it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from operator import add, mul, sub, truediv

from ..core.printing import name
from ..errors import DomainError
from .functions import ACTIVATIONS, COSTS, softmax_jacobian
from .model import Matrix, Network, Sample, SampleBackprop, Vector

__all__ = [
    "backprop",
    "batch_backprop",
    "batch_cost",
    "batch_gradient",
    "outer",
    "sgd_step",
]


def backprop(network: Network, sample: Sample) -> SampleBackprop:
    """Forward pass, then BP1 at the output, BP2 down the layers, BP3 and BP4.

    Raises :class:`DomainError` when the cost is undefined (cross-entropy of an output
    that rounds to 0 or 1) or the numbers overflow.
    """
    # for a batch of one sample, each layer's numbers are just its vector
    zs, activations, sigma_prime, grad_a, deltas, (value,) = _errors(network, (sample,))
    grad_w = tuple(outer(d, a_prev)  # δ^l with a^{l−1}
                   for d, a_prev in zip(deltas, activations[:-1], strict=True))
    jacobian = (None if ACTIVATIONS[network.output_activation].elementwise
                else softmax_jacobian(activations[-1]))
    return SampleBackprop(sample, tuple(zs), tuple(activations[1:]), tuple(sigma_prime),
                          tuple(grad_a), tuple(deltas), tuple(deltas), grad_w, value, jacobian)


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
    acts, cost = [ACTIVATIONS[name] for name in network.activations], COSTS[network.cost]
    n = len(samples)
    xs, ys = [s.x for s in samples], [s.y for s in samples]
    widths = dict.fromkeys(map(len, xs))  # the sizes of a¹, in the order of the samples
    for w, b in zip(network.weights, network.biases, strict=True):
        for width in widths:
            _check_shape(w, b, width)
        widths = (len(b),)
    a = _gather(xs)  # a¹ = x
    zs, activations = [], [a]
    for w, b, act in zip(network.weights, network.biases, acts, strict=True):
        z = tuple(map(add, _products(w, a, n), _spread(b, n)))  # z^l = w^l a^{l−1} + b^l
        # softmax maps each sample's whole vector; the others each number
        a = tuple(map(act.value, z)) if act.elementwise else _gather(map(act.layer,
                                                                         _split(z, n)))
        zs.append(z)
        activations.append(a)
    outputs = _split(a, n)  # each sample's a^L
    for sample, output in zip(samples, outputs, strict=True):
        _check_cost_domain(network, sample, output)
    sigma_prime = [tuple(map(act.derivative, z)) if act.elementwise else
                   tuple(a_j * (1.0 - a_j) for a_j in a_l)  # softmax: ∂a_j/∂z_j alone
                   for z, a_l, act in zip(zs, activations[1:], acts, strict=True)]
    grad_a = [_gather(map(cost.gradient, outputs, ys))]
    if acts[-1].elementwise:  # BP1: δ^L = ∇_a C ⊙ σ'(z^L)
        deltas = [tuple(map(mul, grad_a[0], sigma_prime[-1]))]
    else:
        deltas = [_gather(map(_softmax_delta, outputs, _split(grad_a[0], n), ys,
                              repeat(network.cost)))]
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


def _softmax_delta(a: Vector, grad: Vector, y: Vector, cost: str) -> Vector:
    """BP1 of a softmax output: δⱼ = Σₖ ∂C/∂aₖ · aₖ([k = j] − aⱼ) = aⱼ(∂C/∂aⱼ − Σₖ aₖ ∂C/∂aₖ);
    with the log-likelihood and a one-hot y, ∂C/∂aₖ = −yₖ/aₖ makes it aⱼ − yⱼ (computed so:
    no division by a small aₖ)."""
    if cost == "log-likelihood":
        return tuple(map(sub, a, y))
    weighted = math.fsum(map(mul, a, grad))  # Σₖ aₖ ∂C/∂aₖ
    return tuple(a_j * (g_j - weighted) for a_j, g_j in zip(a, grad, strict=True))


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


def outer(d: Vector, a: Vector) -> Matrix:
    """BP4's matrix a_k·d_j: row j is a·d_j."""
    return tuple(map(tuple, map(map, repeat(mul), repeat(a), map(repeat, d))))


def _check_shape(w: Matrix, b: Vector, width: int) -> None:
    if len(w) != len(b) or not set(map(len, w)) <= {width}:
        raise ValueError(f"the weights do not fit {len(b)} biases and {width} activations")


def _check_cost_domain(network: Network, sample: Sample, a: Vector) -> None:
    if network.cost == "log-likelihood":
        for j, a_j in enumerate(a, start=1):
            if not a_j > 0.0:
                output = name(f"a^{{{network.depth}}}_{{{j}}}")
                raise DomainError(
                    f"the log-likelihood needs outputs above 0 (it takes ln a), but for "
                    f"x = {list(sample.x)} the softmax output {output} rounds to 0 (its z is "
                    "more than ~745 below the largest); use smaller weights or inputs")
        return
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



def batch_cost(network: Network, samples: Sequence[Sample]) -> float:
    """C = (1/n) Σ_x C_x alone: the forward pass of the batch, without BP1–BP4's gradient."""
    *_, costs = _errors(network, samples)
    return math.fsum(costs) / len(samples)

