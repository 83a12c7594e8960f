"""Read and check the register files of the data folder: one row per complaint.

Forgiving about form (separator, encoding, header row, sheets, date format, Excel cells) and
strict about meaning (closed vocabularies, required values, dates in order), as
shared/spec/register.md demands, including "Exports as they come": the header found in the
first rows or set with `[bestand] kopregel`, `[kolommen]` mappings winning over recognised
headers, `[afleiden]` filling several columns from one, `[overslaan]` rows counted per rule.
Every problem of every file is collected before anything is raised. Only the columns a
report needs are read past the header: every other column may hold personal data, so it
never enters a DataFrame or an error message (an `[afleiden]` or `[overslaan]` column is read
only for that purpose, then dropped).

Getting text cells out of a file is `tabular`, values one distinct value at a time `values`,
dates `dates`, contact volumes `contacts`: each a concern of its own, so this module holds the
register's rules, each in one place (hand-written checks on the distinct values; pandera
describes the finished register, `REGISTER_SCHEMA`, for every module that relies on it).
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from klachtlib import behoorlijkheid, vocab
from klachtlib.comparison import COMPARISON_FILE, empty_comparison, load_comparison
from klachtlib.contacts import CONTACT_COLUMNS, CONTACTS_FILE, load_contacts
from klachtlib.dates import DATE, parse_dates, show_date
from klachtlib.errors import DataError, Problem
from klachtlib.measures import load_measures
from klachtlib.settings import HEADER_SEARCH_ROWS, SETTINGS_FILE, Settings, load_settings
from klachtlib.tabular import TEXT, Selection, Source, collect_cells, doubly_claimed, file_sources
from klachtlib.values import (
    LONGEST,
    LONGEST_BY_COLUMN,
    alias_hint,
    aliased,
    canonical_values,
    cleaned,
    distinct,
    from_distinct,
    is_coded,
    map_distinct,
    reason_key,
    renamed_teams,
    suggestion,
    toml_string,
)
from klachtlib.vocab import normalise_key

if TYPE_CHECKING:
    import pandera.pandas as pa

# pandera (about 0.3 s to import) and openpyxl (in `tabular`) are imported when first needed:
# `REGISTER_SCHEMA` is built on first use (module `__getattr__`). `parse_dates` is re-exported.

__all__ = [
    "CONTACT_COLUMNS",
    "CONTACTS_FILE",
    "DataFolder",
    "load_data_folder",
    "parse_dates",
    "read_contacts",
]

REGISTER_PREFIX = "klachtenregister"
REGISTER_SUFFIXES = (".csv", ".xlsx")
DATE_EXAMPLES = "2024-03-05, 5-3-2024 of 5 maart 2024"
DERIVED = "afleiden:"  # prefix of a kept [afleiden] column, before it fills the canonical ones


def _register_schema() -> pa.DataFrameSchema:
    """The checked register, as every other module may rely on it (`REGISTER_SCHEMA`)."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "klacht_id": pa.Column(str, unique=True),
            "datum_ontvangst": pa.Column(DATE),
            "status": pa.Column(str, pa.Check.isin(vocab.STATUSES)),
            "team": pa.Column(str, nullable=True),
            "reden": pa.Column(str, nullable=True),
            "behandeling": pa.Column(str, pa.Check.isin(vocab.TREATMENTS), nullable=True),
            "oordeel": pa.Column(str, pa.Check.isin(vocab.VERDICTS), nullable=True),
            "datum_afgehandeld": pa.Column(DATE, nullable=True),
            "verdaagd": pa.Column("boolean", nullable=True),
            "kanaal": pa.Column(str, pa.Check.isin(vocab.CHANNELS), nullable=True),
            "aard": pa.Column(str, nullable=True),
            "leerpunt": pa.Column(str, nullable=True),
            "ombudsman": pa.Column("boolean", nullable=True),
            "ombudsman_uitkomst": pa.Column(str, pa.Check.isin(vocab.OMBUDSMAN_OUTCOMES), nullable=True),
            "behoorlijkheidsnorm": pa.Column(str, nullable=True),
        },
        strict=True,
        ordered=True,
    )


def __getattr__(name: str):
    if name == "REGISTER_SCHEMA":  # built once, on first use
        schema = globals()["REGISTER_SCHEMA"] = _register_schema()
        return schema
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_EXAMPLE_HEADERS = {"klacht_id": "Zaaknummer", "datum_ontvangst": "Datum binnenkomst", "status": "Fase"}

_REQUIRED_VALUE_TEXT = {
    "klacht_id": ("klacht_id is leeg.", "Geef elke regel een eigen klacht_id, bijvoorbeeld het zaaknummer."),
    "datum_ontvangst": (
        "datum_ontvangst is leeg; een klacht hoort bij het jaar waarin hij is ontvangen.",
        f"Vul de datum van ontvangst in, bijvoorbeeld {DATE_EXAMPLES}.",
    ),
    "status": ("status is leeg.", f"Vul een van deze statussen in: {', '.join(vocab.STATUSES)}."),
}


