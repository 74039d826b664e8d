"""The walkthrough's rows (:mod:`symbp.network.derivations`) hold their math as SymPy
objects, and that math is right: every formula, read as arithmetic with the sample's own
numbers, gives the row's value, and every row of rounded numbers gives it to rounding.
The oracle is the backprop record (itself checked against PyTorch, sympy.diff and finite
differences in the other network tests); the reading below is written here, not taken
from the printers."""

from __future__ import annotations

import math
import re

import pytest
import sympy

from symbp.network import derivations, steps
from symbp.network.derive import network_walkthrough
from symbp.network.formulas import COST_SUMS
from symbp.network.prose import Rounded
from symbp.network.symbols import (
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
    sigma_prime,
)
from symbp.render.prose import math_latex, math_unicode

SPECS = {
    "sigmoid, quadratic": {"layers": [2, 3, 1], "activation": "sigmoid", "cost": "quadratic",
                           "samples": [{"x": [1.0, 0.5], "y": [1.0]}]},
    "cross-entropy": {"layers": [2, 2, 2], "activation": "sigmoid", "cost": "cross-entropy",
                      "samples": [{"x": [1.0, 0.5], "y": [0.25, 0.75]}]},
    "softmax, log-likelihood": {"layers": [2, 3, 3], "activation": "relu",
                                "output_activation": "softmax", "cost": "log-likelihood",
                                "samples": [{"x": [1.0, 0.5], "y": [0.0, 1.0, 0.0]}]},
    "softmax, quadratic": {"layers": [2, 3], "activation": "softmax", "cost": "quadratic",
                           "samples": [{"x": [1.0, -0.5], "y": [0.0, 1.0, 0.0]}]},
    # five inputs and four outputs: sums shown by Σ alone, the cost by its formula alone
    "wide tanh": {"layers": [5, 4, 4], "activation": "tanh", "cost": "quadratic",
                  "samples": [{"x": [1.0, 0.5, -1.0, 2.0, 0.1], "y": [0.0, 1.0, 0.0, 0.5]}]},
}

_OPERATIONS = {
    Factors: lambda *f: math.prod(f), Juxtapose: lambda *f: math.prod(f),
    Terms: lambda *t: sum(t), sympy.Add: lambda *t: sum(t),
    Quotient: lambda top, bottom: top / bottom, Parens: lambda v: v, Brackets: lambda v: v,
    Minus: lambda first, *rest: first - sum(rest), Neg: lambda v: -v,
    Squared: lambda v: v * v, Ln: math.log,
}


def _indexed(name: str, index: str, i: int) -> str:
    """``w^{3}_{k1}`` with k = 2: ``w^{3}_{21}`` (an index in the subscript only)."""
    return re.sub(r"_\{([^}]*)\}", lambda m: "_{" + m.group(1).replace(index, str(i)) + "}",
                  name)


def _value(expr, env: dict, count: int) -> float:
    """The notation read as arithmetic: numbers as shown, symbols from ``env``, a sum over
    an index over ``count`` terms."""
    if isinstance(expr, Rounded):
        return float(expr.name)
    if isinstance(expr, Operator):
        return {"half": 0.5}[expr.name]
    if isinstance(expr, sympy.Integer):
        return int(expr)
    if isinstance(expr, sympy.Symbol):
        return env[expr.name]
    if isinstance(expr, sigma_prime):
        return env["sigma'", expr.args[0].name]
    if isinstance(expr, Partial | Adjoint):
        return env["dC", expr.args[1].name]
    if isinstance(expr, SumOver):
        term, index = expr.args
        return sum(_value(term.xreplace({s: sympy.Symbol(_indexed(s.name, index.name, i))
                                         for s in term.atoms(sympy.Symbol)
                                         if not isinstance(s, Rounded | Operator)}),
                          env, count) for i in range(1, count + 1))
    return _OPERATIONS[type(expr)](*(_value(a, env, count) for a in expr.args))


def _environment(w) -> dict:
    """Every symbol of sample 1 by its node name, from the backprop record."""
    net, r = w.network, w.samples[0]
    env: dict = {}
    for k, x in enumerate(r.sample.x, start=1):
        env[f"x_{{{k}}}"] = x
    for j, y in enumerate(r.sample.y, start=1):
        env[f"y_{{{j}}}"] = y
    for i in range(len(r.z)):
        layer = i + 2
        for j in range(len(r.z[i])):
            sub = f"^{{{layer}}}_{{{j + 1}}}"
            env[f"z{sub}"], env[f"a{sub}"] = r.z[i][j], r.a[i][j]
            env[f"delta{sub}"], env[f"b{sub}"] = r.delta[i][j], net.biases[i][j]
            env["sigma'", f"z{sub}"] = r.sigma_prime[i][j]
            env["dC", f"a{sub}"], env["dC", f"b{sub}"] = r.grad_a[i][j], r.grad_b[i][j]
            for k, weight in enumerate(net.weights[i][j], start=1):
                env[f"w^{{{layer}}}_{{{j + 1}{k}}}"] = weight
                env["dC", f"w^{{{layer}}}_{{{j + 1}{k}}}"] = r.grad_w[i][j][k - 1]
    return env


