"""The records both renderers of ``symbp network --spec`` format (symbp.network.steps and
symbp.network.tables), checked against values indexed by hand from ``Network.weights`` and
the layer sizes."""

from __future__ import annotations

import math

import pytest

from symbp.network.backprop import backprop
from symbp.network.derive import network_walkthrough
from symbp.network.model import Network, Sample
from symbp.network.spec import parse_spec, random_network
from symbp.network.steps import (
    ROWS,
    TERMS,
    ForwardRow,
    GradientRow,
    HiddenError,
    OutputError,
    error_rows,
    forward_rows,
    gradient_rows,
    sample_cost,
    summarize,
)
from symbp.network.tables import (
    LayerAdjoint,
    batch_table,
    layer_adjoints,
    parameter_tables,
    shown_epochs,
    sweep_table,
)

# examples/net.json
SMALL = {"layers": [2, 3, 1], "activation": "sigmoid", "cost": "quadratic",
         "weights": [[[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]], [[0.7, -0.1, 0.3]]],
         "biases": [[0.1, 0.0, -0.1], [0.2]],
         "samples": [{"x": [1.0, 0.5], "y": [1.0]}, {"x": [-0.3, 0.8], "y": [0.0]}],
         "learning_rate": 0.5}


@pytest.fixture(scope="module")
def small():
    spec = parse_spec(SMALL)
    return spec.network, backprop(spec.network, spec.samples[0])


@pytest.fixture(scope="module")
def wide():
    """3-16-4-2: 16 neurons (4 hidden in a summary), sums of 3, 16 and 4 terms."""
    network = random_network([3, 16, 4, 2], seed=1)
    return network, backprop(network, Sample((0.5, -0.2, 0.9), (0.1, 0.8)))


def test_summarize_shows_two_more_rather_than_a_note():
    assert summarize(range(ROWS + 2), False) == (list(range(ROWS + 2)), 0)
    assert summarize(range(ROWS + 3), False) == (list(range(ROWS)), 3)
    assert summarize(range(ROWS + 3), True) == (list(range(ROWS + 3)), 0)


def test_forward_rows_of_the_small_network_by_hand(small):
    network, r = small
    layers = forward_rows(network, r, full=False)
    assert [g.layer for g in layers] == [2, 3]
    assert [g.hidden for g in layers] == [0, 0]
    first = layers[0].rows[0]
    # z²₁ = 0.1·1 + (−0.2)·0.5 + 0.1 = 0.1, from the spec's numbers
    assert first == ForwardRow(2, 1, (0.1, -0.2), (1.0, 0.5), 0.1, first.z, first.a, True)
    assert first.z == pytest.approx(0.1)
    assert first.a == pytest.approx(1 / (1 + math.exp(-0.1)))
    assert first.terms == ((0.1, 1.0), (-0.2, 0.5))
    output = layers[1].rows[0]
    assert output.weights == (0.7, -0.1, 0.3) and output.inputs == r.a[0]


def test_error_rows_of_the_small_network_by_hand(small):
    network, r = small
    layers = error_rows(network, r, full=False)
    assert [g.layer for g in layers] == [3, 2]  # from the output down
    assert [[row.label for row in g.rows] for g in layers] == [["BP1"], ["BP2"] * 3]
    (bp1,) = layers[0].rows
    assert isinstance(bp1, OutputError)
    assert (bp1.cost, bp1.target, bp1.output) == ("quadratic", 1.0, r.a[1][0])
    assert bp1.delta == pytest.approx((bp1.output - 1.0) * bp1.output * (1 - bp1.output))
    # BP2: the column w³ₖⱼ out of neuron j is one number here: 0.7, −0.1, 0.3
    for row, w in zip(layers[1].rows, (0.7, -0.1, 0.3), strict=True):
        assert isinstance(row, HiddenError)
        assert (row.weights, row.errors, row.written_out) == ((w,), (bp1.delta,), True)
        assert row.weighted_error == pytest.approx(w * bp1.delta)
        assert row.delta == pytest.approx(row.weighted_error * row.sigma_prime)


