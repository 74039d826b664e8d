"""Builds the layer-level view of a walkthrough (the records of :mod:`symbp.network.layers`)
and checks it against the neuron view and the reverse sweep.

The numbers come from :func:`~symbp.network.matrix_form.matrix_backprop`, a computation
of its own in matrix form; :func:`layer_check` compares every one of them with the neuron
view's BP1–BP4 (:mod:`symbp.network.backprop`), which the other checks compare with the
engine's reverse sweep and with finite differences.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from ..core.checks import Check
from .functions import ACTIVATIONS
from .graph import (
    NeuronSweep,
    activation_name,
    bias_name,
    delta_name,
    weight_name,
    weighted_input_name,
)
from .layers import (
    Block,
    Convention,
    Factor,
    Grid,
    LayerView,
    MatrixStep,
    SampleLayers,
    ShapeRow,
    shown,
)
from .matrix_form import BatchMatrices, column, matrix_backprop, outer, transpose
from .matrix_symbols import MatrixChain, NablaA, activated, activated_prime, op
from .model import Matrix, Network, Sample, SampleBackprop, Vector
from .prose import Code, Prose, joined, plain, prose
from .symbols import Gradient, Parens, Partial, Slash, Transpose, sigma, sigma_prime, symbol

__all__ = ["layer_check", "layer_view"]

TOLERANCE = 1e-9
"""Relative tolerance between the two views' floats (as the other network checks)."""


def layer_view(network: Network, samples: Sequence[Sample],
               results: Sequence[SampleBackprop], grad_w, grad_b, sweep: NeuronSweep,
               convention: Convention, full: bool) -> LayerView:
    """The layer view of a walkthrough, in ``convention``, with its check."""
    mats = matrix_backprop(network, samples)
    pytorch = convention == "pytorch"
    m = len(samples)
    shapes = tuple(ShapeRow(i + 2, (len(w), len(w[0])), len(w),
                            (m, len(w)) if pytorch else (len(w), m), network.activations[i])
                   for i, w in enumerate(network.weights))
    build = _Steps(network, mats, pytorch, full)
    count = m if full else 1
    return LayerView(
        convention, network, shapes,
        _general(pytorch, batch=False, network=network),
        _general(pytorch, batch=True, network=network),
        tuple(SampleLayers(i, build.sample(i)) for i in range(count)),
        build.batch(), mats, _note(pytorch),
        layer_check(network, mats, results, grad_w, grad_b, sweep, pytorch=pytorch))


def _s(name: str, layer: int | str | None = None) -> sympy.Symbol:
    return symbol(name if layer is None else f"{name}^{{{layer}}}")


def _softmax_bp1(network: Network, pytorch: bool, batch: bool, layer="L") -> sympy.Basic:
    """BP1 after a softmax: (∂aᴸ/∂zᴸ)ᵀ · ∇ₐC (a row times the Jacobian in PyTorch's layout),
    reduced to aᴸ − y with the log-likelihood (column by column for a batch)."""
    a, z = _s("a", layer), _s("z", layer)
    jacobian, nabla = Partial(a, z), Gradient(symbol("C"))
    general = (MatrixChain(nabla, op("times"), jacobian) if pytorch
               else MatrixChain(Transpose(jacobian), op("times"), nabla))
    if network.cost == "log-likelihood":
        names = ("A", "Y") if batch else ("a", "y")
        reduced = MatrixChain(_s(names[0], layer), op("minus"), symbol(names[1]))
        return reduced if batch else MatrixChain(general, op("equals"), reduced)
    return general


