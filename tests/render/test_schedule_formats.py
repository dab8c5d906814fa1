"""Every format says what the schedule says: due dates, items in progress, skipped tasks,
refreshers, left-out phases and breaks, in the PDF, the Word file, the calendar and the chart."""

from __future__ import annotations

import datetime as dt
import re

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn
from icalendar import Calendar
from pypdf import PdfReader

from guidegen.deliver.pipeline import GuideWriter
from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir
from guidegen.plan.personalize import build_guide
from guidegen.render.chart import draw_timeline
from guidegen.render.labels import labels_for
from tests.conftest import TODAY
from tests.render.reading import clean

CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
TEACHER = "teacher-to-instructional-designer"


@pytest.fixture(scope="module")
def teacher_guide(tmp_path_factory):
    """A teacher at 5 hours a week who knows Storyline, with a summer off and more hours
    in the autumn: skipped tasks, a refresher, a break and a pace change in one guide."""
    from guidegen.models.profile import Profile

    template = TemplateCatalog([builtin_templates_dir()]).get(TEACHER).template
    profile = Profile.model_validate(
        {
            "name": "Maria Gonzalez",
            "email": "maria@example.com",
            "current_role": "High School Teacher",
            "target_role": "Instructional Designer",
            "skills": ["Articulate Storyline", "Lesson Planning"],
            "hours_per_week": 5,
            "start_date": "2027-01-04",
            "pace": "2027-09-06: 8",
            "breaks": "Summer: 2027-07-01..2027-08-31",
        }
    )
    guide = build_guide(profile, template, today=TODAY)
    folder = tmp_path_factory.mktemp("teacher")
    files = GuideWriter(("pdf", "docx", "ics")).write(guide, folder, created=CREATED).files
    return guide, *files


def pdf_text(path) -> str:
    return clean(" ".join(page.extract_text() for page in PdfReader(path).pages))


def docx_text(path) -> str:
    return clean(" ".join(paragraph.text for paragraph in Document(path).paragraphs))


def test_the_guide_has_every_kind_of_scheduled_fact(teacher_guide):
    guide = teacher_guide[0]
    assert [b.label for b in guide.roadmap.breaks] == ["Summer"]
    assert any(phase.skipped for phase in guide.roadmap.phases)
    assert any(task.note for task in guide.roadmap.tasks)  # a refresher
    assert any(item.in_progress for lst in guide.action_plan.lists for item in lst.items)
    assert "Paced for your 5 hours a week, then 8 from Sep 6, 2027:" in guide.roadmap.pace_note


@pytest.mark.parametrize("reader", [pdf_text, docx_text], ids=["pdf", "docx"])
def test_pdf_and_word_show_the_same_scheduled_facts(teacher_guide, reader):
    guide, pdf, docx, _ = teacher_guide
    text = reader(pdf if reader is pdf_text else docx)
    labels = labels_for(guide.language)
    for action_list in guide.action_plan.lists:
        for item in action_list.items:
            assert clean(f"{item.text} {labels.item_due(item)}") in text, item
    for phase in guide.roadmap.phases:
        assert clean(labels.phase_dates(phase)) in text  # with the break inside it
        for task in phase.items:
            assert clean(f"{task.text} {labels.task_due(task)}") in text, task
            if task.note:
                assert clean(task.note) in text
        for skipped in phase.skipped:
            assert clean(f"{skipped.note}: {skipped.text}") in text
    assert clean(guide.roadmap.pace_note) in text
    assert "no study Summer, Jul 1 – Aug 31, 2027" in text


