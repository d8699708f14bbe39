"""Speaker echo: the buyer's voice the rep's microphone hears from laptop speakers, taken out.

On speakers the microphone picks up the call audio (delayed, quieter, coloured by the
room). The call channel is exactly what was played, so it is the reference an acoustic
echo canceller needs: WebRTC's AEC3 (``pywebrtc-audio``) subtracts what the room made of
it from the microphone, 10 ms at a time, before the VAD or Whisper hear the rep's side.

AEC3 needs the reference to lead the microphone (or arrive with it). A live monitor
source gets the call audio before the speakers play it, so it leads by itself; in a
recording the two sides may be shifted either way, so :func:`echo_delay` measures it and
the microphone is held back that much (``mic_delay_s``) when the call channel lags.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from copilot.core.facts import SAMPLE_RATE

__all__ = ["FRAME", "EchoCanceller", "EchoReport", "cancel_echo", "echo_delay", "FOUND_DB"]

FRAME = SAMPLE_RATE // 100  # AEC3 works on 10 ms frames
Samples = npt.NDArray[np.float32]

# Less than this much taken out while the call channel speaks: there was no echo to remove
# (a headset, or Zoom's own cancellation upstream).
FOUND_DB = 6.0
# Before this many frames of the buyer speaking (3 s), nothing is said about echo yet.
_HEARD_FRAMES = 300
# Live, the microphone is passed on as it is until the buyer first speaks, and again once the
# buyer has spoken this long with less than _QUIET_DB taken out (a headset: nothing for the
# canceller to do, and nothing it may colour: AEC3's output is not the input even with a silent
# reference); it is cleaned again as soon as the recent reduction reaches FOUND_DB (the rep took
# the headset off).
_QUIET_DB = 3.0
# Live, the microphone is also passed on as it is while it barely carries the buyer: in the
# quietest quarter of the buyer's last _COUPLING_FRAMES frames (10 ms each, about 10 s of their
# speech; at least _COUPLING_MIN of them) the microphone is this much quieter than the call
# audio. That is a headset, with nothing on the microphone to take out, and AEC3 would still
# colour the rep's voice: on the team's headset calls it damped 4-8 kHz by about 5 dB (tiny.en
# lost plurals and heard "would" as "will"), while its own "reduction" of a near-silent
# microphone swung from 3 to 28 dB. A quarter, not the mean: the rep talking over the buyer's
# "mm-hmm" is loud on the microphone and is not echo. Measured on the team's calls, that quarter
# lies at -40 to -43 dB on a headset and at -12 to -18 dB with speaker echo. Above the line,
# the reduction decides.
_NO_ECHO_DB = -35.0
_COUPLING_FRAMES = 1000
_COUPLING_MIN = 50
# AEC3 gives each sample back this many samples later (measured: 8 ms at 16 kHz); the raw
# microphone passed on is delayed as much, so switching between the two is seamless.
_AEC_DELAY = 128
_RECENT_FRAMES = 1000.0  # "recent": the last ~10 s of the buyer speaking (an exponential window)
# Live, the echo's lag is measured every _CHECK_FRAMES of the buyer speaking, on the last _RING_S
# of both streams as the canceller pairs them; outside _LAG_OK_S the pairing is moved (the two
# devices' streams started at different moments, or their clocks drift apart).
_CHECK_FRAMES = 1000
_RING_S = 12.0
_LAG_OK_S = (0.0, 0.35)
_LAG_AIM_S = 0.05
# A frame of the call channel this loud (RMS, dBFS) counts as the buyer speaking.
_ACTIVE_DBFS = -45.0
# Furthest the two sides of a recording are looked at for their shift.
_MAX_SHIFT_S = 0.5


@dataclass(frozen=True)
class EchoReport:
    """How much of the call audio the microphone carried, and how much was taken out."""

    reduction_db: float  # microphone energy in / out while the buyer spoke
    mic_delay_s: float  # how far the microphone was held back to let the call audio lead
    frames: int  # 10 ms frames of the buyer speaking that were measured
    cpu_s: float = 0.0  # CPU time the canceller itself took (this thread's)
    # Live: the microphone barely carries the buyer now (a headset), so it is passed on as it is and
    # whatever AEC3 "took out" of its near silence is not echo.
    headset: bool = False

    @property
    def found(self) -> bool:
        """True when there was speaker echo on the microphone (and it was removed)."""
        return self.frames > 0 and self.reduction_db >= FOUND_DB and not self.headset

    def sentence(self) -> str:
        """One line for the rep: "Echo from your speakers: removed, -22 dB." or that none was heard."""
        if not self.found and self.frames < _HEARD_FRAMES:
            return "Echo from your speakers: listening (the buyer has not spoken yet)."
        if not self.found:
            return "No echo from your speakers on the microphone."
        return f"Echo from your speakers: removed, -{self.reduction_db:.0f} dB."


class EchoCanceller:
    """AEC3 on a stream: microphone blocks in, the same audio less the call's echo out.

    ``mic_delay_s`` holds the microphone back against the call audio, for devices whose call
    audio arrives late. Blocks of any length; what does not fill a 10 ms frame waits for
    the next block, so the output may be a frame shorter or longer than the input.
    """

    def __init__(self, mic_delay_s: float = 0.0, max_wait_s: float = 0.5, pass_through: bool = False,
                 realign: bool = False) -> None:
        from pywebrtc_audio import EchoCanceller as Aec3

        self._aec: Any = Aec3(sample_rate=SAMPLE_RATE, num_channels=1, stream_delay_ms=0)
        self.mic_delay_s = mic_delay_s
        # The microphone never waits longer than this for its reference (the call device may be
        # gone): past it, the call audio counts as silence, so the talk meter keeps going.
        self._max_wait = round((mic_delay_s + max_wait_s) * SAMPLE_RATE)
        # Held back: the microphone's stream starts with this much silence, so each of its frames
        # meets the call audio of mic_delay_s later.
        self._mic = np.zeros(round(mic_delay_s * SAMPLE_RATE), dtype=np.float32)
        self._call = np.zeros(0, dtype=np.float32)
        self._in = 0.0  # energy in and out while the buyer spoke
        self._out = 0.0
        self._frames = 0
        self._cpu_s = 0.0
        # With pass_through, the raw microphone goes on while the recent frames show no echo.
        self._pass_through = pass_through
        self._recent_in = 0.0
        self._recent_out = 0.0
        # The microphone's energy over the call audio's, frame by frame while the buyer spoke (a ring).
        self._coupling = np.zeros(_COUPLING_FRAMES, dtype=np.float64)
        self._coupled = 0  # frames put in the ring so far
        # Until the buyer has spoken there is no echo to take out: the rep's opening words go on as they are.
        self.passing = pass_through  # the microphone is currently passed on as it is
        # Passed on because it barely carries the buyer: AEC3 hears only the blocks that on their own fail that test.
        self._headset = False
        self._skipped = False  # the last block was passed on without AEC3
        self._buyer_frames = 0  # 10 ms frames the buyer has spoken so far
        self._raw_tail = np.zeros(_AEC_DELAY, dtype=np.float32)  # the raw microphone, delayed like AEC3's output
        # With realign (live), the echo's lag is measured as the call goes and the pairing moved.
        self._realign = realign
        self._ring: list[tuple[Samples, Samples]] = []
        self._ring_n = 0
        self._since_check = 0
        self.lag_s: float | None = None  # the echo's lag behind the call audio, as last measured live
        self._emitted = 0  # microphone samples processed so far (output positions)
        self._cuts: list[tuple[int, int]] = []  # output positions of silence put in to hold the microphone back

    def process(self, mic: Samples, call: Samples) -> Samples:
        """The next microphone samples without the echo of ``call`` (the call audio of the same time)."""
        self._mic = np.concatenate([self._mic, mic])
        self._call = np.concatenate([self._call, call])
        if len(self._mic) - len(self._call) > self._max_wait:
            self._call = np.concatenate([self._call, np.zeros(len(self._mic) - len(self._call), np.float32)])
        n = min(len(self._mic), len(self._call)) // FRAME * FRAME
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        near, far = self._mic[:n], self._call[:n]
        self._mic, self._call = self._mic[n:], self._call[n:]
        t = time.thread_time()
        skipped = self._headset and not _may_carry_buyer(near, far)
        if skipped:
            # A headset, passed on as it is, and nothing of the buyer on it in this block: AEC3's work
            # would be thrown away, so it is skipped and nothing counts as taken out. It still hears
            # every block that on its own would fail the headset test, so it has adapted by the time a
            # switch to speakers shows in the buyer's recent frames.
            out: Samples = near
        else:
            out = np.asarray(self._aec.process(near, far), dtype=np.float32)
            if self._skipped:
                # AEC3 gives back its last block's tail first, and it did not hear the block before
                # this one: that tail is the raw microphone's.
                out[:_AEC_DELAY] = self._raw_tail
        self._skipped = skipped
        active = self._measure(near, far, out)
        self._buyer_frames += active
        if self._realign:
            self._follow_lag(near, far, active)
        self._cpu_s += time.thread_time() - t
        if self._pass_through:
            self._choose()
            delayed = np.concatenate([self._raw_tail, near])
            self._raw_tail = delayed[len(near):].copy()
            if self.passing or skipped:  # a skipped block has no cleaned audio to give
                out = delayed[: len(near)]
        return self._cut(out)

    def _cut(self, out: Samples) -> Samples:
        """``out`` without the silence that was put in to hold the microphone back."""
        first = self._emitted
        self._emitted += len(out)
        if not self._cuts:
            return out
        keep = np.ones(len(out), dtype=bool)
        for a, b in self._cuts:
            keep[max(a, first) - first: max(0, min(b, self._emitted) - first)] = False
        self._cuts = [(a, b) for a, b in self._cuts if b > self._emitted]
        return out[keep]

    def _follow_lag(self, near: Samples, far: Samples, active: int) -> None:
        """Keep the call audio leading the echo: measure the lag now and then, move the pairing if it is off."""
        self._ring.append((near, far))
        self._ring_n += len(near)
        while self._ring_n - len(self._ring[0][0]) >= _RING_S * SAMPLE_RATE:
            self._ring_n -= len(self._ring.pop(0)[0])
        self._since_check += active
        if self._since_check < _CHECK_FRAMES:
            return
        self._since_check = 0
        lag = echo_delay(np.concatenate([m for m, _ in self._ring]), np.concatenate([c for _, c in self._ring]),
                         seconds=_RING_S)
        if lag is None:
            return
        self.lag_s = lag
        if _LAG_OK_S[0] <= lag <= _LAG_OK_S[1]:
            return
        move = round((_LAG_AIM_S - lag) * SAMPLE_RATE)  # > 0: hold the microphone back; < 0: the call audio
        if move > 0:
            at = self._emitted + len(self._mic)
            self._mic = np.concatenate([self._mic, np.zeros(move, np.float32)])
            self._cuts.append((at, at + move))
            self._max_wait += move
        else:
            self._call = np.concatenate([self._call, np.zeros(-move, np.float32)])
        self.mic_delay_s += move / SAMPLE_RATE
        self.lag_s = _LAG_AIM_S
        self._ring, self._ring_n = [], 0

    def flush(self) -> Samples:
        """The microphone audio still waiting for its reference, processed against silence (the end of a call)."""
        waiting = len(self._mic)
        pad = -waiting % FRAME  # to a whole frame, cut off again below
        missing = max(0, waiting + pad - len(self._call))
        return self.process(np.zeros(pad, np.float32), np.zeros(missing, np.float32))[:waiting]

    def report(self) -> EchoReport:
        """What was measured so far."""
        reduction = 10 * np.log10(self._in / self._out) if self._out > 0 and self._in > 0 else 0.0
        return EchoReport(float(reduction), self.mic_delay_s, self._frames, self._cpu_s, headset=self._headset)

    def _choose(self) -> None:
        """Pass the microphone on as it is, or cleaned, from the buyer's recent frames: raw while the
        microphone barely carries them (a headset), else by how much AEC3 took out."""
        self._headset = False
        if self._coupled >= _COUPLING_MIN:
            ratios = self._coupling[: min(self._coupled, _COUPLING_FRAMES)]
            if 10 * np.log10(max(float(np.percentile(ratios, 25)), 1e-20)) < _NO_ECHO_DB:
                self.passing = self._headset = True
                return
        if self._frames < _HEARD_FRAMES or self._recent_out <= 0:
            # Not enough of the buyer heard to tell: raw before they first speak, cleaned once they have.
            self.passing = self._buyer_frames == 0
            return
        recent_db = 10 * np.log10(max(self._recent_in, 1e-20) / self._recent_out)
        if not self.passing and recent_db < _QUIET_DB:
            self.passing = True
        elif self.passing and recent_db >= FOUND_DB:
            self.passing = False

    def _measure(self, near: Samples, far: Samples, out: Samples) -> int:
        """Count the energy in and out while the buyer spoke; how many frames the buyer spoke."""
        frames = len(near) // FRAME
        far_rms = np.sqrt(np.mean(far[: frames * FRAME].reshape(frames, FRAME) ** 2, axis=1))
        active = far_rms > 10 ** (_ACTIVE_DBFS / 20)
        if not active.any():
            return 0
        near_e = np.sum(near[: frames * FRAME].reshape(frames, FRAME) ** 2, axis=1)
        if self._pass_through:
            ratios = near_e[active] / (far_rms[active] ** 2 * FRAME)
            self._coupling[(self._coupled + np.arange(len(ratios))) % _COUPLING_FRAMES] = ratios
            self._coupled += len(ratios)
        out_e = np.sum(out[: frames * FRAME].reshape(frames, FRAME) ** 2, axis=1)
        # Frames where the rep talks over the buyer are not echo: the microphone's own loud speech
        # would hide how much echo was taken out. Keep the quieter half of the active frames.
        chosen = active & (near_e <= np.median(near_e[active]))
        self._in += float(near_e[chosen].sum())
        self._out += float(out_e[chosen].sum())
        self._frames += int(chosen.sum())
        keep = float(np.exp(-chosen.sum() / _RECENT_FRAMES))
        self._recent_in = self._recent_in * keep + float(near_e[chosen].sum())
        self._recent_out = self._recent_out * keep + float(out_e[chosen].sum())
        return int(active.sum())


def _may_carry_buyer(near: Samples, far: Samples) -> bool:
    """The block fails the headset test on its own: in the quietest quarter of its 10-ms frames where the buyer
    speaks, the microphone is within _NO_ECHO_DB of them."""
    frames = len(near) // FRAME
    far_e = np.sum(far[: frames * FRAME].reshape(frames, FRAME) ** 2, axis=1)
    near_e = np.sum(near[: frames * FRAME].reshape(frames, FRAME) ** 2, axis=1)
    active = far_e > FRAME * 10 ** (_ACTIVE_DBFS / 10)
    if not active.any():
        return False
    return bool(np.percentile(near_e[active] / far_e[active], 25) >= 10 ** (_NO_ECHO_DB / 10))


def echo_delay(mic: Samples, call: Samples, seconds: float = 120.0) -> float | None:
    """How far the call audio's echo lags in the microphone (seconds; negative: the call channel
    is late), from a phase-transform cross-correlation of the first ``seconds``; None when the
    microphone does not carry the call audio at all."""
    n = min(len(mic), len(call), round(seconds * SAMPLE_RATE))
    if n < SAMPLE_RATE:
        return None
    size = 1 << int(np.ceil(np.log2(2 * n)))
    spectrum = np.fft.rfft(mic[:n], size) * np.conj(np.fft.rfft(call[:n], size))
    spectrum /= np.abs(spectrum) + 1e-12
    corr = np.fft.irfft(spectrum, size)
    most = round(_MAX_SHIFT_S * SAMPLE_RATE)
    lags = np.concatenate([corr[-most:], corr[: most + 1]])  # lag -most .. +most
    peak = int(np.argmax(lags))
    # A real echo stands far above the correlation's noise floor.
    if lags[peak] < 8 * np.median(np.abs(lags)):
        return None
    return (peak - most) / SAMPLE_RATE


def cancel_echo(mic: Samples, call: Samples) -> tuple[Samples, EchoReport]:
    """A recording's microphone side without the call audio's echo, and what was found."""
    lag = echo_delay(mic, call)
    hold = max(0.0, -lag) + 0.02 if lag is not None and lag < 0 else 0.0
    canceller = EchoCanceller(mic_delay_s=hold)
    shift = round(hold * SAMPLE_RATE)
    reference = np.zeros(len(mic) + shift + FRAME, dtype=np.float32)
    reference[: min(len(call), len(reference))] = call[: len(reference)]
    out = np.concatenate([canceller.process(mic, reference[: len(mic)]),
                          canceller.process(np.zeros(shift + FRAME, np.float32), reference[len(mic):])])
    # Held back by ``hold``: shifted back, so the rep's words keep their times on the call clock.
    out = out[shift: shift + len(mic)]
    if len(out) < len(mic):
        out = np.concatenate([out, np.zeros(len(mic) - len(out), np.float32)])
    return np.ascontiguousarray(out, dtype=np.float32), canceller.report()
