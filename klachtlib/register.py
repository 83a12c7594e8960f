"""Read and check the data folder: the register files and `klantcontacten.csv`.

Forgiving about form (separator, encoding, header spelling, date format, Excel cells) and
strict about meaning (closed vocabularies, required values, dates in order), as
shared/spec/register.md demands. Every problem of every file is collected before anything is
raised. Only the columns of `vocab.CANONICAL_COLUMNS` are read past the header: every other
column may hold personal data, so it never enters a DataFrame or an error message.

Text columns use pandas' default string dtype (`str`), whose missing value is NaN: test with
`isna()`. Dates are `datetime64[ns]`, `verdaagd`/`ombudsman` nullable `boolean` (see
`REGISTER_SCHEMA`). Getting text cells out of a file is `tabular`, reading dates is `dates`:
each a concern of its own, kept apart so this module holds the register's rules.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from klachtlib import vocab
from klachtlib.dates import DATE, parse_dates, show_date
from klachtlib.errors import DataError, Problem
from klachtlib.settings import SETTINGS_FILE, Settings, load_settings
from klachtlib.tabular import TEXT, read_csv_cells, read_xlsx_cells
from klachtlib.vocab import normalise_key

if TYPE_CHECKING:
    import pandera.pandas as pa

# pandera (about 0.3 s to import) and openpyxl (in `tabular`) are imported when first needed: a
# clean CSV register is checked without pandera (see `_schema_problems`), and `REGISTER_SCHEMA`
# is built on first use (module `__getattr__`). `parse_dates` is re-exported from `dates`.

REGISTER_PREFIX = "klachtenregister"
REGISTER_SUFFIXES = (".csv", ".xlsx")
CONTACTS_FILE = "klantcontacten.csv"
CONTACT_COLUMNS = ("jaar", "kanaal", "aantal")
DATE_EXAMPLES = "2024-03-05, 5-3-2024 of 5 maart 2024"


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
    """Everything a report needs from the data folder, checked together."""

    register: pd.DataFrame
    contacts: pd.DataFrame
    settings: Settings
    warnings: list[Problem]


# ----------------------------------------------------------------------------- public API


def read_register(
    data_dir: Path, settings: Settings | None = None, today: date | None = None
) -> pd.DataFrame:
    """All register files of `data_dir` as one checked frame; DataError with every problem."""
    data_dir = _existing_folder(data_dir)
    if settings is None:
        settings = load_settings(data_dir)
    register, problems = _load_register(data_dir, settings, today or date.today())
    _raise_on_errors(problems)
    return register


def read_contacts(data_dir: Path, settings: Settings | None = None) -> pd.DataFrame:
    """`klantcontacten.csv` as jaar/kanaal/aantal (aantal NA = no data known); empty when absent."""
    data_dir = _existing_folder(data_dir)
    if settings is None:
        settings = load_settings(data_dir)
    contacts, problems = _load_contacts(data_dir / CONTACTS_FILE, settings)
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
    register, register_problems = _load_register(data_dir, settings, today or date.today())
    contacts, contact_problems = _load_contacts(data_dir / CONTACTS_FILE, settings)
    problems += register_problems + contact_problems
    _raise_on_errors(problems)
    warnings = [p for p in problems if p.severity != "fout"]
    return DataFolder(register=register, contacts=contacts, settings=settings, warnings=warnings)


def register_files(data_dir: Path) -> list[Path]:
    """Register files in name order: `klachtenregister*.csv` / `.xlsx`, case-insensitive."""
    return sorted(
        (p for p in Path(data_dir).iterdir() if p.is_file() and _is_register_name(p.name)),
        key=lambda p: p.name,
    )


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


def _load_register(data_dir: Path, settings: Settings, today: date) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and check every register file, then the rules that span files (duplicates)."""
    problems = _ignored_register_files(data_dir)
    files = register_files(data_dir)
    if not files:
        problems.append(
            Problem(
                str(data_dir),
                f"geen klachtenregister gevonden: geen bestand waarvan de naam begint met "
                f"'{REGISTER_PREFIX}' en eindigt op .csv of .xlsx.",
                "Zet de export van het register in deze map, bijvoorbeeld als klachtenregister.xlsx.",
            )
        )
    frames = []
    for order, path in enumerate(files):
        frame = _load_register_file(path, settings, today, problems)
        if frame is not None:
            frames.append(frame.assign(_file=str(path), _order=order, _line=frame.index))
    combined = pd.concat(frames, ignore_index=True) if frames else _empty_register_with_origin()
    combined, duplicate_problems = _drop_duplicates(combined)
    problems += duplicate_problems
    register = combined.sort_values(["datum_ontvangst", "klacht_id", "_order", "_line"], kind="stable")
    return register.loc[:, list(vocab.CANONICAL_COLUMNS)].reset_index(drop=True), problems


