r"""LaTeX: every derivation as amsmath ``align*`` blocks, one per section.

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

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .. import arguments
from ..core.printing import UNCERTAIN, noun, number, plain, plural, value_links
from ..explanation.records import Explanation
from ..explanation.view import in_inputs, output_expression, output_value
from ..limits import with_long_int_text
from ..summary import summarize
from . import explain_chains as chains
from . import marks
from . import texmath as tex
from .document import Chain, Item, block, distinct, item, layout
from .texmath import text

__all__ = ["Section", "output", "rows", "sections", "to_latex"]


PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[a4paper,margin=2cm]{geometry}
\usepackage{amsmath}
\usepackage{amssymb}
\allowdisplaybreaks
\setlength{\jot}{6pt}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5\baselineskip}
"""


@dataclass(frozen=True)
class Section:
    """One section of the derivation: its title, what it shows, and its math rows."""

    key: str
    title: str
    subtitle: str
    rows: tuple[str, ...]


@with_long_int_text
def to_latex(explanation: Explanation, *, standalone: bool = False) -> str:
    """The explanation as LaTeX: a fragment of ``align*`` blocks, or a whole document."""
    arguments.explanation(explanation, "to_latex")
    arguments.flag(standalone, "to_latex", "standalone")
    if standalone:
        return _document(explanation)
    lines = [f"% symbp: {_comment(_header_words(explanation))}"]
    for section in sections(explanation):
        lines.append(f"% {section.title} {section.subtitle}".rstrip())
        lines.append(block(section.rows))
    return "\n".join(lines) + "\n"


def sections(ex: Explanation) -> list[Section]:
    """The shown sections of ``ex`` as math rows, followed by warnings and notes."""
    result = [Section(key, *_TITLES[key](ex), tuple(rows(ex, key))) for key in ex.sections]
    remarks = [
        *(f"warning: {w}" for w in ex.warnings),
        *(f"note: {n}" for n in ex.notes),
    ]
    if remarks:
        lines = [line for r in remarks for line in tex.wrapped_text(r, indent="&")]
        result.append(Section("remarks", "Remarks", "", tuple(lines)))
    return result


def rows(ex: Explanation, key: str) -> list[str]:
    """The math rows of one section (``"graph"``, ``"paths"``, …), laid out."""
    return layout(list(_BUILDERS[key](ex)))


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
    lines = [f"% {_comment(_header_words(ex))}", title]
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


def output(ex: Explanation) -> str:
    """The output and its value (or its formula in the inputs) as TeX, for a heading."""
    out = tex.name(ex, ex.graph.output)
    value = output_value(ex)
    if value is not None:
        return f"{out} {chains.relations(value)}"
    expr = output_expression(ex)
    return out if expr is None else f"{out} = {tex.expr(expr)}"


def _header_words(ex: Explanation) -> str:
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


def _comment(words: str) -> str:
    """Text for a ``%`` comment: one line."""
    return " ".join(words.split())


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
    steps, hidden = summarize(list(sweep.steps), ex.full)
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
