"""Errors in the user's terms: did-you-mean for functions and methods, an output that is an
input or a constant, and every refused Python construct named in plain words."""

from __future__ import annotations

import ast

import pytest
from typer.testing import CliRunner

import symbp
from symbp.cli import app
from symbp.errors import ParseError
from symbp.read.safety import REFUSED, refused


def message(text: str, **kwargs) -> str:
    with pytest.raises(ParseError) as info:
        symbp.parse(text, **kwargs)
    return info.value.message


@pytest.mark.parametrize(("text", "expected"), [
    ("y = sinn(x)", "unknown function sinn — did you mean sin?"),
    ("y = Sin(x)", "unknown function Sin — did you mean sin?"),
    ("y = EXP(x)", "unknown function EXP — did you mean exp?"),
    ("y = Abs(x)", "unknown function Abs — did you mean abs?"),
    ("y = arctan(x)", "unknown function arctan — did you mean atan?"),
    ("y = sigmod(x)", "unknown function sigmod — did you mean sigmoid?"),
    ("y = (a + b).rleu()", "unknown method .rleu() — did you mean .relu()?"),
    ("y = x.Tanh()", "unknown method .Tanh() — did you mean .tanh()?"),
])
def test_did_you_mean(text, expected):
    assert message(text) == expected


def test_a_name_like_nothing_lists_what_is_known():
    text = message("y = frobnicate(x)")
    assert text.startswith("unknown function frobnicate; known functions: abs, acos, asin")
    assert message("y = x.frobnicate()").startswith(
        "unknown method .frobnicate(); known methods: .abs(), .acos()")


def test_calls_with_the_wrong_shape_say_how_to_write_them():
    assert message("y = math.sin(x)") == (
        "write sin(...) without math.: symbp's functions need no module")
    assert message("y = np.exp(x)").startswith("write exp(...) without np.")
    assert message("y = log(x, 2, 3)") == "log takes one or two arguments"
    assert message("y = max(x)") == "max takes two arguments"
    assert message("y = sin(x, y)") == "sin takes one argument"
    assert message("y = x.max()") == "max takes two arguments: write max(x, y), not x.max()"
    assert message("y = x.log(2)") == "methods take no arguments: write log(x, …), not x.log(…)"
    assert message("y = x.relu(2)") == ".relu() takes no arguments: write x.relu() or relu(x)"


@pytest.mark.parametrize(("text", "expected"), [
    ("y = x", "y is just x: there is nothing to differentiate; write an expression of x, "
              "e.g. y = x**2"),
    ("x", "the output is just the input x: there is nothing to differentiate; write an "
          "expression of it, e.g. y = x**2"),
    ("a = 2; b = a", "b is just a: there is nothing to differentiate; write an expression of "
                     "a, e.g. b = a**2"),
    ("y = 3", "y = 3 is a constant: it depends on no input; write an expression of an input, "
              "e.g. y = 2*x"),
    ("e = 2*3", "e = 2*3 is a constant: it depends on no input; write an expression of an "
                "input, e.g. e = 2*x"),
    ("e = 2·3", "e = 2·3 is a constant: it depends on no input; write an expression of an "
                "input, e.g. e = 2*x"),
    ("c = a*b; y = pi/2", "y = pi/2 is a constant: it depends on no input; write an "
                          "expression of an input, e.g. y = 2*x"),
    ("3*2", "3*2 is a constant: it depends on no input; write an expression of an input, "
            "e.g. 2*x"),
])
def test_nothing_to_differentiate_in_the_users_terms(text, expected):
    assert message(text) == expected


def test_the_constant_error_points_at_its_statement():
    with pytest.raises(ParseError) as info:
        symbp.parse("c = a*b\ne = 2*3")
    assert (info.value.line, info.value.column) == (2, 1)


def test_output_naming_an_input():
    assert message("c = a*b", output="a").startswith("the output is just the input a")
    assert message("a = 2; c = a*b", output="a").startswith("a = 2 is a constant")


def test_a_micrograd_program_still_gives_its_inputs_values():
    graph = symbp.parse("a = -4.0; b = 2.0; c = a + b; d = a*b + b**3")
    assert graph.output == "d" and graph.inputs == ("a", "b")


# -- every refused construct, in plain words -----------------------------------------------

