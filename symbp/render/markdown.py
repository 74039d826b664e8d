r"""Markdown: a heading per section, tables for nodes, edges and costs, and TeX math in
``$…$`` / ``$$…$$`` that GitHub and Jupyter render (MathJax).

The derivations (sum over paths, forward mode, reverse sweep) are the very rows of
the LaTeX output, in ``aligned`` blocks; the notation is the same: ∂v/∂u a local
partial, dv/dx (upright d) a total derivative.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import arguments
from ..core.printing import plural
from ..explanation.records import Explanation
from ..limits import with_long_int_text
from ..summary import summarize
from . import marks
from .tex import explain_chains as chains
from .tex import math as tex
from .tex.document import block
from .tex.explain_document import output, rows

__all__ = ["display", "escape", "math", "table", "to_markdown"]


@with_long_int_text
def to_markdown(explanation: Explanation, *, level: int = 2) -> str:
    """The explanation as Markdown; its title is a heading of ``level`` (sections one deeper)."""
    arguments.explanation(explanation, "to_markdown")
    arguments.whole_number(level, "to_markdown", "level", minimum=1)
    ex = explanation
    lines = [*_header(ex, level)]
    for key in ex.sections:
        lines.append("")
        lines.extend(_SECTIONS[key](ex, "#" * (level + 1)))
    remarks = [*(f"**warning:** {escape(w)}" for w in ex.warnings),
               *(f"note: {escape(n)}" for n in ex.notes)]
    if remarks:
        lines.append("")
        lines.extend(f"- {r}" for r in remarks)
    return "\n".join(lines) + "\n"


# -- pieces -------------------------------------------------------------------------------------

def math(tex_: str) -> str:
    """Inline math, safe inside a table cell (``|`` would end the cell)."""
    return "$" + tex_.replace("|", r"\vert ").strip() + "$"


def display(rows_: list[str]) -> list[str]:
    """Display math: the rows in one ``aligned`` block between ``$$`` lines."""
    return ["$$", block(rows_, "aligned"), "$$"]


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def escape(words: str) -> str:
    """Text with Markdown's special characters escaped (``*``, ``_``, ``|``, …)."""
    return words.translate(_MARKDOWN_SPECIAL)


def _more(hidden: int, what: str) -> str:
    return f"… {hidden:,} " + marks.more_words(hidden, what, lambda o: f"`{o}`")


def table(header: tuple[str, ...], body: list[tuple[str, ...]], align: str = "") -> list[str]:
    """A Markdown table; ``align`` has ``r`` for each right-aligned column (else ``-``)."""
    align = align or "-" * len(header)
    rule = ["---:" if a == "r" else "---" for a in align]
    return ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |",
            *("| " + " | ".join(row) + " |" for row in body)]


def _value(value) -> str:
    """A value in a table cell: ``$\\sin(2) \\approx 0.909$`` (no leading ``=``)."""
    text = chains.relations(value)
    return math(text.removeprefix("= ")) if text else ""


# -- sections -----------------------------------------------------------------------------------

def _header(ex: Explanation, level: int) -> Iterator[str]:
    graph = ex.graph
    out = tex.name(ex, graph.output)
    inputs = ", ".join(tex.name(ex, x) for x in graph.inputs)
    yield f"{'#' * level} Derivatives of {math(out)} with respect to {math(inputs)}"
    yield ""
    facts = []
    if ex.point is not None:
        at = r",\ ".join(f"{tex.name(ex, k)} {chains.relations(v)}" for k, v in ex.point.items())
        facts.append(f"At {math(at)}.")
    body = [n for n in graph.nodes if not n.is_input]
    if len(body) <= 6:
        program = "; ".join(
            math(f"{tex.name(ex, n.name)} = {tex.expr(graph.formula(n.name), as_written=True)}")
            for n in body)
        facts.append(f"Program: {program}.")
    facts.append(f"Output: {math(output(ex))}.")
    facts.append(f"{plural(len(graph.nodes), 'node')} ({plural(len(graph.inputs), 'input')}), "
                 f"{plural(len(graph.edges), 'edge')}.")
    yield " ".join(facts)
    yield ""
    local, edge, total = (math(r"\frac{\partial v}{\partial u}"), math(r"u \to v"),
                          math(r"\frac{\mathrm{d} v}{\mathrm{d} x}"))
    yield (f"Notation: {local} is the local partial on the edge {edge}; {total} is a total "
           "derivative (a tangent in forward mode, an adjoint in reverse mode).")


