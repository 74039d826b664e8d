r"""TeX math shared by the LaTeX and Markdown renderers: expressions, names, counts, text
inside math, and where a long formula may be broken.

Expressions are printed by SymPy's :class:`~sympy.printing.latex.LatexPrinter`
(names from the graph's symbols: ``c_1`` → ``c_{1}``, ``alpha`` → ``\alpha``); this
module only changes how products and floats look and how long formulas are broken
across lines.  Notation, the same as the terminal's:

- ``\frac{\partial v}{\partial u}`` is the *local* partial on the edge u → v;
- ``\frac{\mathrm{d} v}{\mathrm{d} x}`` is a *total* derivative carried by a sweep
  (a tangent in forward mode, an adjoint ``dy/dv`` in reverse mode).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from functools import lru_cache

import sympy
from sympy.printing.latex import LatexPrinter, translate
from sympy.printing.precedence import PRECEDENCE, precedence

from ...core.exact import ExactValue, certain
from ...core.printing import LONG_NUMBER, inline, magnitude, number, ordered_terms
from ...explanation.records import Explanation
from ..marks import FAILED, MARK
from .width import width

LINE = 76.0
"""Width of one line of display math, in :func:`~symbp.render.tex.width.width` units (≈ one
letter of 10pt math)."""
ABBREVIATE = 4
"""Lines an expression may fill before it is abbreviated (unless the explanation is full)."""


# -- expressions --------------------------------------------------------------------------------

class TexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with ``\\cdot`` products, short floats and ASCII-only names."""

    _as_ordered_terms = ordered_terms  # a sum SymPy cannot order keeps its own order

    def __init__(self, *, as_written: bool = False) -> None:
        super().__init__({"mul_symbol": "dot", "order": "none" if as_written else None})

    def _print_Float(self, expr):
        return scientific(number(expr))

    def _print_Symbol(self, expr, style="plain"):
        return _symbol(expr.name, style)

    def _print_Heaviside(self, expr, exp=None):
        # relu' = max' = min' = step: the rule table's word, as the terminal prints it
        # (SymPy's θ(x, 0) shows its internal second argument, the value at the kink)
        tex = rf"\operatorname{{step}}\left({self._print(expr.args[0])}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"


_PRINTER = TexPrinter()
_AS_WRITTEN = TexPrinter(as_written=True)


# a name is printed in every row and cell that has it, and SymPy's splitting of it into
# base, superscripts and subscripts took half of a --full Markdown document's time
@lru_cache(maxsize=1 << 16)
def _symbol(name: str, style: str) -> str:
    """A symbol's name in TeX, as both printers write it (the order does not touch it)."""
    if name.startswith("_"):  # SymPy would read "_x" as a subscript of nothing
        return r"\mathit{" + _ascii_name(name).replace("_", r"\_") + "}"
    return _ascii_name(_PRINTER._deal_with_super_sub(name, style=style))


def expr(e, *, as_written: bool = False) -> str:
    """``e`` in TeX; ``as_written`` keeps a node formula's operands in their order."""
    return (_AS_WRITTEN if as_written else _PRINTER).doprint(e)


def network_expr(e: sympy.Expr) -> str:
    """A network formula in TeX, in Nielsen's order, δ for ``delta^{l}_{j}`` (SymPy alone
    would write "delta"): SymPy's own printer, for the right-hand sides of equations."""
    names = {s: "\\" + s.name for s in e.free_symbols if s.name.startswith("delta^")}
    return sympy.latex(e, order="none", symbol_names=names)


def name(ex: Explanation, node: str) -> str:
    """A node's name in TeX: SymPy's printing of the graph's symbol (``c_{1}``, ``\\alpha``)."""
    return _PRINTER.doprint(ex.graph.symbols[node])


def local(ex: Explanation, top: str, bottom: str) -> str:
    """The local partial ∂top/∂bottom."""
    return rf"\frac{{\partial {name(ex, top)}}}{{\partial {name(ex, bottom)}}}"


def total(ex: Explanation, top: str, bottom: str) -> str:
    """The total derivative d top/d bottom."""
    return rf"\frac{{\mathrm{{d}} {name(ex, top)}}}{{\mathrm{{d}} {name(ex, bottom)}}}"


