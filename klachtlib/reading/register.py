"""Read and check the register files of the data folder: one row per complaint.

Forgiving about form (separator, encoding, header row, sheets, date format, Excel and
LibreOffice cells) and strict about meaning (closed vocabularies, required values, dates in
order), as shared/spec/register.md demands, including "Exports as they come" and "Any export":
the header found in the first rows or set with `[bestand] kopregel`, `[kolommen]` mappings
(a repeated header's list, labels columns) winning over recognised headers, `[afleiden]`
filling several columns from one, `[overslaan]` rows counted per rule, settings per sheet or
file, one row per complaint from a status history, overlapping exports, `vanaf`, `[standaard]`.
Never silently wrong: two export columns that give one canonical column different values for
a row are an error unless `[voorrang]` orders them. Every problem of every file is collected
before anything is raised. Only the columns a report needs leave this module: every other
column may hold personal data, so it never enters the register or an error message; its cells
are read only to check that no published value (a team, a nature, a reason) equals one of them.

Getting text cells out of a file is `tabular`, values one distinct value at a time `values`,
dates `dates`, contact volumes `contacts`: each a concern of its own, so this module holds the
register's rules, each in one place: checks on the distinct values, each problem in Dutch with
its file, row and column. (A pandera schema of the finished register was dropped: only tests
used it, and running it would have been a second, slower check of the same rules.)
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from klachtlib import config
from klachtlib.errors import DataError, Problem
from klachtlib.reading import behoorlijkheid, vocab
from klachtlib.reading.comparison import COMPARISON_FILE, empty_comparison, load_comparison
from klachtlib.reading.contacts import CONTACT_COLUMNS, CONTACTS_FILE, load_contacts
from klachtlib.reading.dates import parse_dates, show_date
from klachtlib.reading.measures import load_measures
from klachtlib.reading.settings import (
    HEADER_SEARCH_ROWS,
    LINE_NUMBER_ID,
    PREVENTED,
    SETTINGS_FILE,
    Derivation,
    Settings,
    load_settings,
)
from klachtlib.reading.tabular import TEXT, Selection, Source, collect_cells, doubly_claimed, file_sources
from klachtlib.reading.values import (
    LONGEST,
    LONGEST_BY_COLUMN,
    alias_hint,
    aliased,
    as_text,
    canonical_values,
    cleaned,
    distinct,
    each_once,
    from_distinct,
    listed_teams,
    map_distinct,
    present_values,
    reason_key,
    renamed_teams,
    suggestion,
    team_key,
    toml_string,
    unified_teams,
    with_default,
)
from klachtlib.reading.vocab import normalise_key

# openpyxl (in `tabular`) is imported when first needed. `parse_dates` is re-exported.

__all__ = [
    "CONTACT_COLUMNS",
    "CONTACTS_FILE",
    "DataFolder",
    "load_data_folder",
    "parse_dates",
    "read_contacts",
]

REGISTER_PREFIX = "klachtenregister"
REGISTER_SUFFIXES = (".csv", ".xlsx", ".ods")
DATE_EXAMPLES = "2024-03-05, 5-3-2024 of 5 maart 2024"


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
    (`klachtlib.reading.measures`), None when the folder has no such file: then nothing is claimed.
    """

    register: pd.DataFrame
    contacts: pd.DataFrame
    settings: Settings
    warnings: list[Problem]
    skipped: dict[str, int] = field(default_factory=dict)
    unread_columns: tuple[str, ...] = ()
    unread_sheets: tuple[str, ...] = ()
    unlisted_labels: dict[str, dict[str, int]] = field(default_factory=dict)
    comparison: pd.DataFrame = field(default_factory=empty_comparison)  # vergelijking.csv (issue 22)
    measures: pd.DataFrame | None = None  # maatregelen.csv (issue 23); None: no such file
    # For `klachten validate`, from the same reading: each header row and what its columns fill,
    # and the export's own values of the columns that have [waarden] aliases, with their rows.
    export_headers: tuple[ExportHeader, ...] = ()
    raw_values: dict[str, Counter] = field(default_factory=dict)

    def reading_notes(self) -> list[str]:
        """What the reader left out, in Dutch, for `klachten validate`."""
        notes = []
        if self.skipped:
            notes.append("Overgeslagen regels (klachten.toml):")
            notes += [f"- {rule}: {count}" for rule, count in self.skipped.items()]
        for header, labels in self.unlisted_labels.items():
            shown = sorted(labels.items(), key=lambda lc: (-lc[1], lc[0].casefold()))
            notes.append(
                f"Labels in kolom '{header}' die [afleiden] niet noemt (ze vullen niets): "
                + ", ".join(f"{label} ({count}x)" for label, count in shown[:40])
                + (f" en nog {len(shown) - 40}" if len(shown) > 40 else "")
                + "."
            )
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
    unlisted_labels: dict[str, Counter] = field(default_factory=dict)  # labels column -> label -> rows
    sheets: set[str] = field(default_factory=set)  # folded names of the sheets read
    files: set[str] = field(default_factory=set)  # folded names of the files read
    export_headers: list[ExportHeader] = field(default_factory=list)  # per file or sheet read
    # canonical column with [waarden] aliases -> the export's own values (trimmed) -> rows
    raw_values: dict[str, Counter] = field(default_factory=dict)
    # per file or sheet with rows: whether each of its klacht_ids occurs once (seen from the codes)
    ids_once: list[bool] = field(default_factory=list)


@dataclass(frozen=True)
class _Feed:
    """One export column that is read, and what it fills."""

    header: str  # as in the export (with its column number when the header occurs more than once)
    column: str | None = None  # the canonical column it fills as it is
    derivation: str | None = None  # or: the folded [afleiden] header whose values fill several
    labels: bool = False  # a labels column: each listed label of a cell applies


@dataclass
class _Plan:
    """What the header of one file or sheet means: the columns read and the columns dropped.

    A dropped column is read only to compare its cells with the published values (the person
    check, `_publication_problems`); it never leaves this module.
    """

    feeds: dict[str, _Feed] = field(default_factory=dict)  # name in the collected cells -> feed
    dropped: dict[str, str] = field(default_factory=dict)  # name in the collected cells -> header


