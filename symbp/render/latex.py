r"""LaTeX: every derivation as amsmath ``align*`` blocks, one per section, and the printer of
the document model (:class:`~symbp.render.tex.document.Part`) both commands' documents are
made of (the explanation's in :mod:`~symbp.render.tex.explain_document`, the network's in
:mod:`~symbp.render.tex.network_document`).

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

from .. import arguments
from ..explanation.records import Explanation
from ..limits import with_long_int_text
from ..network.prose import Prose
from . import prose
from .tex.document import Part, block
from .tex.explain_document import article, header_words

__all__ = ["PREAMBLE", "comment", "document", "fragment", "part", "to_latex"]


# \emergencystretch: a spec's path in \texttt breaks only after its slashes, and a long
# directory name ("/tmp/readme-check/") left no line within TeX's tolerance, so the paragraph
# ran 20 pt into the margin; a third pass with up to 3em of stretch finds a break instead
PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[a4paper,margin=2cm]{geometry}
\usepackage{amsmath}
\usepackage{amssymb}
\allowdisplaybreaks
\setlength{\emergencystretch}{3em}
\setlength{\jot}{6pt}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5\baselineskip}
"""


@with_long_int_text
def to_latex(explanation: Explanation, *, standalone: bool = False) -> str:
    """The explanation as LaTeX: a fragment of ``align*`` blocks, or a whole document."""
    arguments.explanation(explanation, "to_latex")
    arguments.flag(standalone, "to_latex", "standalone")
    parts = article(explanation)
    if standalone:
        return document(parts)
    return fragment(parts, f"% symbp: {comment(header_words(explanation))}")


# -- parts, for both commands ------------------------------------------------------------------

def document(parts: list[Part], preamble: str = PREAMBLE) -> str:
    """The parts as a complete ``article``.  A display continues the paragraph before it
    (a blank line there would start an empty paragraph, and space above the display)."""
    body = [preamble, r"\begin{document}", ""]
    for piece in parts:
        if piece.kind == "math" and body[-1] == "":
            body.pop()
        body.append(part(piece))
        body.append("")
    body.append(r"\end{document}")
    return "\n".join(body) + "\n"


def fragment(parts: list[Part], first: str) -> str:
    """The math parts as ``align*`` blocks to paste into notes, each after a comment naming
    it; ``first`` is the fragment's first line (a comment saying what it derives)."""
    lines = [first]
    for piece in parts:
        if piece.kind == "math":
            lines.append(f"% {comment(piece.text)}")
            lines.append(block(piece.rows))
    return "\n".join(lines) + "\n"


def comment(words: str | Prose) -> str:
    """A line of a ``%`` comment: a part's words, or prose in Unicode, on one line."""
    if isinstance(words, tuple):
        words = prose.unicode(words)
    return " ".join(words.split())


_HEADINGS = {"title": "section*", "heading": "subsection*", "subheading": "paragraph"}


def part(piece: Part) -> str:
    """One part in LaTeX."""
    if piece.kind in _HEADINGS:
        return rf"\{_HEADINGS[piece.kind]}{{{prose.latex(piece.text)}}}"
    if piece.kind == "comment":
        return f"% {comment(piece.text)}"
    if piece.kind == "prose":
        return prose.latex(piece.text)
    if piece.kind == "math":
        return block(piece.rows)
    if piece.kind == "list":
        items = "\n".join(rf"\item {prose.latex(item)}" for item in piece.rows)
        return rf"\begin{{{piece.align}}}" + "\n" + items + "\n" + rf"\end{{{piece.align}}}"
    return _table(piece)


_WIDTHS = {"lpp": ("l", r"p{0.48\linewidth}", r"p{0.28\linewidth}")}


def _table(piece: Part) -> str:
    columns = _WIDTHS.get(piece.align, tuple(piece.align))
    head = (" & ".join(rf"\textbf{{{prose.latex(h)}}}" for h in piece.header)
            + r" \\ \hline")
    rows = [" & ".join(prose.latex(c) for c in row) + r" \\" for row in piece.rows]
    return "\n".join([r"\begin{center}", r"\small", rf"\begin{{tabular}}{{{''.join(columns)}}}",
                      head, *rows, r"\end{tabular}", r"\end{center}"])
