r"""Nielsen's notation as SymPy objects with their own printers: σ(z), ∂C/∂z, Σₖ …,
products written side by side, ⊙, matrix shapes — one-line Unicode through symbp's inline
printer (:func:`symbp.core.printing.inline`), TeX through ``sympy.latex``."""

from __future__ import annotations

import sympy

__all__ = ["Adjoint", "Brackets", "Call", "Chain", "Difference", "Edge", "Entry", "Exp",
           "Gradient", "Hadamard", "IfElse", "Juxtapose", "Ln", "Minus", "Neg", "Operator",
           "Oslash", "Over", "Parens", "Partial", "Shape", "Slash", "Squared", "SquaredNorm",
           "SumOver", "Times", "Transpose", "Word", "sigma", "sigma_prime", "symbol"]


SIGMA_PRIME = "sigma'"


class sigma_prime(sympy.Function):
    """σ', the derivative of the activation function, left unevaluated in the equations."""

    def _sympystr(self, printer):
        # through the printer's own symbol printing: σ'(z³₁) inline, sigma'(z^{3}_{1}) plain
        return f"{printer._print(sympy.Symbol(SIGMA_PRIME))}({printer._print(self.args[0])})"

    def _latex(self, printer, exp=None):
        base = rf"\sigma'({printer._print(self.args[0])})"
        return base if exp is None else rf"{base}^{{{exp}}}"


def symbol(name: str) -> sympy.Symbol:
    """A symbol of the notation, named TeX-style: ``w^{l}_{jk}``, ``delta^{l}_{j}``."""
    return sympy.Symbol(name)


def _tex(printer, e) -> str:
    return printer._print(e)


class sigma(sympy.Function):
    """σ(z), the activation function, applied."""

    def _sympystr(self, printer):
        return f"σ({printer._print(self.args[0])})"

    def _latex(self, printer, exp=None):
        return rf"\sigma({_tex(printer, self.args[0])})"


def _inline(printer) -> bool:
    """Math inside a sentence (LaTeX's ``fold_short_frac``): ∂C/∂w, not a tall fraction."""
    return bool(printer._settings.get("fold_short_frac"))


class Partial(sympy.Function):
    """∂f/∂x: the partial derivative of ``f`` with respect to ``x`` (a fraction in display
    math, ``\\partial f/\\partial x`` in a sentence)."""

    def _sympystr(self, printer):
        f, x = self.args
        return f"∂{printer._print(f)}/∂{printer._print(x)}"

    def _latex(self, printer, exp=None):
        f, x = self.args
        if _inline(printer):
            return rf"\partial {_tex(printer, f)}/\partial {_tex(printer, x)}"
        return rf"\frac{{\partial {_tex(printer, f)}}}{{\partial {_tex(printer, x)}}}"


class Gradient(sympy.Function):
    """∇ₐC: the vector of the partials of ``C`` with respect to the output activations."""

    def _sympystr(self, printer):
        return f"∇ₐ{printer._print(self.args[0])}"

    def _latex(self, printer, exp=None):
        return rf"\nabla_a {_tex(printer, self.args[0])}"


class SumOver(sympy.Function):
    """Σₖ term: a sum over the index ``k`` (its range is the layer's neurons)."""

    def _sympystr(self, printer):
        term, index = self.args
        return f"{printer._print(sympy.Symbol('Σ_{' + index.name + '}'))} {printer._print(term)}"

    def _latex(self, printer, exp=None):
        term, index = self.args
        return rf"\sum_{{{_tex(printer, index)}}} {_tex(printer, term)}"


def _compound(a) -> bool:
    """Whether ``a`` needs parentheses as a factor or operand: a sum, a difference, a
    product (not a symbol, a number or an applied function)."""
    return isinstance(a, Juxtapose | Minus | Hadamard | Oslash | Over) or not (
        a.is_Atom or isinstance(a, sympy.Function))


class Juxtapose(sympy.Function):
    """Factors written side by side (``wˡⱼₖ aˡ⁻¹ₖ``); a compound one in parentheses, with
    no space before it: ``aᴸⱼ(1 − aᴸⱼ)``."""

    def _sympystr(self, printer):
        out = ""
        for i, a in enumerate(self.args):
            if _compound(a):
                out += f"({printer._print(a)})"
            else:
                out += (" " if i and not isinstance(a, SquaredNorm) else "") + printer._print(a)
        return out

    def _latex(self, printer, exp=None):
        out = ""
        for i, a in enumerate(self.args):
            if _compound(a) and not (isinstance(a, sympy.Pow) and not _inline(printer)):
                out += "(" + _tex(printer, a) + ")"
            else:
                out += (" " if i else "") + _tex(printer, a)
        return out


