"""Graphviz pictures of a network (``symbp network ... -o net.svg``, ``-o net.dot``): one
node per neuron, layer by layer from left to right, one edge per weight.

A walkthrough (``--spec``) labels each edge with its weight w^l_{jk} and each neuron of
layer l ≥ 2 with its bias; a derivation (``--layers``) with the names.  ``page`` draws
it for the HTML stepper: the neuron j of layer l has the id ``neuron_l_j`` and the weight
w^l_{jk} ``weight_l_j_k`` (1-based, Nielsen's indices; the SVG keeps them).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.printing import name, num
from ..errors import SymbpError
from ..network.records import NetworkDerivation, NetworkWalkthrough
from .dot import TIMEOUT, draw, html_text

__all__ = ["MAX_WEIGHTS", "network_of", "render", "to_dot"]

MAX_WEIGHTS = 600
"""Most weights drawn: beyond, Graphviz's layout takes minutes and the labels pile up."""

_FONT = "Helvetica"
_FILL = {"input": "#dbeafe", "hidden": "#f3f4f6", "output": "#fde68a"}


def network_of(record):
    """The :class:`~symbp.network.model.Network` a derivation or walkthrough is about."""
    if isinstance(record, NetworkWalkthrough):
        return record.spec.network
    if isinstance(record, NetworkDerivation):
        return record.network
    raise TypeError(f"no network in {type(record).__name__}")


def to_dot(record: NetworkDerivation | NetworkWalkthrough, *, page: bool = False) -> str:
    """The network as Graphviz DOT text (refused beyond :data:`MAX_WEIGHTS` weights)."""
    network = network_of(record)
    weights = sum(len(w) * len(w[0]) for w in network.weights if w)
    if weights > MAX_WEIGHTS:
        raise SymbpError(f"the network has {weights:,} weights, more than the "
                         f"{MAX_WEIGHTS:,} a picture can show; draw a smaller one")
    return "\n".join(_lines(record, isinstance(record, NetworkWalkthrough), page)) + "\n"


def render(record, fmt: str = "svg", *, page: bool = False,
           timeout: float = TIMEOUT) -> bytes:
    """The picture drawn by Graphviz, as ``svg`` or ``png`` bytes (a one-line
    :class:`SymbpError` when Graphviz is missing, fails or takes too long)."""
    return draw(lambda: to_dot(record, page=page), fmt, timeout=timeout, what="the network")


def _lines(record, numbers: bool, page: bool) -> Iterator[str]:
    network = network_of(record)
    layers = network.layers
    last = len(layers)
    yield "digraph network {"
    caption = (f"layers {', '.join(map(str, layers))}; σ: {', '.join(network.activations)}; "
               f"cost: {network.cost}")
    yield (f'  graph [rankdir=LR, fontname="{_FONT}", fontsize=11, nodesep=0.25, '
           f'ranksep=1.8, labelloc=b, labeljust=l, label=<{html_text(caption)}>];')
    yield (f'  node [fontname="{_FONT}", fontsize=11, shape=circle, style=filled, '
           'color="#4b5563", margin="0.04,0.04"];')
    yield f'  edge [fontname="{_FONT}", fontsize=9, color="#6b7280", arrowsize=0.6];'
    for layer, size in enumerate(layers, start=1):
        kind = "input" if layer == 1 else ("output" if layer == last else "hidden")
        yield f"  subgraph layer_{layer} {{ rank=same;"
        for j in range(1, size + 1):
            label = f"<b>{html_text(name(f'a^{{{layer}}}_{{{j}}}'))}</b>"
            if layer > 1:
                bias = network.biases[layer - 2][j - 1]
                label += "<br/>" + html_text(f"b = {num(bias)}" if numbers
                                             else name(f"b^{{{layer}}}_{{{j}}}"))
            ident = f', id="neuron_{layer}_{j}"' if page else ""
            yield (f'    "n{layer}_{j}" [fillcolor="{_FILL[kind]}"{ident}, '
                   f"label=<{label}>];")
        if size > 1:  # neurons 1, 2, … from the top (Graphviz would reorder them)
            chain = " -> ".join(f'"n{layer}_{j}"' for j in range(1, size + 1))
            yield f"    {chain} [style=invis];"
        yield "  }"
    for layer in range(2, last + 1):
        matrix = network.weights[layer - 2]
        for j, row in enumerate(matrix, start=1):
            for k, weight in enumerate(row, start=1):
                words = (f"{num(weight)}" if numbers else name(f"w^{{{layer}}}_{{{j}{k}}}"))
                ident = f', id="weight_{layer}_{j}_{k}"' if page else ""
                yield (f'  "n{layer - 1}_{k}" -> "n{layer}_{j}" [label=<{html_text(words)}>'
                       f"{ident}];")
    yield "}"
