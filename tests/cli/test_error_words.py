"""Errors speak the caller's language: the library names its Python parameters (``at``,
``batch_size``, ``form='nodes'``), the command line the flags (``--at``, ``--batch-size``,
``--form nodes``), from one table (:data:`symbp.cli.options.FLAGS`)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import symbp
from symbp.cli import app
from symbp.cli.options import FLAGS
from symbp.errors import PARAMETER, LimitError, SymbpError

SPEC = "examples/net.json"
DEEP = "y=" + "sin(" * 60 + "x" + ")" * 60

# (Python call, what its message says, the command line, what it prints)
CASES = {
    "at names": (lambda: symbp.explain("e=a*b", at="a=1,c=2"),
                 "at names c, which is not an input; inputs are a, b",
                 ["explain", "e=a*b", "--at", "a=1,c=2"],
                 "--at names c, which is not an input; inputs are a, b"),
    "at missing": (lambda: symbp.explain("e=a*b", at="a=1"),
                   "give every input a value, e.g. at='b=1'",
                   ["explain", "e=a*b", "--at", "a=1"],
                   "give every input a value, e.g. --at b=1"),
    "at pairs": (lambda: symbp.explain("e=a*b", at="a"),
                 "at expects name=value pairs", ["explain", "e=a*b", "--at", "a"],
                 "--at expects name=value pairs"),
    "at twice": (lambda: symbp.explain("e=a*b", at="a=1,a=2,b=1"), "at gives a twice",
                 ["explain", "e=a*b", "--at", "a=1,a=2,b=1"], "--at gives a twice"),
    "domain": (lambda: symbp.explain("e=log(a-b)", at="a=1,b=1"),
               "choose another point with at", ["explain", "e=log(a-b)", "--at", "a=1,b=1"],
               "choose another point with --at"),
    "partial": (lambda: symbp.explain("e=sqrt(a)", at="a=0"),
                "choose another point with at", ["explain", "e=sqrt(a)", "--at", "a=0"],
                "choose another point with --at"),
    "wrt": (lambda: symbp.explain("e=a*b", wrt="c"), "wrt c: not an input",
            ["explain", "e=a*b", "--wrt", "c"], "--wrt c: not an input"),
    "sections": (lambda: symbp.explain("e=a*b", sections=[]), "sections is empty",
                 ["explain", "e=a*b", "--show", ""], "--show is empty"),
    "output": (lambda: symbp.explain("e=a*b", output="zz"), "output 'zz' is not a node",
               ["explain", "e=a*b", "--output", "zz"], "--output 'zz' is not a node"),
    "form": (lambda: symbp.gradient(DEEP, form="inputs"), "form='nodes' writes it",
             ["gradient", DEEP, "--form", "inputs"], "--form nodes writes it"),
    "layers": (lambda: symbp.derive_network("2,x"), "layers: 'x' is not a whole number",
               ["network", "--layers", "2,x"], "--layers: 'x' is not a whole number"),
    "activation": (lambda: symbp.derive_network("2,1", "softplus"), "activation: unknown",
                   ["network", "--layers", "2,1", "--activation", "softplus"],
                   "--activation: unknown"),
    "softmax_hidden": (lambda: symbp.derive_network("2,3,2", "softmax"),
                       "use output_activation='softmax'",
                       ["network", "--layers", "2,3,2", "--activation", "softmax"],
                       "use --output-activation softmax"),
    "log_likelihood": (lambda: symbp.derive_network("2,2", "tanh", "log-likelihood"),
                       "use output_activation='softmax'",
                       ["network", "--layers", "2,2", "--activation", "tanh", "--cost",
                        "log-likelihood"], "use --output-activation softmax"),
    "pair": (lambda: symbp.derive_network("2,1", "tanh", "cross-entropy"),
             "use activation='sigmoid'",
             ["network", "--layers", "2,1", "--activation", "tanh", "--cost", "cross-entropy"],
             "use --activation sigmoid"),
    "max_parameters": (lambda: symbp.derive_network("30,30", max_parameters=10),
                       "max_parameters=930 goes past it",
                       ["network", "--layers", "30,30", "--max-parameters", "10"],
                       "--max-parameters 930 goes past it"),
    "learning_rate": (lambda: symbp.load_spec(SPEC, learning_rate=-1),
                      "net.json: learning_rate: expected a number > 0",
                      ["network", "--spec", SPEC, "--learning-rate", "-1"],
                      "net.json: --learning-rate: expected a number > 0"),
    "batch_size": (lambda: symbp.network_walkthrough(symbp.load_spec(SPEC), epochs=1,
                                                     batch_size=3),
                   "batch_size must be between 1 and the number of samples",
                   ["network", "--spec", SPEC, "--epochs", "1", "--batch-size", "3"],
                   "--batch-size must be between 1 and the number of samples"),
    "max_work": (lambda: symbp.network_walkthrough(symbp.load_spec(SPEC), epochs=100,
                                                   max_work=10),
                 "max_work=8600 to go past it",
                 ["network", "--spec", SPEC, "--epochs", "100", "--max-work", "10"],
                 "--max-work 8600 to go past it"),
}


@pytest.mark.parametrize("case", CASES)
def test_the_library_names_parameters(case):
    call, words, _, _ = CASES[case]
    with pytest.raises(SymbpError) as caught:
        call()
    error = caught.value
    assert words in str(error) and words in error.render()
    assert "--" not in str(error) and PARAMETER not in str(error)
    assert error.parameter in FLAGS


@pytest.mark.parametrize("case", CASES)
def test_the_command_line_names_flags(case):
    _, _, args, words = CASES[case]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert words in result.stderr and PARAMETER not in result.stderr


def test_errors_without_a_parameter_read_the_same_everywhere():
    error = SymbpError("something is wrong")
    assert str(error) == error.message == error.render(FLAGS) == "something is wrong"


def test_an_error_within_a_file_keeps_its_parameter():
    error = LimitError(f"too big; {PARAMETER} goes past it", parameter="max_work", setting=9)
    moved = error.within("net.json: ")
    assert type(moved) is LimitError and moved.parameter == "max_work"
    assert str(moved) == "net.json: too big; max_work=9 goes past it"
    assert moved.render(FLAGS) == "net.json: too big; --max-work 9 goes past it"
    assert str(error) == "too big; max_work=9 goes past it"  # the original is unchanged


SOURCE = Path(symbp.__file__).parent


def _library_modules():
    for path in sorted(SOURCE.rglob("*.py")):
        if not {"cli", "render"} & set(path.relative_to(SOURCE).parts[:-1]):
            yield path


def test_every_parameter_named_in_an_error_has_a_flag():
    named = {m for path in _library_modules()
             for m in re.findall(r'parameter="(\w+)"', path.read_text(encoding="utf-8"))}
    assert named and named <= set(FLAGS)


def test_no_library_error_names_a_flag():
    """No ``raise …(…)`` in the library (outside cli/ and render/) writes a ``--flag``."""
    flag = re.compile(r"--[a-z]")
    found = []
    for path in _library_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                for part in ast.walk(node.exc):
                    if (isinstance(part, ast.Constant) and isinstance(part.value, str)
                            and flag.search(part.value)):
                        found.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    assert not found