class Minus(sympy.Function):
    """a − b, spaced (a difference of terms)."""

    def _sympystr(self, printer):
        return " − ".join(printer._print(a) for a in self.args)

    def _latex(self, printer, exp=None):
        return " - ".join(_tex(printer, a) for a in self.args)


class Oslash(sympy.Function):
    """s ⊘ t, the elementwise quotient."""

    def _sympystr(self, printer):
        return " ⊘ ".join(f"({printer._print(a)})" if _compound(a) else printer._print(a)
                          for a in self.args)

    def _latex(self, printer, exp=None):
        return r" \oslash ".join(r"\left(" + _tex(printer, a) + r"\right)" if _compound(a)
                                 else _tex(printer, a) for a in self.args)


class Word(sympy.Symbol):
    """A name written upright, in a formula: ``sigmoid``."""

    def _sympystr(self, printer):
        return self.name

    def _latex(self, printer, exp=None):
        return r"\operatorname{" + self.name + "}"


class Adjoint(sympy.Function):
    """dC/dv: the total derivative the reverse sweep stores for node ``v``."""

    def _sympystr(self, printer):
        f, x = self.args
        return f"d{printer._print(f)}/d{printer._print(x)}"

    def _latex(self, printer, exp=None):
        f, x = self.args
        if _inline(printer):
            return rf"\mathrm{{d}} {_tex(printer, f)}/\mathrm{{d}} {_tex(printer, x)}"
        return (rf"\frac{{\mathrm{{d}} {_tex(printer, f)}}}"
                rf"{{\mathrm{{d}} {_tex(printer, x)}}}")


class Difference(sympy.Function):
    """``a−b`` written tight, as in an index: layer l−1."""

    def _sympystr(self, printer):
        return f"{printer._print(self.args[0])}−{printer._print(self.args[1])}"

    def _latex(self, printer, exp=None):
        return f"{_tex(printer, self.args[0])}-{_tex(printer, self.args[1])}"


class Hadamard(sympy.Function):
    """s ⊙ t, the elementwise product."""

    def _sympystr(self, printer):
        return " ⊙ ".join(f"({printer._print(a)})" if _compound(a) else printer._print(a)
                          for a in self.args)

    def _latex(self, printer, exp=None):
        return r" \odot ".join(
            r"\left(" + _tex(printer, a) + r"\right)" if _compound(a)
            else _tex(printer, a) for a in self.args)


class Times(sympy.Function):
    """a · b, a product written with a dot (a chain-rule product of partials)."""

    def _sympystr(self, printer):
        return " · ".join(printer._print(a) for a in self.args)

    def _latex(self, printer, exp=None):
        return r" \cdot ".join(_tex(printer, a) for a in self.args)


class Transpose(sympy.Function):
    """vᵀ, the transpose; (aˡ⁻¹)ᵀ when v has indices of its own."""

    def _sympystr(self, printer):
        text = printer._print(self.args[0])
        return f"{text}ᵀ" if len(text) == 1 else f"({text})ᵀ"

    def _latex(self, printer, exp=None):
        text = _tex(printer, self.args[0])
        return f"{text}^T" if len(text) == 1 else "(" + text + ")^T"


class Chain(sympy.Function):
    """a = b = c: equalities in a row, each step of a derivation."""

    def _sympystr(self, printer):
        return " = ".join(printer._print(a) for a in self.args)

    def _latex(self, printer, exp=None):
        return " = ".join(_tex(printer, a) for a in self.args)


class Entry(sympy.Function):
    """(v)ⱼ: entry ``j`` of a vector expression."""

    def _sympystr(self, printer):
        v, j = self.args
        return f"{printer._print(sympy.Symbol('(' + printer._print(v) + ')_{' + j.name + '}'))}"

    def _latex(self, printer, exp=None):
        v, j = self.args
        return rf"({_tex(printer, v)})_{{{_tex(printer, j)}}}"