def count(n: int) -> str:
    """A count as the terminal gives it, for math mode: ``1{,}234`` with separators, or
    its magnitude (``2^{200} \\approx 1.607 \\cdot 10^{60}``) beyond 15 digits."""
    if n < 10**15:
        return f"{n:,}".replace(",", "{,}")
    mantissa, exponent = magnitude(n)
    power = n.bit_length() - 1
    exact = f"2^{{{power}}} " if n == 1 << power else ""
    return rf"{exact}\approx {mantissa} \cdot 10^{{{exponent}}}"


def scientific(text: str) -> str:
    """``1.5e-7`` → ``1.5 \\cdot 10^{-7}`` (the terminal's digits, TeX's notation); a
    number too large for its exponent, ``10^(4.34e+299)`` (:func:`~symbp.core.printing.number`),
    → ``10^{4.34 \\cdot 10^{299}}``."""
    tower = _TOWER.fullmatch(text)
    if tower is not None:
        return rf"{tower['sign']}10^{{{scientific(tower['power'])}}}"
    mantissa, _, exponent = text.partition("e")
    if not exponent:
        return text
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


_TOWER = re.compile(r"(?P<sign>-?)10\^\((?P<power>[^()]+)\)")


def _ascii_name(tex: str) -> str:
    """Unicode letters in a name (``α``) → TeX commands, so pdflatex needs no Unicode setup."""
    if tex.isascii():
        return tex
    return "".join(ch if ch.isascii() else "{" + unicode_math(ch) + "}" for ch in tex)


