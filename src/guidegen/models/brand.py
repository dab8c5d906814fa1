"""The brand: a coach's or bootcamp's look, and the words they sign guides with.

A brand lives in a folder: ``brand.yaml`` with its logo, font files and Word
reference document beside it. Paths in the file are relative to that folder
and may not leave it. Every file a brand names is checked when the brand is
loaded, so a missing logo or a font that is not a font is reported against
the brand file and field, before anything is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, Protocol

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from guidegen.errors import Problem
from guidegen.models import limits
from guidegen.models.common import (
    LANGUAGE_MAPPING_SCHEMA,
    LanguageCode,
    LocalText,
    NonEmptyText,
    check_email,
    has_language,
    in_language,
    language_mapping,
)
from guidegen.models.contrast import (
    AA_TEXT,
    TextPalette,
    darken_for_text,
    readable_palette,
    worst_contrast,
)

HexColor = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^#[0-9A-Fa-f]{6}$"),
]
FontFamily = Annotated[
    str,
    # A family name is written into CSS and Word styles: letters, digits, spaces, hyphens.
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[\w \-]+$"),
]
PageSize = Literal["A4", "Letter"]

LOGO_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}
FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"wOFF", b"wOF2")


@dataclass(frozen=True)
class LogoImage:
    """A brand's logo as loaded and made safe (`guidegen.load.brand_files`): what the
    renderers embed, never the file itself."""

    kind: str
    """'png', 'jpeg' or 'svg'."""
    data: bytes
    width: int | None = None
    """Pixels, for PNG and JPEG (after downscaling)."""
    height: int | None = None

    @property
    def mime_type(self) -> str:
        return {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}[self.kind]


@dataclass(frozen=True)
class BrandFiles:
    """What a brand's files hold once loaded: the safe logo and reference document."""

    logo: LogoImage | None = None
    reference_doc: bytes | None = None
    """A .docx rebuilt from the reference document's styles, numbering, theme, headers,
    footers and page setup only."""


class BrandFileChecker(Protocol):
    """Reads a brand file as the model validates it (the loader passes one in the
    validation context as "files"); raises ValueError with what is wrong."""

    def logo(self, path: Path) -> None: ...

    def reference_doc(self, path: Path) -> None: ...


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _brand_path(value: str, info: ValidationInfo) -> Path:
    """A path from the brand file, resolved against its folder, which it may not leave."""
    folder: Path | None = (info.context or {}).get("folder")
    if folder is None:  # a brand built in code: paths are taken as given
        return Path(value)
    folder = folder.resolve()
    path = (folder / value).resolve()
    if not path.is_relative_to(folder):
        raise ValueError("expected a path inside the brand folder")
    if not path.is_file():
        raise ValueError(f"no such file in the brand folder ({folder})")
    return path


class Colors(_Strict):
    primary: HexColor = Field(default="#1B3A5C", description="Headings, table headers, chart.")
    accent: HexColor = Field(default="#E07A2E", description="Rules, ranks and highlights.")
    text: HexColor = Field(default="#1F2933", description="Body text.")
    primary_text: HexColor | None = Field(
        default=None,
        description="The primary colour's shade for text (headings, skill names), when "
        "`primary` is too light to read as text. Default: `primary`, darkened just enough "
        "to reach WCAG 2.1 AA (4.5:1).",
    )
    accent_text: HexColor | None = Field(
        default=None,
        description="The accent's shade for text (rank numbers, phase labels), when "
        "`accent` is too light to read as text. Default: `accent`, darkened just enough "
        "to reach WCAG 2.1 AA (4.5:1).",
    )

    @field_validator("primary_text", "accent_text")
    @classmethod
    def _readable(cls, value: str | None) -> str | None:
        if value is not None:
            ratio = worst_contrast(value.upper())
            if ratio < AA_TEXT:
                raise ValueError(
                    f"{value} has a contrast of only {ratio:.1f}:1 on the guide's light "
                    f"backgrounds; expected at least {AA_TEXT:g}:1 (WCAG 2.1 AA), e.g. "
                    f"{darken_for_text(value)}"
                )
        return value


