"""Mine real talk for the sentences the detector is most likely to get wrong, to be labelled by hand.

Reads a corpus of real talk (the formats of ``copilot bench false-alarms``: text one sentence
a line, Earnings-21/22 ``.nlp`` transcripts, folders of them), scores every sentence with the
detector's model head and its rules, and writes the candidates — every sentence the rules
flag, and the highest-scoring ones of the model — to a TSV with an empty ``label`` column,
shuffled and **without their scores**, so that whoever labels them writes each label before
seeing what the model thought. The labelled file then joins the training lines
(``tools/train_directive_head.py``).

    python tools/mine_real_talk.py CORPUS... --out candidates.tsv [--top 1200] [--skip labelled.tsv]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from copilot.bench.false_alarms import read_corpus  # noqa: E402
from copilot.core.phrases import PhraseDetector  # noqa: E402
from copilot.core.rulebook import Rulebook  # noqa: E402
from copilot.meaning.encoder import SentenceEncoder  # noqa: E402
from copilot.meaning.head import DirectiveModel  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--top", type=int, default=1200, help="the model's highest-scoring sentences to take")
    ap.add_argument("--skip", action="append", default=[], help="a labelled TSV whose sentences are not taken again")
    args = ap.parse_args()

    skip: set[str] = set()
    for path in args.skip:
        with open(path, encoding="utf-8") as f:
            skip |= {r["text"] for r in csv.DictReader(f, delimiter="\t")}
    seen: set[str] = set()
    sentences = []
    for s in read_corpus(args.corpus):
        words = len(s.text.split())
        if 3 <= words <= 30 and s.text not in seen and s.text not in skip:
            seen.add(s.text)
            sentences.append(s)
    head = DirectiveModel(SentenceEncoder(threads=0))
    p = np.array([v.probability for v in head.score([s.text for s in sentences])])
    rules = PhraseDetector(Rulebook.load())
    by_rules = {i for i, s in enumerate(sentences) if rules.detect(s.text).flagged}
    top = set(np.argsort(-p)[: args.top].tolist())
    chosen = sorted(by_rules | top)
    random.Random(25).shuffle(chosen)
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["label", "kind", "text", "source"])
        for i in chosen:
            w.writerow(["", "", sentences[i].text, sentences[i].source])
    print(f"{len(sentences)} sentences of 3-30 words; {len(chosen)} candidates ({len(by_rules)} flagged by the rules, "
          f"the model's top {args.top}; its score there >= {float(np.sort(p)[-args.top]):.2f}) written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
