"""``copilot bench false-alarms CORPUS…``: how often the coach speaks up on real talk.

Real speech is mostly neutral — hand-overs, thanks, plans, numbers, stories — and a coach
that flags a few percent of it is wrong ten times a call. This runs the detector over a
corpus of real talk nobody here wrote and reports **flags per 1,000 sentences** and **per
hour of speech**, by layer (rules, model, example) and by category, for both layers and for
the rules alone, and writes every flagged sentence to a TSV for reading by hand.

A corpus is any mix of:

- plain text files, one sentence a line (``.txt``);
- transcripts in the ``.nlp`` format of the public Earnings-21/22 sets (one token a line,
  ``token|speaker|ts|endTs|punctuation|…``): split into sentences at the transcript's own
  full stops, question and exclamation marks, and at a change of speaker;
- folders holding such files.

A file that repeats a call already read is left out and named (the Earnings-22 folder keeps each call as
the reference and again force-aligned under another name, and ten calls again in a subset): a file more
than half of whose six-word runs are in files already read, or a quarter if a file of its name was read.

With ``--labels``, flags are also read against sentences labelled by hand (a TSV with a ``label``
column, ``1`` or ``i`` for a sentence that tells the listener what to do or think, ``0`` for one that
does not, and the sentence as ``text`` or as the ``sha1`` of its text, for corpora whose text may not
be kept): how many flags the labels call right, and how many no label covers.

With ``--as-heard``, each sentence the detector does not flag whole is also said word by word, as a
live session hears it in partial guesses: one a guess flags on the way ("To ask a question, you will
need to…" before "…press star one") gets its prompt shown live, though the call keeps no flag for it.

Sentences of fewer than three words ("Thank you.", "Okay.") are left out, as the model layer
leaves them. The hours are estimated from the words at 141 a minute — Earnings-22's own rate
(119 hours of recordings over its 1,008,545 words) — since text has no clock; the estimate is
said beside the number.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from copilot.core.phrases import PhraseDetector
from copilot.core.taught import normalised
from copilot.errors import UserError

__all__ = ["Sentence", "Corpus", "CorpusError", "read_corpus", "read_talk", "read_labels", "measure",
           "flagged_as_heard", "run", "WORDS_PER_MINUTE"]

WORDS_PER_MINUTE = 141.0
_MIN_WORDS = 3
_ENDS = (".", "?", "!")
_ALIGNED = re.compile(r"(?<![a-z])aligned")  # "force_aligned", "x.aligned.nlp"; not "unaligned"


@dataclass(frozen=True)
class Sentence:
    """One sentence of real talk, and where it came from (file and speaker)."""

    text: str
    source: str


class CorpusError(UserError, ValueError):
    """A corpus that cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Corpus:
    """The sentences of a corpus, and the files left out because they repeat a call already read (each by
    its path in the folder it was found in)."""

    sentences: list[Sentence]
    repeats: list[str]


def read_corpus(paths: Iterable[str | Path]) -> list[Sentence]:
    """Every sentence of three words or more in the given files and folders, in order, each call once."""
    return read_talk(paths).sentences


def read_talk(paths: Iterable[str | Path]) -> Corpus:
    """The corpus in the given files and folders: every sentence of three words or more, in order, each call
    once. A file is left out as a repeat when more than half of its runs of six words are in files already
    read (a copy, its punctuation redone), or a quarter when a file of its name was read (the same call written
    out again, without its ums: Earnings-22's ``nonverbatim`` subset). In a folder, shallower files are read
    first, and those whose path says ``aligned`` last."""
    files: list[tuple[Path, str]] = []  # each file, and how the report names it: its path in its folder
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = [f for f in p.rglob("*") if f.suffix in (".nlp", ".txt") and f.is_file()]
            if not found:
                raise CorpusError(f"{p}: holds no .txt or .nlp files")
            found.sort(key=lambda f: (_ALIGNED.search(str(f.relative_to(p)).lower()) is not None,
                                      len(f.relative_to(p).parts), str(f)))
            files.extend((f, str(f.relative_to(p))) for f in found)
        elif p.is_file():
            files.append((p, p.name))
        else:
            raise CorpusError(f"{p}: no such file or folder")
    out: list[Sentence] = []
    repeats: list[str] = []
    read: set[Path] = set()
    names: set[str] = set()
    seen: set[int] = set()
    for f, shown in files:
        if f.resolve() in read:
            continue  # the same file given twice (itself and its folder): read once, no copy to name
        read.add(f.resolve())
        sentences = [s for s in _read_file(f) if len(s.text.split()) >= _MIN_WORDS]
        runs = _runs(sentences)
        share = len(runs & seen) / len(runs) if runs else 0.0
        if share > 0.5 or (f.name in names and share >= 0.25):
            repeats.append(shown)
            continue
        names.add(f.name)
        seen |= runs
        out.extend(sentences)
    if not out:
        raise CorpusError("the corpus holds no sentence of three words or more")
    return Corpus(out, repeats)


