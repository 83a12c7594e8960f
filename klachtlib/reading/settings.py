"""Local settings from `klachten.toml`: how the export is read, aliases, reasons, terms, norms.

Every municipality's case system spells things its own way; the toml file lets the
coordinator describe the export as it comes (shared/spec/register.md, "Exports as they
come") without touching it. The file is described by pydantic models, one per section
(`extra="forbid"`, strict types, `Literal` vocabularies, `Field` bounds, validators for what
a type cannot say), so a typo is never silently ignored. `MESSAGES` turns each of pydantic's
errors into one Dutch line naming the line of `klachten.toml` (tomllib gives no line numbers,
so `_TomlLines` finds them by searching the text for the section and key); `_settings` turns
the checked file into the `Settings` the rest of the workbook reads.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin
from zoneinfo import ZoneInfo

from babel.lists import format_list
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from klachtlib.errors import DataError, Problem
from klachtlib.reading import behoorlijkheid
from klachtlib.reading.files import read_input_bytes
from klachtlib.reading.vocab import (
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
NORM_KEYS = ("binnen_termijn_procent", "informeel_procent", "gegrond_procent_max")
# Columns [standaard] and vast cannot fill: an identifier or a date is never the same for every row.
NO_DEFAULT = ("klacht_id", "datum_ontvangst", "datum_afgehandeld")

# Bounds (issue 18): a value outside them is a typo, never a reason for a traceback or a hang.
# Awb 9:11: a complaint is handled within 6 weeks, or 10 with an advisory body (afdeling 9.3); an
# organisation may promise less, never more. Extension ("verdaging"): at most 4 weeks; more only
# with the complainant's written consent, per complaint (9:11 lid 3), which is no setting.
MAX_TERM_WEEKS = 10
MAX_EXTENSION_WEEKS = 4
MAX_INHABITANTS = 20_000_000  # more than live in the Netherlands: a typo, not a municipality
FIRST_YEAR, LAST_YEAR = 1900, 2100  # as for periods and dates on the command line
MAX_HEADER_ROW = 1_048_576  # the last row of an Excel sheet
MAX_WOO_MINIMUM = 1_000  # a larger minimum leaves nothing of the overview
MAX_DEPTH = 6  # tables and lists within each other; the deepest setting needs 5
MAX_SHOWN = 60  # characters of a value quoted in a message
MAX_NAME = 100  # [organisatie] naam: characters


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
    woo_minimum: int = 5  # small numbers: see README, "Kleine aantallen"
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
    # [organisatie] naam and contact, [publicatie] datum: who publishes, and the date on every page
    organisation_name: str | None = None
    organisation_contact: str | None = None
    publication_date: date | None = None

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
    """Line numbers of sections and keys in the toml text, found by searching for them (names
    compared folded). Indexed once: a file with thousands of keys is searched in linear time."""

    _HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]")
    _KEY = re.compile(r"\s*(?:\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([A-Za-z0-9_-]+))\s*=")

    def __init__(self, text: str) -> None:
        self.exact: dict[tuple[str, ...], int] = {}  # [a.b] -> its line
        self.prefixed: dict[tuple[str, ...], int] = {}  # [a] -> the line of the first [a…]
        self.keys: dict[int, dict[str, int]] = {0: {}}  # section line (0: above all) -> key -> line
        self.anywhere: dict[str, int] = {}  # key -> its first line in the file
        block = 0
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            if header or line.lstrip().startswith("["):  # [[…]] too ends the section above
                path = tuple(normalise_key(p) for p in _split_dotted(header.group(1))) if header else ()
                self.exact.setdefault(path, number)
                for length in range(1, len(path) + 1):
                    self.prefixed.setdefault(path[:length], number)
                block = number
                self.keys[block] = {}
                continue
            key = self._KEY.match(line)
            if key:
                folded = normalise_key(next(g for g in key.groups() if g is not None))
                self.keys[block].setdefault(folded, number)
                self.anywhere.setdefault(folded, number)

    def section(self, *path: str, exact: bool = False) -> int | None:
        """The line of `[a]`, `[a.b]` or `[a."b"]`; unless `exact`, else the first section below
        it (`[waarden.status]` for the section waarden)."""
        wanted = tuple(normalise_key(p) for p in path)
        return self.exact.get(wanted) or (None if exact else self.prefixed.get(wanted))

    def key(self, key: str, *section: str) -> int | None:
        """The line of `key = ...` within `section` (else anywhere), falling back to the section."""
        if not section:
            return self.anywhere.get(normalise_key(key))
        start = self.section(*section) or 0
        return self.keys.get(start, {}).get(normalise_key(key)) or start or None

    def sections_of(self, path: tuple[str, ...]) -> int:
        """How many leading names of `path` form a `[section]` written in the file (0: none)."""
        return next((n for n in range(len(path), 0, -1) if self.section(*path[:n], exact=True)), 0)

    def of(self, path: tuple[str, ...]) -> int | None:
        """The line of the setting at `path`: the first key below the deepest section written."""
        if not path:
            return None
        depth = self.sections_of(path)
        if depth == len(path):
            return self.section(*path)
        if depth:
            return self.key(path[depth], *path[:depth])
        return self.section(path[0]) or self.key(path[0])  # [waardes.status]; or a top-level key


def _split_dotted(name: str) -> list[str]:
    return [part.strip().strip('"').strip("'") for part in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', name)]


# ----------------------------------------------------------------------------- klachten.toml as models


def _setting(default: Any, wat: str, hint: str, **bounds: Any) -> Any:
    """A setting's default, what it must be and how to fix it (Dutch, for `MESSAGES`), its bounds."""
    if isinstance(default, type) or default is dict or default is list:
        return Field(default_factory=default, description=wat, json_schema_extra={"hint": hint}, **bounds)
    return Field(default, description=wat, json_schema_extra={"hint": hint}, **bounds)


def _about(wat: str, hint: str, **bounds: Any) -> Any:
    """What a key or a value inside a table or list must be, and how to fix it."""
    return Field(description=wat, json_schema_extra={"hint": hint}, **bounds)


