"""Hostile inputs at symbp's limits (issue 11, the "limits" classes): integers past
Python's 4,300-digit conversion limit, deep nesting, long runs of signs, astronomically
many paths, and inputs that would hang.  Each either works or is one line naming
symbp's own limit; never a traceback.

No timed tests: sizes are chosen small but past the limit that used to break, and the
CLI runs in a subprocess with a generous timeout only as a hang guard.
"""

from __future__ import annotations

import json
import subprocess
import sys

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import symbp
from symbp.core.arithmetic import MAX_EXACT_BITS
from symbp.core.printing import magnitude
from symbp.limits import MAX_LITERAL_DIGITS, SYMBOLIC_DEPTH, long_int_text
from symbp.render.terminal import explain as terminal
from symbp.render.terminal import explain_pieces as terminal_pieces
from symbp.render.tex import math as texmath

runner = CliRunner()


def cli(*args: str, timeout: float = 60):
    """Run ``symbp`` in a fresh interpreter (Python's default int digit limit applies)."""
    return subprocess.run([sys.executable, "-m", "symbp", *args], capture_output=True,
                          text=True, timeout=timeout)


def one_line_error(result) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout[-500:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: "), result.stderr[-2000:]
    # a parse error may add the source line and a caret under the column, nothing else
    assert len(lines) == 1 or (len(lines) == 3 and lines[2].strip() == "^"), lines
    return lines[0]


# -- path counts of any size ------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10**5000))
def test_magnitude_matches_high_precision_arithmetic(n):
    mantissa, exponent = magnitude(n)
    with mpmath.workdps(30):
        reference = mpmath.mpf(n)
        true_exponent = int(mpmath.floor(mpmath.log10(reference)))
        true_mantissa = reference / mpmath.mpf(10) ** true_exponent
    digits = mantissa.replace(".", "")
    assert len(digits) <= 4 and 1 <= float(mantissa) < 10
    # rounding to 4 significant digits can carry into the next power of ten (9.9996 → 10.00)
    value = mpmath.mpf(mantissa) * mpmath.mpf(10) ** exponent
    assert abs(value - reference) <= mpmath.mpf(10) ** (true_exponent - 3) / 2 * 1.000001
    assert exponent in (true_exponent, true_exponent + 1)
    if exponent == true_exponent:
        assert abs(mpmath.mpf(mantissa) - true_mantissa) <= mpmath.mpf("0.0005") * 1.000001


def test_counts_beyond_floats_print_their_magnitude_exactly():
    assert terminal_pieces.count(2**3000) == "2^3000 ≈ 1.23·10^903"
    assert terminal_pieces.count(3**2000) == "≈ 1.748·10^954"
    assert terminal_pieces.count(10**15 - 1) == "999,999,999,999,999"
    assert texmath.count(2**3000) == r"2^{3000} \approx 1.23 \cdot 10^{903}"


def doubling_chain(levels: int) -> str:
    """x{i+1} = x{i}·x{i}: two edges per level, so 2^levels paths from x0."""
    return "\n".join(f"x{i + 1} = x{i}*x{i}" for i in range(levels))


def test_every_format_shows_a_path_count_beyond_floats():
    ex = symbp.explain(doubling_chain(1100), at="x0=0.999")
    count = ex.paths["x0"].count
    assert count == 2**1100  # exact, by dynamic programming
    assert "2^1100 ≈ 1.358·10^331 paths" in str(ex)
    assert r"2^{1100} \approx 1.358 \cdot 10^{331}" in ex.to_latex()
    assert r"2^{1100} \approx 1.358 \cdot 10^{331}" in ex.to_markdown()
    doc = json.loads(ex.to_json())
    assert doc["paths"]["x0"]["count"] == str(2**1100)  # exact digits (beyond 2^53: a string)
    assert doc["cost"]["forward"] == {"mul": 2198, "add": 1100}  # 2 seed products are free
    assert isinstance(doc["cost"]["paths"]["mul"], str)  # ~1100·2^1100 products
    ex.to_dot(), ex.to_python()  # neither formats the count, neither may fail


# -- integers past Python's 4,300-digit conversion limit ----------------------------------------

def test_python_limit_is_restored_after_symbp_converts():
    before = sys.get_int_max_str_digits()
    text = symbp.explain("y = a*2", at=f"a=10**{4500}").to_json()
    assert "2" + "0" * 4500 in text  # y = 2·10^4500, exact
    assert sys.get_int_max_str_digits() == before


def test_cli_explain_at_a_5000_digit_integer_works():
    result = cli("explain", "y=a*2", "--at", "a=10**5000", "-F", "json")
    assert result.returncode == 0, result.stderr[-2000:]
    doc = json.loads(result.stdout, parse_int=str)  # a 5,000-digit value: beyond Python's
    assert doc["gradient"]["a"]["value"] == "2"      # default json.loads limit


def test_cli_gradient_with_a_big_hex_literal_prints_the_exact_value():
    hex_digits = "f" * 4000  # 16,000 bits: 4,817 decimal digits
    result = cli("gradient", f"y = a*0x{hex_digits}", "--exact")
    assert result.returncode == 0, result.stderr[-2000:]
    with long_int_text():  # this test's own conversion needs the limit lifted too
        assert result.stdout.strip() == f"a: {int(hex_digits, 16)}"


def big_integer_places(n: int) -> dict:
    """Every place an integer can enter symbp, with ``n`` in it."""
    with long_int_text():  # the test's own conversion (symbp lifts it for itself)
        digits = str(n)
    return {
        "decimal literal": lambda: symbp.explain(f"y = a*{digits}", at="a=1").to_json(),
        "hex literal": lambda: symbp.explain(f"y = a*{hex(n)}", at="a=1").to_json(),
        "--at text": lambda: symbp.explain("y = a*2", at=f"a={digits}").to_json(),
        "--at power": lambda: symbp.explain("y = a*2", at=f"a=10**{len(digits)}").to_json(),
        "at= int": lambda: str(symbp.explain("y = a + 1", at={"a": n})),
        "at= SymPy": lambda: symbp.to_latex(symbp.explain("y = a + 1",
                                                            at={"a": sympy.Integer(n)})),
        "gradient": lambda: symbp.gradient(f"y = a*{digits}", at="a=3/2"),
        "spec learning rate": lambda: symbp.parse_spec(spec(learning_rate=n)),
        "spec weight": lambda: symbp.parse_spec(spec(weight=n)),
        "spec sample": lambda: symbp.parse_spec(spec(x=n)),
    }


def spec(learning_rate=0.5, weight=0.1, x=1.0) -> dict:
    return {"layers": [1, 1], "learning_rate": learning_rate, "weights": [[[weight]]],
            "biases": [[0.0]], "samples": [{"x": [x], "y": [1.0]}]}


LIMIT_WORDS = (f"{MAX_EXACT_BITS:,} bits", f"{MAX_LITERAL_DIGITS:,} digits", "float range")


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=300, max_value=8000), st.integers(min_value=1, max_value=9),
       st.integers(min_value=0, max_value=10**30))
