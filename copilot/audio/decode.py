"""Recordings of a call in, one 16 kHz float32 track per speaker out.

A rep's recording comes in one of two layouts: a stereo file with the rep on one side
(what dialers save), or one file per participant (what Zoom can save). Anything PyAV can
open is accepted, at any sample rate. What a user can get wrong — a missing file, a file
that is not audio, an empty one, a mono file on its own, a silent channel — is reported
as one sentence in an :class:`AudioFileError`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from copilot.audio.cut_short import cut_short_sentence
from copilot.core.facts import SAMPLE_RATE
from copilot.errors import UserError

__all__ = ["SAMPLE_RATE", "AudioFileError", "CallAudio", "MixedAudio", "RepChannel", "check_recording",
           "check_recordings", "decode", "decode_whole", "load_call", "load_recording", "dual_mono"]

RepChannel = Literal["left", "right"]
Samples = npt.NDArray[np.float32]

# Opus at its lowest, 6 kbit/s, is 750 bytes a second; AMR-NB 4.75 kbit/s about 600.
_FEWEST_BYTES_A_SECOND = 400
_INDEX_AT_END = (".m4a", ".mp4", ".mov", ".3gp")
# A channel whose loudest sample stays below -80 dBFS carries nobody's voice.
_SILENT_PEAK = 1e-4

LAYOUTS = (
    "a stereo recording with the rep on one side (CALL --rep-channel left|right), "
    "or one file per participant (--rep FILE --prospect FILE)"
)


class AudioFileError(UserError):
    """A recording that cannot be analysed; the message says which file and why."""


@dataclass(frozen=True)
class CallAudio:
    """Both sides of one call as 16 kHz mono float32 tracks, plus where they came from."""

    rep: Samples
    prospect: Samples
    source: str
    cut_short: tuple[str, ...] = ()  # a sentence for each file that looks cut short (none: whole)

    @property
    def duration_s(self) -> float:
        """Length of the call: the longer of the two tracks."""
        return max(len(self.rep), len(self.prospect)) / SAMPLE_RATE


@dataclass(frozen=True)
class MixedAudio:
    """A recording with everyone on one track (a mono file, or stereo with the same sound on both sides)."""

    mixed: Samples
    source: str
    dual_mono: bool  # stereo, but both channels carry the same mix
    cut_short: tuple[str, ...] = ()  # a sentence if the file looks cut short (none: whole)

    @property
    def duration_s(self) -> float:
        """Length of the recording."""
        return len(self.mixed) / SAMPLE_RATE


def dual_mono(left: Samples, right: Samples) -> bool:
    """True when the two channels carry the same sound (a mixed recording saved as stereo):
    nearly perfectly correlated and within 3 dB of each other, over the first ten minutes."""
    n = min(len(left), len(right), 600 * SAMPLE_RATE)
    a, b = left[:n].astype(np.float64), right[:n].astype(np.float64)
    ea, eb = float(a @ a), float(b @ b)
    if ea <= 0 or eb <= 0:
        return False
    corr = float(a @ b) / np.sqrt(ea * eb)
    return bool(corr > 0.95 and abs(10 * np.log10(ea / eb)) < 3.0)


def load_recording(
    call: str | Path | None = None,
    *,
    rep_channel: RepChannel = "left",
    rep: str | Path | None = None,
    prospect: str | Path | None = None,
) -> CallAudio | MixedAudio:
    """Like :func:`load_call`, but a mono or dual-mono CALL comes back as one mixed track to split by voice."""
    if call is not None and rep is None and prospect is None:
        tracks, cut = decode_whole(call, mono=False)
        said = (cut,) if cut else ()
        if tracks.shape[0] < 2 or dual_mono(tracks[0], tracks[1]):
            mixed = np.ascontiguousarray(tracks.mean(axis=0, dtype=np.float32) if tracks.shape[0] > 1 else tracks[0])
            if max(float(mixed.max()), -float(mixed.min())) < _SILENT_PEAK:
                raise AudioFileError(f"{call} is silent (no sound at all).")
            return MixedAudio(mixed, f"{Path(call).name} (mixed)", dual_mono=tracks.shape[0] > 1, cut_short=said)
        return replace(_two_channels(call, tracks, rep_channel), cut_short=said)
    return load_call(call, rep_channel=rep_channel, rep=rep, prospect=prospect)


def load_call(
    call: str | Path | None = None,
    *,
    rep_channel: RepChannel = "left",
    rep: str | Path | None = None,
    prospect: str | Path | None = None,
) -> CallAudio:
    """Decode a call in either supported layout, checking that each side carries sound."""
    _check_layout(call, rep, prospect)
    if call is not None:
        tracks, cut = decode_whole(call, mono=False)
        if tracks.shape[0] < 2:
            raise AudioFileError(f"{call} is a mono recording, so the rep and the prospect cannot be told apart; "
                                 f"give {LAYOUTS}.")
        return replace(_two_channels(call, tracks, rep_channel), cut_short=(cut,) if cut else ())
    assert rep is not None and prospect is not None  # _check_layout
    (rep_tracks, rep_cut), (prospect_tracks, prospect_cut) = decode_whole(rep, mono=True), decode_whole(prospect,
                                                                                                      mono=True)
    names = {"rep": f"the rep's file {rep}", "prospect": f"the prospect's file {prospect}"}
    source = f"{Path(rep).name} + {Path(prospect).name}"
    return replace(_checked(rep_tracks[0], prospect_tracks[0], names, source),
                   cut_short=tuple(c for c in (rep_cut, prospect_cut) if c))


def check_recordings(call: str | Path | None = None, *, rep: str | Path | None = None,
                     prospect: str | Path | None = None) -> None:
    """What can be said of a recording without reading it (one call file, or both a rep's and a prospect's;
    each there, not a folder, not empty), for a command to say before slower work; raises AudioFileError with
    the sentence :func:`load_call` would give."""
    _check_layout(call, rep, prospect)
    for path in (call, rep, prospect):
        if path is not None:
            check_recording(path)


def _check_layout(call: str | Path | None, rep: str | Path | None, prospect: str | Path | None) -> None:
    if call is not None and (rep is not None or prospect is not None):
        raise AudioFileError(f"Give either one call file or --rep and --prospect, not both; the layouts are {LAYOUTS}.")
    if call is None and (rep is None or prospect is None):
        raise AudioFileError(f"No recording given; give {LAYOUTS}.")


def _two_channels(call: str | Path, tracks: Samples, rep_channel: RepChannel) -> CallAudio:
    left, right = tracks[0], tracks[1]
    rep_track, prospect_track = (left, right) if rep_channel == "left" else (right, left)
    names = {"rep": f"the {rep_channel} channel of {call}",
             "prospect": f"the {'right' if rep_channel == 'left' else 'left'} channel of {call}"}
    return _checked(rep_track, prospect_track, names, f"{Path(call).name} (rep on the {rep_channel})")


def _checked(rep_track: Samples, prospect_track: Samples, names: dict[str, str], source: str) -> CallAudio:
    for who, track in (("rep", rep_track), ("prospect", prospect_track)):
        if max(float(track.max()), -float(track.min())) < _SILENT_PEAK:  # no temporary copy
            raise AudioFileError(f"{names[who]} is silent (no sound at all); "
                                 f"check which file or channel holds the {who}.")
    return CallAudio(np.ascontiguousarray(rep_track), np.ascontiguousarray(prospect_track), source)


def check_recording(path: str | Path) -> Path:
    """The checks :func:`decode` makes before it reads a byte (the file is there, is not a folder, is not
    empty), for a command to make before slower work than them; raises AudioFileError."""
    p = Path(path)
    if not p.exists():
        raise AudioFileError(f"{p} does not exist.")
    if p.is_dir():
        raise AudioFileError(f"{p} is a folder, not a recording.")
    if p.stat().st_size == 0:
        raise AudioFileError(f"{p} is empty (0 bytes).")
    return p


def decode(path: str | Path, *, mono: bool) -> npt.NDArray[np.float32]:
    """Decode an audio file to 16 kHz float32, shape (channels, samples); stereo unless ``mono``.

    A file with more than two channels is downmixed to stereo; a mono file stays mono.
    """
    return decode_whole(path, mono=mono)[0]


def decode_whole(path: str | Path, *, mono: bool) -> tuple[npt.NDArray[np.float32], str | None]:
    """Like :func:`decode`, and whether the file looks cut short: the sentence that says so (None: it looks
    whole). A file damaged part-way gives what decoded before the damage, not an error."""
    import av

    p = check_recording(path)
    stopped: str | None = None
    try:
        with av.open(str(p)) as container:
            if not container.streams.audio:
                raise AudioFileError(f"{p} has no audio track.")
            stream = container.streams.audio[0]
            channels = 1 if mono or stream.channels == 1 else 2
            # Whole seconds out of the resampler, not the codec's 20 ms frames: the checks below run
            # per frame, and per-frame overhead was half of decoding (0.70 s for the 2-minute sample).
            resampler = av.AudioResampler(format="fltp", layout="mono" if channels == 1 else "stereo",
                                          rate=SAMPLE_RATE, frame_size=SAMPLE_RATE)
            # Filled in place: a long call is decoded into one buffer, not a list of chunks
            # and then a copy of them all (half the peak memory for an hour-long call).
            expected = (container.duration or 0) * SAMPLE_RATE // 1_000_000 + SAMPLE_RATE
            # A damaged header may claim days of audio: no codec a call is saved in takes fewer than
            # 400 bytes a second, so the file's size bounds what is set aside before decoding.
            expected = min(expected, p.stat().st_size // _FEWEST_BYTES_A_SECOND * SAMPLE_RATE + SAMPLE_RATE)
            buf = _Buffer(channels, expected)
            declared = container.duration / 1_000_000 if container.duration else None
            try:
                for frame in container.decode(stream):
                    for out in resampler.resample(frame):
                        buf.put(out.to_ndarray())
            except (av.error.FFmpegError, ValueError) as e:
                if buf.filled < SAMPLE_RATE:  # nothing worth keeping: not audio at all
                    raise
                stopped = _reason(e)
            for out in resampler.resample(None):
                buf.put(out.to_ndarray())
    except AudioFileError:
        raise
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as e:
        # MP4 and M4A (what Zoom saves) keep their index at the end: cut short, they cannot be read at all.
        cut = ("; an M4A or MP4 file cut short cannot be read at all, its index being at the end"
               if p.suffix.lower() in _INDEX_AT_END else "")
        raise AudioFileError(f"{p} could not be read as audio ({_reason(e)}{cut}).") from None
    except AttributeError:  # a header so broken that PyAV's stream lacks what every audio stream has
        raise AudioFileError(f"{p} could not be read as audio (its header is damaged).") from None
    except PermissionError:
        raise AudioFileError(f"{p} cannot be opened: permission denied.") from None
    if buf.filled == 0:
        raise AudioFileError(f"{p} contains no audio samples.")
    return buf.samples(), cut_short_sentence(p, buf.filled / SAMPLE_RATE, declared, stopped)


class _Buffer:
    """A (channels, samples) float32 array that grows as decoded frames arrive."""

    def __init__(self, channels: int, expected: int) -> None:
        self.data = np.empty((channels, max(expected, SAMPLE_RATE)), dtype=np.float32)
        self.filled = 0

    def put(self, block: npt.NDArray[Any]) -> None:
        """Append one decoded frame (channels, n)."""
        n = block.shape[1]
        if self.filled + n > self.data.shape[1]:
            grow = max(n, self.data.shape[1] // 2)
            self.data = np.concatenate([self.data, np.empty((self.data.shape[0], grow), np.float32)], axis=1)
        into = self.data[:, self.filled : self.filled + n]
        into[:] = block
        if not np.isfinite(into).all():
            # A float recording with a damaged stretch (nan, inf): silence there, not a call that
            # poisons the voice activity model and the transcription.
            np.nan_to_num(into, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
        if into.size and float(np.abs(into).max()) > 1.0:
            # Float samples past full scale (a damaged file: 1e30) overflow the voiceprint's spectrum.
            np.clip(into, -1.0, 1.0, out=into)
        self.filled += n

    def samples(self) -> npt.NDArray[np.float32]:
        """The samples decoded, without the unused tail."""
        if self.filled < self.data.shape[1] * 0.9:
            return self.data[:, : self.filled].copy()
        return self.data[:, : self.filled]


def _reason(e: Exception) -> str:
    """FFmpeg's own words for what went wrong, without the errno and file name."""
    text = getattr(e, "strerror", None) or str(e)
    return str(text).rstrip(".").lower()
