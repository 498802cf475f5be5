"""Draw the raster icons from static/icons/favicon.svg with Debian's Chromium.

Run after changing the SVG: `.venv/bin/python theme/make_icons.py`. Writes
root/favicon.ico (16, 32 and 48 px; served at /favicon.ico, which browsers,
feed readers and e-mail services ask for), static/icons/icon-192.png and
icon-512.png (the web app manifest) and static/icons/apple-touch-icon.png
(180 px on the archive's blue, as iOS wants it: opaque, square).
"""

from __future__ import annotations

import base64
import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

THEME = Path(__file__).resolve().parent
SVG = THEME / "static" / "icons" / "favicon.svg"
BLUE = "#0b3d91"
ICO_SIZES = (16, 32, 48)


def render(page, size: int, background: str | None = None) -> bytes:
    page.set_viewport_size({"width": size, "height": size})
    fill = f"background:{background};" if background else ""
    page.set_content(
        f'<body style="margin:0;{fill}"><img src="data:image/svg+xml;base64,'
        f'{base64.b64encode(SVG.read_bytes()).decode()}" '
        f'width="{size}" height="{size}" style="display:block"></body>'
    )
    page.wait_for_function("document.images[0].complete")
    return page.screenshot(omit_background=background is None)


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file holding PNG images (read by every browser since IE 9)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, data = b"", b""
    for size, png in images.items():
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        data += png
    return header + entries + data


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        (THEME / "root" / "favicon.ico").write_bytes(
            ico({size: render(page, size) for size in ICO_SIZES})
        )
        icons = THEME / "static" / "icons"
        for size in (192, 512):
            (icons / f"icon-{size}.png").write_bytes(render(page, size))
        (icons / "apple-touch-icon.png").write_bytes(render(page, 180, BLUE))
        browser.close()


if __name__ == "__main__":
    main()
