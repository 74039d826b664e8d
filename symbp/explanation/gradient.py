"""``symbp.gradient``: ∂output/∂input for every input, by the reverse sweep, self-checked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .. import arguments
from ..core.evaluate import complete_point
from ..core.symengine_sweep import BACKENDS
from ..errors import CheckFailure, SymbpError
from ..limits import with_long_int_text
from ..read.point import parse_point
from ..read.source import to_graph
from .adjoints import FORMS, gradient_of
from .checks import gradient_checks
from .records import Gradient

__all__ = ["gradient"]


@with_long_int_text
def gradient(source, at: Mapping[str, object] | Iterable[str] | str | None = None, *,
             check: bool = True, form: str = "auto", backend: str = "auto") -> Gradient:
    """∂output/∂input for every input, by the reverse sweep alone (no paths).

    With ``at``, values (exact for exact inputs, floats otherwise); without it,
    SymPy expressions: in the inputs (``form="inputs"``) or, for a graph too deep or too
    large to write out (:data:`~symbp.limits.SYMBOLIC_DEPTH`), in node names with the
    adjoints defined one per node in ``result.where`` (``form="nodes"``); ``"auto"``
    picks the inputs when it can.  With ``check`` (the default) the result is
    compared with ``sympy.diff`` (symbolically, for graphs small enough to write out)
    and with finite differences at the point, as :func:`explain` does: a failure
    raises :class:`~symbp.errors.CheckFailure`; checks that could not judge are in
    ``result.checks``.  ``check=False`` is the fast path for programs and benchmarks.
    An exact value whose digits cannot be certified is an error, never a guess.

    ``backend`` says who builds a symbolic gradient.  ``"symengine"`` builds the form in
    node names in SymEngine (``pip install 'symbp[fast]'``) — the very expressions SymPy's
    sweep builds, several times faster — and returns a
    :class:`~symbp.explanation.records.LazyGradient`: its SymPy expressions are made from
    SymEngine's on first access (which costs more than SymPy building them directly), and
    ``result.symengine`` holds SymEngine's own.  ``"auto"`` (the default) does so when
    SymEngine is installed and ``check=False`` (the checks read every expression in
    SymPy); ``"sympy"`` builds everything in SymPy.  The form in the inputs is always
    SymPy's (SymEngine's canonical form differs from it), and where SymPy built what
    SymEngine was asked for, ``result.backend_note`` says why.  A gradient at a point
    ignores ``backend`` (it is computed in floats or exact numbers).
    """
    at = arguments.point(at, "gradient")
    arguments.flag(check, "gradient", "check")
    if form not in FORMS:
        raise SymbpError(f"gradient: form must be one of {', '.join(FORMS)}, got {form!r}")
    if not isinstance(backend, str) or backend not in BACKENDS:
        raise SymbpError(f"gradient: backend must be one of {', '.join(BACKENDS)}, "
                         f"got {backend!r:.40}")
    graph = to_graph(source)
    point = complete_point(graph, parse_point(at))
    # the checks read every expression in SymPy, and converting SymEngine's costs more
    # than SymPy building them: "auto" takes SymEngine's fast path only without them
    result = gradient_of(graph, point, form, "sympy" if check and backend == "auto" else backend)
    if check:
        result.checks = gradient_checks(graph, point, result)
        if not result.ok:
            failed = ", ".join(f"{c.name} ({c.detail})" for c in result.checks
                               if c.passed is False)
            error = CheckFailure(f"self-check failed — this is a bug in symbp: {failed}")
            error.gradient = result
            raise error
    return result