@dataclass(frozen=True)
class DataFolder:
    """Everything a report needs from the data folder, checked together.

    `skipped`: rows left out by `[overslaan]`, per rule (`Zaaktype = "Compliment"`);
    `unread_columns`: export headers that were not read (each once, in order of appearance);
    `unread_sheets`: workbook sheets that were not read, with the reason. `klachten validate`
    prints them (`reading_notes`). `measures`: `maatregelen.csv` as checked measures
    (`klachtlib.measures`), None when the folder has no such file: then nothing is claimed.
    """

    register: pd.DataFrame
    contacts: pd.DataFrame
    settings: Settings
    warnings: list[Problem]
    skipped: dict[str, int] = field(default_factory=dict)
    unread_columns: tuple[str, ...] = ()
    unread_sheets: tuple[str, ...] = ()
    comparison: pd.DataFrame = field(default_factory=empty_comparison)  # vergelijking.csv (issue 22)
    measures: pd.DataFrame | None = None  # maatregelen.csv (issue 23); None: no such file

    def reading_notes(self) -> list[str]:
        """What the reader left out, in Dutch, for `klachten validate`."""
        notes = []
        if self.skipped:
            notes.append("Overgeslagen regels ([overslaan] in klachten.toml):")
            notes += [f"- {rule}: {count}" for rule, count in self.skipped.items()]
        if self.unread_columns:
            notes.append(
                "Kolommen uit de export die niet worden gelezen: "
                + ", ".join(f"'{c}'" for c in self.unread_columns)
                + "."
            )
        if self.unread_sheets:
            notes.append("Tabbladen die niet worden gelezen: " + "; ".join(self.unread_sheets) + ".")
        return notes


@dataclass
class _Notes:
    """What reading the register files left out, gathered over all files."""

    skipped: Counter = field(default_factory=Counter)
    unread_columns: dict[str, None] = field(default_factory=dict)
    unread_sheets: list[str] = field(default_factory=list)
    headers: set[str] = field(default_factory=set)  # folded headers of every located header row
    located: bool = False


# ----------------------------------------------------------------------------- public API


def read_register(
    data_dir: Path, settings: Settings | None = None, today: date | None = None
) -> pd.DataFrame:
    """All register files of `data_dir` as one checked frame; DataError with every problem."""
    data_dir = _existing_folder(data_dir)
    if settings is None:
        settings = load_settings(data_dir)
    register, problems, _ = _load_register(data_dir, settings, today or date.today())
    _raise_on_errors(problems)
    return register


def read_contacts(data_dir: Path, settings: Settings | None = None) -> pd.DataFrame:
    """`klantcontacten.csv` as jaar/kanaal/aantal (aantal NA = no data known); empty when absent."""
    data_dir = _existing_folder(data_dir)
    if settings is None:
        settings = load_settings(data_dir)
    contacts, problems = load_contacts(data_dir / CONTACTS_FILE, settings)
    _raise_on_errors(problems)
    return contacts


def load_data_folder(data_dir: Path, today: date | None = None) -> DataFolder:
    """Settings, register and contacts; one DataError listing the problems of every file."""
    data_dir = _existing_folder(data_dir)
    problems: list[Problem] = []
    try:
        settings = load_settings(data_dir)
    except DataError as error:  # keep checking the other files, with default settings
        problems += error.problems
        settings = Settings()
    today = today or date.today()
    register, register_problems, notes = _load_register(data_dir, settings, today)
    contacts, contact_problems = load_contacts(data_dir / CONTACTS_FILE, settings)
    comparison, comparison_problems = load_comparison(data_dir / COMPARISON_FILE)
    measures, measure_problems = load_measures(data_dir, register, settings, today)
    problems += register_problems + contact_problems + comparison_problems + measure_problems
    _raise_on_errors(problems)
    warnings = [p for p in problems if p.severity != "fout"]
    return DataFolder(
        register=register,
        contacts=contacts,
        settings=settings,
        warnings=warnings,
        skipped=dict(notes.skipped),
        unread_columns=tuple(notes.unread_columns),
        unread_sheets=tuple(notes.unread_sheets),
        comparison=comparison,
        measures=measures,
    )


def register_files(data_dir: Path) -> list[Path]:
    """Register files in name order: `klachtenregister*.csv` / `.xlsx`, case-insensitive.

    Every entry with such a name is listed, also a folder or a pipe: reading it then says
    in Dutch that it is not a regular file (instead of skipping it, or waiting on a pipe).
    """
    return sorted((p for p in Path(data_dir).iterdir() if _is_register_name(p.name)), key=lambda p: p.name)


@dataclass(frozen=True)
class ExportHeader:
    """The header row of one register file or sheet and what each column would fill.

    For `klachten koppel`: `columns` holds (export header, role) with role a canonical column,
    `[afleiden] <columns>`, `[overslaan]`, or None (not read). `line` is None when no header row
    was found in the first rows (`columns` then describes the first filled row).
    """

    source: str
    line: int | None
    columns: tuple[tuple[str, str | None], ...]


