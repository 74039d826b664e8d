"""σ and the cost of one example: their float values and derivatives, their SymPy forms
and their formulas (prose with SymPy math, :mod:`symbp.network.formulas`) — the two tables
:data:`ACTIVATIONS` and :data:`COSTS`.

An activation is an engine operation: its value and derivative, symbolic and in floats,
come from the operation's rule (:data:`symbp.core.rules.RULES`, compiled with the float
forms of :mod:`symbp.core.forms`).  A cost is one SymPy expression C(aⱼ, yⱼ) per output
neuron, summed; its gradient ∂C/∂aⱼ is written in the form shown (the tests check it is
``sympy.diff`` of the cost) and its floats are compiled from it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy

from ..core.numeric import float_function
from ..core.rules import RULES
from .formulas import ACTIVATION_FORMULAS, COST_FORMULAS
from .model import Network, Vector
from .prose import Prose, prose

__all__ = ["ACTIVATIONS", "COSTS", "Activation", "CostFunction", "sigmas", "softmax_jacobian"]


@dataclass(frozen=True)
class Activation:
    """σ: its float value and derivative, its SymPy form, and its graph operation.

    ``op`` is the name of the engine rule (``None`` for the identity, which the graph
    writes as ``a = 1·z``).  An activation that is not elementwise (softmax: each aⱼ
    depends on every z) has ``vector`` and ``symbolic_vector``, the map of a whole layer,
    and ``value``, ``derivative``, ``symbolic_derivative`` give σ(z)ⱼ's own part only
    (:func:`layer`, :func:`symbolic_layer` and :func:`softmax_jacobian` are the whole).
    """

    name: str
    op: str | None
    value: Callable[[float], float]
    derivative: Callable[[float], float]
    symbolic: Callable[[sympy.Expr], sympy.Expr]
    symbolic_derivative: Callable[[sympy.Expr], sympy.Expr]
    formula: Prose
    derivative_formula: Prose
    vector: Callable[[Sequence[float]], Vector] | None = None
    symbolic_vector: Callable[[Sequence[sympy.Expr]], list[sympy.Expr]] | None = None

    @property
    def elementwise(self) -> bool:
        """Whether aⱼ = σ(zⱼ) depends on zⱼ alone (not so for softmax)."""
        return self.vector is None

    def layer(self, z: Sequence[float]) -> Vector:
        """a = σ(z) of one sample's layer, in floats."""
        return tuple(map(self.value, z)) if self.vector is None else self.vector(z)

    def symbolic_layer(self, z: Sequence[sympy.Expr]) -> list[sympy.Expr]:
        """a = σ(z) of one layer, in SymPy."""
        return ([self.symbolic(v) for v in z] if self.symbolic_vector is None
                else self.symbolic_vector(z))


def _activation(op: str) -> Activation:
    """The activation that is the engine operation ``op``: value and σ' from its rule."""
    rule = RULES[op]
    (partial,) = rule.partials
    return Activation(op, op, float_function(rule.value), float_function(partial),
                      rule.value, partial, *ACTIVATION_FORMULAS[op])


def _softmax(z: Sequence[float]) -> Vector:
    """e^(zⱼ − m)/Σₖ e^(zₖ − m) with m = max z: softmax(z − m) = softmax(z), and no
    exponential exceeds 1 (e^1000 would overflow a float; the largest term is e^0 = 1)."""
    m = max(z)
    e = [math.exp(v - m) for v in z]
    total = math.fsum(e)
    return tuple(v / total for v in e)


def _symbolic_softmax(z: Sequence[sympy.Expr]) -> list[sympy.Expr]:
    e = [sympy.exp(v) for v in z]
    total = sympy.Add(*e)
    return [v / total for v in e]


def softmax_jacobian(a: Sequence) -> tuple[tuple, ...]:
    """∂aₖ/∂zⱼ = aₖ([k = j] − aⱼ) of a softmax layer with outputs ``a`` (floats or SymPy),
    row k, column j (symmetric)."""
    return tuple(tuple(a_k * ((1 if k == j else 0) - a_j) for j, a_j in enumerate(a))
                 for k, a_k in enumerate(a))


