"""The network records hold their math as SymPy objects in prose runs, and every renderer
prints one Math run with its own printer (issue 13, "Records hold math")."""

from __future__ import annotations

import sympy

from symbp.network.derive import derive_network
from symbp.network.prose import Math, Text, prose
from symbp.network.symbols import Partial, SumOver, symbol
from symbp.render import prose as prose_printers

_MATH_CHARACTERS = set("ˡⱼₖᴸ⁻¹²³ₓδσ∂Σ⊙∇=")


def _runs(record):
    for _, meaning, here in record.notation:
        yield from meaning
        yield from here
    for assumption in record.assumptions:
        yield from assumption


def test_notation_and_assumptions_hold_sympy_objects_not_formatted_text():
    d = derive_network("2,3,1")
    for symbol_, _, _ in d.notation:
        assert isinstance(symbol_, sympy.Basic)
    runs = list(_runs(d))
    assert any(isinstance(r, Math) for r in runs)
    for r in runs:
        if isinstance(r, Math):
            assert isinstance(r.expr, sympy.Basic)
        if isinstance(r, Text):
            assert not set(r.text) & _MATH_CHARACTERS, r.text


def test_one_math_run_printed_by_each_renderer():
    z = symbol("z^{l}_{j}")
    equation = sympy.Eq(symbol("delta^{l}_{j}"), Partial(symbol("C"), z), evaluate=False)
    runs = prose("error: ", equation, ".")
    assert prose_printers.unicode(runs) == "error: δˡⱼ = ∂C/∂zˡⱼ."
    latex = r"\delta^{l}_{j} = \partial C/\partial z^{l}_{j}"
    assert prose_printers.latex(runs) == f"error: ${latex}$."
    assert prose_printers.markdown(runs) == f"error: ${latex}$."


def test_sums_and_text_escaping():
    runs = prose("a_b & ", SumOver(symbol("C_{x}"), symbol("x")))
    assert prose_printers.unicode(runs) == "a_b & Σₓ Cₓ"
    assert prose_printers.latex(runs) == r"a\_b \& $\sum_{x} C_{x}$"
    assert prose_printers.markdown(runs) == r"a\_b & $\sum_{x} C_{x}$"


def test_generic_equations_hold_sympy_equations_and_one_printer_each():
    from symbp.network.equations import GENERIC

    bp1 = GENERIC[0]
    assert isinstance(bp1.component, sympy.Eq) and isinstance(bp1.vector, sympy.Eq)
    assert all(not isinstance(r, str) for r in bp1.derivation)
    assert not hasattr(bp1, "component_latex")
    assert prose_printers.math_unicode(bp1.vector) == "δᴸ = ∇ₐC ⊙ σ'(zᴸ)"
    assert prose_printers.math_latex(bp1.vector, in_text=False) == (
        r"\delta^{L} = \nabla_a C \odot \sigma'(z^{L})")
    # the same Math run, three printers
    run = prose(bp1.component)
    assert prose_printers.unicode(run) == "δᴸⱼ = ∂C/∂aᴸⱼ · σ'(zᴸⱼ)"
    tex = r"\delta^{L}_{j} = \partial C/\partial a^{L}_{j} \cdot \sigma'(z^{L}_{j})"
    assert prose_printers.latex(run) == f"${tex}$"
    assert prose_printers.markdown(run) == f"${tex}$"


def test_instantiated_equations_and_adjoint_rules_hold_math():
    from symbp.network.symbols import Partial as P

    d = derive_network("2,2,1", cost="cross-entropy")
    bp1, bp3, bp4 = d.layers[0], d.layers[1], d.layers[2]
    assert isinstance(bp1.vector, sympy.Eq) and isinstance(bp1.given, sympy.Eq)
    assert prose_printers.vector_line(bp1) == (
        "δ³ = ∇ₐC ⊙ σ'(z³), ∇ₐC = (a³ − y) ⊘ (a³ ⊙ (1 − a³))")
    assert prose_printers.vector_line(bp4) == "∂C/∂w³ = δ³ (a²)ᵀ   (1×2)"
    assert isinstance(bp1.components[0].lhs, sympy.Symbol)
    assert isinstance(bp3.components[0].lhs, P)
    assert any(isinstance(r, Math) for r in bp1.note)
    for rule in d.adjoint_rules:
        assert isinstance(rule.meaning, tuple)
        assert all(not isinstance(r, str) for r in rule.meaning)
