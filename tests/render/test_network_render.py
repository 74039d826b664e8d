"""LaTeX and Markdown output of ``symbp network``: the derivation and the walkthrough."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbp.cli import app
from symbp.core.printing import num
from symbp.network.derive import derive_network, network_walkthrough
from symbp.network.spec import load_spec
from symbp.render.network_latex import to_latex
from symbp.render.network_markdown import to_markdown

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "net.json"
runner = CliRunner()


@pytest.fixture(scope="module")
def derivation():
    return derive_network("2,2,1")


@pytest.fixture(scope="module")
def walkthrough():
    return network_walkthrough(load_spec(EXAMPLE), epochs=5)


@pytest.fixture(scope="module")
def walkthrough_full():
    return network_walkthrough(load_spec(EXAMPLE), full=True)


LAYER_3 = r"""% layer 3: BP1, BP3, BP4
\begin{align*}
\delta^{3} &= \nabla_a C \odot \sigma'(z^{3}) && \text{BP1} \\
\delta^{3}_{1} &= \left(a^{3}_{1} - y_{1}\right) \sigma'(z^{3}_{1}) \\
\frac{\partial C}{\partial b^{3}} &= \delta^{3} && \text{BP3} \\
\frac{\partial C}{\partial b^{3}_{1}} &= \delta^{3}_{1} \\
\frac{\partial C}{\partial w^{3}} &= \delta^{3} (a^{2})^T && \text{BP4} \\
\frac{\partial C}{\partial w^{3}_{11}} &= a^{2}_{1} \delta^{3}_{1} \\
\frac{\partial C}{\partial w^{3}_{12}} &= a^{2}_{2} \delta^{3}_{1}
\end{align*}
"""


def test_fragment_bp1_block_exact(derivation):
    fragment = to_latex(derivation)
    assert fragment.startswith("% symbp network: Backpropagation in a 2-2-1 network\n")
    assert LAYER_3 in fragment
    row = r"\delta^{2}_{1} &= w^{3}_{11} \delta^{3}_{1} \sigma'(z^{2}_{1}) \\"
    assert row in fragment
    assert r"\documentclass" not in fragment


def test_check_details_hold_their_math():
    """A network check's detail is runs holding SymPy math: the terminal prints their plain
    text, LaTeX and Markdown print the math with sympy.latex."""
    from symbp.network.prose import Math
    from symbp.render.prose import unicode

    record = network_walkthrough(load_spec(EXAMPLE))
    for check in record.checks:
        assert check.prose and unicode(check.prose) == check.detail
    assert any(isinstance(r, Math) for c in record.checks for r in c.prose)
    tex = to_latex(record, standalone=True)
    assert (r"every $\partial C/\partial w$ and $\partial C/\partial b$ agrees to 1e-9"
            in tex)
    assert r"every $\delta^{l}_{j}$ from BP1--BP2 equals" in tex
    assert r"$\partial C_{x}/\partial z^{l}_{j}$ by sympy.diff" in to_markdown(record)


def _expected_numbers(document: dict) -> set[str]:
    """Every number of the walkthrough the documents show, rounded as the terminal does."""
    values: list[float] = [document["cost"]]
    for sample in document["samples"]:
        values.append(sample["cost"])
        for key in ("z", "a", "delta", "grad_b"):
            values += [v for layer in sample[key] for v in layer]
        values += [v for layer in sample["grad_w"] for row in layer for v in row]
    values += [v for layer in document["grad_w"] for row in layer for v in row]
    values += [v for layer in document["grad_b"] for v in layer]
    values += [v for layer in document["updated"]["weights"] for row in layer for v in row]
    values += [v for layer in document["updated"]["biases"] for v in layer]
    values += document["training"]["costs"]
    return {num(v) for v in values}


def test_numbers_equal_json(walkthrough):
    document = json.loads(walkthrough.to_json())
    latex, markdown = to_latex(walkthrough, standalone=True), to_markdown(walkthrough)
    expected = _expected_numbers(document)
    assert len(expected) > 60
    for text in (latex, markdown):
        missing = [v for v in expected if v not in text]
        assert not missing, missing
    # the rows themselves: δ³₁ of sample 1 by BP1, ∂C/∂w²₁₂ of sample 2 by BP4, one SGD step
    s1, s2 = document["samples"]
    delta = num(s1["delta"][1][0])
    row = (rf"\delta^{{3}}_{{1}} &= \left(a^{{3}}_{{1}} - y_{{1}}\right) \cdot "
           rf"\sigma'(z^{{3}}_{{1}}) = \left({num(s1['a'][1][0])} - 1\right) \cdot "
           rf"{num(s1['sigma_prime'][1][0])} = {delta} && \text{{BP1}}")
    assert row in latex and row in markdown
    grad = (rf"\frac{{\partial C}}{{\partial w^{{2}}_{{12}}}} &= x_{{2}} \cdot \delta^{{2}}_{{1}} "
            rf"= 0.8 \cdot {num(s2['delta'][0][0])} = {num(s2['grad_w'][0][0][1])} && "
            r"\text{BP4}")
    assert grad in latex
    step = (f"| $w^{{2}}_{{11}}$ | ${num(s1['grad_w'][0][0][0])}$ | "
            f"${num(s2['grad_w'][0][0][0])}$ | ${num(document['grad_w'][0][0][0])}$ | $0.1$ | "
            f"${num(document['updated']['weights'][0][0][0])}$ |")
    assert step in markdown
    assert "Training: 5 epochs of SGD" in latex and "### Training: 5 epochs of SGD" in markdown


def test_markdown_derivation(derivation):
    markdown = to_markdown(derivation)
    assert markdown.startswith("## Backpropagation in a 2-2-1 network\n")
    assert "| symbol | meaning | in this network |" in markdown
    assert "#### Layer 3 (output)\n\n$$\n\\begin{aligned}\n\\delta^{3} &= " in markdown
    assert "- ✓ **" in markdown and "\\vert" not in markdown


ENGINE = shutil.which("pdflatex")


@pytest.mark.skipif(ENGINE is None, reason="no LaTeX engine (pdflatex) installed; the "
                    "documents cannot be compiled here")
@pytest.mark.parametrize("which", ["derivation", "walkthrough", "walkthrough_full"])
def test_standalone_compiles_without_overfull_boxes(which, request, tmp_path):
    assert_compiles_without_overfull_boxes(
        to_latex(request.getfixturevalue(which), standalone=True), tmp_path)


def assert_compiles_without_overfull_boxes(document: str, folder) -> None:
    source = folder / "network.tex"
    source.write_text(document, encoding="utf-8")
    result = subprocess.run([ENGINE, "-interaction=nonstopmode", "-halt-on-error",
                             source.name], cwd=folder, capture_output=True, text=True,
                            timeout=120)
    log = (folder / "network.log").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, log[-2000:]
    assert "Overfull" not in log


# -- the neuron-level graph of sample 1 ----------------------------------------------------------

SWEEP_TERMINAL = """\
Neuron-level graph of C for sample 1  (41 nodes, 44 edges)
  The reverse sweep of symbp explain's engine stores dC/dv for every node v: at z it is δ (BP1,
  BP2), at b and w the gradient (BP3, BP4).
  node   formula            value   dC/dv (sweep)   layer level (BP1–BP4)
  ──────────────────────────────────────────────────────────────────────────────
  C      q₁/2           0.0613859               1
  a³₁    sigmoid(z³₁)    0.649612       -0.350388   ∂C/∂a³₁ = -0.350388
  z³₁    s³₁₃ + b³₁      0.617334       -0.079754   δ³₁ = -0.079754 (BP1)
  b³₁    (input)              0.2       -0.079754   ∂C/∂b³₁ = -0.079754 (BP3)
  w³₁₁   (input)              0.7      -0.0418692   ∂C/∂w³₁₁ = -0.0418692 (BP4)
  w³₁₂   (input)             -0.1      -0.0505749   ∂C/∂w³₁₂ = -0.0505749 (BP4)
  w³₁₃   (input)              0.3      -0.0301104   ∂C/∂w³₁₃ = -0.0301104 (BP4)
  a²₁    sigmoid(z²₁)    0.524979      -0.0558278   Σₖ w³ₖ₁ δ³ₖ = -0.0558278
  z²₁    s²₁₂ + b²₁           0.1      -0.0139221   δ²₁ = -0.0139221 (BP2)
  b²₁    (input)              0.1      -0.0139221   ∂C/∂b²₁ = -0.0139221 (BP3)
  w²₁₁   (input)              0.1      -0.0139221   ∂C/∂w²₁₁ = -0.0139221 (BP4)
  w²₁₂   (input)             -0.2     -0.00696106   ∂C/∂w²₁₂ = -0.00696106 (BP4)
  a²₂    sigmoid(z²₂)    0.634136       0.0079754   Σₖ w³ₖ₂ δ³ₖ = 0.0079754
  z²₂    s²₂₂ + b²₂          0.55      0.00185035   δ²₂ = 0.00185035 (BP2)
  b²₂    (input)                0      0.00185035   ∂C/∂b²₂ = 0.00185035 (BP3)
  w²₂₁   (input)              0.4      0.00185035   ∂C/∂w²₂₁ = 0.00185035 (BP4)
  w²₂₂   (input)              0.3     0.000925177   ∂C/∂w²₂₂ = 0.000925177 (BP4)
  a²₃    sigmoid(z²₃)    0.377541      -0.0239262   Σₖ w³ₖ₃ δ³ₖ = -0.0239262
  z²₃    s²₃₂ + b²₃          -0.5     -0.00562275   δ²₃ = -0.00562275 (BP2)
  b²₃    (input)             -0.1     -0.00562275   ∂C/∂b²₃ = -0.00562275 (BP3)
  w²₃₁   (input)             -0.5     -0.00562275   ∂C/∂w²₃₁ = -0.00562275 (BP4)
  w²₃₂   (input)              0.2     -0.00281137   ∂C/∂w²₃₂ = -0.00281137 (BP4)
  (intermediate nodes p = w·a, s = running sums and the cost terms are left out; full=True shows
  every node and every step of the sweep)
