"""Check the frozen app the way a rep gets it (``make dist-check``; CI runs it after the tests).

Unpacks the archive ``make dist`` made into a fresh folder, then, with no Python environment on
PATH, no PYTHONPATH and a throwaway home folder, from a folder outside the source tree:

1. ``copilot --self-test``: exit 0, every line OK, its time (bar: under 30 s); on a virtual
   screen (Xvfb) and with a real sound server (PulseAudio with null sinks and a virtual
   microphone, as the tests start it) where those are installed, so the display and the audio
   inputs are checked too (without them those two lines say NOTE);
2. ``copilot analyze`` on the sample call inside the bundle: the same talk share as the source
   tree's ``copilot analyze`` on the same file (run beside it, same thread count, same store: the
   second analysis of the same recording replaces the first, so the store holds one call); then
   ``copilot export --format parquet`` of the store, read back by DuckDB: that one call, its talk
   share, the files readable by their owner only;
3. ``copilot bench live``: the benchmarks are left out of the build, and it says so in one
   sentence (exit 2), not with a traceback;
4. where Xvfb and xwininfo exist: ``copilot`` (the app) started on that screen, the time until
   its control window exists, next to the same from the source tree, and a screenshot of the
   screen (``--screenshot PNG``).

Prints one line per check and the archive's size; exits 1 if any check fails.

    python packaging/check_build.py [--archive FILE] [--screenshot PNG]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build import archive_path  # noqa: E402  (packaging/build.py, beside this file)

ARCHIVE_BAR_MB = 400
SELF_TEST_BAR_S = 30.0
WINDOW_TITLE = "Live Call Copilot"
DISPLAY = ":87"


def clean_env(home: Path) -> dict[str, str]:
    """The environment a rep's desktop gives: system PATH only, no Python settings, a fresh home."""
    if sys.platform == "win32":
        root = os.environ.get("SYSTEMROOT", r"C:\Windows")
        return {"PATH": f"{root}\\System32;{root}", "SYSTEMROOT": root, "USERPROFILE": str(home),
                "APPDATA": str(home / "AppData" / "Roaming"), "LOCALAPPDATA": str(home / "AppData" / "Local"),
                "TEMP": os.environ.get("TEMP", str(home)), "TMP": os.environ.get("TMP", str(home))}
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CONFIG_HOME": str(home / ".config")}
    for keep in ("DISPLAY", "XAUTHORITY", "PULSE_SERVER", "XDG_RUNTIME_DIR", "TMPDIR"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    return env


def unpack(archive: Path, into: Path) -> Path:
    """The archive unpacked; returns the one folder it holds."""
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as z:
            z.extractall(into)
    else:
        with tarfile.open(archive) as t:
            t.extractall(into, filter="tar")
    folders = [p for p in into.iterdir() if p.is_dir()]
    if len(folders) != 1:
        raise SystemExit(f"{archive.name} should unpack to one folder, not {len(folders)}")
    return folders[0]


def self_test(exe: Path, env: dict[str, str], cwd: Path, strict: bool) -> tuple[bool, str]:
    """The frozen self-test: passes, under the bar, every line OK (``strict``: a screen and a sound
    server are there) or else OK or NOTE."""
    t0 = time.perf_counter()
    r = subprocess.run([str(exe), "--self-test"], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)
    took = time.perf_counter() - t0
    print(r.stdout, end="")
    lines = r.stdout.splitlines()[1:-1]
    allowed = ("OK ",) if strict else ("OK ", "NOTE ")
    ok = r.returncode == 0 and bool(lines) and all(line.startswith(allowed) for line in lines)
    if r.returncode != 0 and r.stderr:
        print(r.stderr, file=sys.stderr)
    line = f"self-test: exit {r.returncode} in {took:.1f} s (bar < {SELF_TEST_BAR_S:.0f} s)"
    return ok and took < SELF_TEST_BAR_S, line


def analyze_share(cmd: list[str], sample: Path, env: dict[str, str] | None, cwd: Path) -> tuple[float, float]:
    """The rep's talk share ``copilot analyze`` gives for the sample, and the seconds it took."""
    out = cwd / f"analysis-{len(list(cwd.glob('analysis-*')))}.json"
    t0 = time.perf_counter()
    r = subprocess.run([*cmd, "analyze", str(sample), "--threads", "2", "--json", str(out), "--db",
                        str(cwd / "check.db")], capture_output=True, text=True, env=env, cwd=cwd, timeout=600)
    took = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} analyze failed: {r.stderr.strip()}")
    return float(json.loads(out.read_text())["talk"]["rep_share"]), took


