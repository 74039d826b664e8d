"""The records of ``symbp network``: a derivation of BP1–BP4 and a numeric walkthrough.

They hold numbers, SymPy expressions, prose (:mod:`symbp.network.prose`) and strings;
renderers (rich, JSON, LaTeX, Markdown) never compute mathematics.
:mod:`symbp.network.derive` builds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy

from ..core.checks import Check
from ..core.graph import Edge, Graph
from ..core.printing import inline
from ..printable import Printable
from .graph import NeuronSweep
from .layers import LayerView
from .model import Network, NetworkSpec, SampleBackprop, Training
from .prose import Prose
from .symbols import sigma_prime

__all__ = [
    "AdjointRule",
    "Component",
    "GenericEquation",
    "LayerEquation",
    "NetworkDerivation",
    "NetworkWalkthrough",
    "component_lhs",
    "sigma_prime",
]

# -- records -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class GenericEquation:
    """One of BP1–BP4 in general: component and vector form (``sympy.Eq`` of the objects
    of :mod:`symbp.network.symbols`) and the chain-rule steps that derive it (prose)."""

    label: str
    title: str
    component: sympy.Eq
    vector: sympy.Eq
    derivation: Prose


@dataclass(frozen=True)
class Component:
    """One instantiated component equation ``lhs = rhs``.

    ``lhs`` is the symbol ``delta^{l}_{j}`` or ``Partial(C, w^{l}_{jk})``,
    ``Partial(C, b^{l}_{j})`` (:mod:`symbp.network.symbols`); ``node`` is the graph node
    whose adjoint dC/d(node) the equation gives (z^l_j for δ^l_j).  ``rhs`` is a SymPy
    expression in node names, δ's and σ', kept unevaluated in Nielsen's order: print it
    with ``as_written=True`` (``order="none"``).
    """

    lhs: sympy.Basic
    node: str
    rhs: sympy.Expr


@dataclass(frozen=True)
class LayerEquation:
    """One BP equation instantiated for one layer: its vector form (``sympy.Eq``) and (some
    of) its components; ``count`` is the number of components in all.  ``given`` is the
    equation the vector form uses (BP1: ∇ₐC of this cost), ``shape`` the matrix's (BP4),
    ``note`` a remark (prose)."""

    label: str
    layer: int
    vector: sympy.Eq
    components: tuple[Component, ...]
    count: int
    note: Prose = ()
    given: sympy.Eq | None = None
    shape: sympy.Basic | None = None


@dataclass(frozen=True)
class AdjointRule:
    """How the reverse sweep gets dC/d``node``: Σ over its out-edges of dC/d(target) times
    the local partial ∂target/∂node (symbolic, from the rule table)."""

    node: str
    terms: tuple[tuple[Edge, sympy.Expr], ...]
    equation: str  # which BP equation this adjoint is ("" for intermediate nodes)
    meaning: Prose  # e.g. the symbol δ³₁


@dataclass(frozen=True)
class NetworkDerivation(Printable):
    """The symbolic derivation of BP1–BP4 for one network shape (``symbp network --layers``).

    ``network`` has random parameters (``seed``): the checks run on it with a random
    sample.  ``notation`` rows are (symbol, meaning, in this network) and ``assumptions``
    are :data:`~symbp.network.prose.Prose`: their math is SymPy, not text.
    ``activation_formula`` and ``derivative_formula`` are σ's and σ''s, each layer's when
    the layers' σ differ.
    """

    kind: ClassVar[str] = "derivation"  # its printers' row in symbp.render.PRINTERS

    network: Network
    seed: int
    notation: tuple[tuple[sympy.Basic, Prose, Prose], ...]
    assumptions: tuple[Prose, ...]
    cost_formula: Prose
    gradient_formula: Prose
    activation_formula: Prose
    derivative_formula: Prose
    equations: tuple[GenericEquation, ...]
    layers: tuple[LayerEquation, ...]
    graph: Graph
    adjoint_rules: tuple[AdjointRule, ...]
    sweep_steps: tuple[tuple[Edge, sympy.Expr], ...]
    checks: tuple[Check, ...]
    full: bool = False

    ok = property(lambda self: all(c.passed is not False for c in self.checks),
                  doc="True when no check failed.")

    def __repr__(self) -> str:
        # the fields hold a whole graph and its sweep: a REPL shows what the record is
        return f"<NetworkDerivation {_summary(self.network, self.checks)}>"


@dataclass(frozen=True)
class NetworkWalkthrough(Printable):
    """The numbers of ``symbp network --spec``: every sample, the batch, one SGD step.

    ``samples[i]`` is the i-th sample's backprop; ``grad_w``/``grad_b`` are the batch
    averages; ``updated`` is the network after one SGD step with η; ``sweep`` is the
    engine's reverse sweep over the neuron-level graph of sample 1; ``training`` is
    set when more epochs were asked for.
    """

    kind: ClassVar[str] = "walkthrough"  # its printers' row in symbp.render.PRINTERS

    spec: NetworkSpec
    samples: tuple[SampleBackprop, ...]
    cost: float
    grad_w: tuple
    grad_b: tuple
    updated: Network
    sweep: NeuronSweep
    checks: tuple[Check, ...]
    training: Training | None = None
    full: bool = False
    view: str = "both"
    layers: LayerView | None = None

    @property
    def shows_neurons(self) -> bool:
        """Whether the neuron view is shown (``view`` is ``"both"`` or ``"neurons"``)."""
        return self.view != "layers"

    @property
    def network(self) -> Network:
        """The network before the step."""
        return self.spec.network

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return all(c.passed is not False for c in self.checks)

    def to_html(self) -> str:
        """The stepper page (``-o net.html``): one offline HTML file."""
        return self.printed("html")

    def __repr__(self) -> str:
        # the fields hold every sample's numbers and a graph: a REPL shows what it is
        n = len(self.samples)
        return (f"<NetworkWalkthrough {_summary(self.network, self.checks)}; {n} "
                f"sample{'s' * (n != 1)}, C = {self.cost:.6g}>")


def _summary(network: Network, checks: tuple[Check, ...]) -> str:
    """``2-3-1 sigmoid, quadratic cost, 5 checks passed`` (σ per layer when they differ)."""
    activations = network.activations
    sigma = activations[0] if len(set(activations)) == 1 else "/".join(activations)
    failed = sum(c.passed is False for c in checks)
    verdict = (f"{failed} check{'s' * (failed != 1)} FAILED" if failed else
               f"{sum(c.passed is True for c in checks)} checks passed")
    return f"{'-'.join(map(str, network.layers))} {sigma}, {network.cost} cost, {verdict}"


def component_lhs(component: Component) -> str:
    """The left side for display: δ³₁, ∂C/∂b³₁, ∂C/∂w³₁₂."""
    return inline(component.lhs)
