"""``copilot voice``: the rep's voice profile — show it, make it from a recording, delete it."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

from copilot.errors import UserError

__all__ = ["run_voice", "profile_path"]


def profile_path(args: argparse.Namespace) -> Path:
    """``--voice-profile``, or voice.json in the user data folder."""
    from copilot.voices.profile import default_profile_path

    given = getattr(args, "voice_profile", None)
    return Path(given) if given else default_profile_path()


def run_voice(args: argparse.Namespace) -> int:
    """Show, set or clear the profile."""
    from copilot.voices.profile import VoiceProfile, load_profile, save_profile

    path = profile_path(args)
    if args.action == "clear":
        if path.exists():
            try:
                path.unlink()
            except OSError as e:
                raise UserError(f"Your voice profile {path} could not be deleted: {e.strerror or e}.") from None
            print(f"Your voice profile was deleted ({path}).")
        else:
            print("There is no voice profile to delete.")
        return 0
    if args.action == "set":
        if not args.file:
            raise UserError("`copilot voice set FILE`: give a recording of you alone (a few seconds to a minute).")
        from copilot.audio.decode import decode
        from copilot.voices.embedder import VoiceEmbedder
        from copilot.voices.profile import voiceprint_of

        voiceprint, speech_s = voiceprint_of(decode(args.file, mono=True)[0], VoiceEmbedder())
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        save_profile(VoiceProfile(voiceprint, speech_s, f"a recording ({Path(args.file).name})", now), path)
        print(f"Your voice profile was made from {speech_s:.0f} s of your speech in {Path(args.file).name} "
              f"and saved on this computer ({path}).")
        return 0
    profile = load_profile(path)
    if profile is None:
        print("No voice profile yet. It finds you in mixed recordings: make one with `copilot voice set FILE` "
              "(a recording of you alone), or let the app learn it from your microphone in live sessions.")
        return 0
    sessions = f", {profile.sessions} live session{'s' if profile.sessions != 1 else ''}" if profile.sessions else ""
    print(f"Your voice profile: from {profile.source}, {profile.speech_s:.0f} s of your speech{sessions}, "
          f"updated {profile.updated}.\n"
          f"It is a voiceprint (256 numbers, not audio), kept only on this computer: {path}\n"
          "`copilot voice clear` deletes it.")
    return 0