def _runs(sentences: list[Sentence], n: int = 6) -> set[int]:
    """The runs of ``n`` words of a file's sentences (their words only, lower case), hashed; a file shorter
    than that is one run."""
    words = normalised(" ".join(s.text for s in sentences)).split()
    if len(words) < n:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i:i + n])) for i in range(len(words) - n + 1)}


def _read_file(path: Path) -> list[Sentence]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CorpusError(f"{path}: not a UTF-8 text file") from None
    except OSError as e:
        raise CorpusError(f"{path}: cannot be read ({e.strerror or e})") from None
    if path.suffix == ".nlp" or text.startswith("token|speaker|"):
        return _nlp_sentences(path, text)
    return [Sentence(line.strip(), path.name) for line in text.splitlines() if line.strip()]


def _nlp_sentences(path: Path, text: str) -> list[Sentence]:
    """Sentences of an ``.nlp`` transcript: tokens joined with their punctuation, cut at . ? ! and speakers."""
    lines = text.splitlines()
    header = lines[0].split("|") if lines else []
    if "token" not in header or "punctuation" not in header:
        raise CorpusError(f"{path}: not an .nlp transcript (its first line has no token and punctuation columns)")
    tok, spk, pun = header.index("token"), header.index("speaker"), header.index("punctuation")
    pre = header.index("prepunctuation") if "prepunctuation" in header else None
    out: list[Sentence] = []
    words: list[str] = []
    speaker = ""

    def close() -> None:
        if words:
            out.append(Sentence(" ".join(words), f"{path.name}#{speaker}"))
            words.clear()

    for n, line in enumerate(lines[1:], start=2):
        cols = line.split("|")
        if len(cols) < len(header):
            if not line.strip():
                continue
            raise CorpusError(f"{path}, line {n}: has {len(cols)} columns where the header names {len(header)}")
        if cols[spk] != speaker:
            close()
            speaker = cols[spk]
        word = (cols[pre] if pre is not None else "") + cols[tok] + cols[pun]
        words.append(word)
        if cols[pun].endswith(_ENDS):
            close()
    close()
    return out