def _number(value: object) -> str:
    """A bound as the coordinator writes numbers: 20.000.000 (and 100 for 100.0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return (
        f"{value:_}".replace("_", ".")
        if isinstance(value, int) and not isinstance(value, bool)
        else str(value)
    )


def _or(values: tuple[str, ...]) -> str:
    """'"a", "b" of "c"'."""
    return format_list([f'"{v}"' for v in values], style="or", locale="nl")


def _one_or_list(value: object) -> str:
    """Which of two shapes a setting takes (a name, or a list): only that shape's errors count."""
    return "lijst" if isinstance(value, list) else "een"


def _listed(value: object) -> object:
    return [value] if isinstance(value, str) else value


def _in_years(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(day)
    return day


def _iso_date(value: object) -> object:
    """`vanaf = "2023-01-01"` reads like the toml date `vanaf = 2023-01-01`."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return value
    return value


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # not found; a folder such as "Europe"; a name too long
        raise ValueError(name) from None
    return name


def _distinct(names: list[str]) -> list[str]:
    folded = [normalise_key(n) for n in names]
    if not all(folded) or len(set(folded)) < len(folded):
        raise ValueError(names)
    return names


def _reads_one(columns: list[str]) -> list[str]:
    if not any(columns):
        raise ValueError(columns)
    return columns


def _name_on_one_line(name: str) -> str:
    """A name printed on every page: one line, at most MAX_NAME characters, spaces collapsed."""
    if "\n" in name or len(name) > MAX_NAME:
        raise ValueError(name)
    return " ".join(name.split())


_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"'.]+")
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+\.[^\s<>\"']+")


def _contact(address: str) -> str:
    """An e-mail address or an http(s) address: where a reader of the report can ask (never
    `javascript:` or markup: it is printed on every page)."""
    if not (_EMAIL.fullmatch(address) or _WEB_ADDRESS.fullmatch(address)):
        raise ValueError(address)
    return address


def _wrong(message: str, hint: str, *key: str) -> PydanticCustomError:
    """An error of our own check, already in Dutch; `key` points at the line below the setting."""
    return PydanticCustomError("instelling", "{bericht}", {"bericht": message, "hint": hint, "sleutel": key})


_COLUMNS_TEXT = ", ".join(CANONICAL_COLUMNS)
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_Date = Annotated[date, BeforeValidator(_iso_date), AfterValidator(_in_years)]
_Header = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    _about(
        "kopnaam uit de export",
        'Schrijf de kopnaam uit de export links van het =-teken, bijvoorbeeld "Zaaknummer" = "klacht_id".',
    ),
]
_ColumnKey = Annotated[
    Literal[CANONICAL_COLUMNS],  # type: ignore[valid-type]
    _about("standaardkolom", f"Toegestane kolommen: {_COLUMNS_TEXT}."),
]
_OneColumn = Annotated[
    Literal[(*CANONICAL_COLUMNS, LABELS)],  # type: ignore[valid-type]
    _about('een standaardkolom of "labels"', f'Toegestane kolommen: {_COLUMNS_TEXT}, of "{LABELS}".'),
    Tag("een"),
]
_Occurrences = Annotated[
    list[Literal[(*CANONICAL_COLUMNS, "")]],  # type: ignore[valid-type]
    AfterValidator(_reads_one),
    _about(
        'een lijst met een kolom per keer dat de kopnaam voorkomt ("" voor: niet lezen), minstens twee',
        'Bijvoorbeeld: "Datum" = ["datum_ontvangst", "datum_afgehandeld"]. Toegestane kolommen: '
        f"{_COLUMNS_TEXT}.",
        min_length=2,
    ),
    Tag("lijst"),
]
_ColumnTarget = Annotated[_OneColumn | _Occurrences, Discriminator(_one_or_list)]


class _Model(BaseModel):
    """A table of klachten.toml: every key known, every value of the right type."""

    model_config = ConfigDict(extra="forbid", strict=True)
    kind: ClassVar[str] = "instelling"  # what an unknown key in it is called


class _Columns(_Model):
    """A table keyed by canonical column (`[waarden]`, `[standaard]`, `vast`, an `[afleiden]` line)."""

    kind: ClassVar[str] = "kolom"


def _per_column(name: str, columns: tuple[str, ...], value: Any) -> type[_Model]:
    """A `_Columns` model with one optional field per column; `value(column)` gives its type,
    what it must be and the hint."""
    fields: dict[str, Any] = {}
    for column in columns:
        kind, wat, hint = value(column)
        fields[column] = (kind | None, _setting(None, wat, hint))
    return create_model(name, __base__=_Columns, **fields)


def _fixed_value(column: str) -> tuple[Any, str, str]:
    """`[standaard]` and `vast`: one value for every row, spelled as in the vocabulary."""
    if column in ALLOWED_VALUES:
        allowed = ALLOWED_VALUES[column]
        return Literal[allowed], _or(allowed), f"Toegestaan: {', '.join(allowed)}."
    return _Text, "tekst", f'Zet de waarde tussen aanhalingstekens, bijvoorbeeld {column} = "..."'


def _derived_value(column: str) -> tuple[Any, str, str]:
    """`[afleiden]`: what a value of the export fills; "" fills nothing."""
    if column in ALLOWED_VALUES:
        allowed = ALLOWED_VALUES[column]
        return (
            Literal[(*allowed, "")],
            f"een toegestane waarde voor {column}",
            f"Toegestaan: {', '.join(allowed)}.",
        )
    return str, "tekst", f'Zet de waarde tussen aanhalingstekens, bijvoorbeeld {column} = "..."'


def _norms_only(column: str) -> Any:
    """A behoorlijkheidsnorm alias names norms (by name or number), as the register's cells do."""

    def checked(target: str) -> str:
        if target and behoorlijkheid.read_cell(target)[1]:
            raise _wrong(
                f"in [waarden.{column}] is '{target}' geen behoorlijkheidsnorm.",
                "Verwijs naar de naam of het nummer van een of meer van de 22 normen (gescheiden "
                f'door ;), of "" voor: niet vastgelegd. De normen: {behoorlijkheid.allowed_text()}.',
            )
        return target

    return checked


def _an_allowed_value(column: str) -> Any:
    """A value alias names an allowed value, in any case and spacing (as the register's cells)."""
    allowed = {normalise_key(a) for a in ALLOWED_VALUES[column]}

    def checked(target: str) -> str:
        if target and normalise_key(target) not in allowed:
            raise ValueError(target)
        return target

    return checked


def _value_alias(column: str) -> tuple[Any, str, str]:
    """`[waarden.<kolom>]`: spelling in the export = canonical value ("" for: not recorded)."""
    key = Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1),
        _about("waarde uit de export", "Een lege cel betekent al 'niet vastgelegd'; haal de regel weg."),
    ]
    example = f'Bijvoorbeeld:\n[waarden.{column}]\n"Oude spelling" = "..."'
    if column == NORM_COLUMN:
        target: Any = Annotated[str, AfterValidator(_norms_only(column))]
    elif column in ALLOWED_VALUES:
        target = Annotated[
            str,
            AfterValidator(_an_allowed_value(column)),
            _about(
                f"een toegestane waarde voor {column}",
                f'Toegestaan: {", ".join(ALLOWED_VALUES[column])}, of "" voor: niet vastgelegd.',
            ),
        ]
    else:
        target = Annotated[
            str, _about("tekst", 'Bijvoorbeeld: "Oude spelling" = "..." (of "" voor: niet vastgelegd).')
        ]
    return dict[key, target], "een tabel: waarde in de export = standaardwaarde", example  # type: ignore[valid-type]


