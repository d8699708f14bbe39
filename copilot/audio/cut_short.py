"""Is a recording whole? A file cut short (a copy or a download not finished, a recorder that stopped) decodes
as a shorter call, and without a word the rep would read its numbers as the whole call's.

What a finished file carries that a cut one does not, by kind:

- most containers (MP3 with a Xing/Info/VBRI frame, FLAC, Matroska/WebM) say how long they are in their header:
  a file that ends well before that was cut (an MP3 without such a frame has only FFmpeg's guess from its bitrate,
  and is not doubted);
- a WAV file says how many bytes of samples follow (FFmpeg trusts the file's size instead, so the header is
  read here);
- an Ogg file (Opus, Vorbis) has no length in its header; its last page carries an end-of-stream mark;
- any kind: the decoder stops on damaged data part-way (a cut FLAC frame).

A file whose header says nothing (a WAV written while streaming, with a length of 0 or 4 GB) is not doubted.
"""

from __future__ import annotations

import struct
from pathlib import Path

from copilot.core.scorecard import clock

__all__ = ["cut_short_sentence"]

# A header's length and what decodes differ by a frame or two in a whole file (MP3's padding, a codec's delay):
# only a gap of this much and this share of the claim is a cut.
_GAP_S = 2.0
_GAP_SHARE = 0.02
_MP3_HEAD_BYTES = 4096  # the Xing/Info/VBRI frame is the first audio frame
_TAIL_BYTES = 1 << 16  # an Ogg page is at most 65,307 bytes: the last whole one starts in this much of the end
_OGG_EOS = 0x04
_STREAMED_SIZE = 0x7FFF0000  # a WAV data size this large is a placeholder: no call recording comes near 2 GB of WAV


def cut_short_sentence(path: Path, decoded_s: float, declared_s: float | None, stopped: str | None) -> str | None:
    """The sentence that tells the rep a recording looks cut short, or None when it looks whole.

    ``decoded_s``: what decoded; ``declared_s``: the length the container claims (None: it does not say);
    ``stopped``: why decoding stopped part-way (None: it reached the end)."""
    name, got = path.name, clock(decoded_s)
    covers = f"the analysis covers those {got} only"
    if stopped is not None:
        return f"{name} is damaged or cut short at {got} ({stopped}); {covers}."
    claimed = _wav_declared_s(path)
    if claimed is None and not _mp3_guessed(path):
        claimed = declared_s
    if claimed is not None and claimed - decoded_s > max(_GAP_S, _GAP_SHARE * claimed):
        return f"{name} ends at {got} though its header says {clock(claimed)}: it looks cut short; {covers}."
    if _ogg_unfinished(path):
        return (f"{name} ends at {got} without the end mark a finished recording has: it looks cut short "
                f"(a copy not finished, or a recorder that stopped); {covers}.")
    return None


def _wav_declared_s(path: Path) -> float | None:
    """How long a WAV file's header says its samples last (None: not a WAV, or a header that does not say)."""
    try:
        with path.open("rb") as f:
            head = f.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            byte_rate = 0
            while True:
                chunk = f.read(8)
                if len(chunk) < 8:
                    return None
                kind, size = chunk[:4], int(struct.unpack("<I", chunk[4:])[0])
                if kind == b"fmt ":
                    fmt = f.read(size + (size & 1))
                    if len(fmt) < 12:
                        return None
                    byte_rate = int(struct.unpack("<I", fmt[8:12])[0])
                elif kind == b"data":
                    # 0, or 2 GB and more (0xFFFFFFFF, sox's 0x7FFFF000...): written to a pipe, never filled in
                    if byte_rate <= 0 or size == 0 or size >= _STREAMED_SIZE:
                        return None
                    return size / byte_rate
                else:
                    f.seek(size + (size & 1), 1)
    except OSError:
        return None


def _mp3_guessed(path: Path) -> bool:
    """An MP3 file without a Xing, Info or VBRI frame: its length is FFmpeg's guess from a bitrate (a variable
    bitrate one can be well off), not a header's word."""
    if path.suffix.lower() != ".mp3":
        return False
    try:
        with path.open("rb") as f:
            head = f.read(_MP3_HEAD_BYTES)
    except OSError:
        return True
    if head[:3] == b"ID3" and len(head) >= 10:  # the tag before the first frame: its size is in the tag's header
        skip = 10 + ((head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F))
        try:
            with path.open("rb") as f:
                f.seek(skip)
                head = f.read(_MP3_HEAD_BYTES)
        except OSError:
            return True
    return not any(tag in head for tag in (b"Xing", b"Info", b"VBRI"))


def _ogg_unfinished(path: Path) -> bool:
    """An Ogg file whose last page is not whole or lacks the end-of-stream mark."""
    try:
        with path.open("rb") as f:
            if f.read(4) != b"OggS":
                return False
            size = f.seek(0, 2)
            f.seek(max(0, size - _TAIL_BYTES))
            tail = f.read()
    except OSError:
        return False
    at = tail.rfind(b"OggS")
    if at < 0 or len(tail) - at < 27:
        return True
    page = tail[at:]
    segments = page[26]
    if len(page) < 27 + segments:
        return True
    body = sum(page[27 : 27 + segments])
    if len(page) < 27 + segments + body:
        return True  # the last page is not all there
    return not page[5] & _OGG_EOS
