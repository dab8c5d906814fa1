"""Render workers, wherever they run: what they are given, what they do, what they return.

A batch plans every Guide in the driver and hands each to a worker as a
`RenderTask`; the worker returns a `RenderedGuide` holding each file's bytes,
and the driver writes them. A worker is set up once from a `RenderKit`: the
look of the run (formats, brand, theme) with which it loads WeasyPrint, the
fonts and the stylesheets, then renders many guides.

A worker on this machine (the process pool) reads the brand's and theme's
files where they are. A worker on another machine (a Dask cluster) has no
copy of them: `pack_kit` turns them into bytes that travel with the worker
plugin, and `unpack_kit` writes them into the worker's own scratch folder.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import guidegen
from guidegen.deliver.pipeline import GuideWriter
from guidegen.errors import Problem, UserError
from guidegen.models.brand import Brand
from guidegen.models.guide import Guide

PORTABLE_LIMIT_BYTES = 64 * 1024 * 1024
"""The brand's and theme's files together, sent to every remote worker: at most 64 MB."""


@dataclass(frozen=True)
class RenderKit:
    """The look of a run, the same for every guide in it: what a worker loads once."""

    formats: tuple[str, ...]
    brand: Brand
    theme_dir: Path | None = None
    fillable: bool = False
    pdf_variant: str | None = None

    def writer(self) -> GuideWriter:
        """A GuideWriter reading the brand's and theme's files where they are."""
        return GuideWriter(
            self.formats,
            theme_dirs=[self.theme_dir] if self.theme_dir else None,
            brand=self.brand,
            fillable=self.fillable,
            pdf_variant=self.pdf_variant,
        )


@dataclass(frozen=True)
class PortableKit:
    """A RenderKit with its files as bytes, keyed by a relative path: for any machine."""

    formats: tuple[str, ...]
    brand: Brand
    """The brand with its file paths relative to the unpacked folder."""
    files: dict[str, bytes]
    theme: bool
    """Whether files holds a theme folder (under 'theme/')."""
    fillable: bool
    pdf_variant: str | None
    guidegen_version: str

    @property
    def size(self) -> int:
        return sum(len(data) for data in self.files.values())


@dataclass(frozen=True)
class RenderTask:
    """One planned guide to render: everything its files depend on travels with it."""

    key: str
    """The guide's file stem, unique in its batch."""
    guide: Guide
    created: dt.datetime


@dataclass
class RenderedGuide:
    """What a worker sends back: each format's bytes, or the guide's own problem."""

    key: str
    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: UserError | None = None
    """A problem with this guide alone (its row fails; the batch goes on)."""
    worker: dict = field(default_factory=dict)
    """Which worker rendered it: pid, its guide count, its resident memory (MB) after."""


class GuideRenderer:
    """One worker's renderer: loaded once, then renders task after task."""

    def __init__(self, writer: GuideWriter, *, where: str = ""):
        self.writer = writer
        self.where = where
        self.rendered = 0

    def load(self) -> None:
        """Import the heavy libraries, load fonts, parse the stylesheets: once per worker."""
        self.writer.prepare()
        # Everything loaded so far lives as long as the worker: move it out of the
        # garbage collector's sight, so collections during the many renders only
        # scan the renders' own objects (about 10% faster a guide, measured).
        gc.collect()
        gc.freeze()

    def render(self, task: RenderTask) -> RenderedGuide:
        try:
            rendered = self.writer.render(task.guide, created=task.created)
        except UserError as error:  # this guide's own problem: the same on any worker
            return RenderedGuide(task.key, error=error, worker=self._stats())
        self.rendered += 1
        return RenderedGuide(
            task.key, files=rendered.files, warnings=rendered.warnings, worker=self._stats()
        )

    def _stats(self) -> dict:
        stats = {"pid": os.getpid(), "rendered": self.rendered, "rss_mb": resident_megabytes()}
        if self.where:
            stats["worker"] = self.where
        return stats


