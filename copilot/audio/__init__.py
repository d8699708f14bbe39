"""Audio at the edges: decoding recordings, voice activity, (later) live capture."""
