r"""The ``symbp network`` documents as :class:`~symbp.render.tex.document.Part` s: the
derivation of BP1–BP4 (here) and the numeric walkthrough
(:mod:`~symbp.render.tex.walkthrough`), for the LaTeX and Markdown printers, so the
two show the same rows and the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterator

import sympy

from ...core.printing import noun, plural
from ...network import steps
from ...network.functions import ACTIVATIONS
from ...network.prose import Code, Emph, Math, Text
from ...network.prose import prose as prose_of
from ...network.records import NetworkDerivation, NetworkWalkthrough
from ...network.symbols import Adjoint, Edge, Juxtapose, Parens, Partial, SumOver, symbol
from .. import marks
from ..prose import math_latex, math_mode
from . import math as tex
from .document import Chain, Item, Part, math_part
from .network_math import adjoint, checks_parts, more, shape
from .walkthrough import walkthrough_parts

__all__ = ["parts"]


def parts(record: NetworkDerivation | NetworkWalkthrough) -> list[Part]:
    """The document as parts (see :class:`Part`)."""
    if isinstance(record, NetworkDerivation):
        return list(_derivation(record))
    return list(walkthrough_parts(record))


# -- the derivation -------------------------------------------------------------------------------

def _derivation(d: NetworkDerivation) -> Iterator[Part]:
    net = d.network
    yield Part("title", prose_of(f"Backpropagation in a {shape(net)} network"))
    yield Part("prose", prose_of(
        f"Activation {net.activation_text}, {net.cost} cost. ",
        sympy.Eq(symbol("L"), sympy.Integer(net.depth), evaluate=False),
        " layers: layer 1 is the input ", symbol("x"), f", layer {net.depth} the output; ",
        symbol("C"), " is the cost of one training example. Notation of Nielsen, ",
        Emph("Neural Networks and Deep Learning"), ", ch. 2."))
    yield Part("heading", prose_of("Notation"))
    header = tuple(map(prose_of, ("symbol", "meaning", "in this network")))
    yield Part("table", header=header, align="lpp",
               rows=tuple((prose_of(Math(s)), m, h) for s, m, h in d.notation))
    yield Part("heading", prose_of("Assumptions on the cost"))
    yield Part("list", rows=d.assumptions, align="enumerate")
    yield Part("heading", prose_of("The four equations of backpropagation"))
    yield Part("prose", prose_of("Each in component form and in vector form, and why it holds."))
    for eq in d.equations:
        yield Part("subheading", prose_of(f"{eq.label}: {eq.title}"))
        yield math_part([_equation(eq.component, r"\text{component}"),
                         _equation(eq.vector, r"\text{vector}")], eq.label)
        yield Part("prose", prose_of("Why: ", *eq.derivation))
    yield Part("heading", prose_of("For this network"))
    if net.activation is not None:
        act = ACTIVATIONS[net.activation]
        yield Part("prose", prose_of(symbol("sigma"), f" = {net.activation}: ", *act.formula,
                                     ", ", *d.derivative_formula, "; ", *d.gradient_formula,
                                     "."))
    else:  # σ differs between layers: each layer's
        yield Part("prose", prose_of(symbol("sigma"), " per layer: ", *d.activation_formula,
                                     ". Its derivative: ", *d.derivative_formula, "; ",
                                     *d.gradient_formula, "."))
    for layer in range(net.depth, 1, -1):
        equations = [eq for eq in d.layers if eq.layer == layer]
        role = " (output)" if layer == net.depth else ""
        if net.activation is None:  # σ differs between layers: say whose σ' is used
            role += f", σ = {net.sigma(layer)}"
        yield Part("subheading", prose_of(f"Layer {layer}{role}"))
        rows: list[Chain | str] = []
        for eq in equations:
            shown, hidden = steps.summarize(eq.components, d.full)
            hidden += eq.count - len(eq.components)
            rows.append(_equation(eq.vector, rf"\text{{{eq.label}}}"))
            rows += [Chain(math_latex(c.lhs, in_text=False),
                           (Item("=", (tex.network_expr(c.rhs),)),))
                     for c in shown]
            if hidden:
                rows.append(more(hidden, noun(hidden, "component")))
        labels = ", ".join(eq.label for eq in equations)
        yield math_part(rows, f"layer {layer}: {labels}")
        for eq in equations:
            if eq.note:
                yield Part("prose", eq.note)
    order = []
    for layer in range(net.depth, 1, -1):
        delta = symbol(f"delta^{{{layer}}}")
        order += [Text(", then ")] if order else []
        order += ([Math(delta), Text(" (BP1)")] if layer == net.depth else
                  [Math(delta), Text(" (BP2, from "), Math(symbol(f"delta^{{{layer + 1}}}")),
                   Text(")")])
    yield Part("prose", prose_of(
        "Order: ", *order, ". Each ", symbol("delta"), " is computed once and reused — by BP3 "
        "and BP4 of its layer and by BP2 for the layer below: the memoized reverse sweep, "
        "i.e. backpropagation."))
    yield from _neuron_rules(d)
    yield from checks_parts(d.checks, d.ok, prose_of(
        f"On random parameters and a random example (seed {d.seed}), every equation above is "
        "evaluated and compared."))


def _equation(equation, note: str = "") -> Chain:
    """A ``sympy.Eq`` as a display chain aligned at its ``=``."""
    return Chain(math_latex(equation.lhs, in_text=False),
                 (Item("=", (math_latex(equation.rhs, in_text=False),)),), note)


def _neuron_rules(d: NetworkDerivation) -> Iterator[Part]:
    graph = d.graph
    yield Part("heading", prose_of("The same equations on the neuron-level graph"))
    c, v, t = symbol("C"), symbol("v"), symbol("t")
    rule = sympy.Eq(Adjoint(c, v), SumOver(Juxtapose(Parens(Adjoint(c, t)), Parens(Partial(t, v))),
                                           Edge(v, t)), evaluate=False)
    yield Part("prose", prose_of(
        symbol("C_x"), f" as a computational graph has {plural(len(graph.nodes), 'node')} "
        f"and {plural(len(graph.edges), 'edge')}. Backprop on the graph stores ", Adjoint(c, v),
        " for every node ", v, ", from ", c, " down: ", rule,
        " (the local partial, from the rule table). For neuron 1 of each layer:"))
    rows = []
    for rule in d.adjoint_rules:
        terms = [tex.factor(p) for _, p in rule.terms]
        product = [rf"{adjoint(e.target)} \cdot {t}"
                   for (e, _), t in zip(rule.terms, terms, strict=True)]
        pieces = [("+ " if i else "") + p for i, p in enumerate(product)] or ["1"]
        label = (*rule.meaning, Text(f" ({rule.equation})")) if rule.equation else rule.meaning
        note = math_mode(label) if label else ""
        rows.append(Chain(adjoint(rule.node), (Item("=", tuple(pieces)),), note))
    yield math_part(rows, "neuron-level adjoints")
    if not d.full:
        every = plural(len(d.sweep_steps), "step")
        yield Part("prose", prose_of("(", Code(marks.full()),
                                     f" shows all {every} of the sweep in the terminal.)"))
