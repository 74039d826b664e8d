"""``symbp gradient`` in node names: what it prints is checked, and it reads like the rest.

The node-name form (a gradient too deep to write out in its inputs) prints formulas; the
self-checks judge those printed formulas — written back into the inputs against
``sympy.diff`` where the graph is small enough, evaluated at a random point against
finite differences — so a wrong formula on the page is a loud failure.
"""

from __future__ import annotations

import re

import sympy
from typer.testing import CliRunner

import symbp
from symbp.cli import app
from symbp.explanation.checks import gradient_checks, written_out

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
    text = _gradient_text(CHAIN)
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
