"""The HTML stepper page without a browser: its contract (the embedded data, the picture's
attributes), escaping, the steps against the graph, no Graphviz, big graphs, the CLI."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

import symbp
from symbp.render import dot, to
from symbp.render.html import PICTURE_NODES, script_json

needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None,
                                    reason="Graphviz's dot is not installed")
DATA = re.compile(r'<script type="application/json" id="symbp-data" data-symbp="data">'
                  r"(.*?)</script>", re.S)


def page_data(page: str) -> dict:
    found = DATA.findall(page)
    assert len(found) == 1
    return json.loads(found[0])


def test_the_data_is_the_json_document_plus_its_steps(canonical):
    page = to(canonical, "html")
    data = page_data(page)
    steps = data.pop("steps")
    assert data == json.loads(canonical.to_json())
    graph = canonical.graph
    phases = [s["phase"] for s in steps]
    # one step per node, per edge, per path (+ each input's total), the seed and one per
    # edge of the sweep, each check and the cost: counted from the graph itself
    assert phases.count("forward") == len(graph.nodes) == 5
    assert phases.count("partials") == len(graph.edges) == 5
    assert phases.count("paths") == (1 + 1) + (2 + 1)  # a: 1 path, b: 2 paths
    assert phases.count("reverse") == 1 + len(graph.edges)
    assert phases.count("checks") == len(canonical.checks) + 1
    assert phases == sorted(phases, key=["forward", "partials", "paths", "reverse",
                                         "checks"].index)
    # the hand-computed forward values of e = (a+b)(b+1) at a=2, b=1
    assert [s["text"] for s in steps[:5]] == [
        "input a = 2", "input b = 1", "c = a + b = 2 + 1 = 3", "d = b + 1 = 1 + 1 = 2",
        "e = c·d = 3·2 = 6"]
    assert [s["nodes"] for s in steps[:5]] == [["a"], ["b"], ["c"], ["d"], ["e"]]
    # b's two paths, each highlighted edge by edge
    paths = [s for s in steps if s["phase"] == "paths" and s["text"].startswith("path")]
    assert [p["edges"] for p in paths] == [["a->c#0", "c->e#0"], ["b->c#1", "c->e#0"],
                                           ["b->d#0", "d->e#1"]]
    # the reverse sweep ends with b's adjoint 5 = ∂e/∂b = a + 2b + 1 at (2, 1)
    reverse = [s for s in steps if s["phase"] == "reverse"]
    last = {}
    for s in reverse:
        last.update(s["adjoints"])
    assert last == {"e": "1", "c": "2", "d": "3", "a": "2", "b": "5"}


def test_reverse_steps_in_json_add_up_to_the_gradient(canonical):
    document = json.loads(canonical.to_json())
    running: dict[str, sympy.Expr] = {}
    for step in document["reverse_steps"]:
        before = running.get(step["from"], 0)
        assert step["before"]["value"] == before
        assert step["product"]["value"] == step["carried"]["value"] * step["partial"]["value"]
        running[step["from"]] = before + step["product"]["value"]
        assert step["after"]["value"] == running[step["from"]]
    a, b = sympy.symbols("a b")
    e = (a + b) * (b + 1)
    assert running["a"] == sympy.diff(e, a).subs({a: 2, b: 1}) == 2
    assert running["b"] == sympy.diff(e, b).subs({a: 2, b: 1}) == 5
    assert len(document["reverse_steps"]) == len(canonical.graph.edges)


@needs_graphviz
def test_every_node_and_edge_of_the_picture_carries_its_name(canonical):
    page = to(canonical, "html")
    nodes = re.findall(r'<g class="node" data-node="([^"]*)">', page)
    edges = re.findall(r'<g class="edge" data-edge="([^"]*)">', page)
    assert nodes == ["a", "c", "b", "d", "e"] or sorted(nodes) == ["a", "b", "c", "d", "e"]
    assert sorted(edges) == sorted(["a-&gt;c#0", "b-&gt;c#1", "b-&gt;d#0", "c-&gt;e#0",
                                    "d-&gt;e#1"])
    adjoints = dict(re.findall(r'data-adjoint="([^"]*)">([^<]*)<', page))
    assert adjoints == {"a": "2", "b": "5", "c": "2", "d": "3", "e": "1"}
    assert ' class="active"' not in page and "active" not in " ".join(nodes + edges)


def test_the_page_fetches_nothing(canonical):
    page = to(canonical, "html")
    assert not re.search(r"<(?:link|img|iframe|object|embed)\b", page)
    assert not re.search(r"\b(?:src|href)\s*=", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page


HOSTILE = "</script><script>alert(1)</script><!-- & \u2028"


def test_text_that_would_close_the_script_is_escaped(canonical):
    check = dataclasses.replace(canonical.checks[0], detail=HOSTILE)
    ex = dataclasses.replace(canonical, notes=(HOSTILE,), warnings=(HOSTILE,),
                             checks=(check, *canonical.checks[1:]))
    page = to(ex, "html")
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<!--" not in page
    data = page_data(page)
    assert data["notes"] == [HOSTILE] and data["check_details"][0]["detail"] == HOSTILE
    assert any(HOSTILE in s["text"] for s in data["steps"])
    assert json.loads(script_json({"x": HOSTILE})) == {"x": HOSTILE}
    assert "<" not in script_json({"x": HOSTILE})


def test_without_graphviz_the_page_lists_the_nodes_and_says_how_to_draw(canonical,
                                                                          monkeypatch):
    monkeypatch.setattr(dot, "dot_program", lambda: None)
    page = to(canonical, "html")
    assert "<svg class=\"symbp-picture\"" not in page
    assert "apt-get install graphviz" in page
    rows = re.findall(r'<tr data-node="([^"]*)">', page)
    assert rows == ["a", "b", "c", "d", "e"]
    adjoints = dict(re.findall(r'data-adjoint="([^"]*)">([^<]*)<', page))
    assert adjoints == {"a": "2", "b": "5", "c": "2", "d": "3", "e": "1"}


def test_without_a_point_the_steps_are_symbolic():
    ex = symbp.explain("e = a*a")
    steps = page_data(to(ex, "html"))["steps"]
    assert steps[1]["text"] == "e = a·a"
    assert [s["edges"] for s in steps if s["phase"] == "partials"] == [["a->e#0"], ["a->e#1"]]
    last = [s for s in steps if s["phase"] == "reverse"][-1]
    assert last["adjoints"] == {"a": "2·a"}  # sympy.diff(a*a, a) = 2a


def test_sections_pick_the_phases(canonical):
    ex = symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1", sections=("reverse", "checks"))
    phases = {s["phase"] for s in page_data(to(ex, "html"))["steps"]}
    assert phases == {"reverse", "checks"}


def test_a_big_graph_is_summarized_and_said_so():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from benchmarks.workloads import random_program

    program = random_program(3500)  # about 10⁴ nodes
    ex = symbp.explain(program, at=",".join(f"x{i}=0.{i}" for i in range(1, 9)))
    assert len(ex.graph.nodes) >= 9000
    page = to(ex, "html")
    assert len(page.encode("utf-8")) < 4_000_000
    assert "This graph is big" in page and f"more than the {PICTURE_NODES:,}" in page
    data = page_data(page)
    assert data["summarized"]["nodes"] == len(ex.graph.nodes) - 400
    hidden = [s for s in data["steps"] if "more" in s["text"] and "full=True" in s["text"]]
    assert {s["phase"] for s in hidden} == {"forward", "partials", "reverse"}
    # the inputs stay in the table with their gradient
    adjoints = dict(re.findall(r'data-adjoint="([^"]*)">([^<]*)<', page))
    for x, q in ex.gradient.items():
        assert float(adjoints[x]) == pytest.approx(float(q.value), rel=1e-9, abs=1e-12)


def test_the_command_line_writes_the_page(tmp_path):
    target = tmp_path / "steps.html"
    done = subprocess.run([sys.executable, "-m", "symbp", "explain", "e=(a+b)*(b+1)",
                           "--at", "a=2,b=1", "-o", str(target)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "HTML" in done.stdout + done.stderr
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page_data(page)["output"] == "e"
    printed = subprocess.run([sys.executable, "-m", "symbp", "explain", "e=(a+b)*(b+1)",
                              "--at", "a=2,b=1", "-F", "html"],
                             capture_output=True, text=True, check=False)
    assert printed.returncode == 0 and printed.stdout.rstrip("\n") == page.rstrip("\n")


def test_the_notebook_shows_the_stepper_with_ids_of_its_own(canonical):
    first, second = canonical._repr_html_(), canonical._repr_html_()
    ids = [re.findall(r'\bid="([^"]*)"', html) for html in (first, second)]
    assert ids[0] and not set(ids[0]) & set(ids[1])
    assert "text/html" in canonical._repr_mimebundle_()
    assert "text/markdown" in canonical._repr_mimebundle_()
