r"""The explanation's values, paths and sweep steps as TeX chains (for the LaTeX and
Markdown renderers of ``symbp explain``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import sympy

from ...core.graph import Edge
from ...core.printing import UNCERTAIN, noun, number, plural, value_links
from ...explanation.records import Explanation, InputPaths, Step, Sweep
from ...explanation.view import LONG_PATH, Ends, in_numbers, path_ends, shortened
from ..marks import REPEATED_ROWS
from .document import Chain, Item, distinct, item
from .math import (
    ABBREVIATE,
    count,
    expr,
    factor,
    local,
    name,
    pieces,
    scientific,
    total,
    wrapped_text,
)

# -- values -------------------------------------------------------------------------------------

def value_items(value) -> list[Item]:
    """A value as every format shows it (:func:`symbp.printing.value_links`): exact as it
    is, with ``\\approx`` its decimal if irrational."""
    if value is None:
        return []
    items = []
    for relation, v in value_links(value):
        if relation == "note":  # the size of a long exact number: (478 digits)
            items[-1] = Item(items[-1].rel, (*items[-1].pieces, rf"\text{{ ({v})}}"))
        elif relation == "≈":
            shown = rf"\text{{{UNCERTAIN}}}" if v is None else scientific(number(v))
            items.append(Item(r"\approx", (shown,)))
        elif v.is_Float:
            items.append(Item("=", (scientific(number(v)),)))
        else:
            items.append(item("=", [expr(v)] if v.is_Rational else pieces(v)))
    return items


def _sum_of_products(products: Sequence[Sequence[str]], more: bool) -> list[str]:
    """``p₁ + p₂ + …`` with every factor a piece, so a long sum breaks between factors."""
    result: list[str] = []
    for i, factors in enumerate(products):
        for k, f in enumerate(factors):
            if k:
                result.append(r"\cdot " + f)
            elif i:
                result.append(f"- {f[1:].lstrip()}" if f.startswith("-") else f"+ {f}")
            else:
                result.append(f)
    if more:
        result.append(r"+ \cdots")
    return result


# -- derivations --------------------------------------------------------------------------------

def path_chains(ex: Explanation, x: str, info: InputPaths) -> list[Chain | str]:
    """The sum over paths for one input: each path's product of local partials, then the
    same products in symbols and in numbers, their sum and its value.  Paths longer
    than the terminal's ``LONG_PATH`` are abbreviated to their ends, as there."""
    out = ex.graph.output
    limit = None if ex.full else ABBREVIATE
    terms = [t for t in info.shown if t.edges]
    more = info.count > len(terms)
    short = all(len(t.edges) <= LONG_PATH for t in terms)
    note = rf"{count(info.count)}\ \text{{{noun(info.count, 'path')}}}"
    if info.count > len(info.shown):
        note += rf"\text{{, {len(info.shown)} shown}}"
    links: list[Item | None] = []
    if terms:
        links.append(item("=", _path_products(ex, terms, more)))
    if terms and short:
        links.append(item("=", _sum_of_products(
            [[factor(ex.partial(e).expr) for e in t.edges] for t in terms], more)))
        if more or info.sum is None or Counter(t.product for t in terms) != Counter(
                sympy.Add.make_args(info.sum)):  # else the next link only reorders it
            links.append(item("=", _sum_of_products([[expr(t.product)] for t in terms], more)))
    if info.sum is not None:
        links.append(item("=", pieces(info.sum, limit=limit)))
    if terms and short and all(t.value is not None and in_numbers(
            [ex.partial(e).value for e in t.edges]) for t in terms):
        links.append(item("=", _sum_of_products(
            [[factor(ex.partial(e).value) for e in t.edges] for t in terms], more)))
    links.extend(value_items(info.value))
    chains = [Chain(total(ex, out, x), distinct(links), note)]
    if info.sum is None and info.value is None:
        chains.extend(wrapped_text(
            "too many paths to sum one by one; the sweeps below compute the same sum "
            "without enumerating them", indent="&", columns=60))
    return chains


def arrow(ex: Explanation, edge: Edge) -> str:
    """``\\to``, or ``\\to_{2}`` when the edge is one of several from the same operand."""
    if ex.graph[edge.target].operands.count(edge.source) < 2:
        return r"\to"
    return rf"\to_{{{edge.slot + 1}}}"


def slot(ex: Explanation, edge: Edge) -> str:
    """``\\ (\\text{operand 2})`` when the edge is one of several from the same operand."""
    if ex.graph[edge.target].operands.count(edge.source) < 2:
        return ""
    return rf"\ \text{{(operand {edge.slot + 1})}}"


def route(ex: Explanation, edges: Sequence[Edge], ends: Ends = (2, 1)) -> str:
    """A path as ``a \\to c \\to e``; a long one as its two ends, as much of them as
    :func:`symbp.view.path_ends` says (the terminal's rule)."""
    cut = shortened(edges, ends)
    if cut is None:
        return _route(ex, edges)
    return rf"{_route(ex, cut[0])} \to \cdots \to {_route(ex, cut[1])}"


