# SPDX-License-Identifier: EUPL-1.2
"""The burgerservicenummer check (elfproef)."""


def is_valid_bsn(value: str) -> bool:
    """Nine digits whose weighted sum (9..2, and -1 for the last) is divisible by 11."""
    if len(value) != 9 or not value.isdigit() or value == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(value, weights, strict=True)) % 11 == 0
