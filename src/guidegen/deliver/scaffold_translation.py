"""A translation file to fill in: a template's text, ready to be rewritten in another
language (`guidegen templates translate ID --lang es`).

The skeleton has the template's structure and only its text, each in the template's
own language, to be overwritten in place; facts (ids, efforts, money, URLs) are left
out, as `guidegen.load.translation` keeps them from the template. Lists have the
template's length and order, so the file merges as soon as it is written; `guidegen
validate --lang es` then lists every text still to write.
"""

from __future__ import annotations

import textwrap
from typing import Any

import yaml

from guidegen.language.catalogs import language_name
from guidegen.models.languages import FACT_KEYS, NAME_KEYS

WIDTH = 96
NAME_HINTS = {
    "aliases": "other titles people write in {language} for this role",
    "evidenced_by": "the skill as {language} CVs write it, if not as above",
    "covered_by": "the skill as {language} CVs write it, if not as above",
}


def translation_skeleton(data: dict, language: str, template_file: str, schema: str) -> str:
    """The text of ``<language>/<id>.yaml`` for the template `data` (its raw content)."""
    name = language_name(language)
    lines = [
        f"# yaml-language-server: $schema={schema}",
        f"# {name} translation of {template_file}: overwrite each text with its {name}",
        "# version, written as a native career coach would write it for this audience (not",
        "# word for word). Keep {{ placeholders }} as they are. Facts (efforts, priorities,",
        "# money, URLs) stay in the template; keep every list's length and order. Add",
        f"# well-known resources in {name} with `language: {language}`. See docs/templates.md,",
        f'# "Translating a template"; check with `guidegen validate --lang {language} FILE`.',
    ]
    _mapping(data, 0, lines, language)
    return "\n".join(lines) + "\n"


def _mapping(data: dict, indent: int, lines: list[str], language: str) -> None:
    pad = " " * indent
    for key, value in data.items():
        if key in FACT_KEYS or not _has_text(value, key):
            continue
        if indent == 0:
            lines.append("")  # a blank line between the template's sections
        if key in NAME_KEYS:
            hint = NAME_HINTS[key].format(language=language_name(language))
            lines.append(f"{pad}{key}: []{' ' * max(1, 30 - len(key) - indent)}# {hint}")
        elif key == "resources":
            _resources(value, indent, lines, language)
        elif isinstance(value, str):
            lines += _scalar(f"{pad}{key}:", value, indent + 2)
        elif isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            _mapping(value, indent + 2, lines, language)
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:")
            _items(value, indent + 2, lines, language)


def _items(items: list, indent: int, lines: list[str], language: str) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, str):
            lines += _scalar(f"{pad}-", item, indent + 2)
        elif isinstance(item, dict) and _has_text(item, None):
            inner: list[str] = []
            _mapping(item, indent + 2, inner, language)
            inner[0] = f"{pad}- {inner[0][indent + 2 :]}"
            lines += inner
        else:
            lines.append(f"{pad}- {{}}")  # nothing to translate: keeps the list's order


def _resources(resources: list, indent: int, lines: list[str], language: str) -> None:
    pad = " " * indent
    lines.append(f"{pad}resources:  # titles stay unless a resource has an official translation")
    for resource in resources:
        title = resource.get("title", "") if isinstance(resource, dict) else ""
        lines += _scalar(f"{pad}  - title:", title, indent + 6)
    lines += [
        f"{pad}  # - title: a well-known resource in {language_name(language)}, if there is one",
        f"{pad}  #   provider: ...",
        f"{pad}  #   kind: course",
        f"{pad}  #   url: https://...",
        f"{pad}  #   language: {language}",
    ]


def _scalar(prefix: str, text: str, indent: int) -> list[str]:
    """`prefix` and `text` as YAML: plain or quoted on one line, folded when long, literal
    when it has line breaks (paragraphs)."""
    pad = " " * indent
    if "\n" in text.strip():
        body = [f"{pad}{line}" if line.strip() else "" for line in text.strip().split("\n")]
        return [f"{prefix} |", *body]
    one_line = yaml.safe_dump(text, allow_unicode=True, width=10_000).removesuffix("\n...\n")
    one_line = one_line.strip()
    if len(prefix) + 1 + len(one_line) <= WIDTH:
        return [f"{prefix} {one_line}"]
    wrapped = textwrap.wrap(text.strip(), width=WIDTH - indent, break_on_hyphens=False)
    return [f"{prefix} >-", *(f"{pad}{line}" for line in wrapped)]


def _has_text(value: Any, key: str | None) -> bool:
    if key in FACT_KEYS:
        return False
    if key in NAME_KEYS:
        return True
    if isinstance(value, str):
        return True
    if isinstance(value, dict):
        return any(_has_text(sub, name) for name, sub in value.items())
    if isinstance(value, list):
        return any(_has_text(item, key) for item in value)
    return False
