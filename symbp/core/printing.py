"""Expression printers shared by the renderers.

symbp never re-implements expression printing: it subclasses SymPy's printers and
changes only what would show SymPy's internals instead of the mathematics:

- a node formula is kept unevaluated, so ``x - 3`` is ``Add(x, Mul(-1, 3))``; SymPy
  prints that negation as ``x - 1*3``, symbp as ``x - 3`` (and ``x - (-3)``);
- ``Abs(x)`` is ``abs(x)`` in :func:`plain` (it parses back) and ``|x|`` in :func:`inline`;
  ``Max``/``Min`` are ``max``/``min``, as a program calls them;
- ``Heaviside(x, h)``, the derivative of relu, max and min, is ``step(x)`` — the word of
  the rule table ("relu' = step"); its value at 0 (h) is the rule's convention (relu'(0) =
  0, a tie of max/min gives each operand 1/2), which symbp states at such a point;
- names and the multiplication sign look like mathematics in :func:`inline`.

What :func:`plain` prints, symbp's own parser reads back to the same expression
(a hypothesis test holds it to that).
"""

from __future__ import annotations

import re
from functools import lru_cache

import mpmath
import sympy
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.printer import Printer
from sympy.printing.str import StrPrinter

from .exact import ExactValue, certain

__all__ = ["LONG_NUMBER", "UNCERTAIN", "VALUE_LIMIT", "approximate", "chain", "equals",
           "gradient_value", "inline", "magnitude", "name", "nearest_float", "noun", "num",
           "number", "ordered_terms", "plain", "plural", "value_links", "value_text"]


def ordered_terms(printer, expr, order=None) -> list:
    """A sum's terms in the order SymPy prints them — or as the sum holds them when SymPy
    cannot order them: it orders by evaluating each term's numeric factors in floats, and
    its evalf of log(1 + 10^-30) at 15 digits is an exact 0, so 1/log(1 + 10^-30) raised
    ZeroDivisionError while printing ((exp(a) - 1)/log(1 + a) at a = 10^-30).  Every
    symbp printer orders a sum's terms through here (``_as_ordered_terms``)."""
    try:
        return Printer._as_ordered_terms(printer, expr, order=order)
    except (ZeroDivisionError, OverflowError, ValueError, TypeError):
        return list(expr.args)


class _PlainPrinter(StrPrinter):
    """SymPy's ``str`` without its internals: ``x - 3``, ``abs(x)``, ``step(x)``."""

    _as_ordered_terms = ordered_terms

    def _print_Mul(self, expr):
        # a negated number, as symbp's unevaluated "x - 3" holds it (Mul(-1, 3)): SymPy
        # prints "-1*3", so that x - 3 read "x - 1*3" (other negations it prints well:
        # -x, -(x + 1), -1/c**2)
        if (len(expr.args) == 2 and expr.args[0] is sympy.S.NegativeOne
                and expr.args[1].is_Number):
            return "-" + self.parenthesize(expr.args[1], PRECEDENCE["Mul"], strict=True)
        return super()._print_Mul(expr)

    def _print_Abs(self, expr):
        return f"abs({self._print(expr.args[0])})"

    def _print_Exp1(self, expr):
        # SymPy's "E" would read back as an input named E (and e is often a node's name);
        # exp(1) is also how SymPy writes exp(2)
        return "exp(1)"

    def _print_Heaviside(self, expr):
        # relu' = step with step(0) = 0, max' = min' = step with step(0) = 1/2: the value at
        # the kink is each rule's convention, stated where a point sits on it (kink notes)
        return f"step({self._print(expr.args[0])})"

    def _print_Max(self, expr):  # max(x, y), as a program writes it (and parses back)
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Min(self, expr):
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"


_PLAIN = _PlainPrinter()
# order="none" keeps a formula's operands in the order the user wrote them (c + a stays
# c + a); derived expressions use SymPy's usual order (b + 1, not 1 + b).
_PLAIN_AS_WRITTEN = _PlainPrinter({"order": "none"})