_FIXABLE = tuple(c for c in CANONICAL_COLUMNS if c not in NO_DEFAULT)
_Fixed = _per_column("Vast", _FIXABLE, _fixed_value)
_Targets = _per_column("Afleiding", CANONICAL_COLUMNS, _derived_value)
_Waarden = _per_column("Waarden", CANONICAL_COLUMNS, _value_alias)
_DERIVE_EXAMPLE = '"Gegrond" = { status = "afgehandeld", oordeel = "gegrond" }'


def _each_value_once(values: dict[str, Any]) -> dict[str, Any]:
    """A value listed twice (compared folded; `""` and `"(leeg)"` are both the empty cell)."""
    seen: set[str] = set()
    for value in values:
        folded = "" if value.strip() == EMPTY else normalise_key(value)
        if folded in seen:
            empty = f' ("" en "{EMPTY}" zijn allebei de lege cel)' if not folded else ""
            raise _wrong(f"in {{sectie}} staat '{value}' twee keer{empty}.", "Houd één van beide.", value)
        seen.add(folded)
    return values


class _Source(_Model):
    """`[tabblad."<naam>"]` or `[bestand."<bestandsnaam>"]`: settings for one sheet or file."""

    kopregel: int | None = _setting(
        None, "een regelnummer", "Bijvoorbeeld: kopregel = 3", ge=1, le=MAX_HEADER_ROW
    )
    klacht_id: Literal["regelnummer"] | None = _setting(
        None,
        f'"{LINE_NUMBER_ID}"',
        "Koppel een kolom met een kenmerk onder kolommen, bijvoorbeeld "
        'kolommen = { "Nummer" = "klacht_id" }.',
    )
    vast: _Fixed = _setting(_Fixed, "per kolom één waarde", 'Bijvoorbeeld: vast = { status = "voorkomen" }')  # type: ignore[valid-type]
    kolommen: dict[_Header, _ColumnTarget] = _setting(
        dict, "per kopnaam een kolom", 'Bijvoorbeeld: kolommen = { "Afdeling" = "team" }'
    )


_OPTIONAL = tuple(c for c in CANONICAL_COLUMNS if c not in ("klacht_id", "datum_ontvangst", "status"))
FILES = "per_bestand"  # where `_Bestand` keeps its [bestand."<bestandsnaam>"] tables
_FileName = Annotated[_Text, _about("bestandsnaam", "")]
_FileSettings = Annotated[
    _Source, _about("een tabel met instellingen", 'Bijvoorbeeld: [bestand."oud.csv"]\nkopregel = 3')
]
_Sheets = Annotated[
    Annotated[_Text, Tag("een")] | Annotated[list[_Text], Field(min_length=1), Tag("lijst")],
    Discriminator(_one_or_list),
]
_NotRecorded = Annotated[list[Literal[(PREVENTED, *_OPTIONAL)]], BeforeValidator(_listed)]  # type: ignore[valid-type]
_Recorded = Annotated[list[Literal["voorkomen"]], BeforeValidator(_listed)]


