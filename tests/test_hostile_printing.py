"""Awkward values through every printer: numbers whose decimal exponent is itself too long
to write (e^(10^300)), tiny fractions, poles and kinks — each format must print them, and
print the right digits (the oracle is mpmath at high precision, not symbp's own output)."""

from __future__ import annotations

import ast
import json
import math
import subprocess
import sys
from decimal import Decimal

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symbp


def _tower_exponent(log10_of_value) -> tuple[str, int]:
    """``(mantissa, order)`` of log10(value) = mantissa · 10^order, 10 digits, by mpmath."""
    with mpmath.workdps(60):
        order = int(mpmath.floor(mpmath.log10(abs(log10_of_value))))
        return mpmath.nstr(log10_of_value / mpmath.mpf(10) ** order, 10), order


@pytest.mark.parametrize(("program", "at", "log10_of_output"), [
    # log10(e^(10^300)) = 10^300·log10(e); log10(e^(-10^300)) its negative
    ("y = exp(a)", "a=10**300", lambda: mpmath.mpf(10) ** 300 * mpmath.log10(mpmath.e)),
    ("y = exp(-a)", "a=10**300", lambda: -mpmath.mpf(10) ** 300 * mpmath.log10(mpmath.e)),
    # log10(e^(e^(e^5))) = e^(e^5)·log10(e)
    ("b = exp(a); c = exp(b); y = exp(c)", "a=5",
     lambda: mpmath.exp(mpmath.exp(5)) * mpmath.log10(mpmath.e)),
])
@pytest.mark.parametrize("fmt", ["latex", "markdown"])
def test_a_number_beyond_any_exponent_prints_in_tex_as_a_power_of_a_power(
        program, at, log10_of_output, fmt):
    # was: ValueError: invalid literal for int() with base 10: '+299)' (symbp explain
    # "y=exp(a)" --at a=10**300 -F latex): TeX's printer split "10^(4.34e+299)" at its e
    ex = symbp.explain(program, at=at)
    with mpmath.workdps(60):
        mantissa, order = _tower_exponent(log10_of_output())
    text = ex.to_latex() if fmt == "latex" else ex.to_markdown()
    assert f"10^{{{mantissa} \\cdot 10^{{{order}}}}}" in text
    math = [line for line in text.splitlines() if not line.startswith("%")]  # TeX comments
    assert not any("10^(" in line for line in math)  # may hold the terminal's notation


# -- network specs: JSON's NaN is named as such ------------------------------------------------

def _net_spec() -> dict:
    return {"layers": [2, 1], "weights": [[[0.5, -0.25]]], "biases": [[0.0]],
            "samples": [{"x": [1.0, 2.0], "y": [1.0]}], "learning_rate": 0.5}


