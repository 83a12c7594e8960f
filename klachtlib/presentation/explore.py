"""Tidy frames for the analyst's own questions: what `notebooks/verkenning.ipynb` draws.

The year report answers the seed's questions with finished HTML; an analyst then asks their
own (why did formal complaints rise in the summer? which team is slow?). Each function here
returns one tidy DataFrame (one row per observation, one column per variable) that the
notebook draws with seaborn, and that the analyst can filter and group further. The figures
come from the report's own rules (`classify`, `counts`): a number here is the report's number.

Not recorded is not none, here too: a value the register does not record stays missing (NA),
an empty category is `niet vastgelegd`, and a month outside the register is missing, so no
chart draws a zero for something unknown; `not_recorded` says in a sentence what a chart
cannot show. Nothing here is published: the exploration notebook is never rendered to a page
(no `klachten` command runs it), and no frame holds the text of a learning point.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from babel.dates import get_month_names

from klachtlib import config
from klachtlib.domain import classify, counts
from klachtlib.presentation import text
from klachtlib.presentation.charts import OKABE_ITO
from klachtlib.presentation.report import resolve_year
from klachtlib.reading import vocab
from klachtlib.reading.register import DataFolder, cached_data_folder
from klachtlib.reading.settings import Settings

NOT_RECORDED = "niet vastgelegd"
MONTH_NAMES: tuple[str, ...] = tuple(
    get_month_names("abbreviated", locale=config.LOCALE)[m] for m in range(1, 13)
)
OUTCOMES: dict[str, str] = {  # status group -> how the frames name it
    classify.GROUP_HANDLED: "afgehandeld",
    classify.GROUP_NOT_HANDLED: "niet afgehandeld",
    classify.GROUP_OPEN: "in behandeling",
}
VERDICT_COLUMNS: tuple[str, ...] = (*vocab.VERDICTS, NOT_RECORDED)  # of `per_team`, for a heatmap
# Colour-blind safe colours per channel (Okabe-Ito), grey for "niet vastgelegd".
CHANNEL_COLOURS: dict[str, str] = {
    **dict(
        zip(
            vocab.CHANNELS,
            (OKABE_ITO[c] for c in ("blue", "orange", "bluish green", "vermillion", "sky blue",
                                    "reddish purple", "yellow")),
            strict=True,
        )
    ),
    NOT_RECORDED: "#BBBBBB",
}  # fmt: skip
COLUMN_PHRASES: dict[str, str] = {
    "team": "het team",
    "reden": "de reden",
    "behandeling": "de wijze van behandeling",
    "oordeel": "het oordeel",
    "datum_afgehandeld": "de datum van afhandeling",
    "verdaagd": "verdaging",
    "kanaal": "het kanaal",
    "aard": "de aard",
    "leerpunt": "het leerpunt",
    "ombudsman": "de Nationale ombudsman",
}


def load(data_dir: str | Path | None, year: int | str | None) -> tuple[DataFolder, int]:
    """The notebook's entry: the checked data folder and the year (`data_dir` and `year` as in
    the year report notebook; a data error is one Dutch message, never a traceback)."""
    folder = cached_data_folder(config.notebook_data_dir(data_dir))
    return folder, resolve_year(folder, year)


def complaints(register: pd.DataFrame, settings: Settings, year: int | None = None) -> pd.DataFrame:
    """Every complaint, one row each (prevented ones are no complaints): the frame to ask your
    own questions of. Only `year` when given.

    Columns: klacht_id, jaar, maand (1-12), datum_ontvangst, datum_afgehandeld, status, afloop
    (afgehandeld / niet afgehandeld / in behandeling), team, reden, behandeling, oordeel, kanaal,
    aard, verdaagd, ombudsman, met_leerpunt (never the point itself), dagen (calendar days to
    closing) and binnen_termijn (as the report decides it, with `[termijnen]`). A value the
    register does not record is NA, and so is met_leerpunt in a year without learning points.
    """
    rows = register[classify.is_complaint(register)]
    if year is not None:
        rows = rows[classify.receipt_year(rows).eq(year).fillna(False).astype(bool)]
    years = classify.receipt_year(rows)
    timing = [
        counts.handling_days(group, settings, _extension_recorded(group, settings))
        for _, group in rows.groupby(years, sort=True)
    ]
    days = pd.concat(timing) if timing else pd.DataFrame({"dagen": [], "binnen_termijn": []})
    with_point = rows["leerpunt"].astype(object).fillna("").astype(str).str.strip().ne("")
    point_years = counts.years_recording(register, "leerpunt")
    frame = pd.DataFrame(
        {
            "klacht_id": rows["klacht_id"],
            "jaar": years.astype("int64"),
            "maand": rows["datum_ontvangst"].dt.month.astype("int64"),
            "datum_ontvangst": rows["datum_ontvangst"],
            "datum_afgehandeld": rows["datum_afgehandeld"],
            "status": rows["status"],
            "afloop": pd.Categorical(
                classify.status_group(rows).map(OUTCOMES), categories=list(OUTCOMES.values())
            ),
            **{c: rows[c] for c in ("team", "reden", "behandeling", "oordeel", "kanaal", "aard")},
            "verdaagd": rows["verdaagd"],
            "ombudsman": rows["ombudsman"],
            "met_leerpunt": with_point.astype("boolean").where(years.isin(point_years).astype(bool)),
            "dagen": days["dagen"].reindex(rows.index).astype("Int64"),
            "binnen_termijn": days["binnen_termijn"].reindex(rows.index).astype("boolean"),
        }
    )
    return frame.reset_index(drop=True)


def _extension_recorded(complaints_of_year: pd.DataFrame, settings: Settings) -> bool:
    """As the report decides it: `verdaagd` recorded in the year, or no extension exists."""
    return settings.extension_weeks == 0 or "verdaagd" not in counts.not_recorded(complaints_of_year)


def per_year(register: pd.DataFrame, contacts: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The report's headline figures for every year in the register, one row per year.

    Columns: jaar, ontvangen, afgehandeld, niet_afgehandeld, in_behandeling, voorkomen,
    informeel, formeel, mediane_dagen, binnen_termijn (a share, 0-1) and leerpunten. Each is the
    figure that year's report states (`counts.year_figures`); NA where the report says
    "onbekend" (handling, closing dates or learning points not recorded in that year).
    """
    rows = []
    for year in classify.years_in(register):
        f = counts.year_figures(register, contacts, settings, year)
        treatment_known = "behandeling" not in f.not_recorded
        rows.append(
            {
                "jaar": year,
                "ontvangen": f.total,
                "afgehandeld": f.handled,
                "niet_afgehandeld": f.not_handled,
                "in_behandeling": f.still_open,
                "voorkomen": f.prevented,
                "informeel": f.informal if treatment_known else pd.NA,
                "formeel": f.formal if treatment_known else pd.NA,
                "mediane_dagen": pd.NA if f.median_days is None else f.median_days,
                "binnen_termijn": pd.NA if f.within_term_share is None else f.within_term_share,
                "leerpunten": (
                    pd.NA if "leerpunt" in f.not_recorded else int(f.learning_points_per_team["aantal"].sum())
                ),
            }
        )
    frame = pd.DataFrame(rows, columns=list(_PER_YEAR_TYPES))
    return frame.astype(_PER_YEAR_TYPES)


