"""The Progress view beside the list of calls: is the coaching working, call after call?

What changed comes first, a sentence a number; then each number call by call in a small
chart (pyqtgraph), its five-call median, the benchmark lines, the latest calls shaded
against the ones before. A dot's tip names the call; a click on it opens its review
(:attr:`ProgressView.picked`). The rep picks a date range; the calls they left out are
said, not drawn.

The store is read on a worker thread with a connection of its own (the first run after
an upgrade also finds the supportive lines of older calls there); the Qt thread only
draws what arrives through :attr:`ProgressView.loaded`.
"""

from __future__ import annotations

import html
import threading
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from copilot.core.progress import Progress, Series, silent_sentence
from copilot.errors import UserError
from copilot.report.progress_svg import COLOURS, MANY, axis_top, date_ticks, y_ticks

__all__ = ["ProgressView", "RANGES"]

RANGES = ("All your calls", "Last 30 days", "Last 90 days", "Last 12 months", "Between…")
_VERDICT = {"better": "#2e7d32", "worse": "#c62828", "same": "#666666"}
_LABEL_VALUES_UP_TO = 16


def _benchmarks(s: Series) -> str:
    """The chart's benchmark lines named under its title, each in its line's colour."""
    m = s.metric
    said = [f"<span style='color: {COLOURS['high'] if k or m.key == 'monologue' else COLOURS['ideal']};'>"
            f"- - {text}</span>" for k, (_v, text) in enumerate(m.lines)]
    if m.band is not None:
        said.append(f"<span style='color: {COLOURS['ideal']};'>▇ {m.band[0]:g}–{m.band[1]:g} best calls</span>")
    return f"<br><span style='font-size: 9pt;'>{' &nbsp; '.join(said)}</span>" if said else ""


def _meta(p: Progress) -> str:
    """How many calls, from when to when, how many live; how many left out."""
    n = len(p.calls)
    if not n:
        return f"{len(p.left_out)} left out" if p.left_out else ""
    live = sum(c.kind == "live" for c in p.calls)
    first, last = (date_ticks([c], 100)[0][1] for c in (p.calls[0], p.calls[-1]))
    said = [f"{n} call{'s' if n != 1 else ''}", first if first == last else f"{first} to {last}",
            f"{live} live, {n - live} recording{'s' if n - live != 1 else ''}"]
    if p.left_out:
        said.append(f"{len(p.left_out)} left out")
    return " · ".join(said)