class _Bestand(_Model):
    """`[bestand]`: how the export is read."""

    kopregel: int | None = _setting(
        None,
        "een regelnummer",
        "Bijvoorbeeld: kopregel = 4 (de kopregel staat op regel 4), of laat de regel weg: dan wordt de "
        f"kopregel in de eerste {HEADER_SEARCH_ROWS} regels gezocht.",
        ge=1,
        le=MAX_HEADER_ROW,
    )
    tabbladen: _Sheets | None = _setting(
        None,
        'een naam, een lijst met namen of "alle"',
        'Bijvoorbeeld: tabbladen = "Klachten", tabbladen = ["2023", "2024"] of tabbladen = "alle"',
    )
    datumvolgorde: Literal["dag-maand", "maand-dag"] = _setting(
        "dag-maand",
        '"dag-maand" of "maand-dag"',
        'Gebruik datumvolgorde = "maand-dag" als 4/2/2024 in de export 2 april betekent.',
    )
    tijdzone: Annotated[str, AfterValidator(_time_zone)] = _setting(
        DEFAULT_TIMEZONE,
        "een bekende tijdzone",
        f'Gebruik een naam uit de tijdzonedatabase, bijvoorbeeld tijdzone = "{DEFAULT_TIMEZONE}".',
    )
    klacht_id: Literal["regelnummer"] | None = _setting(
        None,
        f'"{LINE_NUMBER_ID}"',
        f'Gebruik klacht_id = "{LINE_NUMBER_ID}" voor een export zonder kenmerk; koppel een kolom met een '
        'kenmerk onder [kolommen], bijvoorbeeld "Zaaknummer" = "klacht_id".',
    )
    regels: Literal["statushistorie"] | None = _setting(
        None,
        f'"{HISTORY}"',
        f'Gebruik regels = "{HISTORY}" voor een export met een regel per statuswijziging; laat de regel weg '
        "als elke klacht één regel heeft.",
    )
    dubbel: Literal["fout", "laatste"] = _setting(
        "fout",
        f'"fout" of "{KEEP_LAST}"',
        f'Gebruik dubbel = "{KEEP_LAST}" als exports elkaar overlappen: dan telt de regel uit het bestand '
        "dat in naamvolgorde het laatst komt.",
    )
    vanaf: _Date | None = _setting(
        None,
        f"een datum van {FIRST_YEAR} tot en met {LAST_YEAR}",
        "Bijvoorbeeld: vanaf = 2023-01-01 (het register is volledig vanaf die datum).",
    )
    niet_vastgelegd: _NotRecorded = _setting(
        list,
        "een lijst met voorkomen of optionele kolommen",
        f"Toegestaan: {', '.join((PREVENTED, *_OPTIONAL))}.",
    )
    vastgelegd: _Recorded = _setting(
        list,
        "een lijst met voorkomen",
        f"Toegestaan: {PREVENTED}. Dat een kolom is vastgelegd, zegt u met [standaard], bijvoorbeeld "
        'ombudsman = "nee".',
    )
    per_bestand: dict[_FileName, _FileSettings] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _files_apart(cls, data: Any) -> Any:
        """`[bestand."<bestandsnaam>"]` tables sit among the keys of [bestand]: set them apart."""
        if not isinstance(data, dict) or FILES in data:
            return data
        files = {k: v for k, v in data.items() if isinstance(v, dict)}
        return {k: v for k, v in data.items() if k not in files} | {FILES: files}

    @field_validator("regels")
    @classmethod
    def _history_has_ids(cls, rows: str | None, info: ValidationInfo) -> str | None:
        if rows == HISTORY and info.data.get("klacht_id") == LINE_NUMBER_ID:
            raise _wrong(
                f'[bestand] regels = "{HISTORY}" kan niet samen met klacht_id = "{LINE_NUMBER_ID}": de '
                "regels van een klacht horen bij elkaar door hun kenmerk.",
                'Koppel de kolom met het kenmerk onder [kolommen], bijvoorbeeld "Zaaknummer" = "klacht_id".',
            )
        return rows

    @field_validator("vastgelegd")
    @classmethod
    def _recorded_or_not(cls, recorded: list[str], info: ValidationInfo) -> list[str]:
        if set(recorded) & set(info.data.get("niet_vastgelegd", ())):
            raise _wrong(
                "[bestand] noemt voorkomen zowel onder niet_vastgelegd als onder vastgelegd.",
                "Kies één van beide.",
            )
        return recorded


class _Redenen(_Model):
    catalogus: list[_Text] = _setting(
        list, "een lijst met zinnen", 'Voorbeeld: catalogus = ["De klacht betrof een melding"]'
    )


class _Termijnen(_Model):
    """Awb 9:11: handled within 6 weeks (10 with an advisory body), extended by at most 4."""

    behandeltermijn_weken: int = _setting(
        DEFAULT_TERM_WEEKS,
        "een heel aantal weken",
        f"De Awb (artikel 9:11) geeft 6 weken, of {MAX_TERM_WEEKS} weken met een klachtadviesinstantie "
        "(afdeling 9.3); een eigen regeling mag korter zijn, niet langer. Bijvoorbeeld: "
        "behandeltermijn_weken = 6",
        ge=1,
        le=MAX_TERM_WEEKS,
    )
    verdaging_weken: int = _setting(
        DEFAULT_EXTENSION_WEEKS,
        "een heel aantal weken",
        f"De Awb (artikel 9:11) staat verdaging met hoogstens {MAX_EXTENSION_WEEKS} weken toe. "
        "Bijvoorbeeld: verdaging_weken = 4",
        ge=0,
        le=MAX_EXTENSION_WEEKS,
    )


def _percentage(key: str) -> Any:
    return _setting(None, "een percentage", f"Bijvoorbeeld: {key} = 90", ge=0, le=100, allow_inf_nan=False)


class _Normen(_Model):
    binnen_termijn_procent: float | None = _percentage("binnen_termijn_procent")
    informeel_procent: float | None = _percentage("informeel_procent")
    gegrond_procent_max: float | None = _percentage("gegrond_procent_max")


class _Woo(_Model):
    kenmerk_tonen: bool = _setting(False, "true of false", "Bijvoorbeeld: kenmerk_tonen = false")
    minimum: int = _setting(
        Settings.woo_minimum, "een heel getal", "Bijvoorbeeld: minimum = 5", ge=1, le=MAX_WOO_MINIMUM
    )


class _Organisatie(_Model):
    """Who publishes: name and contact on every page; the team list the register is checked against."""

    naam: Annotated[_Text, AfterValidator(_name_on_one_line)] | None = _setting(
        None,
        f"de naam van de organisatie (tekst op één regel, hoogstens {MAX_NAME} tekens)",
        'Bijvoorbeeld: naam = "Gemeente Meppel"',
    )
    contact: Annotated[_Text, AfterValidator(_contact)] | None = _setting(
        None,
        "een e-mailadres of een webadres (https://...)",
        'Bijvoorbeeld: contact = "klachten@meppel.nl" of contact = "https://www.meppel.nl/klacht-indienen"',
    )
    teams: Annotated[list[str], AfterValidator(_distinct)] = _setting(
        list,
        "een lijst met verschillende teamnamen",
        'Bijvoorbeeld: teams = ["Publiekszaken", "Belastingen", "Openbare ruimte"]',
    )


