"""The number checks that need tables of the world, from maintained libraries.

Phone numbers: Google's libphonenumber (the ``phonenumberslite`` port, the numbering plans
of every country without the geocoding and carrier tables). Card check digits (Luhn),
bank routing numbers (ABA), US social security numbers and IBANs: ``python-stdnum``.
Both are pure Python; both are loaded when the first call is redacted, not at start.
docs/redaction.md says why these two and what they cost.
"""

from __future__ import annotations

import locale
from functools import lru_cache

from copilot.core.redact import Redactor

__all__ = ["LibraryChecks", "redactor", "phone_regions"]

_CARD_FIRST_DIGITS = "23456"  # Mastercard 2-series, Amex/Diners/JCB 3, Visa 4, Mastercard 5, Discover 6


def phone_regions() -> tuple[str, ...]:
    """Where a phone number said without a country code is read as dialled from: this computer's region
    (from its locale), and the US."""
    try:
        name = locale.getlocale()[0] or ""
    except ValueError:
        name = ""
    region = name.split("_")[1][:2].upper() if "_" in name else ""
    return tuple(dict.fromkeys(r for r in (region, "US") if r.isalpha() and len(r) == 2))


class LibraryChecks:
    """The :class:`~copilot.core.sensitive.Checks` of the core, answered by libphonenumber and python-stdnum."""

    def __init__(self, regions: tuple[str, ...] | None = None) -> None:
        self.regions = regions if regions is not None else phone_regions()

    def card(self, digits: str) -> bool:
        """13 to 19 digits, a card network's first digit, and Luhn's check digit right."""
        from stdnum import luhn

        return 13 <= len(digits) <= 19 and digits[0] in _CARD_FIRST_DIGITS and bool(luhn.is_valid(digits))

    def phone(self, digits: str, international: bool) -> bool:
        """A valid number in one of ``regions`` (or anywhere, when it was said after a "+")."""
        return _valid_phone(digits, ("ZZ",) if international else self.regions)

    def routing(self, digits: str) -> bool:
        """A US bank routing number: nine digits, the ABA checksum right."""
        from stdnum.us import rtn

        return bool(rtn.is_valid(digits))

    def national_id(self, digits: str) -> bool:
        """A US social security number that could have been issued."""
        from stdnum.us import ssn

        return bool(ssn.is_valid(digits))

    def iban(self, text: str) -> bool:
        """An IBAN: a known country's length and the mod-97 check."""
        from stdnum import iban

        return bool(iban.is_valid(text))


@lru_cache(maxsize=4096)
def _valid_phone(digits: str, regions: tuple[str, ...]) -> bool:
    import phonenumbers

    for region in regions:
        try:
            number = phonenumbers.parse(("+" + digits) if region == "ZZ" else digits, None if region == "ZZ"
                                        else region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


def redactor() -> Redactor:
    """The redactor every kept call goes through, its libraries' tables loaded (about 0.1 s and 3 MB beside the
    app's own): now, not on the first line of a live call."""
    hiding = Redactor(LibraryChecks())
    hiding.text("4111 1111 1111 1111, 415 555 0134, 021000021, 123-45-6789, DE89 3704 0044 0532 0130 00")
    return hiding
