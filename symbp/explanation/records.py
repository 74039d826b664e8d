"""The records of an explanation: what :func:`symbp.explain` and :func:`symbp.gradient` return.

Plain data only (renderers never compute mathematics): the quantities, sweep steps and
paths of an :class:`Explanation`, and the :class:`Gradient` dict.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import sympy

from ..core.checks import Check
from ..core.cost import Cost
from ..core.forward import SweepStep
from ..core.graph import Edge, Graph
from ..core.lazy import LazySequence
from ..core.partials import LocalPartial
from ..core.paths import PathTerm
from ..limits import long_int_text
from ..printable import Printable, printer_method

__all__ = [
    "PATH_SUM_LIMIT", "SECTIONS", "Explanation", "Gradient", "InputPaths", "LazyGradient",
    "Quantity", "Step", "Steps", "Sweep", "Totals",
]

SECTIONS = ("graph", "partials", "paths", "forward", "reverse", "cost", "checks")
"""The sections of an explanation, in the order they are shown."""

PATH_SUM_LIMIT = 2_000
"""Most paths per input whose products are summed symbolically (beyond: counted only)."""


@dataclass(frozen=True)
class Quantity:
    """A derived quantity: its expression (in node names; ``None`` if too large) and value."""

    expr: sympy.Expr | None
    value: sympy.Expr | None


@dataclass(frozen=True)
class Step:
    """One edge used by a sweep: carried · local partial = contribution, symbolically and
    in value.  ``carried`` is ∂source/∂seed (forward) or ∂output/∂target (reverse)."""

    edge: Edge
    partial: sympy.Expr
    partial_value: sympy.Expr | None
    carried: sympy.Expr | None
    carried_value: sympy.Expr | None
    contribution: sympy.Expr | None
    contribution_value: sympy.Expr | None


class Steps(LazySequence[Step]):
    """A sweep's steps, one per edge it uses, each made when looked at.

    A sweep runs symbolically and in values, each recording one step per edge; the
    :class:`Step` of an edge pairs the two.  A big graph's sweep has tens of thousands of
    steps and the terminal shows the first dozen, so the pairing waits for the look-up
    (a sequence like a tuple: indexing, slices, ``len``, iteration, ``==``).
    """

    __slots__ = ("_numeric", "_symbolic", "_template")

    def __init__(self, template: Sequence[SweepStep], symbolic: Sequence[SweepStep],
                 numeric: Sequence[SweepStep]) -> None:
        self._template, self._symbolic, self._numeric = template, symbolic, numeric

    def __len__(self) -> int:
        return len(self._template)

    def item(self, i: int) -> Step:
        template = self._template[i]
        sym = self._symbolic[i] if self._symbolic else None
        num = self._numeric[i] if self._numeric else None
        return Step(
            edge=template.edge,
            partial=template.partial if sym is None else sym.partial,
            partial_value=None if num is None else num.partial,
            carried=None if sym is None else sym.carried,
            carried_value=None if num is None else num.carried,
            contribution=None if sym is None else sym.contribution,
            contribution_value=None if num is None else num.contribution,
        )

    def __repr__(self) -> str:
        return f"Steps({list(self)!r})"


class Totals(Mapping[str, Quantity]):
    """A sweep's totals: node name → :class:`Quantity` (symbolic and value), in graph
    order, each made when looked up (a mapping like a dict: ``[]``, ``get``, ``in``,
    iteration, ``==``).  A big graph's sweep has a total per node; a few are shown."""

    __slots__ = ("_names", "_numeric", "_symbolic")

    def __init__(self, names: Sequence[str], symbolic: Mapping[str, sympy.Expr],
                 numeric: Mapping[str, sympy.Expr]) -> None:
        self._names, self._symbolic, self._numeric = names, symbolic, numeric

    def __getitem__(self, name: str) -> Quantity:
        if name not in self._symbolic and name not in self._numeric:
            raise KeyError(name)
        return Quantity(self._symbolic.get(name), self._numeric.get(name))

    def __contains__(self, name: object) -> bool:
        return name in self._symbolic or name in self._numeric

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return f"Totals({dict(self)!r})"

    def __reduce__(self):  # pickled as the dict it stands for
        return (dict, (dict(self),))


