"""The brand: a coach's or bootcamp's look, and the words they sign guides with.

A brand lives in a folder: ``brand.yaml`` with its logo, font files and Word
reference document beside it. Paths in the file are relative to that folder
and may not leave it. Every file a brand names is checked when the brand is
loaded, so a missing logo or a font that is not a font is reported against
the brand file and field, before anything is rendered.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from guidegen.errors import Problem
from guidegen.models.common import NonEmptyText, check_email
from guidegen.models.contrast import TextPalette, readable_palette

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
WORD_MAIN_PARTS = ("word/document.xml",)


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


class Contact(_Strict):
    email: Annotated[str, StringConstraints(strip_whitespace=True)] | None = None
    phone: NonEmptyText | None = None
    website: AnyHttpUrl | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return check_email(value) if value else value

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
    heading: NonEmptyText
    text: NonEmptyText
    url: AnyHttpUrl | None = None


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
    footer: NonEmptyText | None = Field(default=None, description="Text on every page's footer.")
    call_to_action: BrandCallToAction | None = Field(
        default=None, description="Replaces the template's closing call to action."
    )
    reference_doc: Path | None = Field(
        default=None,
        description="A .docx or .dotx whose styles, header and footer the Word file inherits.",
    )
    _warnings: list[Problem] = PrivateAttr(default_factory=list)

    @field_validator("logo", mode="before")
    @classmethod
    def _logo(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        path = _brand_path(value, info)
        if (info.context or {}).get("folder") is not None and logo_kind(path) is None:
            raise ValueError("expected a PNG, JPEG or SVG image")
        return path

    @field_validator("reference_doc", mode="before")
    @classmethod
    def _reference_doc(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        path = _brand_path(value, info)
        if (info.context or {}).get("folder") is not None:
            if path.suffix.lower() not in {".docx", ".dotx"}:
                raise ValueError("expected a Word file (.docx or .dotx)")
            try:
                with zipfile.ZipFile(path) as archive:
                    names = set(archive.namelist())
            except (zipfile.BadZipFile, OSError):
                raise ValueError("this is not a Word file (not a .docx/.dotx archive)") from None
            if not {"[Content_Types].xml", *WORD_MAIN_PARTS} <= names:
                raise ValueError("this is not a Word file (no word/document.xml inside)")
        return path

    @property
    def text_palette(self) -> TextPalette:
        """The brand's colours for fills, and readable (WCAG 2.1 AA) ones for text."""
        colors = self.colors
        return readable_palette(colors.primary, colors.accent, colors.text)

    @property
    def warnings(self) -> list[Problem]:
        """What the brand loader noticed and worked around (colours too light for text)."""
        return self._warnings

    @property
    def signature(self) -> str | None:
        """'Jordan Lee, Northstar Coaching': who prepared the guide."""
        parts = [part for part in (self.coach, self.name) if part]
        return ", ".join(parts) if parts else None


def logo_kind(path: Path) -> str | None:
    """'png', 'jpeg' or 'svg' by the file's content, else None."""
    with path.open("rb") as handle:
        head = handle.read(512)
    for signature, kind in LOGO_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if text.startswith("<svg") or (text.startswith("<?xml") and "<svg" in text):
        return "svg"
    if text.startswith("<!--") and "<svg" in text:
        return "svg"
    return None


DEFAULT_BRAND = Brand()
"""The neutral built-in brand: guidegen's own colours, no logo, A4."""
