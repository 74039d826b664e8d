"""Exact values that grew large, kept exact — and the budget that bounds their cost.

An exact value such as ``(1 - tanh(exp(E))**2)·exp(E)·…`` is a SymPy expression that
swells with every node it flows through.  Cutting it to a fixed 30-digit decimal (what
symbp once did) is wrong where digits cancel: ``1 - tanh(x)**2`` for a large ``x``
loses every digit and printed ``2.4e+462`` for a number near ``10^(-2.8·10^798)``.

:class:`ExactValue` keeps the exact value but makes it one opaque *atom*: later
expressions stay small, and SymPy's ``evalf`` — which tracks the error of every
operation and raises its working precision where digits cancel — sees through the
atom to the exact expression inside (each atom is evaluated once per precision).
With ``strict=True`` evalf either certifies the digits or says it cannot.

:func:`budget` bounds the time any evaluation may take (a certificate of 15 digits of
``sin(exp(exp(20)))`` needs 200 million digits of π): past it, :class:`TooCostly`.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from contextlib import contextmanager
from functools import lru_cache

import mpmath
import sympy
from mpmath.libmp import prec_to_dps
from sympy.core import evalf as _evalf

from ..errors import SymbpError

__all__ = ["ExactValue", "TooCostly", "budget", "certain", "reduction_digits", "written_out"]


class TooCostly(SymbpError):
    """A computation ran past its budget (time or precision)."""


class ExactValue(sympy.AtomicExpr):
    """An exact real number held as one atom: ``ExactValue(expr)`` equals ``expr``."""

    is_number = True
    is_extended_real = True
    is_finite = True
    is_comparable = True

    def __new__(cls, expr: sympy.Expr):
        obj = sympy.AtomicExpr.__new__(cls)
        obj._expr = expr
        obj._evaluated = {}
        return obj

    @property
    def exact(self) -> sympy.Expr:
        """The exact expression this atom stands for."""
        return self._expr

    def _hashable_content(self):
        return (self._expr,)

    def __getnewargs__(self):
        return (self._expr,)

    def evaluated(self, prec: int, options: dict):
        """evalf's ``(re, im, re_acc, im_acc)`` of the exact expression, cached per precision."""
        key = (prec, bool(options.get("strict")), options.get("maxprec"))
        if key not in self._evaluated:
            self._evaluated[key] = _evalf.evalf(self._expr, prec, options)
        return self._evaluated[key]

    def _eval_evalf(self, prec):
        return self._expr.evalf(prec_to_dps(prec))

    def _decimal(self) -> str:
        value = certain(self, 30)
        return "…" if value is None else sympy.sstr(value)

    def _sympystr(self, printer):
        return self._decimal()

    def _latex(self, printer, exp=None):
        text = self._decimal()
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"


def written_out(value):
    """``value`` with every :class:`ExactValue` atom replaced by its exact expression
    (recursively): the exact number written out, for comparisons in tests and JSON."""
    value = sympy.sympify(value, strict=True)
    while value.has(ExactValue):
        value = value.xreplace({atom: atom.exact for atom in value.atoms(ExactValue)})
    return value


if not _evalf.evalf_table:
    _evalf._create_evalf_table()
_evalf.evalf_table[ExactValue] = lambda x, prec, options: x.evaluated(prec, options)


MAX_DIGITS = 2_000
"""Most working digits evalf may use to certify a value (SymPy's ``maxn``)."""


def certain(value, digits: int = 15):
    """``value`` as a Float whose ``digits`` significant digits are all certain, or ``None``.

    ``None`` when the digits cannot be certified within :data:`MAX_DIGITS` working
    digits (e.g. the value is 10^(−10^798)) or within the time :func:`budget`.
    """
    value = sympy.sympify(value, strict=True)
    if value.is_Float:
        return value
    if value.is_Rational:
        return sympy.Float(value, digits)
    return _certain(value, digits)


@lru_cache(maxsize=4096)  # renderers show the same value several times
def _certain(value: sympy.Expr, digits: int):
    try:
        with budget(SECONDS):
            if _hopeless(value):
                return None
            result = value.evalf(digits, strict=True, maxn=MAX_DIGITS)
    except (_evalf.PrecisionExhausted, TooCostly, ValueError, ZeroDivisionError,
            OverflowError, TypeError, NotImplementedError):
        return None
    return result if result.is_Float else None


def _hopeless(value: sympy.Expr) -> bool:
    """True when a periodic function's argument is so large that its reduction modulo π
    needs more than :data:`MAX_DIGITS` digits (sin(exp(exp(20))) needs 200 million)."""
    return any(reduction_digits(periodic.args[0]) > MAX_DIGITS
               for periodic in value.atoms(sympy.sin, sympy.cos, sympy.tan))


