"""How ``copilot bench fuzz`` breaks a good file: bit flips, truncation, splicing, random bytes, odd values.

Each mutation starts from a real, valid file (a seed) and is drawn from a seeded
:class:`random.Random`, so a case is the same on every run with the same seed. Byte
mutations suit every kind and aim at the start of the file half the time (where formats
keep their headers); text mutations suit TOML and JSON, changing a value for one of
another kind or an extreme (a huge number, ``nan``, an empty or very long string), or
dropping, doubling and swapping lines, so that a file still parses but says something odd.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

__all__ = ["mutate_bytes", "mutate_text", "mutate_pages", "ODD_VALUES"]

HEADER = 1024  # bytes at the start where most formats say what follows

# Values a settings file, a rulebook or a JSON file could hold that no one meant.
ODD_VALUES = ("0", "-1", "1e308", "-1e308", "nan", "inf", "-inf", "9223372036854775808", "0.0000001", "true",
              "false", '""', '" "', '"\\u0000"', '"' + "x" * 5000 + '"', '"((a+)+)+$"', '"["', '"\\\\"', "[]", "{}",
              '["a", 1]', '"\U0001F600 é ß 中"', "null", '"../../../etc/passwd"', "1", "0.5", "2", "100000")


def mutate_bytes(data: bytes, rng: random.Random, others: Sequence[bytes] = ()) -> bytes:
    """One to three byte mutations of ``data`` (``others``: seeds of the same kind, for splicing)."""
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3))):
        out = bytearray(rng.choice(_BYTE_MUTATIONS)(bytes(out), rng, others))
    return bytes(out)


def mutate_text(text: str, rng: random.Random) -> str:
    """One to three text mutations: a value swapped for an odd one, a line dropped, doubled or swapped."""
    for _ in range(rng.choice((1, 1, 2, 3))):
        text = rng.choice(_TEXT_MUTATIONS)(text, rng)
    return text


def mutate_pages(data: bytes, rng: random.Random, others: Sequence[bytes] = (), page: int = 4096) -> bytes:
    """A database file broken the way disks and copies break them: a page zeroed, garbled or taken from
    another file, the file cut at a page edge, or the header's bytes flipped."""
    n = max(1, len(data) // page)
    out = bytearray(data)
    kind = rng.randrange(6)
    p = rng.randrange(n)
    if kind == 0:
        out[p * page:(p + 1) * page] = bytes(len(out[p * page:(p + 1) * page]))
    elif kind == 1:
        for _ in range(rng.randint(1, 32)):
            i = p * page + rng.randrange(min(page, max(1, len(out) - p * page)))
            if i < len(out):
                out[i] = rng.randrange(256)
    elif kind == 2 and others:
        other = rng.choice(others)
        q = rng.randrange(max(1, len(other) // page))
        out[p * page:(p + 1) * page] = other[q * page:(q + 1) * page]
    elif kind == 3:
        del out[rng.randint(0, n) * page:]
    elif kind == 4:
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(min(100, len(out))) if out else 0
            if i < len(out):
                out[i] ^= 1 << rng.randrange(8)
    else:
        return mutate_bytes(data, rng, others)
    return bytes(out)


def _where(data: bytes, rng: random.Random) -> int:
    if not data:
        return 0
    if rng.random() < 0.5:
        return rng.randrange(min(HEADER, len(data)))
    return rng.randrange(len(data))


def _flip(data: bytes, rng: random.Random, _o: Sequence[bytes]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[_where(data, rng)] ^= 1 << rng.randrange(8)
    return bytes(out)


def _set(data: bytes, rng: random.Random, _o: Sequence[bytes]) -> bytes:
    out = bytearray(data)
    if out:
        i = _where(data, rng)
        width = rng.choice((1, 2, 4))
        value = rng.choice((0x00, 0xFF, 0x7F, 0x80, rng.randrange(256)))
        out[i:i + width] = bytes([value]) * len(out[i:i + width])
    return bytes(out)


def _truncate(data: bytes, rng: random.Random, _o: Sequence[bytes]) -> bytes:
    return data[:_where(data, rng)] if data else data


def _splice(data: bytes, rng: random.Random, others: Sequence[bytes]) -> bytes:
    other = rng.choice(others) if others else data
    return data[:_where(data, rng)] + other[_where(other, rng):]


def _random_chunk(data: bytes, rng: random.Random, _o: Sequence[bytes]) -> bytes:
    i = _where(data, rng)
    n = rng.choice((1, 4, 16, 64, 512))
    return data[:i] + rng.randbytes(n) + data[i + n:]


def _insert(data: bytes, rng: random.Random, _o: Sequence[bytes]) -> bytes:
    i = _where(data, rng)
    return data[:i] + rng.randbytes(rng.choice((1, 3, 16, 100))) + data[i:]


def _delete(data: bytes, rng: random.Random, _o: Sequence[bytes]) -> bytes:
    i = _where(data, rng)
    return data[:i] + data[i + rng.choice((1, 2, 8, 64, 1000)):]


def _repeat(data: bytes, rng: random.Random, _o: Sequence[bytes]) -> bytes:
    i = _where(data, rng)
    chunk = data[i:i + rng.choice((4, 64, 1024))]
    return data[:i] + chunk * rng.randint(2, 20) + data[i:]


def _noise(data: bytes, rng: random.Random, _o: Sequence[bytes]) -> bytes:
    return rng.randbytes(rng.choice((0, 1, 12, 44, 100, 4096)))


_BYTE_MUTATIONS: tuple[Callable[[bytes, random.Random, Sequence[bytes]], bytes], ...] = (
    _flip, _flip, _set, _truncate, _truncate, _splice, _random_chunk, _insert, _delete, _repeat, _noise)

_VALUE = re.compile(r'(?<=[=:\[,]\s)(?:"(?:[^"\\\n]|\\.)*"|-?[0-9][0-9eE.+_-]*|true|false|null|nan|inf)')


def _odd_value(text: str, rng: random.Random) -> str:
    found = list(_VALUE.finditer(text))
    if not found:
        return text
    m = rng.choice(found)
    return text[:m.start()] + rng.choice(ODD_VALUES) + text[m.end():]


def _lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    kind = rng.randrange(3)
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(j, lines[i])
    else:
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _key(text: str, rng: random.Random) -> str:
    keys = list(re.finditer(r'^\s*"?([A-Za-z_][A-Za-z0-9_]*)"?\s*[=:]', text, re.M))
    if not keys:
        return text
    m = rng.choice(keys)
    new = rng.choice(("", "x", m.group(1) * 2, "version", "kind", "coach", "marks", "voiceprint", "ünïcode"))
    return text[:m.start(1)] + new + text[m.end(1):]


def _text_as_bytes(text: str, rng: random.Random) -> str:
    return mutate_bytes(text.encode("utf-8"), rng).decode("utf-8", errors="replace")


_TEXT_MUTATIONS: tuple[Callable[[str, random.Random], str], ...] = (
    _odd_value, _odd_value, _odd_value, _lines, _key, _text_as_bytes)
