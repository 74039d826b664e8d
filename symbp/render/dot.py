"""Graphviz pictures of the computational graph, like the classic figures.

:func:`to_dot` writes DOT text (no dependency): inputs, intermediate nodes and the
output styled differently; each node shows its name, formula and value and, in
red, its adjoint from the reverse sweep (``de/dc = 2``, a total derivative); each
edge its local partial ``∂c/∂a = 1`` (symbolic and value); one edge per operand
slot, so ``a + a`` is drawn as two edges.  When the explanation was narrowed to
some inputs (``--wrt``), every path from them to the output is highlighted.  A
legend explains all of this.  The same explanation gives byte-identical text.

:func:`render` runs the system Graphviz (``dot``) to make SVG or PNG.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator

from .. import arguments
from ..core.graph import Edge
from ..core.printing import chain, equals, inline, name, value_text
from ..errors import SymbpError
from ..explanation.records import Explanation, Quantity
from ..explanation.view import heading
from ..limits import with_long_int_text

__all__ = ["ADJOINT_COLOR", "GRAPHVIZ_MISSING", "PAGE", "PNG_DPI", "dot_id", "dot_program", "draw",
           "html_text", "layout", "render", "to_dot"]

MAX_LABEL = 48
"""Longest expression shown in full in a label; longer ones are abbreviated with …."""
SHORT = 24
"""Adjoints in node labels show their formula only up to this length when they have a value."""
TIMEOUT = 60.0
"""Seconds Graphviz may take to draw a picture."""
GRAPHVIZ_MISSING = (
    "drawing needs Graphviz's `dot` program, which is not installed: install Graphviz "
    "(apt-get install graphviz, brew install graphviz or conda install graphviz) or use "
    "--format dot for the text"
)

_FONT = "Helvetica"
_STYLE = {
    "input": 'shape=ellipse, style=filled, fillcolor="#dbeafe", color="#1e40af"',
    "node": 'shape=box, style="rounded,filled", fillcolor="#f3f4f6", color="#4b5563"',
    "output": 'shape=box, style="rounded,filled", fillcolor="#fde68a", color="#b45309", '
              "peripheries=2",
}
_HIGHLIGHT = "#dc2626"
ADJOINT_COLOR = "#9f1239"
"""The colour of the adjoints in the node labels (the HTML page finds those lines by it)."""


@with_long_int_text
def to_dot(explanation: Explanation, *, legend: bool = True, page: bool = False) -> str:
    """The graph as Graphviz DOT text; the legend (with the title) is the graph's caption.

    ``page`` draws it for the HTML stepper: the i-th node has the id ``node_i`` and the
    j-th edge ``edge_j`` (graph order, from 0; the SVG keeps them), the adjoint line holds
    the value alone (the stepper rewrites it as the sweep goes), and the drawing is not
    bounded by a sheet of paper (:data:`PAGE`): the page scrolls.
    """
    arguments.explanation(explanation, "to_dot")
    arguments.flag(legend, "to_dot", "legend")
    arguments.flag(page, "to_dot", "page")
    return "\n".join(_lines(explanation, legend, page)) + "\n"


def dot_program() -> str | None:
    """The path of Graphviz's ``dot`` program, or ``None`` when it is not installed."""
    return shutil.which("dot")


@with_long_int_text
def render(explanation: Explanation, fmt: str = "svg", *, timeout: float = TIMEOUT,
           legend: bool = True, page: bool = False) -> bytes:
    """The picture drawn by Graphviz, as ``svg`` or ``png`` bytes.

    Raises :class:`~symbp.errors.SymbpError` (one line saying how to install it) when
    Graphviz is absent, and when it fails or takes longer than ``timeout`` seconds.
    """
    too_slow = (f"{len(explanation.graph.nodes):,} nodes; use --format dot and a faster "
                "layout (e.g. sfdp)")
    return draw(lambda: to_dot(explanation, legend=legend, page=page), fmt, timeout=timeout,
                what=too_slow)


