"""The fixed words of a guide's layout: column headers, captions, page footers.

Shared by every renderer, so the PDF and the Word file label things alike, and
translated with the guide's other words (`guidegen.language.catalogs`). The words that
depend on the candidate (section headings, leads) are in the Guide.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from guidegen.language import formatting
from guidegen.language.catalogs import locale_of, translations
from guidegen.models.guide import ActionList, DatedPhase


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
        self.weeks_short = _("wk")
        self.phase = _("Phase")
        self.logo = _("Logo")
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
        weeks = self._ngettext("{count} week", "{count} weeks", phase.weeks).format(
            count=phase.weeks
        )
        return f"{formatting.date_range(phase.start, phase.end, self.locale)} · {weeks}"

    def due(self, action_list: ActionList) -> str:
        return self._gettext("due {date}").format(date=self.date_text(action_list.due))

    def page_of(self, page: int | str, pages: int | str) -> str:
        return f"{self.page} {page} {self.of} {pages}"

    def logo_of(self, name: str | None) -> str:
        """The logo's alternative text: 'Northstar Coaching logo'."""
        return self._gettext("{name} logo").format(name=name) if name else self.logo

    def description(self, name: str, current_role: str, target_role: str) -> str:
        """The document's description (PDF Subject and XMP dc:description)."""
        return self._gettext(
            "Career transition guide for {name}: {current_role} to {target_role}"
        ).format(name=name, current_role=current_role, target_role=target_role)

    def resource_note(self, provider: str, kind: str) -> str:
        return f"{provider} · {self.kinds.get(kind, kind)}"

    def date_text(self, value: dt.date) -> str:
        return formatting.date(value, self.locale)


@cache
def labels_for(language: str) -> Labels:
    return Labels(language)
