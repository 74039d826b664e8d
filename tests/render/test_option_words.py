"""Notes and hints name options in the caller's language: a Python caller reads the
parameter (``full=True``), the command line its flag (``--full``) — mapped at the CLI's
edge (errors.options_named), as error messages are (errors.PARAMETER)."""

from __future__ import annotations

from typer.testing import CliRunner

import symbp
from symbp.cli import app
from symbp.cli.options import FLAGS
from symbp.errors import option, options_named

CHAIN = "b=sin(a); c=b*b; d=c*c; e=d*d; f=e*e; g=f*f; h=g*g; k=h*h"


def test_option_is_the_parameter_unless_the_cli_names_flags():
    assert option("full", "full=True") == "full=True"
    assert option("form", "form='inputs'", "inputs") == "form='inputs'"
    with options_named(FLAGS):
        assert option("full", "full=True") == "--full"
        assert option("form", "form='inputs'", "inputs") == "--form inputs"
        # a parameter the CLI has no flag for keeps the library's words
        assert option("unknown", "unknown=1") == "unknown=1"
    assert option("full", "full=True") == "full=True"  # the block ends, so does the mapping


def test_a_summarized_explanation_says_full_true_in_python_and_full_on_the_command_line():
    ex = symbp.explain(CHAIN, at={"a": 1})
    for text in (str(ex), ex.to_markdown(), ex.to_latex()):
        assert "full=True" in text and "--full" not in text
    cli = CliRunner().invoke(app, ["explain", CHAIN, "--at", "a=1", "--width", "100"])
    assert cli.exit_code == 0
    assert "(use --full to show all)" in cli.output and "full=True" not in cli.output
