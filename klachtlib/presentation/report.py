"""The year report, section by section, as the notebook shows it.

`notebooks/jaarverslag.ipynb` stays thin: it builds a `YearReport` and shows one `*_html`
method's fragment per section of shared/spec/report.md (`HTML(report.figures_html())`).
The sections return HTML strings and never touch IPython, so tests and the benchmark floor
use them as they are. Everything shown is computed in `counts` and worded in `text`; every
data-derived string goes through `tables`/`charts`, which escape it.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from klachtlib import config
from klachtlib.domain import counts
from klachtlib.domain.classify import latest_year, rows_between, years_in
from klachtlib.domain.counts import YearFigures, year_figures
from klachtlib.domain.measure_counts import MeasureFigures, measure_figures
from klachtlib.domain.periods import PERIOD_EXAMPLES, Period, PeriodError, parse_named
from klachtlib.errors import DataError, Problem
from klachtlib.presentation import charts, keyfigures, rules, text
from klachtlib.presentation.tables import bullets_html, heading_html, paragraph_html, table_html
from klachtlib.reading.register import DataFolder, cached_data_folder
from klachtlib.reading.settings import Settings

BALANCE_HEADING = "Ontvangen, afgesloten en openstaande klachten"
NORMS_HEADING = "Getoetst aan de behoorlijkheidsnormen"
INHABITANTS_HEADING = "Klachten per 10.000 inwoners"
OWN_MUNICIPALITY = "Eigen gemeente"
# The figures pack beside the page (`klachtlib.delivery.pack` writes it): its folder and last section.
PACK_DIR = "cijfers"
PACK_HEADING = "Tabellen en grafieken als bestand"
PACK_SECTION_CLASS = "bestanden"

# The report's sections in page order, the one list of them: (code cell id in
# notebooks/jaarverslag.ipynb, the YearReport method that cell shows). The notebook has one
# code cell per entry in this order (a test checks it); `sections_html` and the figures pack
# (`pack_items`) follow it.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("inlezen", "title_html"),
    ("kerncijfers", "key_figures_html"),
    ("cijfers", "figures_html"),
    ("balans", "balance_html"),
    ("wijze", "handling_html"),
    ("normen", "norms_html"),
    ("algemeen-beeld", "general_picture_html"),
    ("verloop-aantal", "trend_html"),
    ("reflectie", "reflection_html"),
    ("ervaringen", "experiences_html"),
    ("klantcontacten", "contacts_html"),
    ("inwoners", "inhabitants_html"),
    ("verloop-jaren", "over_the_years_html"),
    ("rekenregels", "rules_html"),
    ("downloads", "downloads_html"),
)


# --------------------------------------------------------------------------- who publishes (issue 20)

PAGE_METADATA_KEY = config.PAGE_METADATA_KEY  # output metadata the page template reads (exporter)


@dataclass(frozen=True)
class PageOnly:
    """HTML for the published page only, with what JupyterLab shows instead (`note`): the
    figures pack's links are relative to the published page and would answer 404 next to the
    notebook. Shown through Jupyter's display protocol, so no tool needs to know the difference."""

    html: str
    note: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/html": self.note, config.PAGE_ONLY_MIMETYPE: self.html}


def page_title(title: str, settings: Settings) -> str:
    """The page's <title>: the report's title and, when klachten.toml names it, the organisation."""
    name = settings.organisation_name
    return f"{title} \u2013 {name}" if name else title


def colophon_html(settings: Settings, about: str = "dit verslag") -> str:
    """A short colophon under the title: who publishes, when, whom to ask; only what
    `[organisatie]` and `[publicatie]` say (nothing at all without them), never the clock."""
    name, day, contact = settings.organisation_name, settings.publication_date, settings.organisation_contact
    sentences = []
    if name or day:
        who = f"Een uitgave van {html.escape(name)}" if name else "Gepubliceerd"
        when = f"{', gepubliceerd' if name else ''} op {text.format_date(day)}" if day else ""
        sentences.append(f"{who}{when}.")
    if contact:
        href = contact if contact.startswith(("https://", "http://")) else f"mailto:{contact}"
        sentences.append(f'Vragen over {about}: <a href="{html.escape(href)}">{html.escape(contact)}</a>.')
    return f'<p class="colofon">{" ".join(sentences)}</p>\n' if sentences else ""


def page_metadata(title: str, description: str, settings: Settings) -> dict[str, dict[str, str]]:
    """Output metadata for the title cell: the page's <title> and meta description."""
    return {PAGE_METADATA_KEY: {"titel": page_title(title, settings), "beschrijving": description}}


