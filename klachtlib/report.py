"""The year report, section by section, as the notebook shows it.

`notebooks/jaarverslag.ipynb` stays thin: it builds a `YearReport` and calls one `show_*`
method per section of shared/spec/report.md. Everything shown is computed in `counts` and
worded in `text`; every data-derived string goes through `tables`/`charts`, which escape it.
"""

from __future__ import annotations

import functools
import os
import pickle
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from klachtlib import charts, config, keyfigures, text
from klachtlib.classify import latest_year, years_in
from klachtlib.counts import YearFigures, year_figures
from klachtlib.errors import DataError, Problem
from klachtlib.register import DataFolder, load_data_folder
from klachtlib.tables import show_bullets, show_heading, show_paragraph, show_table

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


def _handoff_key(data_dir: Path, year: int) -> tuple:
    folder = Path(data_dir).resolve()
    return (os.fspath(folder), _folder_signature(folder), date.today(), year)


def _read_handoff() -> tuple[tuple, YearReport] | None:
    path = os.environ.get(config.HANDOFF_ENV)
    if not path or not Path(path).is_file():
        return None
    return pickle.loads(Path(path).read_bytes())  # our own file, in a 0700 temp dir


# The hand-over `prepare_handed_over` has taken in this kernel, charts drawn (at most one).
_prepared: dict[tuple, YearReport] = {}

# What the parent asks the kernel to run right after a hand-over (binds no name in the notebook).
PREPARE_IN_KERNEL = '__import__("klachtlib.report").report.prepare_handed_over()'


def prepare_handed_over() -> None:
    """In the kernel, before the notebook runs: take the parent's report and draw its charts.

    `klachten report` sends this right after handing over, so the charts are drawn while the
    parent gets nbconvert ready, instead of while it waits for the cells.
    """
    handoff = _read_handoff()
    _prepared.clear()
    if handoff is None:
        return
    key, report = handoff
    report.draw_charts()
    _prepared[key] = report


def _handed_over(data_dir: Path, year: int | None) -> YearReport | None:
    """The parent's YearReport for these exact inputs, if `klachten report` left one."""
    if year is None or not Path(data_dir).is_dir():
        return None
    key = _handoff_key(data_dir, year)
    if key in _prepared:
        return _prepared[key]
    handoff = _read_handoff()
    return handoff[1] if handoff is not None and handoff[0] == key else None


def report_title(year: int) -> str:
    return f"Jaarverslag klachtenbehandeling {year}"


def resolve_year(folder: DataFolder, year: int | None) -> int:
    """The requested year, or the latest year in the register; a DataError for a year without data."""
    latest = latest_year(folder.register)
    if year is None:
        if latest is None:
            raise DataError([Problem("klachtenregister", "het register bevat geen klachten.")])
        return latest
    years = years_in(folder.register)
    if year not in years:
        available = ", ".join(str(y) for y in years) or "geen"
        raise DataError(
            [
                Problem(
                    "klachtenregister",
                    f"het register bevat geen regels voor {year}.",
                    f"Kies een jaar dat in het register staat: {available}.",
                )
            ]
        )
    return year


