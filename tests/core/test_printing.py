"""The shared expression printers (symbp/core/printing.py): math, not SymPy internals.

symbp keeps node formulas unevaluated (``x - 3`` is ``Add(x, Mul(-1, 3))``), so SymPy's
own ``str`` showed internals such as ``x - 1*3``.  The property tests hold every printed
formula to one standard: symbp's own parser reads it back to the same expression.
"""

from __future__ import annotations

import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import symbp
from symbp.core.printing import inline, plain
from symbp.core.rules import rule_for

# -- exact strings per construct (the SymPy printing tests' style) ---------------------------

FORMULAS = [
    # program, plain (JSON, graph.program()), inline (terminal, DOT)
    ("y = x - 3", "x - 3", "x - 3"),
    ("y = x - 2.5", "x - 2.5", "x - 2.5"),
    ("y = x - (-3)", "x - (-3)", "x - (-3)"),
    ("y = x - pi", "x - pi", "x - π"),
    ("y = x - 2*pi", "x - 2*pi", "x - 2·π"),
    ("y = x - 1/2", "x - 1/2", "x - 1/2"),
    ("y = 3 - x", "3 - x", "3 - x"),
    ("y = x + (-3)", "x - 3", "x - 3"),
    ("y = x*(-1)", "x*(-1)", "x·(-1)"),
    ("y = -1*x", "-x", "-x"),
    ("y = x**(-1)", "1/x", "1/x"),
    ("y = x**-2", "x**(-2)", "x^(-2)"),
    ("y = x/3", "x/3", "x/3"),
    ("y = x/(-3)", "x/(-3)", "x/(-3)"),
    ("y = 2/3*x", "2*x/3", "2·x/3"),
    ("y = abs(x)", "abs(x)", "|x|"),
    ("y = x + exp(1)", "x + exp(1)", "x + exp(1)"),
]


def _formula(program: str):
    graph = symbp.parse(program)
    return graph.formula(graph.output)


def test_evaluated_negations_keep_sympys_form():
    c, x = sympy.symbols("c x")
    assert inline(-1 / c**2) == "-1/c^2"  # not -c^(-2): the quotient rule's ∂y/∂c
    assert plain(-1 / c**2) == "-1/c**2" and plain(-x) == "-x" and plain(-x * c) == "-c*x"
    assert plain(sympy.Mul(-1, x + 1, evaluate=False)) == "-(x + 1)"


def test_formulas_print_as_math():
    for program, want_plain, want_inline in FORMULAS:
        f = _formula(program)
        assert plain(f, as_written=True) == want_plain, program
        assert inline(f, as_written=True) == want_inline, program


def test_subtracting_a_constant_in_every_plain_text_output():
    """The terminal, the DOT picture and the JSON formula of the issue's example."""
    ex = symbp.explain("y = (x - 3)**2", at="x=5")
    assert "x - 3" in str(ex) and "1·3" not in str(ex)
    assert "x - 3" in ex.to_dot() and "1·3" not in ex.to_dot()
    formulas = [n["formula"] for n in ex.to_dict()["nodes"]]
    assert "x - 3" in formulas and "x - 1*3" not in formulas


def test_abs_and_the_step_read_like_math():
    x = sympy.Symbol("x", real=True)
    assert plain(sympy.Abs(x)) == "abs(x)" and inline(sympy.Abs(x)) == "|x|"
    # relu' = step, with step(0) = 0 (relu'(0) = 0): the rule table's word everywhere
    assert plain(sympy.Heaviside(x, 0)) == "step(x)" == inline(sympy.Heaviside(x, 0))
    ex = symbp.explain("y = relu(x)*abs(x)", at="x=3")
    for text in (str(ex), ex.to_dot(), ex.to_json(), ex.to_latex(), ex.to_markdown()):
        assert "Heaviside" not in text and "Abs(" not in text and r"\theta" not in text
    assert "step(x)" in str(ex) and "|x|" in str(ex)
    assert r"\operatorname{step}\left(x\right)" in ex.to_latex()
    assert ex.to_dict()["gradient"]["x"]["in_inputs"] == "abs(x)*step(x) + relu(x)*sign(x)"


def test_a_constant_outside_its_domain_is_printed_as_a_formula():
    """Not ``-8 ** 1/3`` (the operands joined by the operator's text)."""
    for program, shown in [("y = x*(-8)**(1/3)", "(-8)^(1/3)"), ("y = x + log(-1)", "log(-1)"),
                           ("y = x + (-2)**0.5", "(-2)^0.5")]:
        try:
            symbp.parse(program)
        except symbp.ParseError as error:
            assert str(error).startswith(f"{shown} is undefined"), str(error)
        else:
            raise AssertionError(f"{program} parsed")


