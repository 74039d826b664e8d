'''Staged Python: the forward pass, then backpropagation one edge at a time.

:func:`to_python` writes a self-contained module (standard library only: ``math``)
with one function::

    def forward_backward(a: float, b: float) -> tuple[float, dict[str, float]]:

taking the inputs in the graph's order and returning the output's value and the
gradient ``{input name: d output / d input}``.  The forward pass is one line per
node; the backward pass one line per edge, in the order of the reverse sweep, with
a comment naming the local partial and its rule — ``+=`` where a node feeds several
consumers is the sum over paths (micrograd's ``+=``).

Expressions are printed by SymPy's :class:`~sympy.printing.pycode.PythonCodePrinter`;
only symbp's own functions (sigmoid, softplus, relu, the step and the sign) get small
helpers: the source of the very float forms symbp computes with
(:data:`symbp.core.forms.PYTHON_HELPERS`).
Names that are not usable Python identifiers, or that clash with keywords or the
names the code itself uses, are renamed (the gradient keeps the original names).
'''

from __future__ import annotations

import inspect
import keyword
import math
import re
import sys
import unicodedata

import sympy
from sympy.printing.pycode import PythonCodePrinter

from .. import arguments
from ..core.forms import PYTHON_HELPERS
from ..core.graph import Edge, Graph
from ..core.printing import inline, name, ordered_terms, plain
from ..core.rules import rule_for
from ..errors import ArgumentError, SymbpError
from ..explanation.records import Explanation
from ..limits import with_long_int_text

__all__ = ["FUNCTION", "to_python"]

FUNCTION = "forward_backward"
"""The name of the generated function."""

_RESERVED = {"math", "abs", "max", "min", "float", "dict", "str", "tuple", "print", "range",
             FUNCTION, *(f"_{h}" for h in PYTHON_HELPERS)}


@with_long_int_text
def to_python(explanation: Explanation, *, function: str = FUNCTION) -> str:
    """The explanation's graph as a staged Python module (forward pass, then backward)."""
    arguments.explanation(explanation, "to_python")
    if not (isinstance(function, str) and function.isidentifier()
            and not keyword.iskeyword(function) and function not in _RESERVED - {FUNCTION}):
        raise ArgumentError(f"to_python: function must be a Python identifier that is not a "
                         f"keyword or a name the code uses, got {function!r}")
    graph = explanation.graph
    _check_constants(graph)
    idents = _identifiers(graph, function)
    adjoints = _adjoint_names(graph, idents)
    printer = _Printer(idents)
    forward = [f"    {idents[n.name]} = {printer.doprint(graph.formula(n.name))}"
               for n in graph.nodes if not n.is_input]
    backward = [f"    {adjoints[graph.output]} = 1.0  # "
                + _comment(f"d{name(graph.output)}/d{name(graph.output)} = 1: the seed")]
    assigned = {graph.output}
    consumers = {n: len(graph.out_edges[n]) for n in graph.index}
    for step in explanation.reverse.steps:
        backward.append(_backward_line(explanation, step.edge, printer, idents, adjoints,
                                       assigned, consumers))
    gradient = ", ".join(
        f"{x!r}: {adjoints[x] if x in assigned else '0.0'}" for x in graph.inputs)
    params = ", ".join(f"{idents[x]}: float" for x in graph.inputs)
    out = _in_docstring(name(graph.output))
    lines = [
        f'"""Value and gradient of {_docstring(graph)}, staged by symbp.',
        "",
        f"{function}(...) runs the forward pass (one line per node), then backpropagation",
        "(one line per edge, in the order of the reverse sweep).",
        '"""',
        "",
        "import math",
        *_helpers(printer),
        "",
        "",
        f"def {function}({params}) -> tuple[float, dict[str, float]]:",
        f'    """Return {out} and its gradient {{input: d{out}/d input}}."""',
        "    # forward pass: every node's value",
        *forward,
        f"    # backward pass: grad_v holds d{out}/dv; += adds up the paths (sum over paths)",
        *backward,
        f"    return {idents[graph.output]}, {{{gradient}}}",
    ]
    return "\n".join(lines) + "\n"


def _check_constants(graph: Graph) -> None:
    """Refuse a constant the generated code's floats cannot hold: 10**5000 would be a
    SyntaxError (Python reads at most 4,300 digits), exp(710) an OverflowError, 1e-400 a
    silent 0.0."""
    for node in graph.nodes:
        if node.is_input:
            continue
        for part in sympy.preorder_traversal(graph.formula(node.name)):
            if isinstance(part, sympy.Expr) and part.is_number and not _float_holds(part):
                value = sympy.sympify(part, strict=True).evalf(4)
                shown = inline(part) if len(inline(part)) <= 40 else f"≈ {sympy.sstr(value)}"
                raise SymbpError(
                    f"to_python: the constant {shown} in {name(node.name)} is beyond what "
                    "floats hold (about 2.2e-308 to 1.8e308, 15 digits), and the generated "
                    "code computes in floats")


def _float_holds(number: sympy.Expr) -> bool:
    """True when a float holds ``number`` to 15 digits: finite, and 0 only if it is 0."""
    value = number.evalf(20)
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):  # not a real number
        return False
    if not math.isfinite(x):
        return False
    if abs(x) >= sys.float_info.min:
        return True
    # a subnormal float keeps log2|x| + 1074 bits: fewer than 50 (15 digits) below 2.8e-309
    return bool(value.is_zero) if x == 0 else math.frexp(x)[1] + 1074 >= 50


