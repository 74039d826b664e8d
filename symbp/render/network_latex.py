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

from ..network.prose import Prose
from ..network.records import NetworkDerivation, NetworkWalkthrough
from . import network_prose
from .latex import PREAMBLE
from .tex.document import Part, block
from .tex.network_document import parts

__all__ = ["to_latex"]


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
    """A line of a TeX comment: a part's name, or a title's prose in Unicode."""
    if isinstance(words, tuple):
        words = network_prose.unicode(words)
    return " ".join(words.split())


def _latex_part(part: Part) -> str:
    if part.kind == "title":
        return rf"\section*{{{network_prose.latex(part.text)}}}"
    if part.kind == "heading":
        return rf"\subsection*{{{network_prose.latex(part.text)}}}"
    if part.kind == "subheading":
        return rf"\paragraph{{{network_prose.latex(part.text)}}}"
    if part.kind == "prose":
        return network_prose.latex(part.text)
    if part.kind == "math":
        return block(part.rows)
    if part.kind == "list":
        items = "\n".join(rf"\item {network_prose.latex(item)}" for item in part.rows)
        return rf"\begin{{{part.align}}}" + "\n" + items + "\n" + rf"\end{{{part.align}}}"
    return _latex_table(part)


_WIDTHS = {"lpp": ("l", r"p{0.48\linewidth}", r"p{0.28\linewidth}")}


def _latex_table(part: Part) -> str:
    columns = _WIDTHS.get(part.align, tuple(part.align))
    head = " & ".join(rf"\textbf{{{network_prose.latex(h)}}}" for h in part.header) + r" \\ \hline"
    rows = [" & ".join(network_prose.latex(c) for c in row) + r" \\" for row in part.rows]
    return "\n".join([r"\begin{center}", r"\small", rf"\begin{{tabular}}{{{''.join(columns)}}}",
                      head, *rows, r"\end{tabular}", r"\end{center}"])
