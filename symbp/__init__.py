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

import importlib

from .core.functions import relu, sigmoid
from .core.graph import Edge, Graph, Node
from .errors import ArgumentError, CheckFailure, DomainError, ParseError, SymbpError
from .explanation.derive import explain
from .explanation.gradient import gradient
from .explanation.records import SECTIONS, Explanation
from .read.from_sympy import from_sympy
from .read.parse import parse
from .version import __version__

# Imported on first use (PEP 562): `symbp explain` in a terminal needs neither the
# networks nor the publishing renderers, and importing them costs start-up time.
_LAZY = {
    "NetworkDerivation": "network.records",
    "NetworkWalkthrough": "network.records",
    "derive_network": "network.derive",
    "network_walkthrough": "network.derive",
    "network_gradient": "network.batch",
    "load_spec": "network.spec",
    "network_from_micrograd": "network.importers",
    "network_from_torch": "network.importers",
    "parse_spec": "network.spec",
    "to_dot": "render.dot",
    "to_html": "render.html",
    "to_json": "render.json",
    "to_latex": "render.latex",
    "to_markdown": "render.markdown",
    "to_python": "render.python",
}


# Packages users reach as attributes after `import symbp`: symbp.render.to(ex, "latex").
_PACKAGES = ("render",)


def __getattr__(name: str):
    if name in _PACKAGES:
        value = importlib.import_module(f".{name}", __name__)
        globals()[name] = value
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_PACKAGES))

__all__ = [
    "SECTIONS",
    "ArgumentError",
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
    "network_from_micrograd",
    "network_from_torch",
    "network_gradient",
    "network_walkthrough",
    "parse",
    "parse_spec",
    "relu",
    "sigmoid",
    "to_dot",
    "to_html",
    "to_json",
    "to_latex",
    "to_markdown",
    "to_python",
]
