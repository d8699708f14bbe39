"""What in a transcript must not be kept: card and bank numbers, ID numbers, e-mail addresses, phone numbers.

Speech to text writes a number read out in many ways: "4111 1111 1111 1111", "4-1-1-1-1",
"41-1, 1, 1", "four one one one", "for 1-5" ("four" heard as "for"), and a pause may cut it
in two lines. So the text is first read as *number runs*: digit groups and number words
("oh", "double five", "forty one", "eight hundred") joined by spaces, commas, full stops
and hyphens, each run with the digits it stands for. A run, or a stretch of it, that a
check accepts is hidden as what it is: a card number (Luhn), a phone number, a routing,
account or ID number (said after the words that name them). A run of seven digits or more
that no check names is hidden too, as a number: a card number heard one digit wrong fails
Luhn and must still not be kept. What stays: amounts ("$40,000", "40,000", "20%", "1.5"),
years, times, dates written with a slash, and any run of fewer than seven digits.

E-mail addresses are found written ("sam.rivera@example.com") and spoken ("sam dot rivera at
example dot com", "sam.rivera at example.com", or with the "at" lost: "Sam Dot Rivera
Example.com"). A domain alone ("our site is example.com") is a website and stays.

The checks that need tables of the world (card number rules, phone numbering plans, routing
number checksums, ID number rules) come in through :class:`Checks`; without them
(``checks=None``, what the overlay uses) every run of five digits or more is hidden.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass
from typing import Literal, Protocol

__all__ = ["Kind", "KINDS", "Finding", "Checks", "find", "hide", "placeholder", "open_tail", "shown"]

Kind = Literal["card", "account", "routing", "id", "email", "phone", "number"]
KINDS: tuple[Kind, ...] = ("card", "account", "routing", "id", "email", "phone", "number")

_PLACEHOLDER: dict[Kind, str] = {"card": "[card number]", "account": "[account number]",
                                 "routing": "[routing number]", "id": "[ID number]", "email": "[e-mail]",
                                 "phone": "[phone number]", "number": "[number]"}


def placeholder(kind: Kind) -> str:
    """What stands in the transcript where something of ``kind`` was hidden."""
    return _PLACEHOLDER[kind]


class Checks(Protocol):
    """Validators of number kinds, backed by maintained tables (an adapter gives them)."""

    def card(self, digits: str) -> bool:
        """A payment card number: right length, a known first digit, Luhn's check digit."""

    def phone(self, digits: str, international: bool) -> bool:
        """A dialable phone number (``international``: it was said after a "+")."""

    def routing(self, digits: str) -> bool:
        """A bank routing (ABA) number: nine digits with a valid checksum."""

    def national_id(self, digits: str) -> bool:
        """A national ID number that can be told by its digits alone (a US social security number)."""

    def iban(self, text: str) -> bool:
        """An international bank account number (IBAN), as written ("DE89 3704 0044 0532 0130 00")."""


@dataclass(frozen=True)
class Finding:
    """One stretch of a text (character offsets) to hide, and what it is."""

    kind: Kind
    start: int
    end: int


# ---- number runs ------------------------------------------------------------------------

_DIGIT_WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                "seven": "7", "eight": "8", "nine": "9"}
_TEENS = {"ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
          "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19"}
_TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7", "eighty": "8",
         "ninety": "9"}
# Words speech to text writes for a digit said in a run of digits ("four" as "for"). They count only
# among digits read one by one (_split_at_sound_alikes), never on their own.
_SOUNDS_LIKE = {"oh": "0", "o": "0", "for": "4", "fore": "4", "to": "2", "too": "2", "won": "1", "win": "1",
                "ate": "8", "fine": "5"}
_REPEAT = {"double": 2, "triple": 3}
# A number followed by one of these is an amount or a count, not part of a number read out.
_UNITS = frozenset("percent per cent dollars dollar euros euro pounds bucks k million millions billion thousand "
                   "grand times points point seats users people reps licenses licences minutes hours days weeks "
                   "months years am pm".split())