class _Publicatie(_Model):
    datum: _Date | None = _setting(
        None,
        f"een datum van {FIRST_YEAR} tot en met {LAST_YEAR}",
        "Bijvoorbeeld: datum = 2025-04-01 (de publicatiedatum op elke pagina; nooit de datum van vandaag).",
    )


_MeasureHeader = Annotated[
    _Text, _about("kopnaam", "Schrijf de kopnaam uit maatregelen.csv links van het =-teken.")
]
_MeasureColumn = Annotated[
    Literal[MEASURE_COLUMNS],  # type: ignore[valid-type]
    _about(
        "een kolom van maatregelen.csv",
        f'Toegestaan: {", ".join(MEASURE_COLUMNS)}. Bijvoorbeeld: "Verbetermaatregel" = "maatregel"',
    ),
]
_MeasureSpelling = Annotated[
    _Text, _about("spelling", 'Schrijf de spelling links van het =-teken, bijvoorbeeld "Gereed".')
]
_MeasureStatus = Annotated[
    Literal[MEASURE_STATUSES],  # type: ignore[valid-type]
    _about(
        "een status van een maatregel",
        f'Toegestaan: {", ".join(MEASURE_STATUSES)}. Bijvoorbeeld: "Gereed" = "afgerond"',
    ),
]


class _Maatregelen(_Model):
    """`maatregelen.csv` as the coordinator keeps it: its headers and its spellings of the status."""

    kolommen: dict[_MeasureHeader, _MeasureColumn] = _setting(
        dict, "een tabel", 'Bijvoorbeeld:\n[maatregelen.kolommen]\n"Verbetermaatregel" = "maatregel"'
    )
    status: dict[_MeasureSpelling, _MeasureStatus] = _setting(
        dict, "een tabel", 'Bijvoorbeeld:\n[maatregelen.status]\n"Gereed" = "afgerond"'
    )


EXAMPLE_TOML = """\
[kolommen]                     # kopnaam in de export = canonieke kolom
"Zaaknummer" = "klacht_id"

[waarden.status]               # waarde in de export = canonieke waarde
"Ingetrokken door klager" = "ingetrokken"

[teams]                        # oude teamnaam = nieuwe teamnaam
"Burgerzaken" = "Publiekszaken"
"""


def _table() -> Any:
    return _setting(dict, "een tabel", f"Voorbeeld:\n{EXAMPLE_TOML}")


def _section(model: type[_Model]) -> Any:
    return _setting(model, "een tabel", f"Voorbeeld:\n{EXAMPLE_TOML}")


_DerivedTargets = Annotated[
    _Targets,  # type: ignore[valid-type]
    _about("een tabel met kolommen en waarden", f"Bijvoorbeeld: {_DERIVE_EXAMPLE}"),
]
_DerivedValues = Annotated[
    dict[str, _DerivedTargets],
    AfterValidator(_each_value_once),
    _about("per waarde een tabel met kolommen", f'Bijvoorbeeld:\n[afleiden."Resultaat"]\n{_DERIVE_EXAMPLE}'),
]
_SheetName = Annotated[_Text, _about("naam van een tabblad", "")]
_SheetSettings = Annotated[
    _Source,
    _about(
        "een tabel met instellingen",
        'Bijvoorbeeld:\n[tabblad."Voorkomen klachten"]\nkopregel = 3\nvast = { status = "voorkomen" }',
    ),
]
_SkipValues = Annotated[
    list[str],
    BeforeValidator(_listed),
    _about(
        "een lijst met waarden",
        'Bijvoorbeeld: "Zaaktype" = ["Compliment", "Melding openbare ruimte"]',
        min_length=1,
    ),
]
_RENAME_HINT = 'Bijvoorbeeld: "Burgerzaken" = "Publiekszaken" (oude naam = nieuwe naam).'
_OldTeam = Annotated[_Text, _about("teamnaam", _RENAME_HINT)]
_NewTeam = Annotated[_Text, _about("een teamnaam", _RENAME_HINT)]
_PriorityHeaders = Annotated[
    list[_Text],
    AfterValidator(_distinct),
    _about(
        "een lijst van minstens twee verschillende kopnamen uit de export",
        'Bijvoorbeeld: status = ["Subcategorie", "Afhandeling"] (de eerste die een waarde geeft, telt).',
        min_length=2,
    ),
]
_Year = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^(19\d\d|20\d\d|2100)$"),
    _about(
        f"jaartal van {FIRST_YEAR} tot en met {LAST_YEAR}",
        "Schrijf per jaar het aantal inwoners, bijvoorbeeld: 2024 = 34512",
    ),
]
_Inhabitants = Annotated[
    int,
    _about(
        "een aantal inwoners",
        f"Een heel getal van 1 tot en met {_number(MAX_INHABITANTS)}, zonder punt of spatie tussen de "
        "cijfers, bijvoorbeeld: 2024 = 34512",
        ge=1,
        le=MAX_INHABITANTS,
    ),
]