def _general(pytorch: bool, batch: bool, network: Network) -> tuple[tuple[str, sympy.Basic], ...]:
    """The equations of the view in symbols, for any layer l."""
    z, a, d = ("Z", "A", "Delta") if batch else ("z", "a", "delta")
    W, b, C = _s("W", "l"), _s("b", "l"), symbol("C")
    Wn = _s("W", "l+1")
    zl, al, al1 = _s(z, "l"), _s(a, "l"), _s(a, "l-1")
    dl, dn, dL = _s(d, "l"), _s(d, "l+1"), _s(d, "L")
    one = symbol("1")
    t, plus, odot = op("times"), op("plus"), op("odot")
    dot = t
    m_inv = Parens(Slash(sympy.Integer(1), symbol("m"))) if batch else None
    if pytorch:
        forward = [al1, t, Transpose(W), plus, *((one, dot, Transpose(b)) if batch else (b,))]
        bp2 = [Parens(MatrixChain(dn, t, Wn)), odot, sigma_prime(zl)]
        bp3 = [m_inv, Transpose(one), t, dl] if batch else [dl]
        bp4 = [m_inv, Transpose(dl), t, al1] if batch else [Transpose(dl), t, al1]
    else:
        forward = [W, t, al1, plus, *((b, dot, Transpose(one)) if batch else (b,))]
        bp2 = [Parens(MatrixChain(Transpose(Wn), t, dn)), odot, sigma_prime(zl)]
        bp3 = [m_inv, dl, t, one] if batch else [dl]
        bp4 = [m_inv, dl, t, Transpose(al1)] if batch else [dl, t, Transpose(al1)]
    nabla = NablaA(C) if batch else Gradient(C)
    eq = sympy.Eq
    return (
        ("forward", eq(zl, MatrixChain(*forward), evaluate=False)),
        ("activation", eq(al, sigma(zl), evaluate=False)),
        ("BP1", eq(dL, MatrixChain(nabla, odot, sigma_prime(_s(z, "L"))) if _elementwise(network)
                   else _softmax_bp1(network, pytorch, batch), evaluate=False)),
        ("BP2", eq(dl, MatrixChain(*bp2), evaluate=False)),
        ("BP3", eq(Partial(C, b), MatrixChain(*[x for x in bp3 if x is not None]),
                   evaluate=False)),
        ("BP4", eq(Partial(C, W), MatrixChain(*[x for x in bp4 if x is not None]),
                   evaluate=False)),
    )


def _elementwise(network: Network) -> bool:
    """Whether every σ of the network is elementwise (no softmax)."""
    return all(ACTIVATIONS[name].elementwise for name in network.activations)


def _note(pytorch: bool) -> Prose:
    C, W, t = symbol("C"), _s("W", "l"), op("times")
    A, Z, D, X, Y, b = (symbol(n) for n in ("A", "Z", "Delta", "X", "Y", "b"))
    out_in = prose(symbol("n_l"), " × ", symbol("n_{l-1}"), " (out × in)")
    mean = Parens(Slash(sympy.Integer(1), symbol("m")))
    nielsen_grad = MatrixChain(mean, D, t, Transpose(A))
    if not pytorch:
        return prose(
            "Nielsen's convention: vectors are columns and a batch's samples are the columns "
            "of ", A, ", ", Z, " and ", D, "; ", W, " is ", *out_in, ", so ",
            Partial(C, W), " is too; over a batch of m samples ",
            sympy.Eq(Partial(C, W), nielsen_grad, evaluate=False),
            " is the average of the samples' ", Partial(C, W), " (the 1/m).")
    return prose(
        "PyTorch's convention (", Code("nn.Linear"), "): a batch's samples are the rows of ",
        A, ", ", Z, " and ", D, " (m × n), each the transpose of Nielsen's; ", Code("weight"),
        " keeps Nielsen's ", *out_in, " layout, so the forward pass is ",
        sympy.Eq(Y, MatrixChain(X, t, Transpose(symbol("W")), op("plus"), b), evaluate=False),
        " (", b, " added to every row), BP2 multiplies by ", _s("W", "l+1"),
        " on the right instead of by its transpose on the left, and ",
        sympy.Eq(Partial(C, W), MatrixChain(mean, Transpose(D), t, X), evaluate=False),
        " holds the very numbers of Nielsen's ", nielsen_grad, ", in the out × in layout of ",
        Code("weight.grad"), ".")


