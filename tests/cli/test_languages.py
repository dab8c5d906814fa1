"""Languages on the command line: --lang fr, warnings that name the file and the fields,
`validate --lang`, and the templates' languages in `templates list/show/translate`."""

from __future__ import annotations

import shutil

from pypdf import PdfReader

from tests.cli.test_cli import guidegen
from tests.conftest import ALEX_PATH, FLAGSHIP_ID, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "templates"
FIXTURE_ID = "retail-manager-to-web-developer"


def own_copy_of_the_flagship(folder):
    """A user's own copy of the flagship in `folder`/templates: unlike the built-in one,
    it has no translation."""
    (folder / "templates").mkdir()
    name = f"{FLAGSHIP_ID}.yaml"
    shutil.copyfile(ROOT / "templates" / name, folder / "templates" / name)


def test_render_in_french_warns_that_the_template_is_not_translated(tmp_path):
    own_copy_of_the_flagship(tmp_path)
    run = guidegen("render", str(ALEX_PATH), "--lang", "fr", "-o", "out", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith(".pdf")
    assert PdfReader(tmp_path / run.stdout.strip()).trailer["/Root"]["/Lang"] == "fr"
    (warning,) = run.stderr.splitlines()
    assert warning.startswith(f"warning: templates/{FLAGSHIP_ID}.yaml: this template has no ")
    assert "French translation" in warning and f"templates/fr/{FLAGSHIP_ID}.yaml" in warning


def test_a_translated_template_and_brand_render_without_a_warning(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "templates")
    profile = tmp_path / "lucia.yaml"
    profile.write_text(
        "name: Lucía Fernández\ncurrent_role: Encargada de tienda\n"
        "target_role: Desarrolladora web\nhours_per_week: 8\n",
        encoding="utf-8",
    )
    brand = ROOT / "brands" / "northstar-coaching"
    run = guidegen("render", "lucia.yaml", "--lang", "es", "--brand", str(brand), cwd=tmp_path)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert run.stdout.strip() == f"output/lucia-fernandez--{FIXTURE_ID}.pdf"


def test_validate_lang_lists_every_missing_text_with_its_line(tmp_path):
    own_copy_of_the_flagship(tmp_path)
    run = guidegen("validate", "--lang", "es", f"templates/{FLAGSHIP_ID}.yaml", cwd=tmp_path)
    assert run.returncode == 2
    lines = run.stderr.splitlines()
    assert lines[0].startswith("error: ") and lines[0].endswith(" problems:")
    assert f"  - templates/{FLAGSHIP_ID}.yaml:6:9: from_role.name: no Spanish text yet; " in (
        run.stderr
    )
    assert all(line.startswith(f"  - templates/{FLAGSHIP_ID}.yaml:") for line in lines[1:])
    run = guidegen("validate", f"templates/{FLAGSHIP_ID}.yaml", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    # The built-in one is translated: nothing is missing.
    run = guidegen(
        "validate", "--lang", "es", "--lang", "fr", f"templates/{FLAGSHIP_ID}.yaml", cwd=ROOT
    )
    assert run.returncode == 0, run.stderr


def test_templates_list_and_show_say_which_languages(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "templates")
    (tmp_path / "templates" / "fr" / f"{FIXTURE_ID}.yaml").write_text(
        "overview: Un aperçu.\n", encoding="utf-8"
    )
    run = guidegen("templates", "list", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    line = next(line for line in run.stdout.splitlines() if line.startswith(FIXTURE_ID))
    assert line.split()[-3:] == ["en", "es", "fr*"]
    assert run.stdout.splitlines()[-1].startswith("* partly translated")
    run = guidegen("templates", "show", FIXTURE_ID, "--lang", "es", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "from: Gerente de tienda (also: Store Manager" in run.stdout
    assert "languages: en, es, fr (" in run.stdout and "texts missing)" in run.stdout


def test_templates_translate_starts_a_translation_that_validates(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "templates")
    shutil.rmtree(tmp_path / "templates" / "fr")
    run = guidegen("templates", "translate", FIXTURE_ID, "--lang", "fr", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    written = tmp_path / "templates" / "fr" / f"{FIXTURE_ID}.yaml"
    assert run.stdout.strip() == str(written.relative_to(tmp_path))
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/translation.schema.json")
    assert "weeks:" not in text and "priority:" not in text and "  url: https://dev" not in text
    run = guidegen("validate", str(written.relative_to(tmp_path)), cwd=tmp_path)
    assert run.returncode == 0, run.stderr  # it merges as written
    run = guidegen("validate", "--lang", "fr", f"templates/{FIXTURE_ID}.yaml", cwd=tmp_path)
    assert run.returncode == 2
    assert "overview: still the template's English text; write it in French" in run.stderr
    again = guidegen("templates", "translate", FIXTURE_ID, "--lang", "fr", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_schema_of_a_translation():
    run = guidegen("schema", "translation")
    assert run.returncode == 0 and '"guidegen template translation"' in run.stdout


def test_every_command_that_takes_lang_offers_every_language():
    import click

    from guidegen.cli import main
    from guidegen.language.catalogs import LANGUAGES

    def commands(group: click.Group, context: click.Context):
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            if isinstance(command, click.Group):
                yield from commands(command, context)
            else:
                yield command

    context = click.Context(main)
    offered = {
        command.name: sorted(param.type.choices)
        for command in commands(main, context)
        for param in command.params
        if param.name == "language" and isinstance(param.type, click.Choice)
    }
    assert {"render", "batch", "preview", "show", "translate"} <= offered.keys(), offered
    for name, choices in offered.items():
        assert choices == sorted(LANGUAGES), name
