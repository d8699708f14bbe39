"""The rulebook: which phrases take the wheel from the buyer, and which lines to offer instead.

A rulebook is a TOML file a user can copy and edit (the default is ``assets/rules/en.toml``).
Loading checks everything up front, so a broken rulebook fails with one sentence that names
the file, the line or the rule, and what is wrong — never later, mid-call.
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import regex  # partial matching: re has none

from copilot.core.assets import asset_path
from copilot.core.wordmatch import WordStartMatcher
from copilot.errors import UserError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["GUARDS", "Category", "Rulebook", "RulebookError", "any_at_word_start", "any_of", "default_rules_path",
           "expand", "lowercase_pattern", "partial_matcher"]

GUARDS = ("negation", "question", "permission", "autonomy", "reflection")
"""Checks that stop a directive pattern from flagging what only looks similar."""

_GUARD_PATTERN_KEYS = (
    "negation",
    "conditional",
    "question_openers",
    "leading_questions",
    "permission",
    "autonomy",
    "reflection",
    "reported",
    "addressed",
    "named",
    "you_object",
    "own_offer",
    "remarks",
    "asks_to_tell",
    "asks_for_advice",
    "generic",
    "cues",
    "statement_openers",
)
_TOP_KEYS = {"version", "guards", "categories"}
_CATEGORY_KEYS = {"label", "kind", "prompts", "patterns", "exceptions", "guards", "examples", "not_examples"}
Kind = Literal["directive", "supportive"]


class RulebookError(UserError, ValueError):
    """A rulebook that cannot be used; the message is one sentence a user can act on."""


@dataclass(frozen=True)
class Category:
    """One kind of phrasing: its patterns, its exceptions and the lines offered instead."""

    name: str
    label: str
    kind: Kind
    prompts: tuple[str, ...]
    patterns: tuple[str, ...]
    exceptions: tuple[str, ...]
    guards: frozenset[str]
    # Teach by example: lines to catch, and look-alikes not to, for the model layer to generalise from.
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rulebook:
    """A checked rulebook: categories in file order and the guard word lists."""

    source: str
    version: int
    categories: tuple[Category, ...]
    guard_patterns: dict[str, tuple[str, ...]]
    # Which of the categories' examples and not-examples the rep taught in the review (core/marks.py),
    # as written: `copilot detect --explain` calls them "your example".
    mine: frozenset[str] = frozenset()
    # Where the rep marked one flag of a sentence "not pushy", the phrase they marked, as (sentence, phrase) in
    # words only: only a hit on it is excused, and the sentence's other pushes still flag. A sentence missing
    # here (the rulebook's own not-examples, a flag of the whole sentence) is excused whole.
    mine_phrases: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def load(cls, path: str | Path | None = None) -> Rulebook:
        """Read and check a rulebook file; ``None`` means the bundled default."""
        p = Path(path) if path is not None else default_rules_path()
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RulebookError(f"{p}: no such rulebook file; check the path given to --rules") from None
        except IsADirectoryError:
            raise RulebookError(f"{p}: is a folder, not a rulebook file") from None
        except UnicodeDecodeError:
            raise RulebookError(f"{p}: is not a UTF-8 text file; save the rulebook as UTF-8") from None
        except OSError as e:
            raise RulebookError(f"{p}: cannot be read ({e.strerror})") from None
        return cls.parse(text, str(p))

    @classmethod
    def parse(cls, text: str, source: str = "<rulebook>") -> Rulebook:
        """Check rulebook TOML text; ``source`` names it in error messages."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise RulebookError(f"{source}: {_toml_message(str(e))}") from None
        return _Checker(text, source).rulebook(data)

    def category(self, name: str) -> Category:
        """The category called ``name``."""
        for c in self.categories:
            if c.name == name:
                return c
        raise KeyError(name)


def default_rules_path() -> Path:
    """The bundled English rulebook (inside the installed package, or the source tree)."""
    return asset_path("rules", "en.toml")


def _short(text: str, most: int = 60) -> str:
    """A name or value from the file as an error message quotes it: long ones cut, so the sentence stays readable."""
    return text if len(text) <= most else text[: most - 1] + "\u2026"


def _toml_message(message: str) -> str:
    m = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if not m:
        return f"not valid TOML: {message}"
    what = message[: m.start()].strip()
    return f"line {m.group(1)}, column {m.group(2)}: not valid TOML: {what}"


