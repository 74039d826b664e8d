"""The symbolic reverse sweep built in SymEngine (C++), its SymPy expressions made on demand.

SymPy spends tens of microseconds on every product, sum and function it builds (flattening,
canonical ordering, assumption queries): for a graph of a few dozen nodes that is most of
``symbp.gradient``'s time, while SymEngine builds the same objects in a microsecond or two.
When SymEngine is installed (``pip install 'symbp[fast]'``), the reverse sweep in node
names — the local partials of the rule table in the operands' names, one product per edge,
one sum and one adjoint symbol per node — is built in SymEngine by the same steps as in
SymPy (:func:`in_nodes`), and :class:`ToSymPy` rebuilds the SymPy expressions from it,
bottom-up with SymPy's own constructors (and :mod:`symbp.core.canonical`'s, as the SymPy
sweep), the graph's real symbols and symbp's functions, each shared subexpression once.
The form written out in the inputs is not built here: SymEngine's canonical form of a
product differs from SymPy's (``exp(a)·exp(b)`` is ``exp(a + b)``), so it would not be
SymPy's expressions.

The rules below restate :data:`symbp.core.rules.RULES` over SymEngine objects.  Functions
SymEngine lacks (σ, relu, softplus, log1p, expm1, Heaviside) and those SymPy simplifies
with the real assumptions SymEngine does not have (|x|, sign, max, min) are SymEngine
function symbols there: opaque, and made SymPy's own functions on conversion.
:func:`in_nodes` says why it leaves a graph to SymPy (a decimal constant, a partial that is
not finite …): then symbp builds it in SymPy and records the reason.
``tests/core/test_symengine_sweep.py`` compares the converted expressions with the SymPy
sweep's, structurally, on random programs and the benchmark shapes.
"""

from __future__ import annotations

import sympy

from .canonical import call, product, total
from .functions import expm1, log1p, relu, sigmoid, softplus
from .graph import Graph

__all__ = ["BACKENDS", "NOT_INSTALLED", "ToSymPy", "engine", "in_nodes", "rule_table"]

BACKENDS = ("auto", "sympy", "symengine")
"""Who builds a symbolic gradient: SymEngine when installed (``auto``), or one of them."""

NOT_INSTALLED = "SymEngine is not installed (pip install 'symbp[fast]')"

_MODULE: list = []


def engine():
    """The ``symengine`` module, or ``None`` when it is not installed (imported on first
    use: ``import symbp`` never loads it)."""
    if not _MODULE:
        try:
            import symengine
        except ImportError:
            symengine = None
        _MODULE.append(symengine)
    return _MODULE[0]


# -- the rule table over SymEngine objects ---------------------------------------------------

_OPAQUE = ("sigmoid", "relu", "softplus", "log1p", "expm1", "Heaviside", "Abs", "sign",
           "Max", "Min")
"""SymPy functions kept as SymEngine function symbols of the same name."""


def _rules(se) -> dict[str, tuple]:
    """Operation → its partials, one per operand slot: :data:`symbp.core.rules.RULES`'
    partials in SymEngine, each a function of all operands — or, where it does not depend
    on them (a sum's 1, a difference's −1), the constant itself: the sweep then calls
    nothing and makes no symbol for the operands.  (The sweep in node names needs no node
    values: the partials take the operands' names.)"""
    f = {name: se.Function(name) for name in _OPAQUE}
    minus_one, half, zero, one = (_CONSTANTS[k] for k in ("minus_one", "half", "zero", "one"))
    step, sigmoid_ = f["Heaviside"], f["sigmoid"]
    return {
        "add": (one, one),
        "sub": (one, minus_one),
        "mul": (lambda x, y: y, lambda x, y: x),
        "div": (lambda x, y: 1 / y, lambda x, y: -x / y**2),
        # pow: x**0 is the constant 1, whose slope is 0 (as symbp.core.rules._power_rule)
        "pow": (lambda x, y: zero if y == 0 else y * x ** (y - 1),
                lambda x, y: x**y * se.log(x)),
        "neg": (minus_one,),
        "sin": (se.cos,),
        "cos": (lambda x: -se.sin(x),),
        "tan": (lambda x: 1 + se.tan(x) ** 2,),
        "exp": (se.exp,),
        "log": (lambda x: 1 / x,),
        "log_base": (lambda x, b: 1 / (x * se.log(b)),
                     lambda x, b: -se.log(x) / (b * se.log(b) ** 2)),
        "log1p": (lambda x: 1 / (1 + x),),
        "expm1": (se.exp,),
        "sqrt": (lambda x: 1 / (2 * se.sqrt(x)),),
        "sinh": (se.cosh,),
        "cosh": (se.sinh,),
        "tanh": (lambda x: 1 - se.tanh(x) ** 2,),
        "asin": (lambda x: 1 / se.sqrt(1 - x**2),),
        "acos": (lambda x: -1 / se.sqrt(1 - x**2),),
        "atan": (lambda x: 1 / (1 + x**2),),
        "sigmoid": (lambda x: sigmoid_(x) * (1 - sigmoid_(x)),),
        "relu": (lambda x: step(x, zero),),
        "abs": (f["sign"],),
        "softplus": (sigmoid_,),
        "max": (lambda x, y: step(x - y, half), lambda x, y: step(y - x, half)),
        "min": (lambda x, y: step(-(x - y), half), lambda x, y: step(-(y - x), half)),
    }


