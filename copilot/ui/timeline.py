"""The review's timeline: who talked when, the rolling two-minute rep share, flags and prompts.

Drawn with pyqtgraph (one item per kind of thing, not per span, so an hour-long call with
thousands of spans pans smoothly). A click on a mark, or anywhere on the chart, says which
moment of the call the rep wants to read (:attr:`Timeline.picked`). The same widget, grabbed
offscreen, is the chart of the HTML report (:func:`timeline_png`).
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt, Signal

from copilot.core.events import Flag
from copilot.core.facts import HIGH_REP_SHARE, IDEAL_REP_SHARE
from copilot.core.scorecard import clock
from copilot.report.review import Review

__all__ = ["Timeline", "timeline_png", "COLOURS"]

COLOURS = {"rep": "#1f5fa8", "prospect": "#7a8c3a", "flag": "#e0a000", "prompt": "#8e44ad",
           "share": "#333333", "ideal": "#2e8b57", "high": "#c0392b"}
LANE_Y = {"rep": 1.0, "prospect": 0.0}


class TimeAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """Call time as m:ss."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802 - pyqtgraph's name
        return [clock(v) for v in values]

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:  # noqa: N802
        """Ticks a whole second apart or more: m:ss cannot tell half seconds apart, and a call of a few seconds
        read "0:00 0:00 0:01 0:01"."""
        levels = [(s, o) for s, o in super().tickSpacing(minVal, maxVal, size) if s >= 1.0]
        return levels or [(1.0, 0.0)]


class Timeline(pg.GraphicsLayoutWidget):  # type: ignore[misc]
    """Two activity lanes over the rolling rep share, with the call's flags and prompts marked."""

    picked = Signal(float)  # the call time the rep clicked

    def __init__(self, review: Review, parent: Any = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        end = max(review.duration_s, 1.0)
        self.lanes = self.addPlot(row=0, col=0, axisItems={"bottom": TimeAxis("bottom")})
        self.share = self.addPlot(row=1, col=0, axisItems={"bottom": TimeAxis("bottom")})
        for plot in (self.lanes, self.share):
            plot.setMouseEnabled(x=True, y=False)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setXRange(0, end, padding=0.01)
            plot.setLimits(xMin=-end * 0.05, xMax=end * 1.05)
            plot.getAxis("left").setWidth(52)
        self.share.setXLink(self.lanes)
        self.lanes.getAxis("bottom").setStyle(showValues=False)
        self.ci.layout.setRowStretchFactor(0, 2)
        self.ci.layout.setRowStretchFactor(1, 3)

        self.lanes.setYRange(-0.7, 1.7, padding=0)
        self.lanes.getAxis("left").setTicks([[(1.0, "You"), (0.0, "Them")]])
        for who, y in LANE_Y.items():
            mine = [s for s in review.stored.spans if s.speaker == who]
            if mine:  # one item per lane: its bars are drawn once and replayed as the view moves
                self.lanes.addItem(pg.BarGraphItem(x0=[s.start for s in mine], x1=[s.end for s in mine], y=y,
                                                   height=0.5, brush=COLOURS[who], pen=pg.mkPen(None)))
        self.flag_marks = _flag_marks(review.flags)
        prompts = review.stored.prompts
        self.prompt_marks = pg.ScatterPlotItem(
            [p.time for p in prompts], [-0.45] * len(prompts), symbol="d", size=11,
            brush=pg.mkBrush(COLOURS["prompt"]), pen=pg.mkPen("#4a235a"), hoverable=True, tip=_tip,
            data=[f"{clock(p.time)} {p.text}" for p in prompts])
        for marks in (self.flag_marks, self.prompt_marks):
            self.lanes.addItem(marks)
            marks.sigClicked.connect(self._mark_clicked)

        self.share.setYRange(0, 100, padding=0.02)
        lines = [round(IDEAL_REP_SHARE * 100), round(HIGH_REP_SHARE * 100)]
        self.share.getAxis("left").setTicks([[(v, f"{v}%") for v in (0, *lines, 100)]])
        for level, colour in ((IDEAL_REP_SHARE, COLOURS["ideal"]), (HIGH_REP_SHARE, COLOURS["high"])):
            self.share.addItem(pg.InfiniteLine(level * 100, angle=0,
                                               pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine)))
        xs = [t for t, _ in review.share]
        ys = [v * 100 if v is not None else math.nan for _, v in review.share]
        self.share.plot(xs, ys, connect="finite", pen=pg.mkPen(COLOURS["share"], width=2))
        self.share.setLabel("left", "you, last 2 min")
        self.scene().sigMouseClicked.connect(self._chart_clicked)

    def show_flags(self, flags: list[Flag]) -> None:
        """Mark these flags instead (the rep marked one not pushy, or added one)."""
        self.lanes.removeItem(self.flag_marks)
        self.flag_marks = _flag_marks(flags)
        self.lanes.addItem(self.flag_marks)
        self.flag_marks.sigClicked.connect(self._mark_clicked)

    def _mark_clicked(self, _item: Any, points: Any, *_: Any) -> None:
        if len(points):
            self.picked.emit(float(points[0].pos().x()))

    def _chart_clicked(self, event: Any) -> None:
        if event.isAccepted():  # a mark took it
            return
        for plot in (self.lanes, self.share):
            if plot.sceneBoundingRect().contains(event.scenePos()):
                self.picked.emit(float(plot.vb.mapSceneToView(QPointF(event.scenePos())).x()))
                return


def timeline_png(review: Review, width: int = 1200, height: int = 380) -> bytes:
    """The timeline as a PNG image (for the report); needs a QApplication, offscreen is fine."""
    chart = Timeline(review)
    chart.resize(width, height)
    image = chart.grab().toImage()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    chart.deleteLater()
    return bytes(data.data())


def _flag_marks(flags: list[Flag]) -> Any:
    """The flagged phrases' marks along the top of the rep's lane."""
    return pg.ScatterPlotItem(
        [f.start for f in flags], [1.45] * len(flags), symbol="t", size=13,
        brush=pg.mkBrush(COLOURS["flag"]), pen=pg.mkPen("#7a5800"), hoverable=True,
        tip=_tip, data=[f"{clock(f.start)} “{f.match}”{' (marked by you)' if f.added else ''}" for f in flags])


def _tip(x: float, y: float, data: object) -> str:
    """A mark's hover text: what was flagged or prompted, and when."""
    return str(data)
