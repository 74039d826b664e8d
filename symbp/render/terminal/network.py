"""The rich terminal rendering of ``symbp network``: the derivation and the walkthrough.

Numbers are rounded to 6 significant digits (the JSON output has them all).  Big
networks are summarized (the first rows of each table and a count of the rest)
unless the record was made with ``full=True``.  What a walkthrough shows — which rows,
which sums term by term, BP1 or BP2 — is decided in :mod:`symbp.network_steps`, for the
LaTeX and Markdown output too; this module writes those records.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import RenderableType
from rich.text import Text

from ...core.printing import inline, name, plural
from ...network import steps
from ...network.records import NetworkDerivation, component_lhs
from .. import marks
from ..prose import math_unicode, unicode, vector_line
from .explain import plain_text
from .network_pieces import add_row, checks_section, indent, more, new_table, shape, sup, title

__all__ = ["render_derivation", "to_text"]


def to_text(record, *, width: int = 100) -> str:
    """The terminal rendering as plain text (no colour), e.g. for ``str()`` and tests."""
    return plain_text(record, width=width)


# -- the derivation ------------------------------------------------------------------------------

def render_derivation(d: NetworkDerivation) -> Iterator[RenderableType]:
    """Renderables for ``symbp network --layers …``."""
    net = d.network
    head = Text("symbp network", style="bold magenta")
    head.append(f"  {shape(net)} · {net.activation_text} · {net.cost} cost", style="bold")
    yield head
    yield Text(f"L = {net.depth} layers: layer 1 is the input x, layer {net.depth} the output; "
               "C is the cost of one training example.", style="dim")
    yield Text("")
    yield title("Notation", "(Nielsen, Neural Networks and Deep Learning, ch. 2)")
    table = new_table("symbol", "meaning", "in this network")
    for symbol, meaning, here in d.notation:
        add_row(table, math_unicode(symbol), unicode(meaning), unicode(here))
    yield indent(table)
    yield Text("")
    yield title("Assumptions on the cost")
    table = new_table("", "", header=False)
    for i, text in enumerate(d.assumptions, start=1):
        add_row(table, f"{i}.", unicode(text))
    yield indent(table)
    yield Text("")
    yield title("The four equations of backpropagation", "(component form, vector form, why)")
    for eq in d.equations:
        yield indent(Text(f"{eq.label}  ", style="bold").append(eq.title, style="bold"))
        table = new_table("", "", header=False)
        add_row(table, "component", Text(math_unicode(eq.component)))
        add_row(table, "vector", Text(math_unicode(eq.vector)))
        add_row(table, Text("why", style="dim"), Text(unicode(eq.derivation), style="dim"))
        yield indent(table, 7)
    yield Text("")
    yield from _instantiated(d)
    yield Text("")
    yield from _neuron_rules(d)
    yield Text("")
    yield from checks_section(d.checks, d.ok, f"(on random parameters and a random example, seed "
                              f"{d.seed}: every equation above is evaluated and compared)")


def _instantiated(d: NetworkDerivation) -> Iterator[RenderableType]:
    net = d.network
    sigma = (f"σ = {net.activation}: " if net.activation else "σ' per layer: ")
    yield title("For this network", f"({sigma}{unicode(d.derivative_formula)}; "
                f"{unicode(d.gradient_formula)})")
    current = None
    for eq in d.layers:
        if eq.layer != current:
            current = eq.layer
            role = " (output)" if eq.layer == net.depth else ""
            if net.activation is None:  # σ differs between layers: say whose σ' is used
                role += f", σ = {net.sigma(eq.layer)}"
            yield indent(Text(f"layer {eq.layer}{role}", style="bold"))
        yield indent(Text(f"{eq.label}  ", style="bold").append(vector_line(eq)), 4)
        rows, hidden = steps.summarize(eq.components, d.full)
        table = new_table("", "", header=False)
        for c in rows:
            add_row(table, component_lhs(c), "= " + inline(c.rhs, as_written=True))
        yield indent(table, 9)
        hidden += eq.count - len(eq.components)
        if hidden:
            yield more(hidden, "component", 9)
        if eq.note:
            yield indent(Text(unicode(eq.note), style="green"), 9)
    order = ", then ".join(
        f"δ{sup(layer)} (BP1)" if layer == net.depth else
        f"δ{sup(layer)} (BP2, from δ{sup(layer + 1)})" for layer in range(net.depth, 1, -1))
    yield indent(Text(
        f"Order: {order}.  Each δ is computed once and reused — by BP3 and BP4 of its layer and "
        "by BP2 for the layer below: the memoized reverse sweep, i.e. backpropagation.",
        style="dim"))


def _neuron_rules(d: NetworkDerivation) -> Iterator[RenderableType]:
    graph = d.graph
    yield title("The same equations on the neuron-level graph",
                f"(Cₓ as a computational graph: {plural(len(graph.nodes), 'node')}, "
                f"{plural(len(graph.edges), 'edge')})")
    yield indent(Text(
        "Backprop on the graph stores dC/dv for every node v, from C down: dC/dv = Σ over the "
        "edges v → t of dC/dt · ∂t/∂v (the local partial, from the rule table).  For neuron 1 "
        "of each layer:", style="dim"))
    table = new_table("", "", "", header=False)
    for rule in d.adjoint_rules:
        terms = " + ".join(f"dC/d{name(e.target)}·{_paren(inline(p))}" for e, p in rule.terms)
        meaning = unicode(rule.meaning)
        label = f"{meaning} ({rule.equation})" if rule.equation else meaning
        add_row(table, f"dC/d{name(rule.node)}", "= " + (terms or "1"), Text(label, style="green"))
    yield indent(table, 4)
    if d.full:
        yield indent(Text("Every step of the sweep (reverse topological order):", style="bold"))
        sweep_table = new_table("", "", header=False)
        for i, (edge, partial) in enumerate(d.sweep_steps, start=1):
            add_row(sweep_table, str(i), f"dC/d{name(edge.source)} += dC/d{name(edge.target)}·"
                    f"{_paren(inline(partial))}")
        yield indent(sweep_table, 4)
    else:
        every = plural(len(d.sweep_steps), "step")
        yield indent(Text(f"({marks.full()} shows all {every} of the sweep)",
                          style="dim"), 4)


def _paren(text: str) -> str:
    """Parentheses around a factor that is a sum or starts with a minus sign."""
    depth, top_level_sum = 0, False
    for i, c in enumerate(text):
        depth += (c == "(") - (c == ")")
        if depth == 0 and c in "+-" and 0 < i < len(text) - 1 and text[i - 1] == " ":
            top_level_sum = True
    return f"({text})" if top_level_sum or text.startswith("-") else text
