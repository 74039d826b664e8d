"""The interactive page of ``symbp explain -o steps.html``: one self-contained file that
steps through the forward values, the local partials, every shown path, every step of the
reverse sweep and the checks, each highlighted on the graph.

The steps are decided once (:func:`symbp.explanation.steps.page_steps`) and written with
the terminal's words (:mod:`.text`); the picture is Graphviz's drawing of ``-o graph.svg``
with ``data-*`` attributes (:mod:`.svg`).  The page keeps a contract its tests and
embedders rely on:

- the data: ``<script type="application/json" id="symbp-data">`` holds the ``-F json``
  document plus ``"steps"``: ``{"phase", "text", "nodes", "edges"}`` (edges written
  ``"u->v#slot"``; reverse steps also ``"adjoints"`` and ``"done"``);
- the picture: ``data-node="NAME"`` and ``data-edge="u->v#slot"`` on the groups; what the
  current step highlights has the class ``active`` (nothing else does); ``data-adjoint``
  elements hold each node's current adjoint as a decimal;
- the panel: ``data-symbp="status"`` reads ``K / N``, ``data-symbp="step-text"`` holds the
  step's words; First / Previous / Next / Last, ← → Home End, a slider, ``#step=K``;
- without JavaScript (and in print) every step is in a static list.

Nothing is fetched: no ``src``, no stylesheet link, no font; a Content-Security-Policy
says so to the browser.  Everything the user wrote is escaped.
"""

from __future__ import annotations

import itertools
from html import escape

from ... import arguments
from ...core.printing import equals, name
from ...errors import SymbpError
from ...explanation.records import Explanation
from ...explanation.steps import PAGE_ROWS, AdjointStep, Hidden, PageStep, Seed, page_steps
from ...explanation.view import heading
from ...limits import with_long_int_text
from .. import dot, marks
from ..json import to_dict
from ..terminal.explain_pieces import derivative, short_expr
from .page import document, script_json, stepper
from .svg import edge_key, page_svg
from .text import PHASE_TITLES, decimal, step_words

__all__ = ["PICTURE_NODES", "STEP_PARTS", "fragment", "notebook", "script_json", "to_html"]

PICTURE_NODES = 300
"""Most nodes drawn on the page: Graphviz takes minutes to lay out thousands of labelled
nodes (the page then lists the nodes in a table and says so)."""

@with_long_int_text
def to_html(explanation: Explanation) -> str:
    """The whole page: an HTML document that works from ``file://`` without a network."""
    ex = arguments.explanation(explanation, "to_html")
    return document("symbp: " + heading(ex, ex.wrt), fragment(ex, page=True))


_NOTEBOOK = itertools.count(1)


@with_long_int_text
def notebook(ex: Explanation) -> str:
    """The stepper for Jupyter's ``text/html``: a fragment whose ids are its own, so two
    steppers in one notebook never touch each other."""
    return fragment(ex, suffix=f"-{next(_NOTEBOOK)}")


@with_long_int_text
def fragment(ex: Explanation, *, suffix: str = "", page: bool = False) -> str:
    """The stepper as an HTML fragment (its style, picture, panel, list, data, script);
    ``page``: the stepper owns the page's address (``#step=K``)."""
    arguments.explanation(ex, "fragment")
    steps = page_steps(ex).steps
    picture, why = _picture(ex)
    shown = _shown_nodes(ex, picture is not None)
    finals = {n: _adjoint_text(ex, n) for n in shown if n in ex.reverse.totals}
    data = to_dict(ex, rows=None if ex.full else PAGE_ROWS)
    data["steps"] = [_step_data(step, step_words(ex, step), finals, ex.full)
                     for step in steps]
    graph = page_svg(ex, picture, finals) if picture is not None else _node_table(ex, shown,
                                                                                  finals)
    graph += _LEGEND if picture is not None else ""
    return stepper(heading=heading(ex, ex.wrt), notes=_notes(ex, steps, why), graph=graph,
                   zoom=picture is not None, phases=PHASE_TITLES, data=data, suffix=suffix,
                   page=page)


def _picture(ex: Explanation) -> tuple[str | None, str]:
    """Graphviz's SVG, or ``None`` and why there is none (said on the page)."""
    nodes = len(ex.graph.nodes)
    if nodes > PICTURE_NODES:
        return None, (f"The graph has {nodes:,} nodes, more than the {PICTURE_NODES:,} this "
                      "page draws; the table lists its nodes (-o graph.svg draws the whole "
                      "graph, slowly).")
    if dot.dot_program() is None:
        return None, ("The picture of the graph needs Graphviz's dot program, which is not "
                      "installed: apt-get install graphviz (or brew install graphviz, conda "
                      "install graphviz), then write the page again.")
    try:
        return dot.render(ex, "svg", legend=False, page=True).decode("utf-8"), ""
    except SymbpError as error:
        return None, f"The graph could not be drawn ({error}); the table lists its nodes."


