"""Keeping the overlay out of the rep's screen share, where the OS has a way to.

- Windows 10 2004 and later: ``SetWindowDisplayAffinity(hwnd, WDA_EXCLUDEFROMCAPTURE)``.
- macOS: the window's ``sharingType`` set to none (best effort: macOS 15's capture ignores it).
- Elsewhere (X11, Wayland, offscreen) there is no such switch; nothing is done.

Native calls are made only when Qt's platform is ``windows`` or ``cocoa``. The result is a
sentence the control window shows the rep.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

__all__ = ["exclude_from_capture", "EXCLUDED", "UNSUPPORTED"]

WDA_EXCLUDEFROMCAPTURE = 0x11
EXCLUDED = "hidden from screen sharing"
UNSUPPORTED = "visible in screen sharing (this system cannot hide a window from capture)"


def exclude_from_capture(window: QWidget) -> str:
    """Ask the OS to leave ``window`` out of screen capture; says what happened."""
    platform = QGuiApplication.platformName()
    try:
        if platform == "windows" and sys.platform == "win32":
            return _windows(int(window.winId()))
        if platform == "cocoa" and sys.platform == "darwin":
            return _macos(int(window.winId()))
    except (OSError, AttributeError, ValueError) as e:
        return f"visible in screen sharing (hiding it failed: {e})"
    return UNSUPPORTED


def _windows(hwnd: int) -> str:
    user32 = ctypes.windll.user32  # type: ignore[attr-defined,unused-ignore]
    if user32.SetWindowDisplayAffinity(ctypes.c_void_p(hwnd), WDA_EXCLUDEFROMCAPTURE):
        return EXCLUDED
    return "visible in screen sharing (needs Windows 10 version 2004 or later)"


def _macos(nsview: int) -> str:
    path = ctypes.util.find_library("objc")
    if not path:
        return UNSUPPORTED
    objc = ctypes.cdll.LoadLibrary(path)
    objc.sel_registerName.restype = ctypes.c_void_p
    objc.sel_registerName.argtypes = [ctypes.c_char_p]
    send = objc.objc_msgSend
    send.restype = ctypes.c_void_p
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    nswindow = send(ctypes.c_void_p(nsview), objc.sel_registerName(b"window"))
    if not nswindow:
        return UNSUPPORTED
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long]
    send(ctypes.c_void_p(nswindow), objc.sel_registerName(b"setSharingType:"), 0)  # NSWindowSharingNone
    return EXCLUDED + " (best effort on macOS)"
