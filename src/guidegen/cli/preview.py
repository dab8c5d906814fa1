"""`guidegen preview`: the guide in a browser, reloaded when its files change."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("profile", type=click.Path(path_type=Path))
@click.option("-t", "--template", metavar="ID|FILE", help="Transition template id or file.")
@click.option("--templates-dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--brand", "brand_path", type=click.Path(path_type=Path), help="A brand folder.")
@click.option("--theme", "theme_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", "language", type=click.Choice(["en", "es"]), default="en")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def preview(
    profile: Path,
    template: str | None,
    templates_dir: Path | None,
    brand_path: Path | None,
    theme_dir: Path | None,
    language: str,
    port: int,
) -> None:
    """Serve PROFILE's guide on http://127.0.0.1:PORT/ and reload the page whenever the
    profile, the template, the brand or the theme changes. Ctrl-C stops it."""
    from guidegen.deliver.preview import Preview, serve

    server = serve(Preview(profile, template, templates_dir, brand_path, theme_dir), port=port)
    click.echo(
        f"Previewing {profile} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        server.server_close()
