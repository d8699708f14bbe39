"""A real PulseAudio server for tests: a throwaway config, two null sinks, a virtual microphone.

``speakers`` is what the call plays to (its monitor is the call audio); ``mic_feed`` is
played into by the test, and ``virtual_mic`` (a remap of its monitor, so not a monitor
itself) is the rep's microphone. Started as the current user (root in CI) with no ALSA
and no configuration of ours beyond this file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

MIC_MODULE = ("module-remap-source master=mic_feed.monitor source_name=virtual_mic "
              "source_properties=device.description=Virtual_microphone")
CONFIG = """\
load-module module-native-protocol-unix auth-anonymous=1 socket={socket}
load-module module-null-sink sink_name=speakers sink_properties=device.description=Speakers
load-module module-null-sink sink_name=mic_feed sink_properties=device.description=Mic_feed
load-module {mic}
set-default-source virtual_mic
set-default-sink speakers
"""


class SoundServer:
    """One running server; ``env`` points a client at it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = folder / "native"
        self.env = {"PULSE_SERVER": f"unix:{self.socket}"}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start (or restart) the server and wait until it answers."""
        config = self.folder / "default.pa"
        config.write_text(CONFIG.format(socket=self.socket, mic=MIC_MODULE), encoding="utf-8")
        env = os.environ | {"HOME": str(self.folder), "XDG_RUNTIME_DIR": str(self.folder)}
        self.proc = subprocess.Popen(["pulseaudio", "-n", "-F", str(config), "--daemonize=no", "--exit-idle-time=-1",
                                      "--disallow-exit", "--use-pid-file=no", "--log-target=stderr"],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.pactl("info").returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError("PulseAudio did not start")

    def stop(self) -> None:
        """Stop the server (as a crash or a restart would)."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def pactl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pactl", *args], capture_output=True, text=True, env=os.environ | self.env, timeout=10)

    def unplug_mic(self) -> None:
        """Unload the virtual microphone, as pulling out a USB headset does."""
        for line in self.pactl("list", "short", "modules").stdout.splitlines():
            if "module-remap-source" in line:
                self.pactl("unload-module", line.split()[0])

    def plug_mic(self) -> None:
        self.pactl("load-module", *MIC_MODULE.split())

    def play(self, sink: str, wav: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(["paplay", f"--device={sink}", str(wav)], env=os.environ | self.env)


@pytest.fixture
def sound_server() -> Iterator[SoundServer]:
    """A fresh PulseAudio server for one test; skipped with the reason where one cannot start."""
    if shutil.which("pulseaudio") is None or shutil.which("paplay") is None:
        pytest.skip("PulseAudio is not installed here (apt install pulseaudio pulseaudio-utils)")
    folder = Path(tempfile.mkdtemp(prefix="pa-"))  # short: a socket path may not pass 108 bytes
    server = SoundServer(folder)
    try:
        server.start()
    except (OSError, RuntimeError) as e:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"PulseAudio cannot start here: {e}")
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)
