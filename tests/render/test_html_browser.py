"""The HTML stepper in a real browser: Debian's Chromium driven by Playwright.

Every page is opened from ``file://`` with every request recorded (none but the page),
no console error and no page error.  The page is walked step by step and held to its
contract: the status ``K / N``, the highlighted set, the forward values, the paths'
edges, the adjoints after the sweep (against ``sympy.diff``), Previous after Next,
``#step=K``, the keys and the slider, the static list without JavaScript, two steppers
on one page, and the layout at 800×600 and at phone width.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path

import pytest
import sympy
from browser import Opened
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import SETTINGS, points_for, programs

import symbp
from symbp.render import to
from symbp.render.html import notebook


def write(tmp_path: Path, ex, name: str = "steps.html") -> Path:
    path = tmp_path / name
    path.write_text(to(ex, "html"), encoding="utf-8")
    return path


LAST_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*$")


def walk(opened: Opened, ex) -> dict:
    """Every step, forward with Next and back with Previous, held to the contract; returns
    the adjoints after the last reverse step."""
    data = opened.data()
    steps = data["steps"]
    total = len(steps)
    values = {n["name"]: n["float"] for n in data["nodes"]}
    paths = {x: [s["nodes"] for s in p["shown"]] for x, p in data["paths"].items()}
    path_number: dict[str, int] = {}
    after_sweep = None
    first = opened.state()
    assert first["status"] == f"1 / {total}"
    for k, step in enumerate(steps):
        state = opened.state()
        assert state["status"] == f"{k + 1} / {total}"
        assert state["text"] == step["text"]
        assert state["nodes"] == sorted(step["nodes"]) and state["edges"] == sorted(
            step["edges"])
        assert state["active"] == len(step["nodes"]) + len(step["edges"])  # nothing else
        if step["phase"] == "forward":
            (node,) = step["nodes"]
            assert symbp_name(node) in step["text"].split(" = ")[0]
            if values[node] is not None:
                shown = float(LAST_NUMBER.search(step["text"])[1])
                assert shown == pytest.approx(values[node], rel=1e-9, abs=1e-12)
        if step["phase"] == "paths" and step["text"].startswith("path "):
            x = step["nodes"][0]
            i = path_number[x] = path_number.get(x, 0) + 1
            nodes = paths[x][i - 1]
            pairs = sorted(e.split("#")[0] for e in step["edges"])
            assert pairs == sorted(f"{u}->{v}" for u, v in itertools.pairwise(nodes))
        if step["phase"] == "reverse":
            after_sweep = state["adjoints"]
        if k + 1 < total:
            opened.page.click('[data-symbp="next"]')
            opened.page.click('[data-symbp="previous"]')
            assert opened.state() == state  # Previous after Next restores everything
            opened.page.click('[data-symbp="next"]')
    assert opened.page.is_disabled('[data-symbp="next"]')
    return after_sweep


def symbp_name(node: str) -> str:
    from symbp.core.printing import name

    return name(node)


def gradient_oracle(program: str, point: dict[str, float]) -> dict[str, float]:
    """∂output/∂x by sympy.diff of the program written out by SymPy's own parser."""
    env: dict[str, sympy.Expr] = {}
    for statement in re.split(r"[;\n]", program):
        if statement.strip():
            target, text = statement.split("=", 1)
            env[target.strip()] = sympy.sympify(text, locals=dict(env))
    output = env[target.strip()]
    symbols = {str(s): s for s in output.free_symbols}
    at = {symbols[x]: v for x, v in point.items() if x in symbols}
    return {x: float(sympy.diff(output, symbols[x]).subs(at)) if x in symbols else 0.0
            for x in point}


SHAPES = [
    ("e=(a+b)*(b+1)", {"a": 2, "b": 1}),
    ("e=a*a", {"a": 3}),                                     # a multi-edge
    ("t=a*b; u=t*t; e=u+t*a", {"a": 0.5, "b": -1.5}),        # shared nodes, t*t
    ("e=sin(a)*exp(a)/(1+a*a)", {"a": 0.7}),
]


@pytest.mark.parametrize(("program", "point"), SHAPES)
def test_walking_every_step(chrome, tmp_path, program, point):
    ex = symbp.explain(program, at=point)
    opened = Opened(chrome, write(tmp_path, ex))
    adjoints = walk(opened, ex)
    data = opened.data()
    oracle = gradient_oracle(program, point)
    for x in ex.graph.inputs:
        assert float(adjoints[x]) == pytest.approx(data["gradient"][x]["float"], rel=1e-9)
        assert float(adjoints[x]) == pytest.approx(oracle[x], rel=1e-9, abs=1e-12)
    opened.close()


