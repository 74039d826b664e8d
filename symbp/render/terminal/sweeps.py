"""The terminal's sweep and cost sections of ``symbp explain``: forward mode, reverse mode
(backpropagation) and the cost table.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from itertools import islice

from rich.console import RenderableType
from rich.text import Text

from ...core.printing import chain, inline, name, plural, value_text
from ...explanation.records import Explanation, Step, Sweep
from ...explanation.view import in_inputs, in_numbers
from ...summary import summarize
from ..marks import REPEATED_ROWS
from .explain_pieces import count, derivative, factor, more, short_expr, slot, title
from .rows import Indented, Rows


def _sweep_table(ex: Explanation, sweep: Sweep, *, forward: bool) -> Iterator[RenderableType]:
    table = Rows("#", "edge", "step", header=False, indent=2)
    rows, hidden = summarize(sweep.steps, ex.full)  # Steps: made when looked at
    for i, step in enumerate(rows, start=1):
        table.add_row(str(i), f"{name(step.edge.source)} → {name(step.edge.target)}",
                      step_text(ex, sweep, step, forward))
    yield table
    if hidden:
        yield more(hidden, "step")


def step_text(ex: Explanation, sweep: Sweep, step: Step, forward: bool) -> str:
    """One sweep step as the terminal writes it: ``de/db += de/dd·∂d/∂b = c·1 = 3·1 = 3``."""
    edge, out = step.edge, ex.graph.output
    local = derivative(edge.target, edge.source, False)
    if forward:
        target = derivative(edge.target, sweep.seed, True)
        carried = derivative(edge.source, sweep.seed, True)
        factors = f"{local}·{carried}"
        symbolic = (f"{factor(step.partial)}·{factor(step.carried)}"
                    if step.carried is not None else None)
        numeric = (f"{factor(step.partial_value)}·{factor(step.carried_value)}"
                   if in_numbers((step.partial_value, step.carried_value)) else None)
    else:
        target = derivative(out, edge.source, True)
        carried = derivative(out, edge.target, True)
        factors = f"{carried}·{local}"
        symbolic = (f"{factor(step.carried)}·{factor(step.partial)}"
                    if step.carried is not None else f"{carried}·{factor(step.partial)}")
        numeric = (f"{factor(step.carried_value)}·{factor(step.partial_value)}"
                   if in_numbers((step.carried_value, step.partial_value)) else None)
    result = value_text(step.contribution_value) if step.contribution_value is not None else (
        short_expr(step.contribution) if step.contribution is not None else None)
    return f"{target} += " + chain(factors, symbolic, numeric, result)


def _totals(ex: Explanation, sweep: Sweep, names: list[str], *, forward: bool) -> Text:
    parts = []
    for n in names:
        q = sweep.totals.get(n)
        if q is None:
            continue
        top, bottom = (n, sweep.seed) if forward else (ex.graph.output, n)
        # the gradient summary also says it in the inputs, when that is short
        written_out = None if forward else in_inputs(ex, n)
        parts.append(chain(derivative(top, bottom, True),
                           short_expr(q.expr) if q.expr is not None else None,
                           inline(written_out) if written_out is not None else None,
                           value_text(q.value) if q.value is not None else None))
    return Text(",  ".join(parts), style="green")


def forward_section(ex: Explanation) -> Iterator[RenderableType]:
    """One forward sweep per seed input, each with its result."""
    out = ex.graph.output
    for i, (x, sweep) in enumerate(ex.forward.items()):
        if i:
            yield Text("")
        yield title(f"Forward mode seeded at {name(x)}",
                    f"d{name(x)}/d{name(x)} = 1; each edge pushes a tangent forward")
        yield from _sweep_table(ex, sweep, forward=True)
        result = _totals(ex, sweep, [out], forward=True)
        if result.plain:
            yield Indented(Text("result: ").append(result), 2)


def reverse_section(ex: Explanation) -> Iterator[RenderableType]:
    """The reverse sweep, the gradient and the stored totals it reuses."""
    out = name(ex.graph.output)
    yield title("Reverse mode (backpropagation)",
                f"d{out}/d{out} = 1; a node's total is complete when reached, stored, reused")
    yield from _sweep_table(ex, ex.reverse, forward=False)
    inputs = list(ex.graph.inputs)
    shown, hidden = summarize(inputs, ex.full)
    totals = _totals(ex, ex.reverse, shown, forward=False)
    if totals.plain:
        yield Indented(Text("gradient: ").append(totals), 2)
    # the first five (four listed, a fifth says there are more), not all of them
    reused = list(islice((n.name for n in ex.graph.nodes if not n.is_input
                          and n.name != ex.graph.output and len(ex.graph.in_edges[n.name]) > 1),
                         5))
    if reused:
        listed = ", ".join(f"{derivative(ex.graph.output, n, True)} "
                           f"({plural(len(ex.graph.in_edges[n]), 'edge')})"
                           for n in reused[:4]) + (", …" if len(reused) > 4 else "")
        yield Indented(Text(f"{plural(len(ex.reverse.steps), 'step')}, one per edge; stored totals "
                            f"reused: {listed}", style="dim"), 2)
    if hidden:
        yield more(hidden, "input")


def cost_section(ex: Explanation) -> Iterator[RenderableType]:
    """Operation counts of the three methods and the edge products the paths repeat."""
    c, n = ex.cost, len(ex.graph.inputs)
    yield title("Cost", "multiplications and additions; products with the seed 1 are free")
    table = Rows("method", "mul", "add", "total", indent=2,
                 justify=("left", "right", "right", "right"))
    for label, ops in (
        ("sum over paths, path by path", c.paths),
        (f"forward mode, {plural(n, 'sweep')}", c.forward),
        ("reverse sweep, 1 sweep", c.reverse),
    ):
        table.add_row(label, count(ops.mul), count(ops.add), count(ops.total))
    yield table
    if not c.repeated:
        return
    # the most used first, ties in graph order (nsmallest: sorted(…)[:n] without sorting all)
    shown = (sorted(c.repeated, key=lambda item: -item[1]) if ex.full else
             heapq.nsmallest(REPEATED_ROWS, c.repeated, key=lambda item: -item[1]))
    yield Indented(Text("repeated by the path expansion (the reverse sweep uses each once):",
                        style="dim"), 2)
    repeated = Rows("local partial", "path products using it", header=False, indent=4,
                    justify=("left", "right"))
    for edge, times in shown:
        local = derivative(edge.target, edge.source, False) + slot(ex, edge)
        repeated.add_row(local, plural(times, "time", shown=count(times)))
    yield repeated
    if len(c.repeated) > len(shown):
        yield more(len(c.repeated) - len(shown), "repeated local partial")
