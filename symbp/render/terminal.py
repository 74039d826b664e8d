"""The rich terminal rendering: one titled block per section.

Notation: ∂v/∂u is the *local* partial on the edge u → v; dv/dx is a *total*
derivative carried by a sweep (a tangent dv/dx in forward mode, an adjoint dy/dv in
reverse mode, y the output).  Big graphs are summarized (the first rows and a
count of the rest) unless the explanation was made with ``full=True``.
"""

from __future__ import annotations

from collections.abc import Iterator

import sympy
from rich.console import Group, RenderableType
from rich.text import Text

from ..core.exact import ExactValue, certain
from ..core.printing import (
    UNCERTAIN,
    chain,
    equals,
    inline,
    magnitude,
    name,
    noun,
    number,
    plural,
    value_text,
)
from ..explanation.records import Explanation, Step, Sweep
from ..explanation.view import (
    LONG_PATH,
    Ends,
    in_inputs,
    output_expression,
    output_value,
    path_ends,
    shortened,
)
from ..limits import with_long_int_text
from ..summary import summarize
from .rows import Indented, Rows

__all__ = ["SELF_CHECK_FAILED", "check_mark", "plain_text", "render", "to_text"]

MAX_INLINE = 60
"""Longest expression shown in full in a table cell; longer ones are abbreviated."""


@with_long_int_text
def to_text(explanation: Explanation, *, width: int = 100) -> str:
    """The terminal rendering as plain text (no colour), e.g. for ``str()`` and tests."""
    return plain_text(Group(*render(explanation)), width=width)


def plain_text(renderable: RenderableType, *, width: int = 100) -> str:
    """Any rich renderable as plain text: no colour, no trailing blanks (the console
    boundary, :func:`symbp.render.console.terminal_text`, decides both)."""
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


# -- pieces ----------------------------------------------------------------------------------

def _title(text: str, subtitle: str = "") -> RenderableType:
    title = Text(text, style="bold cyan")
    if not subtitle:
        return title
    return Group(title, Indented(Text(subtitle, style="dim"), 2))



def _more(hidden: int, what: str) -> Text:
    return Text(f"… {hidden:,} more {noun(hidden, what)} (use --full to show all)", style="dim")


def _expr(expr, *, as_written: bool = False) -> str:
    text = inline(expr, as_written=as_written)
    if len(text) > MAX_INLINE:
        return text[: MAX_INLINE - 1] + "…"
    return text


_value = value_text


def _d(top: str, bottom: str, total: bool) -> str:
    mark = "d" if total else "∂"
    return f"{mark}{name(top)}/{mark}{name(bottom)}"


_chain = chain


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
            f"{name(n.name)} = {_expr(graph.formula(n.name), as_written=True)}" for n in body)
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
    yield _title("Computational graph", "nodes in evaluation order")
    columns = ("node", "formula", "value", "") if ex.values else ("node", "formula", "")
    table = Rows(*columns, indent=2)
    rows, hidden = summarize(list(graph.nodes), ex.full)
    for node in rows:
        kind = "input" if node.is_input else ("output" if node.name == graph.output else "")
        formula = "(input)" if node.is_input else _expr(graph.formula(node.name),
                                                         as_written=True)
        value = [_value(ex.values[node.name])] if ex.values else []
        table.add_row(name(node.name), formula, *value, kind)
    yield table
    if hidden:
        yield _more(hidden, "node")


def _partials_section(ex: Explanation) -> Iterator[RenderableType]:
    yield _title("Local partials", "one per edge, each from a rule of the rule table")
    columns = ("edge", "rule", "local partial") + (("value",) if ex.values else ())
    table = Rows(*columns, indent=2)
    rows, hidden = summarize(list(ex.partials), ex.full)
    for p in rows:
        value = [_value(p.value)] if ex.values else []
        table.add_row(
            f"{name(p.edge.source)} → {name(p.edge.target)}",
            p.rule,
            f"{_d(p.edge.target, p.edge.source, False)} = {_expr(p.expr)}",
            *value,
        )
    yield table
    if hidden:
        yield _more(hidden, "edge")


