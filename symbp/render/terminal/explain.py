"""The rich terminal rendering: one titled block per section.

Notation: ∂v/∂u is the *local* partial on the edge u → v; dv/dx is a *total*
derivative carried by a sweep (a tangent dv/dx in forward mode, an adjoint dy/dv in
reverse mode, y the output).  Big graphs are summarized (the first rows and a
count of the rest) unless the explanation was made with ``full=True``.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Group, RenderableType
from rich.text import Text

from ...core.printing import chain, equals, inline, name, noun, plural, value_text
from ...errors import option
from ...explanation.records import Explanation
from ...explanation.view import output_expression, output_value, path_ends
from ...limits import with_long_int_text
from ...summary import summarize
from .. import marks
from .explain_pieces import count, derivative, more, path, product, short_expr, title
from .rows import Indented, Rows
from .sweeps import cost_section, forward_section, reverse_section

__all__ = ["check_mark", "plain_text", "render", "to_text"]


@with_long_int_text
def to_text(explanation: Explanation, *, width: int = 100) -> str:
    """The terminal rendering as plain text (no colour), e.g. for ``str()`` and tests."""
    return plain_text(Group(*render(explanation)), width=width)


def plain_text(renderable: RenderableType, *, width: int = 100) -> str:
    """Any rich renderable as plain text: no colour, no trailing blanks (the console
    boundary, :func:`symbp.render.terminal.console.terminal_text`, decides both)."""
    from .console import terminal_text

    return terminal_text(renderable, width=width)


def render(ex: Explanation, *, header: bool = True) -> Iterator[RenderableType]:
    """Renderables for every shown section, in order.

    ``header=False`` leaves out the title block, for text that shows one section at a
    time (the tutorials do).
    """
    if header:
        yield _header(ex)
    for i, section in enumerate(ex.sections):
        if header or i:
            yield Text("")
        yield from _SECTIONS[section](ex)
    for warning in ex.warnings:
        yield Text(f"warning: {warning}", style="bold yellow")
    for note in ex.notes:
        yield Text(f"note: {note}", style="dim")


# -- header ------------------------------------------------------------------------------------

def _header(ex: Explanation) -> RenderableType:
    graph = ex.graph
    output = name(graph.output)
    head = Text("symbp", style="bold magenta")
    head.append(f"  ∂{output}/∂({', '.join(name(x) for x in graph.inputs)})", style="bold")
    if ex.point is not None:
        head.append("  at " + ", ".join(f"{name(k)} {equals(v)}" for k, v in ex.point.items()))
    lines: list[RenderableType] = [head]
    body = [n for n in graph.nodes if not n.is_input]
    if len(body) <= 6:
        program = "; ".join(
            f"{name(n.name)} = {short_expr(graph.formula(n.name), as_written=True)}" for n in body)
        lines.append(Text(f"program: {program}", style="dim"))
    lines.append(Text(f"output: {_output(ex)}"))
    size = (f"{plural(len(graph.nodes), 'node')} ({plural(len(graph.inputs), 'input')}), "
            f"{plural(len(graph.edges), 'edge')}.")
    lines.append(Text(size, style="dim"))
    lines.append(Text("∂v/∂u: local partial on the edge u → v;  dv/dx: total derivative",
                      style="dim"))
    return Group(*lines)


def _output(ex: Explanation) -> str:
    """``g₁ = 24.70408163`` at a point, else ``y = (x - 3)^2`` (or just ``y`` when long)."""
    out = name(ex.graph.output)
    value = output_value(ex)
    if value is not None:
        return f"{out} {equals(value)}"
    expr = output_expression(ex)
    return out if expr is None else f"{out} = {inline(expr)}"


# -- sections ----------------------------------------------------------------------------------

def _graph_section(ex: Explanation) -> Iterator[RenderableType]:
    graph = ex.graph
    yield title("Computational graph", "nodes in evaluation order")
    columns = ("node", "formula", "value", "") if ex.values else ("node", "formula", "")
    table = Rows(*columns, indent=2)
    rows, hidden = summarize(list(graph.nodes), ex.full)
    for node in rows:
        kind = "input" if node.is_input else ("output" if node.name == graph.output else "")
        formula = "(input)" if node.is_input else short_expr(graph.formula(node.name),
                                                             as_written=True)
        value = [value_text(ex.values[node.name])] if ex.values else []
        table.add_row(name(node.name), formula, *value, kind)
    yield table
    if hidden:
        yield more(hidden, "node")


def _partials_section(ex: Explanation) -> Iterator[RenderableType]:
    yield title("Local partials", "one per edge, each from a rule of the rule table")
    columns = ("edge", "rule", "local partial") + (("value",) if ex.values else ())
    table = Rows(*columns, indent=2)
    rows, hidden = summarize(ex.partials, ex.full)  # LocalPartials: made when looked at
    for p in rows:
        value = [value_text(p.value)] if ex.values else []
        table.add_row(
            f"{name(p.edge.source)} → {name(p.edge.target)}",
            p.rule,
            f"{derivative(p.edge.target, p.edge.source, False)} = {short_expr(p.expr)}",
            *value,
        )
    yield table
    if hidden:
        yield more(hidden, "edge")


def _paths_section(ex: Explanation) -> Iterator[RenderableType]:
    out = ex.graph.output
    x = _any_input(ex)
    yield title("Sum over paths", f"d{name(out)}/d{x} = Σ over paths {x} → … → {name(out)} of "
                "the product of local partials")
    for x, info in ex.paths.items():
        paths = plural(info.count, "path", shown=count(info.count))
        yield Indented(Text(f"{derivative(out, x, True)}: {paths}", style="bold"), 2)
        table = Rows("path", "product of local partials", header=False, indent=4)
        ends = path_ends([term.edges for term in info.shown])
        for i, term in enumerate(info.shown, 1):
            # paths that differ only deep inside: their ends, numbered
            label = path(ex, term.edges) if ends is None else path(ex, term.edges, ends)
            number = f"{i:>{len(str(len(info.shown)))}}. "
            table.add_row(number + label if ends is None else label, product(ex, term))
        yield table
        if info.count > len(info.shown):
            hidden = info.count - len(info.shown)
            yield Indented(Text(
                f"… {count(hidden)} more {noun(hidden, 'path')} not shown ("
                + option("max_paths", f"max_paths={ex.max_paths}", str(ex.max_paths)) + ")",
                style="dim"), 4)
        if info.sum is not None or info.value is not None:
            total = chain(derivative(out, x, True),
                          short_expr(info.sum) if info.sum is not None else None,
                          value_text(info.value) if info.value is not None else None)
            yield Indented(Text(f"sum: {total}", style="green"), 4)
        else:
            yield Indented(Text("too many paths to sum one by one; the sweeps below compute "
                                "the same sum without enumerating them", style="dim"), 4)


def _any_input(ex: Explanation) -> str:
    """The input named in the paths' subtitle: the one input, else a letter no node has
    (``x`` would be read as the node x in ``z = x·y``)."""
    if len(ex.paths) == 1:
        return name(next(iter(ex.paths)))
    return marks.any_input(ex.graph.index) or "ξ"


def check_mark(check) -> Text:
    """A check's mark (:data:`symbp.render.marks.MARK`): ✓ passed, ✗ FAILED, or – not run
    (e.g. skipped at a kink)."""
    if check.passed is True:
        return Text(marks.MARK[True], style="bold green")
    if check.passed is False:
        return Text(f"{marks.MARK[False]} {marks.FAILED}", style="bold red")
    return Text(marks.MARK[None], style="dim")


def _checks_section(ex: Explanation) -> Iterator[RenderableType]:
    yield title("Checks")
    for check in ex.checks:
        line = check_mark(check).append(" ")
        line.append(check.name, style="bold")
        if check.method:
            line.append(f"  [{check.method}]", style="dim")
        if check.detail:
            line.append(f"  {check.detail}", style="red" if check.passed is False else "")
        yield Indented(line, 2)
    if not ex.ok:
        yield Text(marks.SELF_CHECK_FAILED, style="bold red")


_SECTIONS = {
    "graph": _graph_section,
    "partials": _partials_section,
    "paths": _paths_section,
    "forward": forward_section,
    "reverse": reverse_section,
    "cost": cost_section,
    "checks": _checks_section,
}
