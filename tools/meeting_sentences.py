"""Real meeting talk as one sentence a line, for ``copilot bench false-alarms``.

    python tools/meeting_sentences.py MEETING.json... --out sentences.txt [--sources sources.tsv]

Reads meetings in the QMSum layout (a JSON object whose ``meeting_transcripts`` is a list of
``{"speaker", "content"}`` turns); its ``data/Product`` meetings are the AMI Meeting Corpus (CC BY
4.0), small design teams talking freely, ``data/Academic`` the ICSI research meetings (CC BY 4.0;
tokenised, "that 's", joined here) and ``data/Committee`` parliamentary committee hearings. The
transcripts' markup (``{vocalsound}``, ``{disfmarker}``, ``{gap}``: any ``{…}``) is dropped,
spelled-out acronyms are joined (``T_V_`` → ``TV``), and each turn is cut at its own . ? ! (not at
the point of "2.5") into sentences of three words or more. A meeting
found twice (QMSum lists each in ``all`` and in one split) is read once, by file name.
``--sources`` writes, for each sentence line, its meeting and speaker (to read a flag in context).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

_MARKUP = re.compile(r"\{[^}]*\}")
_ACRONYM = re.compile(r"\b((?:[A-Za-z]_)+)")
_SENTENCE = re.compile(r"(?:[^.?!]|(?<=\d)\.(?=\d))+[.?!]*")  # "2.5 billion" is not cut at its point
_CONTRACTION = re.compile(r"(\w) (n't|'s|'re|'ll|'ve|'d|'m)\b")  # the ICSI meetings are tokenised: "that 's"
_WORD = re.compile(r"[A-Za-z0-9]")


def cleaned(turn: str) -> str:
    """A turn's words without the transcribers' markup, acronyms joined, no space before punctuation."""
    text = _MARKUP.sub(" ", turn)
    text = _ACRONYM.sub(lambda m: m.group(1).replace("_", ""), text)
    text = re.sub(r"\s+", " ", text).strip()
    text = _CONTRACTION.sub(r"\1\2", text)
    return re.sub(r" ([.,?!;:])", r"\1", text)


def sentences(turn: str) -> Iterator[str]:
    """The sentences of one turn that have three words or more."""
    for part in _SENTENCE.findall(cleaned(turn)):
        s = part.strip().strip(",").strip()
        if sum(1 for w in s.split() if _WORD.search(w)) >= 3:
            yield s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("meetings", nargs="+", type=Path, help="QMSum meeting JSON files")
    ap.add_argument("--out", type=Path, required=True, help="the sentences, one a line")
    ap.add_argument("--sources", type=Path, help="line, meeting, speaker and sentence of each line (TSV)")
    args = ap.parse_args(argv)
    by_name = {p.name: p for p in sorted(args.meetings, reverse=True)}
    line = 0
    sources: list[str] | None = [] if args.sources else None
    with args.out.open("w", encoding="utf-8") as out:
        for name in sorted(by_name):
            try:
                turns = json.loads(by_name[name].read_text(encoding="utf-8"))["meeting_transcripts"]
            except (OSError, ValueError, KeyError, TypeError) as e:
                print(f"{by_name[name]}: not a QMSum meeting ({e}).", file=sys.stderr)
                return 2
            for turn in turns:
                for s in sentences(str(turn.get("content", ""))):
                    line += 1
                    out.write(s + "\n")
                    if sources is not None:
                        sources.append(f"{line}\t{Path(name).stem}\t{turn.get('speaker', '')}\t{s}")
    if args.sources and sources is not None:
        args.sources.write_text("line\tmeeting\tspeaker\tsentence\n" + "\n".join(sources) + "\n", encoding="utf-8")
    print(f"{len(by_name)} meetings, {line} sentences written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
