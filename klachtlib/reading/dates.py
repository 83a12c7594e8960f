"""Date parsing: every date spelling a register may hold, to a midnight timestamp.

Split from `register` because the accepted spellings (ISO, Dutch numeric, Dutch month names,
Excel day numbers) are a concern of their own; `register` re-exports `parse_dates`.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

DATE = "datetime64[ns]"

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3, "maa": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8,
    "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_TIME_SUFFIX = r"(?:[ t]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$"
# One pattern, tried in this order: ISO, Dutch numeric, Dutch month names, an Excel day number
# (1927..2173: a cell without date format). Each spelling has its own group names.
_SPELLED = (
    r"^(?:(?P<iso_year>\d{4})[-/.](?P<iso_month>\d{1,2})[-/.](?P<iso_day>\d{1,2})"
    r"|(?P<nl_day>\d{1,2})[-/.](?P<nl_month>\d{1,2})[-/.](?P<nl_year>\d{4}|\d{2})"
    r"|(?:[a-z]+,?\s+)?(?P<named_day>\d{1,2})[\s./-]*(?P<named_month>[a-z]+)\.?[\s./-]*(?P<named_year>\d{4}|\d{2})"
    r"|(?P<serial>[1-9]\d{4}(?:\.\d+)?))$"
)
_SPELLINGS = ("iso", "nl", "named")
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
# An Excel day number (a date cell without date format) is read only when plausible: from
# 1 January 1990 (dates after today are errors anyway); `00001` or `12345` is not a date.
_FIRST_SERIAL = 32874
DEFAULT_TIMEZONE = "Europe/Amsterdam"


def parse_dates(values: pd.Series, month_first: bool = False, timezone: str | None = None) -> pd.Series:
    """Every accepted date spelling to a midnight timestamp; NaT when empty or unparseable.

    `month_first` reads `4/2/2024` as 2 April (`[bestand] datumvolgorde = "maand-dag"`). A
    timestamp with a zone (`2023-12-31T23:38:00Z`, `+01:00`) is converted to `timezone`
    (default Europe/Amsterdam) before its date is taken; one without a zone is local time.
    Parses the distinct values only and maps them back, so a million rows cost the same as
    the few thousand days they contain.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # already coded: its categories are the distinct values
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
        text_only = isinstance(uniques.dtype, pd.StringDtype)
    else:
        text_only = isinstance(values.dtype, pd.StringDtype)
        codes, uniques = pd.factorize(values if text_only else values.astype(object))
    if len(uniques) == 0:
        return pd.Series(pd.NaT, index=values.index, dtype=DATE)
    distinct = np.asarray(uniques, dtype=object)
    texts = pd.Series(distinct, dtype=object if text_only else str)
    parsed = _parse_date_texts(texts, month_first, timezone or DEFAULT_TIMEZONE).to_numpy(
        dtype=DATE, copy=True
    )
    if not text_only:  # only text is parsed
        parsed[[not isinstance(u, str) for u in distinct]] = np.datetime64("NaT")
    return pd.Series(np.append(parsed, np.datetime64("NaT"))[codes], index=values.index, dtype=DATE)


def _parse_date_texts(
    texts: pd.Series, month_first: bool = False, timezone: str = DEFAULT_TIMEZONE
) -> pd.Series:
    """Vectorised: ISO, Dutch numeric, Dutch month names and Excel day numbers.

    Timestamps with a zone go first (converted to `timezone`). The spellings exports use
    most (`05-03-2024`, `2024-03-05`, `5 maart 2024`) are read by numpy's string and array
    operations; only what is left takes the slower regular-expression route, which reads
    every spelling (and gives the same dates).
    """
    dates = _parse_zoned(texts, timezone)
    rest = np.isnat(dates)
    if rest.any():
        dates[rest] = _parse_fixed_width(texts[rest].to_numpy(dtype=object), month_first)
    for route in (_parse_named_month, lambda t: _parse_spelled(t, month_first)):
        rest = np.isnat(dates)
        if not rest.any():
            break
        dates[rest] = route(texts[rest])
    return pd.Series(dates, index=texts.index)


_ZONED = re.compile(
    r"^\s*\d{4}-\d{2}-\d{2}[ Tt]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[zZ]|[+-]\d{2}:?\d{2})\s*$"
)


def _parse_zoned(texts: pd.Series, timezone: str) -> np.ndarray:
    """ISO timestamps with `Z` or an offset, as the date they fall on in `timezone`; NaT otherwise.

    `2023-12-31T23:38:00Z` is 1 January 2024, 00:38 in Amsterdam: a complaint of 2024.
    """
    dates = np.full(len(texts), np.datetime64("NaT"), dtype=DATE)
    zone = ZoneInfo(timezone)
    for i, text in enumerate(texts.to_numpy(dtype=object)):
        if isinstance(text, str) and ":" in text and _ZONED.match(text):
            try:
                moment = datetime.fromisoformat(text.strip().replace(",", ".").replace(" ", "T", 1))
            except ValueError:
                continue
            local = moment.astimezone(zone)
            dates[i] = np.datetime64(local.date().isoformat(), "D")
    return dates


_DIGITS = {"dmy": (slice(6, 10), slice(3, 5), slice(0, 2)), "ymd": (slice(0, 4), slice(5, 7), slice(8, 10))}
_SEPARATORS = {"dmy": [2, 5], "ymd": [4, 7]}
_SEPARATOR_CODES = [ord(c) for c in "-/."]
_POWERS = {2: np.array([10, 1]), 4: np.array([1000, 100, 10, 1])}


