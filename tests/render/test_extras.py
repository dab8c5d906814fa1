"""Calendar (.ics), fillable PDF checkboxes, and the accessible and archival PDF variants."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from guidegen.deliver.pipeline import GuideWriter
from guidegen.plan.personalize import build_guide
from guidegen.render.ics import IcsRenderer
from tests.conftest import TODAY

CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def test_the_calendar_matches_the_guide(make_profile, flagship, tmp_path):
    guide = build_guide(make_profile(), flagship, today=TODAY)
    (path,) = GuideWriter(("ics",)).write(guide, tmp_path, created=CREATED).files
    assert path.suffix == ".ics"
    calendar = Calendar.from_ical(path.read_bytes())
    events = list(calendar.walk("VEVENT"))
    todos = list(calendar.walk("VTODO"))
    assert len(events) == len(guide.roadmap.phases)
    for event, phase in zip(events, guide.roadmap.phases, strict=True):
        assert event.decoded("dtstart") == phase.start
        assert event.decoded("dtend") == phase.end + dt.timedelta(days=1)  # exclusive
        assert str(event["summary"]) == f"Phase {phase.number}: {phase.name}"
        assert phase.tasks[0] in str(event["description"])
    # Every first step and task of the plan is a to-do, due when the schedule has it done,
    # and related to its phase's event.
    phases = zip(events, guide.roadmap.phases, strict=True)
    phase_uids = {phase.number: str(event["uid"]) for event, phase in phases}
    tasks = [(task, phase) for phase in guide.roadmap.phases for task in phase.items]
    assert [str(todo["summary"]) for todo in todos] == [task.text for task, _ in tasks]
    assert [todo.decoded("due") for todo in todos] == [task.due for task, _ in tasks]
    assert [str(todo["related-to"]) for todo in todos] == [
        phase_uids[phase.number] for _, phase in tasks
    ]
    # the action lists' items are among them, with the same due dates
    due_by_summary = {str(todo["summary"]): todo.decoded("due") for todo in todos}
    for action_list in guide.action_plan.lists:
        for item in action_list.items:
            assert due_by_summary[item.text] == item.due


def test_calendar_uids_survive_a_re_rendered_plan(make_profile, flagship):
    slow = build_guide(make_profile(hours_per_week=5), flagship, today=TODAY)
    fast = build_guide(make_profile(hours_per_week=20), flagship, today=TODAY)
    first = Calendar.from_ical(IcsRenderer().render(slow, created=CREATED))
    later = CREATED + dt.timedelta(days=3)
    second = Calendar.from_ical(IcsRenderer().render(fast, created=later))
    uids = [str(c["uid"]) for c in first.walk() if c.name in {"VEVENT", "VTODO"}]
    assert uids == [str(c["uid"]) for c in second.walk() if c.name in {"VEVENT", "VTODO"}]
    assert len(set(uids)) == len(uids)
    assert first.walk("VEVENT")[0]["sequence"] < second.walk("VEVENT")[0]["sequence"]
    other = build_guide(make_profile(email="someone.else@example.com"), flagship, today=TODAY)
    third = Calendar.from_ical(IcsRenderer().render(other, created=CREATED))
    assert str(third.walk("VEVENT")[0]["uid"]) != uids[0]


def test_fillable_pdf_has_one_checkbox_per_action_item(make_profile, flagship, tmp_path):
    # One per item that finishes in its list: one still in progress at the list's end is
    # ticked in the list where it finishes.
    guide = build_guide(make_profile(), flagship, today=TODAY)
    writer = GuideWriter(("pdf",), fillable=True)
    (path,) = writer.write(guide, tmp_path, created=CREATED).files
    fields = PdfReader(path).get_fields()
    checkboxes = {name: field for name, field in fields.items() if field.get("/FT") == "/Btn"}
    assert set(checkboxes) == {
        f"{action_list.key}-{index}"
        for action_list in guide.action_plan.lists
        for index, item in enumerate(action_list.items, start=1)
        if not item.in_progress
    }
    assert len(checkboxes) >= 9


def _structure(node, found):
    node = node.get_object()
    if isinstance(node, dict):
        if "/S" in node:
            found.setdefault(str(node["/S"]), []).append(node)
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                _structure(kid, found)
    return found


def test_pdf_ua_is_tagged_with_language_headings_tables_and_alt_text(
    make_profile, flagship, tmp_path
):
    guide = build_guide(make_profile(), flagship, today=TODAY)
    writer = GuideWriter(("pdf",), pdf_variant="pdf/ua-1")
    (path,) = writer.write(guide, tmp_path, created=CREATED).files
    root = PdfReader(path).trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"]
    found = _structure(root["/StructTreeRoot"], {})
    assert len(found["/H1"]) == 1 and len(found["/H2"]) >= 8
    assert len(found["/Table"]) >= 2 and found["/TH"]
    (figure,) = found["/Figure"]
    alt = str(figure["/Alt"])
    assert alt == guide.roadmap.chart_alt_text
    for phase in guide.roadmap.phases:
        assert phase.name in alt


def test_pdf_a_3b_declares_itself(make_profile, flagship, tmp_path):
    guide = build_guide(make_profile(), flagship, today=TODAY)
    writer = GuideWriter(("pdf",), pdf_variant="pdf/a-3b")
    (path,) = writer.write(guide, tmp_path, created=CREATED).files
    reader = PdfReader(path)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert reader.trailer["/Root"]["/OutputIntents"]


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3b"])
def test_variants_on_the_command_line(variant, tmp_path):
    import subprocess
    import sys

    from tests.conftest import ALEX_PATH

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "guidegen",
            "render",
            str(ALEX_PATH),
            "--pdf-variant",
            variant,
            "--fillable",
            "-f",
            "pdf",
            "-f",
            "ics",
            "-o",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert [line.rsplit(".", 1)[1] for line in run.stdout.splitlines()] == ["pdf", "ics"]


def test_a_re_rendered_plan_cancels_what_it_drops_under_the_same_uids(make_profile, flagship):
    # The person adds Machine Learning to their profile: the first phase (without its
    # refresher) and the ML first step leave the plan. Importing the new calendar must take
    # them away: the same UIDs, STATUS:CANCELLED, a higher SEQUENCE.
    template = flagship.model_copy(deep=True)
    template.roadmap[0].tasks[3].refresher_hours = None
    before = build_guide(make_profile(skills=["Go"]), template, today=TODAY)
    after = build_guide(make_profile(skills=["Go", "Machine Learning"]), template, today=TODAY)
    first = Calendar.from_ical(IcsRenderer().render(before, created=CREATED))
    later = CREATED + dt.timedelta(days=3)
    second = Calendar.from_ical(IcsRenderer().render(after, created=later))

    def entries(calendar):
        return {str(c["uid"]): c for c in calendar.walk() if c.name in {"VEVENT", "VTODO"}}

    old, new = entries(first), entries(second)
    assert set(old) <= set(new)  # nothing an earlier import put there is left behind
    assert all(str(entry.get("status")) != "CANCELLED" for entry in old.values())
    cancelled = {uid: entry for uid, entry in new.items() if entry.get("status") == "CANCELLED"}
    (phase,) = after.roadmap.left_out
    event = cancelled.pop(next(uid for uid in cancelled if uid.endswith("-phase-1@guidegen")))
    assert event.name == "VEVENT" and str(event["summary"]) == phase.note
    assert event.decoded("dtstart") == after.roadmap.start  # a date it must have: day one
    assert str(event["transp"]) == "TRANSPARENT"
    skipped = {task.key: task for task in after.roadmap.skipped}
    assert {uid.split("-", 1)[1].removesuffix("@guidegen") for uid in cancelled} == set(skipped)
    assert len(skipped) == len(template.roadmap[0].tasks) + 1  # the phase and a first step
    for uid, todo in cancelled.items():
        task = skipped[uid.split("-", 1)[1].removesuffix("@guidegen")]
        assert todo.name == "VTODO" and str(todo["summary"]) == task.text
        assert str(todo["description"]) == task.note
        assert "due" not in todo and "dtstart" not in todo
    for uid, entry in old.items():
        assert new[uid]["sequence"] > entry["sequence"]
    # What the new plan keeps is planned, said so: a phase cancelled before comes back.
    for uid in set(new) - set(cancelled) - {event["uid"]}:
        assert new[uid].get("status") in {None, "NEEDS-ACTION", "CONFIRMED"}  # None: a break