@dataclass(frozen=True)
class Sweep:
    """A forward sweep seeded at an input, or the reverse sweep seeded at the output."""

    mode: str  # "forward" or "reverse"
    seed: str
    steps: Sequence[Step]  # a tuple or Steps: made when looked at
    totals: Mapping[str, Quantity]  # a dict or Totals: made when looked up


@dataclass(frozen=True)
class InputPaths:
    """The sum over paths for one input: how many, the first few, and their sum."""

    input: str
    count: int
    shown: tuple[PathTerm, ...]
    sum: sympy.Expr | None  # None when there are too many paths to expand
    value: sympy.Expr | None


@dataclass(frozen=True)
class Explanation(Printable):
    """Everything symbp derived about one graph, ready for any renderer.

    Render it with ``rich`` (it is a rich renderable), ``to_json()``, or the
    functions of :mod:`symbp.render`.
    """

    kind: ClassVar[str] = "explanation"  # its printers' row in symbp.render.PRINTERS

    graph: Graph
    point: dict[str, sympy.Expr] | None
    values: dict[str, sympy.Expr] | None
    wrt: tuple[str, ...]
    partials: Sequence[LocalPartial]  # a tuple or LocalPartials: made when looked at
    paths: dict[str, InputPaths]
    forward: dict[str, Sweep]
    reverse: Sweep
    gradient: dict[str, Quantity]
    cost: Cost
    checks: tuple[Check, ...]
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sections: tuple[str, ...] = SECTIONS
    full: bool = False
    max_paths: int = 8
    symbolic: bool = True
    gradient_in_inputs: dict[str, sympy.Expr] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return all(check.passed is not False for check in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        """The checks that failed (a failure is a bug in symbp)."""
        return tuple(check for check in self.checks if check.passed is False)

    def partial(self, edge: Edge) -> LocalPartial:
        """The local partial of ``edge``."""
        return self._partials_by_edge[edge]

    @property
    def _partials_by_edge(self) -> dict[Edge, LocalPartial]:
        cached = self.__dict__.get("_by_edge")
        if cached is None:
            cached = {p.edge: p for p in self.partials}
            object.__setattr__(self, "_by_edge", cached)
        return cached

    def to_dot(self) -> str:
        """The graph as Graphviz DOT text."""
        return self.printed("dot")

    def to_html(self) -> str:
        """The interactive stepper page (``-o steps.html``): one offline HTML file."""
        return self.printed("html")

    def to_python(self) -> str:
        """A staged Python module: ``forward_backward(inputs…) -> (value, gradient)``."""
        return self.printed("python")

    # Jupyter's rich display: one printer of render.PRINTERS a MIME type
    _repr_latex_ = printer_method("jupyter-latex")
    _repr_markdown_ = printer_method("jupyter-markdown")
    _repr_html_ = printer_method("jupyter-html")
    _repr_svg_ = printer_method("jupyter-svg")  # None when Graphviz is missing

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return self.printed("jupyter", include=include, exclude=exclude)

    def __rich_console__(self, console, options):
        with long_int_text():  # the renderables hold text only: build them all here
            renderables = list(self.printed("rich"))
        yield from renderables

    def __repr__(self) -> str:
        # the fields hold the whole graph, every partial and sweep — 9.7 MB of text for a
        # 7,500-edge graph, and Python writes no integer of 4,300+ digits: a REPL shows
        # what the record is, as the network records do
        graph = self.graph
        where = "" if self.point is None else " at " + _clipped(", ".join(
            f"{name}={_clipped(_text(value), 24)}" for name, value in self.point.items()), 80)
        failed = sum(check.passed is False for check in self.checks)
        verdict = (f"{failed} check{'s' * (failed != 1)} FAILED" if failed else
                   f"{sum(check.passed is True for check in self.checks)} checks passed")
        return (f"<Explanation d{graph.output}/d({', '.join(self.wrt)}){where}: "
                f"{len(graph.nodes):,} nodes, {len(graph.edges):,} edges, {verdict}>")


def _text(value) -> str:
    with long_int_text():
        return sympy.sstr(value)


def _clipped(text: str, keep: int) -> str:
    return text if len(text) <= keep else text[:keep - 1] + "…"


class Gradient(dict):
    """∂output/∂input for every input (a ``dict``), with the self-checks that ran on it.

    ``form`` says how a symbolic gradient is written: ``"inputs"`` (expressions in the
    inputs) or ``"nodes"`` (in node names and the adjoints ``where`` defines: a pair
    ``(symbol, definition)`` per adjoint, output first, each definition in node names and
    the adjoints before it).  A gradient at a point has ``form`` ``"values"``.
    ``backend`` says who built a symbolic gradient (``"sympy"`` or ``"symengine"``: then
    it is a :class:`LazyGradient`) and ``backend_note`` why SymPy built it when SymEngine
    was asked for or available.
    """

    kind: ClassVar[str] = "gradient"  # its printers' row in symbp.render.PRINTERS
    checks: tuple[Check, ...] = ()
    form: str = "values"
    where: tuple[tuple[sympy.Symbol, sympy.Expr], ...] = ()
    depth: int = 0
    graph: Graph | None = None
    backend: str = "sympy"
    backend_note: str = ""

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return all(check.passed is not False for check in self.checks)

    def __repr__(self) -> str:
        with long_int_text():  # an exact value of 4,300+ digits, which Python would refuse
            return super().__repr__()


class LazyGradient(Gradient):
    """A :class:`Gradient` built in SymEngine: its SymPy expressions — the values and
    ``where`` — are made from SymEngine's on first access (all at once, each shared
    subexpression once) by ``convert``; until then only the keys are there.  SymEngine's
    own expressions stay in ``symengine`` and ``symengine_where``, for a caller who wants
    them without SymPy.  Every way of reading a value (``g[x]``, ``items()``, ``dict(g)``,
    ``==``, printing, pickling) converts first; ``len``, ``in`` and ``keys()`` do not."""

    backend = "symengine"

    def __init__(self, values: dict, where: tuple, convert) -> None:
        super().__init__(dict.fromkeys(values))
        self.symengine = values
        self.symengine_where = where
        self._convert = convert

    def _sympy(self) -> None:
        convert = self.__dict__.pop("_convert", None)
        if convert is not None:
            dict.update(self, {x: convert(v) for x, v in self.symengine.items()})
            self.__dict__["_where"] = tuple((convert(symbol), convert(definition))
                                            for symbol, definition in self.symengine_where)

    @property
    def depth(self) -> int:
        """Levels of nesting of the output written out (measured on first access)."""
        depth = self.__dict__.get("_depth")
        if depth is None:
            depth = self.__dict__["_depth"] = self.graph.depth() if self.graph else 0
        return depth

    @depth.setter
    def depth(self, value: int) -> None:
        self.__dict__["_depth"] = value

    @property
    def where(self) -> tuple[tuple[sympy.Symbol, sympy.Expr], ...]:
        """The adjoints' definitions in SymPy (converted on first access)."""
        self._sympy()
        return self.__dict__.get("_where", ())

    @where.setter
    def where(self, value) -> None:
        self._sympy()
        self.__dict__["_where"] = value


def _converting(name: str):
    method = getattr(dict, name)

    def converted(self, *args, **kwargs):
        self._sympy()
        for other in args:  # g == h reads h's table directly: convert it too
            if isinstance(other, LazyGradient):
                other._sympy()
        return method(self, *args, **kwargs)

    converted.__name__, converted.__doc__ = name, method.__doc__
    return converted


# every dict method that reads or writes a value (__iter__ too: with it overridden,
# dict(g) and {**g} read through keys() and __getitem__ instead of the table itself)
for _name in ("__getitem__", "get", "items", "values", "__iter__", "__eq__", "__ne__",
              "__repr__", "copy", "pop", "popitem", "setdefault", "update", "__setitem__",
              "__delitem__", "__or__", "__ror__", "__ior__", "__reduce_ex__", "__reversed__"):
    setattr(LazyGradient, _name, _converting(_name))
