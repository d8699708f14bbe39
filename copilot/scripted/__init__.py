"""Scripted calls (rendered from a written script by ``tools/make_call.py``): what was really said and when
(``NAME.truth.json``), how far a transcript or the flags are from it, and the sample's script played into an hour.

The tests and the benchmarks measure the product against these; the product itself never reads them, and
the packaged app leaves them out with the benchmarks (docs/house.md).
"""
