"""The JSON Schemas of the files people write, for editors' autocomplete and checks."""

from __future__ import annotations

import json

from guidegen.models.brand import Brand
from guidegen.models.profile import Profile
from guidegen.models.template import TransitionTemplate

SCHEMAS: dict[str, type] = {"profile": Profile, "template": TransitionTemplate, "brand": Brand}


def json_schema(kind: str) -> str:
    """The JSON Schema of a profile, template or brand file, for editors."""
    schema = SCHEMAS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
