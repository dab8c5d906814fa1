"""Template translations: <language>/<id>.yaml merged over the template.

Text replaces text, facts stay (a differing fact is a located error), lists keep
their length, names add up, and resources may be added in the translation's own
language. Roles are matched by their names in every language."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from guidegen.errors import UserError
from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir, read_template
from guidegen.plan.checks import check_files
from guidegen.plan.personalize import build_guide
from tests.conftest import ROOT, TODAY

FIXTURES = ROOT / "tests" / "fixtures" / "templates"
FIXTURE_ID = "retail-manager-to-web-developer"


@pytest.fixture
def folder(tmp_path) -> Path:
    """A templates folder holding the fixture template and its translations."""
    shutil.copytree(FIXTURES, tmp_path / "templates")
    return tmp_path / "templates"


def write_translation(folder: Path, language: str, text: str) -> Path:
    path = folder / language / f"{FIXTURE_ID}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(folder: Path, language: str) -> list[str]:
    with pytest.raises(UserError) as caught:
        read_template(folder / f"{FIXTURE_ID}.yaml", language)
    return [str(problem) for problem in caught.value.problems]


def test_text_is_translated_and_every_fact_is_kept():
    english = read_template(FIXTURES / f"{FIXTURE_ID}.yaml").template
    for language in ("es", "fr"):
        entry = read_template(FIXTURES / f"{FIXTURE_ID}.yaml", language)
        template = entry.template
        assert entry.translation == FIXTURES / language / f"{FIXTURE_ID}.yaml"
        assert entry.missing == ()
        assert template.overview != english.overview
        hours = [[task.hours for task in phase.tasks] for phase in template.roadmap]
        assert hours == [[task.hours for task in phase.tasks] for phase in english.roadmap]
        assert [s.priority for s in template.skills_to_learn] == [
            s.priority for s in english.skills_to_learn
        ]
        assert template.salary.range == english.salary.range
        assert template.salary.countries == ["US"]
        # The template's resources are all there, in English and marked so; the added
        # ones, in the translation's language, come first.
        for skill, original in zip(template.skills_to_learn, english.skills_to_learn, strict=True):
            own = [r for r in skill.resources if r.language == "en"]
            added = [r for r in skill.resources if r.language == language]
            assert [r.url for r in own] == [r.url for r in original.resources]
            assert added and skill.resources[: len(added)] == added
        # Names add up: the English aliases still match, the translation's are added.
        assert set(english.from_role.aliases) < set(template.from_role.aliases)
    assert english.skills_to_learn[0].resources[0].language is None


def test_the_guide_is_in_the_language_and_says_which_resources_are_not(make_profile):
    entry = read_template(FIXTURES / f"{FIXTURE_ID}.yaml", "es")
    profile = make_profile(current_role="Encargado de tienda", target_role="Desarrollador web")
    guide = build_guide(profile, entry.template, today=TODAY, language="es")
    assert guide.reality_check.love[0].startswith("Construir algo real")
    resources = guide.learning.items[0].resources
    assert resources[0].language is None  # Spanish, like the guide
    assert {r.language for r in resources[1:]} == {"en"}


def test_a_differing_fact_a_wrong_count_and_an_unknown_field_are_located(folder):
    write_translation(
        folder,
        "es",
        """\
        id: retail-manager-to-web-developer
        from_role:
          name: Gerente de tienda
        roadmap:
          - name: Fundamentos
            tasks:
              - task: Una tarea
                hours: 9
              - task: Otra
              - task: Y otra
          - name: JavaScript
            tasks:
              - task: Solo una
          - name: Portafolio
        reality_check:
          love: [Solo una]
        salary:
          currency: EUR
          bonus: mucho
        """,
    )
    problems = problems_of(folder, "es")
    text = "\n".join(problems)
    assert "es/retail-manager-to-web-developer.yaml:8:16: roadmap[0].tasks[0].hours: got 9;" in text
    assert "retail-manager-to-web-developer.yaml:" in text and "says 30" in text
    assert "roadmap[1].tasks: the template has 3 tasks here" in text
    assert "this translation 1; translate each one, in the same order" in text
    assert "reality_check.love: the template has 2 love here" in text
    assert "salary.currency: got 'EUR'; this is a fact of the template" in text
    assert "salary.bonus: unknown field; expected one of:" in text
    assert all(":" in problem.split(" ")[0] for problem in problems)  # file:line each


def test_a_fact_repeated_unchanged_is_fine_so_a_copied_file_merges(folder):
    write_translation(
        folder,
        "es",
        """\
        id: retail-manager-to-web-developer
        baseline_hours_per_week: 10
        salary:
          currency: USD
          countries: [us]
          market: Estados Unidos, 2025
        skills_to_learn:
          - priority: 1
            resources:
              - url: https://developer.mozilla.org/en-US/docs/Learn_web_development/
              - kind: certification
          - {}
          - {}
        """,
    )
    entry = read_template(folder / f"{FIXTURE_ID}.yaml", "es")
    assert entry.template.salary.market == "Estados Unidos, 2025"
    assert len(entry.missing) > 10  # most text is not translated yet, and is listed


def test_resources_may_only_be_added_in_the_translations_language(folder):
    write_translation(
        folder,
        "es",
        """\
        skills_to_learn:
          - resources:
              - title: Un curso en francés
                provider: Alguien
                kind: course
                language: fr
              - title: Sin proveedor
                kind: course
                language: es
          - resources:
              - title: Uno
              - title: Otro
          - {}
        """,
    )
    text = "\n".join(problems_of(folder, "es"))
    assert "skills_to_learn[0].resources[0].language: got 'fr'; a resource added by the " in text
    assert "Spanish translation must be in Spanish: `language: es`" in text
    assert "skills_to_learn[0].resources[1].provider: this field is required" in text
    assert "skills_to_learn[1].resources: the template has 1 resources here" in text
    assert "mirrors 2; give one entry for each of the template's, in order, or none" in text


def test_the_folder_says_the_language_and_text_must_be_text(folder):
    write_translation(
        folder,
        "fr",
        """\
        language: es
        overview: ""
        faq:
          - question: [a, list]
          - {}
        """,
    )
    text = "\n".join(problems_of(folder, "fr"))
    assert "language: got 'es'; this file is in the 'fr' folder" in text
    assert "overview: expected some text; it is empty" in text
    assert "faq[0].question: got ['a', 'list']; expected text" in text


def test_missing_and_untranslated_texts_are_listed_by_validate(folder):
    path = write_translation(
        folder,
        "es",
        """\
        from_role:
          name: Gerente de tienda
        overview: |
          {{ first_name }}, running a store has taught you to keep customers happy.
        """,
    )
    (folder / "fr" / f"{FIXTURE_ID}.yaml").unlink()
    _, problems = check_files([folder / f"{FIXTURE_ID}.yaml"])
    assert problems == []  # without --lang: a partial translation is valid
    _, problems = check_files([folder / f"{FIXTURE_ID}.yaml"], languages=("es",))
    text = "\n".join(str(p) for p in problems)
    assert f"{FIXTURE_ID}.yaml:15:9: to_role.name: no Spanish text yet; add it to" in text
    assert "from_role.name" not in text
    assert f"es/{FIXTURE_ID}.yaml:4:3: overview: still the template's English text" not in text
    assert "overview: still the template's English text; write it in Spanish" not in text
    assert "skills_to_learn[0].resources" not in text  # titles may stay as they are
    _, french = check_files([folder / f"{FIXTURE_ID}.yaml"], languages=("fr",))
    assert len(french) > len(problems)  # no French at all: every text is listed
    checked, problems = check_files([path], languages=("es",))
    assert checked == [(path, "translation")] and problems


def test_copied_english_is_not_a_translation(folder):
    write_translation(
        folder,
        "es",
        """\
        reality_check:
          love:
            - Building something real and seeing it work on your own phone.
            - Regular hours, and often the option to work from home.
        """,
    )
    _, problems = check_files([folder / f"{FIXTURE_ID}.yaml"], languages=("es",))
    copied = [p for p in problems if "still the template's English text" in p.message]
    assert [p.field for p in copied] == ["reality_check.love[0]", "reality_check.love[1]"]
    assert all(p.file.parent.name == "es" for p in copied)


def test_validate_checks_every_translation_of_a_template(folder):
    write_translation(folder, "fr", "roadmap:\n  - name: Seule phase\n")
    _, problems = check_files([folder / f"{FIXTURE_ID}.yaml"])
    assert [p.field for p in problems] == ["roadmap"]
    assert problems[0].file == folder / "fr" / f"{FIXTURE_ID}.yaml"


def test_roles_are_matched_by_their_names_in_every_language(folder):
    catalog = TemplateCatalog([builtin_templates_dir(), folder])
    for current, target in (
        ("Encargada de tienda", "Desarrolladora front-end"),
        ("Gérante de magasin", "Développeuse web"),
        ("Store Manager", "Desarrollador web"),  # a mixed row still finds its move
        ("Jefa de Tienda", "Senior Intégrateur web"),
    ):
        for language in ("en", "es", "fr"):
            entry = catalog.match_roles(current, target, language)
            assert entry.template.id == FIXTURE_ID
            assert entry.language == language


def test_a_later_folder_overrides_a_translation_but_never_translates_a_replaced_template(
    folder, tmp_path
):
    mine = tmp_path / "mine"
    (mine / "es").mkdir(parents=True)
    (mine / "es" / f"{FIXTURE_ID}.yaml").write_text(
        "call_to_action:\n  heading: ¡Vamos allá!\n", encoding="utf-8"
    )
    catalog = TemplateCatalog([folder, mine], language="es")
    entry = catalog.get(FIXTURE_ID)
    assert entry.translation == mine / "es" / f"{FIXTURE_ID}.yaml"
    assert entry.template.call_to_action.heading == "¡Vamos allá!"
    # A coach who replaces the template itself writes its translations too.
    shutil.copy(folder / f"{FIXTURE_ID}.yaml", mine / f"{FIXTURE_ID}.yaml")
    (mine / "es" / f"{FIXTURE_ID}.yaml").unlink()
    entry = TemplateCatalog([folder, mine], language="es").get(FIXTURE_ID)
    assert entry.path == mine / f"{FIXTURE_ID}.yaml" and entry.translation is None
    assert entry.template.call_to_action.heading.startswith("Ready")
    warning = entry.language_warning()
    assert "this template has no Spanish translation" in warning
    assert f"guidegen templates translate {FIXTURE_ID} --lang es" in warning


def test_languages_of_each_template(folder):
    catalog = TemplateCatalog([builtin_templates_dir(), folder])
    assert catalog.languages(FIXTURE_ID) == {"en": 0, "es": 0, "fr": 0}
    assert catalog.languages("teacher-to-instructional-designer") == {"en": 0, "es": 0, "fr": 0}
    # A template of the user's own, with no translation, is read in its own language only.
    teacher = (builtin_templates_dir() / "teacher-to-instructional-designer.yaml").read_text()
    (folder / "teacher-to-trainer.yaml").write_text(
        teacher.replace("id: teacher-to-instructional-designer", "id: teacher-to-trainer"),
        encoding="utf-8",
    )
    catalog = TemplateCatalog([builtin_templates_dir(), folder])
    assert catalog.languages("teacher-to-trainer") == {"en": 0}
    write_translation(folder, "fr", "overview: Un aperçu.\n")
    catalog = TemplateCatalog([builtin_templates_dir(), folder])
    languages = catalog.languages(FIXTURE_ID)
    assert languages["es"] == 0 and languages["fr"] > 10


def test_a_template_written_in_spanish_needs_no_spanish_translation(folder, tmp_path):
    text = (folder / f"{FIXTURE_ID}.yaml").read_text(encoding="utf-8")
    spanish = tmp_path / "es-first"
    spanish.mkdir()
    (spanish / f"{FIXTURE_ID}.yaml").write_text(
        text.replace(f"id: {FIXTURE_ID}\n", f"id: {FIXTURE_ID}\nlanguage: es\n"),
        encoding="utf-8",
    )
    assert TemplateCatalog([spanish], language="es").get(FIXTURE_ID).language_warning() is None
    english = TemplateCatalog([spanish], language="en").get(FIXTURE_ID)
    assert "no English translation" in english.language_warning()
    assert english.template.skills_to_learn[0].resources[0].language == "es"


def test_references_follow_a_renamed_skill():
    """A task `teaches` skills by name: when the translation renames a skill, the task
    still teaches it (the template's reference is a fact, not text)."""
    from guidegen.load.sources import load_yaml
    from guidegen.load.translation import merge
    from guidegen.models.template import TransitionTemplate

    base = load_yaml(
        "skills_to_learn:\n  - name: Git\n  - name: SQL\n"
        "roadmap:\n  - name: One\n    tasks:\n"
        "      - {task: Learn Git, hours: 5, teaches: [Git, SQL]}\n"
        "first_steps:\n  - {step: Install Git, teaches: [Git]}\n"
    )
    translation = load_yaml(
        "skills_to_learn:\n  - name: Git y GitHub\n  - name: SQL\n"
        "roadmap:\n  - tasks:\n      - task: Aprende Git\n"
        "first_steps:\n  - step: Instala Git\n"
    )
    merged, problems = merge(base, translation, "es", TransitionTemplate)
    assert problems == []
    task = merged["roadmap"][0]["tasks"][0]
    assert task == {"task": "Aprende Git", "hours": 5, "teaches": ["Git y GitHub", "SQL"]}
    assert merged["first_steps"][0]["teaches"] == ["Git y GitHub"]
    wrong = load_yaml("roadmap:\n  - tasks:\n      - teaches: [Git y GitHub]\n")
    _, problems = merge(base, wrong, "es", TransitionTemplate)
    assert [p.field for p in problems] == ["roadmap[0].tasks[0].teaches"]
    assert "this is a fact of the template" in problems[0].message
