"""Periods of the planning-and-control cycle: a year, half-year, quarter, four months or a month.

One spelling for every command (`klachten report --periode 2025-H1`, `klachten woo --periode
2024-Q3`, `klachten batch --periodes ...`): `2025`, `2025-H1`/`H2` (halfjaar), `2025-Q1`..`Q4`
(kwartaal), `2025-T1`..`T3` (viermaandsperiode: January-April, May-August,
September-December) and `2025-03` (a month). A `Period` knows its days, its name in file
names (`slug`), as a title (`name`: "eerste halfjaar 2025") and in running text
(`in_text`: "het eerste halfjaar van 2025"), and the same period a year earlier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date as babel_format_date

from klachtlib import config

_ORDINALS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde"}
_PERIOD = re.compile(
    r"(?P<year>\d{4})(?:[-\s]?(?:q(?P<quarter>[1-4])|h(?P<half>[12])|t(?P<third>[1-3])|(?P<month>\d{2})))?",
    re.IGNORECASE | re.ASCII,
)
PERIOD_EXAMPLES = "2024, 2024-Q3, 2024-H1, 2024-T2 of 2024-03"
# kind letter -> (months per period, Dutch noun, its article)
_KINDS = {"Q": (3, "kwartaal", "het"), "H": (6, "halfjaar", "het"), "T": (4, "viermaandsperiode", "de")}


class PeriodError(ValueError):
    """A period the user typed that means nothing; the message is Dutch (a usage error)."""


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included, with its name in file names and in words."""

    start: date
    end: date
    slug: str  # in file names: 2024, 2024-Q3, 2024-H1, 2024-T2, 2024-03, 2024-03-01-tot-2024-05-31
    name: str  # as a title: "2024", "derde kwartaal 2024", "maart 2024", "1 maart 2024 tot en met ..."
    phrase: str = ""  # in running text, where it differs: "het derde kwartaal van 2024"

    @property
    def span(self) -> str:
        """'1 juli 2024 tot en met 30 september 2024'."""
        return f"{_long_date(self.start)} tot en met {_long_date(self.end)}"

    @property
    def in_text(self) -> str:
        """The period in a sentence: 'In {in_text} zijn ...' ('2024', 'het eerste halfjaar van 2025')."""
        return self.phrase or self.name

    @property
    def part(self) -> str:
        """The part of the year a named period is: 'eerste halfjaar', 'maart' ('' for a year)."""
        return "" if self.is_year else self.name.removesuffix(f" {self.start.year}")

    @property
    def part_in_text(self) -> str:
        """The part of the year in a sentence: 'het eerste halfjaar', 'de tweede viermaandsperiode'."""
        return self.in_text.removesuffix(f" van {self.start.year}").removesuffix(f" {self.start.year}")

    @property
    def is_year(self) -> bool:
        return self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31)

    def year_earlier(self) -> Period:
        """The same period one year earlier (the comparison of a period report)."""
        if _PERIOD.fullmatch(self.slug):
            return self.in_year(self.start.year - 1)
        start, end = _year_back(self.start), _year_back(self.end)
        span = f"{_long_date(start)} tot en met {_long_date(end)}"
        return Period(start, end, f"{start.isoformat()}-tot-{end.isoformat()}", span)

    def in_year(self, year: int) -> Period:
        """The same named period in another year (2025-H1 -> 2021-H1); not for a span of days."""
        if not _PERIOD.fullmatch(self.slug):
            raise ValueError(f"in_year: {self.slug} is geen benoemde periode")
        return parse_named(f"{year}{self.slug[4:]}")

    def months(self) -> tuple[int, ...]:
        """The calendar months the period covers (a named period covers whole months)."""
        return tuple(range(self.start.month, self.end.month + 1)) if self.start.year == self.end.year else ()


def _long_date(day: date) -> str:
    return babel_format_date(day, format="long", locale=config.LOCALE)


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), str(year), str(year))


FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years a period or date argument may name


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def parse_named(spec: str) -> Period:
    """'2024', '2024-Q3', '2024-H1', '2024-T2' or '2024-03' as a Period; PeriodError otherwise."""
    match = _PERIOD.fullmatch(spec.strip())
    if not match:
        raise PeriodError(
            f"'{spec}' is geen geldige periode. Gebruik een jaar, halfjaar, kwartaal, viermaandsperiode "
            f"of maand: {PERIOD_EXAMPLES}."
        )
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"'{spec}': het jaar {year} ligt niet tussen {FIRST_YEAR} en {LAST_YEAR}.")
    for kind, group in (("Q", "quarter"), ("H", "half"), ("T", "third")):
        if match[group]:
            number = int(match[group])
            length, noun, article = _KINDS[kind]
            start = date(year, length * (number - 1) + 1, 1)
            ordinal = _ORDINALS[number]
            return Period(
                start,
                _month_end(year, length * number),
                f"{year}-{kind}{number}",
                f"{ordinal} {noun} {year}",
                f"{article} {ordinal} {noun} van {year}",
            )
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(
                f"'{spec}': maand {match['month']} bestaat niet (01 t/m 12). Bijvoorbeeld 2024-03."
            )
        start = date(year, month, 1)
        month_name = babel_format_date(start, "LLLL y", locale=config.LOCALE)
        return Period(start, _month_end(year, month), f"{year}-{month:02d}", month_name)
    return year_period(year)
