"""What a render may load: the theme, the brand's fonts and the run's own assets, nothing else."""

from __future__ import annotations

import pytest

from guidegen.render.fetcher import GuideURLFetcher, RefusedURL, asset_url
from guidegen.render.theming import builtin_theme_dir


@pytest.fixture
def fetcher():
    return GuideURLFetcher([builtin_theme_dir()], {"roadmap-1.png": b"\x89PNG"})


def test_serves_generated_assets_and_theme_files(fetcher):
    assert fetcher.fetch(asset_url("roadmap-1.png")).read() == b"\x89PNG"
    css = (builtin_theme_dir() / "guide.css").as_uri()
    assert fetcher.fetch(css).read().startswith(b"/*")
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.com/logo.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.com/x",
        "guidegen-asset:not-generated.png",
        "file://attacker.example/share/x.png",
    ],
)
def test_refuses_everything_else(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_refuses_a_path_that_climbs_out_of_the_theme(fetcher):
    escape = (builtin_theme_dir() / ".." / ".." / ".." / "pyproject.toml").as_uri()
    with pytest.raises(RefusedURL):
        fetcher.fetch(escape)
