"""Speech to text: which Whisper model to use, and running it on the speech of a call."""
