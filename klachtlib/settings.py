"""Local settings from `klachten.toml`: how the export is read, aliases, reasons, terms, norms.

Every municipality's case system spells things its own way; the toml file lets the
coordinator describe the export as it comes (shared/spec/register.md, "Exports as they
come") without touching it. Every section and key is checked: an unknown one, or a mapping to
a column that does not exist, is an error naming the line of `klachten.toml` (tomllib gives no
line numbers, so `_TomlLines` finds them by searching the text for the key).
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from klachtlib import behoorlijkheid
from klachtlib.errors import DataError, Problem
from klachtlib.files import read_input_bytes
from klachtlib.vocab import (
    ALLOWED_VALUES,
    CANONICAL_COLUMNS,
    DEFAULT_EXTENSION_WEEKS,
    DEFAULT_TERM_WEEKS,
    MEASURE_COLUMNS,
    MEASURE_STATUSES,
    NORM_COLUMN,
    normalise_key,
)

SETTINGS_FILE = "klachten.toml"
ALL_SHEETS = "alle"
DEFAULT_TIMEZONE = "Europe/Amsterdam"
HEADER_SEARCH_ROWS = 30
LINE_NUMBER_ID = "regelnummer"
HISTORY = "statushistorie"  # [bestand] regels: several rows per klacht_id
KEEP_LAST = "laatste"  # [bestand] dubbel: the last file (or sheet) wins
LABELS = "labels"  # [kolommen] "Tags" = "labels": a cell holds several labels
FILLED = "(ingevuld)"  # [afleiden]: any non-empty value not listed otherwise
EMPTY = "(leeg)"  # [afleiden]: the empty cell (same as "")
PREVENTED = "voorkomen"  # what niet_vastgelegd / vastgelegd may name besides optional columns
SOURCE_KEYS = ("kopregel", "klacht_id", "vast", "kolommen")  # [tabblad."…"] and [bestand."…"]
NORM_KEYS = ("binnen_termijn_procent", "informeel_procent", "gegrond_procent_max")
MAX_INHABITANTS = 100_000_000  # a typo, not a municipality

EXAMPLE_TOML = """\
[kolommen]                     # kopnaam in de export = canonieke kolom
"Zaaknummer" = "klacht_id"

[waarden.status]               # waarde in de export = canonieke waarde
"Ingetrokken door klager" = "ingetrokken"

[redenen]
catalogus = ["De klacht betrof een melding"]

[teams]                        # oude teamnaam = nieuwe teamnaam
"Burgerzaken" = "Publiekszaken"

[termijnen]
behandeltermijn_weken = 6
verdaging_weken = 4
"""

# Section -> its keys (None: free keys, checked by the section's own rules).
KNOWN_SECTIONS: dict[str, tuple[str, ...] | None] = {
    "bestand": (
        "kopregel",
        "tabbladen",
        "datumvolgorde",
        "tijdzone",
        "klacht_id",
        "regels",
        "dubbel",
        "vanaf",
        "niet_vastgelegd",
        "vastgelegd",
    ),  # and [bestand."<file name>"] tables
    "tabblad": None,
    "kolommen": None,
    "afleiden": None,
    "overslaan": None,
    "waarden": None,
    "redenen": ("catalogus",),
    "teams": None,
    "termijnen": ("behandeltermijn_weken", "verdaging_weken"),
    "normen": NORM_KEYS,
    "woo": ("kenmerk_tonen", "minimum"),
    "voorrang": None,
    "standaard": None,
    "organisatie": ("teams",),
    "inwoners": None,  # year = number of inhabitants
    "maatregelen": ("kolommen", "status"),
}
# Columns [standaard] cannot fill: an identifier or a date is never the same for every row.
NO_DEFAULT = ("klacht_id", "datum_ontvangst", "datum_afgehandeld")


@dataclass(frozen=True)
class SkipRule:
    """`[overslaan]`: rows whose `header` column holds one of `values` are not complaints."""

    header: str  # as written in klachten.toml
    values: tuple[str, ...]  # as written; matched with normalise_key
    line: int | None = None  # in klachten.toml

    def label(self, value: str) -> str:
        return f'{self.header} = "{value}"'


@dataclass(frozen=True)
class Derivation:
    """`[afleiden."<header>"]`: one export column fills several canonical columns by value."""

    header: str  # as written in klachten.toml
    values: dict[str, dict[str, str]]  # folded export value ("" = empty cell) -> canonical column -> value
    line: int | None = None  # of the section in klachten.toml
    otherwise: dict[str, str] | None = None  # "(ingevuld)": any non-empty value not listed

    @property
    def columns(self) -> tuple[str, ...]:
        """The canonical columns this derivation fills, in canonical order."""
        filled = {c for targets in self.values.values() for c in targets} | set(self.otherwise or {})
        return tuple(c for c in CANONICAL_COLUMNS if c in filled)

    def targets(self, folded: str) -> dict[str, str] | None:
        """What a folded value ("" for the empty cell) fills; None when it is not listed."""
        if folded in self.values:
            return self.values[folded]
        return self.otherwise if folded else None


@dataclass(frozen=True)
class ColumnMap:
    """`[kolommen]` (or `kolommen` of one sheet or file), keyed by the folded export header."""

    aliases: dict[str, str] = field(default_factory=dict)  # header -> canonical column
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)  # repeated header -> per occurrence
    labels: frozenset[str] = frozenset()  # headers whose cells hold several labels ("labels")
    written: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # header as written, line

    def headers(self) -> set[str]:
        return {*self.aliases, *self.lists, *self.labels}

    def overridden_by(self, other: ColumnMap) -> ColumnMap:
        """This map with `other`'s lines added, replacing lines for the same header."""
        replaced = other.headers()
        return ColumnMap(
            aliases={k: v for k, v in self.aliases.items() if k not in replaced} | other.aliases,
            lists={k: v for k, v in self.lists.items() if k not in replaced} | other.lists,
            labels=frozenset(self.labels - replaced) | other.labels,
            written=self.written | other.written,
        )


