"""Backpropagation in matrix form, for a whole batch at once: the layer-level view's numbers.

Computed anew from the network and the samples, as the matrix equations read (Nielsen's
layout, samples as the columns of each matrix), and not from
:mod:`symbp.network.backprop`'s neuron-by-neuron loops, so that the check between the two
views (:func:`symbp.network.layers.layer_check`) compares two computations:

- forward: Z^l = W^l A^{l−1} + b^l 1ᵀ, A^l = σ(Z^l) with layer l's own σ, A¹ = X (the
  inputs as columns);
- BP1: Δ^L = ∇_A C ⊙ σ'(Z^L), column x being ∇_a C_x; after a softmax (not elementwise)
  each column is (∂a^L/∂z^L)ᵀ ∇_a C_x with that sample's Jacobian (``jacobians``), in
  general — never the shortcut a − y, which the checks compare it with;
- BP2: Δ^l = ((W^{l+1})ᵀ Δ^{l+1}) ⊙ σ'(Z^l);
- BP3 and BP4 averaged over the m samples: ∂C/∂b^l = (1/m) Δ^l 1 and
  ∂C/∂W^l = (1/m) Δ^l (A^{l−1})ᵀ.

Every dot product is one correctly rounded ``math.fsum``.  Column x of each matrix is
sample x's vector (z^l, a^l, δ^l of one sample), and sample x's own ∂C/∂W^l is the outer
product δ^l (a^{l−1})ᵀ of its columns (:func:`outer`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import mul

from .functions import ACTIVATIONS, COSTS, softmax_jacobian
from .model import Matrix, Network, Sample, Vector

__all__ = ["BatchMatrices", "column", "matmul", "matrix_backprop", "outer", "transpose"]


@dataclass(frozen=True)
class BatchMatrices:
    """A batch in matrix form, Nielsen's layout (row j: neuron j; column x: sample x).

    ``x`` is A¹ (n₁ × m), ``y`` the targets (n_L × m); every other field is a per-layer
    list, position i holding layer l = i + 2: Z^l, A^l, σ'(Z^l), the matrix that meets
    σ'(Z^l) in BP1/BP2 (∇_A C at the output, (W^{l+1})ᵀ Δ^{l+1} below), Δ^l (n_l × m),
    and the batch means ∂C/∂W^l (n_l × n_{l−1}) and ∂C/∂b^l (n_l).
    """

    x: Matrix
    y: Matrix
    z: tuple[Matrix, ...]
    a: tuple[Matrix, ...]
    sigma_prime: tuple[Matrix, ...]
    back: tuple[Matrix, ...]
    delta: tuple[Matrix, ...]
    grad_w: tuple[Matrix, ...]
    grad_b: tuple[Vector, ...]
    jacobians: tuple[Matrix, ...] | None = None  # a softmax output's ∂a^L/∂z^L, per sample

    @property
    def m(self) -> int:
        """The number of samples (columns)."""
        return len(self.x[0])

    def activation(self, layer: int) -> Matrix:
        """A^l for l = 1..L (A¹ = X)."""
        return self.x if layer == 1 else self.a[layer - 2]


def transpose(matrix: Matrix) -> Matrix:
    """Mᵀ."""
    return tuple(zip(*matrix, strict=True))


def matmul(left: Matrix, right: Matrix) -> Matrix:
    """The matrix product, each entry one ``math.fsum`` of its products."""
    columns = transpose(right)
    return tuple(tuple(math.fsum(map(mul, row, col)) for col in columns) for row in left)


def outer(column_vector: Vector, row_vector: Vector) -> Matrix:
    """u vᵀ: entry (j, k) is u_j·v_k."""
    return tuple(tuple(u * v for v in row_vector) for u in column_vector)


def column(matrix: Matrix, x: int) -> Vector:
    """Column x of a matrix (sample x's vector)."""
    return tuple(row[x] for row in matrix)


def _elementwise(f, *matrices: Matrix) -> Matrix:
    return tuple(tuple(map(f, *rows)) for rows in zip(*matrices, strict=True))


def matrix_backprop(network: Network, samples: Sequence[Sample]) -> BatchMatrices:
    """The forward pass, BP1–BP2 and the batch-mean BP3–BP4 of ``samples`` as matrices."""
    acts, cost = [ACTIVATIONS[name] for name in network.activations], COSTS[network.cost]
    m = len(samples)
    x = transpose(tuple(s.x for s in samples))
    y = transpose(tuple(s.y for s in samples))
    zs, activations, a = [], [], x
    for w, b, act in zip(network.weights, network.biases, acts, strict=True):
        wa = matmul(w, a)
        z = tuple(tuple(v + b_j for v in row) for row, b_j in zip(wa, b, strict=True))
        a = (_elementwise(act.value, z) if act.elementwise else  # softmax: column by column
             transpose(tuple(act.layer(column(z, x)) for x in range(m))))
        zs.append(z)
        activations.append(a)
    sigma_prime = [_elementwise(act.derivative, z) if act.elementwise
                   else _elementwise(lambda v: v * (1.0 - v), a_l)  # a softmax's diagonal
                   for z, a_l, act in zip(zs, activations, acts, strict=True)]
    # ∇_A C: column x is ∇_a C_x of sample x's output and target
    nabla = transpose(tuple(cost.gradient(column(a, i), column(y, i)) for i in range(m)))
    back = [nabla]
    jacobians = None
    if acts[-1].elementwise:
        deltas = [_elementwise(mul, nabla, sigma_prime[-1])]
    else:  # δ = Jᵀ ∇_a C for each sample (J is symmetric, but the transpose is the rule)
        jacobians = tuple(softmax_jacobian(column(a, x)) for x in range(m))
        deltas = [transpose(tuple(column(matmul(transpose(j), tuple(
            (g,) for g in column(nabla, x))), 0) for x, j in enumerate(jacobians)))]
    for i in range(len(zs) - 2, -1, -1):  # BP2 for layer i + 2, from layer i + 3
        back.insert(0, matmul(transpose(network.weights[i + 1]), deltas[0]))
        deltas.insert(0, _elementwise(mul, back[0], sigma_prime[i]))
    grad_w, grad_b = [], []
    for i, d in enumerate(deltas):
        previous = x if i == 0 else activations[i - 1]
        grad_w.append(tuple(tuple(v / m for v in row)
                            for row in matmul(d, transpose(previous))))
        grad_b.append(tuple(math.fsum(row) / m for row in d))
    return BatchMatrices(x, y, tuple(zs), tuple(activations), tuple(sigma_prime), tuple(back),
                         tuple(deltas), tuple(grad_w), tuple(grad_b), jacobians)