"""


def test_terminal_sweep_table_exact(walkthrough):
    from symbp.render.terminal.network import to_text

    text = to_text(walkthrough, width=100)
    section = text[text.index("Neuron-level graph"):text.index("Training:")]
    assert [line.rstrip() for line in section.splitlines()] == [
        *SWEEP_TERMINAL.splitlines(), ""]


def test_sweep_section_after_the_batch(walkthrough):
    latex, markdown = to_latex(walkthrough, standalone=True), to_markdown(walkthrough)
    headings = [r"\subsection*{Batch of 2", r"\subsection*{Neuron-level graph of $C$ for sample 1}",
                r"\subsection*{Training:"]
    assert sorted(headings, key=latex.index) == headings
    headings = ["### Batch of 2", "### Neuron-level graph of $C$ for sample 1", "### Training:"]
    assert sorted(headings, key=markdown.index) == headings
    assert "has 41 nodes and 44 edges" in latex and "has 41 nodes and 44 edges" in markdown
    assert r"\begin{tabular}{llrrl}" in latex
    assert "| node | formula | value | $\\mathrm{d} C/\\mathrm{d} v$ (sweep) | layer level " \
           "(BP1–BP4) |\n| --- | --- | ---: | ---: | --- |" in markdown


def test_sweep_rows_are_backprop_and_the_sweep(walkthrough):
    """The rows show the sweep's adjoints and, beside them, δ and ∂C/∂w of backprop for
    sample 1 (computed apart from the walkthrough)."""
    from symbp.network.backprop import backprop

    spec = load_spec(EXAMPLE)
    r = backprop(spec.network, spec.samples[0])
    sweep = walkthrough.sweep
    latex, markdown = to_latex(walkthrough, standalone=True), to_markdown(walkthrough)
    z = (rf"$z^{{3}}_{{1}}$ & $s^{{3}}_{{13}} + b^{{3}}_{{1}}$ & ${num(r.z[1][0])}$ & "
         rf"${num(sweep.adjoints['z^{3}_{1}'])}$ & $\delta^{{3}}_{{1}} = {num(r.delta[1][0])}$ "
         r"(BP1) \\")
    assert z in latex and num(r.delta[1][0]) == "-0.079754"
    weight = (rf"| $w^{{2}}_{{12}}$ | (input) | $-0.2$ | ${num(sweep.adjoints['w^{2}_{12}'])}$ "
              rf"| $\partial C/\partial w^{{2}}_{{12}} = {num(r.grad_w[0][0][1])}$ (BP4) |")
    assert weight in markdown and num(r.grad_w[0][0][1]) == "-0.00696106"
    hidden = (rf"| $a^{{2}}_{{3}}$ | $\sigma\left(z^{{2}}_{{3}}\right)$ | ${num(r.a[0][2])}$ | "
              rf"${num(sweep.adjoints['a^{2}_{3}'])}$ | "
              rf"$\sum_{{k}} w^{{3}}_{{k3}} \delta^{{3}}_{{k}} = {num(r.grad_a[0][2])}$ |")
    assert hidden in markdown
    assert r"$C$ & $\frac{q_{1}}{2}$ & $" + num(r.cost) + r"$ & $1$ &  \\" in latex
    assert "shows every node and every step of the sweep.)" in latex
    assert "Every step of the sweep" not in latex


def test_sweep_steps_with_full(walkthrough_full):
    latex, markdown = to_latex(walkthrough_full, standalone=True), to_markdown(walkthrough_full)
    fragment = to_latex(walkthrough_full)
    step = walkthrough_full.sweep.steps[9]  # w³₁₃ → p³₁₃
    row = (r"\frac{\mathrm{d} C}{\mathrm{d} w^{3}_{13}} &\mathrel{+}= \frac{\mathrm{d} C}"
           r"{\mathrm{d} p^{3}_{13}} \cdot \frac{\partial p^{3}_{13}}{\partial w^{3}_{13}} = "
           rf"\left({num(step.carried)}\right) \cdot {num(step.partial)} = "
           rf"{num(step.contribution)} && 10.\ w^{{3}}_{{13}} \to p^{{3}}_{{13}}")
    assert (num(step.carried), num(step.partial), num(step.contribution)) == (
        "-0.079754", "0.377541", "-0.0301104")
    for text in (latex, markdown, fragment):
        assert row in text
        assert r"&& 44.\ x_{1} \to p^{2}_{11}" in text
    assert "% sample 1: every step of the sweep" in fragment
    assert "#### Every step of the sweep" in markdown
    # every node of the graph in the sweep's order, x₁ last: 16 inputs (x, y, 9 w, 4 b)
    assert latex.count(r"(input) & $") == 16 and r"$p^{3}_{13}$ & $w^{3}_{13} \cdot" in latex
    table = latex[latex.index(r"\begin{tabular}{llrrl}"):]
    assert table[:table.index(r"\end{tabular}")].splitlines()[-1].startswith(r"$x_{1}$ & (input)")


def test_sweep_table_of_a_wide_network_is_summarized():
    from symbp.network.spec import parse_spec
    from symbp.render.terminal.network import to_text

    spec = parse_spec({"layers": [3, 12, 12, 2], "seed": 3, "learning_rate": 0.3,
                       "samples": [{"x": [1.0, 0.5, -0.2], "y": [1.0, 0.0]}]})
    w = network_walkthrough(spec)
    latex, markdown, text = to_latex(w, standalone=True), to_markdown(w), to_text(w, width=120)
    assert "has 675 nodes and 851 edges" in latex
    assert r"\ldots{} 271 more &  &  &  &  \\" in latex
    assert "| … 271 more |  |  |  |  |" in markdown
    assert "… 271 more nodes (use full=True to show all)" in text
    last = rf"| $w^{{4}}_{{18}}$ | (input) | ${num(w.network.weights[2][0][7])}$ |"
    assert last in markdown


def test_cli_formats(tmp_path):
    result = runner.invoke(app, ["network", "--layers", "2,2,1", "--format", "latex"])
    assert result.exit_code == 0, result.output
    assert LAYER_3 in result.output and r"\documentclass" not in result.output
    result = runner.invoke(app, ["network", "--layers", "2,2,1", "-F", "latex", "--standalone"])
    assert result.output.startswith(r"\documentclass")
    result = runner.invoke(app, ["network", "--spec", str(EXAMPLE), "-F", "markdown"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("## Backpropagation in a 2-3-1 network, step by step")
    tex_file, md_file = tmp_path / "net.tex", tmp_path / "net.md"
    result = runner.invoke(app, ["network", "--spec", str(EXAMPLE), "-o", str(tex_file)])
    assert result.exit_code == 0, result.output
    assert tex_file.read_text().startswith(r"\documentclass")  # -o: standalone by default
    result = runner.invoke(app, ["network", "--layers", "2,2,1", "-o", str(tex_file),
                                 "--fragment"])
    assert tex_file.read_text().startswith("% symbp network")
    result = runner.invoke(app, ["network", "--layers", "2,2,1", "-o", str(md_file)])
    assert result.exit_code == 0, result.output
    assert md_file.read_text().startswith("## Backpropagation in a 2-2-1 network")
    json_file = tmp_path / "net.json"
    runner.invoke(app, ["network", "--layers", "2,2,1", "-o", str(json_file)])
    assert json.loads(json_file.read_text())["mode"] == "derivation"


def test_network_draws_a_picture_and_refuses_code(tmp_path):
    from typer.testing import CliRunner

    from symbp.cli import app

    target = tmp_path / "net.png"
    r = CliRunner().invoke(app, ["network", "--layers", "2,2,1", "-o", str(target)])
    if shutil.which("dot") is None:
        assert r.exit_code == 1 and "install Graphviz" in r.stderr
    else:
        assert r.exit_code == 0 and target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code = tmp_path / "net.py"
    r = CliRunner().invoke(app, ["network", "--layers", "2,2,1", "-o", str(code)])
    assert r.exit_code == 1  # one line naming the formats network writes (symbp.render.formats)
    assert "cannot write .py files" in r.stderr and "-o takes .txt, .json" in r.stderr
    assert not code.exists()


def test_terminal_and_latex_show_the_same_steps():
    """Both renderers format the records of symbp.network.steps: the same rows, the same
    BP labels and the same counts of what a summary leaves out."""
    from symbp.network.spec import parse_spec
    from symbp.network.steps import error_rows, forward_rows, gradient_rows
    from symbp.render.terminal.network import to_text

    spec = parse_spec({"layers": [3, 16, 15, 4], "seed": 5, "learning_rate": 0.1,
                       "samples": [{"x": [0.5, -0.2, 0.9], "y": [0.1, 0.8, 0.3, 0.0]}]})
    w = network_walkthrough(spec, view="neurons")  # the neuron view's steps
    text, latex = to_text(w, width=200), to_latex(w)
    r = w.samples[0]
    steps = [*forward_rows(w.network, r, False), *error_rows(w.network, r, False),
             *gradient_rows(r, False)]
    notes = [f"{g.hidden} more {g.what}" for g in steps if g.hidden]
    assert notes == ["4 more neurons in layer 2", "3 more neurons in layer 3",
                     "3 more in layer 3", "4 more in layer 2", "52 more in layer 4",
                     "243 more in layer 3", "52 more in layer 2"]
    for note in notes:
        count, rest = note.split(" ", 1)
        assert note in text
        assert rf"{count}\ \text{{{rest} (use full=True to show all)}}" in latex
    for label in ("BP1", "BP2", "BP3", "BP4"):
        rows = sum(getattr(row, "label", "") == label for g in steps for row in g.rows)
        assert text.count(f" {label}  ") == rows
        assert latex.count(rf"\text{{{label}}}") == rows


@pytest.mark.skipif(ENGINE is None, reason="no LaTeX engine (pdflatex) installed; the "
                    "documents cannot be compiled here")
def test_a_long_spec_path_still_fits_the_line(tmp_path):
    # the spec's path is printed in \texttt, which never hyphenates: a checkout in
    # /tmp/readme-check/ ran the first paragraph 20 pt into the margin, pytest's own
    # test_a_long_spec_path_still_fi0 folder 41 pt
    folder = tmp_path / "readme-check" / "a-long-directory-name" / "examples"
    folder.mkdir(parents=True)
    spec = folder / "net.json"
    spec.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    document = to_latex(network_walkthrough(load_spec(spec)), standalone=True)
    # breaks after the slashes, and after the - of a long folder name
    assert "readme-check/\\allowbreak{}a-\\allowbreak{}long-\\allowbreak{}directory" in document
    assert_compiles_without_overfull_boxes(document, tmp_path)