# --- the brand and theme, as bytes ---------------------------------------------------------


def pack_kit(kit: RenderKit) -> PortableKit:
    """Read every file the kit's brand and theme name into memory."""
    files: dict[str, bytes] = {}

    def take(path: Path, name: str) -> Path:
        try:
            files[name] = path.read_bytes()
        except OSError as error:
            raise UserError(Problem(f"cannot read it: {error.strerror}", file=path)) from None
        return Path(name)

    brand = _relocate(kit.brand, take)
    if kit.theme_dir is not None:
        for path in sorted(kit.theme_dir.rglob("*")):
            if path.is_file():
                take(path, f"theme/{path.relative_to(kit.theme_dir).as_posix()}")
    portable = PortableKit(
        formats=kit.formats,
        brand=brand,
        files=files,
        theme=kit.theme_dir is not None,
        fillable=kit.fillable,
        pdf_variant=kit.pdf_variant,
        guidegen_version=guidegen.__version__,
    )
    if portable.size > PORTABLE_LIMIT_BYTES:
        raise UserError(
            f"the brand's and theme's files add up to {portable.size // 2**20} MB; "
            f"every Dask worker is sent a copy, so at most {PORTABLE_LIMIT_BYTES // 2**20} MB"
        )
    return portable


def unpack_kit(portable: PortableKit, folder: Path) -> RenderKit:
    """Write the kit's files into `folder` (a worker's own); the kit that reads them there."""
    if portable.guidegen_version != guidegen.__version__:
        raise UserError(
            f"this worker has guidegen {guidegen.__version__}, the batch guidegen "
            f"{portable.guidegen_version}",
            hint="Install the same guidegen version on the Dask workers as where you run batch.",
        )
    folder = folder.resolve()
    for name, data in portable.files.items():
        path = (folder / name).resolve()
        if not path.is_relative_to(folder):  # names are made by pack_kit; never trust a path
            raise ValueError(f"a kit file outside its folder: {name!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return RenderKit(
        formats=portable.formats,
        brand=_relocate(portable.brand, lambda path, _name: folder / path),
        theme_dir=folder / "theme" if portable.theme else None,
        fillable=portable.fillable,
        pdf_variant=portable.pdf_variant,
    )


def _relocate(brand: Brand, move) -> Brand:
    """The brand with each file path replaced by `move(path, portable name)`."""
    changes: dict[str, object] = {}
    if brand.logo is not None:
        changes["logo"] = move(brand.logo, f"brand/logo{brand.logo.suffix.lower()}")
    if brand.reference_doc is not None:
        suffix = brand.reference_doc.suffix.lower()
        changes["reference_doc"] = move(brand.reference_doc, f"brand/reference{suffix}")
    if brand.font.files is not None:
        faces = {
            role: move(path, f"brand/fonts/{role}{path.suffix.lower()}")
            for role in ("regular", "bold", "italic", "bold_italic")
            if (path := getattr(brand.font.files, role)) is not None
        }
        files = brand.font.files.model_copy(update=faces)
        changes["font"] = brand.font.model_copy(update={"files": files})
    return brand.model_copy(update=changes)


# --- the local process pool's workers -------------------------------------------------------

_RENDERER: GuideRenderer | None = None


def start_pool_worker(kit: RenderKit) -> None:
    """A process pool worker's initializer: load the renderers once."""
    import signal

    global _RENDERER
    # Ctrl-C is the main process's to handle: a worker finishes the guide it is on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _RENDERER = GuideRenderer(kit.writer())
    _RENDERER.load()


def render_in_pool_worker(task: RenderTask) -> RenderedGuide:
    assert _RENDERER is not None, "start_pool_worker runs first"
    return _RENDERER.render(task)


def resident_megabytes() -> float:
    """This process's resident memory now (Linux), else its peak (elsewhere)."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
