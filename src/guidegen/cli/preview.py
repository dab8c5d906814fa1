"""`guidegen preview`: the guide in a browser, reloaded when its files change."""

from __future__ import annotations

from pathlib import Path

import click

from guidegen.cli import options
from guidegen.errors import UserError


@click.command()
@click.argument("profile", type=click.Path(path_type=Path))
@click.option("-t", "--template", metavar="ID|FILE", help="Transition template id or file.")
@options.templates_dir
@options.brand
@options.theme
@options.language
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but loopback shows the client's guide to "
    "whoever can reach it.",
)
def preview(
    profile: Path,
    template: str | None,
    templates_dir: Path | None,
    brand_path: Path | None,
    theme_dir: Path | None,
    language: str,
    port: int,
    host: str,
) -> None:
    """Serve PROFILE's guide on http://127.0.0.1:PORT/ and reload the page whenever the
    profile, the template, the brand or the theme changes. Ctrl-C stops it."""
    from guidegen.deliver.preview import Preview, is_loopback, serve

    preview = Preview(profile, template, templates_dir, brand_path, theme_dir, language)
    try:
        server = serve(preview, host=host, port=port)
    except OSError as error:
        raise UserError(
            f"--host {host} --port {port}: cannot listen there ({error.strerror})"
        ) from None
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who can reach this address sees "
            f"{profile.name}'s guide. Use the default (127.0.0.1) unless you mean that.",
            err=True,
        )
    shown = f"[{host}]" if ":" in host else host
    shown = "localhost" if host in {"0.0.0.0", "::"} else shown
    click.echo(
        f"Previewing {profile} at http://{shown}:{server.server_address[1]}/ (Ctrl-C to stop)",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        server.server_close()
