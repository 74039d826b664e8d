"""A network's functions written out by hand, never taken from symbp: each activation's σ
and σ' (SIGMA), each cost's ∇ₐC (NABLA) and the cost of one sample (COST)."""

from __future__ import annotations

import math

__all__ = ["COST", "NABLA", "SIGMA"]

SIGMA = {
    "sigmoid": (lambda z: 1 / (1 + math.exp(-z)),
                lambda z: math.exp(-z) / (1 + math.exp(-z)) ** 2),
    "tanh": (math.tanh, lambda z: 1 / math.cosh(z) ** 2),
    "relu": (lambda z: max(z, 0.0), lambda z: 1.0 if z > 0 else 0.0),
    "identity": (lambda z: z, lambda z: 1.0),
}
NABLA = {"quadratic": lambda a, y: a - y,
         "cross-entropy": lambda a, y: (a - y) / (a * (1 - a))}
COST = {"quadratic": lambda a, y: sum((ai - yi) ** 2 for ai, yi in zip(a, y, strict=True)) / 2,
        "cross-entropy": lambda a, y: -sum(yi * math.log(ai) + (1 - yi) * math.log(1 - ai)
                                           for ai, yi in zip(a, y, strict=True))}