_TOKEN = re.compile(
    r"(?P<amount>[$€£]\s?\d[\d,]*(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?\s?%|(?<![\d.])\d+\.\d+(?![.\d])"
    r"|\d{1,2}:\d{2}|\d+(?:/\d+)+|\d+(?:st|nd|rd|th)\b)"
    r"|(?P<digits>\d+)"
    r"|(?P<word>[A-Za-z]+(?:['’][A-Za-z]+)?)"
)
# What may stand between two parts of one number read out: spaces, commas, full stops, hyphens, brackets.
_JOIN = re.compile(r"[\s,.\-–—()]{0,4}")
_MIN_HIDDEN_DIGITS = 7  # a number read out: a local phone number is seven digits
_MIN_SHOWN_DIGITS = 5  # without checks (the overlay), runs this long are hidden


@dataclass(frozen=True)
class _Part:
    """A token of a number run: where it is and the digits it stands for."""

    start: int
    end: int
    digits: str
    strong: bool  # a digit or a number word; False for a word that only sounds like one ("for")
    year: bool = False


def _parts(text: str) -> list[_Part | None]:
    """The text as number tokens, None standing for anything else (a word, an amount, a time)."""
    out: list[_Part | None] = []
    matches = list(_TOKEN.finditer(text))
    i = 0
    while i < len(matches):
        m = matches[i]
        kind = m.lastgroup
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        unit_next = (nxt is not None and nxt.lastgroup == "word" and nxt.group().lower() in _UNITS
                     and not text[m.end():nxt.start()].strip())
        if kind == "digits":
            d = m.group()
            if unit_next:
                out.append(None)
            else:
                out.append(_Part(m.start(), m.end(), d, True, year=len(d) == 4 and 1900 <= int(d) <= 2099))
        elif kind == "word":
            w = m.group().lower()
            if w in _REPEAT and nxt is not None and nxt.lastgroup in ("word", "digits"):
                d = _DIGIT_WORDS.get(nxt.group().lower(), nxt.group() if nxt.group().isdigit() else "")
                if len(d) == 1:
                    out.append(_Part(m.start(), nxt.end(), d * _REPEAT[w], True))
                    i += 2
                    continue
            if w in _DIGIT_WORDS or w in _TEENS:
                out.append(None if unit_next else _Part(m.start(), m.end(), _DIGIT_WORDS.get(w) or _TEENS[w], True))
            elif w in _TENS:
                unit = nxt.group().lower() if nxt is not None and nxt.lastgroup == "word" else ""
                if unit in _DIGIT_WORDS and unit != "zero" and re.fullmatch(r"[\s-]", text[m.end():nxt.start()]
                                                                            if nxt else ""):
                    assert nxt is not None
                    out.append(_Part(m.start(), nxt.end(), _TENS[w] + _DIGIT_WORDS[unit], True))
                    i += 2
                    continue
                out.append(None if unit_next else _Part(m.start(), m.end(), _TENS[w] + "0", True))
            elif w == "hundred" and out and out[-1] is not None and out[-1].strong and len(out[-1].digits) == 1:
                last = out[-1]
                out[-1] = _Part(last.start, m.end(), last.digits + "00", True)
            elif w in _SOUNDS_LIKE:
                out.append(_Part(m.start(), m.end(), _SOUNDS_LIKE[w], False))
            else:
                out.append(None)
        else:
            out.append(None)
        i += 1
    return out


def _runs(text: str) -> list[list[_Part]]:
    """Number tokens that follow each other with only joining characters between them."""
    runs: list[list[_Part]] = []
    current: list[_Part] = []
    for part in _parts(text) + [None]:
        if part is not None and current and _JOIN.fullmatch(text[current[-1].end:part.start]):
            current.append(part)
            continue
        if current:
            runs += _split_at_sound_alikes(current)
        current = [part] if part is not None else []
    # A run needs a real digit in it.
    return [r for r in runs if any(p.strong for p in r)]


