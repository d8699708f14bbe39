"""The rep's retention setting kept while the app runs: old calls' transcripts deleted at start, then daily.

The work (finding the calls older than the setting, emptying their words, folding in the
store's write-ahead log) runs on a thread of its own with its own connection to the store,
never on the Qt thread: the overlay keeps painting during a call. What was removed comes
back as a sentence through :attr:`RetentionKeeper.done`, only when something was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from copilot.core.retention import Retention
from copilot.errors import UserError

__all__ = ["RetentionKeeper", "DAY_MS"]

DAY_MS = 24 * 60 * 60 * 1000


class RetentionKeeper(QObject):
    """Applies the retention setting to the store at :meth:`start` and every ``every_ms`` after (a day)."""

    done = Signal(str)  # what was deleted, in one sentence
    failed = Signal(str)  # why it could not be (the store, or the rep's examples file), in one sentence

    def __init__(self, db: str | None, retention: Callable[[], Retention], rules: Callable[[], str | None],
                 every_ms: int = DAY_MS) -> None:
        super().__init__()
        self.db = db
        self.retention = retention  # read when it runs: the rep may change the setting meanwhile
        self.rules = rules
        self._running = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(self.run)

    def start(self) -> None:
        """Apply it now (as soon as the event loop runs) and then every interval."""
        self._timer.start()
        QTimer.singleShot(0, self.run)

    def run(self) -> threading.Thread | None:
        """Apply it once on a worker thread (none if the setting keeps transcripts for good, or a run is going on)."""
        retention = self.retention()
        if retention.days is None or not self._running.acquire(blocking=False):
            return None
        worker = threading.Thread(target=self._work, args=(retention, self.rules()), name="retention", daemon=True)
        worker.start()
        return worker

    def _work(self, retention: Retention, rules: str | None) -> None:
        from copilot.store.sqlite import SessionStore
        from copilot.wiring import apply_retention

        try:
            with SessionStore(self.db) as store:
                expired = apply_retention(store, retention, rules)
            if expired is not None and expired.sessions:
                self.done.emit(expired.sentence(retention.said))
        except UserError as e:
            self.failed.emit(str(e))
        finally:
            self._running.release()
