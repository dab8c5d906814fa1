"""Finding transition templates: built-in ones, and a user's own folder.

The built-in templates ship inside the package (``guidegen/transitions`` in
the wheel, the repository's ``templates/`` in a source checkout). A user's
templates folder adds to them and overrides them by id. A template is stored
as ``<id>.yaml``, so finding one by id reads one file, and only matching by
roles reads them all.

A template's translations live beside it, one folder per language
(``es/<id>.yaml``, ``fr/<id>.yaml``; see `guidegen.load.translation`). A
translation in a later folder overrides an earlier one, but never applies to a
template from a later folder: a coach who replaces a built-in template writes
its translations too. Roles are matched by their names in every language, so a
Spanish row may name its roles in English and an English row in French.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from guidegen.errors import Problem, UserError, display_path
from guidegen.language.catalogs import LANGUAGES, language_name
from guidegen.load.sources import Source, load_yaml_file
from guidegen.load.translation import (
    MissingText,
    localize,
    mark_resource_languages,
    merge,
    missing_texts,
    own_language,
    role_names,
    translation_file,
)
from guidegen.load.validation import validate
from guidegen.models.profile import Profile
from guidegen.models.template import TransitionTemplate

TEMPLATE_SUFFIXES = (".yaml", ".yml")
__all__ = ["CatalogEntry", "TemplateCatalog", "load_template_file", "localize"]


def builtin_templates_dir() -> Path:
    packaged = Path(str(resources.files("guidegen") / "transitions"))
    if packaged.is_dir():
        return packaged
    # A source checkout (editable install): the repository's own templates/.
    return Path(__file__).resolve().parents[3] / "templates"


def default_user_templates_dir() -> Path | None:
    """``./templates`` when it exists: a coach's workspace keeps its templates there."""
    candidate = Path("templates")
    return candidate if candidate.is_dir() else None


SENIORITY = {
    "senior", "sr", "junior", "jr", "lead", "principal", "staff", "associate", "entry",
    "level", "mid", "i", "ii", "iii", "iv",
}  # fmt: skip


def normalize_role(role: str) -> str:
    """'Senior Software Engineer (Backend) II' -> 'software engineer backend'.

    Case, punctuation and seniority words do not change which move a person makes.
    """
    words = re.findall(r"[^\W_]+", role.casefold())
    kept = [word for word in words if word not in SENIORITY]
    return " ".join(kept or words)


@dataclass(frozen=True)
class CatalogEntry:
    """A template in one language, and the files it was read from."""

    template: TransitionTemplate
    path: Path
    language: str = "en"
    translation: Path | None = None
    """The translation file merged over `path`, when there is one."""
    missing: tuple[MissingText, ...] = ()
    """The template's texts that have no text in `language` (they stay in its own)."""

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file this entry's content comes from (what a re-render depends on)."""
        return (self.path, self.translation) if self.translation else (self.path,)

    @property
    def own_language(self) -> str:
        return self.template.language

    def language_warning(self) -> str | None:
        """What a coach must know before sending a guide in `language` that is partly in
        the template's own language; None when it is all there."""
        if not self.missing:
            return None
        wanted = language_name(self.language)
        own = language_name(self.own_language)
        if self.translation is None:
            expected = display_path(self.path.parent / self.language / self.path.name)
            return (
                f"{display_path(self.path)}: this template has no {wanted} translation "
                f"({expected}), so {len(self.missing)} of its texts stay in {own} in this "
                f"{wanted} guide: {_field_list([m.field for m in self.missing])}. "
                f"`guidegen templates translate {self.template.id} --lang {self.language}` "
                "starts one."
            )
        return (
            f"{display_path(self.translation)}: {len(self.missing)} text(s) have no {wanted} "
            f"translation and stay in {own}: {_field_list([m.field for m in self.missing])} "
            f"(`guidegen validate --lang {self.language} {display_path(self.path)}` lists them "
            "with their lines)"
        )


def _field_list(fields: list[str], limit: int = 6) -> str:
    shown = ", ".join(fields[:limit])
    return shown + (f" and {len(fields) - limit} more" if len(fields) > limit else "")


def load_template_file(path: Path, language: str = "en") -> TransitionTemplate:
    """A template file given by path, in `language` (with its ``<language>/`` translation
    beside it, when there is one)."""
    return read_template(path, language).template


