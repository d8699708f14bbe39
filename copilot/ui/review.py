"""The post-call review: how the call went at a glance, and where control slipped.

:class:`ReviewWindow` shows one stored call — the numbers beside their benchmarks, the
timeline, and the transcript with each flagged phrase and the line the rep could have
said instead; a click on the timeline scrolls the transcript to that moment. A live call
has a second tab beside the transcript: what each prompt did (``report/prompt_effect.py``). The rep can
say a flag was not pushy, or that a line of theirs was, and undo either (``ui/marking.py``):
the call's numbers, marks and transcript follow at once, and the rep's detector learns.
:class:`SessionsWindow` lists the stored calls, newest first, to open, rename, delete or
export. Opening an hour-long call costs about half a second on the Qt thread (mostly
laying out the transcript; `copilot bench review`); reviews are for after the call, and
one opened during a call would hold the overlay that long.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from copilot.audio.kept import ClipPlayer, kept_files
from copilot.core.scorecard import clock
from copilot.errors import UserError
from copilot.report.html import write_report
from copilot.report.jsonfile import write_json
from copilot.report.numbers_only import numbers_only, numbers_only_json
from copilot.report.prompt_effect import PROMPT_EFFECT_CSS, prompt_effect_html
from copilot.report.review import Review, started_local, stored_json
from copilot.report.transcript import TRANSCRIPT_CSS, transcript_html
from copilot.store.my_examples import MyExamples
from copilot.store.sqlite import SessionStore, StoreError
from copilot.ui.marking import Marking
from copilot.ui.placement import open_fitted
from copilot.ui.timeline import Timeline, timeline_png

__all__ = ["ReviewWindow", "SessionsWindow"]

VERDICT_COLOURS = {"good": "#2e7d32", "watch": "#b26a00", "poor": "#c62828", "": "#222222"}

Loader = Callable[[str], Review]  # session id -> its review (raises StoreError)


class ReviewWindow(QWidget):
    """One call's review; :attr:`changed` says the session was renamed or deleted, :attr:`marked` that the rep
    marked a flag (or undid a mark), with the sentence the window shows about it."""

    changed = Signal()
    marked = Signal(str)

    def __init__(self, review: Review, store: SessionStore | None = None, examples: MyExamples | None = None,
                 rules: str | None = None, rules_only: bool = False) -> None:
        super().__init__()
        self.review = review
        self.store = store
        # The rep's rulebook (None: the bundled one), and whether they judge by its patterns alone: what "This is
        # me…" judges the call again with. Nothing else here judges anything: the review is read from the store.
        self.rules, self.rules_only = rules, rules_only
        self.marking = Marking(self, examples, lambda: self.review, self._marked)
        open_fitted(self, 1100, 800)
        self._title()

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.meta = QLabel(review.meta)
        self.hidden_note = QLabel(review.hidden)  # what was hidden from the transcript ("1 phone number hidden.")
        self.hidden_note.setStyleSheet("color: #666666;")
        self.hidden_note.setVisible(bool(review.hidden))
        self._show_title()

        grid = QGridLayout()
        self.number_labels: list[tuple[QLabel, QLabel, QLabel]] = []
        for r, _n in enumerate(review.numbers):
            label, value, bench = QLabel(), QLabel(), QLabel()
            bench.setStyleSheet("color: #666666;")
            bench.setWordWrap(True)
            grid.addWidget(label, r, 0)
            grid.addWidget(value, r, 1)
            grid.addWidget(bench, r, 2)
            self.number_labels.append((label, value, bench))
        self._show_numbers()
        grid.setColumnStretch(2, 1)
        numbers = QWidget()
        numbers.setLayout(grid)

        self.timeline = Timeline(review)
        self.timeline.setMinimumHeight(220)
        self.timeline.picked.connect(self.scroll_to)

        kept = review.stored.audio
        self.player = ClipPlayer(kept) if kept and all(p.is_file() for p in kept_files(kept).values()) else None
        self.transcript = QTextBrowser()
        self.transcript.setOpenLinks(False)
        self.transcript.anchorClicked.connect(self._link)
        self.transcript.document().setDefaultStyleSheet(TRANSCRIPT_CSS)
        self._show_transcript()
        self._starts = [line.segment.start for line in review.lines]

        buttons = QHBoxLayout()
        for text, slot in (("Save report…", self._ask_report), ("Save JSON…", self._ask_json),
                           ("Rename…", self._ask_rename), ("Delete…", self._ask_delete)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            b.setEnabled(store is not None or text.startswith("Save"))
            buttons.addWidget(b)
            if text == "Save JSON…":  # the choice applies to both saves before it
                self.numbers_only = QCheckBox("Numbers only (to share)")
                self.numbers_only.setToolTip("Save the report and the JSON without what was said: no transcript, no "
                                             "flagged sentences; the numbers, timeline, flags' times and prompts stay")
                buttons.addWidget(self.numbers_only)
        # A mixed recording: the rep says which voice is theirs, and the call is worked out again.
        self.me_button = QPushButton("This is me…")
        self.me_button.clicked.connect(self._ask_me)
        self.me_button.setVisible(bool(review.stored.voice_turns) and store is not None)
        buttons.addWidget(self.me_button)
        self.successor: ReviewWindow | None = None  # the review after "this is me"
        self.stop_button = QPushButton("Stop playing")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        self.stop_button.setVisible(self.player is not None)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setText("Not pushy? Say so beside a flag, or mark a line of yours as pushy: this call's numbers "
                            "follow, and your detector learns from it.")
        if self.player is not None:
            self.status.setText("Click a line's time to hear the call from there; say \"Not pushy\" beside a flag "
                                "that was wrong.")
        elif kept:
            self.status.setText("This call's audio files are missing, so it cannot be replayed.")
        if review.words_left_out:  # no transcript: nothing to mark or play
            self.status.setText("")

        # What each prompt did, in a tab beside the transcript: only a live call showed prompts to the rep.
        self.prompt_effect = QTextBrowser()
        self.prompt_effect.document().setDefaultStyleSheet(PROMPT_EFFECT_CSS)
        effect = prompt_effect_html(review.effects)
        self.prompt_effect.setHtml(effect)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.transcript, "Transcript")
        if effect:
            self.tabs.addTab(self.prompt_effect, f"What the prompts did ({len(review.effects.prompts)})")

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.timeline)
        split.addWidget(self.tabs)
        split.setSizes([260, 440])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.meta)
        layout.addWidget(self.hidden_note)
        layout.addWidget(numbers)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    # ---- reading -------------------------------------------------------------------

    def scroll_to(self, t: float) -> int:
        """Scroll the transcript to the line being said at ``t`` (or the one just before); returns its index."""
        if not self._starts:
            return -1
        i = max(0, bisect_right(self._starts, t) - 1)
        self.transcript.scrollToAnchor(f"line-{i}")
        return i

    def play(self, line: int) -> bool:
        """Play the kept audio from the start of transcript line ``line``; False (and a sentence) if it cannot."""
        if self.player is None or not 0 <= line < len(self.review.lines):
            return False
        start = self.review.lines[line].segment.start
        try:
            self.player.play_from(start)
        except OSError as e:
            self.status.setText(str(e))
            return False
        self.status.setText(f"Playing from {clock(start)}.")
        self.stop_button.setEnabled(True)
        return True

    def stop(self) -> None:
        """Stop playing."""
        if self.player is not None:
            self.player.stop()
        self.stop_button.setEnabled(False)

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "play" and url.path().isdigit():
            self.play(int(url.path()))
        else:
            self.marking.link(url.scheme(), url.path())

    def show_review(self, review: Review) -> None:
        """Show the call again as the rep now judges it (after a mark or an undo), where they were reading."""
        self.review = review
        bar = self.transcript.verticalScrollBar()
        at = bar.value()
        self._show_numbers()
        self.timeline.show_flags(review.flags)
        self._show_transcript()
        bar.setValue(at)

    def _marked(self, review: Review, said: str) -> None:
        self.show_review(review)
        self.status.setText(said)
        self.marked.emit(said)

    def _show_numbers(self) -> None:
        for n, (label, value, bench) in zip(self.review.numbers, self.number_labels, strict=True):
            label.setText(n.label)
            value.setText(n.value)
            value.setStyleSheet(f"font-weight: bold; color: {VERDICT_COLOURS[n.verdict]};")
            bench.setText(n.benchmark)

    def _show_transcript(self) -> None:
        if self.review.words_left_out:  # its transcript was deleted (the rep's retention setting)
            self.transcript.setHtml(f"<p>{escape(self.review.words_left_out)}</p>")
            return
        self.transcript.setHtml(transcript_html(self.review.lines, playable=self.player is not None, markable=True)
                                or "<p>No speech was transcribed in this call.</p>")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Closing stops the sound."""
        self.stop()
        event.accept()

    # ---- managing ------------------------------------------------------------------

    def save_report(self, out: str | Path) -> Path:
        """Write the HTML report, without what was said if "Numbers only" is ticked (raises UserError)."""
        review = numbers_only(self.review) if self.numbers_only.isChecked() else self.review
        return write_report(review, timeline_png(review), out)

    def save_json(self, out: str | Path) -> None:
        """Write the session in the ``analyze --json`` contract, without what was said if "Numbers only" is
        ticked (raises UserError with a sentence)."""
        write_json(str(out), numbers_only_json(self.review) if self.numbers_only.isChecked()
                   else stored_json(self.review.stored, self.review.marks, self.review.effects))

    def rename(self, name: str) -> None:
        """Give the call a name (raises StoreError)."""
        assert self.store is not None
        self.store.rename(self.review.stored.row.id, name)
        self.review = _renamed(self.review, name.strip())
        self._show_title()
        self.changed.emit()

    def delete(self) -> None:
        """Delete the call from the store and close (raises StoreError)."""
        assert self.store is not None
        self.store.delete(self.review.stored.row.id)
        self.changed.emit()
        self.close()

    def this_is_me(self, voice: int) -> ReviewWindow:
        """The rep is ``voice`` of this mixed recording: the call is worked out again and shown in a new
        window that replaces this one (raises UserError with a sentence)."""
        from copilot.report.review import build_review
        from copilot.voices.this_is_me import this_is_me
        from copilot.wiring import load_detector

        assert self.store is not None
        detector = load_detector(self.rules, meaning=not self.rules_only)  # the rep's own, with what they taught it
        stored = this_is_me(self.store, self.review.stored.row.id, voice, detector)
        marks = self.marking.examples().of(stored.row.id)  # the rep's marks, found again by phrase and time
        self.successor = ReviewWindow(build_review(stored, detector.rulebook, marks), self.store,
                                      self.marking.examples(), self.rules, self.rules_only)
        self.successor.changed.connect(self.changed)
        self.successor.show()
        self.changed.emit()
        self.close()
        return self.successor

    def _ask_me(self) -> None:
        from copilot.report.voices import voice_shares

        stored = self.review.stored
        choices = [f"voice {v} ({share:.0%} of the talk){' — taken as you now' if v == stored.rep_voice else ''}"
                   for v, share in voice_shares(stored)]
        picked, ok = QInputDialog.getItem(self, "Which voice is you?", "You are:", choices, 0, False)
        if ok and picked:
            try:
                self.this_is_me(int(picked.split()[1]))
            except UserError as e:
                self.status.setText(str(e))

    def _ask_report(self) -> None:
        only = self.numbers_only.isChecked()
        out, _ = QFileDialog.getSaveFileName(self, "Save the report (numbers only)" if only else "Save the report",
                                             f"call-review-{self.review.stored.row.id}{'-numbers' if only else ''}"
                                             ".html", "Web page (*.html)")
        if out:
            self._try(lambda: self.status.setText(f"Report saved{' (numbers only)' if only else ''}: "
                                                  f"{self.save_report(out)}"))

    def _ask_json(self) -> None:
        out, _ = QFileDialog.getSaveFileName(self, "Save as JSON", f"{self.review.stored.row.id}.json", "JSON (*.json)")
        if out:
            self._try(lambda: self._saved_json(out))

    def _saved_json(self, out: str) -> None:
        self.save_json(out)
        self.status.setText(f"Saved: {out}")

    def _ask_rename(self) -> None:
        name, ok = QInputDialog.getText(self, "Rename the call", "Name:", text=self.review.stored.row.name)
        if ok:
            self._try(lambda: self.rename(name))

    def _ask_delete(self) -> None:
        sure = QMessageBox.question(self, "Delete the call", f"Delete “{self.review.title}” and its transcript? "
                                    "This cannot be undone.")
        if sure == QMessageBox.StandardButton.Yes:
            self._try(self.delete)

    def _try(self, action: Callable[[], object]) -> None:
        try:
            action()
        except (UserError, StoreError) as e:
            self.status.setText(str(e))

    def _show_title(self) -> None:
        self.heading.setText(self.review.title)
        self._title()

    def _title(self) -> None:
        self.setWindowTitle(f"Call review: {self.review.title}")


