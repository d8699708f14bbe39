"""Where live events go: the store writer with revisions of the rep's words."""

from __future__ import annotations

from pathlib import Path

from copilot.core.events import Segment
from copilot.pipeline.events import Stamped
from copilot.pipeline.sinks import StoreWriter
from copilot.store.sqlite import SessionStore


def event(seg: Segment, wall: float) -> Stamped:
    return Stamped(seg, wall)


def test_a_revision_replaces_finals_whether_they_are_stored_or_still_buffered(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = store.create_session("live", "live")
        writer = StoreWriter(store, sid, every_s=5.0)
        writer(event(Segment("rep", 1.0, 2.0, "Next stop."), 0.0))
        writer(event(Segment("rep", 3.0, 4.0, "Okay."), 6.0))  # written with the one before
        writer(event(Segment("rep", 6.0, 7.0, "It fits."), 7.0))  # still buffered
        writer(event(Segment("rep", 1.0, 7.0, "The next step. Okay. It fits.", replaces=(0.8, 7.2)), 8.0))
        writer.flush()
        assert store.segments(sid) == [("rep", 1.0, 7.0, "The next step. Okay. It fits.")]


def test_the_event_log_writes_the_echo_status_and_the_terminal_leaves_it_to_the_window() -> None:
    import io

    from copilot.pipeline.events import EchoStatus
    from copilot.pipeline.sinks import Terminal, event_json

    said = Stamped(EchoStatus(12.3456, "Echo from your speakers: removed, -22 dB."), 13.0)
    assert event_json(said) == {"type": "echo", "t": 12.346, "message": "Echo from your speakers: removed, -22 dB.",
                                "wall": 13.0}
    out = io.StringIO()
    Terminal(out)(said)
    assert out.getvalue() == ""


def test_nothing_the_worker_runs_prints_where_the_app_cannot_show_it() -> None:
    """The pipeline and the app's widgets run on the coach and session threads, inside a window
    with no console: a sentence for the rep goes out as an event (a notice), never to stdout or stderr."""
    import ast

    import copilot

    root = Path(copilot.__file__).parent
    found = []
    for folder in ("pipeline", "ui"):
        for path in sorted((root / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                    found.append(f"{path.name}:{node.lineno} print()")
                elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sys"
                      and node.attr in ("stderr", "__stderr__")):
                    found.append(f"{path.name}:{node.lineno} sys.{node.attr}")
    assert found == []


def test_a_disk_that_fills_mid_call_is_said_once_with_how_far_the_call_is_saved_and_again_when_it_works(
    tmp_path: Path,
) -> None:
    from copilot.core.events import SpeechSpan

    with SessionStore(tmp_path / "s.db") as store:
        sid = store.create_session("live", "live")
        said: list[str] = []
        writer = StoreWriter(store, sid, every_s=1.0, notice=said.append)
        writer(Stamped(SpeechSpan("rep", 0.0, 12.5), 0.0))
        writer(Stamped(SpeechSpan("prospect", 13.0, 20.0), 1.0))  # both written
        store.db.execute("CREATE TRIGGER full BEFORE INSERT ON speech_spans "
                         "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        for n in range(2, 6):  # four more tries, all failing
            writer(Stamped(SpeechSpan("rep", 20.0 + n, 20.5 + n), float(n)))
        assert len(said) == 1 and "the disk is full" in said[0] and "saved up to 0:20" in said[0]
        assert "coaching goes on" in said[0] and "\n" not in said[0]
        assert writer.failures == 4
        store.db.execute("DROP TRIGGER full")  # the rep freed some space
        writer(Stamped(SpeechSpan("prospect", 27.0, 28.0), 6.0))
        assert said[1:] == ["Saving the call works again; nothing heard was lost."]
        assert store.db.execute("SELECT count(*) FROM speech_spans").fetchone()[0] == 7


def test_without_headless_the_terminal_gets_only_what_is_not_coaching() -> None:
    import io

    from copilot.core.events import Prompt
    from copilot.pipeline.events import DeviceNotice
    from copilot.pipeline.sinks import Notices

    out = io.StringIO()
    notices = Notices(out)
    notices(Stamped(Prompt(3.0, "phrase", "What do you want to do next?", "owning_the_path", "you said", 11.0), 3.0))
    notices(Stamped(DeviceNotice(75.0, "Your microphone stopped delivering audio (unplugged?)."), 75.0))
    assert out.getvalue() == "copilot: 1:15: Your microphone stopped delivering audio (unplugged?).\n"


def test_a_prompt_taken_back_is_logged_and_said_in_the_terminal() -> None:
    import io

    from copilot.core.events import PromptTakenBack
    from copilot.pipeline.sinks import Terminal, event_json

    taken = Stamped(PromptTakenBack(71.5, 64.0, "imperatives"), 72.0)
    assert event_json(taken) == {"type": "taken_back", "t": 71.5, "shown_at": 64.0, "category": "imperatives",
                                 "wall": 72.0}
    out = io.StringIO()
    Terminal(out)(taken)
    assert out.getvalue() == "  1:12  << prompt of 1:04 withdrawn: its flag was taken back\n"
