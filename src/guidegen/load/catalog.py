"""Finding transition templates: built-in ones, and a user's own folder.

The built-in templates ship inside the package (``guidegen/transitions`` in
the wheel, the repository's ``templates/`` in a source checkout). A user's
templates folder adds to them and overrides them by id. A template is stored
as ``<id>.yaml``, so finding one by id reads one file, and only matching by
roles reads them all.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from guidegen.errors import Problem, UserError
from guidegen.load.sources import load_yaml_file
from guidegen.load.validation import validate
from guidegen.models.profile import Profile
from guidegen.models.template import TransitionTemplate

TEMPLATE_SUFFIXES = (".yaml", ".yml")


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


def load_template_file(path: Path, language: str = "en") -> TransitionTemplate:
    source = load_yaml_file(path)
    source.data = localize(source.data, language)
    return validate(TransitionTemplate, source, what="a transition template")


LANGUAGE_KEY = re.compile(r"^[a-z]{2}(_[A-Z]{2})?$")


def localize(data: object, language: str) -> object:
    """A template's text in one language.

    Any text may be written once, or as a mapping of languages ({en: ..., es: ...}):
    such a mapping becomes the text in `language`, else in English, else its first.
    """
    if isinstance(data, dict):
        if (
            data
            and all(isinstance(k, str) and LANGUAGE_KEY.match(k) for k in data)
            and all(isinstance(v, str) for v in data.values())
        ):
            return data.get(language) or data.get("en") or next(iter(data.values()))
        return {key: localize(value, language) for key, value in data.items()}
    if isinstance(data, list):
        return [localize(item, language) for item in data]
    return data


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
    template: TransitionTemplate
    path: Path


class TemplateCatalog:
    """Templates by id, from folders in rising precedence (later folders win)."""

    def __init__(self, folders: list[Path], *, language: str = "en"):
        self.language = language
        self._loaded: dict[Path, TransitionTemplate] = {}  # a batch resolves many profiles
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
        found: dict[str, Path] = {}
        for folder in self.folders:
            for path in sorted(folder.iterdir()):
                if path.suffix in TEMPLATE_SUFFIXES and not path.name.startswith("."):
                    found[path.stem] = path
        return dict(sorted(found.items()))

    def entries(self) -> list[CatalogEntry]:
        """Every template, loaded and validated; all problems of all files at once."""
        entries, problems = [], []
        for path in self.paths().values():
            try:
                entries.append(CatalogEntry(self._load(path), path))
            except UserError as error:
                problems.extend(error.problems)
        if problems:
            raise UserError(problems)
        return entries

    def get(self, template_id: str) -> CatalogEntry:
        paths = self.paths()
        if template_id not in paths:
            close = difflib.get_close_matches(template_id, list(paths), n=3, cutoff=0.4)
            hint = f"closest: {', '.join(close)}" if close else "available: " + ", ".join(paths)
            raise UserError(
                f"unknown template {template_id!r}; {hint}",
                hint="Run `guidegen templates list` to see them all.",
            )
        return CatalogEntry(self._load(paths[template_id]), paths[template_id])

    def resolve(self, profile: Profile, requested: str | None = None) -> CatalogEntry:
        """The template for a profile: `requested` (id or file), then the profile's own
        `template`, then the one whose roles match the profile's roles."""
        if requested:
            as_path = Path(requested)
            if as_path.suffix in TEMPLATE_SUFFIXES or len(as_path.parts) > 1:
                return CatalogEntry(load_template_file(as_path, self.language), as_path)
            return self.get(requested)
        if profile.template:
            return self.get(profile.template)
        return self.match_roles(profile.current_role, profile.target_role)

    def match_roles(self, current_role: str, target_role: str) -> CatalogEntry:
        wanted = (normalize_role(current_role), normalize_role(target_role))
        entries = self.entries()
        for entry in entries:
            template = entry.template
            from_names = {normalize_role(name) for name in template.from_role.names()}
            to_names = {normalize_role(name) for name in template.to_role.names()}
            if wanted[0] in from_names and wanted[1] in to_names:
                return entry
        ranked = sorted(entries, key=lambda e: _role_similarity(e.template, wanted), reverse=True)
        closest = "; ".join(
            f"{e.template.id} ({e.template.from_role.name} → {e.template.to_role.name})"
            for e in ranked[:3]
        )
        raise UserError(
            f"no template for {current_role!r} → {target_role!r}; closest: {closest}",
            hint="Choose one with --template ID, or set `template:` in the profile.",
        )

    def _load(self, path: Path) -> TransitionTemplate:
        if path not in self._loaded:
            self._loaded[path] = _read_once(path, self.language, self._read)
        return self._loaded[path]

    def _read(self, path: Path) -> TransitionTemplate:
        source = load_yaml_file(path)
        source.data = localize(source.data, self.language)
        template = validate(TransitionTemplate, source, what="a transition template")
        if template.id != path.stem:
            line, column = source.map.locate(("id",)) or (None, None)
            raise UserError(
                Problem(
                    f"the id must match the file name {path.stem!r} (templates are found by id)",
                    file=path,
                    line=line,
                    column=column,
                    field="id",
                    value=template.id,
                    has_value=True,
                )
            )
        return template


_READ: dict[tuple, TransitionTemplate] = {}
_READ_LIMIT = 256


def _read_once(
    path: Path, language: str, read: Callable[[Path], TransitionTemplate]
) -> TransitionTemplate:
    """`read(path)`, once per process for each content of the file.

    Matching a profile's roles reads every template; a process that plans many guides
    (a preview, a benchmark, several catalogs) would parse and validate all of them
    each time. Keyed by the file's content, so an edited template is read again.
    """
    try:
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return read(path)  # which says what is wrong with the file
    key = (str(path.resolve()), digest, language)
    if key not in _READ:
        if len(_READ) >= _READ_LIMIT:
            _READ.pop(next(iter(_READ)))
        _READ[key] = read(path)
    return _READ[key]


def _role_similarity(template: TransitionTemplate, wanted: tuple[str, str]) -> float:
    def best(names: list[str], role: str) -> float:
        return max(difflib.SequenceMatcher(None, normalize_role(n), role).ratio() for n in names)

    return best(template.from_role.names(), wanted[0]) + best(template.to_role.names(), wanted[1])