def export_headers(data_dir: Path, settings: Settings | None = None) -> list[ExportHeader]:
    """The header row of every register file (and sheet) with the role of each column, using
    the same header search and mapping as the reader; reads no value below the header."""
    data_dir = _existing_folder(data_dir)
    settings = settings if settings is not None else load_settings(data_dir)
    found: list[ExportHeader] = []
    for path in register_files(data_dir):
        for source in file_sources(path, settings.sheets, [], []):
            rows = max(HEADER_SEARCH_ROWS, settings.header_row or 0)
            first = list(itertools.islice(source.rows, rows))
            filled = [(n, cells) for n, cells in first if "".join(cells).strip()]
            line, cells = next(
                (
                    (n, c)
                    for n, c in filled
                    if n == settings.header_row
                    or (settings.header_row is None and _names_the_header(c, settings))
                ),
                (None, filled[0][1] if filled else []),
            )
            roles: dict[int, str | None] = {}
            explicit, derive = _header_roles(cells, settings)
            for column, positions in explicit.items():
                roles.update(dict.fromkeys(positions, column))
            for position, key in derive.items():
                roles[position] = "[afleiden] " + ", ".join(settings.derivations[key].columns)
            for position, header in enumerate(cells):
                if position not in roles and normalise_key(header) in settings.skip_rules:
                    roles[position] = "[overslaan]"
            columns = tuple((h.strip(), roles.get(p)) for p, h in enumerate(cells) if h.strip())
            found.append(ExportHeader(source.name, line, columns))
            for _ in source.rows:  # close the workbook after its last sheet
                pass
    return found


# ----------------------------------------------------------------------------- the folder


