r"""The words of the explanation's LaTeX article, as prose runs: its heading (title, the
point, the program, the output, the graph's size, the notation) and the lead of each
section.  Their math is typeset by the explanation's TeX printer (:mod:`.math`), so it
sits in :class:`~symbp.render.tex.document.TeX` runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ...core.printing import plural
from ...explanation.records import Explanation
from ...network.prose import Emph, Prose, Strong, Text
from .. import marks
from . import explain_chains as chains
from . import math as tex
from .document import Part, TeX

__all__ = ["LEADS", "any_input", "heading", "title", "typeset"]


def typeset(words: str) -> Prose:
    """Prose from words written with ``$…$`` around their (TeX) math: a sentence of this
    module's own, never a user's text (a ``$`` in a node name cannot occur: names are
    identifiers)."""
    pieces = words.split("$")
    return tuple((TeX if i % 2 else Text)(piece) for i, piece in enumerate(pieces) if piece)


def title(ex: Explanation) -> Part:
    """``Derivatives of y with respect to a, b`` (``… to its 12 inputs`` beyond 6)."""
    graph = ex.graph
    if len(graph.inputs) <= 6:
        inputs: Prose = (TeX(", ".join(tex.name(ex, x) for x in graph.inputs)),)
    else:
        inputs = (Text(f"its {plural(len(graph.inputs), 'input')}"),)
    return Part("title", (Text("Derivatives of "), TeX(tex.name(ex, graph.output)),
                          Text(" with respect to "), *inputs))


def heading(ex: Explanation, words: str, output: str) -> Iterator[Part]:
    """The article's first parts: a comment with ``words`` (what is derived, in ASCII), the
    title, the point, the program when short, the ``output`` (TeX), the graph's size and
    the notation."""
    graph = ex.graph
    out = tex.name(ex, graph.output)
    yield Part("comment", words)
    yield title(ex)
    if ex.point is not None:
        at = r",\allowbreak\quad ".join(
            rf"{tex.name(ex, k)} {chains.relations(v)}" for k, v in ex.point.items())
        yield Part("prose", (Text("At the point "), TeX(at), Text(".")))
    body = [n for n in graph.nodes if not n.is_input]
    if len(body) <= 6:
        program = r",\allowbreak\quad ".join(
            f"{tex.name(ex, n.name)} = {tex.expr(graph.formula(n.name), as_written=True)}"
            for n in body)
        yield Part("prose", (Text("The program: "), TeX(program), Text(".")))
    yield Part("prose", (Text("The output: "), TeX(output), Text(".")))
    yield Part("prose", (Text(
        f"The graph has {plural(len(graph.nodes), 'node')} "
        f"({plural(len(graph.inputs), 'input')}) and {plural(len(graph.edges), 'edge')}."),))
    yield Part("prose", (
        Strong("Notation."),
        *typeset(r" $\frac{\partial v}{\partial u}$ is the "), Emph("local partial"),
        *typeset(r" of node $v$ with respect to its operand $u$, on the edge $u \to v$ (the "
                 r"other operands held fixed). $\frac{\mathrm{d} v}{\mathrm{d} x}$, with an "
                 "upright d, is a "), Emph("total derivative"),
        *typeset(r": the tangent carried by forward mode from the input $x$, or the adjoint "
                 r"$\frac{\mathrm{d} " + out + r"}{\mathrm{d} v}$ carried back by the reverse "
                 r"sweep from the output $" + out + r"$. A step $t \mathrel{+}= \ldots$ adds "
                 "one edge's contribution to a total.")))


def any_input(ex: Explanation) -> str:
    """The input the paths' lead speaks of, in TeX: the one input, else a letter no node has
    (``x`` would be read as the node x in ``z = x·y``), else ξ."""
    if len(ex.paths) == 1:
        return tex.name(ex, next(iter(ex.paths)))
    return marks.any_input(ex.graph.index) or r"\xi"


def _lead_paths(ex: Explanation) -> Prose:
    out = tex.name(ex, ex.graph.output)
    x = any_input(ex)
    return typeset(
        rf"The multivariate chain rule: $\frac{{\mathrm{{d}} {out}}}{{\mathrm{{d}} {x}}}$ is "
        rf"the sum, over every path from the input ${x}$ to ${out}$, of the product of the "
        r"local partials along the path.")


def _lead_reverse(ex: Explanation) -> Prose:
    out = tex.name(ex, ex.graph.output)
    d = rf"\frac{{\mathrm{{d}} {out}}}"
    return typeset(
        rf"Seed the output: ${d}{{\mathrm{{d}} {out}}} = 1$. Going back from the output, "
        rf"each edge $u \to v$ adds ${d}{{\mathrm{{d}} v}} \cdot "
        r"\frac{\partial v}{\partial u}$ to the adjoint "
        rf"${d}{{\mathrm{{d}} u}}$. An adjoint is complete before it is used: it is "
        r"computed once and reused for every edge into its node.")


LEADS: dict[str, Callable[[Explanation], Prose]] = {
    "graph": lambda ex: typeset("The nodes in evaluation order, each with its formula in its "
                                "operands" + (" and its value." if ex.values else ".")),
    "partials": lambda ex: typeset("One local partial per edge, from the table of "
                                   "differentiation rules"
                                   + (", and its value." if ex.values else ".")),
    "paths": _lead_paths,
    "forward": lambda ex: typeset(
        r"Seed one input $x$: $\frac{\mathrm{d} x}{\mathrm{d} x} = 1$. Each edge "
        r"$u \to v$ adds $\frac{\partial v}{\partial u} \cdot \frac{\mathrm{d} u}"
        r"{\mathrm{d} x}$ to the tangent $\frac{\mathrm{d} v}{\mathrm{d} x}$; one sweep per "
        "input."),
    "reverse": _lead_reverse,
    "cost": lambda ex: typeset("Multiplications and additions of each method; products with "
                               "the seed 1 are free."),
    "checks": lambda ex: typeset("Every result compared with independent methods."),
}
"""The sentence under each section's heading, by section."""
