"""A template's text in another language: translation files merged over the template.

A template is written once, in its own language (`language:`, English by default),
and keeps every fact: efforts, priorities, weeks, money, URLs, ids. Its
translation into Spanish is ``es/<id>.yaml`` beside it (French: ``fr/<id>.yaml``),
the same structure holding only text. Merging follows three rules, the same for
every field, so a translator and a coach can predict the result:

- **Text replaces text.** Every string of the template is text, except the facts
  named in `FACT_KEYS`; numbers and true/false are facts too. A translation may
  leave a text out: the template's own text is used, and `guidegen validate
  --lang es` lists it as missing.
- **Facts stay.** A translation may repeat a fact (a copied file keeps working),
  but a fact that differs from the template is an error, located in the
  translation. Lists have as many items as the template's, in the same order.
- **Names add up.** `aliases`, `evidenced_by` and `covered_by` are matching data:
  the translation's names are added to the template's, so a Spanish profile that
  lists "Planificación de clases" is matched as well as an English one.

Resources are the one list a translation may lengthen, and only with resources in
its own language (``language: es``): the well-known Spanish course next to the
English one. Its other entries mirror the template's resources one for one (to
translate a title that has an official translation), in the order they are to be
read; or they are left out altogether, and the added resources come first, before
the template's own.

Any text may also be written inline as a mapping of languages ({en: ..., es: ...});
`localize` picks the text of one language. Both forms work together.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from guidegen.errors import Problem, display_path
from guidegen.language.catalogs import LANGUAGES, language_name
from guidegen.load.branding import BRAND_FILE
from guidegen.load.sources import FieldPath, Source
from guidegen.load.validation import fields_at, format_path, problems_from
from guidegen.models.brand import Brand
from guidegen.models.common import in_language
from guidegen.models.languages import FACT_KEYS, NAME_KEYS, OPTIONAL_TEXT_KEYS, REFERENCES
from guidegen.models.template import Resource

LANGUAGE_KEY = re.compile(r"^[a-z]{2}(_[A-Z]{2})?$")

RESOURCES = "resources"
SAME_TEXT_WORDS = 4
"""A translated text identical to the template's and at least this many words long
was most likely not translated (a short one may be a name: "SQL", "Python")."""


def is_language_mapping(data: object) -> bool:
    return (
        isinstance(data, dict)
        and bool(data)
        and all(isinstance(k, str) and LANGUAGE_KEY.match(k) for k in data)
        and all(isinstance(v, str) for v in data.values())
    )


def localize(data: object, language: str, own_language: str = "en") -> object:
    """A template's data in one language: every mapping of languages ({en: ..., es: ...})
    becomes its text in `language`, else in the template's own, else English, else its
    first."""
    if isinstance(data, dict):
        if is_language_mapping(data):
            return in_language(data, language, own_language)
        return {key: localize(value, language, own_language) for key, value in data.items()}
    if isinstance(data, list):
        return [localize(item, language, own_language) for item in data]
    return data


def own_language(data: object) -> str:
    """The language a template's (or translation's) plain text is written in."""
    declared = data.get("language") if isinstance(data, dict) else None
    return declared if isinstance(declared, str) and declared in LANGUAGES else "en"


def mark_resource_languages(data: object, language: str) -> object:
    """Every resource that does not say its language is in `language` (the template's):
    a guide in another language can then say "in English"."""
    if not isinstance(data, dict):
        return data
    skills = data.get("skills_to_learn")
    if not isinstance(skills, list):
        return data
    marked = []
    for skill in skills:
        if isinstance(skill, dict) and isinstance(skill.get(RESOURCES), list):
            resources = [
                {**resource, "language": resource.get("language") or language}
                if isinstance(resource, dict)
                else resource
                for resource in skill[RESOURCES]
            ]
            skill = {**skill, RESOURCES: resources}
        marked.append(skill)
    return {**data, "skills_to_learn": marked}


# --- merging -----------------------------------------------------------------------------


def merge(
    base: Source, translation: Source, language: str, model: type[BaseModel]
) -> tuple[Any, list[Problem]]:
    """The template `base` (already in `language` as far as its own mappings go) with
    the translation file's text merged over it; every problem, located in the file
    where it can be fixed."""
    return _Merger(base, translation, language, model).run()


class _Merger:
    def __init__(self, base: Source, translation: Source, language: str, model):
        self.base = base
        self.translation = translation
        self.language = language
        self.model = model
        self.problems: list[Problem] = []

    def run(self) -> tuple[Any, list[Problem]]:
        data = self.translation.data
        if data is None:
            return self.base.data, []  # an empty translation: nothing translated yet
        if not isinstance(data, dict):
            self._problem((), "expected a translation: a mapping of fields like the template's")
            return self.base.data, self.problems
        data = dict(data)
        declared = data.pop("language", self.language)
        if declared != self.language:
            self._problem(
                ("language",),
                f"this file is in the {self.language!r} folder, so it translates into "
                f"{self.language!r}; remove `language:` or move the file",
                declared,
            )
        merged = self._value(self.base.data, data, ())
        return _follow_renames(self.base.data, merged), self.problems

    # -- the three rules, field by field

    def _value(self, base: Any, text: Any, path: FieldPath) -> Any:
        key = _last_key(path)
        if key in NAME_KEYS:
            return self._names(base, text, path)
        if key in FACT_KEYS or (isinstance(base, bool | int | float) and base is not None):
            return self._fact(base, text, path)
        if isinstance(base, dict):
            if not isinstance(text, dict):
                self._problem(path, "expected a mapping of fields, as in the template", text)
                return base
            return self._mapping(base, text, path)
        if isinstance(base, list):
            if not isinstance(text, list):
                self._problem(path, "expected a list, as in the template", text)
                return base
            if key == RESOURCES:
                return self._resources(base, text, path)
            return self._list(base, text, path)
        if isinstance(base, str):
            if not isinstance(text, str):
                self._problem(path, "expected text", text)
                return base
            if not text.strip():
                self._problem(
                    path,
                    "expected some text; it is empty (leave the field out to keep the template's)",
                )
                return base
            return text
        # The template has nothing here (an optional field it leaves out): take the
        # translation's text; the merged template is validated as a whole.
        return text

    def _mapping(self, base: dict, text: dict, path: FieldPath) -> dict:
        merged = dict(base)
        allowed = fields_at(self.model, path)
        for key, value in text.items():
            child = (*path, key)
            if key in base:
                merged[key] = self._value(base[key], value, child)
            elif key in allowed and key not in FACT_KEYS and _is_text(value):
                merged[key] = value  # text for a field the template leaves to its default
            elif key in allowed:
                self._problem(
                    child,
                    "the template has no such field; a translation only translates "
                    "what the template says",
                    key_only=True,
                )
            else:
                expected = ", ".join(allowed) if allowed else "no fields here"
                self._problem(child, f"unknown field; expected one of: {expected}", key_only=True)
        return merged

    def _list(self, base: list, text: list, path: FieldPath) -> list:
        if len(text) != len(base):
            self._count_problem(base, text, path)
            return base
        return [
            self._value(b, t, (*path, i)) for i, (b, t) in enumerate(zip(base, text, strict=True))
        ]

    def _names(self, base: Any, text: Any, path: FieldPath) -> Any:
        if not isinstance(text, list) or not all(
            isinstance(name, str) and name.strip() for name in text
        ):
            self._problem(path, "expected a list of names", text)
            return base
        known = {name.casefold() for name in base or []}
        return [*(base or []), *(name for name in text if name.casefold() not in known)]

    def _fact(self, base: Any, text: Any, path: FieldPath) -> Any:
        if not _same_fact(base, text):
            where = self._base_location(path)
            self._problem(
                path,
                f"this is a fact of the template ({where} says {_short(base)}); a "
                "translation keeps facts: remove it here, or change it in the template",
                text,
            )
        return base

    def _resources(self, base: list, text: list, path: FieldPath) -> list:
        mirrored = [item for item in text if not _is_added(item)]
        if mirrored and len(mirrored) != len(base):
            self._count_problem(base, mirrored, path, resources=True)
            return base
        merged: list = []
        remaining = iter(enumerate(base))
        for index, item in enumerate(text):
            child = (*path, index)
            if _is_added(item):
                added = self._added_resource(item, child)
                if added is not None:
                    merged.append(added)
            else:
                base_index, base_item = next(remaining)
                merged.append(self._value(base_item, item, (*path, base_index)))
        # Without mirrored entries, the template's resources follow the added ones: a
        # reader starts with the resource in their own language.
        return merged if mirrored else [*merged, *base]

    def _added_resource(self, item: dict, path: FieldPath) -> dict | None:
        if item.get("language") != self.language:
            self._problem(
                (*path, "language"),
                f"a resource added by the {language_name(self.language)} translation must be "
                f"in {language_name(self.language)}: `language: {self.language}` (the "
                "template's own resources are kept in every language)",
                item.get("language"),
            )
            return None
        try:
            Resource.model_validate(item)
        except ValidationError as error:
            for problem in problems_from(error, self.translation, Resource, prefix=path):
                field = format_path(path) + (f".{problem.field}" if problem.field else "")
                self.problems.append(dataclasses.replace(problem, field=field))
            return None
        return item

    # -- problems, located in the translation

    def _count_problem(self, base: list, text: list, path: FieldPath, resources=False) -> None:
        where = self._base_location(path)
        what = format_path(path) or "this list"
        message = (
            f"the template has {len(base)} {_items(path)} here ({where}) and this "
            f"translation {len(text)}; translate each one, in the same order"
        )
        if resources:
            message = (
                f"the template has {len(base)} resources here ({where}) and this translation "
                f"mirrors {len(text)}; give one entry for each of the template's, in order, or "
                f"none, and add resources in {language_name(self.language)} with "
                f"`language: {self.language}`"
            )
        self._problem(path, message.replace("this list", what))

    def _base_location(self, path: FieldPath) -> str:
        file = self.base.map.file
        position = self.base.map.locate(path)
        name = file.name if file is not None else "the template"
        return f"{name}:{position[0]}" if position else name

    def _problem(
        self, path: FieldPath, message: str, value: object = None, *, key_only: bool = False
    ) -> None:
        line, column = self.translation.map.locate(path, key=key_only) or (None, None)
        self.problems.append(
            Problem(
                message,
                file=self.translation.map.file,
                line=line,
                column=column,
                field=format_path(path) or None,
                value=value,
                has_value=value is not None,
            )
        )


def _follow_renames(base: Any, merged: Any) -> Any:
    """`merged` with each reference (`teaches: [skill name]`) renamed as the translation
    renamed what it refers to: the template's facts keep naming the same skills."""
    for key, (section, field) in REFERENCES.items():
        renamed = {
            old[field]: new[field]
            for old, new in zip(_items_of(base, section), _items_of(merged, section), strict=False)
            if isinstance(old.get(field), str) and isinstance(new.get(field), str)
        }
        if any(old != new for old, new in renamed.items()):
            merged = _rename(merged, key, renamed)
    return merged


def _items_of(data: Any, section: str) -> list[dict]:
    items = data.get(section) if isinstance(data, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _rename(data: Any, key: str, renamed: dict[str, str]) -> Any:
    if isinstance(data, dict):
        return {
            name: [renamed.get(v, v) if isinstance(v, str) else v for v in value]
            if name == key and isinstance(value, list)
            else _rename(value, key, renamed)
            for name, value in data.items()
        }
    if isinstance(data, list):
        return [_rename(item, key, renamed) for item in data]
    return data


def _last_key(path: FieldPath) -> str | None:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return None


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_added(item: object) -> bool:
    return isinstance(item, dict) and "language" in item


def _same_fact(base: object, text: object) -> bool:
    if isinstance(base, str) and isinstance(text, str):
        return base.strip().rstrip("/").casefold() == text.strip().rstrip("/").casefold()
    if isinstance(base, list) and isinstance(text, list):
        return len(base) == len(text) and all(map(_same_fact, base, text))
    if isinstance(base, dict) and isinstance(text, dict):
        return base.keys() == text.keys() and all(_same_fact(base[k], text[k]) for k in base)
    if isinstance(base, bool) or isinstance(text, bool):
        return base is text
    return base == text


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _items(path: FieldPath) -> str:
    key = _last_key(path) or "item"
    return key.replace("_", " ")


# --- what is not translated yet ------------------------------------------------------------


@dataclass(frozen=True)
class MissingText:
    """A text of the template with no text in the guide's language."""

    path: FieldPath
    copied: bool = False
    """The translation gives it, but unchanged from the template: most likely not translated."""

    @property
    def field(self) -> str:
        return format_path(self.path)


def missing_texts(
    template: object, translation: object, language: str, own: str = "en"
) -> list[MissingText]:
    """Every text of `template` (raw data, mappings included) that has no text in
    `language`, neither inline nor in `translation` (a translation file's data, or None)."""
    if language == own:
        return []
    return list(_missing(template, translation, language, ()))


def _missing(base: Any, text: Any, language: str, path: FieldPath) -> Iterator[MissingText]:
    key = _last_key(path)
    if key in FACT_KEYS or key in NAME_KEYS or key == RESOURCES or key in OPTIONAL_TEXT_KEYS:
        return
    if is_language_mapping(base):
        if language not in base and not _is_text(text):
            yield MissingText(path)
        return
    if isinstance(base, dict):
        for child, value in base.items():
            given = text.get(child) if isinstance(text, dict) else None
            yield from _missing(value, given, language, (*path, child))
    elif isinstance(base, list):
        for index, value in enumerate(base):
            given = text[index] if isinstance(text, list) and index < len(text) else None
            yield from _missing(value, given, language, (*path, index))
    elif isinstance(base, str):
        if not _is_text(text):
            yield MissingText(path)
        elif text.strip() == base.strip() and len(base.split()) >= SAME_TEXT_WORDS:
            yield MissingText(path, copied=True)


def translation_file(folder: Path, language: str, template_id: str) -> Path | None:
    """``<folder>/<language>/<id>.yaml`` (or .yml) when it exists."""
    for suffix in (".yaml", ".yml"):
        candidate = folder / language / f"{template_id}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def role_names(data: object) -> tuple[list[str], list[str]]:
    """Every name and alias of the from and to roles in a template's or a translation's
    raw data, in every language its mappings hold."""

    def names(role: object) -> list[str]:
        if not isinstance(role, dict):
            return []
        found: list[str] = []
        for value in [role.get("name"), *(role.get("aliases") or [])]:
            if isinstance(value, str):
                found.append(value)
            elif is_language_mapping(value):
                found.extend(value.values())
        return found

    if not isinstance(data, dict):
        return [], []
    return names(data.get("from_role")), names(data.get("to_role"))


def brand_warning(brand: Brand, path: Path | None, language: str) -> str | None:
    """What a coach must know before sending a guide whose brand text (footer, call to
    action) is not in the guide's language; None when it all is."""
    missing = brand.untranslated(language)
    if not missing or path is None:
        return None
    file = path / BRAND_FILE if path.is_dir() else path
    wanted = language_name(language)
    return (
        f"{display_path(file)}: {', '.join(missing)} have no {wanted} text and stay in "
        f"{language_name(brand.language)}; write each as a mapping of languages "
        f"({brand.language}: ..., {language}: ...)"
    )
