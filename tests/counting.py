"""What the operation-count guards share (tests/test_performance*.py): a random program's
graph of any size and a counter of every rule's calls."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

from symbp.core import rules
from symbp.core.graph import Graph, Node

__all__ = ["counting_rules", "random_graph"]


def random_graph(lines: int, seed: int = 0) -> Graph:
    """``t_i = tanh(t_j*t_k + t_l)`` with operands from the previous 20 lines: 5 edges a line."""
    rng = random.Random(seed)
    names = [f"x{k}" for k in range(1, 9)]
    nodes = [Node(n) for n in names]
    for i in range(1, lines + 1):
        j, k, m = (rng.choice(names[-20:]) for _ in range(3))
        nodes += [Node(f"p{i}", "mul", (j, k)), Node(f"q{i}", "add", (f"p{i}", m)),
                  Node(f"t{i}", "tanh", (f"q{i}",))]
        names.append(f"t{i}")
    return Graph(nodes, names[-1])


def counting_rules(monkeypatch) -> Counter:
    """Wrap every rule's value and partials so calls are counted per (op, what)."""
    calls = Counter()

    def counted(fn, key):
        def wrapper(*args):
            calls[key] += 1
            return fn(*args)
        return wrapper

    for op, rule in list(rules.RULES.items()):
        monkeypatch.setitem(rules.RULES, op, replace(
            rule,
            value=counted(rule.value, (op, "value")),
            partials=tuple(counted(p, (op, f"partial {i}")) for i, p in enumerate(rule.partials)),
        ))
    return calls
