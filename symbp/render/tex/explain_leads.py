r"""The words of the explanation's LaTeX article, as prose runs: its heading (title, the
point, the program, the output, the graph's size, the notation) and the lead of each
section.  Their math is SymPy objects (:mod:`.explain_math`) in
:class:`~symbp.network.prose.Math` runs, printed by the explanation's TeX printer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import sympy

from ...core.printing import plural
from ...explanation.records import Explanation
from ...network.prose import Emph, Math, Prose, Strong, Text, prose
from ...network.symbols import Adjoint, Chain, Edge, Partial, Times
from . import explain_math as em
from .document import Part

__all__ = ["LEADS", "STEP", "heading", "point", "program", "title", "u", "v", "words", "x"]

u, v, x, t = sympy.symbols("u v x t")
"""The letters the notation speaks of: an edge u → v, an input x, a total t."""


def words(*pieces) -> Prose:
    """Prose from words (``str``) and math about the graph (SymPy objects)."""
    return prose(*pieces, graph=True)


def _names(ex: Explanation, nodes) -> list[sympy.Symbol]:
    return [em.name(ex, n) for n in nodes]


def title(ex: Explanation) -> Part:
    """``Derivatives of y with respect to a, b`` (``… to its 12 inputs`` beyond 6)."""
    graph = ex.graph
    if len(graph.inputs) <= 6:
        inputs = words(em.listed("commas", _names(ex, graph.inputs)))
    else:
        inputs = (Text(f"its {plural(len(graph.inputs), 'input')}"),)
    return Part("title", words("Derivatives of ", em.name(ex, graph.output),
                               " with respect to ", *inputs))


def program(ex: Explanation) -> list[sympy.Basic] | None:
    """Each computed node's formula, ``c = a + b``, when there are at most 6 (else None)."""
    graph = ex.graph
    body = [n.name for n in graph.nodes if not n.is_input]
    if len(body) > 6:
        return None
    return [Chain(em.name(ex, n), graph.formula(n)) for n in body]


def point(ex: Explanation, separator: str) -> sympy.Basic:
    """The point, ``a = 2, b = 1``, with the :class:`~.explain_math.Separator` named."""
    return em.listed(separator, [em.valued(value, em.name(ex, k))
                               for k, value in ex.point.items()])


STEP = em.written(t, em.Sign("increment"), em.Sign("ldots"))
"""A step of a sweep, ``t += …``."""


def heading(ex: Explanation, comment: str) -> Iterator[Part]:
    """The article's first parts: a ``comment`` (what is derived, in ASCII), the title, the
    point, the program when short, the output, the graph's size and the notation."""
    graph = ex.graph
    out = em.name(ex, graph.output)
    yield Part("comment", comment)
    yield title(ex)
    if ex.point is not None:
        yield Part("prose", words("At the point ", point(ex, "quads"), "."))
    formulas = program(ex)
    if formulas is not None:
        yield Part("prose", (Text("The program: "),
                             Math(em.listed("quads", formulas), as_written=True),
                             Text(".")))
    yield Part("prose", words("The output: ", em.output(ex), "."))
    yield Part("prose", (Text(
        f"The graph has {plural(len(graph.nodes), 'node')} "
        f"({plural(len(graph.inputs), 'input')}) and {plural(len(graph.edges), 'edge')}."),))
    yield Part("prose", words(
        Strong("Notation."), " ", Partial(v, u), " is the ", Emph("local partial"),
        " of node ", v, " with respect to its operand ", u, ", on the edge ", Edge(u, v),
        " (the other operands held fixed). ", Adjoint(v, x), ", with an upright d, is a ",
        Emph("total derivative"), ": the tangent carried by forward mode from the input ", x,
        ", or the adjoint ", Adjoint(out, v), " carried back by the reverse sweep from the "
        "output ", out, ". A step ", STEP, " adds one edge's contribution to a "
        "total."))


def _lead_paths(ex: Explanation) -> Prose:
    out, wrt = em.name(ex, ex.graph.output), em.any_input(ex)
    return words("The multivariate chain rule: ", Adjoint(out, wrt), " is the sum, over every "
                 "path from the input ", wrt, " to ", out, ", of the product of the local "
                 "partials along the path.")


def _lead_reverse(ex: Explanation) -> Prose:
    out = em.name(ex, ex.graph.output)
    return words("Seed the output: ", Chain(Adjoint(out, out), 1), ". Going back from the "
                 "output, each edge ", Edge(u, v), " adds ", Times(Adjoint(out, v), Partial(v, u)),
                 " to the adjoint ", Adjoint(out, u), ". An adjoint is complete before it is "
                 "used: it is computed once and reused for every edge into its node.")


LEADS: dict[str, Callable[[Explanation], Prose]] = {
    "graph": lambda ex: words("The nodes in evaluation order, each with its formula in its "
                              "operands" + (" and its value." if ex.values else ".")),
    "partials": lambda ex: words("One local partial per edge, from the table of "
                                 "differentiation rules"
                                 + (", and its value." if ex.values else ".")),
    "paths": _lead_paths,
    "forward": lambda ex: words(
        "Seed one input ", x, ": ", Chain(Adjoint(x, x), 1), ". Each edge ", Edge(u, v),
        " adds ", Times(Partial(v, u), Adjoint(u, x)), " to the tangent ", Adjoint(v, x),
        "; one sweep per input."),
    "reverse": _lead_reverse,
    "cost": lambda ex: words("Multiplications and additions of each method; products with "
                             "the seed 1 are free."),
    "checks": lambda ex: words("Every result compared with independent methods."),
}
"""The sentence under each section's heading, by section."""