def _split_at_sound_alikes(run: list[_Part]) -> list[list[_Part]]:
    """A word that only sounds like a digit ("for", "to", "fine") is one only among digits read one by one
    ("for 1-5", "1-5, fine, fine, zero"), not beside a number said whole ("to 50 to 60", "2024 too"): there it
    ends the run."""
    single = [p.strong and len(p.digits) == 1 for p in run]
    kept = list(single)
    changed = True
    while changed:
        changed = False
        for i, p in enumerate(run):
            if not p.strong and not kept[i] and any(kept[j] for j in (i - 1, i + 1) if 0 <= j < len(run)):
                kept[i] = changed = True
    out: list[list[_Part]] = [[]]
    for p, ok in zip(run, kept, strict=True):
        if p.strong or ok:
            out[-1].append(p)
        elif out[-1]:
            out.append([])
    return [r for r in out if r]


# ---- what a run is ----------------------------------------------------------------------

_CONTEXT_CHARS = 60
_ACCOUNT = re.compile(r"\b(?:account|acct|a/c|iban)\b", re.I)
_ROUTING = re.compile(r"\b(?:routing|aba|transit|sort code|swift|bic)\b", re.I)
_ID = re.compile(r"\b(?:social(?! media)|ssn|sin|national insurance|passport|driver'?s licen[cs]e|driving licen[cs]e|"
                 r"licen[cs]e number|id number|identity|tax id|tin|ein|date of birth|birth date)\b", re.I)
_SSN_FORM = re.compile(r"\d{3}-\d{2}-\d{4}")
# Said just before a short number, these name it (stricter than the words above: "account" alone is everyday
# sales talk, "account number" is not).
_CARD = re.compile(r"\b(?:card number|card is|card ending|ending in|credit card|debit card|visa|mastercard|amex|"
                   r"american express|cvv|cvc|security code)\b", re.I)
_PHONE = re.compile(r"\b(?:phone|cell|mobile|call me|reach me|text me|fax|extension|whatsapp)\b", re.I)
_ID_NAMED = re.compile(r"\b(?:social security|my social|ssn|social insurance|national insurance|passport|"
                       r"driver'?s licen[cs]e|driving licen[cs]e|licen[cs]e number|id number|date of birth)\b", re.I)
_ROUTING_NAMED = re.compile(r"\b(?:routing|sort code|aba)\b", re.I)
_ACCOUNT_NAMED = re.compile(r"\b(?:account number|acct|account ending|iban)\b", re.I)
_NAMED_CHARS = 40  # a short number is taken for what was named this close before it
_NAMING: tuple[tuple[re.Pattern[str], Kind], ...] = ((_CARD, "card"), (_PHONE, "phone"), (_ID_NAMED, "id"),
                                                     (_ROUTING_NAMED, "routing"), (_ACCOUNT_NAMED, "account"))


def _named(before: str) -> Kind | None:
    """What the words just before a short number said it is ("the card number is four one one", cut short by
    a pause or by speech to text; "the security code is 123"), or None."""
    return _nearest(before, _NAMING)


def _nearest(before: str, naming: tuple[tuple[re.Pattern[str], Kind], ...]) -> Kind | None:
    """The kind whose naming words come last before a number ("routing number …, account number 1234")."""
    best: tuple[int, Kind | None] = (-1, None)
    for pattern, kind in naming:
        for m in pattern.finditer(before):
            best = max(best, (m.end(), kind), key=lambda b: b[0])
    return best[1]


def _context(text: str, start: int) -> str:
    """The words just before a run: what the speaker said it was."""
    return text[max(0, start - _CONTEXT_CHARS):start]


def _grouped_as_card(parts: list[_Part]) -> bool:
    """Digits grouped as a card number is read out: one block, fours ("4111 1111 1111 1111"), Amex's 4-6-5, or
    digit by digit ("four one one one", "41-1, 1, 1"). Not a phone number and a card said in one breath
    ("415 555 0134, 4111 …"), whose 14 or 18 first digits pass Luhn one time in ten."""
    sizes = [len(p.digits) for p in parts]
    fours = all(k == 4 for k in sizes[:-1]) and sizes[-1] <= 4
    return (len(sizes) == 1 or all(k <= 2 for k in sizes) or sizes in ([4, 6, 5], [4, 6, 4]) or fours
            or (sizes[0] == 4 and all(k <= 2 for k in sizes[1:])))


