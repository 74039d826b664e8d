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
from strategies import NAMES, SYMBOLS, expressions, points

import symbp
from symbp.core.exact import written_out


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