@dataclass(frozen=True)
class SourceSettings:
    """`[tabblad."<naam>"]` or `[bestand."<bestandsnaam>"]`: settings for one sheet or file."""

    name: str  # as written in klachten.toml
    header_row: int | None = None
    id_from_line: bool | None = None  # None: as [bestand]
    fixed: dict[str, str] = field(default_factory=dict)  # vast: canonical column -> value
    columns: ColumnMap = field(default_factory=ColumnMap)
    line: int | None = None


@dataclass(frozen=True)
class Settings:
    """Parsed `klachten.toml`; keys of the alias maps are folded with `normalise_key`."""

    header_aliases: dict[str, str] = field(default_factory=dict)
    value_aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    reason_catalogue: tuple[str, ...] = ()
    team_renames: dict[str, str] = field(default_factory=dict)
    term_weeks: int = DEFAULT_TERM_WEEKS
    extension_weeks: int = DEFAULT_EXTENSION_WEEKS
    # [bestand]
    header_row: int | None = None  # 1-based; None: found automatically
    sheets: tuple[str, ...] | None = None  # None: "Klachten", else the first; () : "alle"
    month_first: bool = False
    timezone: str = DEFAULT_TIMEZONE
    id_from_line: bool = False
    # [afleiden] and [overslaan], keyed by the folded export header
    derivations: dict[str, Derivation] = field(default_factory=dict)
    skip_rules: dict[str, SkipRule] = field(default_factory=dict)
    # [normen] (issue 14): only the keys present, as percentages 0-100
    norms: dict[str, float] = field(default_factory=dict)
    # [woo] (issue 15): show klacht_id in the Woo overview, and the minimum number of rows a
    # (team, aard) combination needs before its aard is shown.
    woo_show_id: bool = False
    woo_minimum: int = 1
    # [inwoners] (issue 22): inhabitants per year, for complaints per 10,000 inhabitants
    inhabitants: dict[int, int] = field(default_factory=dict)
    # [maatregelen] (issue 23): headers of maatregelen.csv and spellings of its status, folded keys
    measure_header_aliases: dict[str, str] = field(default_factory=dict)
    measure_status_aliases: dict[str, str] = field(default_factory=dict)
    # "Any export" (register.md): repeated headers and labels columns of [kolommen]
    header_lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    label_headers: frozenset[str] = frozenset()
    history: bool = False  # [bestand] regels = "statushistorie"
    keep_last: bool = False  # [bestand] dubbel = "laatste"
    complete_from: date | None = None  # [bestand] vanaf
    not_recorded: tuple[str, ...] = ()  # [bestand] niet_vastgelegd
    recorded: tuple[str, ...] = ()  # [bestand] vastgelegd
    priority: dict[str, tuple[str, ...]] = field(default_factory=dict)  # [voorrang]: column -> headers
    defaults: dict[str, str] = field(default_factory=dict)  # [standaard]
    fixed: dict[str, str] = field(default_factory=dict)  # vast of the sheet or file being read
    sheet_settings: dict[str, SourceSettings] = field(default_factory=dict)  # folded sheet name
    file_settings: dict[str, SourceSettings] = field(default_factory=dict)  # folded file name
    teams: tuple[str, ...] = ()  # [organisatie] teams: the organisation's own team list

    column_lines: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # [kolommen] as written

    @property
    def column_map(self) -> ColumnMap:
        return ColumnMap(self.header_aliases, self.header_lists, self.label_headers, self.column_lines)

    def for_source(self, file_name: str, sheet: str | None = None) -> Settings:
        """The settings for one file (and sheet): `[bestand."…"]`, then `[tabblad."…"]` applied."""
        result = self
        for own in (
            self.file_settings.get(normalise_key(file_name)),
            self.sheet_settings.get(normalise_key(sheet)) if sheet is not None else None,
        ):
            if own is None:
                continue
            columns = result.column_map.overridden_by(own.columns)
            result = replace(
                result,
                header_aliases=columns.aliases,
                header_lists=columns.lists,
                label_headers=columns.labels,
                column_lines=columns.written,
                header_row=own.header_row if own.header_row is not None else result.header_row,
                id_from_line=own.id_from_line if own.id_from_line is not None else result.id_from_line,
                fixed=result.fixed | own.fixed,
            )
        return result

    def prevented_recorded(self, register_has_prevented: bool) -> bool:
        """Whether the export records prevented complaints (register.md, "Any export")."""
        if PREVENTED in self.not_recorded:
            return False
        return register_has_prevented or PREVENTED in self.recorded

    def reason_rank(self, reason: str) -> int:
        """Position in the catalogue (ties in reason lists follow it); unknown last."""
        keys = [normalise_key(r) for r in self.reason_catalogue]
        key = normalise_key(reason)
        return keys.index(key) if key in keys else len(keys)