def _kind(digits: str, text: str, parts: list[_Part], checks: Checks) -> Kind | None:
    """What a stretch of a run is, by its digits and what was said before it, or None."""
    n = len(digits)
    before = _context(text, parts[0].start)
    said = text[parts[0].start:parts[-1].end]
    if 13 <= n <= 19 and _grouped_as_card(parts) and checks.card(digits):
        return "card"
    if n == 9 and _SSN_FORM.fullmatch(said) and checks.national_id(digits):
        return "id"
    named = _nearest(before, ((_ID, "id"), (_ROUTING, "routing"), (_ACCOUNT, "account")))
    if named == "id" and 6 <= n <= 12:
        return "id"
    if named == "routing" and (checks.routing(digits) or 6 <= n <= 11):
        return "routing"
    if named == "account" and 5 <= n <= 34:
        return "account"
    if 7 <= n <= 15 and checks.phone(digits, international=before.rstrip().endswith("+")):
        return "phone"
    return None


def _hidden_in_run(text: str, run: list[_Part], checks: Checks | None) -> list[Finding]:
    """The stretches of one run to hide: the longest that a check names, left to right; then what is left
    over, if it is long enough to be a number read out."""
    found: list[Finding] = []
    rest: list[list[_Part]] = []
    i, left = 0, 0
    n = len(run)
    while checks is not None and i < n:
        hit = None
        if run[i].strong:
            for j in range(n, i, -1):
                if not run[j - 1].strong:
                    continue
                digits = "".join(p.digits for p in run[i:j])
                if len(digits) < 5:
                    break
                kind = _kind(digits, text, run[i:j], checks)
                if kind is not None:
                    hit = (j, kind)
                    break
        if hit is None:
            i += 1
            continue
        if left < i:
            rest.append(run[left:i])
        found.append(Finding(hit[1], run[i].start, run[hit[0] - 1].end))
        i = left = hit[0]
    if left < n:
        rest.append(run[left:])
    least = _MIN_HIDDEN_DIGITS if checks is not None else _MIN_SHOWN_DIGITS
    left_over: list[tuple[Finding | None, list[_Part]]] = [(_leftover(text, p, checks is not None, least), p)
                                                            for p in rest]
    return _merged(found, left_over, text)


def _leftover(text: str, piece: list[_Part], checked: bool, least: int) -> Finding | None:
    """What a stretch of a run that no check named is: a number named by the words before it, a long number,
    or nothing to hide."""
    strong = [p for p in piece if p.strong]
    said = sum(len(p.digits) for p in strong)
    if not strong or all(p.year for p in strong):
        return None  # "2024, 2025, 2026": years, said as years
    named = _named(_context(text, piece[0].start)[-_NAMED_CHARS:]) if said >= 3 else None
    if named is not None:
        return Finding(named, piece[0].start, piece[-1].end)
    if (checked and said < 4) or sum(len(p.digits) for p in piece) < least:
        return None
    return Finding("number", piece[0].start, piece[-1].end)


def _merged(named: list[Finding], left_over: list[tuple[Finding | None, list[_Part]]], text: str) -> list[Finding]:
    """The findings of one run. What is left over beside a number a check named is part of it, hidden or not
    on its own ("4-1-1-1-…-1", a card number heard with its digits repeated, is one card number; so is
    "4111 1111 1111 1111 1 1 1" and a card's "12 28" after it); a "(" or "+" before a number goes with it."""
    out = sorted(named, key=lambda f: f.start)
    alone: list[Finding] = []
    for finding, piece in left_over:
        a, b = piece[0].start, piece[-1].end
        before = next((k for k, f in enumerate(out) if f.end <= a and _JOIN.fullmatch(text[f.end:a])), None)
        after = next((k for k, f in enumerate(out) if f.start >= b and _JOIN.fullmatch(text[b:f.start])), None)
        if before is not None:
            out[before] = Finding(out[before].kind, out[before].start, b)
        elif after is not None:
            out[after] = Finding(out[after].kind, a, out[after].end)
        elif finding is not None:
            alone.append(finding)
    return [Finding(f.kind, f.start - 1, f.end) if f.start and text[f.start - 1] in "(+" else f
            for f in sorted(out + alone, key=lambda f: f.start)]


# ---- e-mail addresses -------------------------------------------------------------------

