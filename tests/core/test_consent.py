"""The line the rep can say or paste before a coached call says what really happens to the call."""

from __future__ import annotations

from copilot.core.consent import consent_line


def test_the_line_says_the_call_is_transcribed_here_and_sent_nowhere_and_asks() -> None:
    line = consent_line()
    assert "transcribes this call" in line and "nothing is sent anywhere" in line and line.endswith("?")
    assert "recording" not in line and "record" not in line.replace("transcribes", "")


def test_the_line_mentions_a_recording_only_when_the_audio_is_kept() -> None:
    assert "a recording stay on my computer" in consent_line(keep_audio=True)
    assert len(consent_line(keep_audio=True)) < 200  # short enough to say, or to paste into a chat