def test_wide_network_hides_neurons_and_abbreviates_sums(wide):
    network, r = wide
    forward = forward_rows(network, r, full=False)
    assert [(g.layer, len(g.rows), g.hidden) for g in forward] == [(2, 12, 4), (3, 4, 0),
                                                                  (4, 2, 0)]
    assert forward[0].what == "neurons in layer 2"
    # a sum over a¹ (3 terms) is written out; over a² (16) and a³ (4) it is not
    assert [g.rows[0].written_out for g in forward] == [True, False, False]
    assert forward[1].rows[0].terms == ()
    assert all(row.written_out for g in forward_rows(network, r, full=True) for row in g.rows)
    assert sample_cost(network, r).written_out  # 2 outputs


def test_cost_written_out_up_to_terms_outputs():
    for outputs in (TERMS, TERMS + 1):
        network = random_network([2, outputs], seed=4)
        r = backprop(network, Sample((0.1, 0.2), (0.0,) * outputs))
        assert sample_cost(network, r).written_out is (outputs == TERMS)


def test_wide_network_bp2_columns_from_the_weights(wide):
    network, r = wide
    layers = error_rows(network, r, full=False)
    assert [(g.layer, len(g.rows), g.hidden, g.what) for g in layers] == [
        (4, 2, 0, "in layer 4"), (3, 4, 0, "in layer 3"), (2, 12, 4, "in layer 2")]
    assert [{row.label for row in g.rows} for g in layers] == [{"BP1"}, {"BP2"}, {"BP2"}]
    w3, w4 = network.weights[1], network.weights[2]  # w³ is 4×16, w⁴ is 2×4
    for row in layers[1].rows:  # δ³ⱼ from δ⁴ (2 terms: written out)
        assert row.weights == (w4[0][row.j - 1], w4[1][row.j - 1])
        assert row.errors == r.delta[2] and row.written_out
        assert row.terms == tuple(zip(row.weights, r.delta[2], strict=True))
    row = layers[2].rows[4]  # δ²₅ from δ³ (4 terms: by the value of the sum)
    assert row.j == 5 and not row.written_out and row.terms == ()
    assert row.weights == tuple(w3[k][4] for k in range(4))
    assert row.weighted_error == pytest.approx(
        sum(w * d for w, d in zip(row.weights, r.delta[1], strict=True)))
    below = error_rows(network, r, full=True)[1:]  # BP2 only
    assert all(row.written_out and row.terms for g in below for row in g.rows)


def test_wide_network_gradient_entries(wide):
    _, r = wide
    layers = gradient_rows(r, full=False)
    # per neuron j: its bias, then one weight per neuron k of the layer below
    assert [(g.layer, len(g.rows), g.hidden) for g in layers] == [
        (4, 10, 0), (3, ROWS, 4 * 17 - ROWS), (2, ROWS, 16 * 4 - ROWS)]
    out = layers[0].rows
    assert [row.label for row in out] == (["BP3"] + ["BP4"] * 4) * 2
    assert [(row.j, row.k) for row in out[:6]] == [(1, None), (1, 1), (1, 2), (1, 3), (1, 4),
                                                  (2, None)]
    assert out[0] == GradientRow(4, 1, None, None, r.delta[2][0], r.delta[2][0])
    assert out[7] == GradientRow(4, 2, 2, r.a[1][1], r.delta[2][1], r.grad_w[2][1][1])
    assert out[7].value == pytest.approx(r.a[1][1] * r.delta[2][1])
    full = gradient_rows(r, full=True)
    assert [len(g.rows) for g in full] == [2 * 5, 4 * 17, 16 * 4]


def test_cross_entropy_output_errors():
    network = random_network([2, 3, 2], "sigmoid", "cross-entropy", seed=2)
    r = backprop(network, Sample((0.3, -0.4), (1.0, 0.0)))
    bp1 = error_rows(network, r, full=False)[0].rows
    assert [(row.cost, row.target) for row in bp1] == [("cross-entropy", 1.0),
                                                        ("cross-entropy", 0.0)]
    for row in bp1:
        gradient = (row.output - row.target) / (row.output * (1 - row.output))
        assert row.delta == pytest.approx(gradient * row.sigma_prime)
    cost = sample_cost(network, r)
    assert cost.written_out and cost.layer == 3 and cost.outputs == r.a[-1]