_CONSTANTS: dict = {}
_RULES: dict = {}
_CONSTANT_PARTIALS: set = set()


def rule_table(se) -> dict[str, tuple]:
    """Operation → its partials over SymEngine objects (``se``: the symengine module),
    made once per process: a function of the operands, or a SymEngine constant."""
    if not _RULES:
        _CONSTANTS.update(zero=se.Integer(0), one=se.Integer(1), minus_one=se.Integer(-1),
                          half=se.Rational(1, 2))
        _RULES.update(_rules(se))
        # operations whose every partial is a constant: their operands need no symbols
        _CONSTANT_PARTIALS.update(op for op, partials in _RULES.items()
                                  if not any(callable(p) for p in partials))
    return _RULES


# -- the sweep in node names ---------------------------------------------------------------

_NOT_FINITE_NAMES = frozenset({"ComplexInfinity", "Infinity", "NegativeInfinity", "NaN"})


def _not_finite(value) -> bool:
    """zoo, oo or nan made by this node (one level: SymEngine lifts them, as SymPy)."""
    return (type(value).__name__ in _NOT_FINITE_NAMES
            or any(type(arg).__name__ in _NOT_FINITE_NAMES for arg in value.args))


def _constant(se, value):
    return se.Integer(int(value)) if value.is_Integer else se.Rational(int(value.p),
                                                                       int(value.q))


def in_nodes(graph: Graph):
    """The gradient in node names, as :func:`symbp.explanation.adjoints.gradient_in_nodes`
    builds it in SymPy: ``({input: expression}, ((adjoint symbol, definition), …))``; or,
    where SymEngine would not build exactly SymPy's expressions, why not (a ``str``): an
    operation without a SymEngine rule, a constant other than an integer or a fraction,
    a local partial that is not finite.

    The hot loop of the fast path: operands are read from the nodes themselves (no edge
    records), each symbol made once."""
    se = engine()
    if se is None:
        return NOT_INSTALLED
    table = rule_table(se)
    constant_partials = _CONSTANT_PARTIALS
    one = _CONSTANTS["one"]
    make_symbol, add = se.Symbol, se.Add
    symbols: dict[str, object] = {}
    out = graph.output
    prefix = f"d{out}/d"
    terms: dict[str, list] = {out: []}
    where: list[tuple] = []
    result: dict[str, object] = {}
    for node in reversed(graph.nodes):  # sweep order: the output first
        v = node.name
        pending = terms.pop(v, None)
        if pending is None:
            continue  # not an ancestor of the output
        args = node.args
        if v == out:
            carried = None
            if not args:
                result[v] = one
        else:
            adjoint = pending[0] if len(pending) == 1 else add(*pending)
            if not args:  # an input
                result[v] = adjoint
                continue
            carried = make_symbol(prefix + v)
            where.append((carried, adjoint))
        op = node.op
        partials = table.get(op)
        if partials is None:
            return f"no SymEngine rule for {op}"
        if op in constant_partials:  # 1, −1: no operand enters a partial
            for arg, local in zip(args, partials, strict=True):
                if type(arg) is str:
                    _pass_on(terms, arg, local if carried is None else
                             carried if local is one else carried * local)
                elif not arg.is_Rational:
                    return _decimal(arg)
            continue
        operands, constants = [], False
        for arg in args:
            if type(arg) is str:
                operand = symbols.get(arg)
                if operand is None:
                    operand = symbols[arg] = make_symbol(arg)
                operands.append(operand)
            elif arg.is_Rational:
                operands.append(_constant(se, arg))
                constants = True
            else:
                return _decimal(arg)
        for slot, arg in enumerate(args):
            if type(arg) is not str:
                continue
            local = partials[slot](*operands)
            if constants and _not_finite(local):  # x/0, log(x, 1): SymPy's rules for zoo
                return "a local partial is not finite (SymPy's sweep has the rules for zoo)"
            # ∂out/∂v · 1 is ∂out/∂v: no product to build
            _pass_on(terms, arg, local if carried is None else carried if local is one
                     else carried * local)
    zero = _CONSTANTS["zero"]
    return {x: result.get(x, zero) for x in graph.inputs}, tuple(where)


