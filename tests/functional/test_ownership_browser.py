"""The HTML ownership report in a real headless browser: it loads, shows the pipelines and the
plot, and its screenshot is not blank."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from mldebt.demo.write import write_demo
from mldebt.engine import CheckOptions, analyse
from mldebt.ownership.build import build_ownership
from mldebt.report.ownership_html import render_ownership_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _png_pixels(data: bytes) -> tuple[int, int, set[bytes]]:
    """Width, height and the distinct pixels of an 8-bit RGB(A) PNG, decoded with zlib alone."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 4
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8
            channels = {2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels + 1
    pixels: set[bytes] = set()
    for row in range(0, height, 7):
        line = raw[row * stride + 1 : (row + 1) * stride]
        pixels.update(line[i : i + channels] for i in range(0, len(line), channels * 5))
    return width, height, pixels


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)")
def test_report_renders_in_chromium(tmp_path: Path) -> None:
    root = write_demo(tmp_path / "demo")
    analysis = analyse(root, CheckOptions(jobs=1, use_cache=False))
    page = tmp_path / "report.html"
    page.write_text(render_ownership_html(build_ownership(root, analysis.graph, analysis.facts, cache_dir=None)))
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<svg" in dom.stdout and "<circle" in dom.stdout
    for name in ("train", "prepare", "evaluate", "Maria Lopez"):
        assert name in dom.stdout
    shot = tmp_path / "shot.png"
    screenshot = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert screenshot.returncode == 0 and shot.exists(), screenshot.stderr[-2000:]
    width, height, pixels = _png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 1600)
    # Text, tables and the coloured points make for many distinct colours; a blank page has one.
    assert len(pixels) > 20