def _renamed(review: Review, name: str) -> Review:
    return replace(review, stored=replace(review.stored, row=replace(review.stored.row, name=name)))


class SessionsWindow(QWidget):
    """The stored calls, newest first: date, name, length, rep share and whether Progress counts it; open one
    to review it. Beside them, the Progress view (``ui/progress.py``) across the calls."""

    def __init__(self, store: SessionStore, load: Loader, rules: str | None = None, rules_only: bool = False) -> None:
        from copilot.ui.progress import ProgressView

        super().__init__()
        self.store = store
        self.load = load
        self.rules, self.rules_only = rules, rules_only  # the rep's rulebook, for the reviews it opens
        self.open_reviews: list[ReviewWindow] = []
        self.setWindowTitle("Live Call Copilot: your calls")
        open_fitted(self, 1060, 800)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Date", "Call", "Length", "You talked", "In Progress"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for col in range(5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == 1
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.itemChanged.connect(self._counted_changed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        open_button = QPushButton("Review")
        open_button.clicked.connect(self.open_selected)
        calls = QWidget()
        listing = QVBoxLayout(calls)
        listing.addWidget(self.table, 1)
        listing.addWidget(open_button)
        listing.addWidget(self.status)
        self.progress = ProgressView(store.path, rules)
        self.progress.picked.connect(self.open_session)
        self._progress_stale = True
        self.tabs = QTabWidget()
        self.tabs.addTab(calls, "Your calls")
        self.tabs.addTab(self.progress, "Progress")
        self.tabs.currentChanged.connect(lambda _i: self._progress_if_shown())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.refresh()

    def refresh(self) -> None:
        """Read the list of calls again (and Progress, when it is shown)."""
        try:
            rows = self.store.sessions()
        except StoreError as e:
            self.status.setText(str(e))
            return
        self.ids = [r.id for r in rows]
        self.table.blockSignals(True)  # filling the "In Progress" boxes is not the rep ticking them
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            share = "" if r.rep_share is None else f"{r.rep_share:.0%}" + ("?" if r.rep_guessed else "")
            for col, text in enumerate((started_local(r.started), r.label, clock(r.duration_s), share)):
                self.table.setItem(i, col, QTableWidgetItem(text))
            counted = QTableWidgetItem("counted" if not r.excluded else "left out")
            counted.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            counted.setCheckState(Qt.CheckState.Unchecked if r.excluded else Qt.CheckState.Checked)
            counted.setToolTip("Untick to leave this call out of Progress (an internal meeting, say).")
            self.table.setItem(i, 4, counted)
        self.table.blockSignals(False)
        self.status.setText("" if rows else "No calls yet: start a session, or run `copilot analyze` on a recording.")
        self._progress_stale = True
        self._progress_if_shown()

    def set_counted(self, session_id: str, counted: bool) -> None:
        """Count a call in Progress, or leave it out (raises StoreError)."""
        self.store.set_excluded(session_id, not counted)
        self.refresh()

    def _counted_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != 4 or not 0 <= item.row() < len(self.ids):
            return
        counted = item.checkState() == Qt.CheckState.Checked
        try:
            self.set_counted(self.ids[item.row()], counted)
        except StoreError as e:
            self.status.setText(str(e))

    def _progress_if_shown(self) -> None:
        if self._progress_stale and self.tabs.currentWidget() is self.progress:
            self._progress_stale = False
            self.progress.reload()

    def open_selected(self) -> ReviewWindow | None:
        """Open the review of the selected call (the newest if none is selected)."""
        if not self.ids:
            return None
        row = self.table.currentRow()
        return self.open_session(self.ids[row if row >= 0 else 0])

    def open_session(self, session_id: str) -> ReviewWindow | None:
        """Open the review of one call (from the list, or a dot clicked in Progress)."""
        try:
            review = self.load(session_id)
        except UserError as e:  # the store, or the rep's examples file
            self.status.setText(str(e))
            return None
        window = ReviewWindow(review, self.store, rules=self.rules, rules_only=self.rules_only)
        window.changed.connect(self.refresh)
        window.marked.connect(lambda _said: self.refresh())  # a flag marked not pushy changes Progress too
        self.open_reviews.append(window)
        window.show()
        return window
