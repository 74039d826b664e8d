"""The ``explain`` and ``gradient`` commands: a program's derivatives, step by step or
the gradient alone (:func:`symbp.explain`, :func:`symbp.gradient`)."""

# No `from __future__ import annotations`: typer reads these annotations at run time.
from typing import Annotated

import typer

from .options import AsciiOpt, AtOpt, FileOpt, GradientForm, ProgramArg, program_text
from .output import Destination, delivering, say

__all__ = ["explain", "gradient"]

WrtOpt = Annotated[
    list[str] | None,
    typer.Option("--wrt", metavar="INPUT,…", help="Only these inputs in the paths and forward "
                 "mode (comma-separated or repeated).", show_default=False),
]
OutputOpt = Annotated[
    str | None,
    typer.Option("--output", metavar="NAME",
                 help="Differentiate this name instead of the last assigned.",
                 show_default=False),
]
MaxPathsOpt = Annotated[int, typer.Option("--max-paths", min=0, metavar="N",
                                          help="Paths listed per input.")]
NoShareOpt = Annotated[
    bool, typer.Option("--no-share", help="Keep identical subexpressions as separate nodes.")
]
ShowOpt = Annotated[
    list[str] | None,
    typer.Option("--show", "-s", metavar="SECTION,…",
                 help="Sections to show: graph, partials, paths, forward, "
                 "reverse, cost, checks (comma-separated or repeated).", show_default=False),
]
FullOpt = Annotated[bool, typer.Option("--full", help="Show everything, even for big graphs.")]
GradientFullOpt = Annotated[
    bool, typer.Option("--full", help="In node names: every adjoint, node and term (by "
                       "default long lists show their first rows and how many more).")
]
NoCheckOpt = Annotated[
    bool, typer.Option("--no-check", help="Skip the self-checks (sympy.diff, finite "
                       "differences): faster for big programs.")
]
FormOpt = Annotated[
    GradientForm, typer.Option("--form", metavar="FORM",
                               help="Without --at: inputs (the gradient written out in the "
                               "inputs), nodes (in node names, adjoints defined one per node) "
                               "or auto (inputs when shallow and small enough).")
]
ExactOpt = Annotated[
    bool, typer.Option("--exact", help="Print long exact numbers in full (by default "
                       "one of more than 40 characters is shown as ≈ 1.07e301 (302 "
                       "digits)).")
]


@delivering("explain", inputs="file")
def explain(
    program: ProgramArg = None,
    file: FileOpt = None,
    at: AtOpt = None,
    wrt: WrtOpt = None,
    output: OutputOpt = None,
    max_paths: MaxPathsOpt = 8,
    no_share: NoShareOpt = False,
    show: ShowOpt = None,
    full: FullOpt = False,
    *,
    destination: Destination,
) -> None:
    """Explain the derivatives of a program step by step."""
    # looked up on each call (tests replace it), and loaded by `import symbp` anyway
    from ..explanation.derive import explain as derive

    text = program_text(program, file)
    destination.derive_and_deliver(lambda: derive(
        text, at=at, wrt=wrt, output=output, share=not no_share, max_paths=max_paths,
        sections=show, full=full))


def gradient(
    program: ProgramArg = None,
    file: FileOpt = None,
    at: AtOpt = None,
    ascii: AsciiOpt = False,
    no_check: NoCheckOpt = False,
    form: FormOpt = GradientForm.auto,
    exact: ExactOpt = False,
    full: GradientFullOpt = False,
) -> None:
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
