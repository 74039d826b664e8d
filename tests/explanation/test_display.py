"""What every format shows (issue 12): one value chain (no "= ≈"), counts with the right
noun ("1 edge"), across the terminal, LaTeX, Markdown, DOT and the network renderers."""

from __future__ import annotations

import re
import shutil
import struct
from pathlib import Path

import pytest
import sympy

import symbp
from symbp.core.printing import chain, equals, inline, noun, plain, plural, value_links, value_text
from symbp.explanation.view import IN_INPUTS_LIMIT, in_inputs, in_numbers, path_ends, shortened
from symbp.network.spec import parse_spec
from symbp.render.dot import PAGE, PNG_DPI, layout, render
from symbp.render.network_latex import to_latex as network_latex
from symbp.render.terminal.explain import to_text
from symbp.render.terminal.network import to_text as network_text


def _formats(ex) -> dict[str, str]:
    return {"terminal": str(ex), "latex": ex.to_latex(standalone=True),
            "markdown": ex.to_markdown(), "dot": ex.to_dot()}


# -- values: = and ≈ ------------------------------------------------------------------------------

def test_a_product_with_an_uncertain_factor_is_not_written_in_numbers():
    # log(1 + 10^-30) has no certain digit within the budget (SymPy's evalf cancels every
    # digit); rows read "d = (no digit certain) ≈ (no digit certain)" and "d·1 =
    # (no digit certain)·1 ≈ …" — = with no number, then the same words after ≈
    uncertain = sympy.log(1 + sympy.Rational(1, 10**30))
    assert not in_numbers([uncertain, 1]) and not in_numbers([None, 2])
    assert in_numbers([sympy.sin(2), sympy.Rational(1, 3), 0.5])
    ex = symbp.explain("y = a*log(1 + b)", at={"a": 1, "b": sympy.Rational(1, 10**30)})
    for fmt, text in _formats(ex).items():
        mentions = text.count("no digit certain")
        assert mentions, fmt
        assert "= (no digit certain)" not in text and "·(no digit certain)" not in text, fmt
        assert r"= \text{(no digit certain)}" not in text, fmt
        assert r"\cdot \text{(no digit certain)}" not in text, fmt
        assert r"\text{(no digit certain)} \cdot" not in text, fmt
    assert "dy/da += ∂y/∂a·da/da = d·1 ≈ (no digit certain)" in str(ex)
    # a certain factor is still written in numbers
    certain_ = str(symbp.explain("y = a*d", at="a=1,d=1.6"))
    assert "dy/da += ∂y/∂a·da/da = d·1 = 1.6·1.0 = 1.6" in certain_


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


# -- the micrograd program: the output in every header, paths told apart, a page-sized picture ---

MICROGRAD = (Path(__file__).parents[1] / "data" / "micrograd.txt").read_text()


def _micrograd_in_python() -> float:
    """The README program of karpathy/micrograd run with Python floats (the oracle)."""
    def relu(v):
        return v if v > 0 else 0.0
    a, b = -4.0, 2.0
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + relu(b + a)
    d += 3 * d + relu(b - a)
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def test_every_header_states_the_output_and_its_value():
    g = _micrograd_in_python()
    shown = f"{g:.10g}"
    assert shown == "24.70408163"  # micrograd's README: 24.7041
    ex = symbp.explain(MICROGRAD)
    assert ex.graph.output == "g_1"
    assert f"output: g₁ = {shown}" in str(ex).splitlines()[:3]
    assert f"The output: $g_{{1}} = {shown}$." in ex.to_latex(standalone=True)
    assert ex.to_latex().splitlines()[0].endswith(f"; output g_1 = {shown}")
    assert f"Output: $g_{{1}} = {shown}$." in ex.to_markdown()
    assert f"g₁ = {shown}</b>" in ex.to_dot()
    assert ex.to_dict()["nodes"][-1] == {"name": "g_1", "op": "add", "formula": "g + v",
                                         "value": g, "float": g}
    # without a point: the output in its inputs, when short
    assert "output: y = (x - 3)^2" in str(symbp.explain("y = (x - 3)**2"))


def test_the_gradient_summary_says_it_in_the_inputs():
    ex = symbp.explain("y = x**2*sin(x)", at="x=1")
    x = sympy.Symbol("x", real=True)
    expected = sympy.diff(x**2 * sympy.sin(x), x)
    assert ex.gradient_in_inputs["x"] == expected
    assert f"gradient: dy/dx = a·cos(x) + 2·b·x = {inline(expected)} = cos(1) + 2·sin(1)" in \
        " ".join(str(ex).split())
    latex = ex.to_latex()
    assert (r"\frac{\mathrm{d} y}{\mathrm{d} x} &= a \cdot \cos{\left(x \right)} + 2 \cdot b "
            r"\cdot x = x^{2} \cdot \cos{\left(x \right)} + 2 \cdot x \cdot \sin{\left(x \right)}"
            ) in latex
    assert r"x^{2} \cdot \cos{\left(x \right)} + 2 \cdot x \cdot \sin{\left(x \right)}" in \
        ex.to_markdown()


