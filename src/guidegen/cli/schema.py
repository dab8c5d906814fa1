"""`guidegen schema`: the JSON Schema of profiles, templates and brands, for editors."""

from __future__ import annotations

import click


@click.command()
@click.argument("kind", type=click.Choice(["profile", "template", "translation", "brand"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of a KIND file.

    Editors autocomplete and check YAML against it: start the file with
    `# yaml-language-server: $schema=path/to/KIND.schema.json`. `translation` is the
    schema of a template's translation file (es/ID.yaml)."""
    from guidegen.models.schemas import json_schema

    click.echo(json_schema(kind), nl=False)
