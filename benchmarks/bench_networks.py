"""6. Networks: the batch gradient of a network over 100 samples.

(a) symbp's ways (``symbp.network_gradient`` with NumPy, the walkthrough's pure-Python
backprop, the engine's reverse sweep) beside micrograd and PyTorch on one network;
(b) ``symbp.network_gradient`` beside PyTorch (and beside symbp without NumPy) from 10² to
10³ parameters.
"""

from __future__ import annotations

from report import Report, Value, numpy, target, times, timing_cell, torch
from timing import ratio, side_by_side
from workloads import random_network, random_samples

import symbp
from symbp.core.evaluate import float_values
from symbp.core.partials import partials_in
from symbp.core.reverse import reverse_sweep
from symbp.network.backprop import backprop, batch_backprop, batch_gradient
from symbp.network.graph import parameter_names
from symbp.network.model import NetworkSpec

SIZES = ((2, 16, 16, 1), (4, 8, 8, 3), (10, 30, 20, 5), (20, 40, 10))
"""Networks of 337, 139, 1,055 and 1,250 weights and biases."""
BATCH = 100


def micrograd_batch(network, samples):
    """The batch gradient in micrograd: one graph per sample, ``backward`` on each
    sample's cost / n (adjoints add up in the shared parameter Values)."""
    weights = [[[Value(w) for w in row] for row in layer] for layer in network.weights]
    biases = [[Value(b) for b in layer] for layer in network.biases]
    scale = 1.0 / len(samples)
    for sample in samples:
        a = [Value(x) for x in sample.x]
        for w, b in zip(weights, biases, strict=True):
            a = [sum((w_jk * a_k for w_jk, a_k in zip(row, a, strict=True)), b_j).relu()
                 for row, b_j in zip(w, b, strict=True)]
        cost = sum(((y_j - a_j) ** 2 for a_j, y_j in zip(a, sample.y, strict=True)),
                   Value(0.0)) * (0.5 * scale)
        cost.backward()
    return ([[[w.grad for w in row] for row in layer] for layer in weights],
            [[b.grad for b in layer] for layer in biases])


def micrograd_one_graph(network, samples):
    """micrograd as in its demo: one graph for the whole batch's mean cost, one backward."""
    weights = [[[Value(w) for w in row] for row in layer] for layer in network.weights]
    biases = [[Value(b) for b in layer] for layer in network.biases]
    total = Value(0.0)
    for sample in samples:
        a = [Value(x) for x in sample.x]
        for w, b in zip(weights, biases, strict=True):
            a = [sum((w_jk * a_k for w_jk, a_k in zip(row, a, strict=True)), b_j).relu()
                 for row, b_j in zip(w, b, strict=True)]
        total = total + sum(((y_j - a_j) ** 2 for a_j, y_j in zip(a, sample.y, strict=True)),
                            Value(0.0)) * 0.5
    (total * (1.0 / len(samples))).backward()
    return ([[[w.grad for w in row] for row in layer] for layer in weights],
            [[b.grad for b in layer] for layer in biases])


def torch_tensors(network, samples):
    """The parameters (requiring grad), inputs and targets as float64 tensors."""
    weights = [torch.tensor(w, dtype=torch.float64, requires_grad=True)
               for w in network.weights]
    biases = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in network.biases]
    x = torch.tensor([s.x for s in samples], dtype=torch.float64)
    y = torch.tensor([s.y for s in samples], dtype=torch.float64)
    return network.activation, weights, biases, x, y


def torch_batch(tensors):
    """The batch gradient in PyTorch (float64): one batched forward and backward of the
    mean quadratic cost."""
    activation, weights, biases, x, y = tensors
    sigma = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[activation]
    for w in (*weights, *biases):
        w.grad = None
    a = x
    for w, b in zip(weights, biases, strict=True):
        a = sigma(a @ w.T + b)
    cost = (0.5 * ((y - a) ** 2).sum(dim=1)).mean()
    cost.backward()
    return [w.grad for w in weights], [b.grad for b in biases]


