"""The fixed words of a guide's layout: column headers, captions, page footers.

Shared by every renderer, so the PDF and the Word file label things alike, and
translated with the guide's other words (`guidegen.language.catalogs`). The words that
depend on the candidate (section headings, leads) are in the Guide.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from guidegen.language import formatting
from guidegen.language.catalogs import language_name, locale_of, translations
from guidegen.models.guide import (
    ActionItem,
    ActionList,
    BreakPeriod,
    DatedPhase,
    Guide,
    PlannedTask,
)


class Labels:
    def __init__(self, language: str = "en"):
        catalog = translations(language)
        _ = catalog.gettext
        self._ngettext = catalog.ngettext
        self._gettext = _
        self.language = language
        self.locale = locale_of(language)
        self.eyebrow = _("Career transition guide")
        self.prepared_for = _("Prepared for")
        self.prepared_by = _("Prepared by")
        self.date = _("Date")
        self.contents = _("Contents")
        self.skill = _("Skill")
        self.why_it_transfers = _("Why it transfers")
        self.on_your_profile = _("On your profile")
        self.not_listed = _("Not listed yet")
        self.rank = "#"
        self.how_to_learn = _("How to learn it")
        self.resources = _("Resources")
        self.covered = _("Covered")
        self.you_have = _("You have:")
        self.page = _("Page")
        self.of = _("of")
        self.chart_caption = _("Your roadmap at a glance")
        self.logo = _("Logo")
        self.weeks_short = _("wk")
        self.phase = _("Phase")
        # The file's own description (PDF metadata, Word's document properties).
        self.keyword = _("career transition")
        self.break_ = _("Break")
        # Every ResourceKind of the template schema, in the guide's language.
        self.kinds = {
            "course": _("course"),
            "certification": _("certification"),
            "book": _("book"),
            "article": _("article"),
            "documentation": _("documentation"),
            "video": _("video"),
            "podcast": _("podcast"),
            "tool": _("tool"),
            "community": _("community"),
            "practice": _("practice"),
        }

    def phase_heading(self, phase: DatedPhase) -> tuple[str, str]:
        """('Phase 1', 'Foundations of AI/ML'): a heading in two parts, styled apart."""
        return f"{self.phase} {phase.number}", phase.name

    def phase_dates(self, phase: DatedPhase) -> str:
        """'Jan 4 – Feb 28, 2027 · 8 weeks', and the breaks inside it."""
        weeks = self._ngettext("{count} week", "{count} weeks", phase.weeks).format(
            count=phase.weeks
        )
        text = f"{formatting.date_range(phase.start, phase.end, self.locale)} · {weeks}"
        for period in phase.breaks:
            text += " · " + self._gettext("no study {dates}").format(dates=self.break_text(period))
        return text

    def due(self, action_list: ActionList) -> str:
        return self._gettext("due {date}").format(date=self.date_text(action_list.due))

    def item_due(self, item: ActionItem) -> str:
        """An action item's own due date: 'due Jan 7, 2027', or 'in progress, due ...'."""
        date = self.date_text(item.due)
        if item.in_progress:
            return _unbroken(self._gettext("in progress, due {date}").format(date=date))
        return _unbroken(self._gettext("due {date}").format(date=date))

    def task_due(self, task: PlannedTask) -> str:
        """When a roadmap task is due: 'by Jan 24, 2027'."""
        return _unbroken(self._gettext("by {date}").format(date=self.date_text(task.due)))

    def break_text(self, period: BreakPeriod) -> str:
        """'Summer, Jul 1 – Aug 31, 2027', or the dates alone."""
        dates = formatting.date_range(period.start, period.end, self.locale)
        return f"{period.label}, {dates}" if period.label else dates

    def page_of(self, page: int | str, pages: int | str) -> str:
        return f"{self.page} {page} {self.of} {pages}"

    def logo_of(self, name: str | None) -> str:
        """The logo's alternative text: 'Northstar Coaching logo'."""
        return self._gettext("{name} logo").format(name=name) if name else self.logo

    def resource_note(self, provider: str, kind: str, language: str | None = None) -> str:
        """'Coursera · course', and '· in English' for a resource not in the guide's
        language."""
        note = f"{provider} · {self.kinds.get(kind, kind)}"
        if language and language != self.language:
            name = language_name(language, self.language)
            note += " · " + self._gettext("in {language}").format(language=name)
        return note

    def description(self, guide: Guide) -> str:
        """What the file is, for its metadata: 'Career transition guide for Alex Rivera:
        Backend Developer to AI Solutions Architect'."""
        return self._gettext(
            "Career transition guide for {name}: {current_role} to {target_role}"
        ).format(
            name=guide.candidate.name,
            current_role=guide.candidate.current_role,
            target_role=guide.candidate.target_role,
        )

    def keywords(self, guide: Guide) -> str:
        candidate = guide.candidate
        return f"{self.keyword}, {candidate.current_role}, {candidate.target_role}"

    def made_with(self, version: str) -> str:
        return self._gettext("Made with guidegen {version}").format(version=version)

    def date_text(self, value: dt.date) -> str:
        return formatting.date(value, self.locale)


def _unbroken(text: str) -> str:
    """Kept on one line after the text it follows (no-break spaces): a due date is read
    whole. A CSS nowrap box made WeasyPrint break the item's own text oddly instead."""
    return text.replace(" ", "\u00a0")


@cache
def labels_for(language: str) -> Labels:
    return Labels(language)