class ProgressView(QWidget):
    """Progress over the calls in one store; :meth:`reload` reads them again (after a rename, a deletion,
    "This is me…" or a call left out)."""

    picked = Signal(str)  # the session the rep clicked in a chart
    loaded = Signal(object)  # a Progress, or a sentence saying why it could not be read (worker -> Qt thread)

    def __init__(self, db: Path, rules: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.rules = rules
        self.progress: Progress | None = None
        self._asked = 0  # loads asked for; only the latest one is shown
        self.loaded.connect(self._show)

        self.range = QComboBox()
        self.range.addItems(RANGES)
        self.since, self.until = QDateEdit(), QDateEdit()
        today = QDate.currentDate()
        for edit, start in ((self.since, today.addMonths(-3)), (self.until, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(start)
            edit.setVisible(False)
            edit.dateChanged.connect(lambda _d: self.reload())
        self.range.currentIndexChanged.connect(self._range_changed)
        self.save_button = QPushButton("Save page…")
        self.save_button.clicked.connect(self._ask_save)
        top = QHBoxLayout()
        top.addWidget(QLabel("Calls:"))
        top.addWidget(self.range)
        top.addWidget(self.since)
        self.and_label = QLabel("and")
        self.and_label.setVisible(False)
        top.addWidget(self.and_label)
        top.addWidget(self.until)
        top.addStretch(1)
        top.addWidget(self.save_button)

        self.meta = QLabel()
        self.meta.setStyleSheet("color: #666666;")
        self.headline = QLabel("Reading your calls…")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.changes = QLabel()
        self.changes.setWordWrap(True)
        self.changes.setTextFormat(Qt.TextFormat.RichText)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.charts = pg.GraphicsLayoutWidget()
        self.charts.setBackground("w")
        self.charts.setMinimumHeight(560)
        # What the prompts did (the pooled sentences; the page draws them as a chart too).
        self.prompt_effect = QLabel()
        self.prompt_effect.setWordWrap(True)
        self.prompt_effect.setTextFormat(Qt.TextFormat.RichText)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #666666;")

        inner = QWidget()
        body = QVBoxLayout(inner)
        for w in (self.meta, self.headline, self.changes, self.legend, self.charts):
            body.addWidget(w)
        body.addWidget(self.prompt_effect)
        body.addWidget(self.notes)
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.plots: dict[str, Any] = {}

    # ---- reading (worker thread) ---------------------------------------------------

    def bounds(self) -> tuple[date | None, date | None]:
        """The rep's chosen days [since, until] (None: no bound)."""
        choice = self.range.currentIndex()
        today = date.today()
        if choice == 1:
            return today - timedelta(days=30), None
        if choice == 2:
            return today - timedelta(days=90), None
        if choice == 3:
            return today - timedelta(days=365), None
        if choice == 4:
            return self.since.date().toPython(), self.until.date().toPython()  # type: ignore[return-value]
        return None, None

    def reload(self) -> threading.Thread:
        """Read the calls again off the Qt thread; :attr:`loaded` brings the result back."""
        self._asked += 1
        asked = self._asked
        since, until = self.bounds()
        thread = threading.Thread(target=self._read, args=(asked, since, until), name="progress", daemon=True)
        thread.start()
        return thread

    def _read(self, asked: int, since: date | None, until: date | None) -> None:
        from copilot.report.progress import find_supportive, load_progress
        from copilot.store.my_examples import MyExamples
        from copilot.store.sqlite import SessionStore

        result: object
        try:
            with SessionStore(self.db) as store:  # a connection of this thread's own
                find_supportive(store, self.rules)
                result = load_progress(store, MyExamples.load().marks, since, until)
        except UserError as e:
            result = str(e)
        try:
            self.loaded.emit((asked, result))
        except RuntimeError:
            pass  # the window was closed while the calls were read: nobody to show them to

    # ---- drawing (Qt thread) -------------------------------------------------------

    def _show(self, answer: tuple[int, object]) -> None:
        asked, result = answer
        if asked != self._asked:
            return  # the rep changed the range meanwhile: a newer answer is coming
        if isinstance(result, str):
            self.headline.setText(result)
            return
        assert isinstance(result, Progress)
        self.show_progress(result)

    def show_progress(self, p: Progress) -> None:
        """Draw ``p``: the sentences, the charts, the notes."""
        self.progress = p
        self.meta.setText(_meta(p))
        self.headline.setText(p.headline)
        rest = [s.change for s in p.series if s.change is not None and s.change.sentence != p.headline]
        waiting = [s.waiting for s in p.series if s.waiting and s.metric.key != "share"]
        self.changes.setText("".join(f'<p style="margin: 2px 0; color: {_VERDICT[c.verdict]};">{c.sentence}</p>'
                                     for c in rest if c is not None)
                             + "".join(f'<p style="margin: 2px 0; color: #666666;">{escape(w)}</p>' for w in waiting))
        self.changes.setVisible(bool(rest or waiting))
        n = len(p.calls)
        parts = [f'<span style="color: {COLOURS["call"]};">●</span> live call',
                 f'<span style="color: {COLOURS["call"]};">○</span> recording analysed afterwards']
        if any(c.guessed for c in p.calls):
            parts.append(f'<span style="color: {COLOURS["guess"]};">○?</span> mixed recording, your voice guessed '
                         "(“This is me…” in its review)")
        if 1 < n <= MANY:
            parts.append("— typical: the median of the last five calls")
        elif n > MANY:
            parts.append("<b>━</b> the typical call of each month (median) "
                         f"<span style='color: {COLOURS['faint']};'>—</span> the median of the last five calls")
        if any(s.change is not None for s in p.series):
            parts.append("shaded: your latest calls (now) against the ones before")
        parts.append("a click on a dot opens that call")
        self.legend.setText(" &nbsp;&nbsp; ".join(parts))
        self.legend.setVisible(n > 0)
        self.charts.setVisible(n > 0)
        for k, s in enumerate(p.series):
            self._chart(s, p, row=k // 2, col=k % 2)
        said = p.prompts.sentences() if p.prompts is not None and any(c.kind == "live" for c in p.calls) else []
        self.prompt_effect.setText("<h3>What the prompts did</h3>" + "".join(f"<p>{html.escape(x)}</p>" for x in said))
        self.prompt_effect.setVisible(bool(said))
        notes = []
        if p.left_out:
            notes.append(f"Left out by you: {', '.join(c.label for c in p.left_out[-8:])}"
                         f"{' …' if len(p.left_out) > 8 else ''} (tick them in the list of calls to count them).")
        if p.silent:
            notes.append(silent_sentence(p))
        if p.unknown_supportive:
            notes.append(f"Supportive lines not known for {p.unknown_supportive} older calls.")
        self.notes.setText(" ".join(notes))

    def _chart(self, s: Series, p: Progress, row: int, col: int) -> None:
        m = s.metric
        n = len(p.calls)
        plot = self.plots.get(m.key)
        if plot is None:  # made once; a reload only replaces what is drawn in it
            plot = self.plots[m.key] = self.charts.addPlot(row=row, col=col)
            plot.setMouseEnabled(x=False, y=False)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.getAxis("left").setWidth(46)
        plot.clear()
        plot.setTitle(f"<span style='color: #222222; font-size: 11pt;'>{m.title}</span>{_benchmarks(s)}")
        top = axis_top(s)
        plot.setYRange(-top * 0.04, top * 1.04, padding=0)
        plot.setXRange(-0.6, max(n - 0.4, 0.6), padding=0)
        plot.getAxis("left").setTicks([[(v, m.shown(v)) for v in y_ticks(s, top)]])
        plot.getAxis("bottom").setTicks([date_ticks(p.calls, 450, years=False)])
        if s.change is not None and n >= 2 * s.change.recent_calls:
            k = s.change.recent_calls
            for lo, colour in ((n - 2 * k, COLOURS["before"]), (n - k, COLOURS["recent"])):
                plot.addItem(pg.LinearRegionItem((lo - 0.5, lo + k - 0.5), movable=False, brush=colour,
                                                 pen=pg.mkPen(None)))
        if m.band is not None:
            plot.addItem(pg.LinearRegionItem(m.band, orientation="horizontal", movable=False,
                                             brush=COLOURS["band"], pen=pg.mkPen(None)))
        for k, (level, _said) in enumerate(m.lines):
            colour = COLOURS["high"] if k or m.key == "monologue" else COLOURS["ideal"]
            plot.addItem(pg.InfiniteLine(level, angle=0,
                                         pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine)))
        xs = [i for i, v in enumerate(s.median5) if v is not None]
        many = n > MANY
        plot.plot(xs, [s.median5[i] for i in xs],
                  pen=pg.mkPen(COLOURS["faint"] if many else COLOURS["median"], width=1 if many else 2))
        if many:  # each month's typical call: the trend of hundreds of calls
            steps_x = [x for mo in s.months for x in (mo.first - 0.5, mo.last + 0.5)]
            steps_y = [mo.median for mo in s.months for _ in (0, 1)]
            month_line = plot.plot(steps_x, steps_y, pen=pg.mkPen(COLOURS["median"], width=3))
            month_line.setZValue(4)
        size = 9 if n <= 30 else 6 if n <= 120 else 4
        # One scatter item per look (live or recording, guessed or not): pyqtgraph draws each look's symbol once,
        # so a thousand calls cost milliseconds; each dot's data still names its call.
        looks: dict[tuple[bool, bool], tuple[list[float], list[float], list[tuple[str, str]]]] = {}
        for i, (c, v) in enumerate(zip(p.calls, s.values, strict=True)):
            if v is None:
                continue
            kind = "live" if c.kind == "live" else "recording"
            guess = ", your voice guessed" if c.guessed else ""
            xs_, ys_, data = looks.setdefault((c.kind == "live", c.guessed), ([], [], []))
            xs_.append(i)
            ys_.append(v)
            data.append((c.id, f"{c.started[:10]} · {c.label} · {kind}{guess}: {m.shown(v)}"))
            if n <= _LABEL_VALUES_UP_TO:
                below = v > top * 0.85  # near the top the value goes under its dot, inside the chart
                label = pg.TextItem(m.shown(v) + ("?" if c.guessed else ""), color="#333333",
                                    anchor=(0.5, -0.2) if below else (0.5, 1.2), fill=(255, 255, 255, 210))
                label.setZValue(5)  # over the median line, readable
                label.setPos(i, v)
                plot.addItem(label)
        for (live, guessed), (xs_, ys_, data) in looks.items():
            colour = COLOURS["guess"] if guessed else COLOURS["call"]
            dots = pg.ScatterPlotItem(xs_, ys_, data=data, size=size, hoverable=True,
                                      pen=pg.mkPen(colour, width=1.5 if n <= MANY else 1),
                                      brush=pg.mkBrush(colour if live else "#ffffff"),
                                      tip=lambda x, y, data: data[1])
            dots.setZValue(6)
            dots.sigClicked.connect(self._clicked)
            plot.addItem(dots)

    def _clicked(self, _item: Any, points: Any, *_: Any) -> None:
        if len(points):
            self.picked.emit(str(points[0].data()[0]))

    def _range_changed(self, index: int) -> None:
        between = index == len(RANGES) - 1
        for w in (self.since, self.and_label, self.until):
            w.setVisible(between)
        self.reload()

    def save_page(self, out: str | Path) -> Path:
        """Write what is shown as the Progress page (raises UserError with a sentence)."""
        from copilot.report.progress_html import write_progress

        if self.progress is None:
            raise UserError("Progress is still being read; try again in a moment.")
        return write_progress(self.progress, out)

    def _ask_save(self) -> None:
        out, _ = QFileDialog.getSaveFileName(self, "Save the Progress page", "progress.html", "Web page (*.html)")
        if out:
            try:
                self.notes.setText(f"Saved: {self.save_page(out)}")
            except UserError as e:
                self.notes.setText(str(e))
