"""Languages: a Spanish guide has Spanish headings, dates and labels, in every format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdfplumber
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from docx import Document
from icalendar import Calendar
from pypdf import PdfReader

from guidegen.deliver.pipeline import GuideWriter
from guidegen.load.catalog import TemplateCatalog
from guidegen.plan.checks import check_files
from guidegen.plan.personalize import build_guide
from tests.conftest import FLAGSHIP_ID, FLAGSHIP_PATH, ROOT, TODAY

CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
PO = ROOT / "src" / "guidegen" / "language" / "locale" / "es" / "LC_MESSAGES" / "guidegen.po"


def test_a_spanish_guide_in_every_format(make_profile, flagship, tmp_path):
    guide = build_guide(make_profile(), flagship, today=TODAY, language="es")
    assert guide.title == "De Backend Developer a AI Solutions Architect"
    assert guide.subtitle == "Tu guía de transición de 8 meses"
    writer = GuideWriter(("pdf", "docx", "ics"))
    pdf, docx, ics = writer.write(guide, tmp_path, created=CREATED).files
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "es"
    with pdfplumber.open(pdf) as document:
        text = " ".join(" ".join(page.extract_text().split()) for page in document.pages)
    for heading in (
        "Resumen",
        "Tus habilidades transferibles",
        "Habilidades que necesitarás",
        "Tu plan de aprendizaje",
        "Lo que debes saber",
        "Empieza hoy mismo",
        "Preguntas frecuentes",
        "Página 1 de",
    ):
        assert heading in text, heading
    assert "4 ene 2027" in text and "ago 2027" in text  # dates written the Spanish way
    assert "Fase 1 Foundations of AI/ML" in text and "8 semanas" in text
    assert "US$150.000" in text
    headings = [p.text for p in Document(docx).paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Resumen" and "Preguntas frecuentes" in headings
    calendar = Calendar.from_ical(ics.read_bytes())
    assert str(calendar.walk("VEVENT")[0]["summary"]).startswith("Fase 1: ")


def test_english_stays_the_default(make_profile, flagship):
    guide = build_guide(make_profile(), flagship, today=TODAY)
    assert guide.language == "en" and guide.overview.heading == "Overview"


def test_every_message_has_a_spanish_translation():
    catalog = read_po(PO.open("rb"))
    translated = {message.id: message.string for message in catalog if message.id}
    keywords = {"_": None, "n_": (1, 2), "_gettext": None, "_ngettext": (1, 2)}
    for source in ("plan/personalize.py", "render/labels.py"):
        path = ROOT / "src" / "guidegen" / source
        for _, message, _, _ in extract_from_file("python", str(path), keywords=keywords):
            assert message in translated, message
            value = translated[message]
            assert value and all(value), message


def test_a_template_may_carry_text_in_several_languages(make_profile, tmp_path):
    text = FLAGSHIP_PATH.read_text(encoding="utf-8")
    text = text.replace(
        "call_to_action:\n  heading: Ready to Start Your Transition?",
        "call_to_action:\n  heading:\n    en: Ready to Start Your Transition?\n"
        "    es: ¿Listo para empezar tu transición?",
    )
    (tmp_path / f"{FLAGSHIP_ID}.yaml").write_text(text, encoding="utf-8")
    for language, heading in (
        ("en", "Ready to Start Your Transition?"),
        ("es", "¿Listo para empezar tu transición?"),
    ):
        template = TemplateCatalog([tmp_path], language=language).get(FLAGSHIP_ID).template
        guide = build_guide(make_profile(), template, today=TODAY, language=language)
        assert guide.call_to_action.heading == heading
    _, problems = check_files([Path(tmp_path / f"{FLAGSHIP_ID}.yaml")])
    assert problems == []


def test_every_resource_kind_has_a_label_in_every_language():
    from typing import get_args

    from guidegen.language.catalogs import LANGUAGES
    from guidegen.models.template import ResourceKind
    from guidegen.render.labels import labels_for

    for language in LANGUAGES:
        assert set(labels_for(language).kinds) == set(get_args(ResourceKind))
