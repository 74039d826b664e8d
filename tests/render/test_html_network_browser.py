"""The network page's layer tab in a real browser (Debian's Chromium through Playwright,
as test_html_browser.py): the tabs, the matrices each step highlights, BP4's grid cells
that show their weight's edge in the neuron tab, both conventions, the page without
JavaScript, the layout at 1280×800 and at phone width, and hostile networks.

The oracles are independent of the page: the walkthrough's own JSON (grad_w, each
sample's z, a, δ), symbp.network_gradient (NumPy matrix products, another code path) and
a table of which matrices each of BP1–BP4 reads and writes, written out here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import Opened

import symbp
from symbp.network.spec import load_spec
from symbp.render import to

NET = Path(__file__).resolve().parents[2] / "examples" / "net.json"


def page_of(tmp_path: Path, spec, convention: str = "nielsen", **options) -> Path:
    walk = symbp.network_walkthrough(spec, convention=convention, **options)
    path = tmp_path / f"net-{convention}.html"
    path.write_text(to(walk, "html"), encoding="utf-8")
    return path


def expected_blocks(step: dict) -> set[str]:
    """Which matrices a step's equation reads and writes (independent of the page's code)."""
    phase, layer = step["phase"], step.get("layer")
    if phase == "forward":  # Z^l = W^l A^{l-1} + b^l, A^l = σ(Z^l)
        names = [("W", layer), ("A", layer - 1), ("b", layer), ("Z", layer), ("A", layer)]
    elif phase == "bp1":  # Δ^L = ∇_A C ⊙ σ'(Z^L)
        names = [("Z", layer), ("A", layer), ("Delta", layer)]
    elif phase == "bp2":  # Δ^l = ((W^{l+1})ᵀ Δ^{l+1}) ⊙ σ'(Z^l)
        names = [("W", layer + 1), ("Delta", layer + 1), ("Z", layer), ("Delta", layer)]
    elif phase in ("bp34", "average") and layer is not None:  # Δ^l, (A^{l-1})ᵀ → ∂C/∂W, ∂C/∂b
        names = [("Delta", layer), ("A", layer - 1), ("grad_W", layer), ("grad_b", layer)]
    elif phase == "update":  # W − η ∂C/∂W, b − η ∂C/∂b
        names = [("W", layer), ("b", layer), ("grad_W", layer), ("grad_b", layer)]
    else:
        names = []
    return {f"{n},{ell}" for n, ell in names}


STATE = """root => ({
    status: root.querySelector('[data-symbp="status"]').textContent,
    blocks: [...root.querySelectorAll('[data-block].active')]
              .map(e => e.getAttribute('data-block')).sort(),
    layers: [...root.querySelectorAll('[data-block].active')]
              .map(e => e.getAttribute('data-layer')),
    weights: [...root.querySelectorAll('.symbp-graph [data-weight].active')]
              .map(e => e.getAttribute('data-weight')).sort(),
    neurons: [...root.querySelectorAll('.symbp-graph [data-neuron].active')].length,
    current: Object.fromEntries([...root.querySelectorAll('[data-block]')].map(b =>
              [b.getAttribute('data-block'), [...b.querySelectorAll('td.current')]
                .map(c => parseFloat(c.textContent))]).filter(p => p[1].length)),
    tab: root.querySelector('[role=tab][aria-selected=true]').getAttribute('data-symbp-tab'),
    pick: root.querySelector('[data-symbp="pick"]').textContent})"""


def state(opened: Opened) -> dict:
    return opened.page.eval_on_selector('[data-symbp="stepper"]', STATE)


def test_the_tabs_switch_by_click_and_by_keys(chrome, tmp_path):
    opened = Opened(chrome, page_of(tmp_path, load_spec(str(NET))))
    page = opened.page
    tabs = page.locator('[role="tablist"] [role="tab"]')
    assert tabs.count() == 2
    assert page.get_attribute('[data-symbp-tab="picture"]', "aria-selected") == "true"
    assert page.is_visible("svg.symbp-picture")
    assert not page.is_visible('[data-symbp-view="layers"]')
    page.click('[data-symbp-tab="layers"]')
    assert page.get_attribute('[data-symbp-tab="layers"]', "aria-selected") == "true"
    assert page.get_attribute('[data-symbp-tab="picture"]', "aria-selected") == "false"
    assert page.is_visible('[data-block="grad_W,3"]') and not page.is_visible(
        "svg.symbp-picture")
    for tab in ("picture", "layers"):  # each tab controls its panel and the panel names it
        panel = page.get_attribute(f'[data-symbp-tab="{tab}"]', "aria-controls")
        assert page.get_attribute(f"#{panel}", "role") == "tabpanel"
        assert page.get_attribute(f"#{panel}", "aria-labelledby") == page.get_attribute(
            f'[data-symbp-tab="{tab}"]', "id")
    # the keys on a focused tab move between the tabs, not the steps
    page.focus('[data-symbp-tab="layers"]')
    page.keyboard.press("ArrowLeft")
    assert state(opened)["tab"] == "picture" and state(opened)["status"].startswith("1 /")
    assert page.evaluate("document.activeElement.getAttribute('data-symbp-tab')") == "picture"
    page.keyboard.press("End")
    assert state(opened)["tab"] == "layers" and state(opened)["status"].startswith("1 /")
    page.keyboard.press("ArrowRight")  # wraps round
    assert state(opened)["tab"] == "picture"
    page.keyboard.press("Enter")
    assert state(opened)["tab"] == "picture"
    # elsewhere the arrows still step
    page.click("h1")
    page.keyboard.press("ArrowRight")
    assert state(opened)["status"].startswith("2 /")
    opened.close()


@pytest.mark.parametrize("convention", ["nielsen", "pytorch"])
def test_each_step_highlights_its_matrices_and_its_sample(chrome, tmp_path, convention):
    opened = Opened(chrome, page_of(tmp_path, load_spec(str(NET)), convention))
    data = opened.data()
    assert data["convention"] == convention
    steps = data["steps"]
    seen = set()
    for k, step in enumerate(steps):
        now = state(opened)
        assert now["status"] == f"{k + 1} / {len(steps)}"
        assert set(now["blocks"]) == expected_blocks(step) == set(step["blocks"])
        assert len(now["blocks"]) == len(step["blocks"])  # each matrix once
        assert sorted(now["layers"]) == sorted(b.split(",")[1] for b in now["blocks"])
        if "sample" in step:  # the sample's column (row) of each batch matrix, and no more
            sample = data["samples"][step["sample"] - 1]
            for block, cells in now["current"].items():
                name, layer = block.split(",")
                layer = int(layer)
                vector = (sample["x"] if (name, layer) == ("A", 1) else
                          sample[{"Z": "z", "A": "a", "Delta": "delta"}[name]][layer - 2])
                assert cells == pytest.approx(vector, rel=1e-5, abs=1e-9)
                seen.add(name)
            batch = {b for b in step["blocks"] if b.split(",")[0] in ("Z", "A", "Delta")}
            assert set(now["current"]) == batch
        else:
            assert now["current"] == {}
        opened.page.keyboard.press("ArrowRight")
    assert seen == {"Z", "A", "Delta"}
    opened.close()


@pytest.mark.parametrize("convention", ["nielsen", "pytorch"])
def test_a_grid_cell_shows_its_weight_on_the_neuron_graph(chrome, tmp_path, convention):
    spec = load_spec(str(NET))
    opened = Opened(chrome, page_of(tmp_path, spec, convention), hash_="#step=4")
    page = opened.page
    data = opened.data()
    oracle = symbp.network_gradient(spec)  # NumPy's matrix products: another computation
    cells = page.eval_on_selector_all("td[data-weight]", "c => c.map(x => "
                                      "[x.getAttribute('data-weight'), x.textContent])")
    layers = data["layers"]
    assert sorted(w for w, _ in cells) == sorted(
        f"{ell},{j},{k}" for ell in range(2, len(layers) + 1)
        for j in range(1, layers[ell - 1] + 1) for k in range(1, layers[ell - 2] + 1))
    for n, (weight, shown) in enumerate(cells):
        ell, j, k = map(int, weight.split(","))
        gradient = data["grad_w"][ell - 2][j - 1][k - 1]
        assert float(shown) == pytest.approx(gradient, rel=1e-5, abs=1e-12)
        assert float(shown) == pytest.approx(float(oracle["grad_w"][ell - 2][j - 1, k - 1]),
                                             rel=1e-5, abs=1e-12)
        page.click('[data-symbp-tab="layers"]')
        cell = page.locator(f'td[data-weight="{weight}"]')
        if n % 2:
            cell.click()
        else:  # the keyboard: focus the cell, press Enter
            cell.focus()
            page.keyboard.press("Enter")
        now = state(opened)
        assert now["tab"] == "picture" and page.is_visible("svg.symbp-picture")
        assert now["weights"] == [weight] and now["neurons"] == 0
        assert now["status"] == f"4 / {len(data['steps'])}"  # the step did not move
        weight_name = f"w{'²³'[ell - 2]}{'₁₂₃'[j - 1]}{'₁₂₃'[k - 1]}"
        assert now["pick"].startswith(f"∂C/∂{weight_name} = the mean over the 2 samples")
        assert f"= {shown}, for the weight {weight_name} = " in now["pick"]
        assert f"{data['weights'][ell - 2][j - 1][k - 1]:g}" in now["pick"]
        assert page.get_attribute(f'td[data-weight="{weight}"]', "class") == "picked"
    # the next step takes the picture back: its own highlights, no pick
    page.keyboard.press("ArrowRight")
    now = state(opened)
    assert now["pick"] == "" and now["weights"] == sorted(data["steps"][4]["edges"])
    assert page.locator("td.picked").count() == 0
    opened.close()


def test_without_javascript_both_views_are_on_the_page(chrome, tmp_path):
    opened = Opened(chrome, page_of(tmp_path, load_spec(str(NET))), javascript=False)
    page = opened.page
    assert not page.is_visible('[role="tablist"]')
    assert page.is_visible("svg.symbp-picture")
    assert page.is_visible('[data-symbp-view="layers"]')
    assert page.is_visible('[data-block="grad_W,2"]')
    assert page.locator('[data-symbp-view] h2').all_text_contents() == [
        "Neuron graph", "Layer view (matrices)"]
    data = json.loads(page.text_content("#symbp-data"))
    assert float(page.text_content('td[data-weight="2,3,2"]')) == pytest.approx(
        data["grad_w"][0][2][1], rel=1e-5)
    assert page.locator(".active").count() == 0
    page.emulate_media(media="print")
    assert page.is_visible('[data-symbp-view="layers"]')
    opened.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_both_tabs_fit_the_screen(chrome, tmp_path, width, height):
    opened = Opened(chrome, page_of(tmp_path, load_spec(str(NET))), hash_="#step=4",
                    width=width, height=height)
    page = opened.page
    for tab in ("picture", "layers"):
        page.click(f'[data-symbp-tab="{tab}"]')
        shot = tmp_path / f"net-{tab}-{width}.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 5_000
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for selector in ('[data-symbp="next"]', f'[data-symbp-tab="{tab}"]'):
            box = page.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
            assert box["y"] >= 0 and box["y"] + box["height"] <= height
    opened.close()


def test_a_4_8_8_3_network_and_a_single_sample(chrome, tmp_path):
    spec = {"layers": [4, 8, 8, 3], "seed": 7, "learning_rate": 0.1,
            "samples": [{"x": [0.1, -0.2, 0.3, 0.4], "y": [0, 1, 0]}]}
    opened = Opened(chrome, page_of(tmp_path, spec, "pytorch"), width=1280, height=800)
    page = opened.page
    data = opened.data()
    oracle = symbp.network_gradient(spec)
    assert page.locator("td[data-weight]").count() == 4 * 8 + 8 * 8 + 8 * 3
    assert page.locator(".symbp-more").count() == 0  # 8 rows and columns are written out
    page.keyboard.press("End")
    for weight in ("2,8,4", "3,5,6", "4,3,8"):
        ell, j, k = map(int, weight.split(","))
        page.click('[data-symbp-tab="layers"]')
        cell = page.locator(f'td[data-weight="{weight}"]')
        assert float(cell.text_content()) == pytest.approx(
            float(oracle["grad_w"][ell - 2][j - 1, k - 1]), rel=1e-5, abs=1e-12)
        cell.click()
        now = state(opened)
        assert now["weights"] == [weight] and now["tab"] == "picture"
        assert "mean" not in now["pick"]  # one sample: nothing is averaged
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # forward ×3, BP1, BP2 ×2, BP3/BP4 ×3, average ×3, update ×3 for one sample
    assert sum(s["phase"] != "checks" for s in data["steps"]) == 3 + 1 + 2 + 3 + 3 + 3
    opened.close()


@pytest.mark.parametrize(("count", "convention"), [(10, "nielsen"), (20, "pytorch")])
def test_every_stepped_sample_has_its_column_and_the_layers_view_opens_first(
        chrome, tmp_path, count, convention):
    # the page steps through 10 samples (all) or the first 12 of 20 (summary.ROWS); each
    # has its column (its row in PyTorch's layout), marked while a step speaks of it
    samples = [{"x": [i / 10, 1 - i / 10], "y": [i % 2]} for i in range(count)]
    spec = {**json.loads(NET.read_text()), "samples": samples}
    opened = Opened(chrome, page_of(tmp_path, spec, convention, view="layers"),
                    width=390, height=844)
    page = opened.page
    data = opened.data()
    stepped = sorted({s["sample"] for s in data["steps"] if "sample" in s})
    assert stepped == list(range(1, min(count, 12) + 1))
    assert state(opened)["tab"] == "layers"
    z = page.locator('[data-block="Z,2"] td[data-sample]')
    assert z.count() == 3 * len(stepped)  # layer 2 has 3 neurons
    assert page.locator('[data-block="Z,2"] .symbp-more').count() == (count > 12)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the block scrolls
    for k, step in enumerate(data["steps"]):
        if step["phase"] == "forward" and step["layer"] == 2:
            page.evaluate(f"location.hash = '#step={k + 1}'")
            page.wait_for_function(
                f"document.querySelector('[data-symbp=\"status\"]').textContent"
                f".startsWith('{k + 1} /')")
            expected = data["samples"][step["sample"] - 1]["z"][0]
            assert state(opened)["current"]["Z,2"] == pytest.approx(expected, rel=1e-5)
            # the marked cells are in sight inside their block, which scrolls sideways
            inside = page.eval_on_selector_all('[data-block="Z,2"] td.current', """cells =>
                cells.every(c => { const b = c.closest('figure').getBoundingClientRect(),
                                         r = c.getBoundingClientRect();
                                   return r.left >= b.left - 1 && r.right <= b.right + 1; })""")
            assert inside, step["sample"]
    opened.close()


def test_without_a_picture_a_cell_still_says_its_weight(chrome, tmp_path):
    # 20·40 + 40·3 = 920 weights: more than a picture shows (network_dot.MAX_WEIGHTS)
    spec = {"layers": [20, 40, 3], "seed": 1, "learning_rate": 0.1,
            "samples": [{"x": [i / 20 for i in range(20)], "y": [0, 1, 0]}]}
    opened = Opened(chrome, page_of(tmp_path, spec))
    page = opened.page
    assert page.locator("svg.symbp-picture").count() == 0
    assert "920 weights" in page.text_content('[data-symbp-view="picture"]')
    page.click('[data-symbp-tab="layers"]')
    page.click('td[data-weight="3,2,5"]')
    now = state(opened)
    assert now["tab"] == "layers" and now["weights"] == []
    oracle = symbp.network_gradient(spec)["grad_w"][1][1, 4]
    assert f"= {float(oracle):.6g}, for the weight w³₂₅ = " in now["pick"]
    assert page.is_visible('[data-symbp="pick"]')
    assert page.locator('[data-block="grad_W,2"] td[data-weight]').count() == 6 * 6
    opened.close()


def test_two_network_steppers_on_one_page_keep_their_own_tabs(chrome, tmp_path):
    from symbp.render.html.network import to_html

    spec = load_spec(str(NET))
    path = tmp_path / "two.html"
    path.write_text("<!DOCTYPE html><html><body>"
                    + to_html(symbp.network_walkthrough(spec), suffix="-1", page=False)
                    + to_html(symbp.network_walkthrough(spec, convention="pytorch"),
                              suffix="-2", page=False) + "</body></html>", encoding="utf-8")
    opened = Opened(chrome, path)
    page = opened.page
    roots = page.locator('[data-symbp="stepper"]')
    ids = page.eval_on_selector_all("[id]", "e => e.map(x => x.id)")
    assert len(ids) == len(set(ids))
    second = roots.nth(1)
    second.locator('[data-symbp-tab="layers"]').click()
    second.locator('td[data-weight="3,1,3"]').click()
    selected = [roots.nth(i).locator('[aria-selected="true"]').get_attribute("data-symbp-tab")
                for i in (0, 1)]
    assert selected == ["picture", "picture"]
    assert [roots.nth(i).locator(".symbp-graph [data-weight].active").count()
            for i in (0, 1)] == [6, 1]  # the first still shows its step: 6 weights into layer 2
    assert roots.nth(0).locator('[data-symbp="pick"]').text_content() == ""
    assert second.locator('[data-symbp="pick"]').text_content().startswith("∂C/∂w³₁₃")
    opened.close()


def test_a_grid_is_one_tab_stop_and_the_arrows_move_in_it(chrome, tmp_path):
    spec = {"layers": [4, 8, 8, 3], "seed": 7, "learning_rate": 0.1,
            "samples": [{"x": [0.1, -0.2, 0.3, 0.4], "y": [0, 1, 0]}]}
    opened = Opened(chrome, page_of(tmp_path, spec))
    page = opened.page
    page.click('[data-symbp-tab="layers"]')
    grids = page.locator('table[role="grid"]')
    assert grids.count() == 3  # ∂C/∂W² … ∂C/∂W⁴
    for g in range(3):  # WAI-ARIA's grid: exactly one cell of each in the Tab order
        assert grids.nth(g).locator('td[tabindex="0"]').count() == 1
    focused = "() => document.activeElement.getAttribute('data-weight')"
    stops = []
    for _ in range(60):  # Tab through the page: each grid is reached once, at its first cell
        page.keyboard.press("Tab")
        weight = page.evaluate(focused)
        if weight is not None:
            stops.append(weight)
    assert stops[:3] == ["2,1,1", "3,1,1", "4,1,1"]
    status = state(opened)["status"]
    page.locator('td[data-weight="3,1,1"]').focus()
    for key, weight in [("ArrowRight", "3,1,2"), ("ArrowDown", "3,2,2"), ("End", "3,2,8"),
                        ("ArrowRight", "3,2,8"), ("ArrowDown", "3,3,8"), ("Home", "3,3,1"),
                        ("ArrowLeft", "3,3,1"), ("ArrowUp", "3,2,1")]:
        page.keyboard.press(key)
        assert page.evaluate(focused) == weight, key
    assert state(opened)["status"] == status  # the arrows moved in the grid, not the steps
    # Tab leaves the grid and Shift+Tab comes back to the cell it left
    page.keyboard.press("Tab")
    assert page.evaluate(focused) != "3,2,1"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == "3,2,1"
    page.keyboard.press("Enter")
    now = state(opened)
    assert now["weights"] == ["3,2,1"] and now["tab"] == "picture"
    oracle = symbp.network_gradient(spec)["grad_w"][1][1, 0]
    assert f"= {float(oracle):.6g}, for the weight w³₂₁ = " in now["pick"]
    opened.close()