@settings(SETTINGS, max_examples=6)
@given(data=st.data())
def test_random_programs(chrome, tmp_path_factory, data):
    program = data.draw(programs())
    point = data.draw(points_for(program))
    ex = symbp.explain(program, at=point)
    opened = Opened(chrome, write(tmp_path_factory.mktemp("page"), ex))
    adjoints = walk(opened, ex)
    gradient = opened.data()["gradient"]
    for x in ex.graph.inputs:
        assert float(adjoints[x]) == pytest.approx(gradient[x]["float"], rel=1e-9, abs=1e-12)
    opened.close()


def test_hash_keys_and_slider(chrome, tmp_path, canonical):
    path = write(tmp_path, canonical)
    total = len(json.loads(re.search(r'data-symbp="data">(.*?)</script>',
                                     path.read_text(encoding="utf-8"), re.S)[1])["steps"])
    opened = Opened(chrome, path, hash_="#step=18")
    steps = opened.data()["steps"]
    assert opened.state()["status"] == f"18 / {total}"
    assert opened.state()["text"] == steps[17]["text"]
    page = opened.page
    page.keyboard.press("ArrowRight")
    assert opened.state()["status"] == f"19 / {total}" and page.url.endswith("#step=19")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert opened.state()["status"] == f"17 / {total}"
    page.keyboard.press("End")
    assert opened.state()["status"] == f"{total} / {total}"
    page.keyboard.press("Home")
    assert opened.state()["status"] == f"1 / {total}"
    page.fill('[data-symbp="slider"]', "7")
    assert opened.state()["text"] == steps[6]["text"]
    page.click('[data-symbp="last"]')
    assert opened.state()["status"] == f"{total} / {total}"
    page.click('[data-symbp="first"]')
    assert opened.state()["status"] == f"1 / {total}"
    page.click('[data-symbp-phase="reverse"]')
    assert opened.state()["text"] == next(s["text"] for s in steps if s["phase"] == "reverse")
    labels = page.eval_on_selector_all(".symbp-controls button", "b => b.map(x => "
                                       "x.getAttribute('aria-label'))")
    assert labels == ["First step", "Previous step", "Next step", "Last step"]
    page.evaluate("location.hash = '#step=3'")
    page.wait_for_function("document.querySelector('[data-symbp=status]')"
                           f".textContent === '3 / {total}'")
    opened.close()


def test_without_javascript_every_step_is_listed(chrome, tmp_path, canonical):
    opened = Opened(chrome, write(tmp_path, canonical), javascript=False)
    page = opened.page
    items = page.locator('[data-symbp="list"] li')
    steps = json.loads(page.text_content("#symbp-data"))["steps"]
    assert items.count() == len(steps)
    assert [items.nth(i).text_content() for i in range(3)] == [s["text"] for s in steps[:3]]
    assert page.is_visible('[data-symbp="list"]')
    assert not page.is_visible('[data-symbp="status"]')
    page.emulate_media(media="print")
    assert page.is_visible('[data-symbp="list"]')
    opened.close()


def test_two_steppers_on_one_page_do_not_touch(chrome, tmp_path, canonical):
    other = symbp.explain("e=a*a", at="a=3")
    path = tmp_path / "notebook.html"
    path.write_text("<!DOCTYPE html><html><body>" + notebook(canonical) + notebook(other)
                    + "</body></html>", encoding="utf-8")
    opened = Opened(chrome, path)
    roots = opened.page.locator('[data-symbp="stepper"]')
    totals = [len(json.loads(roots.nth(i).locator('[data-symbp="data"]').text_content())
                             ["steps"]) for i in (0, 1)]
    status = [roots.nth(i).locator('[data-symbp="status"]') for i in (0, 1)]
    roots.nth(1).locator('[data-symbp="next"]').click()
    roots.nth(1).locator('[data-symbp="next"]').click()
    assert status[0].text_content() == f"1 / {totals[0]}"
    assert status[1].text_content() == f"3 / {totals[1]}"
    roots.nth(0).focus()
    opened.page.keyboard.press("End")
    assert status[0].text_content() == f"{totals[0]} / {totals[0]}"
    assert status[1].text_content() == f"3 / {totals[1]}"
    assert opened.page.url == opened.url  # neither writes #step= into a shared page
    opened.close()


@pytest.mark.parametrize(("width", "height"), [(800, 600), (390, 844)])
def test_screenshots_fit_the_screen(chrome, tmp_path, canonical, width, height):
    opened = Opened(chrome, write(tmp_path, canonical), hash_="#step=20", width=width,
                    height=height)
    page = opened.page
    shot = tmp_path / f"stepper-{width}x{height}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 5_000
    # nothing wider than the screen; the controls and the text are on it
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in ('[data-symbp="next"]', '[data-symbp="status"]',
                     '[data-symbp="step-text"]'):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert box["y"] >= 0 and box["y"] + box["height"] <= height
    opened.close()


