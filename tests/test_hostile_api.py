"""Issue 11, the Python API and generated artefacts, tried as a hostile user would.

One section per class of problem: text is never evaluated; names cannot break out of
generated Python, LaTeX, DOT or Markdown; two names never display alike.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import math
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

import symbp
from symbp.core.names import display_key, is_valid_name
from symbp.core.printing import name as shown

PACKAGE = Path(symbp.__file__).parent
SENTINEL = "SYMBP_HOSTILE_RAN"
PAYLOAD = f"__import__('builtins').__setattr__('{SENTINEL}', 1) or x"


@pytest.fixture(autouse=True)
def _nothing_ran():
    yield
    assert not hasattr(builtins, SENTINEL), "user text was executed"


# -- 1. no code execution through the Python API ---------------------------------------------

def test_from_sympy_refuses_text_instead_of_evaluating_it():
    with pytest.raises(symbp.SymbpError, match=r"symbp\.parse"):
        symbp.from_sympy(PAYLOAD)


@pytest.mark.parametrize("function", [symbp.relu, symbp.sigmoid])
def test_symbp_functions_refuse_text(function):
    with pytest.raises(symbp.SymbpError, match="not text"):
        function(PAYLOAD)
    assert function(sympy.Integer(0)) in (0, sympy.Rational(1, 2))


def test_point_values_given_as_text_go_through_the_safe_parser():
    with pytest.raises(symbp.ParseError):
        symbp.explain("a*b", at={"a": PAYLOAD, "b": 1})
    ex = symbp.explain("a*b", at={"a": "1/2", "b": "3"})
    assert ex.gradient["b"].value == sympy.Rational(1, 2)


@pytest.mark.parametrize("node", [
    symbp.Node("a", default=PAYLOAD),
    symbp.Node("a", default=2),  # a Python int: SymPy numbers only, said plainly
])
def test_hand_built_nodes_hold_sympy_numbers_only(node):
    with pytest.raises(symbp.SymbpError, match="SymPy number"):
        symbp.Graph([node, symbp.Node("b", "sin", ("a",))], "b")


def test_operand_constants_must_be_sympy_numbers():
    with pytest.raises(symbp.SymbpError, match="SymPy number"):
        symbp.Graph([symbp.Node("a"), symbp.Node("b", "add", ("a", 2.5))], "b")


def _calls(tree: ast.AST):
    """Each call with the name it calls: ``eval`` for eval(…), ``sympy.S`` for sympy.S(…)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            yield node, (func.id if isinstance(func, ast.Name) else
                         "." + func.attr if isinstance(func, ast.Attribute) else "")


