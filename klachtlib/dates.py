"""Date parsing: every date spelling a register may hold, to a midnight timestamp.

Split from `register` because the accepted spellings (ISO, Dutch numeric, Dutch month names,
Excel day numbers) are a concern of their own; `register` re-exports `parse_dates`.
"""

from __future__ import annotations

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
_ISO_DATE = r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})$"
_DUTCH_DATE = r"^(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})[-/.](?P<year>\d{4}|\d{2})$"
_NAMED_DATE = r"^(?:[a-z]+,?\s+)?(?P<day>\d{1,2})[\s./-]*(?P<month>[a-z]+)\.?[\s./-]*(?P<year>\d{4}|\d{2})$"
_EXCEL_SERIAL = r"^\d{5}(?:\.\d+)?$"  # 1927..2173: a day number from an Excel cell without date format
_EXCEL_EPOCH = "1899-12-30"


def parse_dates(values: pd.Series) -> pd.Series:
    """Every accepted date spelling to a midnight timestamp; NaT when empty or unparseable.

    Parses the distinct values only and maps them back, so a million rows cost the same as
    the few thousand days they contain.
    """
    codes, uniques = pd.factorize(values.astype(object))
    if len(uniques) == 0:
        return pd.Series(pd.NaT, index=values.index, dtype=DATE)
    texts = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str)
    parsed = _parse_date_texts(texts).to_numpy(dtype=DATE, copy=True)
    parsed[[not isinstance(u, str) for u in uniques]] = np.datetime64("NaT")  # only text is parsed
    return pd.Series(np.append(parsed, np.datetime64("NaT"))[codes], index=values.index, dtype=DATE)


def _parse_date_texts(texts: pd.Series) -> pd.Series:
    """Vectorised: ISO, Dutch numeric, Dutch month names and Excel day numbers.

    The two spellings exports use most (`05-03-2024`, `2024-03-05`) go through pandas' C date
    parser first; only what is left takes the slower regular-expression route.
    """
    common = _parse_common(texts)
    rest = common.isna()
    if not rest.any():
        return common
    return common.where(~rest, _parse_spelled(texts[rest]))


def _parse_common(texts: pd.Series) -> pd.Series:
    dates = pd.to_datetime(texts, format="%d-%m-%Y", errors="coerce")
    dates = dates.fillna(pd.to_datetime(texts, format="%Y-%m-%d", errors="coerce"))
    return dates.where(dates.dt.year.between(1900, 2200)).astype(DATE)  # the slow route's bounds


def _parse_spelled(texts: pd.Series) -> pd.Series:
    folded = texts.str.strip().str.lower().str.replace(_TIME_SUFFIX, "", regex=True).str.strip()
    parts = folded.str.extract(_ISO_DATE)
    for pattern in (_DUTCH_DATE, _NAMED_DATE):
        parts = parts.combine_first(folded.str.extract(pattern))
    month = pd.to_numeric(parts["month"], errors="coerce").fillna(parts["month"].map(_MONTHS))
    year = pd.to_numeric(parts["year"], errors="coerce")
    year = year.where(year >= 100, year + 2000)
    year = year.where(year.between(1900, 2200))  # typos like 2924 stay unparseable, within datetime64[ns]
    day = pd.to_numeric(parts["day"], errors="coerce")
    dates = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")
    serial = pd.to_numeric(folded.where(folded.str.fullmatch(_EXCEL_SERIAL)), errors="coerce")
    from_serial = pd.to_datetime(serial, unit="D", origin=pd.Timestamp(_EXCEL_EPOCH), errors="coerce")
    return dates.astype(DATE).fillna(from_serial.astype(DATE)).dt.normalize()


def show_date(value: pd.Timestamp) -> str:
    return f"{value.day}-{value.month}-{value.year}"
