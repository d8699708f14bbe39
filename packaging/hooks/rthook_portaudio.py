"""Runtime hook: the frozen app finds the PortAudio library it carries (Linux).

``sounddevice`` looks PortAudio up with ``ctypes.util.find_library('portaudio')``, which only
searches the system; a desktop without libportaudio2 would have no sound for the demo. The
build puts a copy in ``_internal/portaudio``; the system's own is still preferred (it matches
the desktop's ALSA), the copy is the fallback. On Windows and macOS ``sounddevice`` carries its
own PortAudio and nothing here applies.
"""

import ctypes.util
import os
import sys

_bundled = os.path.join(getattr(sys, "_MEIPASS", ""), "portaudio", "libportaudio.so.2")
if sys.platform.startswith("linux") and os.path.isfile(_bundled):
    _system_find = ctypes.util.find_library

    def _find_library(name: str) -> "str | None":
        found = _system_find(name)
        if found is None and name == "portaudio":
            return _bundled
        return found

    ctypes.util.find_library = _find_library
