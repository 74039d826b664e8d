"""Staged Python code: exact text for the canonical example, and the generated code run
against the engine's gradient on every operation and on random programs."""

from __future__ import annotations

import ast
import math

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st
from strategies import SETTINGS, points_for, programs

import symbp
from symbp.core.graph import Graph, Node
from symbp.core.rules import RULES

CANONICAL = '''"""Value and gradient of e = (a + b)*(b + 1), staged by symbp.

forward_backward(...) runs the forward pass (one line per node), then backpropagation
(one line per edge, in the order of the reverse sweep).
"""

import math


def forward_backward(a: float, b: float) -> tuple[float, dict[str, float]]:
    """Return e and its gradient {input: de/d input}."""
    # forward pass: every node's value
    c = a + b
    d = b + 1
    e = c*d
    # backward pass: grad_v holds de/dv; += adds up the paths (sum over paths)
    grad_e = 1.0  # de/de = 1: the seed
    grad_c = grad_e * d  # ∂e/∂c = d, product rule
    grad_d = grad_e * c  # ∂e/∂d = c, product rule
    grad_b = grad_d * 1  # ∂d/∂b = 1, sum rule
    grad_a = grad_c * 1  # ∂c/∂a = 1, sum rule
    grad_b += grad_c * 1  # ∂c/∂b = 1, sum rule; +=: b feeds 2 edges
    return e, {'a': grad_a, 'b': grad_b}
'''


def run(code: str, *args: float):
    """Execute generated code in a fresh namespace and call its function."""
    namespace: dict = {}
    exec(compile(code, "<symbp generated>", "exec"), namespace)
    return namespace["forward_backward"](*args)


def imports(code: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module or "")
    return found


def agree(ours: dict, engine: dict) -> bool:
    return all(math.isclose(ours[x], float(engine[x]), rel_tol=1e-9, abs_tol=1e-9)
               for x in engine)


def test_canonical_exact_text(canonical):
    assert symbp.to_python(canonical) == CANONICAL
    assert canonical.to_python() == CANONICAL


def test_canonical_runs_to_the_design_numbers(canonical):
    value, gradient = run(symbp.to_python(canonical), 2.0, 1.0)
    assert value == 6.0
    assert gradient == {"a": 2.0, "b": 5.0}


def test_the_point_does_not_matter_the_code_is_symbolic():
    assert symbp.to_python(symbp.explain("e=(a+b)*(b+1)")) == CANONICAL


@pytest.mark.parametrize("op", sorted(RULES))
def test_every_rule_of_the_table(op):
    arity = RULES[op].arity
    samples = {"add": "x + y", "sub": "x - y", "mul": "x * y", "div": "x / y",
               "pow": "x ** y", "neg": "-x"}
    call = RULES[op].names[0] if RULES[op].names else op
    text = (f"f = {samples[op]}" if op in samples
            else f"f = {call}(x, y)" if arity == 2 else f"f = {call}(x)")
    at = {"x": 0.7, "y": 1.3} if arity == 2 else {"x": 0.7}
    ex = symbp.explain(text, at=at)
    code = ex.to_python()
    assert imports(code) <= {"math"}
    _, gradient = run(code, *at.values())
    assert agree(gradient, symbp.gradient(text, at=at))


@pytest.mark.parametrize("x", [-1.5, 0.0, 2.0])
def test_kinks_use_the_engines_conventions(x):
    text = "f = relu(x) + abs(x) * 3"
    _, gradient = run(symbp.explain(text).to_python(), x)
    assert agree(gradient, symbp.gradient(text, at={"x": x}))


def test_pow_with_both_base_and_exponent_variable():
    text = "f = x ** y + y ** x"
    code = symbp.explain(text).to_python()
    assert "math.log(x)" in code and "math.log(y)" in code
    _, gradient = run(code, 1.7, 0.4)
    assert agree(gradient, symbp.gradient(text, at={"x": 1.7, "y": 0.4}))


def test_shared_node_gets_plus_equals_once_per_extra_consumer():
    code = symbp.explain("b = a*a + a").to_python()
    assert code.count("grad_a =") == 1
    assert code.count("grad_a +=") == 2
    assert "(operand 2)" in code
    _, gradient = run(code, 3.0)
    assert gradient == {"a": 7.0}


def test_node_values_are_reused_in_the_backward_pass():
    code = symbp.explain("y = tanh(x) + exp(x) + sigmoid(x)").to_python()
    assert "(1 - a**2)" in code  # tanh' = 1 - tanh², with a = tanh(x)
    assert "grad_b * b" in code  # exp' = exp
    assert "(d*(1 - d))" in code  # σ' = σ (1 − σ), with d = sigmoid(x)


def test_names_that_clash_with_python_are_renamed_and_keys_kept():
    nodes = [Node("lambda"), Node("math"), Node("w^2_{11}"), Node("grad_x"), Node("x"),
             Node("forward_backward"),
             Node("t1", "mul", ("lambda", "math")),
             Node("t2", "add", ("t1", "w^2_{11}")),
             Node("t3", "mul", ("t2", "grad_x")),
             Node("t4", "add", ("t3", "forward_backward")),
             Node("if", "mul", ("t4", "x"))]
    graph = Graph(nodes, "if")
    code = symbp.explain(graph).to_python()
    ast.parse(code)
    point = {"lambda": 1.5, "math": 2.0, "w^2_{11}": 0.5, "grad_x": 3.0, "x": 0.25,
             "forward_backward": 1.0}
    value, gradient = run(code, *point.values())
    assert set(gradient) == set(point)
    symbolic = symbp.gradient(graph)  # names like w^2_{11} cannot be given with at=
    at = {graph.symbols[x]: v for x, v in point.items()}
    assert agree(gradient, {x: d.subs(at) for x, d in symbolic.items()})
    assert value == pytest.approx(((1.5 * 2.0 + 0.5) * 3.0 + 1.0) * 0.25)


def test_exact_constants_become_floats():
    text = "y = x**(1/2) * 2/3 + x/4"
    _, gradient = run(symbp.explain(text).to_python(), 1.44)
    assert agree(gradient, symbp.gradient(text, at={"x": 1.44}))


@SETTINGS
@given(st.data())
def test_random_programs_agree_with_the_engine(data):
    program = data.draw(programs())
    point = data.draw(points_for(program))
    code = symbp.explain(program, strict=False).to_python()
    assert imports(code) <= {"math"}
    graph = symbp.parse(program)
    args = [point[x] for x in graph.inputs]
    value, gradient = run(code, *args)
    engine = symbp.gradient(program, at=point)
    assert agree(gradient, engine), (program, point, gradient, engine)
    reference = sympy.lambdify(
        [graph.symbols[x] for x in graph.inputs], graph.expression(),
        modules=[{"sigmoid": lambda v: 1 / (1 + math.exp(-v)), "relu": lambda v: max(v, 0),
                  "softplus": lambda v: math.log(1 + math.exp(v))}, "math"])(*args)
    assert math.isclose(value, reference, rel_tol=1e-9, abs_tol=1e-9)
