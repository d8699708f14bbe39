"""The ``copilot`` command line: the argument table, and the one place its errors are caught.

Each subcommand names its function in ``copilot.commands``, imported only when it runs, so
``copilot detect`` never loads Whisper or Qt. Errors a user can cause (every
:class:`UserError`) are printed as one sentence on stderr with a non-zero exit code,
never as a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

from copilot.errors import UserError

__all__ = ["main"]

EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = _parser()
    given = list(sys.argv[1:] if argv is None else argv)
    args, extra = parser.parse_known_args(given or ["app"])  # `copilot` alone opens the app
    if extra:
        _unknown(getattr(args, "command_parser", parser), extra)
    if getattr(args, "self_test", False):
        args.func = _lazy("self_test:run_self_test")
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        _private_on_start(args)
        result: int = args.func(args)
        return result
    except UserError as e:
        print(f"copilot: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _unknown(parser: argparse.ArgumentParser, extra: list[str]) -> None:
    """Arguments the command does not take: said with the command's own usage (not the top level's), and the
    option meant if one is close ("--rep-chanel": did you mean --rep-channel?). Exits, as argparse does."""
    known = [o for a in parser._actions for o in a.option_strings]  # noqa: SLF001 (argparse keeps them here)
    meant = [m for x in extra if x.startswith("--")
             for m in difflib.get_close_matches(x.split("=")[0], known, n=1, cutoff=0.75)]
    hint = f" (did you mean {' or '.join(dict.fromkeys(meant))}?)" if meant else ""
    parser.error(f"unrecognized arguments: {' '.join(extra)}{hint}")


def _private_on_start(args: argparse.Namespace) -> None:
    """The app's folders made owner-only if an older version left them readable by others; said once (after
    that there is nothing to tighten), on stderr and to the app's window (``args.privacy_notice``)."""
    from copilot.store.private import tighten_app_folders

    said = tighten_app_folders()
    if said:
        print(f"copilot: {said}", file=sys.stderr)
    args.privacy_notice = said


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="copilot",
        description="Live Call Copilot: an on-call coach that helps you hand control back to the buyer.",
    )
    p.add_argument("--self-test", action="store_true",
                   help="check this install: load every model, hear a few seconds of the sample call live, "
                   "list the audio inputs; one line per check, OK or what is wrong")
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = p.add_subparsers(metavar="COMMAND")
    _command(sub, "self-test", "self_test:run_self_test", "the same as copilot --self-test")

    d = _command(sub, "detect", "detect:run_detect",
                 "flag directive phrasing, one utterance a line on stdin, one JSON object a line out",
                 description="Reads one utterance a line on stdin and writes one JSON object a line: "
                 '{"text", "flagged", "category", "match", "prompt", "supportive"}. '
                 "Use it to check a rulebook you edited.")
    _rules(d)
    d.add_argument("--meaning", action="store_true", help=argparse.SUPPRESS)  # before it was the default; = --explain
    d.add_argument("--explain", action="store_true",
                   help='each line also says what fired: "layer" (rules, model, example) and "why" '
                   "(the pattern, or the rulebook example it resembles)")

    v = _command(sub, "voice", "voice:run_voice", "your voice profile: show it, set it from a recording, or delete it",
                 description="Your voice profile is a voiceprint (256 numbers, not audio) that finds you in mixed "
                 "recordings. It stays on this computer. `copilot voice` shows it, `copilot voice set FILE` makes it "
                 "from a recording of you alone, `copilot voice clear` deletes it.")
    v.add_argument("action", nargs="?", choices=["show", "set", "clear"], default="show")
    v.add_argument("file", nargs="?", metavar="FILE", help="with set: a recording of you alone (3 s of speech or more)")
    _voice_profile(v)

    a = _command(sub, "analyze", "analyze:run_analyze",
                 "analyse a recorded call: talk share, monologues, directive phrases",
                 description="Analyses a recorded call on this machine and stores it as a session. Give a stereo "
                 "recording with the rep on one side, one file per participant, or a mixed recording (mono, or "
                 "the same sound on both channels): it is split by voice, and your voice is found from "
                 "--rep-voice, your voice profile (`copilot voice`) or --rep-speaker.")
    a.add_argument("call", nargs="?", metavar="CALL",
                   help="stereo or mixed recording (wav, flac, mp3, m4a, ogg, ...)")
    a.add_argument("--rep-channel", choices=["left", "right"], default="left",
                   help="which side of CALL is the rep (default left)")
    a.add_argument("--rep", metavar="FILE", help="the rep's own recording (with --prospect)")
    a.add_argument("--prospect", metavar="FILE", help="the prospect's recording (with --rep)")
    _echo(a)
    _redact(a)
    a.add_argument("--rep-voice", metavar="FILE",
                   help="a mixed recording: a few seconds to a minute of you alone, to find your voice")
    a.add_argument("--rep-speaker", type=int, metavar="N",
                   help="a mixed recording: you are voice N (the summary lists the voices with their first words)")
    a.add_argument("--started", metavar="WHEN",
                   help="when the call began, for a recording analysed later: YYYY-MM-DD or \"YYYY-MM-DD HH:MM\" "
                   "(default: the recording's file time less its length)")
    a.add_argument("--voices", type=int, metavar="N",
                   help="a mixed recording: how many people speak (default: estimated; two on most sales calls)")
    _voice_profile(a)
    _add_model_args(a)
    _db(a)
    a.add_argument("--json", metavar="PATH", help="write the analysis as JSON to PATH, or - for stdout")

    lv = _command(sub, "live", "live:run_live",
                  "coach a call as it happens, from your microphone and the call audio (or --replay FILE)",
                  description="Runs the live pipeline: voice activity, streaming speech to text, flags and prompts "
                  "as they happen. --replay plays a recording as if it were the call.")
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
    _cpu_budget(lv)
    _echo(lv)
    _redact(lv)
    _add_model_args(lv)
    _db(lv)

    for name, target, text in (
        ("app", "app:run_app", "open the app: the overlay and its control window (the default)"),
        ("demo", "app:run_demo", "open the app and play the bundled sample call through it"),
    ):
        ap = _command(sub, name, target, text)
        ap.add_argument("--events", metavar="PATH", help="write every event (and each prompt shown) as JSON lines")
        _db(ap)
        ap.add_argument("--settings", metavar="FILE",
                        help="settings file (default: settings.toml in your config folder)")

    _command(sub, "devices", "devices:run_devices", "list audio inputs, marking the likely microphone and call audio")

    ss = _command(sub, "sessions", "sessions:run_sessions",
                  "list stored sessions, newest first (or rename, delete or leave out one)",
                  description="Lists stored sessions, newest first. `copilot sessions rename ID NAME` names "
                  "one; `copilot sessions delete ID` removes one and everything kept of it (--all: every call); "
                  "`copilot sessions prune` deletes the transcripts older than your setting; `copilot sessions me "
                  "ID N` says you are voice N of a mixed recording; `copilot sessions exclude ID` leaves one out "
                  "of Progress (`include` counts it again). An ID may be "
                  "shortened to any start that is unique.")
    _db(ss)
    ss.add_argument("--json", action="store_true", help="one JSON array instead of a table")
    ssub = ss.add_subparsers(metavar="ACTION")
    sr = _command(ssub, "rename", "sessions:run_rename", "give a session a name")
    sr.add_argument("session", metavar="ID")
    sr.add_argument("name", metavar="NAME")
    _db(sr, action=True)
    sd = _command(ssub, "delete", "sessions:run_delete", "delete a session and everything kept of it (its text "
                  "overwritten in the files, not only unlisted); --all empties the store")
    sd.add_argument("session", nargs="?", metavar="ID")
    sd.add_argument("--all", action="store_true", help="delete every call and its kept audio (asks first)")
    sd.add_argument("--yes", action="store_true", help="with --all: do not ask")
    _db(sd, action=True)
    sp = _command(ssub, "prune", "sessions:run_prune", "delete the transcripts of calls older than your setting "
                  "(default 90 days), keeping their numbers; says what was removed")
    sp.add_argument("--keep-days", metavar="N|never",
                    help="this time, keep the transcripts of the last N days (default: the setting "
                    "delete_transcripts_after_days in settings.toml)")
    sp.add_argument("--settings", metavar="FILE", help="settings file (default: settings.toml in your config folder)")
    _db(sp, action=True)
    for action, text in (("exclude", "leave a call out of Progress (an internal meeting, say)"),
                         ("include", "count a call you left out in Progress again")):
        sx = _command(ssub, action, f"sessions:run_{action}", text)
        sx.add_argument("session", metavar="ID")
        _db(sx, action=True)
    sm = _command(ssub, "me", "sessions:run_me", "a mixed recording: \"this is me\" — you are voice N; "
                  "its numbers and flags are worked out again")
    sm.add_argument("session", metavar="ID")
    sm.add_argument("voice", type=int, metavar="N")
    _rules(sm)
    _db(sm, action=True)

    pg = _command(sub, "progress", "progress:run_progress",
                  "is it working? your talk share, monologues, directive phrases, questions, patience and "
                  "supportive lines across your calls",
                  description="Your numbers call by call, in time order: each one's trend (the median of the last "
                  "five calls) and your latest calls against the ones before, in a sentence each. Leave a call out "
                  "with `copilot sessions exclude ID`; `copilot report --progress --html OUT` writes it as a page.")
    _range(pg)
    pg.add_argument("--all", action="store_true", help="list every call (default: the latest 15)")
    pg.add_argument("--json", action="store_true", help="everything as one JSON object instead")
    pg.add_argument("--rules", metavar="FILE", help=argparse.SUPPRESS)  # the rulebook whose supportive lines count
    _db(pg)

    rv = _command(sub, "review", "review:run_review", "the post-call review window (no ID: the list of your calls)")
    rv.add_argument("session", nargs="?", metavar="ID", help="the session to review (see `copilot sessions`)")
    _db(rv)
    _rules(rv)
    rp = _command(sub, "report", "review:run_report",
                  "write a call's review, or your Progress across calls, as one self-contained HTML file")
    rp.add_argument("session", nargs="?", metavar="ID", help="the session (see `copilot sessions`)")
    rp.add_argument("--progress", action="store_true",
                    help="your Progress across calls instead of one call (with --since/--until); --html OUT names "
                    "the file (default: progress.html here)")
    _range(rp)
    rp.add_argument("--html", metavar="OUT", help="write the HTML report here (a file or a folder)")
    rp.add_argument("--json", metavar="OUT", help="write the session in the `analyze --json` contract (- for stdout)")
    rp.add_argument("--numbers-only", action="store_true",
                    help="leave out what was said (the transcript, the flagged sentences): a report safe to share, "
                    "with the numbers, the timeline, the flags' times and kinds, and the prompts")
    _db(rp)
    _rules(rp)

    ex = _command(sub, "export", "export:run_export",
                  "write your calls as tables (CSV and Parquet) for a spreadsheet, a manager or a notebook",
                  description="Writes the stored calls as tables: sessions (one row per call, the review's numbers), "
                  "turns (who spoke when), flags and prompts, as CSV and as Parquet (DuckDB, pandas, polars). "
                  "Numbers only, unless --with-transcripts. Every call, one call (its ID), or a range of days. "
                  "Files are readable by you only. Columns: docs/export.md.")
    ex.add_argument("session", nargs="?", metavar="ID", help="one call (see `copilot sessions`; default: every call)")
    ex.add_argument("--since", metavar="YYYY-MM-DD", help="calls from this day on (your time zone)")
    ex.add_argument("--until", metavar="YYYY-MM-DD", help="calls up to this day, included")
    ex.add_argument("--format", choices=["csv", "parquet", "both"],
                    help="which files: csv, parquet or both (default both; CSV alone where Parquet cannot be written)")
    ex.add_argument("--out", metavar="DIR", default="copilot-export",
                    help="the folder to write the tables in (default: copilot-export here; made if missing)")
    ex.add_argument("--with-transcripts", action="store_true",
                    help="also what was said: the transcript (segments) and each flag's sentence")
    ex.add_argument("--rules", metavar="FILE",
                    help="rulebook TOML file whose autonomy-supportive phrases are counted (default: the bundled one)")
    _db(ex)

    b = sub.add_parser("bench", help="measure speed and accuracy on this machine")
    b.set_defaults(func=lambda _a: _print_help(b))
    bsub = b.add_subparsers(metavar="WHAT")
    bd = _command(bsub, "detect", "bench:run_detect", "time `copilot detect`: the rules on 10,000 utterances pinned to "
                  "one core, then both layers on 10,000 distinct ones and the model per utterance")
    bd.add_argument("--n", type=int, default=10_000, help="utterances per run (default 10000)")
    bd.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    _rules(bd)
    bd.add_argument("--meaning", action="store_true", help=argparse.SUPPRESS)  # the default now
    bc = _command(bsub, "counselling", "bench:run_counselling",
                  "how the detector generalises: expert-annotated counselling dialogues (AnnoMI CSV)")
    bc.add_argument("csv", metavar="CSV", help="AnnoMI-full.csv or a file with the same columns")
    _rules(bc)
    bc.add_argument("--meaning", action="store_true", help=argparse.SUPPRESS)  # the default now
    _json_flag(bc)
    bf = _command(bsub, "false-alarms", "bench:run_false_alarms",
                  "how often the detector flags real talk: flags per 1,000 sentences and per hour, by layer")
    bf.add_argument("corpus", nargs="+", metavar="CORPUS",
                    help="text files (one sentence a line), Earnings-21/22 .nlp transcripts, or folders of them")
    bf.add_argument("--rules", metavar="FILE", help="rulebook TOML file (default: the bundled English one)")
    bf.add_argument("--out", metavar="TSV", help="write every flagged sentence here, for reading by hand")
    bf.add_argument("--labels", metavar="TSV", action="append",
                    help="sentences labelled by hand (label 1/i/0, and text or sha1): how many flags are right; "
                         "may be given more than once (a later file's label wins for a sentence in two)")
    bf.add_argument("--as-heard", action="store_true",
                    help="also say each sentence word by word as a live session hears it: how many more a "
                         "partial guess flags on the way (a prompt shown live that the whole sentence takes back)")
    _json_flag(bf)
    ba = _command(bsub, "analyze", "bench:run_analyze",
                  "real-time factor and word error rate of `copilot analyze`, beside plain faster-whisper")
    ba.add_argument("files", nargs="*", metavar="FILE",
                    help="stereo calls with a NAME.truth.json beside them (default: the bundled sample call)")
    ba.add_argument("--runs", type=int, default=3, help="timed runs of each side (default 3)")
    _load(ba)
    _echo(ba)
    _add_model_args(ba)
    _json_flag(ba)
    bl = _command(bsub, "live", "bench:run_live",
                  "replay a call through the live pipeline: latencies, CPU, memory, WER")
    bl.add_argument("file", nargs="?", metavar="FILE", help="stereo call (default: the bundled sample call)")
    bl.add_argument("--speed", type=float, default=1.0, help="replay speed (default 1 = real time)")
    bl.add_argument("--no-compare", action="store_true",
                    help="skip the offline analysis of the same call (for long memory runs)")
    _load(bl)
    _echo(bl)
    _cpu_budget(bl)
    _add_model_args(bl)
    _json_flag(bl)
    bp = _command(bsub, "app", "bench:run_app", "the demo with its overlay (needs a display: xvfb-run): idle CPU, "
                  "time to the first prompt painted, phrase-to-screen latency, Qt thread stalls, close time")
    bp.add_argument("--idle", type=float, default=10.0, help="seconds the app sits idle before the demo (default 10)")
    _json_flag(bp)
    br = _command(bsub, "review", "bench:run_review", "open an hour-long call in the review window: time to open, "
                  "scroll and pan frame times (offscreen without a display)")
    br.add_argument("--runs", type=int, default=5, help="times the review is opened (default 5)")
    _json_flag(br)
    bs = _command(bsub, "store", "bench:run_store", "the session store under faults: a live call recorded while "
                  "two analyses and a report use the same store, and a writer killed (kill -9) mid-write")
    bs.add_argument("--rounds", type=int, default=20,
                    help="rounds of a live call beside two analyses and a reader (default 20)")
    bs.add_argument("--speed", type=float, default=10.0,
                    help="how fast the live call goes: 10 = a commit every 200 ms (default 10)")
    bs.add_argument("--kills", type=int, default=200, help="times a writer is killed mid-write (default 200)")
    bs.add_argument("--max-wait", type=float, default=1.5, metavar="S",
                    help="a writer is killed at a random moment in its first S seconds (default 1.5)")
    bs.add_argument("--seed", type=int, default=1, help="the same seed kills at the same moments (default 1)")
    bs.add_argument("--dir", metavar="DIR", help="where the store files are made (default: the temporary folder; "
                    "give a folder on the disk your sessions live on)")
    _json_flag(bs)
    bz = _command(bsub, "fuzz", "bench:run_fuzz", "feed the app broken files of one kind (real good files broken "
                  "at random) for minutes: no traceback, every rejection one sentence")
    bz.add_argument("kind", metavar="KIND", choices=["audio", "rules", "settings", "voice", "db", "examples", "all"],
                    help="audio (analyze CALL), rules (--rules), settings, voice (profile and voice set), db (--db), "
                    "examples (my_examples.json), or all in turn")
    bz.add_argument("--minutes", type=float, default=20.0, help="how long, per kind (default 20)")
    bz.add_argument("--cases", type=int, default=0, metavar="N", help="stop after N cases (default: when the time "
                    "is up)")
    bz.add_argument("--seed", type=int, default=1, help="case N of a seed is the same broken file every run "
                    "(default 1)")
    bz.add_argument("--first", type=int, default=0, metavar="N",
                    help="start at case N (with --cases 1: make a failed case again)")
    bz.add_argument("--hang", type=float, default=120.0, metavar="S",
                    help="a case with no answer in S seconds counts as a hang (default 120)")
    bz.add_argument("--out", metavar="DIR", default="fuzz-failures",
                    help="where the files of failed cases are kept (default: fuzz-failures here)")
    _json_flag(bz)
    return p


