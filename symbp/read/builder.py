"""Builds a :class:`~symbp.core.graph.Graph` step by step, as a program is read.

The builder is where the graph's *naming* lives, shared by the text parser and
``from_sympy``:

- identical subexpressions are merged into one node (unless ``share=False``);
- a reassigned name gets versions: ``c``, ``c_1``, ``c_2`` (printed c, c₁, c₂);
- nodes nobody named get the first unused single lowercase letters in evaluation
  order, so ``e=(a+b)*(b+1)`` yields ``c = a + b``, ``d = b + 1`` as in the classic
  figure; after the letters run out, numbered names ``v_1, v_2, …``;
- only ancestors of the output are kept.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

import sympy

from ..core.graph import INPUT, Graph, Node
from ..core.names import display_key

__all__ = ["GraphBuilder"]

Ref = int
Arg = Ref | sympy.Expr


@dataclass(slots=True)
class _Record:
    op: str
    args: tuple[Arg, ...]
    base: str | None = None  # the user's name for it, if any
    default: sympy.Expr | None = None
    name: str = ""  # final name, given by finish()


@dataclass
class GraphBuilder:
    """Collects nodes; :meth:`finish` names them and returns the graph."""

    share: bool = True
    reserved: set[str] = field(default_factory=set)  # every identifier the user wrote
    _records: list[_Record] = field(default_factory=list)
    _shared: dict[tuple, Ref] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self._records)

    def input(self, base: str, default: sympy.Expr | None = None) -> Ref:
        """A new leaf named ``base`` (a version suffix is added if the name is reused)."""
        self._records.append(_Record(INPUT, (), base, default))
        return len(self._records) - 1

    def apply(self, op: str, args: tuple[Arg, ...], *, fresh: bool = False) -> Ref:
        """``op(*args)`` as a node; an identical earlier node is reused unless ``fresh``."""
        # operands that are all nodes key as themselves; a constant keys as its srepr
        # (2 and 2.0 differ), each node then tagged so it cannot pass for a number
        if all(type(a) is int for a in args):
            key = (op, args)
        else:
            key = (op, tuple([("n", a) if isinstance(a, int) else ("k", sympy.srepr(a))
                              for a in args]))
        if self.share and not fresh and key in self._shared:
            return self._shared[key]
        self._records.append(_Record(op, args))
        ref = len(self._records) - 1
        self._shared.setdefault(key, ref)
        return ref

    def is_named(self, ref: Ref) -> bool:
        """True once a user name has been given to the node."""
        return self._records[ref].base is not None

    def is_input(self, ref: Ref) -> bool:
        """True for a leaf (an input), false for an operation."""
        return self._records[ref].op == INPUT

    def base_name(self, ref: Ref) -> str | None:
        """The user's name for the node, if any."""
        return self._records[ref].base

    def label(self, ref: Ref, base: str) -> None:
        """Give an unnamed node the user's name ``base``."""
        self._records[ref].base = base

    def finish(self, output: Ref, *, output_base: str | None = None) -> Graph:
        """Name every node and return the graph of the output's ancestors.

        ``output_base`` names an output nobody named (a bare expression: ``f``).
        """
        records = self._records
        used = _Taken(self.reserved)
        self._name_versions(used)
        keep = self._ancestors(output)
        if not records[output].name:
            records[output].name = used.claim(_preferred(output_base))
        letters = iter(_letters_then_numbers())
        for ref in sorted(keep):
            if not records[ref].name:
                records[ref].name = used.claim(letters)
        dropped = sorted(
            {r.base for i, r in enumerate(records) if i not in keep and r.base is not None}
            - {records[i].base for i in keep}
        )
        if dropped:
            listed = ", ".join(dropped[:8]) + (f" and {len(dropped) - 8} more" if
                                                len(dropped) > 8 else "")
            self.notes.append(f"not used by the output {records[output].name}: {listed}")
        nodes = [
            Node(
                records[ref].name,
                records[ref].op,
                tuple([records[a].name if isinstance(a, int) else a for a in records[ref].args]),
                records[ref].default,
            )
            for ref in sorted(keep)
        ]
        return Graph(nodes, records[output].name)

    def _name_versions(self, used: _Taken) -> None:
        """First node a user called ``c`` is ``c``; later ones ``c_1``, ``c_2``, …"""
        seen: dict[str, int] = {}
        for record in self._records:
            if record.base is None:
                continue
            count = seen.get(record.base, 0)
            seen[record.base] = count + 1
            if count == 0:
                record.name = record.base
                if record.name not in self.reserved:  # reserved names are in use already
                    used.add(record.name)
        seen.clear()
        for record in self._records:
            if record.base is None:
                continue
            count = seen.get(record.base, 0)
            seen[record.base] = count + 1
            if count > 0:
                candidates = (f"{record.base}_{k}" for k in range(count, 10**9))
                record.name = used.claim(candidates)

    def _ancestors(self, output: Ref) -> set[Ref]:
        keep: set[Ref] = set()
        stack = [output]
        while stack:  # iterative: deep programs must not hit the recursion limit
            ref = stack.pop()
            if ref in keep:
                continue
            keep.add(ref)
            stack.extend(a for a in self._records[ref].args if isinstance(a, int))
        return keep


class _Taken:
    """Names in use, compared as a reader sees them: a generated name must not display
    like one the user wrote (``v_1`` beside the user's ``v1``: both show as v₁)."""

    def __init__(self, names) -> None:
        self._keys = {display_key(name) for name in names}

    def add(self, name: str) -> None:
        self._keys.add(display_key(name))

    def claim(self, candidates) -> str:
        """The first of ``candidates`` not in use, now in use (each display worked out once)."""
        keys = self._keys
        for candidate in candidates:
            key = display_key(candidate)
            if key not in keys:
                keys.add(key)
                return candidate
        raise AssertionError("candidate names are unbounded")  # pragma: no cover


def _letters_then_numbers():
    yield from string.ascii_lowercase
    k = 1
    while True:
        yield f"v_{k}"
        k += 1


def _preferred(first: str | None):
    """``first``, then the letters after it, then any letter or number."""
    if first is not None:
        yield first
        if first in string.ascii_lowercase:
            yield from string.ascii_lowercase[string.ascii_lowercase.index(first) + 1 :]
    yield from _letters_then_numbers()
