"""Regression guards for the symbolic gradient's cost at scale, by counting operations.

The node-name gradient of a chain of n statements builds a fixed number of SymPy objects
per edge, and its self-check evaluates the graph a fixed number of times whatever its
inputs: counted here at two sizes (never timed; the timings are in
``benchmarks/symbolic.py``).
"""

from __future__ import annotations

from collections import Counter

import sympy

import symbp
from symbp.core import evaluate
from symbp.explanation import checks as explanation_checks
from symbp.explanation.adjoints import gradient_of
from symbp.explanation.checks import gradient_checks


def chain(lines: int) -> str:
    """The issue's chain: x{i+1} = x{i}*y{i%7} + sin(x{i}) (3 nodes, 5 edges a line)."""
    return "\n".join(f"x{i + 1} = x{i}*y{i % 7} + sin(x{i})" for i in range(lines))


def _constructions(monkeypatch, lines: int) -> Counter:
    """SymPy objects canonicalized (Mul, Add, function eval) and symbols made while the
    node-name gradient of ``chain(lines)`` is built."""
    counts: Counter = Counter()
    for cls, method in ((sympy.Mul, "flatten"), (sympy.Add, "flatten")):
        original = getattr(cls, method).__func__

        def counted(c, seq, _original=original, _key=cls.__name__):
            counts[_key] += 1
            return _original(c, seq)
        monkeypatch.setattr(cls, method, classmethod(counted))
    original_new = sympy.Symbol.__new__

    def symbol(cls, name, **assumptions):
        counts["Symbol"] += 1
        return original_new(cls, name, **assumptions)
    monkeypatch.setattr(sympy.Symbol, "__new__", symbol)
    graph = symbp.parse(chain(lines))
    counts.clear()  # the parser's own work is not counted
    result = gradient_of(graph, None, "nodes", backend="sympy")  # SymPy's own sweep
    assert result.form == "nodes" and len(result.where) == 3 * lines - 1
    monkeypatch.undo()
    return counts


def test_node_form_builds_a_fixed_number_of_objects_per_statement(monkeypatch):
    small, large = _constructions(monkeypatch, 100), _constructions(monkeypatch, 1_000)
    # one symbol per node and one adjoint name per operation; the few Muls are the
    # partials of cos = -sin …, never a product re-canonicalized per edge
    assert small["Symbol"] <= 6 * 100 + 10 and large["Symbol"] <= 6 * 1_000 + 10
    for kind in ("Mul", "Add", "Symbol"):
        assert large[kind] <= 10 * small[kind] + 10, (kind, small, large)
    assert large["Mul"] + large["Add"] <= 2 * 1_000  # fewer than one per edge (5 a line)


def test_node_form_check_evaluates_the_graph_a_fixed_number_of_times(monkeypatch):
    passes = Counter()
    original = evaluate.numeric_values

    def counted(graph, point, dps=40):
        passes[len(graph.nodes)] += 1
        return original(graph, point, dps)
    from symbp.core import checks as core_checks
    monkeypatch.setattr(core_checks, "numeric_values", counted)
    monkeypatch.setattr(explanation_checks, "numeric_values", counted)
    verdicts = {}
    for lines in (1_200, 4_000):  # 8 inputs × 3,600 nodes and up: along one direction
        graph = symbp.parse(chain(lines))
        result = gradient_of(graph, None, "nodes")
        verdicts[lines] = gradient_checks(graph, None, result)[1]
    for check in verdicts.values():
        assert check.passed is True, check
        assert "along a random direction of 8 inputs" in check.method
    # the values at the point, then the values and tangents, then two quotients of two
    # evaluations each: the same count at both sizes
    counts = sorted(passes.items())
    assert counts[0][1] == counts[1][1] <= 7, counts