def count_basis_sentence(f: YearFigures) -> str:
    """What every figure of the report counts by, in one sentence (a journalist will compare it
    with the Woo overview, which counts by date closed)."""
    return (
        f"Alle cijfers in dit verslag gaan over de klachten die in {f.when} zijn ontvangen (datum van "
        "ontvangst); het Woo-overzicht van klachtoordelen telt de klachten naar de datum van afhandeling."
    )


def report_title(year: int, period: Period | None = None) -> str:
    if period is not None and not period.is_year:
        return f"Verslag klachtenbehandeling {period.name}"
    return f"Jaarverslag klachtenbehandeling {year}"


def parse_period_parameter(period: str | Period | None) -> Period | None:
    """A notebook's `period` parameter ("2025-H1", "2025-Q3", "2025-T2", "2025-03"); None or ""
    for a whole year. DataError (Dutch) for anything else."""
    if period is None or isinstance(period, Period):
        return period
    if str(period).strip() == "":
        return None
    try:
        return parse_named(str(period))
    except PeriodError as error:
        raise DataError(
            [
                Problem(
                    "parameters",
                    str(error),
                    f'Geef de periode als tekst, bijvoorbeeld period = "2025-H1" ({PERIOD_EXAMPLES}), of '
                    "None voor een heel jaar.",
                )
            ]
        ) from None


