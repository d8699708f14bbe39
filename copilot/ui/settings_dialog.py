"""The control window's "Settings…": what the rep sets once and rarely again, out of the way of the call.

How often the coach prompts, the overlay's look, the speech model and rulebook, the CPU the
coach may take, the echo canceller, and what is kept of a call. The fields are a
:class:`CoachingForm`; the control window saves each change as it is made (to the same
``settings.toml``, through the same checks), so the dialog has nothing to apply or cancel.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from copilot.ui.coaching_form import CoachingForm

__all__ = ["SettingsDialog"]

NOTE = ("Saved as you change them. A session uses them from its start; the overlay's lock and opacity change at "
        "once.")


class SettingsDialog(QDialog):
    """The settings in four groups (prompts, overlay, listening, what is kept), each change saved at once."""

    def __init__(self, form: CoachingForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.setWindowTitle("Live Call Copilot: settings")
        layout = QVBoxLayout(self)
        for title, rows in form.sections():
            group = QGroupBox(title)
            fields = QFormLayout(group)
            for label, field in rows:
                if label:
                    fields.addRow(label, field)
                else:
                    fields.addRow(field)
            layout.addWidget(group)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
