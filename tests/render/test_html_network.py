"""The network's stepper page and picture without a browser (the browser walks it in
test_html_browser.py): the data, the steps against the network's shape, the numbers of
the SGD update against w − η·∂C/∂w, the command line, refusals."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import symbp
from symbp.core.printing import num
from symbp.network.spec import load_spec
from symbp.render import to

NET = Path(__file__).resolve().parents[2] / "examples" / "net.json"
needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None,
                                    reason="Graphviz's dot is not installed")


@pytest.fixture(scope="module")
def walk():
    return symbp.network_walkthrough(load_spec(str(NET)))


def data_of(page: str) -> dict:
    (found,) = re.findall(r'id="symbp-data" data-symbp="data">(.*?)</script>', page, re.S)
    return json.loads(found)


def test_the_steps_follow_the_network(walk):
    data = data_of(to(walk, "html"))
    steps = data.pop("steps")
    assert data == json.loads(walk.to_json())
    layers = json.loads(NET.read_text())["layers"]  # [2, 3, 1]
    big_l, m = len(layers), 2
    phases = [s["phase"] for s in steps]
    assert phases.count("forward") == m * (big_l - 1)
    assert phases.count("bp1") == m
    assert phases.count("bp2") == m * (big_l - 2)
    assert phases.count("bp34") == m * (big_l - 1)
    assert phases.count("average") == phases.count("update") == big_l - 1
    assert phases.count("checks") == len(walk.checks)
    first = steps[0]
    assert first["nodes"] == ["2,1", "2,2", "2,3"]
    assert first["edges"] == ["2,1,1", "2,1,2", "2,2,1", "2,2,2", "2,3,1", "2,3,2"]


def test_the_update_step_shows_w_minus_eta_times_the_gradient(walk):
    spec = json.loads(NET.read_text())
    steps = data_of(to(walk, "html"))["steps"]
    eta = spec["learning_rate"]
    for step in (s for s in steps if s["phase"] == "update"):
        i = step["layer"] - 2
        for j, row in enumerate(spec["weights"][i]):
            for k, w in enumerate(row):
                expected = w - eta * walk.grad_w[i][j][k]
                assert num(expected) in step["text"]
                assert walk.updated.weights[i][j][k] == pytest.approx(expected, abs=1e-15)


def test_every_user_text_is_escaped(walk):
    page = to(walk, "html")
    assert page.count("<script") == 2 and "default-src 'none'" in page
    assert not re.search(r"\b(?:src|href)\s*=", page)


@needs_graphviz
def test_the_command_line_draws_and_pages_the_network(tmp_path):
    for name, head in (("net.svg", "<svg"), ("net.dot", "digraph network"),
                       ("net.html", "<!DOCTYPE html>")):
        target = tmp_path / name
        done = subprocess.run([sys.executable, "-m", "symbp", "network", "--spec", str(NET),
                               "-o", str(target)], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stderr
        assert head in target.read_text(encoding="utf-8")[:400]
    svg = (tmp_path / "net.svg").read_text(encoding="utf-8")
    assert svg.count('class="node"') == 6 and svg.count('class="edge"') == 9
    derived = subprocess.run([sys.executable, "-m", "symbp", "network", "--layers", "2,3,1",
                              "-o", str(tmp_path / "d.svg")], capture_output=True, text=True,
                             check=False)
    assert derived.returncode == 0 and "w²₁₁" in (tmp_path / "d.svg").read_text()


def test_a_page_without_numbers_and_a_huge_picture_are_refused(tmp_path):
    target = tmp_path / "d.html"
    done = subprocess.run([sys.executable, "-m", "symbp", "network", "--layers", "2,3,1",
                           "-o", str(target)], capture_output=True, text=True, check=False)
    assert done.returncode == 1 and not target.exists()
    assert done.stderr.strip() == "error: the network's page needs its numbers: give --spec " \
                                  "net.json"
    big = subprocess.run([sys.executable, "-m", "symbp", "network", "--layers", "30,30,1",
                          "-F", "dot"], capture_output=True, text=True, check=False)
    assert big.returncode == 1 and "930 weights, more than the 600" in big.stderr
    assert len(big.stderr.strip().splitlines()) == 1


def cells(page: str) -> dict[str, float]:
    """The ∂C/∂W grid's numbers, by their data-weight."""
    return {w: float(v) for w, v in re.findall(r'<td data-weight="([\d,]+)"[^>]*>([^<]+)</td>',
                                               page)}


