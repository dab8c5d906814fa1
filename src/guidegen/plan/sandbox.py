"""Template text, rendered in a sandbox whose cost is known before it runs.

A template's prose may use placeholders (``{{ first_name }}``), filters that
change case, ``{% if %}`` and ``{% for %}``: what prose needs, and nothing that
can run away. Jinja's own sandbox stops a template from reaching Python
objects, but not from asking for ``{{ 'x' * 2000000000 }}`` (folded into a
2 GB constant while compiling) or three nested ``{% for %}`` loops over
``range(100000)``. So each text is checked first, statically:

- only the constructs below are allowed; names are the placeholders and the
  loop variables, nothing else (no ``range``, no calls, no arithmetic, no
  ``{% set %}``); a placeholder that is a list of records (``phases``) is read
  only as ``phases[0].name``: a constant index, then one of its known fields;
- the most characters the text can print is computed from the longest value
  a placeholder can have, and so is the number of loop iterations, nested
  loops multiplied; both must be within their limits.

`problems` is that check; `render` runs exactly it before rendering, so a text
that `guidegen validate` passes cannot be refused, or cost more than its
limits, when a guide is made. The rendered output is still counted as it is
produced, as a second line of defence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from guidegen.models import limits

OUTPUT = limits.LONG_TEXT_CHARS
ITERATIONS = limits.TEMPLATE_TEXT_LOOP_ITERATIONS
NESTING = limits.TEMPLATE_TEXT_LOOP_NESTING
VALUE_CHARS = limits.SHORT_TEXT_CHARS.value
"""The longest a placeholder's value can be: every one is a profile's short text or a number."""
CASE_GROWTH = 3
"""Changing case can lengthen text: 'ß'.upper() is 'SS', 'ΐ'.upper() three characters."""

TEXT, NUMBER, BOOL, NONE, ANY = "text", "number", "bool", "none", "any"
CASE_FILTERS = {"upper", "lower", "title", "capitalize"}
FILTERS = {*CASE_FILTERS, "trim", "default", "d", "length", "count", "wordcount", "string"}
TESTS = {"defined", "undefined", "none", "string", "number"}
LOOP_ATTRIBUTES = {
    "index": NUMBER,
    "index0": NUMBER,
    "revindex": NUMBER,
    "revindex0": NUMBER,
    "length": NUMBER,
    "first": BOOL,
    "last": BOOL,
}
_STATEMENT_NAMES = {
    nodes.Assign: "{% set %}",
    nodes.AssignBlock: "{% set %}",
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.FilterBlock: "{% filter %}",
    nodes.With: "{% with %}",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from ... import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
}


class TemplateTextError(Exception):
    """A template text that cannot be rendered; the message says why."""


def has_syntax(text: str) -> bool:
    """Whether Jinja would see anything but plain text in `text`."""
    return "{{" in text or "{%" in text or "{#" in text


def problems(
    text: str, names: Iterable[str], records: Mapping[str, Iterable[str]] | None = None
) -> list[str]:
    """Why `text` may not be rendered with placeholders `names`; empty when it may.

    `records` maps the names that are lists of records to the fields each record has
    (``{"phases": ["name", "span", ...]}``)."""
    try:
        tree = _environment().parse(text)
    except TemplateError as error:
        return [f"broken placeholder syntax: {error.message}"]
    names = tuple(names)
    checker = _Checker(
        frozenset(names), {name: frozenset(fields) for name, fields in (records or {}).items()}
    )
    chars = checker.statements(tree.body, scope={}, depth=0, iterations=1)
    found = list(dict.fromkeys(checker.problems))
    if checker.unknown:
        found.insert(
            0,
            f"unknown placeholder {', '.join(sorted(checker.unknown))}; "
            f"expected one of {', '.join(names)}",
        )
    if not found and chars > OUTPUT.value:
        found.append(
            f"this text can print up to {chars:,} characters with the longest values its "
            f"placeholders can have; {OUTPUT.expected()}"
        )
    return found


def render(
    text: str,
    values: Mapping[str, object],
    *,
    names: Iterable[str],
    records: Mapping[str, Iterable[str]] | None = None,
) -> str:
    """`text` with its placeholders filled from `values`, after the checks of
    `problems(text, names, records)`."""
    found = problems(text, names, records)
    if found:
        raise TemplateTextError("; ".join(found))
    for name, value in values.items():
        # The bounds above assume every value is at most VALUE_CHARS: a bug if not.
        if name in (records or {}):
            # A record's own data (a phase's name from the template); its computed fields
            # (dates written by guidegen) are short by construction and not worth making.
            texts = [
                str(field)
                for item in value  # type: ignore[attr-defined]
                for key, field in vars(item).items()
                if not key.startswith("_")
            ]
        else:
            texts = [str(value)]
        if any(len(text) > VALUE_CHARS for text in texts):
            raise ValueError(f"placeholder {name} is longer than {VALUE_CHARS} characters")
    output: list[str] = []
    size = 0
    try:
        for chunk in _compiled(text).generate(values):
            size += len(chunk)
            if size > OUTPUT.value:
                raise TemplateTextError(f"this text prints too much; {OUTPUT.expected()}")
            output.append(chunk)
    except TemplateError as error:
        raise TemplateTextError(str(error)) from None
    return "".join(output)


def parse(text: str) -> nodes.Template:
    """`text` parsed as the sandbox parses it (raises jinja2.TemplateError)."""
    return _environment().parse(text)


class _Environment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with nothing in it but the allowed filters and tests."""

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=False)
        self.globals.clear()  # no range(), lipsum(), dict(), cycler(), namespace()
        self.filters = {name: self.filters[name] for name in FILTERS}
        self.tests = {name: self.tests[name] for name in TESTS}