def _paths_section(ex: Explanation) -> Iterator[RenderableType]:
    out = ex.graph.output
    x = _any_input(ex)
    yield _title("Sum over paths", f"d{name(out)}/d{x} = Σ over paths {x} → … → {name(out)} of "
                 "the product of local partials")
    for x, info in ex.paths.items():
        paths = plural(info.count, "path", shown=_count(info.count))
        yield Indented(Text(f"{_d(out, x, True)}: {paths}", style="bold"), 2)
        table = Rows("path", "product of local partials", header=False, indent=4)
        ends = path_ends([term.edges for term in info.shown])
        for term in info.shown:
            table.add_row(_path(ex, term.edges, ends), _product(ex, term))
        yield table
        if info.count > len(info.shown):
            hidden = info.count - len(info.shown)
            yield Indented(Text(
                f"… {_count(hidden)} more {noun(hidden, 'path')} not shown (--max-paths "
                f"{ex.max_paths})", style="dim"), 4)
        if info.sum is not None or info.value is not None:
            total = _chain(_d(out, x, True), _expr(info.sum) if info.sum is not None else None,
                           _value(info.value) if info.value is not None else None)
            yield Indented(Text(f"sum: {total}", style="green"), 4)
        else:
            yield Indented(Text("too many paths to sum one by one; the sweeps below compute "
                               "the same sum without enumerating them", style="dim"), 4)


def _any_input(ex: Explanation) -> str:
    """The input named in the paths' subtitle: the one input, else a letter no node has
    (``x`` would be read as the node x in ``z = x·y``)."""
    if len(ex.paths) == 1:
        return name(next(iter(ex.paths)))
    return next(v for v in ("x", "u", "v", "ξ") if v not in ex.graph.index)




def _count(n: int) -> str:
    """An exact count with separators, or its magnitude when it has more than 15 digits
    (``2^200 ≈ 1.607·10^60``: integer arithmetic, a count may be far beyond floats)."""
    if n < 10**15:
        return f"{n:,}"
    mantissa, exponent = magnitude(n)
    power = n.bit_length() - 1
    exact = f"2^{power} " if n == 1 << power else ""
    return f"{exact}≈ {mantissa}·10^{exponent}"


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _slot(ex: Explanation, edge) -> str:
    """``₍₂₎`` when the edge is one of several from the same operand (``a + a``), else ``""``."""
    operands = ex.graph[edge.target].operands
    if operands.count(edge.source) < 2:
        return ""
    return f" (operand {edge.slot + 1})"


def _arrow(ex: Explanation, edge) -> str:
    operands = ex.graph[edge.target].operands
    if operands.count(edge.source) < 2:
        return " → "
    return f" →{str(edge.slot + 1).translate(_SUBSCRIPTS)} "


def _path(ex: Explanation, edges, ends: Ends = (2, 1)) -> str:
    """``a → c → e``; an arrow carries the operand slot where an edge is one of several.
    A long path shows only its ends (:func:`symbp.view.path_ends` says how much of them):
    name just those (it may have thousands of edges)."""
    cut = shortened(edges, ends)
    if cut is None:
        return _chain_of_edges(ex, edges)
    return _chain_of_edges(ex, cut[0]) + " → … → " + _chain_of_edges(ex, cut[1])


def _chain_of_edges(ex: Explanation, edges) -> str:
    parts = [name(edges[0].source)]
    for edge in edges:
        parts += [_arrow(ex, edge), name(edge.target)]
    return "".join(parts)


def _product(ex: Explanation, term) -> str:
    if len(term.edges) > LONG_PATH:
        value = _value(term.value) if term.value is not None else None
        return _chain(f"product of {plural(len(term.edges), 'local partial')}", value)
    factors = "·".join(_d(e.target, e.source, False) for e in term.edges)
    symbolic = "·".join(_factor(ex.partial(e).expr) for e in term.edges)
    numeric = (
        "·".join(_factor(ex.partial(e).value) for e in term.edges)
        if term.value is not None else None
    )
    return _chain(factors, symbolic, _expr(term.product), numeric,
                  _value(term.value) if term.value is not None else None)


