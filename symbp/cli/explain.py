"""The ``explain`` and ``gradient`` commands: a program's derivatives, step by step or
the gradient alone (:func:`symbp.explain`, :func:`symbp.gradient`)."""

# No `from __future__ import annotations`: typer reads these annotations at run time.

from .options import PROGRAM_OPTIONS, AsciiOpt, GradientForm, option, program_text, taking
from .output import Destination, delivering, say

__all__ = ["explain", "gradient"]

WrtOpt = option(list[str] | None, "--wrt", metavar="INPUT,…",
                help="Only these inputs in the paths and forward mode (comma-separated or "
                "repeated).", show_default=False)
OutputOpt = option(str | None, "--output", metavar="NAME",
                   help="Differentiate this name instead of the last assigned.",
                   show_default=False)
MaxPathsOpt = option(int, "--max-paths", min=0, metavar="N", default=8,
                     help="Paths listed per input.")
NoShareOpt = option(bool, "--no-share", default=False,
                    help="Keep identical subexpressions as separate nodes.")
ShowOpt = option(list[str] | None, "--show", "-s", metavar="SECTION,…",
                 help="Sections to show: graph, partials, paths, forward, reverse, cost, "
                 "checks (comma-separated or repeated).", show_default=False)
FullOpt = option(bool, "--full", default=False, help="Show everything, even for big graphs.")
GradientFullOpt = option(bool, "--full", default=False,
                         help="In node names: every adjoint, node and term (by default long "
                         "lists show their first rows and how many more).")
NoCheckOpt = option(bool, "--no-check", default=False,
                    help="Skip the self-checks (sympy.diff, finite differences): faster for "
                    "big programs.")
FormOpt = option(GradientForm, "--form", metavar="FORM", default=GradientForm.auto,
                 help="Without --at: inputs (the gradient written out in the inputs), nodes "
                 "(in node names, adjoints defined one per node) or auto (inputs when shallow "
                 "and small enough).")
ExactOpt = option(bool, "--exact", default=False,
                  help="Print long exact numbers in full (by default one of more than 40 "
                  "characters is shown as ≈ 1.07e301 (302 digits)).")

EXPLAIN_OPTIONS = {
    **PROGRAM_OPTIONS,
    "wrt": WrtOpt,
    "output": OutputOpt,
    "max_paths": MaxPathsOpt,
    "no_share": NoShareOpt,
    "show": ShowOpt,
    "full": FullOpt,
}
GRADIENT_OPTIONS = {
    **PROGRAM_OPTIONS,
    "ascii": AsciiOpt,
    "no_check": NoCheckOpt,
    "form": FormOpt,
    "exact": ExactOpt,
    "full": GradientFullOpt,
}


@delivering("explain", EXPLAIN_OPTIONS, inputs="file")
def explain(*, program, file, no_share, show, destination: Destination, **options) -> None:
    """Explain the derivatives of a program step by step."""
    # looked up on each call (tests replace it), and loaded by `import symbp` anyway
    from ..explanation.derive import explain as derive

    text = program_text(program, file)
    destination.derive_and_deliver(lambda: derive(
        text, share=not no_share, sections=show, **options))


@taking(GRADIENT_OPTIONS)
def gradient(*, program, file, at, ascii, no_check, form, exact, full) -> None:
    """Print only the gradient (the reverse sweep alone, checked like explain)."""
    from ..explanation.gradient import gradient as derive

    text = program_text(program, file)
    result = Destination.terminal(ascii=ascii, exact=exact, full=full).derive_and_deliver(
        # printed whole, it is read in SymPy: SymPy builds it directly (converting what
        # SymEngine built costs more than that, even with --no-check)
        lambda: derive(text, at=at, check=not no_check, form=form.value, backend="sympy"))
    for check in result.checks:
        if check.passed is None:
            say(f"note: {check.name}: {check.detail}")
