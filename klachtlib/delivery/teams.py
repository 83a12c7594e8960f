"""Internal team overviews: each team's complaints of a year, with its learning points.

The seed: "In het eerste kwartaal van het jaar ontvangen de teammanagers een overzicht van
behandelde klachten in zijn/haar team, inclusief het overzicht van de leerpunten." These
pages are internal, but still hold only canonical columns: no complainant data exists
after reading. With `maatregelen.csv` they also list the team's measures (open ones carried
over from earlier years first), and the year's index counts them per team.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from klachtlib import config
from klachtlib.delivery.indexes import NOTHING_SET, Group, Link, page_html
from klachtlib.domain.counts import Counts, TeamFigures, team_figures, teams_of_year
from klachtlib.domain.measure_counts import listed_measures, measures_per_team, team_measures
from klachtlib.errors import DataError, Problem
from klachtlib.presentation import text
from klachtlib.presentation.report import colophon_html, page_metadata, resolve_year
from klachtlib.presentation.tables import bullets_html, heading_html, paragraph_html, table_html
from klachtlib.reading.register import DataFolder, cached_data_folder
from klachtlib.reading.settings import Settings

NOT_APPLICABLE = "n.v.t."
TEAM_TABLE_HEADERS = {
    "klacht_id": "Klacht",
    "datum_ontvangst": "Ontvangen",
    "status": "Status",
    "datum_afgehandeld": "Afgehandeld",
    "behandeling": "Behandeling",
    "oordeel": "Oordeel",
    "dagen": "Dagen tot afhandeling",
    "binnen_termijn": "Binnen termijn",
}
MEASURE_TABLE_HEADERS = {
    "jaar": "Leerpunt uit",
    "klacht_id": "Klacht",
    "leerpunt": "Leerpunt",
    "maatregel": "Maatregel",
    "eigenaar": "Eigenaar",
    "status": "Status",
    "datum_afgerond": "Afgerond op",
}
NOT_GIVEN = "niet ingevuld"


def _base_slug(team: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", team).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-") or "team"
    return "team-index" if slug == "index" else slug  # index.html is the page linking them all


def team_slugs(teams: Iterable[str]) -> dict[str, str]:
    """A file-name-safe slug per team: readable, deterministic, and unique within the set.

    Teams whose readable slug would collide (`Zorg & Jeugd`, `Zorg/Jeugd`) get a short hash
    of their exact name appended, so no overview ever overwrites another.
    """
    teams = list(dict.fromkeys(teams))
    bases = {team: _base_slug(team) for team in teams}
    taken = Counter(bases.values())
    return {
        team: base if taken[base] == 1 else f"{base}-{hashlib.sha256(team.encode()).hexdigest()[:8]}"
        for team, base in bases.items()
    }


def current_team_name(team: str, renames: dict[str, str]) -> str:
    """The name a team has in the register now: `klachten.toml` `[teams]` maps old names to
    new ones (the reader applies it to the register), followed through every rename."""
    seen = {team}
    while team in renames and renames[team] not in seen:
        team = renames[team]
        seen.add(team)
    return team


def overview_title(team: str, year: int) -> str:
    return f"Klachtenoverzicht {team} {year}"


@dataclass(frozen=True, eq=False)
class TeamReport:
    """One team's overview for one year; build it with `TeamReport.load`.

    `measures`: the team's measures to list (`measure_counts.team_measures`); None when the
    data folder has no `maatregelen.csv` (the overview then says nothing about measures).
    `settings`: klachten.toml, for who publishes (`[organisatie]`, `[publicatie]`).
    """

    figures: TeamFigures
    measures: pd.DataFrame | None = None
    settings: Settings = NOTHING_SET

    @classmethod
    def load(cls, data_dir: str | Path | None, year: int | str | None, team: str) -> TeamReport:
        """The notebook's entry: `data_dir` relative to the project folder, `year` a number or text."""
        return cls.from_folder(cached_data_folder(config.notebook_data_dir(data_dir)), year, team)

    @classmethod
    def from_folder(cls, folder: DataFolder, year: int | str | None, team: str) -> TeamReport:
        year = resolve_year(folder, year)
        teams = overview_teams(folder, year)
        team = current_team_name(team, folder.settings.team_renames)
        if team not in teams:
            raise DataError(
                [
                    Problem(
                        "klachtenregister",
                        f"team '{team}' heeft geen klachten in {year}.",
                        f"Kies een van: {', '.join(teams) or 'geen teams'}.",
                        column="team",
                    )
                ]
            )
        measures = None if folder.measures is None else team_measures(folder.measures, year, team)
        return cls(team_figures(folder.register, folder.settings, year, team), measures, folder.settings)

    @property
    def title(self) -> str:
        return overview_title(self.figures.team, self.figures.year)

    # --- sections, each an HTML fragment (the notebook shows it with IPython.display.HTML) ---

    def title_html(self) -> str:
        """The title, the colophon (as the year report's: only what klachten.toml says) and the
        notice that the page is internal."""
        return (
            heading_html(self.title, level=1)
            + colophon_html(self.settings, "dit overzicht")
            + paragraph_html(
                "Intern overzicht voor de teammanager. Bevat leerpunten; niet bestemd voor publicatie."
            )
        )

    @property
    def description(self) -> str:
        """The page's meta description: what it is, by whom (when known), its main figures."""
        c, name = self.figures.counts, self.settings.organisation_name
        received = text.counted(c.total, "klacht", "klachten")
        return (
            f"{self.title}{f' van {name}' if name else ''}, intern: {received} "
            f"ontvangen in {self.figures.year}, waarvan {text.format_number(c.handled)} inhoudelijk "
            "afgehandeld, met de leerpunten."
        )

    @property
    def page_metadata(self) -> dict[str, dict[str, str]]:
        """What the notebook's title cell hands the page template: <title> and meta description."""
        return page_metadata(self.title, self.description, self.settings)

    def figures_html(self) -> str:
        """The team's figures next to the whole municipality's."""
        f = self.figures
        return heading_html("Het team naast de hele gemeente") + table_html(
            comparison_table(f.counts, f.municipality, f.team),
            f"Klachten {f.year}: {f.team} en de hele gemeente",
        )

    def complaints_html(self) -> str:
        f = self.figures
        table = f.complaints.copy()
        # Informal handling ends without a verdict: "not applicable", not "unknown".
        if {"behandeling", "oordeel"} <= set(table.columns):
            informal = table["behandeling"].eq("informeel").fillna(False) & table["oordeel"].isna()
            table["oordeel"] = table["oordeel"].astype(object).where(~informal, NOT_APPLICABLE)
        table = table.rename(columns=TEAM_TABLE_HEADERS)
        parts = [heading_html("Klachten van het team")]
        if table.empty:  # a team with measures to follow up, but no complaints this year
            return "".join([*parts, paragraph_html(text.team_without_complaints_sentence(f))])
        if unrecorded := text.team_not_recorded_sentence(f):
            parts.append(paragraph_html(unrecorded))
        parts.append(table_html(table, f"Klachten over {f.team} ontvangen in {f.year}"))
        return "".join(parts)

    def learning_points_html(self) -> str:
        f = self.figures
        if f.learning_points:
            points = bullets_html(f.learning_points)
        else:
            points = paragraph_html(text.team_learning_points_sentence(f))
        return heading_html("Leerpunten") + points

    def measures_html(self) -> str:
        """The team's measures after learning points; "" without `maatregelen.csv`."""
        if self.measures is None:
            return ""
        f = self.figures
        parts = [
            heading_html("Maatregelen"),
            paragraph_html(text.team_measures_sentence(f.team, f.year, len(self.measures))),
        ]
        if len(self.measures):
            table = self.measures.rename(columns=MEASURE_TABLE_HEADERS)
            parts.append(
                table_html(
                    table,
                    f"Maatregelen van {f.team}: lopend uit eerdere jaren en bij de leerpunten uit {f.year}",
                    ungrouped=("Leerpunt uit",),
                    row_headers=False,
                    missing=NOT_GIVEN,
                )
            )
        return "".join(parts)

    def sections_html(self) -> list[str]:
        """Every section's fragment, in the order of the notebook (title first)."""
        return [
            self.title_html(),
            self.figures_html(),
            self.complaints_html(),
            self.learning_points_html(),
            self.measures_html(),
        ]

    def _repr_html_(self) -> str:
        return "".join(self.sections_html())