# -- printed formulas parse back -----------------------------------------------------------------

NAMES = ("x", "y2", "z")
NUMBERS = ("1", "3", "(-3)", "2.5", "0.125", "(1/2)", "(2/3)", "pi", "(-1)", "exp(1)")
FUNCTIONS = ("sin", "exp", "tanh", "abs", "relu", "sigmoid", "sqrt")


def programs():
    """Program text with the shapes SymPy prints with internals: subtracting constants,
    negative factors and powers, division by constants, rational coefficients."""
    leaves = st.one_of(st.sampled_from(NAMES), st.sampled_from(NAMES), st.sampled_from(NUMBERS))

    def combine(children):
        binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})")
        power = st.tuples(children, st.sampled_from(["2", "3", "(-1)", "(-2)", "0.5"])).map(
            lambda t: f"({t[0]})**{t[1]}")
        negation = children.map(lambda c: f"(-{c})")
        call = st.tuples(st.sampled_from(FUNCTIONS), children).map(lambda t: f"{t[0]}({t[1]})")
        return st.one_of(binary, binary, power, negation, call)

    return st.recursive(leaves, combine, max_leaves=6).map(lambda e: f"out = {e}")


def _parsed(program: str):
    try:
        graph = symbp.parse(program)
    except symbp.SymbpError:  # e.g. a constant outside its domain, or no input at all
        assume(False)
    return graph


def _same(a, b) -> bool:
    """Equal expressions; floats equal to the digits printed (the terminal shows 10)."""
    if a == b:
        return True
    difference = sympy.simplify(a - b)
    # 10 significant digits: the tolerance is relative to the largest float shown
    scale = max([1, *(abs(f) for f in (a.atoms(sympy.Float) | b.atoms(sympy.Float)))])
    rounding = {f: 0 for f in difference.atoms(sympy.Float) if abs(f) < 1e-8 * scale}
    return sympy.simplify(difference.xreplace(rounding)) == 0


def _from_inline(text: str) -> str:
    """The terminal's notation back in symbp's input syntax: · → *, π → pi, |u| → abs(u)."""
    out, prev = [], None
    for ch in text.replace("·", "*").replace("π", "pi"):
        if ch == "|":
            opening = prev is None or prev in "+-*/^(,[" or prev == "abs("
            out.append("abs(" if opening else ")")
            prev = "abs(" if opening else ")"
            continue
        out.append(ch)
        if not ch.isspace():
            prev = ch
    return "".join(out)


def test_from_inline_reads_nested_bars():
    assert _from_inline("||x| - 1|·|y|") == "abs(abs(x) - 1)*abs(y)"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_printed_node_formulas_parse_back(program):
    graph = _parsed(program)
    for node in graph.nodes:
        if node.is_input:
            continue
        formula = graph.formula(node.name)
        meant = rule_for(node.op).value(*graph.operand_values(node.name, graph.symbols))
        for text in (plain(formula, as_written=True),
                     _from_inline(inline(formula, as_written=True))):
            back = _parsed(f"{node.name}_ = {text}")
            assert _same(back.expression(), meant), (program, node.name, text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_printed_expressions_parse_back(program):
    """Evaluated SymPy shapes too: -x, 1/x, x**(-2), 2*x/3, -x/3."""
    graph = _parsed(program)
    expression = graph.expression()
    # a bare name or number is no program; sqrt(-x**2) is imaginary (I is no input name);
    # x/(x - x) evaluates to zoo*x, which symbp refuses as a division by zero
    assume(not expression.is_Atom and not expression.is_number
           and not expression.has(sympy.I, sympy.zoo, sympy.oo, sympy.nan))
    back = symbp.parse(f"out = {plain(expression)}")
    assert _same(back.expression(), expression), (program, plain(expression))
    assert _same(symbp.parse(graph.program()).expression(), expression)


def test_the_step_of_max_and_min_reads_like_math_and_keeps_its_tie_value():
    """max' and min' are steps with step(0) = 1/2 (each operand gets half at a tie)."""
    for program in ("y = max(x, 1)*x", "y = min(x, 1)*x"):
        ex = symbp.explain(program, at="x=1")
        for text in (str(ex), ex.to_dot(), ex.to_json(), ex.to_latex(), ex.to_markdown()):
            assert "Heaviside" not in text and r"\theta" not in text
        assert "step(x - 1)" in str(ex) or "step(1 - x)" in str(ex)
        # at the tie: d/dx (max(x, 1)·x) = max(x, 1) + x·(1/2) = 3/2, likewise for min
        assert ex.gradient["x"].value == sympy.Rational(3, 2)