def test_huge_integers_anywhere_work_or_name_symbps_limit(digits, lead, tail):
    n = lead * 10 ** (digits - 1) + tail  # drawn by size (hypothesis cannot print it)
    for place, run in big_integer_places(n).items():
        try:
            run()
        except symbp.SymbpError as error:
            assert any(word in str(error) for word in LIMIT_WORDS), (place, str(error))


def test_spec_file_with_a_400_digit_learning_rate_is_one_line(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(spec(learning_rate=int("1" * 400))))
    line = one_line_error(cli("network", "--spec", str(path)))
    assert "learning_rate" in line and "float range" in line


def test_spec_file_with_a_5000_digit_sample_is_one_line(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(spec()).replace('"x": [1.0]', '"x": [' + "7" * 5000 + "]"))
    line = one_line_error(cli("network", "--spec", str(path)))
    assert "samples[0].x[0]" in line and "float range" in line


def test_a_literal_past_the_limit_is_refused_before_python_converts_it():
    line = one_line_error(cli("explain", "y = a*" + "9" * (MAX_LITERAL_DIGITS + 1)))
    assert f"{MAX_LITERAL_DIGITS:,} digits" in line


# -- runs of signs ------------------------------------------------------------------------------

def test_100000_minus_signs_in_at_are_one_line():
    line = one_line_error(cli("explain", "y=a*2", "--at", "a=" + "-" * 100_000 + "1"))
    assert "150 signs" in line and len(line) < 300