@pytest.mark.parametrize("convention", ["nielsen", "pytorch"])
def test_the_layer_tab_holds_every_matrix_the_steps_name(convention):
    walk = symbp.network_walkthrough(load_spec(str(NET)), convention=convention)
    page = to(walk, "html")
    blocks = set(re.findall(r'data-block="([^"]+)"', page))
    layers = walk.spec.network.layers
    assert blocks == {"A,1"} | {f"{name},{ell}" for ell in range(2, len(layers) + 1)
                                for name in ("W", "b", "Z", "A", "Delta", "grad_W", "grad_b")}
    for block in re.findall(r'<figure class="[^"]*" data-layer="(\d+)" data-block="[^,]+,(\d+)"',
                            page):
        assert block[0] == block[1]
    steps = data_of(page)["steps"]
    assert all(set(s["blocks"]) <= blocks for s in steps)
    assert sum(bool(s["blocks"]) for s in steps) == sum(s["phase"] != "checks" for s in steps)
    # the shape badges: Z², A², Δ² are 3×2 (Nielsen: samples as columns) or 2×3 (PyTorch)
    batch = "2×3" if convention == "pytorch" else "3×2"
    for name in ("Z", "A", "Delta"):
        badge = re.search(rf'data-block="{name},2"><figcaption>.*?symbp-badge">([^<]+)<', page)
        assert badge[1] == batch
    assert re.search(r'data-block="W,2"><figcaption>.*?symbp-badge">([^<]+)<', page)[1] == "3×2"
    assert re.search(r'data-block="b,3"><figcaption>.*?symbp-badge">([^<]+)<', page)[1] == "(1)"


@pytest.mark.parametrize("convention", ["nielsen", "pytorch"])
def test_the_grid_cells_equal_pytorchs_gradient(convention):
    torch = pytest.importorskip("torch")
    spec = json.loads(NET.read_text())
    walk = symbp.network_walkthrough(spec, convention=convention)
    found = cells(to(walk, "html"))
    params = [(torch.tensor(w, dtype=torch.float64, requires_grad=True),
               torch.tensor(b, dtype=torch.float64, requires_grad=True))
              for w, b in zip(spec["weights"], spec["biases"], strict=True)]
    x = torch.tensor([s["x"] for s in spec["samples"]], dtype=torch.float64)
    y = torch.tensor([s["y"] for s in spec["samples"]], dtype=torch.float64)
    a = x
    for w, b in params:
        a = torch.sigmoid(a @ w.T + b)
    (0.5 * ((a - y) ** 2).sum(dim=1)).mean().backward()  # quadratic cost, batch mean
    assert len(found) == sum(w.numel() for w, _ in params)
    for i, (w, _) in enumerate(params):
        for j, row in enumerate(w.grad.tolist()):
            for k, g in enumerate(row):
                assert found[f"{i + 2},{j + 1},{k + 1}"] == pytest.approx(g, rel=1e-5,
                                                                          abs=1e-12)


def test_the_tabs_follow_the_view():
    spec = load_spec(str(NET))
    neurons = to(symbp.network_walkthrough(spec, view="neurons"), "html")
    assert 'role="tablist"' not in neurons and "data-block=" not in neurons
    assert all(s["blocks"] == [] for s in data_of(neurons)["steps"])  # no matrices to name
    layers = to(symbp.network_walkthrough(spec, view="layers"), "html")
    assert re.search(r'data-symbp-tab="layers" aria-selected="true"', layers)
    assert re.search(r'data-symbp-tab="picture" aria-selected="false"', layers)
    both = to(symbp.network_walkthrough(spec), "html")
    assert re.search(r'data-symbp-tab="picture" aria-selected="true"', both)
    # the page's ids are unique, and each tab names its panel
    ids = re.findall(r'\bid="([^"]+)"', both)
    assert len(ids) == len(set(ids))
    for tab, panel in re.findall(r'id="([^"]+)" aria-controls="([^"]+)"', both):
        assert f'id="{panel}" aria-labelledby="{tab}"' in both


def test_a_single_sample_is_not_averaged_and_a_wide_batch_is_cut():
    spec = json.loads(NET.read_text())
    one = to(symbp.network_walkthrough({**spec, "samples": spec["samples"][:1]}), "html")
    assert "the mean over" not in one and "∂C/∂w³₁₂ = a²₂·δ³₁ (BP4" in one
    assert "<small>mean of" not in one
    two = to(symbp.network_walkthrough(spec), "html")  # the gradients say they are means
    assert re.findall(r'data-block="(grad_[Wb],\d)"><figcaption>[^\n]*?<small>mean of 2<', two)
    assert len(re.findall(r"<small>mean of 2</small>", two)) == 4  # ∂C/∂W and ∂C/∂b, l = 2, 3
    many = {**spec, "samples": [{"x": [i / 7, -i / 9], "y": [i % 2]} for i in range(20)]}
    page = to(symbp.network_walkthrough(many), "html")
    z = re.search(r'data-block="Z,2">.*?</figure>', page)[0]
    # the 12 samples the page steps through (summary.ROWS), then the 8 it does not
    assert z.count("<td data-sample=") == 3 * 12 and "8 more columns" in z
    full = to(symbp.network_walkthrough(many, full=True), "html")
    z = re.search(r'data-block="Z,2">.*?</figure>', full)[0]
    assert z.count("<td data-sample=") == 3 * 20 and "more column" not in z
