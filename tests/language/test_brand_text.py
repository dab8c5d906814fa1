"""A brand's words in the guide's language: footer, call to action and contact lines may
be mappings of languages in brand.yaml; a missing language is said, never hidden."""

from __future__ import annotations

import datetime as dt

import pdfplumber
import pytest
from docx import Document

from guidegen.deliver.pipeline import GuideWriter, render_profile
from guidegen.errors import UserError
from guidegen.load.branding import load_brand
from guidegen.plan.checks import check_files
from guidegen.plan.personalize import build_guide
from tests.conftest import ALEX_PATH, ROOT, TODAY

NORTHSTAR = ROOT / "brands" / "northstar-coaching"
HACKFORGE = ROOT / "brands" / "hackforge-bootcamp"
CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def brand_file(tmp_path, text: str):
    path = tmp_path / "brand.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_sample_brands_speak_every_language():
    for folder in (NORTHSTAR, HACKFORGE):
        brand = load_brand(folder)
        for language in ("en", "es", "fr"):
            assert brand.untranslated(language) == []
        _, problems = check_files([folder], languages=("es", "fr"))
        assert problems == []
    northstar = load_brand(NORTHSTAR)
    assert northstar.localized("es").footer.endswith("Preparada solo para ti")
    assert str(northstar.localized("fr").call_to_action.url).endswith("/fr/reserver")
    assert northstar.localized("en").call_to_action.heading == "Let's Map Your Next Step Together"


def test_the_guide_carries_the_brand_words_in_its_language(make_profile, flagship, tmp_path):
    brand = load_brand(NORTHSTAR)
    guide = build_guide(make_profile(), flagship, today=TODAY, brand=brand, language="fr")
    assert guide.footer.endswith("Document personnel")
    assert guide.call_to_action.heading == "Préparons ensemble votre prochaine étape"
    assert guide.call_to_action.url == "https://northstar-coaching.example/fr/reserver"
    pdf, docx = (
        GuideWriter(("pdf", "docx"), brand=brand).write(guide, tmp_path, created=CREATED).files
    )
    with pdfplumber.open(pdf) as document:
        last = document.pages[-1].extract_text()
    assert "coach professionnel certifié · Document personnel" in last
    assert "Réservez une séance stratégique" in " ".join(last.split())
    footer = Document(docx).sections[0].footer.paragraphs[0].text
    assert "Document personnel" in footer and "Page" in footer


def test_a_language_the_brand_lacks_falls_back_and_is_reported(tmp_path):
    path = brand_file(
        tmp_path,
        "name: Atelier\n"
        "footer:\n  en: Made for you\n  es: Hecho para ti\n"
        "call_to_action:\n  heading: Book a call\n  text:\n    en: Let's talk.\n"
        "contact:\n  phone:\n    en: +1 555 0100\n    fr: +33 1 23 45 67 89\n",
    )
    brand = load_brand(path)
    assert brand.localized("fr").footer == "Made for you"  # the brand's own language
    assert brand.localized("fr").contact.lines() == ["+33 1 23 45 67 89"]
    assert brand.untranslated("fr") == ["footer", "call_to_action.heading", "call_to_action.text"]
    assert brand.untranslated("es") == ["call_to_action.heading", "call_to_action.text"]
    _, problems = check_files([path], languages=("es",))
    assert [(p.line, p.field) for p in problems] == [
        (6, "call_to_action.heading"),
        (8, "call_to_action.text"),
    ]
    assert "no Spanish text; write it as a mapping of languages (en: ..., es: ...)" in str(
        problems[0]
    )


def test_a_brand_written_in_spanish_needs_no_mapping(tmp_path):
    path = brand_file(
        tmp_path,
        "language: es\nfooter: Hecho para ti\ncall_to_action:\n  heading: Hablemos\n"
        "  text: Reserva una llamada.\n",
    )
    brand = load_brand(path)
    assert brand.untranslated("es") == []
    assert brand.untranslated("en") == ["footer", "call_to_action.heading", "call_to_action.text"]


def test_bad_language_mappings_are_located(tmp_path):
    path = brand_file(
        tmp_path,
        "footer:\n  en: Ok\n  sp: Hola\ncontact:\n  email:\n    en: a@example.com\n"
        "    es: not-an-address\n  website:\n    fr: notaurl\n"
        "call_to_action:\n  heading: {}\n  text: ''\n",
    )
    with pytest.raises(UserError) as caught:
        load_brand(path)
    report = caught.value.report()
    # the key of the mapping at fault, at its own line
    assert "brand.yaml:1:1: footer: got" in report and "unknown language 'sp'" in report
    assert "contact.email: got" in report and "not a valid email address" in report
    assert "contact.website: got" in report
    assert "call_to_action.heading: got {}; expected text, or its text in each language" in report
    assert "call_to_action.text: got ''; expected some text; it is empty" in report


def test_render_warns_when_the_brand_or_template_has_no_text_in_the_language(tmp_path):
    path = brand_file(tmp_path, "footer: Made for you\n")
    # A user's own copy of the template, which (unlike the built-in one) has no Spanish.
    templates = tmp_path / "templates"
    templates.mkdir()
    own = "backend-developer-to-ai-solutions-architect.yaml"
    (templates / own).write_bytes((ROOT / "templates" / own).read_bytes())
    result = render_profile(
        ALEX_PATH,
        out_dir=tmp_path / "out",
        formats=("ics",),
        brand_path=path,
        language="es",
        templates_dir=templates,
    )
    brand_warning, template_warning = result.warnings[:2]
    assert "brand.yaml: footer have no Spanish text and stay in English" in brand_warning
    assert "backend-developer-to-ai-solutions-architect.yaml: this template has no Spanish" in (
        template_warning
    )
    english = render_profile(ALEX_PATH, out_dir=tmp_path / "out", formats=("ics",), brand_path=path)
    assert english.warnings == []
