"""Build a session store of many calls of different shapes, to look at Progress (and time it).

    python tools/make_progress_store.py OUT.db --calls 30 --real REAL.db
    python tools/make_progress_store.py OUT.db --calls 1000 --rules-only

Running Whisper over hundreds of calls would take hours, so most calls are made from the
scripts of the team's calls (``tests/data/calls/*.truth.json``, the sample call): one or two
scripts back to back, coached by the real detector through the same ``Session`` a live call
or ``copilot analyze`` uses, and stored through the store's own API. Each call is a little
different, and the rep's habits change over the months (they talk less, pitch shorter, say
fewer directive phrases and hand the choice back more), so the charts have a trend to show:

- the rep's lines are stretched (they hold the floor longer) early on and less later;
- some of their directive lines are dropped (the scripts are dense with them), more as time goes
  on; some supportive lines and questions are added;
- the buyer's turns grow, and the rep waits longer before answering.

With ``--real`` the sessions of another store (calls really analysed with ``copilot
analyze`` or coached with ``copilot live --replay``; a mixed recording whose rep voice was
guessed among them) are copied in as they are, spread over the same months. One call is an
internal meeting the rep left out of Progress. Calls are marked live or analysed at random
(the real ones keep their own kind). The same ``--seed`` gives the same store.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from copilot.core.events import Segment, Speaker, SpeechSpan  # noqa: E402
from copilot.core.phrases import PhraseDetector  # noqa: E402
from copilot.core.session import Session  # noqa: E402
from copilot.scripted.hour import timed_sentences  # noqa: E402
from copilot.store.sqlite import SessionStore  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "tests" / "data" / "calls").glob("*_call.truth.json")) + [
    ROOT / "assets" / "samples" / "discovery_call.truth.json"]
NAMES = ["Acme – discovery", "Northwind follow-up", "Globex pricing call", "Initech demo", "Umbrella renewal",
         "Hooli intro", "Stark pilot review", "Wayne security questions", "Soylent payroll", "Vandelay hiring"]
SUPPORTIVE = ["It's your call.", "No pressure either way.", "Take your time with it.",
              "This may not be a fit, and that's okay.", "You know your team best."]
QUESTIONS = ["What matters most to you here?", "How are you handling that today?", "What would you change first?",
             "Who else should weigh in?", "What would make this worth your time?"]
LIVE_SOURCE = "Built-in Microphone + Monitor of Built-in Audio"
WORD_S = 0.36  # seconds a spoken word takes in the scripts' synthetic voices


def scripted_call(rng: random.Random, habit: float, detector: PhraseDetector) -> tuple[Session, list[SpeechSpan],
                                                                                           float, str]:
    """A call from one or two scripts, coached; ``habit`` 0 (the rep's old ways) to 1 (coached for months)."""
    picked = rng.sample(SCRIPTS, rng.choice([2, 3, 3, 4]))
    stretch_rep = 1.55 - 0.65 * habit + rng.uniform(-0.12, 0.12)
    stretch_buyer = 0.75 + 0.6 * habit + rng.uniform(-0.12, 0.12)
    wait = 0.6 + 1.2 * habit + rng.uniform(-0.2, 0.2)
    spans: list[SpeechSpan] = []
    segments: list[Segment] = []
    t = 0.0
    for path in picked:
        lines = json.loads(path.read_text(encoding="utf-8"))["lines"]
        previous: str | None = None
        for line in lines:
            who: Speaker = "rep" if line["speaker"] == "rep" else "prospect"
            text = str(line["text"])
            if who == "rep" and line.get("directive") and rng.random() < 0.3 + 0.6 * habit:
                continue  # a directive line the coached rep no longer says
            if who == "rep" and rng.random() < 0.08 + 0.3 * habit:
                text += " " + rng.choice(QUESTIONS)
            if who == "rep" and rng.random() < 0.04 + 0.22 * habit:
                text += " " + rng.choice(SUPPORTIVE)
            length = (float(line["end"]) - float(line["start"])) * (stretch_rep if who == "rep" else stretch_buyer)
            length += (len(text.split()) - len(str(line["text"]).split())) * WORD_S
            t += max(0.2, (wait if who == "rep" and previous == "prospect" else 0.6) * rng.uniform(0.7, 1.3))
            spans.append(SpeechSpan(who, t, t + length))
            segments += timed_sentences(who, text, t, t + length)
            t += length
            previous = who
    end = t + 1.0
    session = Session(detector)
    session.replay(spans, segments, end)
    return session, spans, end, picked[0].name.replace(".truth.json", ".opus")


def copy_session(source: SessionStore, sid: str, target: SessionStore, started: datetime) -> str:
    """A stored session copied whole into ``target``, started at ``started``."""
    s = source.load(sid)
    assert s.talk is not None, f"{sid} never finished"
    new = target.save_analysis(s.row.source, s.row.kind, s.row.model, s.row.duration_s, s.talk, s.spans, s.segments,
                               s.flags, s.prompts, s.voice_turns, s.rep_voice, s.rep_guessed, s.supportive,
                               hidden=s.hidden if s.hidden is not None else "off")
    target.db.execute("UPDATE sessions SET started = ?, name = ? WHERE id = ?",
                      (started.isoformat(timespec="seconds"), s.row.name, new))
    return new


def when(i: int, n: int, end: datetime, rng: random.Random) -> datetime:
    """Call ``i`` of ``n``: about one a working day back from ``end``, in working hours."""
    day = end - timedelta(days=round((n - 1 - i) * 1.4))
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day.replace(hour=rng.randint(8, 16), minute=rng.choice([0, 15, 30, 45]))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path, help="the store to write (a new file)")
    p.add_argument("--calls", type=int, default=30, help="how many calls in all (default 30)")
    p.add_argument("--real", type=Path, help="a store of really analysed or live sessions to copy in")
    p.add_argument("--rules-only", action="store_true", help="coach the scripted calls by the rules alone (fast)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    if args.out.exists():
        p.error(f"{args.out} exists; give a new file")
    from copilot.wiring import load_detector

    rng = random.Random(args.seed)
    detector = load_detector(None, meaning=not args.rules_only, mine=False)
    real: list[str] = []
    source = SessionStore(args.real) if args.real else None
    if source is not None:
        real = [r.id for r in sorted(source.sessions(), key=lambda r: r.started) if r.ended == "finished"]
    n = max(args.calls, len(real))
    # The real calls sit at even places through the months; the rest are scripted.
    real_at = {round((k + 0.5) * n / len(real)): sid for k, sid in enumerate(real)} if real else {}
    internal = n // 3 if n >= 6 else -1
    end = datetime(2026, 11, 27, tzinfo=timezone.utc)
    with SessionStore(args.out) as store:
        for i in range(n):
            started = when(i, n, end, rng)
            if source is not None and i in real_at:
                copy_session(source, real_at[i], store, started)
                continue
            habit = min(1.0, max(0.0, i / max(n - 1, 1) + rng.uniform(-0.15, 0.15)))
            session, spans, length, script = scripted_call(rng, habit, detector)
            live = rng.random() < 0.5
            # As a live session is stored (its id from its start, so a thousand made in a minute do not clash).
            sid = store.create_session(LIVE_SOURCE if live else script, "live" if live else "analyze", "tiny.en",
                                       started, hidden={})  # scripted lines: nothing to hide
            store.add(sid, spans=spans, segments=session.segments, flags=session.flags, prompts=session.prompts)
            store.finish_session(sid, length, session.talk_summary(), session.supportive)
            name = "Team pipeline review" if i == internal else rng.choice(NAMES) if rng.random() < 0.5 else ""
            store.rename(sid, name)
            if i == internal:
                store.set_excluded(sid, True)
        rows = store.sessions()
    if source is not None:
        source.close()
    kinds = {k: sum(r.kind == k for r in rows) for k in ("live", "analyze")}
    print(f"{args.out}: {len(rows)} calls ({kinds['live']} live, {kinds['analyze']} analysed, "
          f"{sum(r.rep_guessed for r in rows)} mixed and guessed, {sum(r.excluded for r in rows)} left out; "
          f"{len(real)} copied from {args.real})" if real else f"{args.out}: {len(rows)} calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