def _not_elementwise(*_):
    raise TypeError("softmax is not elementwise: use Activation.layer")


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": _activation("sigmoid"),
    "tanh": _activation("tanh"),
    "relu": _activation("relu"),
    "identity": Activation(
        "identity", None, lambda z: z, lambda z: 1.0,
        lambda z: z, lambda z: sympy.S.One,
        *ACTIVATION_FORMULAS["identity"]),
    "softmax": Activation(
        "softmax", None, _not_elementwise, _not_elementwise, _not_elementwise,
        _not_elementwise, *ACTIVATION_FORMULAS["softmax"],
        vector=_softmax, symbolic_vector=_symbolic_softmax),
}
"""Activation name → :class:`Activation`.  ``softmax`` only for the output layer."""


def sigmas(network: Network, which: str = "formula") -> Prose:
    """σ's formula (``which="derivative_formula"``: σ''s); with σ differing between
    layers, each layer's: ``layer 2: relu, σ(z) = max(0, z); layer 3: identity, σ(z) = z``."""
    if network.activation is not None:
        return getattr(ACTIVATIONS[network.activation], which)
    parts: list = []
    for layer in range(2, network.depth + 1):
        name = network.sigma(layer)
        parts += ["; " if parts else "", f"layer {layer}: {name}, ",
                  *getattr(ACTIVATIONS[name], which)]
    return prose(*parts)


@dataclass(frozen=True)
class CostFunction:
    """C_x = Σⱼ C(aⱼ, yⱼ) as a function of the output activations a = a^L and the target y.

    ``component`` is C(aⱼ, yⱼ), the definition; ``symbolic_gradient`` is ∂C/∂aⱼ in the form
    shown (equal to ``sympy.diff`` of ``component``) and ``gradient`` its floats.  ``value``
    is C_x in floats, written so that a huge float gives inf instead of raising.
    """

    name: str
    component: Callable[[sympy.Expr, sympy.Expr], sympy.Expr]  # C(a_j, y_j)
    symbolic_gradient: Callable[[sympy.Expr, sympy.Expr], sympy.Expr]  # ∂C/∂a_j of (a_j, y_j)
    value: Callable[[Vector, Vector], float]
    gradient: Callable[[Vector, Vector], Vector]  # ∇_a C, one entry per output neuron
    formula: Prose
    gradient_formula: Prose

    def symbolic(self, a: Sequence[sympy.Expr], y: Sequence[sympy.Expr]) -> sympy.Expr:
        """C_x = Σⱼ C(aⱼ, yⱼ) as a SymPy expression."""
        return sympy.Add(*(self.component(aj, yj) for aj, yj in zip(a, y, strict=True)))

def _quadratic(a: Vector, y: Vector) -> float:
    # (y − a)·(y − a), not ** 2: a huge float gives inf instead of raising OverflowError
    return 0.5 * sum((yj - aj) * (yj - aj) for aj, yj in zip(a, y, strict=True))


def _cross_entropy(a: Vector, y: Vector) -> float:
    return -sum(yj * math.log(aj) + (1.0 - yj) * math.log(1.0 - aj)
                for aj, yj in zip(a, y, strict=True))


def _log_likelihood(a: Vector, y: Vector) -> float:
    # only the terms of y_j ≠ 0 (0·ln a_j is 0 even where a_j rounds to 0)
    return -math.fsum(yj * math.log(aj) for aj, yj in zip(a, y, strict=True) if yj)


def _cost(name, component, symbolic_gradient, value) -> CostFunction:
    """The cost C(aⱼ, yⱼ), its ∇_a C in floats compiled from ``symbolic_gradient``."""
    per_neuron = float_function(symbolic_gradient, 2)
    return CostFunction(
        name, component, symbolic_gradient, value,
        lambda a, y: tuple(per_neuron(aj, yj) for aj, yj in zip(a, y, strict=True)),
        *COST_FORMULAS[name])


COSTS: dict[str, CostFunction] = {
    "quadratic": _cost(
        "quadratic", lambda aj, yj: sympy.Rational(1, 2) * (yj - aj) ** 2,
        lambda aj, yj: aj - yj, _quadratic),
    "cross-entropy": _cost(
        "cross-entropy",
        lambda aj, yj: -(yj * sympy.log(aj) + (1 - yj) * sympy.log(1 - aj)),
        lambda aj, yj: (aj - yj) / (aj * (1 - aj)), _cross_entropy),
    # categorical cross-entropy: with a softmax output and a one-hot y, C = −ln a_y
    "log-likelihood": _cost(
        "log-likelihood", lambda aj, yj: -yj * sympy.log(aj), lambda aj, yj: -yj / aj,
        _log_likelihood),
}
"""Cost name → :class:`CostFunction` (the cost of one example, C_x)."""
