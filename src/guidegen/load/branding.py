"""Loading a brand folder.

The brand's schema is `guidegen.models.brand.Brand`; this module reads it from
disk (relative paths resolved against the brand's folder), with its logo and
reference document read, checked and made safe as the fields are validated
(`guidegen.load.brand_files`): the Brand returned carries those safe bytes,
which are all the renderers embed. `guidegen brand new` writes a new one
(`guidegen.deliver.scaffold`).
"""

from __future__ import annotations

from pathlib import Path

from guidegen.errors import Problem
from guidegen.load.brand_files import BrandFileLoader
from guidegen.load.sources import Source, load_yaml_file
from guidegen.load.validation import validate
from guidegen.models.brand import DEFAULT_BRAND, Brand

BRAND_FILE = "brand.yaml"


def load_brand(path: Path | None) -> Brand:
    """The brand in `path` (a brand.yaml, or the folder holding one); None: the default."""
    if path is None:
        return DEFAULT_BRAND
    if path.is_dir():
        path = path / BRAND_FILE
    source = load_yaml_file(path)
    files = BrandFileLoader()
    brand = validate(Brand, source, what="a brand", context={"folder": path.parent, "files": files})
    brand = brand.with_files(files.files())
    brand._warnings = color_warnings(brand, source)
    return brand


def color_warnings(brand: Brand, source: Source) -> list[Problem]:
    """A warning for each brand colour too light to be read as text (WCAG 2.1 AA),
    located at its line in the brand file. The colour still renders: darkened for text."""
    warnings = []
    for adjustment in brand.text_palette.adjustments:
        if adjustment.field not in brand.colors.model_fields_set:
            continue  # guidegen's own default, not the brand's choice: nothing to tell
        path = ("colors", adjustment.field)
        line, column = source.map.locate(path) or (None, None)
        warnings.append(
            Problem(
                adjustment.message(),
                file=source.map.file,
                line=line,
                column=column,
                field=".".join(path),
            )
        )
    return warnings
