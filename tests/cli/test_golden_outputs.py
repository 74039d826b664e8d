"""Every command's output, byte for byte: the pin that lets the code be reorganised.

Each case runs the CLI in-process and compares its stdout, stderr and exit code with
``tests/cli/golden/<case>.txt``.  A difference fails with a unified diff.  When an output
changes on purpose, regenerate and say so in the commit::

    SYMBP_GOLDEN=update python -m pytest tests/cli/test_golden_outputs.py

The cases cover every format of ``explain`` on programs that reach each kind of section
(sharing, kinks, floats, symbolic, long chains, path explosion), ``gradient``, ``network``
in every format (derivation and walkthrough, training), and a few errors.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbp.cli import app

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
NET = "examples/net.json"

PROGRAMS = {
    "canon": ["e=(a+b)*(b+1)", "--at", "a=2,b=1"],
    "canon_sym": ["e=(a+b)*(b+1)"],
    "double": ["y=a+a", "--at", "a=3"],
    "funcs": ["y = sigmoid(x)*relu(x) + softplus(x) + log1p(x) + max(x,2)", "--at", "x=0.5"],
    "chain": ["b=sin(a); c=b*b; d=c*c; e=d*d; f=e*e; g=f*f; h=g*g; k=h*h", "--at", "a=1"],
    "explode": ["x1=x*x+x; x2=x1*x1+x1; x3=x2*x2+x2; x4=x3*x3+x3", "--at", "x=1"],
    "wide": ["y=" + "+".join(f"a{i}*b{i}" for i in range(6))],
    "kink": ["y=relu(x)+abs(x)", "--at", "x=0"],
    "float": ["z=x*y+exp(x)", "--at", "x=0.1,y=2.5"],
    "wrt": ["e=(a+b)*(b+1)", "--at", "a=2,b=1", "--wrt", "b", "--show", "paths,reverse"],
}
FORMATS = {
    "rich": ["-F", "rich", "--width", "100"],
    "ascii": ["-F", "rich", "--width", "100", "--ascii"],
    "json": ["-F", "json"],
    "latex": ["-F", "latex"],
    "standalone": ["-F", "latex", "--standalone"],
    "markdown": ["-F", "markdown"],
    "dot": ["-F", "dot"],
    "python": ["-F", "python"],
}
NETWORKS = {
    "d231": ["--layers", "2,3,1"],
    "d2321_tanh": ["--layers", "2,3,2,1", "-a", "tanh"],
    "d22_ce": ["--layers", "2,2", "-c", "cross-entropy"],
    "d342_relu_full": ["--layers", "3,4,2", "-a", "relu", "--full"],
    "d232_relu_identity": ["--layers", "2,3,2", "-a", "relu", "--output-activation",
                           "identity"],
    "d233_softmax_ll": ["--layers", "2,3,3", "-a", "relu", "--output-activation", "softmax",
                        "-c", "log-likelihood"],
    "d23_softmax_quadratic": ["--layers", "2,3", "-a", "softmax"],
    "spec": ["--spec", NET],
    "spec_train": ["--spec", NET, "--epochs", "5", "--batch-size", "1"],
    "spec_full": ["--spec", NET, "--full", "--epochs", "3"],
}
ERRORS = {
    "error_at": ["explain", "e=a*b", "--at", "a=1,c=2"],
    "error_batch_size": ["network", "--spec", NET, "--batch-size", "9", "--epochs", "1"],
    "error_layers": ["network", "--layers", "2,x"],
    "error_format": ["network", "--layers", "2,1", "-F", "python"],
    "error_parse": ["explain", "y = sinn(x)"],
    "help_explain": ["explain", "--help"],
    "help_network": ["network", "--help"],
}


def _cases() -> dict[str, list[str]]:
    cases = {}
    for name, args in PROGRAMS.items():
        for fmt, options in FORMATS.items():
            cases[f"explain_{name}_{fmt}"] = ["explain", *args, *options]
        cases[f"explain_{name}_full"] = ["explain", *args, "--full", "--width", "100"]
        cases[f"gradient_{name}"] = ["gradient", *args[:3]]
    for name, args in NETWORKS.items():
        for fmt in ("rich", "ascii", "json", "latex", "standalone", "markdown"):
            cases[f"network_{name}_{fmt}"] = ["network", *args, *FORMATS[fmt]]
    cases.update(ERRORS)
    return cases


CASES = _cases()


def _run(args: list[str]) -> str:
    result = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}).invoke(app, args)
    return (f"$ symbp {' '.join(args)}\n--stdout--\n{result.stdout}--stderr--\n"
            f"{result.stderr}--exit {result.exit_code}\n")


@pytest.mark.parametrize("case", sorted(CASES))
def test_output_is_byte_identical(case, monkeypatch):
    monkeypatch.chdir(ROOT)
    got = _run(CASES[case])
    path = GOLDEN / f"{case}.txt"
    if os.environ.get("SYMBP_GOLDEN") == "update":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    want = path.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                            f"golden/{case}.txt", "now", n=2))
        pytest.fail(f"{case} changed (SYMBP_GOLDEN=update regenerates):\n{diff[:6000]}")


def test_every_golden_file_has_a_case():
    """A case renamed or removed leaves no stale file behind that nothing checks."""
    assert sorted(p.stem for p in GOLDEN.glob("*.txt")) == sorted(CASES)
