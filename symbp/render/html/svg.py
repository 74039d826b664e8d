"""Graphviz's SVG of the graph (:func:`symbp.render.dot.render`, the drawing of
``-o graph.svg``) made ready for the page: every node's group carries ``data-node``, every
edge's ``data-edge="u->v#slot"``, the red adjoint line of each node holds its number in a
``data-adjoint`` element the stepper rewrites, and nothing keeps a document-wide id (two
pictures on one page must not clash).
"""

from __future__ import annotations

import re
from html import escape

from ...core.graph import Edge
from ...explanation.records import Explanation
from ..dot import ADJOINT_COLOR, html_text
from ..terminal.explain_pieces import derivative

__all__ = ["edge_key", "network_svg", "page_svg"]


def edge_key(edge: Edge) -> str:
    """How the page names an edge: ``u->v#slot``."""
    return f"{edge.source}->{edge.target}#{edge.slot}"


_GROUP = re.compile(r'<g id="(node|edge)_(\d+)" class="(node|edge)">(.*?)</g>', re.S)
_ADJOINT_TEXT = re.compile(r'<text text-anchor="start" x="[-\d.]+"([^>]*fill="'
                           + ADJOINT_COLOR + r'"[^>]*)>[^<]*</text>')
_POINT = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")
_ELLIPSE = re.compile(r'<ellipse[^>]* cx="(-?[\d.]+)"')


def page_svg(ex: Explanation, svg: str, adjoints: dict[str, str]) -> str:
    """The drawing with the page's attributes; ``adjoints`` holds the number each node's
    ``data-adjoint`` shows before the stepper runs (its total: the static page)."""
    nodes, edges = ex.graph.nodes, ex.graph.edges

    def group(match: re.Match) -> str:
        kind, index, body = match[1], int(match[2]), match[4]
        if kind == "edge":
            key = escape(edge_key(edges[index]))
            return f'<g class="edge" data-edge="{key}">{body}</g>'
        node = nodes[index].name
        if node in adjoints:
            body = _adjoint_line(ex, node, body, adjoints[node])
        return f'<g class="node" data-node="{escape(node)}">{body}</g>'

    return _GROUP.sub(group, _cleaned(svg, "the computational graph"))


_NETWORK_GROUP = re.compile(r'<g id="(neuron|weight)_([\d_]+)" class="(node|edge)">', re.S)


def network_svg(svg: str) -> str:
    """A network's drawing (:func:`symbp.render.network_dot.render` with ``page``) with
    ``data-layer`` and ``data-neuron="l,j"`` on each neuron, ``data-weight="l,j,k"`` on
    each weight."""

    def group(match: re.Match) -> str:
        kind, numbers = match[1], match[2].split("_")
        key = ",".join(numbers)
        return (f'<g class="{match[3]}" data-layer="{numbers[0]}" '
                f'data-{kind}="{key}">')

    return _NETWORK_GROUP.sub(group, _cleaned(svg, "the network"))


def _cleaned(svg: str, label: str) -> str:
    """Graphviz's SVG without its prolog, comments and document-wide ids, sized by the
    page's style (``--symbp-width``: the size it was drawn at)."""
    svg = svg[svg.find("<svg"):]
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)
    svg = re.sub(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"',
                 lambda m: f'<svg class="symbp-picture" role="img" aria-label="{label}" '
                           f'style="--symbp-width: {m[1]}pt; --symbp-height: {m[2]}pt"',
                 svg, count=1)
    return svg.replace('<g id="graph0" class="graph"', '<g class="graph"', 1)


def _adjoint_line(ex: Explanation, node: str, body: str, shown: str) -> str:
    """The node's red ``de/dc = …`` line, centred on the node, its number in a
    ``data-adjoint`` element (Graphviz placed it for the longest form, so it fits)."""
    centre = _centre(body)
    if centre is None:
        return body
    head = html_text(derivative(ex.graph.output, node, True))

    def line(match: re.Match) -> str:
        return (f'<text text-anchor="middle" x="{centre:g}"{match[1]}>{head} = '
                f'<tspan data-adjoint="{escape(node)}">{escape(shown)}</tspan></text>')

    return _ADJOINT_TEXT.sub(line, body, count=1)


def _centre(body: str) -> float | None:
    """The x of the node's centre: its ellipse's, or the middle of its box's points."""
    ellipse = _ELLIPSE.search(body)
    if ellipse:
        return float(ellipse[1])
    shape = re.search(r'<(?:path|polygon)[^>]* (?:d|points)="([^"]*)"', body)
    if shape is None:
        return None
    xs = [float(x) for x, _ in _POINT.findall(shape[1])]
    return (min(xs) + max(xs)) / 2 if xs else None


