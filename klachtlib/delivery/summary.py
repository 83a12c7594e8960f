"""What `klachten validate` prints: the figures each year's report would publish, and the
plausibility warnings a complaints coordinator wants before publishing.

The reader (`register.load_data_folder`) finds what is wrong; this module says what the data,
read as configured, would make the report claim, so the analyst can compare it with their own
count (shared/spec/register.md, "Before publishing"). Everything here is plain Dutch text,
short enough for one screen on the sample data.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from klachtlib.domain import classify, counts
from klachtlib.domain.counts import YearFigures
from klachtlib.domain.measure_counts import MeasureFigures, measure_figures
from klachtlib.errors import DataError, Problem
from klachtlib.presentation import text
from klachtlib.reading import koppel
from klachtlib.reading.measures import MEASURES_FILE
from klachtlib.reading.narrative_source import NARRATIVE_DIR
from klachtlib.reading.register import DataFolder, load_data_folder
from klachtlib.reading.settings import SETTINGS_FILE, Settings
from klachtlib.reading.vocab import STATUSES, normalise_key

# Plausibility thresholds: below these numbers a pattern says little.
MIN_COMPLAINTS = 10  # "every complaint handled" is worth a warning from this many on
TEAM_GROWTH_FACTOR = 2  # a team list at least twice as long as last year's ...
TEAM_GROWTH_MIN = 5  # ... and at least this many teams longer
WITHOUT_CLOSING_DATE_SHARE = 0.2  # more than a fifth of the handled complaints without a date
ALIAS_MAJORITY_SHARE = 0.5  # one [waarden] alias that maps more than half of a column
ALIAS_MIN_ROWS = 10

# Names of what is not recorded, in the words of the report.
NOT_RECORDED_NAMES: dict[str, str] = {
    "team": "team",
    "reden": "reden",
    "behandeling": "behandeling (informeel/formeel)",
    "oordeel": "oordeel",
    "datum_afgehandeld": "datum afgehandeld",
    "verdaagd": "verdaagd",
    "kanaal": "kanaal",
    "aard": "aard",
    "leerpunt": "leerpunt",
    "ombudsman": "ombudsman",
    "ombudsman_uitkomst": "uitkomst bij de ombudsman",
    "behoorlijkheidsnorm": "behoorlijkheidsnorm",
}
UNPLACEABLE_SHOWN = 20  # klacht_ids named in the warning about complaints closed on an unknown date


def rows_per_year_and_status(register: pd.DataFrame) -> pd.DataFrame:
    """Rows per receipt year (index) and status (columns, in vocabulary order)."""
    pairs = pd.DataFrame({"jaar": register["datum_ontvangst"].dt.year, "status": register["status"]})
    table = pairs.value_counts(sort=False).unstack(fill_value=0)  # as pd.crosstab, a third faster
    present = [s for s in STATUSES if s in table.columns]
    return table.reindex(columns=present, fill_value=0)


def register_summary(register: pd.DataFrame) -> str:
    table = rows_per_year_and_status(register)
    return f"Het register telt {len(register)} regels.\nRegels per jaar en status:\n{table.to_string()}"


# --------------------------------------------------------------------------- figures per year


def _n(value: int) -> str:
    return text.format_number(value)


def within_term_text(f: YearFigures) -> str:
    """The within-term figure as the report would state it, or why it is unknown."""
    if f.closed_count == 0:
        return "onbekend (geen afgehandelde klacht met een datum van afhandeling)"
    if text.extension_unrecorded(f):
        basic = text.format_percent(f.within_basic_count / f.closed_count)
        longest = text.format_percent(f.within_extended_count / f.closed_count)
        return (
            f"{basic} binnen {f.term_weeks} weken, {longest} binnen {f.extended_term_weeks} weken "
            f"(verdaging niet vastgelegd; {_n(f.closed_count)} met een datum van afhandeling)"
        )
    return (
        f"{text.format_percent(f.within_term_share)} ({_n(f.within_term_count)} van "
        f"{_n(f.closed_count)} met een datum van afhandeling)"
    )


def year_lines(f: YearFigures) -> list[str]:
    """The figures the report over `f.year` would publish, a few lines per year."""
    before = "" if f.total_previous is None else f" ({f.previous_year}: {_n(f.total_previous)})"
    if "behandeling" in f.not_recorded:
        treatment = "informeel/formeel niet vastgelegd"
    else:
        treatment = f"informeel {_n(f.informal)}, formeel {_n(f.formal)}"
        if f.treatment_unknown:
            treatment += f", niet vastgelegd {_n(f.treatment_unknown)}"
    if f.no_comparison:
        before = f" (niet vergeleken met {f.previous_year})"
    prevented = (
        "voorkomen niet vastgelegd"
        if counts.PREVENTED_NOT_RECORDED in f.not_recorded
        else f"voorkomen {_n(f.prevented)}"
    )
    lines = [
        f"Jaar {f.year}: {_n(f.total)} klachten ontvangen{before}",
        f"  afgehandeld {_n(f.handled)} ({treatment}); niet afgehandeld {_n(f.not_handled)}; "
        f"in behandeling {_n(f.still_open)}; {prevented}",
        f"  binnen de termijn: {within_term_text(f)}",
    ]
    lines.append(f"  {balance_text(f)}")
    if f.not_handled:
        lines.append("  niet afgehandeld, per reden:")
    for reason, count in f.not_handled_by_reason.itertuples(index=False, name=None):
        lines.append(f"  {int(count):>4}x {reason}")
    # Only what changes the report: no reason column matters when every complaint was handled.
    irrelevant = {"reden"} if not f.not_handled else set()
    irrelevant |= {"oordeel"} if not f.formal else set()
    irrelevant |= {"team", "datum_afgehandeld", "verdaagd"} if not f.handled else set()
    irrelevant |= {"behoorlijkheidsnorm"} if not f.upheld else set()
    irrelevant |= {"ombudsman_uitkomst"} if not f.ombudsman else set()
    missing = [NOT_RECORDED_NAMES[c] for c in counts.OPTIONAL_COLUMNS if c in f.not_recorded - irrelevant]
    if missing:
        lines.append(f"  niet vastgelegd (het verslag zegt 'onbekend'): {', '.join(missing)}")
    return lines


def balance_text(f: YearFigures) -> str:
    """Open on 1 January + received - closed = open on 31 December, as validate prints it."""
    stock = f.balance
    if stock is None:
        return "openstaand begin/eind: onbekend (datum afgehandeld niet vastgelegd)"
    first, last = text.format_date(stock.start), text.format_date(stock.end)
    start = "onbekend (geen klachten van daarvoor)" if stock.open_start is None else _n(stock.open_start)
    line = f"open op {first}: {start}; ontvangen {_n(stock.received)}; afgesloten {_n(stock.closed)}"
    if stock.unplaceable:
        line += f"; afgesloten op een onbekende datum {_n(stock.unplaceable)}"
    return line + f"; open op {last}: {_n(stock.open_end)}"


def measure_lines(m: MeasureFigures) -> list[str]:
    """What the report over `m.year` would say about measures (maatregelen.csv), in counts."""
    own = f"{_n(m.total)} (afgerond {_n(m.done)}, lopend {_n(m.running)})" if m.total else "niet vastgelegd"
    line = f"  maatregelen bij de leerpunten van {m.year}: {own}"
    if m.carried:
        line += (
            f"; uit eerdere jaren begin {m.year} nog lopend: {_n(m.carried)}, "
            f"waarvan in {m.year} afgerond {_n(m.carried_done)}"
        )
    return [line]


# --------------------------------------------------------------------------- plausibility


def unplaceable_warnings(register: pd.DataFrame) -> list[Problem]:
    """Complaints closed on an unknown date (no `datum_afgehandeld`, status not `in behandeling`):
    the count of open complaints cannot place them, so validate names them."""
    complaint = classify.is_complaint(register).to_numpy()
    unknown = register["datum_afgehandeld"].isna().to_numpy()
    if unknown[complaint].all():
        return []  # not recorded at all: the per-year lines say so
    unplaced = register["klacht_id"][complaint & unknown & ~classify.is_open(register).to_numpy()]
    if unplaced.empty:
        return []
    ids = [str(i) for i in unplaced]
    shown = ", ".join(ids[:UNPLACEABLE_SHOWN]) + (
        f" en nog {len(ids) - UNPLACEABLE_SHOWN}" if len(ids) > UNPLACEABLE_SHOWN else ""
    )
    return [
        Problem(
            "klachtenregister",
            f"{len(ids)} {'klacht is' if len(ids) == 1 else 'klachten zijn'} afgesloten zonder "
            f"datum_afgehandeld ({shown}); de telling van openstaande klachten (open op 1 januari en "
            f"31 december) kan {'die' if len(ids) == 1 else 'ze'} niet plaatsen en telt ze apart.",
            "Vul de datum van afhandeling in, of koppel de kolom met de einddatum in klachten.toml onder "
            '[kolommen], bijvoorbeeld "Einddatum" = "datum_afgehandeld".',
            column="datum_afgehandeld",
            severity="waarschuwing",
        )
    ]


def plausibility_warnings(
    register: pd.DataFrame, figures: Mapping[int, YearFigures], settings: Settings | None = None
) -> list[Problem]:
    """Patterns that are allowed but usually mean a wrong mapping in klachten.toml."""
    where = "klachtenregister"
    warnings = []

    def warn(message: str, hint: str) -> None:
        warnings.append(Problem(where, message, hint, severity="waarschuwing"))

    incomplete = counts.incomplete_first_year(register, settings or Settings())
    if incomplete is not None and incomplete[1] != counts.BEFORE_START:
        first = incomplete[0]
        why = (
            "alle klachten zijn in de laatste weken van dat jaar ontvangen"
            if incomplete[1] == counts.LATE_START
            else f"het telt veel minder klachten dan {first + 1}"
        )
        warn(
            f"{first} lijkt onvolledig: {why}. Het verslag vergelijkt geen jaar met {first}.",
            f"Begint het register pas in de loop van {first}? Zet dan in {SETTINGS_FILE} [bestand] "
            f"vanaf = {first + 1}-01-01 (of de datum waarop het register volledig is).",
        )

    complaints = register.loc[classify.is_complaint(register), ["team", "datum_ontvangst"]]
    teams_per_year = complaints["team"].groupby(classify.receipt_year(complaints)).nunique().to_dict()
    for year, f in figures.items():
        if f.total >= MIN_COMPLAINTS and f.handled == f.total:
            warn(
                f"alle {_n(f.total)} klachten uit {year} zijn afgehandeld; geen enkele is ingetrokken, "
                "doorgestuurd, niet-ontvankelijk of nog in behandeling.",
                "Controleer de koppeling van de status in klachten.toml ([waarden.status] of [afleiden]).",
            )
        without_date = f.handled - f.closed_count
        if f.handled and without_date / f.handled > WITHOUT_CLOSING_DATE_SHARE:
            warn(
                f"{_n(without_date)} van de {_n(f.handled)} afgehandelde klachten uit {year} hebben geen "
                "datum_afgehandeld; behandelduur en termijn gaan alleen over de rest.",
                "Koppel de kolom met de einddatum in klachten.toml onder [kolommen], "
                'bijvoorbeeld "Einddatum" = "datum_afgehandeld".',
            )
        if year - 1 in figures:
            now, before = teams_per_year.get(year, 0), teams_per_year.get(year - 1, 0)
            if before and now >= TEAM_GROWTH_FACTOR * before and now - before >= TEAM_GROWTH_MIN:
                warn(
                    f"{year} telt {_n(now)} teams, {year - 1} {_n(before)}.",
                    "Controleer of de kolom die als team wordt gelezen echt het team of de afdeling is, "
                    "en koppel hernoemde teams onder [teams].",
                )
    return warnings


def alias_majority_warnings(
    raw: Mapping[str, Counter], value_aliases: Mapping[str, Mapping[str, str]]
) -> list[Problem]:
    """One [waarden.<kolom>] alias that maps most of a column: right, or a catch-all mistake.

    `raw` counts the export's own values per canonical column, before any alias.
    """
    warnings = []
    for column, aliases in value_aliases.items():
        folded: Counter = Counter()
        for value, count in raw.get(column, Counter()).items():
            if value:
                folded[normalise_key(value)] += count
        filled = sum(folded.values())
        if filled < ALIAS_MIN_ROWS:
            continue
        for source, target in aliases.items():
            share = folded[source] / filled
            if share > ALIAS_MAJORITY_SHARE:
                warnings.append(
                    Problem(
                        SETTINGS_FILE,
                        f"de regel onder [waarden.{column}] die '{source}' koppelt aan '{target}' geldt voor "
                        f"{text.format_percent(share)} van de ingevulde waarden van {column}.",
                        "Klopt dat? Een te ruime koppeling maakt van bijna alles dezelfde waarde.",
                        column=column,
                        severity="waarschuwing",
                    )
                )
    return warnings


@dataclass(frozen=True)
class ExportFacts:
    """What validate learns from the export's header: suggestive columns not read (warnings)
    and the export's own values of the columns that have [waarden] aliases."""

    warnings: list[Problem]
    raw: dict[str, Counter]


