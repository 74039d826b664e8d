"""The computational graph: plain immutable records (JAX autodidax style).

A :class:`Graph` is a DAG of :class:`Node` records in topological order.  A node is
an input (a leaf) or one operation applied to operands; operands are other nodes
(by name) or constants.  Every operand slot that refers to a node is one
:class:`Edge`, so ``b = a + a`` has two edges from ``a``.  Every analysis in symbp
is a small interpreter over these records.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter
from typing import NamedTuple

import sympy

from ..errors import DomainError, SymbpError
from .collector import collector_paused
from .names import check_names
from .rules import rule_for

__all__ = ["Edge", "Graph", "Node"]

INPUT = "input"


@dataclass(frozen=True, slots=True)  # slots: no dict per node (10⁶ nodes: ~100 MB less)
class Node:
    """One vertex: an input (``op == "input"``) or ``op`` applied to ``args``.

    ``args`` holds operand node names (``str``) and constants (SymPy numbers).
    ``default`` is an input's value written in the program itself (``a = -4.0``).
    """

    name: str
    op: str = INPUT
    args: tuple[str | sympy.Expr, ...] = ()
    default: sympy.Expr | None = None

    @property
    def is_input(self) -> bool:
        """True for a leaf variable."""
        return self.op == INPUT

    @property
    def operands(self) -> tuple[str, ...]:
        """Names of the nodes this one reads, one per edge (repeats kept)."""
        return tuple([arg for arg in self.args if isinstance(arg, str)])


class Edge(NamedTuple):
    """Operand → consumer, for one operand slot of the consumer.

    A named tuple rather than a dataclass: edges key every per-edge table, and a
    tuple's hash and equality run in C (a frozen dataclass hashes in Python).
    """

    source: str
    target: str
    slot: int

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class Graph:
    """A computational graph with one output.

    ``nodes`` may be given in any order; they are stored in a deterministic
    topological order (iterative Kahn sort, ties kept in the given order).  Names are
    checked by :func:`symbp.names.check_names` (identifiers or ``w^{2}_{11}``, no two
    displayed alike) unless ``generated_names`` says symbp made them itself.

    ``index`` maps a node's name to its position in :attr:`nodes`; ``arg_positions`` holds
    each node's args with operand names replaced by those positions (constants stay as
    they are): the float sweeps index lists with these instead of looking every name up
    in a dict, so a big graph costs the same per edge as a small one (a million-entry
    dict misses the processor's caches on every lookup).
    """

    def __init__(self, nodes: Iterable[Node], output: str, *,
                 generated_names: bool = False) -> None:
        with collector_paused():  # one object per node, none freed: see core/collector.py
            self._build(nodes, output, generated_names)

    def _build(self, nodes: Iterable[Node], output: str, generated_names: bool) -> None:
        nodes = _nodes(nodes)
        if not generated_names:  # symbp's own names (networks) are valid and distinct
            # every name reaches generated code and documents: validated here, once
            check_names(node.name for node in nodes)
        # One pass, one dict look-up per operand: each node's operands are found among the
        # names before it (so a program's order is already topological and the positions
        # the float sweeps use come out of the same look-up).  A separate pass per check
        # read every node again: at 10⁶ edges each pass missed the caches on every node.
        index: dict[str, int] = {}
        positions: list[tuple[int | sympy.Expr, ...]] = []
        with_constants: list[Node] = []
        inputs: list[str] = []
        in_order = True
        for i, node in enumerate(nodes):
            name = node.name
            if name in index:
                raise SymbpError(f"two nodes are named {name!r}; names must be unique")
            args = node.args
            if node.op != INPUT:
                rule = rule_for(node.op)
                if len(args) != rule.arity:
                    raise SymbpError(
                        f"node {name!r}: {node.op} takes {rule.arity} operand(s), "
                        f"got {len(args)}"
                    )
            else:
                inputs.append(name)
            where = tuple([index.get(a) if isinstance(a, str) else a for a in args])
            if None in where:  # an operand later in the list, or not a node at all
                in_order = False
            if not all(isinstance(a, str) for a in args):
                with_constants.append(node)
            index[name] = i
            positions.append(where)
        if in_order:
            for node in with_constants:
                _check_constants(node)
        else:  # rare: nodes given out of order (or an operand that is not a node)
            for node in nodes:
                _check_constants(node)
                for operand in node.operands:
                    if operand not in index:
                        raise SymbpError(
                            f"node {node.name!r} reads {operand!r}, which is not a node")
        if not isinstance(output, str) or output not in index:
            raise SymbpError(f"the output {output!r} is not a node of the graph")
        if not in_order:
            nodes = _topological_order(nodes, [node.operands for node in nodes])
            index = {node.name: i for i, node in enumerate(nodes)}
            positions = [tuple([index[a] if isinstance(a, str) else a for a in node.args])
                         for node in nodes]
            inputs = [node.name for node in nodes if node.op == INPUT]
        self.nodes: tuple[Node, ...] = nodes
        # leaf names in graph order (first appearance in the program), found in the same
        # pass: every gradient reads them, and a second walk over the nodes cost a small
        # gradient a tenth of its time on a cold cache (benchmarks/bench_symbolic.py)
        self.inputs: tuple[str, ...] = tuple(inputs)
        self.output: str = output
        self.index: dict[str, int] = index
        self.arg_positions: tuple[tuple[int | sympy.Expr, ...], ...] = tuple(positions)
        self._depth: int | None = None

    # -- structure ---------------------------------------------------------------------------
    def __getitem__(self, name: str) -> Node:
        return self.nodes[self.index[name]]

    def __contains__(self, name: object) -> bool:
        return name in self.index

    def __len__(self) -> int:
        return len(self.nodes)

    def __repr__(self) -> str:
        return (
            f"Graph(output={self.output!r}, inputs={list(self.inputs)!r}, "
            f"nodes={len(self.nodes)}, edges={len(self.edges)})"
        )

    @cached_property
    def edges(self) -> tuple[Edge, ...]:
        """Every edge, ordered by consumer (topological) and then operand slot."""
        return tuple(
            Edge(arg, node.name, slot)
            for node in self.nodes
            for slot, arg in enumerate(node.args)
            if isinstance(arg, str)
        )

    @cached_property
    def in_edges(self) -> dict[str, tuple[Edge, ...]]:
        """Node name → edges from its operands, in slot order."""
        return self._edges_by(attrgetter("target"))

    @cached_property
    def out_edges(self) -> dict[str, tuple[Edge, ...]]:
        """Node name → edges to its consumers, in consumer order."""
        return self._edges_by(attrgetter("source"))

    def _edges_by(self, end) -> dict[str, tuple[Edge, ...]]:
        """Node name → the edges whose ``end(edge)`` it is, in the order of :attr:`edges`."""
        result: dict[str, list[Edge]] = {node.name: [] for node in self.nodes}
        for edge in self.edges:
            result[end(edge)].append(edge)
        return {name: tuple(edges) for name, edges in result.items()}

    # -- SymPy views ---------------------------------------------------------------------------
    @cached_property
    def symbols(self) -> dict[str, sympy.Symbol]:
        """Node name → real SymPy symbol of that name (``c_1`` prints as c₁), each made on
        first look-up: a big graph shows a dozen formulas, and a Symbol costs ~0.1 ms."""
        return _Symbols(self.index)

    def formula(self, name: str) -> sympy.Expr:
        """The node's formula in its operands' names, as written (``a + a``, ``a - b``)."""
        node = self[name]
        if node.is_input:
            return self.symbols[name]
        return rule_for(node.op).formula(*self._operand_objects(node, self.symbols))

    def _operand_objects(self, node: Node, env: dict[str, object]) -> list:
        return [env[arg] if isinstance(arg, str) else arg for arg in node.args]

    def operand_values(self, name: str, env: dict[str, object]) -> list:
        """The node's operands looked up in ``env`` (name → object); constants as they are."""
        return self._operand_objects(self[name], env)

    def expression(self) -> sympy.Expr:
        """The output written out in the inputs alone (the "expanded" expression).

        Shared nodes become shared SymPy subtrees; the printed form can still be
        exponentially long, so callers check :func:`tree_size` first.
        """
        env: dict[str, sympy.Expr] = {}
        for node in self.nodes:
            if node.is_input:
                env[node.name] = self.symbols[node.name]
            else:
                env[node.name] = rule_for(node.op).value(*self._operand_objects(node, env))
        return env[self.output]

    def tree_size(self) -> int:
        """Number of operations in the output written out as a tree (shared nodes repeated)."""
        size: dict[str, int] = {}
        for node in self.nodes:
            size[node.name] = 1 + sum(size[arg] for arg in node.operands)
        return size[self.output]

    def depth(self) -> int:
        """Levels of nesting of the output written out in the inputs (``sin(sin(x))``: 2).

        SymPy walks an expression recursively, a few Python frames per level, so a deep
        written-out form (a long chain of statements) hits Python's recursion limit;
        callers compare this with :data:`symbp.limits.SYMBOLIC_DEPTH`.  Iterative.
        """
        if self._depth is None:  # asked several times per gradient; a graph never changes
            level: list[int] = []
            for args in self.arg_positions:
                level.append(1 + max([level[a] for a in args if type(a) is int], default=-1))
            self._depth = level[self.index[self.output]]
        return self._depth

    def program(self) -> str:
        """The graph as a program, one assignment per operation (parses back to this graph)."""
        from .printing import plain  # local: printing imports nothing from here

        return "\n".join(
            f"{node.name} = {plain(self.formula(node.name), as_written=True)}"
            for node in self.nodes
            if not node.is_input
        )


class _Symbols(dict):
    """A dict of node name → Symbol that makes each symbol when first looked up."""

    def __init__(self, names) -> None:
        super().__init__()
        self._names = names

    def __missing__(self, name: str) -> sympy.Symbol:
        if name not in self._names:
            raise KeyError(name)
        symbol = self[name] = sympy.Symbol(name, real=True)
        return symbol

    def __reduce__(self):  # pickled with its names, not its (partial) contents
        return (_Symbols, (self._names,))


def _nodes(nodes: Iterable[Node]) -> tuple[Node, ...]:
    """``nodes`` as a tuple, each checked to be a well-formed :class:`Node`.

    Constants and defaults must be SymPy numbers: a string there would be handed to
    SymPy, which evaluates strings as Python.
    """
    if isinstance(nodes, str | bytes) or not isinstance(nodes, Iterable):
        raise SymbpError(f"Graph: nodes must be an iterable of Node, got {type(nodes).__name__}")
    nodes = tuple(nodes)
    for node in nodes:
        if not isinstance(node, Node):
            raise SymbpError(f"Graph: nodes must be Node records, got {type(node).__name__}")
        if not isinstance(node.op, str):
            raise SymbpError(f"node {node.name!r}: op must be a string such as 'add', got "
                             f"{type(node.op).__name__}")
        if not isinstance(node.args, tuple):
            raise SymbpError(f"node {node.name!r}: args must be a tuple, got "
                             f"{type(node.args).__name__}")
        for arg in node.args:
            if not (isinstance(arg, str) or _is_number(arg)):
                raise SymbpError(f"node {node.name!r}: an operand is a node name or a SymPy "
                                 f"number (sympy.Integer(2)), got {arg!r}")
        if node.default is not None and not _is_number(node.default):
            raise SymbpError(f"node {node.name!r}: default must be a SymPy number, got "
                             f"{node.default!r}")
    return nodes


def _is_number(value: object) -> bool:
    return isinstance(value, sympy.Expr) and value.is_number


def _check_constants(node: Node) -> None:
    """Refuse a node that is undefined whatever its inputs are: a constant that is not a
    finite real number (SymPy's ``oo``, ``zoo``, ``nan``, ``I``), or an operation on
    constants that is (``x/0``).  Without this, ``zoo`` would travel into every result."""
    if node.is_input or not any(not isinstance(arg, str) for arg in node.args):
        return
    for arg in node.args:
        if not isinstance(arg, str) and not _finite_real(arg):
            raise DomainError(f"undefined: node {node.name} has {_describe_constant(arg)}; "
                              "symbp computes with finite real numbers only")
    stand_ins = [sympy.Symbol(f"_{k}", positive=True) if isinstance(arg, str) else arg
                 for k, arg in enumerate(node.args)]
    value = rule_for(node.op).value(*stand_ins)
    if isinstance(value, sympy.Basic) and value.has(*_NOT_FINITE):
        raise DomainError(f"undefined: {rule_for(node.op).domain} at node {node.name}")


_NOT_FINITE = (sympy.zoo, sympy.oo, -sympy.oo, sympy.nan)


def _finite_real(value) -> bool:
    value = sympy.sympify(value, strict=True)
    return bool(value.is_number and value.is_extended_real is not False
                and not value.has(*_NOT_FINITE, sympy.I))


def _describe_constant(value) -> str:
    value = sympy.sympify(value, strict=True)
    if value.has(sympy.zoo):
        return "an infinite constant (a division by zero)"
    if value.has(sympy.nan):
        return "a constant that is not a number"
    if value.has(sympy.oo, -sympy.oo):
        return "an infinite constant"
    return "a complex constant"


def _topological_order(nodes: tuple[Node, ...], operands: list[tuple[str, ...]]
                       ) -> tuple[Node, ...]:
    """Kahn's algorithm, iterative (no recursion limit), stable with respect to ``nodes``.

    Nodes already in an order where every operand comes before its reader (as a program
    writes them) are that order: Kahn's algorithm, always taking the earliest ready node,
    would return them unchanged, so one pass checks it and the heap is not needed.
    """
    position = {node.name: i for i, node in enumerate(nodes)}
    if all(position[operand] < i for i, reads in enumerate(operands) for operand in reads):
        return nodes
    waiting = {node.name: len(set(reads)) for node, reads in zip(nodes, operands, strict=True)}
    readers: dict[str, list[str]] = {node.name: [] for node in nodes}
    for node, reads in zip(nodes, operands, strict=True):
        for operand in dict.fromkeys(reads):
            readers[operand].append(node.name)
    ready = [position[node.name] for node in nodes if waiting[node.name] == 0]
    heapq.heapify(ready)
    ordered: list[Node] = []
    while ready:
        node = nodes[heapq.heappop(ready)]
        ordered.append(node)
        for reader in readers[node.name]:
            waiting[reader] -= 1
            if waiting[reader] == 0:
                heapq.heappush(ready, position[reader])
    if len(ordered) != len(nodes):
        stuck = sorted(name for name, count in waiting.items() if count > 0)
        raise SymbpError(f"the graph has a cycle through {', '.join(stuck[:5])}")
    return tuple(ordered)
