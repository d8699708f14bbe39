"""Speaker echo: the call audio the microphone heard is taken out, the rep's own voice is left alone."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from copilot.audio.echo import FRAME, EchoCanceller, cancel_echo, echo_delay

RATE = 16_000


def bursts(seed: int, starts: list[float], length_s: float, total_s: float) -> npt.NDArray[np.float32]:
    """Speech-like stand-ins: bursts of band-limited noise, syllable-modulated, at the given times."""
    rng = np.random.default_rng(seed)
    out = np.zeros(int(total_s * RATE), np.float32)
    n = int(length_s * RATE)
    t = np.arange(n) / RATE
    for s in starts:
        noise = np.convolve(rng.normal(0, 1, n), np.ones(4) / 4, mode="same")
        burst = 0.1 * noise * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t))
        out[int(s * RATE): int(s * RATE) + n] += burst.astype(np.float32)
    return out


def through_room(x: npt.NDArray[np.float32], delay_s: float, gain_db: float) -> npt.NDArray[np.float32]:
    d = int(delay_s * RATE)
    h = np.zeros(d + 400, np.float32)
    h[d], h[d + 120], h[d + 390] = 1.0, 0.4, -0.2
    return (np.convolve(x, h)[: len(x)] * 10 ** (gain_db / 20)).astype(np.float32)


def frame_db(x: npt.NDArray[np.float32], mask: npt.NDArray[np.bool_]) -> float:
    n = len(x) // FRAME
    e = (x[: n * FRAME].reshape(n, FRAME) ** 2).mean(axis=1)
    return float(10 * np.log10(e[mask[:n]].mean()))


def activity(x: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
    n = len(x) // FRAME
    return np.asarray((x[: n * FRAME].reshape(n, FRAME) ** 2).mean(axis=1) > 1e-5)


PROSPECT = bursts(1, [1.0, 7.0, 13.0, 19.0, 25.0], 4.0, 31.0)
REP = bursts(2, [5.2, 11.2, 17.2, 23.2], 1.5, 31.0)
NOISE = np.random.default_rng(3).normal(0, 10 ** (-60 / 20), len(REP)).astype(np.float32)


def test_the_echo_of_the_call_is_taken_out_of_the_microphone_and_the_rep_is_left_alone() -> None:
    mic = REP + through_room(PROSPECT, 0.06, -12.0) + NOISE
    cleaned, report = cancel_echo(mic, PROSPECT)
    echo_only = activity(PROSPECT) & ~activity(REP)
    rep_only = activity(REP) & ~activity(PROSPECT)
    # After the first second or so (AEC3 converges), the echo is down by 20 dB or more.
    later = np.arange(len(echo_only)) > 300
    assert frame_db(mic, echo_only & later) - frame_db(cleaned, echo_only & later) >= 20
    assert abs(frame_db(mic, rep_only) - frame_db(cleaned, rep_only)) < 0.5
    assert report.found and "removed" in report.sentence()


def test_a_headset_microphone_is_reported_as_having_no_echo() -> None:
    _, report = cancel_echo(REP + NOISE, PROSPECT)
    assert not report.found
    assert report.sentence() == "No echo from your speakers on the microphone."


def test_the_shift_between_the_two_sides_is_measured_either_way() -> None:
    mic = REP + through_room(PROSPECT, 0.12, -12.0) + NOISE
    lag = echo_delay(mic, PROSPECT)
    assert lag is not None and abs(lag - 0.12) < 0.005
    # The call channel recorded 150 ms late (a dialer's buffer): the echo comes before its reference.
    late_call = np.concatenate([np.zeros(int(0.15 * RATE), np.float32), PROSPECT])[: len(PROSPECT)]
    mic = REP + through_room(PROSPECT, 0.03, -12.0) + NOISE
    lag = echo_delay(mic, late_call)
    assert lag is not None and abs(lag - (0.03 - 0.15)) < 0.005
    assert echo_delay(REP + NOISE, PROSPECT) is None


def test_a_call_channel_that_lags_the_microphone_is_still_cancelled() -> None:
    late_call = np.concatenate([np.zeros(int(0.15 * RATE), np.float32), PROSPECT])[: len(PROSPECT)]
    mic = REP + through_room(PROSPECT, 0.03, -12.0) + NOISE
    cleaned, report = cancel_echo(mic, late_call)
    echo_only = activity(PROSPECT) & ~activity(REP) & (np.arange(len(mic) // FRAME) > 300)
    assert report.mic_delay_s > 0.1
    assert frame_db(mic, echo_only) - frame_db(cleaned, echo_only) >= 15  # down to the noise floor
    assert len(cleaned) == len(mic)


def test_blocks_of_any_length_come_out_in_whole_frames_and_lose_nothing() -> None:
    aec = EchoCanceller()
    sizes = [800, 333, 1200, 77, 1590]
    out = [aec.process(np.zeros(n, np.float32), np.zeros(n, np.float32)) for n in sizes]
    assert all(len(o) % FRAME == 0 for o in out)
    assert sum(len(o) for o in out) == sum(sizes) // FRAME * FRAME


def test_what_waits_for_its_reference_comes_out_at_the_end_of_the_call() -> None:
    aec = EchoCanceller()
    out = [aec.process(np.ones(1234, np.float32) * 0.01, np.zeros(500, np.float32))]
    out.append(aec.flush())
    assert sum(len(o) for o in out) == 1234


def stream(canceller: EchoCanceller, mic: npt.NDArray[np.float32], call: npt.NDArray[np.float32]) -> list[bool]:
    """Feed 100 ms of both channels at a time (live feeds 50 ms a channel); whether the raw microphone was passed on."""
    passing = []
    step = RATE // 10
    for at in range(0, len(mic), step):
        canceller.process(mic[at: at + step], call[at: at + step])
        passing.append(canceller.passing)
    return passing


def test_live_a_headset_microphone_is_passed_on_as_it_is_once_the_buyer_has_spoken() -> None:
    headset = REP + NOISE
    canceller = EchoCanceller(pass_through=True)
    passing = stream(canceller, headset, PROSPECT)
    # Raw before the buyer speaks (1 s), cleaned while the first of their words are measured, then left alone.
    assert passing[5] and not passing[11] and passing[-1]
    # Passed on untouched, 8 ms late like the canceller's own output, so switching leaves no seam.
    block = headset[-RATE // 10:]
    before = headset[-2 * RATE // 10: -RATE // 10]
    canceller.process(before, np.zeros_like(before))
    assert np.array_equal(canceller.process(block, np.zeros_like(block)), np.concatenate([before[-128:], block[:-128]]))


def test_live_a_quiet_headset_is_left_alone_from_the_buyers_first_words_though_the_rep_talks_over_them() -> None:
    # A good headset: its microphone's floor 45 dB under the buyer's voice. AEC3 would still colour the
    # rep's voice (a near-silent microphone gave it a "reduction" of 3 to 28 dB on the team's calls).
    floor = NOISE * np.float32(10 ** (-10 / 20))
    # The buyer asks something (1-3 s), then the rep talks on and the buyer says "mm-hmm" under it, six times.
    rep = bursts(4, [3.5 + 1.6 * k for k in range(16)], 1.5, 31.0)
    buyer = bursts(5, [1.0], 2.0, 31.0) + bursts(6, [6.0, 10.0, 14.0, 18.0, 22.0, 26.0], 0.5, 31.0)
    passing = stream(EchoCanceller(pass_through=True), rep + floor, buyer)
    # Raw before the buyer speaks, cleaned only for their first half second, then raw to the end.
    assert all(passing[:10]) and not passing[11] and all(passing[16:])
    # The same buyer heard through the laptop's speakers at -20 dB keeps being cleaned.
    echo = rep + floor + through_room(buyer, 0.06, -20.0)
    assert not any(stream(EchoCanceller(pass_through=True), echo, buyer)[11:])


def test_live_speaker_echo_keeps_being_cleaned_and_a_headset_taken_off_is_noticed() -> None:
    speakers = REP + through_room(PROSPECT, 0.06, -20.0) + NOISE  # a quiet echo: -20 dB
    assert not any(stream(EchoCanceller(pass_through=True), speakers, PROSPECT)[11:])  # from the buyer's first words
    # The first half on a headset, then the rep switches to the laptop's speakers.
    half = len(REP) // 2
    switched = REP + NOISE + np.concatenate([np.zeros(half, np.float32),
                                             through_room(PROSPECT, 0.06, -12.0)[half:]])
    passing = stream(EchoCanceller(pass_through=True), switched, PROSPECT)
    assert passing[half * 10 // RATE - 1] and not passing[-1]


class CountedAec:
    """AEC3 with a count of the microphone frames it was given."""

    def __init__(self, aec: object) -> None:
        self.aec, self.frames = aec, 0

    def process(self, near: npt.NDArray[np.float32], far: npt.NDArray[np.float32]) -> object:
        self.frames += len(near) // FRAME
        return self.aec.process(near, far)  # type: ignore[attr-defined]


def test_live_a_headset_passed_on_costs_little_cancelling_and_a_switch_to_speakers_is_noticed_as_soon() -> None:
    # A quiet headset for 15.5 s, then the rep switches to the laptop's speakers (-12 dB echo) for 46.5 s more.
    floor = np.tile(NOISE * np.float32(10 ** (-10 / 20)), 2)
    rep, buyer = np.tile(REP, 2), np.tile(PROSPECT, 2)
    half = len(REP) // 2
    echo = np.concatenate([np.zeros(half, np.float32), through_room(buyer, 0.06, -12.0)[half:]])
    canceller = EchoCanceller(pass_through=True)
    counted = CountedAec(canceller._aec)
    canceller._aec = counted
    heard, passing = [], []
    step = RATE // 20  # 50 ms a channel, one channel at a time, as the live pipeline feeds it
    for at in range(0, len(rep), step):
        heard.append(canceller.process((rep + floor + echo)[at: at + step], np.zeros(0, np.float32)))
        heard.append(canceller.process(np.zeros(0, np.float32), buyer[at: at + step]))
        passing.append(canceller.passing)
        if at + step == half:
            # The headset half: AEC3 heard the buyer's first words (until the test passed the headset on) and
            # a few onsets, a quarter of the frames at most, and the status line says there is no echo.
            assert passing[-1] and counted.frames < half // FRAME // 4
            assert canceller.report().sentence() == "No echo from your speakers on the microphone."
    # AEC3 heard the echo from the switch on, so it is cleaned as soon as the buyer's recent frames fail the test:
    # 10.6 s after the switch, as when AEC3 heard every block (29 s when it was given nothing while passed on).
    cleaned_from = passing.index(False, half // step)
    assert (cleaned_from * step - half) / RATE < 15.0 and not any(passing[cleaned_from:])
    # Not a sample lost or repeated where the raw microphone and AEC3's output take turns.
    assert sum(len(h) for h in heard) == len(rep) // FRAME * FRAME


def test_live_the_call_audio_arriving_after_its_echo_is_noticed_and_the_microphone_held_back() -> None:
    # The call's stream started 150 ms after the microphone's: the echo (60 ms) comes 90 ms before its reference.
    late = int(0.15 * RATE)
    mic = REP + through_room(PROSPECT, 0.06, -12.0) + NOISE
    call = np.concatenate([np.zeros(late, np.float32), PROSPECT])[: len(mic)]
    fixed = EchoCanceller()
    stream(fixed, mic, call)
    assert not fixed.report().found  # the canceller cannot use a reference that comes too late
    moving = EchoCanceller(realign=True)
    out = np.concatenate([moving.process(mic[at: at + 1600], call[at: at + 1600]) for at in range(0, len(mic), 1600)]
                         + [moving.flush()])
    assert moving.mic_delay_s > 0.08 and moving.lag_s is not None
    assert abs(len(out) - len(mic)) <= FRAME  # every microphone sample came out, none added: times are kept
    # After the move the echo is taken out, and the rep's words stay where they were said.
    after = np.arange(len(mic) // FRAME) > 20 * 100
    echo_only = activity(PROSPECT) & ~activity(REP)
    assert frame_db(mic, echo_only & after) - frame_db(out, echo_only & after) >= 15
    rep_lag = echo_delay(out[: len(mic)], REP)
    assert rep_lag is not None and abs(rep_lag) <= 0.01  # AEC3's own output delay is 8 ms; the 140 ms hold is not