def _empty_register_with_origin() -> pd.DataFrame:
    frame = _typed_register(pd.DataFrame({c: pd.Series(dtype=TEXT) for c in vocab.CANONICAL_COLUMNS}))
    return frame.assign(
        _file=pd.Series(dtype=TEXT), _order=pd.Series(dtype="int64"), _line=pd.Series(dtype="int64")
    )


def _load_register_file(
    path: Path, settings: Settings, today: date, problems: list[Problem]
) -> pd.DataFrame | None:
    """One register file, typed and checked; problems are appended, None when unusable."""
    name, found, read = str(path), [], set()

    def select(headers: list[str]) -> dict[int, str] | None:
        chosen = _select_register_columns(name, headers, settings, found)
        read.update((chosen or {}).values())
        return chosen

    cells = _read_cells(path, select, found)
    typed = None
    if cells is not None:
        text = _canonical_text(_with_all_columns(cells, vocab.CANONICAL_COLUMNS), settings)
        found += _schema_problems(name, text, settings)
        typed = _typed_register(text)
        found += _date_problems(name, text, typed, today)
        found += _rule_problems(name, text, typed, read)
    problems += sorted(found, key=lambda p: p.row or 0)  # stable: per line in check order
    return typed


# ----------------------------------------------------------------------------- reading cells


def _read_cells(
    path: Path, select: Callable[[list[str]], dict[int, str] | None], problems: list[Problem]
) -> pd.DataFrame | None:
    """The selected columns of a file as trimmed text (NA when empty), index = line number.

    `select` maps header positions to canonical names (or returns None after reporting why
    the header is unusable); nothing outside those positions is kept. Blank rows are dropped.
    """
    name = str(path)
    if path.suffix.lower() == ".xlsx":
        cells = read_xlsx_cells(path, select, problems)
    else:
        cells = read_csv_cells(path, select, problems)
    if cells is None:
        return None
    trimmed = {column: _trimmed_and_present(cells[column]) for column in cells.columns}
    present = np.zeros(len(cells), dtype=bool)
    for _, mask in trimmed.values():
        present |= mask
    cells = pd.DataFrame({column: values for column, (values, _) in trimmed.items()}, index=cells.index)
    cells = cells[present]
    if cells.empty and not any(p.file == name for p in problems):
        problems.append(
            Problem(
                name,
                "het bestand bevat alleen een kopregel en geen klachten.",
                "Exporteer het register opnieuw, met de klachten, of haal dit bestand uit de map.",
                row=1,
            )
        )
        return None
    return cells


def _trimmed(values: pd.Series) -> pd.Series:
    """Stripped text, NA for empty; computed once per distinct value (registers repeat a lot)."""
    return _trimmed_and_present(values)[0]