@dataclass(frozen=True)
class _Candidate:
    """The values that one export column (or `vast`, or the row number) gives one canonical column."""

    label: str
    column: str
    values: pd.Series


@dataclass
class _Roles:
    """What each column of a header row fills (`_header_roles`)."""

    direct: dict[str, list[int]]  # canonical column -> positions: [kolommen] first, then recognised
    automatic: set[str]  # canonical columns found by recognising their name
    derive: dict[int, str]  # position -> folded [afleiden] header
    issues: list[tuple[str, str]]  # (message, hint): repeated headers [kolommen] cannot place


# ----------------------------------------------------------------------------- public API


def read_register(
    data_dir: Path, settings: Settings | None = None, today: date | None = None
) -> pd.DataFrame:
    """All register files of `data_dir` as one checked frame; DataError with every problem."""
    data_dir = existing_folder(data_dir)
    if settings is None:
        settings = load_settings(data_dir)
    register, problems, _ = _load_register(data_dir, settings, today or date.today())
    _raise_on_errors(problems)
    return register


def read_contacts(data_dir: Path, settings: Settings | None = None) -> pd.DataFrame:
    """`klantcontacten.csv` as jaar/kanaal/aantal (aantal NA = no data known); empty when absent."""
    data_dir = existing_folder(data_dir)
    if settings is None:
        settings = load_settings(data_dir)
    contacts, problems = load_contacts(data_dir / CONTACTS_FILE, settings)
    _raise_on_errors(problems)
    return contacts


def load_data_folder(data_dir: Path, today: date | None = None) -> DataFolder:
    """Settings, register and contacts; one DataError listing the problems of every file."""
    data_dir = existing_folder(data_dir)
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
        unlisted_labels={h: dict(c) for h, c in notes.unlisted_labels.items() if c},
        comparison=comparison,
        measures=measures,
        export_headers=tuple(notes.export_headers),
        raw_values=notes.raw_values,
    )


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
    the same header search and mapping as the reader; reads no value below the header.
    (`klachten validate` has them from its reading: `DataFolder.export_headers`.)"""
    data_dir = existing_folder(data_dir)
    settings = settings if settings is not None else load_settings(data_dir)
    also = tuple(s.name for s in settings.sheet_settings.values())
    found: list[ExportHeader] = []
    for path in register_files(data_dir):
        for source in file_sources(path, settings.sheets, [], [], also):
            own = settings.for_source(path.name, source.sheet)
            rows = max(HEADER_SEARCH_ROWS, own.header_row or 0)
            found.append(_export_header(source.name, list(itertools.islice(source.rows, rows)), own))
            if source.data is None:  # a workbook: let its last sheet close it
                source.width = 0
                for _ in source.rows:
                    pass
    return found


def _export_header(name: str, first: list, own: Settings) -> ExportHeader:
    """The header row among the first rows of one file or sheet, and what each column fills."""
    filled = [(n, cells) for n, cells in first if "".join(cells).strip()]
    line, cells = next(
        (
            (n, c)
            for n, c in filled
            if n == own.header_row or (own.header_row is None and _names_the_header(c, own))
        ),
        (None, filled[0][1] if filled else []),
    )
    roles: dict[int, str | None] = {}
    found_roles = _header_roles(cells, own)
    for column, positions in found_roles.direct.items():
        roles.update(dict.fromkeys(positions, column))
    for position, key in found_roles.derive.items():
        roles[position] = "[afleiden] " + ", ".join(own.derivations[key].columns)
    for position, header in enumerate(cells):
        if position not in roles and normalise_key(header) in own.skip_rules:
            roles[position] = "[overslaan]"
    columns = tuple((h.strip(), roles.get(p)) for p, h in enumerate(cells) if h.strip())
    return ExportHeader(name, line, columns)


# ----------------------------------------------------------------------------- the folder


def existing_folder(data_dir: Path) -> Path:
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
            "dit bestand wordt niet gelezen: alleen .csv, .xlsx en .ods worden ingelezen.",
            "Sla het op als .xlsx, .ods of als CSV als het bij het register hoort.",
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
                f"'{REGISTER_PREFIX}' en eindigt op .csv, .xlsx of .ods.",
                "Zet de export van het register in deze map, bijvoorbeeld als klachtenregister.xlsx.",
            )
        )
    notes = _Notes()
    frames = []
    order = 0
    also = tuple(own.name for own in settings.sheet_settings.values())  # sheets with [tabblad."…"]
    for path in files:
        sources = file_sources(path, settings.sheets, problems, notes.unread_sheets, also)
        unread_before = len(notes.unread_sheets)
        notes.files.add(normalise_key(path.name))
        for source in sources:
            own = settings.for_source(path.name, source.sheet)
            frame = _load_source(source, path, own, today, problems, notes)
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
    combined["team"] = unified_teams(combined["team"])  # one spelling per team, the first seen
    if len(frames) > 1 or not all(notes.ids_once):  # one file with each klacht_id once has no duplicates
        combined, duplicate_problems = _drop_duplicates(combined, settings.keep_last)
        problems += duplicate_problems
    register = in_register_order(combined)
    return register.loc[:, list(vocab.CANONICAL_COLUMNS)].reset_index(drop=True), problems, notes


REGISTER_ORDER = ("datum_ontvangst", "klacht_id", "_order", "_line")  # _order: file or sheet read


def in_register_order(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows by receipt date, klacht_id, file and line; unknown dates and ids last.

    pyarrow's stable sort compares text by code point, as Python does, and sorts a million
    klacht_ids several times faster than pandas; pandas sorts text pyarrow cannot take
    (a lone surrogate), in the same order."""
    if _in_register_order_already(rows):
        return rows  # an export in order of receipt, as case systems give it: nothing to sort
    keys = list(REGISTER_ORDER)
    try:
        table = pa.table({key: pa.array(rows[key]) for key in keys})
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeError):
        return rows.sort_values(keys, kind="stable")
    order = pc.sort_indices(table, sort_keys=[(key, "ascending") for key in keys])  # nulls last
    return rows.take(order.to_numpy())


