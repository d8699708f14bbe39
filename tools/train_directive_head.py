"""Train the detector's model layer: a logistic-regression head on sentence embeddings.

Reads the team's labelled lines (``tests/data/directive_lines/lines.tsv`` and the
rulebook's development table ``tests/data/labelled_rep_lines.tsv``), embeds them with the
bundled sentence encoder, and fits a multinomial logistic regression (numpy, full-batch
gradient descent with L2, classes weighted to balance) over "not directive" and the five
directive categories. Every fifth line of ``lines.tsv`` (by position) is held back as the
development split, on which the threshold is chosen and the numbers are printed; then the
head is refitted on all lines and written to ``assets/models/directive_head.npz`` (a few
KB). The held-out file is never read.

Real talk (issue 25): the labelled sentences of ``tests/data/real_talk/*.tsv`` (mined from
public earnings calls by ``tools/mine_real_talk.py``, labelled by hand before any score was
seen) join the training lines — their directive ones for the "directive or not" head only,
since they carry no category, and call-mechanics instructions ("press star one") not at all.
Every line is also trained in the shape tiny.en may hand it (lower case, no punctuation).
With ``--calibrate CORPUS`` (real talk the mining never saw: the Earnings-22 files listed in
``tests/data/real_talk/README.md`` as the calibration split) the threshold is the lowest
whose model flags on that corpus stay within the false-alarm budget, and the development
split's precision is at least PRECISION; without it, the highest recall at PRECISION.

    python tools/train_directive_head.py [--calibrate CORPUS...]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from copilot.core.phrases import PhraseDetector, Verdict  # noqa: E402
from copilot.core.rulebook import Rulebook  # noqa: E402
from copilot.meaning.head import CLASSES, HEAD_FILE  # noqa: E402

DATA = ROOT / "tests" / "data"
L2 = 1e-3
STEPS = 3000
RATE = 2.0
# The threshold: the highest development-split recall at this precision (issue 18's bar is 0.92).
PRECISION = 0.93
# Real talk: at most this many sentences in 1,000 flagged by the model layer (issue 25's bar for
# both layers together is 5; the rules take some of it).
FALSE_ALARMS_PER_1000 = 2.0
# The labelled real talk weighs half the team's look-alikes in the "directive or not" head: at full
# weight it pulled the team's sales look-alikes towards "directive" (development precision 0.88
# against 0.91 at the same real-talk false alarms, measured once on the calibration split).
REAL_WEIGHT = 0.5
# The second check on the rulebook's hits: the highest floor (in steps of 0.05, at most this) that
# keeps every development-split directive line the rules catch.
MAX_RULE_FLOOR = 0.3


def read(path: Path) -> list[tuple[int, str, str]]:
    """(label, category, text) rows of a labelled TSV (comment lines start with #). A real-talk file's
    directive lines have no category ("?"); its instructions ("i") are left out."""
    rows = []
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    for r in csv.DictReader(lines, delimiter="\t"):
        if r["label"] == "i":
            continue
        rows.append((int(r["label"]), r.get("category") or "?", r["text"]))
    return rows


def spoken(text: str) -> str:
    """The line as tiny.en may hand it over: lower case, no punctuation."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text.lower())).strip()


class CachedEncoder:
    """The bundled encoder with each sentence embedded once (the threshold search re-reads them)."""

    def __init__(self) -> None:
        from copilot.meaning.encoder import SentenceEncoder

        self.enc = SentenceEncoder(threads=0)
        self.cache: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            self.cache.update(zip(todo, self.enc.encode(todo), strict=True))
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def fit(x: np.ndarray, y: np.ndarray, classes: int, weight: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weights (dim, classes) and biases of a multinomial logistic regression, class-balanced unless each
    line's ``weight`` is given."""
    n, d = x.shape
    if weight is None:
        counts = np.bincount(y, minlength=classes).astype(np.float64)
        weight = (n / (classes * np.maximum(counts, 1)))[y]
    w = np.zeros((d, classes))
    b = np.zeros(classes)
    onehot = np.eye(classes)[y]
    for _ in range(STEPS):
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * weight[:, None] / weight.sum()
        w -= RATE * (x.T @ g + L2 * w)
        b -= RATE * g.sum(axis=0)
    return w.astype(np.float32), b.astype(np.float32)


def fit_heads(x: np.ndarray, y: np.ndarray, real: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two heads in one matrix: column 0 "directive or not", columns 1.. the category of a directive line
    (trained on the directive lines only). In the first, the real-talk lines (``real``) weigh REAL_WEIGHT of
    the team's look-alikes in all, and the directive lines as much as all the others together."""
    pos = y > 0
    weight = np.ones(len(y))
    team_neg, real_neg = ~pos & ~real, ~pos & real
    if real_neg.any():
        weight[real_neg] = REAL_WEIGHT * team_neg.sum() / real_neg.sum()
    weight[pos] = weight[~pos].sum() / max(1, int(pos.sum()))
    wb, bb = fit(x, pos.astype(np.int64), 2, weight)
    d = (y > 0) & (y < len(CLASSES))  # a real-talk directive line (no category) trains the first head only
    wc, bc = fit(x[d], y[d] - 1, len(CLASSES) - 1)
    w = np.concatenate([(wb[:, 1] - wb[:, 0])[:, None], wc], axis=1)
    b = np.concatenate([[bb[1] - bb[0]], bc])
    return w.astype(np.float32), b.astype(np.float32)


def directive_prob(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(directive) from the binary head, and the most likely category index (1-based) from the other."""
    z = x @ w + b
    return 1.0 / (1.0 + np.exp(-z[:, 0])), z[:, 1:].argmax(axis=1) + 1


class Head:
    """A head being trained, in the shape the detector's model layer takes."""

    def __init__(self, enc: object, w: np.ndarray, b: np.ndarray, threshold: float) -> None:
        self.enc, self.w, self.b, self.threshold = enc, w, b, threshold

    def score(self, sentences: list[str]) -> list[Verdict]:
        p, cat = directive_prob(self.enc.encode(sentences).astype(np.float64), self.w, self.b)  # type: ignore[attr-defined]
        return [Verdict(CLASSES[c] if q >= self.threshold else None, float(q)) for q, c in zip(p, cat, strict=True)]


def _precision(flagged: np.ndarray, truth: np.ndarray) -> float:
    return float(np.sum(flagged & truth) / max(1, int(flagged.sum())))


def _recall(flagged: np.ndarray, truth: np.ndarray) -> float:
    return float(np.sum(flagged & truth) / max(1, int(truth.sum())))


def choose_rule_floor(enc: CachedEncoder, w: np.ndarray, b: np.ndarray, dev: list[tuple[int, str, str]],
                      rules: PhraseDetector, talk: list[str]) -> float:
    """The second check's floor: the highest (steps of 0.05, at most MAX_RULE_FLOOR) under which no
    development-split directive line the rules catch falls; printed with what it takes off real talk."""
    from copilot.core.phrases import sentence_at

    def caught(texts: list[str]) -> np.ndarray:
        sentences = [sentence_at(t, h.start) if (h := rules.detect(t).directive) else "" for t in texts]
        kept = [s for s in sentences if s]
        return directive_prob(enc.encode(kept).astype(np.float64), w, b)[0] if kept else np.zeros(0)

    directive = caught([t for label, _, t in dev if label])
    on_talk = caught(talk)
    floor = 0.0
    for step in range(1, int(MAX_RULE_FLOOR * 20) + 1):
        if (directive < step / 20).any():
            break
        floor = step / 20
    print(f"rule floor {floor:.2f}: keeps all {len(directive)} development directive lines the rules catch; "
          f"takes {int((on_talk < floor).sum())} of the rules' {len(on_talk)} flags off real talk")
    return floor


def main() -> int:
    ap = argparse.ArgumentParser(description="Train the detector's model head.")
    ap.add_argument("--calibrate", nargs="*", default=[], metavar="CORPUS",
                    help="real talk kept out of the mining, on which the threshold holds the false-alarm budget")
    args = ap.parse_args()

    lines = read(DATA / "directive_lines" / "lines.tsv")
    team = read(DATA / "labelled_rep_lines.tsv")
    real = [r for f in sorted((DATA / "real_talk").glob("*.tsv")) for r in read(f)]
    dev_idx = set(range(4, len(lines), 5))
    train = [r for i, r in enumerate(lines) if i not in dev_idx] + team + real
    dev = [r for i, r in enumerate(lines) if i in dev_idx]
    enc = CachedEncoder()

    real_texts = {t for _, _, t in real}

    def xy(rows: list[tuple[int, str, str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows = rows + [(label, c, spoken(t)) for label, c, t in rows if spoken(t) != t]
        x = enc.encode([t for _, _, t in rows]).astype(np.float64)
        y = np.array([(CLASSES.index(c) if c in CLASSES else len(CLASSES)) if label else 0 for label, c, _ in rows])
        is_real = np.array([t in real_texts or t in real_spoken for _, _, t in rows])
        return x, y, is_real

    real_spoken = {spoken(t) for t in real_texts}
    xt, yt, rt = xy(train)
    w, b = fit_heads(xt, yt, rt)
    rules = PhraseDetector(Rulebook.load())
    truth = np.array([label for label, _, _ in dev], dtype=bool)
    by_rules = np.array([rules.detect(t).flagged for _, _, t in dev])
    print(f"train {len(train)} lines ({len(real)} of real talk), dev split {len(dev)} lines "
          f"({int(truth.sum())} directive); rules alone: "
          f"precision {_precision(by_rules, truth):.3f} recall {_recall(by_rules, truth):.3f}")
    talk: list[str] = []
    if args.calibrate:
        from copilot.bench.false_alarms import read_corpus

        talk = [s.text for s in read_corpus(args.calibrate)]
        enc.encode([t for t in talk if 3 <= len(t.split()) <= 30])
        print(f"calibration: {len(talk)} sentences of real talk; rules alone flag "
              f"{1000 * sum(rules.detect(t).flagged for t in talk) / len(talk):.1f} per 1,000")
    best = None
    for step in range(50, 100):  # thresholds 0.50 to 0.99 in steps of 0.01 (every fifth printed)
        th = step / 100
        fused = PhraseDetector(Rulebook.load(), model=Head(enc, w, b, th))
        flagged = np.array([fused.detect(t).flagged for _, _, t in dev])
        prec, rec = _precision(flagged, truth), _recall(flagged, truth)
        alarms = 1000 * sum(fused.detect(t).flagged for t in talk) / len(talk) if talk else 0.0
        if step % 5 == 0 or (talk and best is None and alarms <= FALSE_ALARMS_PER_1000 + 3):
            print(f"  rules + model, threshold {th:.2f}: precision {prec:.3f} recall {rec:.3f}"
                  + (f", real talk {alarms:.1f} flagged per 1,000" if talk else ""))
        if talk:
            model_alarms = alarms - 1000 * sum(rules.detect(t).flagged for t in talk) / len(talk)
            if best is None and model_alarms <= FALSE_ALARMS_PER_1000 and prec >= PRECISION:
                best = (float(th), rec)
        elif prec >= PRECISION and (best is None or rec > best[1]):
            best = (float(th), rec)
    threshold = best[0] if best else 0.95
    goal = (f"the lowest whose model flags on real talk are <= {FALSE_ALARMS_PER_1000} per 1,000 at precision >= "
            f"{PRECISION}" if talk else f"the highest recall at precision >= {PRECISION}")
    print(f"chosen threshold {threshold:.2f} ({goal}; dev recall {best[1] if best else 0:.3f})")
    rule_floor = choose_rule_floor(enc, w, b, dev, rules, talk)
    xa, ya, ra = xy(train + dev)
    w, b = fit_heads(xa, ya, ra)
    out = ROOT / "assets" / Path(*HEAD_FILE)
    np.savez(out, weights=w, bias=b, classes=np.array(CLASSES), threshold=np.float32(threshold),
             rule_floor=np.float32(rule_floor))
    print(f"wrote {out.name} ({out.stat().st_size / 1e3:.0f} KB) from {len(ya)} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