def resolve_period(folder: DataFolder, period: Period) -> Period:
    """The period asked for, when the register holds rows received in it; a DataError otherwise."""
    if rows_between(folder.register, period.start, period.end).empty:
        years = ", ".join(str(y) for y in years_in(folder.register)) or "geen"
        raise DataError(
            [
                Problem(
                    "klachtenregister",
                    f"het register bevat geen regels die zijn ontvangen in {period.in_text} ({period.span}).",
                    f"Kies een periode in de jaren die het register beslaat: {years}.",
                )
            ]
        )
    return period


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
    def load(
        cls,
        data_dir: str | Path | None = None,
        year: int | str | None = None,
        period: str | Period | None = None,
    ) -> YearReport:
        """The notebook's entry: read and check the data folder and compute the figures.

        `data_dir` relative to the project folder (`config.notebook_data_dir`), `year` as a
        number or text, `period` a half-year, quarter, ... ("2025-H1") instead of a whole year.
        DataError on bad input.
        """
        data_dir = config.notebook_data_dir(data_dir)
        return cls.from_folder(cached_data_folder(data_dir), data_dir, year, period)

    @classmethod
    def from_folder(
        cls,
        folder: DataFolder,
        data_dir: Path,
        year: int | str | None = None,
        period: str | Period | None = None,
    ) -> YearReport:
        chosen = parse_period_parameter(period)
        if chosen is not None and chosen.is_year:
            year, chosen = chosen.start.year, None
        if chosen is None:
            year = resolve_year(folder, year)
        else:
            asked = parse_year(year)
            if asked is not None and asked != chosen.start.year:
                raise DataError(
                    [
                        Problem(
                            "parameters",
                            f'year = {asked} en period = "{chosen.slug}" spreken elkaar tegen.',
                            "Geef alleen de periode op (year = None), of een periode in dat jaar.",
                        )
                    ]
                )
            year = resolve_period(folder, chosen).start.year
        figures = year_figures(folder.register, folder.contacts, folder.settings, year, chosen)
        narrative = text.render_narrative(data_dir, year, figures)
        return cls(folder=folder, figures=figures, narrative=narrative, data_dir=Path(data_dir))

    @property
    def year(self) -> int:
        return self.figures.year

    @property
    def slug(self) -> str:
        """The report in file and folder names: '2024', or a period's '2025-H1'."""
        return self.figures.slug

    @property
    def title(self) -> str:
        return report_title(self.year, self.figures.period)

    @property
    def warnings(self) -> list[Problem]:
        return [*self.folder.warnings, *self.narrative.warnings, *comparison_warnings(self)]

    @functools.cached_property
    def measure_figures(self) -> MeasureFigures | None:
        """Counts of the measures after learning points; None without `maatregelen.csv`, and for a
        period shorter than a year (measures belong to the year of their learning point)."""
        if self.folder.measures is None or self.figures.period is not None:
            return None
        return measure_figures(self.folder.measures, self.year)

    # --- charts: drawn once, when first shown --------------------------------------------

    @functools.cached_property
    def team_chart(self) -> charts.Chart | None:
        """This period's handled complaints per team; the table beside it also holds last year's
        number, the change and the share (partly) upheld (`team_table`)."""
        chart = charts.handled_per_team_chart(self.figures.handled_per_team, self.figures.when)
        return None if chart is None else replace(chart, table=team_table(self.figures))

    @functools.cached_property
    def verdict_chart(self) -> charts.Chart | None:
        return charts.verdict_chart(self.figures.verdicts, self.figures.when)

    @functools.cached_property
    def nature_chart(self) -> charts.Chart | None:
        return charts.nature_chart(self.figures.per_nature, self.figures.when)

    @functools.cached_property
    def contacts_chart(self) -> charts.Chart | None:
        return charts.contacts_chart(self.figures.contacts_per_1000)

    @functools.cached_property
    def trend_chart(self) -> charts.Chart | None:
        prevented = counts.PREVENTED_NOT_RECORDED not in self.figures.not_recorded
        return charts.trend_chart(self.figures.trend, period=self.figures.period, include_prevented=prevented)

    @functools.cached_property
    def norm_cluster_chart(self) -> charts.Chart | None:
        """None also when the norms or verdicts are not recorded (one sentence says so)."""
        f = self.figures
        if {"oordeel", "behoorlijkheidsnorm"} & f.not_recorded:
            return None
        return charts.norm_cluster_chart(f.norms_per_cluster, f.when)

    @functools.cached_property
    def norm_chart(self) -> charts.Chart | None:
        f = self.figures
        if {"oordeel", "behoorlijkheidsnorm"} & f.not_recorded:
            return None
        return charts.norm_chart(f.norms_per_norm, f.when)

    @functools.cached_property
    def peers_chart(self) -> charts.Chart | None:
        return charts.per_10000_chart(peer_table(self), self.year)

    @functools.cached_property
    def years_before(self) -> list[YearFigures | None]:
        """The same period a year earlier and (for Kerncijfers, up to five years in all) the
        years before it, computed alike; None where the register holds nothing."""
        return keyfigures.years_before(self.folder, self.figures)

    @property
    def previous(self) -> YearFigures | None:
        """The same period a year earlier, computed alike (None when not in the register)."""
        return self.years_before[0]

    @functools.cached_property
    def key_figure_rows(self) -> list[keyfigures.KeyFigure]:
        return keyfigures.report_rows(self.folder, self.figures, self.years_before)

    def _narrative_html(self, section: str) -> str:
        """The coordinator's Markdown as sanitised HTML (klachtlib.presentation.narrative); "" where there is
        none: the section then shows the computed part only (the warning told the coordinator,
        a published page carries no note for the analyst)."""
        return self.narrative.section_html(section)

    # --- sections, in the order of shared/spec/report.md; each returns an HTML fragment ---

    def title_html(self) -> str:
        """The title and the colophon (who publishes, when, whom to ask: only what is set)."""
        return heading_html(self.title, level=1) + colophon_html(self.folder.settings)

    @property
    def description(self) -> str:
        """The page's meta description: what it is, by whom (when known), its main figures."""
        f, name = self.figures, self.folder.settings.organisation_name
        return (
            f"{self.title}{f' van {name}' if name else ''}: {text.counted(f.total, 'klacht', 'klachten')} "
            f"ontvangen in {f.when}, waarvan {text.format_number(f.handled)} inhoudelijk afgehandeld."
        )

    @property
    def page_metadata(self) -> dict[str, dict[str, str]]:
        """What the notebook's title cell hands the page template: <title> and meta description."""
        return page_metadata(self.title, self.description, self.folder.settings)

    def key_figures_html(self) -> str:
        """0. Kerncijfers: the key figures against last year and the norms (`keyfigures`), and what
        the report counts by (the Woo overview of the same period counts otherwise)."""
        return keyfigures.section_html(self.folder, self.figures, self.key_figure_rows) + paragraph_html(
            count_basis_sentence(self.figures)
        )

    def figures_html(self) -> str:
        """1. Totals, the not-handled group with its reasons, handled complaints per team."""
        f = self.figures
        parts = [
            heading_html(f"Cijfers klachtenbehandeling {f.name}"),
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

    def balance_html(self) -> str:
        """Stock and flow: open on the first day, received, closed, open on the last day."""
        f = self.figures
        parts = [heading_html(BALANCE_HEADING), *map(paragraph_html, text.balance_sentences(f))]
        if f.balance is not None:
            caption = f"Openstaande, ontvangen en afgesloten klachten, {f.name}"
            parts.append(table_html(balance_table(f), caption))
        return "".join(parts)

    def handling_html(self) -> str:
        """2. How complaints are handled: narrative, informal/formal, verdicts, terms, ombudsman."""
        f = self.figures
        parts = [
            heading_html(text.WAYS),
            self._narrative_html(text.WAYS),
            heading_html(f"Behandeling in {f.when} in cijfers", level=3),
            bullets_html(text.handling_sentences(f)),
        ]
        if f.formal and "oordeel" not in f.not_recorded:
            parts.append(charts.chart_html(self.verdict_chart))
        return "".join(parts)

    def norms_html(self) -> str:
        """The (partly) upheld complaints tested against the Nationale ombudsman's norms: per
        cluster and per norm, or one sentence saying why that is not known."""
        f = self.figures
        parts = [heading_html(NORMS_HEADING), paragraph_html(text.norms_sentence(f))]
        if self.norm_cluster_chart is not None:
            parts.append(charts.chart_html(self.norm_cluster_chart))
            parts.append(charts.chart_html(self.norm_chart))
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
        prevented = text.prevented_sentence(self.figures)  # None: the export does not record them
        body = self._narrative_html(heading) + (paragraph_html(prevented) if prevented else "")
        return heading_html(heading) + body if body else ""

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
                    f"Aantal vastgelegde leerpunten per team, {self.figures.name}",
                )
            )
        if self.measure_figures is not None:
            parts += [paragraph_html(sentence) for sentence in text.measures_sentences(self.measure_figures)]
        return "".join(parts)

    def experiences_html(self) -> str:
        """6. Experiences of complainants: narrative only, so nothing at all without it."""
        body = self._narrative_html(text.EXPERIENCES)
        return heading_html(text.EXPERIENCES) + body if body else ""

    def contacts_html(self) -> str:
        """7. Complaints per 1,000 contacts per channel, and the channels without data."""
        parts = [heading_html("Klachten afgezet tegen het aantal klantcontacten")]
        if self.figures.period is not None:  # klantcontacten.csv holds whole years
            parts.append(paragraph_html(text.contacts_per_year_sentence(self.figures)))
        elif channel := text.channel_not_recorded_sentence(self.figures):
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

    def inhabitants_html(self) -> str:
        """Complaints per 10,000 inhabitants ([inwoners]) and, for a year, against the peers of
        vergelijking.csv with their sources; nothing at all without the data."""
        f = self.figures
        sentence = text.per_inhabitants_sentence(f, self.previous)
        if sentence is None:
            return ""
        parts = [heading_html(INHABITANTS_HEADING), paragraph_html(sentence)]
        if self.peers_chart is not None:
            sources = peer_table(self)["bron"].iloc[1:].tolist()  # the first row is this municipality
            parts.append(paragraph_html(text.peers_sentence(sources, f.year)))
            parts.append(charts.chart_html(self.peers_chart))
        return "".join(parts)

    def over_the_years_html(self) -> str:
        """8. Totals and not-handled per year, the last five years up to this one, and the trend
        in words."""
        parts = [heading_html("Verloop over de jaren")]
        if trend := text.trend_in_words(self.figures):
            parts.append(paragraph_html(trend))
        left_out = text.left_out_years_sentence(self.figures)
        return (
            "".join(parts)
            + charts.chart_html(self.trend_chart)
            + (paragraph_html(left_out) if left_out else "")
        )

    def rules_html(self) -> str:
        """Annex: the rule behind every published figure, from the definitions and settings the
        figures use (`rules`)."""
        return rules.section_html(self.figures, self.folder.settings, self.folder.skipped)

    def downloads_html(self) -> str:
        """Last: links to the figures pack beside the report (`pack`: CSV, XLSX, SVG, PNG)."""
        return downloads_section_html(self)

    @property
    def downloads(self) -> PageOnly:
        """The downloads section for the notebook: the links on the published page; in JupyterLab
        a sentence saying where the files will be (they are written beside the page)."""
        note = paragraph_html(
            "De tabellen en grafieken om te downloaden staan in het gepubliceerde verslag; 'klachten "
            f"report' zet ze naast de pagina, in de map cijfers (bijvoorbeeld reports/{self.slug}/cijfers/)."
        )
        return PageOnly(self.downloads_html(), note)

    def sections_html(self) -> list[str]:
        """Every section's fragment, in the order of the notebook (title first)."""
        return [getattr(self, method)() for _, method in SECTIONS]

    def _repr_html_(self) -> str:
        """A bare `report` in a notebook shows the whole report."""
        return "".join(self.sections_html())