_TLDS = ("com|org|net|edu|gov|io|co|us|uk|ca|au|de|fr|nl|es|it|ie|in|biz|info|me|ai|app|dev|tech|eu|ch|se|no|"
         "dk|fi|be|at|nz|jp|br|mx")
_WRITTEN = re.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+", re.I)
_AT = re.compile(r"\s*(?:\bat\b|@)\s*", re.I)
_DOMAIN = re.compile(r"(?:[\w\-]+(?:\.|\s+dot\s+|\s+))*?[\w\-]+(?:\.|\s+dot\s+)(?:" + _TLDS + r")\b", re.I)
_DOMAIN_ALONE = re.compile(r"\b[\w\-]+(?:\.[\w\-]+)*\.(?:" + _TLDS + r")\b|\b[\w\-]+\s+dot\s+(?:" + _TLDS + r")\b",
                           re.I)
_NAME = re.compile(r"([\w'\-]+)((?:\s+dot\s+|\s+underscore\s+|\s+dash\s+|\s+hyphen\s+|\s*[._\-]\s*|\s*))$", re.I)
# Words that are not part of an address said aloud: what comes before one ("send it to", "my e-mail is").
_NOT_NAMES = frozenset("""
a about after all also am an and any are as ask at be been but by can check come contact could did do does
dot e-mail email find for from get go going got had has have he he's her here him his how i i'll i'm i've if
in inbox into is it it's its just know let's like look mail me mine my no not now of ok okay on online or our
out over page please reach send she she's should site so still sure than that that's the their them then
there they they're this to today too try up us use via visit was we we'll we're we've website what when where
which who will with would write yeah yes you you'll you're your
""".split())
_CUE = re.compile(r"\b(?:e-?mail|address|send (?:it|that|them|everything)? ?to|write to|reach me|inbox)\b", re.I)
_DOT_CHAIN = re.compile(r"[\w'\-]+\s*(?:\s+dot\s+|\.(?=\S)|_)\s*[\w'\-]+\s*$", re.I)
_MAX_NAME_WORDS = 3
# After a name said with "dot"s ("sam dot rivera at …"), the domain however it was heard: its ending lost or cut
# off by a pause ("… at northwind dot", "… at northwind").
# A capital after a "dot" starts the next sentence, not the domain's next part.
_CUT_DOMAIN = re.compile(r"[\w\-]+(?:\s+dot\s+(?-i:(?![A-Z]))[\w\-]+)*(?:\s+dot\b)?", re.I)
_SAID_DOT = re.compile(r"\s+dot\s+", re.I)


_WINDOW = 80  # an address is looked for this far around its "at" or its domain (long texts stay linear)
_CLAUSE_END = re.compile(r"[,;:!?]\s*$")


def _local_part(text: str, end: int, most: int = _MAX_NAME_WORDS) -> int:
    """Where the name of an address said before ``end`` starts (``end`` itself: no name), at most ``most`` words."""
    start = end
    words = 0
    while words < most:
        m = _NAME.search(text, max(0, start - _WINDOW), start)
        if m is None or m.group(1).lower() in _NOT_NAMES or m.group(1).lower() == "dot":
            break
        start = m.start(1)
        words += 1
        if _CLAUSE_END.search(text, max(0, start - 8), start):
            break
    return start


