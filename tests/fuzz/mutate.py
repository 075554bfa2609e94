"""Seeded mutations of real input files: what a typo, a broken tool or a wrong save produces.

``mutants(seed_bytes, count, rng)`` yields ``(kind, bytes)`` pairs; the same ``random.Random`` seed gives
the same inputs, so a failing input can be replayed from its index.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

Mutation = Callable[[bytes, random.Random], bytes]

_JUNK = [
    b"\x00",
    b"\xff\xfe",
    b"\xed\xa0\x80",  # a lone surrogate, invalid UTF-8
    b"\xc3",  # a truncated UTF-8 sequence
    b"\r\n",
    b"\t",
    b"|",
    b'"',
    b"'",
    b"<",
    b">",
    b"@prefix",
    b"_:",
    b"^^",
    b"\\u",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b"(",
    b")",
    b";",
    b".",
    b",",
    b":",
    b"#",
    b"-1",
    b"1e999999",
    b"NaN",
    b"true",
    b"null",
    b"\xe2\x80\xae",  # right-to-left override
    b"\xef\xbb\xbf",  # a BOM in the middle
]
_WRONG_TYPES = [b"0", b"-1", b"3.5", b"true", b"null", b"[]", b"{}", b'""', b"x" * 40, b"\xc3\xa9", b"NaN"]
_OPEN_CLOSE = [(b"(", b")"), (b"[", b"]"), (b"{", b"}"), (b"<", b">"), (b'"', b'"'), (b"[ a ", b" ]")]


def _pos(data: bytes, rng: random.Random) -> int:
    return rng.randint(0, len(data))


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: _pos(data, rng)]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 16))):
        i = rng.randrange(len(out))
        out[i] = rng.randrange(256) if rng.random() < 0.5 else out[i] ^ (1 << rng.randrange(8))
    return bytes(out)


def insert_junk(data: bytes, rng: random.Random) -> bytes:
    i = _pos(data, rng)
    return data[:i] + rng.choice(_JUNK) * rng.choice((1, 1, 3)) + data[i:]


def delete_range(data: bytes, rng: random.Random) -> bytes:
    i = _pos(data, rng)
    return data[:i] + data[i + rng.randint(1, 200) :]


def duplicate_range(data: bytes, rng: random.Random) -> bytes:
    i = _pos(data, rng)
    j = min(len(data), i + rng.randint(1, 400))
    return data[:j] + data[i:j] + data[j:]


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data + b"\n" + data
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def drop_line(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def wrong_encoding(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    kind = rng.choice(("utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "bom", "mixed"))
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "mixed":  # one part re-saved in Latin-1, with an accent to make it matter
        i = _pos(data, rng)
        return data[:i] + "é ü ß".encode("latin-1") + data[i:]
    return text.encode(kind, "replace")


def huge_line(data: bytes, rng: random.Random) -> bytes:
    i = _pos(data, rng)
    size = rng.choice((10_000, 100_000, 1_000_000))
    return data[:i] + rng.choice((b"a", b"9", b"\t", b" ", b"\xc3\xa9")) * size + data[i:]


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    i = _pos(data, rng)
    opener, closer = rng.choice(_OPEN_CLOSE)
    depth = rng.choice((100, 1_000, 5_000, 50_000))
    closed = rng.random() < 0.5
    return data[:i] + opener * depth + (closer * depth if closed else b"") + data[i:]


def wrong_type(data: bytes, rng: random.Random) -> bytes:
    """Replace one token (a run of word characters) with a value of another type."""
    tokens = [
        k for k in range(len(data)) if chr(data[k]).isalnum() and (k == 0 or not chr(data[k - 1]).isalnum())
    ]
    if not tokens:
        return data + rng.choice(_WRONG_TYPES)
    start = rng.choice(tokens)
    end = start
    while end < len(data) and chr(data[end]).isalnum():
        end += 1
    return data[:start] + rng.choice(_WRONG_TYPES) + data[end:]


def empty(data: bytes, rng: random.Random) -> bytes:
    return rng.choice((b"", b"\n", b" ", b"\xef\xbb\xbf", b"\x00" * 8))


def line_endings(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"\n", rng.choice((b"\r\n", b"\r", b"\n\n", b"\x0b", b"\xc2\x85")))


MUTATIONS: dict[str, Mutation] = {
    "truncate": truncate,
    "flip bytes": flip_bytes,
    "insert junk": insert_junk,
    "delete range": delete_range,
    "duplicate range": duplicate_range,
    "swap lines": swap_lines,
    "drop line": drop_line,
    "wrong encoding": wrong_encoding,
    "huge line": huge_line,
    "deep nesting": deep_nesting,
    "wrong type": wrong_type,
    "empty": empty,
    "line endings": line_endings,
}
#: How often each mutation is drawn: the expensive ones (huge, deep) less often.
WEIGHTS = {name: 1 for name in MUTATIONS} | {"huge line": 0.15, "deep nesting": 0.3, "empty": 0.05}


def mutants(
    seeds: list[bytes], count: int, rng: random.Random, kinds: dict[str, Mutation] | None = None
) -> Iterator[tuple[str, bytes]]:
    """``count`` mutated inputs: each a seed with one to three stacked mutations."""
    table = kinds or MUTATIONS
    names = list(table)
    weights = [WEIGHTS.get(n, 1) for n in names]
    for _ in range(count):
        data = rng.choice(seeds)
        applied = []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            name = rng.choices(names, weights)[0]
            data = table[name](data, rng)
            applied.append(name)
        yield "+".join(applied), data
