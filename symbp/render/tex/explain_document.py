r"""The explanation as a document (:class:`~symbp.render.tex.document.Part` s): a title, the
facts and the notation, then a section a phase — its heading, a lead, and its laid-out TeX
rows (graph, partials, paths, sweeps, cost, checks) — and the remarks: the article
:mod:`symbp.render.latex` prints (whole, or its math as a fragment) and Jupyter shows.
The Markdown summary (:mod:`~symbp.render.tex.explain_summary`) shows the derivations'
rows too (:func:`rows`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ...core.printing import UNCERTAIN, noun, number, plain, plural, value_links
from ...explanation.records import Explanation
from ...explanation.view import in_inputs, output_value
from ...network.prose import Text
from ...summary import summarize
from .. import marks
from . import explain_chains as chains
from . import math as tex
from .document import Chain, Item, Part, distinct, item, layout
from .explain_leads import LEADS, heading
from .math import text

__all__ = ["article", "header_words", "rows"]


def article(ex: Explanation) -> list[Part]:
    """The document: the heading (:func:`~symbp.render.tex.explain_leads.heading`), each
    shown section (heading, lead, math rows named by its title for a fragment's comment),
    then the warnings and notes."""
    parts = list(heading(ex, header_words(ex)))
    for key in ex.sections:
        title, subtitle = _TITLES[key](ex)
        parts.append(Part("heading", (Text(title),)))
        parts.append(Part("prose", LEADS[key](ex)))
        parts.append(Part("math", f"{title} {subtitle}".rstrip(), tuple(rows(ex, key))))
    remarks = [
        *(f"warning: {w}" for w in ex.warnings),
        *(f"note: {n}" for n in ex.notes),
    ]
    if remarks:
        lines = [line for r in remarks for line in tex.wrapped_text(r, indent="&")]
        parts.append(Part("heading", (Text("Remarks"),)))
        parts.append(Part("math", "Remarks", tuple(lines)))
    return parts


def rows(ex: Explanation, key: str) -> list[str]:
    """The math rows of one section (``"graph"``, ``"paths"``, …), laid out."""
    return layout(list(_BUILDERS[key](ex)))


def header_words(ex: Explanation) -> str:
    """``dy/d(x, w) at x = 2, w = 0.5; output y = 3``: the derivation in plain words, for a
    ``%`` comment or a title."""
    graph = ex.graph
    words = f"d{graph.output}/d({', '.join(graph.inputs)})"
    if ex.point is not None:
        words += " at " + ", ".join(f"{k} = {_plain(v)}" for k, v in ex.point.items())
    value = output_value(ex)
    if value is not None:
        words += f"; output {graph.output} = {_plain(value)}"
    return words


def _plain(value) -> str:
    floating = isinstance(value, float) or getattr(value, "is_Float", False)
    if floating:
        return number(value)
    links = value_links(value)
    if links[0][0] != "≈":
        return plain(value)
    # a long or uncertain value: its decimal (ASCII: this is a % comment)
    words = ["~ " + (UNCERTAIN if links[0][1] is None else number(links[0][1]))]
    words += [f"({v})" for relation, v in links[1:] if relation == "note"]
    return " ".join(words)


# -- sections --------------------------------------------------------------------------------


def _more(hidden: int, what: str) -> str:
    return rf"&\vdots\quad {tex.count(hidden)}\ " + text(marks.more_words(hidden, what))


Row = Chain | str


def _graph_rows(ex: Explanation) -> Iterator[Row]:
    graph = ex.graph
    rows, hidden = summarize(list(graph.nodes), ex.full)
    for node in rows:
        links: list[Item | None] = []
        if not node.is_input:
            links.append(item("=", tex.pieces(graph.formula(node.name), as_written=True)))
        if ex.values:
            links.extend(chains.value_items(ex.values[node.name]))
        kind = "input" if node.is_input else ("output" if node.name == graph.output else "")
        yield Chain(tex.name(ex, node.name), distinct(links),
                    rf"\text{{{kind}}}" if kind else "")
    if hidden:
        yield _more(hidden, "node")


def _partials_rows(ex: Explanation) -> Iterator[Row]:
    rows, hidden = summarize(list(ex.partials), ex.full)
    for p in rows:
        yield Chain(tex.local(ex, p.edge.target, p.edge.source),
                    distinct([item("=", tex.pieces(p.expr)), *chains.value_items(p.value)]),
                    text(p.rule))
    if hidden:
        yield _more(hidden, "edge")


def _paths_rows(ex: Explanation) -> Iterator[Row]:
    for x, info in ex.paths.items():
        yield from chains.path_chains(ex, x, info)


def _sweep_rows(ex: Explanation, sweep, seed_chain: Chain) -> Iterator[Row]:
    steps, hidden = summarize(sweep.steps, ex.full)  # Steps: made when looked at
    yield seed_chain
    yield from (chains.step_chain(ex, sweep, i, s) for i, s in enumerate(steps, 1))
    if hidden:
        yield _more(hidden, "step")


def _forward_rows(ex: Explanation) -> Iterator[Row]:
    out = ex.graph.output
    for i, (x, sweep) in enumerate(ex.forward.items()):
        if i:
            yield "&"  # a blank row between sweeps
        seed = Chain(tex.total(ex, x, x), (Item("=", ("1",)),), r"\text{seed}")
        yield from _sweep_rows(ex, sweep, seed)
        result = chains.quantity_items(ex, sweep.totals.get(out))
        yield Chain(tex.total(ex, out, x), tuple(result), r"\text{result}")


def _reverse_rows(ex: Explanation) -> Iterator[Row]:
    out = ex.graph.output
    seed = Chain(tex.total(ex, out, out), (Item("=", ("1",)),), r"\text{seed}")
    yield from _sweep_rows(ex, ex.reverse, seed)
    inputs, hidden = summarize(list(ex.graph.inputs), ex.full)
    for x in inputs:
        if x in ex.reverse.totals:
            totals = chains.quantity_items(ex, ex.reverse.totals.get(x), in_inputs(ex, x))
            yield Chain(tex.total(ex, out, x), tuple(totals),
                        r"\text{gradient}")
    nodes, more = chains.reused(ex)
    if nodes:
        entries = [rf"{tex.total(ex, out, n)}\ "
                   rf"\text{{({plural(len(ex.graph.in_edges[n]), 'edge')})}}"
                   for n in nodes] + ([r"\ldots"] if more else [])
        steps = plural(len(ex.reverse.steps), "step")
        yield rf"&\text{{{steps}, one per edge; stored totals reused:}}"
        yield from _packed(entries, r"&\qquad ", r",\ ")
    if hidden:
        yield _more(hidden, "input")


def _cost_rows(ex: Explanation) -> Iterator[Row]:
    table = [r"\text{method} & \text{mul} & \text{add} & \text{total} \\ \hline"]
    table.extend(
        rf"{text(label)} & {tex.count(mul)} & {tex.count(add)} & {tex.count(total)} \\"
        for label, mul, add, total in chains.cost_rows(ex))
    yield "&\\begin{array}{lrrr}\n" + "\n".join(table) + "\n\\end{array}"
    shown, hidden = chains.repeated(ex)
    if not shown:
        return
    yield "&" + text("repeated by the path expansion (the reverse sweep uses each once):")
    entries = [
        rf"{tex.local(ex, edge.target, edge.source)}{chains.slot(ex, edge)}\!:\ "
        rf"{tex.count(times)}\ \text{{{noun(times, 'time')}}}"
        for edge, times in shown]
    yield from _packed(entries, r"&\qquad ", r",\quad ")
    if hidden:
        yield _more(hidden, "repeated local partial")


def _packed(entries: list[str], lead: str, separator: str) -> Iterator[str]:
    """Entries joined into rows no wider than a line."""
    row: list[str] = []
    for entry in entries:
        if row and tex.width(separator.join([*row, entry])) > tex.LINE - 12:
            yield lead + separator.join(row) + separator.rstrip()
            row = []
        row.append(entry)
    if row:
        yield lead + separator.join(row)


def _checks_rows(ex: Explanation) -> Iterator[Row]:
    for check in ex.checks:
        mark = tex.check_mark(check.passed)
        method = rf"\quad {text(f'[{check.method}]')}" if check.method else ""
        yield rf"&{mark}\ {text(check.name)}{method}"
        if check.detail:
            yield from tex.wrapped_text(check.detail, indent=r"&\qquad ", columns=80)
    if not ex.ok:
        yield "&" + text(marks.SELF_CHECK_FAILED)


def _title_forward(ex: Explanation) -> tuple[str, str]:
    seeds = ", ".join(ex.forward)
    return "Forward mode", f"(seeded at {seeds}: dx/dx = 1; each edge pushes a tangent forward)"


_TITLES: dict[str, Callable[[Explanation], tuple[str, str]]] = {
    "graph": lambda ex: ("Computational graph", "(nodes in evaluation order)"),
    "partials": lambda ex: ("Local partials", "(one per edge, from the rule table)"),
    "paths": lambda ex: (
        "Sum over paths",
        f"(d{ex.graph.output}/dx = sum over paths of the product of local partials along "
        "the path)"),
    "forward": _title_forward,
    "reverse": lambda ex: (
        "Reverse mode (backpropagation)",
        f"(d{ex.graph.output}/d{ex.graph.output} = 1; each total is stored once, then "
        "reused)"),
    "cost": lambda ex: ("Cost", "(multiplications and additions; products with the seed 1 "
                                "are free)"),
    "checks": lambda ex: ("Checks", ""),
}
_BUILDERS: dict[str, Callable[[Explanation], Iterator[Row]]] = {
    "graph": _graph_rows,
    "partials": _partials_rows,
    "paths": _paths_rows,
    "forward": _forward_rows,
    "reverse": _reverse_rows,
    "cost": _cost_rows,
    "checks": _checks_rows,
}
