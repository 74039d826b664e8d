"""Jupyter display: what an :class:`~symbp.explain.Explanation` shows in a notebook.

A notebook shows the richest form it can: the interactive stepper of ``-o steps.html``
(``text/html``, each output with ids of its own), or the Markdown derivation (headings, tables
and MathJax math) with, where Graphviz is installed, the picture of the graph at
the top.  The LaTeX form (MathJax-ready ``align*`` blocks, titles as plain text) and
the bare SVG are offered too, for front ends that prefer them.
"""

from __future__ import annotations

import base64

from ..errors import SymbpError
from ..explanation.records import Explanation
from ..limits import with_long_int_text
from . import dot, prose
from .html import notebook
from .markdown import to_markdown
from .tex.document import block
from .tex.explain_document import article

__all__ = ["latex", "markdown", "mimebundle", "svg"]


@with_long_int_text
def latex(ex: Explanation) -> str:
    """The LaTeX derivation for MathJax: titles as text, math in ``align*`` blocks (no
    ``%`` comments, which MathJax would print)."""
    shown, title = [], ""
    for part in article(ex):
        if part.kind == "heading":
            title = prose.unicode(part.text)
        elif part.kind == "math":
            shown.append(f"{title}\n\n{block(part.rows)}")
    return "\n\n".join(shown) + "\n"


@with_long_int_text
def svg(ex: Explanation) -> str | None:
    """The picture of the graph, or ``None`` when Graphviz is absent or cannot draw it."""
    if dot.dot_program() is None:
        return None
    try:
        return dot.render(ex, "svg").decode("utf-8")
    except SymbpError:
        return None


@with_long_int_text
def markdown(ex: Explanation, picture: str | None = None) -> str:
    """The Markdown derivation, with the graph's picture (if any) embedded at the top."""
    text = to_markdown(ex)
    picture = svg(ex) if picture is None else picture
    if not picture:
        return text
    data = base64.b64encode(picture.encode("utf-8")).decode("ascii")
    title, _, rest = text.partition("\n")
    image = f'<img alt="the computational graph" src="data:image/svg+xml;base64,{data}"/>'
    return f"{title}\n\n{image}\n{rest}"


@with_long_int_text
def mimebundle(ex: Explanation, include=None, exclude=None) -> dict[str, str]:
    """Every form at once (each rendered only if the front end wants it)."""
    wanted = {"text/html", "text/markdown", "text/latex", "image/svg+xml", "text/plain"}
    if include:
        wanted &= set(include)
    if exclude:
        wanted -= set(exclude)
    picture = svg(ex) if wanted & {"image/svg+xml", "text/markdown"} else None
    bundle: dict[str, str] = {}
    if "text/html" in wanted:  # the stepper (front ends prefer it; the others stay)
        bundle["text/html"] = notebook(ex)
    if "text/markdown" in wanted:
        bundle["text/markdown"] = markdown(ex, picture or "")
    if "text/latex" in wanted:
        bundle["text/latex"] = latex(ex)
    if "image/svg+xml" in wanted and picture:
        bundle["image/svg+xml"] = picture
    if "text/plain" in wanted:
        bundle["text/plain"] = str(ex)
    return bundle