def _parse_fixed_width(texts: np.ndarray, month_first: bool = False) -> np.ndarray:
    """`dd-mm-yyyy` and `yyyy-mm-dd` (separators - / .) to datetime64; NaT for anything else.

    Reads the characters as a code-point matrix, so a date costs no Python call of its own.
    """
    codes = np.asarray(texts, dtype="U11").view(np.uint32).reshape(len(texts), 11).astype(np.int64)
    digits = codes - ord("0")
    is_digit = (digits >= 0) & (digits <= 9)
    exact_length = (codes[:, 9] != 0) & (codes[:, 10] == 0)
    year, month, day = (np.full(len(texts), np.nan) for _ in range(3))
    for layout, parts in _DIGITS.items():
        separators = np.isin(codes[:, _SEPARATORS[layout]], _SEPARATOR_CODES).all(axis=1)
        matches = exact_length & separators & np.all([is_digit[:, p].all(axis=1) for p in parts], axis=0)
        y, m, d = (digits[:, p] @ _POWERS[p.stop - p.start] for p in parts)
        if month_first and layout == "dmy":
            m, d = d, m
        year, month, day = np.where(matches, y, year), np.where(matches, m, month), np.where(matches, d, day)
    return _calendar_dates(year, month, day)


_MONTH_NAMES = np.array(sorted(_MONTHS))
_MONTH_NUMBERS = np.array([_MONTHS[name] for name in _MONTH_NAMES])


def _parse_named_month(texts: pd.Series) -> np.ndarray:
    """`5 maart 2024` (day, month name or abbreviation, four-digit year; one space between)."""
    lower = np.strings.lower(np.asarray(texts.to_numpy(dtype=object), dtype=str))
    day, _, rest = np.strings.partition(lower, " ")
    month, _, year = np.strings.partition(rest, " ")
    found = np.searchsorted(_MONTH_NAMES, month).clip(max=len(_MONTH_NAMES) - 1)
    matches = _is_ascii_number(day, 1, 2) & _is_ascii_number(year, 4, 4) & (_MONTH_NAMES[found] == month)
    number = lambda part: np.where(matches, part, "0").astype(np.int64).astype(float)  # noqa: E731
    missing = np.where(matches, 1.0, np.nan)
    return _calendar_dates(number(year) * missing, _MONTH_NUMBERS[found] * missing, number(day) * missing)


def _is_ascii_number(part: np.ndarray, shortest: int, longest: int) -> np.ndarray:
    length = np.strings.str_len(part)
    return (length >= shortest) & (length <= longest) & (np.strings.lstrip(part, "0123456789") == "")


def _calendar_dates(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Year, month and day numbers (NaN where unknown) to datetime64; NaT unless a real day.

    Years outside 1900-2200 are NaT too: typos like 2924 stay unparseable.
    """
    valid = (year >= 1900) & (year <= 2200) & (month >= 1) & (month <= 12) & (day >= 1)
    month_start = (np.where(valid, year, 1970) - 1970) * 12 + np.where(valid, month, 1) - 1
    first = month_start.astype(np.int64).astype("datetime64[M]").astype("datetime64[D]")
    days_in_month = (first.astype("datetime64[M]") + 1).astype("datetime64[D]") - first
    valid &= day <= days_in_month.astype(np.int64)
    dates = (first + np.where(valid, day - 1, 0).astype(np.int64)).astype(DATE)
    dates[~valid] = np.datetime64("NaT")
    return dates


def _parse_spelled(texts: pd.Series, month_first: bool = False) -> pd.Series:
    folded = texts.str.strip().str.lower()
    timed = folded.str.contains(":", regex=False)  # the time-suffix pattern only where it can match
    if timed.any():
        folded = folded.where(~timed, folded[timed].str.replace(_TIME_SUFFIX, "", regex=True).str.strip())
    parts = folded.str.extract(_SPELLED)
    number = {name: np.full(len(parts), np.nan) for name in parts}
    for name in parts.columns[parts.notna().any()]:  # converting only the spellings present
        column = parts[name]
        values = column.map(_MONTHS) if name == "named_month" else pd.to_numeric(column, errors="coerce")
        number[name] = values.to_numpy(dtype=float)
    year, month, day = (
        np.fmax.reduce([number[f"{spelling}_{part}"] for spelling in _SPELLINGS])
        for part in ("year", "month", "day")
    )
    if month_first:  # only the numeric Dutch spelling has day and month the other way round
        number["nl_day"], number["nl_month"] = number["nl_month"], number["nl_day"]
        year, month, day = (
            np.fmax.reduce([number[f"{spelling}_{part}"] for spelling in _SPELLINGS])
            for part in ("year", "month", "day")
        )
    year = np.where(year < 100, year + 2000, year)
    dates = _calendar_dates(year, month, day)
    serial = number["serial"]  # at most 99999.x: well within datetime64[ns]
    serial = np.where(serial >= _FIRST_SERIAL, serial, np.nan)  # before 1990: a number, not a date
    if not np.isnan(serial).all():
        from_serial = (_EXCEL_EPOCH + np.floor(np.nan_to_num(serial)).astype(np.int64)).astype(DATE)
        dates = np.where(np.isnan(serial), dates, from_serial)
    return pd.Series(dates, index=texts.index, dtype=DATE)


def show_date(value: pd.Timestamp) -> str:
    return f"{value.day}-{value.month}-{value.year}"
