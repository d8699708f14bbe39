"""What is hidden in a line of transcript, and what stays: numbers read out as speech to text writes them.

The checks are the real library-backed ones (``copilot/redaction/checks.py``); the lines are the
ways tiny.en and larger Whisper models write a number, an address or a phone number said aloud.
"""

from __future__ import annotations

import pytest

from copilot.core.sensitive import find, hide, open_tail, shown
from copilot.redaction.checks import LibraryChecks

CHECKS = LibraryChecks(regions=("US", "GB"))


def hidden(text: str) -> str:
    return hide(text, find(text, CHECKS))


def kinds(text: str) -> list[str]:
    return [f.kind for f in find(text, CHECKS)]


@pytest.mark.parametrize("said", [
    "4111 1111 1111 1111",
    "4111111111111111",
    "4111-1111-1111-1111",
    "4111, 1111, 1111, 1111",
    "4111. 1111. 1111. 1111",
    "four one one one one one one one one one one one one one one one",
    "four one one one, one one one one, one one one one, one one one one",
    "forty one eleven, eleven eleven, eleven eleven, eleven eleven",
    "4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1",
    "5555 5555 5555 4444",
    "3782 822463 10005",
    "four one one one double one double one one one one one one one one one",
])
def test_a_card_number_read_out_is_hidden_as_a_card(said: str) -> None:
    text = f"The card is {said}, thanks."
    assert hidden(text) == "The card is [card number], thanks."
    assert kinds(text) == ["card"]


def test_a_card_number_heard_with_its_digits_repeated_is_one_card_number() -> None:
    # tiny.en on a synthetic voice reading 4111 1111 1111 1111: a loop of ones, far too many
    text = "The card number is 4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1."
    assert hidden(text) == "The card number is [card number]."


def test_a_number_that_fails_luhn_is_not_called_a_card_but_is_still_hidden() -> None:
    text = "It's 4111 1111 1111 1112."
    assert kinds(text) == ["number"]
    assert hidden(text) == "It's [number]."


def test_a_card_number_cut_short_after_the_words_card_number_is_hidden() -> None:
    assert hidden("The card number is four one one") == "The card number is [card number]"
    assert hidden("The security code is 123.") == "The security code is [card number]."


@pytest.mark.parametrize("said", [
    "(415) 555-0134",
    "415-555-0134",
    "415.555.0134",
    "415 555 0134",
    "4155550134",
    "1 800 555 0199",
    "+44 20 7946 0958",
    "020 7946 0958",
    "four one five, five five five, zero one three four",
    "four one five five five five oh one three four",
    "eight hundred five five five zero one nine nine",
    "4-1-5-5-5-5-0-1-3-4",
])
def test_a_phone_number_is_hidden(said: str) -> None:
    text = f"Call me on {said} tomorrow."
    assert hidden(text) == "Call me on [phone number] tomorrow."


def test_a_phone_number_heard_with_a_digit_lost_is_still_hidden() -> None:
    # tiny.en: "four one five, five five five, zero one three four" with one five lost
    assert hidden("Sure, it's 4-1-5, 5-5, 0-1-3-4.") == "Sure, it's [number]."
    assert hidden("My cell is 4-1-5, 5-5, 0-1-3-4.") == "My cell is [phone number]."
    assert hidden("Sure, it's 45, 5, 5, 5, 5, 0, 1, 3, 4.") == "Sure, it's [number]."


def test_digits_heard_as_words_that_sound_like_them_count_beside_real_digits() -> None:
    # "four" heard as "for", "five" as "fine": part of the number only next to real digits
    assert hidden("Sure, it's for 1-5. fine, fine, Zero 1-3-4.") == "Sure, it's [number]."
    assert hidden("It's fine for now, thanks to you.") == "It's fine for now, thanks to you."


@pytest.mark.parametrize(("text", "expected"), [
    ("My social security number is 123-45-6789.", "My social security number is [ID number]."),
    ("My SSN is one two three four five six seven eight nine.", "My SSN is [ID number]."),
    ("The last four of my social are 6789.", "The last four of my social are [ID number]."),
    ("Routing number 021000021, account number 12345678.",
     "Routing number [routing number], account number [account number]."),
    ("The account number is four four five one two.", "The account number is [account number]."),
    ("Our IBAN is DE89 3704 0044 0532 0130 00.", "Our IBAN is [account number]."),
])
def test_bank_and_id_numbers_are_hidden(text: str, expected: str) -> None:
    assert hidden(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("It's john.smith@gmail.com, thanks.", "It's [e-mail], thanks."),
    ("Send it to sam dot rivera at northwind traders dot com.", "Send it to [e-mail]."),
    ("Send it to sam.rivera at northwindtraders.com.", "Send it to [e-mail]."),
    ("Send it to Sam Dot Rivera NorthwindTrader.com.", "Send it to [e-mail]."),
    ("Send it to Sam. to www.reveraaptonorswindtraders.com", "Send it to Sam. to [e-mail]"),
    ("Reach me at jordan underscore lee at gmail dot com, or look at our site.",
     "Reach me at [e-mail], or look at our site."),
    ("My email is priya at ledgerline dot io.", "My email is [e-mail]."),
    # A name said with "dot"s, its domain's ending lost or cut off by a pause (live, the fast suite met one).
    ("Mail sam dot rivera at northwind dot You should call me.", "Mail [e-mail] You should call me."),
    ("Mail sam dot rivera at northwind", "Mail [e-mail]"),
])
def test_an_email_address_written_or_said_is_hidden(text: str, expected: str) -> None:
    assert hidden(text) == expected


