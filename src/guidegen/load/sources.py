"""Reading YAML input files while remembering where every value came from.

Validation errors are only useful when they say *where*: this module loads a
YAML file into plain Python data and, alongside it, a map from each field path
to its line and column, so a pydantic error at ``skills[2].level`` can be
reported at ``profile.yaml:9:12``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from guidegen.errors import Problem, UserError
from guidegen.models import limits
from guidegen.models.limits import Limit

FieldPath = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column


# LibYAML's parser when PyYAML was built with it (it is, in the usual wheels):
# several times faster than the pure-Python one, with the same marks and errors.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """SafeLoader that leaves dates as text.

    PyYAML turns ``2026-02-30`` into a crash inside the loader rather than a
    value; as text it reaches the schema, which reports it like any other field.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class SourceMap:
    """Where each value of a loaded document stands in its file."""

    file: Path | None
    positions: dict[FieldPath, Position] = field(default_factory=dict)
    key_positions: dict[FieldPath, Position] = field(default_factory=dict)

    def locate(self, path: FieldPath, *, key: bool = False) -> Position | None:
        """The position of `path`, or of its nearest ancestor that has one."""
        if key and path in self.key_positions:
            return self.key_positions[path]
        while True:
            if path in self.positions:
                return self.positions[path]
            if not path:
                return None
            path = path[:-1]


@dataclass
class Source:
    """A loaded document: its data, and where each part of it came from."""

    data: Any
    map: SourceMap


def load_yaml(text: str, file: Path | None = None) -> Source:
    """Parse YAML text into data and a source map; a syntax error is a UserError."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise UserError(
            Problem(
                f"this is not valid YAML: {error.problem or error}",
                file=file,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            )
        ) from None
    except yaml.YAMLError as error:
        raise UserError(Problem(f"this is not valid YAML: {error}", file=file)) from None
    finally:
        loader.dispose()
    source_map = SourceMap(file)
    if node is None:
        return Source(None, source_map)
    _record_positions(node, (), source_map)
    duplicates = list(_duplicate_keys(node, file))
    if duplicates:
        raise UserError(duplicates)
    return Source(data, source_map)


def load_yaml_file(path: Path, *, limit: Limit = limits.FILE_BYTES) -> Source:
    """Read and parse a YAML file of at most `limit` bytes; unreadable files are UserErrors too."""
    try:
        size = path.stat().st_size
        if not limit.allows(size):
            raise UserError(Problem(limit.exceeded("this file is", size), file=path))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(Problem("no such file", file=path)) from None
    except IsADirectoryError:
        raise UserError(Problem("this is a folder; expected a YAML file", file=path)) from None
    except UnicodeDecodeError as error:
        raise UserError(
            Problem(f"this is not UTF-8 text (byte {error.start}); save it as UTF-8", file=path)
        ) from None
    except OSError as error:
        raise UserError(Problem(f"cannot read it: {error.strerror}", file=path)) from None
    return load_yaml(text, path)


def _duplicate_keys(node: yaml.Node, file: Path | None, path: str = ""):
    """A key given twice: YAML keeps the last silently, which hides a coach's typo."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                yield Problem(
                    f"{key!r} is given twice (first on line {seen[key]}); keep one",
                    file=file,
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                    field=f"{path}.{key}" if path else key,
                )
            else:
                seen[key] = key_node.start_mark.line + 1
            yield from _duplicate_keys(value_node, file, f"{path}.{key}" if path else key)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, file, f"{path}[{index}]")


def _record_positions(
    node: yaml.Node, path: FieldPath, source_map: SourceMap, seen: set[int] | None = None
) -> None:
    seen = set() if seen is None else seen
    if id(node) in seen:
        # An alias (*name) reuses a node: a "billion laughs" file nests them to blow up
        # into gigabytes. No guidegen file needs them, so none is accepted.
        raise UserError(
            Problem(
                "YAML anchors and aliases (&name, *name) are not allowed; write the value out",
                file=source_map.file,
                line=node.start_mark.line + 1,
                column=node.start_mark.column + 1,
            )
        )
    seen.add(id(node))
    source_map.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            child = (*path, key)
            source_map.key_positions[child] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            _record_positions(value_node, child, source_map, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_positions(item, (*path, index), source_map, seen)
