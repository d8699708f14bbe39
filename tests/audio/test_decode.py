"""Decoding recordings: both layouts, any rate, and one clear sentence for each bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from copilot.audio.decode import SAMPLE_RATE, AudioFileError, load_call, load_recording
from tests.wavs import ROOT, SAMPLE, tone, write_wav


def test_stereo_file_at_44k_becomes_two_16k_tracks_with_rep_on_the_left(tmp_path: Path) -> None:
    f = write_wav(tmp_path / "call.wav", [tone(2.0, 44_100, 220), tone(2.0, 44_100, 880) * 0.5], 44_100)
    call = load_call(f)
    assert call.rep.dtype == np.float32 and call.prospect.dtype == np.float32
    assert abs(len(call.rep) - 2 * SAMPLE_RATE) < 200
    assert call.duration_s == pytest.approx(2.0, abs=0.02)
    assert np.abs(call.rep).max() > np.abs(call.prospect).max()  # left (louder) is the rep


def test_rep_channel_right_swaps_the_sides(tmp_path: Path) -> None:
    f = write_wav(tmp_path / "call.wav", [tone(1.0, 16_000), tone(1.0, 16_000) * 0.2], 16_000)
    call = load_call(f, rep_channel="right")
    assert np.abs(call.rep).max() < np.abs(call.prospect).max()
    assert "right" in call.source


def test_one_file_per_participant(tmp_path: Path) -> None:
    rep = write_wav(tmp_path / "rep.wav", [tone(1.0, 8_000)], 8_000)
    prospect = write_wav(tmp_path / "prospect.wav", [tone(1.5, 48_000), tone(1.5, 48_000)], 48_000)
    call = load_call(rep=rep, prospect=prospect)
    assert call.duration_s == pytest.approx(1.5, abs=0.02)
    assert call.rep.ndim == 1 and call.prospect.ndim == 1


def test_the_compressed_sample_call_decodes() -> None:
    call = load_call(SAMPLE)
    assert 100 < call.duration_s < 180


def _error(**kwargs: object) -> str:
    with pytest.raises(AudioFileError) as e:
        load_call(**kwargs)  # type: ignore[arg-type]
    message = str(e.value)
    assert "\n" not in message
    return message


def test_a_mono_file_alone_is_refused_naming_both_layouts(tmp_path: Path) -> None:
    f = write_wav(tmp_path / "mono.wav", [tone(1.0, 16_000)], 16_000)
    message = _error(call=f)
    assert "mono" in message and "--rep-channel" in message and "--rep FILE --prospect FILE" in message


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in _error(call=tmp_path / "nope.wav")


def test_a_folder(tmp_path: Path) -> None:
    assert "folder" in _error(call=tmp_path)


def test_an_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.wav"
    f.write_bytes(b"")
    assert "empty" in _error(call=f)


def test_a_text_file_is_not_audio(tmp_path: Path) -> None:
    f = tmp_path / "notes.mp3"
    f.write_text("these are my call notes, not a recording\n" * 50)
    assert "could not be read as audio" in _error(call=f)


def test_zero_length_audio(tmp_path: Path) -> None:
    f = write_wav(tmp_path / "zero.wav", [np.zeros(0), np.zeros(0)], 16_000)
    assert "no audio samples" in _error(call=f)


def test_a_channel_of_pure_silence_names_the_side(tmp_path: Path) -> None:
    f = write_wav(tmp_path / "call.wav", [tone(1.0, 16_000), np.zeros(16_000)], 16_000)
    message = _error(call=f)
    assert "silent" in message and "right channel" in message and "prospect" in message


def test_both_layouts_at_once_is_refused(tmp_path: Path) -> None:
    f = write_wav(tmp_path / "call.wav", [tone(1.0, 16_000), tone(1.0, 16_000)], 16_000)
    assert "not both" in _error(call=f, rep=f, prospect=f)


def test_a_float_recording_with_damaged_samples_decodes_with_silence_there(tmp_path: Path) -> None:
    rate = SAMPLE_RATE
    left, right = tone(2.0, rate), tone(2.0, rate, hz=330.0)
    frames = np.stack([left, right], axis=1).astype("<f4")
    frames[rate // 2: rate // 2 + 100] = np.nan
    frames[rate: rate + 100, 1] = np.inf
    frames[rate + 200: rate + 300, 0] = 1e30  # past full scale
    path = tmp_path / "float.wav"  # a 32-bit float WAV (format 3), as some recorders write
    data = frames.tobytes()
    header = (b"RIFF" + (36 + len(data)).to_bytes(4, "little") + b"WAVEfmt " + (16).to_bytes(4, "little")
              + (3).to_bytes(2, "little") + (2).to_bytes(2, "little") + rate.to_bytes(4, "little")
              + (rate * 8).to_bytes(4, "little") + (8).to_bytes(2, "little") + (32).to_bytes(2, "little")
              + b"data" + len(data).to_bytes(4, "little"))
    path.write_bytes(header + data)
    call = load_call(path)  # and no warning (warnings are errors here)
    assert np.isfinite(call.rep).all() and np.isfinite(call.prospect).all()
    assert call.rep[rate // 2 + 50] == 0.0 and call.duration_s == 2.0
    assert float(np.abs(call.rep).max()) <= 1.0


def test_a_wav_header_with_an_impossible_sample_size_is_one_sentence(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "call.wav", [tone(1.0, 16000), tone(1.0, 16000, hz=330.0)], 16000)
    data = bytearray(path.read_bytes())
    data[34:36] = b"\x08\x80"  # bits per sample: 32776
    path.write_bytes(bytes(data))
    with pytest.raises(AudioFileError) as e:
        load_call(path)
    assert "could not be read as audio" in str(e.value) and "\n" not in str(e.value)


def test_a_header_that_claims_days_of_audio_does_not_set_aside_memory_for_them() -> None:
    # 2,000 bytes of an MP3 whose broken header says it lasts 40 days (found by `copilot bench fuzz audio`).
    import av

    path = ROOT / "tests" / "data" / "broken" / "claims_days.mp3"
    with av.open(str(path)) as container:
        assert (container.duration or 0) / 1e6 > 30 * 24 * 3600
    try:
        audio = load_call(path)
    except AudioFileError as e:  # a sentence is fine; a 400 GB allocation is not
        assert "\n" not in str(e)
    else:
        assert audio.duration_s < 60


def _cut(path: Path, keep: float, into: Path) -> Path:
    data = path.read_bytes()
    into.write_bytes(data[: int(len(data) * keep)])
    return into


def test_a_wav_cut_short_decodes_what_is_there_and_says_its_header_claimed_more(tmp_path: Path) -> None:
    whole = write_wav(tmp_path / "whole.wav", [tone(20.0, 16000), tone(20.0, 16000, hz=330.0)], 16000)
    assert load_call(whole).cut_short == ()
    call = load_call(_cut(whole, 0.4, tmp_path / "call.wav"))
    assert 7.5 < call.duration_s < 8.5
    (said,) = call.cut_short
    assert said == "call.wav ends at 0:08 though its header says 0:20: it looks cut short; the analysis covers those " \
                   "0:08 only."


def test_a_wav_whose_length_was_never_written_is_not_doubted(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "streamed.wav", [tone(4.0, 16000), tone(4.0, 16000, hz=330.0)], 16000)
    data = bytearray(path.read_bytes())
    for placeholder in (b"\xff\xff\xff\xff", b"\x00\xf0\xff\x7f"):  # the data size a recorder writing to a pipe
        data[40:44] = placeholder                                     # leaves (0xFFFFFFFF; sox: 0x7FFFF000)
        path.write_bytes(bytes(data))
        assert load_call(path).cut_short == ()


def test_an_mp3_cut_short_is_said_from_its_info_frame(tmp_path: Path) -> None:
    import av

    path = tmp_path / "whole.mp3"
    with av.open(str(path), "w", format="mp3") as out:
        stream = out.add_stream("libmp3lame", rate=16000, layout="stereo")
        frame = av.AudioFrame.from_ndarray(np.stack([tone(20.0, 16000), tone(20.0, 16000, hz=330.0)]),
                                           format="fltp", layout="stereo")
        frame.sample_rate = 16000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    assert load_call(path).cut_short == ()
    (said,) = load_call(_cut(path, 0.5, tmp_path / "call.mp3")).cut_short
    assert said.startswith("call.mp3 ends at 0:1") and "though its header says 0:20" in said


def test_an_opus_file_cut_short_lacks_its_end_mark_and_says_so(tmp_path: Path) -> None:
    assert load_recording(SAMPLE).cut_short == ()
    cut = load_recording(_cut(SAMPLE, 0.3, tmp_path / "sample.opus"))
    assert 30 < cut.duration_s < 45
    (said,) = cut.cut_short
    assert said.startswith("sample.opus ends at 0:") and "without the end mark a finished recording has" in said


def test_a_flac_damaged_part_way_keeps_what_came_before_and_says_where(tmp_path: Path) -> None:
    import av

    path = tmp_path / "whole.flac"
    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=16000, layout="stereo")
        frame = av.AudioFrame.from_ndarray(
            (np.stack([tone(20.0, 16000), tone(20.0, 16000, hz=330.0)]) * 32767).astype(np.int16).reshape(1, -1),
            format="s16", layout="stereo")
        frame.sample_rate = 16000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    assert load_call(path).cut_short == ()
    call = load_call(_cut(path, 0.5, tmp_path / "call.flac"))
    assert 5 < call.duration_s < 15
    (said,) = call.cut_short
    assert said.startswith("call.flac ")
    assert "cut short" in said and "the analysis covers those 0:" in said


def test_both_files_of_a_call_are_checked_and_only_the_cut_one_is_named(tmp_path: Path) -> None:
    rep = write_wav(tmp_path / "rep.wav", [tone(20.0, 16000)], 16000)
    prospect = _cut(write_wav(tmp_path / "p.wav", [tone(20.0, 16000, hz=330.0)], 16000), 0.5, tmp_path / "them.wav")
    (said,) = load_call(rep=rep, prospect=prospect).cut_short
    assert said.startswith("them.wav ends at 0:10 though its header says 0:20")
