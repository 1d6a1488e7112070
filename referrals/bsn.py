"""The Dutch citizen service number (BSN) and its eleven test (elfproef)."""

import re

from django.core.exceptions import ValidationError


def is_valid_bsn(value: str) -> bool:
    # [0-9], not \d: \d also matches digits of other scripts (e.g. full-width '１'), which are no BSN.
    if not re.fullmatch(r"[0-9]{9}", value or "") or value == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(value, weights, strict=True)) % 11 == 0


def normalise_bsn(value: str) -> str:
    """Accept '1234.56.782', '1234 56 782' and 8-digit numbers (a leading zero was dropped)."""
    digits = re.sub(r"[\s.\-]", "", value or "")
    if re.fullmatch(r"[0-9]{8}", digits):
        digits = "0" + digits
    return digits


def validate_bsn(value: str) -> None:
    if not is_valid_bsn(value):
        raise ValidationError(
            "Dit is geen geldig BSN: het moet 9 cijfers hebben en voldoen aan de elfproef. "
            "Controleer het nummer, of kies een BSN-status als er geen (bekend) BSN is.",
            code="invalid_bsn",
        )


def mask_bsn(value: str) -> str:
    """Show only the last three digits, as on Dutch letters: *****.*789 -> '••••••789'."""
    if not value:
        return ""
    return "•" * 6 + value[-3:]


def valid_bsns(start: int):
    """Endless valid BSNs above `start`, for demo and test data."""
    n = start
    while True:
        n += 1
        if is_valid_bsn(f"{n:09d}"):
            yield f"{n:09d}"