def export_check(exe: Path, env: dict[str, str], work: Path, shares: list[float]) -> tuple[bool, str]:
    """The frozen ``copilot export`` writes Parquet (its library is in the bundle) that DuckDB reads back."""
    import duckdb

    out = work / "export"
    r = subprocess.run([str(exe), "export", "--db", str(work / "check.db"), "--out", str(out), "--format", "parquet"],
                       capture_output=True, text=True, env=env, cwd=work, timeout=120)
    if r.returncode != 0:
        return False, f"export: {r.stderr.strip() or r.stdout.strip()}"
    read = [row[0] for row in duckdb.connect().execute(
        f"SELECT rep_share FROM '{out / 'sessions.parquet'}' ORDER BY started, session_id").fetchall()]
    private = all(p.stat().st_mode & 0o077 == 0 for p in out.iterdir()) or sys.platform == "win32"
    ok = sorted(read) == sorted(shares) and private
    return ok, (f"export: {len(read)} call{'s' if len(read) != 1 else ''} to Parquet, read back by DuckDB with shares "
                f"{', '.join(f'{s:.2%}' for s in read)} (stored: {', '.join(f'{s:.2%}' for s in shares)})"
                f"{'' if private else '; the files are readable by others'}")


def bench_left_out(exe: Path, env: dict[str, str], work: Path) -> tuple[bool, str]:
    """The frozen ``copilot bench live``: no benchmarks in the bundle, one sentence that says where they run."""
    r = subprocess.run([str(exe), "bench", "live"], capture_output=True, text=True, env=env, cwd=work, timeout=60)
    said = r.stderr.strip()
    ok = r.returncode == 2 and len(said.splitlines()) == 1 and "not part of the packaged app" in said
    return ok, f"bench: exit {r.returncode}, {said.splitlines()[-1] if said else 'nothing said'}"


