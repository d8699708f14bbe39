"""The rep's own examples, as the detector hears them: `copilot detect --explain` says when one decided."""

from __future__ import annotations

import json
import os
from pathlib import Path

from copilot.core.events import Flag, Segment
from copilot.core.marks import missed_mark, wrong_mark
from copilot.store.my_examples import MyExamples
from tests.command_line import copilot


def test_the_reps_examples_decide_in_detect_a_missed_line_is_caught_and_a_not_example_stops_a_rule(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    mine = MyExamples.load(data / "live-call-copilot" / "my_examples.json")  # where the review keeps them
    line = Segment("rep", 40.0, 43.0, "The blue theme is the one I would pick.")
    mine.add(missed_mark(line, line.text, "telling_what_makes_sense", "What matters most to you?", "call-1"))
    pilot = Flag("rep", 11.0, 12.0, "owning_the_path", "The next step is", "The next step is a pilot.", "Over to you.")
    mine.add(wrong_mark(pilot, "call-1"))
    said = ["Blue is the theme I would pick.", "Okay. The next step is a pilot.", "The next step is to sign today."]
    r = copilot("detect", "--explain", stdin="\n".join(said) + "\n", env={**os.environ, "XDG_DATA_HOME": str(data)})
    assert r.returncode == 0, r.stderr
    caught, cleared, still = (json.loads(x) for x in r.stdout.splitlines())
    # A paraphrase of the missed line: flagged, as the rep's category, because of the rep's example.
    assert caught["flagged"] and caught["category"] == "telling_what_makes_sense" and caught["layer"] == "example"
    assert caught["why"] == 'your example: "The blue theme is the one I would pick."'
    # The sentence marked "not pushy": no pattern flags it, and --explain says whose not-example decided.
    assert not cleared["flagged"] and cleared["layer"] == "example"
    assert cleared["why"] == 'your not-example: "The next step is a pilot."'
    assert still["flagged"] and still["layer"] == "rules"


def test_the_part_of_a_sentence_marked_pushy_catches_its_sentence_but_not_a_plain_line_like_its_other_part(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    mine = MyExamples.load(data / "live-call-copilot" / "my_examples.json")
    line = Segment("rep", 40.0, 45.0, "Our onboarding team plans two weeks ahead, and the slots for next month are "
                                      "almost gone.")
    mine.add(missed_mark(line, "the slots for next month are almost gone.", "closing_pressure",
                         "This may not be a fit.", "call-1"))
    said = [line.text, "Our onboarding team plans two weeks ahead.", "Slots for next month are nearly gone."]
    r = copilot("detect", "--explain", stdin="\n".join(said) + "\n", env={**os.environ, "XDG_DATA_HOME": str(data)})
    assert r.returncode == 0, r.stderr
    whole, plain, paraphrase = (json.loads(x) for x in r.stdout.splitlines())
    assert whole["flagged"] and whole["why"] == 'your example: "the slots for next month are almost gone."'
    assert paraphrase["flagged"] and paraphrase["layer"] == "example"
    assert not plain["flagged"]
