"""Every shipped template renders, in PDF and Word, for a profile that names it."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from pypdf import PdfReader

from guidegen.deliver.pipeline import GuideWriter
from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir
from guidegen.models.profile import Profile
from guidegen.plan.personalize import build_guide

CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
ENTRIES = TemplateCatalog([builtin_templates_dir()]).entries()


@pytest.fixture(scope="module")
def writer():
    return GuideWriter(("pdf", "docx"))


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.template.id for e in ENTRIES])
def test_template_renders_in_both_formats(entry, writer, tmp_path):
    template = entry.template
    profile = Profile(
        name="Robin Example",
        current_role=template.from_role.name,
        target_role=template.to_role.name,
        template=template.id,
        skills=[skill.evidenced_by[0] for skill in template.transferable_skills[:2]],
    )
    guide = build_guide(profile, template, today=CREATED.date())
    pdf, docx = writer.write(guide, tmp_path, created=CREATED).files
    reader = PdfReader(pdf)
    assert 4 <= len(reader.pages) <= 9
    text = " ".join(page.extract_text() for page in reader.pages)
    assert template.roadmap[0].name.split()[0] in text
    headings = [p.text for p in Document(docx).paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Overview" and "Frequently Asked Questions" in headings