_PER_YEAR_TYPES: dict[str, str] = {
    "jaar": "int64",
    "ontvangen": "int64",
    "afgehandeld": "int64",
    "niet_afgehandeld": "int64",
    "in_behandeling": "int64",
    "voorkomen": "int64",
    "informeel": "Int64",
    "formeel": "Int64",
    "mediane_dagen": "Float64",
    "binnen_termijn": "Float64",
    "leerpunten": "Int64",
}


def per_team(register: pd.DataFrame, settings: Settings, year: int) -> pd.DataFrame:
    """One row per team with complaints in `year` (the teams that get an overview), by name.

    Columns: team, ontvangen, afgehandeld, formeel, then the verdicts of the team's formally
    handled complaints (gegrond, deels gegrond, ongegrond, geen oordeel, niet vastgelegd:
    `VERDICT_COLUMNS`), mediane_dagen and binnen_termijn (a share) as its team overview states
    them. Formal and verdict counts are NA when the year does not record handling; the four
    verdicts are NA when it records no verdict at all.
    """
    of_year = classify.complaints_of_year(register, year)
    unrecorded = counts.not_recorded(of_year)
    treatment_known = "behandeling" not in unrecorded
    verdict_known = treatment_known and "oordeel" not in unrecorded
    rows = []
    for team in counts.teams_of_year(register, year):
        own = of_year[of_year["team"].isin([team])]
        done = classify.handled(own)
        formal = done[done["behandeling"].isin(["formeel"])]
        verdicts = formal["oordeel"].value_counts()
        headline = counts.team_figures(register, settings, year, team).counts
        row: dict[str, object] = {
            "team": team,
            "ontvangen": len(own),
            "afgehandeld": len(done),
            "formeel": len(formal) if treatment_known else pd.NA,
        }
        for verdict in vocab.VERDICTS:
            row[verdict] = int(verdicts.get(verdict, 0)) if verdict_known else pd.NA
        row[NOT_RECORDED] = int(formal["oordeel"].isna().sum()) if treatment_known else pd.NA
        row["mediane_dagen"] = pd.NA if headline.median_days is None else headline.median_days
        row["binnen_termijn"] = pd.NA if headline.within_term_share is None else headline.within_term_share
        rows.append(row)
    types = {
        "team": "str",
        "ontvangen": "int64",
        "afgehandeld": "int64",
        "formeel": "Int64",
        **dict.fromkeys(VERDICT_COLUMNS, "Int64"),
        "mediane_dagen": "Float64",
        "binnen_termijn": "Float64",
    }
    return pd.DataFrame(rows, columns=list(types)).astype(types)


