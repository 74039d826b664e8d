"""The JSON document, field by field, on the canonical example."""

from __future__ import annotations

import json

import mpmath
import pytest

import symbp


def test_canonical_document(canonical):
    doc = json.loads(canonical.to_json())
    assert doc["output"] == "e"
    assert doc["inputs"] == ["a", "b"]
    assert doc["at"] == {"a": 2, "b": 1}
    assert doc["at_float"] == {"a": 2.0, "b": 1.0}
    assert doc["nodes"] == [
        {"name": "a", "op": "input", "formula": "a", "value": 2, "float": 2.0},
        {"name": "b", "op": "input", "formula": "b", "value": 1, "float": 1.0},
        {"name": "c", "op": "add", "formula": "a + b", "value": 3, "float": 3.0},
        {"name": "d", "op": "add", "formula": "b + 1", "value": 2, "float": 2.0},
        {"name": "e", "op": "mul", "formula": "c*d", "value": 6, "float": 6.0},
    ]
    assert doc["edges"] == [
        {"from": "a", "to": "c", "slot": 0, "rule": "sum rule", "partial": "1",
         "value": 1, "float": 1.0},
        {"from": "b", "to": "c", "slot": 1, "rule": "sum rule", "partial": "1",
         "value": 1, "float": 1.0},
        {"from": "b", "to": "d", "slot": 0, "rule": "sum rule", "partial": "1",
         "value": 1, "float": 1.0},
        {"from": "c", "to": "e", "slot": 0, "rule": "product rule", "partial": "d",
         "value": 2, "float": 2.0},
        {"from": "d", "to": "e", "slot": 1, "rule": "product rule", "partial": "c",
         "value": 3, "float": 3.0},
    ]
    assert doc["paths"]["a"] == {
        "count": 1,
        "shown": [{"nodes": ["a", "c", "e"], "product": "d", "value": 2, "float": 2.0}],
        "sum": "d",
        "value": 2, "float": 2.0,
    }
    assert doc["paths"]["b"]["count"] == 2
    assert doc["paths"]["b"]["shown"] == [
        {"nodes": ["b", "c", "e"], "product": "d", "value": 2, "float": 2.0},
        {"nodes": ["b", "d", "e"], "product": "c", "value": 3, "float": 3.0},
    ]
    assert (doc["paths"]["b"]["sum"], doc["paths"]["b"]["value"]) == ("c + d", 5)
    assert doc["forward"]["b"] == {
        "b": {"expr": "1", "value": 1, "float": 1.0},
        "c": {"expr": "1", "value": 1, "float": 1.0},
        "d": {"expr": "1", "value": 1, "float": 1.0},
        "e": {"expr": "c + d", "value": 5, "float": 5.0},
    }
    assert doc["forward"]["a"]["e"] == {"expr": "d", "value": 2, "float": 2.0}
    assert doc["reverse"] == {
        "e": {"expr": "1", "value": 1, "float": 1.0},
        "d": {"expr": "c", "value": 3, "float": 3.0},
        "c": {"expr": "d", "value": 2, "float": 2.0},
        "b": {"expr": "c + d", "value": 5, "float": 5.0},
        "a": {"expr": "d", "value": 2, "float": 2.0},
    }
    assert list(doc["reverse"]) == ["a", "b", "c", "d", "e"]  # graph order
    assert doc["gradient"] == {
        "a": {"expr": "d", "value": 2, "float": 2.0, "in_inputs": "b + 1"},
        "b": {"expr": "c + d", "value": 5, "float": 5.0, "in_inputs": "a + 2*b + 1"},
    }
    assert doc["cost"] == {"paths": {"mul": 3, "add": 1}, "forward": {"mul": 3, "add": 1},
                           "reverse": {"mul": 3, "add": 1}}
    assert doc["repeated_products"] == [{"from": "c", "to": "e", "times": 2}]
    assert doc["checks"] == {
        "paths == forward": True,
        "forward == reverse": True,
        "reverse == sympy.diff": True,
        "reverse == finite differences": True,
    }
    assert doc["warnings"] == []


