"""BP1–BP4: in general (:data:`GENERIC`), instantiated for every layer of a network, and
the check that every instantiated component equation gives the reverse sweep's adjoint."""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from ..core.checks import Check
from .functions import ACTIVATIONS, COSTS
from .graph import (
    NeuronSweep,
    activation_name,
    bias_name,
    delta_name,
    target_name,
    weight_name,
    weighted_input_name,
)
from .model import Network
from .prose import Prose, joined, plain, prose
from .records import Component, GenericEquation, LayerEquation, sigma_prime
from .symbols import (
    Chain,
    Gradient,
    Hadamard,
    Juxtapose,
    Minus,
    Oslash,
    Partial,
    Shape,
    SumOver,
    Times,
    Transpose,
    Word,
    sigma,
    symbol,
)

__all__ = ["GENERIC", "MAX_COMPONENTS", "equations_check", "layer_equations"]

MAX_COMPONENTS = 500
"""Most component equations stored per equation and layer (the count is always kept)."""

def _generic() -> tuple[GenericEquation, ...]:
    s = symbol
    j, k, C, one = s("j"), s("k"), s("C"), sympy.Integer(1)

    def eq(lhs, rhs):
        return sympy.Eq(lhs, rhs, evaluate=False)

    def add(*terms):
        return sympy.Add(*terms, evaluate=False)

    dL, zL, aL = s("delta^{L}_{j}"), s("z^{L}_{j}"), s("a^{L}_{j}")
    dl, zl, bl, wl = s("delta^{l}_{j}"), s("z^{l}_{j}"), s("b^{l}_{j}"), s("w^{l}_{jk}")
    d_up, z_up = s("delta^{l+1}_{k}"), s("z^{l+1}_{k}")
    w_up, a_prev = s("w^{l+1}_{kj}"), s("a^{l-1}_{k}")
    weighted = eq(zl, add(SumOver(Juxtapose(wl, a_prev), k), bl))
    return (
        GenericEquation(
            "BP1", "error in the output layer",
            eq(dL, Times(Partial(C, aL), sigma_prime(zL))),
            eq(s("delta^{L}"), Hadamard(Gradient(C), sigma_prime(s("z^{L}")))),
            prose(Chain(dL, Partial(C, zL), SumOver(Times(Partial(C, s("a^{L}_{k}")),
                                                          Partial(s("a^{L}_{k}"), zL)), k)),
                  "; ", eq(s("a^{L}_{k}"), sigma(s("z^{L}_{k}"))), " depends on ", zL,
                  " only when ", eq(k, j), ", so one term is left: ",
                  Times(Partial(C, aL), sigma_prime(zL)), ".")),
        GenericEquation(
            "BP2", "error of a layer from the next layer's error",
            eq(dl, SumOver(Juxtapose(w_up, d_up, sigma_prime(zl)), k)),
            eq(s("delta^{l}"), Hadamard(Juxtapose(Transpose(s("w^{l+1}")), s("delta^{l+1}")),
                                        sigma_prime(s("z^{l}")))),
            prose(Chain(dl, Partial(C, zl), SumOver(Times(Partial(C, z_up),
                                                          Partial(z_up, zl)), k),
                        SumOver(Times(d_up, Partial(z_up, zl)), k)),
                  "; ", eq(z_up, add(SumOver(Juxtapose(w_up, sigma(zl)), j), s("b^{l+1}_{k}"))),
                  ", so ", eq(Partial(z_up, zl), Juxtapose(w_up, sigma_prime(zl))), ".")),
        GenericEquation(
            "BP3", "rate of change of the cost with a bias",
            eq(Partial(C, bl), dl),
            eq(Partial(C, s("b^{l}")), s("delta^{l}")),
            prose(Chain(Partial(C, bl), Times(Partial(C, zl), Partial(zl, bl)), Times(dl, one)),
                  ", since ", weighted, ".")),
        GenericEquation(
            "BP4", "rate of change of the cost with a weight",
            eq(Partial(C, wl), Juxtapose(a_prev, dl)),
            eq(Partial(C, s("w^{l}")), Juxtapose(s("delta^{l}"), Transpose(s("a^{l-1}")))),
            prose(Chain(Partial(C, wl), Times(Partial(C, zl), Partial(zl, wl)),
                        Times(dl, a_prev)), ", since ", weighted, ".")),
    )


GENERIC: tuple[GenericEquation, ...] = _generic()
"""BP1–BP4 in general (Nielsen, ch. 2)."""


def _sym(text: str) -> sympy.Symbol:
    return sympy.Symbol(text, real=True)