def test_100000_minus_signs_in_a_program_are_one_line():
    line = one_line_error(cli("gradient", "y = a*" + "-" * 100_000 + "1"))
    assert "150 signs" in line


@pytest.mark.parametrize("signs", [149, 150])
def test_signs_up_to_the_limit_are_read_correctly(signs):
    value = symbp.gradient("y = a*2", at="a=" + "-" * signs + "3")
    assert value == {"a": 2}
    ex = symbp.explain("y = a*" + "-" * signs + "3", at="a=1")
    assert ex.gradient["a"].value == (-3 if signs % 2 else 3)


# -- deep graphs: written out up to SYMBOLIC_DEPTH, in node names beyond ----------------------

def nested(function: str, depth: int) -> str:
    return "y = " + f"{function}(" * depth + "x" + ")" * depth


def chain_program(lines: int) -> str:
    return "\n".join(f"x{i + 1} = x{i}*y0 + sin(x{i})" for i in range(lines))


def diamond_program(layers: int) -> str:
    lines = ["x0 = a*b"]
    for i in range(layers):
        lines += [f"p{i} = x{i}*2", f"q{i} = x{i}+1", f"x{i + 1} = p{i}*q{i}"]
    return "\n".join(lines)


def test_depth_counts_levels_of_the_written_out_expression():
    assert symbp.parse(nested("sin", 140)).depth() == 140
    assert symbp.parse(chain_program(1000)).depth() == 2000  # x·y0, then + per line
    assert symbp.parse("y = a + b").depth() == 1


def test_140_nested_sines_explain_at_a_point():
    result = cli("explain", nested("sin", 140), "--at", "x=1", "-F", "json", timeout=30)
    assert result.returncode == 0, result.stderr[-2000:]
    doc = json.loads(result.stdout)
    with mpmath.workdps(30):  # d/dx sin^n(x) = Π cos(sin^k(x)), k = 0 … n-1
        value, slope = mpmath.mpf(1), mpmath.mpf(1)
        for _ in range(140):
            slope *= mpmath.cos(value)
            value = mpmath.sin(value)
    assert float(doc["gradient"]["x"]["float"]) == pytest.approx(float(slope), rel=1e-12)


def test_150_chained_powers_explain_at_a_point():
    # T = x^x^…^x: T' = T·(T_below'·log x + T_below/x), which is 1 at x = 1 for any height
    result = cli("explain", "y = " + "**".join(["x"] * 151), "--at", "x=1", "-F", "json",
                 timeout=30)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["gradient"]["x"]["value"] in (1, "1")


def test_explain_symbolic_of_a_deep_graph_says_why_it_is_not_written_out():
    ex = symbp.explain(nested("sin", 40))
    assert not ex.symbolic
    assert any("nested 40 levels deep" in note and str(SYMBOLIC_DEPTH) in note
               for note in ex.notes)
    assert symbp.explain(nested("sin", SYMBOLIC_DEPTH)).symbolic


