"""``symbp explain --format latex|markdown|dot|python|svg|png``, ``-o`` and ``--standalone``."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

import symbp
from symbp.cli import app

CANONICAL = ["explain", "e=(a+b)*(b+1)", "--at", "a=2,b=1"]
runner = CliRunner()
needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None,
                                    reason="Graphviz (dot) is not installed")


def invoke(*args: str):
    return runner.invoke(app, [*CANONICAL, *args])


@pytest.fixture(scope="module")
def explanation():
    return symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1")


@pytest.mark.parametrize("fmt, method", [
    ("latex", "to_latex"), ("markdown", "to_markdown"), ("dot", "to_dot"),
    ("python", "to_python"),
])
def test_text_formats_print_what_the_api_returns(fmt, method, explanation):
    r = invoke("--format", fmt)
    assert r.exit_code == 0, r.output
    assert r.stdout == getattr(explanation, method)()


def test_latex_on_stdout_is_a_fragment_and_standalone_a_document(explanation):
    r = invoke("-F", "latex")
    assert r.stdout.startswith("% symbp:") and r"\documentclass" not in r.stdout
    r = invoke("-F", "latex", "--standalone")
    assert r.exit_code == 0, r.output
    assert r.stdout == explanation.to_latex(standalone=True)


def test_latex_to_a_file_is_a_document_unless_fragment(tmp_path, explanation):
    notes = tmp_path / "notes.tex"
    r = invoke("-o", str(notes))  # the format follows the suffix
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert notes.read_text(encoding="utf-8") == explanation.to_latex(standalone=True)
    r = invoke("-F", "latex", "--fragment", "-o", str(notes))
    assert notes.read_text(encoding="utf-8") == explanation.to_latex()


@pytest.mark.parametrize("suffix, method", [
    (".md", "to_markdown"), (".dot", "to_dot"), (".py", "to_python"), (".json", "to_json"),
])
def test_the_suffix_picks_the_format(tmp_path, suffix, method, explanation):
    target = tmp_path / f"out{suffix}"
    r = invoke("-o", str(target))
    assert r.exit_code == 0, r.output
    expected = getattr(explanation, method)()
    assert target.read_text(encoding="utf-8").rstrip("\n") == expected.rstrip("\n")


def test_an_explicit_format_wins_over_the_suffix(tmp_path, explanation):
    target = tmp_path / "graph.txt"
    r = invoke("-F", "dot", "-o", str(target))
    assert r.exit_code == 0, r.output
    assert target.read_text(encoding="utf-8") == explanation.to_dot()


def test_python_output_runs(tmp_path):
    target = tmp_path / "staged.py"
    assert invoke("-o", str(target)).exit_code == 0
    namespace: dict = {}
    exec(compile(target.read_text(encoding="utf-8"), str(target), "exec"), namespace)
    assert namespace["forward_backward"](2.0, 1.0) == (6.0, {"a": 2.0, "b": 5.0})


@needs_graphviz
def test_svg_and_png_are_drawn(tmp_path):
    svg, png = tmp_path / "graph.svg", tmp_path / "graph.png"
    r = invoke("-F", "svg", "-o", str(svg))
    assert r.exit_code == 0, r.output
    assert "<svg" in svg.read_text(encoding="utf-8")
    r = invoke("-o", str(png))
    assert r.exit_code == 0, r.output
    assert png.read_bytes()[:4] == b"\x89PNG"
    r = invoke("-F", "svg")
    assert r.exit_code == 0 and "<svg" in r.stdout


def test_png_needs_a_file():
    r = invoke("-F", "png")
    assert r.exit_code == 1
    assert "give the file with -o" in r.stderr
    assert "Traceback" not in r.output


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_missing_graphviz_says_how_to_install_it(fmt, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot program there
    target = tmp_path / f"graph.{fmt}"
    r = invoke("-F", fmt, "-o", str(target))
    assert r.exit_code == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ") and "install Graphviz" in lines[0]
    assert not target.exists()


def test_dot_text_needs_no_graphviz(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    r = invoke("-F", "dot")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("digraph symbp {")


def test_wrt_reaches_the_picture():
    r = invoke("-F", "dot", "--wrt", "a")
    assert r.exit_code == 0, r.output
    assert "the paths from a to e" in r.stdout


def test_sections_reach_latex_and_markdown():
    r = invoke("-F", "latex", "--show", "paths")
    assert r.stdout.count(r"\begin{align*}") == 1
    r = invoke("-F", "markdown", "--show", "cost,checks")
    assert "### Cost" in r.stdout and "### Local partials" not in r.stdout


def test_unknown_format_is_a_usage_error():
    r = invoke("-F", "xyz")
    assert r.exit_code == 2