def _pass_on(terms: dict[str, list], operand: str, contribution) -> None:
    """Add one edge's contribution to what its operand's adjoint will sum."""
    waiting = terms.get(operand)
    if waiting is None:
        terms[operand] = [contribution]
    else:
        waiting.append(contribution)


def _decimal(arg) -> str:
    # a decimal keeps SymPy's precision (SymEngine's would be a double)
    return f"the constant {arg} (SymPy keeps it as it is)"


# -- back to SymPy ---------------------------------------------------------------------------

_FUNCTIONS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "log": sympy.log,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "asin": sympy.asin,
    "acos": sympy.acos, "atan": sympy.atan,
}
_NAMED = {
    "sigmoid": sigmoid, "relu": relu, "softplus": softplus, "log1p": log1p, "expm1": expm1,
    "Abs": sympy.Abs, "sign": sympy.sign, "Max": sympy.Max, "Min": sympy.Min,
    "Heaviside": sympy.Heaviside,
}


class ToSymPy:
    """SymEngine → SymPy, each shared subexpression converted once (a memo per graph):
    symbols become the graph's real symbols (and ``d<out>/d<node>`` real adjoint symbols),
    every operation SymPy's own evaluating constructor — an adjoint's name times a local
    partial and a sum of such products through :mod:`symbp.core.canonical`, functions of
    one symbol through :func:`~symbp.core.canonical.call`, as the SymPy sweep builds them."""

    def __init__(self, graph: Graph) -> None:
        self._graph = graph  # its symbols are made on the first conversion, not before
        self._memo: dict = {}
        self._adjoints: set = set()

    def __call__(self, expr):
        # recursive: a definition in node names is a few levels deep, whatever the graph
        done = self._memo.get(expr)
        if done is None:
            done = self._memo[expr] = self._build(expr, [self(arg) for arg in expr.args])
        return done

    def _build(self, expr, args):
        kind = type(expr).__name__
        if kind == "Symbol":
            name = expr.name
            try:
                return self._graph.symbols[name]  # a node's (made on first look-up)
            except KeyError:
                pass
            adjoint = sympy.Symbol(name, real=True)  # an adjoint's name, d<out>/d<node>
            self._adjoints.add(adjoint)
            return adjoint
        if kind == "Add":
            return total(args)
        if kind == "Mul":
            adjoints = [arg for arg in args if arg in self._adjoints]
            if len(adjoints) == 1:  # an adjoint's name times a local partial, as the sweep
                rest = [arg for arg in args if arg is not adjoints[0]]
                return product(adjoints[0], rest[0] if len(rest) == 1 else sympy.Mul(*rest))
            return sympy.Mul(*args)
        if kind == "Pow":
            if args[0] is sympy.E:
                return call(sympy.exp, args[1])
            return sympy.Pow(*args)
        if expr.is_Integer:
            return sympy.Integer(int(expr))
        if expr.is_Rational:
            return sympy.Rational(int(expr.p), int(expr.q))
        if kind in _FUNCTIONS:
            return call(_FUNCTIONS[kind], args[0])
        if kind == "FunctionSymbol":
            function = _NAMED[expr.get_name()]
            return call(function, args[0]) if len(args) == 1 else function(*args)
        if kind == "Exp1":
            return sympy.E
        if kind == "Pi":
            return sympy.pi
        raise TypeError(f"no SymPy form for SymEngine's {kind}: {expr}")
