r"""Nielsen's notation as SymPy objects with their own printers: σ(z), ∂C/∂z, Σₖ …,
products written side by side, ⊙, matrix shapes — one-line Unicode through symbp's inline
printer (:func:`symbp.core.printing.inline`), TeX through ``sympy.latex``."""

from __future__ import annotations

from typing import ClassVar

import sympy

__all__ = ["Adjoint", "Brackets", "Call", "Chain", "Difference", "Edge", "Entry", "Exp",
           "Factors", "Gradient", "Hadamard", "IfElse", "Juxtapose", "Ln", "Minus", "Named",
           "Neg", "Notation", "Operator", "Oslash", "Over", "Parens", "Partial", "Quotient",
           "Shape", "Slash", "Squared", "SquaredNorm", "SumOver", "Terms", "Times", "Transpose",
           "Word", "sigma", "sigma_prime", "symbol"]

SIGMA_PRIME = "sigma'"


class sigma_prime(sympy.Function):
    """σ', the derivative of the activation function, left unevaluated in the equations."""

    def _sympystr(self, printer):
        # through the printer's own symbol printing: σ'(z³₁) inline, sigma'(z^{3}_{1}) plain
        return f"{printer._print(sympy.Symbol(SIGMA_PRIME))}({printer._print(self.args[0])})"

    def _latex(self, printer, exp=None):
        base = rf"\sigma'({printer._print(self.args[0])})"
        return base if exp is None else rf"{base}^{{{exp}}}"


class Notation(sympy.Function):
    """A function printed from two templates, :attr:`unicode` and :attr:`tex`: ``{0}``,
    ``{1}`` … are its arguments, each printed by the format's printer; with :attr:`joins`
    the template is what stands between all of them (``a · b · c``)."""

    unicode = tex = ""
    joins = False
    wraps = False  # a compound argument in parentheses (a factor of a product)

    def _from(self, printer, template: str, tex: bool = False) -> str:
        args = [_wrapped(printer, a, tex) if self.wraps else printer._print(a) for a in self.args]
        return template.join(args) if self.joins else template.format(*args)

    def _sympystr(self, printer):
        return self._from(printer, self.unicode)

    def _latex(self, printer, exp=None):
        return self._from(printer, self.tex, tex=True)


def symbol(name: str) -> sympy.Symbol:
    """A symbol of the notation, named TeX-style: ``w^{l}_{jk}``, ``delta^{l}_{j}``."""
    return sympy.Symbol(name)


def _tex(printer, e) -> str:
    return printer._print(e)


class sigma(Notation):
    """σ(z), the activation function, applied."""

    unicode, tex = "σ({0})", r"\sigma({0})"


def _inline(printer) -> bool:
    """Math inside a sentence (LaTeX's ``fold_short_frac``): ∂C/∂w, not a tall fraction."""
    return bool(printer._settings.get("fold_short_frac"))


class _Derivative(sympy.Function):
    """df/dx written with the operator :attr:`d` (:attr:`tex_d` in TeX): a fraction in
    display math, ``d f/d x`` in a sentence."""

    d = tex_d = ""

    def _sympystr(self, printer):
        f, x = (printer._print(a) for a in self.args)
        return f"{self.d}{f}/{self.d}{x}"

    def _latex(self, printer, exp=None):
        f, x = (_tex(printer, a) for a in self.args)
        if _inline(printer):
            return rf"{self.tex_d} {f}/{self.tex_d} {x}"
        return rf"\frac{{{self.tex_d} {f}}}{{{self.tex_d} {x}}}"


class Partial(_Derivative):
    """∂f/∂x: the partial derivative of ``f`` with respect to ``x`` (a fraction in display
    math, ``\\partial f/\\partial x`` in a sentence)."""

    d, tex_d = "∂", r"\partial"


class Gradient(Notation):
    """∇ₐC: the vector of the partials of ``C`` with respect to the output activations."""

    unicode, tex = "∇ₐ{0}", r"\nabla_a {0}"


class SumOver(Notation):
    """Σₖ term: a sum over the index ``k`` (its range is the layer's neurons)."""

    tex = r"\sum_{{{1}}} {0}"

    def _sympystr(self, printer):  # Σ and its index as one symbol: Σₖ where it can
        term, index = self.args
        return f"{printer._print(sympy.Symbol('Σ_{' + index.name + '}'))} {printer._print(term)}"


