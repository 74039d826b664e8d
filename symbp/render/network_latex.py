r"""LaTeX for ``symbp network``: the derivation of BP1–BP4 and the numeric walkthrough.

Both records are first turned into :class:`~symbp.render.tex.document.Part` s
(:mod:`~symbp.render.tex.network_document`) — headings, prose (text with
``$…$`` math), ``align*`` rows (laid out by :func:`~symbp.render.tex.document.layout`) and
tables with math cells — which this module writes as LaTeX and
:mod:`~symbp.render.network_markdown` as Markdown, so the two show the same rows and
the same numbers.  Numbers are the terminal's (6 significant digits, negative factors
in parentheses); big networks are summarized as there unless the record is ``full``
(both write the records of :mod:`symbp.network.steps`).

:func:`to_latex` gives a fragment of ``align*`` blocks (each preceded by a comment
naming it) or, with ``standalone=True``, a complete ``article`` that compiles with
pdflatex (amsmath, amssymb, geometry).
"""

from __future__ import annotations

import re
import unicodedata

from ..network.prose import Prose
from ..network.records import NetworkDerivation, NetworkWalkthrough
from . import network_prose
from .latex import PREAMBLE
from .tex import math as tex
from .tex.document import Part, block
from .tex.network_document import parts

__all__ = ["latex_prose", "to_latex"]


# -- LaTeX ----------------------------------------------------------------------------------------

def to_latex(record: NetworkDerivation | NetworkWalkthrough, *, standalone: bool = False) -> str:
    """The record as LaTeX: a fragment of ``align*`` blocks, or a whole document."""
    document = parts(record)
    if not standalone:
        lines = [f"% symbp network: {_comment(document[0].text)}"]
        for part in document:
            if part.kind == "math":
                lines.append(f"% {_comment(part.text)}")
                lines.append(block(part.rows))
        return "\n".join(lines) + "\n"
    body = [PREAMBLE + r"\renewcommand{\arraystretch}{1.35}", r"\begin{document}", ""]
    for part in document:
        body.append(_latex_part(part))
        body.append("")
    body.append(r"\end{document}")
    return "\n".join(body) + "\n"


def _comment(words: str | Prose) -> str:
    if isinstance(words, tuple):
        words = network_prose.unicode(words)
    return " ".join(words.split())


def _latex_part(part: Part) -> str:
    if part.kind == "title":
        return rf"\section*{{{latex_prose(part.text)}}}"
    if part.kind == "heading":
        return rf"\subsection*{{{latex_prose(part.text)}}}"
    if part.kind == "subheading":
        return rf"\paragraph{{{latex_prose(part.text)}}}"
    if part.kind == "prose":
        return latex_prose(part.text)
    if part.kind == "math":
        return block(part.rows)
    if part.kind == "list":
        items = "\n".join(rf"\item {latex_prose(item)}" for item in part.rows)
        return rf"\begin{{{part.align}}}" + "\n" + items + "\n" + rf"\end{{{part.align}}}"
    return _latex_table(part)


_WIDTHS = {"lpp": ("l", r"p{0.48\linewidth}", r"p{0.28\linewidth}")}


def _latex_table(part: Part) -> str:
    columns = _WIDTHS.get(part.align, tuple(part.align))
    head = " & ".join(rf"\textbf{{{latex_prose(h)}}}" for h in part.header) + r" \\ \hline"
    rows = [" & ".join(latex_prose(c) for c in row) + r" \\" for row in part.rows]
    return "\n".join([r"\begin{center}", r"\small", rf"\begin{{tabular}}{{{''.join(columns)}}}",
                      head, *rows, r"\end{tabular}", r"\end{center}"])


_TEXT_SPECIAL = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                 "^": r"\textasciicircum{}", "—": "---", "–": "--", "’": "'", "<": r"\textless{}",
                 ">": r"\textgreater{}"}
_COMMAND = re.compile(r"(\\[A-Za-z]+\{|\\[A-Za-z]+|\\.|[{}])")


def latex_prose(words: str | Prose) -> str:
    """Prose (text with ``$…$`` math and a few TeX commands we wrote) as LaTeX text: text
    characters TeX treats specially are escaped, the math and our commands kept.  Runs
    (:data:`~symbp.network.prose.Prose`) are printed by :func:`network_prose.latex`."""
    if isinstance(words, tuple):
        return network_prose.latex(words)
    out = []
    for k, chunk in enumerate(words.split("$")):
        if k % 2:
            out.append(f"${chunk}$")
            continue
        for piece in _COMMAND.split(chunk):
            if _COMMAND.fullmatch(piece or " "):
                out.append(piece)
            else:
                out.append("".join(_TEXT_SPECIAL.get(c, c if c.isascii() else
                                                     _non_ascii_text(c)) for c in piece))
    return "".join(out)


def _non_ascii_text(ch: str) -> str:
    math = tex.unicode_math(ch)
    if math == "?":
        math = unicodedata.normalize("NFKD", ch)[:1] or "?"
    return f"${math}$"
