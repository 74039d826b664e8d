"""The terminal's small pieces of ``symbp explain``: section titles, "… N more" lines,
abbreviated expressions, ∂/d notation, counts, and paths written with arrows.

Notation: ∂v/∂u is the *local* partial on the edge u → v; dv/dx is a *total*
derivative carried by a sweep.
"""

from __future__ import annotations

import sympy
from rich.console import Group, RenderableType
from rich.text import Text

from ...core.exact import ExactValue, certain
from ...core.printing import UNCERTAIN, chain, inline, magnitude, name, number, plural, value_text
from ...explanation.records import Explanation
from ...explanation.view import LONG_PATH, Ends, in_numbers, shortened
from ..marks import more_words
from .rows import Indented

MAX_INLINE = 60
"""Longest expression shown in full in a table cell; longer ones are abbreviated."""


def title(text: str, subtitle: str = "") -> RenderableType:
    """A section's title, with its subtitle dim on the next line."""
    title = Text(text, style="bold cyan")
    if not subtitle:
        return title
    return Group(title, Indented(Text(subtitle, style="dim"), 2))


def more(hidden: int, what: str) -> Text:
    """``… 12 more nodes (use --full to show all)`` under a summarized table."""
    return Text(f"… {hidden:,} {more_words(hidden, what)}", style="dim")


def short_expr(expr, *, as_written: bool = False) -> str:
    """An expression inline, cut to :data:`MAX_INLINE` characters for a table cell."""
    text = inline(expr, as_written=as_written)
    if len(text) > MAX_INLINE:
        return text[: MAX_INLINE - 1] + "…"
    return text


def derivative(top: str, bottom: str, total: bool) -> str:
    """``∂top/∂bottom`` (local) or ``dtop/dbottom`` (total)."""
    mark = "d" if total else "∂"
    return f"{mark}{name(top)}/{mark}{name(bottom)}"


def count(n: int) -> str:
    """An exact count with separators, or its magnitude when it has more than 15 digits
    (``2^200 ≈ 1.607·10^60``: integer arithmetic, a count may be far beyond floats)."""
    if n < 10**15:
        return f"{n:,}"
    mantissa, exponent = magnitude(n)
    power = n.bit_length() - 1
    exact = f"2^{power} " if n == 1 << power else ""
    return f"{exact}≈ {mantissa}·10^{exponent}"


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def slot(ex: Explanation, edge) -> str:
    """``₍₂₎`` when the edge is one of several from the same operand (``a + a``), else ``""``."""
    operands = ex.graph[edge.target].operands
    if operands.count(edge.source) < 2:
        return ""
    return f" (operand {edge.slot + 1})"


def arrow(ex: Explanation, edge) -> str:
    """``→``, or ``→₂`` when the edge is one of several from the same operand."""
    operands = ex.graph[edge.target].operands
    if operands.count(edge.source) < 2:
        return " → "
    return f" →{str(edge.slot + 1).translate(_SUBSCRIPTS)} "


def path(ex: Explanation, edges, ends: Ends = (2, 1)) -> str:
    """``a → c → e``; an arrow carries the operand slot where an edge is one of several.
    A long path shows only its ends (:func:`symbp.view.path_ends` says how much of them):
    name just those (it may have thousands of edges)."""
    cut = shortened(edges, ends)
    if cut is None:
        return _chain_of_edges(ex, edges)
    return _chain_of_edges(ex, cut[0]) + " → … → " + _chain_of_edges(ex, cut[1])


def _chain_of_edges(ex: Explanation, edges) -> str:
    parts = [name(edges[0].source)]
    for edge in edges:
        parts += [arrow(ex, edge), name(edge.target)]
    return "".join(parts)


def product(ex: Explanation, term) -> str:
    """A path's product of local partials: in symbols, in the inputs and in numbers."""
    if len(term.edges) > LONG_PATH:
        value = value_text(term.value) if term.value is not None else None
        return chain(f"product of {plural(len(term.edges), 'local partial')}", value)
    factors = "·".join(derivative(e.target, e.source, False) for e in term.edges)
    symbolic = "·".join(factor(ex.partial(e).expr) for e in term.edges)
    values = [ex.partial(e).value for e in term.edges]
    numeric = ("·".join(map(factor, values))
               if term.value is not None and in_numbers(values) else None)
    return chain(factors, symbolic, short_expr(term.product), numeric,
                 value_text(term.value) if term.value is not None else None)


def factor(expr) -> str:
    """One factor of a product: short values as numbers, sums and negatives in parentheses."""
    number_ = isinstance(expr, float) or (isinstance(expr, sympy.Basic) and expr.is_number)
    text = short_value(expr) if number_ else short_expr(expr)  # a float as 0.777…, not 17 digits
    grouped = isinstance(expr, sympy.Add) or (
        isinstance(expr, sympy.Mul) and expr.args[0].is_Number)  # 1·(2·x), not 1·2·x
    return f"({text})" if grouped or text.startswith("-") else text


def short_value(value) -> str:
    """A value short enough for a factor: exact when short, else its certain decimal."""
    value = sympy.sympify(value, strict=True)
    if value.is_Float:
        return number(value)
    text = inline(value)
    if len(text) <= 24 and not value.has(ExactValue):
        return text
    decimal = sympy.Float(value, 15) if value.is_Rational else certain(value, 15)
    return UNCERTAIN if decimal is None else number(decimal)  # a factor: its decimal alone
