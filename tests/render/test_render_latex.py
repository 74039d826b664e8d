# ruff: noqa: E501  (the golden fragment has LaTeX's long rows)
"""LaTeX output: exact fragments for the canonical example, well-formed output for random
programs, and documents that really compile with pdflatex (skipped, with the reason,
where no TeX engine is installed)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st
from strategies import SETTINGS, points_for, programs

import symbp
from symbp.render.latex import to_latex
from symbp.render.tex import math as tex
from symbp.render.tex.width import width

DERIVATION = "graph,partials,paths,forward,reverse,cost"

CANONICAL = r'''% symbp: de/d(a, b) at a = 2, b = 1; output e = 6
% Computational graph (nodes in evaluation order)
\begin{align*}
a &= 2 && \text{input} \\
b &= 1 && \text{input} \\
c &= a + b = 3 \\
d &= b + 1 = 2 \\
e &= c \cdot d = 6 && \text{output}
\end{align*}
% Local partials (one per edge, from the rule table)
\begin{align*}
\frac{\partial c}{\partial a} &= 1 && \text{sum rule} \\
\frac{\partial c}{\partial b} &= 1 && \text{sum rule} \\
\frac{\partial d}{\partial b} &= 1 && \text{sum rule} \\
\frac{\partial e}{\partial c} &= d = 2 && \text{product rule} \\
\frac{\partial e}{\partial d} &= c = 3 && \text{product rule}
\end{align*}
% Sum over paths (de/dx = sum over paths of the product of local partials along the path)
\begin{align*}
\frac{\mathrm{d} e}{\mathrm{d} a} &= \underbrace{\frac{\partial c}{\partial a}\,\frac{\partial e}{\partial c}}_{a \to c \to e} = 1 \cdot d = d = 1 \cdot 2 = 2 && 1\ \text{path} \\
\frac{\mathrm{d} e}{\mathrm{d} b} &= \underbrace{\frac{\partial c}{\partial b}\,\frac{\partial e}{\partial c}}_{b \to c \to e} + \underbrace{\frac{\partial d}{\partial b}\,\frac{\partial e}{\partial d}}_{b \to d \to e} = 1 \cdot d + 1 \cdot c = c + d = 1 \cdot 2 + 1 \cdot 3 = 5 && 2\ \text{paths}
\end{align*}
% Forward mode (seeded at a, b: dx/dx = 1; each edge pushes a tangent forward)
\begin{align*}
\frac{\mathrm{d} a}{\mathrm{d} a} &= 1 && \text{seed} \\
\frac{\mathrm{d} c}{\mathrm{d} a} &\mathrel{+}= \frac{\partial c}{\partial a} \cdot \frac{\mathrm{d} a}{\mathrm{d} a} = 1 \cdot 1 = 1 && 1.\ a \to c \\
\frac{\mathrm{d} e}{\mathrm{d} a} &\mathrel{+}= \frac{\partial e}{\partial c} \cdot \frac{\mathrm{d} c}{\mathrm{d} a} = d \cdot 1 = 2 \cdot 1 = 2 && 2.\ c \to e \\
\frac{\mathrm{d} e}{\mathrm{d} a} &= d = 2 && \text{result} \\
& \\
\frac{\mathrm{d} b}{\mathrm{d} b} &= 1 && \text{seed} \\
\frac{\mathrm{d} c}{\mathrm{d} b} &\mathrel{+}= \frac{\partial c}{\partial b} \cdot \frac{\mathrm{d} b}{\mathrm{d} b} = 1 \cdot 1 = 1 && 1.\ b \to c \\
\frac{\mathrm{d} d}{\mathrm{d} b} &\mathrel{+}= \frac{\partial d}{\partial b} \cdot \frac{\mathrm{d} b}{\mathrm{d} b} = 1 \cdot 1 = 1 && 2.\ b \to d \\
\frac{\mathrm{d} e}{\mathrm{d} b} &\mathrel{+}= \frac{\partial e}{\partial c} \cdot \frac{\mathrm{d} c}{\mathrm{d} b} = d \cdot 1 = 2 \cdot 1 = 2 && 3.\ c \to e \\
\frac{\mathrm{d} e}{\mathrm{d} b} &\mathrel{+}= \frac{\partial e}{\partial d} \cdot \frac{\mathrm{d} d}{\mathrm{d} b} = c \cdot 1 = 3 \cdot 1 = 3 && 4.\ d \to e \\
\frac{\mathrm{d} e}{\mathrm{d} b} &= c + d = 5 && \text{result}
\end{align*}
% Reverse mode (backpropagation) (de/de = 1; each total is stored once, then reused)
\begin{align*}
\frac{\mathrm{d} e}{\mathrm{d} e} &= 1 && \text{seed} \\
\frac{\mathrm{d} e}{\mathrm{d} c} &\mathrel{+}= \frac{\mathrm{d} e}{\mathrm{d} e} \cdot \frac{\partial e}{\partial c} = 1 \cdot d = 1 \cdot 2 = 2 && 1.\ c \to e \\
\frac{\mathrm{d} e}{\mathrm{d} d} &\mathrel{+}= \frac{\mathrm{d} e}{\mathrm{d} e} \cdot \frac{\partial e}{\partial d} = 1 \cdot c = 1 \cdot 3 = 3 && 2.\ d \to e \\
\frac{\mathrm{d} e}{\mathrm{d} b} &\mathrel{+}= \frac{\mathrm{d} e}{\mathrm{d} d} \cdot \frac{\partial d}{\partial b} = c \cdot 1 = 3 \cdot 1 = 3 && 3.\ b \to d \\
\frac{\mathrm{d} e}{\mathrm{d} a} &\mathrel{+}= \frac{\mathrm{d} e}{\mathrm{d} c} \cdot \frac{\partial c}{\partial a} = d \cdot 1 = 2 \cdot 1 = 2 && 4.\ a \to c \\
\frac{\mathrm{d} e}{\mathrm{d} b} &\mathrel{+}= \frac{\mathrm{d} e}{\mathrm{d} c} \cdot \frac{\partial c}{\partial b} = d \cdot 1 = 2 \cdot 1 = 2 && 5.\ b \to c \\
\frac{\mathrm{d} e}{\mathrm{d} a} &= d = b + 1 = 2 && \text{gradient} \\
\frac{\mathrm{d} e}{\mathrm{d} b} &= c + d = a + 2 \cdot b + 1 = 5 && \text{gradient} \\
&\text{5 steps, one per edge; stored totals reused:} \\
&\qquad \frac{\mathrm{d} e}{\mathrm{d} c}\ \text{(2 edges)}
\end{align*}
% Cost (multiplications and additions; products with the seed 1 are free)
\begin{align*}
&\begin{array}{lrrr}
\text{method} & \text{mul} & \text{add} & \text{total} \\ \hline
\text{sum over paths, path by path} & 3 & 1 & 4 \\
\text{forward mode, 2 sweeps} & 3 & 1 & 4 \\
\text{reverse sweep, 1 sweep} & 3 & 1 & 4 \\
\end{array} \\
&\text{repeated by the path expansion (the reverse sweep uses each once):} \\
&\qquad \frac{\partial e}{\partial c}\!:\ 2\ \text{times}
\end{align*}
'''


def canonical_fragment(**options) -> str:
    return symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1", sections=DERIVATION, **options).to_latex()


def test_canonical_fragment_exact_text():
    assert canonical_fragment() == CANONICAL


def test_one_align_block_per_section(canonical):
    text = symbp.to_latex(canonical)
    assert text.count(r"\begin{align*}") == len(symbp.SECTIONS)
    assert text.count(r"\end{align*}") == len(symbp.SECTIONS)
    assert r"\documentclass" not in text


def test_checks_section(canonical):
    text = to_latex(canonical)
    checks = text[text.index("% Checks"):]
    assert checks.count(r"\checkmark") == 4
    assert r"\text{paths == forward}\quad \text{[symbolic and values]}" in checks
    assert r"&\qquad \text{agree for a, b}" in checks


def test_symbolic_canonical_has_no_values():
    text = symbp.explain("e=(a+b)*(b+1)", sections=DERIVATION).to_latex()
    assert r"\frac{\partial e}{\partial c} &= d && \text{product rule}" in text
    assert (r"\frac{\mathrm{d} e}{\mathrm{d} b} &= c + d = a + 2 \cdot b + 1 && \text{gradient}"
            in text)
    assert "= 5" not in text


def test_names_greek_and_indices_come_from_sympy():
    ex = symbp.explain("y = alpha * c_1**2 + w", at="alpha=1/2,c_1=3,w=1")
    text = ex.to_latex()
    assert r"\frac{\partial a}{\partial c_{1}}" in text
    assert r"\alpha &= \frac{1}{2} && \text{input}" in text
    assert tex.name(ex, "alpha") == sympy.latex(ex.graph.symbols["alpha"])
    assert text.isascii() or all(ord(ch) < 128 for line in text.splitlines()
                                 if not line.startswith("%") for ch in line)


def test_unicode_names_and_text_become_tex():
    ex = symbp.explain("y = α * β", at="α=2,β=3")
    body = "\n".join(line for line in ex.to_latex().splitlines() if not line.startswith("%"))
    assert body.isascii()
    assert r"{\alpha} &= 2" in body
    assert tex.text("∂b/∂a → x_1 ≈ 50% & <1>") == (
        r"{\partial}\text{b/}{\partial}\text{a }{\to}\text{ x}\_\text{1 }{\approx}\text{ 50}"
        r"\%\text{ }\&\text{ }<\text{1}>")
    assert tex.text("tan' = 1 + tan^2") == r"\text{tan' = 1 + tan}^{2}"


def test_index_superscripts_like_nielsen():
    graph = symbp.Graph([symbp.Node("w^{2}_{11}"), symbp.Node("x"),
                         symbp.Node("z", "mul", ("w^{2}_{11}", "x"))], "z")
    text = symbp.explain(graph).to_latex()
    assert r"\frac{\partial z}{\partial w^{2}_{11}} &= x" in text


def test_floats_use_the_terminal_digits_and_tex_exponents():
    text = symbp.explain("y = x * 1e-7 + x", at="x=0.5", sections="graph").to_latex()
    assert r"1.0 \cdot 10^{-7}" in text and "e-7" not in text


def test_long_sums_break_across_rows():
    program = "y = " + " + ".join(f"x*weight_{i}" for i in range(12))
    text = symbp.explain(program, sections="paths", max_paths=12).to_latex()
    body = text[text.index(r"\begin{align*}") + 14:text.index(r"\end{align*}")]
    rows = body.strip().split(" \\\\\n")
    assert len(rows) > 3
    assert all(width(row) <= tex.LINE + 12 for row in rows)
    assert any(row.startswith(r"&\quad + \underbrace") for row in rows)
    assert any(row.startswith(r"&= weight_{0} + weight_{1}") for row in rows)


def test_pieces_read_like_sympy_latex_and_break_only_when_wide():
    a, b = sympy.symbols("a b", real=True)
    narrow = a * b + sympy.sin(a) - 3
    assert " ".join(tex.pieces(narrow)) == tex.expr(narrow)
    wide = sympy.Add(*[sympy.Symbol(f"x_{i}") * sympy.Symbol(f"y_{i}") for i in range(30)])
    parts = tex.pieces(wide)
    assert len(parts) > 1
    assert all(p.startswith(("+ ", "- ")) for p in parts[1:])
    assert " ".join(parts) == tex.expr(wide)
    cut = tex.pieces(wide, limit=0.5)
    assert cut[-1] == r"+ \cdots" and len(cut) < len(parts)


def test_big_graphs_are_summarized_unless_full():
    program = "y = " + " + ".join(f"x{i}" for i in range(16))  # 16 inputs, 15 sums
    short = symbp.explain(program, sections="graph").to_latex()
    assert r"\vdots\quad 19\ \text{more nodes (use full=True to show all)}" in short
    full = symbp.explain(program, sections="graph", full=True).to_latex()
    assert r"\vdots" not in full and "x_{15}" in full


def balanced(text: str) -> bool:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


@SETTINGS
@given(st.data())
def test_random_programs_give_well_formed_latex(data):
    program = data.draw(programs())
    at = data.draw(st.one_of(st.none(), points_for(program)))
    ex = symbp.explain(program, at=at, strict=False)
    text = ex.to_latex()
    assert text == ex.to_latex()
    # one block per section, plus one of remarks when there are warnings or notes
    blocks = len(ex.sections) + bool(ex.warnings or ex.notes)
    assert text.count(r"\begin{align*}") == text.count(r"\end{align*}") == blocks
    for row in re.split(r" \\\\\n|\n", text):
        if row.startswith("%"):
            continue
        assert row.isascii(), row
        assert balanced(row), row
        assert row.count(r"\left") == row.count(r"\right"), row  # never split across rows
    assert balanced(text)
    assert text.count(r"\bigl(") == text.count(r"\bigr)")


# -- compiling ------------------------------------------------------------------------------------

ENGINE = shutil.which("pdflatex")
needs_tex = pytest.mark.skipif(ENGINE is None, reason="no LaTeX engine (pdflatex) installed; "
                               "CI installs texlive-latex-base")


def compile_tex(source: str, tmp_path) -> str:
    (tmp_path / "notes.tex").write_text(source, encoding="utf-8")
    done = subprocess.run([ENGINE, "-interaction=nonstopmode", "-halt-on-error", "notes.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    log = (tmp_path / "notes.log").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, log[-3000:]
    assert (tmp_path / "notes.pdf").stat().st_size > 1000
    return log


@needs_tex
@pytest.mark.parametrize("program, at", [
    ("e=(a+b)*(b+1)", "a=2,b=1"),
    ("e=(a+b)*(b+1)", None),
    ("y = alpha*x_1**2 + sin(beta*x_1) + c_1; L = (y - t)**2/2",
     "alpha=1/2,x_1=2,beta=3,c_1=1,t=1"),
    ("z = w_1*x + b; a_1 = sigmoid(z); C = (a_1 - y)**2 + relu(x - 1.5) + abs(b)",
     "w_1=0.5,x=1.5,b=-0.25,y=1.0"),
    ("s = " + " + ".join(f"x{i}*x{(i + 1) % 9}" for i in range(9)) + "; y = s**2 + log(s)",
     ",".join(f"x{i}={i + 1}" for i in range(9))),
])
def test_standalone_document_compiles_without_overfull_boxes(program, at, tmp_path):
    source = symbp.explain(program, at=at).to_latex(standalone=True)
    assert source.startswith(r"\documentclass") and source.rstrip().endswith(r"\end{document}")
    log = compile_tex(source, tmp_path)
    overfull = [line for line in log.splitlines() if line.startswith("Overfull")]
    assert not overfull, overfull


@needs_tex
def test_deep_graph_with_long_expressions_compiles(tmp_path):
    program = "a1 = x*y; " + "; ".join(f"a{i + 1} = a{i}*x + a{i}*y" for i in range(1, 7))
    source = symbp.explain(program, at="x=1,y=2").to_latex(standalone=True)
    log = compile_tex(source, tmp_path)
    assert log.count("Overfull") == 0
