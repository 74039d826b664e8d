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
from .network_explain import (
    NetworkDerivation,
    NetworkWalkthrough,
    derive_network,
    network_walkthrough,
)
from .network_spec import load_spec, parse_spec
from .parse import parse
from .render.dot import to_dot
from .render.json import to_json
from .render.latex import to_latex
from .render.markdown import to_markdown
from .render.python import to_python

__version__ = "0.1.0"

__all__ = [
    "SECTIONS",
    "CheckFailure",
    "DomainError",
    "Edge",
    "Explanation",
    "Graph",
    "NetworkDerivation",
    "NetworkWalkthrough",
    "Node",
    "ParseError",
    "SymbpError",
    "__version__",
    "derive_network",
    "explain",
    "from_sympy",
    "gradient",
    "load_spec",
    "network_walkthrough",
    "parse",
    "parse_spec",
    "relu",
    "sigmoid",
    "to_dot",
    "to_json",
    "to_latex",
    "to_markdown",
    "to_python",
]
