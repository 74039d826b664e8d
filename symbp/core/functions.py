"""SymPy functions that SymPy itself lacks: ``sigmoid``, ``relu``, ``softplus``,
``log1p``, ``expm1``; and, for node formulas only, ``log(x, b)``, ``max(x, y)`` and
``min(x, y)`` kept as written (SymPy rewrites the first and sorts the others).

They are real SymPy ``Function`` classes, so ``sympy.diff`` (one of our oracles)
differentiates them, ``evalf`` evaluates them and the printers print them.
``log1p``, ``expm1`` and ``softplus`` of a decimal are computed with mpmath's
functions of the same name at the decimal's precision (``log(1 + x)`` would lose
every digit of a tiny x); of an exact number they are the exact SymPy value
(``log1p(1/2) = log(3/2)``).

Each function of one argument carries its number forms, written once in
:mod:`symbp.core.forms`: ``float_form`` (plain floats) and ``mpmath_form`` (mpmath).
"""

from __future__ import annotations

import mpmath
import sympy
from sympy.core.function import ArgumentIndexError

from ..errors import SymbpError
from .forms import FLOAT_FORMS, MPMATH_FORMS

__all__ = ["expm1", "log1p", "log_base", "relu", "sigmoid", "softplus", "written_max",
           "written_min"]


class _NoText:
    """Refuse text arguments: ``sympy.Function`` would ``sympify`` them, which evaluates
    a string as Python (``sigmoid("__import__('os')…")``)."""

    def __new__(cls, *args, **options):
        if any(isinstance(arg, str | bytes) for arg in args):
            raise SymbpError(f"{cls.__name__} takes a SymPy expression or a number, not text; "
                             "read program text with symbp.parse")
        return super().__new__(cls, *args, **options)