def test_values_are_null_without_a_point():
    doc = symbp.explain("e=(a+b)*(b+1)").to_dict()
    assert doc["at"] is None
    assert all(node["value"] is None for node in doc["nodes"])
    assert all(edge["value"] is None for edge in doc["edges"])
    assert doc["gradient"]["b"] == {"expr": "c + d", "value": None, "float": None,
                                    "in_inputs": "a + 2*b + 1"}
    assert doc["paths"]["b"]["value"] is None and doc["paths"]["b"]["sum"] == "c + d"
    assert "reverse == finite differences" not in doc["checks"]


def test_exact_and_float_values():
    doc = symbp.explain("e = a/b + sin(a)", at="a=1,b=2").to_dict()
    assert doc["at"] == {"a": 1, "b": 2}
    values = {node["name"]: node["value"] for node in doc["nodes"]}
    assert values["c"] == "1/2"  # exact rational as its SymPy string
    assert values["e"] == "1/2 + sin(1)"
    floats = symbp.explain("e = a*b", at="a=0.5,b=4").to_dict()
    assert floats["gradient"]["b"]["value"] == 0.5
    assert isinstance(floats["nodes"][-1]["value"], float)


def test_json_is_deterministic():
    first = symbp.explain("c=a*b; d=sin(c); e=d*c+b", at="a=1/3,b=2").to_json()
    second = symbp.explain("c=a*b; d=sin(c); e=d*c+b", at="a=1/3,b=2").to_json()
    assert first == second


def test_strict_json_carries_numbers_beyond_floats_as_exact_strings():
    text = symbp.explain("e = a*2.0**1e9", at="a=1").to_json()
    doc = json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))
    assert doc["gradient"]["a"]["value"].startswith("4.61297600116907e+301029995")
    assert doc["gradient"]["a"]["float"] is None  # no 64-bit float holds it


def test_every_value_has_a_float_beside_it():
    doc = symbp.explain("y = sin(x)*x**2", at="x=pi/4").to_dict()
    x = mpmath.pi / 4
    expected = x**2 * mpmath.cos(x) + 2 * x * mpmath.sin(x)
    assert doc["gradient"]["x"]["float"] == pytest.approx(float(expected), rel=1e-15)
    assert isinstance(doc["gradient"]["x"]["value"], str)  # the exact value, as SymPy writes it
    assert doc["at_float"] == {"x": pytest.approx(0.7853981633974483, rel=1e-16)}
    big = symbp.explain("y = x**1000", at="x=3").to_dict()
    assert big["nodes"][-1]["value"] == str(3**1000)  # beyond 2**53: an exact string
    assert big["nodes"][-1]["float"] is None  # 1.3e477: beyond 64-bit floats


def test_nearest_float_is_the_float_of_the_certified_decimal():
    """One helper for JSON's "float" and the stepper page's decimals: Python's own float of
    a rational and mpmath's of sin(1) are the oracles; beyond ±1.8e308 it is ±inf (JSON
    then writes null, the page the decimal), and a value without digits is None."""
    import math

    import mpmath
    import sympy

    from symbp.core.printing import nearest_float
    from symbp.render.html.text import decimal
    from symbp.render.json import to_dict

    assert nearest_float(sympy.Rational(1, 3)) == 1 / 3
    assert nearest_float(sympy.sin(1)) == float(mpmath.sin(1))
    assert nearest_float(2.5) == 2.5
    assert nearest_float(sympy.Integer(10) ** 400) == math.inf
    assert nearest_float(-sympy.Integer(10) ** 400) == -math.inf
    assert nearest_float(None) is None
    assert nearest_float(sympy.zoo) is None
    assert decimal(sympy.Integer(10) ** 400) == "1.0e+400"
    assert decimal(sympy.Rational(1, 3)) == "0.333333333333"
    ex = symbp.explain("y = x*x", at="x=10**200")
    assert to_dict(ex)["at_float"] == {"x": 1e200}
    assert decimal(ex.values["y"]) == "1.0e+400"
