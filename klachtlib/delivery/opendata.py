"""Open data: tidy CSV files with W3C CSV on the Web (CSVW) metadata, described in Dutch.

Two publications use it: the year's aggregated figures (`year_files`, written beside the
year report by `klachten report`) and the Woo overview of complaint judgments (`klachtlib.delivery.woo`).

Every CSV here is UTF-8 without BOM, comma-separated, with one header row of Dutch column
titles and `\\n` line ends; dates are ISO 8601 (`2024-03-05`), numbers use a decimal point.
Its metadata file sits beside it as `<file>.csv-metadata.json`, the name under which a CSVW
processor looks for a file's own metadata (CSVW "Locating metadata", `{+url}-metadata.json`),
and describes every column in Dutch: name, title (exactly the CSV header), description,
datatype and the texts that mean "no value". The same figures give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from klachtlib.delivery import cells
from klachtlib.domain import classify
from klachtlib.domain.counts import PREVENTED_NOT_RECORDED, YearFigures
from klachtlib.domain.measure_counts import MeasureFigures

CSVW_CONTEXT: list[Any] = ["http://www.w3.org/ns/csvw", {"@language": "nl"}]
DIALECT = {"encoding": "utf-8", "delimiter": ",", "header": True, "headerRowCount": 1}
NOT_RECORDED = "niet vastgelegd"  # a value the register does not hold, as the reader sees it


@dataclass(frozen=True)
class Column:
    """One CSV column: the one place for its name, its Dutch header and its description."""

    name: str  # CSVW name (a URI template variable: a-z, 0-9 and _)
    title: str  # the CSV header, also the HTML table header
    description: str  # Dutch, for the metadata
    datatype: str | Mapping[str, str] = "string"
    null: tuple[str, ...] = ("",)  # cell texts that mean "no value"
    required: bool = False

    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "name": self.name,
            "titles": self.title,
            "dc:title": self.title,
            "dc:description": self.description,
            "datatype": dict(self.datatype) if isinstance(self.datatype, Mapping) else self.datatype,
        }
        if self.null != ("",):
            meta["null"] = self.null[0] if len(self.null) == 1 else list(self.null)
        if self.required:
            meta["required"] = True
        return meta


def metadata_path(csv_path: Path) -> Path:
    """`x.csv` -> `x.csv-metadata.json` (beside it)."""
    return csv_path.with_name(csv_path.name + "-metadata.json")


def cell_text(value: object) -> str:
    """One CSV cell: ISO dates, plain integers and decimals, '' for a missing value."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, datetime | pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        raise TypeError("cell_text: round a float to a Decimal first (the CSV must not depend on repr)")
    return str(value)