def symbp_engine_batch(network, samples):
    """The same batch gradient by the engine: the reverse sweep over each sample's
    neuron-level graph (as the network checks run it)."""
    from symbp.network.graph import graph_point, network_graph

    graph = network_graph(network)
    names = parameter_names(network)
    total = dict.fromkeys(names, 0.0)
    for sample in samples:
        # symbp.gradient's fast path (its --at parser takes plain names, not w^{2}_{11})
        env = float_values(graph, graph_point(network, sample))
        grad = reverse_sweep(graph, partials_in(graph, env), record=False, seed=1.0)[1]
        for p in names:
            total[p] += grad[p]
    return {p: v / len(samples) for p, v in total.items()}


def run(report: Report, quick: bool) -> None:
    report.section("6. Networks: the batch gradient over 100 samples", (
        "Quadratic cost, gradient averaged over the batch, float64 everywhere. "
        "*symbp.network_gradient*: `symbp.network_gradient(spec)` — BP1–BP4 for the whole "
        "batch as NumPy matrix products; it reads the spec's tuples into arrays inside the "
        "timing. *symbp, pure Python*: `batch_backprop(network, samples)` — the numbers the "
        "walkthrough shows (plain floats, each batch mean one `math.fsum`; what symbp does "
        "without NumPy). *symbp, per-sample records*: `batch_gradient([backprop(network, s) "
        "for s in samples])`, each sample's full record (z, a, δ, its ∂C/∂w matrices), then "
        "the average. *symbp engine*: the reverse sweep over each sample's neuron-level graph "
        "(`symbp.gradient`'s float path), averaged. *micrograd*: one Value graph per sample, "
        "`backward()` of each sample's cost/n (the faster way to use it); *micrograd, one "
        "graph*: as in micrograd's demo, one graph of the batch's mean cost and one "
        "`backward()`. *PyTorch*: float64 tensors (built outside the timing, "
        "`torch.set_num_threads(1)`), the whole batch in one forward and backward. "
        "Interleaved runs; medians and minima."))
    if torch is not None:
        torch.set_num_threads(1)
    _one_network(report, quick)
    _sizes(report, quick)


def _one_network(report: Report, quick: bool) -> None:
    network = random_network((2, 16, 16, 1), activation="relu")
    samples = random_samples(network, BATCH)
    spec = NetworkSpec(network, tuple(samples), 1.0)
    report.add(f"### (a) Every way, on a [2,16,16,1] relu network ({network.parameter_count} "
               "weights and biases; relu because micrograd 0.1.0 has no exp)\n")
    tools = {"symbp.network_gradient": (lambda: symbp.network_gradient(spec), None),
             "symbp, pure Python": (lambda: batch_backprop(network, samples), None),
             "symbp, per-sample records": (
                 lambda: batch_gradient([backprop(network, s) for s in samples]), None),
             "symbp engine": (lambda: symbp_engine_batch(network, samples), None)}
    skip = {}
    if Value is not None:
        tools["micrograd"] = (lambda: micrograd_batch(network, samples), None)
        tools["micrograd, one graph"] = (lambda: micrograd_one_graph(network, samples), None)
    else:
        skip["micrograd"] = "not installed: pip install micrograd==0.1.0"
    if torch is not None:
        tools["pytorch"] = (torch_batch, lambda: torch_tensors(network, samples))
    else:
        skip["pytorch"] = "not installed: pip install torch==2.13.0"
    for name in skip:
        tools.setdefault(name, (None, None))
    timings, results = side_by_side(tools, reps=5 if quick else 9, skip=skip)
    _, grad_w, grad_b = results["symbp, pure Python"]
    reference = _flatten(grad_w, grad_b)
    fast = results["symbp.network_gradient"]
    agreement = {"symbp, pure Python": "—",
                 "symbp.network_gradient": _max_difference(
                     reference, _flatten(fast["grad_w"], fast["grad_b"]))}
    records = results["symbp, per-sample records"]
    agreement["symbp, per-sample records"] = (
        "identical" if records == results["symbp, pure Python"] else
        _max_difference(reference, _flatten(*records[1:])))
    engine = results["symbp engine"]
    agreement["symbp engine"] = _max_difference(
        reference, [engine[p] for p in parameter_names(network)])
    for name in ("micrograd", "micrograd, one graph", "pytorch"):
        if name in results:
            w, b = results[name]
            if name == "pytorch":
                w, b = [t.tolist() for t in w], [t.tolist() for t in b]
            agreement[name] = _max_difference(reference, _flatten(w, b))
    base = timings["symbp.network_gradient"]
    rows = [[name, timing_cell(timing, minimum=True), times(ratio(timing, base)),
             agreement.get(name, "—")] for name, timing in timings.items()]
    report.table(["tool", "batch gradient", "time / network_gradient's",
                  "largest difference from the pure-Python gradient"], rows)
    if "micrograd" in results:
        pure = timings["symbp, pure Python"]
        slow = min(ratio(timings[n], pure) for n in ("micrograd", "micrograd, one graph"))
        target("pure-Python batch gradient ≥ 100× faster than micrograd (its faster way)",
               times(slow), slow >= 100)


