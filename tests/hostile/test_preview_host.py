"""The preview answers only to this computer: DNS rebinding gets 403, whatever the path.

A web page the coach visits can point its own domain at 127.0.0.1 and script
requests to the preview's port; the browser then sends that domain as the Host.
These tests send such requests for real, as raw HTTP, to a running
`guidegen preview`.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ALEX_PATH
from tests.deliver.test_preview import free_port


def raw_get(port: int, host_header: str | None, path: str = "/", *, address: str = "127.0.0.1"):
    """(status, body) of a GET sent byte by byte, with exactly this Host header (or none)."""
    lines = [f"GET {path} HTTP/1.1"]
    if host_header is not None:
        lines.append(f"Host: {host_header}")
    lines += ["Connection: close", "", ""]
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as connection:
        connection.settimeout(30)
        connection.connect((address, port))
        connection.sendall("\r\n".join(lines).encode("latin-1"))
        response = b""
        while chunk := connection.recv(65536):
            response += chunk
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def start_preview(tmp_path, *extra: str):
    profile = tmp_path / "client.yaml"
    shutil.copy(ALEX_PATH, profile)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "guidegen", "preview", str(profile), "--port", str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if raw_get(port, f"127.0.0.1:{port}", "/__version")[0] == 200:
                return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    pytest.fail(f"the preview did not start: {server.stderr.read()}")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    server, port = start_preview(tmp_path_factory.mktemp("preview"))
    yield port
    server.terminate()
    server.wait(timeout=10)


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST"])
def test_the_preview_answers_to_localhost_with_its_port(preview, name):
    status, body = raw_get(preview, f"{name}:{preview}")
    assert status == 200
    assert b"From Backend Developer to AI Solutions Architect" in body


@pytest.mark.parametrize(
    "host",
    [
        "attacker.example:{port}",  # DNS rebinding: the attacker's name, our address
        "attacker.example",
        "localhost.attacker.example:{port}",
        "127.0.0.1.nip.io:{port}",
        "localhost:{other}",  # another port: another origin
        "localhost",  # no port: the default port, another origin
        "192.168.1.20:{port}",
        "",
        None,  # HTTP/1.1 without a Host header
    ],
)
@pytest.mark.parametrize("path", ["/", "/__version", "/__stats", "/__asset/brand.css"])
def test_any_other_host_is_refused_on_every_path(preview, host, path):
    header = host.format(port=preview, other=preview + 1) if host is not None else None
    status, body = raw_get(preview, header, path)
    assert status == 403
    assert b"Alex" not in body and b"Backend" not in body


def listening_addresses(port: int) -> set[str]:
    """The local addresses listening on `port`, from the kernel's table (no traffic sent)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, local_port = local.split(":")
        if int(local_port, 16) == port and state == "0A":  # 0A: LISTEN
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux's /proc/net/tcp")
def test_the_preview_listens_on_loopback_only(preview):
    assert listening_addresses(preview) == {"127.0.0.1"}


def test_another_host_needs_saying_and_is_warned_about(tmp_path):
    server, port = start_preview(tmp_path, "--host", "0.0.0.0")
    try:
        if Path("/proc/net/tcp").exists():
            assert listening_addresses(port) == {"0.0.0.0"}
        assert raw_get(port, f"localhost:{port}")[0] == 200
        assert raw_get(port, f"attacker.example:{port}")[0] == 403
    finally:
        server.terminate()
        server.wait(timeout=10)
    warning = server.stderr.read()
    assert "warning: listening on 0.0.0.0: anyone who can reach this address" in warning