def layer_equations(network: Network):
    """BP1 (layer L), then for each layer from L down: BP2 (below L), BP3, BP4."""
    depth, layers = network.depth, network.layers
    cost = COSTS[network.cost]
    C = symbol("C")
    for layer in range(depth, 1, -1):
        n, n_in = layers[layer - 1], layers[layer - 2]
        deltas = [_sym(delta_name(layer, j)) for j in range(1, n + 1)]
        delta, z = symbol(f"delta^{{{layer}}}"), symbol(f"z^{{{layer}}}")
        if layer == depth:
            components = []
            for j in range(1, n + 1):
                a, y = _sym(activation_name(layer, j)), _sym(target_name(j))
                zj = _sym(weighted_input_name(layer, j))
                components.append(Component(deltas[j - 1], zj.name, sympy.Mul(
                    cost.symbolic_gradient(a, y), sigma_prime(zj), evaluate=False)))
            a, y = symbol(f"a^{{{layer}}}"), symbol("y")
            grad = Minus(a, y) if network.cost == "quadratic" else \
                Oslash(Minus(a, y), Hadamard(a, Minus(sympy.Integer(1), a)))
            note: Prose = ()
            if network.cost == "cross-entropy" and network.output_activation == "sigmoid":
                aj = symbol(f"a^{{{layer}}}_{{j}}")
                note = prose("with ", _eq(symbol("sigma"), Word("sigmoid")), ", ",
                             _eq(sigma_prime(symbol(f"z^{{{layer}}}_{{j}}")),
                                 Juxtapose(aj, Minus(sympy.Integer(1), aj))),
                             " cancels the denominator: ", _eq(delta, Minus(a, y)),
                             " (the reason for this cost)")
            yield LayerEquation(
                "BP1", layer, _eq(delta, Hadamard(Gradient(C), sigma_prime(z))),
                tuple(components[:MAX_COMPONENTS]), n, note, given=_eq(Gradient(C), grad))
        else:
            n_up = layers[layer]
            components = [
                Component(deltas[j - 1], weighted_input_name(layer, j), sympy.Mul(
                    _unevaluated_sum([
                        sympy.Mul(_sym(weight_name(layer + 1, k, j)),
                                  _sym(delta_name(layer + 1, k)), evaluate=False)
                        for k in range(1, n_up + 1)]),
                    sigma_prime(_sym(weighted_input_name(layer, j))), evaluate=False))
                for j in range(1, min(n, MAX_COMPONENTS) + 1)]
            yield LayerEquation(
                "BP2", layer, _eq(delta, Hadamard(Juxtapose(
                    Transpose(symbol(f"w^{{{layer + 1}}}")), symbol(f"delta^{{{layer + 1}}}")),
                    sigma_prime(z))),
                tuple(components), n)
        yield LayerEquation(
            "BP3", layer, _eq(Partial(C, symbol(f"b^{{{layer}}}")), delta),
            tuple(Component(Partial(C, _sym(bias_name(layer, j))), bias_name(layer, j),
                            deltas[j - 1])
                  for j in range(1, min(n, MAX_COMPONENTS) + 1)), n)
        a_prev = [_sym(activation_name(layer - 1, k)) for k in range(1, n_in + 1)]
        pairs = [(j, k) for j in range(1, n + 1) for k in range(1, n_in + 1)][:MAX_COMPONENTS]
        below = symbol(f"a^{{{layer - 1}}}") if layer > 2 else symbol("x")
        yield LayerEquation(
            "BP4", layer,
            _eq(Partial(C, symbol(f"w^{{{layer}}}")), Juxtapose(delta, Transpose(below))),
            tuple(Component(Partial(C, _sym(weight_name(layer, j, k))), weight_name(layer, j, k),
                            sympy.Mul(a_prev[k - 1], deltas[j - 1], evaluate=False))
                  for j, k in pairs), n * n_in,
            shape=Shape(sympy.Integer(n), sympy.Integer(n_in)))


def _eq(lhs, rhs) -> sympy.Eq:
    return sympy.Eq(lhs, rhs, evaluate=False)


def _unevaluated_sum(terms: list) -> sympy.Expr:
    return terms[0] if len(terms) == 1 else sympy.Add(*terms, evaluate=False)


def equations_check(network: Network, equations: Sequence[LayerEquation],
                     sweep: NeuronSweep) -> Check:
    """The shown component equations, evaluated with the graph's values and adjoints, give the
    graph's adjoints: every line printed is checked."""
    env = {_sym(n): sympy.Float(v) for n, v in sweep.values.items()}
    env.update({_sym(delta_name(layer, j)): sympy.Float(sweep.adjoints[
        weighted_input_name(layer, j)]) for layer in range(2, network.depth + 1)
        for j in range(1, network.layers[layer - 1] + 1)})
    bad, count = [], 0
    for equation in equations:
        act = ACTIVATIONS[network.sigma(equation.layer)]  # σ' in the equation is its layer's
        for c in equation.components:
            rhs = c.rhs.replace(sigma_prime, act.symbolic_derivative).xreplace(env)
            value, expected = sympy.N(rhs, 20), sweep.adjoints[c.node]
            count += 1
            if not value.is_number or abs(float(value) - expected) > 1e-9 * max(1, abs(expected)):
                bad.append(prose(f"{equation.label} ", c.lhs,
                                 f": {value} vs sweep {expected!r}"))
    detail = joined(bad[:3]) if bad else prose(
        f"all {count} instantiated component equations, evaluated at a random point, equal "
        "the adjoints of the engine's reverse sweep")
    return Check("equations == reverse sweep", not bad,
                 "the equations' right sides with the graph's values", plain(detail), prose=detail)

