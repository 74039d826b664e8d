"""The random programs of the renderers' property tests (:func:`strategies.programs`):
every operation of the rule table appears, each wrapped so that it stays defined and
finite at any point with inputs in [0.3, 2].  The test here checks that the generator
keeps that promise.
"""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st
from strategies import SETTINGS, points_for, programs

import symbp


@SETTINGS
@given(st.data())
def test_random_programs_are_defined_at_random_points(data):
    program = data.draw(programs())
    point = data.draw(points_for(program))
    gradient = symbp.gradient(program, at=point)
    assert all(math.isfinite(float(v)) for v in gradient.values())