@contextlib.contextmanager
def virtual_desk(folder: Path) -> Iterator[dict[str, str]]:
    """A virtual screen (Xvfb) and a real sound server (PulseAudio, null sinks and a virtual microphone,
    as the tests use), each where it is installed: the environment that points the app at them."""
    extra: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        xvfb = shutil.which("Xvfb")
        if xvfb:
            screen = subprocess.Popen([xvfb, DISPLAY, "-screen", "0", "1600x900x24", "-nolisten", "tcp"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            stack.callback(lambda: (screen.terminate(), screen.wait(10)))
            time.sleep(1.0)
            extra["DISPLAY"] = DISPLAY
        if shutil.which("pulseaudio"):
            from tests.sound_server import SoundServer

            server = SoundServer(folder)
            try:
                server.start()
                stack.callback(server.stop)
                extra.update(server.env)
            except (OSError, RuntimeError) as e:
                print(f"check_build: no sound server for the self-test ({e})", file=sys.stderr)
        yield extra


def window_time(cmd: list[str], env: dict[str, str], cwd: Path, shot: Path | None,
                which: str = "frozen") -> tuple[bool, str]:
    """Start the app on the virtual screen: seconds until its control window exists (Qt makes the X
    window when it is shown), and a screenshot of the screen."""
    xwininfo = shutil.which("xwininfo")
    if "DISPLAY" not in env or not xwininfo:
        return True, f"window ({which}): skipped (Xvfb or xwininfo is not installed here)"
    t0 = time.perf_counter()
    app = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        shown = None
        while time.perf_counter() - t0 < 60 and app.poll() is None:
            tree = subprocess.run([xwininfo, "-root", "-tree"], capture_output=True, text=True, env=env).stdout
            if f'"{WINDOW_TITLE}"' in tree:
                shown = time.perf_counter() - t0
                break
            time.sleep(0.05)
        if shown is None:
            output = app.stdout.read().decode(errors="replace") if app.poll() is not None and app.stdout else ""
            return False, f"window ({which}): the control window did not appear within 60 s {output.strip()[:300]}"
        if shot is not None:
            time.sleep(2.0)  # let it paint
            _screenshot(env["DISPLAY"], shot)
        saved = f"; screenshot {shot}" if shot else ""
        return True, f"window ({which}): control window shown {shown:.2f} s after launch{saved}"
    finally:
        app.terminate()
        try:
            app.wait(10)
        except subprocess.TimeoutExpired:
            app.kill()


def _screenshot(display: str, path: Path) -> None:
    """The whole virtual screen as a PNG (Qt from the source tree's environment grabs it)."""
    code = ("import sys\nfrom PySide6.QtGui import QGuiApplication\napp = QGuiApplication([])\n"
            "QGuiApplication.primaryScreen().grabWindow(0).save(sys.argv[1])\n")
    subprocess.run([sys.executable, "-c", code, str(path)], env={**os.environ, "DISPLAY": display,
                                                                  "QT_QPA_PLATFORM": "xcb"}, check=True, timeout=60)


def main() -> int:
    """Run every check; one line each, exit 1 if any fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=archive_path(), help="default: the one make dist made")
    parser.add_argument("--screenshot", type=Path, help="save the screen with the app open here (PNG)")
    parser.add_argument("--runs", type=int, default=1,
                        help="time the self-test and the window this many times (medians reported)")
    args = parser.parse_args()
    if not args.archive.is_file():
        print(f"check_build: no archive at {args.archive}; run make dist first", file=sys.stderr)
        return 1
    size_mb = args.archive.stat().st_size / 1e6
    results = [(size_mb <= ARCHIVE_BAR_MB, f"archive: {args.archive.name}, {size_mb:.0f} MB (bar <= {ARCHIVE_BAR_MB})")]
    with contextlib.ExitStack() as stack:
        base = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="copilot-frozen-")))
        folder = unpack(args.archive, base / "unpacked")
        exe = folder / {"win32": "copilot.exe", "darwin": "Contents/MacOS/copilot"}.get(sys.platform, "copilot")
        home = base / "home"
        work = base / "work"
        home.mkdir()
        work.mkdir()
        sound = Path(tempfile.mkdtemp(prefix="pa-"))  # short: a socket path may not pass 108 bytes
        stack.callback(shutil.rmtree, sound, True)
        desk = stack.enter_context(virtual_desk(sound))
        env = {**clean_env(home), **desk}
        for _run in range(args.runs):
            results.append(self_test(exe, env, work, strict="DISPLAY" in desk and "PULSE_SERVER" in desk))
        inside = folder / ("Contents/Resources" if sys.platform == "darwin" else "_internal")
        sample = inside / "copilot" / "assets" / "samples" / "discovery_call.opus"
        frozen, frozen_s = analyze_share([str(exe)], sample, env, work)
        source, source_s = analyze_share([sys.executable, "-m", "copilot"], sample, None, work)
        same = abs(frozen - source) < 1e-9
        results.append((same, f"analyze: frozen {frozen:.2%} ({frozen_s:.1f} s), source tree {source:.2%} "
                              f"({source_s:.1f} s) of the sample's talk is the rep's"))
        results.append(export_check(exe, env, work, [source]))  # the same recording again replaced the first
        results.append(bench_left_out(exe, env, work))
        for run in range(args.runs):
            results.append(window_time([str(exe)], env, work, args.screenshot if run == 0 else None))
        # The baseline: the same app from the source tree's environment (a pip install), same clean home.
        source_env = {**env, "PATH": f"{Path(sys.executable).parent}:{env['PATH']}"}
        for _run in range(args.runs):
            results.append(window_time([sys.executable, "-m", "copilot"], source_env, work, None, "source tree"))
    for ok, line in results:
        print(f"{'OK  ' if ok else 'FAIL'}  {line}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