def test_parameter_tables_cut_columns_and_rows():
    network = random_network([9, 15, 7, 1], seed=3)
    tables = parameter_tables(network, full=False)
    assert [(t.layer, t.columns, t.cut, len(t.rows), t.hidden) for t in tables] == [
        (2, (1, 2, 3, 4, 5, 6), True, ROWS, 3),
        (3, (1, 2, 3, 4, 5, 6), True, 7, 0),
        (4, (1, 2, 3, 4, 5, 6, 7), False, 1, 0)]
    row = tables[1].rows[2]
    assert (row.j, row.weights, row.bias) == (3, network.weights[1][2][:6], network.biases[1][2])
    assert all(not t.cut and t.hidden == 0 for t in parameter_tables(network, full=True))


def test_batch_table_and_epochs():
    w = network_walkthrough(parse_spec(SMALL), epochs=30)
    table = batch_table(w)
    assert (table.sample_columns, table.written_out, table.hidden) == (2, True, 0)
    names = [row.parameter for row in table.rows]
    assert len(names) == 2 * 3 + 3 + 3 * 1 + 1
    assert names[:4] == ["w^{2}_{11}", "w^{2}_{12}", "b^{2}_{1}", "w^{2}_{21}"]
    first = table.rows[0]
    assert first.per_sample == (w.samples[0].grad_w[0][0][0], w.samples[1].grad_w[0][0][0])
    assert (first.before, first.after) == (0.1, w.updated.weights[0][0][0])
    assert first.after == pytest.approx(0.1 - 0.5 * first.mean)
    assert shown_epochs(w.training, full=False) == [0, 5, 10, 15, 20, 25, 30]
    assert shown_epochs(w.training, full=True) == list(range(31))


def test_records_need_no_renderer():
    """A network built by hand: the records follow Network.weights, nothing else."""
    network = Network((1, 2, 1), "identity", "quadratic",
                      (((2.0,), (3.0,)), ((5.0, 7.0),)), ((0.0, 0.0), (0.0,)))
    r = backprop(network, Sample((1.0,), (0.0,)))
    # a² = (2, 3), a³ = 5·2 + 7·3 = 31, δ³ = 31, δ² = (5·31, 7·31)
    output, hidden = error_rows(network, r, full=False)
    assert [row.delta for row in output.rows] == [31.0]
    assert [(row.weights, row.delta) for row in hidden.rows] == [((5.0,), 155.0),
                                                                ((7.0,), 217.0)]


@pytest.mark.parametrize(("above", "written_out"), [(TERMS - 1, True), (TERMS, False)])
def test_bp2_written_out_up_to_one_term_fewer_than_a_forward_sum(above, written_out):
    network = random_network([2, 2, above], seed=5)
    r = backprop(network, Sample((0.1, 0.2), (0.0,) * above))
    _, hidden = error_rows(network, r, full=False)
    assert [row.written_out for row in hidden.rows] == [written_out] * 2
    assert [row.weights for row in hidden.rows] == [
        tuple(network.weights[1][k][j] for k in range(above)) for j in range(2)]


# -- the neuron-level graph ------------------------------------------------------------------------

