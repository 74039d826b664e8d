"""The formulas of σ and of the cost, as the documents show them: prose with SymPy math
(:mod:`symbp.network.symbols`), one pair per activation (σ, σ') and per cost (C, ∂C/∂aᴸⱼ)."""

from __future__ import annotations

import sympy

from .prose import Prose, prose
from .symbols import (
    Brackets,
    Call,
    Chain,
    Entry,
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

__all__ = ["ACTIVATION_FORMULAS", "COST_FORMULAS", "COST_SUMS"]

_z, _C, _y, _j, _one = symbol("z"), symbol("C"), symbol("y"), symbol("j"), sympy.Integer(1)
_k, _m = symbol("k"), symbol("m")
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
    # softmax is not elementwise: a_j depends on every z_k, so its derivative is a Jacobian
    "softmax": (
        prose(_eq(Entry(sigma(_z), _j), Slash(Exp(symbol("z_{j}")),
                                              SumOver(Exp(symbol("z_{k}")), _k))),
              " (computed as ", Slash(Exp(Minus(symbol("z_{j}"), _m)),
                                      SumOver(Exp(Minus(symbol("z_{k}"), _m)), _k)),
              " with ", _eq(_m, Call(Word("max"), symbol("z_{k}"))),
              ": the same numbers, and no exponential overflows)"),
        _f(_eq(Partial(symbol("a_{k}"), symbol("z_{j}")),
               Juxtapose(symbol("a_{k}"), Minus(Brackets(Chain(_k, _j)), symbol("a_{j}"))))),
        ),
}
"""Activation name → (σ(z) = …, σ'(z) = …)."""

COST_SUMS = {
    "quadratic": lambda a_j: Juxtapose(_half, SumOver(Squared(Minus(_yj, a_j)), _j)),
    "cross-entropy": lambda a_j: Neg(SumOver(Brackets(_add(
        Juxtapose(_yj, Ln(a_j)), Juxtapose(Minus(_one, _yj), Ln(Minus(_one, a_j))))), _j)),
    "log-likelihood": lambda a_j: Neg(SumOver(Juxtapose(_yj, Ln(a_j)), _j)),
}
"""Cost name → C as the sum over the output neurons j, written with the output activation
given (aᴸⱼ in the definition below, a³ⱼ in a walkthrough's row)."""

COST_FORMULAS: dict[str, tuple[Prose, Prose]] = {
    "quadratic": (_f(Chain(_C, Juxtapose(_half, SquaredNorm(Minus(_y, _aL))),
                           COST_SUMS["quadratic"](_aLj))),
                  _f(_eq(Partial(_C, _aLj), Minus(_aLj, _yj)))),
    "cross-entropy": (
        _f(_eq(_C, COST_SUMS["cross-entropy"](_aLj))),
        _f(_eq(Partial(_C, _aLj), Over(Minus(_aLj, _yj), Juxtapose(_aLj, Minus(_one, _aLj)))))),
    "log-likelihood": (
        prose(_eq(_C, COST_SUMS["log-likelihood"](_aLj)), ", that is ",
              Neg(Ln(_aLj)), " for the one ", _j, " with ", _eq(_yj, _one), " (", _y,
              " is one-hot)"),
        _f(_eq(Partial(_C, _aLj), Neg(Slash(_yj, _aLj))))),
}
"""Cost name → (C = …, ∂C/∂aᴸⱼ = …)."""