def _emails(text: str) -> list[Finding]:
    found = [Finding("email", m.start(), m.end()) for m in _WRITTEN.finditer(text)]
    taken = sorted((f.start, f.end) for f in found)  # stretches already an address, none overlapping

    def free(a: int, b: int) -> bool:
        i = bisect_left(taken, (b, b))
        return (i == 0 or taken[i - 1][1] <= a) and (i == len(taken) or taken[i][0] >= b)

    # Said with an "at": the name before it, the domain after.
    for at in _AT.finditer(text):
        if "@" in at.group() and not free(at.start(), at.end()):
            continue
        domain = _DOMAIN.match(text, at.end(), at.end() + _WINDOW)
        name = _local_part(text, at.start())
        if domain is None and name < at.start() and _SAID_DOT.search(text, name, at.start()):
            domain = _CUT_DOMAIN.match(text, at.end(), at.end() + _WINDOW)
        if domain is None:
            continue
        if name < at.start() and free(name, domain.end()):
            found.append(Finding("email", name, domain.end()))
            insort(taken, (name, domain.end()))
    # The "at" lost: a domain after a name said with "dot"s, or after the words "e-mail", "send it to".
    for d in _DOMAIN_ALONE.finditer(text):
        if not free(d.start(), d.end()):
            continue
        end = len(text[max(0, d.start() - _WINDOW):d.start()].rstrip()) + max(0, d.start() - _WINDOW)
        if _DOT_CHAIN.search(text, max(0, d.start() - _WINDOW), d.start()) and _local_part(text, end) < end:
            # "Sam Dot Rivera Example.com": a name said with dots, the "at" lost
            name = _local_part(text, end)
        elif _CUE.search(text, max(0, d.start() - _CONTEXT_CHARS), d.start()):
            # "send it to sam example.com", "my e-mail is example.com": an address heard without its "at"
            name = _local_part(text, end, most=1)
            name = name if name < end else d.start()
        else:
            continue  # a website
        found.append(Finding("email", name, d.end()))
        insort(taken, (name, d.end()))
    return found


_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")

_CUT_OFF = re.compile(r"(?:\s+(?:at|dot|underscore)\s+|\s*[@.]\s*)([\w\-]+)(?:(?:\s+dot\b\s*|\.)[\w\-]*)*\W*$",
                      re.I)


def _email_cut_off(text: str, found: list[Finding]) -> list[Finding]:
    """A live guess cut off inside an address ("mail sam dot rivera at northwind"): from its name to the end."""
    m = _CUT_OFF.search(text, max(0, len(text) - 2 * _WINDOW))
    if m is None or m.group(1).lower() in _NOT_NAMES or any(f.end > m.start() for f in found):
        return []
    name = _local_part(text, m.start())
    if name == m.start() or not re.search(r"\bdot\b|@|\bunderscore\b|[A-Za-z]\.[A-Za-z]", text[name:], re.I):
        return []  # no name before it, or nothing of an address in it ("meet at noon")
    return [Finding("email", name, len(text.rstrip(" ,.;:!?")))]


# ---- the whole text ---------------------------------------------------------------------


def find(text: str, checks: Checks | None, open_end: bool = False) -> list[Finding]:
    """Everything in ``text`` to hide, in order, none overlapping (``checks=None``: the overlay's stricter rule,
    every run of five digits or more hidden as a number). ``open_end``: the text may go on (a live guess, a
    line cut mid-number), so a run of five digits or more at its very end is hidden too."""
    found = _emails(text)
    if open_end:
        found += _email_cut_off(text, found)
    if checks is not None:
        for m in _IBAN.finditer(text):
            if checks.iban(m.group()):
                found.append(Finding("account", m.start(), m.end()))
    for run in _runs(text):
        found += _hidden_in_run(text, run, checks)
        if (open_end and not text[run[-1].end:].strip(" ,.-") and sum(len(p.digits) for p in run) >= _MIN_SHOWN_DIGITS
                and not any(f.start <= run[-1].start < f.end for f in found)):
            found.append(Finding("number", run[0].start, run[-1].end))
    out: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if out and f.start < out[-1].end:
            if f.end > out[-1].end:
                out[-1] = Finding(out[-1].kind, out[-1].start, f.end)
            continue
        out.append(f)
    return out


def hide(text: str, findings: list[Finding]) -> str:
    """``text`` with each finding replaced by its placeholder."""
    pieces: list[str] = []
    at = 0
    for f in findings:
        pieces += [text[at:f.start], placeholder(f.kind)]
        at = f.end
    pieces.append(text[at:])
    return "".join(pieces)


_OPEN = re.compile(r"(?:\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|oh|double|triple|dot|at|"
                   r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b|@|\w\.\w)"
                   r"[^\w]*(?:\w+[^\w]*){0,2}$", re.I)


def open_tail(text: str) -> bool:
    """The end of ``text`` may be the start of a number or an address the speaker goes on with after a pause."""
    return _OPEN.search(text) is not None


def shown(text: str) -> str:
    """What the overlay may show of something the rep said: e-mail addresses and every run of five digits or
    more hidden, even what the checks would let through, and a number cut off at the end too."""
    return hide(text, find(text, None, open_end=True))