class FontFiles(_Strict):
    """Font files in the brand folder (TTF, OTF, WOFF or WOFF2), embedded in the PDF."""

    regular: Path
    bold: Path | None = None
    italic: Path | None = None
    bold_italic: Path | None = None

    @field_validator("regular", "bold", "italic", "bold_italic", mode="before")
    @classmethod
    def _font_file(cls, value: object, info: ValidationInfo) -> object:
        if value is None or not isinstance(value, str):
            return value
        path = _brand_path(value, info)
        if (info.context or {}).get("folder") is not None:
            size = path.stat().st_size
            if not limits.FONT_BYTES.allows(size):
                raise ValueError(limits.FONT_BYTES.exceeded("this font file is", size))
            with path.open("rb") as handle:
                if handle.read(4) not in FONT_SIGNATURES:
                    raise ValueError("this file is not a font (expected TTF, OTF, WOFF or WOFF2)")
        return path

    def faces(self) -> list[tuple[Path, str, str]]:
        """(file, CSS font-weight, CSS font-style) for each face given."""
        faces = [
            (self.regular, "normal", "normal"),
            (self.bold, "bold", "normal"),
            (self.italic, "normal", "italic"),
            (self.bold_italic, "bold", "italic"),
        ]
        return [(path, weight, style) for path, weight, style in faces if path is not None]


class Font(_Strict):
    family: FontFamily = Field(
        default="Noto Sans", description="Font family for the PDF and the Word styles."
    )
    files: FontFiles | None = Field(
        default=None, description="The family's files in the brand folder, when not installed."
    )


def _web_address(text: str) -> AnyHttpUrl:
    return _URL.validate_python(text)


_URL = TypeAdapter(AnyHttpUrl)
LocalEmail = Annotated[
    str | dict[str, str],
    language_mapping(check_email),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "email"}, LANGUAGE_MAPPING_SCHEMA]}),
]
LocalURL = Annotated[
    AnyHttpUrl | dict[str, AnyHttpUrl],
    language_mapping(_web_address),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "uri", "minLength": 1},
                LANGUAGE_MAPPING_SCHEMA,
            ]
        }
    ),
]


class Contact(_Strict):
    """How to reach the coach or bootcamp; each line may differ by language."""

    email: LocalEmail | None = None
    phone: LocalText | None = None
    website: LocalURL | None = None

    def lines(self) -> list[str]:
        return [
            str(value).rstrip("/") if key == "website" else str(value)
            for key, value in (
                ("email", self.email),
                ("phone", self.phone),
                ("website", self.website),
            )
            if value
        ]


class BrandCallToAction(_Strict):
    heading: LocalText
    text: LocalText
    url: LocalURL | None = None


BRAND_TEXT = (("footer",), ("call_to_action", "heading"), ("call_to_action", "text"))
"""The brand's words a reader reads as sentences: each should be in the guide's language."""
LOCALIZABLE = (
    *BRAND_TEXT,
    ("call_to_action", "url"),
    ("contact", "email"),
    ("contact", "phone"),
    ("contact", "website"),
)