def _shown_nodes(ex: Explanation, drawn: bool) -> list[str]:
    """The nodes on the page: all when drawn, else the table's (summarized, inputs and the
    output always in it)."""
    graph = ex.graph
    names = [n.name for n in graph.nodes]
    if drawn or ex.full or len(names) <= PAGE_ROWS:
        return names
    keep = set(names[:PAGE_ROWS]) | set(graph.inputs) | {graph.output}
    return [n for n in names if n in keep]


def _adjoint_text(ex: Explanation, node: str) -> str:
    q = ex.reverse.totals[node]
    shown = decimal(q.value)
    if shown is None and q.expr is not None:
        shown = short_expr(q.expr)
    return shown or "?"


STEP_PARTS = 64
"""Most nodes and edges a step of a summarized page lists (a path through a big graph has
thousands): the first and last halves, and ``"left_out"`` says how many are not listed."""


def _step_data(step: PageStep, text: str, finals: dict[str, str], full: bool) -> dict:
    nodes, edges = list(step.nodes), [edge_key(e) for e in step.edges]
    left = 0
    if not full:
        nodes, hidden_nodes = _ends(nodes)
        edges, hidden_edges = _ends(edges)
        left = hidden_nodes + hidden_edges
    data = {"phase": step.phase, "text": text, "nodes": nodes, "edges": edges}
    if left:
        data["left_out"] = left
    subject = step.subject
    if isinstance(subject, Seed):
        data["adjoints"] = {subject.output: decimal(subject.value) or "1"}
        data["done"] = [subject.output]
    elif isinstance(subject, AdjointStep):
        after = subject.after
        shown = decimal(after.value) or (short_expr(after.expr) if after.expr is not None
                                         else "?")
        data["adjoints"] = {subject.step.edge.source: shown}
        data["done"] = list(subject.completes)
    elif isinstance(subject, Hidden) and step.phase == "reverse":
        data["text"] = text + "; the adjoints shown are the sweep's totals"
        data["adjoints"] = dict(finals)
        data["done"] = list(finals)
    return data


def _ends(items: list) -> tuple[list, int]:
    if len(items) <= STEP_PARTS:
        return items, 0
    half = STEP_PARTS // 2
    return items[:half] + items[-half:], len(items) - STEP_PARTS


def _notes(ex: Explanation, steps, why: str) -> list[str]:
    lines = [*ex.warnings, *ex.notes]
    hidden = {}
    for step in steps:
        if isinstance(step.subject, Hidden):
            hidden[step.phase] = step.subject
    if hidden:
        lines.append(f"This graph is big: each phase shows its first {PAGE_ROWS:,} steps, then "
                     "says how many it left out (" + ", ".join(
                         f"{h.count:,} in {PHASE_TITLES[p].lower()}" for p, h in hidden.items())
                     + f"); write the page with {marks.full()} to step through all of them. The "
                     "embedded data is summarized the same way (its \"summarized\" key).")
    if why:
        lines.append(why)
    return lines


def _node_table(ex: Explanation, shown: list[str], finals: dict[str, str]) -> str:
    graph = ex.graph
    out = graph.output
    rows = []
    for node in shown:
        formula = "(input)" if graph[node].is_input else short_expr(graph.formula(node),
                                                                    as_written=True)
        value = equals(ex.values[node]).removeprefix("= ") if ex.values else ""
        adjoint = (f'{escape(derivative(out, node, True))} = <span data-adjoint="'
                   f'{escape(node)}">{escape(finals[node])}</span>' if node in finals else "")
        rows.append(f'<tr data-node="{escape(node)}"><th scope="row">{escape(name(node))}</th>'
                    f"<td>{escape(formula)}</td><td>{escape(value)}</td><td>{adjoint}</td></tr>")
    left = len(graph.nodes) - len(shown)
    more = (f'<p class="symbp-note">… {left:,} more nodes (write the page with '
            f"{escape(marks.full())} to list all)</p>" if left else "")
    return ('<table class="symbp-nodes"><caption>The nodes in evaluation order</caption>'
            "<thead><tr><th>node</th><th>formula</th><th>value</th><th>adjoint</th></tr>"
            "</thead><tbody>" + "".join(rows) + "</tbody></table>" + more)


_LEGEND = ('<p class="symbp-legend"><span class="symbp-key symbp-key-input">input</span> '
           '<span class="symbp-key symbp-key-node">node = formula, value</span> '
           '<span class="symbp-key symbp-key-output">output</span> '
           '<span class="symbp-key symbp-key-adjoint">dout/dv: adjoint</span> '
           "edge: local partial ∂v/∂u "
           '<span class="symbp-key symbp-key-active">this step</span> '
           '<span class="symbp-key symbp-key-done">adjoint complete</span></p>')
"""What the picture's colours mean (the drawing's own legend is left out: the page is
narrower than a sheet of paper)."""
