"""The JSON Schemas of the files people write, for editors' autocomplete and checks."""

from __future__ import annotations

import json

from guidegen.models.brand import Brand
from guidegen.models.languages import translation_schema, with_language_mappings
from guidegen.models.profile import Profile
from guidegen.models.template import TransitionTemplate

SCHEMAS: dict[str, type] = {
    "profile": Profile,
    "template": TransitionTemplate,
    "translation": TransitionTemplate,
    "brand": Brand,
}


def json_schema(kind: str) -> str:
    """The JSON Schema of a profile, template, template translation or brand file."""
    schema = SCHEMAS[kind].model_json_schema()
    if kind == "template":
        schema = with_language_mappings(schema)  # any text may be {en: ..., es: ...}
    elif kind == "translation":
        schema = translation_schema(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