class Brand(_Strict):
    """A brand file (``brand.yaml``)."""

    model_config = ConfigDict(extra="forbid", title="guidegen brand")

    name: NonEmptyText | None = Field(
        default=None, description="The practice's or bootcamp's name."
    )
    coach: NonEmptyText | None = Field(default=None, description="The coach's name.")
    logo: Path | None = Field(default=None, description="PNG, JPEG or SVG, beside brand.yaml.")
    colors: Colors = Field(default_factory=Colors)
    font: Font = Field(default_factory=Font)
    page_size: PageSize = Field(default="A4")
    contact: Contact = Field(default_factory=Contact)
    language: LanguageCode = Field(
        default="en",
        description="The language this file's plain text is written in. Any text below "
        "may instead be a mapping of languages ({en: ..., es: ...}).",
    )
    footer: LocalText | None = Field(default=None, description="Text on every page's footer.")
    call_to_action: BrandCallToAction | None = Field(
        default=None, description="Replaces the template's closing call to action."
    )
    reference_doc: Path | None = Field(
        default=None,
        description="A .docx or .dotx whose styles, header and footer the Word file inherits.",
    )
    _warnings: list[Problem] = PrivateAttr(default_factory=list)

    _files: BrandFiles = PrivateAttr(default_factory=BrandFiles)
    _localized: dict[str, Brand] = PrivateAttr(default_factory=dict)

    @field_validator("logo", mode="before")
    @classmethod
    def _logo(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        path = _brand_path(value, info)
        files: BrandFileChecker | None = (info.context or {}).get("files")
        if files is not None:
            files.logo(path)
        return path

    @field_validator("reference_doc", mode="before")
    @classmethod
    def _reference_doc(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        path = _brand_path(value, info)
        if (info.context or {}).get("folder") is not None and path.suffix.lower() not in {
            ".docx",
            ".dotx",
        }:
            raise ValueError("expected a Word file (.docx or .dotx)")
        files: BrandFileChecker | None = (info.context or {}).get("files")
        if files is not None:
            files.reference_doc(path)
        return path

    def with_files(self, files: BrandFiles) -> Brand:
        """This brand holding its loaded files (what `load_brand` returns)."""
        brand = self.model_copy()
        brand._files = files
        return brand

    @property
    def logo_image(self) -> LogoImage | None:
        """The logo to embed, as loaded and made safe; None without a logo."""
        if self.logo is not None and self._files.logo is None:
            raise RuntimeError("this brand's files were not loaded: use load_brand()")
        return self._files.logo

    @property
    def reference_document(self) -> bytes | None:
        """The reference document to build the Word file in, rebuilt safe; None without."""
        if self.reference_doc is not None and self._files.reference_doc is None:
            raise RuntimeError("this brand's files were not loaded: use load_brand()")
        return self._files.reference_doc

    def localized(self, language: str) -> Brand:
        """This brand with every text in `language` (else in the brand's own language)."""
        if language not in self._localized:
            updates: dict[str, object] = {}
            for path in LOCALIZABLE:
                owner = self
                for part in path[:-1]:
                    owner = getattr(owner, part)
                    if owner is None:
                        break
                else:
                    value = getattr(owner, path[-1])
                    if isinstance(value, dict):
                        updates[path] = in_language(value, language, self.language)
            self._localized[language] = _with_values(self, updates)
        return self._localized[language]

    def untranslated(self, language: str) -> list[str]:
        """The brand's texts (footer, call to action) that have no text in `language`."""
        missing = []
        for path in BRAND_TEXT:
            value: object = self
            for part in path:
                value = getattr(value, part, None) if value is not None else None
            if value is not None and not has_language(value, language, self.language):
                missing.append(".".join(path))
        return missing

    @property
    def text_palette(self) -> TextPalette:
        """The brand's colours for fills, and readable (WCAG 2.1 AA) ones for text."""
        colors = self.colors
        chosen = {"primary": colors.primary_text, "accent": colors.accent_text}
        return readable_palette(
            colors.primary,
            colors.accent,
            colors.text,
            tuple((field, color) for field, color in chosen.items() if color),
        )

    @property
    def warnings(self) -> list[Problem]:
        """What the brand loader noticed and worked around (colours too light for text)."""
        return self._warnings

    @property
    def signature(self) -> str | None:
        """'Jordan Lee, Northstar Coaching': who prepared the guide."""
        parts = [part for part in (self.coach, self.name) if part]
        return ", ".join(parts) if parts else None


def _with_values(brand: Brand, updates: dict[tuple[str, ...], object]) -> Brand:
    """A copy of `brand` with the values at the given paths replaced (already valid)."""
    if not updates:
        return brand
    nested: dict[str, dict[str, object]] = {}
    top: dict[str, object] = {}
    for path, value in updates.items():
        if len(path) == 1:
            top[path[0]] = value
        else:
            nested.setdefault(path[0], {})[path[1]] = value
    for name, fields in nested.items():
        top[name] = getattr(brand, name).model_copy(update=fields)
    copy = brand.model_copy(update=top)
    copy._localized = {}
    return copy


def logo_kind_of(head: bytes) -> str | None:
    """'png', 'jpeg' or 'svg' from a file's first bytes, else None."""
    for signature, kind in LOGO_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    text = head[:512].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if text.startswith("<svg") or (text.startswith("<?xml") and "<svg" in text):
        return "svg"
    if text.startswith(("<?xml", "<!--", "<!DOCTYPE")) and "<svg" in text:
        return "svg"
    return None


DEFAULT_BRAND = Brand()
"""The neutral built-in brand: guidegen's own colours, no logo, A4."""