_MATH_SYMBOLS = {
    "∂": r"\partial", "→": r"\to", "·": r"\cdot", "≈": r"\approx", "…": r"\ldots",
    "−": "-", "×": r"\times", "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "✓": r"\checkmark",
    "✗": r"\times", "Σ": r"\Sigma", "∞": r"\infty", "±": r"\pm", "√": r"\surd",
    "⊙": r"\odot", "ᵀ": r"^{\mathsf{T}}", "′": "'",
}
_SCRIPTS = {**{c: f"_{{{d}}}" for c, d in zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True)},
            **{c: f"^{{{d}}}" for c, d in zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", strict=True)}}


def unicode_math(ch: str) -> str:
    """One non-ASCII character as math-mode TeX (``?`` when there is no sensible one)."""
    if ch in _MATH_SYMBOLS:
        return _MATH_SYMBOLS[ch]
    if ch in _SCRIPTS:
        return "{}" + _SCRIPTS[ch]
    description = unicodedata.name(ch, "")
    if description.startswith("GREEK") and " LETTER " in description:
        letter = description.split(" LETTER ")[1].lower().replace("final sigma", "varsigma")
        if "CAPITAL" in description:
            letter = letter.capitalize()
        converted = translate(letter)
        if converted != letter or len(letter) == 1:
            return converted
    base = unicodedata.normalize("NFKD", ch)[:1]
    return base if base.isascii() and base.isalnum() else "?"


def check_mark(passed: bool | None) -> str:
    """A check's mark (:data:`~symbp.render.marks.MARK`) in math mode: ``\\checkmark``,
    ``\\times`` and FAILED, or an en dash when the check did not run."""
    if passed is None:
        return r"\text{--}"
    mark = unicode_math(MARK[passed])
    return mark if passed else rf"{mark}\ \text{{{FAILED}}}"


# -- text inside math ---------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9 .,;:!?'()\[\]/+\-=*@\"]+")
_SPECIAL = {"_": r"\_", "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "{": r"\{",
            "}": r"\}", "\\": r"\backslash", "~": r"\sim", "<": "<", ">": ">", "|": r"\vert",
            "`": "`"}


def text(words: str) -> str:
    """Prose as math-mode TeX that both LaTeX and MathJax show the same way.

    Plain runs go in ``\\text{…}``; everything TeX treats specially (``_ % & ^ < >``)
    and Unicode symbols (∂, →, Greek) are written as math outside it, because
    MathJax shows the inside of ``\\text`` literally while LaTeX interprets it.
    """
    out: list[str] = []
    i = 0
    while i < len(words):
        match = _PLAIN.match(words, i)
        if match:
            chunk = match.group()
            out.append(r"\text{" + chunk.replace("--", "-{}-") + "}")
            i = match.end()
            continue
        ch = words[i]
        if ch == "^":
            power = re.match(r"\^\{?([A-Za-z0-9]+)\}?", words[i:])
            if power:
                out.append("^{" + power.group(1) + "}")
                i += len(power.group())
                continue
            out.append(r"\hat{}")
        elif ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch.isascii():
            out.append(r"\text{" + ch + "}" if ch.isprintable() else "")
        else:
            out.append("{" + unicode_math(ch) + "}")
        i += 1
    return "".join(out)


def wrapped_text(words: str, *, indent: str = "", columns: int = 84) -> list[str]:
    """Prose broken into lines of about ``columns`` characters, each as :func:`text`."""
    return [indent + text(line) for line in textwrap.wrap(words, columns) or [""]]


# -- pieces: where a formula may be broken -----------------------------------------------------

def pieces(e, *, as_written: bool = False, limit: float | None = None) -> list[str]:
    """``e`` as TeX pieces that may start a new line, each after the first with its
    operator (``+ ``, ``- ``, ``\\cdot ``).

    Only what is too wide for one line is split: a sum at its terms, a product at its
    factors, a bracketed sum inside them with ``\\bigl( … \\bigr)`` (which, unlike
    ``\\left( … \\right)``, may break).  Joined with spaces the pieces read like
    ``expr(e)``.  With ``limit`` (in lines) a longer expression is cut and ends in
    ``\\cdots``.
    """
    result = _split(_AS_WRITTEN if as_written else _PRINTER, e, "")
    return result if limit is None else _abbreviate(result, limit)


SPLIT = LINE * 0.6
"""Expressions wider than this are split into pieces."""


def _split(printer: TexPrinter, e, lead: str) -> list[str]:
    tex = printer.doprint(e)
    if width(tex) <= SPLIT or not isinstance(e, (sympy.Add, sympy.Mul)):
        return [lead + tex]
    parts: list[str] = []
    if isinstance(e, sympy.Add):
        for i, term in enumerate(printer._as_ordered_terms(e)):
            sign = ""
            if i and term.could_extract_minus_sign():
                sign, term = "- ", -term
            elif i:
                sign = "+ "
            parts += _operand(printer, term, sign, printer._needs_add_brackets(term))
    else:
        factors = list(e.as_ordered_factors())
        if factors[0] == -1 and len(factors) > 1:
            factors, lead = factors[1:], lead + "- "
        for k, f in enumerate(factors):
            op = "" if k == 0 else r"\cdot "
            parts += _operand(printer, f, op, precedence(f) < PRECEDENCE["Mul"])
    parts[0] = lead + parts[0]
    return parts


def _operand(printer: TexPrinter, e, op: str, bracket: bool) -> list[str]:
    if not bracket:
        return _split(printer, e, op)
    inner = _split(printer, e, "")
    if len(inner) == 1:
        return [op + rf"\left({inner[0]}\right)"]
    return [op + r"\bigl(" + inner[0], *inner[1:-1], inner[-1] + r" \bigr)"]


def _abbreviate(parts: list[str], lines: float) -> list[str]:
    """The pieces that fill ``lines`` lines, then ``\\cdots`` (brackets closed again)."""
    budget, used, depth = lines * LINE, 0.0, 0
    for i, part in enumerate(parts):
        used += width(part) + 0.5
        if used > budget and i:
            following = parts[i]
            op = next((o for o in ("+ ", "- ", r"\cdot ") if following.startswith(o)), "")
            return [*parts[:i], op + r"\cdots" + r" \bigr)" * depth]
        depth += part.count(r"\bigl(") - part.count(r"\bigr)")
    return parts


def factor(e) -> str:
    """One factor of a displayed product: short values as numbers, sums and negatives in
    parentheses (the terminal's ``_factor``)."""
    e = sympy.sympify(e, strict=True)
    if e.is_Rational and len(inline(e)) > LONG_NUMBER:
        tex = scientific(number(sympy.Float(e, 15)))
    elif e.is_number and not e.is_Rational:
        short = e.is_Float or len(inline(e)) > 24 or e.has(ExactValue)
        decimal = e if e.is_Float else certain(e, 15)
        if not short:
            tex = expr(e)
        else:
            tex = r"\text{(no digit certain)}" if decimal is None else scientific(number(decimal))
    else:
        tex = expr(e)
    if isinstance(e, sympy.Add) or tex.startswith("-"):
        return rf"\left({tex}\right)"
    return tex
