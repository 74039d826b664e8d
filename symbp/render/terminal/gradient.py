"""The text of a gradient: what ``symbp gradient`` prints.

``input: value`` lines.  A gradient written in node names (too deep to write out in its
inputs) is followed by the adjoints it uses, from the output back, and by the program's
nodes, so every name it uses is defined on the page.  Names print as everywhere else
(x₂₉, dx₃₀/dx₂₉), and the terms of a sum follow the program's order of nodes.  Unless
``full``, long lists are summarized as every long output is (:mod:`symbp.summary`): the
first adjoints and nodes, the first terms of a long sum, and how many more there are.
"""

from __future__ import annotations

import sympy

from ...core.printing import gradient_value, inline, name, noun
from ...errors import option
from ...explanation.records import Gradient
from ...limits import SYMBOLIC_DEPTH
from ...summary import summarize
from .. import marks
from ..marks import more_words

__all__ = ["to_text"]


def _as_inputs() -> str:
    """The option that writes a gradient in the inputs."""
    return option("form", "form='inputs'", "inputs")


def to_text(result: Gradient, *, exact: bool = False, full: bool = False) -> str:
    """``symbp gradient``'s text of ``result`` (``exact``: long exact numbers in full;
    ``full``: every adjoint, node and term of a gradient in node names)."""
    if result.form != "nodes":
        return "".join(f"{name(x)}: {gradient_value(value, exact=exact)}\n"
                       for x, value in result.items())
    graph = result.graph
    out = graph.output
    shown = {symbol: sympy.Symbol(f"d{name(out)}/d{name(symbol.name[len(out) + 3:])}")
             for symbol, _total in result.where}
    rank = {node.name: i for i, node in enumerate(graph.nodes)}
    order = {shown[symbol]: rank[symbol.name[len(out) + 3:]] for symbol in shown}

    def text(expr) -> str:
        return _in_order(sympy.sympify(expr, strict=True).xreplace(shown), order, full)

    deep = result.depth > SYMBOLIC_DEPTH
    lines = [f"# written in node names (in the inputs it would be nested {result.depth:,} "
             f"levels deep; {_as_inputs()} writes out at most {SYMBOLIC_DEPTH})" if deep else
             "# written in node names"]
    lines += [f"{name(x)}: {text(value)}" for x, value in result.items()]
    lines.append("# where, from the output back:")
    where, hidden = summarize(result.where, full)
    lines += [f"{inline(shown[symbol])} = {text(total)}" for symbol, total in where]
    if hidden:
        lines.append(f"# … {hidden:,} {more_words(hidden, 'adjoint')}")
    lines.append("# and the nodes:")
    nodes, hidden = summarize([node for node in graph.nodes if not node.is_input], full)
    lines += [f"{name(node.name)} = {inline(graph.formula(node.name), as_written=True)}"
              for node in nodes]
    if hidden:
        lines.append(f"# … {hidden:,} {more_words(hidden, 'node')}")
    return "\n".join(lines) + "\n"


def _in_order(expr: sympy.Expr, order: dict[sympy.Symbol, int], full: bool = True) -> str:
    """``expr`` with a sum's terms in the order of the nodes whose adjoints they hold
    (SymPy would sort dx/dv₁₁ before dx/dv₃, as text); unless ``full``, a long sum's
    first terms and how many more."""
    if not expr.is_Add:
        return inline(expr)

    def node_of(term) -> int:
        return min((order[s] for s in term.free_symbols if s in order), default=len(order))

    terms = sorted(expr.args, key=lambda t: (node_of(t), inline(t)))
    terms, hidden = summarize(terms, full)
    text = inline(terms[0])
    for term in terms[1:]:
        piece = inline(term)
        text += f" - {piece[1:]}" if piece.startswith("-") else f" + {piece}"
    if hidden:
        text += f" + … ({hidden:,} more {noun(hidden, 'term')}; {marks.full()} shows all)"
    return text