def _compound(a, tex: bool = False) -> bool:
    """Whether ``a`` needs parentheses as a factor or operand: a sum, a difference, a
    product (not a symbol, a number or an applied function); in TeX also a number in
    scientific notation, whose ``1.5 \\cdot 10^{-7}`` would read as two factors."""
    return isinstance(a, Juxtapose | Minus | Hadamard | Oslash | Over | Factors | Terms) or not (
        a.is_Atom or isinstance(a, sympy.Function)) or (tex and getattr(a, "scientific", False))


def _bracketed(a) -> bool:
    """Whether ``a`` prints in brackets of its own, no space before it: ``½(y − a)²``."""
    return isinstance(a, SquaredNorm | Parens | Brackets) or (
        isinstance(a, Squared) and _compound(a.args[0]))


class Juxtapose(sympy.Function):
    """Factors written side by side (``wˡⱼₖ aˡ⁻¹ₖ``); a compound one in parentheses, with
    no space before it: ``aᴸⱼ(1 − aᴸⱼ)``."""

    def _sympystr(self, printer):
        out = ""
        for i, a in enumerate(self.args):
            if _compound(a):
                out += f"({printer._print(a)})"
            else:
                out += (" " if i and not _bracketed(a) else "") + printer._print(a)
        return out

    def _latex(self, printer, exp=None):
        out = ""
        for i, a in enumerate(self.args):
            if _compound(a, True) and not (isinstance(a, sympy.Pow) and not _inline(printer)):
                out += "(" + _tex(printer, a) + ")"
            else:
                out += (" " if i else "") + _tex(printer, a)
        return out


class Minus(Notation):
    """a − b, spaced (a difference of terms)."""

    unicode, tex = " − ", " - "
    joins = True


class _Elementwise(sympy.Function):
    """Operands joined by an elementwise operator, :attr:`unicode` (:attr:`tex`), each
    compound one in parentheses."""

    unicode = tex = ""

    def _sympystr(self, printer):
        return self.unicode.join(f"({printer._print(a)})" if _compound(a)
                                 else printer._print(a) for a in self.args)

    def _latex(self, printer, exp=None):
        return self.tex.join(r"\left(" + _tex(printer, a) + r"\right)" if _compound(a, True)
                             else _tex(printer, a) for a in self.args)


class Oslash(_Elementwise):
    """s ⊘ t, the elementwise quotient."""

    unicode, tex = " ⊘ ", r" \oslash "


class Word(sympy.Symbol):
    """A name written upright, in a formula: ``sigmoid``."""

    def _sympystr(self, printer):
        return self.name

    def _latex(self, printer, exp=None):
        return r"\operatorname{" + self.name + "}"


class Adjoint(_Derivative):
    """dC/dv: the total derivative the reverse sweep stores for node ``v``."""

    d, tex_d = "d", r"\mathrm{d}"


class Difference(Notation):
    """``a−b`` written tight, as in an index: layer l−1."""

    unicode, tex = "{0}−{1}", "{0}-{1}"


class Hadamard(_Elementwise):
    """s ⊙ t, the elementwise product."""

    unicode, tex = " ⊙ ", r" \odot "


class Times(Notation):
    """a · b, a product written with a dot (a chain-rule product of partials)."""

    unicode, tex = " · ", r" \cdot "
    joins = True


class Factors(Notation):
    """a·b·c, numbers multiplied (``0.7·(-0.08)``), a compound factor in parentheses."""

    unicode, tex = "·", r" \cdot "
    joins = wraps = True


class Terms(Notation):
    """a + b + c, terms added in the order written."""

    unicode = tex = " + "
    joins = True


class Transpose(sympy.Function):
    """vᵀ, the transpose; (aˡ⁻¹)ᵀ when v has indices of its own."""

    def _sympystr(self, printer):
        text = printer._print(self.args[0])
        return f"{text}ᵀ" if len(text) == 1 else f"({text})ᵀ"

    def _latex(self, printer, exp=None):
        text = _tex(printer, self.args[0])
        return f"{text}^T" if len(text) == 1 else "(" + text + ")^T"


class Chain(Notation):
    """a = b = c: equalities in a row, each step of a derivation."""

    unicode, tex = " = ", " = "
    joins = True


class Entry(Notation):
    """(v)ⱼ: entry ``j`` of a vector expression."""

    tex = r"({0})_{{{1}}}"

    def _sympystr(self, printer):  # (v) and its index as one symbol: (v)ⱼ where it can
        v, j = self.args
        return f"{printer._print(sympy.Symbol('(' + printer._print(v) + ')_{' + j.name + '}'))}"