def test_a_long_derivative_in_the_inputs_is_left_to_json():
    ex = symbp.explain(MICROGRAD)
    for x in ("a", "b"):
        written = ex.gradient_in_inputs[x]
        assert len(inline(written)) > IN_INPUTS_LIMIT and in_inputs(ex, x) is None
        assert inline(written) not in str(ex)
        assert ex.to_dict()["gradient"][x]["in_inputs"] == plain(written)


def _path_column(text: str, start: str) -> list[str]:
    return [line.strip().split("   ")[0] for line in text.splitlines()
            if line.startswith("    " + start + " → ")]


def test_shortened_paths_are_told_apart_in_every_format():
    ex = symbp.explain(MICROGRAD, sections="paths")
    text = to_text(ex, width=200)
    for x in ("a", "b"):
        labels = _path_column(text, x)
        assert len(labels) == 8 and len(set(labels)) == 8, labels
        assert any("…" in label for label in labels)
    braces = re.findall(r"\}_\{(.*?)\\ \(\d+\\ \\text\{edges\}\)\}", ex.to_latex())
    assert len(braces) == 16 and len(set(braces)) == 16  # 8 listed paths from a and from b
    assert braces == re.findall(r"\}_\{(.*?)\\ \(\d+\\ \\text\{edges\}\)\}", ex.to_markdown())


def test_path_ends_widen_until_paths_differ():
    # 2**8 paths of 10 edges that differ only in the middle (a chain of diamonds)
    lines = ["v0 = x"] + [f"p{i} = sin(v{i}); q{i} = cos(v{i}); v{i + 1} = p{i} + q{i}"
                          for i in range(8)] + ["y = exp(v8)"]
    ex = symbp.explain("\n".join(lines), max_paths=6, sections="paths")
    shown = [t.edges for t in ex.paths["x"].shown]
    ends = path_ends(shown)
    cut = [shortened(p, ends) or p for p in shown]
    assert len(set(cut)) == len(shown) and ends != (2, 1)
    labels = _path_column(to_text(ex, width=300), "x")
    assert len(set(labels)) == len(labels) == 6


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
def test_a_long_graph_is_drawn_to_fit_a_page():
    """micrograd's program was 6,686 × 741 px (5,015 × 556 pt) drawn left to right."""
    ex = symbp.explain(MICROGRAD)
    assert layout(ex.graph) == ("TB", "7.5,10")
    svg = render(ex, "svg").decode()
    width, height = (float(v) for v in re.search(
        r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
    assert width <= PAGE[0] * 72 + 1 and height <= PAGE[1] * 72 + 1
    assert 0.5 < width / height < 2
    png = render(ex, "png")
    px_width, px_height = struct.unpack(">II", png[16:24])
    assert px_width <= PAGE[0] * PNG_DPI + 2 and px_height <= PAGE[1] * PNG_DPI + 2
    assert px_width > 1000  # drawn at 150 dpi: the labels stay legible
    # the classic figure of a small graph stays left to right, at its natural size
    small = symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1")
    assert layout(small.graph) == ("LR", "10,7.5")
    assert 'rankdir=LR, size="10,7.5"' in small.to_dot()


def test_paths_that_differ_only_deep_inside_are_numbered_not_written_whole():
    """A chain of 40 diamonds: its paths differ only in the middle, and no ends up to
    LONG_PATH edges tell them apart.  They were written whole (a 3,000-line program gave
    thousands of names per path and took 27 s); now their ends are shown, numbered."""
    lines = ["v0 = x"] + [f"p{i} = sin(v{i}); q{i} = cos(v{i}); v{i + 1} = p{i} + q{i}"
                          for i in range(40)] + ["y = exp(v40)"]
    ex = symbp.explain("\n".join(lines), max_paths=12, sections="paths")
    shown = [t.edges for t in ex.paths["x"].shown]
    assert len(shown[0]) == 81 and path_ends(shown) is None
    text = to_text(ex, width=200)
    rows = [line.strip() for line in text.splitlines() if "product of 81" in line]
    assert [row.split(".")[0] for row in rows] == [str(i) for i in range(1, 13)]
    assert rows[0].startswith("1. x → p₀ → v₁ → … → v₄₀ → y   product of 81 local partials")
    assert len(text) < 3_000  # the ends only: not 12 paths of 82 names each
    labels = re.findall(r"\}_\{\\text\{(\d+)\.\}", ex.to_latex())
    assert labels == [str(i) for i in range(1, 13)]
