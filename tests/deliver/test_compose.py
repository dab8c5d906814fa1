"""Messages that read like a person wrote them: text, dates and languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidegen.deliver.compose import (
    Composer,
    Person,
    load_templates,
    markdown_parts,
)
from guidegen.errors import UserError
from guidegen.language.catalogs import LANGUAGES
from tests.conftest import ROOT

BODY = """\
Hi {{ first_name }},

Plan **from {{ current_role }}**: {{ start_date }} ({{ start_date | date('d MMMM') }}).
Read *the roadmap* first, then [book a call](https://example.com/book) or write to
<coach@example.com>.

1. Read the overview.
2. Tick off the first item.
   - even a small one

Talk soon,
Jordan
"""


def person(language: str | None = "en", **fields: str) -> Person:
    values = {
        "name": "Ana Souza",
        "current_role": "Teacher",
        "target_role": "Instructional Designer",
        "start_date": "2027-02-01",
        "end_date": "2027-09-26",
        "hours_per_week": "7.5",
        **fields,
    }
    return Person(
        name=values["name"],
        email="ana@example.com",
        fields=values,
        language=language,
        attachments=[],
        key="ana@example.com guide.pdf",
    )


def composer(tmp_path: Path, files: dict[str, str], subject: str | None = None) -> Composer:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    templates = load_templates(tmp_path / "welcome.md", subject)
    return Composer(templates, sender="Jordan <coach@example.com>")


def test_the_plain_text_part_is_text_with_links_in_brackets_and_line_breaks_kept(tmp_path):
    _, html, text = composer(tmp_path, {"welcome.md": BODY}, "Hi").render(person())
    assert text == (
        "Hi Ana,\n"
        "\n"
        "Plan from Teacher: Monday, February 1, 2027 (1 February).\n"
        "Read the roadmap first, then book a call [https://example.com/book] or write to\n"
        "coach@example.com.\n"
        "\n"
        "1. Read the overview.\n"
        "2. Tick off the first item.\n"
        "   • even a small one\n"
        "\n"
        "Talk soon,\n"
        "Jordan\n"
    )
    assert "<strong>from Teacher</strong>" in html and "<em>the roadmap</em>" in html
    assert '<a href="https://example.com/book">book a call</a>' in html
    assert "Talk soon,<br />\nJordan" in html  # the two-line sign-off stays two lines


def test_a_persons_data_never_becomes_markup(tmp_path):
    sneaky = "Ana *bold* [click](https://evil.example) <b>x</b> # 1."
    body = "Hi {{ name }},\n\n{{ current_role | upper }}\n"
    _, html, text = composer(tmp_path, {"welcome.md": body}, "Hi").render(
        person(name=sneaky, current_role="<script>alert(1)</script>")
    )
    assert f"Hi {sneaky}," in text
    assert "<script>" not in html and "&lt;SCRIPT&gt;" in html
    assert "<em>" not in html and "<a " not in html and "<b>" not in html


def test_dates_and_numbers_in_the_messages_language(tmp_path):
    body = (
        "{{ start_date }} | {{ start_date | date('long') }} | {{ end_date | date('MMM y') }}"
        " | {{ hours_per_week }}\n"
    )
    files = {"welcome.md": body, "welcome.es.md": "---\nsubject: Tu guía\n---\n" + body}
    compose = composer(tmp_path, files, "Your guide")
    _, _, english = compose.render(person("en"))
    assert english == "Monday, February 1, 2027 | February 1, 2027 | Sep 2027 | 7.5\n"
    subject, _, spanish = compose.render(person("es"))
    assert subject == "Tu guía"
    assert spanish == "lunes, 1 de febrero de 2027 | 1 de febrero de 2027 | sept 2027 | 7,5\n"
    _, _, nobody = compose.render(person(None, start_date=""))
    assert nobody.startswith("|  |")  # no date: nothing, rather than an error


def test_each_language_gets_its_own_body_and_subject(tmp_path):
    files = {
        "welcome.md": "---\nsubject: Your guide, {{ first_name }}\n---\nHi {{ first_name }}\n",
        "welcome.es.md": "---\nsubject: Tu guía, {{ first_name }}\n---\nHola {{ first_name }}\n",
    }
    compose = composer(tmp_path, files, subject="ignored when a file has its own")
    assert compose.render(person("en"))[::2] == ("Your guide, Ana", "Hi Ana\n")
    assert compose.render(person("es"))[::2] == ("Tu guía, Ana", "Hola Ana\n")
    message = compose.compose(person("es"))
    assert message["Content-Language"] == "es"


def test_body_files_problems_are_reported_together(tmp_path):
    (tmp_path / "welcome.md").write_text("Hi\n")
    (tmp_path / "welcome.es.md").write_text("---\nsubjet: Hola\n---\nHola\n")
    with pytest.raises(UserError) as caught:
        load_templates(tmp_path / "welcome.md")
    report = caught.value.report()
    assert "welcome.es.md:2: unknown front matter subjet; expected subject or language" in report
    assert "welcome.md: no subject: start the file with front matter" in report
    (tmp_path / "welcome.es.md").unlink()
    (tmp_path / "welcome.md").write_text("Hi {{ first_name\n")
    with pytest.raises(UserError) as caught:
        Composer(load_templates(tmp_path / "welcome.md", "Hi"), sender="a@example.com")
    assert "welcome.md:1: not a valid template" in caught.value.report()


def test_the_sample_bodies_render_for_every_language():
    templates = load_templates(ROOT / "emails" / "welcome.md")
    compose = Composer(templates, sender="Jordan <coach@example.com>")
    for language in LANGUAGES:
        template = templates.for_language(language)
        assert template.language == language, f"no emails/welcome.{language}.md"
        subject, _, text = compose.render(person(language))
        assert "Ana" in subject and "{{" not in text and "*" not in text
        assert "2027" in text


def test_markdown_parts_keep_a_numbered_lists_start():
    _, text = markdown_parts("3. third\n4. fourth\n")
    assert text == "3. third\n4. fourth\n"