def test_a_big_graph_opens_and_steps(chrome, tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from benchmarks.workloads import random_program

    ex = symbp.explain(random_program(3500), at=",".join(f"x{i}=0.{i}" for i in range(1, 9)))
    opened = Opened(chrome, write(tmp_path, ex))
    page = opened.page
    total = len(opened.data()["steps"])
    page.keyboard.press("End")
    assert opened.state()["status"] == f"{total} / {total}"
    adjoints = opened.state()["adjoints"]
    for x, q in ex.gradient.items():
        assert float(adjoints[x]) == pytest.approx(float(q.value), rel=1e-9, abs=1e-12)
    assert "This graph is big" in page.text_content("header")
    opened.close()


def test_the_picture_scrolls_to_what_the_step_highlights(chrome, tmp_path):
    program = (Path(__file__).resolve().parents[1] / "data" / "micrograd.txt").read_text()
    ex = symbp.explain(program)
    opened = Opened(chrome, write(tmp_path, ex), width=900, height=600)
    page = opened.page
    steps = opened.data()["steps"]
    graph = page.locator(".symbp-graph")
    zoom = page.locator('[data-symbp="zoom"]')
    for k in (len(ex.graph.nodes) - 1, len(ex.graph.nodes) + 5, len(steps) - 10):
        page.goto(opened.url + f"#step={k + 1}")
        assert opened.state()["text"] == steps[k]["text"]
        for pressed in ("false", "true"):
            if zoom.get_attribute("aria-pressed") != pressed:
                zoom.click()
            outer = graph.bounding_box()
            inner = page.locator(".symbp-graph .active").first.bounding_box()
            centre = (inner["x"] + inner["width"] / 2, inner["y"] + inner["height"] / 2)
            assert outer["x"] <= centre[0] <= outer["x"] + outer["width"]
            assert outer["y"] <= centre[1] <= outer["y"] + outer["height"]
    width = page.eval_on_selector("svg.symbp-picture", "s => s.getBoundingClientRect().width")
    zoom.click()
    assert page.eval_on_selector("svg.symbp-picture",
                                 "s => s.getBoundingClientRect().width") != width
    opened.close()


NET = Path(__file__).resolve().parents[2] / "examples" / "net.json"


def test_the_network_page_steps_layer_by_layer(chrome, tmp_path):
    from symbp.network.spec import load_spec

    walk = symbp.network_walkthrough(load_spec(str(NET)))
    path = tmp_path / "net.html"
    path.write_text(to(walk, "html"), encoding="utf-8")
    opened = Opened(chrome, path)
    page = opened.page
    steps = opened.data()["steps"]
    layers = walk.spec.network.layers
    neurons = page.eval_on_selector_all("[data-neuron]", "e => e.map(x => "
                                        "x.getAttribute('data-neuron'))")
    assert sorted(neurons) == sorted(f"{layer},{j}" for layer, n in enumerate(layers, start=1)
                                     for j in range(1, n + 1))
    assert page.locator(".symbp-graph [data-weight]").count() == sum(
        layers[i] * layers[i + 1] for i in range(len(layers) - 1))
    for k, step in enumerate(steps):
        state = page.eval_on_selector('[data-symbp="stepper"]', """root => ({
            status: root.querySelector('[data-symbp="status"]').textContent,
            text: root.querySelector('[data-symbp="step-text"]').textContent,
            neurons: [...root.querySelectorAll('[data-neuron].active')]
                       .map(e => e.getAttribute('data-neuron')).sort(),
            weights: [...root.querySelectorAll('.symbp-graph [data-weight].active')]
                       .map(e => e.getAttribute('data-weight')).sort(),
            layers: [...new Set([...root.querySelectorAll('.symbp-graph .active')]
                       .map(e => e.getAttribute('data-layer')))].sort(),
            active: root.querySelectorAll('.symbp-graph .active').length})""")
        assert state["status"] == f"{k + 1} / {len(steps)}" and state["text"] == step["text"]
        assert state["neurons"] == sorted(step["nodes"])
        assert state["weights"] == sorted(step["edges"])
        assert state["active"] == len(step["nodes"]) + len(step["edges"])
        if step["phase"] == "forward":  # layer l's neurons and the weights into them
            layer = step["layer"]
            assert state["layers"] == [str(layer)]
            assert len(state["neurons"]) == layers[layer - 1]
            assert len(state["weights"]) == layers[layer - 1] * layers[layer - 2]
        if step["phase"] == "bp2":  # layer l's neurons, the weights of layer l + 1
            assert state["layers"] == sorted({str(step["layer"]), str(step["layer"] + 1)})
        page.keyboard.press("ArrowRight")
    opened.close()