def resolved(result) -> dict:
    """The node-name gradient with every adjoint and node substituted back: in the inputs
    (a tree as deep as the graph: for small graphs only)."""
    graph = result.graph
    adjoints: dict = {}
    for symbol, definition in result.where:  # output first: each uses the ones before
        adjoints[symbol] = definition.xreplace(adjoints)
    nodes = {graph.symbols[n.name]: graph.formula(n.name) for n in graph.nodes
             if not n.is_input}
    out = {}
    for x, value in result.items():
        value = value.xreplace(adjoints)
        while value.free_symbols & nodes.keys():
            value = value.xreplace(nodes)
        out[x] = value
    return out


@pytest.mark.parametrize("program", [chain_program(3), diamond_program(3),
                                     "c = a*b\nd = c + a\ne = sin(d)*c"])
def test_node_form_substituted_back_is_sympy_diff(program):
    result = symbp.gradient(program, form="nodes")
    assert result.form == "nodes" and result.where
    graph = result.graph
    f = graph.expression()
    for x, value in resolved(result).items():
        assert sympy.simplify(value - sympy.diff(f, graph.symbols[x])) == 0, x


def test_auto_form_writes_a_deep_chain_in_node_names():
    program = chain_program(20)  # 40 levels deep
    result = symbp.gradient(program)
    assert result.form == "nodes" and result.depth == 40
    assert any(c.name == "reverse == finite differences" and c.passed for c in result.checks)
    # an independent oracle: the chain in mpmath, central differences at (x0, y0)
    graph, point = result.graph, {"x0": mpmath.mpf("0.3"), "y0": mpmath.mpf("0.7")}

    def f(x0, y0):
        for _ in range(20):
            x0 = x0 * y0 + mpmath.sin(x0)
        return x0

    with mpmath.workdps(40):
        expected = {"x0": mpmath.diff(lambda t: f(t, point["y0"]), point["x0"]),
                    "y0": mpmath.diff(lambda t: f(point["x0"], t), point["y0"])}
        # the node-name form evaluated in order: nodes forward, adjoints from the output
        env = {graph.symbols[x]: sympy.Float(str(v), 40) for x, v in point.items()}
        for node in graph.nodes:
            if not node.is_input:
                env[graph.symbols[node.name]] = graph.formula(node.name).xreplace(env).evalf(40)
        for symbol, definition in result.where:
            env[symbol] = definition.xreplace(env).evalf(40)
        for x, value in result.items():
            assert abs(value.xreplace(env).evalf(40) - sympy.Float(str(expected[x]), 40)) \
                < 1e-20, x
    assert symbp.gradient(chain_program(3)).form == "inputs"


def test_forced_inputs_form_of_a_deep_graph_names_the_limit():
    with pytest.raises(symbp.SymbpError, match=f"at most {SYMBOLIC_DEPTH} levels.*"
                       "form='nodes'"):
        symbp.gradient(chain_program(20), form="inputs")
    with pytest.raises(symbp.SymbpError, match="form must be one of"):
        symbp.gradient("y = a", form="tree")


def test_cli_gradient_of_a_1000_line_chain_is_in_node_names(tmp_path):
    path = tmp_path / "chain.txt"
    path.write_text(chain_program(1000))
    result = cli("gradient", "-f", str(path), timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# written in node names (in the inputs it would be nested "
                               "2,000 levels deep")
    assert "dx₁₀₀₀/dx₉₉₉ = " in result.stdout
    # 2,999 adjoints and 3,000 nodes: the first of each and how many more, as every long
    # output; --full prints them all
    assert len(lines) < 40 and "# … 2,988 more nodes (use --full to show all)" in lines
    full = cli("gradient", "-f", str(path), "--full", timeout=60)
    assert "x₁₀₀₀ = " in full.stdout and "…" not in full.stdout
    assert len(full.stdout.splitlines()) == 1 + 2 + 1 + 2_999 + 1 + 3_000
    line = one_line_error(cli("gradient", "-f", str(path), "--form", "inputs"))
    assert "--form nodes" in line and f"at most {SYMBOLIC_DEPTH}" in line


