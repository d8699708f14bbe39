"""Render the app icon (assets/icons/live-call-copilot.svg) to the files each platform wants.

PNG at the freedesktop sizes (the Linux .desktop entry and the app's windows), a multi-size
.ico (the Windows executable) and an .icns (the macOS bundle), all drawn by Qt's own SVG
renderer, so nothing beyond the app's dependencies is needed. Run it after editing the SVG:

    python tools/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "assets" / "icons"
SVG = ICONS / "live-call-copilot.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The icon drawn at ``size`` x ``size`` pixels on a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    """Write every size; fails loudly if Qt cannot write a format."""
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    for size in SIZES:
        path = ICONS / f"live-call-copilot-{size}.png"
        if not render(renderer, size).save(str(path), "PNG"):
            raise SystemExit(f"could not write {path}")
    for name, fmt, size in (("live-call-copilot.ico", "ICO", 256), ("live-call-copilot.icns", "ICNS", 512)):
        if not render(renderer, size).save(str(ICONS / name), fmt):
            raise SystemExit(f"Qt could not write {fmt} ({name})")
    print(f"wrote {len(SIZES)} PNG sizes, an ICO and an ICNS to {ICONS.name}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