def test_layer_adjoints_by_hand():
    """1-2-1 identity network: a³ = 31, so ∂C/∂a³ = δ³ = 31; Σₖ w³ₖⱼ δ³ₖ = 5·31, 7·31."""
    network = Network((1, 2, 1), "identity", "quadratic",
                      (((2.0,), (3.0,)), ((5.0, 7.0),)), ((0.0, 0.0), (0.0,)))
    levels = layer_adjoints(network, backprop(network, Sample((1.0,), (0.0,))))
    assert list(levels) == ["a^{3}_{1}", "z^{3}_{1}", "b^{3}_{1}", "w^{3}_{11}", "w^{3}_{12}",
                            "a^{2}_{1}", "z^{2}_{1}", "b^{2}_{1}", "w^{2}_{11}",
                            "a^{2}_{2}", "z^{2}_{2}", "b^{2}_{2}", "w^{2}_{21}"]
    assert levels["a^{3}_{1}"] == LayerAdjoint("output", 3, 1, None, 31.0, "")
    assert levels["z^{3}_{1}"] == LayerAdjoint("delta", 3, 1, None, 31.0, "BP1")
    assert levels["b^{3}_{1}"] == LayerAdjoint("bias", 3, 1, None, 31.0, "BP3")
    assert levels["w^{3}_{12}"] == LayerAdjoint("weight", 3, 1, 2, 3.0 * 31, "BP4")  # a²₂ δ³₁
    assert levels["a^{2}_{2}"] == LayerAdjoint("weighted error", 2, 2, None, 7.0 * 31, "")
    assert levels["z^{2}_{2}"] == LayerAdjoint("delta", 2, 2, None, 7.0 * 31, "BP2")
    assert levels["w^{2}_{21}"] == LayerAdjoint("weight", 2, 2, 1, 7.0 * 31, "BP4")  # x₁ δ²₂
    assert all(node == level.node for node, level in levels.items())
    assert [levels[v].names for v in ("a^{3}_{1}", "a^{2}_{2}", "z^{2}_{2}", "w^{2}_{21}")] == [
        ("a^{3}_{1}",), ("w^{3}_{k2}", "delta^{3}_{k}"), ("delta^{2}_{2}",), ("w^{2}_{21}",)]


def test_sweep_table_of_the_small_network():
    w = network_walkthrough(parse_spec(SMALL))
    table = sweep_table(w)
    assert (table.sample, table.nodes, table.edges, table.hidden, table.steps) == (
        1, 41, 44, 0, ())
    # C, then per layer from the output, per neuron: a, z, b and the weights into it
    assert [row.node for row in table.rows][:8] == [
        "C", "a^{3}_{1}", "z^{3}_{1}", "b^{3}_{1}", "w^{3}_{11}", "w^{3}_{12}", "w^{3}_{13}",
        "a^{2}_{1}"]
    assert len(table.rows) == 1 + 1 * (3 + 3) + 3 * (3 + 2)
    C, a, z = table.rows[:3]
    assert (C.formula is not None, C.layer_level, C.adjoint) == (True, None, 1.0)
    assert str(a.formula) == "sigmoid(z^{3}_{1})" and table.rows[3].formula is None
    # the sweep's adjoints are what BP1–BP4 give, computed apart by backprop
    r = backprop(w.network, w.spec.samples[0])
    assert z.layer_level == LayerAdjoint("delta", 3, 1, None, r.delta[1][0], "BP1")
    assert z.adjoint == pytest.approx(r.delta[1][0], rel=1e-12)
    assert z.value == pytest.approx(r.z[1][0], rel=1e-12)
    for row in table.rows[1:]:
        assert row.adjoint == pytest.approx(row.layer_level.value, rel=1e-9, abs=1e-15)


def test_sweep_table_full_lists_every_node_and_step():
    w = network_walkthrough(parse_spec(SMALL), full=True)
    table = sweep_table(w)
    graph = w.sweep.graph
    assert [row.node for row in table.rows] == [n.name for n in reversed(graph.nodes)]
    assert table.steps == w.sweep.steps and len(table.steps) == 44
    s = {row.node: row for row in table.rows}["s^{3}_{13}"]
    assert s.layer_level is None and str(s.formula) == "p^{3}_{13} + s^{3}_{12}"


@pytest.mark.parametrize(("layers", "shown", "hidden"),
                         [([1, 4, 1], 24, 0),  # 1 + (3 + 4) + 4·(3 + 1) = 2 × ROWS
                          ([3, 3, 1], ROWS, 13),  # 1 + (3 + 3) + 3·(3 + 3) = 25
                          ([3, 12, 12, 2], ROWS, 271)])
def test_sweep_table_summarized_beyond_twice_rows(layers, shown, hidden):
    spec = parse_spec({"layers": layers, "seed": 3, "learning_rate": 0.1,
                       "samples": [{"x": [0.5] * layers[0], "y": [0.0] * layers[-1]}]})
    table = sweep_table(network_walkthrough(spec))
    assert (len(table.rows), table.hidden) == (shown, hidden)