def _trimmed_and_present(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """`_trimmed`, and where it is not NA.

    Categories (as the CSV reader makes them) are stripped once per category; other text
    (an identifier column, where every value differs) is stripped directly.
    """
    if _is_coded(values):
        codes, categories = values.cat.codes.to_numpy(), values.cat.categories
        return _from_distinct(codes, categories, _strip_or_na, values.index, coded=True)
    stripped = values.astype(TEXT).str.strip()
    stripped = stripped.mask(stripped == "")
    return stripped, stripped.notna().to_numpy()


def _strip_or_na(uniques: np.ndarray) -> np.ndarray:
    stripped = pd.Series(uniques, dtype=TEXT).str.strip()
    return stripped.mask(stripped == "").to_numpy(dtype=object, na_value=np.nan)


def _is_coded(values: pd.Series) -> bool:
    """Coded text: a categorical of strings, as the CSV reader makes it.

    The register's text columns stay coded from the reader to `_typed_register`, so every
    step works on the distinct values and a million cells are turned into strings once.
    """
    return isinstance(values.dtype, pd.CategoricalDtype)


def _distinct(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for NA) and the distinct non-NA values, as objects."""
    if _is_coded(values):
        return values.cat.codes.to_numpy(), values.cat.categories.to_numpy(dtype=object)
    codes, uniques = pd.factorize(values)
    return codes, np.asarray(uniques, dtype=object)


def _from_distinct(
    codes: np.ndarray, uniques, convert, index: pd.Index, *, coded: bool
) -> tuple[pd.Series, np.ndarray]:
    """`convert` (object array -> object array, NaN for NA) on the distinct values, mapped back:
    coded text (values that become equal or NA are merged), or plain text if not `coded`."""
    converted = convert(np.asarray(uniques, dtype=object))
    if coded:
        recoded, categories = pd.factorize(converted)  # NA -> -1
        new_codes = np.append(recoded, -1)[codes]
        values = pd.Categorical.from_codes(
            new_codes, dtype=pd.CategoricalDtype(pd.Index(categories, dtype=TEXT))
        )
        return pd.Series(values, index=index), new_codes != -1
    text = pd.array(converted, dtype=TEXT)
    known = np.append(~text.isna(), False)
    # A take from the distinct values: no per-cell conversion or check of a million strings.
    return pd.Series(text.take(codes, allow_fill=True), index=index), known[codes]


def _map_distinct(values: pd.Series, mapping: Callable[[object], object]) -> pd.Series:
    """`values.map(mapping)` as text, computed once per distinct value; NA stays NA."""
    codes, uniques = _distinct(values)
    convert = lambda distinct: np.array([mapping(v) for v in distinct], dtype=object)  # noqa: E731
    return _from_distinct(codes, uniques, convert, values.index, coded=_is_coded(values))[0]


def _present_values(values: pd.Series) -> set:
    """The distinct non-NA values that occur."""
    if _is_coded(values):
        codes = values.cat.codes.to_numpy()
        used = np.bincount(codes[codes >= 0], minlength=len(values.cat.categories)) > 0
        return set(values.cat.categories[used])
    return set(values.dropna().unique())


# ----------------------------------------------------------------------------- headers


def _match_headers(
    headers: list[str], aliases: dict[str, str], wanted: tuple[str, ...]
) -> dict[str, list[int]]:
    """Canonical column -> positions of the headers that mean it (normalised, or a toml alias)."""
    lookup = {normalise_key(c): c for c in wanted} | {k: v for k, v in aliases.items() if v in wanted}
    found: dict[str, list[int]] = {}
    for position, header in enumerate(headers):
        canonical = lookup.get(normalise_key(header))
        if canonical:
            found.setdefault(canonical, []).append(position)
    return found


def _select_columns(
    name: str,
    headers: list[str],
    found: dict[str, list[int]],
    required: tuple[str, ...],
    problems: list[Problem],
) -> dict[int, str] | None:
    """Positions to read, or None after reporting missing or doubly claimed columns."""
    before = len(problems)
    for column, positions in found.items():
        if len(positions) > 1:
            names = " en ".join(f"'{headers[p].strip()}' (kolom {p + 1})" for p in positions)
            problems.append(
                Problem(
                    name,
                    f"de kolommen {names} betekenen allebei '{column}'.",
                    f"Verwijder of hernoem een van de kolommen, of pas [kolommen] in {SETTINGS_FILE} aan.",
                    row=1,
                    column=column,
                )
            )
    for column in required:
        if column not in found:
            example = _EXAMPLE_HEADERS.get(column, column.capitalize())
            problems.append(
                Problem(
                    name,
                    f"de verplichte kolom '{column}' ontbreekt.",
                    f"Voeg de kolom toe, of koppel de kopnaam uit de export in {SETTINGS_FILE} onder "
                    f'[kolommen], bijvoorbeeld: "{example}" = "{column}"',
                    row=1,
                    column=column,
                )
            )
    if len(problems) > before:
        return None
    return {positions[0]: column for column, positions in found.items()}


def _select_register_columns(
    name: str, headers: list[str], settings: Settings, problems: list[Problem]
) -> dict[int, str] | None:
    found = _match_headers(headers, settings.header_aliases, vocab.CANONICAL_COLUMNS)
    return _select_columns(name, headers, found, vocab.REQUIRED_COLUMNS, problems)


def _with_all_columns(cells: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Every wanted column in order; optional columns absent from the file become all-NA.

    Coded text stays coded; anything else becomes text.
    """
    frame = cells.reindex(columns=list(columns))
    return frame.astype({c: TEXT for c in frame.columns if not _is_coded(frame[c])})


# ----------------------------------------------------------------------------- values


def _compact(key: str) -> str:
    return key.replace(" ", "")


def _reason_key(text: str) -> str:
    return normalise_key(text).rstrip(".;").rstrip()


def _canonical_map(
    uniques, allowed: tuple[str, ...], aliases: dict[str, str], key=normalise_key
) -> dict[str, str]:
    """Each distinct spelling -> its canonical value; unknown spellings map to themselves.

    Matching folds case, spaces, `-` and `_` (and also ignores spaces, so `email` finds
    `e-mail`); a toml alias is looked up first and its target is matched the same way.
    """
    lookup: dict[str, str] = {}
    for value in allowed:
        lookup.setdefault(_compact(key(value)), value)
        lookup[key(value)] = value
    mapping = {}
    for value in uniques:
        folded = normalise_key(value)
        target = key(aliases[folded]) if folded in aliases else key(value)
        mapping[value] = lookup.get(target) or lookup.get(_compact(target)) or value
    return mapping


def canonical_values(
    values: pd.Series, allowed: tuple[str, ...], aliases: dict[str, str] | None = None, key=normalise_key
) -> pd.Series:
    """Known spellings to canonical values; unknown ones stay as written so checks can name them."""
    codes, uniques = _distinct(values)
    mapping = _canonical_map(uniques, allowed, aliases or {}, key)
    return _from_distinct(
        codes,
        uniques,
        lambda u: np.array([mapping[v] for v in u], dtype=object),
        values.index,
        coded=_is_coded(values),
    )[0]


def _aliased(values: pd.Series, aliases: dict[str, str]) -> pd.Series:
    """Open columns: a toml value alias replaces the value, anything else is kept as written."""
    if not aliases:
        return values
    return _map_distinct(values, lambda v: aliases.get(normalise_key(v), v))


def _renamed_teams(teams: pd.Series, renames: dict[str, str]) -> pd.Series:
    """Old team names to their current name, following chains (A -> B -> C)."""
    if not renames:
        return teams
    folded = {normalise_key(old): new for old, new in renames.items()}

    def renamed(team: str) -> str:
        current, seen = team, set()
        while normalise_key(current) in folded and normalise_key(current) not in seen:
            seen.add(normalise_key(current))
            current = folded[normalise_key(current)]
        return current

    return _map_distinct(teams, renamed)


def _canonical_text(text: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Canonical spelling for every column that has one; still text, unknown values kept."""
    aliases = settings.value_aliases
    out = text.copy()
    for column, allowed in vocab.ALLOWED_VALUES.items():
        out[column] = canonical_values(text[column], allowed, aliases.get(column))
    if settings.reason_catalogue:
        out["reden"] = canonical_values(
            text["reden"], settings.reason_catalogue, aliases.get("reden"), _reason_key
        )
    else:
        out["reden"] = _aliased(text["reden"], aliases.get("reden", {}))
    out["team"] = _renamed_teams(_aliased(text["team"], aliases.get("team", {})), settings.team_renames)
    out["aard"] = _map_distinct(
        _aliased(text["aard"], aliases.get("aard", {})), lambda v: str(v).strip().lower()
    )
    return out


def _typed_register(text: pd.DataFrame) -> pd.DataFrame:
    """Canonical text to the published dtypes: dates, nullable booleans, strings."""
    typed = {}
    for column in vocab.CANONICAL_COLUMNS:
        values = text[column]
        if column in vocab.DATE_COLUMNS:
            typed[column] = parse_dates(values)
        elif column in vocab.YES_NO_COLUMNS:
            codes, uniques = _distinct(values)
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


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _suggestion(value: str, allowed: tuple[str, ...], key=normalise_key) -> str | None:
    """The allowed value a spelling most likely means; None rather than a risky guess."""
    folded = key(value)
    contained = [a for a in allowed if re.search(rf"\b{re.escape(key(a))}\b", folded)]
    if len(contained) == 1:
        return contained[0]
    prefixed = [a for a in allowed if folded and key(a).startswith(folded)]
    if len(prefixed) == 1:
        return prefixed[0]
    keys = {key(a): a for a in allowed}
    close = difflib.get_close_matches(folded, list(keys), n=1, cutoff=0.8)
    return keys[close[0]] if close else None


def _alias_hint(column: str, value: str, allowed: tuple[str, ...], key=normalise_key) -> str:
    target = _suggestion(value, allowed, key) or "<toegestane waarde>"
    line = f"{_toml_string(value)} = {_toml_string(target)}"
    return f"Voeg anders in {SETTINGS_FILE} onder [waarden.{column}] toe: {line}"


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
            + _alias_hint(column, value, catalogue, _reason_key),
        )
    allowed = vocab.ALLOWED_VALUES[column]
    return _problem(
        name,
        text,
        line,
        column,
        f"onbekende waarde '{value}' voor {column}.",
        f"Toegestaan: {', '.join(allowed)}. " + _alias_hint(column, value, allowed),
    )


def _text_schema(settings: Settings) -> pa.DataFrameSchema:
    """The canonicalised text of one file: required values present, closed columns in vocabulary."""
    import pandera.pandas as pa

    columns = {c: pa.Column(str, nullable=True) for c in vocab.CANONICAL_COLUMNS}
    for column in ("klacht_id", "datum_ontvangst"):
        columns[column] = pa.Column(str, nullable=False)
    for column, allowed in vocab.ALLOWED_VALUES.items():
        columns[column] = pa.Column(
            str, pa.Check.isin(allowed), nullable=column not in vocab.REQUIRED_COLUMNS
        )
    if settings.reason_catalogue:
        columns["reden"] = pa.Column(str, pa.Check.isin(settings.reason_catalogue), nullable=True)
    return pa.DataFrameSchema(columns, ordered=True)


def _schema_problems(name: str, text: pd.DataFrame, settings: Settings) -> list[Problem]:
    """Validate with pandera (lazy: all failures) and word each failure case in Dutch.

    A text that passes `_passes_text_schema` (the same rules, checked on distinct values)
    has nothing to report, so pandera is only imported and run when something is wrong.
    """
    if _passes_text_schema(text, settings):
        return []
    import pandera.pandas as pa

    try:
        _text_schema(settings).validate(text.astype(TEXT), lazy=True)
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    else:
        return []
    problems = []
    for failure in failures.itertuples(index=False):
        line, column, check = failure.index, failure.column, str(failure.check)
        if check == "not_nullable" and column in _REQUIRED_VALUE_TEXT:
            message, hint = _REQUIRED_VALUE_TEXT[column]
            problems.append(_problem(name, text, line, column, message, hint))
        elif check.startswith("isin"):
            problems.append(_unknown_value(name, text, line, column, str(failure.failure_case), settings))
        else:  # a rule we added without wording; never silent
            problems.append(
                Problem(name, f"controle '{check}' mislukt.", row=_maybe_int(line), column=column)
            )
    return problems


def _passes_text_schema(text: pd.DataFrame, settings: Settings) -> bool:
    """True when `_text_schema(settings)` would find nothing: the rules, without pandera."""
    if list(text.columns) != list(vocab.CANONICAL_COLUMNS):
        return False
    if any(text[c].dtype != TEXT and not _is_coded(text[c]) for c in vocab.CANONICAL_COLUMNS):
        return False
    allowed = dict(vocab.ALLOWED_VALUES)
    if settings.reason_catalogue:
        allowed["reden"] = tuple(settings.reason_catalogue)
    required = {"klacht_id", "datum_ontvangst", *vocab.REQUIRED_COLUMNS}
    for column in vocab.CANONICAL_COLUMNS:
        values = text[column]
        if column in required and values.isna().any():
            return False
        if column in allowed and not _present_values(values) <= set(allowed[column]):
            return False
    return True


def _maybe_int(value) -> int | None:
    return None if pd.isna(value) else int(value)


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
                    row=1,
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


# ----------------------------------------------------------------------------- contacts


def _empty_contacts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "jaar": pd.Series(dtype="int64"),
            "kanaal": pd.Series(dtype=TEXT),
            "aantal": pd.Series(dtype="Int64"),
        }
    )


def _load_contacts(path: Path, settings: Settings) -> tuple[pd.DataFrame, list[Problem]]:
    """`klantcontacten.csv`: contact volumes per year and channel; absent file = no data."""
    if not path.exists():
        return _empty_contacts(), []
    name, problems = str(path), []

    def select(headers: list[str]) -> dict[int, str] | None:
        found = _match_headers(headers, {}, CONTACT_COLUMNS)
        return _select_columns(name, headers, found, CONTACT_COLUMNS, problems)

    cells = read_csv_cells(path, select, problems)
    if cells is None:
        return _empty_contacts(), problems
    text = _with_all_columns(cells.apply(_trimmed), CONTACT_COLUMNS).astype(TEXT)
    text = text[text.notna().any(axis=1)]

    def bad(mask: pd.Series, column: str, message: str, hint: str) -> list[Problem]:
        def worded(value) -> str:
            return f"{column} is leeg." if pd.isna(value) else message.format(value=value)

        return [
            Problem(name, worded(text.at[line, column]), hint, row=int(line), column=column)
            for line in text.index[mask]
        ]

    year_ok = text["jaar"].str.fullmatch(r"(19|20|21)\d\d").fillna(False).astype(bool)
    problems += bad(
        ~year_ok, "jaar", "'{value}' is geen geldig jaartal.", "Schrijf het jaar als vier cijfers, bv. 2024."
    )

    channel = canonical_values(text["kanaal"], vocab.CHANNELS, settings.value_aliases.get("kanaal"))
    channel_ok = channel.isin(vocab.CHANNELS)
    for line in text.index[~channel_ok]:
        value = text.at[line, "kanaal"]
        message = "kanaal is leeg." if pd.isna(value) else f"onbekende waarde '{value}' voor kanaal."
        hint = f"Toegestaan: {', '.join(vocab.CHANNELS)}."
        if not pd.isna(value):
            hint += " " + _alias_hint("kanaal", value, vocab.CHANNELS)
        problems.append(Problem(name, message, hint, row=int(line), column="kanaal"))

    amount_text = text["aantal"].str.replace(r"^(\d{1,3})(?:[. ]\d{3})+$", _without_separators, regex=True)
    amount_ok = text["aantal"].isna() | amount_text.str.fullmatch(r"\d+").fillna(False).astype(bool)
    problems += bad(
        ~amount_ok,
        "aantal",
        "'{value}' is geen geldig aantal: een heel getal, 0 of meer.",
        "Vul een aantal in zonder decimalen (bv. 1250), of laat het leeg als het aantal niet bekend is.",
    )

    valid = year_ok & channel_ok & amount_ok
    contacts = pd.DataFrame(
        {
            "jaar": pd.to_numeric(text["jaar"].where(valid)).astype("Int64"),
            "kanaal": channel.where(valid),
            "aantal": pd.to_numeric(amount_text.where(valid)).astype("Int64"),
            "_line": text.index,
        }
    ).loc[valid]
    repeated = contacts.duplicated(subset=["jaar", "kanaal"], keep="first")
    first_line = contacts.drop_duplicates(subset=["jaar", "kanaal"]).set_index(["jaar", "kanaal"])["_line"]
    for _, row in contacts.loc[repeated].iterrows():
        problems.append(
            Problem(
                name,
                f"jaar {row['jaar']} en kanaal {row['kanaal']} staan ook op regel "
                f"{first_line[(row['jaar'], row['kanaal'])]}.",
                "Houd per jaar en kanaal één regel over.",
                row=int(row["_line"]),
                column="kanaal",
            )
        )
    order = {c: i for i, c in enumerate(vocab.CHANNELS)}
    contacts = contacts.loc[~repeated].sort_values(
        ["jaar", "kanaal"], key=lambda s: s.map(order) if s.name == "kanaal" else s
    )
    result = contacts.drop(columns="_line").reset_index(drop=True)
    problems.sort(key=lambda p: p.row or 0)
    return result.astype({"jaar": "int64", "kanaal": TEXT, "aantal": "Int64"}), problems


def _without_separators(match: re.Match) -> str:
    return re.sub(r"[. ]", "", match.group(0))
