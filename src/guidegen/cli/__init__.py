"""The command line: a thin layer that parses options and calls the library.

Subcommands live one per module and are imported only when invoked, so
`guidegen --help` does not pay for pydantic, WeasyPrint or matplotlib.
"""

from __future__ import annotations

import importlib

import click

import guidegen

# name -> "module:attribute", imported on first use
COMMANDS = {
    "batch": "guidegen.cli.batch:batch",
    "brand": "guidegen.cli.brand:brand",
    "email": "guidegen.cli.email:email",
    "init": "guidegen.cli.init:init",
    "preview": "guidegen.cli.preview:preview",
    "render": "guidegen.cli.render:render",
    "schema": "guidegen.cli.schema:schema",
    "templates": "guidegen.cli.templates:templates",
    "validate": "guidegen.cli.validate:validate",
}


class UserErrorExit(click.ClickException):
    """A guidegen UserError, shown as 'error: ...' with exit code 2."""

    exit_code = 2

    def __init__(self, report: str):
        super().__init__(report)

    def show(self, file=None) -> None:
        click.echo(f"error: {self.message}", err=True)


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name].split(":")
        return getattr(importlib.import_module(module), attribute)

    def invoke(self, ctx: click.Context):
        from guidegen.errors import UserError

        try:
            return super().invoke(ctx)
        except UserError as error:
            raise UserErrorExit(error.report()) from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(guidegen.__version__, "-V", "--version", prog_name="guidegen")
def main() -> None:
    """Personalized career transition guides, from a candidate profile and a transition template."""


def print_warnings(warnings: list[str]) -> None:
    for warning in dict.fromkeys(warnings):  # each once, in order
        click.echo(f"warning: {warning}", err=True)
