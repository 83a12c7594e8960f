"""Cells of the CSV and XLSX files the workbook writes: text never starts a formula.

A team called `=HYPERLINK(...)` or a reason `+cmd|' /C calc'!A0` would otherwise become a live
formula when a reader opens the file in a spreadsheet (OWASP "CSV injection"). Every writer of
a CSV or XLSX cell goes through here:

- CSV: text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a single quote
  in front (`'=1+1`), the prefix OWASP recommends; the CSVW metadata and the README say so;
- XLSX: such text is written as a string cell (never a formula), unchanged;
- numbers stay numbers: only text is ever prefixed, so `-2` written as a number stays `-2`.
"""

from __future__ import annotations

import numbers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_PREFIX = "'"
# One sentence for the CSVW metadata of every CSV file (`opendata.metadata_text`).
CSV_NOTE = (
    "Tekst die begint met =, +, -, @, een tab of een regelterugloop staat in het bestand met een "
    "enkel aanhalingsteken (') ervoor, zodat een spreadsheet er geen formule van maakt; getallen "
    "staan er zonder."
)


def starts_formula(value: object) -> bool:
    """Whether `value` is text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: object, written: str) -> str:
    """The CSV text `written` for `value`, prefixed when it is text that would start a formula.

    `value` decides (a number is never prefixed, even when written as `-2`); `written` is what
    the writer made of it (Dutch or ISO formatting)."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return written
    return CSV_PREFIX + written if written.startswith(FORMULA_STARTS) else written


def text_cell(text: str) -> str:
    """A CSV header or other text cell: prefixed when it would start a formula."""
    return csv_cell(None, text)
