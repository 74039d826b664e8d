"""Paste-back: symbp reads the notation it prints (· × − ÷, x², c₁, |x|, π).

The rewriting (:mod:`symbp.read.notation`) happens before :mod:`ast` sees the text; errors
still point at the column the user typed.  The property test pastes symbp's own
terminal rendering of random programs back and gets the same function.
"""

from __future__ import annotations

import re

import pytest
import sympy
from hypothesis import given
from strategies import SETTINGS, programs

import symbp
from symbp.core.checks import same_expr
from symbp.core.printing import name
from symbp.errors import ParseError
from symbp.read.notation import NOTATION, normalize
from symbp.read.point import parse_number
from symbp.render.terminal.explain import to_text


def program(text: str) -> list[str]:
    return symbp.parse(text).program().splitlines()


@pytest.mark.parametrize(("typed", "ascii_"), [
    ("e = c·d", "e = c*d"),
    ("e = c⋅d", "e = c*d"),
    ("e = c × d", "e = c*d"),
    ("e = c ÷ d", "e = c/d"),
    ("e = c − d", "e = c - d"),
    ("e = −c", "e = -c"),
    ("e = c^2", "e = c**2"),
    ("e = c²", "e = c**2"),
    ("e = c² + d³", "e = c**2 + d**3"),
    ("e = c¹⁰", "e = c**10"),
    ("e = c⁻¹", "e = c**-1"),
    ("e = (c + d)²", "e = (c + d)**2"),
    ("e = 2·π·r", "e = 2*pi*r"),
    ("e = |c − d|", "e = abs(c - d)"),
    ("e = |c − |d|| + |c|", "e = abs(c - abs(d)) + abs(c)"),
    ("e = x₁·x₂", "e = x1*x2"),
    ("c = a·b; c₁ = c + a; y = c₁²", "c = a*b; c1 = c + a; y = c1**2"),
])
def test_printed_notation_reads_as_the_ascii_program(typed, ascii_):
    assert program(typed) == program(ascii_)


def test_every_symbol_of_the_table_is_read():
    for symbol, operator in NOTATION.items():
        assert normalize(f"a {symbol} b").text == f"a {operator} b"


def test_the_canonical_program_line_pastes_back():
    # what `symbp explain "e=(a+b)*(b+1)"` prints after "program:"
    assert program("c = a + b; d = b + 1; e = c·d") == program("e=(a+b)*(b+1)")


def test_a_doubled_sign_stays_an_error():
    # · is read as " * ", so ·· cannot become the power **, nor ÷÷ the floor division //
    for text in ("y = x ·· 2", "y = x÷÷2", "y = x·*2", "y = x*·2", "y = x××2"):
        with pytest.raises(ParseError, match="syntax error"):
            symbp.parse(text)


def test_bars_that_do_not_pair_stay_the_refused_operator():
    with pytest.raises(ParseError, match=re.escape("the operator | is not allowed")):
        symbp.parse("y = a | b")
    with pytest.raises(ParseError):
        symbp.parse("y = |a")


def test_constants_only_as_whole_names():
    assert symbp.parse("y = πr*x").inputs == ("πr", "x")
    assert symbp.gradient("y = π·x", at="x=1") == {"x": sympy.pi}
    # ℯ is Euler's number (Python alone would read it as the name e)
    assert symbp.gradient("y = ℯ^x", at="x=2") == {"x": sympy.exp(2)}
    assert symbp.parse("y = ℯ·e").inputs == ("e",)


def test_superscript_after_a_superscript_is_not_a_subscript():
    # w²₁₁ (a network's w^{2}_{11}) is not a program name: an error, not w**211
    with pytest.raises(ParseError, match="invalid character '₁'"):
        symbp.parse("y = w²₁₁")


@pytest.mark.parametrize(("typed", "column"), [
    ("y = x² +* 1", 9),          # after a rewritten ² (one character became three)
    ("y = 2·x + sinn(x)", 11),   # after a spaced ·
    ("éé = c·d·|x| + foo(x)", 16),  # multi-byte letters and |x| → abs(x) before it
    ("y = c−d\nz = y ÷ 2 +* 1", 12),
])
def test_carets_point_at_the_column_the_user_typed(typed, column):
    with pytest.raises(ParseError) as info:
        symbp.parse(typed)
    error = info.value
    assert error.column == column, error.render()
    line = typed.splitlines()[error.line - 1]
    assert error.source_line == line
    assert error.render().splitlines()[-1] == "  " + " " * (column - 1) + "^"


def test_points_read_the_notation_too():
    assert parse_number("−1/2") == sympy.Rational(-1, 2)
    assert parse_number("2·3") == 6
    assert parse_number("2⁻¹") == sympy.Rational(1, 2)
    assert parse_number("π/4") == sympy.pi / 4
    assert symbp.gradient("y = x**2", at="x=−3") == {"x": -6}


# -- the terminal's formulas, pasted back ------------------------------------------------------

def terminal_program(ex: symbp.Explanation) -> str:
    """The graph table of the terminal output, one ``name = formula`` line per node."""
    text = to_text(ex, width=10_000)
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.strip().startswith("node   formula"))
    column = lines[header].index("formula")
    statements = []
    for line in lines[header + 2:]:
        if not line.strip():
            break
        node, formula = line[:column].strip(), line[column:].rstrip()
        formula = re.sub(r"\s{2,}(input|output)$", "", formula)
        if formula != "(input)":
            statements.append(f"{node} = {formula}")
    return "\n".join(statements)


def shown(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with each symbol renamed to how symbp shows it (alpha → α, c_1 → c₁)."""
    return expr.xreplace({s: sympy.Symbol(name(s.name), real=True) for s in expr.free_symbols})


@SETTINGS
@given(programs())
def test_terminal_formulas_paste_back_to_the_same_function(text):
    ex = symbp.explain(text, sections=("graph",), full=True)
    pasted = terminal_program(ex)
    graph = symbp.parse(pasted)
    assert name(graph.output) == name(ex.graph.output)
    assert len(graph.nodes) == len(ex.graph.nodes), pasted
    equal, how = same_expr(shown(graph.expression()), shown(ex.graph.expression()))
    assert equal, (pasted, how)


def test_limits_apply_to_the_rewritten_text():
    # 300 typeset minus signs nest as deep as 300 ASCII ones
    with pytest.raises(ParseError, match="more than 150 signs in a row"):
        symbp.parse("y = " + "−" * 300 + "x")
    # a superscript exponent is an integer literal like any other
    with pytest.raises(ParseError, match="an integer of 7,000 digits") as info:
        symbp.parse("y = x" + "²" * 7000)
    assert info.value.column == 6  # the first ²