def _existing_folder(data_dir: Path) -> Path:
    """The data folder as a Path; a DataError in words when it is not there."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError(
            [
                Problem(
                    str(data_dir),
                    "de gegevensmap bestaat niet.",
                    "Geef met --data-dir (of de notebookparameter data_dir) de map op met het "
                    "klachtenregister.",
                )
            ]
        )
    return data_dir


def _is_register_name(name: str) -> bool:
    lower = name.lower()
    return lower.startswith(REGISTER_PREFIX) and lower.endswith(REGISTER_SUFFIXES)


def _ignored_register_files(data_dir: Path) -> list[Problem]:
    """Warn about files that look like a register but are not read (e.g. an old .xls)."""
    return [
        Problem(
            str(p),
            "dit bestand wordt niet gelezen: alleen .csv en .xlsx worden ingelezen.",
            "Sla het op als .xlsx of als CSV als het bij het register hoort.",
            severity="waarschuwing",
        )
        for p in sorted(Path(data_dir).iterdir())
        if p.is_file() and p.name.lower().startswith(REGISTER_PREFIX) and not _is_register_name(p.name)
    ]


def _raise_on_errors(problems: list[Problem]) -> None:
    if any(p.severity == "fout" for p in problems):
        raise DataError(problems)


def _load_register(
    data_dir: Path, settings: Settings, today: date
) -> tuple[pd.DataFrame, list[Problem], _Notes]:
    """Read and check every register file, then the rules that span files (duplicates)."""
    try:
        problems = _ignored_register_files(data_dir)
        files = register_files(data_dir)
    except OSError as error:
        problem = Problem(
            str(data_dir),
            f"de gegevensmap kan niet worden gelezen: {error.strerror}.",
            "Controleer of u de map mag lezen (rechten).",
        )
        return _empty_register_with_origin().loc[:, list(vocab.CANONICAL_COLUMNS)], [problem], _Notes()
    if not files:
        problems.append(
            Problem(
                str(data_dir),
                f"geen klachtenregister gevonden: geen bestand waarvan de naam begint met "
                f"'{REGISTER_PREFIX}' en eindigt op .csv of .xlsx.",
                "Zet de export van het register in deze map, bijvoorbeeld als klachtenregister.xlsx.",
            )
        )
    notes = _Notes()
    frames = []
    order = 0
    for path in files:
        sources = file_sources(path, settings.sheets, problems, notes.unread_sheets)
        unread_before = len(notes.unread_sheets)
        for source in sources:
            frame = _load_source(source, path, settings, today, problems, notes)
            if frame is not None:
                frames.append(frame.assign(_file=source.name, _order=order, _line=frame.index))
            order += 1
        if sources and len(notes.unread_sheets) - unread_before == len(sources):  # tabbladen = "alle"
            problems.append(
                Problem(
                    str(path),
                    "geen enkel tabblad heeft een kopregel met klacht_id of datum_ontvangst (of een "
                    "koppeling daarvan); gelezen is niets. Tabbladen: "
                    + ", ".join(notes.unread_sheets[unread_before:])
                    + ".",
                    f"Koppel de kopnamen uit de export in {SETTINGS_FILE} onder [kolommen], of geef de "
                    "kopregel op met [bestand] kopregel.",
                )
            )
    if notes.located:
        problems += _unused_settings(data_dir, settings, notes)
    combined = pd.concat(frames, ignore_index=True) if frames else _empty_register_with_origin()
    combined, duplicate_problems = _drop_duplicates(combined)
    problems += duplicate_problems
    register = combined.sort_values(["datum_ontvangst", "klacht_id", "_order", "_line"], kind="stable")
    return register.loc[:, list(vocab.CANONICAL_COLUMNS)].reset_index(drop=True), problems, notes


def _unused_settings(data_dir: Path, settings: Settings, notes: _Notes) -> list[Problem]:
    """An `[afleiden]` or `[overslaan]` column that no register file has: a typo, never ignored."""
    name = str(Path(data_dir) / SETTINGS_FILE)
    problems = []
    for key, derivation in settings.derivations.items():
        if key not in notes.headers:
            problems.append(
                Problem(
                    name,
                    f"de kolom '{derivation.header}' uit [afleiden.\"{derivation.header}\"] staat in geen "
                    "enkel registerbestand.",
                    "Controleer de spelling: gebruik de kopnaam precies zoals in de export.",
                    row=derivation.line,
                    column="afleiden",
                )
            )
    for key, rule in settings.skip_rules.items():
        if key not in notes.headers:
            problems.append(
                Problem(
                    name,
                    f"de kolom '{rule.header}' uit [overslaan] staat in geen enkel registerbestand.",
                    "Controleer de spelling: gebruik de kopnaam precies zoals in de export.",
                    row=rule.line,
                    column="overslaan",
                )
            )
    return problems


def _empty_register_with_origin() -> pd.DataFrame:
    frame = _typed_register(pd.DataFrame({c: pd.Series(dtype=TEXT) for c in vocab.CANONICAL_COLUMNS}))
    return frame.assign(
        _file=pd.Series(dtype=TEXT), _order=pd.Series(dtype="int64"), _line=pd.Series(dtype="int64")
    )


def _load_source(
    source: Source, path: Path, settings: Settings, today: date, problems: list[Problem], notes: _Notes
) -> pd.DataFrame | None:
    """One file or sheet, typed and checked; problems are appended, None when unusable."""
    name, found = source.name, []
    locate = lambda src, rows: _locate(src, rows, settings, found, notes)  # noqa: E731
    collected = collect_cells(
        source, locate, found, search_rows=max(HEADER_SEARCH_ROWS, settings.header_row or 0)
    )
    typed = None
    if collected is not None:
        notes.skipped.update(collected.skipped)
        cells = _cleaned_cells(name, collected.frame, found)
        if cells.empty:
            if not collected.skipped and not any(p.file == name and p.severity == "fout" for p in found):
                found.append(
                    Problem(
                        name,
                        "het bestand bevat alleen een kopregel en geen klachten.",
                        "Exporteer het register opnieuw, met de klachten, of haal dit bestand uit de map.",
                        row=collected.header_line,
                    )
                )
        else:
            cells = _derived(name, cells, settings, found)
            if settings.id_from_line:
                label = path.name + (f":{source.sheet}" if source.sheet and source.name != str(path) else "")
                cells["klacht_id"] = pd.Series(
                    [f"{label}:{line}" for line in cells.index], index=cells.index, dtype=TEXT
                )
            text = _canonical_text(_with_all_columns(cells, vocab.CANONICAL_COLUMNS), settings)
            found += _value_problems(name, text, settings)
            typed = _typed_register(text, settings)
            found += _date_problems(name, text, typed, today)
            found += _rule_problems(name, text, typed, set(cells.columns))
    problems += sorted(found, key=lambda p: p.row or 0)  # stable: per line in check order
    return typed


# ----------------------------------------------------------------------------- the header


def _locate(
    source: Source, rows: list, settings: Settings, problems: list[Problem], notes: _Notes
) -> Selection | None:
    """The header row (`[bestand] kopregel`, else found) and the columns to read from it."""
    filled = [(line, cells) for line, cells in rows if any(c is not None and str(c).strip() for c in cells)]
    if not filled:
        if source.required:
            problems.append(
                Problem(
                    source.name,
                    "het bestand is leeg.",
                    "Exporteer het register opnieuw, of haal dit lege bestand uit de map.",
                )
            )
        else:
            notes.unread_sheets.append(f"'{source.sheet}' (leeg)")
        return None
    if settings.header_row is not None:
        header = next(((line, cells) for line, cells in filled if line == settings.header_row), None)
        if header is None:
            if source.required:
                problems.append(
                    Problem(
                        source.name,
                        f"regel {settings.header_row} is leeg; volgens [bestand] kopregel in {SETTINGS_FILE} "
                        "staat daar de kopregel.",
                        "Pas kopregel aan, of haal de regel weg: dan wordt de kopregel vanzelf gezocht.",
                        row=settings.header_row,
                    )
                )
            else:
                notes.unread_sheets.append(f"'{source.sheet}' (regel {settings.header_row} is leeg)")
            return None
    else:
        header = next((row for row in filled if _names_the_header(row[1], settings)), None)
        if header is None and not source.required:
            notes.unread_sheets.append(f"'{source.sheet}' (geen kopregel gevonden)")
            return None
        header = header or filled[0]  # the missing columns are reported at the first filled row
    line, cells = header
    headers = ["" if c is None else str(c) for c in cells]
    selection = _select_register_columns(source.name, line, headers, settings, problems, notes)
    notes.located = True
    notes.headers.update(normalise_key(h) for h in headers)
    return selection


def _names_the_header(cells: list, settings: Settings) -> bool:
    """A header row names klacht_id or datum_ontvangst, or a [kolommen] alias of one of them."""
    keys = {"klacht id", "datum ontvangst"}
    keys |= {
        alias
        for alias, column in settings.header_aliases.items()
        if column in ("klacht_id", "datum_ontvangst")
    }
    return any(normalise_key(c) in keys for c in cells if c is not None)


def _select_register_columns(
    name: str, line: int, headers: list[str], settings: Settings, problems: list[Problem], notes: _Notes
) -> Selection | None:
    """Which column fills which canonical column (`_header_roles`); None after reporting a
    missing required column or two headers meaning one column."""
    found, derive = _header_roles(headers, settings)
    derived = {c for key in derive.values() for c in settings.derivations[key].columns}
    folded = [normalise_key(h) for h in headers]
    before = len(problems)
    hint = f"Verwijder of hernoem een van de kolommen, of pas [kolommen] in {SETTINGS_FILE} aan."
    problems += doubly_claimed(name, line, headers, found, hint)
    required = [c for c in vocab.REQUIRED_COLUMNS if not (c == "klacht_id" and settings.id_from_line)]
    for column in required:
        if column not in found and column not in derived:
            example = _EXAMPLE_HEADERS.get(column, column.capitalize())
            problems.append(
                Problem(
                    name,
                    f"de verplichte kolom '{column}' ontbreekt.",
                    f"Voeg de kolom toe, of koppel de kopnaam uit de export in {SETTINGS_FILE} onder "
                    f'[kolommen], bijvoorbeeld: "{example}" = "{column}"',
                    row=line,
                    column=column,
                )
            )
    if len(problems) > before:
        return None
    keep = {positions[0]: column for column, positions in found.items()}
    keep |= {position: DERIVED + key for position, key in derive.items()}
    skip = {
        position: {
            normalise_key(v): settings.skip_rules[key].label(v) for v in settings.skip_rules[key].values
        }
        for position, key in enumerate(folded)
        if key in settings.skip_rules
    }
    for position, header in enumerate(headers):
        if header.strip() and position not in keep and position not in skip:
            notes.unread_columns.setdefault(header.strip())
    blank = tuple(p for p, header in enumerate(headers) if not header.strip())
    return Selection(line, len(headers), keep, skip, blank)


def _header_roles(headers: list[str], settings: Settings) -> tuple[dict[str, list[int]], dict[int, str]]:
    """Which column fills which canonical column: `[kolommen]` and `[afleiden]` first, then the
    headers that name a canonical column themselves (those already filled are not read).

    Returns canonical column -> positions, and position -> folded header of an `[afleiden]` column.
    """
    folded = [normalise_key(h) for h in headers]
    explicit: dict[str, list[int]] = {}
    derive: dict[int, str] = {}
    for position, key in enumerate(folded):
        if key in settings.derivations:
            derive[position] = key
        elif key in settings.header_aliases and not (
            settings.id_from_line and settings.header_aliases[key] == "klacht_id"
        ):
            explicit.setdefault(settings.header_aliases[key], []).append(position)
    derived = {c for key in derive.values() for c in settings.derivations[key].columns}
    automatic: dict[str, list[int]] = {}
    canonical = {normalise_key(c): c for c in vocab.CANONICAL_COLUMNS}
    filled_otherwise = {*explicit, *derived, *(["klacht_id"] if settings.id_from_line else [])}
    for position, key in enumerate(folded):
        column = canonical.get(key)
        if (
            column
            and column not in filled_otherwise
            and position not in derive
            and key not in settings.header_aliases
        ):
            automatic.setdefault(column, []).append(position)
    return {**automatic, **explicit}, derive


def _with_all_columns(cells: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Every wanted column in order; optional columns absent from the file become all-NA.

    Coded text stays coded; anything else becomes text.
    """
    frame = cells.reindex(columns=list(columns))
    return frame.astype({c: TEXT for c in frame.columns if not is_coded(frame[c])})