def _route(ex: Explanation, edges: Sequence[Edge]) -> str:
    parts = [name(ex, edges[0].source)]
    for edge in edges:
        parts += [arrow(ex, edge), name(ex, edge.target)]
    return " ".join(parts)


def _path_products(ex: Explanation, terms, more: bool) -> list[str]:
    """Each path's product of local partials, under a brace naming the path."""
    result: list[str] = []
    ends = path_ends([term.edges for term in terms])
    for i, term in enumerate(terms):
        fractions = [local(ex, e.target, e.source) for e in term.edges]
        label = route(ex, term.edges, ends or (2, 1))
        if len(fractions) > LONG_PATH:
            fractions = [*fractions[:2], r"\cdots", fractions[-1]]
            label += rf"\ ({len(term.edges)}\ \text{{{noun(len(term.edges), 'edge')}}})"
        if ends is None:  # paths that differ only deep inside: their ends, numbered
            label = rf"\text{{{i + 1}.}}\ {label}"
        product = r"\,".join(fractions)
        braced = rf"\underbrace{{{product}}}_{{{label}}}"
        result.append(("+ " if i else "") + braced)
    if more:
        result.append(r"+ \cdots")
    return result


def step_chain(ex: Explanation, sweep: Sweep, index: int, step: Step) -> Chain:
    """One edge of a sweep: ``total += carried · local = … = contribution``."""
    edge, out = step.edge, ex.graph.output
    partial = local(ex, edge.target, edge.source)
    if sweep.mode == "forward":
        target = total(ex, edge.target, sweep.seed)
        factors = [partial, total(ex, edge.source, sweep.seed)]
        symbolic = [factor(step.partial), factor(step.carried)] if step.carried is not None \
            else None
        numeric = [factor(step.partial_value), factor(step.carried_value)] \
            if in_numbers((step.partial_value, step.carried_value)) else None
    else:
        target = total(ex, out, edge.source)
        carried = total(ex, out, edge.target)
        factors = [carried, partial]
        symbolic = [factor(step.carried), factor(step.partial)] if step.carried is not None \
            else [carried, factor(step.partial)]
        numeric = [factor(step.carried_value), factor(step.partial_value)] \
            if in_numbers((step.carried_value, step.partial_value)) else None
    if step.contribution_value is not None:
        result = value_items(step.contribution_value)
    elif step.contribution is not None:
        result = [item("=", pieces(step.contribution, limit=None if ex.full else ABBREVIATE))]
    else:
        result = []
    links = [
        item(r"\mathrel{+}=", _sum_of_products([factors], False)),
        item("=", _sum_of_products([symbolic], False)) if symbolic else None,
        item("=", _sum_of_products([numeric], False)) if numeric else None,
        *result,
    ]
    return Chain(target, distinct(links), rf"{index}.\ {route(ex, [edge])}")


def quantity_items(ex: Explanation, quantity, in_inputs=None) -> list[Item]:
    """A sweep's total: its expression (if built), the same written in the inputs (when
    given: the gradient summary) and its value."""
    if quantity is None:
        return []
    links: list[Item | None] = []
    if quantity.expr is not None:
        links.append(item("=", pieces(quantity.expr, limit=None if ex.full else ABBREVIATE)))
    if in_inputs is not None:
        links.append(item("=", pieces(in_inputs)))
    links.extend(value_items(quantity.value))
    return list(distinct(links))


def cost_rows(ex: Explanation) -> list[tuple[str, int, int, int]]:
    """The cost table's rows: method, multiplications, additions, total."""
    c, n = ex.cost, len(ex.graph.inputs)
    return [
        (label, ops.mul, ops.add, ops.total)
        for label, ops in (
            ("sum over paths, path by path", c.paths),
            (f"forward mode, {plural(n, 'sweep')}", c.forward),
            ("reverse sweep, 1 sweep", c.reverse),
        )
    ]


def repeated(ex: Explanation) -> tuple[list[tuple[Edge, int]], int]:
    """The local partials the path expansion multiplies in most often (all with ``full``)
    and how many more there are."""
    ranked = sorted(ex.cost.repeated, key=lambda pair: -pair[1])
    shown = ranked if ex.full else ranked[:REPEATED_ROWS]
    return shown, len(ranked) - len(shown)


def reused(ex: Explanation) -> tuple[list[str], bool]:
    """Nodes whose stored adjoint the reverse sweep reuses for several edges (the first
    four, as the terminal lists them) and whether there are more."""
    graph = ex.graph
    nodes = [n.name for n in graph.nodes if not n.is_input and n.name != graph.output
             and len(graph.in_edges[n.name]) > 1]
    return nodes[:4], len(nodes) > 4
