"""The PDF renderer: a Guide laid out as HTML/CSS by WeasyPrint.

Importing this module imports WeasyPrint, so only commands that render a PDF
import it. One `PdfRenderer` keeps its FontConfiguration and parsed stylesheet
for every guide it renders (WeasyPrint leaks a little per FontConfiguration,
and parsing the CSS each time is wasted work in a batch).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator

from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration

import guidegen
from guidegen.models.brand import DEFAULT_BRAND, Brand
from guidegen.models.guide import Guide
from guidegen.render.fetcher import GuideURLFetcher, asset_url
from guidegen.render.labels import labels_for
from guidegen.render.tagging import Finisher
from guidegen.render.theming import STYLESHEET, Theme, brand_stylesheet

IMAGE_CACHE_LIMIT = 120
"""Entries (images and their encoded streams) kept between documents; a few MB."""


PDF_VARIANTS = {
    "pdf/ua-1": ("pdf/ua-1", True),
    "pdf/a-3a": ("pdf/a-3a", True),
    "pdf/a-3b": ("pdf/a-3b", True),
    "none": (None, False),
}
"""--pdf-variant -> (WeasyPrint's pdf_variant, tagged). Every variant but `none` is a
tagged PDF/UA-1; the archival PDF/A-3 ones declare PDF/UA-1 too (PDF/A and UA in one
file: WeasyPrint writes PDF/A-3a or -3b, tagged, and the finisher adds the UA
identification). `none`: an untagged PDF, for whoever needs one."""
DEFAULT_PDF_VARIANT = "pdf/ua-1"


class PdfRenderer:
    def __init__(
        self,
        theme: Theme | None = None,
        brand: Brand = DEFAULT_BRAND,
        *,
        fillable: bool = False,
        pdf_variant: str | None = None,
    ):
        self.theme = theme or Theme()
        self.brand = brand
        self.fillable = fillable  # the action-list checkboxes as form fields
        self.pdf_variant = pdf_variant or DEFAULT_PDF_VARIANT
        if self.pdf_variant not in PDF_VARIANTS:
            raise ValueError(f"unknown PDF variant {pdf_variant!r}")
        self._weasyprint_variant, self.tagged = PDF_VARIANTS[self.pdf_variant]
        self.finisher = Finisher(
            declare_pdfua_in_pdfa=self.tagged and self.pdf_variant.startswith("pdf/a-")
        )
        self.font_config = FontConfiguration()
        self.assets: dict[str, bytes] = {}
        # WeasyPrint's image cache, shared by this renderer's documents: the logo and
        # a chart seen before are not decoded and re-encoded again. Keyed by URL, so
        # every asset URL names its content.
        self.image_cache: dict = {}
        self._language_css: dict[str, CSS] = {}
        self.logo_url = None
        if brand.logo_image is not None:  # as load_brand made it safe, never the file
            name = f"logo.{brand.logo_image.kind}"
            self.assets[name] = brand.logo_image.data
            self.logo_url = asset_url(name)
        # The theme's files, and the brand's font files: all a render may read.
        self.allowed_folders = list(self.theme.folders)
        if brand.font.files:
            self.allowed_folders += [path.parent for path, _, _ in brand.font.files.faces()]
        stylesheet = self.theme.find(STYLESHEET)
        with captured_warnings() as warnings:
            self.stylesheets = [
                CSS(
                    string=stylesheet.read_text(encoding="utf-8"),
                    base_url=stylesheet.parent.as_uri() + "/",
                    font_config=self.font_config,
                    url_fetcher=GuideURLFetcher(self.allowed_folders),
                ),
                CSS(
                    string=brand_stylesheet(brand),
                    font_config=self.font_config,
                    url_fetcher=GuideURLFetcher(self.allowed_folders),
                ),
            ]
        # Reported with the first guide laid out: the stylesheets are parsed once.
        self._stylesheet_warnings = warnings

    def html(self, guide: Guide, *, created: dt.datetime, chart_png: bytes) -> str:
        """Stage 1: the guide as an HTML document (autoescaped)."""
        return self.theme.render_html(
            guide=guide,
            labels=labels_for(guide.language),
            brand=self.brand,
            logo_url=self.logo_url,
            fillable=self.fillable,
            chart_url=asset_url(chart_asset(chart_png)),
            generator=f"guidegen {guidegen.__version__}",
            created=created.isoformat(timespec="seconds"),
        )

    def layout(
        self, html: str, *, chart_png: bytes, language: str = "en"
    ) -> tuple[Document, list[str]]:
        """Stage 2: pages laid out; returns the document and WeasyPrint's warnings."""
        assets = {**self.assets, chart_asset(chart_png): chart_png}
        fetcher = GuideURLFetcher(self.allowed_folders, assets)
        if len(self.image_cache) > IMAGE_CACHE_LIMIT:
            self.image_cache.clear()
        with captured_warnings() as warnings:
            document = HTML(
                string=html,
                base_url=self.theme.folders[-1].as_uri() + "/",
                url_fetcher=fetcher,
            ).render(
                stylesheets=[*self.stylesheets, *self._language_stylesheet(language)],
                font_config=self.font_config,
                cache=self.image_cache,
                pdf_forms=self.fillable,
            )
        warnings[:0], self._stylesheet_warnings = self._stylesheet_warnings, []
        return document, warnings

    def _language_stylesheet(self, language: str) -> list[CSS]:
        """The page footer's words in the guide's language (the theme's CSS has English)."""
        if language == "en":
            return []
        if language not in self._language_css:
            labels = labels_for(language)
            words = (labels.page + " ", " " + labels.of + " ")
            page, of = (json.dumps(word, ensure_ascii=False) for word in words)
            content = f"{page} counter(page) {of} counter(pages)"
            css = f"@page {{ @bottom-right {{ content: {content}; }} }}"
            self._language_css[language] = CSS(string=css, font_config=self.font_config)
        return [self._language_css[language]]

    def pdf(self, document: Document) -> bytes:
        """Stage 3: the laid-out pages written as PDF bytes (tagged, unless variant `none`)."""
        return document.write_pdf(
            pdf_variant=self._weasyprint_variant,
            pdf_tags=self.tagged,
            pdf_forms=self.fillable,
            finisher=self.finisher,
        )

    def render(
        self, guide: Guide, *, chart_png: bytes, created: dt.datetime
    ) -> tuple[bytes, list[str]]:
        html = self.html(guide, created=created, chart_png=chart_png)
        document, warnings = self.layout(html, chart_png=chart_png, language=guide.language)
        with captured_warnings() as tagging_warnings:  # e.g. an image without alt text
            data = self.pdf(document)
        return data, warnings + tagging_warnings


def chart_asset(chart_png: bytes) -> str:
    """The chart's asset name, from its content: a different chart, a different URL."""
    return f"roadmap-{hashlib.sha256(chart_png).hexdigest()[:16]}.png"


@contextlib.contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Collect what WeasyPrint logs (it only has a NullHandler) so the user sees it."""
    messages: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = _Collect(level=logging.WARNING)
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
