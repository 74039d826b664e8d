"""The hypothesis strategies the property tests share (one home, not sibling imports).

Two generators:

- :data:`expressions` writes each random expression twice — as program text for symbp's
  parser and directly as a SymPy expression — so ``sympy.diff`` of the second is an oracle
  independent of symbp's parser, graph and rules; :data:`points` are exact points for them.
- :func:`programs` writes programs ``y = …`` in which every operation of the rule table
  appears, each wrapped so that it stays defined and finite at any point with inputs in
  [0.3, 2] (:func:`points_for`): ``log(1 + x**2)``, ``(1 + x**2)**y``, ``exp(sin(x))`` …;
  the renderers' property tests draw from it with :data:`SETTINGS`.
"""

from __future__ import annotations

import sympy
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import symbp
from symbp.core.functions import sigmoid

__all__ = ["NAMES", "SETTINGS", "SYMBOLS", "expressions", "points", "points_for", "programs"]

NAMES = ("a", "b", "c")
SYMBOLS = {n: sympy.Symbol(n, real=True) for n in NAMES}


def leaves():
    names = st.sampled_from(NAMES).map(lambda n: (n, SYMBOLS[n]))
    numbers = st.integers(1, 4).map(lambda k: (str(k), sympy.Integer(k)))
    return st.one_of(names, names, numbers)


def _combine(children):
    # every function of the rule table, each on an argument that keeps it defined and
    # moderate (asin of x/(x² + 1) ∈ [-1/2, 1/2], logs of x² + 1 ≥ 1, bases x² + 2 ≥ 2)
    unary = {
        "sin({})": sympy.sin, "cos({})": sympy.cos, "exp({})": sympy.exp,
        "tanh({})": sympy.tanh, "sigmoid({})": sigmoid, "atan({})": sympy.atan,
        # sinh, cosh and pow of bounded arguments: cosh((a² + 1)^a) at a = 3 is cosh(1000),
        # whose derivative finite differences rightly cannot judge
        "sinh(sin({}))": lambda e: sympy.sinh(sympy.sin(e)),
        "cosh(sin({}))": lambda e: sympy.cosh(sympy.sin(e)),
        "ln(({})^2 + 1)": lambda e: sympy.log(e**2 + 1),
        "asin(({0})/(({0})^2 + 1))": lambda e: sympy.asin(e / (e**2 + 1)),
        "acos(({0})/(({0})^2 + 1))": lambda e: sympy.acos(e / (e**2 + 1)),
        "softplus({})": lambda e: sympy.log(1 + sympy.exp(e)),
        "log1p(({})^2)": lambda e: sympy.log(1 + e**2),
        "expm1({})": lambda e: sympy.exp(e) - 1,
    }
    binary = {
        "({}) + ({})": lambda x, y: x + y,
        "({}) - ({})": lambda x, y: x - y,
        "({}) * ({})": lambda x, y: x * y,
        "({}) / (({})^2 + 1)": lambda x, y: x / (y**2 + 1),  # a safe division
        "log(({})^2 + 1)": None,  # one operand: see below
        "log(({})^2 + 1, ({})^2 + 2)": lambda x, y: sympy.log(x**2 + 1) / sympy.log(y**2 + 2),
        "pow(({})^2 + 1, sin({}))": lambda x, y: (x**2 + 1) ** sympy.sin(y),
        "max({}, {})": sympy.Max,
        "min({}, {})": sympy.Min,
    }

    def two(template, oracle):
        def build(pair):
            (lt, le), (rt, re) = pair
            if oracle is None:
                return template.format(lt), sympy.log(le**2 + 1)
            return f"({template.format(lt, rt)})", oracle(le, re)
        return st.tuples(children, children).map(build)

    def apply(template, oracle):
        return children.map(lambda c: (template.format(c[0]), oracle(c[1])))

    def power(c):
        return st.integers(2, 3).map(lambda k: (f"({c[0]})**{k}", c[1] ** k))

    return st.one_of(
        *(two(template, oracle) for template, oracle in binary.items()),
        *(apply(template, oracle) for template, oracle in unary.items()),
        children.flatmap(power),
        children.map(lambda c: (f"sqrt(({c[0]})^2 + 1)", sympy.sqrt(c[1] ** 2 + 1))),
    )


expressions = st.recursive(leaves(), _combine, max_leaves=6).filter(
    lambda pair: pair[1].free_symbols and pair[0] not in NAMES
)
points = st.fixed_dictionaries(
    {n: st.fractions(-3, 3, max_denominator=4).map(sympy.Rational) for n in NAMES}
)


# -- programs for the renderers ----------------------------------------------------------

RENDER_NAMES = ("a", "b", "c_1", "alpha", "w")

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
    return st.sampled_from(RENDER_NAMES)


def _grow(children):
    unary = st.tuples(st.sampled_from(UNARY), children).map(lambda p: p[0].format(p[1]))
    binary = st.tuples(st.sampled_from(BINARY), children, children).map(
        lambda p: p[0].format(p[1], p[2]) if p[0].count("{}") == 2 else p[0].format(p[1]))
    return st.one_of(unary, binary)


texts = st.recursive(_leaves(), _grow, max_leaves=5).filter(
    lambda text: text not in RENDER_NAMES)
"""Expression text with at least one operation and one input."""


@st.composite
def programs(draw) -> str:
    """A program ``y = …`` (sometimes two statements sharing a node)."""
    first = draw(texts)
    if draw(st.booleans()):
        second = draw(texts)
        return f"t = {first}; y = t * ({second}) + t"
    return f"y = {first}"


def points_for(program: str):
    """A point for every input of ``program``: floats in [0.3, 2]."""
    inputs = symbp.parse(program).inputs
    return st.fixed_dictionaries(
        {x: st.floats(0.3, 2.0).map(lambda v: round(v, 3)) for x in inputs})
