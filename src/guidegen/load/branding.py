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

from guidegen.load.brand_files import BrandFileLoader
from guidegen.load.sources import load_yaml_file
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
    return brand.with_files(files.files())