def _close(shown: float, exact: float, digits: bool) -> bool:
    """Equal, or (rounded numbers) equal to about 6 significant digits."""
    return math.isclose(shown, exact, rel_tol=2e-5 if digits else 1e-9,
                        abs_tol=1e-6 if digits else 1e-12)


def _rows(w):
    net, r = w.network, w.samples[0]
    for layer in steps.forward_rows(net, r, w.full):
        for row in layer.rows:
            yield derivations.forward(row), len(row.inputs)
    for layer in steps.error_rows(net, r, w.full):
        for row in layer.rows:
            count = (len(row.errors) if isinstance(row, steps.HiddenError)
                     else net.layers[-1])
            yield derivations.error(row), count
    for layer in steps.gradient_rows(r, w.full):
        for row in layer.rows:
            yield derivations.gradient(row), 0
    yield derivations.cost(steps.sample_cost(net, r)), net.layers[-1]


@pytest.fixture(scope="module", params=sorted(SPECS))
def walkthrough(request):
    return network_walkthrough({**SPECS[request.param], "seed": 3, "learning_rate": 0.5})


def test_every_link_of_every_row_gives_the_rows_value(walkthrough):
    env = _environment(walkthrough)
    rows = list(_rows(walkthrough))
    assert len(rows) > 5
    for d, count in rows:
        *links, value = d.links
        assert isinstance(value, Rounded)
        # z, δ, C and ∂C/∂b, ∂C/∂w are in the record: the value shown is theirs, rounded
        exact = (walkthrough.samples[0].cost if d.lhs == sympy.Symbol("C") else
                 env["dC", d.lhs.args[1].name] if isinstance(d.lhs, Partial) else
                 env[d.lhs.name])
        assert _close(float(value.name), exact, digits=True), d
        for link in links:
            shown = _value(link, env, count)
            if any(isinstance(a, Rounded) for a in sympy.preorder_traversal(link)):
                assert _close(shown, exact, digits=True), (d, link, shown)
            else:  # a formula in symbols: the record's own numbers give the value exactly
                assert _close(shown, exact, digits=False), (d, link, shown)


def test_the_cost_is_the_formula_the_documents_define(walkthrough):
    """The walkthrough's C = Σⱼ C(a³ⱼ, yⱼ) is COST_SUMS written with the output layer's
    number, and summed over the outputs it is the sample's cost."""
    net, r = walkthrough.network, walkthrough.samples[0]
    d = derivations.cost(steps.sample_cost(net, r))
    out = sympy.Symbol(f"a^{{{net.depth}}}_{{j}}")
    assert d.links[0] == COST_SUMS[net.cost](out)
    assert math.isclose(_value(d.links[0], _environment(walkthrough), net.layers[-1]), r.cost,
                        rel_tol=1e-12)


def test_negative_factors_are_in_parentheses_in_both_printers():
    d = derivations.error(steps.HiddenError(2, 1, (0.7,), (-0.079754,), -0.0558278, 0.249376,
                                            -0.0139221, True))
    formula, numbers, value = d.links
    assert math_unicode(numbers) == "0.7·(-0.079754)·0.249376"
    assert math_latex(numbers, in_text=False) == r"0.7 \cdot \left(-0.079754\right) \cdot 0.249376"
    assert math_unicode(formula) == "(Σₖ w³ₖ₁ δ³ₖ)·σ'(z²₁)"
    assert math_unicode(value) == "-0.0139221"
    # 0.7 · (−0.079754) · 0.249376 = −0.0139221 (by hand, to 6 digits)
    assert _close(_value(numbers, {}, 0), -0.0139221, digits=True)


def test_a_number_in_scientific_notation_is_one_factor_in_tex():
    # ln 1.3888 \cdot 10^{-11} read as ln 1.3888 times 10^-11; the terminal's 1.3888e-11
    # is one token and needs no parentheses
    small = Rounded(1.3888e-11)
    assert math_latex(Ln(small), in_text=False) == r"\ln(1.3888 \cdot 10^{-11})"
    assert math_unicode(Ln(small)) == "ln 1.3888e-11"
    product = Factors(sympy.Integer(1), small)
    assert math_latex(product, in_text=False) == r"1 \cdot (1.3888 \cdot 10^{-11})"
    assert math_unicode(product) == "1·1.3888e-11"
    assert math_latex(Ln(Rounded(0.25)), in_text=False) == r"\ln 0.25"  # plain: as before


def test_a_step_of_the_sweep_adds_to_the_adjoint(walkthrough):
    for step in walkthrough.sweep.steps[:20]:
        d = derivations.sweep_step(step)
        assert d.accumulates
        product, numbers, contribution = d.links
        source, target = sympy.Symbol(step.edge.source), sympy.Symbol(step.edge.target)
        assert product == Factors(Adjoint(sympy.Symbol("C"), target), Partial(target, source))
        assert _close(_value(numbers, {}, 0), float(step.carried) * float(step.partial), True)
        assert _close(float(contribution.name), float(step.contribution), True)