@pytest.mark.parametrize(("field", "set_nan"), [
    ("learning_rate", lambda s: s.update(learning_rate=float("nan"))),
    ("weights[0][0][1]", lambda s: s["weights"][0][0].__setitem__(1, float("nan"))),
    ("samples[0].x[0]", lambda s: s["samples"][0]["x"].__setitem__(0, float("nan"))),
])
def test_a_nan_in_a_spec_is_called_nan_not_beyond_the_float_range(tmp_path, field, set_nan):
    # was: "learning_rate: expected a number > 0, got a number beyond the float range
    # (±1.8e308)" for {"learning_rate": NaN}, which Python's json reads
    spec = _net_spec()
    set_nan(spec)
    with pytest.raises(symbp.SymbpError) as caught:
        symbp.parse_spec(spec)
    assert str(caught.value).startswith(f"{field}: expected a number")
    assert "NaN" in str(caught.value) and "float range" not in str(caught.value)
    path = tmp_path / "net.json"
    path.write_text(json.dumps(spec))  # NaN as JSON writes it
    result = subprocess.run([sys.executable, "-m", "symbp", "network", "--spec", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == f"error: {path}: {caught.value}\n"


# -- exact numbers too long to compute: the hint must not send the user round in a circle ------

def _error(program: str, at: str) -> str:
    with pytest.raises(symbp.SymbpError) as caught:
        symbp.gradient(program, at=at)
    return str(caught.value)


@pytest.mark.parametrize(("at", "decimal_at", "log10_size"), [
    ("a=2,b=21000", "a=2.0,b=21000", 21000 * mpmath.log10(2)),
    ("a=2,b=-21000", "a=2.0,b=-21000", -21000 * mpmath.log10(2)),
    ("a=3,b=100000/3", "a=3.0,b=100000/3", mpmath.mpf(100000) / 3 * mpmath.log10(3)),
])
def test_a_power_beyond_floats_too_says_so_instead_of_suggesting_decimals(
        at, decimal_at, log10_size):
    # was: "2**21000 is too large to compute exactly …; use decimals (2.0) to compute with
    # floats" — and with 2.0: "beyond the range of floats …; give the point as integers"
    # (2**19000 was refused too, as "about 38,000 bits": it has 19,001)
    message = _error("y = a**b", at)
    assert "use decimals" not in message
    assert f"near 10^{int(log10_size):,}," in message  # mpmath's size of the power
    if log10_size > 0:
        assert "beyond the range of floats" in message
        with pytest.raises(symbp.SymbpError, match="beyond the range of floats"):
            symbp.gradient("y = a**b", at=decimal_at)  # the decimals would fail as well
    else:
        assert "too small for floats" in message


def test_a_power_that_floats_hold_still_suggests_decimals():
    # (1 + 10^-100)^(10^6) ≈ 1 + 10^-94: too long exactly, a float is fine
    message = _error("y = a**b", "a=1+1/10**100,b=10**6")
    assert message.endswith("use decimals (2.0) to compute with floats")
    gradient = symbp.gradient("y = a**b", at="a=1.0,b=1000000")
    assert gradient["a"] == 1_000_000.0  # b·a^(b-1) at a = 1: by hand


def test_a_fraction_raised_to_a_power_is_written_with_its_brackets():
    # was "10001/10000**1000000000", which reads as 10001/(10000^1000000000)
    message = _error("y = a**b", "a=10001/10000,b=10**9")
    assert "(10001/10000)**1000000000 is too large" in message
    assert "near 10^43,427," in message  # 10^9·log10(1.0001) = 43,427.3 (mpmath)
    with mpmath.workdps(30):
        assert int(10**9 * mpmath.log10(mpmath.mpf(10001) / 10000)) == 43427


# -- decimals beyond floats: refused with the size they have, never computed as 0 or inf -------

def test_a_decimal_below_the_floats_is_refused_not_computed_as_zero():
    # was: --at a=1e-400,b=1e300 printed y = 0 and dy/db = 0.0 (float('1e-400') == 0.0);
    # the true values are 10^-100 and 10^-400
    assert float("1e-400") == 0.0
    message = _error("y = a*b", "a=1e-400,b=1e300")
    assert message.startswith("a ≈ 1.00e-400 at this point: too small for floats")
    assert "1/10**400" in message
    a, b = sympy.symbols("a b")
    exact = symbp.gradient("y = a*b", at="a=1/10**400,b=10**300")  # the hint, followed
    assert exact["b"] == sympy.diff(a * b, b).subs(a, sympy.Rational(1, 10**400))


def _held_to_15_digits(decimal: str) -> bool:
    """The oracle: the float nearest the decimal (Python's) keeps 15 of its digits."""
    text = Decimal(decimal)
    return text == 0 or abs(Decimal(float(decimal)) - text) <= abs(text) * Decimal("1e-15")


@pytest.mark.parametrize("decimal", ["1.234567891234e-320", "1e-310", "5e-324"])
def test_a_subnormal_decimal_that_lost_digits_is_refused(decimal):
    # a float below 2.2e-308 keeps fewer bits: 1.234567891234e-320 is held as 1.2347e-320
    assert not _held_to_15_digits(decimal)
    message = _error("y = a*b", f"a={decimal},b=1")
    assert "too small for floats" in message and "fewer than 15 digits" in message


@pytest.mark.parametrize("decimal", ["2e-309", "3e-309", "1e-308", "0.0", "-0.0"])
def test_a_small_decimal_that_keeps_15_digits_is_computed(decimal):
    assert _held_to_15_digits(decimal)
    x = float(decimal)
    assert symbp.gradient("y = a*b", at=f"a={decimal},b=2.0") == {"a": 2.0, "b": x}


def test_a_python_float_is_taken_as_it_is_even_subnormal():
    # a float given as one (an API point, a network's sample) is exact: 5e-324 is 2^-1074
    assert symbp.gradient("y = a*b", at={"a": 5e-324, "b": 2.0}) == {"a": 2.0, "b": 5e-324}
    spec = {"layers": [2, 1], "weights": [[[0.5, -0.25]]], "biases": [[0.0]],
            "samples": [{"x": [5e-324, 1.0], "y": [1.0]}], "learning_rate": 0.5}
    walkthrough = symbp.network_walkthrough(spec)
    assert walkthrough.ok


def test_a_value_beyond_floats_shows_its_size_not_thirty_digits_of_noise():
    # was: "y = exp(a) ≈ 2.50e+434294481903251850453656571405056984009141741681734700…" —
    # a 300-digit exponent from a 30-digit evaluation, mantissa and tail all noise
    message = _error("y = exp(a)", "a=1e300")
    with mpmath.workdps(30):
        power = mpmath.mpf(float("1e300")) * mpmath.log10(mpmath.e)  # log10 e^a
    assert f"≈ 10^({mpmath.nstr(power, 4)}) at this point" in message
    assert "10^(4.343e+299)" in message and len(message) < 250


def test_a_float_partial_that_overflows_is_named_as_such_not_as_a_kink():
    # was: "the local partial ∂y/∂b = -a/b^2 is undefined at this point (a = 1.0,
    # b = 1e-200); div is not differentiable there" — it is -10^400, beyond floats
    message = _error("y = a/b", "a=1.0,b=1e-200")
    assert "not differentiable" not in message
    assert message.startswith("the local partial ∂y/∂b = -a/b^2 ≈ -1.00e+400 at this point: "
                              "beyond the range of floats")
    a, b = sympy.symbols("a b")
    exact = symbp.gradient("y = a/b", at="a=1,b=1/10**200")  # the hint, followed
    assert exact["b"] == sympy.diff(a / b, b).subs({a: 1, b: sympy.Rational(1, 10**200)})
    assert exact["b"] == -(10**400)


def test_a_kink_is_still_a_kink_in_floats():
    message = _error("y = sqrt(a)", "a=0.0")
    assert "sqrt is not differentiable there" in message


@pytest.mark.parametrize(("base", "exponent"), [(2, 19999), (3, 12618), (7, 7124)])
def test_a_power_just_within_the_exact_limit_is_computed(base, exponent):
    from symbp.core.arithmetic import MAX_EXACT_BITS

    assert (base**exponent).bit_length() <= MAX_EXACT_BITS < (base ** (exponent + 1)).bit_length()
    a, b = sympy.symbols("a b")
    value = symbp.gradient("y = a**b", at=f"a={base},b={exponent}", check=False)["a"]
    assert value == sympy.diff(a**b, a).subs({a: base, b: exponent})
    message = _error("y = a**b", f"a={base},b={exponent + 1}")
    assert f"about {(base ** (exponent + 1)).bit_length():,} bits" in message


# -- an exact point on a graph computed in floats (deeper than EXACT_DEPTH) -----------------

def _nested_sin(depth: int) -> str:
    return "y = " + "sin(" * depth + "a" + ")" * depth


@pytest.mark.parametrize("at", ["a=10**400", "a=exp(800)", "a=exp(-800)", "a=1/10**400"])
def test_an_exact_point_beyond_floats_on_a_deep_graph_is_one_line(at):
    # was: TypeError: Cannot convert expression to float (symbp gradient on 26 nested sin
    # at a=exp(800)): float_gradient took the input as inf, sin(inf) became SymPy's
    # AccumBounds(-1, 1), which is_defined accepted
    from symbp.limits import EXACT_DEPTH

    program = _nested_sin(EXACT_DEPTH + 2)
    message = _error(program, at)
    assert message.startswith("a ≈ ")
    assert "in floats even at an exact point" in message  # not "give … integers"
    assert "give the point as integers" not in message


def test_a_deep_graph_at_a_tame_exact_point_still_gives_the_float_chain_rule():
    from symbp.limits import EXACT_DEPTH

    depth = EXACT_DEPTH + 2
    x, slope = 1.0, 1.0
    for _ in range(depth):  # d/da sin(sin(…a)) = Π cos(inner values), by hand in floats
        slope *= math.cos(x)
        x = math.sin(x)
    assert symbp.gradient(_nested_sin(depth), at="a=1")["a"] == pytest.approx(slope, rel=1e-12)


def test_sin_at_infinity_is_not_a_finite_real_number():
    from symbp.core.numeric import is_defined

    value = sympy.sin(sympy.Float("inf"))
    assert isinstance(value, sympy.AccumBounds)  # SymPy's answer, which it calls finite
    assert value.is_extended_real and value.is_finite
    assert not is_defined(value)


# -- constants of the program in floats --------------------------------------------------------

def test_a_constant_below_the_floats_is_refused_not_computed_as_zero():
    # was: symbp gradient "y = a*1e-400" --at a=1.0 printed a: 0.0 (the true slope is 1e-400)
    assert float("1e-400") == 0.0
    message = _error("y = a*1e-400", "a=1.0")
    assert message.startswith("the constant 1.0e-400 ≈ 1.00e-400 at this point: too small "
                              "for floats")
    assert "give the point as integers or fractions" in message
    assert symbp.gradient("y = a*1e-400", at="a=1")["a"] == sympy.Float("1e-400")  # exact


def test_a_constant_beyond_the_floats_is_named_not_called_undefined():
    # was: "c = a·exp(710) is undefined at this point (a = 1.0): it is not a finite real
    # number there" — exp(710) ≈ 2.2e308 is a fine number, beyond the largest float
    assert mpmath.exp(710) > sys.float_info.max
    message = _error("y = a*exp(710) + b", "a=1.0,b=1.0")
    assert "not a finite real number" not in message
    assert message.startswith("the constant exp(710) ≈ 2.23e+308 at this point: beyond the "
                              "range of floats")
    a = sympy.Symbol("a")
    assert symbp.gradient("y = a*exp(710) + b", at="a=1,b=1")["a"] == sympy.diff(
        a * sympy.exp(710), a)


# -- names as Python reads them, and a byte order mark -----------------------------------------

def test_a_fullwidth_name_is_the_name_python_reads():
    # Python folds ａ (U+FF41) to a in the program (NFKC); --at ａ=3 said "--at names ａ,
    # which is not an input; inputs are a"
    assert "ａ".isidentifier() and ast.parse("ａ = 1").body[0].targets[0].id == "a"
    assert symbp.gradient("y = ａ*ａ", at="ａ=3") == {"a": 6}  # d(a²)/da = 2a
    ex = symbp.explain("ｃ = ａ*b; y = ｃ*2", at={"ａ": 3, "b": 5}, wrt="ａ", output="ｃ")
    assert ex.wrt == ("a",) and ex.graph.output == "c" and ex.gradient["a"].value == 5


def test_a_program_file_with_a_byte_order_mark_is_read(tmp_path):
    # was: "syntax error: invalid non-printable character U+FEFF (line 1, column 1)" for a
    # file saved by a Windows editor as "UTF-8 with BOM"
    path = tmp_path / "program.txt"
    path.write_bytes("y = a*b\n".encode("utf-8-sig"))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = subprocess.run([sys.executable, "-m", "symbp", "gradient", "-f", str(path),
                             "--at", "a=2,b=3"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "a: 3\nb: 2\n"  # ∂(ab)/∂a = b, ∂(ab)/∂b = a
    assert symbp.gradient("\ufeffy = a*b", at="a=2,b=3") == {"a": 3, "b": 2}


def test_sin_of_a_huge_constant_asks_for_no_point():
    message = _error("y = a*sin(10**2500)", "a=1")
    assert "give a point" not in message and "make the argument of sin smaller" in message


# -- generated Python computes in floats: a constant they cannot hold is refused ---------------

@pytest.mark.parametrize(("program", "constant"), [
    ("y = a*10**5000 + b", "≈ 1.000e+5000"),  # was: generated code with a SyntaxError
    ("y = a*exp(710) + b", "exp(710)"),  # was: OverflowError when it ran
    ("y = a*(1/10**400) + b", "≈ 1.000e-400"),  # was: repr(float(…)) = 0.0, silently
    ("y = a*sin(10**400) + b", "≈ 1.000e+400"),  # math.sin(10**400): OverflowError
])
def test_to_python_refuses_a_constant_floats_cannot_hold(program, constant):
    ex = symbp.explain(program, at="a=1,b=2")
    with pytest.raises(symbp.SymbpError) as caught:
        symbp.to_python(ex)
    assert f"the constant {constant} in " in str(caught.value)
    assert "floats" in str(caught.value)


def test_to_python_still_writes_constants_floats_hold():
    # 10**300 and 1e-300 are floats; the generated code runs and agrees with sympy.diff
    ex = symbp.explain("y = a*10**300 + b*1e-300", at="a=1,b=2")
    namespace: dict = {}
    exec(compile(symbp.to_python(ex), "<generated>", "exec"), namespace)  # our own output
    value, gradient = namespace["forward_backward"](1.0, 2.0)
    assert value == pytest.approx(1e300 + 2e-300)
    assert gradient == {"a": 1e300, "b": 1e-300}


# -- the class: decimals of any magnitude give the right gradient or a one-line error ---------

_FLOAT_MAX = mpmath.mpf(sys.float_info.max)

_PROGRAMS = {  # program → (value, ∂/∂a, ∂/∂b) by hand, in mpmath
    "y = a*b": lambda a, b: (a * b, b, a),
    "y = a/b": lambda a, b: (a / b, 1 / b, -a / b**2),
    "y = a*exp(b)": lambda a, b: (a * mpmath.exp(b), mpmath.exp(b), a * mpmath.exp(b)),
}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(_PROGRAMS)),
       st.integers(1, 9), st.integers(-340, 340), st.integers(1, 9), st.integers(-340, 340),
       st.booleans())
def test_decimals_of_any_size_give_the_right_gradient_or_one_line(
        program, m1, e1, m2, e2, negative):
    a_text, b_text = f"{'-' if negative else ''}{m1}e{e1}", f"{m2}e{e2}"
    if program == "y = a*exp(b)":
        b_text = f"{m2}.5e{min(e2, 3)}"  # exp of more than 10^3 is beyond floats anyway
    try:
        result = symbp.gradient(program, at=f"a={a_text},b={b_text}")
    except symbp.SymbpError as error:
        result = str(error)
        assert "\n" not in result and ("floats" in result or "undefined" in result), result
    with mpmath.workdps(50):
        a, b = (mpmath.mpf(float(t)) for t in (a_text, b_text))  # the floats symbp has
        inputs_held = all(_held_to_15_digits(t) and float(t) != 0
                          and abs(mpmath.mpf(t)) <= _FLOAT_MAX for t in (a_text, b_text))
        numbers = _PROGRAMS[program](a, b) if inputs_held else ()
        fits = inputs_held and all(abs(v) <= _FLOAT_MAX for v in numbers)
        if isinstance(result, str):
            assert not fits, (program, a_text, b_text, result)  # an error only when needed
            return
        assert fits, (program, a_text, b_text, result)
        for name, exact in zip("ab", numbers[1:], strict=True):
            # each partial is one or two float operations: a few roundings, or underflow
            assert abs(result[name] - exact) <= 1e-14 * abs(exact) + 1e-307, (name, result)


# -- repr: what the record is, not megabytes, and never Python's 4,300-digit refusal ----------

def test_an_explanation_reprs_as_a_summary_even_with_a_5000_digit_value():
    # was: ValueError: Exceeds the limit (4300 digits) for integer string conversion
    # (repr(symbp.explain("y = a*b", at={"a": 10**5000, "b": 3}))), and 9.7 MB of text
    # for a 7,500-edge graph
    text = repr(symbp.explain("y = a*b", at={"a": 10**5000, "b": 3}))
    assert text.startswith("<Explanation dy/d(a, b) at a=1000")
    assert text.endswith(", b=3: 3 nodes, 2 edges, 3 checks passed>") and len(text) < 120
    assert repr(symbp.explain("e = (a+b)*(b+1)", at="a=2,b=1")) == (
        "<Explanation de/d(a, b) at a=2, b=1: 5 nodes, 5 edges, 4 checks passed>")


def test_a_gradient_with_a_5000_digit_value_reprs_as_its_dict():
    gradient = symbp.gradient("y = a*b", at={"a": 10**5000, "b": 3})
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        expected = repr({"a": 3, "b": 10**5000})  # Python's own, with its limit lifted
    finally:
        sys.set_int_max_str_digits(previous)
    assert repr(gradient) == expected
    assert sys.get_int_max_str_digits() == previous  # and the limit is back


# -- printing a sum SymPy cannot order ----------------------------------------------------------

@pytest.mark.parametrize("program", ["y = expm1(a)/log1p(a)", "y = (exp(a) - 1)/log(1 + a)"])
def test_a_sum_sympy_cannot_order_still_prints_in_every_format(program):
    # was: ZeroDivisionError from every format (symbp explain "y=expm1(a)/log1p(a)" --at
    # a=1/10**30): SymPy orders a sum's terms by evaluating their factors in floats, and
    # evaluates log(1 + 10^-30) at 15 digits to an exact 0
    tiny = sympy.Rational(1, 10**30)
    with pytest.raises(ZeroDivisionError):
        complex(1 / sympy.log(1 + tiny))  # SymPy's own failure, which symbp's printers meet
    ex = symbp.explain(program, at="a=1/10**30")
    assert ex.ok
    for text in (str(ex), ex.to_latex(), ex.to_markdown(), ex.to_json(), ex.to_dot(),
                 ex.to_html()):
        assert "ZeroDivision" not in text
    # the value (e^x - 1)/log(1 + x) = 1 + x + … ≈ 1: shown as that, or as uncertain
    output = next(line for line in str(ex).splitlines() if line.startswith("output:"))
    assert "(no digit certain)" in output or "≈ 1.0" in output


def test_a_training_budget_counts_one_epoch_and_one_sample_in_the_singular():
    # was: "1 epochs × 1 samples × (3 parameters + 30) is more training than …"
    spec = _net_spec()  # 2-1: two weights and a bias, one sample
    with pytest.raises(symbp.SymbpError) as caught:
        symbp.network_walkthrough(spec, epochs=1, max_work=0)
    work = 1 * 1 * (2 + 1 + 30)  # epochs × samples × (parameters + 30), by hand
    assert str(caught.value).startswith("1 epoch × 1 sample × (3 parameters + 30) is more "
                                        "training than symbp does")
    assert f"max_work={work} to go past it" in str(caught.value)


def test_a_name_and_its_fullwidth_form_are_one_input_given_twice():
    with pytest.raises(symbp.SymbpError, match="gives a twice"):
        symbp.gradient("y = a*2", at={"a": 1, "ａ": 2})


@pytest.mark.parametrize(("function", "oracle"), [("log1p", mpmath.log1p), ("expm1", mpmath.expm1)])
def test_log1p_and_expm1_of_a_tiny_exact_number_are_certified(function, oracle):
    # was: "c = log1p(a) ≈ (no digit certain)" at a = 1/10**30 (log1p became log(1 + 10^-30),
    # which SymPy evaluates to 0), and symbp gradient "y=expm1(a)/log1p(a)" refused
    ex = symbp.explain(f"y = {function}(a)*b", at="a=1/10**30,b=1")
    with mpmath.workdps(40):
        expected = oracle(mpmath.mpf(1) / 10**30)
        assert abs(mpmath.mpf(sympy.Float(ex.values["y"].evalf(30), 30)._to_mpmath(120))
                   - expected) < expected * mpmath.mpf("1e-28")
    assert ex.ok
    # (e^x - 1)/log(1 + x) = 1 + x + …: its slope at 10^-30 is 1 to 15 digits
    slope = symbp.gradient("y = expm1(a)/log1p(a)", at="a=1/10**30")["a"]
    assert abs(slope.evalf(20) - 1) < sympy.Float("1e-15")
