"""Train the detector's model layer: a logistic-regression head on sentence embeddings.

Reads the team's labelled lines (``tests/data/directive_lines/lines.tsv`` and the
rulebook's development table ``tests/data/labelled_rep_lines.tsv``), embeds them with the
bundled sentence encoder, and fits a multinomial logistic regression (numpy, full-batch
gradient descent with L2, classes weighted to balance) over "not directive" and the five
directive categories. Every fifth line of ``lines.tsv`` (by position) is held back as the
development split, on which the threshold is chosen and the numbers are printed; the head
trained without it is written to ``assets/models/directive_head.npz`` (260 KB). The held-out file is never read.

Real talk (issue 25): the labelled sentences of ``tests/data/real_talk/*.tsv`` (mined from
public earnings calls by ``tools/mine_real_talk.py``, labelled by hand before any score was
seen) join the training lines — their directive ones for the "directive or not" head only,
since they carry no category, and call-mechanics instructions ("press star one") not at all.
Every line is also trained in the shape tiny.en may hand it (lower case, no punctuation).
With ``--calibrate CORPUS`` (real talk the mining never saw: the Earnings-22 files listed in
``tests/data/real_talk/README.md`` as the calibration split) the threshold is the lowest at
which both layers, as shipped, flag at most FALSE_ALARMS_PER_1000 of its sentences and the
development split's precision is at least PRECISION; without it, the highest recall at PRECISION.

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
# Real talk: at most this many sentences in 1,000 flagged by both layers, second check included
# (issue 25's bar is 5 on held-out real talk: a margin for talk unlike the calibration calls).
FALSE_ALARMS_PER_1000 = 3.5
# The labelled real talk weighs half the team's look-alikes in the "directive or not" head: at full
# weight it pulled the team's sales look-alikes towards "directive" (development precision 0.88
# against 0.91 at the same real-talk false alarms, measured once on the calibration split).
REAL_WEIGHT = 0.5
# "Directive or not" is an ensemble of small networks: on the development split they recalled 0.89 at
# precision 0.92 where the linear head recalled 0.81 at 0.91, at fewer real-talk false alarms (measured
# once, one network, on the calibration split); several seeds, averaged, steady the seed's swing.
NETWORKS = 5
HIDDEN = 64
NET_STEPS = 1500
NET_RATE = 0.05
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


def line_weights(y: np.ndarray, real: np.ndarray) -> np.ndarray:
    """Each line's weight in "directive or not": the real-talk lines weigh REAL_WEIGHT of the team's
    look-alikes in all, and the directive lines as much as all the others together."""
    pos = y > 0
    weight = np.ones(len(y))
    team_neg, real_neg = ~pos & ~real, ~pos & real
    if real_neg.any():
        weight[real_neg] = REAL_WEIGHT * team_neg.sum() / real_neg.sum()
    weight[pos] = weight[~pos].sum() / max(1, int(pos.sum()))
    return weight


def fit_heads(x: np.ndarray, y: np.ndarray, real: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two heads in one matrix: column 0 "directive or not", columns 1.. the category of a directive line
    (trained on the directive lines only). In the first, the real-talk lines (``real``) weigh REAL_WEIGHT of
    the team's look-alikes in all, and the directive lines as much as all the others together."""
    pos = y > 0
    wb, bb = fit(x, pos.astype(np.int64), 2, line_weights(y, real))
    d = (y > 0) & (y < len(CLASSES))  # a real-talk directive line (no category) trains the first head only
    wc, bc = fit(x[d], y[d] - 1, len(CLASSES) - 1)
    w = np.concatenate([(wb[:, 1] - wb[:, 0])[:, None], wc], axis=1)
    b = np.concatenate([[bb[1] - bb[0]], bc])
    return w.astype(np.float32), b.astype(np.float32)


