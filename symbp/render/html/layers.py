"""The network page's layer tab: the layer view's matrices of the batch, layer by layer,
each with its shape badge, in the page's convention (:mod:`symbp.network.layers`).

Every block is a ``<figure data-layer="l" data-block="NAME,l">`` (NAME one of
:data:`symbp.network.page.BLOCKS`, the JSON's ``"layer_view"`` keys; ``A,1`` is the input),
which the stepper highlights when a step's ``"blocks"`` names it.  The ∂C/∂W^l grid is a
table whose cells carry ``data-weight="l,j,k"`` and the sentence the page says when one is
picked (``data-symbp-say``): the stepper then shows the weight's edge in the neuron tab.
Big matrices are cut as the other formats cut them (:func:`symbp.network.layers.shown`),
except along the samples: a batch matrix shows every sample the page steps through.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ...core.printing import name, num, plural
from ...network.layers import LayerView, layer_numbers, shown
from ...network.matrix_form import transpose
from ...network.model import Matrix
from ...summary import summarize
from ..prose import math_unicode, unicode

__all__ = ["layer_tab"]


def layer_tab(view: LayerView, *, full: bool) -> str:
    """The layer tab's HTML: the convention's sentence and equations, then every layer's
    W, b, Z, A, Δ, ∂C/∂W and ∂C/∂b (the input layer: A¹ alone)."""
    pytorch = view.convention == "pytorch"
    m = view.m
    along = "rows" if pytorch else "columns"  # where a batch matrix holds its samples
    inputs = view.matrices.x
    parts = ['<div class="symbp-layers">',
             f'<p class="symbp-note">{escape(unicode(view.note))}</p>',
             '<dl class="symbp-equations">'
             + "".join(f"<dt>{escape(label)}</dt><dd>{escape(math_unicode(eq))}</dd>"
                       for label, eq in view.batch_equations) + "</dl>",
             _layer(1, "the input", [_block("A", 1, "A^{1}", transpose(inputs) if pytorch
                                            else inputs, full, samples=along, m=m)])]
    for n, row in zip(layer_numbers(view), view.shapes, strict=True):
        layer = n.layer
        batch = [_block(key, layer, symbol, values, full, samples=samples, m=m)
                 for key, symbol, values, samples in (
                     ("W", f"W^{{{layer}}}", n.weight, None),
                     ("b", f"b^{{{layer}}}", _vector(n.bias, pytorch), None),
                     ("Z", f"Z^{{{layer}}}", n.z, along),
                     ("A", f"A^{{{layer}}}", n.a, along),
                     ("Delta", f"Delta^{{{layer}}}", n.delta, along))]
        batch.append(_grid(layer, n.weight, n.grad_w, m, full))
        batch.append(_block("grad_b", layer, f"b^{{{layer}}}", _vector(n.grad_b, pytorch),
                            full, partial=True, m=m))
        parts.append(_layer(layer, f"σ = {row.activation}", batch))
    parts.append("</div>")
    return "".join(parts)


def _vector(values: Sequence[float], row: bool) -> Matrix:
    """A vector as the convention lays it out: a column (Nielsen's), a row (PyTorch's)."""
    return (tuple(values),) if row else tuple((v,) for v in values)


def _layer(layer: int, words: str, blocks: list[str]) -> str:
    return (f'<section class="symbp-layer" data-layer="{layer}" aria-label="layer {layer}">'
            f"<h3>Layer {layer} <small>{escape(words)}</small></h3>"
            f'<div class="symbp-blocks">{"".join(blocks)}</div></section>')


def _badge(values: Matrix, vector: bool) -> str:
    rows, columns = len(values), len(values[0])
    return f"({rows * columns})" if vector else f"{rows}×{columns}"


def _caption(symbol: str, values: Matrix, vector: bool, partial: bool, m: int = 1) -> str:
    """The symbol and its shape; a gradient of a batch says it is the mean (a sample's step
    highlights it too, and its own δ aᵀ is in the step's text)."""
    shown_symbol = ("∂C/∂" if partial else "") + name(symbol)
    mean = f' <small>mean of {m}</small>' if partial and m > 1 else ""
    return (f'<figcaption><span class="symbp-symbol">{escape(shown_symbol)}</span> '
            f'<span class="symbp-badge">{_badge(values, vector)}</span>{mean}</figcaption>')


def _block(key: str, layer: int, symbol: str, values: Matrix, full: bool, *,
           partial: bool = False, samples: str | None = None, m: int = 1) -> str:
    """A matrix with its symbol and shape; a batch matrix's cells name their sample
    (``data-sample``, from 1: its column in Nielsen's layout, its row in PyTorch's), which
    the stepper marks while a step speaks of that sample — so a batch matrix shows every
    sample of the ``m`` the page steps through (the block scrolls sideways when wide)."""
    vector = key in ("b", "grad_b")
    rows, columns = shown(len(values), full), shown(len(values[0]), full)
    if samples is not None:  # every sample the page steps through has its column (or row)
        stepped = tuple(range(len(summarize(range(m), full)[0])))
        rows, columns = (stepped, columns) if samples == "rows" else (rows, stepped)
    body = []

    def sample(i: int, k: int) -> str:
        if samples is None:
            return ""
        return f' data-sample="{(i if samples == "rows" else k) + 1}"'

    for i in rows:
        cells = "".join(f"<td{sample(i, k)}>{num(values[i][k])}</td>" for k in columns)
        body.append(f"<tr>{cells}{_more_cell(len(values[0]) - len(columns))}</tr>")
    body.append(_more_row(len(values) - len(rows), len(columns)))
    return (f'<figure class="symbp-block" data-layer="{layer}" data-block="{key},{layer}">'
            + _caption(symbol, values, vector, partial, m)
            + f'<table class="symbp-matrix"><tbody>{"".join(body)}</tbody></table></figure>')


def _more_cell(hidden: int) -> str:
    return f'<td class="symbp-more" title="{plural(hidden, "more column")}">⋯</td>' if hidden \
        else ""


def _more_row(hidden: int, columns: int) -> str:
    return (f'<tr><td class="symbp-more" colspan="{columns}">⋮ '
            f'{plural(hidden, "more row")}</td></tr>' if hidden else "")


def _grid(layer: int, weights: Matrix, grad_w: Matrix, m: int, full: bool) -> str:
    """∂C/∂W^l as BP4's grid: rows δ^l_j, columns a^{l−1}_k, entry (j, k) the batch mean of
    a_k δ_j, each cell a weight the reader can pick."""
    rows, columns = shown(len(grad_w), full), shown(len(grad_w[0]), full)
    mean = "" if m == 1 else f"the mean over the {plural(m, 'sample')} of "
    head = "".join(f'<th scope="col">{escape(name(f"a^{{{layer - 1}}}_{{{k + 1}}}"))}</th>'
                   for k in columns)
    body = []
    for j in rows:
        delta = name(f"delta^{{{layer}}}_{{{j + 1}}}")
        cells = []
        for k in columns:
            weight = name(f"w^{{{layer}}}_{{{j + 1}{k + 1}}}")
            a_k = name(f"a^{{{layer - 1}}}_{{{k + 1}}}")
            value = num(grad_w[j][k])
            say = (f"∂C/∂{weight} = {mean}{a_k}·{delta} (BP4, as in the neuron view) = "
                   f"{value}, for the weight {weight} = {num(weights[j][k])} from neuron "
                   f"{k + 1} of layer {layer - 1} to neuron {j + 1} of layer {layer}")
            # one tab stop per grid (WAI-ARIA's grid pattern): the arrows move inside it
            first = j == rows[0] and k == columns[0]
            cells.append(f'<td data-weight="{layer},{j + 1},{k + 1}" '
                         f'tabindex="{0 if first else -1}" '
                         f'data-symbp-say="{escape(say)}" '
                         f'aria-label="∂C/∂{escape(weight)} = {value}">{value}</td>')
        body.append(f'<tr><th scope="row">{escape(delta)}</th>{"".join(cells)}'
                    f"{_more_cell(len(grad_w[0]) - len(columns))}</tr>")
    body.append(_more_row(len(grad_w) - len(rows), len(columns) + 1))
    return (f'<figure class="symbp-block symbp-grid" data-layer="{layer}" '
            f'data-block="grad_W,{layer}">'
            + _caption(f"W^{{{layer}}}", grad_w, False, True, m)
            + f'<table class="symbp-matrix" role="grid"><thead><tr><th></th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></figure>')
