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
from symbp.limits import MAX_LITERAL_DIGITS, long_int_text
from symbp.parse import MAX_EXACT_BITS
from symbp.printing import magnitude
from symbp.render import terminal, tex

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
    assert terminal._count(2**3000) == "2^3000 ≈ 1.23·10^903"
    assert terminal._count(3**2000) == "≈ 1.748·10^954"
    assert terminal._count(10**15 - 1) == "999,999,999,999,999"
    assert tex.count(2**3000) == r"2^{3000} \approx 1.23 \cdot 10^{903}"


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
    result = cli("gradient", f"y = a*0x{hex_digits}")
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
