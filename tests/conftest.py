"""Shared fixtures: the canonical example of DESIGN.md."""

from __future__ import annotations

import pytest

import symbp

CANONICAL = "e=(a+b)*(b+1)"


@pytest.fixture(scope="session")
def canonical():
    """``e = (a+b)*(b+1)`` explained at a=2, b=1."""
    return symbp.explain(CANONICAL, at="a=2,b=1")