@pytest.mark.parametrize("text", [
    "Our website is acme.com and we're at acme dot com too.",
    "Let's look at the numbers at the office at 3.",
    "The update is at version two dot one.",
    "We have 40 reps, so 40 seats for 2026.",
    "Forty seats for twenty twenty six.",
    "40 seats comes to $40,000 a year, with 20% off the first year.",
    "That's 40,000 dollars, or 20 percent off.",
    "Win rates went up 3 points at 10:30 on 12/28/2026.",
    "The first invoice goes out on the third of March.",
    "We grew to 1.5 million users in 2024, 2025 and 2026.",
    "Numbers for 2024, 2025, 2026 look good.",
    "We need 250 licenses for a 90-day pilot in Q3.",
    "The license count is 250 and the account is worth 300.",
    "Version 2.1.3 ships on the 15th.",
    "One or two of them, maybe three.",
    "Your card was charged 150 dollars.",
])
def test_business_numbers_stay(text: str) -> None:
    assert find(text, CHECKS) == []


def test_the_overlay_hides_every_run_of_five_digits_and_a_number_cut_off_at_the_end() -> None:
    assert shown("the next step is 415 555") == "the next step is [number]"
    assert shown("the next step is a 40,000 dollar pilot") == "the next step is a 40,000 dollar pilot"
    assert shown("email me at sam dot rivera at acme dot com") == "email me at [e-mail]"


@pytest.mark.parametrize(("text", "open_"), [
    ("The card number is four one one one,", True),
    ("Send it to sam dot rivera", True),
    ("My number is 415", True),
    ("Thanks, that works.", False),
    ("What would you need to see?", False),
])
def test_a_line_whose_end_may_start_a_number_is_open(text: str, open_: bool) -> None:
    assert open_tail(text) is open_


def test_real_business_talk_loses_nothing_but_a_dial_in_number_and_its_pass_code() -> None:
    """Every labelled sentence the project keeps (earnings calls nobody here wrote, 820 of 4,600 with a number
    in them: revenue, percentages, years, ranges; and the rep lines of the detector's tables)."""
    import csv

    from tests.wavs import ROOT

    texts: list[str] = []
    for name, column in (("real_talk/earnings22_mined.tsv", "text"), ("directive_lines/lines.tsv", "text")):
        with (ROOT / "tests" / "data" / name).open(encoding="utf-8") as f:
            texts += [row[column] for row in csv.DictReader(f, delimiter="\t")]
    for name in ("labelled_rep_lines.tsv", "holdout_rep_lines.tsv"):
        lines = (ROOT / "tests" / "data" / name).read_text(encoding="utf-8").splitlines()
        texts += [line.split("\t")[-1] for line in lines if line and not line.startswith("#")]
    assert len(texts) > 4500
    hidden_in = {t: [t[f.start:f.end] for f in find(t, CHECKS)] for t in texts}
    assert {t: h for t, h in hidden_in.items() if h} == {
        "As a reminder, a replay of the call will be available either via our website or by dialing 1 800 770 2030 "
        "and using using the pass code 7425436.": ["1 800 770 2030", "7425436"]}


@pytest.mark.parametrize(("text", "expected"), [
    ("You should call me on 415 555 0134. Mail sam dot rivera at northwind",
     "You should call me on [phone number]. Mail [e-mail]"),
    ("send it to sam dot rivera at northwind dot", "send it to [e-mail]"),
    ("Mail sam.rivera@north", "Mail [e-mail]"),
    ("my card is 4111 1111", "my card is [card number]"),
    ("the next step is 4111 1", "the next step is [number]"),
    ("we are looking at the", "we are looking at the"),
    ("I think we should meet at noon", "I think we should meet at noon"),
    ("Version 2.1", "Version 2.1"),
    ("the next step is 2026", "the next step is 2026"),
])
def test_a_live_guess_cut_off_inside_a_number_or_an_address_hides_what_it_has(text: str, expected: str) -> None:
    assert hide(text, find(text, CHECKS, open_end=True)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The card number is 4-1-1-1-1-1-1-1-1-1-1. 1 1 1 1 1 1 1 1 1 1 1 3rd", "The card number is [card number] 3rd"),
    ("My card is 4111 1111 1111 1111 12 28.", "My card is [card number]."),
    ("Call 415 555 0134, 4111 1111 1111 1111.", "Call [phone number], [card number]."),
])
def test_what_is_left_of_a_run_beside_a_card_goes_with_it_and_a_phone_before_a_card_stays_a_phone(
        text: str, expected: str) -> None:
    assert hidden(text) == expected