def draw(source: Callable[[], str], fmt: str, *, timeout: float = TIMEOUT,
         what: str = "the graph") -> bytes:
    """The DOT text ``source()`` drawn by Graphviz as ``svg`` or ``png`` bytes (PNGs at
    :data:`PNG_DPI`): the one place symbp runs Graphviz.  The text is made only once the
    format is known and Graphviz found; ``what`` names the drawing in the error when
    Graphviz takes longer than ``timeout`` seconds."""
    if fmt not in ("svg", "png"):
        raise SymbpError(f"cannot draw {fmt!r}: choose svg or png")
    program = dot_program()
    if program is None:
        raise SymbpError(GRAPHVIZ_MISSING)
    try:
        resolution = [f"-Gdpi={PNG_DPI}"] if fmt == "png" else []
        done = subprocess.run([program, f"-T{fmt}", *resolution], input=source().encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise SymbpError(f"Graphviz took more than {timeout:g} s to draw {what}") from None
    except OSError as exc:
        raise SymbpError(f"cannot run Graphviz ({program}): {exc.strerror or exc}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SymbpError("Graphviz failed: " + (reason[0] if reason else
                                                 f"exit code {done.returncode}"))
    return done.stdout


# -- the text -------------------------------------------------------------------------------------

def _lines(ex: Explanation, legend: bool, page: bool) -> Iterator[str]:
    graph = ex.graph
    marked = _highlighted(ex)
    yield "digraph symbp {"
    # the page's stepper has the title as its heading: the picture does not repeat it
    caption = _legend(ex, bool(marked[1])) if legend else "" if page else _title(ex)
    rankdir, size = layout(graph)
    bound = "" if page else f'size="{size}", '
    label = f", label=<{caption}>" if caption else ""
    yield (f'  graph [rankdir={rankdir}, {bound}fontname="{_FONT}", fontsize=11, '
           f"labelloc=b, labeljust=l, nodesep=0.35, ranksep=0.7{label}];")
    yield f'  node [fontname="{_FONT}", fontsize=11, margin="0.12,0.06"];'
    yield f'  edge [fontname="{_FONT}", fontsize=10, color="#6b7280", arrowsize=0.7];'
    for i, node in enumerate(graph.nodes):
        kind = "input" if node.is_input else ("output" if node.name == graph.output else "node")
        extra = f", penwidth=2.5, color=\"{_HIGHLIGHT}\"" if node.name in marked[0] else ""
        extra += f', id="node_{i}"' if page else ""
        label = _node_label(ex, node.name, page)
        yield f"  {dot_id(node.name)} [{_STYLE[kind]}{extra}, label=<{label}>];"
    for j, edge in enumerate(graph.edges):
        extra = f', color="{_HIGHLIGHT}", penwidth=2.2' if edge in marked[1] else ""
        extra += f', id="edge_{j}"' if page else ""
        yield (f"  {dot_id(edge.source)} -> {dot_id(edge.target)} "
               f"[label=<{_edge_label(ex, edge)}>{extra}];")
    yield "}"


PAGE = (7.5, 10.0)
"""The picture's bound in inches: a page less its margins (A4 and US letter), portrait
for a top-to-bottom layout, landscape for left-to-right.  Graphviz scales a bigger
drawing down to it (``size``); PNGs are drawn at :data:`PNG_DPI`, so the text stays
legible."""
PNG_DPI = 150
# A rough size of one node with its labels, and of a rank with its edge labels, in inches
# (measured on drawings like the gallery's): enough to choose the direction.
_NODE = (2.0, 0.8)
_RANK = {"LR": 2.6, "TB": 1.3}


def layout(graph) -> tuple[str, str]:
    """The rank direction and size bound of the picture.

    Left to right, as the classic figures draw a small graph, unless a long graph would
    then need more shrinking to fit a (landscape) page than top to bottom on a portrait
    one: micrograd's README program, 14 ranks deep, was 6,686 × 741 px from left to right.
    """
    rank: dict[str, int] = {}
    for node in graph.nodes:  # topological order: the longest path from an input
        rank[node.name] = 1 + max((rank[a] for a in node.operands), default=-1)
    depth = 1 + max(rank.values())
    breadth = max(Counter(rank.values()).values())  # one pass: graphs may be huge
    across = {"LR": (depth * _RANK["LR"], breadth * _NODE[1] * 1.3),
              "TB": (breadth * _NODE[0], depth * _RANK["TB"])}
    fit = {d: min(1.0, _page(d)[0] / w, _page(d)[1] / h) for d, (w, h) in across.items()}
    direction = "LR" if fit["LR"] >= fit["TB"] else "TB"
    width, height = _page(direction)
    return direction, f"{width:g},{height:g}"


def _page(direction: str) -> tuple[float, float]:
    return PAGE if direction == "TB" else PAGE[::-1]


def dot_id(node: str) -> str:
    """A node name as a quoted DOT id (``"`` and ``\\`` escaped)."""
    return '"' + node.replace("\\", "\\\\").replace('"', '\\"') + '"'


