"""Spot directive phrasing ("the next step is…", "you should…") in what the rep says.

The detector runs the rulebook's patterns and then its guards, so that what only looks
directive is not flagged: negation ("I don't think you need to"), choice handed back as a
question ("What makes sense for you?"), advice offered with permission, autonomy language
("…if you'd like"), and reflections of what the buyer said ("So you're saying you need
to…"). Autonomy-supportive phrasing is found too, as its own positive category.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import regex  # partial matching (what a sentence still being said may yet become): re has none

from copilot.core.rulebook import Category, Rulebook, expand, lowercase_pattern
from copilot.core.taught import NotExamples
from copilot.core.wordmatch import WordStartMatcher

__all__ = ["Hit", "Detection", "PhraseDetector", "SentenceScorer", "Verdict", "sentence_at"]

_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n")
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
_FOLLOW_ON_WORDS = 5  # a sentence this short ("I really would.") leans on the one before for its listener
# Words a sentence may open with before its subject ("So we map…", "Okay, I can send…").
_OPENERS = re.compile(r"\s*(?:(?:so|and|but|well|okay|ok|alright|all right|now|then|also|yeah|yes|yep|yup|mm|mhm|"
                      r"oh|ah|exactly|absolutely|great|sure|right|perfect|understood|um|uh|i mean)\b[\s,.;:\-]*)*")
# ... and before a command's verb, a softener ("Just buy them.", "You know, figure out how…") or a sentence
# adverb and its comma ("Obviously, there's…", "Seriously, lock it in…"): the word after it is the verb, if any.
_COMMAND_LEAD = re.compile(r"(?:(?:just|please|simply|maybe|perhaps|definitely|really|actually|honestly|you know|"
                           r"i mean)\b[\s,]*|(?!(?:ap|re|sup|com|multi|im)ply,|rely,|fly,)[a-z]+ly,\s*)*")
_FIRST_WORD = re.compile(r"[a-z][a-z'-]*")
# A leading clause of time or condition and its comma ("When you get back to the office, …", "After the call, …").
_LEADING_CLAUSE = re.compile(r"(?:if|when|whenever|once|while|after|before|as soon as)\b[^,;:.?!]{1,80},\s*")
# Verbs whose own base form ends in -ing: a command's verb, not an -ing form ("Bring your CFO along.").
_VERBS_IN_ING = frozenset({"bring", "ring", "sing", "sting", "string", "swing", "fling", "cling", "wring", "spring",
                           "ping", "wing"})
# ... and before a remark, the speaker's own hedge ("I think that's a good idea.").
_HEDGE = re.compile(r"(?:i (?:think|guess|suppose)|i'd say)\b[\s,]*")
_SENTENCE_REACH = 400  # a sentence longer than this is a transcript without punctuation
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
            self._exceptions[group] = _union(c.exceptions)
        self._directive = WordStartMatcher(groups["directive"])
        self._supportive = WordStartMatcher(groups["supportive"])
        g = rulebook.guard_patterns
        self._negation = _union(g["negation"])
        self._conditional = _union(g["conditional"])
        self._question_openers = _union(g["question_openers"])
        self._leading = _matcher(tuple(p for p in g["leading_questions"] if not p.startswith(_PUNCT)))
        self._tag_question = _union(tuple(p for p in g["leading_questions"] if p.startswith(_PUNCT)))
        self._permission = _matcher(g["permission"])
        self._autonomy = _matcher(g["autonomy"])
        self._reflection = _matcher(g["reflection"])
        self._reported = _matcher(g["reported"]) if g["reported"] else None
        self._addressed = _matcher(g["addressed"]) if g["addressed"] else None
        self._named = _matcher(g["named"]) if g["named"] else None
        self._you_object = _matcher(g["you_object"]) if g["you_object"] else None
        self._own_offer = _union(g["own_offer"])
        self._remarks = _union(g["remarks"])
        self._asks_to_tell = _union(g["asks_to_tell"])
        self._generic = _union(g["generic"])
        self._cues = _union(g["cues"])
        self._statement_openers = _union(g["statement_openers"])

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
        low = _lowered(text)
        out: list[Hit] = []
        # A live partial's last sentence is still being said: the model is asked about its words so far.
        growing_from = _sentences(low)[-1][0] if partial and low.strip() else len(low) + 1
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
        low = _lowered(text)
        sentences = _sentences(low)
        if not sentences or low.rstrip().endswith((".", "!", "?")):
            return False
        a, b = sentences[-1]
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
                or self._taught_not(text, low, m.start(), partial, continued) is not None):
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
        return self._supportive_hits(text, _lowered(text))

    def count_supportive(self, text: str) -> int:
        """How many autonomy-supportive phrases ``text`` holds (a thousand stored calls' totals)."""
        return sum(1 for _ in self._supportive.finditer(_lowered(text)))

    def prime(self, texts: Sequence[str]) -> None:
        """Score the sentences of many texts in one batch ahead of :meth:`hits` (a file through
        ``copilot detect``): the model is several times cheaper per sentence in batches."""
        if self.model is None:
            return
        todo: dict[str, None] = {}
        for text in texts:
            low = _lowered(text)
            # A sentence whose pattern hit stands without the model's word is never asked of it: on the
            # bench's 10,000 lines that is 1,102 sentences the model would otherwise read for nothing.
            hits = [(m.start(), self._stands_alone(text, low, m)) for m in self._directive.finditer(low)]
            for a, b in _sentences(low):
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
                and self._taught_not(text, low, m.start()) is None
                and not (low.startswith("you", m.start()) or self._unaddressed_at(low, m.start())))

    def _supportive_hits(self, text: str, low: str) -> list[Hit]:
        return [self._hit(text, m) for m in self._supportive.finditer(low)]

    def _model_hits(self, text: str, low: str, rule_hits: list[Hit], first_only: bool,
                    partial: bool = False, continued: bool = False) -> list[Hit]:
        """Sentences with no rule hit that the model finds directive and no guard excuses."""
        assert self.model is not None
        sentences = _sentences(low)
        if partial:
            sentences = sentences[:-1]
        if continued:
            sentences = sentences[1:]
        bounds = [(a, b) for a, b in sentences
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
        (issue 25: real talk's false alarms were mostly sentences that speak to no one, and the rep's own
        offer or account of the offer, "We map the fields with your admin…"). The speaker's own offer or
        account (``own_offer`` at its start; not directive by definition, but the check is a guess from
        its first words): halfway between the scorer's ``unaddressed_threshold`` and certainty. The
        listener acts in it (the rulebook's ``addressed`` cues, a "you" not inside a ``you_object``): no
        more than the head's threshold. A remark that asks nothing of the listener (``remarks``: "That
        should get us there.", "See you next quarter!") and a request that the listener tell the speaker
        something (``asks_to_tell``: "Walk us through your budgeting process."): never. The listener
        only named ("your team", "for you"): the scorer's ``named_threshold``, halfway. No listener at
        all: the ``unaddressed_threshold``. A sentence of five words or fewer ("I really would.") takes its
        listener from the one before. A sentence with nothing in it that says what to do or think
        (:meth:`_cued`): never."""
        sure = float(getattr(self.model, "unaddressed_threshold", 0.0))
        if not sure or self._addressed is None:
            return 0.0
        if not self._cued(low, a, b):
            return math.inf  # nothing in it says what to do or think
        starts = _clause_starts(low, a, b)  # its start, and after a leading clause ("If you have a minute, …")
        if self._asks_to_tell is not None and any(self._asks_to_tell.match(low, _command_at(low, s, b), b)
                                                  for s in starts):
            return math.inf  # it asks the listener to tell the speaker something, as a question does
        if self._own_offer is not None and any(self._own_offer.match(low, _subject_at(low, s), b) for s in starts):
            return (sure + 1.0) / 2
        if self._acts(low, a, b):
            return 0.0
        if self._remarks is not None and any(self._remarks.match(low, _subject_at(low, s, remark=True), b)
                                             for s in starts):
            return math.inf  # it asks nothing of the listener
        start = _previous_start(low, a) if len(low[a:b].split()) <= _FOLLOW_ON_WORDS else a
        if start < a and self._acts(low, start, a):
            return 0.0
        if self._addressed.found(low, start, b) or (self._named is not None and self._named.found(low, start, b)):
            return float(getattr(self.model, "named_threshold", sure))
        return sure

    def _cued(self, low: str, a: int, b: int) -> bool:
        """The sentence ``low[a:b]`` says something a directive sentence says (one of the rulebook's ``cues``:
        "should", "let's", "makes sense", "only", "next"…), or may be a command: it opens (after "so",
        "okay"…, a softener such as "just" or "please", and a sentence adverb with its comma such as
        "obviously,") with a word that is not one of the ``statement_openers`` and is not an -ing form ("Turn
        off the lights.", "Just buy them.", "Bring your CFO along."), there or after a leading clause of time or
        condition ("When you get back, talk to your CFO."). True when the rulebook has no ``cues``."""
        if self._cues is None or self._cues.search(low, a, b):
            return True
        return any(self._may_command(low, _command_at(low, start, b), b) for start in _clause_starts(low, a, b))

    def _may_command(self, low: str, at: int, b: int) -> bool:
        """The words from ``at`` may be a command: the first is no ``statement_openers`` word nor an -ing form."""
        first = _FIRST_WORD.match(low, at, b)
        if first is None or (first.group(0).endswith("ing") and first.group(0) not in _VERBS_IN_ING):
            return False
        opener = self._statement_openers
        # "he's", "that'll": a statement opener with its contraction.
        return opener is None or not (opener.match(low, at, b) or opener.fullmatch(first.group(0).split("'")[0]))

    def _acts(self, low: str, a: int, b: int) -> bool:
        """The listener is the one who acts somewhere in ``low[a:b]``: an ``addressed`` cue that is not a "you"
        inside a ``you_object`` ("Thank you.", "it gets you the volume pricing") nor one after a ``generic``
        frame, which means anyone ("Sometimes the top bid falls out, you go back.")."""
        assert self._addressed is not None
        spans = [(m.start(), m.end()) for m in self._you_object.finditer(low, a, b)] if self._you_object else []
        return any(not any(s <= m.start() < e for s, e in spans) and not self._anyone_at(low, a, m)
                   for m in self._addressed.finditer(low, a, b))

    def _anyone_at(self, low: str, a: int, m: re.Match[str]) -> bool:
        """The "you" of ``m`` comes after (or ends) a ``generic`` frame of its sentence, which starts at ``a``."""
        return (self._generic is not None and low.startswith("you", m.start())
                and self._generic.search(low, a, m.end()) is not None)

    def _unaddressed_at(self, low: str, pos: int) -> bool:
        """The sentence around ``pos``, with the one before it, has no listener cue (the rulebook's ``addressed``
        and ``named`` guards): a pattern's hit there is asked of the model too (:meth:`_doubted`). On earnings
        calls such hits were the company's own course ("what we will do is…", "we decide whether it makes sense
        to invest"); a rep's "The smart move is to lock this in now." is said to the buyer and the model is sure
        of it."""
        if self._addressed is None or self.model is None:
            return False
        a, b = _sentence_bounds(low, pos)
        start = _previous_start(low, a)
        named = self._named is not None and self._named.found(low, start, b)
        return not (named or self._addressed.found(low, start, b))

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
        a, b = _sentence_bounds(low, pos)
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

    def _taught_not(self, text: str, low: str, pos: int, partial: bool = False, continued: bool = False) -> str | None:
        """The sentence around ``pos`` was taught as not directive ("that wasn't pushy"): which not-example."""
        if not self._not_examples:
            return None
        a, b = _sentence_bounds(low, pos)
        return self._not_examples.why(text[a:b], growing=partial and b == len(low), cut=continued and a == 0)

    def _cleared(self, text: str) -> str | None:
        """The not-example that kept ``text`` from being flagged, if one did (for ``copilot detect --explain``)."""
        low = _lowered(text)
        for m in self._directive.finditer(low):
            if (why := self._taught_not(text, low, m.start())) is not None:
                return why
        for a, b in _sentences(low):
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
                    text, s_start, self._first_push(text, s_start, s_end))))
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
        return self._generic is not None and any(
            _you_does(low, a, m.start()) and self._generic.search(low, a, m.start())
            for m in self._directive.finditer(low, a, b))

    def _may_yet_be_excepted(self, low: str, m: re.Match[str]) -> bool:
        """One of the match's category's ``exceptions`` is under way over it when the text ends: a hit at the
        end of a sentence still being said that its next words may excuse ("Rod, why don't you" … "take the
        first one"; "It would be helpful if you could" … "walk me through"). Live, such a hit waits for the
        next words rather than showing a prompt the whole sentence takes back."""
        group = m.lastgroup or ""
        if group not in self._growing_exceptions:
            self._growing_exceptions[group] = _partial_matcher(self._exceptions[group])
        growing = self._growing_exceptions[group]
        if growing is None:
            return False
        near = growing.finditer(low, max(0, m.start() - _EXCEPTION_REACH), partial=True)
        return any(e.partial and e.start() < m.end() for e in near)

    def _excepted(self, text: str, m: re.Match[str]) -> bool:
        """One of the match's category's ``exceptions`` overlaps it."""
        start, end = m.start(), m.end()
        exc = self._exceptions[m.lastgroup or ""]
        if exc is None:
            return False
        near = exc.finditer(text, max(0, start - _EXCEPTION_REACH), min(len(text), end + _EXCEPTION_REACH))
        return any(e.start() < end and start < e.end() for e in near)

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
        s_start, s_end = _sentence_bounds(text, start)
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
        if _you_does(text, s_start, start) and self._generic is not None and self._generic.search(text, s_start, start):
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

    def _first_push(self, low: str, a: int, b: int) -> int:
        """Where the sentence ``low[a:b]`` first speaks to the listener (an ``addressed`` match; ``b`` when none
        is in it): a question that opens before it asks, and one after it (a tag, "…, would you agree?") leans
        on what was said."""
        first = next(self._addressed.finditer(low, a, b), None) if self._addressed is not None else None
        return first.start() if first is not None else b

    def _hands_back(self, question: str) -> bool:
        """The question opens like one that hands the choice back ("What…", "Would…")."""
        return self._question_openers is None or bool(self._question_openers.match(question.lstrip()))


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` (ends at . ! ? followed by a space, or a newline)."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if text[start: m.end()].strip():
            out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def _you_does(low: str, a: int, pos: int) -> bool:
    """The hit at ``pos`` (its sentence starts at ``a``) has "you" for its doer: it starts with "you", or follows
    a "you" who must or wants to do it ("you need to make sure you…", "you want to make sure to…")."""
    return low.startswith("you", pos) or _YOU_BEFORE.search(low, max(a, pos - _YOU_BEFORE_REACH), pos) is not None


def _subject_at(low: str, a: int, remark: bool = False) -> int:
    """Where the sentence starting at ``a`` has its subject: after its opening "so", "and", "okay"… (and,
    for a ``remark``, after "I think")."""
    m = _OPENERS.match(low, a)
    at = m.end() if m is not None else a
    if remark and (h := _HEDGE.match(low, at)) is not None:
        at = h.end()
    return at


def _clause_starts(low: str, a: int, b: int) -> list[int]:
    """Where the sentence ``low[a:b]`` may open its main clause: at ``a``, and after a leading clause of time or
    condition with its comma ("When you get back to the office, talk to your CFO.", "If you have a minute, …")."""
    lead = _LEADING_CLAUSE.match(low, _subject_at(low, a), b)
    return [a] if lead is None else [a, lead.end()]


def _partial_matcher(pattern: re.Pattern[str] | None) -> regex.Pattern[str] | None:
    """``pattern`` compiled for partial matching; None when there is none, or when a rep's own rulebook holds
    an expression only Python's ``re`` reads (the hit is then judged on the words so far, as before)."""
    if pattern is None:
        return None
    try:
        return regex.compile(pattern.pattern)
    except regex.error:
        return None


def _command_at(low: str, a: int, b: int) -> int:
    """Where the sentence ``low[a:b]`` would have a command's verb: after its opening "so", "okay"…, a
    softener ("just", "please", "maybe") and a sentence adverb with its comma ("obviously,")."""
    at = _subject_at(low, a)
    lead = _COMMAND_LEAD.match(low, at, b)
    return lead.end() if lead is not None else at


def _previous_start(low: str, a: int) -> int:
    """Where the sentence before the one starting at ``a`` starts (``a`` itself for the first)."""
    starts = [s for s, _ in _sentences(low) if s < a]
    return starts[-1] if starts else a


def sentence_at(text: str, pos: int) -> str:
    """The sentence of ``text`` around character ``pos`` (what the rep teaches when they mark a flag)."""
    a, b = _sentence_bounds(text, pos)
    return text[a:b].strip()


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence around ``pos`` (ends at . ! ? followed by a space, or a newline)."""
    start = max(0, pos - _SENTENCE_REACH)
    for m in _SENTENCE_END.finditer(text, start, pos):
        if m.end() <= pos:
            start = m.end()
    after = _SENTENCE_END.search(text, pos)
    return start, after.end() if after is not None else len(text)


def _lowered(text: str) -> str:
    """Lower-cased text with straight apostrophes, character for character (offsets hold)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _union(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(expand(lowercase_pattern(p)) for p in patterns))


def _matcher(patterns: tuple[str, ...]) -> WordStartMatcher:
    return WordStartMatcher([("g", [expand(lowercase_pattern(p), left=False) for p in patterns])])


def _found(pattern: re.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def _pattern_of(patterns: list[tuple[str, re.Pattern[str]]], m: re.Match[str]) -> str:
    """Which of the category's patterns matched (for ``copilot detect --explain``)."""
    found = m.group(0).lower()
    for p, rx in patterns:
        if rx.fullmatch(found):
            return f"pattern: {p}"
    return "pattern"
