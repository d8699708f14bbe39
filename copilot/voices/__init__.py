"""Voices: who is speaking in a mixed recording, and which voice is the rep's."""