@dataclass(frozen=True, eq=False)
class YearReport:
    """Everything one year's report shows; build it with `YearReport.load`."""

    folder: DataFolder
    figures: YearFigures
    narrative: text.Narrative
    data_dir: Path

    @classmethod
    def load(cls, data_dir: str | Path | None = None, year: int | None = None) -> YearReport:
        """Read and check the data folder and compute the figures; DataError on bad input.

        Run by `klachten report`, the parent process has done exactly this already while the
        kernel started: then its result is taken over (`handoff`), for the same folder
        contents and year only.
        """
        data_dir = Path(data_dir) if data_dir else config.DATA_DIR
        return _handed_over(data_dir, year) or cls.from_folder(cached_data_folder(data_dir), data_dir, year)

    def handoff(self) -> tuple[tuple, YearReport]:
        """What a parent process hands to the kernel: a key that pins the inputs, and self."""
        return _handoff_key(self.data_dir, self.year), self

    @classmethod
    def from_folder(cls, folder: DataFolder, data_dir: Path, year: int | None = None) -> YearReport:
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

    def draw_charts(self) -> None:
        """Draw every chart now (each is drawn once and kept), e.g. before the cells run."""
        for chart in ("team_chart", "verdict_chart", "nature_chart", "contacts_chart", "trend_chart"):
            getattr(self, chart)

    def _show_narrative(self, section: str) -> None:
        from IPython.display import HTML, display

        body = self.narrative.section_html(section)
        if body:
            display(HTML(body))  # the coordinator's Markdown as sanitised HTML (klachtlib.narrative)
        else:
            show_paragraph(NO_NARRATIVE)

    # --- sections, in the order of shared/spec/report.md ---------------------------------

    def show_title(self) -> None:
        show_heading(self.title, level=1)

    def show_key_figures(self) -> None:
        """0. Kerncijfers: the key figures against last year and the norms (`keyfigures`)."""
        from IPython.display import HTML, display

        display(HTML(keyfigures.section_html(self.folder, self.figures)))

    def show_figures(self) -> None:
        """1. Totals, the not-handled group with its reasons, handled complaints per team."""
        f = self.figures
        show_heading(f"Cijfers klachtenbehandeling {f.year}")
        show_paragraph(text.total_sentence(f))
        show_paragraph(text.not_handled_sentence(f))
        show_bullets(text.reason_bullets(f))
        if still_open := text.still_open_sentence(f):
            show_paragraph(still_open)
        show_paragraph(text.handled_per_team_sentence(f))
        if f.handled:
            charts.show(self.team_chart)

    def show_handling(self) -> None:
        """2. How complaints are handled: narrative, informal/formal, verdicts, terms, ombudsman."""
        f = self.figures
        show_heading(text.WAYS)
        self._show_narrative(text.WAYS)
        show_heading(f"Behandeling in {f.year} in cijfers", level=3)
        show_bullets(text.handling_sentences(f))
        if f.formal:
            charts.show(self.verdict_chart)

    def show_general_picture(self) -> None:
        """3. General picture: narrative, plus complaints per nature where the register has it."""
        show_heading(text.GENERAL)
        self._show_narrative(text.GENERAL)
        if not self.figures.per_nature.empty:
            charts.show(self.nature_chart)

    def show_trend(self) -> None:
        """4. Fewer / more / equal: the heading follows the data; prevented complaints."""
        heading = text.trend_heading(self.figures)
        show_heading(heading)
        self._show_narrative(heading)
        show_paragraph(text.prevented_sentence(self.figures))

    def show_reflection(self) -> None:
        """5. Reflection: narrative and the number of learning points per team (never the points)."""
        show_heading(text.REFLECTION)
        self._show_narrative(text.REFLECTION)
        show_paragraph(text.learning_points_sentence(self.figures))
        per_team = self.figures.learning_points_per_team
        if not per_team.empty:
            show_table(
                per_team.rename(columns={"team": "Team", "aantal": "Aantal leerpunten"}),
                f"Aantal vastgelegde leerpunten per team, {self.year}",
            )

    def show_experiences(self) -> None:
        """6. Experiences of complainants: narrative only."""
        show_heading(text.EXPERIENCES)
        self._show_narrative(text.EXPERIENCES)

    def show_contacts(self) -> None:
        """7. Complaints per 1,000 contacts per channel, and the channels without data."""
        show_heading("Klachten afgezet tegen het aantal klantcontacten")
        charts.show(
            self.contacts_chart,
            "Van geen enkel kanaal is het aantal klantcontacten bekend.",
        )
        if missing := text.contacts_without_data_sentence(self.figures):
            show_paragraph(missing)

    def show_over_the_years(self) -> None:
        """8. Totals and not-handled per year, for every year up to this one."""
        show_heading("Verloop over de jaren")
        charts.show(self.trend_chart)

    def show_downloads(self) -> None:
        """Last: links to the figures pack beside the report (`pack`: CSV, XLSX, SVG, PNG)."""
        from IPython.display import HTML, display

        from klachtlib import pack

        display(HTML(pack.section_html(self)))

    def show_all(self) -> None:
        """Every section in order (for a quick look; the notebook calls them one by one)."""
        for show in (
            self.show_title,
            self.show_key_figures,
            self.show_figures,
            self.show_handling,
            self.show_general_picture,
            self.show_trend,
            self.show_reflection,
            self.show_experiences,
            self.show_contacts,
            self.show_over_the_years,
            self.show_downloads,
        ):
            show()
