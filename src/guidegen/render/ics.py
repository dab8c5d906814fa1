"""The calendar renderer: the roadmap's phases and breaks as all-day events, its tasks as to-dos.

An .ics file (RFC 5545, written with the icalendar package) that Google Calendar,
Outlook and Apple Calendar import. Every first step and task of the plan is a
to-do, due the day the schedule has it done and RELATED-TO its phase's event, so a
calendar app groups them. UIDs come from the person, the template and each item's
place in the template, not from the dates, so importing a re-rendered plan (a new
pace, a new start, a break) updates the same entries instead of adding copies;
SEQUENCE grows with the build time so clients take the newer version.

What a plan no longer has is said too, so an update can take it away: a task skipped
because the person has what it teaches is a to-do with STATUS:CANCELLED (no dates,
the skip note as its description), and a phase left out is an event with
STATUS:CANCELLED, under the UIDs they have in a plan that keeps them. A client that
honours cancellation on import drops or strikes out the entry an earlier plan put
there; on a first import it is a cancelled entry that says why (README, "The calendar
file", says what each app does). A cancelled event still needs a date: it is the plan's
first day, all day and free, with the roadmap's own line ("... is left out: you
already have Git.") as its title.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event, Todo

from guidegen.models.guide import Guide, SkippedTask
from guidegen.render.labels import labels_for


class IcsRenderer:
    def render(self, guide: Guide, *, created: dt.datetime) -> bytes:
        key = plan_key(guide)
        stamp = created.astimezone(dt.UTC)
        sequence = int(stamp.timestamp()) // 60  # newer renders, higher sequence
        calendar = Calendar()
        calendar.add("prodid", "-//guidegen//Career transition plan//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", f"{guide.title} – {guide.candidate.name}")
        labels = labels_for(guide.language)
        # Text in the guide's language, said so (RFC 5545 LANGUAGE) for clients that care.
        language = {"LANGUAGE": guide.language}
        for phase in guide.roadmap.phases:
            number, name = labels.phase_heading(phase)
            phase_uid = f"{key}-{phase.key}@guidegen"
            event = Event()
            event.add("uid", phase_uid)
            event.add("dtstamp", stamp)
            event.add("sequence", sequence)
            event.add("summary", f"{number}: {name}", parameters=language)
            event.add("dtstart", phase.start)
            event.add("dtend", phase.end + dt.timedelta(days=1))  # all-day: end is exclusive
            event.add(
                "description",
                "\n".join(f"• {task.text} ({labels.task_due(task)})" for task in phase.items),
                parameters=language,
            )
            event.add("transp", "TRANSPARENT")  # a plan, not a meeting: the time stays free
            # Said, so an update brings back a phase an earlier plan had cancelled.
            event.add("status", "CONFIRMED")
            calendar.add_component(event)
            for task in phase.items:
                todo = Todo()
                todo.add("uid", f"{key}-{task.key}@guidegen")
                todo.add("dtstamp", stamp)
                todo.add("sequence", sequence)
                todo.add("summary", task.text, parameters=language)
                if task.start < task.due:  # RFC 5545: a due date comes after the start
                    todo.add("dtstart", task.start)
                todo.add("due", task.due)
                todo.add("related-to", phase_uid)
                todo.add("status", "NEEDS-ACTION")
                todo.add("categories", [f"{number}: {name}"])
                if task.note:
                    todo.add("description", task.note, parameters=language)
                calendar.add_component(todo)
            for task in phase.skipped:
                calendar.add_component(_cancelled(key, task, stamp, sequence, phase_uid, language))
        for phase in guide.roadmap.left_out:
            # A phase an earlier plan may have had: cancelled under the UID it had then.
            phase_uid = f"{key}-{phase.key}@guidegen"
            event = Event()
            event.add("uid", phase_uid)
            event.add("dtstamp", stamp)
            event.add("sequence", sequence)
            event.add("summary", phase.note, parameters=language)
            event.add("dtstart", guide.roadmap.start)
            event.add("dtend", guide.roadmap.start + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
            event.add("status", "CANCELLED")
            calendar.add_component(event)
            for task in phase.skipped:
                calendar.add_component(_cancelled(key, task, stamp, sequence, phase_uid, language))
        for index, period in enumerate(guide.roadmap.breaks, start=1):
            event = Event()
            event.add("uid", f"{key}-break-{index}@guidegen")
            event.add("dtstamp", stamp)
            event.add("sequence", sequence)
            event.add(
                "summary", f"{labels.break_}: {labels.break_text(period)}", parameters=language
            )
            event.add("dtstart", period.start)
            event.add("dtend", period.end + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
        return calendar.to_ical()


def _cancelled(
    key: str, task: SkippedTask, stamp: dt.datetime, sequence: int, phase_uid: str, language
) -> Todo:
    """A skipped task as a cancelled to-do, under the UID it has when it is planned."""
    todo = Todo()
    todo.add("uid", f"{key}-{task.key}@guidegen")
    todo.add("dtstamp", stamp)
    todo.add("sequence", sequence)
    todo.add("summary", task.text, parameters=language)
    todo.add("description", task.note, parameters=language)
    todo.add("related-to", phase_uid)
    todo.add("status", "CANCELLED")
    return todo


def plan_key(guide: Guide) -> str:
    """Stable across re-renders of one person's plan on one template."""
    who = (guide.candidate.email or guide.candidate.name).casefold()
    return hashlib.sha256(f"{who}\n{guide.template_id}".encode()).hexdigest()[:20]
