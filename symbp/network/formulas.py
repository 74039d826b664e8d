"""The formulas of σ and of the cost, as the documents show them: prose with SymPy math
(:mod:`symbp.network.symbols`), one pair per activation (σ, σ') and per cost (C, ∂C/∂aᴸⱼ)."""

from __future__ import annotations

import sympy

from .prose import Prose, prose
from .symbols import (
    Brackets,
    Call,
    Chain,
    Exp,
    IfElse,
    Juxtapose,
    Ln,
    Minus,
    Neg,
    Operator,
    Over,
    Partial,
    Slash,
    Squared,
    SquaredNorm,
    SumOver,
    Word,
    sigma,
    sigma_prime,
    symbol,
)

__all__ = ["ACTIVATION_FORMULAS", "COST_FORMULAS"]

_z, _C, _y, _j, _one = symbol("z"), symbol("C"), symbol("y"), symbol("j"), sympy.Integer(1)
_zero = sympy.Integer(0)
_aL, _aLj, _yj, _half = symbol("a^{L}"), symbol("a^{L}_{j}"), symbol("y_{j}"), Operator("half")


def _eq(lhs, rhs) -> sympy.Eq:
    return sympy.Eq(lhs, rhs, evaluate=False)


def _add(*terms) -> sympy.Expr:
    return sympy.Add(*terms, evaluate=False)


def _f(formula) -> Prose:
    return prose(formula)


ACTIVATION_FORMULAS: dict[str, tuple[Prose, Prose]] = {
    "sigmoid": (_f(_eq(sigma(_z), Slash(_one, _add(_one, Exp(Neg(_z)))))),
                _f(_eq(sigma_prime(_z), Juxtapose(sigma(_z), Minus(_one, sigma(_z)))))),
    "tanh": (_f(_eq(sigma(_z), Call(Word("tanh"), _z))),
             _f(_eq(sigma_prime(_z), Minus(_one, Squared(Call(Word("tanh"), _z)))))),
    "relu": (_f(_eq(sigma(_z), Call(Word("max"), _zero, _z))),
             prose(_eq(sigma_prime(_z), IfElse(_one, sympy.Gt(_z, 0, evaluate=False), _zero)),
                   " (", _eq(sigma_prime(_zero), _zero), ", as in PyTorch)")),
    "identity": (_f(_eq(sigma(_z), _z)), _f(_eq(sigma_prime(_z), _one))),
}
"""Activation name → (σ(z) = …, σ'(z) = …)."""

COST_FORMULAS: dict[str, tuple[Prose, Prose]] = {
    "quadratic": (_f(Chain(_C, Juxtapose(_half, SquaredNorm(Minus(_y, _aL))),
                           Juxtapose(_half, SumOver(Squared(Minus(_yj, _aLj)), _j)))),
                  _f(_eq(Partial(_C, _aLj), Minus(_aLj, _yj)))),
    "cross-entropy": (
        _f(_eq(_C, Neg(SumOver(Brackets(_add(
            Juxtapose(_yj, Ln(_aLj)), Juxtapose(Minus(_one, _yj), Ln(Minus(_one, _aLj))))), _j)))),
        _f(_eq(Partial(_C, _aLj), Over(Minus(_aLj, _yj), Juxtapose(_aLj, Minus(_one, _aLj)))))),
}
"""Cost name → (C = …, ∂C/∂aᴸⱼ = …)."""
