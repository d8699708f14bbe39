"""The short human summary ``copilot analyze`` prints after a call."""

from __future__ import annotations

from copilot.core.events import Monologue
from copilot.core.facts import ideal_ratio
from copilot.core.redact import hidden_sentence
from copilot.core.scorecard import clock
from copilot.pipeline.offline import Analysis

__all__ = ["summary", "clock"]


def summary(a: Analysis) -> str:
    """What a rep wants to know after the call, in a dozen lines."""
    talk = a.session.talk_summary()
    share = talk.rep_share
    rep_pct = round(share * 100)
    head = f"{a.source} · {clock(a.duration_s)} · model {a.model}"
    lines = [
        head + (f" · session {a.session_id}" if a.session_id else ""),
        "",
        f"  Talk share              you {rep_pct}% : prospect {100 - rep_pct}%   "
        f"(best-converting calls: {ideal_ratio()})",
        f"  Your longest monologue  {_monologue(_longest(a, 'rep'))}",
        f"  Longest prospect story  {_monologue(_longest(a, 'prospect'))}",
        f"  Patience                {talk.patience_s:.1f} s of silence before you answered"
        if talk.both_spoke
        else "  Patience                - (only one side spoke: no answer to time)",
        f"  Questions you asked     {talk.rep_questions}",
        f"  Interruptions           {talk.interruptions}",
    ]
    if a.voices is not None:
        lines[2] += "   (a guess: see below)" if a.voices.guess else ""
        lines += _voices(a)
    if not talk.rep_s and not talk.prospect_s:
        lines.append("  No speech was found on either side of this recording.")
    if a.echo is not None and a.echo.found:
        lines.append(f"  Speaker echo            removed, -{a.echo.reduction_db:.0f} dB "
                     "(your microphone heard the buyer through your speakers)")
    flags = a.flags
    if a.hidden:
        lines.append(f"  Hidden                  {hidden_sentence(a.hidden)}")
    lines.append("")
    if flags:
        lines.append(f"  Where you took the wheel ({len(flags)}):")
        for f in flags:
            lines.append(f"    {clock(f.start):>6}  {f.category.replace('_', ' ')}: \"{f.match}\"")
            lines.append(f"            you could say: \"{f.prompt}\"")
    else:
        lines.append("  No directive phrasing found: you left the buyer in charge.")
    if a.answers:
        lines += ["", f"  Advice the buyer asked for, not counted ({len(a.answers)}):"]
        for answer in a.answers:
            f = answer.flag
            when = f", after the buyer asked at {clock(answer.asked_at)}" if answer.asked_at is not None else ""
            lines.append(f"    {clock(f.start):>6}  {f.category.replace('_', ' ')}: \"{f.match}\"{when}")
    return "\n".join(lines)


def _longest(a: Analysis, speaker: str) -> Monologue | None:
    ms = [m for m in a.session.tracker.monologues() if m.speaker == speaker]
    return max(ms, key=lambda m: m.duration, default=None)


def _monologue(m: Monologue | None) -> str:
    return "none" if m is None else f"{m.duration:.0f} s, from {clock(m.start)}"


def _voices(a: Analysis) -> list[str]:
    """A mixed recording: how it was split, each voice, and how the rep's voice was found."""
    vs = a.voices
    assert vs is not None
    where = "both channels carry the same sound" if vs.dual_mono else "one track"
    if not vs.voices:
        return [f"  Mixed recording         {where}: no speech, so no voices to tell apart"]
    out = [f"  Mixed recording         {where}: told apart by voice, {len(vs.voices)} "
           f"voice{'s' if len(vs.voices) != 1 else ''}"
           + (" (estimated; --voices N if there were more or fewer)" if vs.estimated else "")]
    for v in vs.voices:
        you = " (you)" if v.number == vs.rep else ""
        first = f'  "{v.first_words[0][:60]}"' if v.first_words else ""
        out.append(f"    voice {v.number}{you:<6} {v.share:4.0%} of the talk{first}")
    rep = next((v for v in vs.voices if v.number == vs.rep), None)
    sim = f" (similarity {rep.similarity:.2f})" if rep is not None and rep.similarity is not None else ""
    said = {"voice sample": f"matched the voice sample you gave{sim}",
            "voice profile": f"matched your voice profile{sim}",
            "--rep-speaker": "as you said with --rep-speaker",
            "you said so": "as you said",
            "you said so before": "as you said of this recording before (--rep-speaker N picks another)"}
    if vs.guess:
        best = max((v.similarity for v in vs.voices if v.similarity is not None), default=None)
        why = (f"your voice sample or profile matched no voice well (best {best:.2f}); " if best is not None else "")
        out.append(f"  Which one is you?       a guess: {why}voice {vs.rep}, the first heard, was taken as you.")
        out.append("                          If you are another voice: --rep-speaker N, or --rep-voice FILE "
                   "(you alone).")
    else:
        out.append(f"  You are voice {vs.rep}          {said.get(vs.how, vs.how)}")
    if len(vs.voices) > 2:
        out.append("  Everyone but you counts as the buyer's side.")
    return out
