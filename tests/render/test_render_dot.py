"""Graphviz output: exact, deterministic DOT text; pictures drawn where Graphviz is
installed; one clear error where it is not."""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import SETTINGS, points_for, programs

import symbp
from symbp.errors import SymbpError
from symbp.render import dot

CANONICAL = (
    'digraph symbp {\n'
    '  graph [rankdir=LR, size="10,7.5", fontname="Helvetica", fontsize=11, labelloc=b, '
    'labeljust=l, nodesep=0.35, ranksep=0.7, label=<<table border="0" cellborder="1" '
    'cellspacing="0" cellpadding="4" color="#9ca3af"><tr><td colspan="2" border="0"><b>∂e/∂(a, '
    'b)  at a = 2, b = 1;  e = 6</b></td></tr><tr><td bgcolor="#dbeafe">input</td>'
    '<td align="left">a leaf '
    'variable</td></tr><tr><td bgcolor="#f3f4f6">node</td><td align="left">name = formula, '
    'value</td></tr><tr><td bgcolor="#fde68a">output</td><td align="left">e, the '
    'differentiated node</td></tr><tr><td>u → v</td><td align="left">edge: local partial '
    '∂v/∂u = formula = value</td></tr><tr><td><font color="#9f1239">de/dv</font></td>'
    '<td align="left">adjoint from the reverse sweep (a total derivative)</td></tr>'
    '</table>>];\n'
    '  node [fontname="Helvetica", fontsize=11, margin="0.12,0.06"];\n'
    '  edge [fontname="Helvetica", fontsize=10, color="#6b7280", arrowsize=0.7];\n'
    '  "a" [shape=ellipse, style=filled, fillcolor="#dbeafe", color="#1e40af", '
    'label=<<b>a</b><br/>= 2<br/><font color="#9f1239">de/da = d = 2</font>>];\n'
    '  "b" [shape=ellipse, style=filled, fillcolor="#dbeafe", color="#1e40af", '
    'label=<<b>b</b><br/>= 1<br/><font color="#9f1239">de/db = c + d = 5</font>>];\n'
    '  "c" [shape=box, style="rounded,filled", fillcolor="#f3f4f6", color="#4b5563", '
    'label=<<b>c</b>&#160;= a + b<br/>= 3<br/><font color="#9f1239">de/dc = d = 2</font>>];\n'
    '  "d" [shape=box, style="rounded,filled", fillcolor="#f3f4f6", color="#4b5563", '
    'label=<<b>d</b>&#160;= b + 1<br/>= 2<br/><font color="#9f1239">de/dd = c = 3</font>>];\n'
    '  "e" [shape=box, style="rounded,filled", fillcolor="#fde68a", color="#b45309", '
    'peripheries=2, label=<<b>e</b>&#160;= c·d<br/>= 6<br/><font color="#9f1239">de/de = 1'
    '</font>>];\n'
    '  "a" -> "c" [label=<∂c/∂a = 1>];\n'
    '  "b" -> "c" [label=<∂c/∂b = 1>];\n'
    '  "b" -> "d" [label=<∂d/∂b = 1>];\n'
    '  "c" -> "e" [label=<∂e/∂c = d = 2>];\n'
    '  "d" -> "e" [label=<∂e/∂d = c = 3>];\n'
    '}\n'
)

needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None,
                                    reason="Graphviz (dot) is not installed")


def edges(text: str) -> list[str]:
    return re.findall(r'^  ("[^"]*" -> "[^"]*")', text, flags=re.M)


def test_canonical_exact_text(canonical):
    assert symbp.to_dot(canonical) == CANONICAL
    assert canonical.to_dot() == CANONICAL


def test_the_page_picture_leaves_the_title_to_the_page(canonical):
    # the HTML stepper's heading is the title; the picture repeated it under the graph
    title = "∂e/∂(a, b)"
    assert title in dot.to_dot(canonical, legend=False)  # a picture of its own has it
    page = dot.to_dot(canonical, legend=False, page=True)
    assert title not in page and "label=<>" not in page
    assert page.count("->") == 5  # the graph itself is all there
    assert title in symbp.to_html(canonical)


def test_same_input_same_bytes():
    first = symbp.explain("y = sin(a*b) + a*a", at="a=1/2,b=3").to_dot()
    second = symbp.explain("y = sin(a*b) + a*a", at="a=1/2,b=3").to_dot()
    assert first == second


def test_multi_edges_are_drawn_one_per_operand():
    text = symbp.explain("b = a + a", at="a=3").to_dot()
    assert edges(text).count('"a" -> "b"') == 2
    assert "∂b/∂a (operand 1) = 1" in text and "∂b/∂a (operand 2) = 1" in text


def test_symbolic_graph_has_formulas_and_no_values():
    text = symbp.explain("e=(a+b)*(b+1)").to_dot()
    assert "∂e/∂c = d>" in text
    assert "de/db = c + d<" in text
    assert "= value" not in text and "<br/>= 3" not in text


def test_an_exact_integer_is_not_repeated_as_a_float():
    # the seed dg/dg is 1 at a float point too: not "dg/dg = 1 = 1.0"
    text = symbp.explain("g = sin(x)", at={"x": 1.0}).to_dot()
    assert "dg/dg = 1</font>" in text
    assert "1 = 1.0" not in text
    assert "dg/dx = cos(x) = 0.5403023059" in text  # a float that says more stays


def test_wrt_highlights_every_path_from_the_chosen_inputs():
    text = symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1", wrt="a").to_dot()
    red = re.findall(r'^  ("[^"]*"(?: -> "[^"]*")?) \[.*#dc2626', text, flags=re.M)
    assert red == ['"a"', '"c"', '"e"', '"a" -> "c"', '"c" -> "e"']
    assert "the paths from a to e" in text
    assert "#dc2626" not in symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1").to_dot()


def test_styles_differ_for_inputs_nodes_and_output(canonical):
    text = canonical.to_dot()
    assert text.count("shape=ellipse") == 2  # a, b
    assert text.count("peripheries=2") == 1  # e
    assert text.count('fillcolor="#f3f4f6"') == 2  # c, d


def test_ids_and_labels_are_escaped():
    quoted = dot.dot_id('a"b\\c')
    assert quoted == '"a\\"b\\\\c"'
    assert dot.html_text("a<b & c>d") == "a&lt;b &amp; c&gt;d"


@SETTINGS
@given(st.data())
def test_random_programs_give_well_formed_dot(data):
    program = data.draw(programs())
    at = data.draw(st.one_of(st.none(), points_for(program)))
    ex = symbp.explain(program, at=at, strict=False)
    text = ex.to_dot()
    assert text.startswith("digraph symbp {\n") and text.endswith("}\n")
    assert len(edges(text)) == len(ex.graph.edges)
    for line in text.splitlines()[1:-1]:
        assert line.count("<") - line.count("<br/>") >= 0
        assert line.endswith("];")
    assert text == ex.to_dot()


@needs_graphviz
def test_svg_and_png_are_drawn(canonical):
    svg = dot.render(canonical, "svg").decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "∂e/∂c = d = 2" in svg
    png = dot.render(canonical, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_missing_graphviz_is_one_clear_error(canonical, monkeypatch):
    monkeypatch.setattr(dot.shutil, "which", lambda name: None)
    with pytest.raises(SymbpError) as error:
        dot.render(canonical, "svg")
    message = str(error.value)
    assert "\n" not in message
    assert "install Graphviz" in message and "apt-get install graphviz" in message


def test_unknown_picture_format(canonical):
    with pytest.raises(SymbpError, match="svg or png"):
        dot.render(canonical, "gif")
