"""The fixed words of a guide's layout: column headers, captions, page footers.

Shared by every renderer, so the PDF and the Word file label things alike. The
words that depend on the candidate (section headings, leads) are in the Guide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from guidegen import formatting
from guidegen.models.guide import ActionList, DatedPhase


@dataclass(frozen=True)
class Labels:
    eyebrow: str = "Career transition guide"
    prepared_for: str = "Prepared for"
    prepared_by: str = "Prepared by"
    date: str = "Date"
    contents: str = "Contents"
    skill: str = "Skill"
    why_it_transfers: str = "Why it transfers"
    on_your_profile: str = "On your profile"
    not_listed: str = "Not listed yet"
    rank: str = "#"
    how_to_learn: str = "How to learn it"
    resources: str = "Resources"
    covered: str = "Covered"
    you_have: str = "You have:"
    page: str = "Page"
    of: str = "of"
    chart_caption: str = "Your roadmap at a glance"

    def phase_heading(self, phase: DatedPhase) -> tuple[str, str]:
        """('Phase 1', 'Foundations of AI/ML'): a heading in two parts, styled apart."""
        return f"Phase {phase.number}", phase.name

    def phase_dates(self, phase: DatedPhase) -> str:
        weeks = f"{phase.weeks} week{'s' if phase.weeks != 1 else ''}"
        return f"{formatting.date_range(phase.start, phase.end)} · {weeks}"

    def due(self, action_list: ActionList) -> str:
        return f"due {formatting.date(action_list.due)}"

    def page_of(self, page: int | str, pages: int | str) -> str:
        return f"{self.page} {page} {self.of} {pages}"

    def resource_note(self, provider: str, kind: str) -> str:
        return f"{provider} · {kind}"

    @staticmethod
    def date_text(value: dt.date) -> str:
        return formatting.date(value)


LABELS = Labels()