class _InlinePrinter(_PlainPrinter):
    """One-line Unicode: Greek letters and subscripts (α, c₁), ``·`` for products."""

    def _print_Symbol(self, expr):
        return name(expr.name)

    def _print_Mul(self, expr):
        return super()._print_Mul(expr).replace("**", "^").replace("*", "·")

    def _print_Pow(self, expr, rational=False):
        text = super()._print_Pow(expr, rational)
        return text.replace("**", "^")

    def _print_Float(self, expr):
        return number(expr)

    def _print_Pi(self, expr):
        return "π"

    def _print_Abs(self, expr):
        return f"|{self._print(expr.args[0])}|"


_INLINE = _InlinePrinter()
_INLINE_AS_WRITTEN = _InlinePrinter({"order": "none"})


def plain(expr, *, as_written: bool = False) -> str:
    """SymPy's ``str`` form without its internals (what JSON carries and what symbp's
    parser reads back): ``x - 3``, ``abs(x)``.

    ``as_written`` keeps the operands of an unevaluated node formula in their order.
    """
    return (_PLAIN_AS_WRITTEN if as_written else _PLAIN).doprint(expr)


def inline(expr, *, as_written: bool = False) -> str:
    """A one-line, readable form for the terminal: ``d·c₁ + α^2``."""
    text = (_INLINE_AS_WRITTEN if as_written else _INLINE).doprint(expr)
    return text.replace("**", "^")


@lru_cache(maxsize=1 << 16)  # a renderer asks for each node's name many times (10⁴-node graphs)
def name(text: str) -> str:
    """A node name for display: ``alpha`` → α, ``c_1`` → c₁, ``w^{2}_{11}`` → w²₁₁, ``sigma'`` → σ'.

    TeX-style indices (``^{…}``, ``_{…}``) become Unicode super/subscripts when every
    character has one; otherwise the name is shown as written.
    """
    if text.endswith("'") and len(text) > 1:  # a derivative's name: sigma' → σ'
        return name(text[:-1]) + "'"
    if "{" in text or "^" in text:
        return _indexed(text)
    return pretty_symbol(text)


