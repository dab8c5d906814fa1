"""The JSON Schemas editors use accept text in several languages, and translation files."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft202012Validator

from guidegen.models.schemas import json_schema
from tests.conftest import FLAGSHIP_PATH, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "templates"


def validator(kind: str) -> Draft202012Validator:
    schema = json.loads(json_schema(kind))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(kind: str, data) -> list[str]:
    return [error.message for error in validator(kind).iter_errors(data)]


@pytest.mark.parametrize(
    ("kind", "paths"),
    [
        ("template", [*sorted((ROOT / "templates").glob("*.yaml")), *FIXTURES.glob("*.yaml")]),
        ("translation", sorted(FIXTURES.glob("*/*.yaml"))),
        ("brand", sorted((ROOT / "brands").glob("*/brand.yaml"))),
    ],
)
def test_every_shipped_file_matches_its_schema(kind, paths):
    assert paths
    for path in paths:
        assert errors(kind, yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path


def test_a_template_may_write_any_text_as_a_mapping_of_languages():
    data = yaml.safe_load(FLAGSHIP_PATH.read_text(encoding="utf-8"))
    data["overview"] = {"en": "In English.", "es": "En español.", "fr": "En français."}
    data["roadmap"][0]["tasks"][0]["task"] = {"en": "Read.", "es": "Lee."}
    data["from_role"]["name"] = {"en": "Backend Developer", "es": "Desarrollador backend"}
    assert errors("template", data) == []
    data["overview"] = {"sp": "¿Qué?"}
    assert errors("template", data)  # an unknown language is flagged
    data["overview"] = "ok"
    data["salary"]["currency"] = {"en": "USD"}  # a fact is never a mapping
    assert errors("template", data)


def test_a_translation_needs_no_field_but_keeps_the_templates_names():
    assert errors("translation", {"overview": "Solo el resumen."}) == []
    assert errors("translation", {"language": "es", "faq": [{}, {"answer": "Sí."}]}) == []
    assert errors("translation", {"overviw": "typo"})
    assert errors("translation", {"language": "pt"})
