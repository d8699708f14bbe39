"""Audio in, coached session out: the offline analyzer and (later) the live pipeline."""