def reduction_digits(argument: sympy.Expr) -> int:
    """About how many digits of π reducing ``argument`` modulo π takes (its digits before
    the point): what sin, cos or tan of it costs to evaluate to any digit at all.

    mpmath computes that many digits of π in long integer multiplications that no time
    budget can interrupt — at 10^43,429,448 (sin(e^(10^8))) they run for hours, and past
    about 10^(10^300) the working precision overflows a float — so callers ask first.
    An argument whose size cannot even be estimated quickly counts as infinitely large.
    """
    try:
        with budget(SECONDS):
            size = argument.evalf(3)  # evalf's own bounds: a few digits of the exponent
    except (TooCostly, OverflowError, ValueError, TypeError):
        return _UNSIZED
    if not size.is_Float or size == 0:
        return 0
    return max(0, mpmath.mag(size._to_mpmath(20)) * 30103 // 100000)  # bits · log10(2)


_UNSIZED = 10**30  # "infinitely many": larger than any budget


SECONDS = 1.0
"""Default time budget of one evaluation (seconds)."""

_active = threading.local()


class _Expired(BaseException):
    """Raised by the timer; a BaseException so that no ``except Exception`` swallows it."""


@contextmanager
def budget(seconds: float):
    """Run the block for at most ``seconds`` (wall clock), else raise :class:`TooCostly`.

    In the main thread a real-time interval timer (SIGALRM) interrupts the block; in any
    other thread (Jupyter kernels' and web servers' workers, where signals cannot be
    used) a timer thread raises the same interruption in the block's own thread.  Both
    interrupt between Python bytecodes, and both raise it again every
    :data:`REPEAT` seconds until the block ends: an interruption that lands in a
    ``__del__`` or a garbage-collector callback is swallowed by the interpreter ("Exception
    ignored in …"), and the block would otherwise run on unbounded.  Nested budgets: the
    outer one governs.
    """
    if getattr(_active, "depth", 0):
        _active.depth += 1
        try:
            yield
        finally:
            _active.depth -= 1
        return
    in_main = threading.current_thread() is threading.main_thread()
    timer = _SignalTimer(seconds) if in_main and hasattr(signal, "setitimer") else \
        _ThreadTimer(seconds)
    _active.depth = 1
    try:
        try:
            timer.start()
            yield
        finally:
            timer.stop()
    except _Expired:
        raise TooCostly(f"too costly at this point (more than {seconds:g} s)") from None
    finally:
        _active.depth = 0


REPEAT = 0.05
"""Seconds between the repeats of an interruption that has not ended the block yet."""


class _SignalTimer:
    """The main thread's timer: SIGALRM after ``seconds``, then every :data:`REPEAT`
    seconds; the handler raises only while the block runs."""

    def __init__(self, seconds: float):
        self.seconds, self.previous, self.running = seconds, None, False

    def start(self):
        self.running = True
        self.previous = signal.signal(signal.SIGALRM, self._expire)
        signal.setitimer(signal.ITIMER_REAL, self.seconds, REPEAT)

    def _expire(self, signum, frame):
        if self.running:
            raise _Expired

    def stop(self):
        _until_done(self._stop)

    def _stop(self):
        self.running = False  # first: a signal already on its way raises nothing now
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)


class _ThreadTimer:
    """Another thread's timer: a thread that raises :class:`_Expired` in the timed thread
    (``PyThreadState_SetAsyncExc``, delivered at its next bytecode) after ``seconds``, then
    every :data:`REPEAT` seconds.  A lock makes the end of the block and each firing
    exclusive, and an interruption that fired but was not yet delivered is withdrawn, so
    nothing is ever raised after the block."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.thread = threading.get_ident()
        self.lock = threading.Lock()
        self.ended = threading.Event()
        self.fired = False
        self.timer = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.timer.start()

    def _run(self):
        wait = self.seconds
        while not self.ended.wait(wait):
            with self.lock:
                if self.ended.is_set():
                    return
                self.fired = True
                _raise_in(self.thread, _Expired)
            wait = REPEAT

    def stop(self):
        _until_done(self._stop)

    def _stop(self):
        with self.lock:
            self.ended.set()
            if self.fired:
                _raise_in(self.thread, None)  # withdraw one that is still pending


def _until_done(stop) -> None:
    """Run a timer's ``stop`` to its end: an interruption may land inside it (the block is
    over, so it is dropped; one that ended the block is already on its way up)."""
    while True:
        try:
            stop()
            return
        except _Expired:
            continue


def _raise_in(thread: int, exception) -> None:
    target = ctypes.py_object(exception) if exception is not None else None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), target)


def second_opinion(value: sympy.Expr):
    """``value`` in mpmath at a precision that follows its exact operands, or ``None``.

    For a number SymPy cannot certify (its ``evalf`` of ``log(1 + 10^-100)`` is 0): the
    working digits are 60 more than the longest integer in ``value``, so ``1 + c^2`` keeps
    ``c^2``; a result below 10^-(digits - 30) counts as 0 (sin(π) gives about 10^-digits).
    Returns ``(approximation, zero_threshold)``.
    """
    longest = max((len(str(abs(n.p))) + len(str(n.q)) for n in value.atoms(sympy.Rational)),
                  default=1)
    digits = 60 + longest
    if digits > MAX_DIGITS:
        return None
    try:
        with mpmath.workdps(digits):
            approx = sympy.lambdify((), value, "mpmath")()
            return mpmath.mpf(approx), mpmath.mpf(10) ** -(digits - 30)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, NameError):
        return None
