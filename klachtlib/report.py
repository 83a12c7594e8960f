"""The year report, section by section, as the notebook shows it.

`notebooks/jaarverslag.ipynb` stays thin: it builds a `YearReport` and shows one `*_html`
method's fragment per section of shared/spec/report.md (`HTML(report.figures_html())`).
The sections return HTML strings and never touch IPython, so tests and the benchmark floor
use them as they are. Everything shown is computed in `counts` and worded in `text`; every
data-derived string goes through `tables`/`charts`, which escape it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from klachtlib import charts, config, keyfigures, text
from klachtlib.classify import latest_year, years_in
from klachtlib.counts import YearFigures, year_figures
from klachtlib.errors import DataError, Problem
from klachtlib.measure_counts import MeasureFigures, measure_figures
from klachtlib.register import DataFolder, load_data_folder
from klachtlib.tables import bullets_html, heading_html, paragraph_html, table_html

NO_NARRATIVE = "Voor deze paragraaf is geen toelichting aangeleverd."


def _folder_signature(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and mtime of every file in the folder: changes when any input changes."""
    files = sorted(p for p in data_dir.rglob("*") if p.is_file())
    return tuple((p.relative_to(data_dir).as_posix(), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


@functools.lru_cache(maxsize=4)
def _load_cached(data_dir: Path, signature: tuple, today: date) -> DataFolder:
    return load_data_folder(data_dir, today=today)


def cached_data_folder(data_dir: str | Path | None) -> DataFolder:
    """`load_data_folder`, parsed once per process while the files stay the same.

    A batch worker's kernel runs many notebooks over the same register: this keeps it from
    parsing the register again for each of them. Callers must not modify the frames.
    """
    folder = Path(data_dir).resolve() if data_dir else config.DATA_DIR
    if not folder.is_dir():
        return load_data_folder(folder)  # the reader says, in Dutch, what is missing
    return _load_cached(folder, _folder_signature(folder), date.today())


def report_title(year: int) -> str:
    return f"Jaarverslag klachtenbehandeling {year}"


def parse_year(year: int | str | None) -> int | None:
    """A notebook's `year` parameter, written as a number (2024) or as text ("2024");
    None or "" for the latest year. DataError (Dutch) for anything else."""
    if year is None or isinstance(year, int) and not isinstance(year, bool):
        return year
    text_year = str(year).strip()
    if text_year == "":
        return None
    if text_year.isascii() and text_year.isdigit():
        return int(text_year)
    raise DataError(
        [
            Problem(
                "parameters",
                f"'{year}' is geen jaartal.",
                "Geef het verslagjaar als getal, bijvoorbeeld year = 2024, of None voor het laatste jaar.",
            )
        ]
    )


def resolve_year(folder: DataFolder, year: int | str | None) -> int:
    """The requested year, or the latest year in the register; a DataError for a year without data."""
    year = parse_year(year)
    latest = latest_year(folder.register)
    if year is None:
        if latest is None:
            raise DataError([Problem("klachtenregister", "het register bevat geen klachten.")])
        return latest
    years = years_in(folder.register)
    if year not in years:
        available = ", ".join(str(y) for y in years) or "geen"
        hint = f"Kies een jaar dat in het register staat: {available}."
        if 0 <= year < 100 and (full := next((y for y in years if y % 100 == year), None)):
            hint = f"Geef het jaar met vier cijfers: bedoelt u {full}? " + hint
        raise DataError([Problem("klachtenregister", f"het register bevat geen regels voor {year}.", hint)])
    return year


@dataclass(frozen=True, eq=False)
class YearReport:
    """Everything one year's report shows; build it with `YearReport.load`."""

    folder: DataFolder
    figures: YearFigures
    narrative: text.Narrative
    data_dir: Path

    @classmethod
    def load(cls, data_dir: str | Path | None = None, year: int | str | None = None) -> YearReport:
        """The notebook's entry: read and check the data folder and compute the figures.

        `data_dir` relative to the project folder (`config.notebook_data_dir`), `year` as a
        number or text. DataError on bad input.
        """
        data_dir = config.notebook_data_dir(data_dir)
        return cls.from_folder(cached_data_folder(data_dir), data_dir, year)

    @classmethod
    def from_folder(cls, folder: DataFolder, data_dir: Path, year: int | str | None = None) -> YearReport:
        year = resolve_year(folder, year)
        figures = year_figures(folder.register, folder.contacts, folder.settings, year)
        narrative = text.render_narrative(data_dir, year, figures)
        return cls(folder=folder, figures=figures, narrative=narrative, data_dir=Path(data_dir))

    @property
    def year(self) -> int:
        return self.figures.year

    @property
    def title(self) -> str:
        return report_title(self.year)

    @property
    def warnings(self) -> list[Problem]:
        return [*self.folder.warnings, *self.narrative.warnings]

    @functools.cached_property
    def measure_figures(self) -> MeasureFigures | None:
        """Counts of the measures after learning points; None without `maatregelen.csv`."""
        if self.folder.measures is None:
            return None
        return measure_figures(self.folder.measures, self.year)

    # --- charts: drawn once, when first shown --------------------------------------------

    @functools.cached_property
    def team_chart(self) -> charts.Chart | None:
        return charts.handled_per_team_chart(self.figures.handled_per_team, self.year)

    @functools.cached_property
    def verdict_chart(self) -> charts.Chart | None:
        return charts.verdict_chart(self.figures.verdicts, self.year)

    @functools.cached_property
    def nature_chart(self) -> charts.Chart | None:
        return charts.nature_chart(self.figures.per_nature, self.year)

    @functools.cached_property
    def contacts_chart(self) -> charts.Chart | None:
        return charts.contacts_chart(self.figures.contacts_per_1000)

    @functools.cached_property
    def trend_chart(self) -> charts.Chart | None:
        return charts.trend_chart(self.figures.trend)

    def _narrative_html(self, section: str) -> str:
        """The coordinator's Markdown as sanitised HTML (klachtlib.narrative), or the note that
        none was given."""
        return self.narrative.section_html(section) or paragraph_html(NO_NARRATIVE)

    # --- sections, in the order of shared/spec/report.md; each returns an HTML fragment ---

    def title_html(self) -> str:
        return heading_html(self.title, level=1)

    def key_figures_html(self) -> str:
        """0. Kerncijfers: the key figures against last year and the norms (`keyfigures`)."""
        return keyfigures.section_html(self.folder, self.figures)

    def figures_html(self) -> str:
        """1. Totals, the not-handled group with its reasons, handled complaints per team."""
        f = self.figures
        parts = [
            heading_html(f"Cijfers klachtenbehandeling {f.year}"),
            paragraph_html(text.total_sentence(f)),
            paragraph_html(text.not_handled_sentence(f)),
            bullets_html(text.reason_bullets(f)),
        ]
        if still_open := text.still_open_sentence(f):
            parts.append(paragraph_html(still_open))
        parts.append(paragraph_html(text.handled_per_team_sentence(f)))
        if f.handled:
            parts.append(charts.chart_html(self.team_chart))
        return "".join(parts)

    def handling_html(self) -> str:
        """2. How complaints are handled: narrative, informal/formal, verdicts, terms, ombudsman."""
        f = self.figures
        parts = [
            heading_html(text.WAYS),
            self._narrative_html(text.WAYS),
            heading_html(f"Behandeling in {f.year} in cijfers", level=3),
            bullets_html(text.handling_sentences(f)),
        ]
        if f.formal and "oordeel" not in f.not_recorded:
            parts.append(charts.chart_html(self.verdict_chart))
        return "".join(parts)

    def general_picture_html(self) -> str:
        """3. General picture: narrative, plus complaints per nature where the register has it."""
        parts = [heading_html(text.GENERAL), self._narrative_html(text.GENERAL)]
        if nature := text.nature_sentence(self.figures):
            parts.append(paragraph_html(nature))
        if not self.figures.per_nature.empty:
            parts.append(charts.chart_html(self.nature_chart))
        return "".join(parts)

    def trend_html(self) -> str:
        """4. Fewer / more / equal: the heading follows the data; prevented complaints."""
        heading = text.trend_heading(self.figures)
        return (
            heading_html(heading)
            + self._narrative_html(heading)
            + paragraph_html(text.prevented_sentence(self.figures))
        )

    def reflection_html(self) -> str:
        """5. Reflection: narrative, the number of learning points per team (never the points) and,
        with `maatregelen.csv`, how many measures followed (counts only)."""
        parts = [
            heading_html(text.REFLECTION),
            self._narrative_html(text.REFLECTION),
            paragraph_html(text.learning_points_sentence(self.figures)),
        ]
        per_team = self.figures.learning_points_per_team
        if not per_team.empty:
            parts.append(
                table_html(
                    per_team.rename(columns={"team": "Team", "aantal": "Aantal leerpunten"}),
                    f"Aantal vastgelegde leerpunten per team, {self.year}",
                )
            )
        if self.measure_figures is not None:
            parts += [paragraph_html(sentence) for sentence in text.measures_sentences(self.measure_figures)]
        return "".join(parts)

    def experiences_html(self) -> str:
        """6. Experiences of complainants: narrative only."""
        return heading_html(text.EXPERIENCES) + self._narrative_html(text.EXPERIENCES)

    def contacts_html(self) -> str:
        """7. Complaints per 1,000 contacts per channel, and the channels without data."""
        parts = [heading_html("Klachten afgezet tegen het aantal klantcontacten")]
        if channel := text.channel_not_recorded_sentence(self.figures):
            parts.append(paragraph_html(channel))
        else:
            parts.append(
                charts.chart_html(
                    self.contacts_chart, "Van geen enkel kanaal is het aantal klantcontacten bekend."
                )
            )
        if missing := text.contacts_without_data_sentence(self.figures):
            parts.append(paragraph_html(missing))
        return "".join(parts)

    def over_the_years_html(self) -> str:
        """8. Totals and not-handled per year, for every year up to this one."""
        return heading_html("Verloop over de jaren") + charts.chart_html(self.trend_chart)

    def downloads_html(self) -> str:
        """Last: links to the figures pack beside the report (`pack`: CSV, XLSX, SVG, PNG)."""
        from klachtlib import pack

        return pack.section_html(self)

    def sections_html(self) -> list[str]:
        """Every section's fragment, in the order of the notebook (title first)."""
        return [
            self.title_html(),
            self.key_figures_html(),
            self.figures_html(),
            self.handling_html(),
            self.general_picture_html(),
            self.trend_html(),
            self.reflection_html(),
            self.experiences_html(),
            self.contacts_html(),
            self.over_the_years_html(),
            self.downloads_html(),
        ]

    def _repr_html_(self) -> str:
        """A bare `report` in a notebook shows the whole report."""
        return "".join(self.sections_html())
