"""Make a session store of many calls of different shapes, for measuring and looking at what spans calls.

    python tools/make_store.py OUT.db [--calls 1000] [--days 365] [--seed 1]

Each call is a conversation written on the audio clock (turns of rep and buyer, each a few
utterances with their pauses, now and then one cutting in), its lines drawn from a small
pool of rep and buyer lines: mostly neutral, some questions, now and then a directive phrase
or a hand-back ("it's your call"). The call is then coached by the real core (``Session``
with the bundled rulebook's patterns: talk numbers, flags, prompts) and saved through the
real ``SessionStore``, as ``copilot analyze`` saves one. Shapes vary: 5 to 60 minutes, the
rep's share from about 30% to 85% (drifting down over the months, as a coached rep's
would), live and analysed sessions, some named, a few mixed recordings whose rep voice was
guessed. No audio and no speech model: a thousand calls take about a minute.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from copilot.core.events import Segment, Speaker, SpeechSpan  # noqa: E402
from copilot.core.phrases import PhraseDetector  # noqa: E402
from copilot.core.rulebook import Rulebook  # noqa: E402
from copilot.core.session import Session  # noqa: E402
from copilot.store.sqlite import SessionStore  # noqa: E402

REP_NEUTRAL = (
    "Thanks for making the time today.", "Let me share my screen for a second.",
    "We built the reporting piece last spring.", "That makes a lot of sense.", "Got it, thank you.",
    "I can send the pricing sheet after the call.", "Our support team is based in Lisbon.",
    "The integration takes about two weeks on average.", "I hear you on the budget side.",
    "So the main issue is the manual export every Friday.", "Right, the finance team owns that today.",
)
REP_QUESTIONS = (
    "What does a good quarter look like for your team?", "How are you handling that today?",
    "Who else would want a say in this?", "What would change if this worked?", "Where does it hurt most?",
    "What have you tried so far?",
)
REP_DIRECTIVE = (
    "The next step is a pilot with your whole team.", "What makes sense here is to start next week.",
    "You should get your manager on the next call.", "Other clients in your position signed up for the annual plan.",
    "You need to decide before the end of the month.",
)
REP_SUPPORTIVE = ("It's your call.", "Whatever works best for you.", "Totally up to you.")
BUYER = (
    "We have been looking at a couple of options.", "Honestly the export is a pain every week.",
    "I'd have to check with finance on that.", "We tried something similar two years ago.",
    "The team is small, five people.", "That's interesting.", "Yeah.", "It depends on the timing.",
    "Our year ends in March, so budgets are tight.", "Can you say more about the reporting?",
    "I'm not sure we need all of that.", "Let me think about it.",
)
NAMES = ("Acme discovery", "Globex follow-up", "Initech demo", "Umbrella pricing", "Hooli renewal", "Vandelay intro")


def conversation(rng: random.Random, minutes: float, rep_share: float) -> tuple[list[SpeechSpan], list[Segment]]:
    """Turns of rep and buyer for ``minutes``, the rep talking about ``rep_share`` of the time."""
    spans: list[SpeechSpan] = []
    segments: list[Segment] = []
    t = rng.uniform(0.5, 3.0)
    end = minutes * 60.0
    buyer_turn = 12.0
    rep_turn = buyer_turn * rep_share / max(0.05, 1.0 - rep_share)
    speaker: Speaker = "rep"
    while t < end:
        length = rng.expovariate(1.0 / (rep_turn if speaker == "rep" else buyer_turn))
        turn_end = min(end, t + max(1.0, length))
        while t < turn_end:
            line = _line(rng, speaker)
            said = min(turn_end - t, max(0.8, len(line.split()) * rng.uniform(0.3, 0.45)))
            spans.append(SpeechSpan(speaker, round(t, 3), round(t + said, 3)))
            segments.append(Segment(speaker, round(t, 3), round(t + said, 3), line, True))
            t += said + rng.uniform(0.15, 0.7)
        speaker = "prospect" if speaker == "rep" else "rep"
        # Now and then one cuts in before the other has finished; mostly a pause to answer.
        t = max(0.0, t - rng.uniform(0.8, 1.6)) if rng.random() < 0.08 else t + rng.uniform(0.2, 1.8)
    return spans, segments


def _line(rng: random.Random, speaker: Speaker) -> str:
    if speaker == "prospect":
        return rng.choice(BUYER)
    r = rng.random()
    pool = REP_DIRECTIVE if r < 0.015 else REP_SUPPORTIVE if r < 0.03 else REP_QUESTIONS if r < 0.09 else REP_NEUTRAL
    return rng.choice(pool)


def make_store(path: Path, calls: int, days: int, seed: int) -> list[str]:
    """Write ``calls`` calls spread over the ``days`` before today into ``path``; returns their ids."""
    rng = random.Random(seed)
    detector = PhraseDetector(Rulebook.load())
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    ids = []
    with SessionStore(path) as store:
        for i in range(calls):
            progress = i / max(1, calls - 1)
            day = today - timedelta(days=1 + round(days * (1.0 - progress)))  # the last one yesterday
            started = day + timedelta(hours=rng.uniform(13.0, 21.0))  # a working day in Europe or the Americas
            minutes = rng.choice((5.0, 15.0, 30.0, 30.0, 45.0, 60.0)) * rng.uniform(0.8, 1.1)
            share = min(0.88, max(0.25, rng.gauss(0.68 - 0.2 * progress, 0.1)))
            spans, segments = conversation(rng, minutes, share)
            duration = max(s.end for s in spans) + rng.uniform(0.5, 3.0)
            session = Session(detector)
            session.replay(spans, segments, duration)
            kind = "live" if rng.random() < 0.4 else "analyze"
            mixed = kind == "analyze" and rng.random() < 0.05
            voice_turns = [(1 if s.speaker == "rep" else 2, s.start, s.end) for s in spans] if mixed else []
            source = "microphone + call audio" if kind == "live" else f"call-{i + 1:04d}.{'m4a' if mixed else 'wav'}"
            sid = store.save_analysis(source, kind, "tiny.en", duration, session.talk_summary(), spans,
                                      session.segments, session.flags, session.prompts, voice_turns,
                                      rep_voice=1 if mixed else 0, rep_guessed=mixed, started=started,
                                      hidden={})  # scripted lines: nothing to hide
            if rng.random() < 0.15:
                store.rename(sid, rng.choice(NAMES))
            ids.append(sid)
    return ids


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path, help="the session database to write (made if missing; calls are added)")
    p.add_argument("--calls", type=int, default=30, help="how many calls (default 30)")
    p.add_argument("--days", type=int, default=365, help="spread over this many days before today (default 365)")
    p.add_argument("--seed", type=int, default=1, help="the same seed makes the same calls (default 1)")
    a = p.parse_args(argv)
    ids = make_store(a.out, a.calls, a.days, a.seed)
    print(f"{len(ids)} calls written to {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
