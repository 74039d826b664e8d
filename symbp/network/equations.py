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
    Brackets,
    Chain,
    Gradient,
    Hadamard,
    Juxtapose,
    Minus,
    Neg,
    Oslash,
    Parens,
    Partial,
    Shape,
    Slash,
    SumOver,
    Times,
    Transpose,
    Word,
    sigma,
    symbol,
)

__all__ = ["GENERIC", "MAX_COMPONENTS", "equations_check", "layer_equations", "softmax_bp1"]

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
        if layer == depth and not ACTIVATIONS[network.sigma(layer)].elementwise:
            yield _softmax_bp1(network, layer, deltas)
        elif layer == depth:
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


def _softmax_bp1(network: Network, layer: int, deltas: list) -> LayerEquation:
    """BP1 of a softmax output in general, δᴸ = (∂aᴸ/∂zᴸ)ᵀ ∇ₐC: softmax is not elementwise,
    so ∇ₐC meets the Jacobian ∂aₖ/∂zⱼ = aₖ([k = j] − aⱼ), not σ'(zᴸ) elementwise.  With the
    log-likelihood and a one-hot y it reduces to δᴸ = aᴸ − y, and the components are that."""
    cost, n = COSTS[network.cost], network.layers[layer - 1]
    C, one = symbol("C"), sympy.Integer(1)
    a_vec, z_vec, y_vec = symbol(f"a^{{{layer}}}"), symbol(f"z^{{{layer}}}"), symbol("y")
    a = [_sym(activation_name(layer, j)) for j in range(1, n + 1)]
    y = [_sym(target_name(j)) for j in range(1, n + 1)]
    s = symbol
    ak, aj, yk, yj = (s(f"a^{{{layer}}}_{{k}}"), s(f"a^{{{layer}}}_{{j}}"), s("y_{k}"),
                      s("y_{j}"))
    jacobian = _eq(Partial(ak, s(f"z^{{{layer}}}_{{j}}")),
                   Juxtapose(ak, Minus(Brackets(Chain(s("k"), s("j"))), aj)))
    if network.cost == "log-likelihood":
        components = [Component(deltas[j], weighted_input_name(layer, j + 1),
                                sympy.Add(a[j], -y[j], evaluate=False)) for j in range(n)]
        given = _eq(Gradient(C), Neg(Oslash(y_vec, a_vec)))
        note = prose(
            "with the softmax, ", jacobian, ", so ", Chain(
                s(f"delta^{{{layer}}}_{{j}}"),
                SumOver(Juxtapose(Parens(Neg(Slash(yk, ak))), ak,
                                  Minus(Brackets(Chain(s("k"), s("j"))), aj)), s("k")),
                sympy.Add(Neg(yj), Juxtapose(aj, SumOver(yk, s("k"))), evaluate=False),
                Minus(aj, yj)),
            " since ", _eq(SumOver(yk, s("k")), one), " (", y_vec, " is one-hot): the "
            "Jacobian's factor ", ak, " cancels the ", Slash(one, ak), " of the log-likelihood's "
            "gradient. That is why the softmax and the log-likelihood fit together: ",
            _eq(symbol(f"delta^{{{layer}}}"), Minus(a_vec, y_vec)), ": the error is the "
            "output's miss itself, with no factor ", sigma_prime(z_vec), " that a saturated "
            "output would make tiny (as the sigmoid's with the cross-entropy)")
    else:
        grads = [cost.symbolic_gradient(a_k, y_k) for a_k, y_k in zip(a, y, strict=True)]
        components = [Component(deltas[j], weighted_input_name(layer, j + 1), _unevaluated_sum([
            sympy.Mul(grads[k], a[k], sympy.Add(one, -a[j], evaluate=False) if k == j
                      else sympy.Mul(-1, a[j], evaluate=False), evaluate=False)
            for k in range(n)])) for j in range(min(n, MAX_COMPONENTS))]
        given = _eq(Gradient(C), Minus(a_vec, y_vec)) if network.cost == "quadratic" else None
        note = prose(
            "softmax is not elementwise: each ", ak, " depends on every ",
            s(f"z^{{{layer}}}_{{j}}"), ", so BP1 keeps the Jacobian, ", jacobian,
            ", instead of ", Hadamard(Gradient(C), sigma_prime(z_vec)), "; each ",
            s(f"delta^{{{layer}}}_{{j}}"), " sums over every output ", s("k"))
    return LayerEquation(
        "BP1", layer, _eq(symbol(f"delta^{{{layer}}}"),
                          Juxtapose(Transpose(Partial(a_vec, z_vec)), Gradient(C))),
        tuple(components[:MAX_COMPONENTS]), n, note, given=given)


def softmax_bp1(network: Network) -> Prose:
    """BP1 of a softmax output layer in a sentence, for the walkthrough: the general form
    with the Jacobian, and what it is with this cost."""
    layer, s = network.depth, symbol
    a, z, y = s(f"a^{{{layer}}}"), s(f"z^{{{layer}}}"), s("y")
    ak, aj = s(f"a^{{{layer}}}_{{k}}"), s(f"a^{{{layer}}}_{{j}}")
    general = prose("softmax output: BP1 in general is ", _eq(
        s(f"delta^{{{layer}}}"), Juxtapose(Transpose(Partial(a, z)), Gradient(s("C")))),
        " with ", _eq(Partial(ak, s(f"z^{{{layer}}}_{{j}}")),
                      Juxtapose(ak, Minus(Brackets(Chain(s("k"), s("j"))), aj))))
    if network.cost == "log-likelihood":
        return prose(*general, "; with the log-likelihood and a one-hot ", y, " it is ",
                     _eq(s(f"delta^{{{layer}}}"), Minus(a, y)), " (the Jacobian's ", ak,
                     " cancels the gradient's ", Slash(sympy.Integer(1), ak), ")")
    return prose(*general, ", so ", _eq(s(f"delta^{{{layer}}}_{{j}}"), Juxtapose(aj, Minus(
        Partial(s("C"), aj), SumOver(Juxtapose(ak, Partial(s("C"), ak)), s("k"))))))


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
            rhs = c.rhs.replace(sigma_prime, act.symbolic_derivative) if act.elementwise \
                else c.rhs  # softmax's BP1 is written without σ'
            rhs = rhs.xreplace(env)
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