# --------------------------------------------------------------------------- tables of issue 22


def team_table(f: YearFigures) -> pd.DataFrame:
    """Handled complaints per team with the same period a year earlier, the change and the share
    (partly) upheld of the formal verdicts; a column the register cannot fill is left out."""
    teams = f.teams_compared
    table = pd.DataFrame({"Team": teams["team"], "Aantal": teams["aantal"]})
    if f.total_previous is not None:
        table[f"Aantal in {f.previous_when}"] = teams["vorig"].astype("int64")
        pairs = zip(teams["aantal"], teams["vorig"], strict=True)
        table["Verschil"] = [text.difference_text(int(now), int(before)) for now, before in pairs]
    if "oordeel" not in f.not_recorded and f.formal:
        verdicts = zip(teams["gegrond"], teams["oordelen"], strict=True)
        shares = [text.upheld_text(int(upheld), int(of)) for upheld, of in verdicts]
        table["(Deels) gegrond, van de formele oordelen"] = shares
    return table


def balance_table(f: YearFigures) -> pd.DataFrame:
    """Open on the first day, received, closed (and closed on an unknown date), open on the last."""
    stock = f.balance
    assert stock is not None
    first, last = text.format_date(stock.start), text.format_date(stock.end)
    rows = [
        (f"Open op {first}", stock.open_start),
        (f"Ontvangen in {f.when}", stock.received),
        (f"Afgesloten in {f.when}", stock.closed),
    ]
    if stock.unplaceable:
        rows.append((f"Afgesloten op een onbekende datum (ontvangen in {f.when})", stock.unplaceable))
    rows.append((f"Open op {last}", stock.open_end))
    return pd.DataFrame(
        {"Klachten": [r[0] for r in rows], "Aantal": pd.array([r[1] for r in rows], dtype="Int64")}
    )