class _Steps:
    """The steps of one sample or of the batch, in one convention."""

    def __init__(self, network: Network, mats: BatchMatrices, pytorch: bool, full: bool):
        self.net, self.mats, self.pytorch, self.full = network, mats, pytorch, full

    def sigma(self, layer: int, letter: str) -> sympy.Basic:
        """Layer ``layer``'s own σ applied to its z (or Z): relu(z²), σ(z³), z for the
        identity."""
        return activated(self.net.sigma(layer), _s(letter, layer))

    def sigma_prime(self, layer: int, letter: str) -> sympy.Basic:
        """Layer ``layer``'s own σ' of its z (or Z): relu'(z²), σ'(z³), 1 for the identity."""
        return activated_prime(self.net.sigma(layer), _s(letter, layer))

    # -- blocks -------------------------------------------------------------------------------

    def block(self, sym, values: Matrix, *, vector: bool = False,
              intermediate: bool = False) -> Block:
        return Block(sym, values, vector, shown(len(values), self.full),
                     shown(len(values[0]), self.full), intermediate)

    def vector(self, sym, values: Vector, *, transposed: bool = False,
               intermediate: bool = False) -> Block:
        """A vector in the convention's orientation (a column in Nielsen's, a row in
        PyTorch's), or the other one when ``transposed`` (then its badge is a shape)."""
        row = self.pytorch != transposed
        laid = (tuple(values),) if row else tuple((v,) for v in values)
        return self.block(sym, laid, vector=not transposed, intermediate=intermediate)

    def batch_matrix(self, sym, values: Matrix, *, intermediate: bool = False) -> Block:
        """A batch matrix (Nielsen's layout given) in the convention's layout."""
        return self.block(sym, transpose(values) if self.pytorch else values,
                          intermediate=intermediate)

    def grid(self, layer: int, delta: Vector, previous: Vector) -> Grid:
        rows = tuple(_s("delta", f"{layer}}}_{{{j}") for j in range(1, len(delta) + 1))
        columns = tuple(_s("a", f"{layer - 1}}}_{{{k}") for k in range(1, len(previous) + 1))
        return Grid(rows, delta, columns, previous, outer(delta, previous),
                    shown(len(delta), self.full), shown(len(previous), self.full))

    # -- one sample ---------------------------------------------------------------------------

    def sample(self, x: int) -> tuple[MatrixStep, ...]:
        mats, net, vec = self.mats, self.net, self.vector
        depth, steps = net.depth, []
        for i, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
            layer = i + 2
            a_prev = vec(_s("a", layer - 1), column(mats.activation(layer - 1), x))
            weight = (self.block(Transpose(_s("W", layer)), transpose(w)) if self.pytorch
                      else self.block(_s("W", layer), w))
            terms = ((a_prev, "times", weight) if self.pytorch else (weight, "times", a_prev))
            z = column(mats.z[i], x)
            steps.append(MatrixStep("forward", layer, (*terms, "plus", vec(_s("b", layer), b)),
                                    vec(_s("z", layer), z)))
            a = column(mats.a[i], x)
            steps.append(MatrixStep("activation", layer, (vec(self.sigma(layer, "z"), a),),
                                    vec(_s("a", layer), a)))
        c = symbol("C")
        delta_L = vec(_s("delta", depth), column(mats.delta[-1], x))
        nabla = vec(Gradient(c), column(mats.back[-1], x))
        if mats.jacobians is None:
            steps.append(MatrixStep("BP1", depth, (nabla, "odot", vec(
                self.sigma_prime(depth, "z"), column(mats.sigma_prime[-1], x))), delta_L))
        else:  # a softmax: its Jacobian, then the log-likelihood's shortcut a − y
            jacobian = Partial(_s("a", depth), _s("z", depth))
            j = mats.jacobians[x]
            terms = ((nabla, "times", self.block(jacobian, j)) if self.pytorch else
                     (self.block(Transpose(jacobian), transpose(j)), "times", nabla))
            steps.append(MatrixStep("BP1", depth, terms, delta_L))
            if net.cost == "log-likelihood":
                steps.append(MatrixStep("BP1", depth, (
                    vec(_s("a", depth), column(mats.a[-1], x)), "minus",
                    vec(symbol("y"), column(mats.y, x))), delta_L))
        for i in range(depth - 3, -1, -1):
            layer, w_next = i + 2, net.weights[i + 1]
            d_next = vec(_s("delta", layer + 1), column(mats.delta[i + 1], x))
            product = ((d_next, "times", self.block(_s("W", layer + 1), w_next)) if self.pytorch
                       else (self.block(Transpose(_s("W", layer + 1)), transpose(w_next)),
                             "times", d_next))
            steps.append(MatrixStep("BP2", layer, (
                *product, "then", vec(sympy.Symbol("back"), column(mats.back[i], x),
                                      intermediate=True),
                "odot", vec(self.sigma_prime(layer, "z"), column(mats.sigma_prime[i], x))),
                vec(_s("delta", layer), column(mats.delta[i], x))))
        for i in range(depth - 2, -1, -1):
            layer = i + 2
            delta, previous = column(mats.delta[i], x), column(mats.activation(layer - 1), x)
            d = vec(_s("delta", layer), delta)
            steps.append(MatrixStep("BP3", layer, (d,), vec(Partial(c, _s("b", layer)), delta)))
            terms = ((vec(Transpose(_s("delta", layer)), delta, transposed=True), "times",
                      vec(_s("a", layer - 1), previous)) if self.pytorch else
                     (d, "times", vec(Transpose(_s("a", layer - 1)), previous, transposed=True)))
            steps.append(MatrixStep("BP4", layer, terms,
                                    self.block(Partial(c, _s("W", layer)),
                                               outer(delta, previous)),
                                    self.grid(layer, delta, previous)))
        return tuple(steps)

    # -- the batch ----------------------------------------------------------------------------

    def batch(self) -> tuple[MatrixStep, ...]:
        mats, net, big = self.mats, self.net, self.batch_matrix
        m, depth, steps, c = mats.m, net.depth, [], symbol("C")
        ones = (1.0,) * m
        for i, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
            layer = i + 2
            a_prev = big(_s("A", layer - 1), mats.activation(layer - 1))
            if self.pytorch:
                terms = (a_prev, "times", self.block(Transpose(_s("W", layer)), transpose(w)),
                         "plus", self.block(symbol("1"), tuple((1.0,) for _ in ones),
                                            vector=True),
                         "times", self.block(Transpose(_s("b", layer)), (tuple(b),)))
            else:
                terms = (self.block(_s("W", layer), w), "times", a_prev, "plus",
                         self.block(_s("b", layer), tuple((v,) for v in b), vector=True),
                         "times", self.block(Transpose(symbol("1")), (ones,)))
            steps.append(MatrixStep("forward", layer, terms, big(_s("Z", layer), mats.z[i])))
            steps.append(MatrixStep("activation", layer, (big(self.sigma(layer, "Z"), mats.a[i]),),
                                    big(_s("A", layer), mats.a[i])))
        delta_L = big(_s("Delta", depth), mats.delta[-1])
        if mats.jacobians is None:
            steps.append(MatrixStep("BP1", depth, (
                big(NablaA(c), mats.back[-1]), "odot",
                big(self.sigma_prime(depth, "Z"), mats.sigma_prime[-1])), delta_L))
        elif net.cost == "log-likelihood":  # A − Y: no Jacobian is needed for the batch
            steps.append(MatrixStep("BP1", depth, (big(_s("A", depth), mats.a[-1]), "minus",
                                                   big(symbol("Y"), mats.y)), delta_L))
        else:  # each column its own sample's Jacobian: no one matrix product
            each = _softmax_bp1(net, self.pytorch, False, f"{depth}}}_{{x")
            steps.append(MatrixStep("BP1", depth, (big(each, mats.delta[-1]),), delta_L))
        for i in range(depth - 3, -1, -1):
            layer, w_next = i + 2, net.weights[i + 1]
            d_next = big(_s("Delta", layer + 1), mats.delta[i + 1])
            product = ((d_next, "times", self.block(_s("W", layer + 1), w_next)) if self.pytorch
                       else (self.block(Transpose(_s("W", layer + 1)), transpose(w_next)),
                             "times", d_next))
            steps.append(MatrixStep("BP2", layer, (
                *product, "then", big(sympy.Symbol("back"), mats.back[i], intermediate=True),
                "odot", big(self.sigma_prime(layer, "Z"), mats.sigma_prime[i])),
                big(_s("Delta", layer), mats.delta[i])))
        # the 1/m of the batch mean; with one sample "1 [..]" read as a stray number (the
        # general form beside each step and the batch's sentence still say 1/m = 1/1)
        mean = (Factor(sympy.Rational(1, m)),) if m > 1 else ()
        for i in range(depth - 2, -1, -1):
            layer, delta = i + 2, mats.delta[i]
            previous = mats.activation(layer - 1)
            if self.pytorch:
                bp3 = (*mean, self.block(Transpose(symbol("1")), (ones,)), "times",
                       big(_s("Delta", layer), delta))
                bp4 = (*mean, self.block(Transpose(_s("Delta", layer)), delta), "times",
                       big(_s("A", layer - 1), previous))
            else:
                bp3 = (*mean, big(_s("Delta", layer), delta), "times",
                       self.block(symbol("1"), tuple((1.0,) for _ in ones), vector=True))
                bp4 = (*mean, big(_s("Delta", layer), delta), "times",
                       self.block(Transpose(_s("A", layer - 1)), transpose(previous)))
            steps.append(MatrixStep("BP3", layer, bp3,
                                    self.vector(Partial(c, _s("b", layer)), mats.grad_b[i])))
            steps.append(MatrixStep("BP4", layer, bp4,
                                    self.block(Partial(c, _s("W", layer)), mats.grad_w[i])))
        return tuple(steps)


