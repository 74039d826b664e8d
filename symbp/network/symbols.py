r"""Nielsen's notation as SymPy objects with their own printers: σ(z), ∂C/∂z, Σₖ …,
products written side by side, ⊙, matrix shapes — one-line Unicode through symbp's inline
printer (:func:`symbp.core.printing.inline`), TeX through ``sympy.latex``."""

from __future__ import annotations

import sympy

__all__ = ["Adjoint", "Chain", "Difference", "Entry", "Gradient", "Hadamard", "Juxtapose", "Minus",
           "Operator", "Oslash", "Partial", "Shape", "SumOver", "Times", "Transpose", "Word",
           "sigma", "symbol"]


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
    return isinstance(a, Juxtapose | Minus | Hadamard | Oslash) or not (
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
                out += (" " if i else "") + printer._print(a)
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


_OPERATORS = {"odot": ("⊙", r"\odot")}


class Operator(sympy.Symbol):
    """An operator named on its own, as in a table of notation (``odot``: ⊙)."""

    def _sympystr(self, printer):
        return _OPERATORS[self.name][0]

    def _latex(self, printer, exp=None):
        return _OPERATORS[self.name][1]
