r"""TeX math shared by the LaTeX and Markdown renderers.

Expressions are printed by SymPy's :class:`~sympy.printing.latex.LatexPrinter`
(names from the graph's symbols: ``c_1`` → ``c_{1}``, ``alpha`` → ``\alpha``); this
module only changes how products and floats look and how long formulas are broken
across lines.  Notation, the same as the terminal's:

- ``\frac{\partial v}{\partial u}`` is the *local* partial on the edge u → v;
- ``\frac{\mathrm{d} v}{\mathrm{d} x}`` is a *total* derivative carried by a sweep
  (a tangent in forward mode, an adjoint ``dy/dv`` in reverse mode).

Derivations are :class:`Chain` records (``lhs = item = item …`` with a note), laid
out by :func:`layout` into ``align``/``aligned`` rows no wider than :data:`LINE`.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sympy
from sympy.printing.latex import LatexPrinter, translate
from sympy.printing.precedence import PRECEDENCE, precedence

from ..core.exact import ExactValue, certain
from ..core.graph import Edge
from ..core.printing import (
    LONG_NUMBER,
    UNCERTAIN,
    inline,
    magnitude,
    noun,
    number,
    plural,
    value_links,
)
from ..explanation.records import Explanation, InputPaths, Step, Sweep
from ..explanation.view import LONG_PATH, Ends, path_ends, shortened
from .terminal import REPEATED_ROWS

__all__ = [
    "LINE",
    "Chain",
    "Item",
    "TexPrinter",
    "cost_rows",
    "count",
    "expr",
    "factor",
    "layout",
    "local",
    "name",
    "path_chains",
    "pieces",
    "relations",
    "step_chain",
    "text",
    "total",
    "value_items",
    "width",
]

LINE = 76.0
"""Width of one line of display math, in :func:`width` units (≈ one letter of 10pt math)."""
ABBREVIATE = 4
"""Lines an expression may fill before it is abbreviated (unless the explanation is full)."""


# -- expressions --------------------------------------------------------------------------------

class TexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with ``\\cdot`` products, short floats and ASCII-only names."""

    def __init__(self, *, as_written: bool = False) -> None:
        super().__init__({"mul_symbol": "dot", "order": "none" if as_written else None})

    def _print_Float(self, expr):
        return _scientific(number(expr))

    def _print_Symbol(self, expr, style="plain"):
        if expr.name.startswith("_"):  # SymPy would read "_x" as a subscript of nothing
            return r"\mathit{" + _ascii_name(expr.name).replace("_", r"\_") + "}"
        return _ascii_name(super()._print_Symbol(expr, style))

    def _print_Heaviside(self, expr, exp=None):
        # relu' = max' = min' = step: the rule table's word, as the terminal prints it
        # (SymPy's θ(x, 0) shows its internal second argument, the value at the kink)
        tex = rf"\operatorname{{step}}\left({self._print(expr.args[0])}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"


_PRINTER = TexPrinter()
_AS_WRITTEN = TexPrinter(as_written=True)


def expr(e, *, as_written: bool = False) -> str:
    """``e`` in TeX; ``as_written`` keeps a node formula's operands in their order."""
    return (_AS_WRITTEN if as_written else _PRINTER).doprint(e)


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


def _scientific(text: str) -> str:
    """``1.5e-7`` → ``1.5 \\cdot 10^{-7}`` (the terminal's digits, TeX's notation)."""
    mantissa, _, exponent = text.partition("e")
    if not exponent:
        return text
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


def _ascii_name(tex: str) -> str:
    """Unicode letters in a name (``α``) → TeX commands, so pdflatex needs no Unicode setup."""
    if tex.isascii():
        return tex
    return "".join(ch if ch.isascii() else "{" + _unicode_math(ch) + "}" for ch in tex)