class Shape(Notation):
    """m×n, the shape of a matrix."""

    unicode, tex = "×", r" \times "
    joins = True


_OPERATORS = {"odot": ("⊙", r"\odot"), "half": ("½", r"\tfrac{1}{2}"), "cdot": ("·", r"\cdot")}


class Named(sympy.Symbol):
    """A symbol printed from a table, :attr:`table`: its name → (Unicode, TeX)."""

    table: ClassVar[dict[str, tuple[str, str]]] = {}

    def _sympystr(self, printer):
        return self.table[self.name][0]

    def _latex(self, printer, exp=None):
        return self.table[self.name][1]


class Operator(Named):
    """An operator named on its own, as in a table of notation (``odot``: ⊙)."""

    table = _OPERATORS


def _wrapped(printer, a, tex: bool = False) -> str:
    text = _tex(printer, a) if tex else printer._print(a)
    return f"({text})" if _compound(a, tex) else text


class _Quotient(sympy.Function):
    """Operands joined by the slash :attr:`slash`, each compound one in parentheses."""

    slash = ""

    def _sympystr(self, printer):
        return self.slash.join(_wrapped(printer, a) for a in self.args)

    def _latex(self, printer, exp=None):
        return self.slash.join(_wrapped(printer, a, True) for a in self.args)


class Slash(_Quotient):
    """a/b, written tight: ``1/(1 + e^(−z))``."""

    slash = "/"


class Over(_Quotient):
    """a / b, spaced: ``(aᴸⱼ − yⱼ) / (aᴸⱼ(1 − aᴸⱼ))``."""

    slash = " / "


class Quotient(Slash):
    """a/b tight on a line, ``(a − y)/(a(1 − a))``; a fraction in TeX."""

    def _latex(self, printer, exp=None):
        return r"\frac{{{}}}{{{}}}".format(*(_tex(printer, a) for a in self.args))


class Neg(Notation):
    """−x."""

    unicode, tex = "−{0}", "-{0}"


class Exp(Notation):
    """e^(x), the exponential written as a power of e."""

    unicode, tex = "e^({0})", "e^{{{0}}}"


class Call(sympy.Function):
    """A named function applied, as written: ``tanh(z)``, ``max(0, z)``."""

    def _sympystr(self, printer):
        word, *args = self.args
        return f"{word.name}({', '.join(printer._print(a) for a in args)})"

    def _latex(self, printer, exp=None):
        word, *args = self.args
        return rf"\{word.name}({', '.join(_tex(printer, a) for a in args)})"


class Squared(sympy.Function):
    """x², of a compound x in parentheses; ``Squared(Call(tanh, z))`` is tanh²(z)."""

    def _sympystr(self, printer):
        a = self.args[0]
        if isinstance(a, Call):
            word, *args = a.args
            return f"{word.name}²({', '.join(printer._print(x) for x in args)})"
        return _wrapped(printer, a) + "²"

    def _latex(self, printer, exp=None):
        a = self.args[0]
        if isinstance(a, Call):
            word, *args = a.args
            return rf"\{word.name}^{{2}}({', '.join(_tex(printer, x) for x in args)})"
        return _wrapped(printer, a, True) + "^{2}"


class SquaredNorm(Notation):
    """‖v‖², the squared Euclidean norm."""

    unicode, tex = "‖{0}‖²", r"\Vert {0}\Vert^{{2}}"


class Ln(sympy.Function):
    """ln x, ln(1 − x): the natural logarithm, parentheses only around a compound x."""

    def _sympystr(self, printer):
        a = self.args[0]
        return f"ln({printer._print(a)})" if _compound(a) else f"ln {printer._print(a)}"

    def _latex(self, printer, exp=None):
        a = self.args[0]
        return rf"\ln({_tex(printer, a)})" if _compound(a, True) else rf"\ln {_tex(printer, a)}"


class Brackets(Notation):
    """[x], square brackets around a sum."""

    unicode, tex = "[{0}]", r"\left[{0}\right]"


class Parens(Notation):
    """(x): round brackets that group a factor written in a sentence, ``(∂t/∂v)``."""

    unicode, tex = "({0})", r"\left({0}\right)"


class Edge(Notation):
    """v → t: an edge of the computational graph (the index of a sum over edges)."""

    unicode, tex = "{0}→{1}", r"{0} \to {1}"


class IfElse(Notation):
    """``a if condition else b``, as Python writes a case split."""

    unicode, tex = "{0} if {1} else {2}", r"{0} \text{{ if }} {1} \text{{ else }} {2}"