def _version() -> str:
    from copilot import __version__

    return __version__


def _echo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-echo-cancel", dest="echo_cancel", action="store_false",
                        help="keep the rep's microphone as it is (by default the prospect's voice it hears from "
                        "laptop speakers is taken out; a headset does not need it)")


def _redact(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-redact", dest="redact", action="store_false",
                        help="keep card and bank numbers, ID numbers, e-mail addresses and phone numbers as heard "
                        "(by default they are hidden before the call is kept or shown; docs/redaction.md)")


def _load(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--load", type=int, default=0, metavar="N",
                        help="N busy processes beside the benchmark, a stand-in for Zoom (default 0)")


def _command(subparsers: Any, name: str, target: str, help: str, description: str | None = None
             ) -> argparse.ArgumentParser:
    """A subcommand whose function (``module:function`` in ``copilot.commands``) is imported only when it runs."""
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help, description=description)
    parser.set_defaults(func=_lazy(target), command_parser=parser)
    return parser


def _voice_profile(p: argparse.ArgumentParser) -> None:
    p.add_argument("--voice-profile", metavar="FILE",
                   help="your voice profile (default: voice.json in your user data folder)")


def _db(p: argparse.ArgumentParser, action: bool = False) -> None:
    """``--db``; on an ``action`` under a command that takes it too (``copilot sessions --db F delete``) it sets the
    file only when given there: argparse would otherwise put the action's unset default over the command's."""
    p.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS if action else None,
                   help="session database (default: sessions.db in your user data folder)")


