"""The network's stepper page: ``symbp network --spec net.json -o net.html``.

The same page as ``explain -o steps.html`` (:mod:`.page`): the neurons drawn by Graphviz
(:mod:`symbp.render.network_dot`) with ``data-layer``, ``data-neuron="l,j"`` and
``data-weight="l,j,k"``; the steps of :func:`symbp.network.page.network_steps` in
Nielsen's notation with the numbers of the walkthrough; the ``-F json`` document plus
``"steps"`` embedded (a step's ``"nodes"`` are neurons ``"l,j"``, its ``"edges"`` weights
``"l,j,k"``, its ``"blocks"`` the layer view's matrices ``"NAME,l"``).  With the layer
view (``view`` both or layers) a second tab shows its matrices (:mod:`.layers`), which
the steps highlight; a cell of its ∂C/∂W grid shows its weight's edge in the neuron tab.
"""

from __future__ import annotations

from html import escape

import sympy

from ...core.printing import inline, name, num, plural
from ...errors import SymbpError
from ...network.matrix_symbols import activated, activated_prime
from ...network.page import NetworkStep, network_steps
from ...network.records import NetworkWalkthrough
from .. import dot, network_dot
from ..marks import FAILED, MARK, full, more_words
from .layers import layer_tab
from .page import View, document, stepper
from .svg import network_svg

__all__ = ["NETWORK_PHASE_TITLES", "to_html"]

NETWORK_PHASE_TITLES = {
    "forward": "Forward pass",
    "bp1": "BP1: output error",
    "bp2": "BP2: errors backwards",
    "bp34": "BP3/BP4: gradients",
    "average": "Batch average",
    "update": "SGD update",
    "checks": "Checks",
}
"""Each phase's heading, in the step panel and the static list."""


def to_html(walk: NetworkWalkthrough, *, suffix: str = "", page: bool = True) -> str:
    """The network's stepper page (a whole document; ``page=False``: the fragment)."""
    if not isinstance(walk, NetworkWalkthrough):
        raise SymbpError("the network's page needs its numbers: give --spec net.json")
    network = walk.spec.network
    heading = (f"Backpropagation in a {'-'.join(map(str, network.layers))} network: "
               f"{plural(len(walk.samples), 'sample')}, C = {num(walk.cost)}")
    notes = []
    try:
        graph = network_svg(network_dot.render(walk, "svg", page=True).decode("utf-8"))
    except SymbpError as error:
        graph = ""
        notes.append(f"No picture of the network: {error}" if dot.dot_program() else
                     "The picture of the network needs Graphviz's dot program, which is not "
                     "installed: apt-get install graphviz (or brew/conda install graphviz).")
    picture = graph or f'<p class="symbp-note">{escape(notes[-1])}</p>'  # its tab says why
    steps = network_steps(walk)
    if any(s.hidden for s in steps):
        notes.append("Only the first samples are stepped through, as the terminal shows "
                     f"them; write the page with {full()} to step through every sample.")
    data = walk.to_dict()
    data["steps"] = [_step_data(walk, step) for step in steps]
    views = () if walk.layers is None else (
        View("layers", "Layer view (matrices)", layer_tab(walk.layers, full=walk.full)),)
    fragment = stepper(heading=heading, notes=notes, graph=picture if views else graph,
                       zoom=bool(graph),
                       phases=NETWORK_PHASE_TITLES, data=data, suffix=suffix, page=page,
                       targets=("data-neuron", "data-weight", "data-block"), views=views,
                       picture_title="Neuron graph",
                       selected="layers" if walk.view == "layers" else "picture")
    return document("symbp: " + heading, fragment) if page else fragment


def _step_data(walk: NetworkWalkthrough, step: NetworkStep) -> dict:
    return {"phase": step.phase, "text": _words(walk, step),
            "nodes": [f"{layer},{j}" for layer, j in step.neurons],
            "edges": [f"{layer},{j},{k}" for layer, j, k in step.weights],
            "blocks": [f"{block},{layer}" for block, layer in step.blocks
                       if walk.layers is not None],
            **({"sample": step.sample + 1} if step.sample is not None else {}),
            **({"layer": step.layer} if step.layer is not None else {})}


def _sym(letter: str, layer: int | str) -> str:
    return name(f"{letter}^{{{layer}}}")


def _vector(values) -> str:
    return "(" + ", ".join(num(v) for v in values) + ")"


def _matrix(rows) -> str:
    return "(" + "; ".join(", ".join(num(v) for v in row) for row in rows) + ")"


def _words(walk: NetworkWalkthrough, step: NetworkStep) -> str:
    if step.check is not None:
        c = step.check
        return (f"{MARK[c.passed]} {c.name}  [{c.method}]" + (f"  {FAILED}" if c.passed is False
                                                              else "")
                + (f"  {c.detail}" if c.detail else ""))
    if step.hidden:
        return f"… {step.hidden:,} {more_words(step.hidden, 'sample')}"
    network = walk.spec.network
    layer = step.layer
    z, a, w, b, d = (_sym(x, layer) for x in "zawbδ")
    if layer is not None:  # the layer's own σ and σ': relu(z²), relu'(z²), σ'(z³), 1
        z_l = sympy.Symbol(f"z^{{{layer}}}")
        sigma, sigma_prime = (inline(f(network.sigma(layer), z_l))
                              for f in (activated, activated_prime))
    if step.sample is not None:
        s = walk.samples[step.sample]
        head = f"sample {step.sample + 1}, layer {layer}: "
        i = layer - 2
        if step.phase == "forward":
            return (head + f"{z} = {w}·{_sym('a', layer - 1)} + {b} = {_vector(s.z[i])};  "
                    f"{a} = {sigma} = {_vector(s.a[i])}"
                    + (f";  C = {num(s.cost)}" if layer == len(network.layers) else ""))
        if step.phase == "bp1":
            return (head + f"BP1 {d} = ∇ₐC ⊙ {sigma_prime} = {_vector(s.grad_a[i])} ⊙ "
                    f"{_vector(s.sigma_prime[i])} = {_vector(s.delta[i])}"
                    if s.jacobian is None or layer != len(network.layers) else
                    head + f"BP1 {d} = (∂{a}/∂{z})ᵀ ∇ₐC = {_vector(s.delta[i])}")
        if step.phase == "bp2":
            up = _sym("w", layer + 1)
            return (head + f"BP2 {d} = (({up})ᵀ {_sym('δ', layer + 1)}) ⊙ {sigma_prime} = "
                    f"{_vector(s.grad_a[i])} ⊙ {_vector(s.sigma_prime[i])} = "
                    f"{_vector(s.delta[i])}")
        return (head + f"BP3 ∂C/∂{b} = {d} = {_vector(s.grad_b[i])};  BP4 ∂C/∂{w}ⱼₖ = "
                f"{_sym('a', layer - 1)}ₖ {d}ⱼ = {_matrix(s.grad_w[i])}")
    i = layer - 2
    m = len(walk.samples)
    if step.phase == "average":
        return (f"layer {layer}, averaged over the {plural(m, 'sample')} (1/{m} · Σ): "
                f"∂C/∂{w} = {_matrix(walk.grad_w[i])};  ∂C/∂{b} = {_vector(walk.grad_b[i])}")
    eta = num(walk.spec.learning_rate)
    return (f"layer {layer}, SGD with η = {eta}: {w} ← {w} − η ∂C/∂{w} = "
            f"{_matrix(walk.updated.weights[i])};  {b} ← {b} − η ∂C/∂{b} = "
            f"{_vector(walk.updated.biases[i])}")