def peer_table(report: YearReport) -> pd.DataFrame:
    """The municipality itself and the peers of vergelijking.csv for the report's year, each with
    complaints per 10,000 inhabitants and its source; empty for a period report, without
    [inwoners] for the year, or without peers that year."""
    f, peers = report.figures, report.folder.comparison
    peers = peers[peers["jaar"].eq(f.year)]
    if f.period is not None or f.inhabitants is None or peers.empty:
        return pd.DataFrame(columns=["gemeente", "klachten", "inwoners", "per_10000", "bron"])
    own = pd.DataFrame(
        {
            "gemeente": [OWN_MUNICIPALITY],
            "klachten": [f.total],
            "inwoners": [f.inhabitants],
            "bron": ["dit verslag"],
        }
    )
    table = pd.concat([own, peers[["gemeente", "klachten", "inwoners", "bron"]]], ignore_index=True)
    return table.assign(per_10000=table["klachten"] / table["inwoners"] * 10_000)


def comparison_warnings(report: YearReport) -> list[Problem]:
    """vergelijking.csv that this report cannot use: say so to the coordinator (not on the page)."""
    f, peers = report.figures, report.folder.comparison
    if peers.empty or f.period is not None:
        return []
    where = "vergelijking.csv"
    if not peers["jaar"].eq(f.year).any():
        message = f"er staan geen gemeenten uit {f.year} in; het verslag vergelijkt niet met anderen."
        return [Problem(where, message, severity="waarschuwing")]
    if f.inhabitants is None:
        return [
            Problem(
                where,
                f"het aantal inwoners van de eigen gemeente in {f.year} ontbreekt, dus het verslag "
                "vergelijkt niet met andere gemeenten.",
                f"Zet in klachten.toml onder [inwoners] bijvoorbeeld: {f.year} = 34512",
                severity="waarschuwing",
            )
        ]
    return []


# --------------------------------------------------------------------------- the figures pack


@dataclass(frozen=True, eq=False)
class PackItem:
    """One table of the report (and its chart, if it has one), as files (`klachtlib.delivery.pack`)."""

    section: str  # the report section it belongs to (its heading)
    name: str  # file stem, after the section: "cijfers-klachtenbehandeling-2024"
    sheet: str  # worksheet name in the workbook (at most 31 characters)
    caption: str
    table: pd.DataFrame
    chart: charts.Chart | None = None

    @property
    def files(self) -> list[str]:
        """The file names of this item, CSV first."""
        return [f"{self.name}.csv", *((f"{self.name}.svg", f"{self.name}.png") if self.chart else ())]


