"""What ``copilot bench fuzz`` feeds each kind of file to: the app's own entry points, in this process.

Every case is one broken file given where a rep would give it: ``copilot analyze CALL``,
``copilot detect --rules FILE``, the app's settings file, ``copilot voice`` and ``copilot
voice set FILE``, ``--db FILE`` of ``sessions``/``report``/``progress``/``export``, and the
rep's ``my_examples.json``. Commands run through the command line's own ``main`` (its
output captured); the settings go through what the app builds from them (the control
window and the overlay, offscreen, and a coached call). The verdict:

- **accepted**: the command did its work (a broken file can still be a good one);
- **rejected**: a sentence for the rep (a :class:`UserError`, as the command line prints it);
- **failed**: anything else — a traceback, a rejection that is not one sentence.

Costly entry points (a whole analysis, the model layer) run on a share of the cases only, so
the cheap ones (decoding, parsing) get many more tries in the same time.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.bench.fuzz_mutate import mutate_bytes, mutate_pages, mutate_text
from copilot.bench.fuzz_seeds import DETECT_LINES, Seed
from copilot.errors import UserError

__all__ = ["KINDS", "Outcome", "Target", "not_one_sentence", "make_target"]

KINDS = ("audio", "rules", "settings", "voice", "db", "examples")
COSTLY_SHARE = 0.4  # at most this share of the time goes to the costly entry points


@dataclass(frozen=True)
class Outcome:
    """How one entry point took one case."""

    entry: str
    verdict: str  # accepted, rejected, failed
    message: str = ""  # the rejection's sentence, or what failed


def not_one_sentence(message: str) -> str | None:
    """Why a rejection is not one clear sentence for the rep, or None if it is."""
    text = message.strip()
    if not text:
        return "an empty message"
    if "\n" in text:
        return "more than one line"
    if "Traceback" in text or "Error:" in text.split(":", 1)[0]:
        return "a programmer's error"
    if len(text) > 600:
        return "longer than 600 characters"
    # Quoted or parenthesised text (a file name, a pattern, a parser's words) may hold anything, an
    # apostrophe inside quotes too: everything from the first quote to the last one is left out.
    bare = re.sub(r"'.*'|\".*\"|\([^()]*\)|\S*[/\\]\S*", "", text)
    if re.search(r"[.!?]\s+[A-Z]", bare):
        return "more than one sentence"
    return None


def command(argv: list[str], stdin: str = "") -> Outcome:
    """``copilot ARGV`` run through the command line's own entry point, its output kept here."""
    from copilot.cli import main

    out, err = io.StringIO(), io.StringIO()
    was = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except BaseException:  # noqa: BLE001 - anything out of main is a traceback the rep would see
        return Outcome(argv[0], "failed", traceback.format_exc())
    finally:
        sys.stdin = was
    said = err.getvalue()
    if "Traceback (most recent call last)" in said:
        return Outcome(argv[0], "failed", said)
    if code == 0:
        return Outcome(argv[0], "accepted")
    lines = [line[len("copilot: "):] for line in said.splitlines() if line.startswith("copilot: ")]
    return Outcome(argv[0], "rejected", lines[-1] if lines else f"exit code {code} and nothing said: {said[-300:]}")


def call(entry: str, fn: Callable[[], Any]) -> Outcome:
    """A function the app calls on a user's file: its return is accepted, a UserError a rejection."""
    try:
        fn()
    except UserError as e:
        return Outcome(entry, "rejected", str(e))
    except Exception:  # noqa: BLE001 - the finding
        return Outcome(entry, "failed", traceback.format_exc())
    return Outcome(entry, "accepted")


