"""SymPy functions that SymPy itself lacks: the logistic ``sigmoid`` and ``relu``.

They are real SymPy ``Function`` classes, so ``sympy.diff`` (one of our oracles)
differentiates them, ``evalf`` evaluates them and the printers print them.
"""

from __future__ import annotations

import sympy
from sympy.core.function import ArgumentIndexError

from .errors import SymbpError

__all__ = ["relu", "sigmoid"]


class _NoText:
    """Refuse text arguments: ``sympy.Function`` would ``sympify`` them, which evaluates
    a string as Python (``sigmoid("__import__('os')…")``)."""

    def __new__(cls, *args, **options):
        if any(isinstance(arg, str | bytes) for arg in args):
            raise SymbpError(f"{cls.__name__} takes a SymPy expression or a number, not text; "
                             "read program text with symbp.parse")
        return super().__new__(cls, *args, **options)


class sigmoid(_NoText, sympy.Function):
    """The logistic function σ(x) = 1 / (1 + e^(−x)); σ'(x) = σ(x)·(1 − σ(x))."""

    @classmethod
    def eval(cls, x):
        # is_zero is asked of numbers and symbols only: for a big symbolic sum (a
        # network's weighted input) SymPy's assumption system spends milliseconds
        # deducing "unknown", most of the cost of building a network's gradient.
        if (x.is_Atom or x.is_number) and x.is_zero:
            return sympy.Rational(1, 2)
        if x.is_Float:
            return 1 / (1 + sympy.exp(-x))
        return None

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sympy.exp(-x))

    def _eval_evalf(self, prec):
        return (1 / (1 + sympy.exp(-self.args[0])))._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_extended_real

    def _eval_is_positive(self):
        if self.args[0].is_extended_real:
            return True
        return None

    def _latex(self, printer, exp=None):
        arg = printer._print(self.args[0])
        base = rf"\sigma\left({arg}\right)"
        return base if exp is None else rf"{base}^{{{exp}}}"

    def _sympystr(self, printer):
        return f"sigmoid({printer._print(self.args[0])})"


class relu(_NoText, sympy.Function):
    """The rectifier max(0, x).  Its derivative is the step function with relu'(0) = 0.

    relu is not differentiable at 0; symbp uses the convention of PyTorch and
    micrograd, relu'(0) = 0, and warns when a point lands there.
    """

    @classmethod
    def eval(cls, x):
        if x.is_extended_nonnegative:
            return x
        if x.is_extended_negative:
            return sympy.S.Zero
        return None

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return sympy.Heaviside(self.args[0], 0)

    def _eval_is_real(self):
        return self.args[0].is_extended_real

    def _eval_is_nonnegative(self):
        if self.args[0].is_extended_real:
            return True
        return None

    def _eval_evalf(self, prec):
        value = self.args[0].evalf(prec)
        if value.is_extended_real:
            return sympy.Max(0, value)
        return None

    def _latex(self, printer, exp=None):
        arg = printer._print(self.args[0])
        base = rf"\operatorname{{relu}}\left({arg}\right)"
        return base if exp is None else rf"{base}^{{{exp}}}"
