"""Measures after learning points: `maatregelen.csv`, read and checked like the register.

Rekenkamers keep finding that a municipality cannot say what came of the lessons from its
complaints. This optional file is that overview: one row per measure, with the team that
carries it out, the learning point it follows up (its text in `leerpunt`, or the complaint in
`klacht_id` whose learning point it is), what is done (`maatregel`), who owns it (`eigenaar`),
its `status` (open, in uitvoering, afgerond) and, once done, `datum_afgerond`.

Forgiving about form, as the register: `,` or `;`, UTF-8 or Windows-1252 (`tabular`), headers
folded (`Datum afgerond`, `DATUM-AFGEROND`) or mapped in `[maatregelen.kolommen]`, status
spellings in `[maatregelen.status]`, team names through `[waarden.team]` and `[teams]`, dates in
every spelling the register accepts. Strict about meaning; each rule in one place (`_check_row`):

- `maatregel` and `status` are required; a measure follows up a learning point, so `leerpunt` or
  `klacht_id` (or both) is filled.
- Every measure belongs to the year of its learning point: the receipt year of the complaint in
  `klacht_id`; else `jaar`; else the one year in which the register holds that learning point
  (same text, same team). No year, or a `jaar` that contradicts the complaint, is an error.
- A `klacht_id` the register does not hold is a warning when `jaar` places the measure (the
  complaint may predate the export), an error otherwise.
- `team`: the team that carries the measure out, matched to the register's spelling ignoring
  case; empty: the complaint's team. A team the register does not know is a warning (counted,
  but no team overview lists it).
- `afgerond` needs `datum_afgerond`; `open` and `in uitvoering` have none; the date is not in
  the future, not before the learning point's year and not before the complaint was received.
- Rows with the same content count once (a warning).

Every text in this file is internal (`eigenaar` may name a person): only counts leave the team
overviews (`measure_counts`). Columns the file has beyond these are never read.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from klachtlib.errors import Problem, Severity
from klachtlib.reading.dates import DATE, parse_dates, show_date
from klachtlib.reading.settings import HEADER_SEARCH_ROWS, SETTINGS_FILE, Settings
from klachtlib.reading.tabular import TEXT, Selection, Source, collect_cells, csv_source, header_selection
from klachtlib.reading.values import aliased, cleaned, renamed_teams, suggestion, toml_string
from klachtlib.reading.vocab import MEASURE_COLUMNS, MEASURE_DONE, MEASURE_STATUSES, normalise_key

MEASURES_FILE = "maatregelen.csv"
# The reader's result: one row per measure, in file order.
MEASURE_FRAME_COLUMNS: tuple[str, ...] = (
    "regel",  # line in maatregelen.csv
    "team",
    "leerpunt",  # the row's text, else the learning point of its complaint in the register
    "klacht_id",
    "jaar",  # year of the learning point (see the module docstring)
    "maatregel",
    "eigenaar",
    "status",
    "datum_afgerond",
)
LONGEST_MEASURE_TEXT = {"leerpunt": 2000, "maatregel": 2000, "eigenaar": 200, "team": 200}
DATE_EXAMPLES = "2024-03-05, 5-3-2024 of 5 maart 2024"


def empty_measures() -> pd.DataFrame:
    """A measures frame without rows, with the reader's columns and dtypes."""
    return pd.DataFrame(
        {
            "regel": pd.Series(dtype="int64"),
            **{c: pd.Series(dtype=TEXT) for c in ("team", "leerpunt", "klacht_id")},
            "jaar": pd.Series(dtype="int64"),
            **{c: pd.Series(dtype=TEXT) for c in ("maatregel", "eigenaar", "status")},
            "datum_afgerond": pd.Series(dtype=DATE),
        }
    )


def _column_of(header: str, settings: Settings) -> str | None:
    key = normalise_key(header or "")
    if key in settings.measure_header_aliases:
        return settings.measure_header_aliases[key]
    return {normalise_key(c): c for c in MEASURE_COLUMNS}.get(key)


