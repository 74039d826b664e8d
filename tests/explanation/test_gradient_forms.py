"""``symbp gradient`` in node names: what it prints is checked, and it reads like the rest.

The node-name form (a gradient too deep to write out in its inputs) prints formulas; the
self-checks judge those printed formulas — written back into the inputs against
``sympy.diff`` where the graph is small enough, evaluated at a random point against
finite differences — so a wrong formula on the page is a loud failure.
"""

from __future__ import annotations

import re

import sympy
from hypothesis import given
from strategies import SETTINGS, programs
from typer.testing import CliRunner

import symbp
from symbp.cli import app
from symbp.core.evaluate import complete_point, numeric_values
from symbp.explanation.checks import formulas_at, gradient_checks, written_out
from symbp.read.point import parse_point

CHAIN = "\n".join(f"x{i + 1} = x{i}*y0 + sin(x{i})" for i in range(30))


def _gradient_text(*args: str) -> str:
    result = CliRunner().invoke(app, ["gradient", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_small_program_in_node_names_reads_as_worked_by_hand():
    # e = c·d, c = a - b, d = b + 1: de/dc = d, de/dd = c; a reaches e through c only,
    # b through c (with ∂c/∂b = -1) and through d
    assert _gradient_text("e=(a-b)*(b+1)", "--form", "nodes") == (
        "# written in node names\n"
        "a: de/dc\n"
        "b: -de/dc + de/dd\n"
        "# where, from the output back:\n"
        "de/dd = c\n"
        "de/dc = d\n"
        "# and the nodes:\n"
        "c = a - b\n"
        "d = b + 1\n"
        "e = c·d\n")


def test_deep_chain_prints_display_names_and_terms_in_node_order():
    text = _gradient_text(CHAIN, "--full")
    assert text.startswith("# written in node names (in the inputs it would be nested 60 "
                           "levels deep")
    assert "dx₃₀/dx₂₉ = dx₃₀/dv₃₃·y₀ + dx₃₀/dv₃₄·cos(x₂₉)\n" in text
    assert "dx30/" not in text and "v_" not in text  # one naming, as everywhere else
    y0 = next(line for line in text.splitlines() if line.startswith("y₀: "))
    # each term is dx₃₀/d(node)·x_k; the program computes x_k from lower k first
    ks = [int(k.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")))
          for k in re.findall(r"·x([₀-₉]+)", y0)]
    assert ks == list(range(30))


def test_node_form_written_back_is_sympy_diff():
    program = "c = a - b; d = sin(c)*b; e = d*d + c"
    result = symbp.gradient(program, form="nodes")
    graph = symbp.parse(program)
    a, b = graph.symbols["a"], graph.symbols["b"]
    e = (sympy.sin(a - b) * b) ** 2 + a - b
    back = written_out(graph, result)
    assert sympy.simplify(back["a"] - sympy.diff(e, a)) == 0
    assert sympy.simplify(back["b"] - sympy.diff(e, b)) == 0
    assert [c.passed for c in result.checks] == [True, True]


def _tampered(result):
    """The same gradient with one printed adjoint doubled (a wrong formula on the page)."""
    symbol, total = result.where[-1]
    result.where = (*result.where[:-1], (symbol, 2 * total))
    return result


def test_a_wrong_printed_formula_fails_both_checks_on_a_small_graph():
    program = "c = a - b; d = sin(c)*b; e = d*d + c"
    result = _tampered(symbp.gradient(program, form="nodes", check=False))
    checks = gradient_checks(symbp.parse(program), None, result)
    assert [c.passed for c in checks] == [False, False]


def test_a_wrong_printed_formula_fails_finite_differences_on_a_deep_chain():
    graph = symbp.parse(CHAIN)
    honest = symbp.gradient(CHAIN)
    assert honest.form == "nodes" and [c.passed for c in honest.checks] == [None, True]
    assert "node-name formulas as printed" in honest.checks[1].method
    checks = gradient_checks(graph, None, _tampered(symbp.gradient(CHAIN, check=False)))
    assert checks[1].passed is False


LONG_CHAIN = "\n".join(f"x{i + 1} = x{i}*y{i % 7} + sin(x{i})" for i in range(1_200))


def test_a_long_chain_is_checked_along_a_random_direction_and_a_wrong_formula_fails():
    # 3,600 nodes × 8 inputs: one central difference along a random direction of all inputs
    graph = symbp.parse(LONG_CHAIN)
    result = symbp.gradient(LONG_CHAIN, check=False)
    assert result.form == "nodes"
    honest = gradient_checks(graph, None, result)[1]
    assert honest.passed is True and "along a random direction of 8 inputs" in honest.method
    assert "node-name formulas as printed" in honest.method
    # one adjoint near the output doubled: every input used above it is wrong on the page
    # (deep down, the chain contracts: dx₁₂₀₀/dx₆₀₀ is ~1e-100, below any tolerance)
    symbol = result.where[10][0]
    result.where = tuple((s, 2 * t if s == symbol else t) for s, t in result.where)
    wrong = gradient_checks(graph, None, result)[1]
    assert wrong.passed is False and "directional derivative" in wrong.detail


def test_an_input_whose_slope_needs_too_many_digits_leaves_the_others_judged(monkeypatch):
    # dx₂₀₀/dx₀ is a product of 200 factors y + cos(x) ≈ 10^-100 at most points: with at
    # most 120 working digits finite differences cannot judge it, but judge the y's
    from symbp.core import checks as core_checks
    monkeypatch.setattr(core_checks, "FD_MAX_DIGITS", 120)
    program = "\n".join(f"x{i + 1} = x{i}*y{i % 7} + sin(x{i})" for i in range(200))
    check = symbp.gradient(program).checks[1]
    assert check.passed is True
    assert "cannot judge d/dx0" in check.detail and "d/dy0" not in check.detail


@SETTINGS
@given(programs())
def test_formulas_in_mpmath_equal_sympys_float_evaluation(program):
    # the oracle: SymPy substitutes 30-digit Floats into the printed formulas itself
    graph = symbp.parse(program)
    result = symbp.gradient(graph, form="nodes", check=False)
    point = complete_point(graph, parse_point({x: sympy.Float("0.7") + k / 10
                                                for k, x in enumerate(graph.inputs)}))
    try:
        ours = formulas_at(graph, result, point)
    except ValueError:  # outside the domain here: SymPy must find it not real or not finite
        ours = None
    env = {graph.symbols[v]: sympy.Float(value, 30)
           for v, value in numeric_values(graph, point, 30).items()}
    for symbol, total in result.where:
        env[symbol] = sympy.sympify(total).xreplace(env).evalf(30)
    for x, e in result.items():
        theirs = sympy.sympify(e).xreplace(env).evalf(30)
        if ours is None:
            assert not (theirs.is_real and theirs.is_finite)
            continue
        assert abs(ours[x] - theirs) <= sympy.Float("1e-25") * max(1, abs(theirs)), x


def test_a_long_gradient_in_node_names_is_summarized_saying_so():
    # 30 lines: 89 adjoints, 90 nodes and sums of 30 terms; the first rows of each and
    # how many more, as every long output; --full prints them all
    short, full = _gradient_text(CHAIN), _gradient_text(CHAIN, "--full")
    graph = symbp.parse(CHAIN)
    operations = [n for n in graph.nodes if not n.is_input]
    adjoints = len(symbp.gradient(CHAIN, check=False).where)
    assert adjoints == len(operations) - 1 == 89
    assert f"# … {adjoints - 12} more adjoints (use --full to show all)\n" in short
    assert f"# … {len(operations) - 12} more nodes (use --full to show all)\n" in short
    y0 = next(line for line in short.splitlines() if line.startswith("y₀: "))
    assert y0.endswith(" + … (18 more terms; --full shows all)") and y0.count("·x") == 12
    assert len(short.splitlines()) == 2 + 1 + 1 + 12 + 1 + 1 + 12 + 1
    # the full text holds every line of the short one that is not a summary
    assert {line for line in short.splitlines() if "…" not in line} <= set(full.splitlines())
    assert "…" not in full and len(full.splitlines()) == 2 + 1 + 1 + 89 + 1 + 90