def test_the_package_never_hands_text_to_an_evaluator():
    """The class at its root: no eval/exec/parse_expr anywhere, and every sympify is
    strict (strict=True refuses strings instead of evaluating them)."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for call, called in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(PACKAGE)}:{call.lineno}"
            if called in ("eval", "exec", "compile", "__import__", "parse_expr", ".parse_expr",
                          "S", ".S"):
                offenders.append(f"{where} calls {called}")
            if called in ("sympify", ".sympify") and not any(
                k.arg == "strict" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in call.keywords
            ):
                offenders.append(f"{where} calls sympify without strict=True")
    assert offenders == []


# -- 2. names flowing into generated artefacts -----------------------------------------------

HOSTILE = "\n\r\t \"'\\{}$%<>&|#*_`[]~^:;()=+-./!?@\x00\x1b\u2028\u202eαλאﬁ"
hostile_names = st.text(alphabet=st.sampled_from(list(HOSTILE) + list("abxyz019")),
                        min_size=0, max_size=12)
identifiers = st.text(alphabet=st.sampled_from(list("abxyzAB_019αλﬁאÅ\u0303")),
                      min_size=1, max_size=10).filter(str.isidentifier)


def _explained(names: list[str], point: bool = True):
    """An explanation of y·Σ(n·sin(n)) over the named symbols (all differentiated)."""
    symbols = [sympy.Symbol(n) for n in names]
    y = sympy.Symbol("y")
    expr = y * sum(s * sympy.sin(s) for s in symbols)
    at = {n: sympy.Rational(k + 1, 3) for k, n in enumerate(names)} | {"y": 2} if point else None
    return symbp.explain(expr, at=at), expr, symbols, y


def _python_is_one_function(code: str) -> ast.Module:
    tree = ast.parse(code)
    kinds = []
    for statement in tree.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # the module docstring
        if isinstance(statement, ast.Import):
            assert [a.name for a in statement.names] == ["math"]
            continue
        assert isinstance(statement, ast.FunctionDef), ast.dump(statement)
        kinds.append(statement.name)
    assert kinds[-1] == "forward_backward"
    assert set(kinds[:-1]) <= {"_sigmoid", "_step", "_sign"}
    return tree


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_names)
def test_a_hostile_symbol_name_is_refused_or_harmless(text):
    """Invalid names are refused at the boundary with a SymbpError; valid ones produce
    Python that is one function, runs nothing else and computes the right gradient."""
    assume(text != "y")
    try:
        ex, expr, symbols, y = _explained([text])
    except symbp.SymbpError as error:
        assert not is_valid_name(text) or "display" in str(error)
        return
    assert is_valid_name(text)
    code = ex.to_python()
    _python_is_one_function(code)
    scope: dict = {}
    exec(compile(code, "<generated>", "exec"), scope)  # the test's subject: it must be harmless
    value, grad = scope["forward_backward"](*(float(v) for v in ex.point.values()))
    point = {s: ex.point[s.name] for s in [*symbols, y]}
    assert math.isclose(value, float(expr.subs(point)), rel_tol=1e-12)
    assert math.isclose(grad[text], float(sympy.diff(expr, symbols[0]).subs(point)),
                        rel_tol=1e-12)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(identifiers, min_size=1, max_size=4, unique_by=display_key))
def test_names_give_dot_that_graphviz_reads(names):
    assume(all(display_key(n) != "y" for n in names))  # y is the helper's own input
    ex = _explained(names)[0]
    done = subprocess.run(["dot", "-Tsvg"], input=ex.to_dot().encode(), capture_output=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert b"Warning" not in done.stderr, done.stderr.decode()


def test_markdown_keeps_names_inside_math():
    ex = _explained(["a_b_c", "x__1", "alpha_beta"])[0]
    text = ex.to_markdown()
    assert "a_b_c" not in text.replace("$", " ").split()  # never bare (emphasis) in prose


def _compiles(tmp_path, latex: str) -> None:
    (tmp_path / "t.tex").write_text(latex, encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"],
                          cwd=tmp_path, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout.decode(errors="replace")[-2000:]


TRICKY = ["_", "__", "_x_", "x__", "a__b", "A_", "ﬁ", "א", "x\u0303", "_α_β", "lambda",
          "None", "w^{2}_{1,10}"]


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_tricky_names_give_latex_that_compiles(tmp_path):
    _compiles(tmp_path, _explained(TRICKY, point=False)[0].to_latex(standalone=True))


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@settings(max_examples=2, deadline=None, phases=[Phase.generate],  # pdflatex: keep it short
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(identifiers, min_size=4, max_size=8, unique_by=display_key))
def test_names_give_latex_that_compiles(tmp_path, names):
    assume(all(display_key(n) != "y" for n in names))  # y is the helper's own input
    _compiles(tmp_path, _explained(names, point=False)[0].to_latex(standalone=True))


def test_generated_function_name_is_checked():
    ex = symbp.explain("a*b")
    with pytest.raises(symbp.SymbpError, match="function"):
        symbp.to_python(ex, function="f(): pass\nimport os\ndef g")


# -- 4. two names that display alike ---------------------------------------------------------

@pytest.mark.parametrize("program", [
    "y = alpha*α", "y = x1 + x_1", "y = lamda*lambda_", "y = a*а",  # Latin a, Cyrillic а
    "y = A*Alpha", "y = x_ + x",
])
def test_a_program_with_two_spellings_of_one_display_is_refused(program):
    with pytest.raises(symbp.SymbpError, match="both display as"):
        symbp.parse(program)


def test_from_sympy_refuses_two_symbols_that_display_alike():
    with pytest.raises(symbp.SymbpError, match=r"alpha and α|α and alpha"):
        symbp.from_sympy(sympy.Symbol("alpha") * sympy.Symbol("α"))


def test_generated_names_avoid_the_display_of_user_names():
    """A reassigned x gets versions x_1, x_2, …; with the user's own x1 (shown x₁) in the
    program, the version skips to x_2 rather than showing two x₁."""
    graph = symbp.parse("x = a*2\nx = x + x1\nx = x*x")
    displays = [display_key(n.name) for n in graph.nodes]
    assert len(displays) == len(set(displays))
    assert "x_2" in graph and "x_1" not in graph


fast_names = st.from_regex(
    r"\A[A-Za-z](_?[0-9]{0,3}|(\^\{[0-9]{1,2}\})?_\{[0-9]{1,2}(,[0-9]{1,2})?\})\Z")


@given(fast_names)
def test_display_key_fast_path_agrees_with_the_printer(text):
    assert display_key(text) == shown(text)


# -- 3. API misuse is refused at the door ----------------------------------------------------

SPEC = {"layers": [2, 1], "samples": [{"x": [0.5, -0.5], "y": [1.0]}], "learning_rate": 0.5}


@functools.cache
def _spec():
    return symbp.parse_spec(SPEC)


def _model():
    """A small PyTorch model (None without PyTorch: the importer then says it is missing)."""
    try:
        import torch
    except ImportError:
        return None
    return torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1))


def _mlp():
    """A micrograd MLP (None without micrograd)."""
    try:
        from micrograd.nn import MLP
    except ImportError:
        return None
    return MLP(2, [2, 1])


@functools.cache
def _canonical():
    return symbp.explain("e=(a+b)*(b+1)", at="a=2,b=1")


@pytest.mark.parametrize(("call", "parameter"), [
    (lambda: symbp.explain("a*b", at=5), "at"),
    (lambda: symbp.explain("a*b", wrt=5), "wrt"),
    (lambda: symbp.explain("a*b", max_paths="3"), "max_paths"),
    (lambda: symbp.explain("a*b", full="no"), "full"),
    (lambda: symbp.explain("a*b", sections=5), "sections"),
    (lambda: symbp.gradient("a*b", at=[5]), "at"),
    (lambda: symbp.network_walkthrough("layers"), "spec"),
    (lambda: symbp.network_walkthrough(_spec(), epochs=2.5), "epochs"),
    (lambda: symbp.network_walkthrough(_spec(), epochs=1, batch_size="1"), "batch_size"),
    (lambda: symbp.network_walkthrough(_spec(), on_epoch=5), "on_epoch"),
    (lambda: symbp.derive_network(5), "layers"),
    (lambda: symbp.derive_network("2,1", seed="x"), "seed"),
    (lambda: symbp.to_json("str"), "explanation"),
    (lambda: symbp.to_json(_canonical(), indent="2"), "indent"),
    (lambda: symbp.to_latex(_spec()), "explanation"),
    (lambda: symbp.to_markdown(_canonical(), level="2"), "level"),
    (lambda: symbp.to_dot(None), "explanation"),
    (lambda: symbp.to_python(_canonical(), function=3), "function"),
    (lambda: symbp.load_spec(None), "path"),
    (lambda: symbp.parse_spec(SPEC, seed=1.5), "seed"),
    (lambda: symbp.parse("a*b", share="yes"), "share"),
])
def test_misuse_names_the_parameter(call, parameter):
    with pytest.raises(symbp.ArgumentError, match=rf"\b{parameter} must be") as caught:
        call()
    assert isinstance(caught.value, TypeError)  # what Python's own argument errors are
    assert isinstance(caught.value, symbp.SymbpError)  # what the CLI and users catch


junk = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True),
                 st.text(max_size=5), st.lists(st.integers(-2, 2), max_size=2),
                 st.dictionaries(st.text(max_size=2), st.integers(0, 2), max_size=2),
                 st.just(object()), st.just(b"a*b"), st.just(sympy.Symbol("q")))

CALLS = {
    "explain": lambda kw: symbp.explain(**({"source": "e=(a+b)*(b+1)"} | kw)),
    "gradient": lambda kw: symbp.gradient(**({"source": "a*b", "at": "a=1,b=2"} | kw)),
    "parse": lambda kw: symbp.parse(**({"text": "a*b"} | kw)),
    "from_sympy": lambda kw: symbp.from_sympy(**({"expr": sympy.Symbol("x") ** 2} | kw)),
    "network_walkthrough": lambda kw: symbp.network_walkthrough(**({"spec": _spec()} | kw)),
    "derive_network": lambda kw: symbp.derive_network(**({"layers": "2,1"} | kw)),
    "network_gradient": lambda kw: symbp.network_gradient(**({"spec": _spec()} | kw)),
    "parse_spec": lambda kw: symbp.parse_spec(**({"data": SPEC} | kw)),
    "load_spec": lambda kw: symbp.load_spec(**({"path": "/nonexistent.json"} | kw)),
    "to_json": lambda kw: symbp.to_json(**({"explanation": _canonical()} | kw)),
    "to_latex": lambda kw: symbp.to_latex(**({"explanation": _canonical()} | kw)),
    "to_markdown": lambda kw: symbp.to_markdown(**({"explanation": _canonical()} | kw)),
    "to_dot": lambda kw: symbp.to_dot(**({"explanation": _canonical()} | kw)),
    "to_html": lambda kw: symbp.to_html(**({"explanation": _canonical()} | kw)),
    "to_python": lambda kw: symbp.to_python(**({"explanation": _canonical()} | kw)),
    "network_from_torch": lambda kw: symbp.network_from_torch(**({"model": _model()} | kw)),
    "network_from_micrograd": lambda kw: symbp.network_from_micrograd(**({"mlp": _mlp()} | kw)),
    "Graph": lambda kw: symbp.Graph(**({"nodes": [symbp.Node("a"), symbp.Node(
        "b", "sin", ("a",))], "output": "b"} | kw)),
}
PARAMETERS = sorted((function, parameter) for function, call in CALLS.items()
                    for parameter in __import__("inspect").signature(
                        getattr(symbp, function)).parameters)


def test_every_public_function_is_covered():
    public = {n for n in symbp.__all__ if (callable(getattr(symbp, n))
              and not isinstance(getattr(symbp, n), type)) or n == "Graph"}
    assert public - set(CALLS) == set()  # (relu, sigmoid are SymPy classes: tested above)


@pytest.mark.parametrize(("function", "parameter"), PARAMETERS)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=junk)
def test_junk_arguments_raise_symbp_errors_only(function, parameter, value):
    """Any value for any parameter of a public function either works or raises a
    SymbpError (one line for the CLI and users) — never an error from deep inside."""
    with contextlib.suppress(symbp.SymbpError):
        CALLS[function]({parameter: value})


# -- 6. empty selections are errors, not empty output ----------------------------------------

@pytest.mark.parametrize("kwargs", [{"wrt": []}, {"wrt": ""}, {"wrt": " , "},
                                    {"sections": []}, {"sections": ""}])
def test_an_empty_selection_is_refused(kwargs):
    with pytest.raises(symbp.SymbpError, match="is empty"):
        symbp.explain("e=(a+b)*(b+1)", **kwargs)


@pytest.mark.parametrize("option", ["--wrt", "--show"])
def test_cli_empty_selection_is_one_line_and_exit_1(option):
    from typer.testing import CliRunner

    from symbp.cli import app

    result = CliRunner().invoke(app, ["explain", "e=(a+b)*(b+1)", option, ""])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "is empty" in result.output


# -- 5. user text reaches the terminal as written ---------------------------------------------

ON_SCREEN = [*"ab1 +*()[]/:x", "[bold]", "[/]", ":x:", ":smile:", "中", "😀", "\u0301",
             "\x1b[31m", "\t", "\u202e", "é"]


def _caret_targets(rendered: str) -> list[str]:
    """The displayed characters that start in the cell the caret points at, found by rich's
    own cell widths: the character drawn there and any zero-width one (a combining accent)
    beside it, since both start at that cell."""
    from rich.cells import cell_len

    *_, source, caret = rendered.split("\n")
    target, cell, found = caret.index("^"), 0, []
    for char in source:
        if cell == target:
            found.append(char)
        cell += cell_len(char)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ON_SCREEN), max_size=8).map("".join))
@example("a\u0301)")  # an accent that joins the name before it: the caret is under the ')'
def test_errors_print_user_text_as_written_with_the_caret_under_its_column(junk):
    """Rich markup ([bold]) and emoji codes (:x:) print literally; control characters are
    shown as escapes; the caret stands under the offending character however wide the
    characters before it are."""
    from typer.testing import CliRunner

    from symbp.cli import app
    from symbp.errors import visible

    program = f"e = {junk} a $ b"
    with pytest.raises(symbp.ParseError) as caught:
        symbp.parse(program)
    error = caught.value
    expected = "error: " + error.render()
    result = CliRunner().invoke(app, ["explain", program])
    assert result.exit_code == 1
    assert result.output == expected + "\n"  # nothing interpreted, nothing added
    if error.column is not None and error.source_line is not None:
        offending = visible(error.source_line[error.column - 1])
        targets = _caret_targets(expected)
        assert any(offending.startswith(target) for target in targets), (offending, targets)


@pytest.mark.parametrize("argv", [
    ["explain", "e=a*b", "--wrt", "[bold]:x:"],
    ["explain", "e=a*b", "--at", "a=1,b=:x:[red]"],
    ["explain", "-f", "[bold]:x:.txt"],
    ["network", "--spec", "[bold]:x:.json"],
])
def test_option_values_in_messages_print_as_written(argv):
    from typer.testing import CliRunner

    from symbp.cli import app

    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 1
    assert ":x:" in result.output and "❌" not in result.output
    assert "[bold]" in result.output or "[red]" in result.output