def export_facts(folder: DataFolder) -> ExportFacts:
    """Columns whose name suggests a canonical one but that are not read (warnings), and the
    export's own values of the columns that have [waarden] aliases: both as the reader found
    them while reading (`DataFolder.export_headers`, `DataFolder.raw_values`), no second read.

    Only header names are shown; values are counted only for columns the reader reads.
    """
    warnings = _suggestive_unread(list(folder.export_headers))
    raw = dict(folder.raw_values) if folder.settings.value_aliases else {}
    return ExportFacts(warnings, raw)


def _suggestive_unread(headers: list) -> list[Problem]:
    """Warnings for columns the reader does not read whose name suggests a canonical one."""
    warnings = []
    for header in headers:
        for name, role in header.columns:
            suggested = koppel.suggested_column(name)
            if role is not None or suggested is None:
                continue
            if suggested == "resultaat":
                what, hint = (
                    "lijkt op een resultaat (status, behandeling, oordeel)",
                    f"Koppel hem in {SETTINGS_FILE} met [afleiden.\"{name}\"] ('klachten koppel' stelt "
                    "dat voor).",
                )
            else:
                what, hint = (
                    f"lijkt op {suggested}",
                    f'Koppel hem in {SETTINGS_FILE} onder [kolommen] ("{name}" = "{suggested}") als hij '
                    "gelezen moet worden.",
                )
            warnings.append(
                Problem(
                    header.source,
                    f"de kolom '{name}' wordt niet gelezen, maar {what}.",
                    hint,
                    severity="waarschuwing",
                )
            )
    return warnings