ACCEPTED = {
    "Module", "Expression", "Interactive", "FunctionType",  # the parse modes
    "Assign", "AugAssign", "Expr",  # statements
    "BinOp", "UnaryOp", "Call", "Constant", "Name",  # expressions
    "Add", "Sub", "Mult", "Div", "Pow", "BitXor", "USub", "UAdd",  # ^ is the power
}
"""AST node kinds a program may use (everything else is refused in plain words)."""


def _node_kinds() -> set[str]:
    kinds: set[str] = set()
    for base in (ast.stmt, ast.expr, ast.operator, ast.unaryop):
        kinds |= {cls.__name__ for cls in base.__subclasses__()}
    return kinds


def test_every_node_kind_of_this_python_is_accepted_or_in_the_table():
    missing = _node_kinds() - ACCEPTED - set(REFUSED)
    assert not missing, f"add these to symbp.read.safety.REFUSED: {sorted(missing)}"


@pytest.mark.parametrize(("text", "words"), [
    ("import os", "import statements are"),
    ("from os import path", "import statements are"),
    ("def f(x): return x", "function definitions (def) are"),
    ("class A: pass", "class definitions are"),
    ("del x", "del statements are"),
    ("for i in x: pass", "for loops are"),
    ("while x: pass", "while loops are"),
    ("if x: y = 1", "if statements are"),
    ("with x: pass", "with statements are"),
    ("match x:\n    case 1: pass", "match statements are"),
    ("raise x", "raise statements are"),
    ("try: x\nexcept E: pass", "try statements are"),
    ("assert x", "assert statements are"),
    ("global x", "global declarations are"),
    ("pass", "pass statements are"),
    ("y: float = x", "type annotations (x: float = 1) are"),
    ("y = x and b", "and/or are"),
    ("y = (z := x)", "the walrus operator := is"),
    ("y = lambda: x", "lambda functions are"),
    ("y = x if b else 1", "conditional expressions (a if c else b) are"),
    ("y = {1: x}", "dictionaries are"),
    ("y = {x}", "sets are"),
    ("y = [x]", "lists are"),
    ("y = x, b", "tuples (a, b) are"),
    ("y = [i for i in x]", "comprehensions are"),
    ("y = x < b", "comparisons (< == > …) are"),
    ("y = f'{x}'", "strings are"),
    ("y = 'x'", "strings are"),
    ("y = b'x'", "bytes are"),
    ("y = True", "True and False are"),
    ("y = None", "None is"),
    ("y = 2j*x", "complex numbers (1j) are"),
    ("y = x.real", "attribute access (x.y) is"),
    ("y = x[1]", "subscripts (x[i]) are"),
    ("y = sin(*x)", "starred arguments (*x) are"),
    ("y = x % 2", "the operator % is"),
    ("y = x // 2", "the operator // is"),
    ("y = x @ b", "the operator @ is"),
    ("y = x & b", "the operator & is"),
    ("y = x << 2", "the operator << is"),
    ("y = not x", "the operator not is"),
    ("y = ~x", "the operator ~ is"),
])
def test_refused_constructs_are_named_in_plain_words(text, words):
    assert message(text) == (
        f"{words} not allowed: symbp reads arithmetic only (+ - * / ** ^, numbers, names "
        "and functions such as sin(x))")


def test_no_message_shows_a_python_class_name():
    for kind in _node_kinds() - ACCEPTED:
        node = getattr(ast, kind)()
        assert kind not in refused(node), refused(node)  # "import statements", not "ImportFrom"


def test_the_cli_prints_one_line_and_a_caret_and_exits_1():
    r = CliRunner().invoke(app, ["explain", "from os import path"])
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "error: import statements are not allowed: symbp reads arithmetic only (+ - * / ** ^, "
        "numbers, names and functions such as sin(x)) (line 1, column 1)",
        "  from os import path",
        "  ^",
    ]
    r = CliRunner().invoke(app, ["explain", "y = sinn(x)"])
    assert r.exit_code == 1 and "did you mean sin?" in r.stderr and "Traceback" not in r.output


def test_a_huge_constant_is_named_briefly():
    text = message("y = 1" + "0" * 5000)
    assert len(text) < 200 and text.endswith("is a constant: it depends on no input; write an "
                                             "expression of an input, e.g. y = 2*x")
