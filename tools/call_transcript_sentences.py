"""Edited earnings-call transcripts as one sentence a line, for ``copilot bench false-alarms``.

    python tools/call_transcript_sentences.py TRANSCRIPT.txt... --out FOLDER

Reads transcripts in the layout of the ECTSum repository's Q3-2022 calls (a participants list, then
``PRESENTATION`` and ``QUESTIONS AND ANSWERS``; each turn a speaker's name on a line of its own,
their company and title on the next as ``Company - Title`` (none for the operator), then the words,
hard-wrapped; turns apart by a line holding one space). The participants list, the section
headings, the affiliation lines and ``(Operator Instructions)`` are dropped; each turn's lines are
joined (they are wrapped at spaces) and cut at . ? ! before a capital or a digit,
but not after "Mr.", "Inc.", "U.S." and the like. Each transcript goes to its own folder by the
md5 of its file name, so a call is in one split only: ``read/`` (the last hex digit even: may be
read while the code changes) or ``held/`` (odd: counted, not read). ``context/`` gets, for each
call, every sentence with its speaker and their role (``company``, ``analyst`` or ``operator``), to
label a flag from what was said around it.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_HEADINGS = {"CORPORATE PARTICIPANTS", "CONFERENCE CALL PARTICIPANTS", "PRESENTATION", "QUESTIONS AND ANSWERS"}
_CUT = re.compile(r"[.?!]+[\"')\]]?(?=\s+[\"'(]?[A-Z0-9])")
_NOT_AN_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Inc|Co|Corp|Ltd|St|Jr|Sr|vs|No|approx|etc|Cos|Bros)|\b[A-Z]"
    r"|\b(?:[A-Za-z]\.){1,3}[A-Za-z])\.$")
_AFFILIATION = re.compile(r"^.*\S - \S.*[^.?!]$")  # "Acme Corp. - CFO": a title after " - ", no sentence end
_ANALYST_WORDS = ("Research", "Analyst", "Securities", "Capital Markets")


@dataclass(frozen=True)
class Turn:
    """One speaker's turn: who (name and role) and their words as one line."""

    speaker: str
    role: str
    text: str


def split_of(name: str) -> str:
    """``read`` or ``held`` for a transcript's file name, fixed by its md5."""
    return "read" if int(hashlib.md5(name.encode("utf-8")).hexdigest()[-1], 16) % 2 == 0 else "held"


def sentences(text: str) -> list[str]:
    """A turn's words cut into sentences at its own . ? !, not after an abbreviation or an initial."""
    text = re.sub(r"\s+", " ", text.replace("(Operator Instructions)", " ")).strip()
    out: list[str] = []
    start = 0
    for m in _CUT.finditer(text):
        piece = text[start:m.end()]
        if _NOT_AN_END.search(piece.rstrip("\"')]")):
            continue
        out.append(piece.strip())
        start = m.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return [s for s in out if s]


def turns(raw: str) -> Iterator[Turn]:
    """The turns after the participants list."""
    lines = raw.splitlines()
    if "PRESENTATION" not in lines:
        return
    block: list[str] = []
    for line in lines[lines.index("PRESENTATION") + 1:] + [" "]:
        if not line.strip():
            if block:
                yield _turn(block)
            block = []
        elif line.strip() not in _HEADINGS:
            block.append(line.rstrip())


def _turn(block: list[str]) -> Turn:
    name, body = block[0].strip(), block[1:]
    role = "operator" if name == "Operator" else "analyst" if "Analyst" in name else "company"
    if name != "Operator" and body and _AFFILIATION.match(body[0]) and "--" not in body[0] and len(body[0]) < 160:
        role = "analyst" if any(w in body[0] for w in _ANALYST_WORDS) else "company"
        body = body[1:]
    return Turn(name, role, " ".join(line.strip() for line in body))  # the lines are wrapped at spaces


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("transcripts", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True, help="folder for read/, held/ and context/")
    args = ap.parse_args(argv)
    for sub in ("read", "held", "context"):
        (args.out / sub).mkdir(parents=True, exist_ok=True)
    counts = {"read": [0, 0], "held": [0, 0]}
    for path in sorted(args.transcripts):
        try:
            raw = path.read_text(encoding="utf-8", errors="replace")
        except OSError as e:
            print(f"{path}: cannot be read ({e.strerror or e})", file=sys.stderr)
            return 1
        said = [(t, s) for t in turns(raw) for s in sentences(t.text)]
        if not said:
            print(f"{path}: no PRESENTATION section; is it a call transcript in this layout?", file=sys.stderr)
            return 1
        stem = path.stem.replace(" ", "_").replace("&", "and")
        split = split_of(path.name)
        (args.out / split / f"{stem}.txt").write_text("".join(f"{s}\n" for _, s in said), encoding="utf-8")
        (args.out / "context" / f"{stem}.tsv").write_text(
            "".join(f"{i}\t{t.speaker}\t{t.role}\t{s}\n" for i, (t, s) in enumerate(said)), encoding="utf-8")
        counts[split][0] += 1
        counts[split][1] += len(said)
    for split, (calls, n) in counts.items():
        print(f"{split}: {calls} calls, {n:,} sentences")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