# --------------------------------------------------------------------------- the narrative

_NARRATIVE_NAME = re.compile(r"^(?P<year>\d{4})\.md$")


def narrative_problems(data_dir: Path, figures: Mapping[int, YearFigures]) -> list[Problem]:
    """Check every `toelichting/*.md` against the figures of its year: unknown placeholders
    (errors), headings that match no section (warnings), files for years without data.

    The latest year is checked also when it has no file: its report is the one about to be made.
    """
    folder = Path(data_dir) / NARRATIVE_DIR
    files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    years: list[int] = []
    problems: list[Problem] = []
    for path in files:
        match = _NARRATIVE_NAME.match(path.name)
        if not match:
            problems.append(
                Problem(
                    str(path),
                    "dit bestand wordt niet gelezen: een toelichting heet <jaar>.md, bijvoorbeeld 2024.md.",
                    severity="waarschuwing",
                )
            )
        elif int(match["year"]) not in figures:
            problems.append(
                Problem(
                    str(path),
                    f"het register heeft geen klachten uit {match['year']}; "
                    "deze toelichting wordt niet gebruikt.",
                    severity="waarschuwing",
                )
            )
        else:
            years.append(int(match["year"]))
    if figures and max(figures) not in years:
        years.append(max(figures))
    for year in sorted(years):
        try:
            problems += text.render_narrative(Path(data_dir), year, figures[year]).warnings
        except DataError as error:
            problems += error.problems
    return problems