def _locate(settings: Settings, problems: list[Problem]):
    """The header: the first row (within the first rows) naming `maatregel`, else the first filled row."""

    def locate(source: Source, rows: list) -> Selection | None:
        filled = [(n, cells) for n, cells in rows if any(c and c.strip() for c in cells)]
        if not filled:
            problems.append(Problem(source.name, "het bestand is leeg.", "Vul het bestand of haal het weg."))
            return None
        line, headers = next(
            ((n, c) for n, c in filled if "maatregel" in {_column_of(h, settings) for h in c}), filled[0]
        )
        found: dict[str, list[int]] = {}
        for position, header in enumerate(headers):
            column = _column_of(header, settings)
            if column is not None:
                found.setdefault(column, []).append(position)
        missing = []
        for column, alternative, why in (
            ("maatregel", None, "wat er wordt gedaan"),
            ("status", None, "open, in uitvoering of afgerond"),
            ("team", "klacht_id", "het team dat de maatregel uitvoert"),
            ("leerpunt", "klacht_id", "het leerpunt waar de maatregel bij hoort"),
        ):
            if column not in found and (alternative is None or alternative not in found):
                also = (
                    f", of een kolom '{alternative}' met de klacht waar het leerpunt bij hoort"
                    if alternative
                    else ""
                )
                missing.append(
                    Problem(
                        source.name,
                        f"de kolom '{column}' ({why}) ontbreekt.",
                        f"Voeg de kolom toe{also}; of koppel de kopnaam in {SETTINGS_FILE} onder "
                        f'[maatregelen.kolommen], bijvoorbeeld: "Verbetermaatregel" = "maatregel".',
                        row=line,
                        column=column,
                    )
                )
        hint = (
            f"Verwijder of hernoem een van de kolommen, of pas [maatregelen.kolommen] in {SETTINGS_FILE} aan."
        )
        return header_selection(source.name, line, headers, found, missing, hint, problems)

    return locate


