"""Expression printers shared by the renderers.

symbp never re-implements expression printing: it subclasses SymPy's printers and
changes only how names and the multiplication sign look.
"""

from __future__ import annotations

import sympy
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.str import StrPrinter

__all__ = ["inline", "name", "number", "plain"]


class _InlinePrinter(StrPrinter):
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


_INLINE = _InlinePrinter()


def plain(expr) -> str:
    """SymPy's own ``str`` (what JSON carries and what parses back)."""
    return sympy.sstr(expr)


def inline(expr) -> str:
    """A one-line, readable form for the terminal: ``d·c₁ + α^2``."""
    text = _INLINE.doprint(expr)
    return text.replace("**", "^")


def name(text: str) -> str:
    """A node name for display: ``alpha`` → α, ``c_1`` → c₁."""
    if "{" in text or "^" in text:
        return text
    return pretty_symbol(text)


def number(value) -> str:
    """A Float shown with up to 10 significant digits, trailing zeros trimmed."""
    value = sympy.Float(value)
    if value == 0:
        return "0.0"
    text = sympy.sstr(value.evalf(10), full_prec=False)
    if "e" not in text and "." in text:
        text = text.rstrip("0")
        if text.endswith("."):
            text += "0"
    return text
