"""What a render may load: the theme's files and the run's own generated assets.

Profiles are untrusted: a URL that reaches the HTML from any field must load
nothing. WeasyPrint asks this fetcher for every stylesheet, image and font; it
serves generated assets by name (``guidegen-asset:roadmap.png``) and files
under the allowed folders, and refuses everything else, recording each refusal
so the run can report it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSET_SCHEME = "guidegen-asset"


def asset_url(name: str) -> str:
    return f"{ASSET_SCHEME}:{name}"


class RefusedURL(ValueError):
    """A URL outside what the run allows."""


class GuideURLFetcher(URLFetcher):
    """Serves generated assets and files under `allowed_folders`; refuses the rest."""

    def __init__(self, allowed_folders: list[Path], assets: dict[str, bytes] | None = None):
        super().__init__(fail_on_errors=False)
        self.allowed_folders = [folder.resolve() for folder in allowed_folders]
        self.assets = dict(assets or {})
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == ASSET_SCHEME and parts.path in self.assets:
            return self._response(url, parts.path, self.assets[parts.path])
        if parts.scheme == "file" and not parts.netloc:
            path = Path(unquote(parts.path)).resolve()
            if path.is_file() and any(path.is_relative_to(f) for f in self.allowed_folders):
                return self._response(url, path.name, path.read_bytes())
        self.refused.append(url)
        raise RefusedURL(f"guidegen does not load {url!r}: only the theme and generated assets")

    @staticmethod
    def _response(url: str, name: str, body: bytes) -> URLFetcherResponse:
        mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})
