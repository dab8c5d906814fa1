"""Every format says what the schedule says: due dates, items in progress, skipped tasks,
refreshers, left-out phases and breaks, in the PDF, the Word file, the calendar and the chart."""

from __future__ import annotations

import datetime as dt

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
    guide = teacher_guide[0]
    without = guide.roadmap.model_copy(update={"breaks": []})
    assert draw_timeline(guide.roadmap) != draw_timeline(without)


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