_INDEXED = re.compile(
    r"(?P<base>[^\^_{}]+)"
    r"(?:\^(?:\{(?P<sup>[^{}]*)\}|(?P<sup1>[^\^_{}])))?"
    r"(?:_(?:\{(?P<sub>[^{}]*)\}|(?P<sub1>[^\^_{}])))?"
)
_SUPERSCRIPT = dict(zip("0123456789+-−=()ijklnL", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁱʲᵏˡⁿᴸ", strict=True))
_SUBSCRIPT = dict(zip("0123456789+-−=()aehijklmnoprstuvx,", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ,",
                      strict=True))


def _indexed(text: str) -> str:
    """``w^{2}_{11}`` → w²₁₁ (Nielsen's w^l_{jk}); raw text if a character has no script form."""
    match = _INDEXED.fullmatch(text)
    if match is None:
        return text
    sup = match["sup"] or match["sup1"] or ""
    sub = match["sub"] or match["sub1"] or ""
    if any(c not in _SUPERSCRIPT for c in sup) or any(c not in _SUBSCRIPT for c in sub):
        return text
    return (pretty_symbol(match["base"]) + "".join(_SUPERSCRIPT[c] for c in sup)
            + "".join(_SUBSCRIPT[c] for c in sub))


def approximate(value, digits: int = 17):
    """``value`` as a decimal SymPy Float whose ``digits`` digits are certain, or ``None``.

    Python and SymPy floats are returned as they are; exact values are evaluated by
    :func:`symbp.core.exact.certain` (error-tracking evalf within a precision and time
    budget): ``None`` when the digits cannot be certified.
    """
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return sympy.Float(value)
    return certain(value, digits)


def nearest_float(value) -> float | None:
    """The nearest 64-bit float of ``value`` (``inf`` past ±1.8e308 when the decimal says
    so), or ``None`` when its digits cannot be certified (:func:`approximate`) or Python
    cannot convert them."""
    decimal = approximate(value)
    if decimal is None:
        return None
    try:
        return float(decimal)
    except (TypeError, ValueError, OverflowError):
        return None


def number(value) -> str:
    """A Float shown with up to 10 significant digits, trailing zeros trimmed."""
    value = sympy.Float(value)
    if value == 0:
        return "0.0"
    _, _, exponent, bits = value._mpf_
    if abs(exponent + bits) > 10**40:  # 10^(10^12) and beyond: the exponent is the number
        return _tower(value)
    text = sympy.sstr(value.evalf(10), full_prec=False)
    if "e" not in text and "." in text:
        text = text.rstrip("0")
        if text.endswith("."):
            text += "0"
    return text


def _tower(value: sympy.Float) -> str:
    """``10^(4.287e+9565)``: a number whose decimal exponent has more digits than a line
    holds (writing the exponent out would take seconds and say nothing)."""
    _, _, exponent, bits = value._mpf_
    with mpmath.workdps(int(abs(exponent + bits).bit_length() * 0.302) + 15):
        power = mpmath.log10(abs(value._to_mpmath(mpmath.mp.prec)))
    with mpmath.workdps(20):  # power ≈ 4.287e+9565: split it by hand (nstr would not)
        order = int(mpmath.floor(mpmath.log10(abs(power))))
        shown = f"{mpmath.nstr(power / mpmath.mpf(10) ** order, 10)}e+{order}"
    return ("-" if value < 0 else "") + f"10^({shown})"


def num(value: float) -> str:
    """A float of the network printers, to 6 significant digits: 0.524979, -0.079754,
    1.5e-07 (the LaTeX and Markdown documents show the terminal's digits)."""
    text = f"{value:.6g}"
    return "0" if text in ("-0", "0") else text


def noun(n: int, word: str) -> str:
    """``word`` for one, its plural for any other count: ``noun(1, "edge")`` is ``edge``,
    ``noun(2, "edge")`` and ``noun(0, "edge")`` are ``edges``.  Every count a renderer
    writes goes through here or :func:`plural` (no more "1 edges")."""
    return word if n == 1 else word + "s"


def plural(n: int, word: str, *, shown: str | None = None) -> str:
    """A count and its noun: ``1 edge``, ``2 edges``, ``1,234 nodes``; ``shown`` replaces
    the digits (a huge count's magnitude, a TeX form) while ``n`` still picks the noun."""
    return f"{f'{n:,}' if shown is None else shown} {noun(n, word)}"


VALUE_LIMIT = 24
"""An exact irrational value longer than this (in :func:`inline` characters) is shown by
its decimal alone (``≈ 1.546899747``), else with it (``sin(2) ≈ 0.9092974268``)."""


def value_links(value, *, limit: int = VALUE_LIMIT) -> tuple[tuple[str, sympy.Expr], ...]:
    """How every format writes a value after a derivation: ``(relation, value)`` links.

    A float or a rational is ``(("=", value),)``; an exact irrational is
    ``(("=", exact), ("≈", decimal))``, or only ``(("≈", decimal),)`` when the exact
    form is longer than ``limit``.  The terminal and the DOT labels join the links with
    :func:`chain`, LaTeX and Markdown with ``=``/``\\approx``; so no format writes
    ``= ≈``.
    """
    value = sympy.sympify(value, strict=True)
    if value.is_Float:
        return (("=", value),)
    if value.is_Rational:
        size = _size(value)
        if size is None:
            return (("=", value),)
        return (("≈", sympy.Float(value, 15)), ("note", size))
    decimal = certain(value, 15)  # every digit certain, or None
    approximate = ("≈", None if decimal is None else sympy.Float(decimal, 15))
    if value.has(ExactValue) or len(inline(value)) > limit:
        return (approximate,)
    return (("=", value), approximate)


LONG_NUMBER = 40
"""An exact rational longer than this (in characters) is summarized: ≈ 1.32e477 (478 digits)."""
UNCERTAIN = "(no digit certain)"
"""Shown after ≈ (as the link's value ``None``) when no digit can be certified within the
precision and time budget of :func:`symbp.core.exact.certain`."""


def _size(value: sympy.Rational) -> str | None:
    """``478 digits`` for a long integer, ``a fraction of 3 and 617 digits`` for a long
    fraction, ``None`` for a short one (exact numbers stay exact in JSON)."""
    p, q = len(str(abs(value.p))), len(str(value.q))
    if p + q <= LONG_NUMBER:
        return None
    return f"{p:,} digits" if value.q == 1 else f"a fraction of {p:,} and {q:,} digits"


def value_text(value, *, limit: int = VALUE_LIMIT) -> str:
    """A value for display: exact as it is (``1/2``), an irrational one with its decimal
    (``sin(2) ≈ 0.9092974268``, only ``≈ …`` when longer than ``limit``), a float to 10
    significant digits.  See :func:`value_links`."""
    words = [f"({v})" if relation == "note" else f"{relation} {_shown(v)}"
             for relation, v in value_links(value, limit=limit)]
    return " ".join(words).removeprefix("= ")


def equals(value, *, limit: int = VALUE_LIMIT) -> str:
    """A value after a name: ``= 1/2``, ``= sin(2) ≈ 0.9092974268`` or ``≈ 1.546899747``
    (never ``= ≈``)."""
    text = value_text(value, limit=limit)
    return text if text.startswith("≈ ") else "= " + text


def _shown(value) -> str:
    if value is None:
        return UNCERTAIN
    return number(value) if value.is_Float else inline(value)


def chain(*parts: str | None) -> str:
    """``lhs = a = b ≈ c``: the parts of a derivation joined by ``=``, each distinct part
    once, missing ones (``None``) left out; a part that is a :func:`value_text` starting
    with ``≈`` follows without ``=`` (``… = 2·a ≈ 1.5``, never ``= ≈``), and a value that
    repeats the part before it with its decimal replaces it (not
    ``4·sin(2) = 4·sin(2) ≈ 3.637``)."""
    shown: list[str] = []
    for part in parts:
        if part is None or part in shown:
            continue
        if shown and part.startswith(shown[-1] + " ≈ "):
            shown[-1] = part
            continue
        shown.append(part)
    text = ""
    for i, part in enumerate(shown):
        if i:
            text += " " if part.startswith("≈ ") else " = "
        text += part
    return text


def magnitude(n: int, digits: int = 4) -> tuple[str, int]:
    """``n`` ≥ 1 as ``(mantissa, exponent)`` with ``digits`` significant digits, rounded
    half up: ``magnitude(2**200)`` → ``("1.607", 60)``.

    Integer arithmetic only: a path count may have thousands of digits, beyond what a
    float holds (and beyond Python's limit on converting an int to text).
    """
    if n < 1:
        raise ValueError("magnitude() takes a positive integer")
    exponent = (n.bit_length() - 1) * 30102 // 100000  # 0.30102 < log10(2): never too big
    while 10 ** (exponent + 1) <= n:
        exponent += 1
    shift = exponent - (digits - 1)
    leading = n // 10**shift if shift >= 0 else n * 10**-shift
    if shift > 0 and 2 * (n % 10**shift) >= 10**shift:
        leading += 1  # round half up
    if leading == 10**digits:  # 9.9995… rounds up to 10.00: renormalize
        leading //= 10
        exponent += 1
    text = str(leading)
    mantissa = (text[0] + "." + text[1:]).rstrip("0").rstrip(".")
    return mantissa, exponent


def gradient_value(value, *, exact: bool = False) -> str:
    """A gradient entry for ``symbp gradient``: a float in full (it round-trips), a rational
    as :func:`value_text` shows it (in full unless longer than :data:`LONG_NUMBER`
    characters: ``≈ 1.07e301 (302 digits)``, or in full however long with ``exact``), an
    irrational exact number as :func:`value_text` shows it (``sqrt(2)/2 ≈ 0.7071067812``),
    an expression in the inputs as it is."""
    if isinstance(value, float):
        return repr(value)
    value = sympy.sympify(value, strict=True)
    if value.is_Rational:
        return inline(value) if exact else value_text(value)
    return value_text(value) if value.is_number else inline(value)
