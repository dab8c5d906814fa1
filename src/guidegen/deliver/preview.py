"""`guidegen preview`: the guide as a web page that reloads itself when its files change.

For people designing templates, themes and brands: save the profile, the
template, a brand file or a theme file, and the browser shows the new guide a
moment later. The page is the same HTML the PDF is laid out from, with the
theme's and brand's stylesheets linked and the generated images served here.

The page shows a client's guide, so it answers only to this computer: it is
bound to the loopback address, and every request must name the server as
localhost, 127.0.0.1 or [::1] with its port in its Host header. A web page the
coach visits cannot read it through DNS rebinding (its own domain pointed at
127.0.0.1 still sends its own name as the Host): such requests get 403.
`--host` binds another address, for a coach who means to show the preview on
their network; that address is then accepted as a Host too.
"""

from __future__ import annotations

import hashlib
import html
import http.server
import ipaddress
import json
import socket
from dataclasses import dataclass, field
from pathlib import Path

from guidegen.errors import UserError
from guidegen.load.branding import load_brand
from guidegen.load.catalog import TemplateCatalog
from guidegen.load.clock import build_time
from guidegen.load.profiles import load_profile
from guidegen.render.theming import STYLESHEET, Theme, brand_stylesheet

POLL_MILLISECONDS = 600
RELOADER = f"""
<script>
  // guidegen preview: reload when a watched file changes.
  (function () {{
    let known = null;
    async function poll() {{
      try {{
        const version = await (await fetch("/__version", {{cache: "no-store"}})).text();
        if (known !== null && version !== known) {{ location.reload(); return; }}
        known = version;
      }} catch (error) {{ /* the server restarts: keep polling */ }}
      setTimeout(poll, {POLL_MILLISECONDS});
    }}
    poll();
  }})();
</script>
"""


@dataclass
class Preview:
    profile: Path
    template: str | None = None
    templates_dir: Path | None = None
    brand_path: Path | None = None
    theme_dir: Path | None = None
    language: str = "en"
    page_loads: int = 0
    assets: dict[str, tuple[bytes, str]] = field(default_factory=dict)

    def watched(self) -> list[Path]:
        """Every file whose change shows in the guide."""
        files = [self.profile]
        catalog = TemplateCatalog.default(self.templates_dir)
        files += list(catalog.paths().values())
        # Translations too (es/<id>.yaml): a translator sees each change as it is saved.
        files += [path for folder in catalog.folders for path in folder.glob("*/*.y*ml")]
        if self.template and Path(self.template).suffix in {".yaml", ".yml"}:
            files.append(Path(self.template))
        if self.brand_path is not None:
            folder = self.brand_path if self.brand_path.is_dir() else self.brand_path.parent
            files += [p for p in folder.rglob("*") if p.is_file()]
        if self.theme_dir is not None:
            files += [p for p in self.theme_dir.rglob("*") if p.is_file()]
        return files

    def version(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(self.watched()):
            try:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size};".encode())
            except OSError:
                digest.update(f"{path}:missing;".encode())
        return digest.hexdigest()[:16]

    def page(self) -> str:
        """The guide as HTML, or a page that shows what is wrong (and keeps watching)."""
        try:
            return self._guide_page()
        except UserError as error:
            report = html.escape(error.report())
            return (
                "<!DOCTYPE html><html><head><meta charset='utf-8'><title>guidegen preview: "
                f"error</title></head><body><h1>Fix this and save</h1><pre>{report}</pre>"
                f"{RELOADER}</body></html>"
            )

    def _guide_page(self) -> str:
        from guidegen.plan.personalize import build_guide
        from guidegen.render.chart import draw_timeline
        from guidegen.render.pdf import PdfRenderer, chart_asset

        brand = load_brand(self.brand_path)
        theme = Theme([self.theme_dir] if self.theme_dir else [])
        profile = load_profile(self.profile)
        catalog = TemplateCatalog.default(self.templates_dir, language=self.language)
        entry = catalog.resolve(profile, self.template)
        created = build_time()
        guide = build_guide(
            profile, entry.template, today=created.date(), brand=brand, language=self.language
        )
        chart = draw_timeline(
            guide.roadmap,
            color=brand.colors.primary,
            text_color=brand.colors.text,
            language=self.language,
        )
        renderer = PdfRenderer(theme, brand)
        page = renderer.html(guide, created=created, chart_png=chart)
        self.assets = {
            chart_asset(chart): (chart, "image/png"),
            STYLESHEET: (theme.find(STYLESHEET).read_bytes(), "text/css"),
            "brand.css": (brand_stylesheet(brand).encode(), "text/css"),
        }
        logo = brand.logo_image
        if logo is not None:
            self.assets[f"logo.{logo.kind}"] = (logo.data, logo.mime_type)
        # The browser fetches from this server what WeasyPrint takes from its fetcher.
        page = page.replace('src="guidegen-asset:', 'src="/__asset/')
        links = (
            f'<link rel="stylesheet" href="/__asset/{STYLESHEET}">'
            '<link rel="stylesheet" href="/__asset/brand.css">'
            "<style>body { max-width: 174mm; margin: 12mm auto; }"
            " .running-header, .footer-text { display: none; }</style>"
        )
        page = page.replace("</head>", f"{links}</head>", 1)
        return page.replace("</body>", f"{RELOADER}</body>", 1)


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server on this computer."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host header values the server answers to: loopback names (and the bound
    address) with the port; the bare name too when the port is HTTP's default."""
    names = {*LOOPBACK_NAMES}
    if host not in {"", "0.0.0.0", "::"}:
        names.add(f"[{host}]" if ":" in host else host)
    values = {f"{name}:{port}" for name in names}
    if port == 80:
        values |= names
    return frozenset(value.lower() for value in values)


def serve(preview: Preview, *, host: str = "127.0.0.1", port: int = 8000) -> http.server.HTTPServer:
    """A server for `preview`, not yet started (call serve_forever)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if (self.headers.get("Host") or "").strip().lower() not in server.allowed_hosts:
                # DNS rebinding: a page from elsewhere names its own host. Answer nothing.
                self.send_error(403, "This preview answers to localhost only")
                return
            if self.path in {"/", "/index.html"}:
                preview.page_loads += 1
                self._send(preview.page().encode("utf-8"), "text/html; charset=utf-8")
            elif self.path == "/__version":
                self._send(preview.version().encode(), "text/plain")
            elif self.path == "/__stats":
                stats = {"page_loads": preview.page_loads}
                self._send(json.dumps(stats).encode(), "application/json")
            elif self.path.startswith("/__asset/") and self.path[9:] in preview.assets:
                body, mime = preview.assets[self.path[9:]]
                self._send(body, mime)
            else:
                self.send_error(404)

        def _send(self, body: bytes, mime: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", mime)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the page itself shows what matters

    class Server(http.server.ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        allowed_hosts: frozenset[str] = frozenset()

    server = Server((host.strip("[]"), port), Handler)
    server.allowed_hosts = allowed_hosts(host.strip("[]"), server.server_address[1])
    return server