def csv_text(rows: pd.DataFrame, columns: Sequence[Column]) -> str:
    """The CSV of `rows` (columns named by `Column.name`), headers the Dutch titles; text that
    would start a formula prefixed (`cells`, said in the metadata)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([cells.text_cell(c.title) for c in columns])
    for row in rows[[c.name for c in columns]].itertuples(index=False, name=None):
        writer.writerow([cells.csv_cell(_plain(v), cell_text(v)) for v in row])
    return buffer.getvalue()


def _plain(value: object) -> object:
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def metadata_text(
    csv_name: str,
    title: str,
    description: str,
    columns: Iterable[Column],
    extra: Mapping[str, Any] | None = None,
    primary_key: str | None = None,
) -> str:
    """The CSVW metadata document (JSON) of one CSV file, in Dutch."""
    schema: dict[str, Any] = {"columns": [c.metadata() for c in columns]}
    if primary_key:
        schema["primaryKey"] = primary_key
    document: dict[str, Any] = {
        "@context": CSVW_CONTEXT,
        "url": csv_name,
        "dc:title": title,
        "dc:description": f"{description} {cells.CSV_NOTE}",
        "dc:language": "nl",
        **(extra or {}),
        "dialect": DIALECT,
        "tableSchema": schema,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def one_decimal(value: float | Decimal | None) -> Decimal | None:
    """Rounded half up to one decimal, as the report shows it (12.25 -> 12.3); None stays None."""
    if value is None or pd.isna(value):
        return None
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- year figures

COUNT = "aantal"
PERCENT = "procent"
DAYS = "dagen"
PER_1000 = "per 1.000 klantcontacten"
PER_10000 = "per 10.000 inwoners"

# onderwerp -> (omschrijving, eenheid). The order is the order of the CSV.
TOPICS: dict[str, tuple[str, str]] = {
    "ontvangen": ("Klachten ontvangen in het jaar (voorkomen klachten niet meegeteld)", COUNT),
    "afgehandeld": ("Klachten die inhoudelijk zijn afgehandeld", COUNT),
    "niet_afgehandeld": (
        "Klachten die zijn afgebroken, ingetrokken, niet ontvankelijk verklaard of doorgestuurd",
        COUNT,
    ),
    "in_behandeling": ("Klachten die nog in behandeling waren bij de export van het register", COUNT),
    "voorkomen": ("Geregistreerde situaties waarin een klacht is voorkomen (geen klacht)", COUNT),
    "niet_afgehandeld_per_reden": ("Niet inhoudelijk afgehandelde klachten per reden", COUNT),
    "afgehandeld_per_team": ("Inhoudelijk afgehandelde klachten per team", COUNT),
    "wijze_van_afhandeling": (
        "Inhoudelijk afgehandelde klachten naar informele of formele behandeling",
        COUNT,
    ),
    "oordeel": ("Formeel afgehandelde klachten naar oordeel", COUNT),
    "afgehandeld_met_datum": ("Inhoudelijk afgehandelde klachten met een datum van afhandeling", COUNT),
    "binnen_termijn": (
        "Afgehandelde klachten met een datum van afhandeling die binnen de wettelijke termijn zijn "
        "afgehandeld (Awb 9:11, met verdaging waar vastgelegd)",
        COUNT,
    ),
    "binnen_termijn_procent": (
        "Deel van de afgehandelde klachten met een datum van afhandeling dat binnen de wettelijke "
        "termijn is afgehandeld",
        PERCENT,
    ),
    "mediane_behandelduur": (
        "Mediane behandelduur van de afgehandelde klachten met een datum van afhandeling, in kalenderdagen",
        DAYS,
    ),
    "klachten_per_kanaal": (
        "Klachten per kanaal waarlangs ze binnenkwamen (jaren waarvan het aantal klantcontacten bekend is)",
        COUNT,
    ),
    "klantcontacten": ("Aantal klantcontacten per kanaal (leeg: niet bekend)", COUNT),
    "klachten_per_1000_contacten": ("Klachten per 1.000 klantcontacten per kanaal", PER_1000),
    # issue 22
    "gegrond_per_team": ("Formele oordelen (deels) gegrond, per team", COUNT),
    "formele_oordelen_per_team": ("Vastgelegde formele oordelen, per team", COUNT),
    "open_begin": ("Klachten die op 1 januari openstonden (leeg: het register begint later)", COUNT),
    "afgesloten": ("Klachten met een datum van afhandeling in het jaar, welke status ook", COUNT),
    "afgesloten_onbekende_datum": (
        "Klachten ontvangen in het jaar en afgesloten zonder datum van afhandeling",
        COUNT,
    ),
    "open_eind": ("Klachten die op 31 december nog openstonden", COUNT),
    "gegrond_of_deels_gegrond": ("Afgehandelde klachten met oordeel gegrond of deels gegrond", COUNT),
    "klachten_per_cluster": (
        "(Deels) gegronde klachten met minstens één geschonden behoorlijkheidsnorm van het cluster",
        COUNT,
    ),
    "klachten_per_norm": ("(Deels) gegronde klachten die de behoorlijkheidsnorm noemen", COUNT),
    "ombudsman": ("Klachten die later aan de Nationale ombudsman zijn voorgelegd", COUNT),
    "ombudsman_uitkomst": ("Klachten bij de Nationale ombudsman naar uitkomst", COUNT),
    "inwoners": ("Aantal inwoners ([inwoners] in klachten.toml)", COUNT),
    "klachten_per_10000_inwoners": ("Ontvangen klachten per 10.000 inwoners", PER_10000),
    # Only with maatregelen.csv (counts only; the measures themselves are internal).
    "maatregelen": ("Maatregelen bij de leerpunten uit het jaar (leeg: niet vastgelegd)", COUNT),
    "maatregelen_afgerond": (
        "Maatregelen bij de leerpunten uit het jaar die zijn afgerond (bij het opstellen van het overzicht)",
        COUNT,
    ),
    "maatregelen_lopend": (
        "Maatregelen bij de leerpunten uit het jaar die nog open of in uitvoering zijn",
        COUNT,
    ),
    "maatregelen_eerdere_jaren": (
        "Maatregelen uit eerdere jaren die aan het begin van het jaar nog liepen",
        COUNT,
    ),
    "maatregelen_eerdere_jaren_afgerond": (
        "Maatregelen uit eerdere jaren die aan het begin van het jaar nog liepen en in het jaar zijn "
        "afgerond",
        COUNT,
    ),
}
TREND_TOPICS: dict[str, str] = {  # trend column -> onderwerp, for the years before the report year
    "totaal": "ontvangen",
    classify.GROUP_HANDLED: "afgehandeld",
    classify.GROUP_NOT_HANDLED: "niet_afgehandeld",
    classify.GROUP_OPEN: "in_behandeling",
    classify.GROUP_PREVENTED: "voorkomen",
}

YEAR_COLUMNS: tuple[Column, ...] = (
    Column(
        "jaar",
        "Jaar",
        "Het jaar waarop het cijfer betrekking heeft (jaar van ontvangst)",
        "gYear",
        required=True,
    ),
    Column(
        "onderwerp",
        "Onderwerp",
        "Wat er geteld is, als vaste code; de omschrijving staat in de kolom Omschrijving",
        required=True,
    ),
    Column("omschrijving", "Omschrijving", "Wat er geteld is, in woorden", required=True),
    Column(
        "categorie",
        "Categorie",
        "De uitsplitsing: reden, team, behandeling, oordeel, kanaal, cluster of behoorlijkheidsnorm, of "
        "uitkomst bij de Nationale ombudsman; leeg bij een totaal",
    ),
    Column(
        "waarde",
        "Waarde",
        "Het cijfer; leeg als het register dit niet vastlegt (onbekend, niet nul)",
        "decimal",
    ),
    Column(
        "eenheid",
        "Eenheid",
        "Aantal, procent, dagen, per 1.000 klantcontacten of per 10.000 inwoners",
        required=True,
    ),
)


def year_file_name(year: int) -> str:
    return f"jaarcijfers-klachten-{year}.csv"


def _count_breakdown(table: pd.DataFrame, column: str) -> list[tuple[str, object]]:
    return [(str(row[column]), int(row["aantal"])) for _, row in table.iterrows()]


def year_rows(f: YearFigures, measures: MeasureFigures | None = None) -> pd.DataFrame:
    """The figures of the year report as tidy rows: one figure per row.

    A figure the register does not support (no closing dates, no recorded handling) gets an
    empty `waarde`, never a zero. The years before the report year come from the trend.
    `measures` (with `maatregelen.csv`) adds the counts the page states about measures.
    """
    rows: list[tuple[int, str, str, object]] = []  # jaar, onderwerp, categorie, waarde

    def add(topic: str, value: object, category: str = "", year: int = f.year) -> None:
        rows.append((year, topic, category, value))

    prevented_recorded = PREVENTED_NOT_RECORDED not in f.not_recorded
    for _, trend_row in f.trend[f.trend["jaar"] < f.year].iterrows():
        for column, topic in TREND_TOPICS.items():
            value = int(trend_row[column]) if prevented_recorded or topic != "voorkomen" else None
            add(topic, value, year=int(trend_row["jaar"]))
    add("ontvangen", f.total)
    add("afgehandeld", f.handled)
    add("niet_afgehandeld", f.not_handled)
    add("in_behandeling", f.still_open)
    add("voorkomen", f.prevented if prevented_recorded else None)  # not recorded: unknown, not 0
    for reason, count in _count_breakdown(f.not_handled_by_reason, "reden"):
        add("niet_afgehandeld_per_reden", count, reason)
    for team, count in _count_breakdown(f.handled_per_team, "team"):
        add("afgehandeld_per_team", count, team)

    treatment_known = f.treatment_unknown < f.handled
    add("wijze_van_afhandeling", f.informal if treatment_known else None, "informeel")
    add("wijze_van_afhandeling", f.formal if treatment_known else None, "formeel")
    if f.treatment_unknown:
        add("wijze_van_afhandeling", f.treatment_unknown, NOT_RECORDED)
    verdict_known = f.verdict_unknown < f.formal
    for verdict, count in _count_breakdown(f.verdicts, "oordeel"):
        add("oordeel", count if verdict_known else None, verdict)
    if f.verdict_unknown:
        add("oordeel", f.verdict_unknown, NOT_RECORDED)

    closed = f.closed_count
    add("afgehandeld_met_datum", closed)
    # Unknown (None) also when extensions are not recorded and some closed after the basic term.
    known = bool(closed) and f.within_term_share is not None
    add("binnen_termijn", f.within_term_count if known else None)
    share = Decimal(f.within_term_count) * 100 / Decimal(closed) if known else None
    add("binnen_termijn_procent", one_decimal(share))
    add("mediane_behandelduur", one_decimal(f.median_days) if closed else None)

    for r in f.contacts_per_1000.itertuples(index=False):
        add("klachten_per_kanaal", int(r.klachten), str(r.kanaal), int(r.jaar))
        add("klantcontacten", int(r.contacten), str(r.kanaal), int(r.jaar))
        add("klachten_per_1000_contacten", one_decimal(r.per_1000), str(r.kanaal), int(r.jaar))
    for channel in f.channels_without_data:
        add("klantcontacten", None, channel)
    _beyond_the_seed(f, add)

    if measures is not None:
        recorded = measures.total > 0  # no measure of the year in the list: not recorded
        add("maatregelen", measures.total if recorded else None)
        add("maatregelen_afgerond", measures.done if recorded else None)
        add("maatregelen_lopend", measures.running if recorded else None)
        if measures.carried:  # as the page: nothing said about earlier years without any
            add("maatregelen_eerdere_jaren", measures.carried)
            add("maatregelen_eerdere_jaren_afgerond", measures.carried_done)

    # object dtype: integers stay integers, decimals Decimals and unknown None (no float NaN)
    frame = pd.DataFrame(rows, columns=["jaar", "onderwerp", "categorie", "waarde"], dtype=object)
    frame["omschrijving"] = frame["onderwerp"].map(lambda t: TOPICS[t][0])
    frame["eenheid"] = frame["onderwerp"].map(lambda t: TOPICS[t][1])
    return frame[[c.name for c in YEAR_COLUMNS]]


def _beyond_the_seed(f: YearFigures, add: Callable[..., None]) -> None:
    """Issue 22's figures, as the page shows them: last year per team, verdicts per team, the
    balance, the behoorlijkheidsnormen, the ombudsman, inhabitants. Not recorded: no row, or
    an empty value."""
    teams = f.teams_compared
    if f.total_previous is not None:
        for r in teams[teams["vorig"].gt(0)].itertuples(index=False):
            add("afgehandeld_per_team", int(r.vorig), str(r.team), f.previous_year)
    if "oordeel" not in f.not_recorded and f.formal:
        for r in teams.itertuples(index=False):
            add("gegrond_per_team", int(r.gegrond), str(r.team))
            add("formele_oordelen_per_team", int(r.oordelen), str(r.team))
    if f.balance is not None:
        add("open_begin", f.balance.open_start)
        add("afgesloten", f.balance.closed)
        add("afgesloten_onbekende_datum", f.balance.unplaceable)
        add("open_eind", f.balance.open_end)
    if "oordeel" not in f.not_recorded:
        add("gegrond_of_deels_gegrond", f.upheld)
        if "behoorlijkheidsnorm" not in f.not_recorded:
            for cluster, count in _count_breakdown(f.norms_per_cluster, "cluster"):
                add("klachten_per_cluster", count, cluster)
            for r in f.norms_per_norm.itertuples(index=False):
                add("klachten_per_norm", int(r.aantal), f"{r.nummer} {r.norm}")
    if "ombudsman" not in f.not_recorded:
        add("ombudsman", f.ombudsman if not f.ombudsman_unknown else None)
        if "ombudsman_uitkomst" not in f.not_recorded:
            for outcome, count in _count_breakdown(f.ombudsman_outcomes, "uitkomst"):
                add("ombudsman_uitkomst", count, outcome)
    if f.inhabitants is not None:
        add("inwoners", f.inhabitants)
        add("klachten_per_10000_inwoners", one_decimal(f.per_10000))


def year_files(
    figures: YearFigures, directory: Path, measures: MeasureFigures | None = None
) -> list[tuple[Path, str]]:
    """`jaarcijfers-klachten-<jaar>.csv` and its CSVW metadata, in memory, for `write_all_atomic`."""
    csv_path = Path(directory) / year_file_name(figures.year)
    description = (
        f"De cijfers over klachtenbehandeling van {figures.year} (Awb 9:12a), dezelfde als in het "
        f"jaarverslag, als open data: één cijfer per regel. Klachten tellen mee in het jaar van "
        f"ontvangst; de jaren vóór {figures.year} staan erbij voor het verloop. Een lege waarde "
        "betekent dat het register het gegeven niet vastlegt."
    )
    metadata = metadata_text(
        csv_path.name, f"Cijfers klachtenbehandeling {figures.year}", description, YEAR_COLUMNS
    )
    rows = year_rows(figures, measures)
    return [(csv_path, csv_text(rows, YEAR_COLUMNS)), (metadata_path(csv_path), metadata)]
