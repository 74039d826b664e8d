r"""Prose runs (:mod:`symbp.network.prose`) printed three ways, for both commands: each
:class:`Math` run by the format's own printer — one-line Unicode for the terminal and JSON
(:func:`symbp.core.printing.inline`), LaTeX text with ``$…$`` math (``sympy.latex``) and
Markdown with the same ``$…$`` math.  Each format is one table: kind of run → how it
prints.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import sympy

from ..network.prose import Code, Emph, Math, Prose, Strong, Text
from ..network.prose import plain as unicode
from ..network.prose import plain_math as math_unicode
from .tex import math as tex

if TYPE_CHECKING:
    from ..network.records import LayerEquation

__all__ = ["escape", "latex", "latex_text", "markdown", "math_latex", "math_markdown", "math_mode",
           "math_unicode", "run_latex", "unicode", "vector_line"]


def math_markdown(tex_: str) -> str:
    """Inline math in Markdown, safe inside a table cell (``|`` would end the cell)."""
    return "$" + tex_.replace("|", r"\vert ").strip() + "$"


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def escape(words: str) -> str:
    """Text with Markdown's special characters escaped (``*``, ``_``, ``|``, …)."""
    return words.translate(_MARKDOWN_SPECIAL)


def math_latex(expr, *, in_text: bool = True) -> str:
    r"""A Math run's object in TeX (``\delta`` for ``delta^{l}_{j}``); ``in_text`` (math in a
    sentence) writes short fractions with a slash: ``\partial C/\partial w``."""
    atoms = expr.atoms(sympy.Symbol) if isinstance(expr, sympy.Basic) else ()
    names = {s: "\\" + s.name for s in atoms if s.name.startswith(("delta", "Delta"))}
    return sympy.latex(expr, order="none", symbol_names=names, fold_short_frac=in_text)


_TEXT_SPECIAL = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                 "^": r"\textasciicircum{}", "—": "---", "–": "--", "’": "'", "…": r"\ldots{}",
                 "<": r"\textless{}", ">": r"\textgreater{}", "\\": r"\textbackslash{}",
                 "{": r"\{", "}": r"\}", "$": r"\$"}


def latex_text(words: str) -> str:
    """Words as LaTeX text: the characters TeX treats specially escaped, any other
    non-ASCII one (✓, ∂) as math, so pdflatex needs no Unicode set-up."""
    return "".join(_TEXT_SPECIAL.get(c) or (c if c.isascii() else _non_ascii(c)) for c in words)


def _non_ascii(ch: str) -> str:
    math = tex.unicode_math(ch)
    if math == "?":
        return unicodedata.normalize("NFKD", ch)[:1] or "?"
    return f"${math}$"


def _breakable(code: str) -> str:
    """Typeset code with a break allowed after each slash, and after - \\_ . in a word of
    more than 16 characters (short words such as to\\_json() stay whole)."""
    words = code.replace("/", "/\x00").split("\x00")
    return r"\allowbreak{}".join(
        re.sub(r"(-|\\_|\.)", r"\1\\allowbreak{}", word) if len(word) > 16 else word
        for word in words)


_LATEX = {
    Text: latex_text,
    Emph: lambda words: rf"\emph{{{latex_text(words)}}}",
    Strong: lambda words: rf"\textbf{{{latex_text(words)}}}",
    # \texttt never hyphenates: a file name may break after a slash, and a long one after
    # its - _ . too (pytest's test_a_long_name0 folder ran 41 pt into the margin)
    Code: lambda words: r"\texttt{" + _breakable(latex_text(words)) + "}",
}

_MARKDOWN = {
    Text: escape,
    Emph: lambda words: f"*{escape(words)}*",
    Strong: lambda words: f"**{escape(words)}**",
    Code: lambda words: f"`{words}`",
}


def run_latex(run: Math) -> str:
    """A Math run in TeX: a graph's math by the explain printer (a formula as written), the
    rest by SymPy's."""
    if run.as_written or run.graph:
        return tex.expr(run.expr, as_written=run.as_written)
    return math_latex(run.expr)


def latex(runs: Prose) -> str:
    """The prose as LaTeX text with ``$…$`` math."""
    return "".join(f"${run_latex(r)}$" if isinstance(r, Math) else _LATEX[type(r)](r.text)
                   for r in runs)


def markdown(runs: Prose) -> str:
    """The prose as Markdown with ``$…$`` math (the LaTeX printer's)."""
    return "".join(math_markdown(run_latex(r)) if isinstance(r, Math)
                   else _MARKDOWN[type(r)](r.text) for r in runs)


def math_mode(runs: Prose) -> str:
    """The prose inside math mode (a note column of ``align*``): text in ``\\text{…}``."""
    return "".join(run_latex(r) if isinstance(r, Math) else tex.text(r.text) for r in runs)


def vector_line(eq: LayerEquation) -> str:
    """An instantiated equation's vector form as the terminal shows it, with the equation it
    uses and the matrix's shape: ``δ³ = ∇ₐC ⊙ σ'(z³), ∇ₐC = a³ − y``."""
    text = math_unicode(eq.vector)
    if eq.given is not None:
        text += ", " + math_unicode(eq.given)
    if eq.shape is not None:
        text += f"   ({math_unicode(eq.shape)})"
    return text
