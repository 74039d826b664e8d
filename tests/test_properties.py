"""Property tests: random expressions and programs, every oracle must agree.

The generator writes each random expression twice — as program text for symbp's
parser and directly as a SymPy expression — so ``sympy.diff`` of the second is an
oracle independent of symbp's parser, graph and rules.
"""

from __future__ import annotations

import mpmath
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symbp
from symbp.core.exact import written_out
from symbp.core.functions import sigmoid

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


def close(a, b, tolerance) -> bool:
    """|a − b| ≤ tolerance·max(1, |b|), each side evaluated to 40 digits on its own (SymPy's
    evalf of an exact difference that is zero raises its precision for a long time)."""
    x, y = sympy.N(a, 40), sympy.N(b, 40)
    return bool(abs(x - y) <= tolerance * max(1, abs(y)))


def _check_everything(text: str, oracle: sympy.Expr, point: dict) -> None:
    ex = symbp.explain(text, at={k: v for k, v in point.items()
                                 if k in symbp.parse(text).inputs})
    assert ex.ok, [c for c in ex.checks if c.passed is False]
    names = {c.name: c.passed for c in ex.checks}
    assert names["forward == reverse"] is True
    assert names["reverse == sympy.diff"] is True
    # finite differences cannot judge a kink (max(a, b) at a = b); everything else still runs
    at_kink = any("not differentiable" in w for w in ex.warnings)
    fd = next(c for c in ex.checks if c.name == "reverse == finite differences")
    # never a false alarm; "cannot judge" only with its reason said (TODO lead: the check
    # cannot judge a³ at 0 since the numerics change — finite differences should settle)
    assert fd.passed is True or (fd.passed is None and (at_kink or "cannot judge" in fd.detail))
    for x in ex.graph.inputs:
        reference = sympy.diff(oracle, SYMBOLS[x]).subs({SYMBOLS[k]: v for k, v in point.items()})
        ours = ex.gradient[x].value
        assert close(ours, reference, 1e-20), x
        assert ex.paths[x].count >= 1
    # the expression written out by symbp is the oracle's function
    written = ex.graph.expression()
    at = {SYMBOLS[k]: v for k, v in point.items()}
    assert close(written.subs(at), oracle.subs(at), 1e-25)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, points)
def test_random_expressions_all_oracles_agree(expr, point):
    text, oracle = expr
    _check_everything("y = " + text, oracle, point)


@st.composite
def programs(draw):
    """Straight-line programs: statements read earlier results; ``u`` may be reassigned."""
    env = dict(SYMBOLS)
    names = list(NAMES)
    lines = []
    for i in range(draw(st.integers(1, 4))):
        text, expr = draw(expressions)
        use = draw(st.sampled_from(names))
        target = draw(st.sampled_from([f"t{i}", "u"]))
        lines.append(f"{target} = ({text}) * {use}")
        env[target] = expr * env[use]  # read before the (re)assignment, as a program does
        if target not in names:
            names.append(target)
    return "\n".join(lines), env[target]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), points)
def test_random_programs_all_oracles_agree(prog, point):
    text, oracle = prog
    _check_everything(text, oracle, point)


@settings(max_examples=40, deadline=None)
@given(expressions)
def test_symbolic_gradient_equals_sympy_diff(expr):
    text, oracle = expr
    ours = symbp.gradient("y = " + text)
    for x, value in ours.items():
        reference = sympy.diff(oracle, SYMBOLS[x])
        for trial in range(3):
            subs = {s: sympy.Rational(3 + trial, 7 + 2 * trial) for s in SYMBOLS.values()}
            assert close(value.evalf(40, subs=subs), reference.evalf(40, subs=subs), 1e-20)


def test_finite_differences_oracle_is_itself_right():
    """The FD helper reproduces a derivative known in closed form: d/dx sin(x)·x at x = 1."""
    from symbp.core.checks import finite_differences

    graph = symbp.parse("y = sin(x)*x")
    estimate = finite_differences(graph, {"x": sympy.Integer(1)}, ("x",))["x"]
    with mpmath.workdps(40):
        exact = mpmath.sin(1) + mpmath.cos(1)
        assert abs(estimate - exact) < mpmath.mpf("1e-20")


@settings(max_examples=30, deadline=None)
@given(expressions, points)
def test_sharing_changes_the_graph_not_the_gradient(expr, point):
    text = "y = " + expr[0] + " * (" + expr[0] + ")"
    shared, separate = symbp.parse(text), symbp.parse(text, share=False)
    assert len(shared.nodes) < len(separate.nodes)
    at = {k: v for k, v in point.items() if k in shared.inputs}
    try:
        expected = symbp.gradient(shared, at=at)
    except symbp.DomainError:
        return
    got = symbp.gradient(separate, at=at)
    # the same exact numbers, though SymPy may group them differently: 2·(sin 1 + 1)·cos 1
    # is (2·sin 1 + 2)·cos 1
    assert got.keys() == expected.keys()
    for x in got:  # the same numbers: SymPy's simplify, else 40 digits of each side
        a, b = written_out(got[x]), written_out(expected[x])
        assert sympy.simplify(a - b) == 0 or close(a, b, 1e-25)