def read_labels(path: str | Path) -> dict[str, bool]:
    """Hand labels by sentence (its text, or the sha1 of its text): True for one that tells the listener what to
    do or think (``1``, or ``i``: an instruction such as "press star one"), False for one that does not (``0``)."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t",
                                       quoting=csv.QUOTE_NONE))  # a sentence may hold a quote mark
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise CorpusError(f"{path}: the labels cannot be read ({getattr(e, 'strerror', None) or e})") from None
    if not rows or "label" not in rows[0] or not ({"text", "sha1"} & set(rows[0])):
        raise CorpusError(f"{path}: the labels need a 'label' column and a 'text' or 'sha1' column")
    out: dict[str, bool] = {}
    for row in rows:
        label = (row.get("label") or "").strip()
        if label not in ("0", "1", "i"):
            continue
        key = (row.get("sha1") or "").strip() or _sha1((row.get("text") or "").strip())
        out[key] = label != "0"
    return out


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _read_by_hand(lines: list[dict[str, str]], labels: dict[str, bool]) -> dict[str, int]:
    """How many flagged lines the hand labels call right, wrong, and how many they do not cover."""
    known = [labels.get(_sha1(line["text"].strip())) for line in lines]
    return {"right": sum(k is True for k in known), "wrong": sum(k is False for k in known),
            "not_labelled": sum(k is None for k in known)}


def flagged_as_heard(detector: PhraseDetector, text: str) -> str | None:
    """The phrase a live session would flag in ``text`` while it is still being said, if any: each
    partial guess word by word, judged as the session judges one (without its last word, which may
    still change, and with its unfinished sentence left to the rules)."""
    words = text.split()
    for n in range(1, len(words)):
        hits = [h for h in detector.hits(" ".join(words[:n]), partial=True) if h.kind == "directive"]
        if hits:
            return hits[0].match
    return None


def measure(sentences: list[Sentence], detector: PhraseDetector, as_heard: bool = False) -> dict[str, object]:
    """Flags per 1,000 sentences and per (estimated) hour, by layer and category, and the flagged lines.
    ``as_heard``: also the sentences not flagged whole that a live partial guess would flag on the way
    (their prompt is shown; the final takes the flag back from what the call keeps)."""
    detector.prime([s.text for s in sentences])  # the model layer, if on, scores in batches
    flagged: list[dict[str, str]] = []
    heard: list[dict[str, str]] = []
    for s in sentences:
        hit = detector.detect(s.text).directive
        if hit is not None:
            flagged.append({"layer": hit.layer, "category": hit.category, "match": hit.match,
                            "text": s.text, "source": s.source})
        elif as_heard and (match := flagged_as_heard(detector, s.text)) is not None:
            heard.append({"layer": "partial", "category": "", "match": match, "text": s.text, "source": s.source})
    words = sum(len(s.text.split()) for s in sentences)
    hours = words / WORDS_PER_MINUTE / 60
    n = len(sentences)
    return {
        "sentences": n,
        "words": words,
        "hours_estimated": hours,
        "flagged": len(flagged),
        "per_1000_sentences": 1000 * len(flagged) / n,
        "per_hour": len(flagged) / hours if hours else 0.0,
        "by_layer": dict(Counter(f["layer"] for f in flagged).most_common()),
        "by_category": dict(Counter(f["category"] for f in flagged).most_common()),
        "lines": flagged,
        **({"as_heard": {"flagged": len(heard), "per_1000_sentences": 1000 * len(heard) / n}, "heard_lines": heard}
           if as_heard else {}),
    }


def run(paths: list[str], detectors: dict[str, PhraseDetector], out: str | None = None,
        as_json: bool = False, labels: Sequence[str] = (), as_heard: bool = False) -> int:
    """Print the false-alarm numbers of each detector (``{"both layers": …, "rules only": …}``) on the corpus,
    and write the flagged sentences to ``out`` (TSV: detector, layer, category, match, text, source); with
    ``labels`` (files :func:`read_labels` reads; a later file's label wins for a sentence in two), also how
    many flags hand labels call right; with ``as_heard``, also the sentences only a live partial guess flags
    (layer ``partial`` in the TSV)."""
    hand = {k: v for path in labels for k, v in read_labels(path).items()} if labels else None
    corpus = read_talk(paths)
    sentences = corpus.sentences
    results = {name: measure(sentences, d, as_heard) for name, d in detectors.items()}
    for r in results.values():
        r["repeats_left_out"] = corpus.repeats
    if hand is not None:
        for r in results.values():
            r["read_by_hand"] = _read_by_hand(r["lines"], hand)  # type: ignore[arg-type]
    if out:
        try:
            with open(out, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, delimiter="\t", lineterminator="\n")
                w.writerow(["detector", "layer", "category", "match", "text", "source"])
                for name, r in results.items():
                    for line in [*r["lines"], *r.get("heard_lines", [])]:  # type: ignore[misc]
                        w.writerow([name, *(line[k] for k in ("layer", "category", "match", "text", "source"))])
        except OSError as e:
            raise CorpusError(f"{out}: cannot be written ({e.strerror or e})") from None
    if as_json:
        print(json.dumps({k: {kk: vv for kk, vv in r.items() if kk not in ("lines", "heard_lines")}
                          for k, r in results.items()},
                         indent=2))
        return 0
    first = next(iter(results.values()))
    print(f"copilot bench false-alarms: {first['sentences']:,} sentences of 3 words or more, "
          f"{first['words']:,} words (about {first['hours_estimated']:.1f} h of speech at "
          f"{WORDS_PER_MINUTE:.0f} words a minute)")
    if corpus.repeats:
        names = ", ".join(corpus.repeats[:3]) + (", …" if len(corpus.repeats) > 3 else "")
        print(f"  left out {len(corpus.repeats)} file(s) that repeat a call already read ({names})")
    for name, r in results.items():
        rate = r["per_1000_sentences"]
        assert isinstance(rate, float)
        print(f"  {name:<12} {r['flagged']:>5} flagged = {rate:5.1f} per 1,000 sentences "
              f"({rate / 10:.2f}%), {r['per_hour']:5.1f} per hour of speech "
              "(bar: <= 5 per 1,000)")
        print(f"  {'':<12} by layer: {_counts(r['by_layer'])}")
        print(f"  {'':<12} by category: {_counts(r['by_category'])}")
        if "as_heard" in r:
            a = r["as_heard"]
            assert isinstance(a, dict)
            print(f"  {'':<12} as heard live: {a['flagged']} more flagged by a partial guess on the way "
                  f"({a['per_1000_sentences']:.1f} per 1,000; a prompt is shown, the whole sentence takes "
                  "the flag back)")
        if "read_by_hand" in r:
            h = r["read_by_hand"]
            assert isinstance(h, dict)
            labelled = h["right"] + h["wrong"]
            share = f"{100 * h['right'] / labelled:.0f}%" if labelled else "-"
            print(f"  {'':<12} read by hand: {h['right']} of {labelled} labelled flags tell the listener what to do "
                  f"or think ({share}; bar: >= 60%), {h['not_labelled']} not labelled")
    if out:
        print(f"  flagged sentences written to {out}")
    return 0


def _counts(counts: object) -> str:
    assert isinstance(counts, dict)
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"
