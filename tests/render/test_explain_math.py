"""The explanation's LaTeX article and Markdown document hold their math as SymPy objects
(``Math`` runs), printed at the last moment by the explanation's TeX printer: no run is
pre-typeset TeX, names are the graph's symbols, and what the runs print agrees with the
display rows' own TeX builders (``explain_chains``, an independent path to the same
notation) and with the values themselves."""

from __future__ import annotations

import sympy
from hypothesis import given
from hypothesis import strategies as st
from strategies import SETTINGS, points_for, programs

import symbp
from symbp.network.prose import Code, Emph, Math, Strong, Text
from symbp.render import prose
from symbp.render.tex import explain_chains as chains
from symbp.render.tex import explain_math as em
from symbp.render.tex import math as tex
from symbp.render.tex.explain_document import article
from symbp.render.tex.explain_summary import summary


def _latex(expr) -> str:
    return prose.run_latex(Math(expr, graph=True))


def _runs(parts):
    for part in parts:
        if part.kind in ("title", "heading", "subheading", "prose"):
            yield from part.text
        elif part.kind in ("table", "list"):
            for cell in [*part.header, *(c for row in part.rows for c in
                                         (row if part.kind == "table" else [row]))]:
                yield from cell


def test_no_run_is_typeset_tex_and_names_are_the_graphs_symbols():
    ex = symbp.explain("z = w*w + sin(w); q = z*w", at={"w": 2})
    for parts in (article(ex), summary(ex)):
        runs = list(_runs(parts))
        assert any(isinstance(r, Math) for r in runs)
        for r in runs:
            if isinstance(r, Math):
                assert isinstance(r.expr, sympy.Basic)
                assert r.graph or r.as_written  # printed by the explanation's printer
            else:
                assert type(r) in (Text, Emph, Strong, Code)
                assert "$" not in r.text and "\\" not in r.text
        title = parts[1] if parts[0].kind == "comment" else parts[0]
        assert title.text[1] == Math(ex.graph.symbols["q"], graph=True)


def test_values_print_as_the_display_rows_write_them():
    a = sympy.Symbol("a")
    values = [sympy.Integer(2), sympy.Rational(-1, 3), sympy.Float(0.1), 0.25, sympy.sin(2),
              sympy.Integer(3) ** 1000, sympy.Rational(7 ** 60, 3 ** 50), sympy.Float("1e-30"),
              sympy.sqrt(2) * sympy.pi + sympy.exp(3) * sympy.log(7) + sympy.sin(1)]
    for value in values:
        rows = " ".join(f"{i.rel} {i.tex}" for i in chains.value_items(value))
        assert _latex(em.valued(value, a)) == f"a {rows}"
        assert _latex(em.valued(value)) == rows.removeprefix("= ")
    # the decimals are the values' own (sympy.N), the long ones with their size
    assert _latex(em.valued(sympy.sin(2))) == r"\sin{\left(2 \right)} \approx 0.9092974268"
    assert str(sympy.N(sympy.sin(2), 10)) == "0.9092974268"
    assert _latex(em.valued(sympy.Integer(3) ** 1000)) == (
        r"\approx 1.322070819 \cdot 10^{477} \text{ (478 digits)}")
    assert str(sympy.N(sympy.Integer(3) ** 1000, 10)) == "1.322070819e+477"
    assert len(str(3 ** 1000)) == 478


def test_a_value_with_no_certain_digit(monkeypatch):
    def uncertain(value):
        return (("≈", None),)
    monkeypatch.setattr(em, "value_links", uncertain)
    monkeypatch.setattr(chains, "value_links", uncertain)
    assert _latex(em.valued(sympy.pi)) == r"\approx \text{(no digit certain)}"
    assert _latex(em.valued(sympy.pi, sympy.Symbol("y"))) == (
        "y " + " ".join(f"{i.rel} {i.tex}" for i in chains.value_items(sympy.pi)))