def _range(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", metavar="DATE", help="only calls on or after this day (2026-01-31)")
    p.add_argument("--until", metavar="DATE", help="only calls on or before this day")


def _rules(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rules", metavar="FILE", help="rulebook TOML file (default: the bundled English one)")
    p.add_argument("--rules-only", action="store_true",
                   help="judge by the rulebook's patterns alone, without the model layer that also judges each "
                   "sentence by its meaning (docs/detector.md)")


def _cpu_budget(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cpu-budget", type=float, default=50.0, metavar="PERCENT",
                   help="share of one core the session may use beside the call; over it, partial guesses "
                   "come rarer (default 50)")


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print the numbers as JSON")


def _add_model_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="NAME|DIR",
                   help="Whisper model: tiny.en (bundled, the default), a size name such as small.en "
                   "(downloaded once), or a CTranslate2 model folder")
    _rules(p)
    p.add_argument("--threads", type=int, default=0,
                   help="CPU threads for speech to text (default: 1 live, beside the call; up to 4 for a recording)")


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def _lazy(target: str) -> Callable[[argparse.Namespace], int]:
    """A command ("module:function" in ``copilot.commands``) whose module is imported only when it runs."""

    def run(args: argparse.Namespace) -> int:
        module, name = target.split(":")
        return int(getattr(importlib.import_module(f"copilot.commands.{module}"), name)(args))

    return run
