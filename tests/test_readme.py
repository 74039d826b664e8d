"""The README shows real output and working code: both are checked here."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import symbp
from symbp.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_quickstart_commands_are_the_two_documented_ones():
    commands = [b.strip() for b in blocks("bash")][:2]
    assert commands == [
        "pip install -e '.[dev]' && symbp explain \"e=(a+b)*(b+1)\" --at a=2,b=1",
        "python -m pytest",
    ]


def test_extras_named_exist():
    """Every ``.[extra]`` the README installs is an extra of pyproject.toml, and the
    notebook extra brings Jupyter, which the README's command then runs."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = pyproject.split("[project.optional-dependencies]")[1].split("\n[")[0]
    extras = dict(re.findall(r"^(\w+) = \[(.*?)\]", section, flags=re.M | re.S))
    named = set(re.findall(r"pip install (?:-e )?'\.\[(\w+)\]'", README))
    assert {"dev", "notebook"} <= named <= set(extras)
    assert re.search(r'"(notebook|jupyterlab)\b', extras["notebook"])


def test_output_excerpt_is_what_symbp_prints():
    excerpt = blocks("text")[0]
    actual = str(symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1"))
    for line in excerpt.splitlines():
        assert line.rstrip() in actual, line


def test_python_example_runs_and_its_comments_are_true():
    code = blocks("python")[0]
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # our own documentation, not user input
    ex = namespace["ex"]
    assert ex.gradient["b"].value == 5
    assert str(ex.gradient["b"].expr) == "c + d"
    assert ex.paths["b"].count == 2
    assert (ex.cost.reverse.mul, ex.cost.reverse.add) == (3, 1)
    assert ex.ok
    assert str(symbp.gradient("e=(a+b)*(b+1)")) == "{'a': b + 1, 'b': a + 2*b + 1}"
    assert symbp.gradient("e=(a+b)*(b+1)", at={"a": 2, "b": 1}) == {"a": 2, "b": 5}
    assert namespace["graph"].output == "e"


# -- every command and code block of the README runs as written -------------------------------

ROOT = Path(__file__).parent.parent
COLUMNS = "80"  # what a student's terminal shows
NOT_RUN_HERE = {
    "pip install -e '.[dev]'": "the install is what CI does before running these tests",
    "python -m pytest": "the test suite: this very run",
    "pip install .": "the user install: .ci/run installs it in a venv of its own and runs it",
    "pip install '.[notebook]'": "an extra of pyproject.toml (test_extras_named_exist)",
    "jupyter notebook examples/tutorial.ipynb": "opens a browser; tests/test_notebook.py "
                                                 "executes the notebook in a kernel",
}


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A folder that looks like the repository to a command (examples/ is there) and takes
    whatever the command writes."""
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_command(command: str, cwd: Path) -> str:
    """One documented command, as a user would type it; its output (stdout and stderr)."""
    argv = shlex.split(command)
    if argv[0] == "symbp":
        result = CliRunner(env={"COLUMNS": COLUMNS}).invoke(app, argv[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"
        return result.output
    if argv[0] == "python":
        done = subprocess.run([sys.executable, *argv[1:]], cwd=cwd, capture_output=True,
                              text=True, encoding="utf-8", timeout=120,
                              env={**os.environ, "COLUMNS": COLUMNS})
        assert done.returncode == 0, f"{command}\n{done.stderr}"
        return done.stdout + done.stderr
    raise AssertionError(f"the README shows a command the tests cannot run: {command}")


def console_sessions() -> list[tuple[str, list[str]]]:
    """Each ``$ command`` of the ```console blocks with the output lines shown under it."""
    sessions: list[tuple[str, list[str]]] = []
    for block in blocks("console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                sessions.append((line[2:], []))
            elif line.strip() and line.strip() != "…":
                assert sessions, f"output before any command in a console block: {line}"
                sessions[-1][1].append(line.rstrip())
    return sessions


def test_the_readme_has_console_sessions_for_every_command():
    commands = [shlex.split(c)[:2] for c, _ in console_sessions()]
    for command in (["symbp", "explain"], ["symbp", "gradient"], ["symbp", "network"]):
        assert command in commands


@pytest.mark.parametrize("command, expected", console_sessions(),
                         ids=[c for c, _ in console_sessions()])
def test_console_command_prints_what_the_readme_shows(command, expected, sandbox):
    if "-o graph.svg" in command and shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed (apt-get install graphviz)")
    output = run_command(command, sandbox)
    for line in expected:
        assert line in output, f"{command}: {line!r} not in its output"
    if "-o graph.svg" in command:
        assert (sandbox / "graph.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    if "-o notes.tex" in command:
        assert r"\begin{document}" in (sandbox / "notes.tex").read_text(encoding="utf-8")


def test_bash_blocks_run(sandbox):
    """The quickstart: its symbp command runs; installing and the test run itself are what
    CI does around this test."""
    ran = 0
    for block in blocks("bash"):
        for line in block.strip().splitlines():
            for command in (part.strip() for part in line.split("&&")):
                if command in NOT_RUN_HERE:
                    continue
                output = run_command(command, sandbox)
                assert "✓ reverse == sympy.diff" in output
                ran += 1
    assert ran >= 1


def run_python_block(code: str) -> int:
    """Execute a ```python block statement by statement; an expression whose line ends in
    ``# → RESULT`` must give RESULT (str or repr; a note in parentheses after two spaces is
    not part of it).  Returns how many results were compared."""
    namespace: dict = {}
    tree = ast.parse(code)
    lines = code.splitlines()
    compared = 0
    for node in tree.body:
        comment = re.search(r"#\s*→\s*(.*)$", lines[node.end_lineno - 1])
        if comment is None:
            exec(compile(ast.Module([node], type_ignores=[]), "README.md", "exec"), namespace)
            continue
        assert isinstance(node, ast.Expr), f"'# →' after a statement: {ast.unparse(node)}"
        value = eval(compile(ast.Expression(node.value), "README.md", "eval"), namespace)
        expected = re.split(r"\s{2,}\(", comment[1])[0].strip()
        assert expected in (str(value), repr(value)), f"{ast.unparse(node)}: {value!r}"
        compared += 1
    return compared


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_python_block_runs_and_its_results_are_true(index, sandbox, capsys):
    code = blocks("python")[index]
    compared = run_python_block(code)
    assert compared == code.count("# →")
    assert compared >= 1


def test_every_picture_of_the_gallery_is_checked_in_and_small():
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert len(pictures) >= 4
    for picture in pictures:
        path = ROOT / picture
        assert path.is_file(), picture
        assert 0 < path.stat().st_size < 300_000, picture


def test_tutorial_table_lists_every_example():
    listed = set(re.findall(r"`(examples/[^`]+\.(?:py|ipynb))`", README))
    present = {f"examples/{p.name}" for p in (ROOT / "examples").glob("[0-9][0-9]_*.py")}
    assert present and present <= listed
    assert "examples/tutorial.ipynb" in listed
    assert all((ROOT / name).exists() for name in listed)


def test_make_gallery_regenerates_the_pictures(tmp_path):
    """scripts/make_gallery.py, run from a copy of the repository's layout: every picture
    whose tools are installed is made, each under 300 KB."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "make_gallery.py", tmp_path / "scripts")
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    done = subprocess.run([sys.executable, "scripts/make_gallery.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    made = {p.name for p in (tmp_path / "docs" / "images").iterdir()}
    assert "terminal.svg" in made
    if shutil.which("dot"):
        assert "graph.svg" in made
    if shutil.which("pdflatex") and shutil.which("pdftoppm"):
        assert "latex.png" in made
    if shutil.which("chromium") and importlib.util.find_spec("playwright"):
        assert {"stepper.png", "network.png"} <= made
    for picture in (tmp_path / "docs" / "images").iterdir():
        assert picture.stat().st_size < 300_000, picture.name