def test_the_calendar_has_the_break_and_every_task_due_at_its_finish(teacher_guide):
    guide, _, _, ics = teacher_guide
    calendar = Calendar.from_ical(ics.read_bytes())
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    labels = labels_for(guide.language)
    (period,) = guide.roadmap.breaks
    summer = events[f"Break: {labels.break_text(period)}"]
    assert clean(str(summer["summary"])) == "Break: Summer, Jul 1 – Aug 31, 2027"
    assert summer.decoded("dtstart") == dt.date(2027, 7, 1)
    assert summer.decoded("dtend") == dt.date(2027, 9, 1)
    todos = {str(todo["summary"]): todo for todo in calendar.walk("VTODO")}
    assert len(todos) == len(guide.roadmap.tasks) + len(guide.roadmap.skipped)
    for phase in guide.roadmap.phases:
        (event,) = [e for e in events.values() if str(e["summary"]).endswith(phase.name)]
        for task in phase.items:
            todo = todos[task.text]
            assert todo.decoded("due") == task.due
            assert str(todo["related-to"]) == str(event["uid"])
            assert todo["status"] == "NEEDS-ACTION"
        for skipped in phase.skipped:  # there, so an update takes an earlier plan's away
            todo = todos[skipped.text]
            assert todo["status"] == "CANCELLED" and str(todo["description"]) == skipped.note
            assert "due" not in todo and str(todo["related-to"]) == str(event["uid"])


def test_a_left_out_phase_is_one_line_in_every_format(make_profile, flagship, tmp_path):
    # Without its refresher, the flagship's first phase only teaches ML: left out for
    # someone with Machine Learning, and the next phase becomes phase 1.
    template = flagship.model_copy(deep=True)
    template.roadmap[0].tasks[3].refresher_hours = None
    guide = build_guide(make_profile(skills=["Machine Learning"]), template, today=TODAY)
    (note,) = guide.roadmap.notes
    assert note == "“Foundations of AI/ML” is left out: you already have Machine Learning."
    first = guide.roadmap.phases[0]
    assert (first.number, first.name, first.key) == (
        1,
        "Cloud AI Services and Architecture",
        "phase-2",
    )
    assert first.start == guide.roadmap.start
    pdf, docx, ics = (
        GuideWriter(("pdf", "docx", "ics")).write(guide, tmp_path, created=CREATED).files
    )
    assert clean(note) in pdf_text(pdf) and clean(note) in docx_text(docx)
    calendar = Calendar.from_ical(ics.read_bytes())
    uids = [str(event["uid"]) for event in calendar.walk("VEVENT")]
    assert uids[0].endswith("-phase-2@guidegen")  # the same event as in a full plan


def test_the_chart_shows_the_breaks(teacher_guide):
    from matplotlib import dates as mdates

    from guidegen.render.chart import _figure

    guide = teacher_guide[0]
    without = guide.roadmap.model_copy(update={"breaks": []})
    assert draw_timeline(guide.roadmap) != draw_timeline(without)
    # One hatched band per break, over exactly its days (its last day included).
    style = {"color": "#1B3A5C", "text_color": "#1F2933", "language": "en"}
    hatched = [
        patch
        for patch in _figure(guide.roadmap, **style).axes[0].patches
        if patch.get_hatch() == "////"
    ]
    assert guide.roadmap.breaks
    spans = sorted(
        (round(patch.get_x()), round(patch.get_x() + patch.get_width())) for patch in hatched
    )
    assert spans == sorted(
        (round(mdates.date2num(period.start)), round(mdates.date2num(period.end) + 1))
        for period in guide.roadmap.breaks
    )
    assert not [p for p in _figure(without, **style).axes[0].patches if p.get_hatch() == "////"]


