"""The ``copilot`` command line: the argument table, and the one place its errors are caught.

Each subcommand names its function in ``copilot.commands``, imported only when it runs, so
``copilot detect`` never loads Whisper or Qt. Errors a user can cause (every
:class:`UserError`) are printed as one sentence on stderr with a non-zero exit code,
never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from copilot.errors import UserError

__all__ = ["main"]

EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = _parser()
    given = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(given or ["app"])  # `copilot` alone opens the app
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        result: int = args.func(args)
        return result
    except UserError as e:
        print(f"copilot: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="copilot",
        description="Live Call Copilot: an on-call coach that helps you hand control back to the buyer.",
    )
    sub = p.add_subparsers(metavar="COMMAND")

    d = sub.add_parser(
        "detect",
        help="flag directive phrasing, one utterance a line on stdin, one JSON object a line out",
        description="Reads one utterance a line on stdin and writes one JSON object a line: "
        '{"text", "flagged", "category", "match", "prompt", "supportive"}. '
        "Use it to check a rulebook you edited.",
    )
    d.add_argument("--rules", metavar="FILE", help="rulebook TOML file (default: the bundled English one)")
    d.set_defaults(func=_lazy("detect:run_detect"))

    a = sub.add_parser(
        "analyze",
        help="analyse a recorded call: talk share, monologues, directive phrases",
        description="Analyses a recorded call on this machine and stores it as a session. Give a stereo "
        "recording with the rep on one side, or one file per participant.",
    )
    a.add_argument("call", nargs="?", metavar="CALL", help="stereo recording (wav, flac, mp3, m4a, ogg, ...)")
    a.add_argument("--rep-channel", choices=["left", "right"], default="left",
                   help="which side of CALL is the rep (default left)")
    a.add_argument("--rep", metavar="FILE", help="the rep's own recording (with --prospect)")
    a.add_argument("--prospect", metavar="FILE", help="the prospect's recording (with --rep)")
    _add_model_args(a)
    a.add_argument("--db", metavar="FILE", help="session database (default: sessions.db in your user data folder)")
    a.add_argument("--json", metavar="PATH", help="write the analysis as JSON to PATH, or - for stdout")
    a.set_defaults(func=_lazy("analyze:run_analyze"))

    lv = sub.add_parser(
        "live",
        help="coach a call as it happens, from your microphone and the call audio (or --replay FILE)",
        description="Runs the live pipeline: voice activity, streaming speech to text, flags and prompts as "
        "they happen. --replay plays a recording as if it were the call.",
    )
    lv.add_argument("--replay", metavar="FILE", help="a stereo recording to play through the live pipeline")
    lv.add_argument("--mic", metavar="NUMBER|NAME", help="your microphone (default: the system's default input)")
    lv.add_argument("--call", metavar="NUMBER|NAME",
                    help="the call audio: a monitor/loopback input (default: the first one found)")
    lv.add_argument("--rep-channel", choices=["left", "right"], default="left",
                    help="with --replay: which side of the recording is you")
    lv.add_argument("--speed", type=float, default=1.0, help="replay speed: 1 = real time (default), 2 = twice as fast")
    lv.add_argument("--headless", action="store_true", help="print prompts and a talk-share line in the terminal")
    lv.add_argument("--events", metavar="PATH", help="write every event as a JSON line to PATH (- for stdout)")
    lv.add_argument("--keep-audio", action="store_true",
                    help="keep the call's audio beside the session database, to replay moments in the review")
    _add_model_args(lv)
    lv.add_argument("--db", metavar="FILE", help="session database (default: sessions.db in your user data folder)")
    lv.set_defaults(func=_lazy("live:run_live"))

    for name, target, text in (
        ("app", "app:run_app", "open the app: the overlay and its control window (the default)"),
        ("demo", "app:run_demo", "open the app and play the bundled sample call through it"),
    ):
        ap = sub.add_parser(name, help=text)
        ap.add_argument("--events", metavar="PATH", help="write every event (and each prompt shown) as JSON lines")
        ap.add_argument("--db", metavar="FILE", help="session database (default: sessions.db in your user data folder)")
        ap.add_argument("--settings", metavar="FILE",
                        help="settings file (default: settings.toml in your config folder)")
        ap.set_defaults(func=_lazy(target))

    dv = sub.add_parser("devices", help="list audio inputs, marking the likely microphone and call audio")
    dv.set_defaults(func=_lazy("devices:run_devices"))

    db_help = "session database (default: sessions.db in your user data folder)"
    ss = sub.add_parser("sessions", help="list stored sessions, newest first (or rename or delete one)",
                        description="Lists stored sessions, newest first. `copilot sessions rename ID NAME` names "
                        "one; `copilot sessions delete ID` removes one and everything kept of it. An ID may be "
                        "shortened to any start that is unique.")
    ss.add_argument("--db", metavar="FILE", help=db_help)
    ss.add_argument("--json", action="store_true", help="one JSON array instead of a table")
    ss.set_defaults(func=_lazy("sessions:run_sessions"))
    ssub = ss.add_subparsers(metavar="ACTION")
    sr = ssub.add_parser("rename", help="give a session a name")
    sr.add_argument("session", metavar="ID")
    sr.add_argument("name", metavar="NAME")
    sr.add_argument("--db", metavar="FILE", help=db_help)
    sr.set_defaults(func=_lazy("sessions:run_rename"))
    sd = ssub.add_parser("delete", help="delete a session and everything kept of it")
    sd.add_argument("session", metavar="ID")
    sd.add_argument("--db", metavar="FILE", help=db_help)
    sd.set_defaults(func=_lazy("sessions:run_delete"))

    rv = sub.add_parser("review", help="the post-call review window (no ID: the list of your calls)")
    rv.add_argument("session", nargs="?", metavar="ID", help="the session to review (see `copilot sessions`)")
    rv.add_argument("--db", metavar="FILE", help=db_help)
    rv.add_argument("--rules", metavar="FILE", help="rulebook TOML file (default: the bundled English one)")
    rv.set_defaults(func=_lazy("review:run_review"))
    rp = sub.add_parser("report", help="write a call's review as one self-contained HTML file (or its JSON)")
    rp.add_argument("session", metavar="ID", help="the session (see `copilot sessions`)")
    rp.add_argument("--html", metavar="OUT", help="write the HTML report here (a file or a folder)")
    rp.add_argument("--json", metavar="OUT", help="write the session in the `analyze --json` contract (- for stdout)")
    rp.add_argument("--db", metavar="FILE", help=db_help)
    rp.add_argument("--rules", metavar="FILE", help="rulebook TOML file (default: the bundled English one)")
    rp.set_defaults(func=_lazy("review:run_report"))

    b = sub.add_parser("bench", help="measure speed and accuracy on this machine")
    bsub = b.add_subparsers(metavar="WHAT")
    bd = bsub.add_parser("detect", help="time `copilot detect` on 10,000 utterances, pinned to one core")
    bd.add_argument("--n", type=int, default=10_000, help="utterances per run (default 10000)")
    bd.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    bd.add_argument("--rules", metavar="FILE")
    bd.set_defaults(func=_lazy("bench:run_detect"))
    bc = bsub.add_parser(
        "counselling",
        help="how the detector generalises: expert-annotated counselling dialogues (AnnoMI CSV)",
    )
    bc.add_argument("csv", metavar="CSV", help="AnnoMI-full.csv or a file with the same columns")
    bc.add_argument("--rules", metavar="FILE")
    bc.add_argument("--json", action="store_true", help="print the numbers as JSON")
    bc.set_defaults(func=_lazy("bench:run_counselling"))
    ba = bsub.add_parser(
        "analyze",
        help="real-time factor and word error rate of `copilot analyze`, beside plain faster-whisper",
    )
    ba.add_argument("files", nargs="*", metavar="FILE",
                    help="stereo calls with a NAME.truth.json beside them (default: the bundled sample call)")
    ba.add_argument("--runs", type=int, default=3, help="timed runs of each side (default 3)")
    _add_model_args(ba)
    ba.add_argument("--json", action="store_true", help="print the numbers as JSON")
    ba.set_defaults(func=_lazy("bench:run_analyze"))
    bl = bsub.add_parser("live", help="replay a call through the live pipeline: latencies, CPU, memory, WER")
    bl.add_argument("file", nargs="?", metavar="FILE", help="stereo call (default: the bundled sample call)")
    bl.add_argument("--speed", type=float, default=1.0, help="replay speed (default 1 = real time)")
    bl.add_argument("--no-compare", action="store_true",
                    help="skip the offline analysis of the same call (for long memory runs)")
    _add_model_args(bl)
    bl.add_argument("--json", action="store_true", help="print the numbers as JSON")
    bl.set_defaults(func=_lazy("bench:run_live"))

    ba = bsub.add_parser("app", help="the demo with its overlay (needs a display: xvfb-run): idle CPU, time to "
                         "the first prompt painted, phrase-to-screen latency, Qt thread stalls, close time")
    ba.add_argument("--idle", type=float, default=10.0, help="seconds the app sits idle before the demo (default 10)")
    ba.add_argument("--json", action="store_true", help="print the numbers as JSON")
    ba.set_defaults(func=_lazy("bench:run_app"))
    br = bsub.add_parser("review", help="open an hour-long call in the review window: time to open, scroll and "
                         "pan frame times (offscreen without a display)")
    br.add_argument("--runs", type=int, default=5, help="times the review is opened (default 5)")
    br.add_argument("--json", action="store_true", help="print the numbers as JSON")
    br.set_defaults(func=_lazy("bench:run_review"))
    b.set_defaults(func=lambda _a: _print_help(b))
    return p


def _add_model_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="NAME|DIR",
                   help="Whisper model: tiny.en (bundled, the default), a size name such as small.en "
                   "(downloaded once), or a CTranslate2 model folder")
    p.add_argument("--rules", metavar="FILE", help="rulebook TOML file (default: the bundled English one)")
    p.add_argument("--threads", type=int, default=0, help="CPU threads for speech to text (default: up to 4)")


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def _lazy(target: str) -> Callable[[argparse.Namespace], int]:
    """A command ("module:function" in ``copilot.commands``) whose module is imported only when it runs."""

    def run(args: argparse.Namespace) -> int:
        module, name = target.split(":")
        return int(getattr(importlib.import_module(f"copilot.commands.{module}"), name)(args))

    return run
