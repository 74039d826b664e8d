r"""The explanation as a short document (:class:`~symbp.render.tex.document.Part` s) for
Markdown: the facts in one paragraph, tables for nodes, edges and costs, the derivations'
rows (:func:`~symbp.render.tex.explain_document.rows`, the LaTeX article's) as display math,
and the checks as the network's documents list them.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...core.printing import plural
from ...explanation.records import Explanation
from ...network.prose import Code, Math, Prose, Strong, Text, joined
from ...network.symbols import Adjoint, Chain, Edge, Partial
from ...summary import summarize
from .. import marks
from . import explain_chains as chains
from . import explain_math as em
from .document import Part
from .explain_document import rows
from .explain_leads import point, program, title, u, v, words, x
from .network_math import checks_parts

__all__ = ["summary"]


def summary(ex: Explanation) -> list[Part]:
    """The document: title, facts, notation, a section a shown phase, then the remarks."""
    parts = list(_header(ex))
    for key in ex.sections:
        parts.extend(_SECTIONS[key](ex))
    remarks: list[Prose] = [*((Strong("warning:"), Text(f" {w}")) for w in ex.warnings),
                            *((Text(f"note: {n}"),) for n in ex.notes)]
    if remarks:
        parts.append(Part("list", rows=tuple(remarks), align="itemize"))
    return parts


def _more(hidden: int, what: str) -> Prose:
    """``… 3 more edges (use `--full` to show all)``: the option as code."""
    before, option, after = marks.more_words(hidden, what, lambda o: f"\0{o}\0").split("\0")
    return (Text(f"… {hidden:,} {before}"), Code(option), Text(after))


def _value(value) -> Prose:
    """A value in a table cell: ``$\\sin(2) \\approx 0.909$`` (no leading ``=``)."""
    return () if value is None else words(em.valued(value))


def _header(ex: Explanation) -> Iterator[Part]:
    graph = ex.graph
    yield title(ex)
    facts: list[Prose] = []
    if ex.point is not None:
        facts.append(words("At ", point(ex, "spaces"), "."))
    formulas = program(ex)
    if formulas is not None:
        facts.append((Text("Program: "), *joined([(Math(f, as_written=True),) for f in formulas]),
                      Text(".")))
    facts.append(words("Output: ", em.output(ex), "."))
    facts.append((Text(f"{plural(len(graph.nodes), 'node')} "
                       f"({plural(len(graph.inputs), 'input')}), "
                       f"{plural(len(graph.edges), 'edge')}."),))
    yield Part("prose", joined(facts, " "))
    yield Part("prose", words(
        "Notation: ", Partial(v, u), " is the local partial on the edge ", Edge(u, v), "; ",
        Adjoint(v, x), " is a total derivative (a tangent in forward mode, an adjoint in reverse "
        "mode)."))


def _section(title: str, lead: Prose) -> Iterator[Part]:
    yield Part("heading", (Text(title),))
    yield Part("prose", lead)


def _graph(ex: Explanation) -> Iterator[Part]:
    graph = ex.graph
    yield from _section("Computational graph", words("Nodes in evaluation order."))
    shown, hidden = summarize(list(graph.nodes), ex.full)
    header = ("node", "formula", "value", "") if ex.values else ("node", "formula", "")
    body = []
    for node in shown:
        kind = "input" if node.is_input else ("output" if node.name == graph.output else "")
        formula = (Text("input"),) if node.is_input else (
            Math(graph.formula(node.name), as_written=True),)
        value = (_value(ex.values[node.name]),) if ex.values else ()
        body.append((words(em.name(ex, node.name)), formula, *value, (Text(kind),)))
    yield Part("table", header=tuple((Text(h),) for h in header), rows=tuple(body))
    if hidden:
        yield Part("prose", _more(hidden, "node"))


def _partials(ex: Explanation) -> Iterator[Part]:
    yield from _section("Local partials", words("One per edge, from the rule table."))
    shown, hidden = summarize(list(ex.partials), ex.full)
    header = ("edge", "rule", "local partial") + (("value",) if ex.values else ())
    body = []
    for p in shown:
        partial = em.partial(ex, p.edge)
        value = (_value(p.value),) if ex.values else ()
        body.append((words(em.edge(ex, p.edge)), (Text(p.rule),),
                     words(Chain(partial, p.expr)), *value))
    yield Part("table", header=tuple((Text(h),) for h in header), rows=tuple(body))
    if hidden:
        yield Part("prose", _more(hidden, "edge"))


def _paths(ex: Explanation) -> Iterator[Part]:
    out, wrt = em.name(ex, ex.graph.output), em.any_input(ex)
    yield from _section("Sum over paths", words(
        Adjoint(out, wrt), " is the sum, over every path from the input ", wrt, " to ", out,
        ", of the product of the local partials along the path."))
    yield Part("math", "Sum over paths", tuple(rows(ex, "paths")))


def _forward(ex: Explanation) -> Iterator[Part]:
    yield from _section("Forward mode", words(
        "Seeded at each input ", x, " with ", Chain(Adjoint(x, x), 1), "; each edge pushes a "
        "tangent forward."))
    yield Part("math", "Forward mode", tuple(rows(ex, "forward")))


def _reverse(ex: Explanation) -> Iterator[Part]:
    out = em.name(ex, ex.graph.output)
    yield from _section("Reverse mode (backpropagation)", words(
        "Seeded at the output with ", Chain(Adjoint(out, out), 1), "; each total is stored "
        "once, then reused."))
    yield Part("math", "Reverse mode", tuple(rows(ex, "reverse")))


def _cost(ex: Explanation) -> Iterator[Part]:
    yield from _section("Cost", words("Multiplications and additions; products with the "
                                        "seed 1 are free."))
    body = tuple(((Text(label),), (Text(f"{mul:,}"),), (Text(f"{add:,}"),),
                  (Text(f"{total:,}"),))
                 for label, mul, add, total in chains.cost_rows(ex))
    yield Part("table", header=tuple((Text(h),) for h in ("method", "mul", "add", "total")),
               rows=body, align="lrrr")
    shown, hidden = chains.repeated(ex)
    if shown:
        entries = joined([words(em.partial(ex, e, slot=True), f" {plural(times, 'time')}")
                          for e, times in shown], ", ")
        more = (Text("; "), *_more(hidden, "repeated local partial")) if hidden else ()
        yield Part("prose", (Text("Repeated by the path expansion (the reverse sweep uses each "
                                  "once): "), *entries, *more, Text(".")))


def _checks(ex: Explanation) -> Iterator[Part]:
    yield from checks_parts(ex.checks, ex.ok)


_SECTIONS = {
    "graph": _graph,
    "partials": _partials,
    "paths": _paths,
    "forward": _forward,
    "reverse": _reverse,
    "cost": _cost,
    "checks": _checks,
}