class _OneArgument(_NoText):
    """A function of one argument: its float and mpmath forms are looked up by its name in
    :mod:`symbp.core.forms` (written once there), its derivative is :meth:`derivative`."""

    float_form = None
    """The function of a Python float (from :data:`symbp.core.forms.FLOAT_FORMS`)."""
    mpmath_form = None
    """The function in mpmath (from :data:`symbp.core.forms.MPMATH_FORMS`)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__name__ in FLOAT_FORMS:
            cls.float_form = staticmethod(FLOAT_FORMS[cls.__name__])
            cls.mpmath_form = staticmethod(MPMATH_FORMS[cls.__name__])

    def derivative(self):
        """f'(x) at this function's argument x."""
        raise NotImplementedError

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return self.derivative()


def _raised(base: str, exp=None) -> str:
    """LaTeX ``base`` raised to ``exp`` (SymPy's printer passes ``exp`` for ``f(x)**2``)."""
    return base if exp is None else rf"{base}^{{{exp}}}"


# SymPy's assumptions the functions share.  SymPy finds an assumption by the method's name
# (``_eval_is_positive``), so each class names the facts it has and assigns one of these.
def _argument_is_real(self):
    """As real as the argument: a function that maps the real line into itself."""
    return self.args[0].is_extended_real


def _holds_for_real_argument(self):
    """True when the argument is real (positive, nonnegative: a fact on the whole line)."""
    return True if self.args[0].is_extended_real else None


def _argument_is_finite(self):
    """As finite as the argument: a function finite wherever its argument is."""
    return self.args[0].is_finite


class sigmoid(_OneArgument, sympy.Function):
    """The logistic function σ(x) = 1 / (1 + e^(−x)); σ'(x) = σ(x)·(1 − σ(x))."""

    @classmethod
    def eval(cls, x):
        # is_zero is asked of numbers and symbols only: for a big symbolic sum (a
        # network's weighted input) SymPy's assumption system spends milliseconds
        # deducing "unknown", most of the cost of building a network's gradient.
        if (x.is_Atom or x.is_number) and x.is_zero:
            return sympy.Rational(1, 2)
        if x.is_Float:
            return cls._in_exp(x)
        return None

    @staticmethod
    def _in_exp(x):
        """The definition, 1 / (1 + e^(−x)), in SymPy's exp."""
        return 1 / (1 + sympy.exp(-x))

    def derivative(self):
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return self._in_exp(x)

    def _eval_evalf(self, prec):
        return self._in_exp(self.args[0])._eval_evalf(prec)

    _eval_is_real = _argument_is_real
    _eval_is_positive = _holds_for_real_argument

    def _latex(self, printer, exp=None):
        return _raised(rf"\sigma\left({printer._print(self.args[0])}\right)", exp)

    def _sympystr(self, printer):
        return f"sigmoid({printer._print(self.args[0])})"


class relu(_OneArgument, sympy.Function):
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

    def derivative(self):
        return sympy.Heaviside(self.args[0], 0)

    _eval_is_real = _argument_is_real
    _eval_is_nonnegative = _holds_for_real_argument

    def _eval_evalf(self, prec):
        value = self.args[0].evalf(prec)
        if value.is_extended_real:
            return sympy.Max(0, value)
        return None

    def _latex(self, printer, exp=None):
        return _operator_latex("relu", printer, self.args, exp)


def _operator_latex(name: str, printer, args, exp=None) -> str:
    """``\\operatorname{name}\\left(x\\right)`` (raised to ``exp`` if given), like relu's."""
    inner = ", ".join(printer._print(a) for a in args)
    return _raised(rf"\operatorname{{{name}}}\left({inner}\right)", exp)


def _mp_float(function, x: sympy.Float, prec: int | None = None) -> sympy.Float:
    """``function`` (an mpmath function) of a SymPy Float, at the Float's precision."""
    prec = prec or x._prec
    with mpmath.workprec(prec + 10):
        value = function(x._to_mpmath(prec + 10))
    if not isinstance(value, mpmath.mpf):  # complex: outside the domain (log1p(-2))
        return sympy.S.NaN
    return sympy.Float(value, precision=prec)


_TINY = sympy.Rational(1, 2**10)


class _Accurate(_OneArgument, sympy.Function):
    """A function of one argument with an exact SymPy form and an accurate mpmath form."""

    # float_form and mpmath_form (of an ``mpf``, at mpmath's working precision: accurate
    # for decimals) come by name from symbp.core.forms (_OneArgument)

    @classmethod
    def _exact(cls, x):  # the value of an exact number, written with SymPy's functions
        raise NotImplementedError

    keeps_tiny = False
    """log1p and expm1 keep a tiny exact argument (|x| < 2^-10) unevaluated: their point is
    accuracy there, and SymPy evaluates log(1 + 10^-30) at 15 digits to an exact 0."""

    @classmethod
    def eval(cls, x):
        if x.is_Rational:
            if cls.keeps_tiny and x != 0 and abs(x) < _TINY:
                return None  # its value comes from the mpmath form (_eval_evalf)
            return cls._exact(x)
        if x.is_Float:
            return _mp_float(cls.mpmath_form, x)
        return None

    def _eval_evalf(self, prec):
        x = self.args[0].evalf(mpmath.libmp.prec_to_dps(prec) + 5)
        if not x.is_Float:
            return None
        return _mp_float(type(self).mpmath_form, x, prec)

    def _eval_rewrite_as_tractable(self, x, **kwargs):
        return self._exact(x)

    def _latex(self, printer, exp=None):
        return _operator_latex(type(self).__name__, printer, self.args, exp)


class log1p(_Accurate):
    """log(1 + x), accurate for tiny x; defined for x > −1; log1p'(x) = 1/(1 + x)."""

    keeps_tiny = True

    @classmethod
    def _exact(cls, x):
        return sympy.log(1 + x)

    def derivative(self):
        return 1 / (1 + self.args[0])

    _eval_rewrite_as_log = _Accurate._eval_rewrite_as_tractable

    def _eval_is_extended_real(self):
        return (self.args[0] + 1).is_extended_positive or None

    def _eval_is_finite(self):
        if (self.args[0] + 1).is_extended_positive and self.args[0].is_finite:
            return True
        return None


class expm1(_Accurate):
    """e^x − 1, accurate for tiny x; expm1'(x) = e^x."""

    keeps_tiny = True

    @classmethod
    def _exact(cls, x):
        return sympy.exp(x) - 1

    def derivative(self):
        return sympy.exp(self.args[0])

    _eval_rewrite_as_exp = _Accurate._eval_rewrite_as_tractable

    _eval_is_extended_real = _argument_is_real
    _eval_is_finite = _argument_is_finite


class softplus(_Accurate):
    """log(1 + e^x), the smooth relu; softplus'(x) = σ(x).

    As PyTorch's ``softplus`` with β = 1, without its switch to x above a threshold:
    symbp computes the exact function everywhere.
    """

    @classmethod
    def _exact(cls, x):
        return sympy.log(1 + sympy.exp(x))

    def derivative(self):
        return sigmoid(self.args[0])

    _eval_rewrite_as_log = _Accurate._eval_rewrite_as_tractable

    _eval_is_extended_real = _argument_is_real
    _eval_is_positive = _holds_for_real_argument
    _eval_is_finite = _argument_is_finite


class _AsWritten(_NoText, sympy.Function):
    """A function of two operands kept as written for a node's formula (SymPy would
    rewrite or reorder it); its value and ``sympy.diff`` use SymPy's own form."""

    nargs = 2
    _shown = ""  # the name in text (``log(x, b)``, ``max(x, y)``)
    _python = ""  # the name in generated Python, when it differs (``math.log``)

    @classmethod
    def eval(cls, x, y):
        return None  # always shown as written

    def _latex_of(self, x: str, y: str) -> str:  # the LaTeX of the printed operands
        raise NotImplementedError

    def _sympystr(self, printer):
        return f"{self._shown}({printer._print(self.args[0])}, {printer._print(self.args[1])})"

    def _latex(self, printer, exp=None):
        return _raised(self._latex_of(*(printer._print(a) for a in self.args)), exp)

    def _pythoncode(self, printer):
        x, y = (printer._print(a) for a in self.args)
        return f"{self._python or self._shown}({x}, {y})"


class log_base(_AsWritten):
    """``log(x, b)``, the logarithm of x to the base b, as a node formula shows it.

    SymPy writes ``log(x, b)`` as ``log(x)/log(b)`` at once; this class keeps the
    two-argument form for display (``log(x, b)``, ``\\log_{b}(x)``), while the value and
    ``sympy.diff`` use SymPy's own ``log(x)/log(b)``.
    """

    _shown = "log"
    _python = "math.log"

    def doit(self, **hints):
        return sympy.log(*(a.doit(**hints) if hints.get("deep", True) else a
                           for a in self.args))

    def fdiff(self, argindex=1):
        x, b = self.args
        if argindex == 1:
            return 1 / (x * sympy.log(b))
        if argindex == 2:
            return -sympy.log(x) / (b * sympy.log(b) ** 2)
        raise ArgumentIndexError(self, argindex)

    def _eval_rewrite_as_log(self, x, b, **kwargs):
        return sympy.log(x) / sympy.log(b)

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.log)._eval_evalf(prec)

    def _latex_of(self, x: str, b: str) -> str:
        return rf"\log_{{{b}}}\left({x}\right)"


class _Written(_AsWritten):
    """``max``/``min`` of two operands kept in the order written, for a node's formula.

    SymPy's ``Max``/``Min`` sort their arguments (``max(x, 1)`` would show as
    ``Max(1, x)``); a node's formula reads as the user wrote it, while the node's value
    and ``sympy.diff`` use SymPy's own function (``doit``).
    """

    _sympy = None

    def doit(self, **hints):
        return type(self)._sympy(*self.args)

    def _latex_of(self, x: str, y: str) -> str:
        return rf"\{self._shown}\left({x}, {y}\right)"


class written_max(_Written):
    """``max(x, y)`` as written (SymPy's ``Max`` is its value)."""

    _shown = "max"
    _sympy = sympy.Max


class written_min(_Written):
    """``min(x, y)`` as written (SymPy's ``Min`` is its value)."""

    _shown = "min"
    _sympy = sympy.Min
