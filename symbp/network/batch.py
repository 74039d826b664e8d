"""``symbp.network_gradient``: the batch gradient of a network with NumPy, for speed alone.

BP1–BP4 for the whole batch as matrix products (the rows of a matrix are the samples):
Z^l = A^{l−1} (w^l)ᵀ + b^l, A^l = σ(Z^l); Δ^L = ∇_a C ⊙ σ'(Z^L) (BP1);
Δ^l = (Δ^{l+1} w^{l+1}) ⊙ σ'(Z^l) (BP2); ∂C/∂b^l = mean of the rows of Δ^l (BP3);
∂C/∂w^l = (Δ^l)ᵀ A^{l−1} / n (BP4).  A softmax output is computed with each row's maximum
subtracted (no e^z overflows) and its BP1 goes through the Jacobian,
δ_j = a_j (∂C/∂a_j − Σ_k a_k ∂C/∂a_k), or is a − y with the log-likelihood.

No explanation and no self-check: the walkthrough (:func:`symbp.network_walkthrough`)
explains and checks the same numbers, computed in plain Python floats whose every sum is
pinned (its outputs are compared byte for byte); NumPy's matrix products sum in another
order, so these agree with it to rounding, not bit for bit.

NumPy is imported on first call, so nothing else in symbp pays for it.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import arguments
from ..errors import DomainError
from .backprop import batch_backprop
from .model import NetworkSpec
from .spec import parse_spec

__all__ = ["ARRAY_ACTIVATIONS", "network_gradient"]


def _sigmoid(np, z):
    # 1/(1 + e^(−z)) without overflow: e^z/(1 + e^z) where z < 0, as core/forms.py's float form
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softmax(np, z):
    # e^(z − max z)/Σ e^(z − max z), row by row: the max subtracted so no e^z overflows
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ARRAY_ACTIVATIONS = {
    # name → (σ, σ' from z and σ(z)); σ' as the rules write it (relu'(0) = 0, as PyTorch)
    "sigmoid": (_sigmoid, lambda np, z, a: (1.0 - a) * a),
    "tanh": (lambda np, z: np.tanh(z), lambda np, z, a: 1.0 - a * a),
    "relu": (lambda np, z: np.maximum(z, 0.0), lambda np, z, a: (z > 0).astype(float)),
    "identity": (lambda np, z: z, lambda np, z, a: np.ones_like(z)),
}
"""Activation name (:data:`symbp.network.functions.ACTIVATIONS`) → its NumPy forms."""


def network_gradient(spec: NetworkSpec | Mapping) -> dict:
    """The batch-mean cost and gradient of a network over its samples, fast.

    ``spec`` is a :class:`~symbp.network.model.NetworkSpec` (``symbp.load_spec(path)``) or
    the JSON object of one (read by :func:`symbp.parse_spec`).  Returns ``{"cost": C,
    "grad_w": (∂C/∂w², …), "grad_b": (∂C/∂b², …)}`` with C = (1/n) Σ_x C_x and each
    gradient the mean over the n samples, as NumPy float64 arrays in Nielsen's indexing:
    ``grad_w[l - 2][j - 1, k - 1]`` is ∂C/∂w^l_{jk} (from neuron k of layer l−1 to neuron j
    of layer l), ``grad_b[l - 2][j - 1]`` is ∂C/∂b^l_j.  The numbers equal
    :func:`symbp.network_walkthrough`'s to rounding.  Raises
    :class:`~symbp.errors.DomainError` when the numbers overflow or the cost is undefined.
    """
    import numpy as np

    if isinstance(spec, Mapping):
        # η plays no part in the gradient: a spec without one is read as η = 1
        spec = parse_spec(spec, learning_rate=None if "learning_rate" in spec else 1.0)
    arguments.instance(spec, NetworkSpec, "network_gradient", "spec",
                       "a NetworkSpec (symbp.load_spec(path)) or a spec's JSON object")
    network, samples = spec.network, spec.samples
    *hidden, output = network.activations
    if not all(name in ARRAY_ACTIVATIONS for name in hidden) or (
            output not in ARRAY_ACTIVATIONS and output != "softmax"):
        return _pure_python(np, network, samples)  # an activation with no NumPy form
    # σ of each layer; softmax's σ' is never taken (BP1 goes through its Jacobian, below)
    forms = [ARRAY_ACTIVATIONS.get(name, (_softmax, None)) for name in network.activations]
    n = len(samples)
    a = np.array([s.x for s in samples], dtype=np.float64)  # one row per sample: A¹ = X
    y = np.array([s.y for s in samples], dtype=np.float64)
    weights = [np.array(w, dtype=np.float64) for w in network.weights]
    zs, activations = [], [a]
    with np.errstate(all="ignore"):  # overflow shows as inf/nan, refused below
        for w, b, (sigma, _) in zip(weights, network.biases, forms, strict=True):
            z = a @ w.T
            z += b
            a = sigma(np, z)
            zs.append(z)
            activations.append(a)
        if network.cost == "quadratic":
            diff = a - y
            cost = 0.5 * float(np.einsum("ij,ij->", diff, diff)) / n
            grad_a = diff
        elif network.cost == "cross-entropy":  # C_x = −Σ_j y_j ln a_j + (1 − y_j) ln(1 − a_j)
            cost = -float(np.sum(y * np.log(a) + (1.0 - y) * np.log(1.0 - a))) / n
            grad_a = (a - y) / (a * (1.0 - a))
        else:  # log-likelihood, after a softmax: C_x = −ln a_y (y one-hot)
            # as −ln a_y = ln Σ_k e^(z_k − m) − (z_y − m), m = max z: finite even when a_y
            # underflows to 0 (as PyTorch's cross_entropy; the walkthrough, which prints
            # ln a_y, refuses such a point instead)
            z = zs[-1] - zs[-1].max(axis=1, keepdims=True)
            log_sum = np.log(np.exp(z).sum(axis=1))
            cost = float(np.sum(log_sum - np.sum(z * y, axis=1))) / n
            grad_a = None
        if output != "softmax":
            delta = grad_a * forms[-1][1](np, zs[-1], a)  # BP1
        elif grad_a is None:
            delta = a - y  # BP1 of the softmax with the log-likelihood, as backprop.py's
        else:  # BP1 through the softmax's Jacobian: δ_j = a_j (∂C/∂a_j − Σ_k a_k ∂C/∂a_k)
            delta = a * (grad_a - np.sum(a * grad_a, axis=1, keepdims=True))
        grad_w, grad_b = [None] * len(weights), [None] * len(weights)
        for i in range(len(weights) - 1, -1, -1):
            grad_w[i] = (delta.T @ activations[i]) / n  # BP4
            grad_b[i] = delta.sum(axis=0) / n  # BP3
            if i:
                sigma_prime = forms[i - 1][1]
                delta = (delta @ weights[i]) * sigma_prime(np, zs[i - 1], activations[i])  # BP2
        finite = np.isfinite(cost) and all(np.isfinite(g).all() for g in (*grad_w, *grad_b))
    if not finite:
        raise DomainError("the cost or its gradient is not a finite number (the numbers "
                          "overflow, the cross-entropy of an output that rounds to 0 or 1, or "
                          "the log-likelihood of a softmax output that rounds to 0); "
                          "use smaller inputs or weights, or the quadratic cost")
    return {"cost": cost, "grad_w": tuple(grad_w), "grad_b": tuple(grad_b)}


def _pure_python(np, network, samples) -> dict:
    """The walkthrough's own batch gradient, as arrays (for an activation with no NumPy form:
    slower, never wrong)."""
    cost, grad_w, grad_b = batch_backprop(network, samples)
    return {"cost": cost, "grad_w": tuple(np.array(w, dtype=np.float64) for w in grad_w),
            "grad_b": tuple(np.array(b, dtype=np.float64) for b in grad_b)}
