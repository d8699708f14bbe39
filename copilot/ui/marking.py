"""Marking in the review: "Not pushy" beside a flag, "Mark as pushy…" on a line of the rep's, and "Undo".

The transcript's links (``report/transcript.py``) arrive here. Each mark is kept in the rep's
examples file at once (``store/my_examples.py``), and the review is shown again as the rep
now judges the call: a flag marked wrong leaves the numbers, the timeline and the
transcript's highlights; a missed line joins them. The detector learns from the file the
next time one is made (the next live session, ``copilot analyze``, ``copilot detect``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QWidget

from copilot.core.events import Flag
from copilot.core.marks import Mark, flag_sentence, missed_mark, parts_of, wrong_mark
from copilot.core.taught import normalised
from copilot.errors import UserError
from copilot.report.review import Review, remarked
from copilot.store.my_examples import MyExamples

__all__ = ["Marking"]


class Marking:
    """The rep's marks on the call a review window shows: made, kept, undone, and shown at once."""

    def __init__(self, window: QWidget, examples: MyExamples | None, review: Callable[[], Review],
                 show: Callable[[Review, str], None]) -> None:
        self.window = window
        self._examples = examples
        self._review = review
        self._show = show

    def examples(self) -> MyExamples:
        """The rep's examples file (their own, unless the window was given another); an ExamplesError if broken."""
        if self._examples is None:
            self._examples = MyExamples.load()
        return self._examples

    def link(self, scheme: str, path: str) -> None:
        """A click on one of the transcript's marking links; a problem becomes the window's sentence."""
        try:
            line, _, j = path.partition(".")
            i, k = int(line), int(j or 0)
            lines = self._review().lines
            if not 0 <= i < len(lines):
                return
            if scheme == "wrong" and k < len(lines[i].flags):
                self.wrong(i, k)
            elif scheme == "missed":
                self.ask_missed(i)
            elif scheme in ("unmark", "restore"):
                flags = lines[i].flags if scheme == "unmark" else lines[i].cleared
                if k < len(flags):
                    self.undo(flags[k])
        except ValueError:
            return
        except UserError as e:
            self._show(self._review(), str(e))

    def wrong(self, line: int, flag: int) -> Mark:
        """The rep says flag ``flag`` of transcript line ``line`` was not pushy."""
        review = self._review()
        at = review.lines[line]
        f = at.flags[flag]
        mark = wrong_mark(f, review.stored.row.id, at.segment.text)
        # A phrase marked excuses that phrase only (Rulebook.mine_phrases): another push in its sentence still flags.
        whole = normalised(f.match) == mark.key
        again = (f"will not flag “{mark.sentence}” again" if whole
                 else f"will not flag “{f.match}” in “{mark.sentence}” again")
        self._keep(mark, f"Marked “{f.match}” not pushy: it is left out of this call's numbers, and your detector "
                         f"{again}. Undo is beside it.")
        return mark

    def missed(self, line: int, category: str, sentence: str | None = None) -> Mark:
        """The rep says ``sentence`` (the whole line if None) of their line ``line`` was pushy, of ``category``."""
        review = self._review()
        seg = review.lines[line].segment
        c = next((c for c in review.categories if c.name == category), None)
        if c is None:
            raise UserError(f"There is no directive category {category} in the rulebook this review uses.")
        mark = missed_mark(seg, sentence or seg.text, category, c.prompts[0] if c.prompts else "", review.stored.row.id)
        self._keep(mark, f"Marked “{mark.sentence}” as pushy ({c.label.lower()}): it counts in this call's numbers, "
                         "and your detector learns it as an example.")
        return mark

    def undo(self, flag: Flag) -> None:
        """Take back the rep's mark on ``flag`` (one they marked not pushy, or one they added)."""
        review = self._review()
        mark = review.mark_of(flag)
        if mark is None:
            return
        self.examples().remove(mark)
        after = remarked(review, self.examples().of(review.stored.row.id))
        what = "is flagged again" if mark.kind == "not_example" else "is no longer flagged"
        if mark.kind == "example" and any(f.start == flag.start and f.match == flag.match for f in after.flags):
            # The call was analysed again by a detector that had learnt this line: its own flag stays.
            what = ("stays flagged in this call, whose analysis had learnt it from you (analyse the call again to "
                    "judge it without)")
        self._show(after, f"Undone: “{flag_sentence(flag) if mark.kind == 'not_example' else mark.sentence}” {what}, "
                          "and your detector no longer learns from it.")

    def ask_missed(self, line: int) -> None:
        """Ask which words of the line were pushy (a sentence, or a part of one, if it has several) and what kind
        of push it was."""
        review = self._review()
        parts = parts_of(review.lines[line].segment.text) or [review.lines[line].segment.text]
        sentence: str | None = parts[0]
        if len(parts) > 1:
            picked, ok = QInputDialog.getItem(self.window, "Mark as pushy", "Which words were pushy?", parts,
                                              0, False)
            if not ok:
                return
            sentence = picked
        labels = [f"{c.label} (you could say: “{c.prompts[0]}”)" if c.prompts else c.label for c in review.categories]
        picked, ok = QInputDialog.getItem(self.window, "Mark as pushy", "What kind of push was it?", labels, 0, False)
        if ok and picked in labels:
            self.missed(line, review.categories[labels.index(picked)].name, sentence)

    def _keep(self, mark: Mark, said: str) -> None:
        self.examples().add(mark)
        self._show(remarked(self._review(), self.examples().of(mark.session)), said)