class _Checker:
    """Walks parsed TOML and turns every mistake into one RulebookError sentence."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source

    def fail(self, where: str, what: str, needle: str | None = None) -> RulebookError:
        line = self._line_of(needle) if needle else None
        at = f"line {line}, {where}" if line else where
        # One line, whatever the file holds (a key or a value may carry a line break or a tab).
        return RulebookError("".join(c if c.isprintable() else " " for c in f"{self.source}: {at}: {what}"))

    def _line_of(self, needle: str) -> int | None:
        for i, line in enumerate(self.lines, 1):
            if needle in line or needle.replace("\\", "\\\\") in line:
                return i
        return None

    def rulebook(self, data: dict[str, Any]) -> Rulebook:
        for key in data:
            if key not in _TOP_KEYS:
                raise self.fail(f"key '{_short(key)}'", f"unknown key (expected one of {sorted(_TOP_KEYS)})", f"{key}")
        version = data.get("version", 1)
        if version != 1:
            raise self.fail("version", f"unsupported rulebook version {_short(repr(version))}; this app reads "
                            "version 1")
        guards = self.guard_patterns(data.get("guards", {}))
        raw_categories = data.get("categories")
        if not isinstance(raw_categories, dict) or not raw_categories:
            raise self.fail("[categories]", "the rulebook has no categories; add at least one [categories.NAME] table")
        categories = tuple(self.category(name, body) for name, body in raw_categories.items())
        if not any(c.kind == "directive" for c in categories):
            raise self.fail("[categories]", "the rulebook has no directive category, so it would never flag anything")
        return Rulebook(self.source, 1, categories, guards)

    def guard_patterns(self, raw: Any) -> dict[str, tuple[str, ...]]:
        if not isinstance(raw, dict):
            raise self.fail("[guards]", "must be a table of pattern lists")
        out: dict[str, tuple[str, ...]] = {}
        for key, value in raw.items():
            if key not in _GUARD_PATTERN_KEYS:
                expected = list(_GUARD_PATTERN_KEYS)
                raise self.fail(f"[guards] key '{_short(key)}'", f"unknown key (expected one of {expected})", key)
            out[key] = self.patterns(f"[guards] {key}", value)
        for key in _GUARD_PATTERN_KEYS:
            out.setdefault(key, ())
        return out

    def category(self, name: str, body: Any) -> Category:
        where = f"category '{_short(name)}'"
        if not isinstance(body, dict):
            raise self.fail(where, "must be a table like [categories.NAME]", f"categories.{name}")
        for key in body:
            if key not in _CATEGORY_KEYS:
                raise self.fail(where, f"unknown key '{_short(key)}' (expected one of {sorted(_CATEGORY_KEYS)})",
                                key)
        kind = body.get("kind", "directive")
        if kind not in ("directive", "supportive"):
            raise self.fail(where, f'kind must be "directive" or "supportive", not {_short(repr(kind))}', "kind")
        label = body.get("label", name.replace("_", " "))
        if not isinstance(label, str):
            raise self.fail(where, "label must be text", "label")
        prompts = self.strings(where, "prompts", body.get("prompts", []))
        if kind == "directive" and not prompts:
            raise self.fail(where, "a directive category needs at least one line in prompts", f"categories.{name}")
        patterns = self.patterns(where, body.get("patterns"))
        examples = self.strings(where, "examples", body["examples"]) if "examples" in body else ()
        not_examples = self.strings(where, "not_examples", body["not_examples"]) if "not_examples" in body else ()
        if not patterns and not examples:
            raise self.fail(where, "needs at least one pattern or one example", f"categories.{name}")
        exceptions = self.patterns(where, body.get("exceptions", []))
        guards = body.get("guards", list(GUARDS))
        guard_names = self.strings(where, "guards", guards)
        for g in guard_names:
            if g not in GUARDS:
                raise self.fail(where, f"unknown guard '{_short(g)}' (expected some of {list(GUARDS)})", g)
        return Category(name, label, kind, prompts, patterns, exceptions, frozenset(guard_names), examples,
                        not_examples)

    def strings(self, where: str, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(where, f"{key} must be a list of non-empty strings", key)
        return tuple(value)

    def patterns(self, where: str, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        items = self.strings(where, "patterns", value)
        for i, p in enumerate(items, 1):
            try:
                compiled = re.compile(expand(p, left=False), re.IGNORECASE)
            except re.error as e:
                raise self.fail(f"{where} pattern {i} '{_short(p)}'", f"not a valid regular expression ({e.msg})",
                                p) from None
            if compiled.search("") is not None:
                raise self.fail(f"{where} pattern {i} '{_short(p)}'", "matches empty text, so it would flag everything",
                                p)
        return items


# expand and lowercase_pattern are pure and asked again for every pattern each time a detector is built: remembered.
@functools.lru_cache(maxsize=4096)
def expand(pattern: str, *, left: bool = True) -> str:
    """Turn a rulebook pattern into a regex: whole words only, a space matches any whitespace.

    ``left=False`` leaves out the check before the pattern, for callers that only try it
    at the start of a word anyway.
    """
    body = pattern.strip().replace(" ", r"\s+")
    # Word boundaries only where the pattern begins or ends with a word; a guard like
    # ", right?" starts with punctuation and must not need a space before it. "\b(?<!')"
    # means "not after a letter or an apostrophe", and runs several times faster in Python's
    # re than the equivalent single look-behind.
    before = "" if not left or body[:1] in ",.;:!?" else r"\b(?<!')"
    after = "" if body[-1:] in ",.;:!" or body.endswith("\\?") else r"(?![\w'])"
    return rf"{before}(?:{body}){after}"


@functools.lru_cache(maxsize=4096)
def lowercase_pattern(pattern: str) -> str:
    """The pattern for lower-cased text: letters lowered, escapes (``\\W``, ``\\S``) kept as written."""
    out = []
    chars = iter(pattern)
    for ch in chars:
        if ch == "\\":
            out.append(ch + next(chars, ""))
        else:
            out.append(ch.lower() if len(ch.lower()) == 1 else ch)
    return "".join(out)


def any_of(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """A list of the rulebook's patterns as one regex for lower-cased text (None for an empty list)."""
    if not patterns:
        return None
    return re.compile("|".join(expand(lowercase_pattern(p)) for p in patterns))


def partial_matcher(pattern: re.Pattern[str] | None) -> regex.Pattern[str] | None:
    """``pattern`` compiled for partial matching (what a sentence still being said may yet become); None when
    there is none, or when a rep's own rulebook holds an expression only Python's ``re`` reads (the hit is then
    judged on the words so far)."""
    if pattern is None:
        return None
    try:
        return regex.compile(pattern.pattern)
    except regex.error:
        return None


def any_at_word_start(patterns: tuple[str, ...]) -> WordStartMatcher:
    """A list of the rulebook's patterns as one matcher for lower-cased text, tried only where a word starts
    (several times faster for a list searched in every sentence)."""
    return WordStartMatcher([("g", [expand(lowercase_pattern(p), left=False) for p in patterns])])
