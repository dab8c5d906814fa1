"""Which parts of a template are text (translated) and which are facts (kept), and
the JSON Schemas that let editors accept text in several languages.

The rules themselves are applied by `guidegen.load.translation`; they live here,
beside the models, because the schemas editors use must describe them too.
"""

from __future__ import annotations

import copy
from typing import Any

from guidegen.language.catalogs import LANGUAGES
from guidegen.models.common import LANGUAGE_MAPPING_SCHEMA

FACT_KEYS = frozenset({"id", "language", "kind", "url", "currency", "countries", "teaches"})
"""Strings that are facts, not text: kept from the template in every language.
Numbers and true/false are always facts."""
REFERENCES = {"teaches": ("skills_to_learn", "name")}
"""Lists that name another part of the template: a task `teaches` skills to learn by
their `name`. When a translation renames a skill, its references follow."""
NAME_KEYS = frozenset({"aliases", "evidenced_by", "covered_by"})
"""Lists of names used for matching: a translation adds its own to the template's."""
OPTIONAL_TEXT_KEYS = frozenset({"title", "provider"})
"""Text a translation may keep as it is: a resource keeps its own title and publisher
unless it has an official translation."""

MAPPING_REF = {"$ref": "#/$defs/LanguageMapping"}
_MOVED_OUT = ("title", "description", "default", "examples")


def with_language_mappings(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` (a template's) where every text may also be a mapping of languages
    ({en: ..., es: ...}), as `guidegen.load.translation.localize` reads it."""
    result = _visit(copy.deepcopy(schema), None)
    result.setdefault("$defs", {})["LanguageMapping"] = LANGUAGE_MAPPING_SCHEMA
    return result


def _visit(node: Any, key: str | None) -> Any:
    if not isinstance(node, dict):
        return node
    if _is_text(node, key):
        wrapper = {name: node.pop(name) for name in _MOVED_OUT if name in node}
        return {"anyOf": [node, MAPPING_REF], **wrapper}
    result = {}
    for name, value in node.items():
        if name == "properties":
            result[name] = {field: _visit(sub, field) for field, sub in value.items()}
        elif name == "$defs":
            result[name] = {title: _visit(sub, None) for title, sub in value.items()}
        elif name == "items":
            result[name] = _visit(value, key)  # a list's items are text if the list is
        elif name in ("anyOf", "oneOf", "allOf"):
            result[name] = [_visit(sub, key) for sub in value]
        else:
            result[name] = value
    return result


def _is_text(node: dict, key: str | None) -> bool:
    return (
        node.get("type") == "string"
        and key not in FACT_KEYS
        and not {"format", "pattern", "enum", "const"} & set(node)
    )


def translation_schema(template_schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of a translation file (``es/<id>.yaml``): the template's fields, none
    of them required, plus the language it translates into."""
    schema = _optional(copy.deepcopy(template_schema))
    schema["title"] = "guidegen template translation"
    schema["description"] = (
        "A transition template's text in another language: the template's structure with "
        "only its text. Facts (ids, efforts, money, URLs) stay in the template; lists keep "
        "its length and order; resources in this language may be added with `language:`."
    )
    schema["properties"]["language"] = {
        "description": "The language of this translation; the folder's name says it too.",
        "enum": list(LANGUAGES),
        "title": "Language",
    }
    return schema


def _optional(node: Any) -> Any:
    if isinstance(node, dict):
        node.pop("required", None)
        node.pop("minItems", None)
        return {name: _optional(value) for name, value in node.items()}
    if isinstance(node, list):
        return [_optional(item) for item in node]
    return node