def fit_network(x: np.ndarray, y: np.ndarray, weight: np.ndarray, seed: int) -> tuple[np.ndarray, ...]:
    """One network of the "directive or not" ensemble: HIDDEN ReLU units, a sigmoid out, weighted
    cross-entropy with L2, Adam, full batch; (w1, b1, w2, b2)."""
    rng = np.random.default_rng(seed)
    d = x.shape[1]
    params = [rng.normal(0, 1 / np.sqrt(d), (d, HIDDEN)), np.zeros(HIDDEN), rng.normal(0, 1 / np.sqrt(HIDDEN), HIDDEN),
              np.zeros(1)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    sw = weight / weight.mean() / len(y)
    for t in range(1, NET_STEPS + 1):
        w1, b1, w2, b2 = params
        h = np.maximum(x @ w1 + b1, 0)
        p = 1 / (1 + np.exp(-(h @ w2 + b2[0])))
        g = (p - y) * sw
        gh = np.outer(g, w2) * (h > 0)
        grads = [x.T @ gh + L2 * w1, gh.sum(axis=0), h.T @ g + L2 * w2, np.array([g.sum()])]
        for i, gr in enumerate(grads):
            m[i] = 0.9 * m[i] + 0.1 * gr
            v[i] = 0.999 * v[i] + 0.001 * gr * gr
            params[i] -= NET_RATE * (m[i] / (1 - 0.9**t)) / (np.sqrt(v[i] / (1 - 0.999**t)) + 1e-8)
    return tuple(params)


def fit_ensemble(x: np.ndarray, y: np.ndarray, real: np.ndarray) -> dict[str, np.ndarray]:
    """The networks of "directive or not", stacked as the head file keeps them."""
    nets = [fit_network(x, (y > 0).astype(np.float64), line_weights(y, real), seed) for seed in range(NETWORKS)]
    return {"hidden_w": np.stack([n[0] for n in nets]).astype(np.float32),
            "hidden_b": np.stack([n[1] for n in nets]).astype(np.float32),
            "out_w": np.stack([n[2] for n in nets]).astype(np.float32),
            "out_b": np.array([n[3][0] for n in nets], np.float32)}


def ensemble_prob(x: np.ndarray, nets: dict[str, np.ndarray]) -> np.ndarray:
    h = np.maximum(np.einsum("nd,kdh->knh", x, nets["hidden_w"]) + nets["hidden_b"][:, None, :], 0)
    z = np.einsum("knh,kh->kn", h, nets["out_w"]) + nets["out_b"][:, None]
    return (1 / (1 + np.exp(-z))).mean(axis=0)


def directive_prob(x: np.ndarray, w: np.ndarray, b: np.ndarray,
                   nets: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """P(directive) (the networks' mean, else the linear column 0), and the most likely category index
    (1-based) from the category head."""
    z = x @ w + b
    p = ensemble_prob(x, nets) if nets is not None else 1.0 / (1.0 + np.exp(-z[:, 0]))
    return p, z[:, 1:].argmax(axis=1) + 1


class Head:
    """A head being trained, in the shape the detector's model layer takes."""

    def __init__(self, enc: object, w: np.ndarray, b: np.ndarray, threshold: float,
                 nets: dict[str, np.ndarray] | None = None, rule_floor: float = 0.0) -> None:
        self.enc, self.w, self.b, self.threshold, self.nets = enc, w, b, threshold, nets
        self.rule_floor = rule_floor

    def score(self, sentences: list[str]) -> list[Verdict]:
        x = self.enc.encode(sentences).astype(np.float64)  # type: ignore[attr-defined]
        p, cat = directive_prob(x, self.w, self.b, self.nets)
        return [Verdict(CLASSES[c] if q >= self.threshold else None, float(q)) for q, c in zip(p, cat, strict=True)]


def _precision(flagged: np.ndarray, truth: np.ndarray) -> float:
    return float(np.sum(flagged & truth) / max(1, int(flagged.sum())))


def _recall(flagged: np.ndarray, truth: np.ndarray) -> float:
    return float(np.sum(flagged & truth) / max(1, int(truth.sum())))


def choose_rule_floor(enc: CachedEncoder, w: np.ndarray, b: np.ndarray, nets: dict[str, np.ndarray],
                      dev: list[tuple[int, str, str]], rules: PhraseDetector, talk: list[str]) -> float:
    """The second check's floor: the highest (steps of 0.05, at most MAX_RULE_FLOOR) under which no
    development-split directive line the rules catch with a "you …" pattern falls; printed with what it
    takes off real talk."""
    from copilot.core.phrases import sentence_at

    def caught(texts: list[str]) -> np.ndarray:
        sentences = [sentence_at(t, h.start) if (h := rules.detect(t).directive) and h.match.lower().startswith("you")
                     else "" for t in texts]
        kept = [s for s in sentences if s]
        return directive_prob(enc.encode(kept).astype(np.float64), w, b, nets)[0] if kept else np.zeros(0)

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
    nets = fit_ensemble(xt, yt, rt)
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
    rule_floor = choose_rule_floor(enc, w, b, nets, dev, rules, talk)
    best = None
    for step in range(50, 100):  # thresholds 0.50 to 0.99 in steps of 0.01 (every fifth printed)
        th = step / 100
        fused = PhraseDetector(Rulebook.load(), model=Head(enc, w, b, th, nets, rule_floor))
        flagged = np.array([fused.detect(t).flagged for _, _, t in dev])
        prec, rec = _precision(flagged, truth), _recall(flagged, truth)
        alarms = 1000 * sum(fused.detect(t).flagged for t in talk) / len(talk) if talk else 0.0
        if step % 5 == 0 or (talk and best is None and alarms <= FALSE_ALARMS_PER_1000 + 3):
            print(f"  rules + model, threshold {th:.2f}: precision {prec:.3f} recall {rec:.3f}"
                  + (f", real talk {alarms:.1f} flagged per 1,000" if talk else ""))
        if talk:
            if best is None and alarms <= FALSE_ALARMS_PER_1000 and prec >= PRECISION:
                best = (float(th), rec)
        elif prec >= PRECISION and (best is None or rec > best[1]):
            best = (float(th), rec)
    threshold = best[0] if best else 0.95
    goal = (f"the lowest at which real talk gets <= {FALSE_ALARMS_PER_1000} flags per 1,000 at precision >= "
            f"{PRECISION}" if talk else f"the highest recall at precision >= {PRECISION}")
    print(f"chosen threshold {threshold:.2f} ({goal}; dev recall {best[1] if best else 0:.3f})")
    # The head shipped is the one the threshold and the floor were chosen for (trained without the
    # development split): refitted on every line, its probabilities come out higher and the chosen
    # threshold no longer holds the false-alarm budget (4.8 flags per 1,000 where 3.4 were chosen).
    out = ROOT / "assets" / Path(*HEAD_FILE)
    np.savez(out, weights=w, bias=b, classes=np.array(CLASSES), threshold=np.float32(threshold),
             rule_floor=np.float32(rule_floor), **{k: v.astype(np.float16) for k, v in nets.items()})
    print(f"wrote {out.name} ({out.stat().st_size / 1e3:.0f} KB) from {len(yt)} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
