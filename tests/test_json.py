"""The JSON document, field by field, on the canonical example."""

from __future__ import annotations

import json

import symbp


def test_canonical_document(canonical):
    doc = json.loads(canonical.to_json())
    assert doc["output"] == "e"
    assert doc["inputs"] == ["a", "b"]
    assert doc["at"] == {"a": 2, "b": 1}
    assert doc["nodes"] == [
        {"name": "a", "op": "input", "formula": "a", "value": 2},
        {"name": "b", "op": "input", "formula": "b", "value": 1},
        {"name": "c", "op": "add", "formula": "a + b", "value": 3},
        {"name": "d", "op": "add", "formula": "b + 1", "value": 2},
        {"name": "e", "op": "mul", "formula": "c*d", "value": 6},
    ]
    assert doc["edges"] == [
        {"from": "a", "to": "c", "slot": 0, "rule": "sum rule", "partial": "1", "value": 1},
        {"from": "b", "to": "c", "slot": 1, "rule": "sum rule", "partial": "1", "value": 1},
        {"from": "b", "to": "d", "slot": 0, "rule": "sum rule", "partial": "1", "value": 1},
        {"from": "c", "to": "e", "slot": 0, "rule": "product rule", "partial": "d", "value": 2},
        {"from": "d", "to": "e", "slot": 1, "rule": "product rule", "partial": "c", "value": 3},
    ]
    assert doc["paths"]["a"] == {
        "count": 1,
        "shown": [{"nodes": ["a", "c", "e"], "product": "d", "value": 2}],
        "sum": "d",
        "value": 2,
    }
    assert doc["paths"]["b"]["count"] == 2
    assert doc["paths"]["b"]["shown"] == [
        {"nodes": ["b", "c", "e"], "product": "d", "value": 2},
        {"nodes": ["b", "d", "e"], "product": "c", "value": 3},
    ]
    assert (doc["paths"]["b"]["sum"], doc["paths"]["b"]["value"]) == ("c + d", 5)
    assert doc["forward"]["b"] == {
        "b": {"expr": "1", "value": 1},
        "c": {"expr": "1", "value": 1},
        "d": {"expr": "1", "value": 1},
        "e": {"expr": "c + d", "value": 5},
    }
    assert doc["forward"]["a"]["e"] == {"expr": "d", "value": 2}
    assert doc["reverse"] == {
        "e": {"expr": "1", "value": 1},
        "d": {"expr": "c", "value": 3},
        "c": {"expr": "d", "value": 2},
        "b": {"expr": "c + d", "value": 5},
        "a": {"expr": "d", "value": 2},
    }
    assert list(doc["reverse"]) == ["a", "b", "c", "d", "e"]  # graph order
    assert doc["gradient"] == {
        "a": {"expr": "d", "value": 2, "in_inputs": "b + 1"},
        "b": {"expr": "c + d", "value": 5, "in_inputs": "a + 2*b + 1"},
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
    assert doc["gradient"]["b"] == {"expr": "c + d", "value": None, "in_inputs": "a + 2*b + 1"}
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
