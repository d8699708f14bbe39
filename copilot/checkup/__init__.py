"""The self-test: whether this install (or the unpacked app) can coach a call, part by part."""