@dataclass
class Target:
    """One kind of input: its seeds, how a case is made from them, and the entry points it is fed to."""

    kind: str
    work: Path
    seeds: list[Seed]
    run: Callable[[Target, Path, random.Random], list[Outcome]]
    pages: bool = False  # mutate as a database file (TOML and JSON seeds are mutated as text half the time)
    extra: dict[str, Any] = field(default_factory=dict)
    costly_s: float = 0.0
    total_s: float = 0.0

    def case(self, rng: random.Random) -> tuple[Path, list[Outcome]]:
        """Make one broken file from a random seed and feed it in; its path and what each entry point did."""
        name, data = rng.choice(self.seeds)
        others = [d for _n, d in self.seeds]
        if self.pages:
            data = mutate_pages(data, rng, others) if rng.random() < 0.7 else mutate_bytes(data, rng, others)
        elif name.endswith((".toml", ".json")) and rng.random() < 0.5:
            data = mutate_text(data.decode("utf-8"), rng).encode("utf-8", errors="surrogatepass")
        else:
            data = mutate_bytes(data, rng, others)
        suffix = "".join(Path(name).suffixes) if rng.random() > 0.05 else rng.choice((".wav", ".txt", ""))
        folder = self.work / "case"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        path = folder / f"case{suffix}"
        path.write_bytes(data)
        self.extra["seed"] = name
        started = time.perf_counter()
        outcomes = self.run(self, path, rng)
        self.total_s += time.perf_counter() - started
        return path, outcomes

    def costly(self) -> bool:
        """True when a costly entry point may run now (its share of the time is under COSTLY_SHARE)."""
        return self.costly_s <= COSTLY_SHARE * max(self.total_s, 1e-9)

    def timed(self, fn: Callable[[], Outcome]) -> Outcome:
        """Run a costly entry point, counting its time."""
        started = time.perf_counter()
        try:
            return fn()
        finally:
            self.costly_s += time.perf_counter() - started


def _audio(t: Target, path: Path, rng: random.Random) -> list[Outcome]:
    from copilot.audio.decode import load_recording

    out = [call("decode", lambda: load_recording(path))]
    if out[0].verdict == "accepted" and t.costly():
        db, js = t.work / "case" / "a.db", t.work / "case" / "a.json"
        out.append(t.timed(lambda: command(["analyze", str(path), "--rules-only", "--db", str(db), "--json",
                                            str(js)])))
    return out


def _rules(t: Target, path: Path, rng: random.Random) -> list[Outcome]:
    out = [command(["detect", "--rules", str(path), "--rules-only"], DETECT_LINES)]
    if out[0].verdict == "accepted" and t.costly():
        out.append(t.timed(lambda: command(["detect", "--rules", str(path)], DETECT_LINES)))
    return out


def _settings(t: Target, path: Path, rng: random.Random) -> list[Outcome]:
    from copilot.store.settings import load_settings

    loaded: list[Any] = []
    out = [call("settings", lambda: loaded.append(load_settings(path)))]
    if not loaded:
        return out
    settings, notice = loaded[0]
    if notice is not None:
        out.append(Outcome("settings", "rejected", notice))
    out.append(call("app", lambda: _open_app(t, settings, path)))
    return out


def _open_app(t: Target, settings: Any, path: Path) -> None:
    """What the app builds from its settings: the overlay where it was left, the control window, a coached call."""
    from copilot.core.session import Session
    from copilot.ui.bridge import EventBridge
    from copilot.ui.control import ControlWindow
    from copilot.ui.overlay import Overlay
    from copilot.ui.placement import place_overlay
    from copilot.ui.runner import LiveRunner, SessionPlan

    def no_audio() -> Any:
        raise UserError("The settings check starts no session.")

    overlay = Overlay(locked=settings.overlay_locked, opacity=settings.overlay_opacity)
    place_overlay(overlay, settings.overlay_x, settings.overlay_y)
    window = ControlWindow(settings, path, LiveRunner(EventBridge()), overlay, lambda s: SessionPlan("check", no_audio))
    try:
        session = Session(t.extra["detector"], settings.coach)
        call_ = t.extra["call"]
        session.replay(call_.spans, call_.segments, call_.duration_s)
    finally:
        window.deleteLater()
        overlay.deleteLater()
        t.extra["qt"].processEvents()