class _TomlLines:
    """Line numbers of sections and keys in the toml text, found by searching for them."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def section(self, *path: str) -> int | None:
        """The line of `[a]`, `[a.b]` or `[a."b"]` (names compared folded)."""
        wanted = [normalise_key(p) for p in path]
        prefixed = None
        for number, line in enumerate(self.lines, start=1):
            match = re.match(r"\s*\[\s*([^\[\]]+?)\s*\]", line)
            found = [normalise_key(p) for p in _split_dotted(match.group(1))] if match else []
            if found == wanted:
                return number
            if prefixed is None and found[: len(wanted)] == wanted:
                prefixed = number  # [waarden.status] for the section waarden
        return prefixed

    def key(self, key: str, *section: str) -> int | None:
        """The line of `key = ...` within `section` (else anywhere), falling back to the section."""
        start = (self.section(*section) or 0) if section else 0
        pattern = re.compile(r"\s*(?:\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([A-Za-z0-9_-]+))\s*=")
        for number in range(start + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if section and number > start + 1 and re.match(r"\s*\[", line):
                break
            match = pattern.match(line)
            if match:
                found = next(g for g in match.groups() if g is not None)
                if normalise_key(found) == normalise_key(key) or found == key:
                    return number
        return start or None


def _split_dotted(name: str) -> list[str]:
    return [part.strip().strip('"').strip("'") for part in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', name)]


def load_settings(data_dir: Path) -> Settings:
    """Read `<data_dir>/klachten.toml`; defaults when absent; DataError when malformed."""
    path = Path(data_dir) / SETTINGS_FILE
    data, problem = read_input_bytes(path, optional=True)
    if problem is not None:
        raise DataError([problem])
    if data is None:
        return Settings()
    name = str(path)
    try:
        text = data.decode("utf-8-sig")
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(
            [
                Problem(
                    name,
                    f"het bestand is geen geldige TOML ({exc}).",
                    "Controleer aanhalingstekens en [kopjes]; zie de README voor een voorbeeld.",
                )
            ]
        ) from None
    reader = _SettingsReader(name, raw, _TomlLines(text))
    settings = reader.settings()
    if reader.problems:
        raise DataError(sorted(reader.problems, key=lambda p: p.row or 0))
    return settings


class _SettingsReader:
    """Checks every section and key of the parsed toml, collecting problems with their lines."""

    def __init__(self, name: str, raw: dict, lines: _TomlLines) -> None:
        self.name, self.raw, self.lines = name, raw, lines
        self.problems: list[Problem] = []

    def problem(self, message: str, hint: str, line: int | None, column: str | None = None) -> None:
        self.problems.append(Problem(self.name, message, hint, row=line, column=column))

    def table(self, key: str) -> dict:
        value = self.raw.get(key, {})
        if not isinstance(value, dict):
            self.problem(f"[{key}] moet een tabel zijn.", f"Voorbeeld:\n{EXAMPLE_TOML}", self.lines.key(key))
            return {}
        known = KNOWN_SECTIONS[key]
        if known is not None:
            # [bestand."<file name>"] is a table inside [bestand]: checked by `source_settings`
            files = {k for k, v in value.items() if isinstance(v, dict)} if key == "bestand" else set()
            for unknown in (k for k in value if k not in known and k not in files):
                self.problem(
                    f"onbekende instelling '{unknown}' in [{key}].",
                    f"Toegestaan in [{key}]: {', '.join(known)}. Controleer de spelling.",
                    self.lines.key(unknown, key),
                    column=key,
                )
        return value

    def settings(self) -> Settings:
        for unknown in (k for k in self.raw if k not in KNOWN_SECTIONS):
            self.problem(
                f"onbekend onderdeel [{unknown}].",
                "Toegestane onderdelen: "
                + ", ".join(f"[{s}]" for s in KNOWN_SECTIONS)
                + ". Controleer de spelling.",
                self.lines.section(unknown) or self.lines.key(unknown),
            )
        header_row, sheets, month_first, timezone, id_from_line = self.file_settings()
        structure = self.structure(id_from_line)
        derivations = self.derivations()
        columns = self.column_map(self.table("kolommen"), "kolommen")
        self.check_labels(self.table("kolommen"), columns, derivations, "kolommen")
        term_weeks, extension_weeks = self.terms()
        woo_show_id, woo_minimum = self.woo()
        sheet_settings = self.source_settings("tabblad", self.table("tabblad"), derivations)
        files = {k: v for k, v in self.raw.get("bestand", {}).items() if isinstance(v, dict)}
        file_settings = self.source_settings("bestand", files, derivations)
        measure_headers, measure_statuses = self.measures()
        return Settings(
            header_aliases=columns.aliases,
            header_lists=columns.lists,
            label_headers=columns.labels,
            column_lines=columns.written,
            priority=self.priority(),
            defaults=self.defaults(structure["not_recorded"]),
            sheet_settings=sheet_settings,
            file_settings=file_settings,
            teams=self.organisation_teams(),
            **structure,
            value_aliases=self.value_aliases(),
            reason_catalogue=self.catalogue(),
            team_renames=self.team_renames(),
            term_weeks=term_weeks,
            extension_weeks=extension_weeks,
            header_row=header_row,
            sheets=sheets,
            month_first=month_first,
            timezone=timezone,
            id_from_line=id_from_line,
            derivations=derivations,
            skip_rules=self.skip_rules(),
            norms=self.norms(),
            woo_show_id=woo_show_id,
            woo_minimum=woo_minimum,
            inhabitants=self.inhabitants(),
            measure_header_aliases=measure_headers,
            measure_status_aliases=measure_statuses,
        )

    # --- [bestand]

    def file_settings(self) -> tuple[int | None, tuple[str, ...] | None, bool, str, bool]:
        section = self.table("bestand")
        where = lambda key: self.lines.key(key, "bestand")  # noqa: E731
        header_row = section.get("kopregel")
        if header_row is not None and (
            not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1
        ):
            self.problem(
                f"[bestand] kopregel moet een regelnummer zijn (1 of hoger), niet '{header_row}'.",
                "Bijvoorbeeld: kopregel = 4 (de kopregel staat op regel 4), of laat de regel weg: "
                f"dan wordt de kopregel in de eerste {HEADER_SEARCH_ROWS} regels gezocht.",
                where("kopregel"),
            )
            header_row = None
        sheets_value = section.get("tabbladen")
        sheets: tuple[str, ...] | None = None
        if isinstance(sheets_value, str) and normalise_key(sheets_value) == ALL_SHEETS:
            sheets = ()
        elif isinstance(sheets_value, str) and sheets_value.strip():
            sheets = (sheets_value.strip(),)
        elif (
            isinstance(sheets_value, list)
            and sheets_value
            and all(isinstance(s, str) and s.strip() for s in sheets_value)
        ):
            sheets = tuple(s.strip() for s in sheets_value)
        elif sheets_value is not None:
            self.problem(
                '[bestand] tabbladen moet een naam, een lijst met namen of "alle" zijn.',
                'Bijvoorbeeld: tabbladen = "Klachten", tabbladen = ["2023", "2024"] of tabbladen = "alle"',
                where("tabbladen"),
            )
        order = section.get("datumvolgorde", "dag-maand")
        if order not in ("dag-maand", "maand-dag"):
            self.problem(
                f'[bestand] datumvolgorde moet "dag-maand" of "maand-dag" zijn, niet \'{order}\'.',
                'Gebruik datumvolgorde = "maand-dag" als 4/2/2024 in de export 2 april betekent.',
                where("datumvolgorde"),
            )
            order = "dag-maand"
        timezone = section.get("tijdzone", DEFAULT_TIMEZONE)
        try:
            if not isinstance(timezone, str) or not timezone:
                raise ValueError
            ZoneInfo(timezone)
        except (ValueError, ZoneInfoNotFoundError):
            self.problem(
                f"[bestand] tijdzone '{timezone}' is geen bekende tijdzone.",
                f'Gebruik een naam uit de tijdzonedatabase, bijvoorbeeld tijdzone = "{DEFAULT_TIMEZONE}".',
                where("tijdzone"),
            )
            timezone = DEFAULT_TIMEZONE
        id_value = section.get("klacht_id")
        if id_value is not None and id_value != LINE_NUMBER_ID:
            self.problem(
                f"[bestand] klacht_id kan alleen \"{LINE_NUMBER_ID}\" zijn, niet '{id_value}'.",
                f'Gebruik klacht_id = "{LINE_NUMBER_ID}" voor een export zonder kenmerk; koppel een kolom '
                'met een kenmerk onder [kolommen], bijvoorbeeld "Zaaknummer" = "klacht_id".',
                where("klacht_id"),
            )
        return header_row, sheets, order == "maand-dag", timezone, id_value == LINE_NUMBER_ID

    def structure(self, id_from_line: bool) -> dict:
        """`regels`, `dubbel`, `vanaf`, `niet_vastgelegd` and `vastgelegd` of [bestand]."""
        section = self.raw.get("bestand", {})
        section = section if isinstance(section, dict) else {}
        where = lambda key: self.lines.key(key, "bestand")  # noqa: E731
        rows = section.get("regels")
        if rows is not None and rows != HISTORY:
            self.problem(
                f"[bestand] regels kan alleen \"{HISTORY}\" zijn, niet '{rows}'.",
                f'Gebruik regels = "{HISTORY}" voor een export met een regel per statuswijziging; '
                "laat de regel weg als elke klacht één regel heeft.",
                where("regels"),
            )
        elif rows == HISTORY and id_from_line:
            self.problem(
                f'[bestand] regels = "{HISTORY}" kan niet samen met klacht_id = "{LINE_NUMBER_ID}": de '
                "regels van een klacht horen bij elkaar door hun kenmerk.",
                'Koppel de kolom met het kenmerk onder [kolommen], bijvoorbeeld "Zaaknummer" = "klacht_id".',
                where("regels"),
            )
        duplicates = section.get("dubbel", "fout")
        if duplicates not in ("fout", KEEP_LAST):
            self.problem(
                f'[bestand] dubbel moet "fout" of "{KEEP_LAST}" zijn, niet \'{duplicates}\'.',
                f'Gebruik dubbel = "{KEEP_LAST}" als exports elkaar overlappen: dan telt de regel uit het '
                "bestand dat in naamvolgorde het laatst komt.",
                where("dubbel"),
            )
        start = section.get("vanaf")
        if isinstance(start, str):
            with contextlib.suppress(ValueError):
                start = date.fromisoformat(start.strip())
        if start is not None and (not isinstance(start, date) or not 1900 <= start.year <= 2100):
            self.problem(
                f"[bestand] vanaf moet een datum zijn, niet '{start}'.",
                "Bijvoorbeeld: vanaf = 2023-01-01 (het register is volledig vanaf die datum).",
                where("vanaf"),
            )
            start = None
        optional = [c for c in CANONICAL_COLUMNS if c not in ("klacht_id", "datum_ontvangst", "status")]
        lists = {}
        for key, allowed in (("niet_vastgelegd", (PREVENTED, *optional)), ("vastgelegd", (PREVENTED,))):
            value = section.get(key, [])
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
                hint = f"Toegestaan: {', '.join(allowed)}."
                if key == "vastgelegd":
                    hint += " Dat een kolom is vastgelegd, zegt u met [standaard], bijvoorbeeld "
                    hint += 'ombudsman = "nee".'
                what = "voorkomen of optionele kolommen" if len(allowed) > 1 else "voorkomen"
                self.problem(
                    f"[bestand] {key} moet een lijst zijn met {what}.",
                    hint,
                    where(key),
                )
                value = []
            lists[key] = tuple(value)
        if set(lists["niet_vastgelegd"]) & set(lists["vastgelegd"]):
            self.problem(
                "[bestand] noemt voorkomen zowel onder niet_vastgelegd als onder vastgelegd.",
                "Kies één van beide.",
                where("vastgelegd"),
            )
        return {
            "history": rows == HISTORY,
            "keep_last": duplicates == KEEP_LAST,
            "complete_from": start if isinstance(start, date) else None,
            "not_recorded": lists["niet_vastgelegd"],
            "recorded": lists["vastgelegd"],
        }

    def priority(self) -> dict[str, tuple[str, ...]]:
        """`[voorrang]`: per canonical column, the export columns in the order they win."""
        result = {}
        for column, headers in self.table("voorrang").items():
            line = self.lines.key(column, "voorrang")
            if column not in CANONICAL_COLUMNS:
                self.problem(
                    f"[voorrang] noemt onbekende kolom '{column}'.",
                    f"Toegestane kolommen: {', '.join(CANONICAL_COLUMNS)}.",
                    line,
                    column="voorrang",
                )
            elif (
                not isinstance(headers, list)
                or len(headers) < 2
                or not all(isinstance(h, str) and h.strip() for h in headers)
                or len({normalise_key(h) for h in headers}) < len(headers)
            ):
                self.problem(
                    f"[voorrang] {column} moet een lijst van minstens twee verschillende kopnamen uit de "
                    "export zijn.",
                    f'Bijvoorbeeld: {column} = ["Subcategorie", "Afhandeling"] (de eerste die een waarde '
                    "geeft, telt).",
                    line,
                    column="voorrang",
                )
            else:
                result[column] = tuple(h.strip() for h in headers)
        return result

    def fixed_values(self, table: object, what: str, line: int | None, section: str) -> dict[str, str]:
        """Canonical column -> one value, checked against the vocabulary ([standaard], vast)."""
        if not isinstance(table, dict):
            self.problem(
                f"{what} moet per kolom een waarde geven.",
                'Bijvoorbeeld: { ombudsman = "nee" }',
                line,
                column=section,
            )
            return {}
        result = {}
        for column, value in table.items():
            if column not in CANONICAL_COLUMNS or column in NO_DEFAULT:
                usable = [c for c in CANONICAL_COLUMNS if c not in NO_DEFAULT]
                self.problem(
                    f"{what}: '{column}' kan geen vaste waarde krijgen.",
                    f"Mogelijk: {', '.join(usable)}.",
                    line,
                    column=section,
                )
            elif not isinstance(value, str) or not value.strip():
                self.problem(
                    f"{what}: de waarde voor {column} moet tekst zijn.",
                    f'Zet de waarde tussen aanhalingstekens, bijvoorbeeld {column} = "..."',
                    line,
                    column=section,
                )
            elif column in ALLOWED_VALUES and value not in ALLOWED_VALUES[column]:
                self.problem(
                    f"{what}: '{value}' is geen toegestane waarde voor {column}.",
                    f"Toegestaan: {', '.join(ALLOWED_VALUES[column])}.",
                    line,
                    column=section,
                )
            else:
                result[column] = value.strip()
        return result

    def defaults(self, not_recorded: tuple[str, ...]) -> dict[str, str]:
        """`[standaard]`: a column's value where nothing fills it."""
        table = self.table("standaard")
        result: dict[str, str] = {}
        for column, value in table.items():
            line = self.lines.key(column, "standaard")
            checked = self.fixed_values({column: value}, "[standaard]", line, "standaard")
            if column in not_recorded and checked:
                self.problem(
                    f"[standaard] geeft {column} een waarde, maar [bestand] niet_vastgelegd noemt {column}.",
                    "Kies één van beide.",
                    self.lines.key(column, "standaard"),
                    column="standaard",
                )
                continue
            result |= checked
        return result

    def source_settings(
        self, section: str, tables: dict, derivations: dict[str, Derivation]
    ) -> dict[str, SourceSettings]:
        """`[tabblad."<naam>"]` or `[bestand."<bestandsnaam>"]`: kopregel, klacht_id, vast, kolommen."""
        result = {}
        what = "tabblad" if section == "tabblad" else "bestand"
        for name, table in tables.items():
            line = self.lines.section(section, name)
            label = f'[{section}."{name}"]'
            if not isinstance(table, dict) or not str(name).strip():
                self.problem(
                    f"{label} moet een tabel met instellingen zijn.",
                    f'Bijvoorbeeld:\n[{section}."Voorkomen klachten"]\nkopregel = 3\n'
                    'vast = { status = "voorkomen" }',
                    line,
                    column=section,
                )
                continue
            for unknown in (k for k in table if k not in SOURCE_KEYS):
                self.problem(
                    f"onbekende instelling '{unknown}' in {label}.",
                    f"Toegestaan per {what}: {', '.join(SOURCE_KEYS)}. Controleer de spelling.",
                    self.lines.key(unknown, section, name),
                    column=section,
                )
            header_row = table.get("kopregel")
            if header_row is not None and (
                not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1
            ):
                self.problem(
                    f"{label} kopregel moet een regelnummer zijn (1 of hoger), niet '{header_row}'.",
                    "Bijvoorbeeld: kopregel = 3",
                    self.lines.key("kopregel", section, name),
                    column=section,
                )
                header_row = None
            id_value = table.get("klacht_id")
            if id_value is not None and id_value != LINE_NUMBER_ID:
                self.problem(
                    f"{label} klacht_id kan alleen \"{LINE_NUMBER_ID}\" zijn, niet '{id_value}'.",
                    "Koppel een kolom met een kenmerk onder kolommen, bijvoorbeeld "
                    'kolommen = { "Nummer" = "klacht_id" }.',
                    self.lines.key("klacht_id", section, name),
                    column=section,
                )
                id_value = None
            columns_table = table.get("kolommen", {})
            if not isinstance(columns_table, dict):
                self.problem(
                    f"{label} kolommen moet per kopnaam een kolom geven.",
                    'Bijvoorbeeld: kolommen = { "Afdeling" = "team" }',
                    self.lines.key("kolommen", section, name),
                    column=section,
                )
                columns_table = {}
            columns = self.column_map(columns_table, section, (section, name))
            self.check_labels(columns_table, columns, derivations, section, name)
            fixed = self.fixed_values(
                table.get("vast", {}), f"{label} vast", self.lines.key("vast", section, name), section
            )
            result[normalise_key(name)] = SourceSettings(
                name=str(name).strip(),
                header_row=header_row,
                id_from_line=True if id_value == LINE_NUMBER_ID else None,
                fixed=fixed,
                columns=columns,
                line=line,
            )
        return result

    def organisation_teams(self) -> tuple[str, ...]:
        """`[organisatie] teams`: the organisation's own team list (optional)."""
        teams = self.table("organisatie").get("teams", [])
        folded = (
            [normalise_key(t) for t in teams]
            if isinstance(teams, list) and all(isinstance(t, str) for t in teams)
            else None
        )
        if folded is None or not all(folded) or len(set(folded)) < len(folded):
            self.problem(
                "[organisatie] teams moet een lijst met verschillende teamnamen zijn.",
                'Bijvoorbeeld: teams = ["Publiekszaken", "Belastingen", "Openbare ruimte"]',
                self.lines.key("teams", "organisatie"),
                column="organisatie",
            )
            return ()
        return tuple(t.strip() for t in teams)

    # --- [kolommen], [afleiden], [overslaan]

    def column_map(self, table: dict, section: str, where: tuple[str, ...] = ()) -> ColumnMap:
        """`[kolommen]` (or a sheet's `kolommen`): a header to a canonical column, to a list of
        canonical columns (a header that occurs more than once; "" leaves one unread), or "labels"."""
        where = where or (section,)
        aliases: dict[str, str] = {}
        lists: dict[str, tuple[str, ...]] = {}
        labels: set[str] = set()
        written: dict[str, tuple[str, int | None]] = {}
        allowed = f'Toegestane kolommen: {", ".join(CANONICAL_COLUMNS)}, of "{LABELS}".'
        for alias, canonical in table.items():
            line = self.lines.key(alias, *where)
            if not str(alias).strip():
                self.problem(
                    f"een lege kopnaam in [{section}] heeft geen betekenis.",
                    "Schrijf de kopnaam uit de export links van het =-teken, bijvoorbeeld "
                    '"Zaaknummer" = "klacht_id".',
                    line,
                    column=section,
                )
                continue
            key = normalise_key(alias)
            written[key] = (str(alias).strip(), line)
            if isinstance(canonical, list):
                if (
                    len(canonical) < 2
                    or not all(c == "" or c in CANONICAL_COLUMNS for c in canonical)
                    or not any(canonical)
                ):
                    self.problem(
                        f"de lijst bij '{alias}' in [{section}] moet per keer dat de kopnaam voorkomt een "
                        'kolom noemen ("" voor: niet lezen), en minstens twee keer.',
                        f'Bijvoorbeeld: "{alias}" = ["datum_ontvangst", "datum_afgehandeld"]. {allowed}',
                        line,
                        column=section,
                    )
                    continue
                lists[key] = tuple(canonical)
            elif canonical == LABELS:
                labels.add(key)
            elif canonical not in CANONICAL_COLUMNS:
                self.problem(
                    f"alias '{alias}' verwijst naar onbekende kolom '{canonical}'.",
                    allowed,
                    line,
                    column=section,
                )
            else:
                aliases[key] = canonical
        return ColumnMap(aliases, lists, frozenset(labels), written)

    def check_labels(
        self, table: dict, columns: ColumnMap, derivations: dict[str, Derivation], *where: str
    ) -> None:
        """A labels column means nothing without `[afleiden."<kopnaam>"]` saying what each label fills."""
        for header in (h for h in table if normalise_key(h) in columns.labels - set(derivations)):
            self.problem(
                f"de kolom '{header}' is een labelkolom, maar [afleiden.\"{header}\"] ontbreekt.",
                f'Zeg per label wat het vult, bijvoorbeeld:\n[afleiden."{header}"]\n'
                '"formeel" = { behandeling = "formeel" }',
                self.lines.key(header, *where),
                column=where[0],
            )

    def derivations(self) -> dict[str, Derivation]:
        result: dict[str, Derivation] = {}
        for header, mapping in self.table("afleiden").items():
            line = self.lines.section("afleiden", header)
            example = f'[afleiden."{header}"]\n"Gegrond" = {{ status = "afgehandeld", oordeel = "gegrond" }}'
            if not isinstance(mapping, dict) or not str(header).strip():
                self.problem(
                    f'[afleiden."{header}"] moet per waarde een tabel met kolommen geven.',
                    f"Voorbeeld:\n{example}",
                    line,
                    column="afleiden",
                )
                continue
            values: dict[str, dict[str, str]] = {}
            otherwise: dict[str, str] | None = None
            for value, targets in mapping.items():
                value_line = self.lines.key(value, "afleiden", header)
                if not isinstance(targets, dict):  # { } is allowed: the value fills nothing
                    self.problem(
                        f"in [afleiden.\"{header}\"] moet '{value}' een tabel met kolommen en waarden zijn.",
                        f"Voorbeeld:\n{example}",
                        value_line,
                        column="afleiden",
                    )
                    continue
                checked = {}
                for column, target in targets.items():
                    if column not in CANONICAL_COLUMNS:
                        self.problem(
                            f"[afleiden.\"{header}\"] '{value}' vult onbekende kolom '{column}'.",
                            f"Toegestane kolommen: {', '.join(CANONICAL_COLUMNS)}.",
                            value_line,
                            column="afleiden",
                        )
                    elif not isinstance(target, str):
                        self.problem(
                            f"[afleiden.\"{header}\"] '{value}': de waarde voor {column} moet tekst zijn.",
                            f'Zet de waarde tussen aanhalingstekens, bijvoorbeeld {column} = "..."',
                            value_line,
                            column="afleiden",
                        )
                    elif column in ALLOWED_VALUES and target and target not in ALLOWED_VALUES[column]:
                        self.problem(
                            f"[afleiden.\"{header}\"] '{value}': '{target}' is geen toegestane waarde "
                            f"voor {column}.",
                            f"Toegestaan: {', '.join(ALLOWED_VALUES[column])}.",
                            value_line,
                            column="afleiden",
                        )
                    else:
                        checked[column] = target
                folded = "" if value.strip() == EMPTY else normalise_key(value)
                if value.strip() == FILLED:
                    otherwise = checked
                elif folded in values:
                    self.problem(
                        f'in [afleiden."{header}"] staat \'{value}\' twee keer ("" en "{EMPTY}" zijn '
                        "allebei de lege cel).",
                        "Houd één van beide regels.",
                        value_line,
                        column="afleiden",
                    )
                else:
                    values[folded] = checked
            result[normalise_key(header)] = Derivation(
                header=str(header).strip(), values=values, line=line, otherwise=otherwise
            )
        return result

    def skip_rules(self) -> dict[str, SkipRule]:
        rules: dict[str, SkipRule] = {}
        for header, values in self.table("overslaan").items():
            line = self.lines.key(header, "overslaan")
            if isinstance(values, str):
                values = [values]
            if (
                not str(header).strip()
                or not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) for v in values)
            ):
                self.problem(
                    f"[overslaan] '{header}' moet een kopnaam uit de export met een lijst waarden zijn.",
                    'Bijvoorbeeld: "Zaaktype" = ["Compliment", "Melding openbare ruimte"]',
                    line,
                    column="overslaan",
                )
                continue
            rules[normalise_key(header)] = SkipRule(
                header=str(header).strip(), values=tuple(values), line=line
            )
        return rules

    # --- [waarden], [redenen], [teams]

    def value_aliases(self) -> dict[str, dict[str, str]]:
        aliases: dict[str, dict[str, str]] = {}
        for column, mapping in self.table("waarden").items():
            line = self.lines.section("waarden", column) or self.lines.key(column, "waarden")
            if column not in CANONICAL_COLUMNS or not isinstance(mapping, dict):
                self.problem(
                    f"[waarden.{column}] hoort bij geen canonieke kolom.",
                    f"Gebruik een van: {', '.join(CANONICAL_COLUMNS)}.",
                    line,
                    column="waarden",
                )
                continue
            checked = {}
            for value, target in mapping.items():
                value_line = self.lines.key(value, "waarden", column)
                if not str(value).strip():
                    self.problem(
                        f'in [waarden.{column}] heeft "" links van het =-teken geen betekenis: een lege '
                        "cel is geen waarde.",
                        "Haal de regel weg; een lege cel betekent al 'niet vastgelegd'.",
                        value_line,
                        column="waarden",
                    )
                elif not isinstance(target, str):
                    self.problem(
                        f"in [waarden.{column}] moet '{value}' naar tekst verwijzen.",
                        f'Bijvoorbeeld: "{value}" = "..." (of "" voor: niet vastgelegd).',
                        value_line,
                        column="waarden",
                    )
                elif column == NORM_COLUMN and target and behoorlijkheid.read_cell(target)[1]:
                    self.problem(
                        f"in [waarden.{column}] is '{target}' geen behoorlijkheidsnorm.",
                        "Verwijs naar de naam of het nummer van een of meer van de 22 normen (gescheiden "
                        f'door ;), of "" voor: niet vastgelegd. De normen: {behoorlijkheid.allowed_text()}.',
                        value_line,
                        column="waarden",
                    )
                elif (
                    column in ALLOWED_VALUES
                    and target
                    and normalise_key(target) not in {normalise_key(a) for a in ALLOWED_VALUES[column]}
                ):
                    self.problem(
                        f"in [waarden.{column}] is '{target}' geen toegestane waarde voor {column}.",
                        f'Toegestaan: {", ".join(ALLOWED_VALUES[column])}, of "" voor: niet vastgelegd.',
                        value_line,
                        column="waarden",
                    )
                else:
                    checked[normalise_key(value)] = target
            aliases[column] = checked
        return aliases

    def catalogue(self) -> tuple[str, ...]:
        catalogue = self.table("redenen").get("catalogus", [])
        if not isinstance(catalogue, list) or not all(isinstance(r, str) and r.strip() for r in catalogue):
            self.problem(
                "[redenen] catalogus moet een lijst met zinnen zijn.",
                'Voorbeeld: catalogus = ["De klacht betrof een melding"]',
                self.lines.key("catalogus", "redenen"),
            )
            return ()
        return tuple(r.strip() for r in catalogue)

    def team_renames(self) -> dict[str, str]:
        renames = {}
        for old, new in self.table("teams").items():
            if not str(old).strip() or not isinstance(new, str) or not new.strip():
                self.problem(
                    f"in [teams] moet '{old}' = '{new}' twee teamnamen geven; een lege naam heeft "
                    "geen betekenis.",
                    'Bijvoorbeeld: "Burgerzaken" = "Publiekszaken" (oude naam = nieuwe naam).',
                    self.lines.key(old, "teams"),
                    column="teams",
                )
                continue
            renames[str(old).strip()] = new.strip()
        return renames

    # --- [termijnen], [normen], [woo]

    def terms(self) -> tuple[int, int]:
        terms = self.table("termijnen")
        found = []
        for key, default in (
            ("behandeltermijn_weken", DEFAULT_TERM_WEEKS),
            ("verdaging_weken", DEFAULT_EXTENSION_WEEKS),
        ):
            value = terms.get(key, default)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                self.problem(
                    f"[termijnen] {key} moet een heel aantal weken zijn, niet '{value}'.",
                    f"Bijvoorbeeld: {key} = {default}",
                    self.lines.key(key, "termijnen"),
                )
                value = default
            found.append(value)
        return found[0], found[1]

    def norms(self) -> dict[str, float]:
        norms = {}
        for key, value in self.table("normen").items():
            if key not in NORM_KEYS:
                continue  # reported by `table`
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
                self.problem(
                    f"[normen] {key} moet een percentage van 0 tot en met 100 zijn, niet '{value}'.",
                    f"Bijvoorbeeld: {key} = 90",
                    self.lines.key(key, "normen"),
                )
                continue
            norms[key] = float(value)
        return norms

    def woo(self) -> tuple[bool, int]:
        section = self.table("woo")
        show = section.get("kenmerk_tonen", False)
        if not isinstance(show, bool):
            self.problem(
                f"[woo] kenmerk_tonen moet true of false zijn, niet '{show}'.",
                "Bijvoorbeeld: kenmerk_tonen = false",
                self.lines.key("kenmerk_tonen", "woo"),
            )
            show = False
        minimum = section.get("minimum", 1)
        if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
            self.problem(
                f"[woo] minimum moet een heel getal van 1 of meer zijn, niet '{minimum}'.",
                "Bijvoorbeeld: minimum = 5",
                self.lines.key("minimum", "woo"),
            )
            minimum = 1
        return show, minimum

    # --- [inwoners]

    def inhabitants(self) -> dict[int, int]:
        found = {}
        for year, count in self.table("inwoners").items():
            line = self.lines.key(str(year), "inwoners")
            if not re.fullmatch(r"\d{4}", str(year).strip(), re.ASCII):
                self.problem(
                    f"[inwoners] '{year}' is geen jaartal.",
                    "Schrijf per jaar het aantal inwoners, bijvoorbeeld: 2024 = 34512",
                    line,
                    column="inwoners",
                )
            elif isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_INHABITANTS:
                self.problem(
                    f"[inwoners] {year} moet een aantal inwoners zijn (een heel getal groter dan 0), "
                    f"niet '{count}'.",
                    f"Bijvoorbeeld: {year} = 34512 (zonder punt of spatie tussen de cijfers).",
                    line,
                    column="inwoners",
                )
            else:
                found[int(year)] = count
        return dict(sorted(found.items()))

    # --- [maatregelen]

    def measures(self) -> tuple[dict[str, str], dict[str, str]]:
        """`[maatregelen.kolommen]` (header in maatregelen.csv = column) and `[maatregelen.status]`
        (a spelling = open, in uitvoering or afgerond); keys folded like every alias."""
        section = self.table("maatregelen")
        found: list[dict[str, str]] = []
        for key, allowed, example, what in (
            ("kolommen", MEASURE_COLUMNS, '"Verbetermaatregel" = "maatregel"', "kolom van maatregelen.csv"),
            ("status", MEASURE_STATUSES, '"Gereed" = "afgerond"', "status van een maatregel"),
        ):
            mapping = section.get(key, {})
            checked: dict[str, str] = {}
            if not isinstance(mapping, dict):
                self.problem(
                    f"[maatregelen.{key}] moet een tabel zijn.",
                    f"Bijvoorbeeld:\n[maatregelen.{key}]\n{example}",
                    self.lines.section("maatregelen", key) or self.lines.key(key, "maatregelen"),
                    column="maatregelen",
                )
                mapping = {}
            for name, target in mapping.items():
                line = self.lines.key(name, "maatregelen", key)
                if not str(name).strip() or not isinstance(target, str) or target not in allowed:
                    self.problem(
                        f"in [maatregelen.{key}] verwijst '{name}' naar '{target}'; dat is geen {what}.",
                        f"Toegestaan: {', '.join(allowed)}. Bijvoorbeeld: {example}",
                        line,
                        column="maatregelen",
                    )
                    continue
                checked[normalise_key(name)] = target
            found.append(checked)
        return found[0], found[1]
