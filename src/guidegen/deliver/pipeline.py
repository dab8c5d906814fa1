"""The render pipeline: profile file -> Guide -> files on disk.

The CLI calls this; so do the benchmarks, stage by stage. Heavy libraries
(WeasyPrint, matplotlib) are imported only when a guide is actually rendered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from guidegen.deliver.output import ensure_folder, output_stem, write_atomic
from guidegen.errors import Problem, UserError
from guidegen.load.branding import load_brand
from guidegen.load.catalog import TemplateCatalog
from guidegen.load.clock import build_time
from guidegen.load.profiles import load_profile_source
from guidegen.load.translation import brand_warning
from guidegen.models.brand import DEFAULT_BRAND, Brand
from guidegen.models.guide import Guide
from guidegen.plan.planning import plan_profile
from guidegen.render import FORMATS


@dataclass
class RenderedFiles:
    """One guide rendered: each format's bytes (in the order asked) and the layout's warnings."""

    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class RenderResult:
    guide: Guide
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class GuideWriter:
    """Renders Guides into files, keeping heavy renderer state for many guides."""

    def __init__(
        self,
        formats: tuple[str, ...] = ("pdf",),
        *,
        theme_dirs: list[Path] | None = None,
        brand: Brand = DEFAULT_BRAND,
        fillable: bool = False,
        pdf_variant: str | None = None,
    ):
        unknown = sorted(set(formats) - set(FORMATS))
        if unknown:
            raise UserError(
                f"unknown format {', '.join(unknown)}; expected one of {', '.join(FORMATS)}"
            )
        self.formats = formats
        self.theme_dirs = theme_dirs or []
        self.brand = brand
        self.fillable = fillable
        self.pdf_variant = pdf_variant
        # Reported with the first guide written, not with every guide of a batch.
        self._brand_warnings = [str(warning) for warning in brand.warnings]
        self._pdf = None
        self._docx = None

    @property
    def pdf_renderer(self):
        if self._pdf is None:
            try:
                from guidegen.render.pdf import PdfRenderer
            except OSError as error:  # WeasyPrint could not load Pango
                raise UserError(
                    f"WeasyPrint cannot load its system libraries ({error}).",
                    hint="Install Pango and harfbuzz as the README's Prerequisites say.",
                ) from None
            from guidegen.render.theming import Theme

            self._pdf = PdfRenderer(
                Theme(self.theme_dirs),
                self.brand,
                fillable=self.fillable,
                pdf_variant=self.pdf_variant,
            )
        return self._pdf

    @property
    def docx_renderer(self):
        if self._docx is None:
            from guidegen.render.docx import DocxRenderer

            self._docx = DocxRenderer(self.brand)
        return self._docx

    @property
    def needs_chart(self) -> bool:
        return bool({"pdf", "docx"} & set(self.formats))

    @property
    def chart_style(self) -> dict[str, str]:
        palette = self.brand.text_palette
        return {"color": palette.primary, "text_color": palette.text}

    def prepare(self) -> None:
        """Load the renderers now (imports, fonts, stylesheets) rather than on first use."""
        if "pdf" in self.formats:
            _ = self.pdf_renderer
        if "docx" in self.formats:
            _ = self.docx_renderer

    def render(
        self, guide: Guide, *, created: dt.datetime, chart_png: bytes | None = None
    ) -> RenderedFiles:
        """`guide` in every format, as bytes: what a worker anywhere returns.

        `chart_png` when the chart is already drawn."""
        rendered = RenderedFiles()
        if chart_png is None and self.needs_chart:
            from guidegen.render.chart import draw_timeline

            # Drawn once, shared by every format.
            chart_png = draw_timeline(guide.roadmap, language=guide.language, **self.chart_style)
        for extension in self.formats:
            if extension == "pdf":
                data, warnings = self.pdf_renderer.render(
                    guide, chart_png=chart_png, created=created
                )
                rendered.warnings.extend(warnings)
            elif extension == "docx":
                data = self.docx_renderer.render(guide, chart_png=chart_png, created=created)
            else:
                from guidegen.render.ics import IcsRenderer

                data = IcsRenderer().render(guide, created=created)
            rendered.files[extension] = data
        return rendered

    def write(
        self,
        guide: Guide,
        out_dir: Path,
        *,
        created: dt.datetime,
        chart_png: bytes | None = None,
        stem: str | None = None,
    ) -> RenderResult:
        """Write `guide` in every format, as `<stem>.<format>` (by default
        `<name-slug>--<template-id>`); `chart_png` when the chart is already drawn."""
        ensure_folder(out_dir)
        rendered = self.render(guide, created=created, chart_png=chart_png)
        if stem is None:
            stem = output_stem(guide.candidate.name, guide.template_id)
        files = write_files(out_dir, stem, rendered.files)
        # The brand's own warnings come with the first guide written, not with every one.
        warnings, self._brand_warnings = [*self._brand_warnings, *rendered.warnings], []
        return RenderResult(guide, files=files, warnings=warnings)


def write_files(out_dir: Path, stem: str, files: dict[str, bytes]) -> list[Path]:
    """Each format's bytes into `<stem>.<format>`, atomically; the paths, in order."""
    paths = []
    for extension, data in files.items():
        path = out_dir / f"{stem}.{extension}"
        write_atomic(path, data)
        paths.append(path)
    return paths