def _factor(expr) -> str:
    number_ = isinstance(expr, float) or (isinstance(expr, sympy.Basic) and expr.is_number)
    text = _short_value(expr) if number_ else _expr(expr)  # a float as 0.777…, not 17 digits
    grouped = isinstance(expr, sympy.Add) or (
        isinstance(expr, sympy.Mul) and expr.args[0].is_Number)  # 1·(2·x), not 1·2·x
    return f"({text})" if grouped or text.startswith("-") else text


def _short_value(value) -> str:
    value = sympy.sympify(value, strict=True)
    if value.is_Float:
        return number(value)
    text = inline(value)
    if len(text) <= 24 and not value.has(ExactValue):
        return text
    decimal = sympy.Float(value, 15) if value.is_Rational else certain(value, 15)
    return UNCERTAIN if decimal is None else number(decimal)  # a factor: its decimal alone


def _sweep_table(ex: Explanation, sweep: Sweep, *, forward: bool) -> Iterator[RenderableType]:
    table = Rows("#", "edge", "step", header=False, indent=2)
    rows, hidden = summarize(list(sweep.steps), ex.full)
    for i, step in enumerate(rows, start=1):
        table.add_row(str(i), f"{name(step.edge.source)} → {name(step.edge.target)}",
                      _step_text(ex, sweep, step, forward))
    yield table
    if hidden:
        yield _more(hidden, "step")


def _step_text(ex: Explanation, sweep: Sweep, step: Step, forward: bool) -> str:
    edge, out = step.edge, ex.graph.output
    local = _d(edge.target, edge.source, False)
    if forward:
        target = _d(edge.target, sweep.seed, True)
        carried = _d(edge.source, sweep.seed, True)
        factors = f"{local}·{carried}"
        symbolic = (f"{_factor(step.partial)}·{_factor(step.carried)}"
                    if step.carried is not None else None)
        numeric = (f"{_factor(step.partial_value)}·{_factor(step.carried_value)}"
                   if step.carried_value is not None else None)
    else:
        target = _d(out, edge.source, True)
        carried = _d(out, edge.target, True)
        factors = f"{carried}·{local}"
        symbolic = (f"{_factor(step.carried)}·{_factor(step.partial)}"
                    if step.carried is not None else f"{carried}·{_factor(step.partial)}")
        numeric = (f"{_factor(step.carried_value)}·{_factor(step.partial_value)}"
                   if step.carried_value is not None else None)
    result = _value(step.contribution_value) if step.contribution_value is not None else (
        _expr(step.contribution) if step.contribution is not None else None)
    return f"{target} += " + _chain(factors, symbolic, numeric, result)


def _totals(ex: Explanation, sweep: Sweep, names: list[str], *, forward: bool) -> Text:
    parts = []
    for n in names:
        q = sweep.totals.get(n)
        if q is None:
            continue
        top, bottom = (n, sweep.seed) if forward else (ex.graph.output, n)
        # the gradient summary also says it in the inputs, when that is short
        written_out = None if forward else in_inputs(ex, n)
        parts.append(_chain(_d(top, bottom, True),
                            _expr(q.expr) if q.expr is not None else None,
                            inline(written_out) if written_out is not None else None,
                            _value(q.value) if q.value is not None else None))
    return Text(",  ".join(parts), style="green")


def _forward_section(ex: Explanation) -> Iterator[RenderableType]:
    out = ex.graph.output
    for i, (x, sweep) in enumerate(ex.forward.items()):
        if i:
            yield Text("")
        yield _title(f"Forward mode seeded at {name(x)}",
                     f"d{name(x)}/d{name(x)} = 1; each edge pushes a tangent forward")
        yield from _sweep_table(ex, sweep, forward=True)
        result = _totals(ex, sweep, [out], forward=True)
        if result.plain:
            yield Indented(Text("result: ").append(result), 2)