# ----------------------------------------------------------------------------- values


def _cleaned_cells(name: str, cells: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """Every value cleaned (`values.cleaned`), rows without any value dropped; a warning per
    column that had invisible characters removed or values cut."""
    present = np.zeros(len(cells), dtype=bool)
    out = {}
    for column in cells.columns:
        longest = LONGEST_BY_COLUMN.get(column, LONGEST)
        values, known, invisible, cut = cleaned(cells[column], longest)
        out[column] = values
        present |= known
        label = column.removeprefix(DERIVED)
        if invisible.any():
            problems.append(
                Problem(
                    name,
                    f"{_count(invisible, 'waarde bevatte', 'waarden bevatten')} "
                    f"stuurtekens of onzichtbare tekens ({_lines(cells.index[invisible])}); "
                    "die zijn verwijderd.",
                    "Controleer de export; zulke tekens komen vaak mee bij kopiëren en plakken.",
                    column=label,
                    severity="waarschuwing",
                )
            )
        if cut.any():
            problems.append(
                Problem(
                    name,
                    f"{_count(cut, 'waarde is', 'waarden zijn')} langer dan {longest} "
                    f"tekens ({_lines(cells.index[cut])}); ingekort tot {longest} tekens.",
                    "Gebruik een korte naam of omschrijving in deze kolom.",
                    column=label,
                    severity="waarschuwing",
                )
            )
    return pd.DataFrame(out, index=cells.index).loc[present]


def _count(mask: np.ndarray, one: str, several: str) -> str:
    count = int(mask.sum())
    return f"{count} {one if count == 1 else several}"


def _lines(lines, most: int = 5) -> str:
    numbers = [str(int(n)) for n in lines[:most]]
    more = f" en {len(lines) - most} andere" if len(lines) > most else ""
    return ("regel " if len(lines) == 1 else "regels ") + ", ".join(numbers) + more


def _derived(name: str, cells: pd.DataFrame, settings: Settings, problems: list[Problem]) -> pd.DataFrame:
    """`[afleiden]`: each derived column's value fills its canonical columns, then is dropped."""
    unknown_rows = np.zeros(len(cells), dtype=bool)
    for column in [c for c in cells.columns if c.startswith(DERIVED)]:
        derivation = settings.derivations[column.removeprefix(DERIVED)]
        values = cells.pop(column)
        codes, uniques = distinct(values)
        keys = [normalise_key(u) for u in uniques]
        unknown = np.array([k not in derivation.values for k in keys] + [False], dtype=bool)[codes]
        unknown_rows |= unknown
        for line in cells.index[unknown]:
            value = values[line]
            example = _derivation_example(str(value), derivation.columns)
            problems.append(
                Problem(
                    name,
                    f"onbekende waarde '{value}' in kolom '{derivation.header}'.",
                    f"Voeg in {SETTINGS_FILE} onder [afleiden.{toml_string(derivation.header)}] toe: "
                    f"{toml_string(str(value))} = {{ {example} }}",
                    row=int(line),
                    klacht_id=_text_or_none(cells, line, "klacht_id"),
                    column=derivation.header,
                )
            )
        empty = derivation.values.get("", {})
        for target in derivation.columns:
            filled = np.array(
                [derivation.values.get(k, {}).get(target) or np.nan for k in keys]
                + [empty.get(target) or np.nan],
                dtype=object,
            )
            cells[target] = from_distinct(
                np.where(codes < 0, len(keys), codes),
                np.array([*uniques, ""], dtype=object),
                lambda _, f=filled: f,
                cells.index,
                coded=True,
            )[0]
    return cells.loc[~unknown_rows]  # reported above; its other columns are not checked


def _derivation_example(value: str, columns: tuple[str, ...]) -> str:
    """The columns of a new `[afleiden]` line, filled in where the value names a verdict or a
    status (`Deels gegrond`: afgehandeld, formeel, deels gegrond), else each column with "..."."""
    guess: dict[str, str] = {}
    verdict, status = suggestion(value, vocab.VERDICTS), suggestion(value, vocab.STATUSES)
    if verdict:
        guess = {"status": vocab.HANDLED, "behandeling": "formeel", "oordeel": verdict}
    elif status:
        guess = {"status": status}
    shown = [c for c in columns if c in guess] or list(columns) or ["status"]
    return ", ".join(f'{c} = "{guess.get(c, "...")}"' for c in shown)


def _text_or_none(cells: pd.DataFrame, line: int, column: str) -> str | None:
    if column not in cells.columns or pd.isna(cells.at[line, column]):
        return None
    return str(cells.at[line, column])


def _canonical_text(text: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Canonical spelling for every column that has one; still text, unknown values kept.

    A `[waarden]` alias to "" makes the value missing: not recorded.
    """
    aliases = settings.value_aliases
    out = text.copy()
    for column, allowed in vocab.ALLOWED_VALUES.items():
        out[column] = canonical_values(text[column], allowed, aliases.get(column))
    if settings.reason_catalogue:
        out["reden"] = canonical_values(
            text["reden"], settings.reason_catalogue, aliases.get("reden"), reason_key
        )
    else:
        out["reden"] = aliased(text["reden"], aliases.get("reden", {}))
    out["team"] = renamed_teams(aliased(text["team"], aliases.get("team", {})), settings.team_renames)
    out["aard"] = map_distinct(
        aliased(text["aard"], aliases.get("aard", {})), lambda v: str(v).strip().lower()
    )
    for column in ("klacht_id", "leerpunt", *vocab.DATE_COLUMNS):
        out[column] = aliased(text[column], aliases.get(column, {}))
    out[vocab.NORM_COLUMN] = map_distinct(
        text[vocab.NORM_COLUMN], lambda v: _canonical_norms(v, aliases.get(vocab.NORM_COLUMN, {}))
    )
    return out


def _canonical_norms(cell: object, aliases: dict[str, str]) -> object:
    """A `behoorlijkheidsnorm` cell as the canonical names; as written when a part is unknown
    (`_value_problems` names it), NA when it names none (an alias to "")."""
    norms, unknown = behoorlijkheid.read_cell(str(cell), aliases)
    if unknown:
        return cell
    return behoorlijkheid.canonical_cell(norms) if norms else np.nan


def _typed_register(text: pd.DataFrame, settings: Settings | None = None) -> pd.DataFrame:
    """Canonical text to the published dtypes: dates, nullable booleans, strings."""
    typed = {}
    for column in vocab.CANONICAL_COLUMNS:
        values = text[column]
        if column in vocab.DATE_COLUMNS:
            typed[column] = (
                parse_dates(values, month_first=settings.month_first, timezone=settings.timezone)
                if settings
                else parse_dates(values)
            )
        elif column in vocab.YES_NO_COLUMNS:
            codes, uniques = distinct(values)
            known = np.array([u in vocab.YES_NO for u in uniques] + [False], dtype=bool)
            truth = np.array([vocab.YES_NO.get(u, False) for u in uniques] + [False], dtype=bool)
            typed[column] = pd.Series(pd.arrays.BooleanArray(truth[codes], ~known[codes]), index=values.index)
        else:
            typed[column] = values.astype(TEXT)
    return pd.DataFrame(typed, index=text.index)


# ----------------------------------------------------------------------------- checks


def _problem(name: str, text: pd.DataFrame, line: int, column: str, message: str, hint: str) -> Problem:
    klacht_id = text.at[line, "klacht_id"]
    return Problem(
        name,
        message,
        hint,
        row=int(line),
        klacht_id=None if pd.isna(klacht_id) else str(klacht_id),
        column=column,
    )


def _unknown_value(name: str, text: pd.DataFrame, line: int, column: str, value: str, settings: Settings):
    if column == "reden":
        catalogue = settings.reason_catalogue
        return _problem(
            name,
            text,
            line,
            column,
            f"de reden '{value}' staat niet in de redenencatalogus.",
            f"Gebruik een zin uit [redenen] catalogus in {SETTINGS_FILE}: "
            + "; ".join(f"'{r}'" for r in catalogue)
            + ". "
            + alias_hint(column, value, catalogue, reason_key),
        )
    allowed = vocab.ALLOWED_VALUES[column]
    return _problem(
        name,
        text,
        line,
        column,
        f"onbekende waarde '{value}' voor {column}.",
        f"Toegestaan: {', '.join(allowed)}. " + alias_hint(column, value, allowed),
    )


def _value_problems(name: str, text: pd.DataFrame, settings: Settings) -> list[Problem]:
    """Required values present, closed columns within their vocabulary (checked per distinct value)."""
    allowed = dict(vocab.ALLOWED_VALUES)
    if settings.reason_catalogue:
        allowed["reden"] = tuple(settings.reason_catalogue)
    problems = []
    for column in vocab.CANONICAL_COLUMNS:
        values = text[column]
        if column in _REQUIRED_VALUE_TEXT:
            message, hint = _REQUIRED_VALUE_TEXT[column]
            problems += [
                _problem(name, text, line, column, message, hint) for line in text.index[values.isna()]
            ]
        if column in allowed:
            codes, uniques = distinct(values)
            known = set(allowed[column])
            unknown = np.array([u not in known for u in uniques] + [False], dtype=bool)[codes]
            problems += [
                _unknown_value(name, text, line, column, str(values[line]), settings)
                for line in text.index[unknown]
            ]
    return problems + _norm_problems(name, text, settings)


def _norm_problems(name: str, text: pd.DataFrame, settings: Settings) -> list[Problem]:
    """A `behoorlijkheidsnorm` part that names none of the 22 norms (checked per distinct cell)."""
    column, aliases = vocab.NORM_COLUMN, settings.value_aliases.get(vocab.NORM_COLUMN, {})
    codes, uniques = distinct(text[column])
    unknown_parts = [behoorlijkheid.read_cell(str(u), aliases)[1] for u in uniques]
    bad = np.array([bool(u) for u in unknown_parts] + [False], dtype=bool)[codes]
    problems = []
    for position in np.flatnonzero(bad):
        line, parts = text.index[position], unknown_parts[codes[position]]
        shown = ", ".join(f"'{p}'" for p in parts)
        problems.append(
            _problem(
                name,
                text,
                line,
                column,
                f"onbekende behoorlijkheidsnorm {shown}.",
                "Schrijf de naam of het nummer van een van de 22 normen van de Nationale ombudsman, "
                f"meerdere gescheiden door ';' ({behoorlijkheid.allowed_text()}). "
                + alias_hint(column, parts[0], tuple(n.name for n in behoorlijkheid.NORMS)),
            )
        )
    return problems


def _date_problems(name: str, text: pd.DataFrame, typed: pd.DataFrame, today: date) -> list[Problem]:
    """Unparseable dates, closing before receipt, and dates after `today`."""
    problems = []
    for column in vocab.DATE_COLUMNS:
        unparsed = text[column].notna() & typed[column].isna()
        problems += [
            _problem(
                name,
                text,
                line,
                column,
                f"'{text.at[line, column]}' is geen geldige datum.",
                f"Schrijf de datum bijvoorbeeld als {DATE_EXAMPLES}.",
            )
            for line in text.index[unparsed]
        ]
    received, closed = typed["datum_ontvangst"], typed["datum_afgehandeld"]
    for line in typed.index[closed < received]:
        problems.append(
            _problem(
                name,
                text,
                line,
                "datum_afgehandeld",
                f"datum_afgehandeld ({show_date(closed[line])}) ligt vóór datum_ontvangst "
                f"({show_date(received[line])}).",
                "Controleer beide datums: een klacht kan niet zijn afgehandeld voordat hij is ontvangen.",
            )
        )
    limit = pd.Timestamp(today)
    for column in vocab.DATE_COLUMNS:
        for line in typed.index[typed[column] > limit]:
            problems.append(
                _problem(
                    name,
                    text,
                    line,
                    column,
                    f"{column} ({show_date(typed.at[line, column])}) ligt in de toekomst "
                    f"(na {show_date(limit)}).",
                    "Controleer de datum; het register kan geen datums na vandaag bevatten.",
                )
            )
    return problems


def _rule_problems(name: str, text: pd.DataFrame, typed: pd.DataFrame, read: set[str]) -> list[Problem]:
    """Values required by the status: a reason when not handled on its merits, a team when handled.

    An empty cell in a column the file has is an error; a file without the column at all
    records nothing about it: one warning, and the report counts "... niet vastgelegd".
    """
    status = typed["status"]
    rules = (
        (
            status.isin(vocab.NOT_HANDLED) & typed["reden"].isna(),
            "reden",
            "de reden ontbreekt; die is verplicht bij status '{status}'.",
            "Vul in waarom de klacht niet inhoudelijk is behandeld (een zin uit de redenencatalogus).",
        ),
        (
            (status == vocab.HANDLED) & typed["team"].isna(),
            "team",
            "het team ontbreekt; dat is verplicht bij status '{status}'.",
            "Vul het team of de afdeling in waarover de klacht gaat.",
        ),
        (
            typed["ombudsman_uitkomst"].notna() & typed["ombudsman"].eq(False),
            "ombudsman_uitkomst",
            "er staat een uitkomst van de Nationale ombudsman, maar ombudsman is 'nee'.",
            "Zet ombudsman op 'ja' als de klacht aan de Nationale ombudsman is voorgelegd, of maak "
            "ombudsman_uitkomst leeg.",
        ),
    )
    problems = []
    for mask, column, message, hint in rules:
        lines = typed.index[mask.fillna(False).astype(bool)]
        if column not in read and len(lines):
            label = "Reden niet vastgelegd" if column == "reden" else "Team niet vastgelegd"
            problems.append(
                Problem(
                    name,
                    f"de kolom '{column}' ontbreekt; bij {len(lines)} "
                    f"{'regel' if len(lines) == 1 else 'regels'} telt het verslag '{label}'.",
                    f"Voeg de kolom toe, of koppel de kopnaam uit de export in {SETTINGS_FILE} onder "
                    f'[kolommen], bijvoorbeeld: "Afdeling" = "{column}"'
                    if column == "team"
                    else f"Voeg de kolom toe, of koppel de kopnaam uit de export in {SETTINGS_FILE} "
                    "onder [kolommen].",
                    column=column,
                    severity="waarschuwing",
                )
            )
            continue
        problems += [
            _problem(name, text, line, column, message.format(status=status[line]), hint) for line in lines
        ]
    return problems


def _drop_duplicates(register: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Identical rows with one klacht_id count once; different content is an error."""
    columns = list(vocab.CANONICAL_COLUMNS)
    # Only rows whose klacht_id occurs more than once can be duplicates: check just those.
    repeated = register["klacht_id"].notna() & register["klacht_id"].duplicated(keep=False)
    if not repeated.any():
        return register, []
    identical = pd.Series(False, index=register.index)
    identical[repeated] = register.loc[repeated].duplicated(subset=columns, keep="first")
    problems = [
        Problem(
            file,
            f"{count} {'regel komt' if count == 1 else 'regels komen'} met precies dezelfde inhoud al eerder "
            "voor (zelfde klacht_id); die tellen één keer.",
            severity="waarschuwing",
        )
        for file, count in register.loc[identical, "_file"].value_counts(sort=False).items()
    ]
    register = register.loc[~identical]
    clashing = register[register["klacht_id"].notna() & register["klacht_id"].duplicated(keep=False)]
    for _, group in clashing.groupby("klacht_id", sort=False):
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            differs = [c for c in columns if not _same(first[c], other[c])]
            problems.append(
                Problem(
                    other["_file"],
                    f"klacht_id {other['klacht_id']} staat ook in {first['_file']} regel {first['_line']}, "
                    f"met andere inhoud (verschil in: {', '.join(differs)}).",
                    "Houd één regel per klacht: verwijder de dubbele regel of geef hem een eigen klacht_id.",
                    row=int(other["_line"]),
                    klacht_id=str(other["klacht_id"]),
                    column="klacht_id",
                )
            )
    return register, problems


def _same(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)