def _backward_line(ex, edge: Edge, printer, idents, adjoints, assigned, consumers) -> str:
    graph = ex.graph
    partial = ex.partial(edge)
    staged = _in_node_value(graph, edge.target, partial.expr)
    factor = printer.doprint(staged)
    if not (staged.is_Atom or staged.is_Function) or factor.startswith("-"):
        factor = f"({factor})"  # grad * (1/x), not grad * 1/x
    op = "+=" if edge.source in assigned else "="
    assigned.add(edge.source)
    slot = (f" (operand {edge.slot + 1})"
            if graph[edge.target].operands.count(edge.source) > 1 else "")
    formula = inline(partial.expr)
    formula = formula if len(formula) <= 40 else formula[:39] + "…"
    comment = f"∂{name(edge.target)}/∂{name(edge.source)}{slot} = {formula}, {partial.rule}"
    if op == "+=":
        comment += f"; +=: {name(edge.source)} feeds {consumers[edge.source]} edges"
    return (f"    {adjoints[edge.source]} {op} {adjoints[edge.target]} * {factor}  "
            f"# {_comment(comment)}")


def _comment(text: str) -> str:
    """Text safe on one ``#`` line: no line break or other control character can end the
    comment and start code (graph names are already checked; this is the second guard)."""
    return "".join(c if c.isprintable() else "?" for c in text)


def _in_docstring(text: str) -> str:
    """Text safe inside a ``\"\"\"`` docstring: no quote, backslash or line break."""
    return "".join(c if c.isprintable() and c not in '"\\' else "?" for c in text)


def _in_node_value(graph: Graph, node: str, partial: sympy.Expr) -> sympy.Expr:
    """The partial with the node's own value put back where it appears (tanh' = 1 − t²,
    exp' = e, sigmoid' = s·(1 − s)), as hand-written backward passes reuse ``out``."""
    value = rule_for(graph[node].op).value(*graph.operand_values(node, graph.symbols))
    if value.is_Symbol or value.is_Number:
        return partial
    return partial.xreplace({value: graph.symbols[node]})


def _docstring(graph: Graph) -> str:
    """``e = (a + b)*(b + 1)``, or ``e(a, b)`` when the expression is long."""
    short = f"{graph.output}({', '.join(graph.inputs)})"
    if graph.tree_size() > 40:
        return short
    text = f"{graph.output} = {plain(graph.expression())}"
    return _in_docstring(short if len(text) > 70 or '"' in text or "\\" in text else text)


# -- names ----------------------------------------------------------------------------------------

def _identifiers(graph: Graph, function: str) -> dict[str, str]:
    """Node name → a distinct Python identifier (the name itself whenever possible)."""
    taken = {*_RESERVED, function}
    result: dict[str, str] = {}
    for node in graph.nodes:
        ident = _identifier(node.name)
        if ident.startswith("grad_"):  # the adjoints' names
            ident = "v_" + ident
        while unicodedata.normalize("NFKC", ident) in taken:
            ident += "_"
        taken.add(unicodedata.normalize("NFKC", ident))
        result[node.name] = ident
    return result


def _identifier(text: str) -> str:
    ident = re.sub(r"\W", "_", unicodedata.normalize("NFKC", text)) or "v"
    if not ident.isidentifier():
        ident = "v_" + ident
    if keyword.iskeyword(ident) or keyword.issoftkeyword(ident):
        ident += "_"
    return ident


def _adjoint_names(graph: Graph, idents: dict[str, str]) -> dict[str, str]:
    return {n: f"grad_{idents[n]}" for n in graph.index}


# -- printing -------------------------------------------------------------------------------------

class _Printer(PythonCodePrinter):
    """SymPy's Python printer with symbp's names and its own functions."""

    _as_ordered_terms = ordered_terms  # a sum SymPy cannot order keeps its own order

    def __init__(self, idents: dict[str, str]) -> None:
        super().__init__({"standard": "python3", "fully_qualified_modules": True})
        self._idents = idents
        self.helpers: set[str] = set()

    def _print_Symbol(self, expr):
        return self._idents.get(expr.name, expr.name)

    def _print_sigmoid(self, expr):
        self.helpers.add("sigmoid")
        return f"_sigmoid({self._print(expr.args[0])})"

    def _print_softplus(self, expr):
        self.helpers.add("softplus")
        return f"_softplus({self._print(expr.args[0])})"

    def _print_relu(self, expr):
        return f"max({self._print(expr.args[0])}, 0.0)"

    def _print_Heaviside(self, expr):
        self.helpers.add("step")
        at_zero = expr.args[1] if len(expr.args) > 1 else sympy.S.Half
        return f"_step({self._print(expr.args[0])}, {self._print(sympy.Float(at_zero))})"

    def _print_sign(self, expr):
        self.helpers.add("sign")
        return f"_sign({self._print(expr.args[0])})"

    def _print_Float(self, expr):
        return repr(float(expr))


def _helpers(printer: _Printer) -> list[str]:
    lines: list[str] = []
    for helper in sorted(printer.helpers):
        lines += ["", "", *inspect.getsource(PYTHON_HELPERS[helper]).splitlines()]
    return lines
