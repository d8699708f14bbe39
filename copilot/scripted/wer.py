"""Word error rate: how far a transcript is from what was said, after normalising both.

Both sides are lower-cased, stripped of punctuation, and numbers written as digits are
spelled out ("400" -> "four hundred"), so Whisper's formatting choices do not count as
errors. The rate is (substitutions + deletions + insertions) / words said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["normalize", "word_errors", "wer"]

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_TOKEN = re.compile(r"[a-z0-9']+")


def _spell(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + _spell(n % 100))
    if n < 1_000_000:
        return _spell(n // 1000) + " thousand" + ("" if n % 1000 == 0 else " " + _spell(n % 1000))
    return str(n)


def normalize(text: str) -> list[str]:
    """The words of ``text`` as compared: lower case, no punctuation, numbers spelled out."""
    words: list[str] = []
    for tok in _TOKEN.findall(text.lower().replace("’", "'").replace(",", "")):
        tok = tok.strip("'")
        if tok.isdigit():
            words.extend(_spell(int(tok)).split())
        elif tok:
            words.append(tok)
    return words


def word_errors(reference: Iterable[str], hypothesis: Iterable[str]) -> int:
    """Edit distance in words between two word lists."""
    ref, hyp = list(reference), list(hypothesis)
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate of ``hypothesis`` against ``reference`` (0 = perfect)."""
    ref = normalize(reference)
    if not ref:
        return 0.0 if not normalize(hypothesis) else 1.0
    return word_errors(ref, normalize(hypothesis)) / len(ref)
