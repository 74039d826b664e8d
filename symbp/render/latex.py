r"""LaTeX: every derivation as amsmath ``align*`` blocks, one per section (the sections
and their rows come from :mod:`~symbp.render.tex.explain_document`).

:func:`to_latex` gives a fragment to paste into notes (each block preceded by a
comment naming its section); ``standalone=True`` wraps the same blocks in a complete
``article`` that compiles with pdflatex (packages: amsmath, amssymb, geometry — all
in TeX Live's base set) with section headings and the notation explained.

Notation (stated in the document): ``\frac{\partial v}{\partial u}`` is the local
partial on the edge u → v; ``\frac{\mathrm{d} v}{\mathrm{d} x}`` with an upright d
is a total derivative carried by a sweep — the tangent dv/dx in forward mode, the
adjoint dy/dv in reverse mode.  Big graphs are summarized as in the terminal (the
first rows and a count of the rest) unless the explanation is ``full``.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import arguments
from ..core.printing import plural
from ..explanation.records import Explanation
from ..limits import with_long_int_text
from . import marks
from .tex import explain_chains as chains
from .tex import math as tex
from .tex.document import block
from .tex.explain_document import header_words, output, sections

__all__ = ["PREAMBLE", "to_latex"]


PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[a4paper,margin=2cm]{geometry}
\usepackage{amsmath}
\usepackage{amssymb}
\allowdisplaybreaks
\setlength{\jot}{6pt}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5\baselineskip}
"""


@with_long_int_text
def to_latex(explanation: Explanation, *, standalone: bool = False) -> str:
    """The explanation as LaTeX: a fragment of ``align*`` blocks, or a whole document."""
    arguments.explanation(explanation, "to_latex")
    arguments.flag(standalone, "to_latex", "standalone")
    if standalone:
        return _document(explanation)
    lines = [f"% symbp: {_comment(header_words(explanation))}"]
    for section in sections(explanation):
        lines.append(f"% {section.title} {section.subtitle}".rstrip())
        lines.append(block(section.rows))
    return "\n".join(lines) + "\n"


# -- the document ----------------------------------------------------------------------------

def _document(ex: Explanation) -> str:
    parts = [PREAMBLE, r"\begin{document}", "", _heading(ex), ""]
    for section in sections(ex):
        parts.append(rf"\subsection*{{{section.title}}}")
        if section.key in _LEADS:
            parts.append(_LEADS[section.key](ex))
        parts.append(block(section.rows))
        parts.append("")
    parts.append(r"\end{document}")
    return "\n".join(parts) + "\n"


def _heading(ex: Explanation) -> str:
    graph = ex.graph
    out = tex.name(ex, graph.output)
    if len(graph.inputs) <= 6:
        inputs = "$" + ", ".join(tex.name(ex, x) for x in graph.inputs) + "$"
    else:
        inputs = f"its {plural(len(graph.inputs), 'input')}"
    title = rf"\section*{{Derivatives of ${out}$ with respect to {inputs}}}"
    lines = [f"% {_comment(header_words(ex))}", title]
    if ex.point is not None:
        at = r",\allowbreak\quad ".join(
            rf"{tex.name(ex, k)} {chains.relations(v)}"
            for k, v in ex.point.items())
        lines.append(rf"At the point ${at}$.")
    body = [n for n in graph.nodes if not n.is_input]
    if len(body) <= 6:
        program = r",\allowbreak\quad ".join(
            f"{tex.name(ex, n.name)} = {tex.expr(graph.formula(n.name), as_written=True)}"
            for n in body)
        lines.append(rf"The program: ${program}$.")
    lines.append(rf"The output: ${output(ex)}$.")
    lines.append(
        f"The graph has {plural(len(graph.nodes), 'node')} "
        f"({plural(len(graph.inputs), 'input')}) and {plural(len(graph.edges), 'edge')}.")
    lines.append(
        r"\textbf{Notation.} $\frac{\partial v}{\partial u}$ is the \emph{local partial} of "
        r"node $v$ with respect to its operand $u$, on the edge $u \to v$ (the other operands "
        r"held fixed). $\frac{\mathrm{d} v}{\mathrm{d} x}$, with an upright d, is a "
        r"\emph{total derivative}: the tangent carried by forward mode from the input $x$, "
        r"or the adjoint $\frac{\mathrm{d} " + out + r"}{\mathrm{d} v}$ carried back by the "
        r"reverse sweep from the output $" + out + r"$. A step $t \mathrel{+}= \ldots$ adds "
        r"one edge's contribution to a total.")
    return "\n\n".join(lines)


def _comment(words: str) -> str:
    """Text for a ``%`` comment: one line."""
    return " ".join(words.split())


def _lead_paths(ex: Explanation) -> str:
    out = tex.name(ex, ex.graph.output)
    # the one input, else a letter no node has (x would be read as the node x in z = x·y)
    x = (tex.name(ex, next(iter(ex.paths))) if len(ex.paths) == 1 else
         marks.any_input(ex.graph.index) or r"\xi")
    return (rf"The multivariate chain rule: $\frac{{\mathrm{{d}} {out}}}{{\mathrm{{d}} {x}}}$ is "
            rf"the sum, over every path from the input ${x}$ to ${out}$, of the product of the "
            r"local partials along the path.")


def _lead_reverse(ex: Explanation) -> str:
    out = tex.name(ex, ex.graph.output)
    d = rf"\frac{{\mathrm{{d}} {out}}}"
    return (rf"Seed the output: ${d}{{\mathrm{{d}} {out}}} = 1$. Going back from the output, "
            rf"each edge $u \to v$ adds ${d}{{\mathrm{{d}} v}} \cdot "
            r"\frac{\partial v}{\partial u}$ to the adjoint "
            rf"${d}{{\mathrm{{d}} u}}$. An adjoint is complete before it is used: it is "
            r"computed once and reused for every edge into its node.")


_LEADS: dict[str, Callable[[Explanation], str]] = {
    "graph": lambda ex: "The nodes in evaluation order, each with its formula in its operands"
                        + (" and its value." if ex.values else "."),
    "partials": lambda ex: "One local partial per edge, from the table of differentiation "
                           "rules" + (", and its value." if ex.values else "."),
    "paths": _lead_paths,
    "forward": lambda ex: (
        r"Seed one input $x$: $\frac{\mathrm{d} x}{\mathrm{d} x} = 1$. Each edge "
        r"$u \to v$ adds $\frac{\partial v}{\partial u} \cdot \frac{\mathrm{d} u}"
        r"{\mathrm{d} x}$ to the tangent $\frac{\mathrm{d} v}{\mathrm{d} x}$; one sweep per "
        "input."),
    "reverse": _lead_reverse,
    "cost": lambda ex: "Multiplications and additions of each method; products with the seed "
                       "1 are free.",
    "checks": lambda ex: "Every result compared with independent methods.",
}
