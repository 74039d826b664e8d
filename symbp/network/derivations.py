"""The walkthrough's rows as formulas, each defined once: a step of one sample
(:mod:`symbp.network.steps`) as ``lhs = formula = numbers = value``, every link a SymPy
object — Nielsen's notation (:mod:`symbp.network.symbols`) with the numbers as the
printers round them (:class:`~symbp.network.prose.Rounded`, a negative factor in
parentheses).  The terminal prints them in one-line Unicode, the LaTeX and Markdown
documents with ``sympy.latex``; neither writes a formula of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from ..core.forward import SweepStep
from . import graph
from .formulas import COST_SUMS
from .prose import Prose, Rounded, prose
from .steps import ErrorRow, ForwardRow, GradientRow, OutputError, SampleCost, SoftmaxError
from .symbols import (
    Adjoint,
    Brackets,
    Factors,
    Juxtapose,
    Ln,
    Minus,
    Neg,
    Operator,
    Parens,
    Partial,
    Quotient,
    Squared,
    SumOver,
    Terms,
    Word,
    sigma,
    sigma_prime,
    symbol,
)

__all__ = ["FORWARD", "Derivation", "batch_cost", "batch_rule", "cost", "error", "factor",
           "forward", "gradient", "sweep_step"]


@dataclass(frozen=True)
class Derivation:
    """``lhs = links[0] = links[1] …``: the formula, the numbers put in, the value.

    ``label`` names the rule the row applies (``BP1`` … ``BP4``, ``cost``); ``result`` is
    an equation the row gives as well (aˡⱼ = σ(zˡⱼ) beside zˡⱼ); ``accumulates``: the first
    relation is ``+=`` (a step of the reverse sweep adds to the adjoint).
    """

    lhs: sympy.Basic
    links: tuple[sympy.Basic, ...]
    label: str = ""
    result: sympy.Basic | None = None
    accumulates: bool = False


_C, _k, _one = symbol("C"), symbol("k"), sympy.Integer(1)


def factor(value: float) -> sympy.Basic:
    """A number as a factor: rounded, a negative one in parentheses (``0.7·(-0.08)``)."""
    number = Rounded(value)
    return Parens(number) if number.name.startswith("-") else number


def _product(*factors) -> Factors:
    """Factors multiplied, a product among them flattened: a·b·c, not (a·b)·c."""
    flat = []
    for f in factors:
        flat.extend(f.args if isinstance(f, Factors) else (f,))
    return Factors(*flat)


def _forward() -> tuple[sympy.Eq, ...]:
    z = symbol("z^{l}_{j}")
    weighted = sympy.Add(SumOver(Juxtapose(symbol("w^{l}_{jk}"), symbol("a^{l-1}_{k}")), _k),
                         symbol("b^{l}_{j}"), evaluate=False)
    return (sympy.Eq(z, weighted, evaluate=False),
            sympy.Eq(symbol("a^{l}_{j}"), sigma(z), evaluate=False),
            sympy.Eq(symbol("a^{1}"), symbol("x"), evaluate=False))


FORWARD = _forward()
"""The forward pass in general: zˡⱼ = Σₖ wˡⱼₖ aˡ⁻¹ₖ + bˡⱼ, aˡⱼ = σ(zˡⱼ), a¹ = x."""


def forward(row: ForwardRow) -> Derivation:
    """zˡⱼ = Σₖ wˡⱼₖ aˡ⁻¹ₖ + bˡⱼ, term by term when written out, = its value; aˡⱼ beside."""
    layer, j = row.layer, row.j
    if row.terms:
        arithmetic = Terms(*(_product(factor(w), factor(a)) for w, a in row.terms),
                           factor(row.bias))
    else:
        arithmetic = Terms(SumOver(Juxtapose(symbol(graph.weight_name(layer, j, "k")),
                                             symbol(graph.activation_name(layer - 1, "k"))), _k),
                           symbol(graph.bias_name(layer, j)))
    return Derivation(symbol(graph.weighted_input_name(layer, j)), (arithmetic, Rounded(row.z)),
                      result=sympy.Eq(symbol(graph.activation_name(layer, j)), Rounded(row.a),
                                      evaluate=False))


def _quadratic(a, y) -> sympy.Basic:
    terms = [Squared(Minus(Rounded(yj), factor(aj))) for aj, yj in zip(a, y, strict=True)]
    return Juxtapose(Operator("half"), Brackets(Terms(*terms)) if len(terms) > 1 else terms[0])


def _cross_entropy(a, y) -> sympy.Basic:
    return Neg(Brackets(Terms(*(
        Terms(_product(factor(yj), Ln(Rounded(aj))), _product(factor(1 - yj), Ln(Rounded(1 - aj))))
        for aj, yj in zip(a, y, strict=True)))))


_NUMBERS = {"quadratic": _quadratic, "cross-entropy": _cross_entropy}
"""Cost name → C with the sample's numbers put in, term by term."""


def cost(c: SampleCost) -> Derivation:
    """C = Σⱼ C(aᴸⱼ, yⱼ) (:data:`~symbp.network.formulas.COST_SUMS`), its terms with the
    numbers put in when written out, = its value."""
    links = [COST_SUMS[c.cost](symbol(graph.activation_name(c.layer, "j")))]
    if c.cost == "log-likelihood":  # y is one-hot: one term, −ln a^L_y
        label = c.targets.index(1.0)
        links += [Neg(Ln(symbol(graph.activation_name(c.layer, label + 1)))),
                  Neg(Ln(Rounded(c.outputs[label])))]
    elif c.written_out:
        links.append(_NUMBERS[c.cost](c.outputs, c.targets))
    return Derivation(_C, (*links, Rounded(c.value)), "cost")


