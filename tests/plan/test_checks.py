"""`guidegen validate`, `schema`, `templates show/new`, `init`, and template placeholders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir
from guidegen.models.schemas import json_schema
from guidegen.plan.checks import check_files, recognize
from guidegen.plan.personalize import build_guide
from tests.conftest import FLAGSHIP_PATH, ROOT, TODAY, guidegen


def test_every_shipped_file_validates():
    files = [*sorted((ROOT / "templates").glob("*.yaml")), *sorted((ROOT / "profiles").iterdir())]
    files += [ROOT / "brands" / "northstar-coaching", ROOT / "brands" / "hackforge-bootcamp"]
    checked, problems = check_files(files)
    assert problems == []
    kinds = {path.name: kind for path, kind in checked}
    assert kinds["alex-rivera.yaml"] == "profile" and kinds["cohort-demo.csv"] == "cohort"
    assert kinds["northstar-coaching"] == "brand"
    assert kinds[FLAGSHIP_PATH.name] == "template"


def test_the_library_has_eleven_or_more_complete_templates():
    entries = TemplateCatalog([builtin_templates_dir()]).entries()
    assert len(entries) >= 11
    for entry in entries:
        template = entry.template
        assert template.salary.currency and template.salary.market
        assert all(skill.resources for skill in template.skills_to_learn)
        assert template.faq and template.reality_check.love


def test_a_profile_with_five_mistakes_gets_five_located_messages(tmp_path):
    profile = tmp_path / "client.yaml"
    profile.write_text(
        "name: Sam Doe\n"
        "emial: sam@example.com\n"
        "current_role: Teacher\n"
        "target_role: Instructional Designer\n"
        "hours_per_week: 0\n"
        "years_experience: many\n"
        "start_date: 2027-13-01\n"
        "skills:\n"
        "  - name: Canva\n"
        "    level: wizard\n"
    )
    run = guidegen("validate", str(profile), cwd=tmp_path)
    assert run.returncode == 2
    lines = [line.strip() for line in run.stderr.splitlines()]
    assert lines[0] == "error: 5 problems:"
    assert "- client.yaml:2:1: emial: unknown field; did you mean 'email'?" in lines[1]
    assert lines[2] == "- client.yaml:5:17: hours_per_week: got 0; expected a number greater than 0"
    assert lines[3].startswith(
        "- client.yaml:6:19: years_experience: got 'many'; expected a number"
    )
    assert lines[4].startswith("- client.yaml:7:13: start_date: got '2027-13-01'")
    assert lines[5].startswith(
        "- client.yaml:10:12: skills[0].level: got 'wizard'; expected one of"
    )


def test_template_consistency_and_placeholders_are_checked(tmp_path):
    text = FLAGSHIP_PATH.read_text(encoding="utf-8")
    text = text.replace("typical_start:\n    min: 160000", "typical_start:\n    min: 100000")
    text = text.replace(
        "As a backend developer", "{{ first_nmae }}, as a backend developer", 1
    ).replace("hours: 30", "hours: 0", 1)
    path = tmp_path / "odd-name.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = check_files([path])
    messages = [str(problem) for problem in problems]
    assert any(
        "roadmap[1].tasks[0].hours: got 0; expected a number greater than 0" in m for m in messages
    )
    assert any("overview: unknown placeholder first_nmae" in m for m in messages)
    text = text.replace("hours: 0\n", "hours: 30\n", 1)
    path.write_text(text, encoding="utf-8")
    _, problems = check_files([path])
    messages = [str(problem) for problem in problems]
    assert any(
        "id: got 'backend-developer-to-ai-solutions-architect'; the id must match" in m
        for m in messages
    )
    assert any("salary.typical_start: the typical start" in m for m in messages)
    assert all(problem.line for problem in problems)


def flagship_with(tmp_path, *changes: tuple[str, str]) -> Path:
    """The flagship template with some text replaced, in a file of its own id."""
    text = FLAGSHIP_PATH.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / FLAGSHIP_PATH.name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_a_pace_or_duration_written_out_is_flagged_at_its_line(tmp_path):
    path = flagship_with(
        tmp_path,
        ("sharpen your writing", "spend ten hours a week sharpening your writing"),
        ("Usually not.", "Usually not: most people are ready in six months."),
        ("explains the math it relies on", "takes about 8-10 h/week and explains the math"),
    )
    _, problems = check_files([path])
    found = {(p.line, p.field, p.message.split(";")[0]) for p in problems}
    assert found == {
        (
            line_of(path, "ten hours a week"),
            "skills_to_learn[0].how",
            "states a pace ('ten hours a week') that is true for one pace only",
        ),
        (
            line_of(path, "in six months"),
            "faq[1].answer",
            "states a duration ('in six months') that is true for one pace only",
        ),
        (
            line_of(path, "8-10 h/week"),
            "faq[4].answer",
            "states a pace ('8-10 h/week') that is true for one pace only",
        ),
    }
    assert all("{{ pace }}" in p.message or "{{ plan_duration }}" in p.message for p in problems)


def test_placeholders_and_durations_that_are_not_the_plan_pass(tmp_path):
    path = flagship_with(
        tmp_path,
        ("sharpen your writing", "at {{ hours_per_week }} hours a week, sharpen your writing"),
        ("Usually not.", "Usually not, even after several years of experience."),
    )
    assert check_files([path])[1] == []  # a 10-minute talk, years of experience: not the plan


def test_only_the_first_and_last_phase_may_be_named(tmp_path):
    path = flagship_with(
        tmp_path,
        (
            "you reach the job search phase in {{ phases[-1].start_month }}",
            "you start the project in {{ phases[3].start_month }}",
        ),
    )
    (problem,) = check_files([path])[1]
    assert (problem.field, problem.line) == ("faq[0].answer", line_of(path, "phases[3]"))
    assert "only phases[0] (the first) and phases[-1] (the last) always exist" in problem.message


def test_a_task_without_hours_is_pointed_at(tmp_path):
    path = flagship_with(tmp_path, ("        hours: 10\n", ""))
    (problem,) = check_files([path])[1]
    assert problem.field == "roadmap[0].tasks[1]"
    assert problem.line == line_of(path, "Implement a simple ML model")
    assert "this task has no effort: give the hours it takes, e.g. `hours: 10`" in str(problem)


def test_a_skill_to_learn_no_task_teaches_and_a_misspelled_teaches(tmp_path):
    path = flagship_with(
        tmp_path,
        (
            "teaches: [Enterprise AI Governance and Ethics]",
            "teaches: [Enterprise AI Governance and Ethic]",
        ),
    )
    (problem,) = check_files([path])[1]  # a schema error: the other checks wait for it
    assert problem.field == "roadmap[2].tasks[2].teaches[0]"
    assert problem.line == line_of(path, "Governance and Ethic]")
    assert "did you mean 'Enterprise AI Governance and Ethics'?" in problem.message
    path = flagship_with(
        tmp_path,
        ("        teaches: [Enterprise AI Governance and Ethics]\n", ""),
    )
    (problem,) = check_files([path])[1]
    assert problem.field == "skills_to_learn[5].name"
    assert problem.line == line_of(path, "- name: Enterprise AI Governance and Ethics")
    assert "no task teaches this skill" in problem.message


def test_implausible_efforts_are_flagged(tmp_path):
    path = flagship_with(
        tmp_path,
        ("hours: 50\n", "hours: 150\n"),
        ("    hours: 2\n", "    hours: 8\n"),
        ("  - step: Update your LinkedIn", "  - step: Update your LinkedIn"),
    )
    messages = sorted(str(problem) for problem in check_files([path])[1])
    assert any("roadmap[3].tasks[0].hours: got 150.0; more than 120 hours" in m for m in messages)
    assert any("first_steps: the first steps add up to 11 hours" in m for m in messages)


def test_a_template_in_the_old_form_gets_located_errors_saying_what_to_change(tmp_path):
    path = tmp_path / "old-form.yaml"
    path.write_text(
        "id: old-form\nfrom_role: {name: A}\nto_role: {name: B}\nbaseline_hours_per_week: 10\n"
        "overview: Why.\ntransferable_skills: [{name: T, why: W, evidenced_by: [T]}]\n"
        "skills_to_learn:\n  - {name: S, priority: 1, how: H, resources: "
        "[{title: R, provider: P, kind: book}]}\n"
        "roadmap:\n  - name: One\n    weeks: 4\n    tasks:\n      - Do the thing.\n"
        "reality_check: {love: [l], miss: [m], challenges: [c]}\n"
        "action_plan:\n  this_week: [Start.]\n  this_month: [Go on.]\n  next_90_days: [Finish.]\n"
        "salary: {currency: USD, range: {min: 1, max: 3}, typical_start: {min: 1, max: 2}, "
        "market: US}\ncall_to_action: {heading: Go, text: Now.}\n"
    )
    problems = check_files([path])[1]
    located = [(p.line, p.field) for p in problems]
    assert located == [(11, "roadmap[0].weeks"), (13, "roadmap[0].tasks[0]"), (15, "action_plan")]
    weeks, task, action_plan = (p.message for p in problems)
    assert "`weeks` is no longer part of a template" in weeks and "`hours`" in weeks
    assert "write `- task: <the text>`" in task and "hours: N" in task
    assert "`first_steps`" in action_plan and "a task of the roadmap" in action_plan


def test_files_are_recognized_by_content(tmp_path):
    (tmp_path / "a.yaml").write_text("name: A\ncurrent_role: x\ntarget_role: y\n")
    (tmp_path / "b.yaml").write_text("- name: A\n")
    (tmp_path / "c.yaml").write_text("colors:\n  primary: '#000000'\n")
    (tmp_path / "d.yaml").write_text("hello: world\n")
    assert recognize(tmp_path / "a.yaml") == "profile"
    assert recognize(tmp_path / "b.yaml") == "cohort"
    assert recognize(tmp_path / "c.yaml") == "brand"
    _, problems = check_files([tmp_path / "d.yaml"])
    assert "cannot tell what this file is" in problems[0].message


@pytest.mark.parametrize("kind", ["profile", "template", "translation", "brand"])
def test_committed_schemas_are_current(kind):
    committed = (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema(kind), f"run `make schemas`: schemas/{kind} is stale"
    schema = json.loads(committed)
    assert schema["additionalProperties"] is False


def test_sample_files_point_editors_at_the_schemas():
    for path in [
        *(ROOT / "templates").glob("*.yaml"),
        ROOT / "profiles" / "alex-rivera.yaml",
        *(ROOT / "brands").glob("*/brand.yaml"),
    ]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = first.split("$schema=")[1]
        assert (path.parent / target).resolve().is_file(), path


def test_placeholders_are_filled_and_profile_text_stays_data(make_profile, flagship):
    text = "{{ first_name }}, as a {{ current_role }} moving to {{ target_role }}, you bring a lot."
    template = flagship.model_copy(update={"overview": text})
    guide = build_guide(make_profile(name="Ana {{ 7*7 }} Souza"), template, today=TODAY)
    assert guide.overview.paragraphs == [
        "Ana, as a Backend Developer moving to AI Solutions Architect, you bring a lot."
    ]
    odd = build_guide(make_profile(name="{{7*7}} x"), template, today=TODAY)
    assert odd.overview.paragraphs[0].startswith("{{7*7}},")


def test_templates_show_new_and_init(tmp_path):
    shown = guidegen("templates", "show", "teacher-to-instructional-designer", cwd=tmp_path)
    assert shown.returncode == 0
    assert "from: Teacher" in shown.stdout and "roadmap:" in shown.stdout

    init = guidegen("init", "workspace", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    workspace = tmp_path / "workspace"
    bodies = sorted(path.name for path in (workspace / "emails").iterdir())
    assert bodies == ["welcome.es.md", "welcome.fr.md", "welcome.md"]  # one a language
    # Its example cohort, one row a language, renders with no warning and no failure.
    cohort = guidegen("batch", "cohort.csv", "-f", "ics", cwd=workspace)
    assert cohort.returncode == 0 and "warning" not in cohort.stderr, cohort.stderr
    assert "3 rows: 3 rendered" in cohort.stderr
    made = guidegen(
        "templates", "new", "chef-to-baker", "--from", "Chef", "--to", "Baker", cwd=workspace
    )
    assert made.returncode == 0, made.stderr
    checked = guidegen(
        "validate",
        "profiles/client.yaml",
        "brands/my-practice",
        "cohort.csv",
        "templates/chef-to-baker.yaml",
        cwd=workspace,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.count("ok: ") == 4
    listed = guidegen("templates", "list", cwd=workspace)
    (line,) = [line for line in listed.stdout.splitlines() if line.startswith("chef-to-baker ")]
    assert line.split()[1:] == ["Chef", "→", "Baker", "6", "weeks", "en"]
    again = guidegen("init", "workspace", cwd=tmp_path)
    assert again.returncode == 2 and "not overwriting" in again.stderr


def test_validate_warns_about_people_who_cannot_be_emailed(tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text(
        "Name,Email,Current Role,Target Role\n"
        "Ana,ana@example.com,Teacher,Instructional Designer\n"
        "Ben,,Teacher,Instructional Designer\n"
        "Eve,eve@example.com,Chef,Astronaut\n",
        encoding="utf-8",
    )
    warnings: list = []
    _, problems = check_files([path], warnings=warnings)
    assert [str(w).split(": ", 1)[1] for w in warnings] == [
        "no email address: this guide cannot be emailed"
    ]
    assert warnings[0].row == 3 and warnings[0].subject == "Ben"
    (problem,) = problems
    assert "to fix: give the row a template id in a Template column" in problem.message


@pytest.mark.parametrize(
    ("language", "replacements", "expected"),
    [
        (
            "es",
            [
                ("Dedicando {{ pace }}, tu plan", "Dedicando diez horas a la semana, tu plan"),
                ("Normalmente no.", "Normalmente no: casi todos están listos en 6 meses."),
            ],
            [("pace", "diez horas a la semana"), ("duration", "en 6 meses")],
        ),
        (
            "fr",
            [
                ("À raison de {{ pace }}, votre", "À raison de dix heures par semaine, votre"),
                ("En général, non.", "En général, non : on est prêt en six mois."),
            ],
            [("pace", "dix heures par semaine"), ("duration", "en six mois")],
        ),
    ],
)
def test_a_translation_that_writes_a_pace_or_duration_out_is_flagged_at_its_line(
    language, replacements, expected, tmp_path
):
    shutil.copy(FLAGSHIP_PATH, tmp_path / FLAGSHIP_PATH.name)
    (tmp_path / language).mkdir()
    translation = tmp_path / language / FLAGSHIP_PATH.name
    text = (ROOT / "templates" / language / FLAGSHIP_PATH.name).read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    translation.write_text(text, encoding="utf-8")
    for checked in (tmp_path / FLAGSHIP_PATH.name, translation):  # the template or its file
        _, problems = check_files([checked])
        found = {(p.file, p.line, p.field, p.message.split(";")[0]) for p in problems}
        assert found == {
            (
                translation,
                line_of(translation, phrase),
                f"faq[{0 if kind == 'pace' else 1}].answer",
                f"states a {kind} ('{phrase}') that is true for one pace only",
            )
            for kind, phrase in expected
        }


@pytest.mark.parametrize(
    "text",
    [
        "Construisez une prévision de chiffre d'affaires sur douze mois fondée sur des inducteurs.",
        "Construye una previsión de ingresos a doce meses.",
        "Prépare une présentation de 10 minutes ; plusieurs années d'expérience comptent.",
        "Una charla de 10 minutos; varios años de experiencia cuentan.",
        "À raison de {{ pace }}, votre plan dure {{ plan_duration }}.",
        "Dedicando {{ hours_per_week }} horas a la semana, tu plan dura {{ plan_duration }}.",
    ],
)
def test_spanish_and_french_that_is_not_the_plan_passes(text):
    from guidegen.plan.placeholders import literal_durations, literal_paces

    assert literal_paces(text) == [] and literal_durations(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("entre 8 y 10 horas semanales", 8),
        ("treinta y cinco horas por semana", 35),
        ("5 h/semana", 5),
        ("entre 8 et 10 heures par semaine", 8),
        ("8 à 10 h par semaine", 8),
        ("vingt-cinq heures hebdomadaires", 25),
        ("6 heures de travail par semaine", 6),
    ],
)
def test_spanish_and_french_paces_are_read_with_their_value(text, value):
    from guidegen.plan.placeholders import literal_paces

    (literal,) = literal_paces(f"Avec {text}, ça va.")
    assert literal.phrase == text and literal.value == value
