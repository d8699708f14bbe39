"""`copilot voice` and `copilot analyze` of a mixed recording, as a rep runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.command_line import copilot, copilot_process
from tests.wavs import ROOT, tone, write_wav

MIXED = ROOT / "tests" / "data" / "mixed"


def test_the_voice_profile_is_made_shown_and_deleted(tmp_path: Path) -> None:
    profile = tmp_path / "voice.json"
    r = copilot("voice", "--voice-profile", str(profile))
    assert r.returncode == 0 and "No voice profile yet" in r.stdout
    r = copilot("voice", "set", str(MIXED / "dev_a.rep.opus"), "--voice-profile", str(profile))
    assert r.returncode == 0, r.stderr
    assert "saved on this computer" in r.stdout
    data = json.loads(profile.read_text())
    assert len(data["voiceprint"]) == 256 and "audio" not in data  # numbers, not the recording
    r = copilot("voice", "--voice-profile", str(profile))
    assert "not audio" in r.stdout and "dev_a.rep.opus" in r.stdout
    r = copilot("voice", "clear", "--voice-profile", str(profile))
    assert r.returncode == 0 and not profile.exists()


def test_a_recording_with_too_little_speech_for_a_profile_is_one_sentence(tmp_path: Path) -> None:
    short = write_wav(tmp_path / "short.wav", [tone(1.0, 16_000)], 16_000)
    r = copilot("voice", "set", str(short), "--voice-profile", str(tmp_path / "voice.json"))
    assert r.returncode != 0 and "Traceback" not in r.stderr and "needs at least 3 s" in r.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    r = copilot("voice", "--voice-profile", str(broken))
    assert r.returncode != 0 and "copilot voice clear" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.e2e
def test_a_mixed_recording_finds_the_rep_by_the_voice_profile(tmp_path: Path) -> None:
    profile = tmp_path / "voice.json"
    made = copilot_process("voice", "set", str(MIXED / "dev_a.rep.opus"), "--voice-profile", str(profile))
    assert made.returncode == 0
    out = tmp_path / "a.json"
    r = copilot_process("analyze", str(MIXED / "dev_a.opus"), "--voice-profile", str(profile),
                        "--db", str(tmp_path / "s.db"), "--json", str(out))
    assert r.returncode == 0, r.stderr
    assert "both channels carry the same sound" in r.stdout and "matched your voice profile" in r.stdout
    data = json.loads(out.read_text())
    truth = json.loads((MIXED / "dev_a.truth.json").read_text())
    rep = sum(x["end"] - x["start"] for x in truth["lines"] if x["speaker"] == "rep")
    true_share = rep / sum(x["end"] - x["start"] for x in truth["lines"])
    assert abs(data["talk"]["rep_share"] - true_share) <= 0.03
    assert data["voices"]["rep_chosen_by"] == "voice profile"
    # Every line once: the two identical channels are not transcribed twice.
    texts = [s["text"] for s in data["segments"]]
    assert len(texts) == len(set(texts))
    r = copilot_process("analyze", str(MIXED / "dev_a.opus"), "--rep-speaker", "3", "--db", str(tmp_path / "s.db"))
    assert r.returncode != 0 and "has 2 voices" in r.stderr


@pytest.mark.e2e
def test_a_mixed_recording_analysed_again_keeps_the_voice_the_rep_said_was_theirs(tmp_path: Path) -> None:
    db, profile = str(tmp_path / "s.db"), str(tmp_path / "none.json")  # no voice profile: nothing else would know
    first = copilot_process("analyze", str(MIXED / "dev_a.opus"), "--rep-speaker", "2", "--db", db,
                            "--voice-profile", profile)
    assert first.returncode == 0, first.stderr
    out = tmp_path / "again.json"
    again = copilot_process("analyze", str(MIXED / "dev_a.opus"), "--db", db, "--voice-profile", profile,
                            "--json", str(out))
    assert again.returncode == 0, again.stderr
    assert "You are voice 2" in again.stdout and "as you said of this recording before" in again.stdout
    assert "this analysis replaced that one" in again.stdout
    assert json.loads(out.read_text())["voices"]["rep_chosen_by"] == "you said so before"
    now = copilot_process("analyze", str(MIXED / "dev_a.opus"), "--rep-speaker", "1", "--db", db,
                          "--voice-profile", profile)
    assert now.returncode == 0 and "as you said with --rep-speaker" in now.stdout  # what the rep says now wins
