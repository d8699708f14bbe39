"""Spot directive phrasing ("the next step is…", "you should…") in what the rep says.

The detector runs the rulebook's patterns and then its guards, so that what only looks
directive is not flagged: negation ("I don't think you need to"), choice handed back as a
question ("What makes sense for you?"), advice offered with permission, autonomy language
("…if you'd like"), and reflections of what the buyer said ("So you're saying you need
to…"). Autonomy-supportive phrasing is found too, as its own positive category. Beside the
rulebook's patterns, a model judges whole sentences by their meaning; how a sentence speaks to
the listener (``copilot.core.listener``) sets how sure it must be.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import regex  # partial matching (what a sentence still being said may yet become): re has none

from copilot.core.listener import Listener
from copilot.core.rulebook import (
    Category,
    Rulebook,
    any_at_word_start,
    any_of,
    expand,
    lowercase_pattern,
    partial_matcher,
)
from copilot.core.sentences import lowered, sentence_at, sentence_bounds, sentences
from copilot.core.taught import NotExamples
from copilot.core.wordmatch import WordStartMatcher

__all__ = ["Hit", "Detection", "PhraseDetector", "SentenceScorer", "Verdict", "sentence_at"]

_CLAUSE_BREAK = re.compile(r"[,;:\u2014\u2013]|\s-\s|\bbut\b|\bthough\b", re.IGNORECASE)
_NEGATION_WINDOW_WORDS = 5
# The model judges sentences of 3 to 30 words: the longest it was trained on has 29. A longer
# "sentence" is a live transcript's run-on with no full stop in it, which the model reads as
# badly as it was never shown one; the rules still judge every word of it.
_MODEL_WORDS = range(3, 31)
_RUN_ON_BEFORE, _RUN_ON_AFTER = 12, 15  # the words around a pattern's hit in a run-on that the second check reads
# A pattern's hit the model doubts on a live partial's last words waits for this many more words at most
# before the session stops hurrying its next partial for it (awaits_words).
_AWAITED_WORDS = 3
_PUNCT = (",", ".", ";", ":", "!", "?")
_NEGATION_REACH = 60  # characters before a match that can hold its negation
_EXCEPTION_REACH = 80  # characters around a match that an exception may span
# A "you" whose obligation or wish a hit right after it carries out ("you need to make sure you…").
_YOU_BEFORE = re.compile(r"\byou(?:'ve|'ll|'d)?(?:\s+(?:really|just|also|still|always|all|guys))*"
                         r"\s+(?:(?:want|need|have|got|ought)\s+to|gotta|wanna|should|must)\s+$", re.IGNORECASE)
_YOU_BEFORE_REACH = 40
# "What would you need to see…", "Do you have to…": a question by its word order, with or
# without its "?" (a live partial has none yet, and tiny.en often leaves it out).
_ASKING_ORDER = re.compile(r"\b(do|does|did|would|could|will|can|should|might|may|shall)\s+$")


@dataclass(frozen=True)
class Verdict:
    """The model layer's word on one sentence: its directive category (None: not directive), how sure,
    and why ("model", or 'example: "…"' when it resembles a line the rulebook taught)."""

    category: str | None
    probability: float
    why: str = "model"


class SentenceScorer(Protocol):
    """The model layer, as the core sees it: sentences in, one verdict each out. A scorer may also
    carry ``rule_floor``: a pattern's hit stands only in a sentence it finds at least that likely
    to be directive (the second check that keeps "when you build a plant, you have to hire
    engineers" from being flagged as advice), and ``unaddressed_threshold``: a sentence that does not
    speak to the listener (the rulebook's ``addressed`` guard) is flagged only at that probability, and one that only
    names the listener ("your team") at ``named_threshold``. A scorer whose ``flags_by_example`` is true may
    flag a sentence for resembling an example, whatever its words; one without is not asked about a sentence
    the listener checks could never let it flag."""

    def score(self, sentences: Sequence[str]) -> list[Verdict]:
        """One verdict per sentence."""
        ...


@dataclass(frozen=True)
class Hit:
    """One phrase found in a text: where, which category, and the lines offered instead."""

    category: str
    kind: str
    match: str
    start: int
    end: int
    prompts: tuple[str, ...]
    layer: str = "rules"  # "rules": a rulebook pattern; "model" or "example": the meaning of the whole sentence
    why: str = ""  # what fired: the pattern, 'example: "…"', or "model"

    @property
    def prompt(self) -> str | None:
        """The first line the rep could say instead (None for supportive phrasing)."""
        return self.prompts[0] if self.prompts else None


@dataclass(frozen=True)
class Detection:
    """The verdict on one utterance: its first directive hit and first supportive hit."""

    text: str
    directive: Hit | None
    supportive: Hit | None
    cleared: str | None = None  # nothing flagged because of a not-example: which ('your not-example: "…"')

    @property
    def flagged(self) -> bool:
        """True when the utterance takes the wheel from the buyer."""
        return self.directive is not None

    def as_json(self, layer: bool = False) -> dict[str, object]:
        """The `copilot detect` line for this utterance (with ``layer``: which layer flagged it)."""
        d = self.directive
        out: dict[str, object] = {
            "text": self.text,
            "flagged": d is not None,
            "category": d.category if d else None,
            "match": d.match if d else None,
            "prompt": d.prompt if d else None,
            "supportive": self.supportive.match if self.supportive else None,
        }
        if layer:
            out["layer"] = d.layer if d else "example" if self.cleared else None
            out["why"] = d.why if d else self.cleared
        return out


class PhraseDetector:
    """Finds directive and autonomy-supportive phrasing in one utterance at a time.

    Speed matters (10,000 utterances in well under 2 s on one core): the text is lower-cased
    once, and patterns are only tried at word starts, indexed by first letter.
    """

    def __init__(self, rulebook: Rulebook, model: SentenceScorer | None = None) -> None:
        self.rulebook = rulebook
        # The model layer: sentences the rules did not flag are judged by their meaning; the
        # guards still veto, and the category (so the prompt) comes from the model's verdict.
        self.model = model
        self._not_examples = NotExamples(rulebook, model)  # a sentence taught as not directive escapes the patterns
        self._scores: dict[str, Verdict] = {}  # sentence -> verdict (partials repeat)
        self._categories: dict[str, Category] = {}
        self._exceptions: dict[str, re.Pattern[str] | None] = {}
        self._growing_exceptions: dict[str, regex.Pattern[str] | None] = {}  # compiled when first asked for
        # Each category's patterns, compiled once, to say which one fired (a flag's "why").
        self._explained: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        groups: dict[str, list[tuple[str, list[str]]]] = {"directive": [], "supportive": []}
        for i, c in enumerate(rulebook.categories):
            group = f"c{i}"
            self._categories[group] = c
            regexes = [expand(lowercase_pattern(p), left=False) for p in c.patterns]
            if regexes:  # a category may be taught by examples alone (the model layer's)
                groups[c.kind].append((group, regexes))
            self._explained[group] = [(p, re.compile(rx)) for p, rx in zip(c.patterns, regexes, strict=True)]
            self._exceptions[group] = any_of(c.exceptions)
        self._directive = WordStartMatcher(groups["directive"])
        self._supportive = WordStartMatcher(groups["supportive"])
        g = rulebook.guard_patterns
        self._negation = any_of(g["negation"])
        self._conditional = any_of(g["conditional"])
        self._question_openers = any_of(g["question_openers"])
        self._leading = any_at_word_start(tuple(p for p in g["leading_questions"] if not p.startswith(_PUNCT)))
        self._tag_question = any_of(tuple(p for p in g["leading_questions"] if p.startswith(_PUNCT)))
        self._permission = any_at_word_start(g["permission"])
        self._autonomy = any_at_word_start(g["autonomy"])
        self._reflection = any_at_word_start(g["reflection"])
        self._reported = any_at_word_start(g["reported"]) if g["reported"] else None
        self._listener = Listener(g)  # how a sentence speaks to the listener (issue 25)

    def detect(self, text: str) -> Detection:
        """The first directive phrase and the first supportive phrase in ``text``."""
        hits = self.hits(text, first_only=True)
        directive = next((h for h in hits if h.kind == "directive"), None)
        supportive = next((h for h in hits if h.kind == "supportive"), None)
        cleared = self._cleared(text) if directive is None and self._not_examples else None
        return Detection(text, directive, supportive, cleared)

    def hits(self, text: str, first_only: bool = False, partial: bool = False, continued: bool = False) -> list[Hit]:
        """Every directive hit that survives the guards, then every supportive hit. The model
        judges whole sentences, and half a sentence can mean something else once whole: a
        ``partial`` (a live guess still growing) has its last sentence judged by the rules only,
        and a ``continued`` text (a transcript segment that starts mid-sentence) its first."""
        low = lowered(text)
        out: list[Hit] = []
        # A live partial's last sentence is still being said: the model is asked about its words so far.
        growing_from = sentences(low)[-1][0] if partial and low.strip() else len(low) + 1
        for m in self._directive.finditer(low):
            if self._judged(text, low, m, partial, continued, growing=m.start() >= growing_from) is True:
                out.append(self._hit(text, m))
                if first_only:
                    break
        if self.model is not None and not (first_only and out):
            out = sorted(out + self._model_hits(text, low, out, first_only, partial, continued),
                         key=lambda h: h.start)
            if first_only:
                out = out[:1]
        supportive = self._supportive_hits(text, low)
        return out + supportive[:1] if first_only else out + supportive

    def awaits_words(self, text: str) -> bool:
        """A live partial's unfinished last sentence holds a pattern's hit that only the model's doubt, or an
        exception its next words may complete, keeps back, with at most ``_AWAITED_WORDS`` words after it:
        "The next step is" alone says too little for the model to judge, and its next words will settle it.
        The live session hears such a sentence's next words sooner, even over its CPU budget (issue 25:
        waiting for them cost a flag up to one slow partial)."""
        if self.model is None or not float(getattr(self.model, "rule_floor", 0.0)):
            return False
        low = lowered(text)
        spans = sentences(low)
        if not spans or low.rstrip().endswith((".", "!", "?")):
            return False
        a, b = spans[-1]
        return any(len(low[m.end():b].split()) <= _AWAITED_WORDS
                   and self._judged(text, low, m, partial=True, continued=False, growing=True) is None
                   for m in self._directive.finditer(low, a, b))

    def _judged(self, text: str, low: str, m: re.Match[str], partial: bool, continued: bool,
                growing: bool) -> bool | None:
        """How the guards judge the pattern's hit ``m`` (``growing``: its sentence is still being said): True
        flags it, False when a guard or the rep's own not-example excuses it, None when only the model's doubt
        holds it back (a hit with "you" first, or said to no one; see :meth:`_doubted`) or, while it grows, an
        exception its next words may complete (:meth:`_may_yet_be_excepted`). One judgement for
        :meth:`hits` and :meth:`awaits_words`, so what flags and what is awaited cannot drift apart."""
        if (self._excused(low, m, self._categories[m.lastgroup or ""])
                or self._taught_not(text, low, m, partial, continued) is not None):
            return False
        if growing and self._may_yet_be_excepted(low, m):
            return None
        you = low.startswith("you", m.start())
        if (you or self._unaddressed_at(low, m.start())) and self._doubted(text, low, m.start(),
                                                                          growing=you and growing):
            return None
        return True

    def supportive_hits(self, text: str) -> list[Hit]:
        """The autonomy-supportive phrases ("it's your call") in ``text``: the supportive hits of :meth:`hits`,
        found without judging its directive phrasing. Supportive phrasing is the rulebook's patterns alone (the
        model layer judges only directive phrasing), so a stored call's are found again without the model."""
        return self._supportive_hits(text, lowered(text))

    def count_supportive(self, text: str) -> int:
        """How many autonomy-supportive phrases ``text`` holds (a thousand stored calls' totals)."""
        return sum(1 for _ in self._supportive.finditer(lowered(text)))

    def prime(self, texts: Sequence[str]) -> None:
        """Score the sentences of many texts in one batch ahead of :meth:`hits` (a file through
        ``copilot detect``): the model is several times cheaper per sentence in batches."""
        if self.model is None:
            return
        todo: dict[str, None] = {}
        for text in texts:
            low = lowered(text)
            # A sentence whose pattern hit stands without the model's word is never asked of it: on the
            # bench's 10,000 lines that is 1,102 sentences the model would otherwise read for nothing.
            hits = [(m.start(), self._stands_alone(text, low, m)) for m in self._directive.finditer(low)]
            for a, b in sentences(low):
                sentence = text[a:b].strip()
                if (sentence not in self._scores and len(low[a:b].split()) in _MODEL_WORDS
                        and not any(a <= at < b and alone for at, alone in hits)
                        and (self._may_flag(low, a, b) or any(a <= at < b for at, _ in hits))):
                    todo[sentence] = None
        if todo:
            if len(self._scores) + len(todo) > 4096:
                self._scores.clear()
            self._scores.update(zip(todo, self.model.score(list(todo)), strict=True))

    def _stands_alone(self, text: str, low: str, m: re.Match[str]) -> bool:
        """A pattern's hit that :meth:`hits` keeps whatever the model says: no guard or taught not-example
        excuses it, and it is not one the model is asked to doubt (a generic "you", a sentence said to no one)."""
        return (not self._excused(low, m, self._categories[m.lastgroup or ""])
                and self._taught_not(text, low, m) is None
                and not (low.startswith("you", m.start()) or self._unaddressed_at(low, m.start())))

    def _supportive_hits(self, text: str, low: str) -> list[Hit]:
        return [self._hit(text, m) for m in self._supportive.finditer(low)]

    def _model_hits(self, text: str, low: str, rule_hits: list[Hit], first_only: bool,
                    partial: bool = False, continued: bool = False) -> list[Hit]:
        """Sentences with no rule hit that the model finds directive and no guard excuses."""
        assert self.model is not None
        spans = sentences(low)
        if partial:
            spans = spans[:-1]
        if continued:
            spans = spans[1:]
        bounds = [(a, b) for a, b in spans
                  if not any(a <= h.start < b for h in rule_hits) and len(low[a:b].split()) in _MODEL_WORDS
                  and self._may_flag(low, a, b)]
        todo = [text[a:b].strip() for a, b in bounds if text[a:b].strip() not in self._scores]
        if todo:
            if len(self._scores) > 4096:
                self._scores.clear()
            self._scores.update(zip(todo, self.model.score(todo), strict=True))
        out: list[Hit] = []
        by_name = {c.name: c for c in self.rulebook.categories}
        for a, b in bounds:
            sentence = text[a:b].strip()
            verdict = self._scores[sentence]
            c = by_name.get(verdict.category or "")
            if c is None or self._vetoed(low, a, b):
                continue
            layer = "example" if verdict.why.startswith(("example", "your example")) else "model"
            # An example (the team's or the rep's own) was taught on purpose; the model's guess yields to the rulebook.
            if layer == "model" and (self._named_not_directive(low, a, b) or self._anyone(low, a, b)
                                     or verdict.probability < self._listener_bar(low, a, b)):
                continue
            start = a + (len(text[a:b]) - len(text[a:b].lstrip()))
            out.append(Hit(c.name, c.kind, sentence, start, start + len(sentence), c.prompts, layer=layer,
                           why=verdict.why))
            if first_only:
                break
        return out

    def _may_flag(self, low: str, a: int, b: int) -> bool:
        """The model's verdict on the sentence ``low[a:b]`` could flag it. With no example to resemble
        (``flags_by_example`` false: the bundled rulebook has none; a rep's taught line makes one), only a
        verdict that clears :meth:`_listener_bar` flags, and that bar is out of reach for a sentence that says
        nothing a directive sentence says, or a remark. Such a sentence is not read by the model at all: on
        real meetings about half of all sentences, so `copilot detect` and a live call embed half as many."""
        return bool(getattr(self.model, "flags_by_example", False)) or self._listener_bar(low, a, b) < math.inf

    def _listener_bar(self, low: str, a: int, b: int) -> float:
        """How sure the model must be to flag the sentence ``low[a:b]``, by how it speaks to the listener
        (:meth:`Listener.bar`; 0 for a scorer without an ``unaddressed_threshold``)."""
        sure = float(getattr(self.model, "unaddressed_threshold", 0.0))
        if not sure:
            return 0.0
        return self._listener.bar(low, a, b, sure, float(getattr(self.model, "named_threshold", sure)))

    def _unaddressed_at(self, low: str, pos: int) -> bool:
        """The sentence around ``pos`` speaks to no one (:meth:`Listener.speaks_to_no_one`): a pattern's hit there
        is asked of the model too (:meth:`_doubted`). Never without a model to ask."""
        return self.model is not None and self._listener.speaks_to_no_one(low, pos)

    def _doubted(self, text: str, low: str, pos: int, growing: bool = False) -> bool:
        """The model layer finds the sentence of a pattern's hit all but surely not directive (below its
        ``rule_floor``). Asked only of a hit that starts with "you" ("you need to", "you should"): that "you"
        may mean anyone ("when you bring on a client, you have to think about…"), where "I'd like you to" or
        "why don't you" cannot; and of a hit in a sentence said to no one (:meth:`_unaddressed_at`). Only
        sentences such a pattern flagged pay for this. A "you" hit in a live partial's unfinished sentence
        (``growing``) is judged on the words so far, and they must look directive to the model (its
        ``threshold``), not only clear the floor: the words still to come often excuse it ("To ask a
        question, you will need to… press star one"), and a prompt shown cannot be taken back. On
        development real talk said word by word, this cut such prompts from 112 to 51 in 54,456
        sentences; of 406 directive lines, 20 more were flagged two words or more later. The
        hits said to no one ("The next step is") stay at the floor while growing."""
        model = self.model
        floor = float(getattr(model, "rule_floor", 0.0)) if model is not None else 0.0
        if model is None or not floor:
            return False
        if growing:
            floor = max(floor, float(getattr(model, "threshold", floor)))
        a, b = sentence_bounds(low, pos)
        words = len(low[a:b].split())
        if words < _MODEL_WORDS.start:
            return False
        sentence = text[a:b].strip()
        if words >= _MODEL_WORDS.stop:
            # A run-on (a long answer, a live transcript without full stops): the words around the hit
            # are what it says to the listener there.
            sentence = " ".join(text[a:pos].split()[-_RUN_ON_BEFORE:] + text[pos:b].split()[:_RUN_ON_AFTER])
        verdict = self._scores.get(sentence)
        if verdict is None:
            if len(self._scores) > 4096:
                self._scores.clear()
            verdict = self._scores[sentence] = model.score([sentence])[0]
        return verdict.probability < floor

    def _taught_not(self, text: str, low: str, m: re.Match[str], partial: bool = False,
                    continued: bool = False) -> str | None:
        """The sentence around the pattern's hit ``m`` was taught as not directive ("that wasn't pushy"), and not
        only another phrase of it: which not-example."""
        if not self._not_examples:
            return None
        a, b = sentence_bounds(low, m.start())
        return self._not_examples.why(text[a:b], growing=partial and b == len(low), cut=continued and a == 0,
                                      hit=text[m.start():m.end()])

    def _cleared(self, text: str) -> str | None:
        """The not-example that kept ``text`` from being flagged, if one did (for ``copilot detect --explain``)."""
        low = lowered(text)
        for m in self._directive.finditer(low):
            if (why := self._taught_not(text, low, m)) is not None:
                return why
        for a, b in sentences(low):
            verdict = self._scores.get(text[a:b].strip())
            if verdict is not None and "not-example: " in verdict.why:
                return verdict.why
        return None

    def _vetoed(self, text: str, s_start: int, s_end: int) -> bool:
        """The guards, applied to a whole sentence the model flagged."""
        sentence = text[s_start:s_end]
        if self._reported is not None and self._reported.found(text, s_start, s_end):
            return True  # someone else's words
        if self._leading.found(text, s_start, s_end):
            return False
        # A negation in the sentence's first words ("I don't think you need to…"), unless it is a
        # threat ("If you don't sign…").
        opening = " ".join(sentence.split()[: _NEGATION_WINDOW_WORDS + 1])
        negated = _found(self._negation, opening) and not _found(self._conditional, opening)
        return ((sentence.rstrip().endswith("?") and (self._hands_back(sentence) or self._asked_after_preamble(
                    text, s_start, self._listener.first_push(text, s_start, s_end))))
                or negated
                or self._permission.found(text, max(0, s_start - _EXCEPTION_REACH), s_end)
                or self._autonomy.found(text, s_start, s_end)
                or self._reflection.found(text, s_start, s_end))

    def _named_not_directive(self, low: str, a: int, b: int) -> bool:
        """The sentence ``low[a:b]`` holds a pattern's match that its category's ``exceptions`` name as not
        directive ("you should see my screen now", "you must be swamped"): the rulebook has spoken on this
        sentence, and the model may not flag it for the same words."""
        return any(self._excepted(low, m) for m in self._directive.finditer(low, a, b))

    def _anyone(self, low: str, a: int, b: int) -> bool:
        """The sentence ``low[a:b]`` holds a pattern's "you …" hit after a frame that makes "you" anyone (the
        rulebook's ``generic`` guard: "Sometimes you're unlucky, you need to do it a year earlier."): the model may
        not flag it for the words the guard excused."""
        return any(
            _you_does(low, a, m.start()) and self._listener.generic_before(low, a, m.start())
            for m in self._directive.finditer(low, a, b))

    def _may_yet_be_excepted(self, low: str, m: re.Match[str]) -> bool:
        """One of the match's category's ``exceptions`` is under way over it when the text ends: a hit at the
        end of a sentence still being said that its next words may excuse ("Rod, why don't you" … "take the
        first one"; "It would be helpful if you could" … "walk me through"). Live, such a hit waits for the
        next words rather than showing a prompt the whole sentence takes back."""
        group = m.lastgroup or ""
        if ("question" in self._categories[group].guards and _HANDS_A_DEED.search(m.group(0))
                and self._listener.may_invite(low, m.end())):
            return True  # "I'd like you to" … "walk me through": the next words may make it an invitation
        if group not in self._growing_exceptions:
            self._growing_exceptions[group] = partial_matcher(self._exceptions[group])
        growing = self._growing_exceptions[group]
        if growing is None:
            return False
        near = growing.finditer(low, max(0, m.start() - _EXCEPTION_REACH), partial=True)
        return any(e.partial and e.start() < m.end() for e in near)

    def _excepted(self, text: str, m: re.Match[str]) -> bool:
        """One of the match's category's ``exceptions`` overlaps it, or the deed it hands over asks the listener
        to tell the speaker something (:meth:`_invites`)."""
        start, end = m.start(), m.end()
        if self._invites(text, m):
            return True
        exc = self._exceptions[m.lastgroup or ""]
        if exc is None:
            return False
        near = exc.finditer(text, max(0, start - _EXCEPTION_REACH), min(len(text), end + _EXCEPTION_REACH))
        return any(e.start() < end and start < e.end() for e in near)

    def _invites(self, text: str, m: re.Match[str]) -> bool:
        """The match hands the listener a deed that asks them to talk ("Why don't you walk me through your
        process?", "I'd like you to describe the workflow.": the rulebook's ``asks_to_tell`` right after it), in a
        category whose choice a question hands back (the ``question`` guard): an invitation, as a question is."""
        return ("question" in self._categories[m.lastgroup or ""].guards
                and self._listener.invites_to_tell(text, m.end(), sentence_bounds(text, m.start())[1]))

    def _hit(self, text: str, m: re.Match[str]) -> Hit:
        group = m.lastgroup or ""
        c = self._categories[group]
        return Hit(c.name, c.kind, text[m.start() : m.end()], m.start(), m.end(), c.prompts,
                   why=_pattern_of(self._explained[group], m))

    def _excused(self, text: str, m: re.Match[str], c: Category) -> bool:
        """True when the match only looks directive (a guard or an exception applies)."""
        start = m.start()
        if self._excepted(text, m):
            return True
        s_start, s_end = sentence_bounds(text, start)
        sentence = text[s_start:s_end]
        guards = c.guards
        asks = sentence.rstrip().endswith("?") or (
            text.startswith("you", start) and _ASKING_ORDER.search(text, max(s_start, start - 12), start) is not None)
        if "reflection" in guards and self._reported is not None and self._reported.found(text, s_start, start):
            return True  # someone else's words, a leading question of theirs too ("you are asking me, why don't you…")
        if self._leading.found(text, s_start, s_end) or (asks and _found(self._tag_question, sentence)):
            return False  # a leading question pushes whatever else the sentence says
        if "negation" in guards and self._negated(text[max(s_start, start - _NEGATION_REACH) : start]):
            return True
        if _you_does(text, s_start, start) and self._listener.generic_before(text, s_start, start):
            return True  # "when you look at the market, you have to…": anyone, not the listener (_anyone)
        if "question" in guards and asks and (self._hands_back(sentence)
                                              or self._asked_after_preamble(text, s_start, start)):
            return True
        if "permission" in guards and self._permission.found(text, 0, start):
            return True
        if "autonomy" in guards and self._autonomy.found(text, s_start, s_end):
            return True
        if "reflection" in guards and self._reflection.found(text, s_start, start):
            return True
        return False

    def _negated(self, before: str) -> bool:
        clause = _CLAUSE_BREAK.split(before)[-1]
        window = " ".join(clause.split()[-_NEGATION_WINDOW_WORDS:])
        if not _found(self._negation, window):
            return False
        # "If you don't sign by Friday…" is a threat, not a negation of the pressure.
        return not _found(self._conditional, window)

    def _asked_after_preamble(self, text: str, s_start: int, pos: int) -> bool:
        """A question (its sentence, from ``s_start``, ends in "?" or asks by its word order) that opens after a
        preamble, in a clause before the hit at ``pos`` ("And just to follow up on the plan, is there a step that
        you need to…?", "Just so I understand, do you need to…"): it hands the choice back as a question that
        opens the sentence does."""
        if self._question_openers is None:
            return False
        return any(self._question_openers.match(text[m.end():pos].lstrip())
                   for m in _CLAUSE_BREAK.finditer(text, s_start, pos))

    def _hands_back(self, question: str) -> bool:
        """The question opens like one that hands the choice back ("What…", "Would…")."""
        return self._question_openers is None or bool(self._question_openers.match(question.lstrip()))


# A hit that ends where the deed it hands the listener is still to come ("why don't you", "I'd like you to", "go
# ahead and"): while its sentence is being said, the next words may make it an invitation to talk. Not "you need
# to", "you should" or "let's go ahead and": their invitations are rare ("you need to fill me in"), and waiting
# costs a prompt's time (a partial's, about a second: the payroll call's "let's go ahead and book…" showed it).
_HANDS_A_DEED = re.compile(r"(?:\byou|\byou to|^go ahead and)$")


def _you_does(low: str, a: int, pos: int) -> bool:
    """The hit at ``pos`` (its sentence starts at ``a``) has "you" for its doer: it starts with "you", or follows
    a "you" who must or wants to do it ("you need to make sure you…", "you want to make sure to…")."""
    return low.startswith("you", pos) or _YOU_BEFORE.search(low, max(a, pos - _YOU_BEFORE_REACH), pos) is not None


def _found(pattern: re.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def _pattern_of(patterns: list[tuple[str, re.Pattern[str]]], m: re.Match[str]) -> str:
    """Which of the category's patterns matched (for ``copilot detect --explain``)."""
    found = m.group(0).lower()
    for p, rx in patterns:
        if rx.fullmatch(found):
            return f"pattern: {p}"
    return "pattern"
