"""Random programs for the renderers' property tests (imported by the other test_render_*).

Every operation of the rule table appears, each wrapped so that it stays defined and
finite at any point with inputs in [0.3, 2]: ``log(1 + x**2)``, ``(1 + x**2)**y``,
``exp(sin(x))`` …  The test here checks that the generator keeps that promise.
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symbp

NAMES = ("a", "b", "c_1", "alpha", "w")

UNARY = (
    "sin({})", "cos({})", "tan(sin({}))", "exp(sin({}))", "log(1 + ({})**2)",
    "sqrt(1 + ({})**2)", "sinh(sin({}))", "cosh(sin({}))", "tanh({})", "atan({})",
    "sigmoid({})", "relu({})", "abs({})", "-({})",
    "ln(1 + ({})**2)", "asin(sin({})/2)", "acos(sin({})/2)", "softplus({})",
    "log1p(({})**2)", "expm1(sin({}))",
)
BINARY = (
    "({}) + ({})", "({}) - ({})", "({}) * ({})", "({}) / (1 + ({})**2)",
    "(1 + ({})**2)**sin({})", "({})**2", "2 * ({})", "({}) + 3",
    "log(1 + ({})**2, 2 + ({})**2)", "pow(1 + ({})**2, sin({}))", "max({}, {})", "min({}, {})",
)

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _leaves():
    # constants come in through BINARY ("2 * x"), never alone under a function
    return st.sampled_from(NAMES)


def _grow(children):
    unary = st.tuples(st.sampled_from(UNARY), children).map(lambda p: p[0].format(p[1]))
    binary = st.tuples(st.sampled_from(BINARY), children, children).map(
        lambda p: p[0].format(p[1], p[2]) if p[0].count("{}") == 2 else p[0].format(p[1]))
    return st.one_of(unary, binary)


expressions = st.recursive(_leaves(), _grow, max_leaves=5).filter(
    lambda text: text not in NAMES)
"""Expression text with at least one operation and one input."""


@st.composite
def programs(draw) -> str:
    """A program ``y = …`` (sometimes two statements sharing a node)."""
    first = draw(expressions)
    if draw(st.booleans()):
        second = draw(expressions)
        return f"t = {first}; y = t * ({second}) + t"
    return f"y = {first}"


def points(program: str):
    """A point for every input of ``program``: floats in [0.3, 2]."""
    inputs = symbp.parse(program).inputs
    return st.fixed_dictionaries(
        {x: st.floats(0.3, 2.0).map(lambda v: round(v, 3)) for x in inputs})


@SETTINGS
@given(st.data())
def test_random_programs_are_defined_at_random_points(data):
    program = data.draw(programs())
    point = data.draw(points(program))
    gradient = symbp.gradient(program, at=point)
    assert all(math.isfinite(float(v)) for v in gradient.values())