def plan_guide(
    profile_path: Path,
    *,
    template: str | None = None,
    templates_dir: Path | None = None,
    prepared_by: str | None = None,
    brand: Brand = DEFAULT_BRAND,
    created: dt.datetime | None = None,
    language: str = "en",
    warnings: list[str] | None = None,
) -> Guide:
    """Load a profile, find its template and personalize: the Guide, no files.

    `warnings` receives what the coach should know first: text of the template
    that has no translation into `language`."""
    profile, source = load_profile_source(profile_path)
    language = profile.language or language  # the person's own language wins over --lang
    catalog = TemplateCatalog.default(templates_dir, language=language)
    entry = catalog.resolve(profile, template)
    if warnings is not None and (warning := entry.language_warning()):
        warnings.append(warning)
    created = created or build_time()
    # What `validate` runs too; a plan this profile cannot have is placed at its line.
    return plan_profile(
        profile,
        entry.template,
        source,
        today=created.date(),
        prepared_by=prepared_by,
        brand=brand,
        language=language,
    )


def render_profile(
    profile_path: Path,
    *,
    out_dir: Path,
    formats: tuple[str, ...] = ("pdf",),
    template: str | None = None,
    templates_dir: Path | None = None,
    prepared_by: str | None = None,
    brand_path: Path | None = None,
    theme_dir: Path | None = None,
    fillable: bool = False,
    pdf_variant: str | None = None,
    language: str = "en",
) -> RenderResult:
    """Render one profile's guide into `out_dir` in each of `formats`."""
    brand = load_brand(brand_path)
    if theme_dir is not None and not theme_dir.is_dir():
        raise UserError(Problem("theme folder not found", file=theme_dir))
    writer = GuideWriter(
        formats,
        theme_dirs=[theme_dir] if theme_dir else None,
        brand=brand,
        fillable=fillable,
        pdf_variant=pdf_variant,
    )
    created = build_time()
    warnings: list[str] = []
    if warning := brand_warning(brand, brand_path, language):
        warnings.append(warning)
    guide = plan_guide(
        profile_path,
        template=template,
        templates_dir=templates_dir,
        prepared_by=prepared_by,
        brand=brand,
        created=created,
        language=language,
        warnings=warnings,
    )
    from guidegen.render.chart import draw_timeline_in_background

    if not writer.needs_chart:
        result = writer.write(guide, out_dir, created=created)
    else:
        # One guide: draw the chart in a second process while WeasyPrint loads here.
        chart = draw_timeline_in_background(
            guide.roadmap, language=guide.language, **writer.chart_style
        )
        writer.prepare()
        result = writer.write(guide, out_dir, created=created, chart_png=chart())
    result.warnings[:0] = warnings  # the language first: it concerns the whole guide
    return result