def slug(value: str) -> str:
    """A file-name part: 'Verloop over de jaren' -> 'verloop-over-de-jaren'."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def workbook_name(year: int | str) -> str:
    return f"tabellen-klachten-{year}.xlsx"


def pack_items(report: YearReport) -> list[PackItem]:
    """Every table of the year report with its chart where it has one, in the page order of
    `SECTIONS`; `klachtlib.delivery.pack` makes the files, `downloads_html` the links, so they agree."""
    f, suffix = report.figures, report.slug  # "2024", or a period's "2025-H1"
    rows = report.key_figure_rows
    labels = keyfigures.column_labels(f, rows)

    def name_of(section: str) -> str:
        return slug(section) if slug(section).endswith(suffix) else f"{slug(section)}-{suffix}"

    def item(section: str, sheet: str, chart: charts.Chart | None, what: str = "") -> PackItem | None:
        if chart is None:
            return None
        name = name_of(f"{section} {what}" if what else section)
        return PackItem(section, name, sheet, chart.caption, chart.table, chart)

    learning = f.learning_points_per_team
    per_section: dict[str, list[PackItem | None]] = {
        "key_figures_html": [
            PackItem(
                keyfigures.HEADING,
                f"kerncijfers-{suffix}",
                "Kerncijfers",
                keyfigures.caption(f.year, labels),
                keyfigures.key_figures_table(rows, f.year, labels),
            )
        ],
        "figures_html": [
            item(f"Cijfers klachtenbehandeling {f.name}", "Afgehandeld per team", report.team_chart)
        ],
        "balance_html": [
            None
            if f.balance is None
            else PackItem(
                BALANCE_HEADING,
                name_of(BALANCE_HEADING),
                "Open en afgesloten",
                f"Openstaande, ontvangen en afgesloten klachten, {f.name}",
                balance_table(f),
            )
        ],
        "handling_html": [item(text.WAYS, "Oordeel", report.verdict_chart)],
        "norms_html": [
            item(NORMS_HEADING, "Normen per cluster", report.norm_cluster_chart, "clusters"),
            item(NORMS_HEADING, "Normen", report.norm_chart, "per norm"),
        ],
        "general_picture_html": [item(text.GENERAL, "Aard", report.nature_chart)],
        "reflection_html": [
            None
            if learning.empty
            else PackItem(
                text.REFLECTION,
                name_of(text.REFLECTION),
                "Leerpunten per team",
                f"Aantal vastgelegde leerpunten per team, {f.name}",
                learning.rename(columns={"team": "Team", "aantal": "Aantal leerpunten"}),
            )
        ],
        "contacts_html": [
            item("Klachten afgezet tegen het aantal klantcontacten", "Klantcontacten", report.contacts_chart)
        ],
        "inhabitants_html": [item(INHABITANTS_HEADING, "Per 10.000 inwoners", report.peers_chart)],
        "over_the_years_html": [item("Verloop over de jaren", "Verloop", report.trend_chart)],
    }
    found = [entry for _, method in SECTIONS for entry in per_section.get(method, [])]
    return [entry for entry in found if entry is not None]


def downloads_section_html(report: YearReport) -> str:
    """The report's last section: a link to every file of its figures pack (screen only)."""
    workbook = workbook_name(report.slug)
    bullets = []
    for entry in pack_items(report):
        links = ", ".join(
            f'<a href="{html.escape(f"{PACK_DIR}/{name}")}">{name.rsplit(".", 1)[1].upper()}</a>'
            for name in entry.files
        )
        what = html.escape(f"{entry.caption} (onderdeel {entry.section})")
        bullets.append(f"<li>{what}: {links}</li>")
    intro = paragraph_html(
        "De tabellen en grafieken van dit verslag, om over te nemen in bijvoorbeeld een "
        "raadsinformatiebrief of de jaarstukken. CSV-bestanden openen in Excel; SVG is een "
        "grafiek die scherp blijft bij elke grootte."
    )
    workbook_link = (
        f'<p>Alle tabellen in één Excel-bestand: <a href="{PACK_DIR}/{html.escape(workbook)}">'
        f"{html.escape(workbook)}</a>.</p>\n"
    )
    body = heading_html(PACK_HEADING) + intro + workbook_link + "<ul>\n" + "\n".join(bullets) + "\n</ul>\n"
    # Not printed: on paper and in the PDF these links would be file paths of this machine.
    return f'<div class="{PACK_SECTION_CLASS}">\n{body}</div>\n'