def load_measures(
    data_dir: Path, register: pd.DataFrame, settings: Settings, today: date
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """`maatregelen.csv` as checked measures (MEASURE_FRAME_COLUMNS); None when there is no file.

    `register` is the checked register: it places measures by their complaint and gives the
    team names the measures must match.
    """
    path = Path(data_dir) / MEASURES_FILE
    problems: list[Problem] = _ignored_measure_files(Path(data_dir))
    if not os.path.lexists(path):
        return None, problems
    source = csv_source(path, problems)
    collected = (
        collect_cells(source, _locate(settings, problems), problems, search_rows=HEADER_SEARCH_ROWS)
        if source is not None
        else None
    )
    if collected is None:
        return empty_measures(), problems
    name = str(path)
    text = {}
    for column in MEASURE_COLUMNS:
        if column not in collected.frame.columns:
            text[column] = pd.Series(pd.NA, index=collected.frame.index, dtype=TEXT)
            continue
        longest = LONGEST_MEASURE_TEXT.get(column, 200)
        values, _, invisible, cut = cleaned(collected.frame[column], longest)
        text[column] = values.astype(TEXT)
        if invisible.any() or cut.any():
            problems.append(
                Problem(
                    name,
                    "stuurtekens of onzichtbare tekens zijn verwijderd"
                    + (f"; waarden langer dan {longest} tekens zijn ingekort." if cut.any() else "."),
                    "Controleer deze kolom; zulke tekens komen vaak mee bij kopiëren en plakken.",
                    column=column,
                    severity="waarschuwing",
                )
            )
    cells = pd.DataFrame(text, index=collected.frame.index)
    cells = cells[cells.notna().any(axis=1)]
    if cells.empty:
        problems.append(
            Problem(
                name,
                "het bestand bevat alleen een kopregel en geen maatregelen.",
                "Vul de maatregelen in, of haal het bestand weg: zonder bestand zegt het verslag niets "
                "over maatregelen.",
                row=collected.header_line,
            )
        )
        return empty_measures(), problems
    checker = _Checker(name, register, settings, today, "datum_afgerond" in collected.frame.columns)
    rows = [checker.row(int(line), record) for line, record in cells.iterrows()]
    problems += checker.problems
    measures = pd.DataFrame([r for r in rows if r is not None], columns=list(MEASURE_FRAME_COLUMNS))
    measures, duplicates = _drop_identical(name, measures)
    problems += duplicates
    problems.sort(key=lambda p: p.row or 0)
    return _typed(measures), problems


def _ignored_measure_files(data_dir: Path) -> list[Problem]:
    """A measures list in another format (an .xlsx, say) is named, never silently left out."""
    try:
        entries = sorted(data_dir.iterdir())
    except OSError:
        return []  # the register reader says so
    return [
        Problem(
            str(p),
            f"dit bestand wordt niet gelezen: alleen {MEASURES_FILE} (CSV) wordt als overzicht van "
            "maatregelen gelezen.",
            f"Sla het op als CSV met de naam {MEASURES_FILE}.",
            severity="waarschuwing",
        )
        for p in entries
        if p.name.lower().startswith("maatregelen") and p.name != MEASURES_FILE and p.is_file()
        and p.suffix.lower() in (".xlsx", ".xls", ".ods", ".csv", ".txt")
    ]  # fmt: skip


def _team_key(team: str) -> str:
    """Team names compare after Unicode normalisation, ignoring case and surrounding spaces."""
    return unicodedata.normalize("NFC", team).strip().casefold()


def _point_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass
class _Complaint:
    year: int
    team: str | None
    received: pd.Timestamp
    leerpunt: str | None


class _Checker:
    """The rules of the module docstring, one row at a time (a measures list is short)."""

    def __init__(self, name: str, register: pd.DataFrame, settings: Settings, today: date, has_date: bool):
        self.name, self.settings, self.today, self.has_date = name, settings, pd.Timestamp(today), has_date
        self.problems: list[Problem] = []
        self.complaints: dict[str, _Complaint] = {
            str(r.klacht_id): _Complaint(
                int(r.datum_ontvangst.year),
                None if pd.isna(r.team) else str(r.team),
                r.datum_ontvangst,
                None if pd.isna(r.leerpunt) else str(r.leerpunt).strip() or None,
            )
            for r in register[["klacht_id", "datum_ontvangst", "team", "leerpunt"]].itertuples(index=False)
            if not pd.isna(r.klacht_id) and not pd.isna(r.datum_ontvangst)
        }
        # First spelling seen in the register (ordered by date received) is the one shown.
        self.teams: dict[str, str] = {}
        for team in register["team"].dropna().astype(str):
            self.teams.setdefault(_team_key(team), team)
        # (learning point, team) -> years and teams, for measures that name only the point.
        self.points: dict[str, list[tuple[int, str | None]]] = {}
        for complaint in self.complaints.values():
            if complaint.leerpunt:
                self.points.setdefault(_point_key(complaint.leerpunt), []).append(
                    (complaint.year, complaint.team)
                )
        self.missing_date_column_reported = False

    def problem(self, line: int, column: str, message: str, hint: str, severity: Severity = "fout") -> None:
        self.problems.append(Problem(self.name, message, hint, row=line, column=column, severity=severity))

    def row(self, line: int, cells: pd.Series) -> dict | None:
        value = {c: (None if pd.isna(cells[c]) else str(cells[c])) for c in MEASURE_COLUMNS}
        before = len(self.problems)
        if value["maatregel"] is None:
            self.problem(line, "maatregel", "maatregel is leeg.", "Beschrijf wat er wordt gedaan.")
        status = self._status(line, value["status"])
        if value["leerpunt"] is None and value["klacht_id"] is None:
            self.problem(
                line,
                "leerpunt",
                "leerpunt en klacht_id zijn allebei leeg: onduidelijk bij welk leerpunt deze maatregel "
                "hoort.",
                "Vul het leerpunt in, of de klacht (klacht_id) waar het leerpunt bij hoort.",
            )
            return None
        complaint = self._complaint(line, value["klacht_id"], value["jaar"])
        year, team = self._year_and_team(line, value, complaint)
        closed = self._closed(line, status, value["datum_afgerond"], year, complaint)
        if len([p for p in self.problems[before:] if p.severity == "fout"]) or year is None or team is None:
            return None
        point = value["leerpunt"] or (complaint.leerpunt if complaint else None)
        return {
            "regel": line,
            "team": team,
            "leerpunt": point,
            "klacht_id": value["klacht_id"],
            "jaar": year,
            "maatregel": value["maatregel"],
            "eigenaar": value["eigenaar"],
            "status": status,
            "datum_afgerond": closed,
        }

    # --- one rule each

    def _status(self, line: int, written: str | None) -> str | None:
        if written is None:
            self.problem(
                line,
                "status",
                "status is leeg.",
                f"Vul een van deze statussen in: {', '.join(MEASURE_STATUSES)}.",
            )
            return None
        folded = normalise_key(written)
        target = self.settings.measure_status_aliases.get(folded, written)
        known = {normalise_key(s): s for s in MEASURE_STATUSES}
        if normalise_key(target) in known:
            return known[normalise_key(target)]
        guess = suggestion(written, MEASURE_STATUSES) or "<status>"
        self.problem(
            line,
            "status",
            f"onbekende waarde '{written}' voor status.",
            f"Toegestaan: {', '.join(MEASURE_STATUSES)}. Voeg anders in {SETTINGS_FILE} onder "
            f"[maatregelen.status] toe: {toml_string(written)} = {toml_string(guess)}",
        )
        return None

    def _complaint(self, line: int, klacht_id: str | None, year: str | None) -> _Complaint | None:
        if klacht_id is None:
            return None
        complaint = self.complaints.get(klacht_id)
        if complaint is None:
            known_year = year is not None
            self.problem(
                line,
                "klacht_id",
                f"klacht_id {klacht_id} staat niet in het klachtenregister"
                + ("; de maatregel telt mee in het jaar uit de kolom jaar." if known_year else "."),
                "Controleer het kenmerk"
                + (
                    "."
                    if known_year
                    else ", of vul jaar in (het jaar van het leerpunt) als de klacht niet in deze "
                    "export staat."
                ),
                severity="waarschuwing" if known_year else "fout",
            )
        return complaint

    def _year_and_team(
        self, line: int, value: dict[str, str | None], complaint: _Complaint | None
    ) -> tuple[int | None, str | None]:
        year = self._written_year(line, value["jaar"])
        if value["jaar"] is not None and year is None:
            return None, None
        from_point: list[tuple[int, str | None]] = []
        if (
            complaint is None
            and year is None
            and value["leerpunt"] is not None
            and value["klacht_id"] is None
        ):
            team_key = _team_key(self._team_name(value["team"])) if value["team"] else None
            from_point = sorted(
                {(y, t) for y, t in self.points.get(_point_key(value["leerpunt"]), [])
                 if team_key is None or (t is not None and _team_key(t) == team_key)},
                key=lambda yt: (yt[0], yt[1] or ""),
            )  # fmt: skip
            years = sorted({y for y, _ in from_point})
            if len(years) == 1:
                year = years[0]
            else:
                where = (
                    "staat in meer dan één jaar in het register (" + ", ".join(map(str, years)) + ")"
                    if years
                    else "staat niet in het register"
                )
                self.problem(
                    line,
                    "jaar",
                    f"het jaar van deze maatregel is onbekend: het leerpunt {where}.",
                    "Vul jaar in (het jaar van het leerpunt), of klacht_id (de klacht waar het leerpunt "
                    "bij hoort).",
                )
        if complaint is not None:
            if year is not None and year != complaint.year:
                self.problem(
                    line,
                    "jaar",
                    f"jaar {year} klopt niet met klacht {value['klacht_id']}, ontvangen in {complaint.year}.",
                    "Maak jaar leeg (het jaar volgt dan uit de klacht) of verbeter een van beide.",
                )
                return None, None
            year = complaint.year
        team = self._team(line, value["team"], complaint, from_point)
        return year, team

    def _written_year(self, line: int, written: str | None) -> int | None:
        if written is None:
            return None
        text = written.strip()
        if not (len(text) == 4 and text.isascii() and text.isdigit() and text[:2] in ("19", "20", "21")):
            self.problem(
                line,
                "jaar",
                f"'{written}' is geen geldig jaartal.",
                "Schrijf het jaar als vier cijfers, bv. 2024.",
            )
            return None
        if int(text) > self.today.year:
            self.problem(
                line,
                "jaar",
                f"jaar {text} ligt in de toekomst.",
                "Het jaar van een leerpunt kan niet na dit jaar liggen.",
            )
            return None
        return int(text)

    def _team_name(self, written: str) -> str:
        """A written team after `[waarden.team]` and `[teams]`, as the register's reader does."""
        series = pd.Series([written], dtype=TEXT)
        series = aliased(series, self.settings.value_aliases.get("team", {}))
        series = renamed_teams(series, self.settings.team_renames)
        return written if pd.isna(series.iloc[0]) else str(series.iloc[0])

    def _team(
        self,
        line: int,
        written: str | None,
        complaint: _Complaint | None,
        from_point: list[tuple[int, str | None]],
    ) -> str | None:
        if written is not None:
            team = self._team_name(written)
            known = self.teams.get(_team_key(team))
            if known is not None:
                return known
            close = suggestion(team, tuple(self.teams.values()))
            self.problem(
                line,
                "team",
                f"team '{team}' komt in het klachtenregister niet voor; de maatregel telt mee, maar staat "
                "in geen teamoverzicht.",
                (f"Bedoelt u '{close}'? " if close else "")
                + "Gebruik de teamnaam uit het register, of koppel de naam in "
                f"{SETTINGS_FILE} onder [teams].",
                severity="waarschuwing",
            )
            return team
        teams = {complaint.team} if complaint is not None else {t for _, t in from_point}
        teams.discard(None)
        if len(teams) == 1:
            return teams.pop()
        if complaint is not None or from_point:
            self.problem(
                line,
                "team",
                "team is leeg en volgt niet eenduidig uit de klacht of het leerpunt.",
                "Vul het team in dat de maatregel uitvoert.",
            )
        elif not any(p.row == line and p.severity == "fout" for p in self.problems):
            self.problem(line, "team", "team is leeg.", "Vul het team in dat de maatregel uitvoert.")
        return None

    def _closed(
        self,
        line: int,
        status: str | None,
        written: str | None,
        year: int | None,
        complaint: _Complaint | None,
    ) -> pd.Timestamp | None:
        closed = None
        if written is not None:
            parsed = parse_dates(
                pd.Series([written], dtype=TEXT),
                month_first=self.settings.month_first,
                timezone=self.settings.timezone,
            ).iloc[0]
            if pd.isna(parsed):
                self.problem(
                    line,
                    "datum_afgerond",
                    f"'{written}' is geen geldige datum.",
                    f"Schrijf de datum bijvoorbeeld als {DATE_EXAMPLES}.",
                )
                return None
            closed = pd.Timestamp(parsed)
        if status == MEASURE_DONE and closed is None:
            if not self.has_date:
                if not self.missing_date_column_reported:
                    self.missing_date_column_reported = True
                    self.problem(
                        line,
                        "datum_afgerond",
                        "de kolom 'datum_afgerond' ontbreekt, maar er zijn afgeronde maatregelen.",
                        "Voeg de kolom datum_afgerond toe met de datum waarop elke maatregel is afgerond.",
                    )
                return None
            self.problem(
                line,
                "datum_afgerond",
                "de maatregel is afgerond, maar datum_afgerond is leeg.",
                "Vul de datum in waarop de maatregel is afgerond, of zet de status op open of in uitvoering.",
            )
            return None
        if closed is None:
            return None
        if status is not None and status != MEASURE_DONE:
            self.problem(
                line,
                "datum_afgerond",
                f"datum_afgerond ({show_date(closed)}) is ingevuld, maar de status is '{status}'.",
                "Zet de status op afgerond, of maak datum_afgerond leeg.",
            )
        if closed > self.today:
            self.problem(
                line,
                "datum_afgerond",
                f"datum_afgerond ({show_date(closed)}) ligt in de toekomst (na {show_date(self.today)}).",
                "Vul de datum in waarop de maatregel echt is afgerond; een geplande datum hoort hier niet.",
            )
        elif complaint is not None and closed < complaint.received:
            self.problem(
                line,
                "datum_afgerond",
                f"datum_afgerond ({show_date(closed)}) ligt vóór de ontvangst van de klacht "
                f"({show_date(complaint.received)}).",
                "Controleer de datum en de klacht: een maatregel volgt op het leerpunt uit de klacht.",
            )
        elif year is not None and closed.year < year:
            self.problem(
                line,
                "datum_afgerond",
                f"datum_afgerond ({show_date(closed)}) ligt vóór {year}, het jaar van het leerpunt.",
                "Controleer de datum en het jaar.",
            )
        return closed


def _drop_identical(name: str, measures: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """The same measure twice (every column alike) counts once, with a warning per repeat."""
    first_line: dict[tuple, int] = {}
    keep, problems = [], []
    for row in measures.itertuples(index=False):
        content = tuple(None if pd.isna(v) else v for v in row[1:])  # all but `regel`
        keep.append(content not in first_line)
        if content in first_line:
            problems.append(
                Problem(
                    name,
                    f"deze maatregel staat er met precies dezelfde inhoud al op regel {first_line[content]}; "
                    "hij telt één keer.",
                    "Haal de dubbele regel weg.",
                    row=int(row.regel),
                    severity="waarschuwing",
                )
            )
        first_line.setdefault(content, int(row.regel))
    return measures.loc[keep].reset_index(drop=True), problems


def _typed(measures: pd.DataFrame) -> pd.DataFrame:
    if measures.empty:
        return empty_measures()
    return pd.DataFrame(
        {
            "regel": measures["regel"].astype("int64"),
            **{c: measures[c].astype(TEXT) for c in ("team", "leerpunt", "klacht_id")},
            "jaar": measures["jaar"].astype("int64"),
            **{c: measures[c].astype(TEXT) for c in ("maatregel", "eigenaar", "status")},
            "datum_afgerond": pd.to_datetime(measures["datum_afgerond"]).astype(DATE),
        }
    ).reset_index(drop=True)