def error(row: ErrorRow) -> Derivation:
    """δˡⱼ by BP1 (∂C/∂aᴸⱼ of the cost times σ'(zᴸⱼ); a softmax's with its Jacobian) or
    BP2 ((Σₖ wˡ⁺¹ₖⱼ δˡ⁺¹ₖ) σ'(zˡⱼ)): the formula, the numbers, the value."""
    delta = symbol(graph.delta_name(row.layer, row.j))
    z, a = symbol(graph.weighted_input_name(row.layer, row.j)), symbol(
        graph.activation_name(row.layer, row.j))
    if isinstance(row, SoftmaxError):
        formula, numbers = _softmax_bp1(row, a)
    elif isinstance(row, OutputError):
        formula, numbers = _bp1(row, a)
        formula, numbers = (_product(formula, sigma_prime(z)),
                            _product(numbers, factor(row.sigma_prime)))
    else:
        w_kj = symbol(graph.weight_name(row.layer + 1, "k", row.j))
        formula = _product(Parens(SumOver(Juxtapose(
            w_kj, symbol(graph.delta_name(row.layer + 1, "k"))), _k)), sigma_prime(z))
        products = [_product(factor(w), factor(d)) for w, d in row.terms]
        total = (Parens(Terms(*products)) if len(products) > 1 else products[0] if products
                 else factor(row.weighted_error))
        numbers = _product(total, factor(row.sigma_prime))
    return Derivation(delta, (formula, numbers, Rounded(row.delta)), row.label)


def _bp1(row: OutputError, a) -> tuple[sympy.Basic, sympy.Basic]:
    """∂C/∂aᴸⱼ of the cost, in symbols and in numbers."""
    y = symbol(graph.target_name(row.j))
    aj, yj = row.output, row.target
    if row.cost == "quadratic":
        return Parens(Minus(a, y)), Parens(Minus(Rounded(aj), factor(yj)))
    return (Quotient(Minus(a, y), Juxtapose(a, Parens(Minus(_one, a)))),
            Quotient(Minus(Rounded(aj), factor(yj)), _product(Rounded(aj), Rounded(1 - aj))))


def _softmax_bp1(row: SoftmaxError, a) -> tuple[sympy.Basic, sympy.Basic]:
    """δᴸⱼ = aᴸⱼ(∂C/∂aᴸⱼ − Σₖ aᴸₖ ∂C/∂aᴸₖ); with the log-likelihood, aᴸⱼ − yⱼ."""
    y = symbol(graph.target_name(row.j))
    if row.cost == "log-likelihood":  # the Jacobian form reduced: a − y
        return Minus(a, y), Minus(Rounded(row.output), factor(row.target))
    a_k = symbol(graph.activation_name(row.layer, "k"))
    return (Juxtapose(a, Parens(Minus(Partial(_C, a), SumOver(Juxtapose(a_k, Partial(_C, a_k)),
                                                              _k)))),
            _product(factor(row.output), Parens(Minus(Rounded(row.gradient),
                                                      factor(row.weighted)))))


def gradient(row: GradientRow) -> Derivation:
    """BP3, ∂C/∂bˡⱼ = δˡⱼ, or BP4, ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ·δˡⱼ with the numbers put in; = its value."""
    delta = symbol(graph.delta_name(row.layer, row.j))
    if row.k is None:
        return Derivation(Partial(_C, symbol(graph.bias_name(row.layer, row.j))),
                          (delta, Rounded(row.value)), row.label)
    return Derivation(Partial(_C, symbol(graph.weight_name(row.layer, row.j, row.k))),
                      (_product(symbol(graph.activation_name(row.layer - 1, row.k)), delta),
                       _product(factor(row.activation), factor(row.delta)),
                       Rounded(row.value)), row.label)


def batch_rule(learning_rate: float) -> Prose:
    """C = (1/n) Σₓ Cₓ, so the gradient is the samples' mean, and one SGD step with η."""
    C, eta = _C, symbol("eta")
    return prose(
        sympy.Eq(C, Juxtapose(sympy.Pow(symbol("n"), -1, evaluate=False),
                              SumOver(symbol("C_x"), symbol("x"))), evaluate=False),
        ", so ", Partial(C, symbol("w")), " and ", Partial(C, symbol("b")),
        " are the averages of the samples' gradients; one SGD step: ",
        sympy.Eq(Word("after"), Minus(Word("before"), Factors(eta, Word("mean"))),
                 evaluate=False), ", ", sympy.Eq(eta, Rounded(learning_rate), evaluate=False))


def batch_cost(costs: Sequence[float], value: float, written_out: bool) -> Derivation:
    """C = (1/n) Σₓ Cₓ with the samples' costs put in when written out, = its value."""
    average = ((Quotient(Terms(*map(Rounded, costs)), sympy.Integer(len(costs))),)
               if written_out else ())
    return Derivation(_C, (*average, Rounded(value)))


def sweep_step(step: SweepStep) -> Derivation:
    """dC/dv += dC/dt · ∂t/∂v = carried · partial = contribution: the reverse sweep along
    the edge v → t."""
    v, t = symbol(step.edge.source), symbol(step.edge.target)
    return Derivation(Adjoint(_C, v),
                      (_product(Adjoint(_C, t), Partial(t, v)),
                       _product(factor(step.carried), factor(step.partial)),
                       Rounded(step.contribution)), accumulates=True)