def test_an_item_is_ticked_once_in_the_list_where_it_finishes(teacher_guide, tmp_path):
    # An item still running at a list's end is marked ◔ there, with no box: the PDF, the
    # fillable PDF and the Word file give each item one box, in the list where it finishes,
    # and the calendar has it once, as one to-do due that day.
    guide, pdf, docx, ics = teacher_guide
    items = [item for action_list in guide.action_plan.lists for item in action_list.items]
    running = [item for item in items if item.in_progress]
    finishing = [item for item in items if not item.in_progress]
    assert running and finishing
    # The teacher's reading runs on past This Week and finishes in a later list.
    repeated = {item.key for item in running} & {item.key for item in finishing}
    assert repeated
    assert len({item.key for item in finishing}) == len(finishing)  # never boxed twice

    marks = "".join(
        char["text"]
        for page in pdfplumber.open(pdf).pages
        for char in page.chars
        if char["text"] in {"☐", "◔"}
    )
    assert (marks.count("☐"), marks.count("◔")) == (len(finishing), len(running))
    (fillable,) = GuideWriter(("pdf",), fillable=True).write(guide, tmp_path, created=CREATED).files
    boxes = [f for f in PdfReader(fillable).get_fields().values() if f.get("/FT") == "/Btn"]
    assert len(boxes) == len(finishing)

    document = Document(docx)
    assert len(list(document.element.body.iter(qn("w14:checkbox")))) == len(finishing)
    marked = [p.text for p in document.paragraphs if p.text.startswith("◔")]
    assert [clean(text) for text in marked] == [
        clean(f"{item.text} {labels_for('en').item_due(item)}") for item in running
    ]

    todos = {
        str(todo["uid"]).split("-", 1)[1]: todo
        for todo in Calendar.from_ical(ics.read_bytes()).walk("VTODO")
    }
    for item in finishing:
        assert todos[f"{item.key}@guidegen"].decoded("due") == item.due


# --- the "Done when": four people, every format agreeing with their schedule ------------

MONTH_WORDS = {"en": "months", "es": "meses", "fr": "mois"}
# who: (template, their sample profile in profiles/, language)
DONE_WHEN = {
    "teacher-5h": (TEACHER, "maria-gonzalez", "en"),
    "nurse-3h": ("registered-nurse-to-health-informatics-specialist", "priya-natarajan", "en"),
    "sysadmin-git": ("system-administrator-to-devops-engineer", "sam-okafor", "en"),
    "alex-rivera": ("backend-developer-to-ai-solutions-architect", "alex-rivera", "en"),
    "teacher-5h-es": (TEACHER, "maria-gonzalez", "es"),
}


@pytest.fixture(scope="module", params=list(DONE_WHEN))
def person(request, tmp_path_factory):
    """One Done-when person's guide, rendered once per module to PDF, Word and .ics."""
    from guidegen.load.profiles import load_profile
    from tests.conftest import ROOT

    template_id, who, language = DONE_WHEN[request.param]
    profile = load_profile(ROOT / "profiles" / f"{who}.yaml")
    catalog = TemplateCatalog([builtin_templates_dir()], language=language)
    guide = build_guide(profile, catalog.get(template_id).template, today=TODAY, language=language)
    folder = tmp_path_factory.mktemp(request.param)
    pdf, docx, ics = GuideWriter(("pdf", "docx", "ics")).write(guide, folder, created=CREATED).files
    with pdfplumber.open(pdf) as document:
        pdf_words = clean(" ".join(page.extract_text() or "" for page in document.pages))
    return guide, profile, pdf_words, docx_all_text(docx), Calendar.from_ical(ics.read_bytes())


def docx_all_text(path) -> str:
    """Every paragraph of the Word file's body, those in tables (the cover, the glance box)
    too, in document order."""
    body = Document(path).element.body
    paragraphs = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return clean(" ".join(paragraphs))


def _expected_headline_months(guide) -> int:
    from guidegen.plan.schedule import plan_months

    return plan_months(guide.roadmap.phases[0].start, guide.roadmap.phases[-1].end)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_done_when_every_date_and_list_item_in_pdf_and_word_is_the_schedule(person, fmt):
    guide, _, pdf, docx, _ = person
    text = pdf if fmt == "pdf" else docx
    labels = labels_for(guide.language)
    roadmap = guide.roadmap
    # The headline, the glance box and the pace note state the plan's own length.
    months = _expected_headline_months(guide)
    assert roadmap.start == roadmap.phases[0].start and roadmap.end == roadmap.phases[-1].end
    assert roadmap.months == months and re.search(rf"\b{months}\b", guide.subtitle)
    assert clean(guide.subtitle) in text
    glance = guide.overview.at_a_glance
    (plan,) = [fact for fact in glance if str(roadmap.total_weeks) in fact.value]
    assert clean(plan.value) in text
    assert clean(roadmap.pace_note) in text
    # Every phase with its dates, every task with its due date, every skip and left-out note.
    for phase in roadmap.phases:
        assert clean(labels.phase_dates(phase)) in text, phase.name
        for task in phase.items:
            assert clean(f"{task.text} {labels.task_due(task)}") in text, task.text
        for skipped in phase.skipped:
            assert clean(f"{skipped.note}: {skipped.text}") in text
    for note in roadmap.notes:
        assert clean(note) in text
    # Every action list with its due date, every item with its own.
    for action_list in guide.action_plan.lists:
        assert clean(f"{action_list.heading} {labels.due(action_list)}") in text
        for item in action_list.items:
            assert clean(f"{item.text} {labels.item_due(item)}") in text, item.text
    for entry in guide.faq.entries:
        assert clean(entry.answer) in text, entry.question


