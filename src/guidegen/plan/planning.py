"""Planning one person's guide from their profile: what `render`, `batch` and `validate`
all run, so that what `validate` passes, rendering cannot refuse for its data.

A profile is valid only once its guide can be planned: its template found (by id or
by its two roles, in the person's language) and its dated plan made, which can fail
on the data alone (0.000001 hours a week, a start in the year 9999: more than
`plan.years`). Each problem is placed where the person can fix it: a profile
file's line, or a cohort's row.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from guidegen.errors import UserError
from guidegen.load.catalog import CatalogEntry, TemplateCatalog
from guidegen.load.cohort import ROLE_PAIR_FIX, CohortEntry
from guidegen.load.profiles import located
from guidegen.load.sources import Source
from guidegen.models.brand import DEFAULT_BRAND, Brand
from guidegen.models.guide import Guide
from guidegen.models.profile import Profile
from guidegen.models.template import TransitionTemplate
from guidegen.plan.personalize import build_guide

TEMPLATE_ID_FIX = "correct the template id (`guidegen templates list` shows them)"


class RowError(UserError):
    """A cohort row that cannot be planned, and how to fix it when its problems alone
    do not say (a pair of roles that no template covers)."""

    def __init__(self, error: UserError, fix: str = ""):
        super().__init__(error.problems, hint=error.hint)
        self.fix = fix


def plan_profile(
    profile: Profile,
    template: TransitionTemplate,
    source: Source | None = None,
    *,
    today: dt.date,
    language: str,
    prepared_by: str | None = None,
    brand: Brand = DEFAULT_BRAND,
) -> Guide:
    """The profile's Guide; a plan it cannot have is a UserError placed in `source`."""
    try:
        return build_guide(
            profile,
            template,
            today=today,
            prepared_by=prepared_by,
            brand=brand,
            language=language,
        )
    except UserError as error:
        raise located(error, source) if source is not None else error from None


@dataclass
class PlannedRow:
    profile: Profile
    language: str
    template: CatalogEntry
    build: Callable[[], Guide]
    """Builds the row's Guide again (a millisecond or two): a batch keeps none in memory."""
    guide: Guide
    """The Guide as first built, when the row was checked."""


class RowPlanner:
    """Plans cohort rows, one step at a time (a batch records each step's result in its
    manifest, even for a row that fails at a later one)."""

    def __init__(
        self,
        *,
        today: dt.date,
        language: str = "en",
        templates_dir: Path | None = None,
        catalogs: dict[str, TemplateCatalog] | None = None,
        brand: Brand = DEFAULT_BRAND,
        prepared_by: str | None = None,
        require_email: bool = False,
    ):
        self.today = today
        self.language = language
        self.templates_dir = templates_dir
        self.catalogs = catalogs if catalogs is not None else {}
        self.brand = brand
        self.prepared_by = prepared_by
        self.require_email = require_email

    def catalog(self, language: str) -> TemplateCatalog:
        if language not in self.catalogs:
            self.catalogs[language] = TemplateCatalog.default(self.templates_dir, language=language)
        return self.catalogs[language]

    def profile(self, entry: CohortEntry) -> Profile:
        """The row as a profile: every cell's problem at once."""
        return self.demands(entry, entry.validate())

    def demands(self, entry: CohortEntry, profile: Profile) -> Profile:
        """`profile`, the row's, once it meets what this run asks of every row (an email)."""
        if self.require_email and not profile.email:
            raise UserError(
                entry.problem("no email address, and this batch requires one", field="email")
            )
        return profile

    def template(self, entry: CohortEntry, profile: Profile) -> tuple[str, CatalogEntry]:
        """The row's language and template: its own id, or the one its two roles name."""
        language = profile.language or self.language
        try:
            return language, self.catalog(language).resolve(profile)
        except UserError as error:
            problems = [entry.problem(p.message, field=p.field) for p in error.problems]
            fix = TEMPLATE_ID_FIX if profile.template else ROLE_PAIR_FIX
            raise RowError(UserError(problems), fix) from None

    def guide(
        self, entry: CohortEntry, profile: Profile, language: str, template: CatalogEntry
    ) -> tuple[Callable[[], Guide], Guide]:
        """How to build the row's Guide, and the Guide built once: a plan the row cannot
        have fails here, placed on the row."""
        build = functools.partial(
            plan_profile,
            profile,
            template.template,
            today=self.today,
            language=language,
            prepared_by=self.prepared_by,
            brand=self.brand,
        )
        try:
            return build, build()
        except UserError as error:
            raise entry.placed(error) from None

    def plan(self, entry: CohortEntry) -> PlannedRow:
        profile = self.profile(entry)
        language, template = self.template(entry, profile)
        build, guide = self.guide(entry, profile, language, template)
        return PlannedRow(profile, language, template, build, guide)
