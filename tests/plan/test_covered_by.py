"""A profile skill skips only the tasks it really covers, in every language.

`covered_by` names what a CV may say instead of a skill to learn; each name skips every
task teaching that skill. A name broader than the skill (a technique for a credential, a
team habit for a design process, another language for Python) would take a whole
certification track or phase out of someone's plan. Each case: a profile with the broad
skills, in English, Spanish and French; the tasks that must stay planned; and a
profile with the real skill, which still skips them.
"""

from __future__ import annotations

from functools import cache

import pytest

from guidegen.load.catalog import load_template_file
from guidegen.plan.personalize import build_guide
from tests.conftest import ROOT, TODAY


@cache
def _template(template_id: str, language: str):
    return load_template_file(ROOT / "templates" / f"{template_id}.yaml", language)


# (template, what must stay planned (keys), broad skills by language, a real cover)
CASES = {
    "military WBS/CPM/EVM keeps the PMP track": (
        "military-logistics-to-project-manager",
        # the eligibility check, the course, the application, the practice exams, the exam
        ["phase-1-task-2", "phase-2-task-1", "phase-4-task-1", "phase-4-task-2", "phase-4-task-3"],
        {
            "en": ["Work Breakdown Structure", "WBS", "Critical Path Method", "EVM", "PMBOK"],
            "es": ["Gestión de proyectos", "EDT", "Ruta crítica", "Valor ganado"],
            "fr": ["Gestion de projet", "Chemin critique", "Valeur acquise", "PERT"],
        },
        ["PMP"],
    ),
    "marketing Agile/Scrum/Figma keeps the UX process": (
        "marketing-specialist-to-ux-researcher",
        ["phase-4-task-1"],
        {
            "en": ["Agile", "Scrum", "Figma"],
            "es": ["Metodologías ágiles", "Scrum"],
            "fr": ["Méthodes agiles", "Agile"],
        },
        ["UX Design"],
    ),
    "QA Java keeps Python": (
        "manual-qa-tester-to-test-automation-engineer",
        ["phase-1-task-1", "phase-1-task-2", "phase-1-task-3"],
        {
            "en": ["Java", "JavaScript", "Object-Oriented Programming", "Programming"],
            "es": ["Java", "Programación", "Desarrollo de software"],
            "fr": ["Java", "Programmation", "Développement logiciel"],
        },
        ["Python"],
    ),
    "QA Docker keeps Git and CI": (
        "manual-qa-tester-to-test-automation-engineer",
        ["phase-1-task-4"],
        {"en": ["Docker"], "es": ["Docker"], "fr": ["Docker"]},
        ["Git"],
    ),
    "sysadmin Python keeps Git; Git keeps the Python rewrite": (
        "system-administrator-to-devops-engineer",
        ["first-step-1", "phase-1-task-1", "phase-1-task-2"],
        {
            "en": ["Python", "Go", "Software Development"],
            "es": ["Python", "Programación en Python", "Desarrollo de software"],
            "fr": ["Python", "Développement Python", "Développement logiciel"],
        },
        ["Git"],
    ),
    "nurse reporting and dashboards keep SQL": (
        "registered-nurse-to-health-informatics-specialist",
        ["phase-4-task-1", "phase-4-task-2"],
        {
            "en": ["Data Analysis", "Reporting", "Tableau", "Excel Pivot Tables"],
            "es": ["Análisis de datos", "Informes", "Cuadros de mando", "Tablas dinámicas"],
            "fr": ["Analyse de données", "Reporting", "Tableaux de bord", "PMSI"],
        },
        ["SQL"],
    ),
    "nurse Visio keeps workflow analysis": (
        "registered-nurse-to-health-informatics-specialist",
        ["phase-3-task-1"],
        {"en": ["Visio", "Lucidchart"], "es": ["Visio"], "fr": ["Visio"]},
        ["Workflow Analysis"],
    ),
    "data analyst R keeps Python; Docker keeps deployment": (
        "data-analyst-to-data-scientist",
        ["phase-1-task-1"],
        {"en": ["R", "tidyverse", "Docker", "Classification"], "es": ["R"], "fr": ["R"]},
        ["Python"],
    ),
    "accountant Tableau and dashboards keep Power BI; R keeps Python": (
        "accountant-to-financial-data-analyst",
        ["phase-2-task-1", "phase-3-task-1"],
        {
            "en": ["Tableau", "Dashboards", "R", "Data Analysis"],
            "es": ["Tableau", "Cuadros de mando", "R", "Análisis de datos"],
            "fr": ["Tableau", "Tableaux de bord", "R", "Analyse de données"],
        },
        ["Power BI", "Python"],
    ),
    "frontend SQL keeps product analytics": (
        "frontend-developer-to-product-manager",
        ["phase-3-task-1"],
        {
            "en": ["SQL", "Data Analysis", "Leadership"],
            "es": ["SQL", "Análisis de datos", "Liderazgo"],
            "fr": ["SQL", "Analyse de données", "Leadership"],
        },
        ["Product Analytics"],
    ),
}


def _plan(make_profile, template_id, language, skills):
    template = _template(template_id, language)
    profile = make_profile(skills=skills, start_date="2027-01-04")
    return build_guide(profile, template, today=TODAY, language=language).roadmap


@pytest.mark.parametrize("language", ["en", "es", "fr"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_broad_skill_does_not_skip_what_it_does_not_teach(case, language, make_profile):
    template_id, kept, broad, _ = CASES[case]
    roadmap = _plan(make_profile, template_id, language, broad[language])
    planned = {task.key for task in roadmap.tasks if task.note is None}  # in full, no refresher
    assert set(kept) <= planned, (case, language, set(kept) - planned)


@pytest.mark.parametrize("case", list(CASES))
def test_the_real_skill_still_skips_them(case, make_profile):
    template_id, kept, _, real = CASES[case]
    roadmap = _plan(make_profile, template_id, "en", real)
    skipped = {task.key for task in roadmap.skipped}
    refreshed = {task.key for task in roadmap.tasks if task.note}
    assert set(kept) <= skipped | refreshed, (case, set(kept) - skipped - refreshed)


def test_a_sysadmin_with_git_keeps_the_python_rewrite_in_the_git_phase(make_profile):
    roadmap = _plan(make_profile, "system-administrator-to-devops-engineer", "en", ["Git"])
    (first, *_) = roadmap.phases
    assert first.name == "Git, Python and Code Habits" and not roadmap.left_out
    tasks = [task for task in first.items if not task.first_step]
    assert [task.key for task in tasks] == ["phase-1-task-3"] and "Python" in tasks[0].text
    assert {task.note for task in first.skipped} == {"Skipped — you already have Git"}
    assert {task.key for task in first.skipped} == {
        "first-step-1",
        "phase-1-task-1",
        "phase-1-task-2",
    }
