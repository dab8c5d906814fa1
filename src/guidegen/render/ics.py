"""The calendar renderer: the roadmap as all-day events, the action items as to-dos.

An .ics file (RFC 5545, written with the icalendar package) that Google Calendar,
Outlook and Apple Calendar import. UIDs come from the person and the template,
not from the dates, so importing a re-rendered plan (a new pace, a new start)
updates the same entries instead of adding copies; SEQUENCE grows with the build
time so clients take the newer version.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event, Todo

from guidegen.models.guide import Guide
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
            event = Event()
            event.add("uid", f"{key}-phase-{phase.number}@guidegen")
            event.add("dtstamp", stamp)
            event.add("sequence", sequence)
            event.add("summary", f"{number}: {name}", parameters=language)
            event.add("dtstart", phase.start)
            event.add("dtend", phase.end + dt.timedelta(days=1))  # all-day: end is exclusive
            event.add(
                "description", "\n".join(f"• {task}" for task in phase.tasks), parameters=language
            )
            event.add("transp", "TRANSPARENT")  # a plan, not a meeting: the time stays free
            calendar.add_component(event)
        for action_list in guide.action_plan.lists:
            for index, item in enumerate(action_list.items, start=1):
                todo = Todo()
                todo.add("uid", f"{key}-{action_list.key}-{index}@guidegen")
                todo.add("dtstamp", stamp)
                todo.add("sequence", sequence)
                todo.add("summary", item.text, parameters=language)
                todo.add("due", item.due)
                todo.add("status", "NEEDS-ACTION")
                todo.add("categories", [action_list.heading])
                calendar.add_component(todo)
        return calendar.to_ical()


def plan_key(guide: Guide) -> str:
    """Stable across re-renders of one person's plan on one template."""
    who = (guide.candidate.email or guide.candidate.name).casefold()
    return hashlib.sha256(f"{who}\n{guide.template_id}".encode()).hexdigest()[:20]