def _voice(t: Target, path: Path, rng: random.Random) -> list[Outcome]:
    if t.extra["seed"].endswith(".json"):
        return [command(["voice", "--voice-profile", str(path)])]
    made = t.work / "case" / "made.json"
    return [t.timed(lambda: command(["voice", "set", str(path), "--voice-profile", str(made)]))]


def _db(t: Target, path: Path, rng: random.Random) -> list[Outcome]:
    seed = t.extra["seed"]
    if seed.endswith("-wal"):  # a broken log beside its good database
        db = path.with_name("case.db")
        shutil.copy(t.work / "seeds" / seed.removesuffix("-wal"), db)
        path.replace(db.with_name("case.db-wal"))
        path = db
    elif seed == "wal-copy.db":
        shutil.copy(t.work / "seeds" / "wal-copy.db-wal", path.with_name(path.name + "-wal"))
    out = [command(["sessions", "--json", "--db", str(path)])]
    choice = rng.randrange(3)
    if choice == 0:  # the call stored in the seed, or the first one of any other
        sid = rng.choice((t.extra["sid"], "2025"))
        out.append(command(["report", sid, "--json", str(path.with_name("r.json")), "--db", str(path)]))
    elif choice == 1:
        out.append(command(["progress", "--json", "--db", str(path)]))
    else:
        out.append(command(["export", "--db", str(path), "--out", str(path.with_name("out")), "--format", "csv"]))
    return out


def _examples(t: Target, path: Path, rng: random.Random) -> list[Outcome]:
    from copilot.store.my_examples import default_examples_path

    mine = default_examples_path()
    mine.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, mine)
    out = [command(["detect", "--rules-only"], DETECT_LINES)]
    db = path.with_name("s.db")
    shutil.copy(t.work / "seeds" / "calls.db", db)
    if rng.random() < 0.5:
        out.append(command(["report", t.extra["sid"], "--json", str(path.with_name("r.json")), "--db", str(db)]))
    else:
        out.append(command(["progress", "--json", "--db", str(db)]))
    return out


def make_target(kind: str, work: Path) -> Target:
    """The seeds of ``kind`` made in ``work`` (the user's folders pointed there too), ready to fuzz."""
    from copilot.bench import fuzz_seeds as seeds

    if kind not in KINDS:
        raise UserError(f"There is no input kind {kind!r} to fuzz; the kinds are {', '.join(KINDS)}.")
    # Nothing the cases do may touch the rep's own files: their data and config folders are here.
    os.environ["XDG_DATA_HOME"] = str(work / "data")
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    folder = work / "seeds"
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "audio":
        return Target(kind, work, seeds.audio_seeds(), _audio)
    if kind == "rules":
        return Target(kind, work, seeds.rulebook_seeds(), _rules)
    if kind == "settings":
        from copilot.bench.store_calls import scripted_call
        from copilot.ui.app_icon import qt_app
        from copilot.wiring import load_detector

        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # the windows are built, never shown
        extra = {"qt": qt_app(), "detector": load_detector(None, meaning=False, mine=False),
                 "call": scripted_call()}
        return Target(kind, work, seeds.settings_seeds(folder), _settings, extra=extra)
    if kind == "voice":
        clips = seeds.voice_clip_seeds()
        # As many tries at the profile (`copilot voice`) as at the recordings (`copilot voice set`).
        return Target(kind, work, seeds.profile_seeds() * len(clips) + clips, _voice)
    made, sid = seeds.store_seeds(folder)
    if kind == "db":
        return Target(kind, work, made, _db, pages=True, extra={"sid": sid})
    return Target(kind, work, seeds.examples_seeds(sid), _examples, extra={"sid": sid})