class KlachtenToml(_Model):
    """The whole file. `afleiden` comes first: the labels check of `kolommen` needs it."""

    afleiden: dict[_Header, _DerivedValues] = _table()
    bestand: _Bestand = _section(_Bestand)
    tabblad: dict[_SheetName, _SheetSettings] = _table()
    kolommen: dict[_Header, _ColumnTarget] = _table()
    overslaan: dict[_Header, _SkipValues] = _table()
    waarden: _Waarden = _section(_Waarden)  # type: ignore[valid-type]
    redenen: _Redenen = _section(_Redenen)
    teams: dict[_OldTeam, _NewTeam] = _table()
    termijnen: _Termijnen = _section(_Termijnen)
    normen: _Normen = _section(_Normen)
    woo: _Woo = _section(_Woo)
    voorrang: dict[_ColumnKey, _PriorityHeaders] = _table()
    standaard: _Fixed = _section(_Fixed)  # type: ignore[valid-type]
    organisatie: _Organisatie = _section(_Organisatie)
    publicatie: _Publicatie = _section(_Publicatie)
    inwoners: dict[_Year, _Inhabitants] = _table()
    maatregelen: _Maatregelen = _section(_Maatregelen)

    @field_validator("kolommen")
    @classmethod
    def _labels_are_derived(cls, columns: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        _check_labels(columns, info)
        return columns

    @field_validator("tabblad")
    @classmethod
    def _sheet_labels_are_derived(
        cls, sheets: dict[str, _Source], info: ValidationInfo
    ) -> dict[str, _Source]:
        for name, own in sheets.items():
            _check_labels(own.kolommen, info, name, "kolommen")
        return sheets

    @field_validator("bestand")
    @classmethod
    def _file_labels_are_derived(cls, section: _Bestand, info: ValidationInfo) -> _Bestand:
        for name, own in section.per_bestand.items():
            _check_labels(own.kolommen, info, name, "kolommen")
        return section

    @field_validator("standaard")
    @classmethod
    def _default_is_recorded(cls, defaults: _Columns, info: ValidationInfo) -> _Columns:
        section = info.data.get("bestand")
        for column in defaults.model_fields_set & set(section.niet_vastgelegd if section else ()):
            raise _wrong(
                f"[standaard] geeft {column} een waarde, maar [bestand] niet_vastgelegd noemt {column}.",
                "Kies één van beide.",
                column,
            )
        return defaults


def _check_labels(columns: dict[str, Any], info: ValidationInfo, *where: str) -> None:
    """A labels column means nothing without `[afleiden."<kopnaam>"]` saying what each label fills."""
    if "afleiden" not in info.data:  # wrong itself: reported there
        return
    derived = {normalise_key(h) for h in info.data["afleiden"]}
    for header, target in columns.items():
        if target == LABELS and normalise_key(header) not in derived:
            raise _wrong(
                f"de kolom '{header}' is een labelkolom, maar [afleiden.\"{header}\"] ontbreekt.",
                f'Zeg per label wat het vult, bijvoorbeeld:\n[afleiden."{header}"]\n'
                '"formeel" = { behandeling = "formeel" }',
                *where,
                header,
            )


# ----------------------------------------------------------------------------- pydantic's errors in Dutch

# Every error pydantic reports, as one Dutch line: its type -> message and hint. Besides
# pydantic's own types: "sleutel" (any error on the name left of the =-sign), "onbekend_onderdeel"
# (an unknown [section]) and "instelling" (our own checks, worded where they are made).
# {plaats}: where in klachten.toml, as written ("[termijnen] verdaging_weken"); {wat} and {hint}:
# what the setting must be and how to fix it, from the model's Field; {waarde}: the value given.
_WRONG_VALUE = ("{plaats} moet {wat} zijn, niet {waarde}.", "{hint}")
MESSAGES: dict[str, tuple[str, str]] = {
    "extra_forbidden": (
        "onbekende {soort} '{sleutel}' in {sectie}.",
        "Toegestaan in {sectie}: {toegestaan}. Controleer de spelling.",
    ),
    "onbekend_onderdeel": (
        "onbekend onderdeel [{sleutel}].",
        "Toegestane onderdelen: {toegestaan}. Controleer de spelling.",
    ),
    "sleutel": ("{plaats}: {waarde} is geen {wat}.", "{hint}"),
    "greater_than_equal": ("{plaats} moet {wat} zijn, niet {waarde}: minstens {ge}.", "{hint}"),
    "less_than_equal": ("{plaats} moet {wat} zijn, niet {waarde}: hoogstens {le}.", "{hint}"),
    "instelling": ("{bericht}", "{hint}"),
}
# Any other type (int_type, bool_type, literal_error, too_short, finite_number, the value_error of a
# validator, ...) is a value that is not what the setting must be: _WRONG_VALUE.
_PLAIN_SECTIONS = ("bestand", "redenen", "termijnen", "normen", "woo", "organisatie", "publicatie")


def _problems(error: ValidationError, raw: dict, lines: _TomlLines, name: str) -> list[Problem]:
    """Each of pydantic's errors as a Dutch problem naming the line of klachten.toml."""
    found: dict[tuple, Problem] = {}
    for detail in error.errors(include_url=False):
        kind, context = detail["type"], detail.get("ctx") or {}
        path, on_key = _in_file(raw, detail["loc"])
        given = _at(raw, path) if path and isinstance(path[-1], int) else detail["input"]  # a whole list
        path = (*tuple(p for p in path if isinstance(p, str)), *context.get("sleutel", ()))
        wat, hint, owner = _described(detail["loc"])
        if on_key:
            kind = "sleutel"
        elif kind == "extra_forbidden" and len(path) == 1:
            kind, owner = "onbekend_onderdeel", KlachtenToml
        message, hint_template = MESSAGES.get(kind, _WRONG_VALUE)
        allowed = [f for f in (owner.model_fields if owner else ()) if f != FILES]
        words = {
            "plaats": _where(path[:-1] if on_key else path, lines),
            "sectie": _where(path[:-1], lines),
            "sleutel": path[-1] if path else "",
            "soort": getattr(owner, "kind", "instelling"),
            "toegestaan": ", ".join(f"[{f}]" for f in allowed)
            if kind == "onbekend_onderdeel"
            else ", ".join(allowed),
            "waarde": _shown(path[-1] if on_key else given),
            "wat": wat,
            "hint": context.get("hint", hint),
            "bericht": context.get("bericht", ""),
            **{k: _number(v) for k, v in context.items() if k in ("ge", "le")},
        }
        # The section is named as a column, as for a register, except for a plain setting's value.
        plain = len(path) == 2 and path[0] in _PLAIN_SECTIONS and kind != "extra_forbidden"
        problem = Problem(
            name,
            _one_line(message.format_map(words).replace("{sectie}", words["sectie"])),  # ours: {sectie}
            hint_template.format_map(words),
            row=lines.of(path),
            column=path[0] if len(path) > 1 and not plain else None,
        )
        found.setdefault((problem.row, problem.column, problem.message), problem)
    return sorted(found.values(), key=lambda p: p.row or 0)


def _in_file(raw: dict, loc: tuple) -> tuple[tuple, bool]:
    """The keys (and list positions) of `loc` that are in the file, without pydantic's own parts
    (union tags, `per_bestand`); and whether the error is about the last key itself."""
    path: list[str | int] = []
    node: Any = raw
    for part in loc:
        if part == "[key]":
            return tuple(path), True
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        if in_dict or (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            path.append(part)
            node = node[part]
    return tuple(path), False


def _at(raw: dict, path: tuple) -> object:
    """The value in the file at `path` without its list positions: the list an item is in."""
    node: Any = raw
    for part in path:
        if isinstance(part, int):
            break
        node = node[part]
    return node


def _described(loc: tuple) -> tuple[str, str, type[BaseModel] | None]:
    """What the setting at `loc` must be and how to fix it (the deepest Field on the way that
    says so), and the model an unknown key was found in."""
    wat, hint, owner = "", "", None
    kind: Any = KlachtenToml
    parts = list(loc)

    def note(info: Any) -> None:
        nonlocal wat, hint
        if isinstance(info, FieldInfo) and info.description:
            wat = info.description
            extra = info.json_schema_extra
            hint = str(extra.get("hint", "")) if isinstance(extra, dict) else ""

    while True:
        while True:  # Annotated[...] and Optional[...] unwrapped, their Fields noted
            if get_origin(kind) is Annotated:
                for extra in get_args(kind)[1:]:
                    note(extra)
                kind = get_args(kind)[0]
            elif get_origin(kind) in (Union, UnionType) and type(None) in get_args(kind):
                kind = next(a for a in get_args(kind) if a is not type(None))
            else:
                break
        if not parts:
            return wat, hint, owner
        part = parts.pop(0)
        if get_origin(kind) in (Union, UnionType):  # a shape picked by `_one_or_list`: its tag
            kind = next(
                (m for m in get_args(kind) if any(getattr(t, "tag", None) == part for t in get_args(m)[1:])),
                None,
            )
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            if part not in kind.model_fields:
                return wat, hint, kind
            note(kind.model_fields[part])
            kind = kind.model_fields[part].annotation
        elif get_origin(kind) is dict:
            key_type, value_type = get_args(kind)
            kind = value_type
            if parts and parts[0] == "[key]":
                parts.pop(0)
                kind = key_type
        elif get_origin(kind) is list:
            kind = get_args(kind)[0]
        else:
            return wat, hint, owner


def _where(path: tuple, lines: _TomlLines) -> str:
    """`[afleiden."Resultaat"] "Gegrond"`: the section as written in the file, then the keys."""
    keys = tuple(p for p in path if isinstance(p, str))
    if not keys:
        return "klachten.toml"
    depth = max(lines.sections_of(keys), 1)
    name = lambda part: part if re.fullmatch(r"[a-z0-9_]+", part) else f'"{part}"'  # noqa: E731
    section = "[" + ".".join(name(p) for p in keys[:depth]) + "]"
    return " ".join([section, ".".join(name(p) for p in keys[depth:])]).strip()


def _one_line(text: str) -> str:
    """A message stays one line: a line break or tab in a name or value is shown as \\n, \\t."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda c: repr(c.group())[1:-1], text)


def _shown(value: object) -> str:
    """A value as the coordinator wrote it, cut short (a 100 MB value must not fill the screen)."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = f"'{value[: MAX_SHOWN * 2]}'"
    elif isinstance(value, dict):
        return "een tabel"
    elif isinstance(value, list):
        shown = [_shown(v) if not isinstance(v, list | dict) else "[...]" for v in value[:10]]
        text = "[" + ", ".join(shown + (["..."] if len(value) > 10 else [])) + "]"
    else:
        text = str(value)
    return (
        text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 4] + "...'"[: 4 if text.startswith("'") else 3]
    )


# ----------------------------------------------------------------------------- reading


_SAVE_AS_UTF8 = "Sla het bestand op als UTF-8 (in Kladblok: Opslaan als, codering UTF-8)."


def load_settings(data_dir: Path) -> Settings:
    """Read `<data_dir>/klachten.toml`; defaults when absent; DataError when malformed."""
    path = Path(data_dir) / SETTINGS_FILE
    data, problem = read_input_bytes(path, optional=True)
    if problem is not None:
        raise DataError([problem])
    if data is None:
        return Settings()
    name = str(path)
    too_deep = Problem(
        name,
        f"de instellingen zijn te diep genest: meer dan {MAX_DEPTH} lagen [ ] of {{ }} in elkaar.",
        "Geen instelling gaat zo diep; zie de README voor de onderdelen en een voorbeeld.",
    )
    try:
        text = data.decode("utf-8-sig")
        raw = tomllib.loads(text)
    except UnicodeDecodeError:
        raise DataError([Problem(name, "het bestand is geen UTF-8-tekst.", _SAVE_AS_UTF8)]) from None
    except tomllib.TOMLDecodeError as exc:  # "Invalid value (at line 2, column 5)"
        at = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise DataError(
            [
                Problem(
                    name,
                    "het bestand is geen geldige TOML"
                    + (f" (teken {at.group(2)} van de regel)" if at else "")
                    + f"; de TOML-lezer meldt: '{reason}'.",
                    "Controleer aanhalingstekens en [kopjes]; zie de README voor een voorbeeld.",
                    row=int(at.group(1)) if at else None,
                )
            ]
        ) from None
    except RecursionError:  # tomllib reads nested lists and tables recursively
        raise DataError([too_deep]) from None
    except ValueError:  # an integer of thousands of digits (Python refuses to read it)
        too_long = "een getal in het bestand is te lang."
        raise DataError([Problem(name, too_long, "Geen instelling heeft zo'n groot getal nodig.")]) from None
    lines = _TomlLines(text)
    deepest = _too_deep(raw)
    if deepest is not None:
        raise DataError([replace(too_deep, row=lines.of(deepest[:2]))])
    try:
        checked = KlachtenToml.model_validate(raw)
    except ValidationError as error:
        raise DataError(_problems(error, raw, lines, name)) from None
    return _settings(checked, raw, lines)


def _too_deep(raw: dict) -> tuple[str, ...] | None:
    """The keys to the first value nested deeper than MAX_DEPTH (without recursion)."""
    stack: list[tuple[object, tuple[str, ...], int]] = [(raw, (), 0)]
    while stack:
        node, keys, depth = stack.pop()
        if depth > MAX_DEPTH:
            return keys
        if isinstance(node, dict):
            stack.extend((v, (*keys, str(k)), depth + 1) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, keys, depth + 1) for v in node)
    return None


