"""Can the app open a window here? Asked before Qt starts, so a fresh desktop gets a sentence, not an abort.

Qt's xcb plugin (X11) needs a dozen X libraries a minimal desktop lacks (``libxcb-cursor0``
first of all); without them Qt prints its own lines and aborts the process. So before
Qt is imported: the libraries the plugin links to are read with ``ldd`` (what the
dynamic linker would do), each missing one is named with the Debian/Ubuntu package that
has it, and the display itself is opened once with libxcb. Imports no Qt module.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["display_problem", "missing_libraries", "package_of", "XCB_PACKAGES"]

# The packages a minimal Debian/Ubuntu desktop lacks for Qt 6's xcb plugin (checked here:
# with these, the plugin's ldd has no "not found").
XCB_PACKAGES = ("libxcb-cursor0", "libxkbcommon-x11-0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
                "libxcb-render-util0", "libxcb-randr0", "libxcb-shape0", "libxcb-xkb1", "libegl1", "libfontconfig1")

# Library files whose Debian package is not their name with the version appended.
_PACKAGES = {"libX11-xcb.so.1": "libx11-xcb1", "libX11.so.6": "libx11-6", "libEGL.so.1": "libegl1",
             "libGL.so.1": "libgl1", "libGLX.so.0": "libglx0", "libOpenGL.so.0": "libopengl0",
             "libxkbcommon-x11.so.0": "libxkbcommon-x11-0", "libdbus-1.so.3": "libdbus-1-3",
             "libglib-2.0.so.0": "libglib2.0-0", "libSM.so.6": "libsm6", "libICE.so.6": "libice6"}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def display_problem(env: dict[str, str] | None = None, what: str = "the app") -> str | None:
    """One sentence on why ``what`` cannot open a window here, or None when it can."""
    env = dict(os.environ) if env is None else env
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None  # offscreen, wayland, ...: Qt was told what to use
    display = env.get("DISPLAY", "")
    if not display:
        if env.get("WAYLAND_DISPLAY") and not platform:
            return None  # Qt opens a Wayland window
        return f"There is no display here, so {what} cannot open"
    missing = missing_libraries()
    if missing:
        packages = sorted({package_of(name) for name in missing})
        return (f"{what[:1].upper()}{what[1:]} cannot open on this desktop: Qt's X11 support needs "
                f"{', '.join(missing)}, which this system lacks; on Debian or Ubuntu install them with: "
                f"sudo apt install {' '.join(packages)}")
    if not _display_opens(display):
        return f"The display {display} cannot be opened (no X server answers there, or it refuses this user)"
    return None


def missing_libraries(ldd_output: str | None = None) -> list[str]:
    """The libraries Qt's xcb plugin links to that the dynamic linker cannot find (from ``ldd``)."""
    if ldd_output is None:
        plugin = _xcb_plugin()
        ldd = shutil.which("ldd")
        if plugin is None or ldd is None:
            return []  # nothing to check with: Qt will say for itself
        try:
            ldd_output = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return []
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def package_of(library: str) -> str:
    """The Debian/Ubuntu package that ships a library file (``libxcb-cursor.so.0`` -> ``libxcb-cursor0``)."""
    if library in _PACKAGES:
        return _PACKAGES[library]
    name, _, version = library.partition(".so.")
    version = version.split(".")[0]
    return (f"{name}-{version}" if name[-1:].isdigit() else f"{name}{version}").lower()


def _xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def _display_opens(display: str) -> bool:
    """Connect to the X server once, as Qt would (libxcb), and let go."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # cannot check without libxcb; missing_libraries names it if Qt needs it
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return bool(connection) and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection:
            xcb.xcb_disconnect(connection)