class Shape(sympy.Function):
    """m×n, the shape of a matrix."""

    def _sympystr(self, printer):
        return "×".join(printer._print(a) for a in self.args)

    def _latex(self, printer, exp=None):
        return r" \times ".join(_tex(printer, a) for a in self.args)


_OPERATORS = {"odot": ("⊙", r"\odot"), "half": ("½", r"\tfrac{1}{2}"), "cdot": ("·", r"\cdot")}


class Operator(sympy.Symbol):
    """An operator named on its own, as in a table of notation (``odot``: ⊙)."""

    def _sympystr(self, printer):
        return _OPERATORS[self.name][0]

    def _latex(self, printer, exp=None):
        return _OPERATORS[self.name][1]


def _wrapped(printer, a, tex: bool = False) -> str:
    text = _tex(printer, a) if tex else printer._print(a)
    return f"({text})" if _compound(a) else text


class Slash(sympy.Function):
    """a/b, written tight: ``1/(1 + e^(−z))``."""

    def _sympystr(self, printer):
        return "/".join(_wrapped(printer, a) for a in self.args)

    def _latex(self, printer, exp=None):
        return "/".join(_wrapped(printer, a, True) for a in self.args)


class Over(sympy.Function):
    """a / b, spaced: ``(aᴸⱼ − yⱼ) / (aᴸⱼ(1 − aᴸⱼ))``."""

    def _sympystr(self, printer):
        return " / ".join(_wrapped(printer, a) for a in self.args)

    def _latex(self, printer, exp=None):
        return " / ".join(_wrapped(printer, a, True) for a in self.args)


class Neg(sympy.Function):
    """−x."""

    def _sympystr(self, printer):
        return "−" + printer._print(self.args[0])

    def _latex(self, printer, exp=None):
        return "-" + _tex(printer, self.args[0])


class Exp(sympy.Function):
    """e^(x), the exponential written as a power of e."""

    def _sympystr(self, printer):
        return f"e^({printer._print(self.args[0])})"

    def _latex(self, printer, exp=None):
        return f"e^{{{_tex(printer, self.args[0])}}}"


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


class SquaredNorm(sympy.Function):
    """‖v‖², the squared Euclidean norm."""

    def _sympystr(self, printer):
        return f"‖{printer._print(self.args[0])}‖²"

    def _latex(self, printer, exp=None):
        return rf"\Vert {_tex(printer, self.args[0])}\Vert^{{2}}"


class Ln(sympy.Function):
    """ln x, ln(1 − x): the natural logarithm, parentheses only around a compound x."""

    def _sympystr(self, printer):
        a = self.args[0]
        return f"ln({printer._print(a)})" if _compound(a) else f"ln {printer._print(a)}"

    def _latex(self, printer, exp=None):
        a = self.args[0]
        return rf"\ln({_tex(printer, a)})" if _compound(a) else rf"\ln {_tex(printer, a)}"


class Brackets(sympy.Function):
    """[x], square brackets around a sum."""

    def _sympystr(self, printer):
        return f"[{printer._print(self.args[0])}]"

    def _latex(self, printer, exp=None):
        return rf"\left[{_tex(printer, self.args[0])}\right]"


class Parens(sympy.Function):
    """(x): round brackets that group a factor written in a sentence, ``(∂t/∂v)``."""

    def _sympystr(self, printer):
        return f"({printer._print(self.args[0])})"

    def _latex(self, printer, exp=None):
        return rf"\left({_tex(printer, self.args[0])}\right)"


class Edge(sympy.Function):
    """v → t: an edge of the computational graph (the index of a sum over edges)."""

    def _sympystr(self, printer):
        v, t = self.args
        return f"{printer._print(v)}→{printer._print(t)}"

    def _latex(self, printer, exp=None):
        v, t = self.args
        return rf"{_tex(printer, v)} \to {_tex(printer, t)}"


class IfElse(sympy.Function):
    """``a if condition else b``, as Python writes a case split."""

    def _sympystr(self, printer):
        a, condition, b = self.args
        return f"{printer._print(a)} if {printer._print(condition)} else {printer._print(b)}"

    def _latex(self, printer, exp=None):
        a, condition, b = self.args
        return (rf"{_tex(printer, a)} \text{{ if }} {_tex(printer, condition)} "
                rf"\text{{ else }} {_tex(printer, b)}")
