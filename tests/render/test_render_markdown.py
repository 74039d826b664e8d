# ruff: noqa: E501  (golden Markdown has long lines)
"""Markdown output: headings per section, tables, math GitHub and Jupyter render; and the
Jupyter display of an explanation."""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import SETTINGS, points_for, programs

import symbp
from symbp.render import jupyter

GRAPH_AND_PARTIALS = r"""## Derivatives of $e$ with respect to $a, b$

At $a = 2,\ b = 1$. Program: $c = a + b$; $d = b + 1$; $e = c \cdot d$. Output: $e = 6$. 5 nodes (2 inputs), 5 edges.

Notation: $\frac{\partial v}{\partial u}$ is the local partial on the edge $u \to v$; $\frac{\mathrm{d} v}{\mathrm{d} x}$ is a total derivative (a tangent in forward mode, an adjoint in reverse mode).

### Computational graph

Nodes in evaluation order.

| node | formula | value |  |
| --- | --- | --- | --- |
| $a$ | input | $2$ | input |
| $b$ | input | $1$ | input |
| $c$ | $a + b$ | $3$ |  |
| $d$ | $b + 1$ | $2$ |  |
| $e$ | $c \cdot d$ | $6$ | output |

### Local partials

One per edge, from the rule table.

| edge | rule | local partial | value |
| --- | --- | --- | --- |
| $a \to c$ | sum rule | $\frac{\partial c}{\partial a} = 1$ | $1$ |
| $b \to c$ | sum rule | $\frac{\partial c}{\partial b} = 1$ | $1$ |
| $b \to d$ | sum rule | $\frac{\partial d}{\partial b} = 1$ | $1$ |
| $c \to e$ | product rule | $\frac{\partial e}{\partial c} = d$ | $2$ |
| $d \to e$ | product rule | $\frac{\partial e}{\partial d} = c$ | $3$ |
"""

COST = """### Cost

Multiplications and additions; products with the seed 1 are free.

| method | mul | add | total |
| --- | ---: | ---: | ---: |
| sum over paths, path by path | 3 | 1 | 4 |
| forward mode, 2 sweeps | 3 | 1 | 4 |
| reverse sweep, 1 sweep | 3 | 1 | 4 |

Repeated by the path expansion (the reverse sweep uses each once): $\\frac{\\partial e}{\\partial c}$ 2 times.
"""


def test_canonical_graph_and_partials_exact_text():
    ex = symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1", sections="graph,partials")
    assert symbp.to_markdown(ex) == GRAPH_AND_PARTIALS
    assert ex.to_markdown() == GRAPH_AND_PARTIALS


def test_canonical_cost_table_exact_text():
    text = symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1", sections="cost").to_markdown()
    assert text.endswith(COST)


def test_derivations_are_the_latex_rows_in_aligned_blocks(canonical):
    text = canonical.to_markdown()
    headings = re.findall(r"^### (.+)$", text, flags=re.M)
    assert headings == ["Computational graph", "Local partials", "Sum over paths",
                        "Forward mode", "Reverse mode (backpropagation)", "Cost", "Checks"]
    assert text.count("$$\n\\begin{aligned}") == 3
    assert (r"\frac{\mathrm{d} e}{\mathrm{d} b} &= c + d = a + 2 \cdot b + 1 = 5 && "
            r"\text{gradient}") in text
    # the checks listed as the network's documents list them (one printer for both)
    assert r"- ✓ **paths == forward** \[symbolic and values\]: agree for a, b" in text


def test_explain_and_network_list_checks_with_one_printer(canonical):
    """The same check gives the same Markdown line in both commands' documents."""
    from symbp.render.markdown import document
    from symbp.render.tex.network_math import checks_parts

    check = canonical.checks[0]
    listed = document(list(checks_parts([check], True)))
    assert listed.splitlines()[-1] in canonical.to_markdown().splitlines()
    assert listed.splitlines()[-1].startswith(f"- ✓ **{check.name}**")


def test_pipes_never_break_a_table():
    text = symbp.explain("y = abs(x) * x", at="x=-2", sections="graph,partials").to_markdown()
    for line in text.splitlines():
        if line.startswith("| $"):
            assert line.count(" | ") == line.count("|") - 2 - line.count(r"\|")


@SETTINGS
@given(st.data())
def test_random_programs_give_well_formed_markdown(data):
    program = data.draw(programs())
    at = data.draw(st.one_of(st.none(), points_for(program)))
    ex = symbp.explain(program, at=at, strict=False)
    text = ex.to_markdown()
    assert text == ex.to_markdown()
    assert text.count("$$") % 2 == 0
    for line in text.splitlines():
        if line.startswith("|"):
            assert line.endswith("|")
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            assert len(cells) in (3, 4)
        elif "$" in line and not line.startswith("$$"):
            assert line.count("$") % 2 == 0, line


def test_jupyter_forms(canonical):
    assert canonical._repr_latex_().startswith("Computational graph\n\n\\begin{align*}")
    assert "%" not in canonical._repr_latex_()
    bundle = canonical._repr_mimebundle_()
    assert {"text/markdown", "text/latex", "text/plain"} <= set(bundle)
    assert bundle["text/plain"] == str(canonical)
    assert canonical._repr_markdown_() == bundle["text/markdown"]
    only = canonical._repr_mimebundle_(include=["text/latex"])
    assert set(only) == {"text/latex"}


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
def test_jupyter_shows_the_graph_where_graphviz_is_installed(canonical):
    assert canonical._repr_svg_().lstrip().startswith("<?xml")
    assert "data:image/svg+xml;base64," in canonical._repr_markdown_()
    assert "image/svg+xml" in canonical._repr_mimebundle_()


def test_jupyter_without_graphviz_has_no_picture(canonical, monkeypatch):
    monkeypatch.setattr(jupyter.dot.shutil, "which", lambda name: None)
    assert canonical._repr_svg_() is None
    assert canonical._repr_markdown_() == canonical.to_markdown()
    assert "image/svg+xml" not in canonical._repr_mimebundle_()