def _given(table: BaseModel, raw: object) -> dict[str, Any]:
    """The keys of a `_Columns` table that the file gives, in the file's order."""
    return {
        k: getattr(table, k) for k in (raw if isinstance(raw, dict) else ()) if k in table.model_fields_set
    }


def _column_map(table: dict[str, Any], lines: _TomlLines, *where: str) -> ColumnMap:
    """`[kolommen]` (or a sheet's `kolommen`): a header to a canonical column, to a list of
    canonical columns (a header that occurs more than once; "" leaves one unread), or "labels"."""
    aliases: dict[str, str] = {}
    lists: dict[str, tuple[str, ...]] = {}
    labels: set[str] = set()
    written: dict[str, tuple[str, int | None]] = {}
    for header, target in table.items():
        key = normalise_key(header)
        written[key] = (header, lines.key(header, *where))
        if isinstance(target, list):
            lists[key] = tuple(target)
        elif target == LABELS:
            labels.add(key)
        else:
            aliases[key] = target
    return ColumnMap(aliases, lists, frozenset(labels), written)


def _derivation(header: str, mapping: dict[str, BaseModel], raw: dict, lines: _TomlLines) -> Derivation:
    values: dict[str, dict[str, str]] = {}
    otherwise: dict[str, str] | None = None
    for value, targets in mapping.items():
        filled = _given(targets, raw.get(value))
        if value.strip() == FILLED:
            otherwise = filled
        else:
            values["" if value.strip() == EMPTY else normalise_key(value)] = filled
    return Derivation(
        header=header, values=values, line=lines.section("afleiden", header), otherwise=otherwise
    )


