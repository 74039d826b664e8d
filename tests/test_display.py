"""What every format shows (issue 12): one value chain (no "= ≈"), counts with the right
noun ("1 edge"), across the terminal, LaTeX, Markdown, DOT and the network renderers."""

from __future__ import annotations

import re

import sympy

import symbp
from symbp.network_spec import parse_spec
from symbp.printing import chain, equals, noun, plural, value_links, value_text
from symbp.render.network_latex import to_latex as network_latex
from symbp.render.network_terminal import to_text as network_text


def _formats(ex) -> dict[str, str]:
    return {"terminal": str(ex), "latex": ex.to_latex(standalone=True),
            "markdown": ex.to_markdown(), "dot": ex.to_dot()}


# -- values: = and ≈ ------------------------------------------------------------------------------

def test_value_links_decide_equals_and_approx_once():
    assert value_links(sympy.Rational(1, 2)) == (("=", sympy.Rational(1, 2)),)
    short = value_links(sympy.sin(2))
    assert [r for r, _ in short] == ["=", "≈"] and short[0][1] == sympy.sin(2)
    assert abs(float(short[1][1]) - 0.9092974268256817) < 1e-15
    long = sympy.Rational(30, 49) + 2 * sympy.cos(sympy.Rational(13, 17)) + sympy.sqrt(3)
    assert [r for r, _ in value_links(long)] == ["≈"]
    assert value_text(sympy.sin(2)) == "sin(2) ≈ 0.9092974268"
    assert equals(sympy.sin(2)) == "= sin(2) ≈ 0.9092974268"
    assert equals(long).startswith("≈ ") and equals(3) == "= 3"


def test_chain_never_writes_equals_approx():
    assert chain("df/dx", "2·a", "≈ 1.5") == "df/dx = 2·a ≈ 1.5"
    assert chain("d", "1·1", None, "1", "1") == "d = 1·1 = 1"
    assert chain("t", "4·sin(2)", "4·sin(2) ≈ 3.637") == "t = 4·sin(2) ≈ 3.637"


def test_a_long_irrational_sum_reads_approx_in_every_format():
    """The issue's ``sum: df/dx = a·cos(x) + 2·b·x = ≈ 1.546899747``."""
    ex = symbp.explain("f = a*sin(x) + b*x**2", at="a=23/7,b=5/11,x=13/17")
    value = float(sympy.diff(sympy.sympify("a*sin(x) + b*x**2"), "x").subs(
        {"a": sympy.Rational(23, 7), "b": sympy.Rational(5, 11), "x": sympy.Rational(13, 17)}))
    shown = f"{value:.10g}"
    text = str(ex)
    assert f"sum: df/dx = a·cos(x) + 2·b·x ≈ {shown}" in text
    for fmt, out in _formats(ex).items():
        assert "= ≈" not in out and not re.search(r"=\s*\\approx", out), fmt
    assert rf"\approx {shown}" in ex.to_latex()


def test_a_long_point_value_is_not_written_equal():
    ex = symbp.explain("y = x**2", at={"x": sympy.sqrt(2) + sympy.sqrt(3) + sympy.sqrt(5)
                                       + sympy.sqrt(7)}, sections="graph")
    for fmt, out in _formats(ex).items():
        assert "= ≈" not in out and not re.search(r"=\s*\\approx", out), fmt
    assert "at x ≈ 8.028083659" in str(ex)


# -- plurals --------------------------------------------------------------------------------------

def test_plural():
    assert [plural(n, "edge") for n in (0, 1, 2, 1234)] == \
        ["0 edges", "1 edge", "2 edges", "1,234 edges"]
    assert noun(1, "repeated local partial") == "repeated local partial"
    assert plural(10**20, "path", shown="1.000e20") == "1.000e20 paths"


_NOUNS = r"(?:edge|input|node|path|step|sweep|sample|epoch|time|neuron|component|parameter)"
# a count, one space or TeX's "\ \text{", maybe "more ", the noun (not a table's columns)
_GAP = r"(?:\\ \\text\{| |\\ )(?:more )?"
WRONG_SINGULAR = re.compile(r"(?<![\d.,])1" + _GAP + _NOUNS + r"s\b")
WRONG_PLURAL = re.compile(r"(?<![\d.,])2" + _GAP + _NOUNS + r"\b(?!s)")


def _no_wrong_counts(text: str, where: str) -> None:
    assert not WRONG_SINGULAR.search(text), (where, WRONG_SINGULAR.search(text))
    assert not WRONG_PLURAL.search(text), (where, WRONG_PLURAL.search(text))


def test_one_of_everything_is_singular_in_every_format():
    ex = symbp.explain("y = sin(x)", at="x=1")  # 1 input, 1 edge, 1 path, 1 sweep, 1 step
    for fmt, out in _formats(ex).items():
        _no_wrong_counts(out, fmt)
    assert "2 nodes (1 input), 1 edge." in str(ex)
    assert "2 nodes (1 input), 1 edge." in ex.to_markdown()
    assert "2 nodes (1 input) and 1 edge." in ex.to_latex(standalone=True)
    assert "dy/dx: 1 path" in str(ex) and "forward mode, 1 sweep " in str(ex)
    assert r"1\ \text{path}" in ex.to_latex()


def test_one_more_and_two_in_every_format():
    ex = symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1", max_paths=1)
    for fmt, out in _formats(ex).items():
        _no_wrong_counts(out, fmt)
    assert "… 1 more path not shown" in str(ex) and "de/db: 2 paths" in str(ex)
    assert "5 nodes (2 inputs), 5 edges." in str(ex)
    assert "stored totals reused" not in str(ex) or "(2 edges)" in str(ex)
    big = "y = " + " + ".join(f"x{i}" for i in range(13))  # one node more than shown
    for fmt, out in _formats(symbp.explain(big, sections="graph")).items():
        _no_wrong_counts(out, fmt)


def test_network_counts_in_every_format():
    one = parse_spec({"layers": [1, 1], "samples": [{"x": [0.5], "y": [1.0]}],
                      "learning_rate": 0.5, "seed": 1})
    walk = symbp.network_walkthrough(one, epochs=1)
    for text in (network_text(walk), network_latex(walk, standalone=True)):
        _no_wrong_counts(text, "network")
        assert "1 sample" in text and "1 epoch" in text
    two = parse_spec({"layers": [2, 2], "samples": [{"x": [0.5, 1], "y": [1.0, 0]}] * 2,
                      "learning_rate": 0.5, "seed": 1})
    walk = symbp.network_walkthrough(two, epochs=2)
    for text in (network_text(walk), network_latex(walk, standalone=True)):
        _no_wrong_counts(text, "network")
        assert "2 samples" in text and "2 epochs" in text
    derivation = symbp.derive_network([2, 3, 2])
    _no_wrong_counts(network_text(derivation), "network --layers")