def test_edges_and_partials_print_as_the_display_rows_write_them():
    ex = symbp.explain("c = b*b + b; d = c*c", at={"b": 3})
    slots = 0
    for e in ex.graph.edges:
        assert _latex(em.edge(ex, e)) == chains.route(ex, [e])
        assert _latex(em.partial(ex, e)) == tex.local(ex, e.target, e.source)
        assert _latex(em.partial(ex, e, slot=True)) == (
            tex.local(ex, e.target, e.source) + chains.slot(ex, e))
        slots += chains.slot(ex, e) != ""
    assert slots == 4  # b·b and c·c: two edges each from one operand


def test_the_any_input_letter_is_a_symbol_no_node_has():
    ex = symbp.explain("y = x*u + v*xi")
    assert em.any_input(ex) == sympy.Symbol("xi") and _latex(em.any_input(ex)) == r"\xi"
    ex = symbp.explain("y = x*w")  # x is a node: the next letter
    assert em.any_input(ex) == sympy.Symbol("u")
    ex = symbp.explain("y = sin(w)")  # one input: the input itself
    assert em.any_input(ex) is ex.graph.symbols["w"]


def test_notation_prints_in_every_format():
    t = em.written(sympy.Symbol("t"), em.Sign("increment"), em.Sign("ldots"))
    assert _latex(t) == r"t \mathrel{+}= \ldots"
    assert prose.unicode((Math(t, graph=True),)) == "t += …"
    listed = em.listed("quads", [sympy.Symbol("a"), sympy.Symbol("b")])
    assert _latex(listed) == r"a,\allowbreak\quad b"
    assert prose.markdown((Math(listed, graph=True),)) == r"$a,\allowbreak\quad b$"
    assert em.listed("commas", [sympy.Symbol("a")]) == sympy.Symbol("a")
    # inside math mode (a note column) too, by the explanation's printer: c·d with a dot
    c, d = sympy.symbols("c d")
    assert prose.math_mode((Text("from "), Math(c * d, graph=True))) == r"\text{from }c \cdot d"
    assert prose.math_mode((Math(c * d),)) == "c d"  # the network's math: SymPy's printer


@given(st.data())
@SETTINGS
def test_the_point_and_the_output_print_as_the_display_rows_write_them(data):
    program = data.draw(programs())
    ex = symbp.explain(program, at=data.draw(points_for(program)))
    def values(node):  # the graph section's row: name &= formula = value && note
        return " ".join(f"{i.rel} {i.tex}" for i in chains.value_items(ex.values[node]))

    point = ",\\allowbreak\\quad ".join(f"{tex.name(ex, x)} {values(x)}" for x in ex.graph.inputs)
    latex_parts = [prose.latex(p.text) for p in article(ex) if p.kind == "prose"]
    assert f"At the point ${point}$." in latex_parts
    out = ex.graph.output
    assert f"The output: ${tex.name(ex, out)} {values(out)}$." in latex_parts


def test_each_name_is_split_once_per_style(monkeypatch):
    """SymPy's splitting of a name into base and indices took half of a --full Markdown
    document's time: the explanation's TeX printer does it once a name (an operation
    count, not a timing)."""
    calls = []
    split = tex.TexPrinter._deal_with_super_sub

    def counting(self, string, style="plain"):
        calls.append((string, style))
        return split(self, string, style=style)

    monkeypatch.setattr(tex.TexPrinter, "_deal_with_super_sub", counting)
    tex._symbol.cache_clear()
    ex = symbp.explain("c_1 = alpha*x_2 + x_2*x_2; d = c_1*c_1 + alpha", at={"alpha": 2, "x_2": 1},
                       full=True)
    text = symbp.to_markdown(ex) + symbp.to_latex(ex, standalone=True)
    assert r"c_{1}" in text and r"\alpha" in text and r"x_{2}" in text
    assert len(calls) == len(set(calls))  # each name once
    assert {name for name, _ in calls} >= {"c_1", "alpha", "x_2", "d"}
