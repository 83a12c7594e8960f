"""Which register rows are complaints of a year, and how each one ended.

A row belongs to the year of its `datum_ontvangst`. A `voorkomen` row is a prevented
complaint: it is registered, but it is never a complaint and never counts in a total
(shared/spec/register.md). The other statuses fall into three groups: handled on the
merits, not handled on the merits (with a reason), and still open.

All functions are pure: they take the reader's canonical register and return a new
frame or series; the input is never modified.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from klachtlib.reading import vocab

# Status group per status, named as the trend columns and report phrases use them.
GROUP_HANDLED = "afgehandeld"
GROUP_NOT_HANDLED = "niet_afgehandeld"
GROUP_OPEN = "in_behandeling"
GROUP_PREVENTED = "voorkomen"
GROUPS: tuple[str, ...] = (GROUP_HANDLED, GROUP_NOT_HANDLED, GROUP_OPEN, GROUP_PREVENTED)
STATUS_GROUP: dict[str, str] = {
    vocab.HANDLED: GROUP_HANDLED,
    **{status: GROUP_NOT_HANDLED for status in vocab.NOT_HANDLED},
    vocab.OPEN: GROUP_OPEN,
    vocab.PREVENTED: GROUP_PREVENTED,
}
COMPLAINT_STATUSES: tuple[str, ...] = tuple(s for s in vocab.STATUSES if s != vocab.PREVENTED)


def receipt_year(register: pd.DataFrame) -> pd.Series:
    """Year of receipt per row (nullable Int64: pandas gives floats when a date is NaT)."""
    return register["datum_ontvangst"].dt.year.astype("Int64")


def status_group(register: pd.DataFrame) -> pd.Series:
    """Group per row: afgehandeld / niet_afgehandeld / in_behandeling / voorkomen."""
    return register["status"].map(STATUS_GROUP)


def is_complaint(register: pd.DataFrame) -> pd.Series:
    """True for every row that counts as a complaint, i.e. anything but `voorkomen`."""
    return register["status"].isin(COMPLAINT_STATUSES)


def rows_of_year(register: pd.DataFrame, year: int) -> pd.DataFrame:
    """All rows (complaints and prevented ones) received in `year`."""
    return register[receipt_year(register).eq(year).fillna(False).astype(bool)]


def complaints_of_year(register: pd.DataFrame, year: int) -> pd.DataFrame:
    """The complaints received in `year`; prevented complaints are left out."""
    rows = rows_of_year(register, year)
    return rows[is_complaint(rows)]


def rows_between(register: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """All rows (complaints and prevented ones) received from `start` to `end`, both included."""
    received = register["datum_ontvangst"]
    return register[received.ge(pd.Timestamp(start)) & received.le(pd.Timestamp(end))]


def prevented_of_year(register: pd.DataFrame, year: int) -> pd.DataFrame:
    """The prevented complaints (`voorkomen`) registered in `year`."""
    rows = rows_of_year(register, year)
    return rows[rows["status"].isin([vocab.PREVENTED])]


def handled(complaints: pd.DataFrame) -> pd.DataFrame:
    """Complaints handled on their merits (`afgehandeld`)."""
    return complaints[complaints["status"].isin([vocab.HANDLED])]


def is_not_handled(complaints: pd.DataFrame) -> pd.Series:
    """True for complaints withdrawn, inadmissible, broken off or forwarded (each with a reason)."""
    return complaints["status"].isin(vocab.NOT_HANDLED)


def not_handled(complaints: pd.DataFrame) -> pd.DataFrame:
    """Complaints withdrawn, inadmissible, broken off or forwarded (each with a reason)."""
    return complaints[is_not_handled(complaints)]


def is_open(complaints: pd.DataFrame) -> pd.Series:
    """True for complaints still `in behandeling` when the register was exported."""
    return complaints["status"].isin([vocab.OPEN])


def still_open(complaints: pd.DataFrame) -> pd.DataFrame:
    """Complaints still `in behandeling` when the register was exported."""
    return complaints[is_open(complaints)]


def years_in(register: pd.DataFrame) -> list[int]:
    """Every receipt year with at least one row (complaint or prevented), ascending."""
    return sorted(int(y) for y in receipt_year(register).dropna().unique())


def latest_year(register: pd.DataFrame) -> int | None:
    """The most recent receipt year: the default report year. None for an empty register."""
    years = years_in(register)
    return years[-1] if years else None