def _reverse_section(ex: Explanation) -> Iterator[RenderableType]:
    out = name(ex.graph.output)
    yield _title("Reverse mode (backpropagation)",
                 f"d{out}/d{out} = 1; a node's total is complete when reached, stored, reused")
    yield from _sweep_table(ex, ex.reverse, forward=False)
    inputs = list(ex.graph.inputs)
    shown, hidden = summarize(inputs, ex.full)
    totals = _totals(ex, ex.reverse, shown, forward=False)
    if totals.plain:
        yield Indented(Text("gradient: ").append(totals), 2)
    reused = [n.name for n in ex.graph.nodes if not n.is_input
              and n.name != ex.graph.output and len(ex.graph.in_edges[n.name]) > 1]
    if reused:
        listed = ", ".join(f"{_d(ex.graph.output, n, True)} "
                           f"({plural(len(ex.graph.in_edges[n]), 'edge')})"
                           for n in reused[:4]) + (", …" if len(reused) > 4 else "")
        yield Indented(Text(f"{plural(len(ex.reverse.steps), 'step')}, one per edge; stored totals "
                           f"reused: {listed}", style="dim"), 2)
    if hidden:
        yield _more(hidden, "input")


REPEATED_ROWS = 5
"""Repeated edge products listed in the cost section (all of them with ``full``)."""


def _cost_section(ex: Explanation) -> Iterator[RenderableType]:
    c, n = ex.cost, len(ex.graph.inputs)
    yield _title("Cost", "multiplications and additions; products with the seed 1 are free")
    table = Rows("method", "mul", "add", "total", indent=2,
                 justify=("left", "right", "right", "right"))
    for label, ops in (
        ("sum over paths, path by path", c.paths),
        (f"forward mode, {plural(n, 'sweep')}", c.forward),
        ("reverse sweep, 1 sweep", c.reverse),
    ):
        table.add_row(label, _count(ops.mul), _count(ops.add), _count(ops.total))
    yield table
    if not c.repeated:
        return
    ranked = sorted(c.repeated, key=lambda item: -item[1])
    shown = ranked if ex.full else ranked[:REPEATED_ROWS]
    yield Indented(Text("repeated by the path expansion (the reverse sweep uses each once):",
                        style="dim"), 2)
    repeated = Rows("local partial", "path products using it", header=False, indent=4,
                    justify=("left", "right"))
    for edge, times in shown:
        local = _d(edge.target, edge.source, False) + _slot(ex, edge)
        repeated.add_row(local, plural(times, "time", shown=_count(times)))
    yield repeated
    if len(ranked) > len(shown):
        yield _more(len(ranked) - len(shown), "repeated local partial")


def check_mark(check) -> Text:
    """A check's mark: ✓ passed, ✗ FAILED, or – not run (e.g. skipped at a kink)."""
    if check.passed is True:
        return Text("✓", style="bold green")
    if check.passed is False:
        return Text("✗ FAILED", style="bold red")
    return Text("–", style="dim")


SELF_CHECK_FAILED = ("A self-check failed: this is a bug in symbp; the numbers above cannot "
                     "be trusted.")


def _checks_section(ex: Explanation) -> Iterator[RenderableType]:
    yield _title("Checks")
    for check in ex.checks:
        line = check_mark(check).append(" ")
        line.append(check.name, style="bold")
        if check.method:
            line.append(f"  [{check.method}]", style="dim")
        if check.detail:
            line.append(f"  {check.detail}", style="red" if check.passed is False else "")
        yield Indented(line, 2)
    if not ex.ok:
        yield Text(SELF_CHECK_FAILED, style="bold red")


_SECTIONS = {
    "graph": _graph_section,
    "partials": _partials_section,
    "paths": _paths_section,
    "forward": _forward_section,
    "reverse": _reverse_section,
    "cost": _cost_section,
    "checks": _checks_section,
}