def per_month(register: pd.DataFrame, year: int) -> pd.DataFrame:
    """Complaints received per month of `year` and of the year before: (jaar, maand, maandnaam,
    ontvangen), 24 rows.

    A month the register does not cover (before the month of its first date received, or after
    the month of its last date of any kind) is NA, not zero: the register says nothing about it.
    The last month it covers may be incomplete (the export's date is not in the register).
    """
    received = register.loc[classify.is_complaint(register), "datum_ontvangst"].dt.to_period("M")
    counted = received.value_counts()
    dates = pd.concat([register["datum_ontvangst"], register["datum_afgehandeld"]]).dropna()
    first = register["datum_ontvangst"].min()
    rows = []
    for y in (year - 1, year):
        for month in range(1, 13):
            period = pd.Period(year=y, month=month, freq="M")
            covered = not dates.empty and first.to_period("M") <= period <= dates.max().to_period("M")
            rows.append((y, month, MONTH_NAMES[month - 1], int(counted.get(period, 0)) if covered else pd.NA))
    frame = pd.DataFrame(rows, columns=["jaar", "maand", "maandnaam", "ontvangen"])
    return frame.astype({"jaar": "int64", "maand": "int64", "maandnaam": "str", "ontvangen": "Int64"})


def channels_per_year(register: pd.DataFrame) -> pd.DataFrame:
    """Complaints per channel and year, with each channel's share of the year's complaints:
    (jaar, kanaal, klachten, aandeel), channels in the register's vocabulary order.

    A complaint without a channel counts under `niet vastgelegd`, so a year (or part of one)
    that does not record channels shows as unknown, never as zero complaints by e-mail.
    """
    rows = register[classify.is_complaint(register)]
    frame = pd.DataFrame(
        {
            "jaar": classify.receipt_year(rows).astype("int64"),
            "kanaal": rows["kanaal"].astype(object).fillna(NOT_RECORDED),
        }
    )
    table = frame.value_counts().rename("klachten").reset_index()
    order = [*vocab.CHANNELS, NOT_RECORDED]
    present = [c for c in order if c in set(table["kanaal"])]
    table["kanaal"] = pd.Categorical(table["kanaal"], categories=present)
    table = table.sort_values(["jaar", "kanaal"]).reset_index(drop=True)
    table["aandeel"] = table["klachten"] / table.groupby("jaar")["klachten"].transform("sum")
    return table.astype({"jaar": "int64", "klachten": "int64", "aandeel": "float64"})


def term_lines(settings: Settings) -> list[tuple[int, str]]:
    """Days and labels of the handling terms of `[termijnen]`, for lines in a chart of days."""
    term = settings.term_weeks
    lines = [(term * 7, f"{term} weken")]
    if settings.extension_weeks:
        longest = term + settings.extension_weeks
        lines.append((longest * 7, f"{longest} weken (bij verdaging)"))
    return lines


@dataclass(frozen=True)
class Note:
    """A sentence the notebook shows instead of a chart (IPython shows it as Markdown)."""

    text: str

    def __str__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return f"*{self.text}*"


def not_recorded(register: pd.DataFrame, year: int, *columns: str) -> Note | None:
    """A note when `year` records none of some of `columns` (empty in every complaint of the
    year, or absent from the export): its chart would show unknown values as zeros. None when
    all are recorded."""
    missing = [c for c in columns if c in counts.not_recorded(classify.complaints_of_year(register, year))]
    if not missing:
        return None
    phrases = [COLUMN_PHRASES.get(c, c) for c in missing]
    joined = text.listed(phrases)
    verb = "is" if len(missing) == 1 else "zijn"
    return Note(
        f"In het register over {year} {verb} {joined} niet vastgelegd: onbekend, geen nul. "
        "Daarom staat hier geen grafiek."
    )