def test_cli_gradient_of_a_200_layer_diamond(tmp_path):
    path = tmp_path / "diamond.txt"
    path.write_text(diamond_program(200))
    result = cli("gradient", "-f", str(path), "--full", timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[1:3] == ["a: b·dx₂₀₀/dx₀", "b: a·dx₂₀₀/dx₀"]
    assert "dx₂₀₀/dx₀ = 2·dx₂₀₀/dp₀ + dx₂₀₀/dq₀" in lines


# -- long exact numbers in gradient ------------------------------------------------------------

def test_gradient_summarizes_a_302_digit_number_like_explain(tmp_path):
    path = tmp_path / "pow.txt"
    path.write_text("\n".join(f"x{i + 1} = x{i}**2" for i in range(1000)))
    result = cli("gradient", "-f", str(path), "--at", "x0=1")  # d/dx0 x0^(2^1000) = 2^1000
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == "x₀: ≈ 1.071508607e+301 (302 digits)\n"
    exact = cli("gradient", "-f", str(path), "--at", "x0=1", "--exact")
    assert exact.stdout == f"x₀: {2**1000}\n"
    shown = symbp.explain("y = x**2", at="x=" + str(2**999))
    assert terminal.to_text(shown).count("(302 digits)") >= 1


# -- pasted, indented programs -----------------------------------------------------------------

def test_a_program_indented_alike_reads_as_if_it_were_not():
    program = "    c = a*b\n\n    e = (c + 1)*a\n"
    assert symbp.gradient(program) == symbp.gradient("c = a*b\ne = (c + 1)*a")
    result = cli("gradient", "\n  c = a*b\n  e = c*c\n")
    assert result.returncode == 0 and result.stdout == "a: 2·a·b^2\nb: 2·a^2·b\n", result


def test_a_line_indented_unlike_the_others_is_one_clear_error():
    line = one_line_error(cli("gradient", "  c = a*b\n    e = c + 1"))
    assert "indent every line of the program alike" in line and "line 2" in line


# -- networks and training: a few seconds, or refused with the flag that goes past ------------

@pytest.mark.parametrize("args, flag", [
    (["--layers", "300,300"], "--max-parameters 90300"),
    (["--layers", ",".join(["2"] * 5001)], "--max-parameters 30000"),
    (["--layers", ",".join(["2"] * 101)], "--max-layers 101"),
])
def test_big_networks_are_refused_up_front_naming_the_flag(args, flag):
    line = one_line_error(cli("network", *args, timeout=30))
    assert flag in line and "limit" in line


def test_long_training_is_refused_up_front_naming_the_flag(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(spec()))
    line = one_line_error(cli("network", "--spec", str(path), "--epochs", "500000", timeout=30))
    assert "--max-work" in line and "2,000,000" in line
    with pytest.raises(symbp.SymbpError, match="max_work="):
        symbp.network_walkthrough(symbp.load_spec(str(path)), epochs=10**7)


def test_library_network_limits_speak_parameter_names():
    with pytest.raises(symbp.SymbpError, match=r"max_parameters=90300"):
        symbp.derive_network("300,300")
    with pytest.raises(symbp.SymbpError, match=r"max_layers=3"):
        symbp.derive_network("2,2,2", max_layers=2)
    assert symbp.derive_network("2,2,2", max_layers=3).checks  # past the limit when told


def test_network_finite_differences_stay_within_their_time_budget(monkeypatch):
    import time

    from symbp.network import checks as network_checks

    def slow(*args, **kwargs):  # finite differences on a graph far too big for the budget
        time.sleep(5)
        raise AssertionError("the budget did not stop finite differences")

    monkeypatch.setattr(network_checks, "FD_SECONDS", 0.05)
    monkeypatch.setattr(network_checks, "finite_differences", slow)
    start = time.monotonic()
    derivation = symbp.derive_network("2,2", strict=False)
    assert time.monotonic() - start < 4
    fd = next(c for c in derivation.checks if c.name == "BP3-BP4 == finite differences")
    assert fd.passed is None and "too costly" in fd.detail, fd