_MATH_SYMBOLS = {
    "∂": r"\partial", "→": r"\to", "·": r"\cdot", "≈": r"\approx", "…": r"\ldots",
    "−": "-", "×": r"\times", "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "✓": r"\checkmark",
    "✗": r"\times", "Σ": r"\Sigma", "∞": r"\infty", "±": r"\pm", "√": r"\surd",
    "⊙": r"\odot", "ᵀ": r"^{\mathsf{T}}", "′": "'",
}
_SCRIPTS = {**{c: f"_{{{d}}}" for c, d in zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True)},
            **{c: f"^{{{d}}}" for c, d in zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", strict=True)}}


def _unicode_math(ch: str) -> str:
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
            out.append("{" + _unicode_math(ch) + "}")
        i += 1
    return "".join(out)


def wrapped_text(words: str, *, indent: str = "", columns: int = 84) -> list[str]:
    """Prose broken into lines of about ``columns`` characters, each as :func:`text`."""
    return [indent + text(line) for line in textwrap.wrap(words, columns) or [""]]


# -- widths ------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}_^]|[^\\{}_^]")
_ZERO = {r"\left", r"\right", r"\displaystyle", r"\mathrm", r"\mathsf", r"\operatorname",
         r"\mathrel", r"\limits", r"\nolimits", r"\hat"}
_WIDE = {r"\quad": 2.0, r"\qquad": 4.0, r"\,": 0.3, r"\;": 0.5, r"\:": 0.4, r"\ ": 0.5,
         r"\!": 0.0, r"\cdot": 1.5, r"\cdots": 3.0, r"\ldots": 3.0, r"\to": 2.5,
         r"\approx": 2.5, r"\sqrt": 1.0, r"\log": 3.0, r"\sin": 3.0, r"\cos": 3.0,
         r"\tan": 3.0, r"\exp": 3.0, r"\sinh": 4.0, r"\cosh": 4.0, r"\tanh": 4.0}


def width(tex: str) -> float:
    """A rough width of math-mode TeX in letters (fractions count their wider part).

    Good enough to decide where to break a line: it errs on the wide side.
    """
    tokens = _TOKEN.findall(tex)
    return _width(tokens, 0, len(tokens))[0]


def _width(tokens: list[str], i: int, end: int, scale: float = 1.0) -> tuple[float, int]:
    total_ = 0.0
    while i < end:
        token = tokens[i]
        if token == "}":
            return total_, i + 1
        w, i = _atom(tokens, i, end, scale)
        total_ += w
    return total_, i


def _group(tokens: list[str], i: int, end: int, scale: float) -> tuple[float, int]:
    """The width of one argument: a braced group or a single token."""
    while i < end and tokens[i] == " ":
        i += 1
    if i >= end:
        return 0.0, i
    if tokens[i] == "{":
        return _width(tokens, i + 1, end, scale)
    return _atom(tokens, i, end, scale)


def _atom(tokens: list[str], i: int, end: int, scale: float) -> tuple[float, int]:
    token = tokens[i]
    if token == "{":
        return _width(tokens, i + 1, end, scale)
    if token in ("_", "^"):
        return _group(tokens, i + 1, end, scale * 0.7)
    if token in (r"\frac", r"\tfrac", r"\dfrac"):
        top, i = _group(tokens, i + 1, end, scale)
        bottom, i = _group(tokens, i, end, scale)
        return max(top, bottom) + 0.6 * scale, i
    if token == r"\underbrace":
        body, i = _group(tokens, i + 1, end, scale)
        if i < end and tokens[i] == "_":
            label, i = _group(tokens, i + 1, end, scale * 0.7)
            body = max(body, label)
        return body, i
    if token in (r"\text", r"\mathrm", r"\operatorname"):
        inner, i = _group(tokens, i + 1, end, scale)
        return inner * (0.9 if token == r"\text" else 1.0), i
    if token == " ":
        return 0.0, i + 1
    if token in _ZERO:
        return 0.0, i + 1
    if token in _WIDE:
        return _WIDE[token] * scale, i + 1
    if token in "+-=<>":
        return 2.2 * scale, i + 1
    if token in ",;":
        return 0.6 * scale, i + 1
    return 1.0 * scale, i + 1


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


# -- chains and their layout -------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    """One link ``rel pieces`` of a chain (``= 1 \\cdot d``, ``\\approx 0.91``)."""

    rel: str
    pieces: tuple[str, ...]

    @property
    def tex(self) -> str:
        return " ".join(self.pieces)


@dataclass(frozen=True)
class Chain:
    """``lhs rel₁ item₁ rel₂ item₂ …`` with an optional note in a right-hand column."""

    lhs: str
    items: tuple[Item, ...]
    note: str = ""


def item(rel: str, parts: Iterable[str]) -> Item:
    """An :class:`Item` from any iterable of pieces."""
    return Item(rel, tuple(parts))


def distinct(items: Iterable[Item | None]) -> tuple[Item, ...]:
    """Each link once, missing ones dropped (``1·1 = 1``, not ``1·1 = 1·1 = 1``), as the
    terminal's chains do."""
    shown: list[Item] = []
    for link in items:
        if link is not None and link.pieces and all(s.tex != link.tex for s in shown):
            shown.append(link)
    return tuple(shown)


def layout(rows: Sequence[Chain | str], *, line: float = LINE) -> list[str]:
    """Rows of an ``align*``/``aligned`` block (without the ``\\\\`` between them).

    Chains are laid out, strings are rows already.  Notes share one right-hand column
    of the block, so the room left for the formulas is what the widest note and the
    widest left side leave over; a formula longer than that continues on the next
    row, aligned after the relation sign.
    """
    chains = [c for c in rows if isinstance(c, Chain)]
    lhs_width = max((width(c.lhs) for c in chains), default=0.0)
    note_width = max((width(c.note) for c in chains if c.note), default=0.0)
    room = max(line - lhs_width - (note_width + 3.0 if note_width else 0.0), line * 0.45)
    result: list[str] = []
    for row in rows:
        result.extend(_chain_rows(row, room) if isinstance(row, Chain) else [row])
    return result


def _chain_rows(chain: Chain, room: float) -> list[str]:
    """A chain's rows: a link moves whole to the next row when it does not fit on this
    one; only a link wider than a whole row is broken between its pieces."""
    note = f" && {chain.note}" if chain.note else ""
    if not chain.items:
        return [f"{chain.lhs} &{note}"]
    lines: list[list[str]] = [[]]
    used = 0.0
    for link in chain.items:
        tokens = [f"{link.rel} {link.pieces[0]}".strip(), *link.pieces[1:]]
        widths = [width(t) + 0.5 for t in tokens]
        if lines[-1] and used + sum(widths) > room:
            lines.append([])
            used = 0.0
        for k, (token, w) in enumerate(zip(tokens, widths, strict=True)):
            if lines[-1] and used + w > room:
                lines.append([])
                used = 2.0
                if k:  # the link goes on: indent past the relation sign
                    token = r"\quad " + token
            lines[-1].append(token)
            used += w
    rows = [f"{chain.lhs} &{' '.join(lines[0])}{note}"]
    rows.extend("&" + " ".join(tokens) for tokens in lines[1:])
    return rows


def block(rows: Sequence[str], environment: str = "align*") -> str:
    """Rows joined into one environment (``align*`` for LaTeX, ``aligned`` for Markdown)."""
    body = " \\\\\n".join(rows)
    return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"


# -- values -------------------------------------------------------------------------------------

def value_items(value) -> list[Item]:
    """A value as every format shows it (:func:`symbp.printing.value_links`): exact as it
    is, with ``\\approx`` its decimal if irrational."""
    if value is None:
        return []
    items = []
    for relation, v in value_links(value):
        if relation == "note":  # the size of a long exact number: (478 digits)
            items[-1] = Item(items[-1].rel, (*items[-1].pieces, rf"\text{{ ({v})}}"))
        elif relation == "≈":
            shown = rf"\text{{{UNCERTAIN}}}" if v is None else _scientific(number(v))
            items.append(Item(r"\approx", (shown,)))
        elif v.is_Float:
            items.append(Item("=", (_scientific(number(v)),)))
        else:
            items.append(item("=", [expr(v)] if v.is_Rational else pieces(v)))
    return items


def relations(value) -> str:
    """A value after a name: ``= \\frac{1}{2}``, ``= \\sin(2) \\approx 0.909``, ``\\approx 1.5``."""
    return " ".join(f"{i.rel} {i.tex}" for i in value_items(value))


def factor(e) -> str:
    """One factor of a displayed product: short values as numbers, sums and negatives in
    parentheses (the terminal's ``_factor``)."""
    e = sympy.sympify(e, strict=True)
    if e.is_Rational and len(inline(e)) > LONG_NUMBER:
        tex = _scientific(number(sympy.Float(e, 15)))
    elif e.is_number and not e.is_Rational:
        short = e.is_Float or len(inline(e)) > 24 or e.has(ExactValue)
        decimal = e if e.is_Float else certain(e, 15)
        if not short:
            tex = expr(e)
        else:
            tex = r"\text{(no digit certain)}" if decimal is None else _scientific(number(decimal))
    else:
        tex = expr(e)
    if isinstance(e, sympy.Add) or tex.startswith("-"):
        return rf"\left({tex}\right)"
    return tex


def _sum_of_products(products: Sequence[Sequence[str]], more: bool) -> list[str]:
    """``p₁ + p₂ + …`` with every factor a piece, so a long sum breaks between factors."""
    result: list[str] = []
    for i, factors in enumerate(products):
        for k, f in enumerate(factors):
            if k:
                result.append(r"\cdot " + f)
            elif i:
                result.append(f"- {f[1:].lstrip()}" if f.startswith("-") else f"+ {f}")
            else:
                result.append(f)
    if more:
        result.append(r"+ \cdots")
    return result


# -- derivations --------------------------------------------------------------------------------

def path_chains(ex: Explanation, x: str, info: InputPaths) -> list[Chain | str]:
    """The sum over paths for one input: each path's product of local partials, then the
    same products in symbols and in numbers, their sum and its value.  Paths longer
    than the terminal's ``LONG_PATH`` are abbreviated to their ends, as there."""
    out = ex.graph.output
    limit = None if ex.full else ABBREVIATE
    terms = [t for t in info.shown if t.edges]
    more = info.count > len(terms)
    short = all(len(t.edges) <= LONG_PATH for t in terms)
    note = rf"{count(info.count)}\ \text{{{noun(info.count, 'path')}}}"
    if info.count > len(info.shown):
        note += rf"\text{{, {len(info.shown)} shown}}"
    links: list[Item | None] = []
    if terms:
        links.append(item("=", _path_products(ex, terms, more)))
    if terms and short:
        links.append(item("=", _sum_of_products(
            [[factor(ex.partial(e).expr) for e in t.edges] for t in terms], more)))
        if more or info.sum is None or Counter(t.product for t in terms) != Counter(
                sympy.Add.make_args(info.sum)):  # else the next link only reorders it
            links.append(item("=", _sum_of_products([[expr(t.product)] for t in terms], more)))
    if info.sum is not None:
        links.append(item("=", pieces(info.sum, limit=limit)))
    if terms and short and all(t.value is not None for t in terms):
        links.append(item("=", _sum_of_products(
            [[factor(ex.partial(e).value) for e in t.edges] for t in terms], more)))
    links.extend(value_items(info.value))
    chains = [Chain(total(ex, out, x), distinct(links), note)]
    if info.sum is None and info.value is None:
        chains.extend(wrapped_text(
            "too many paths to sum one by one; the sweeps below compute the same sum "
            "without enumerating them", indent="&", columns=60))
    return chains


def arrow(ex: Explanation, edge: Edge) -> str:
    """``\\to``, or ``\\to_{2}`` when the edge is one of several from the same operand."""
    if ex.graph[edge.target].operands.count(edge.source) < 2:
        return r"\to"
    return rf"\to_{{{edge.slot + 1}}}"


def slot(ex: Explanation, edge: Edge) -> str:
    """``\\ (\\text{operand 2})`` when the edge is one of several from the same operand."""
    if ex.graph[edge.target].operands.count(edge.source) < 2:
        return ""
    return rf"\ \text{{(operand {edge.slot + 1})}}"


def route(ex: Explanation, edges: Sequence[Edge], ends: Ends = (2, 1)) -> str:
    """A path as ``a \\to c \\to e``; a long one as its two ends, as much of them as
    :func:`symbp.view.path_ends` says (the terminal's rule)."""
    cut = shortened(edges, ends)
    if cut is None:
        return _route(ex, edges)
    return rf"{_route(ex, cut[0])} \to \cdots \to {_route(ex, cut[1])}"


def _route(ex: Explanation, edges: Sequence[Edge]) -> str:
    parts = [name(ex, edges[0].source)]
    for edge in edges:
        parts += [arrow(ex, edge), name(ex, edge.target)]
    return " ".join(parts)


def _path_products(ex: Explanation, terms, more: bool) -> list[str]:
    """Each path's product of local partials, under a brace naming the path."""
    result: list[str] = []
    ends = path_ends([term.edges for term in terms])
    for i, term in enumerate(terms):
        fractions = [local(ex, e.target, e.source) for e in term.edges]
        label = route(ex, term.edges, ends)
        if len(fractions) > LONG_PATH:
            fractions = [*fractions[:2], r"\cdots", fractions[-1]]
            label += rf"\ ({len(term.edges)}\ \text{{{noun(len(term.edges), 'edge')}}})"
        product = r"\,".join(fractions)
        braced = rf"\underbrace{{{product}}}_{{{label}}}"
        result.append(("+ " if i else "") + braced)
    if more:
        result.append(r"+ \cdots")
    return result


def step_chain(ex: Explanation, sweep: Sweep, index: int, step: Step) -> Chain:
    """One edge of a sweep: ``total += carried · local = … = contribution``."""
    edge, out = step.edge, ex.graph.output
    partial = local(ex, edge.target, edge.source)
    if sweep.mode == "forward":
        target = total(ex, edge.target, sweep.seed)
        factors = [partial, total(ex, edge.source, sweep.seed)]
        symbolic = [factor(step.partial), factor(step.carried)] if step.carried is not None \
            else None
        numeric = [factor(step.partial_value), factor(step.carried_value)] \
            if step.carried_value is not None else None
    else:
        target = total(ex, out, edge.source)
        carried = total(ex, out, edge.target)
        factors = [carried, partial]
        symbolic = [factor(step.carried), factor(step.partial)] if step.carried is not None \
            else [carried, factor(step.partial)]
        numeric = [factor(step.carried_value), factor(step.partial_value)] \
            if step.carried_value is not None else None
    if step.contribution_value is not None:
        result = value_items(step.contribution_value)
    elif step.contribution is not None:
        result = [item("=", pieces(step.contribution, limit=None if ex.full else ABBREVIATE))]
    else:
        result = []
    links = [
        item(r"\mathrel{+}=", _sum_of_products([factors], False)),
        item("=", _sum_of_products([symbolic], False)) if symbolic else None,
        item("=", _sum_of_products([numeric], False)) if numeric else None,
        *result,
    ]
    return Chain(target, distinct(links), rf"{index}.\ {route(ex, [edge])}")


def quantity_items(ex: Explanation, quantity, in_inputs=None) -> list[Item]:
    """A sweep's total: its expression (if built), the same written in the inputs (when
    given: the gradient summary) and its value."""
    if quantity is None:
        return []
    links: list[Item | None] = []
    if quantity.expr is not None:
        links.append(item("=", pieces(quantity.expr, limit=None if ex.full else ABBREVIATE)))
    if in_inputs is not None:
        links.append(item("=", pieces(in_inputs)))
    links.extend(value_items(quantity.value))
    return list(distinct(links))


def cost_rows(ex: Explanation) -> list[tuple[str, int, int, int]]:
    """The cost table's rows: method, multiplications, additions, total."""
    c, n = ex.cost, len(ex.graph.inputs)
    return [
        (label, ops.mul, ops.add, ops.total)
        for label, ops in (
            ("sum over paths, path by path", c.paths),
            (f"forward mode, {plural(n, 'sweep')}", c.forward),
            ("reverse sweep, 1 sweep", c.reverse),
        )
    ]


def repeated(ex: Explanation) -> tuple[list[tuple[Edge, int]], int]:
    """The local partials the path expansion multiplies in most often (all with ``full``)
    and how many more there are."""
    ranked = sorted(ex.cost.repeated, key=lambda pair: -pair[1])
    shown = ranked if ex.full else ranked[:REPEATED_ROWS]
    return shown, len(ranked) - len(shown)


def reused(ex: Explanation) -> tuple[list[str], bool]:
    """Nodes whose stored adjoint the reverse sweep reuses for several edges (the first
    four, as the terminal lists them) and whether there are more."""
    graph = ex.graph
    nodes = [n.name for n in graph.nodes if not n.is_input and n.name != graph.output
             and len(graph.in_edges[n.name]) > 1]
    return nodes[:4], len(nodes) > 4