def html_text(text: str) -> str:
    """Text for an HTML-like label: ``&``, ``<`` and ``>`` escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _title(ex: Explanation) -> str:
    return f"<b>{html_text(heading(ex, ex.graph.inputs))}</b>"


def _node_label(ex: Explanation, node: str, page: bool = False) -> str:
    graph = ex.graph
    head = f"<b>{html_text(name(node))}</b>"
    if not graph[node].is_input:
        # a no-break space: SVG drops the leading space of the text run after the bold name,
        # so browsers drew "c= a + b"
        head += "&#160;= " + html_text(_expr(graph.formula(node), as_written=True))
    lines = [head]
    if ex.values:
        lines.append(html_text(equals(ex.values[node])))
    adjoint = ex.reverse.totals.get(node)
    if adjoint is not None:
        if adjoint.value is not None and adjoint.expr is not None and (
                page or len(inline(adjoint.expr)) > SHORT):  # the picture shows the number
            adjoint = Quantity(None, adjoint.value)
        words = _chain(f"d{name(graph.output)}/d{name(node)}", adjoint)
        lines.append(f'<font color="{ADJOINT_COLOR}">{html_text(words)}</font>')
    return "<br/>".join(lines)


def _edge_label(ex: Explanation, edge: Edge) -> str:
    p = ex.partial(edge)
    local = f"∂{name(edge.target)}/∂{name(edge.source)}{_slot(ex, edge)}"
    return html_text(_chain(local, Quantity(p.expr, p.value)))


def _slot(ex: Explanation, edge: Edge) -> str:
    """`` (operand 2)`` when the edge is one of several from the same operand (``a + a``)."""
    if ex.graph[edge.target].operands.count(edge.source) < 2:
        return ""
    return f" (operand {edge.slot + 1})"


def _legend(ex: Explanation, highlighted: bool) -> str:
    out = name(ex.graph.output)
    rows = [
        f'<tr><td colspan="2" border="0">{_title(ex)}</td></tr>',
        '<tr><td bgcolor="#dbeafe">input</td><td align="left">a leaf variable</td></tr>',
        '<tr><td bgcolor="#f3f4f6">node</td><td align="left">name = formula'
        + (", value" if ex.values else "") + "</td></tr>",
        f'<tr><td bgcolor="#fde68a">output</td><td align="left">{html_text(out)}, '
        "the differentiated node</td></tr>",
        "<tr><td>u → v</td><td align=\"left\">edge: local partial ∂v/∂u"
        + (" = formula = value" if ex.values else " = formula") + "</td></tr>",
        f'<tr><td><font color="{ADJOINT_COLOR}">d{html_text(out)}/dv</font></td><td align="left">'
        "adjoint from the reverse sweep (a total derivative)</td></tr>",
    ]
    if highlighted:
        wrt = ", ".join(name(x) for x in ex.wrt)
        rows.append(f'<tr><td><font color="{_HIGHLIGHT}"><b>red</b></font></td>'
                    f'<td align="left">the paths from {html_text(wrt)} to {html_text(out)}'
                    '</td></tr>')
    return ('<table border="0" cellborder="1" cellspacing="0" cellpadding="4" '
            'color="#9ca3af">' + "".join(rows) + "</table>")


def _highlighted(ex: Explanation) -> tuple[set[str], set[Edge]]:
    """Nodes and edges on a path from the chosen inputs, when ``wrt`` narrowed them."""
    graph = ex.graph
    if set(ex.wrt) == set(graph.inputs):
        return set(), set()
    reached = set(ex.wrt)
    edges: set[Edge] = set()
    for node in graph.nodes:  # topological order: every operand is settled first
        for edge in graph.in_edges[node.name]:
            if edge.source in reached:
                reached.add(node.name)
                edges.add(edge)
    return reached, edges


# -- plain text, as the terminal writes it ------------------------------------------------------

def _expr(expr, *, as_written: bool = False) -> str:
    text = inline(expr, as_written=as_written)
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


_value = value_text


def _chain(head: str, quantity: Quantity) -> str:
    parts = [head]
    if quantity.expr is not None:
        parts.append(_expr(quantity.expr))
    if quantity.value is not None and not _is_exactly(quantity.expr, quantity.value):
        parts.append(_value(quantity.value))
    return chain(*parts)


def _is_exactly(expr, value) -> bool:
    """True when the expression is an exact number that the value only repeats: the seed
    dg/dg = 1 is 1, not ``1 = 1.0`` at a float point."""
    if expr is None or not getattr(expr, "is_Rational", False):
        return False
    try:
        return float(value) == float(expr)
    except (TypeError, ValueError, OverflowError):
        return False
