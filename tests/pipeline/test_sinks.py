"""Where live events go: the store writer with revisions of the rep's words."""

from __future__ import annotations

from pathlib import Path

from copilot.core.events import Segment
from copilot.pipeline.events import Stamped
from copilot.pipeline.sinks import StoreWriter
from copilot.store.sqlite import SessionStore


def event(seg: Segment, wall: float) -> Stamped:
    return Stamped(seg, wall)


def test_a_revision_replaces_finals_whether_they_are_stored_or_still_buffered(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = store.create_session("live", "live")
        writer = StoreWriter(store, sid, every_s=5.0)
        writer(event(Segment("rep", 1.0, 2.0, "Next stop."), 0.0))
        writer(event(Segment("rep", 3.0, 4.0, "Okay."), 6.0))  # written with the one before
        writer(event(Segment("rep", 6.0, 7.0, "It fits."), 7.0))  # still buffered
        writer(event(Segment("rep", 1.0, 7.0, "The next step. Okay. It fits.", replaces=(0.8, 7.2)), 8.0))
        writer.flush()
        assert store.segments(sid) == [("rep", 1.0, 7.0, "The next step. Okay. It fits.")]