def _sources(
    section: str, tables: dict[str, _Source], raw: dict, lines: _TomlLines
) -> dict[str, SourceSettings]:
    return {
        normalise_key(name): SourceSettings(
            name=name,
            header_row=own.kopregel,
            id_from_line=True if own.klacht_id == LINE_NUMBER_ID else None,
            fixed={k: v.strip() for k, v in _given(own.vast, _raw_of(raw, name).get("vast")).items()},
            columns=_column_map(own.kolommen, lines, section, name),
            line=lines.section(section, name),
        )
        for name, own in tables.items()
    }


def _raw_of(raw: dict, name: str) -> dict:
    """The raw table of a sheet or file, found by its (stripped) name."""
    return next((v for k, v in raw.items() if k.strip() == name and isinstance(v, dict)), {})


def _settings(checked: KlachtenToml, raw: dict, lines: _TomlLines) -> Settings:
    """The checked file as the `Settings` the reader and the report use."""
    file, columns = checked.bestand, _column_map(checked.kolommen, lines, "kolommen")
    raw_derivations = raw.get("afleiden", {})
    sheets = file.tabbladen
    return Settings(
        header_aliases=columns.aliases,
        header_lists=columns.lists,
        label_headers=columns.labels,
        column_lines=columns.written,
        value_aliases={
            column: {normalise_key(k): v for k, v in aliases.items()}
            for column, aliases in _given(checked.waarden, raw.get("waarden")).items()
        },
        reason_catalogue=tuple(checked.redenen.catalogus),
        team_renames=dict(checked.teams),
        term_weeks=checked.termijnen.behandeltermijn_weken,
        extension_weeks=checked.termijnen.verdaging_weken,
        header_row=file.kopregel,
        sheets=(
            None
            if sheets is None
            else (() if normalise_key(sheets) == ALL_SHEETS else (sheets,))
            if isinstance(sheets, str)
            else tuple(sheets)
        ),
        month_first=file.datumvolgorde == "maand-dag",
        timezone=file.tijdzone,
        id_from_line=file.klacht_id == LINE_NUMBER_ID,
        derivations={
            normalise_key(header): _derivation(header, mapping, _raw_of(raw_derivations, header), lines)
            for header, mapping in checked.afleiden.items()
        },
        skip_rules={
            normalise_key(header): SkipRule(
                header=header, values=tuple(values), line=lines.key(header, "overslaan")
            )
            for header, values in checked.overslaan.items()
        },
        norms={k: float(v) for k, v in _given(checked.normen, raw.get("normen")).items()},
        woo_show_id=checked.woo.kenmerk_tonen,
        woo_minimum=checked.woo.minimum,
        inhabitants=dict(sorted((int(year), count) for year, count in checked.inwoners.items())),
        measure_header_aliases={normalise_key(k): v for k, v in checked.maatregelen.kolommen.items()},
        measure_status_aliases={normalise_key(k): v for k, v in checked.maatregelen.status.items()},
        history=file.regels == HISTORY,
        keep_last=file.dubbel == KEEP_LAST,
        complete_from=file.vanaf,
        not_recorded=tuple(file.niet_vastgelegd),
        recorded=tuple(file.vastgelegd),
        priority={column: tuple(headers) for column, headers in checked.voorrang.items()},
        defaults={k: v.strip() for k, v in _given(checked.standaard, raw.get("standaard")).items()},
        sheet_settings=_sources("tabblad", checked.tabblad, raw.get("tabblad", {}), lines),
        file_settings=_sources("bestand", file.per_bestand, raw.get("bestand", {}), lines),
        teams=tuple(t.strip() for t in checked.organisatie.teams),
        organisation_name=checked.organisatie.naam,
        organisation_contact=checked.organisatie.contact,
        publication_date=checked.publicatie.datum,
    )