def test_done_when_the_action_lists_are_read_from_the_schedule(person):
    guide = person[0]
    tasks = {task.key: task for task in guide.roadmap.tasks}
    phases = {phase.number: phase for phase in guide.roadmap.phases}
    start = guide.roadmap.start
    for action_list in guide.action_plan.lists:
        begins = action_list.start or start
        keys = [item.key for item in action_list.items]
        assert keys == sorted(keys, key=list(tasks).index)  # in plan order
        for item in action_list.items:
            task = tasks[item.key]
            assert (item.text, item.due) == (task.text, task.due)  # the task's own due date
            phase = phases[item.phase]
            assert task in phase.items and phase.start <= item.due <= phase.end
            # Started or finished in the window; still running at its end: in progress.
            assert task.start <= action_list.due and item.due >= begins
            assert item.in_progress == (item.due > action_list.due)


def test_done_when_the_calendar_is_the_same_schedule(person):
    guide, _, _, _, calendar = person
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    todos = {str(todo["uid"]): todo for todo in calendar.walk("VTODO")}
    assert guide.title in str(calendar["x-wr-calname"])
    key = next(iter(events)).split("-", 1)[0]
    for phase in guide.roadmap.phases:
        event = events[f"{key}-{phase.key}@guidegen"]
        assert event.decoded("dtstart") == phase.start
        assert event.decoded("dtend") == phase.end + dt.timedelta(days=1)
        for task in phase.items:
            todo = todos[f"{key}-{task.key}@guidegen"]
            assert todo.decoded("due") == task.due and str(todo["summary"]) == task.text
            assert str(todo["related-to"]) == str(event["uid"])
    for action_list in guide.action_plan.lists:
        for item in action_list.items:  # each action item is one of the calendar's to-dos
            assert todos[f"{key}-{item.key}@guidegen"].decoded("due") == item.due
    for skipped in guide.roadmap.skipped:
        assert todos[f"{key}-{skipped.key}@guidegen"]["status"] == "CANCELLED"
    planned = [t for t in todos.values() if t["status"] == "NEEDS-ACTION"]
    assert len(planned) == len(guide.roadmap.tasks)
    dates = [t.decoded("due") for t in planned] + [e.decoded("dtstart") for e in events.values()]
    assert all(guide.roadmap.start <= date <= guide.roadmap.end for date in dates)


def test_done_when_the_faq_states_the_persons_own_pace_and_plan_length(person):
    from guidegen.plan.placeholders import literal_durations, literal_paces

    guide, profile, *_ = person
    months = _expected_headline_months(guide)
    answers = [entry.answer for entry in guide.faq.entries]
    stated = [literal for answer in answers for literal in literal_paces(answer)]
    assert stated and {literal.value for literal in stated} == {profile.hours_per_week}
    (how_long,) = [answer for answer in answers if literal_paces(answer)]
    assert f"{months} {MONTH_WORDS[guide.language]}" in how_long
    prose = [guide.overview.intro, *guide.overview.paragraphs, guide.roadmap.lead, *answers]
    for literal in [literal for text in prose for literal in literal_durations(text)]:
        # a duration the prose states is the plan's own ("takes 58 weeks")
        (number,) = re.findall(r"\d+", literal.phrase)
        assert int(number) in {guide.roadmap.total_weeks, months}, literal.phrase
    assert {literal.value for text in prose for literal in literal_paces(text)} <= {
        profile.hours_per_week
    }
