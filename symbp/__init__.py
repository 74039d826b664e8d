"""symbp — see the chain rule at work.

An expression or a small program becomes a computational graph; symbp enumerates
the paths from each input to the output (the chain rule as a *sum over paths*),
runs forward mode and the memoized reverse sweep (backpropagation), counts what
each costs, checks every result against independent oracles and shows it all step
by step::

    >>> import symbp
    >>> ex = symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1")
    >>> ex.gradient["b"].value
    5
    >>> symbp.gradient("e=(a+b)*(b+1)")
    {'a': b + 1, 'b': a + 2*b + 1}
"""

from __future__ import annotations

from .errors import CheckFailure, DomainError, ParseError, SymbpError
from .explain import SECTIONS, Explanation, explain, gradient
from .from_sympy import from_sympy
from .functions import relu, sigmoid
from .graph import Edge, Graph, Node
from .parse import parse

__version__ = "0.1.0"

__all__ = [
    "SECTIONS",
    "CheckFailure",
    "DomainError",
    "Edge",
    "Explanation",
    "Graph",
    "Node",
    "ParseError",
    "SymbpError",
    "__version__",
    "explain",
    "from_sympy",
    "gradient",
    "parse",
    "relu",
    "sigmoid",
]
