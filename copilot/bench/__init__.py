"""Benchmark commands (``copilot bench …``): measured on this machine, medians of several runs."""
