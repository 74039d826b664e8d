"""The command line, through typer's CliRunner: output, exit codes, errors."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from symbp import __version__
from symbp.cli import app

runner = CliRunner(env={"COLUMNS": "100"})


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_version():
    r = run("--version")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == f"symbp {__version__}"


def test_explain_canonical_terminal_output():
    r = run("explain", "e=(a+b)*(b+1)", "--at", "a=2,b=1")
    assert r.exit_code == 0, r.output
    out = r.stdout
    for expected in (
        "c      a + b     3",
        "∂e/∂c = d       2",
        "a → c → e   ∂c/∂a·∂e/∂c = 1·d = d = 1·2 = 2",
        "sum: de/db = c + d = 5",
        "de/db += ∂e/∂d·dd/db = c·1 = 3·1 = 3",
        "de/da += de/dc·∂c/∂a = d·1 = 2·1 = 2",
        "gradient: de/da = d = b + 1 = 2,  de/db = c + d = a + 2·b + 1 = 5",
        "✓ reverse == finite differences",
    ):
        assert expected in out, expected


def test_output_is_deterministic():
    first = run("explain", "c=a+b; d=b+1; e=c*d", "--at", "a=2", "--at", "b=1").stdout
    second = run("explain", "c=a+b; d=b+1; e=c*d", "--at", "a=2", "--at", "b=1").stdout
    assert first == second


def test_sections_wrt_and_max_paths():
    r = run("explain", "e=(a+b)*(b+1)", "--at", "a=2,b=1", "-s", "paths", "--wrt", "b",
            "--max-paths", "1")
    assert r.exit_code == 0, r.output
    assert "de/db: 2 paths" in r.stdout and "de/da" not in r.stdout
    assert "… 1 more path not shown" in r.stdout  # singular (issue 12)
    assert "Reverse mode" not in r.stdout and "Computational graph" not in r.stdout


def test_program_from_file_and_stdin(tmp_path):
    program = tmp_path / "prog.txt"
    program.write_text("c = a + b\nd = b + 1\ne = c * d\n")
    from_file = run("explain", "-f", str(program), "--at", "a=2,b=1", "-F", "json")
    from_stdin = run("explain", "-", "--at", "a=2,b=1", "-F", "json",
                     input="e=(a+b)*(b+1)")
    assert from_file.exit_code == 0 and from_stdin.exit_code == 0
    assert json.loads(from_file.stdout)["gradient"] == json.loads(from_stdin.stdout)["gradient"]


def test_json_to_file(tmp_path):
    target = tmp_path / "out.json"
    r = run("explain", "e=(a+b)*(b+1)", "--at", "a=2,b=1", "--format", "json", "-o", str(target))
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert json.loads(target.read_text())["gradient"]["b"]["value"] == 5


def test_text_to_file(tmp_path):
    target = tmp_path / "out.txt"
    r = run("explain", "e=(a+b)*(b+1)", "--at", "a=2,b=1", "-o", str(target))
    assert r.exit_code == 0, r.output
    text = target.read_text()
    assert "gradient: de/da = d = b + 1 = 2,  de/db = c + d = a + 2·b + 1 = 5" in text
    assert "\x1b[" not in text  # no colour codes in files


def test_parse_error_is_one_message_with_caret_and_exit_1():
    r = run("explain", "e = a^2 + foo(b)")
    assert r.exit_code == 1
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0].startswith("error: unknown function foo; known functions: abs,")
    assert lines[1:] == ["  e = a^2 + foo(b)", "            ^"]
    assert "Traceback" not in r.output


def test_domain_error_names_the_node():
    r = run("explain", "e = log(a - b)", "--at", "a=1,b=1")
    assert r.exit_code == 1
    assert r.stderr.strip() == (
        "error: e = log(c) is undefined at this point (c = 0): log is defined for positive "
        "numbers only; choose another point with --at")


def test_bad_point_and_names():
    assert run("explain", "e=a*b", "--at", "a=2").exit_code == 1  # b has no value
    r = run("explain", "e=a*b", "--at", "a=2,b=1,z=3")
    assert r.exit_code == 1 and "z" in r.stderr and "not an input" in r.stderr
    r = run("explain", "e=a*b", "--wrt", "q")
    assert r.exit_code == 1 and "not an input" in r.stderr
    r = run("explain", "e=a*b", "--show", "nonsense")
    assert r.exit_code == 1 and "unknown section" in r.stderr


def test_usage_errors_exit_2():
    assert run("explain").exit_code == 2
    assert run("explain", "e=a*b", "--format", "xyz").exit_code == 2
    assert run("explain", "e=a*b", "--max-paths", "-1").exit_code == 2


def test_missing_file_is_a_clear_error(tmp_path):
    r = run("explain", "-f", str(tmp_path / "nope.txt"))
    assert r.exit_code == 1
    assert "cannot read" in r.stderr and "Traceback" not in r.output


def test_nothing_written_on_error(tmp_path):
    target = tmp_path / "out.json"
    r = run("explain", "e = log(a)", "--at", "a=0", "-F", "json", "-o", str(target))
    assert r.exit_code == 1
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_kink_warns_and_states_the_convention():
    r = run("explain", "e = relu(a)*b", "--at", "a=0,b=2", "-s", "checks")
    assert r.exit_code == 0, r.output
    assert "relu'(0) = 0" in r.stdout
    assert "skipped: the point is a kink" in r.stdout


def test_gradient_command():
    r = run("gradient", "e=(a+b)*(b+1)", "--at", "a=2,b=1")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["a: 2", "b: 5"]
    r = run("gradient", "e=(a+b)*(b+1)")
    assert r.stdout.splitlines() == ["a: b + 1", "b: a + 2·b + 1"]


def test_python_dash_m_and_console_script():
    r = subprocess.run([sys.executable, "-m", "symbp", "explain", "e=a*b", "--at", "a=3,b=4",
                        "-F", "json"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["gradient"]["a"]["value"] == 4
    r = subprocess.run([sys.executable, "-m", "symbp", "explain", "e=__import__('os')"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("error: ")


def test_written_files_have_ordinary_permissions(tmp_path):
    import os

    target = tmp_path / "out.json"
    assert run("explain", "e=a*b", "-F", "json", "-o", str(target)).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_help_at_80_columns_names_every_option_in_full():
    """typer lays --help out as a table: one wide cell (a range like ``[40<=x<=1000]``, a
    choice list) once squeezed the help into a 20-column strip and cut long option names
    ("--output-activati…").  Every flag of every command must be printed whole."""
    import re

    narrow = CliRunner(env={"COLUMNS": "80"})
    for name, command in app_commands().items():
        out = narrow.invoke(app, [name, "--help"]).stdout
        widest = max(len(line) for line in out.splitlines())
        assert widest <= 80, (name, widest)
        for param in command.params:
            for flag in param.opts + param.secondary_opts:
                if flag.startswith("--"):
                    assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", out), (name, flag)


def app_commands():
    import typer.main

    group = typer.main.get_command(app)
    return {name: group.get_command(None, name) for name in group.list_commands(None)}


def test_width_is_checked_with_a_short_message():
    for value, words in (("39", "'39' is not in the range 40 to 1000"),
                         ("1001", "'1001' is not in the range 40 to 1000"),
                         ("eighty", "'eighty' is not a whole number of columns"),
                         ("", "'' is not a whole number of columns"),
                         ("9" * 5000, "'99999999999999999999…' is not a whole number")):
        r = run("explain", "e=a*b", "--width", value)
        assert r.exit_code == 2, (value, r.output)
        assert words in " ".join(r.output.replace("│", " ").split()), (value, r.output)
        assert len(r.output) < 1000
    for value in ("40", "1000", " 60 "):
        r = run("explain", "e=a*b", "--at", "a=1,b=2", "--width", value, "-s", "checks")
        assert r.exit_code == 0, (value, r.output)
        assert max(map(len, r.stdout.splitlines())) <= int(value)
