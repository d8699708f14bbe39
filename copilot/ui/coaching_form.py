"""How the rep wants to be coached: the speech model, the rulebook, how often to prompt, the overlay.

Each field reads from and writes into :class:`Settings` (the coach's thresholds are the
core's :class:`CoachSettings`, changed with ``dataclasses.replace``). The overlay's lock
and opacity apply at once; everything is saved by the control window as it changes.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QWidget,
)

from copilot.store.settings import Settings

__all__ = ["CoachingForm"]


class CoachingForm(QObject):
    """The coaching, overlay and privacy settings the rep sets once and rarely again; its :meth:`sections` are laid
    out by the Settings dialog (``settings_dialog.py``)."""

    changed = Signal()  # any field changed (text fields: when editing finished)
    locked = Signal(bool)  # the overlay lets clicks through (True) or can be dragged
    opacity_changed = Signal(float)  # 0.3 .. 1.0

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.model = QLineEdit(settings.model)
        self.model.setPlaceholderText("tiny.en (bundled)")
        self.model.setToolTip("Or a larger model by name (base.en, small.en: fetched once), or a model folder")
        self.rules = QLineEdit(settings.rules)
        self.rules.setPlaceholderText("the bundled rulebook")
        self.rules.setToolTip("Or a rulebook file (.toml) of your own")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._pick_rules)
        self._rules_row = QHBoxLayout()
        self._rules_row.addWidget(self.rules, 1)
        self._rules_row.addWidget(browse)

        coach = settings.coach
        self.gap = QSpinBox()
        self.gap.setRange(5, 600)
        self.gap.setSuffix(" s")
        _show(self.gap, coach.min_gap_s)
        self.cooldown = QSpinBox()
        self.cooldown.setRange(5, 1800)
        self.cooldown.setSuffix(" s")
        _show(self.cooldown, coach.category_cooldown_s)
        self.dominance = QDoubleSpinBox()
        self.dominance.setRange(40, 95)
        self.dominance.setDecimals(0)
        self.dominance.setSuffix(" %")
        self.dominance.setValue(coach.dominance_share * 100)
        self.budget = QSpinBox()
        self.budget.setRange(20, 200)
        self.budget.setSuffix(" % of one core")
        _show(self.budget, settings.cpu_budget * 100)
        self.lock = QCheckBox("Lock the overlay: clicks pass through to the call")
        self.lock.setToolTip("Untick it to drag the overlay elsewhere; it stays where you put it")
        self.lock.setChecked(settings.overlay_locked)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(30, 100)
        _show(self.opacity, settings.overlay_opacity * 100)
        self.keep_audio = QCheckBox("Keep the call's audio, to replay moments in the review")
        self.keep_audio.setToolTip("Kept on this computer only, beside the call; the consent line then says a "
                                   "recording stays too")
        self.keep_audio.setChecked(settings.keep_audio)
        self.echo = QCheckBox("Remove the call's echo from your microphone")
        self.echo.setToolTip("On laptop speakers your microphone hears the buyer too; a headset needs none")
        self.echo.setChecked(settings.echo_cancel)
        self.learn_voice = QCheckBox("Learn my voice from my microphone")
        self.learn_voice.setToolTip("A voiceprint (numbers, not audio), kept on this computer, to find you in "
                                    "mixed recordings")
        self.learn_voice.setChecked(settings.learn_voice)
        # How long a call's words are kept (its numbers are kept for good); 0 in the box stands for "never".
        self.retention = QComboBox()
        choices = [(30, "30 days"), (90, "90 days"), (365, "a year"), (0, "never (keep them)")]
        days = settings.delete_transcripts_after_days or 0
        if days not in [d for d, _ in choices]:
            choices.insert(0, (days, f"{days} days"))
        for d, label in choices:
            self.retention.addItem(label, d)
        self.retention.setCurrentIndex(self.retention.findData(days))
        self.retention.setToolTip("A call's transcript (and kept audio) is deleted this long after it; its numbers "
                                  "stay for the review and Progress")
        self.redact = QCheckBox("Hide card and bank numbers, e-mails and phone numbers")
        self.redact.setToolTip("Off: they are kept in the transcript as heard (for a rep whose job needs them). "
                               "The overlay never shows them.")
        self.redact.setChecked(settings.redact)

        for line in (self.model, self.rules):
            line.editingFinished.connect(self.changed)
        for spin in (self.gap, self.cooldown, self.dominance, self.budget):
            spin.valueChanged.connect(self.changed)
        self.keep_audio.toggled.connect(self.changed)
        self.echo.toggled.connect(self.changed)
        self.learn_voice.toggled.connect(self.changed)
        self.retention.currentIndexChanged.connect(self.changed)
        self.redact.toggled.connect(self.changed)
        self.lock.toggled.connect(self._lock_changed)
        self.opacity.valueChanged.connect(self._opacity_changed)

    def sections(self) -> list[tuple[str, list[tuple[str, QWidget | QLayout]]]]:
        """The fields in groups, in the order the rep reads them: how the coach prompts, the overlay, how the
        call is heard, and what is kept of it. A field with no label (a tick box) takes the whole row."""
        return [("Prompts", [("Time between prompts", self.gap), ("Same prompt again after", self.cooldown),
                             ("Prompt when you talk more than", self.dominance)]),
                ("Overlay", [("Opacity", self.opacity), ("", self.lock)]),
                ("Listening", [("Speech model", self.model), ("Rulebook", self._rules_row),
                               ("CPU the coach may use", self.budget), ("", self.echo)]),
                ("What is kept", [("Delete transcripts after", self.retention), ("", self.keep_audio),
                                  ("", self.redact), ("", self.learn_voice)])]

    def apply(self, settings: Settings) -> Settings:
        """``settings`` with what the form shows."""
        coach = replace(settings.coach, min_gap_s=float(self.gap.value()),
                        category_cooldown_s=float(self.cooldown.value()))
        share = self.dominance.value() / 100
        if share != settings.coach.dominance_share:
            coach = coach.with_dominance(share)
        return replace(settings, model=self.model.text().strip(), rules=self.rules.text().strip(), coach=coach,
                       overlay_locked=self.lock.isChecked(), overlay_opacity=self.opacity.value() / 100,
                       keep_audio=self.keep_audio.isChecked(), cpu_budget=self.budget.value() / 100,
                       echo_cancel=self.echo.isChecked(), learn_voice=self.learn_voice.isChecked(),
                       delete_transcripts_after_days=int(self.retention.currentData()) or None,
                       redact=self.redact.isChecked())

    def _pick_rules(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.rules, "Rulebook", "", "Rulebooks (*.toml)")
        if path:
            self.rules.setText(path)
            self.changed.emit()

    def _lock_changed(self, locked: bool) -> None:
        self.locked.emit(locked)
        self.changed.emit()

    def _opacity_changed(self, value: int) -> None:
        self.opacity_changed.emit(value / 100)
        self.changed.emit()


def _show(widget: QSpinBox | QSlider, value: float) -> None:
    """A saved value in a box or slider of a narrower range, brought inside it (a hand-edited file may hold
    anything; Qt's whole numbers overflow past two billion)."""
    widget.setValue(round(min(max(value, widget.minimum()), widget.maximum())))
