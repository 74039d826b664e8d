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