def _graph(ex: Explanation, h: str) -> Iterator[str]:
    graph = ex.graph
    yield f"{h} Computational graph"
    yield ""
    yield "Nodes in evaluation order."
    yield ""
    shown, hidden = summarize(list(graph.nodes), ex.full)
    header = ("node", "formula", "value", "") if ex.values else ("node", "formula", "")
    body = []
    for node in shown:
        kind = "input" if node.is_input else ("output" if node.name == graph.output else "")
        formula = "input" if node.is_input else math(
            tex.expr(graph.formula(node.name), as_written=True))
        value = (_value(ex.values[node.name]),) if ex.values else ()
        body.append((math(tex.name(ex, node.name)), formula, *value, kind))
    yield from table(header, body)
    if hidden:
        yield ""
        yield _more(hidden, "node")


def _partials(ex: Explanation, h: str) -> Iterator[str]:
    yield f"{h} Local partials"
    yield ""
    yield "One per edge, from the rule table."
    yield ""
    shown, hidden = summarize(list(ex.partials), ex.full)
    header = ("edge", "rule", "local partial") + (("value",) if ex.values else ())
    body = []
    for p in shown:
        partial = tex.local(ex, p.edge.target, p.edge.source)
        value = (_value(p.value),) if ex.values else ()
        body.append((math(chains.route(ex, [p.edge])), escape(p.rule),
                     math(f"{partial} = {tex.expr(p.expr)}"), *value))
    yield from table(header, body)
    if hidden:
        yield ""
        yield _more(hidden, "edge")


def _paths(ex: Explanation, h: str) -> Iterator[str]:
    out = tex.name(ex, ex.graph.output)
    yield f"{h} Sum over paths"
    yield ""
    x = _any_input(ex)
    total = math(rf"\frac{{\mathrm{{d}} {out}}}{{\mathrm{{d}} {x}}}")
    yield (f"{total} is the sum, over every path from the input {math(x)} to {math(out)}, "
           "of the product of the local partials along the path.")
    yield ""
    yield from display(rows(ex, "paths"))


def _any_input(ex: Explanation) -> str:
    """The input named in the lead: the one input, else a letter no node has (``x`` would be
    read as the node x in ``z = x·y``)."""
    if len(ex.paths) == 1:
        return tex.name(ex, next(iter(ex.paths)))
    return marks.any_input(ex.graph.index) or r"\xi"


def _forward(ex: Explanation, h: str) -> Iterator[str]:
    yield f"{h} Forward mode"
    yield ""
    seed = math(r"\frac{\mathrm{d} x}{\mathrm{d} x} = 1")
    yield f"Seeded at each input {math('x')} with {seed}; each edge pushes a tangent forward."
    yield ""
    yield from display(rows(ex, "forward"))


def _reverse(ex: Explanation, h: str) -> Iterator[str]:
    out = tex.name(ex, ex.graph.output)
    yield f"{h} Reverse mode (backpropagation)"
    yield ""
    seed = rf"\frac{{\mathrm{{d}} {out}}}{{\mathrm{{d}} {out}}} = 1"
    yield (f"Seeded at the output with {math(seed)}; each total is stored once, then "
           "reused.")
    yield ""
    yield from display(rows(ex, "reverse"))


def _cost(ex: Explanation, h: str) -> Iterator[str]:
    yield f"{h} Cost"
    yield ""
    yield "Multiplications and additions; products with the seed 1 are free."
    yield ""
    body = [(escape(label), f"{mul:,}", f"{add:,}", f"{total:,}")
            for label, mul, add, total in chains.cost_rows(ex)]
    yield from table(("method", "mul", "add", "total"), body, "lrrr")
    shown, hidden = chains.repeated(ex)
    if shown:
        entries = ", ".join(
            math(tex.local(ex, e.target, e.source) + chains.slot(ex, e))
            + f" {plural(times, 'time')}"
            for e, times in shown)
        more = f"; {_more(hidden, 'repeated local partial')}" if hidden else ""
        yield ""
        yield f"Repeated by the path expansion (the reverse sweep uses each once): {entries}{more}."


def _checks(ex: Explanation, h: str) -> Iterator[str]:
    yield f"{h} Checks"
    yield ""
    for check in ex.checks:
        mark = {True: marks.MARK[True], False: f"{marks.MARK[False]} **{marks.FAILED}**",
                None: marks.MARK[None]}[check.passed]
        method = f" [{escape(check.method)}]" if check.method else ""
        detail = f" — {escape(check.detail)}" if check.detail else ""
        yield f"- {mark} **{escape(check.name)}**{method}{detail}"
    if not ex.ok:
        yield ""
        yield f"**{marks.SELF_CHECK_FAILED}**"


_SECTIONS = {
    "graph": _graph,
    "partials": _partials,
    "paths": _paths,
    "forward": _forward,
    "reverse": _reverse,
    "cost": _cost,
    "checks": _checks,
}