def _in_register_order_already(rows: pd.DataFrame) -> bool:
    """Whether each row comes after the one before it in register order (`in_register_order`),
    every date and id known: then the stable sort would keep the rows as they are."""
    dates, ids = rows["datum_ontvangst"].to_numpy(), rows["klacht_id"]
    if len(rows) < 2 or dates.dtype.kind != "M" or np.isnat(dates).any() or ids.isna().any():
        return len(rows) < 2
    if (dates[1:] < dates[:-1]).any():
        return False
    same_day = dates[1:] == dates[:-1]
    text = ids.to_numpy(dtype=object)
    first, then = text[:-1][same_day], text[1:][same_day]  # Python compares text by code point
    if (then < first).any():
        return False
    same_id = np.flatnonzero(same_day)[then == first]  # such a pair: by file, then by line
    read = rows[["_order", "_line"]].to_numpy(dtype=np.int64)
    before, after = read[same_id], read[same_id + 1]
    return bool(
        np.all((after[:, 0] > before[:, 0]) | ((after[:, 0] == before[:, 0]) & (after[:, 1] >= before[:, 1])))
    )


def _unused_settings(data_dir: Path, settings: Settings, notes: _Notes) -> list[Problem]:
    """A header, sheet or file named in klachten.toml that nothing read has: a typo, never ignored.

    Headers of [kolommen], [afleiden], [overslaan] and [voorrang] count when any file or sheet
    that is read has them (an [afleiden] column gives nothing where it is missing).
    """
    name = str(Path(data_dir) / SETTINGS_FILE)
    hint = "Controleer de spelling: gebruik de kopnaam precies zoals in de export."
    problems = []

    def missing(header: str, section: str, line: int | None, what: str | None = None) -> None:
        if normalise_key(header) not in notes.headers:
            problems.append(
                Problem(
                    name,
                    f"de kolom '{header}' uit {what or f'[{section}]'} staat in geen enkel registerbestand.",
                    hint,
                    row=line,
                    column=section,
                )
            )

    for derivation in settings.derivations.values():
        missing(derivation.header, "afleiden", derivation.line, f'[afleiden."{derivation.header}"]')
    for rule in settings.skip_rules.values():
        missing(rule.header, "overslaan", rule.line)
    columns = settings.column_map
    for header in sorted(columns.headers()):
        written, line = columns.written.get(header, (header, None))
        if header not in notes.headers:
            problems.append(
                Problem(
                    name,
                    f"de kopnaam '{written}' uit [kolommen] staat in geen enkel registerbestand.",
                    hint + " Haal de regel weg als de export deze kolom niet (meer) heeft.",
                    row=line,
                    column="kolommen",
                )
            )
    for column, headers in settings.priority.items():
        for header in headers:
            missing(header, "voorrang", None, f"[voorrang] {column}")
    for key, own in settings.sheet_settings.items():
        if key not in notes.sheets:
            problems.append(
                Problem(
                    name,
                    f"het tabblad '{own.name}' uit [tabblad.\"{own.name}\"] is in geen enkel bestand "
                    "gelezen.",
                    "Controleer de naam van het tabblad; verborgen tabbladen worden nooit gelezen.",
                    row=own.line,
                    column="tabblad",
                )
            )
    for key, own in settings.file_settings.items():
        if key not in notes.files:
            problems.append(
                Problem(
                    name,
                    f"het bestand '{own.name}' uit [bestand.\"{own.name}\"] staat niet in de gegevensmap.",
                    "Gebruik de bestandsnaam precies zoals in de map, bijvoorbeeld klachtenregister.csv.",
                    row=own.line,
                    column="bestand",
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
    name, plan = source.name, _Plan()
    found: list[Problem] = []

    def locate(src: Source, rows: list) -> Selection | None:
        notes.export_headers.append(_export_header(src.name, rows, settings))
        return _locate(src, rows, settings, found, notes, plan)

    collected = collect_cells(
        source, locate, found, search_rows=max(HEADER_SEARCH_ROWS, settings.header_row or 0)
    )
    typed = None
    if collected is not None:
        notes.skipped.update(collected.skipped)
        for key, feed in plan.feeds.items():
            if feed.column in settings.value_aliases:
                raw = notes.raw_values.setdefault(feed.column, Counter())
                for value, rows in collected.frame[key].value_counts(sort=False).items():
                    if rows:
                        raw[str(value).strip()] += int(rows)
        cells = _cleaned_cells(name, collected.frame[list(plan.feeds)], plan, found)
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
            typed = _checked_rows(
                name, path, source, cells, collected.dropped, plan, settings, today, found, notes
            )
    problems += sorted(found, key=lambda p: p.row or 0)  # stable: per line in check order
    return typed


def _checked_rows(
    name: str,
    path: Path,
    source: Source,
    cells: pd.DataFrame,
    dropped: Callable[[], pd.DataFrame],
    plan: _Plan,
    settings: Settings,
    today: date,
    found: list[Problem],
    notes: _Notes,
) -> pd.DataFrame:
    """The cells of one file or sheet to typed register rows, every rule in its place: what each
    column gives (`_candidates`), one value per canonical column (`_merged_text`), one row per
    complaint (`regels = "statushistorie"`), rows before `vanaf` skipped, `[standaard]`, then the
    checks. Problems of a row skipped by `vanaf` are not reported: only its date is read."""
    row_problems: list[Problem] = []
    candidates, unknown = _candidates(name, path, source, cells, plan, settings, row_problems, notes)
    text = _merged_text(name, candidates, unknown, settings, row_problems)
    row_problems += _vocabulary_problems(name, text, settings)
    rows = text
    if settings.history:
        text = _combined_history(text)
    early = _before_start(text, settings)
    if early.any():
        skipped_lines = set(text.index[early])
        if settings.history:
            skipped_ids = set(text.loc[early, "klacht_id"].dropna().astype(str))
            skipped_lines |= set(rows.index[rows["klacht_id"].astype(object).isin(skipped_ids).to_numpy()])
        assert settings.complete_from is not None
        notes.skipped[f"datum_ontvangst vóór {settings.complete_from.isoformat()} ([bestand] vanaf)"] += len(
            skipped_lines
        )
        row_problems = [p for p in row_problems if p.row not in skipped_lines]
        text = text.loc[~early]
        all_dropped = dropped
        dropped = lambda: (d := all_dropped()).loc[~d.index.isin(list(skipped_lines))]  # noqa: E731
    found += row_problems
    text = _with_defaults(text, settings)
    read = {c.column for c in candidates} | set(settings.defaults)
    found += _required_problems(name, text)
    found += _publication_problems(name, text, settings, dropped, plan)
    notes.ids_once.append(each_once(text["klacht_id"]))
    typed = _typed_register(text, settings)
    found += _date_problems(name, text, typed, today)
    found += _rule_problems(name, text, typed, read, settings)
    return typed


# ----------------------------------------------------------------------------- the header


def _locate(
    source: Source, rows: list, settings: Settings, problems: list[Problem], notes: _Notes, plan: _Plan
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
    selection = _select_register_columns(source.name, line, headers, settings, problems, notes, plan)
    notes.located = True
    notes.headers.update(normalise_key(h) for h in headers)
    if source.sheet is not None:
        notes.sheets.add(normalise_key(source.sheet))
    return selection


def _names_the_header(cells: list, settings: Settings) -> bool:
    """A header row names klacht_id or datum_ontvangst, or a [kolommen] alias of one of them."""
    keys = {"klacht id", "datum ontvangst"}
    keys |= {
        alias
        for alias, column in settings.header_aliases.items()
        if column in ("klacht_id", "datum_ontvangst")
    }
    keys |= {
        header
        for header, columns in settings.header_lists.items()
        if {"klacht_id", "datum_ontvangst"} & set(columns)
    }
    return any(normalise_key(c) in keys for c in cells if c is not None)


def _select_register_columns(
    name: str,
    line: int,
    headers: list[str],
    settings: Settings,
    problems: list[Problem],
    notes: _Notes,
    plan: _Plan,
) -> Selection | None:
    """Which column fills which canonical column (`_header_roles`); None after reporting a
    missing required column, a repeated header [kolommen] cannot place, or two recognised
    headers meaning one column. Every other column is dropped: kept only for the person check."""
    roles = _header_roles(headers, settings)
    derived = {c for key in roles.derive.values() for c in settings.derivations[key].columns}
    folded = [normalise_key(h) for h in headers]
    before = len(problems)
    problems += [Problem(name, message, hint, row=line) for message, hint in roles.issues]
    if roles.issues:
        return None  # which column a repeated header is, is unknown: a missing column would follow from it
    hint = (
        f"Verwijder of hernoem een van de kolommen, of pas [kolommen] in {SETTINGS_FILE} aan; een kopnaam "
        'die twee keer voorkomt koppelt u met een lijst, bijvoorbeeld "Datum" = ["datum_ontvangst", '
        '"datum_afgehandeld"].'
    )
    automatic = {c: p for c, p in roles.direct.items() if c in roles.automatic}
    problems += doubly_claimed(name, line, headers, automatic, hint)
    filled = {*roles.direct, *derived, *settings.fixed, *(["klacht_id"] if settings.id_from_line else [])}
    for column in vocab.REQUIRED_COLUMNS:
        if column not in filled:
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
    repeated = {k for k in folded if k and folded.count(k) > 1}

    def header_of(position: int) -> str:
        header = headers[position].strip()
        return f"{header} (kolom {position + 1})" if folded[position] in repeated else header

    keep: dict[int, str] = {}
    for column, positions in roles.direct.items():
        for position in positions:
            keep[position] = f"kolom {position + 1}"
            plan.feeds[keep[position]] = _Feed(header_of(position), column=column)
    for position, key in roles.derive.items():
        keep[position] = f"kolom {position + 1}"
        plan.feeds[keep[position]] = _Feed(
            header_of(position), derivation=key, labels=key in settings.label_headers
        )
    skip = {
        position: {
            normalise_key(v): settings.skip_rules[key].label(v) for v in settings.skip_rules[key].values
        }
        for position, key in enumerate(folded)
        if key in settings.skip_rules
    }
    dropped: dict[int, str] = {}
    for position, header in enumerate(headers):
        if header.strip() and position not in keep and position not in skip:
            notes.unread_columns.setdefault(header.strip())
            dropped[position] = f"weg {position + 1}"
            plan.dropped[dropped[position]] = header.strip()
    blank = tuple(p for p, header in enumerate(headers) if not header.strip())
    return Selection(line, len(headers), keep, skip, blank, dropped)


def _header_roles(headers: list[str], settings: Settings) -> _Roles:
    """Which column fills which canonical column: `[kolommen]` (a header, or a repeated header's
    list by occurrence) and `[afleiden]` first, then the headers that name a canonical column
    themselves (those already filled are not read). A column in `niet_vastgelegd` is never read."""
    folded = [normalise_key(h) for h in headers]
    positions: dict[str, list[int]] = {}
    for position, key in enumerate(folded):
        if key:
            positions.setdefault(key, []).append(position)
    direct: dict[str, list[int]] = {}
    derive: dict[int, str] = {}
    issues: list[tuple[str, str]] = []
    configured: set[str] = set()
    for key, found in positions.items():
        shown = headers[found[0]].strip()
        many = f"de kopnaam '{shown}' komt {len(found)} keer voor"
        if key in settings.header_lists:
            configured.add(key)
            wanted = settings.header_lists[key]
            if len(wanted) != len(found):
                issues.append(
                    (
                        f"{many}; [kolommen] noemt {len(wanted)} kolommen voor '{shown}'.",
                        "Noem in de lijst elke keer dat de kopnaam voorkomt, in volgorde ("
                        '"" voor een die niet gelezen wordt).',
                    )
                )
                continue
            for position, column in zip(found, wanted, strict=True):
                if column and column not in settings.not_recorded:
                    direct.setdefault(column, []).append(position)
        elif key in settings.derivations or key in settings.header_aliases:
            configured.add(key)
            if len(found) > 1:
                column = settings.header_aliases.get(key, "...")
                issues.append(
                    (
                        f"{many}; [kolommen] of [afleiden] kan niet zeggen welke bedoeld is.",
                        f'Koppel elke keer in volgorde met een lijst, bijvoorbeeld "{shown}" = '
                        f'["{column}", ""] ("" voor een kolom die niet gelezen wordt).',
                    )
                )
            elif key in settings.derivations:
                derive[found[0]] = key
            elif not (settings.id_from_line and settings.header_aliases[key] == "klacht_id"):
                column = settings.header_aliases[key]
                if column not in settings.not_recorded:
                    direct.setdefault(column, []).append(found[0])
    derived = {c for key in derive.values() for c in settings.derivations[key].columns}
    canonical = {normalise_key(c): c for c in vocab.CANONICAL_COLUMNS}
    filled_otherwise = {
        *direct,
        *derived,
        *settings.fixed,
        *settings.not_recorded,
        *(["klacht_id"] if settings.id_from_line else []),
    }
    automatic: set[str] = set()
    for position, key in enumerate(folded):
        named = canonical.get(key)
        if named and named not in filled_otherwise and key not in configured:
            direct.setdefault(named, []).append(position)
            automatic.add(named)
    return _Roles(direct, automatic, derive, issues)


# ----------------------------------------------------------------------------- values


def _cleaned_cells(name: str, cells: pd.DataFrame, plan: _Plan, problems: list[Problem]) -> pd.DataFrame:
    """Every value cleaned (`values.cleaned`), rows without any value dropped; a warning per
    column that had invisible characters removed or values cut."""
    present = np.zeros(len(cells), dtype=bool)
    out = {}
    for column in cells.columns:
        feed = plan.feeds[column]
        longest = LONGEST_BY_COLUMN.get(feed.column or "", LONGEST)
        values, known, invisible, cut = cleaned(cells[column], longest)
        out[column] = values
        present |= known
        if invisible.any():
            problems.append(
                Problem(
                    name,
                    f"{_count(invisible, 'waarde bevatte', 'waarden bevatten')} "
                    f"stuurtekens of onzichtbare tekens ({_lines(cells.index[invisible])}); "
                    "die zijn verwijderd.",
                    "Controleer de export; zulke tekens komen vaak mee bij kopiëren en plakken.",
                    column=feed.header,
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
                    column=feed.header,
                    severity="waarschuwing",
                )
            )
    frame = pd.DataFrame(out, index=cells.index, copy=False)
    return frame if present.all() else frame.loc[present]


def _count(mask: np.ndarray, one: str, several: str) -> str:
    count = int(mask.sum())
    return f"{count} {one if count == 1 else several}"


def _lines(lines, most: int = 5) -> str:
    numbers = [str(int(n)) for n in lines[:most]]
    more = f" en {len(lines) - most} andere" if len(lines) > most else ""
    return ("regel " if len(lines) == 1 else "regels ") + ", ".join(numbers) + more


def _candidates(
    name: str,
    path: Path,
    source: Source,
    cells: pd.DataFrame,
    plan: _Plan,
    settings: Settings,
    problems: list[Problem],
    notes: _Notes,
) -> tuple[list[_Candidate], np.ndarray]:
    """What every read column, `vast` and the row number give each canonical column, and the
    rows with an unlisted `[afleiden]` value (reported here; their other columns are not checked)."""
    ids = next((cells[k] for k, feed in plan.feeds.items() if feed.column == "klacht_id"), None)
    candidates: list[_Candidate] = []
    unknown = np.zeros(len(cells), dtype=bool)
    for key, feed in plan.feeds.items():
        if feed.column is not None:
            candidates.append(_Candidate(feed.header, feed.column, cells[key]))
            continue
        assert feed.derivation is not None
        derivation = settings.derivations[feed.derivation]
        if feed.labels:
            unlisted = notes.unlisted_labels.setdefault(feed.header, Counter())
            given, rows = _label_values(name, feed.header, cells[key], derivation, ids, problems, unlisted)
        else:
            given, rows = _derived_values(name, feed.header, cells[key], derivation, ids, problems)
        unknown |= rows
        recorded = {c: v for c, v in given.items() if c not in settings.not_recorded}
        candidates += [_Candidate(feed.header, c, v) for c, v in recorded.items()]
    if settings.id_from_line:
        label = path.name + (f":{source.sheet}" if source.sheet is not None else "")
        numbered = [f"{label}:{line}" for line in cells.index]
        ids = pd.Series(numbered, index=cells.index, dtype=TEXT)
        candidates.append(_Candidate(LINE_NUMBER_ID, "klacht_id", ids))
    for column, value in settings.fixed.items():
        if column not in settings.not_recorded:
            candidates.append(_Candidate("vast", column, pd.Series(value, index=cells.index, dtype=TEXT)))
    return candidates, unknown


def _derived_values(
    name: str,
    header: str,
    values: pd.Series,
    derivation: Derivation,
    ids: pd.Series | None,
    problems: list[Problem],
) -> tuple[dict[str, pd.Series], np.ndarray]:
    """`[afleiden]`: what the column's value gives each canonical column (NA: gives nothing; a
    listed value or `(ingevuld)` may fill some columns only, or none with `{ }`); an unlisted
    value is an error with the line to paste."""
    codes, uniques = distinct(values)
    targets = [derivation.targets(normalise_key(u)) for u in uniques] + [derivation.values.get("", {})]
    index = np.where(codes < 0, len(uniques), codes)
    unknown = np.array([t is None for t in targets], dtype=bool)[index]
    for line in values.index[unknown]:
        value = values[line]
        example = _derivation_example(str(value), derivation.columns)
        problems.append(
            Problem(
                name,
                f"onbekende waarde '{value}' in kolom '{header}'.",
                f"Voeg in {SETTINGS_FILE} onder [afleiden.{toml_string(derivation.header)}] toe: "
                f"{toml_string(str(value))} = {{ {example} }}",
                row=int(line),
                klacht_id=_id_at(ids, line),
                column=header,
            )
        )
    return _given(targets, index, values.index, derivation.columns), unknown


LABEL_SEPARATORS = re.compile(r"[,;|]")


def _label_values(
    name: str,
    header: str,
    values: pd.Series,
    derivation: Derivation,
    ids: pd.Series | None,
    problems: list[Problem],
    unlisted: Counter,
) -> tuple[dict[str, pd.Series], np.ndarray]:
    """A labels column (`"Tags" = "labels"`): every listed label of a cell applies. Two labels
    that give one canonical column different values are an error naming both; an unlisted label
    is counted in `unlisted` (validate lists it) and is no error."""
    codes, uniques = distinct(values)
    rows_per_value = np.bincount(codes[codes >= 0], minlength=len(uniques))
    targets: list[dict[str, str] | None] = []
    clashes: list[str | None] = []
    for unique, count in zip(uniques, rows_per_value, strict=True):
        given: dict[str, tuple[str, str]] = {}  # column -> (label, value)
        clash = None
        for label in (part.strip() for part in LABEL_SEPARATORS.split(str(unique))):
            listed = derivation.targets(normalise_key(label)) if label else {}
            if listed is None:
                unlisted[label] += int(count)
                continue
            for column, value in listed.items():
                first = given.setdefault(column, (label, value))
                if first[1] != value and clash is None:
                    clash = (
                        f"de labels '{first[0]}' en '{label}' in kolom '{header}' geven {column} "
                        f"verschillende waarden ('{first[1]}' en '{value}')."
                    )
        targets.append({column: value for column, (_, value) in given.items()})
        clashes.append(clash)
    targets.append(derivation.values.get("", {}))
    clashes.append(None)
    index = np.where(codes < 0, len(uniques), codes)
    clashing = np.array([c is not None for c in clashes], dtype=bool)[index]
    for position in np.flatnonzero(clashing):
        line = values.index[position]
        problems.append(
            Problem(
                name,
                str(clashes[index[position]]),
                f"Pas de labels in de export aan, of [afleiden.{toml_string(derivation.header)}] in "
                f"{SETTINGS_FILE}, zodat ze hetzelfde zeggen.",
                row=int(line),
                klacht_id=_id_at(ids, line),
                column=header,
            )
        )
    return _given(targets, index, values.index, derivation.columns), clashing


def _given(
    targets: list[dict[str, str] | None], index: np.ndarray, rows: pd.Index, columns: tuple[str, ...]
) -> dict[str, pd.Series]:
    """Per canonical column the value each row's target gives (NA where it gives none), coded."""
    given = {}
    for column in columns:
        filled = np.array([(t or {}).get(column) or np.nan for t in targets], dtype=object)
        given[column] = from_distinct(index, filled, lambda f: f, rows, coded=True)[0]
    return given


def _id_at(ids: pd.Series | None, line: int) -> str | None:
    if ids is None or pd.isna(ids[line]):
        return None
    return str(ids[line])


def _merged_text(
    name: str, candidates: list[_Candidate], unknown: np.ndarray, settings: Settings, problems: list[Problem]
) -> pd.DataFrame:
    """One canonical text column per canonical column (canonical spellings): from the one column
    that gives it, merged per row where several do (`_merged`), all missing where none does."""
    by_column: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        by_column.setdefault(candidate.column, []).append(candidate)
    index = candidates[0].values.index[~unknown]
    out: dict[str, pd.Series] = {}
    for column in vocab.CANONICAL_COLUMNS:
        given = [
            (c.label, _canonical_column(column, c.values[~unknown] if unknown.any() else c.values, settings))
            for c in by_column.get(column, [])
        ]
        if not given:
            out[column] = pd.Series(np.nan, index=index, dtype=TEXT)
        elif len(given) == 1:
            out[column] = given[0][1]
        else:
            out[column] = _merged(name, column, given, settings.priority.get(column, ()), out, problems)
    return pd.DataFrame(out, index=index)


def _merged(
    name: str,
    column: str,
    given: list[tuple[str, pd.Series]],
    order: tuple[str, ...],
    done: dict[str, pd.Series],
    problems: list[Problem],
) -> pd.Series:
    """Several export columns fill one canonical column: per row, the value they give. Two that
    give different values are an error naming both and the row, unless `[voorrang]` lists both
    (then the first listed that gives a value wins). An empty cell, or a value mapped to "",
    gives nothing, so it never overrides another column's value."""
    ranks = {normalise_key(h): i for i, h in enumerate(order)}
    rank = lambda label: ranks.get(normalise_key(label))  # noqa: E731
    given = sorted(given, key=lambda g: (rank(g[0]) is None, rank(g[0]) or 0))  # listed first, stable
    result = given[0][1].astype(object).to_numpy(copy=True)
    owner = np.where(pd.isna(result), -1, 0)
    ids = done.get("klacht_id")
    for number, (label, values) in enumerate(given[1:], start=1):
        other = values.astype(object).to_numpy()
        gives = ~pd.isna(other)
        differs = gives & (owner >= 0)
        differs[differs] = result[differs] != other[differs]
        for position in np.flatnonzero(differs):
            first = given[owner[position]][0]
            if rank(first) is not None and rank(label) is not None:
                continue  # [voorrang] orders them
            line = values.index[position]
            problems.append(
                Problem(
                    name,
                    f"de kolommen '{first}' en '{label}' geven {column} verschillende waarden "
                    f"('{result[position]}' en '{other[position]}').",
                    f"Zeg in {SETTINGS_FILE} welke voorgaat, bijvoorbeeld [voorrang] {column} = "
                    f"[{toml_string(first)}, {toml_string(label)}], of pas de koppeling aan.",
                    row=int(line),
                    klacht_id=_id_at(ids, line),
                    column=column,
                )
            )
        takes = gives & (owner < 0)
        result[takes] = other[takes]
        owner[takes] = number
    return pd.Series(pd.array(result, dtype=TEXT), index=given[0][1].index)


def _canonical_column(column: str, values: pd.Series, settings: Settings) -> pd.Series:
    """Canonical spelling of one column's values; still text, unknown values kept.

    A `[waarden]` alias to "" makes the value missing: not recorded. Teams are renamed
    (`[teams]`) and take the spelling of `[organisatie] teams` where they are on it.
    """
    aliases = settings.value_aliases.get(column, {})
    if column in vocab.ALLOWED_VALUES:
        return canonical_values(values, vocab.ALLOWED_VALUES[column], aliases)
    if column == "reden" and settings.reason_catalogue:
        return canonical_values(values, settings.reason_catalogue, aliases, reason_key)
    if column == "team":
        return listed_teams(renamed_teams(aliased(values, aliases), settings.team_renames), settings.teams)
    if column == "aard":
        return map_distinct(aliased(values, aliases), lambda v: str(v).strip().lower())
    if column == vocab.NORM_COLUMN:
        return map_distinct(values, lambda v: _canonical_norms(v, aliases))
    return aliased(values, aliases)


def _combined_history(text: pd.DataFrame) -> pd.DataFrame:
    """`regels = "statushistorie"`: one row per klacht_id; per column the value of the complaint's
    last row (file order) that gives one; the row's line is the complaint's last line. A row
    without klacht_id stays as it is (it is reported as such)."""
    ids = text["klacht_id"]
    with_id = ids.notna().to_numpy()
    rows = text.loc[with_id]
    key = rows["klacht_id"].astype(TEXT).to_numpy()
    combined = rows.groupby(key, sort=False).last()
    combined.index = pd.Series(rows.index, index=rows.index).groupby(key, sort=False).last().to_numpy()
    return pd.concat([combined, text.loc[~with_id]]).sort_index()


def _before_start(text: pd.DataFrame, settings: Settings) -> np.ndarray:
    """Rows received before `[bestand] vanaf`: the register is not complete there (skipped, counted)."""
    if settings.complete_from is None:
        return np.zeros(len(text), dtype=bool)
    received = parse_dates(
        text["datum_ontvangst"], month_first=settings.month_first, timezone=settings.timezone
    )
    return (received < pd.Timestamp(settings.complete_from)).to_numpy(dtype=bool)


def _with_defaults(text: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """`[standaard]`: a column's value where nothing gives one."""
    if not settings.defaults:
        return text
    text = text.copy()
    for column, value in settings.defaults.items():
        text[column] = with_default(text[column], _canonical_column(column, pd.Series([value]), settings)[0])
    return text


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
            typed[column] = as_text(values)
    return pd.DataFrame(typed, index=text.index, copy=False)  # new columns: no copy of a million cells


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


def _required_problems(name: str, text: pd.DataFrame) -> list[Problem]:
    """Required values present (with `regels = "statushistorie"`: on some row of the complaint)."""
    problems = []
    for column, (message, hint) in _REQUIRED_VALUE_TEXT.items():
        problems += [
            _problem(name, text, line, column, message, hint) for line in text.index[text[column].isna()]
        ]
    return problems


def _vocabulary_problems(name: str, text: pd.DataFrame, settings: Settings) -> list[Problem]:
    """Closed columns within their vocabulary (checked per distinct value, on every row)."""
    allowed = dict(vocab.ALLOWED_VALUES)
    if settings.reason_catalogue:
        allowed["reden"] = tuple(settings.reason_catalogue)
    problems = []
    for column in vocab.CANONICAL_COLUMNS:
        if column in allowed:
            values = text[column]
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


# Published columns whose values could hold a person's name (register.md, "No person in a public
# column"), and what reads like one: a title or "medewerker" before a name, or an initial and a surname.


# Published columns whose values could hold a person's name (register.md, "No person in a public
# column"), and what reads like one: a title or "medewerker" before a name, or an initial and a surname.
PUBLISHED_TEXT_COLUMNS = ("team", "aard", "reden", "kanaal")
_PERSON = re.compile(
    r"(?:^|[\s(:/-])(?:(?i:medewerker|behandelaar|mw|mevr|dhr)\.?:?\s+[A-Z]"  # medewerker Jansen
    r"|[A-Z]\.(?:\s?[A-Z]\.)*\s?(?:(?:van|de|der|den|ter|te|ten|het|la|le|op)\s+)*"  # J. de Vries
    r"[A-Z][a-zà-ÿ'-]+)"
    r"|(?:^|[\s(:/-])(?i:mw|mevr|dhr|mevrouw|meneer|de heer)\b\.?\s+\S"  # mw. de Vries
)


def reads_like_a_person(value: str) -> bool:
    """`mw. De Vries`, `dhr. Bakker`, `medewerker Jansen`, `J. de Vries`, `A.B. Smit`."""
    return bool(_PERSON.search(value))


def _publication_problems(
    name: str, text: pd.DataFrame, settings: Settings, dropped: Callable[[], pd.DataFrame], plan: _Plan
) -> list[Problem]:
    """No person in a public column. With `[organisatie] teams`, a team that is not on the list is
    an error. A value of `team` (without that list), `aard`, `reden` or `kanaal` that reads like a
    person, or that equals a cell of a column the reader drops (ignoring case), is an error: map
    it to a team or to "". Values from a closed list (the vocabulary, the reason catalogue, the
    team list) are the coordinator's own words and are only compared for reading like a person."""
    listed = {team_key(t) for t in settings.teams}
    closed = {"kanaal", *(["reden"] if settings.reason_catalogue else []), *(["team"] if listed else [])}
    in_dropped: dict[str, str] | None = None
    problems = []
    for column in PUBLISHED_TEXT_COLUMNS:
        values = text[column]
        codes, uniques = distinct(values)
        if not len(uniques):
            continue
        found: list[tuple[str, str] | None] = []
        for value in (str(u) for u in uniques):
            if column == "team" and listed:
                found.append(
                    None
                    if team_key(value) in listed
                    else (
                        f"het team '{value}' staat niet in [organisatie] teams.",
                        f"Koppel het in {SETTINGS_FILE} aan een team van de lijst onder [waarden.team], "
                        f'bijvoorbeeld {toml_string(value)} = "<team>", of zet het team op de lijst.',
                    )
                )
                continue
            if reads_like_a_person(value):
                found.append(
                    (
                        f"'{value}' in kolom {column} lijkt een persoon; {column} komt in het openbare "
                        "verslag.",
                        f"Koppel de waarde in {SETTINGS_FILE} onder [waarden.{column}] aan een team of "
                        f'categorie, of aan "" (niet vastgelegd): {toml_string(value)} = ""',
                    )
                )
                continue
            if column in closed:
                found.append(None)
                continue
            if in_dropped is None:
                in_dropped = _dropped_values(dropped(), plan)  # read only now: most registers need none
            header = in_dropped.get(team_key(value))
            found.append(
                None
                if header is None
                else (
                    f"'{value}' in kolom {column} staat ook in de kolom '{header}', die niet wordt gelezen "
                    "(daar kunnen namen in staan); "
                    f"{column} komt in het openbare verslag.",
                    f"Koppel de waarde in {SETTINGS_FILE} onder [waarden.{column}] aan een team of "
                    f'categorie, of aan "": {toml_string(value)} = ""'
                    + (
                        ". Of zet de teams van de organisatie in [organisatie] teams."
                        if column == "team"
                        else ""
                    ),
                )
            )
        bad = np.array([f is not None for f in found] + [False], dtype=bool)[codes]
        for position in np.flatnonzero(bad):
            message, hint = found[codes[position]] or ("", "")
            problems.append(_problem(name, text, text.index[position], column, message, hint))
    return problems


def _dropped_values(dropped: pd.DataFrame, plan: _Plan) -> dict[str, str]:
    """Every cell of the dropped columns (folded as team names are) -> the first column holding it."""
    found: dict[str, str] = {}
    for key in dropped.columns:
        for value in present_values(dropped[key]):
            text = str(value)
            if text.strip() and len(text) <= 2 * LONGEST:
                found.setdefault(team_key(text), plan.dropped[key])
    return found


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


def _rule_problems(
    name: str, text: pd.DataFrame, typed: pd.DataFrame, read: set[str], settings: Settings
) -> list[Problem]:
    """Values required by the status: a reason when not handled on its merits, a team when handled.

    An empty cell in a column the file has is an error; a file without the column at all
    records nothing about it: one warning (none when `niet_vastgelegd` says so), and the report
    counts "... niet vastgelegd". A prevented complaint in an export that `niet_vastgelegd` says
    does not record them is an error.
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
            status.isin([vocab.HANDLED]) & typed["team"].isna(),
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
            if column in settings.not_recorded:
                continue  # said in klachten.toml: the report counts "... niet vastgelegd"
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
    if PREVENTED in settings.not_recorded:
        problems += [
            _problem(
                name,
                text,
                line,
                "status",
                "status 'voorkomen', maar [bestand] niet_vastgelegd zegt dat de export voorkomen klachten "
                "niet vastlegt.",
                f"Haal voorkomen weg uit niet_vastgelegd in {SETTINGS_FILE}, of koppel deze status anders.",
            )
            for line in typed.index[(status == vocab.PREVENTED).fillna(False).astype(bool)]
        ]
    return problems


def _drop_duplicates(register: pd.DataFrame, keep_last: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """Identical rows with one klacht_id count once; different content is an error, or with
    `dubbel = "laatste"` the row of the file (or sheet) that comes last counts and a warning names
    the klacht_ids per pair of files."""
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
    if keep_last and not clashing.empty:
        last = clashing.groupby("klacht_id", sort=False)["_order"].transform("max")
        older = clashing.index[clashing["_order"] < last]
        problems += _overlap_warnings(clashing, older)
        register = register.drop(index=older)
        clashing = clashing.drop(index=older)
    for _, group in clashing.groupby("klacht_id", sort=False):
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            differs = [c for c in columns if not _same(first[c], other[c])]
            problems.append(
                Problem(
                    other["_file"],
                    f"klacht_id {other['klacht_id']} staat ook in {first['_file']} regel {first['_line']}, "
                    f"met andere inhoud (verschil in: {', '.join(differs)}).",
                    "Houd één regel per klacht: verwijder de dubbele regel of geef hem een eigen klacht_id; "
                    f'overlappen exports elkaar, zet dan in {SETTINGS_FILE} [bestand] dubbel = "laatste".',
                    row=int(other["_line"]),
                    klacht_id=str(other["klacht_id"]),
                    column="klacht_id",
                )
            )
    return register, problems


def _overlap_warnings(clashing: pd.DataFrame, older: pd.Index) -> list[Problem]:
    """`dubbel = "laatste"`: per file that lost rows, which klacht_ids and the file that counts."""
    winners = clashing.loc[~clashing.index.isin(older)].drop_duplicates("klacht_id").set_index("klacht_id")
    problems = []
    lost = clashing.loc[older]
    for (file, winner), group in lost.groupby(
        [lost["_file"], lost["klacht_id"].map(winners["_file"])], sort=False
    ):
        ids = list(dict.fromkeys(str(i) for i in group["klacht_id"]))
        shown = ", ".join(ids[:10]) + (f" en {len(ids) - 10} andere" if len(ids) > 10 else "")
        problems.append(
            Problem(
                str(file),
                f"{len(ids)} klacht_id's staan ook in {winner} met andere inhoud; de regel uit {winner} telt "
                f'(dubbel = "laatste"): {shown}.',
                severity="waarschuwing",
            )
        )
    return problems


def _same(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)