# -- the check --------------------------------------------------------------------------------

def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def layer_check(network: Network, mats: BatchMatrices, results: Sequence[SampleBackprop],
                grad_w, grad_b, sweep: NeuronSweep, *, pytorch: bool = False) -> Check:
    """The layer view == the neuron view's BP1–BP4 (every sample: z, a, δ, ∂C/∂b, ∂C/∂W as
    δ (a)ᵀ; the batch: (1/m) Δ 1 and (1/m) Δ Aᵀ against the mean of the samples') == the
    engine's reverse sweep over the neuron-level graph (its sample's δ, ∂C/∂b, ∂C/∂w).
    ``pytorch``: its sentence in PyTorch's layout (rows, δᵀ a, (1/m) Δᵀ A); the numbers
    compared are the same."""
    bad: list[Prose] = []

    def compare(where: str, node: str, ours: float, theirs: float, partial: bool = False):
        """Adds a failure naming the node (its symbol, or ∂C/∂node), made only on failure."""
        if not _close(ours, theirs) and len(bad) < 3:
            what = Partial(symbol("C"), symbol(node)) if partial else symbol(node)
            bad.append(prose(f"{where}: ", what, f" = {ours!r} (layer view) vs {theirs!r}"))

    for x, r in enumerate(results):
        where = f"sample {x + 1}"
        for i in range(network.depth - 1):
            layer = i + 2
            delta = column(mats.delta[i], x)
            previous = column(mats.activation(layer - 1), x)
            for j, d in enumerate(delta):
                compare(where, weighted_input_name(layer, j + 1), mats.z[i][j][x], r.z[i][j])
                compare(where, activation_name(layer, j + 1), mats.a[i][j][x], r.a[i][j])
                compare(where, delta_name(layer, j + 1), d, r.delta[i][j])
                theirs = r.grad_w[i][j]
                for k, a_k in enumerate(previous):  # δ (a)ᵀ, entry (j, k)
                    if not _close(d * a_k, theirs[k]):
                        compare(where, weight_name(layer, j + 1, k + 1), d * a_k, theirs[k],
                                partial=True)
    for i in range(network.depth - 1):
        layer = i + 2
        for j, row in enumerate(mats.grad_w[i]):
            compare("batch", bias_name(layer, j + 1), mats.grad_b[i][j], grad_b[i][j], True)
            for k, g in enumerate(row):
                compare("batch", weight_name(layer, j + 1, k + 1), g, grad_w[i][j][k], True)
    x = sweep.sample_index
    for i in range(network.depth - 1):
        layer = i + 2
        previous = column(mats.activation(layer - 1), x)
        for j, d in enumerate(column(mats.delta[i], x)):
            where = f"sample {x + 1}, sweep"
            for node, ours in ((weighted_input_name(layer, j + 1), d),
                               (bias_name(layer, j + 1), d),
                               *((weight_name(layer, j + 1, k + 1), d * a_k)
                                 for k, a_k in enumerate(previous))):
                compare(where, node, ours, sweep.adjoints[node], partial=True)
    c = symbol("C")
    delta, a, big_delta, big_a = (symbol(name) for name in ("delta", "a", "Delta", "A"))
    mean = Parens(Slash(sympy.Integer(1), symbol("m")))
    sample, batch = ((MatrixChain(Transpose(delta), op("times"), a),
                      MatrixChain(mean, Transpose(big_delta), op("times"), big_a)) if pytorch else
                     (MatrixChain(delta, op("times"), Transpose(a)),
                      MatrixChain(mean, big_delta, op("times"), Transpose(big_a))))
    detail = joined(bad) if bad else prose(
        symbol("Z"), ", ", symbol("A"), ", ", symbol("Delta"),
        f" (every sample's {'row' if pytorch else 'column'}), ",
        Partial(c, symbol("b")), " and ", Partial(c, symbol("W")), " (each sample's ",
        sample, ", the batch's ", batch, ") equal the neuron view's BP1–BP4, "
        f"and the reverse sweep's adjoints for sample {x + 1}; the neuron view equals finite "
        "differences (above)")
    return Check("layer view == BP1-BP4 == reverse sweep", not bad,
                 "matrix products in floats (math.fsum) vs the neuron view and the sweep",
                 plain(detail), prose=detail)