def overview_teams(folder: DataFolder, year: int) -> list[str]:
    """The teams with an overview for `year`, by name: those with complaints in the year, and teams
    of the register that have measures to list (the year's own, or carried over) without any."""
    teams = set(teams_of_year(folder.register, year))
    if folder.measures is not None:
        known = set(folder.register["team"].dropna().astype(str))
        teams |= set(listed_measures(folder.measures, year)["team"].astype(str)) & known
    return sorted(teams, key=lambda t: (t.casefold(), t))


def comparison_table(team: Counts, municipality: Counts, team_name: str) -> pd.DataFrame:
    """Rows of figures, one column for the team and one for the municipality."""

    def column(c: Counts) -> list[str]:
        return [
            text.format_number(c.total),
            text.format_number(c.handled),
            text.format_days(c.median_days) or "onbekend",
            text.within_term_cell(c),
        ]

    return pd.DataFrame(
        {
            "Kengetal": [
                "Klachten ontvangen",
                "Inhoudelijk afgehandeld",
                "Mediane doorlooptijd",
                "Binnen de termijn afgehandeld",
            ],
            team_name: column(team),
            "Hele gemeente": column(municipality),
        }
    )


def index_html(
    year: int, slugs: dict[str, str], measures: pd.DataFrame | None = None, settings: Settings = NOTHING_SET
) -> str:
    """The page linking every team overview of a year (team names escaped); with the measures
    of `maatregelen.csv`, also per team how many are open and how many were completed in `year`.
    `settings` (klachten.toml) say who publishes, as on every page."""
    ordered = sorted(slugs.items(), key=lambda kv: kv[0].casefold())
    links = [Link(team, f"{slug}.html") for team, slug in ordered]
    title, name = f"Teamoverzichten klachten {year}", settings.organisation_name
    return page_html(
        title,
        [Group("", links)],
        internal=True,
        description=(
            f"{title}{f' van {name}' if name else ''}, intern: per team de klachten van {year} en de "
            "leerpunten; niet publiceren."
        ),
        settings=settings,
        about="deze overzichten",
        after=measures_index_html(measures, year) if measures is not None else "",
    )


def measures_index_html(measures: pd.DataFrame, year: int) -> str:
    """Per team: measures still open when the list was made, and measures completed in `year`."""
    per_team = measures_per_team(measures, year)
    heading = heading_html("Maatregelen per team")
    if per_team.empty:
        return heading + paragraph_html(
            f"In het overzicht van maatregelen staat geen maatregel die nog open is of in {year} is afgerond."
        )
    headers = {"team": "Team", "open": "Open of in uitvoering", "afgerond": f"Afgerond in {year}"}
    table = per_team.rename(columns=headers)
    return heading + table_html(table, f"Maatregelen per team: open en afgerond in {year}")
