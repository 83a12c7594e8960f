"""What came of the learning points: the measures of a year, counted, and per team.

A measure belongs to the year of its learning point (`measures.py` says how that year is
found). For the report over year Y:

- the year's own measures: those of Y, with their status when the list was made (as open
  complaints are counted "bij het opstellen van dit overzicht"): `afgerond`, or still running
  (`open` or `in uitvoering`);
- carried over: measures of earlier years not yet done on 1 January of Y (status not
  `afgerond`, or completed in Y or later), and how many of those were completed in Y.

The public report gets these counts only (`MeasureFigures`); the text of a measure, its
learning point and its owner stay in the internal team overviews (`team_measures`) and the
internal index (`measures_per_team`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from klachtlib.reading.vocab import MEASURE_DONE

# The team overview's table of measures, in the order its rows are listed.
TEAM_MEASURE_COLUMNS: tuple[str, ...] = (
    "jaar",
    "klacht_id",
    "leerpunt",
    "maatregel",
    "eigenaar",
    "status",
    "datum_afgerond",
)


@dataclass(frozen=True)
class MeasureFigures:
    """Counts of measures for the report over `year`: never their text."""

    year: int
    total: int  # measures for the learning points of `year`
    done: int  # of those: afgerond
    carried: int  # measures of earlier years still running on 1 January of `year`
    carried_done: int  # of those: completed in `year`

    @property
    def running(self) -> int:
        """The year's own measures still open or in progress."""
        return self.total - self.done


def _done(measures: pd.DataFrame) -> pd.Series:
    return measures["status"].eq(MEASURE_DONE).fillna(False).astype(bool)


def _carried_over(measures: pd.DataFrame, year: int) -> pd.Series:
    """Measures of years before `year` that were not done before `year` began."""
    done_before = _done(measures) & measures["datum_afgerond"].dt.year.lt(year).fillna(False).astype(bool)
    return measures["jaar"].lt(year) & ~done_before


def measure_figures(measures: pd.DataFrame, year: int) -> MeasureFigures:
    """The year's measures and the carried-over ones, counted (see the module docstring)."""
    own = measures[measures["jaar"].eq(year)]
    carried = measures[_carried_over(measures, year)]
    completed_in_year = carried["datum_afgerond"].dt.year.eq(year).fillna(False).astype(bool)
    return MeasureFigures(
        year=year,
        total=len(own),
        done=int(_done(own).sum()),
        carried=len(carried),
        carried_done=int(completed_in_year.sum()),
    )


def listed_measures(measures: pd.DataFrame, year: int) -> pd.DataFrame:
    """The measures a team overview over `year` lists: the year's own and the carried-over ones."""
    return measures[measures["jaar"].eq(year) | _carried_over(measures, year)]


def team_measures(measures: pd.DataFrame, year: int, team: str) -> pd.DataFrame:
    """A team's measures for the overview over `year` (TEAM_MEASURE_COLUMNS): the carried-over
    ones first (still running before done, oldest year first), then the year's own (running
    before done); within that in the order of maatregelen.csv."""
    listed = listed_measures(measures, year)
    shown = listed[listed["team"].eq(team).fillna(False).astype(bool)]
    order = pd.DataFrame(
        {
            "this_year": shown["jaar"].eq(year),
            "done": _done(shown),
            "jaar": shown["jaar"],
            "regel": shown["regel"],
        }
    )
    ordered = shown.loc[order.sort_values(["this_year", "done", "jaar", "regel"], kind="stable").index]
    return ordered[list(TEAM_MEASURE_COLUMNS)].reset_index(drop=True)


def measures_per_team(measures: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per team [team, open, afgerond]: measures of `year` or earlier still running when the list
    was made, and measures completed in `year`. Teams with neither are left out; sorted by name."""
    upto = measures[measures["jaar"].le(year)]
    running = upto[~_done(upto)]["team"].value_counts()
    in_year = upto["datum_afgerond"].dt.year.eq(year).fillna(False).astype(bool)
    completed = upto[in_year]["team"].value_counts()
    teams = sorted(set(running.index) | set(completed.index), key=lambda t: (str(t).casefold(), str(t)))
    return pd.DataFrame(
        {
            "team": pd.Series(teams, dtype=object),
            "open": pd.Series([int(running.get(t, 0)) for t in teams], dtype="int64"),
            "afgerond": pd.Series([int(completed.get(t, 0)) for t in teams], dtype="int64"),
        }
    )