def _sizes(report: Report, quick: bool) -> None:
    report.add("### (b) symbp.network_gradient beside PyTorch, 10² to 10³ parameters "
               "(sigmoid)\n")
    rows, worst_ratio, worst_difference = [], 0.0, 0.0
    for layers in SIZES:
        network = random_network(layers, activation="sigmoid")
        samples = random_samples(network, BATCH)
        spec = NetworkSpec(network, tuple(samples), 1.0)
        tools = {"numpy": (lambda spec=spec: symbp.network_gradient(spec), None),
                 "python": (lambda n=network, s=samples: batch_backprop(n, s), None)}
        skip = {}
        if torch is not None:
            tools["torch"] = (torch_batch, lambda n=network, s=samples: torch_tensors(n, s))
        else:
            skip["torch"] = "not installed"
            tools["torch"] = (None, None)
        timings, results = side_by_side(tools, reps=7 if quick else 21, skip=skip)
        fast = results["numpy"]
        ours = _flatten(fast["grad_w"], fast["grad_b"])
        difference = "—"
        if "torch" in results:
            w, b = results["torch"]
            difference = _max_difference(ours, _flatten([t.tolist() for t in w],
                                                        [t.tolist() for t in b]))
            worst_difference = max(worst_difference, float(difference))
            worst_ratio = max(worst_ratio, ratio(timings["numpy"], timings["torch"]))
        rows.append([f"{list(layers)}", f"{network.parameter_count:,}",
                     timing_cell(timings["numpy"], minimum=True),
                     timing_cell(timings["torch"], minimum=True),
                     times(ratio(timings["torch"], timings["numpy"])),
                     timing_cell(timings["python"], minimum=True),
                     times(ratio(timings["python"], timings["numpy"])), difference])
    report.table(["network", "parameters", "symbp.network_gradient", "PyTorch",
                  "PyTorch's time / symbp's", "symbp without NumPy (pure Python)",
                  "its time / with NumPy", "largest difference from PyTorch"], rows)
    if torch is not None:
        target("`symbp.network_gradient` at least as fast as PyTorch forward+backward "
               "(float64, batch 100, up to ~10³ parameters)",
               f"PyTorch's time / symbp's ≥ {times(1 / worst_ratio)} on every network",
               worst_ratio <= 1.0)
        target("`symbp.network_gradient` equal to PyTorch to 1e-10",
               f"largest difference {worst_difference:.0e}", worst_difference <= 1e-10)
    else:
        target("`symbp.network_gradient` at least as fast as PyTorch", "PyTorch not "
               "installed", None)
    if numpy is None:
        report.add("NumPy is not installed: symbp.network_gradient needs it.\n")


def _flatten(grad_w, grad_b) -> list[float]:
    """Nielsen's parameter order (symbp.network.graph.parameter_names): per layer, each
    neuron's weights row by row, then the layer's biases."""
    flat = []
    for w, b in zip(grad_w, grad_b, strict=True):
        for row in w:
            flat += list(row)
        flat += list(b)
    return flat


def _max_difference(a: list[float], b: list[float]) -> str:
    return f"{max(abs(x - y) for x, y in zip(a, b, strict=True)):.1e}"


