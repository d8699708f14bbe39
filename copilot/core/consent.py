"""What the rep tells the other side before a coached call: the notice, and a line to say or paste in the chat.

The line says what really happens, nothing more: both sides are transcribed on the rep's
computer, nothing is sent anywhere, and (only when the rep chose to keep the call's audio)
a recording stays on that computer too. The app shows it once with a Copy button;
``copilot live`` prints it as a session starts.
"""

from __future__ import annotations

__all__ = ["CONSENT_NOTICE", "consent_line"]

CONSENT_NOTICE = ("Before you coach a real call: the copilot transcribes both sides on this computer. "
                  "Tell the other side the call is being transcribed, as the law where you and they are may require.")


def consent_line(keep_audio: bool = False) -> str:
    """The sentence the rep can say, or paste into the meeting chat, at the start of a call."""
    kept = "the transcript and a recording stay" if keep_audio else "the transcript stays"
    return (f"Quick note: a coaching app on my computer transcribes this call to help me listen better; {kept} "
            "on my computer and nothing is sent anywhere. Is that okay with you?")
