"""The app's name and icon on every window it opens (task bar, window switcher, dock).

The icon's PNG sizes live in ``assets/icons`` (made from its SVG by ``tools/make_icons.py``); the
desktop file name ties the windows to the Linux ``.desktop`` entry ``packaging/linux`` installs.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from copilot.core.assets import asset_path

__all__ = ["qt_app", "app_icon", "DESKTOP_ID", "ICON_SIZES"]

DESKTOP_ID = "live-call-copilot"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # the PNGs tools/make_icons.py writes into assets/icons


def app_icon() -> QIcon:
    """Every PNG size of the icon that is installed (an empty icon if none is: nothing breaks)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = asset_path("icons", f"live-call-copilot-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    return icon


def qt_app() -> QApplication:
    """The process's QApplication, made once, named and given the icon (its windows inherit it)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Live Call Copilot")
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(app_icon())
    return app