# --------------------------------------------------------------------------- the whole check


@dataclass(frozen=True)
class Validation:
    """What `klachten validate` reports: lines for stdout, problems for stderr."""

    lines: list[str]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "fout"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "fout"]


TEAMS_SHOWN = 40


def team_lines(register: pd.DataFrame) -> list[str]:
    """The team names the reports will publish, with their number of complaints (all years), so
    a spelling or a name that should not be there is seen before publishing."""
    per_team = register["team"][classify.is_complaint(register)].value_counts()  # NA left out
    if per_team.empty:
        return []
    shown = sorted(((str(t), c) for t, c in per_team.items()), key=lambda tc: (-tc[1], tc[0].casefold()))
    rest = len(shown) - TEAMS_SHOWN
    return [
        f"Teams die in de verslagen komen ({_n(len(shown))}, met het aantal klachten): "
        + ", ".join(f"{team} ({_n(int(count))})" for team, count in shown[:TEAMS_SHOWN])
        + (f" en nog {_n(rest)} andere" if rest > 0 else "")
        + "."
    ]


def reader_lines(folder: DataFolder) -> list[str]:
    """Rows skipped per [overslaan] rule, export columns and sheets not read: the reader's words."""
    return list(folder.reading_notes())


def check_folder(data_dir: Path) -> Validation:
    """`klachten validate`: read the whole folder (DataError on errors in the register), then
    the figures, the plausibility warnings, the export's columns and the narratives."""
    folder = load_data_folder(Path(data_dir))
    return validate_folder(folder, Path(data_dir), export_facts(folder))


def validate_folder(
    folder: DataFolder,
    data_dir: Path,
    facts: ExportFacts | None = None,
) -> Validation:
    """Figures per year, reader facts and every warning or error about the folder's meaning."""
    figures = counts.figures_per_year(folder.register, folder.contacts, folder.settings)
    years = list(figures)
    lines = [register_summary(folder.register), *reader_lines(folder), *team_lines(folder.register)]
    if folder.measures is not None:
        read = text.counted(len(folder.measures), "maatregel", "maatregelen")
        lines.append(f"{MEASURES_FILE}: {read} gelezen.")
    lines.append("")
    lines.append("Wat het verslag per jaar zou publiceren:")
    for year in reversed(years):
        lines += year_lines(figures[year])
        if folder.measures is not None:
            lines += measure_lines(measure_figures(folder.measures, year))
    problems = [*folder.warnings, *(facts.warnings if facts else [])]
    problems += plausibility_warnings(folder.register, figures, folder.settings)
    problems += unplaceable_warnings(folder.register)
    if facts is not None:
        problems += alias_majority_warnings(facts.raw, folder.settings.value_aliases)
    problems += narrative_problems(data_dir, figures)
    return Validation(lines=lines, problems=problems)