def read_template(
    path: Path,
    language: str = "en",
    *,
    translation: Path | None = None,
    source: Source | None = None,
) -> CatalogEntry:
    """Read, translate and validate one template; every problem of both files at once.

    `translation` is the translation file to merge (default: ``<language>/<file name>``
    beside the template); `source` the template already loaded.
    """
    source = source or load_yaml_file(path)
    own = own_language(source.data)
    data = localize(source.data, language, own)
    if language != own:
        data = mark_resource_languages(data, own)
    if translation is None and language != own:
        translation = translation_file(path.parent, language, path.stem)
    translated = None
    if translation is not None:
        translated = load_yaml_file(translation)
        data, problems = merge(Source(data, source.map), translated, language, TransitionTemplate)
        if problems:
            raise UserError(problems)
    template = validate(TransitionTemplate, Source(data, source.map), what="a transition template")
    missing = missing_texts(source.data, translated.data if translated else None, language, own)
    return CatalogEntry(
        template=template,
        path=path,
        language=language,
        translation=translation,
        missing=tuple(missing),
    )


class TemplateCatalog:
    """Templates by id, from folders in rising precedence (later folders win)."""

    def __init__(self, folders: list[Path], *, language: str = "en"):
        self.language = language
        # A batch resolves many profiles: each file is read once, each template
        # translated once per language.
        self._sources: dict[Path, Source] = {}
        self._loaded: dict[tuple[Path, str], CatalogEntry] = {}
        self._names: dict[Path, tuple[set[str], set[str]]] = {}
        self._paths: dict[str, Path] | None = None
        # Which translation wins, looked up once a catalog, as `paths()` is: matching a
        # cohort's roles asks for every template's, for every row.
        self._translations: dict[tuple[str, str], Path | None] = {}
        self.folders: list[Path] = []
        for folder in folders:
            if folder.resolve() not in [f.resolve() for f in self.folders]:
                self.folders.append(folder)

    @classmethod
    def default(cls, user_dir: Path | None = None, *, language: str = "en") -> TemplateCatalog:
        folders = [builtin_templates_dir()]
        user_dir = user_dir or default_user_templates_dir()
        if user_dir is not None:
            if not user_dir.is_dir():
                raise UserError(Problem("templates folder not found", file=user_dir))
            folders.append(user_dir)
        return cls(folders, language=language)

    def paths(self) -> dict[str, Path]:
        """Every template id and the file that wins for it."""
        if self._paths is None:
            found: dict[str, Path] = {}
            for folder in self.folders:
                for path in sorted(folder.iterdir()):
                    if path.suffix in TEMPLATE_SUFFIXES and not path.name.startswith("."):
                        found[path.stem] = path
            self._paths = dict(sorted(found.items()))
        return self._paths

    def translation_path(self, template_id: str, language: str) -> Path | None:
        """The translation of a template into `language` that wins: from the latest
        folder that has one, down to the template's own folder."""
        key = (template_id, language)
        if key not in self._translations:
            self._translations[key] = self._find_translation(template_id, language)
        return self._translations[key]

    def _find_translation(self, template_id: str, language: str) -> Path | None:
        base = self.paths().get(template_id)
        if base is None:
            return None
        for folder in reversed(self.folders):
            found = translation_file(folder, language, template_id)
            if found is not None:
                return found
            if folder.resolve() == base.parent.resolve():
                break
        return None

    def entries(self, language: str | None = None) -> list[CatalogEntry]:
        """Every template, loaded and validated; all problems of all files at once."""
        entries, problems = [], []
        for path in self.paths().values():
            try:
                entries.append(self._load(path, language or self.language))
            except UserError as error:
                problems.extend(error.problems)
        if problems:
            raise UserError(problems)
        return entries

    def get(self, template_id: str, language: str | None = None) -> CatalogEntry:
        paths = self.paths()
        if template_id not in paths:
            close = difflib.get_close_matches(template_id, list(paths), n=3, cutoff=0.4)
            hint = f"closest: {', '.join(close)}" if close else "available: " + ", ".join(paths)
            raise UserError(
                f"unknown template {template_id!r}; {hint}",
                hint="Run `guidegen templates list` to see them all.",
            )
        return self._load(paths[template_id], language or self.language)

    def resolve(
        self, profile: Profile, requested: str | None = None, language: str | None = None
    ) -> CatalogEntry:
        """The template for a profile, in `language` (default: the catalog's):
        `requested` (id or file), then the profile's own `template`, then the one whose
        roles match the profile's roles."""
        language = language or self.language
        if requested:
            as_path = Path(requested)
            if as_path.suffix in TEMPLATE_SUFFIXES or len(as_path.parts) > 1:
                return read_template(as_path, language)
            return self.get(requested, language)
        if profile.template:
            return self.get(profile.template, language)
        return self.match_roles(profile.current_role, profile.target_role, language)

    def match_roles(
        self, current_role: str, target_role: str, language: str | None = None
    ) -> CatalogEntry:
        """The template whose roles are these, by any name or alias in any language.

        Names in the template's own language and in the guide's are tried first; the
        other languages' translations are read only when those match nothing."""
        language = language or self.language
        wanted = (normalize_role(current_role), normalize_role(target_role))
        paths = list(self.paths().values())
        for languages in ((language,), tuple(LANGUAGES)):
            for path in paths:
                from_names, to_names = self.role_names(path, languages)
                if wanted[0] in from_names and wanted[1] in to_names:
                    return self._load(path, language)
        entries = self.entries(language)
        ranked = sorted(entries, key=lambda e: self._similarity(e, wanted), reverse=True)
        closest = "; ".join(
            f"{e.template.id} ({e.template.from_role.name} → {e.template.to_role.name})"
            for e in ranked[:3]
        )
        raise UserError(
            f"no template for {current_role!r} → {target_role!r}; closest: {closest}",
            hint="Choose one with --template ID, or set `template:` in the profile.",
        )

    def role_names(
        self, path: Path, languages: tuple[str, ...] = tuple(LANGUAGES)
    ) -> tuple[set[str], set[str]]:
        """A template's role names and aliases (normalized): its own, in every language
        its mappings give, and those of its translations into `languages`."""
        from_names: set[str] = set()
        to_names: set[str] = set()
        for source in (path, *(self.translation_path(path.stem, code) for code in languages)):
            if source is None:
                continue
            if source not in self._names:
                more_from, more_to = role_names(self._source(source).data)
                self._names[source] = (
                    {normalize_role(name) for name in more_from},
                    {normalize_role(name) for name in more_to},
                )
            from_names |= self._names[source][0]
            to_names |= self._names[source][1]
        return from_names, to_names

    def languages(self, template_id: str) -> dict[str, int]:
        """The languages a template can be read in: language -> how many of its texts
        are still missing in it (0: complete). Its own language first."""
        result: dict[str, int] = {}
        texts = None
        for language in LANGUAGES:
            entry = self.get(template_id, language)
            if language == entry.own_language:
                result = {language: 0, **result}
                continue
            if texts is None:  # every text, as a language with none of them sees it
                texts = len(missing_texts(self._source(entry.path).data, None, "", "en"))
            if entry.translation is not None or len(entry.missing) < texts:
                result[language] = len(entry.missing)
        return result

    def _similarity(self, entry: CatalogEntry, wanted: tuple[str, str]) -> float:
        from_names, to_names = self.role_names(entry.path)

        def best(names: set[str], role: str) -> float:
            return max(difflib.SequenceMatcher(None, name, role).ratio() for name in names)

        return best(from_names, wanted[0]) + best(to_names, wanted[1])

    def _source(self, path: Path) -> Source:
        if path not in self._sources:
            self._sources[path] = load_yaml_file(path)
        return self._sources[path]

    def _load(self, path: Path, language: str) -> CatalogEntry:
        key = (path, language)
        if key not in self._loaded:
            self._loaded[key] = self._read(path, language)
        return self._loaded[key]

    def _read(self, path: Path, language: str) -> CatalogEntry:
        source = self._source(path)
        own = own_language(source.data)
        translation = self.translation_path(path.stem, language) if language != own else None
        entry = read_template(path, language, translation=translation, source=source)
        if entry.template.id != path.stem:
            line, column = source.map.locate(("id",)) or (None, None)
            raise UserError(
                Problem(
                    f"the id must match the file name {path.stem!r} (templates are found by id)",
                    file=path,
                    line=line,
                    column=column,
                    field="id",
                    value=entry.template.id,
                    has_value=True,
                )
            )
        return entry
