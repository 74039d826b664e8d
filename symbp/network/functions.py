"""σ and the cost of one example: their float values and derivatives, their SymPy forms
and their formulas (the two tables :data:`ACTIVATIONS` and :data:`COSTS`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy

from ..core.functions import relu, sigmoid
from .model import Vector

__all__ = ["ACTIVATIONS", "COSTS", "Activation", "CostFunction"]


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

