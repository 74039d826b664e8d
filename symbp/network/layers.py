"""The records of the layer-level (matrix-form) view of a walkthrough, before any syntax.

The neuron view (:mod:`symbp.network.steps`) writes BP1–BP4 one neuron at a time; this
view writes them one layer at a time, with the matrices and vectors written out and their
shapes: ``W² (1×3) · a¹ (3) + b² (1) = z² (1)``.  :mod:`symbp.network.layer_steps` builds
the records; every printer (terminal, LaTeX, Markdown, JSON, the HTML stepper) prints them
and decides nothing about the mathematics.

- A :class:`MatrixStep` is one equation of one layer: its operands (:class:`Block`: a
  symbol such as W² or (W³)ᵀ, its numbers, its shape; a :class:`Factor` such as 1/m) with
  operators between them (names of :data:`~symbp.network.matrix_symbols.OPERATORS`), and
  its result.  BP4's step also has a :class:`Grid`: the outer product δ (a)ᵀ with its rows
  labelled δⱼ and its columns aₖ, so that entry (j, k) visibly is aₖ·δⱼ, the neuron view's
  ∂C/∂w_{jk}.
- The numbers are in the view's **convention**: ``"nielsen"`` (Nielsen's column vectors,
  samples as the columns of a batch) or ``"pytorch"`` (samples as rows, as ``nn.Linear``
  computes ``y = x·Wᵀ + b``).  W and ∂C/∂W are out × in in both: PyTorch's ``weight`` has
  Nielsen's layout.
- Which rows and columns of a big matrix are shown is decided here too (``rows`` and
  ``columns`` of a block), unless the walkthrough is ``full``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import sympy

from ..core.checks import Check
from .matrix_form import BatchMatrices, column, outer, transpose
from .matrix_symbols import Badge, Bare, MatrixChain, op
from .model import Matrix, Network, Vector
from .prose import Prose
from .symbols import Parens, Shape

__all__ = [
    "CONVENTIONS",
    "MATRIX_LIMIT",
    "MATRIX_SHOWN",
    "VIEWS",
    "Block",
    "Convention",
    "Factor",
    "Grid",
    "LayerNumbers",
    "LayerView",
    "MatrixStep",
    "SampleLayers",
    "ShapeRow",
    "layer_numbers",
]

Convention = Literal["nielsen", "pytorch"]
CONVENTIONS = ("nielsen", "pytorch")
"""The layouts of the layer view: Nielsen's column vectors, or PyTorch's rows."""
VIEWS = ("both", "layers", "neurons")
"""What a walkthrough shows: the neuron view and the layer view, or one of them."""
MATRIX_LIMIT = 8
"""Rows (or columns) of a matrix written out whole; a longer one is summarized…"""
MATRIX_SHOWN = 6
"""…to its first this many rows (or columns) and a count of the rest (unless ``full``)."""


def shown(count: int, full: bool) -> tuple[int, ...]:
    """The indices of the rows (or columns) of a matrix that are written out."""
    return tuple(range(count if full or count <= MATRIX_LIMIT else MATRIX_SHOWN))


@dataclass(frozen=True)
class Block:
    """A matrix or vector of a step: its ``symbol`` (SymPy: W², (W³)ᵀ, σ'(z²), ∂C/∂b²), its
    numbers ``values`` (rows of floats, in the view's convention: a vector is a column
    n × 1 in Nielsen's, a row 1 × n in PyTorch's), whether its badge is a length
    (``vector``) and the ``rows`` and ``columns`` written out.  An ``intermediate`` block
    is a product on its way (``(W³)ᵀ δ³ → (3)``)."""

    symbol: sympy.Basic
    values: Matrix
    vector: bool
    rows: tuple[int, ...]
    columns: tuple[int, ...]
    intermediate: bool = False

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return len(self.values), len(self.values[0])

    @property
    def badge(self) -> sympy.Basic:
        """Its shape as math: a vector's length (3), else rows × columns (1×3)."""
        r, c = self.shape
        if self.vector:
            return sympy.Integer(r * c)
        return Shape(sympy.Integer(r), sympy.Integer(c))

    @property
    def hidden(self) -> tuple[int, int]:
        """How many rows and columns are not written out."""
        r, c = self.shape
        return r - len(self.rows), c - len(self.columns)

    @property
    def matrix(self) -> sympy.ImmutableMatrix:
        """Its numbers as a SymPy matrix (every entry, a ``Float`` of the float)."""
        return sympy.ImmutableMatrix(self.values)


@dataclass(frozen=True)
class Factor:
    """A number in front of a matrix: the 1/m of a batch average (``value`` exact)."""

    value: sympy.Rational


@dataclass(frozen=True)
class Grid:
    """BP4's outer product laid out: row j labelled ``row_symbols[j]`` (δ^l_j) with its value,
    column k labelled ``column_symbols[k]`` (a^{l−1}_k) with its value; ``entries[j][k]`` is
    their product.  ``rows``/``columns`` are the ones written out."""

    row_symbols: tuple[sympy.Basic, ...]
    row_values: Vector
    column_symbols: tuple[sympy.Basic, ...]
    column_values: Vector
    entries: Matrix
    rows: tuple[int, ...]
    columns: tuple[int, ...]


Term = Block | Factor | str
"""An operand of a step, or an operator between two (a name of ``OPERATORS``)."""


@dataclass(frozen=True)
class MatrixStep:
    """One matrix equation of one layer: ``label`` (``"forward"``, ``"activation"``,
    ``"BP1"``…``"BP4"``), its ``terms`` in the order written, its ``result``; BP4's
    ``grid`` (one sample's outer product)."""

    label: str
    layer: int
    terms: tuple[Term, ...]
    result: Block
    grid: Grid | None = None

    @property
    def cut(self) -> bool:
        """Whether some rows or columns of its matrices (or its grid) are not written out."""
        if self.grid is not None:
            return (len(self.grid.rows) < len(self.grid.row_values)
                    or len(self.grid.columns) < len(self.grid.column_values))
        return any(any(t.hidden) for t in (*self.terms, self.result) if isinstance(t, Block))

    def shapes(self) -> sympy.Basic:
        """The shape equation: ``(W³)ᵀ (3×1) · δ³ (1) → (3) ⊙ σ'(z²) (3) = δ² (3)``."""
        items: list[sympy.Basic] = []
        for term in self.terms:
            if isinstance(term, str):
                items.append(op(term))
            elif isinstance(term, Factor):
                items.append(Parens(term.value))
            elif term.intermediate:
                items.append(Bare(term.badge))
            else:
                items.append(Badge(term.symbol, term.badge))
        result = Badge(self.result.symbol, self.result.badge)
        return MatrixChain(*items, op("equals"), result) if items else result

    def symbols(self) -> sympy.Basic:
        """The equation in symbols alone: ``δ² = (W³)ᵀ · δ³ ⊙ σ'(z²)``."""
        items: list[sympy.Basic] = []
        for t in self.terms:
            if t == "then":  # ((W³)ᵀ δ³) ⊙ …: the product before the intermediate result
                items = [Parens(MatrixChain(*items))]
            elif not (isinstance(t, Block) and t.intermediate):
                items.append(op(t) if isinstance(t, str) else
                             Parens(t.value) if isinstance(t, Factor) else t.symbol)
        if len(items) == 1:
            return sympy.Eq(self.result.symbol, items[0], evaluate=False)
        return sympy.Eq(self.result.symbol, MatrixChain(*items), evaluate=False)


@dataclass(frozen=True)
class ShapeRow:
    """The shapes of layer l: W^l (``weight``: n_l × n_{l−1}), b^l, z^l, a^l, δ^l (all of
    length ``vector`` = n_l) and, for a batch of m, Z^l, A^l, Δ^l (``batch``: n_l × m in
    Nielsen's convention, m × n_l in PyTorch's); ``activation`` names the layer's σ."""

    layer: int
    weight: tuple[int, int]
    vector: int
    batch: tuple[int, int]
    activation: str


@dataclass(frozen=True)
class SampleLayers:
    """One sample's steps in matrix form: forward layer by layer (z then a), BP1, BP2 down
    the layers, then BP3 and BP4 from the output down.  ``index`` counts from 0."""

    index: int
    steps: tuple[MatrixStep, ...]


@dataclass(frozen=True)
class LayerView:
    """The layer-level view of a walkthrough.

    ``equations`` and ``batch_equations`` are the general equations of the convention, in
    symbols (label, ``sympy.Eq``); ``samples`` the samples written out in matrix form (the
    first, or every one when ``full``); ``batch`` the whole batch's steps; ``matrices``
    every number (Nielsen's layout, :class:`~symbp.network.matrix_form.BatchMatrices`);
    ``note`` what the convention changes; ``check`` the comparison with the neuron view and
    the reverse sweep.
    """

    convention: Convention
    network: Network
    shapes: tuple[ShapeRow, ...]
    equations: tuple[tuple[str, sympy.Basic], ...]
    batch_equations: tuple[tuple[str, sympy.Basic], ...]
    samples: tuple[SampleLayers, ...]
    batch: tuple[MatrixStep, ...]
    matrices: BatchMatrices
    note: Prose
    check: Check

    @property
    def m(self) -> int:
        """The number of samples in the batch."""
        return self.matrices.m


@dataclass(frozen=True)
class LayerNumbers:
    """Every number of layer l in the view's convention (the JSON document's ``layers``).

    For the batch: W and ``grad_w`` out × in (both conventions), ``z``, ``a``, ``delta``
    n_l × m (Nielsen) or m × n_l (PyTorch), ``grad_b`` of length n_l.  For one sample:
    ``z``, ``a``, ``delta`` are vectors and ``grad_w`` is its own δ (a^{l−1})ᵀ.
    """

    layer: int
    shapes: dict[str, list[int]]
    weight: Matrix
    bias: Vector
    z: Matrix | Vector
    a: Matrix | Vector
    delta: Matrix | Vector
    grad_w: Matrix
    grad_b: Vector


def layer_numbers(view: LayerView, sample: int | None = None) -> tuple[LayerNumbers, ...]:
    """The numbers of every layer l ≥ 2: of the batch, or of sample ``sample`` (from 0)."""
    mats, net, pytorch = view.matrices, view.network, view.convention == "pytorch"
    result = []
    for i, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        layer, n_out, n_in = i + 2, len(w), len(w[0])
        if sample is None:
            def laid(matrix: Matrix) -> Matrix:
                return transpose(matrix) if pytorch else matrix
            z, a, delta = laid(mats.z[i]), laid(mats.a[i]), laid(mats.delta[i])
            grad_w, grad_b = mats.grad_w[i], mats.grad_b[i]
            batch = [mats.m, n_out] if pytorch else [n_out, mats.m]
            shapes = {"W": [n_out, n_in], "b": [n_out], "Z": batch, "A": batch, "Delta": batch}
        else:
            z, a = column(mats.z[i], sample), column(mats.a[i], sample)
            delta = column(mats.delta[i], sample)
            grad_w = outer(delta, column(mats.activation(layer - 1), sample))
            grad_b = delta
            shapes = {"W": [n_out, n_in], "b": [n_out], "Z": [n_out], "A": [n_out],
                      "Delta": [n_out]}
        result.append(LayerNumbers(layer, shapes, w, b, z, a, delta, grad_w, grad_b))
    return tuple(result)