@lru_cache(maxsize=1)
def _environment() -> _Environment:
    return _Environment()


@lru_cache(maxsize=512)
def _compiled(text: str):
    return _environment().from_string(text)


@dataclass(frozen=True)
class _Value:
    kind: str
    chars: int
    """The most characters it prints as (and, for text, the most items it iterates)."""


_BOOL = _Value(BOOL, 5)
_REFUSED = _Value(ANY, 0)


class _Checker:
    """Walks a parsed text: refuses what is not allowed, and bounds what is."""

    def __init__(self, names: frozenset[str], records: dict[str, frozenset[str]]):
        self.names = names
        self.records = records
        self.problems: list[str] = []
        self.unknown: set[str] = set()

    def refuse(self, what: str) -> _Value:
        self.problems.append(f"not available in template text: {what}")
        return _REFUSED

    # --- statements: each returns the most characters it can print ------------------------

    def statements(
        self, body: list[nodes.Node], *, scope: dict[str, _Value], depth: int, iterations: int
    ) -> int:
        total = 0
        for node in body:
            if isinstance(node, nodes.Output):
                for child in node.nodes:
                    if isinstance(child, nodes.TemplateData):
                        total += len(child.data)
                    else:
                        total += self.expression(child, scope).chars
            elif isinstance(node, nodes.If):
                total += self._if(node, scope, depth, iterations)
            elif isinstance(node, nodes.For):
                total += self._for(node, scope, depth, iterations)
            else:
                self.refuse(_STATEMENT_NAMES.get(type(node), f"{{% {type(node).__name__} %}}"))
        return total

    def _if(self, node: nodes.If, scope: dict, depth: int, iterations: int) -> int:
        self.expression(node.test, scope)
        branches = [self.statements(node.body, scope=scope, depth=depth, iterations=iterations)]
        for branch in node.elif_:
            branches.append(self._if(branch, scope, depth, iterations))
        branches.append(
            self.statements(node.else_, scope=scope, depth=depth, iterations=iterations)
        )
        return max(branches)

    def _for(self, node: nodes.For, scope: dict, depth: int, iterations: int) -> int:
        if node.recursive:
            self.refuse("a recursive {% for %}")
        if not isinstance(node.target, nodes.Name):
            self.refuse("unpacking in {% for %}")
            return 0
        source = self.expression(node.iter, scope)
        if source == _REFUSED:
            return 0
        if source.kind != TEXT:
            self.refuse("a {% for %} over anything but a placeholder")
            return 0
        if depth + 1 > NESTING.value:
            self.problems.append(f"{{% for %}} loops nested {depth + 1} deep; {NESTING.expected()}")
            return 0
        if iterations * source.chars > ITERATIONS.value:
            self.problems.append(
                f"these {{% for %}} loops can run {iterations * source.chars:,} times with the "
                f"longest values their placeholders can have; {ITERATIONS.expected()}"
            )
            return 0
        inner = {**scope, node.target.name: _Value(TEXT, 1), "loop": _Value(ANY, 0)}
        if node.test is not None:
            self.expression(node.test, inner)
        body = self.statements(
            node.body, scope=inner, depth=depth + 1, iterations=iterations * source.chars
        )
        otherwise = self.statements(node.else_, scope=scope, depth=depth, iterations=iterations)
        return max(source.chars * body, otherwise)

    # --- expressions: each returns its kind and the most characters it prints as ---------

    def expression(self, node: nodes.Node, scope: dict[str, _Value]) -> _Value:
        if isinstance(node, nodes.Const):
            return self._const(node.value)
        if isinstance(node, nodes.Name):
            if node.name == "loop" and "loop" in scope:
                return self.refuse("loop on its own (use loop.index, loop.first...)")
            if node.name in scope:
                return scope[node.name]
            if node.name in self.records:
                fields = ", ".join(sorted(self.records[node.name]))
                return self.refuse(
                    f"{node.name} on its own (use {node.name}[0].name; fields: {fields})"
                )
            if node.name not in self.names:
                self.unknown.add(node.name)
            return _Value(TEXT, VALUE_CHARS)
        if isinstance(node, nodes.Getattr):
            if (
                isinstance(node.node, nodes.Name)
                and node.node.name == "loop"
                and "loop" in scope
                and node.attr in LOOP_ATTRIBUTES
            ):
                return _Value(LOOP_ATTRIBUTES[node.attr], 6)
            record = self._record(node.node)
            if record is not None:
                if node.attr in self.records[record]:
                    return _Value(TEXT, VALUE_CHARS)
                fields = ", ".join(sorted(self.records[record]))
                return self.refuse(f"{record}[...].{node.attr} (a {record} record has: {fields})")
            return self.refuse("attribute access (a.b)")
        if isinstance(node, nodes.Filter):
            return self._filter(node, scope)
        if isinstance(node, nodes.Test):
            self._arguments(node, scope)
            if node.name not in TESTS:
                self.refuse(f"the test {node.name!r} (use {', '.join(sorted(TESTS))})")
            self.expression(node.node, scope)
            return _BOOL
        if isinstance(node, nodes.Concat):
            return _Value(TEXT, sum(self.expression(part, scope).chars for part in node.nodes))
        if isinstance(node, nodes.CondExpr):
            self.expression(node.test, scope)
            if node.expr2 is None:
                return self.refuse("an inline if without else")
            first, second = self.expression(node.expr1, scope), self.expression(node.expr2, scope)
            return _Value(_join_kinds(first, second), max(first.chars, second.chars))
        if isinstance(node, nodes.Compare):
            return self._compare(node, scope)
        if isinstance(node, nodes.And | nodes.Or):
            left, right = self.expression(node.left, scope), self.expression(node.right, scope)
            return _Value(_join_kinds(left, right), max(left.chars, right.chars))
        if isinstance(node, nodes.Not):
            self.expression(node.node, scope)
            return _BOOL
        if isinstance(node, nodes.Call):
            return self.refuse("calling a function or method")
        if isinstance(node, nodes.BinExpr | nodes.UnaryExpr):
            return self.refuse(f"arithmetic ({node.operator})")
        if isinstance(node, nodes.Getitem) and self._record(node) is not None:
            return self.refuse(f"{self._record(node)}[...] on its own (name one of its fields)")
        if isinstance(node, nodes.Getitem | nodes.Slice):
            return self.refuse("indexing (a[b])")
        if isinstance(node, nodes.List | nodes.Tuple | nodes.Dict):
            return self.refuse("a list, tuple or dict")
        return self.refuse(type(node).__name__)

    def _record(self, node: nodes.Node) -> str | None:
        """The list name when `node` is one of its records by a constant index
        (`phases[0]`, `phases[-1]`), else None."""
        if not (
            isinstance(node, nodes.Getitem)
            and isinstance(node.node, nodes.Name)
            and node.node.name in self.records
        ):
            return None
        index = node.arg
        if isinstance(index, nodes.Neg):
            index = index.node
        if isinstance(index, nodes.Const) and isinstance(index.value, int):
            return node.node.name
        return None

    @staticmethod
    def _const(value: object) -> _Value:
        if isinstance(value, str):
            return _Value(TEXT, len(value))
        if isinstance(value, bool):
            return _BOOL
        if value is None:
            return _Value(NONE, 4)
        return _Value(NUMBER, len(str(value)))

    def _arguments(self, node: nodes.Filter | nodes.Test, scope: dict) -> list[_Value]:
        if node.kwargs or node.dyn_args or node.dyn_kwargs:
            self.refuse(f"keyword or * arguments to {node.name}")
        return [self.expression(argument, scope) for argument in node.args]

    def _filter(self, node: nodes.Filter, scope: dict) -> _Value:
        arguments = self._arguments(node, scope)
        if node.name not in FILTERS:
            return self.refuse(f"the filter {node.name!r} (use {', '.join(sorted(FILTERS))})")
        value = self.expression(node.node, scope)
        if node.name in CASE_FILTERS:
            return _Value(TEXT, value.chars * CASE_GROWTH)
        if node.name in {"trim", "string"}:
            return _Value(TEXT, value.chars)
        if node.name in {"default", "d"}:
            fallback = arguments[0] if arguments else _Value(TEXT, 0)
            return _Value(_join_kinds(value, fallback), max(value.chars, fallback.chars))
        if node.name in {"length", "count"} and value.kind != TEXT:
            return self.refuse(f"{node.name} of anything but text")
        return _Value(NUMBER, 6)

    def _compare(self, node: nodes.Compare, scope: dict) -> _Value:
        left = self.expression(node.expr, scope)
        for operand in node.ops:
            right = self.expression(operand.expr, scope)
            if operand.op in {"in", "notin"}:
                if left.kind != TEXT or right.kind != TEXT:
                    self.refuse("'in' between anything but text")
            elif operand.op not in {"eq", "ne"}:
                self.refuse("ordering comparisons (<, >)")
            left = right
        return _BOOL


def _join_kinds(first: _Value, second: _Value) -> str:
    return first.kind if first.kind == second.kind else ANY
