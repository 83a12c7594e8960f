"""`klachten koppel`: the mapping assistant for a new export (shared/spec/register.md).

It finds the header, says for each export column which canonical column it would fill (or
that it is not read), shows the distinct values with counts of the columns it would read, and
writes a commented draft `klachten.voorstel.toml` for the analyst to check and rename to
`klachten.toml`. It never writes `klachten.toml` and never shows a value of a column it does
not read: those columns may hold names, addresses or BSNs. Column names themselves are shown.

The usual Dutch column names of case systems (zaaksystemen), Woo overviews and hand-kept
registers are known here (`KNOWN_HEADERS`); a result column that mixes statuses and verdicts
("Resultaat") becomes an `[afleiden]` section with one line per value.
"""

from __future__ import annotations

import itertools
import os
import re
import tempfile
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd
import tomlkit
from tomlkit.items import InlineTable, Item, Key, KeyType, SingleKey, Table
from tomlkit.toml_document import TOMLDocument

from klachtlib.errors import DataError, Problem
from klachtlib.reading import tabular, vocab
from klachtlib.reading.dates import parse_dates
from klachtlib.reading.register import existing_folder, reads_like_a_person, register_files
from klachtlib.reading.settings import (
    HEADER_SEARCH_ROWS,
    HISTORY,
    KEEP_LAST,
    LINE_NUMBER_ID,
    SETTINGS_FILE,
    Settings,
    load_settings,
)
from klachtlib.reading.values import suggestion, team_key
from klachtlib.reading.vocab import normalise_key

DRAFT_NAME = "klachten.voorstel"
DRAFT_SUFFIX = ".toml"
FEW_VALUES = 25  # a read column with at most this many distinct values has them listed
TEAMS_SHOWN = 40  # the largest teams are listed whatever their number, so spellings can be mapped
NOT_READ = "wordt niet gelezen"

# fmt: off
# Usual export names per canonical column, most specific first (folded by `header_key`).
KNOWN_HEADERS: dict[str, tuple[str, ...]] = {
    "klacht_id": (
        "zaaknummer", "zaak nummer", "zaakid", "zaak id", "zaakidentificatie", "klachtnummer",
        "klacht nummer", "klacht nr", "klachtnr", "kenmerk", "dossiernummer", "registratienummer",
        "incidentnummer", "incident nummer", "meldingnummer", "meldingsnummer", "ticketnummer",
        "referentie", "referentienummer", "kenmerk klacht", "volgnummer", "nummer", "identificatie",
        "incident number", "incident id", "incident", "ticket number", "ticket id", "ticket",
        "case number", "case id", "case", "reference", "reference number", "ref", "complaint id",
        "complaint number", "number", "no", "id", "nr",
    ),
    "datum_ontvangst": (
        "registratiedatum", "datum registratie", "ontvangstdatum", "datum ontvangen", "ontvangen op",
        "datum binnenkomst", "binnengekomen op", "datum indiening", "ingediend op", "datum klacht",
        "startdatum", "begindatum", "datum start", "aanmaakdatum", "datum aangemaakt", "datum melding",
        "aanmelddatum", "datum aanmelding", "ontvangen", "date received", "received", "received on",
        "opened", "opened on", "date opened", "created", "created on", "creation date", "date created",
        "reported", "reported on", "date reported", "submitted", "date submitted",
    ),
    "status": (
        "zaakstatus", "status klacht", "fase", "stand", "stand van zaken", "state", "ticket status",
        "complaint status",
    ),
    "team": (
        "afdeling", "behandelende afdeling", "verantwoordelijke afdeling", "organisatieonderdeel",
        "organisatie onderdeel", "teamnaam", "afdelingsnaam", "cluster", "sector", "eenheid", "domein",
        "betreft afdeling", "betrokken afdeling", "betrokken team", "behandelaarsgroep", "operatorgroep",
        "behandelend team", "department", "team name", "assigned group", "assignment group",
        "responsible department", "business unit",
    ),
    "reden": (
        "reden niet ontvankelijk", "reden beeindiging", "reden afsluiting", "reden intrekking",
        "reden niet behandeld", "reden afgebroken", "closure reason", "reason",
    ),
    "behandeling": (
        "wijze van behandeling", "behandelwijze", "wijze behandeling", "soort behandeling",
        "type behandeling", "afhandelingswijze", "wijze van afhandeling", "informeel formeel",
        "informeel of formeel", "procedure", "handling", "treatment", "handling type",
    ),
    "oordeel": (
        "beoordeling", "gegrondheid", "conclusie", "oordeel klacht", "verdict", "judgement", "judgment",
    ),
    "datum_afgehandeld": (
        "einddatum", "datum afgehandeld", "afhandeldatum", "datum afhandeling", "datum afgerond",
        "afgerond op", "afgehandeld op", "datum afsluiting", "afsluitdatum", "sluitingsdatum",
        "datum gereed", "datum besluit", "datum einde", "datum beeindiging", "afmelddatum",
        "datum afmelding", "datum afgemeld", "gereed op", "closed", "closed on", "date closed",
        "closing date", "resolved", "resolved on", "date resolved", "resolution date", "end date",
    ),
    "verdaagd": (
        "verlengd", "verdaging", "termijn verlengd", "verlenging", "verdaagd ja nee", "verlengd ja nee",
        "termijn verdaagd", "extended", "extension", "term extended",
    ),
    "kanaal": (
        "ontvangstkanaal", "ontvangstwijze", "binnengekomen via", "communicatiekanaal",
        "kanaal van binnenkomst", "wijze van ontvangst", "medium", "bron", "channel", "source",
        "contact channel", "received via",
    ),
    "aard": (
        "categorie", "klachtcategorie", "soort klacht", "klachtsoort", "type klacht", "klachttype",
        "aard van de klacht", "aard klacht", "onderwerpcategorie", "hoofdcategorie", "thema",
        "category", "complaint category", "complaint type", "nature",
    ),
    "leerpunt": (
        "leerpunten", "verbeterpunt", "verbeterpunten", "lessen", "geleerde lessen", "lessons learned",
        "lesson learned",
    ),
    "ombudsman": (
        "nationale ombudsman", "naar ombudsman", "voorgelegd aan ombudsman", "ombudsman ja nee",
        "doorgezet naar ombudsman", "ombudsman ja", "national ombudsman", "ombudsman referral",
        "nat ombudsman", "nationale ombudsman ja nee",
    ),
}
# Columns whose values may say status, handling and verdict at once: `[afleiden]`.
RESULT_HEADERS: tuple[str, ...] = (
    "resultaat", "uitkomst", "afloop", "resultaattype", "resultaat klacht", "eindresultaat", "afhandeling",
    "wijze van afdoening", "afdoening", "besluit", "result", "outcome", "resolution",
)
DERIVED_TARGETS: tuple[str, ...] = ("status", "behandeling", "oordeel")

# Export spellings of canonical values the reader does not know by itself (folded keys).
VALUE_SYNONYMS: dict[str, dict[str, str]] = {
    "status": {
        "afgerond": "afgehandeld", "gesloten": "afgehandeld", "afgesloten": "afgehandeld",
        "gereed": "afgehandeld", "behandeld": "afgehandeld", "afgedaan": "afgehandeld",
        "beeindigd": "afgebroken", "gestopt": "afgebroken", "vervallen": "afgebroken",
        "ingetrokken door klager": "ingetrokken", "intrekking": "ingetrokken",
        "niet ontvankelijk verklaard": "niet-ontvankelijk", "nietontvankelijk": "niet-ontvankelijk",
        "doorgezonden": "doorgestuurd", "doorverwezen": "doorgestuurd", "overgedragen": "doorgestuurd",
        "doorgezet": "doorgestuurd", "lopend": "in behandeling", "open": "in behandeling",
        "in behandeling genomen": "in behandeling", "onderhanden": "in behandeling",
        "nieuw": "in behandeling", "geregistreerd": "in behandeling", "klacht voorkomen": "voorkomen",
        "ontvangen": "in behandeling",
        "afgemeld": "afgehandeld", "closed": "afgehandeld", "resolved": "afgehandeld",
        "completed": "afgehandeld", "handled": "afgehandeld",
        "in progress": "in behandeling", "new": "in behandeling", "pending": "in behandeling",
        "withdrawn": "ingetrokken", "forwarded": "doorgestuurd", "referred": "doorgestuurd",
        "inadmissible": "niet-ontvankelijk", "rejected": "niet-ontvankelijk", "cancelled": "afgebroken",
        "aborted": "afgebroken", "prevented": "voorkomen",
    },
    "behandeling": {
        "informele behandeling": "informeel", "informeel afgehandeld": "informeel",
        "informeel opgelost": "informeel", "informele afhandeling": "informeel",
        "bemiddeling": "informeel", "formele behandeling": "formeel", "formeel afgehandeld": "formeel",
        "formele klachtbehandeling": "formeel", "formele afhandeling": "formeel", "informal": "informeel",
        "formal": "formeel",
    },
    "oordeel": {
        "gedeeltelijk gegrond": "deels gegrond", "deels": "deels gegrond", "niet gegrond": "ongegrond",
        "niet beoordeeld": "geen oordeel", "geen oordeel gegeven": "geen oordeel",
        "zonder oordeel": "geen oordeel", "founded": "gegrond", "well founded": "gegrond",
        "partly founded": "deels gegrond", "partially founded": "deels gegrond", "unfounded": "ongegrond",
        "no verdict": "geen oordeel", "no judgement": "geen oordeel",
    },
    "verdaagd": {
        "j": "ja", "n": "nee", "yes": "ja", "no": "nee", "y": "ja", "waar": "ja", "onwaar": "nee",
        "true": "ja", "false": "nee", "1": "ja", "0": "nee", "x": "ja",
    },
    "kanaal": {
        "email": "e-mail", "mail": "e-mail", "e mail": "e-mail", "telefonisch": "telefoon",
        "tel": "telefoon", "website": "webformulier", "internet": "webformulier",
        "digitaal": "webformulier", "online": "webformulier", "e formulier": "webformulier",
        "digitaal formulier": "webformulier", "contactformulier": "webformulier", "post": "brief",
        "schriftelijk": "brief", "loket": "balie", "persoonlijk": "balie", "fysiek": "balie",
        "social media": "sociale media", "facebook": "sociale media", "twitter": "sociale media",
        "instagram": "sociale media", "whatsapp": "sociale media", "overig": "anders", "overige": "anders",
        "phone": "telefoon", "telephone": "telefoon", "letter": "brief", "web form": "webformulier",
        "webform": "webformulier", "counter": "balie", "desk": "balie", "in person": "balie",
        "other": "anders",
    },
}
VALUE_SYNONYMS["ombudsman"] = VALUE_SYNONYMS["verdaagd"]

# Result values: what each means for status, handling and verdict (folded keys).
RESULT_MEANINGS: dict[str, dict[str, str]] = {
    "gegrond": {"status": "afgehandeld", "behandeling": "formeel", "oordeel": "gegrond"},
    "ongegrond": {"status": "afgehandeld", "behandeling": "formeel", "oordeel": "ongegrond"},
    "niet gegrond": {"status": "afgehandeld", "behandeling": "formeel", "oordeel": "ongegrond"},
    "deels gegrond": {"status": "afgehandeld", "behandeling": "formeel", "oordeel": "deels gegrond"},
    "gedeeltelijk gegrond": {"status": "afgehandeld", "behandeling": "formeel", "oordeel": "deels gegrond"},
    "geen oordeel": {"status": "afgehandeld", "behandeling": "formeel", "oordeel": "geen oordeel"},
    "informeel opgelost": {"status": "afgehandeld", "behandeling": "informeel"},
    "opgelost informeel": {"status": "afgehandeld", "behandeling": "informeel"},
    "resolved informally": {"status": "afgehandeld", "behandeling": "informeel"},
    "founded": {"status": "afgehandeld", "behandeling": "formeel", "oordeel": "gegrond"},
    "unfounded": {"status": "afgehandeld", "behandeling": "formeel", "oordeel": "ongegrond"},
    "withdrawn": {"status": "ingetrokken"},
    "informeel afgehandeld": {"status": "afgehandeld", "behandeling": "informeel"},
    "informeel": {"status": "afgehandeld", "behandeling": "informeel"},
    "opgelost": {"status": "afgehandeld", "behandeling": "informeel"},
    "bemiddeld": {"status": "afgehandeld", "behandeling": "informeel"},
    "ingetrokken": {"status": "ingetrokken"},
    "ingetrokken door klager": {"status": "ingetrokken"},
    "niet ontvankelijk": {"status": "niet-ontvankelijk"},
    "niet ontvankelijk verklaard": {"status": "niet-ontvankelijk"},
    "afgebroken": {"status": "afgebroken"},
    "doorgestuurd": {"status": "doorgestuurd"},
    "doorgezonden": {"status": "doorgestuurd"},
    "doorverwezen": {"status": "doorgestuurd"},
    "in behandeling": {"status": "in behandeling"},
    "lopend": {"status": "in behandeling"},
    "voorkomen": {"status": "voorkomen"},
}
# fmt: on
# Columns whose values often mark rows that are no complaint (compliments, reports): named in a
# commented [overslaan] line, never with their values (koppel does not read them).
TYPE_HEADERS: tuple[str, ...] = (
    "zaaktype",
    "soort zaak",
    "type zaak",
    "zaaksoort",
    "registratietype",
    "soort",
    "soort melding",
    "meldingsoort",
    "type melding",
    "incident type",
    "ticket type",
    "type",
)
SUMMARY_ROWS = re.compile(r"^(totaal|totalen|gemiddeld|gemiddelde|som|subtotaal|aantal)\b", re.IGNORECASE)
SLASH_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})")


def header_key(header: object) -> str:
    """A header folded for recognition: `normalise_key`, punctuation dropped ('Klacht nr.' -> 'klacht nr')."""
    folded = normalise_key(str(header or "")).replace("ë", "e").replace("ï", "i")
    return " ".join(re.sub(r"[^\w ]", " ", folded).split())


def value_key(value: str) -> str:
    return header_key(value)


_CANONICAL_KEYS = {header_key(c): c for c in vocab.CANONICAL_COLUMNS}
_READER_KEYS = {normalise_key(c): c for c in vocab.CANONICAL_COLUMNS}
_KNOWN_KEYS = {name: canonical for canonical, names in KNOWN_HEADERS.items() for name in names}


# --------------------------------------------------------------------------- reading


@dataclass
class Sheet:
    """One table of an export: its name (file, and sheet for .xlsx) and its rows as text."""

    file: Path
    sheet: str | None
    rows: list[list[str]]  # every record, cells as trimmed text ('' for empty)
    lines: list[int]  # the line (CSV) or row (Excel) each record starts on, as kopregel counts

    @property
    def name(self) -> str:
        return f"{self.file.name}, tabblad '{self.sheet}'" if self.sheet else self.file.name


def open_tables(
    path: Path, sheets: tuple[str, ...] | None = (), also: tuple[str, ...] = ()
) -> list[tabular.Source]:
    """The tables of an export file exactly as the register reader opens them (only regular files,
    its encodings and separator, hidden sheets never; `sheets` as `Settings.sheets`, default every
    visible sheet); a DataError in Dutch when it cannot be read."""
    problems: list[Problem] = []
    sources = tabular.file_sources(path, sheets, problems, [], also)
    if errors := [p for p in problems if p.severity == "fout"]:
        raise DataError(errors)
    return sources


CELL_LIMIT = 200  # characters of a cell koppel keeps: a 100 MB cell costs one pass, never a wrap of it


def shown_cell(cell: str) -> str:
    """A cell trimmed and cut to `CELL_LIMIT` characters (in linear time), as koppel keeps it."""
    return cell.strip()[:CELL_LIMIT]


def sheet_of(path: Path, source: tabular.Source, limit: int | None = None) -> Sheet:
    """A table as text: its first `limit` records (all when None), taken from `source.rows`,
    every cell cut to `CELL_LIMIT` characters."""
    records = list(itertools.islice(source.rows, limit))
    return Sheet(
        path,
        source.sheet,
        [[shown_cell(cell) for cell in cells] for _, cells in records],
        [line for line, _ in records],
    )


def read_table(path: Path, source: tabular.Source, settings: Settings) -> Sheet:
    """A whole table as text: the first rows, then (once the header is known, so a workbook reads
    no cell right of it) the rest."""
    first = sheet_of(path, source, max(HEADER_SEARCH_ROWS, settings.header_row or 0))
    index, _ = header_index(first, settings)
    source.width = len(first.rows[index]) if index is not None else max(map(len, first.rows), default=0)
    rest = sheet_of(path, source)
    return Sheet(path, source.sheet, first.rows + rest.rows, first.lines + rest.lines)


def read_sheets(path: Path, settings: Settings | None = None) -> list[Sheet]:
    """Every table of an export file, as text."""
    settings = settings or Settings()
    also = tuple(own.name for own in settings.sheet_settings.values())
    return [
        read_table(path, source, settings.for_source(path.name, source.sheet))
        for source in open_tables(path, (), also)
    ]


# --------------------------------------------------------------------------- the mapping


@dataclass
class Column:
    """One export column and what it would fill."""

    position: int
    header: str
    canonical: str | None = None  # filled through [kolommen] or automatic recognition
    # "herkend", "klachten.toml", "voorstel", "afleiden", "afleiden in klachten.toml", "" (not read)
    how: str = ""
    note: str = ""
    values: Counter = field(default_factory=Counter)  # only for read columns
    occurrence: int = 0  # a header that occurs more than once: which occurrence (1, 2, ...)

    @property
    def read(self) -> bool:
        return bool(self.how)


@dataclass
class Proposal:
    """What koppel found in one table and proposes for it."""

    sheet: Sheet
    header_row: int  # 1-based
    columns: list[Column]
    derived: Column | None = None  # the result column for [afleiden]
    derive_targets: tuple[str, ...] = ()
    data_rows: int = 0
    guessed: bool = False  # no known header name: the header row was found by its shape
    history: bool = False  # identifiers repeat with a changing status: regels = "statushistorie"
    lists: dict[str, list[str]] = field(default_factory=dict)  # repeated header -> per occurrence
    flags: list[tuple[str, str, str]] = field(default_factory=list)  # (header, value, why) to check
    ids: set[str] = field(default_factory=set)  # identifier values (overlapping exports)
    second: list[tuple[str, str, str]] = field(default_factory=list)  # (column, read, also fits)
    priority: dict[str, tuple[str, str]] = field(default_factory=dict)  # [voorrang]: column -> headers
    more_derived: list[tuple[Column, tuple[str, ...]]] = field(default_factory=list)  # other [afleiden]
    defaults: dict[str, str] = field(default_factory=dict)  # [standaard]: an empty cell means this

    def filled(self, canonical: str) -> Column | None:
        return next((c for c in self.columns if c.canonical == canonical), None)


def _meaning(header: str, aliases: dict[str, str]) -> tuple[str | None, str]:
    """(canonical column, how): exact canonical name, klachten.toml alias, or a known export name."""
    key = header_key(header)
    if normalise_key(header) in _READER_KEYS:  # exactly as the reader matches headers
        return _READER_KEYS[normalise_key(header)], "herkend"
    if normalise_key(header) in aliases:
        return aliases[normalise_key(header)], "klachten.toml"
    if key in _CANONICAL_KEYS:  # 'Klacht ID.': the reader needs a [kolommen] line for it
        return _CANONICAL_KEYS[key], "voorstel"
    if key in _KNOWN_KEYS:
        return _KNOWN_KEYS[key], "voorstel"
    return None, ""


def find_header(rows: list[list[str]], aliases: dict[str, str]) -> int | None:
    """0-based index of the header: the first of the first 30 rows naming klacht_id or datum_ontvangst."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(_meaning(cell, aliases)[0] in ("klacht_id", "datum_ontvangst") for cell in row if cell):
            return index
    return None


def _width(row: list[str]) -> int:
    return max((i + 1 for i, cell in enumerate(row) if cell), default=0)


_NOT_TEXT = re.compile(r"^[\d\s.,:/+\-]+$")


def guess_header(rows: list[list[str]]) -> int | None:
    """No known header name: the first row (of the first 30) of at least two text cells, above rows
    no wider than it, one of them as wide: the rows of data under their header."""
    filled = [(i, row) for i, row in enumerate(rows[: HEADER_SEARCH_ROWS + 3]) if any(row)]
    for n, (index, row) in enumerate(filled[:HEADER_SEARCH_ROWS]):
        cells = [c for c in row if c]
        if len(cells) < 2 or any(_NOT_TEXT.match(c) for c in cells):
            continue
        below = [_width(r) for _, r in filled[n + 1 : n + 4]]
        if below and max(below) <= _width(row) and _width(row) in below:
            return index
    return None


def header_index(sheet: Sheet, settings: Settings) -> tuple[int | None, bool]:
    """0-based index of the header row and whether it was guessed by its shape: `[bestand]
    kopregel`, else the first row naming klacht_id or datum_ontvangst, else `guess_header`."""
    configured = settings.header_row  # [bestand] kopregel
    if configured and configured in sheet.lines:
        return sheet.lines.index(configured), False
    index = find_header(sheet.rows, settings.header_aliases)
    if index is not None:
        return index, False
    guessed = guess_header(sheet.rows)
    return guessed, guessed is not None


# An explicit [kolommen] line wins over automatic recognition (register.md, "Exports as they come").
_RANK = {"klachten.toml": 0, "herkend": 1, "voorstel": 2}
FITS = 0.8  # share of the filled rows whose values must fit a column proposed by its name
FREE_TEXT_LENGTH = 40  # median length of a column's distinct values above which it is free text
_CODE = re.compile(r"^[A-Za-z]{0,12}[-_/.: ]?\d[\w\-/.:]*$")
_ID_WORDS = re.compile(
    r"\b(nummer|nr|no|id|kenmerk|number|ref|referentie|reference|ticket|incident|case|zaak)"
)
_EXTENSION = re.compile(r"verdaag|verdaging|verleng|extended|extension", re.IGNORECASE)


def _filled(values: Counter) -> dict[str, int]:
    return {v: n for v, n in values.items() if v}


def _share(values: dict[str, int], test) -> float:
    rows = sum(values.values())
    return sum(n for v, n in values.items() if test(v)) / rows if rows else 1.0


def _date_share(values: dict[str, int]) -> float:
    distinct = list(values)
    if not distinct:
        return 1.0
    texts = pd.Series(distinct, dtype=object)
    dated = parse_dates(texts).notna().to_numpy() | parse_dates(texts, month_first=True).notna().to_numpy()
    return _share(values, dict(zip(distinct, dated, strict=True)).get)


def _code_like(value: str) -> bool:
    return len(value) <= 40 and bool(_CODE.match(value))


def _free_text(values: dict[str, int]) -> bool:
    """Sentences rather than categories: long values, or many different values of several words."""
    if not values:
        return False
    lengths = sorted(len(v) for v in values)
    words = sorted(len(v.split()) for v in values)
    rows = sum(values.values())
    many = len(values) > 20 and len(values) > 0.8 * rows
    return lengths[len(lengths) // 2] > FREE_TEXT_LENGTH or many and words[len(words) // 2] >= 4


def fits(canonical: str, values: Counter) -> bool:
    """Whether a column's values fit the canonical column its name suggests (a free-text column
    named `Conclusie` is not `oordeel`); an empty column has nothing against it."""
    filled = _filled(values)
    if not filled or canonical == "leerpunt":
        return True
    if canonical in vocab.DATE_COLUMNS:
        return _date_share(filled) >= FITS
    if canonical == "klacht_id":  # a totals row ("Totaal") is skipped by the draft's [overslaan]
        return _share({v: n for v, n in filled.items() if not SUMMARY_ROWS.match(v)}, _code_like) >= FITS
    if canonical in vocab.ALLOWED_VALUES:
        known = _share(
            filled, lambda v: known_value(canonical, v) or suggested_value(canonical, v) is not None
        )
        return known >= FITS / 2 or len(filled) <= FEW_VALUES and not _free_text(filled)
    return not _free_text(filled)


def propose(sheet: Sheet, settings: Settings) -> Proposal | None:
    """The mapping for one table, or None when no header is found in it.

    A column is proposed by its name only when its values fit; every column's values are counted
    to decide that, but only the values of columns that are read are kept for showing.
    """
    index, guessed = header_index(sheet, settings)
    if index is None:
        return None
    headers = sheet.rows[index]
    data = [row for row in sheet.rows[index + 1 :] if any(cell for cell in row)]
    counted = {p: Counter(row[p] if p < len(row) else "" for row in data) for p in range(len(headers))}
    columns = [Column(position, header) for position, header in enumerate(headers) if header.strip()]
    occurrences = Counter(header_key(c.header) for c in columns)
    seen: Counter = Counter()
    for column in columns:
        key = header_key(column.header)
        if occurrences[key] > 1:
            seen[key] += 1
            column.occurrence = seen[key]
    derived_in_toml = set(settings.derivations)  # [afleiden] in klachten.toml
    claims: dict[str, Column] = {}
    proposal = Proposal(sheet, sheet.lines[index], columns, data_rows=len(data), guessed=guessed)
    for column in columns:
        if normalise_key(column.header) in derived_in_toml:
            column.how = "afleiden in klachten.toml"
            continue
        if column.occurrence:
            continue  # a repeated header: `_propose_lists`
        canonical, how = _meaning(column.header, settings.header_aliases)
        if canonical is None:
            continue
        if how == "voorstel" and not fits(canonical, counted[column.position]):
            column.note = f"lijkt op {canonical}, maar de waarden passen daar niet bij"
            continue
        held = claims.get(canonical)
        if held is None or (_RANK[how], _known_rank(column)) < (_RANK[held.how], _known_rank(held)):
            if held is not None:
                held.canonical, held.how, held.note = (
                    None,
                    "",
                    f"lijkt op {canonical}; '{column.header}' wordt gelezen",
                )
                proposal.second.append((canonical, column.header, held.header))
            claims[canonical] = column
            column.canonical, column.how = canonical, how
        else:
            column.note = f"lijkt op {canonical}; '{held.header}' wordt gelezen"
            proposal.second.append((canonical, held.header, column.header))
    _propose_lists(proposal, counted)
    _propose_identifier(proposal, counted)
    _propose_result_column(proposal, data)
    _propose_history(proposal, data)
    for column in columns:
        if column.read and column.canonical not in ("leerpunt",):
            column.values = counted[column.position]
    _flag_published_values(proposal, counted)
    _checkbox_defaults(proposal, counted)
    return proposal


def _propose_lists(proposal: Proposal, counted: dict[int, Counter]) -> None:
    """A header that occurs more than once: a list in [kolommen], one entry per occurrence. Two
    date columns under one name are received and closed (in that order); other occurrences are
    left to the analyst ("???")."""
    groups: dict[str, list[Column]] = {}
    for column in proposal.columns:
        if column.occurrence:
            groups.setdefault(column.header.strip(), []).append(column)
    for header, group in groups.items():
        targets: list[str] = []
        dated = [
            c
            for c in group
            if _filled(counted[c.position]) and _date_share(_filled(counted[c.position])) >= FITS
        ]
        free = [d for d in ("datum_ontvangst", "datum_afgehandeld") if proposal.filled(d) is None]
        for column in group:
            target = free.pop(0) if column in dated and len(dated) >= 2 and free else ""
            if target:
                column.canonical, column.how = target, "voorstel"
            column.note = (
                column.note or f"de kopnaam komt {len(group)} keer voor (nummer {column.occurrence})"
            )
            targets.append(target)
        proposal.lists[header] = targets


def _propose_identifier(proposal: Proposal, counted: dict[int, Counter]) -> None:
    """No column named as an identifier: one whose values are codes, filled in every row and each
    row its own (or repeating, in a history export), is proposed; `regelnummer` only without one."""
    if proposal.filled("klacht_id") is not None:
        return
    rows = proposal.data_rows
    candidates = []
    for column in proposal.columns:
        filled = _filled(counted[column.position])
        if column.read or column.occurrence or not rows or sum(filled.values()) < 0.95 * rows:
            continue
        if _share(filled, _code_like) < 0.95 or _date_share(filled) >= FITS:
            continue
        unique = len(filled) == sum(filled.values())
        named = bool(_ID_WORDS.search(header_key(column.header)))
        if unique or named:
            candidates.append((not unique, not named, column.position, column))
    if candidates:
        column = min(candidates)[3]
        column.canonical, column.how = "klacht_id", "voorstel"
        column.note = "een kenmerk per klacht (waarden als codes" + (
            ", elke rij een eigen waarde)" if len(_filled(counted[column.position])) == rows else ")"
        )


def _known_rank(column: Column) -> int:
    names = KNOWN_HEADERS.get(column.canonical or "", ())
    key = header_key(column.header)
    return names.index(key) if key in names else -1


def _propose_result_column(proposal: Proposal, data: list[list[str]]) -> None:
    """A 'Resultaat' column: [afleiden] for what no other column fills, if its values say so.

    When its values also say what a status column cannot (withdrawn, forwarded; an empty cell
    for open), it mixes statuses and verdicts: it then fills status as well, and a recognised
    status column is left unread (register.md: a column filled by [afleiden] is never also
    filled by header recognition).
    """
    if any(c.how == "afleiden in klachten.toml" for c in proposal.columns):
        return  # klachten.toml already derives from a result column
    candidates = [c for c in proposal.columns if not c.read and header_key(c.header) in RESULT_HEADERS]
    if not candidates:
        return
    column = candidates[0]
    values = Counter(row[column.position] if column.position < len(row) else "" for row in data)
    meanings = [RESULT_MEANINGS[value_key(v)] for v in values if v and value_key(v) in RESULT_MEANINGS]
    if not meanings:
        column.note = "lijkt op een resultaat, maar geen waarde is herkend; koppel hem zelf"
        return
    statuses = {m.get("status") for m in meanings} - {None, vocab.HANDLED}
    status = proposal.filled("status")
    both = False
    if statuses and status is not None and status.how != "klachten.toml":
        phases = _filled(Counter(row[status.position] if status.position < len(row) else "" for row in data))
        if (
            _share(phases, lambda v: known_value("status", v) or suggested_value("status", v) is not None)
            >= FITS
        ):
            # Both say something about the status: both are read, the result first ([voorrang]),
            # so a closed complaint without a result is never counted as open.
            both = True
            status.how, status.note = "voorstel", f"[voorrang]: waar '{column.header}' leeg is"
            proposal.priority["status"] = (column.header, status.header)
        else:
            status.canonical, status.how = None, ""
            status.note = f"lijkt op status; [afleiden] '{column.header}' vult status"
    open_targets = tuple(t for t in DERIVED_TARGETS if proposal.filled(t) is None or (both and t == "status"))
    if not open_targets:
        column.note = "lijkt op een resultaat; status, behandeling en oordeel komen al uit andere kolommen"
        return
    column.how, column.values = "afleiden", values
    proposal.derived, proposal.derive_targets = column, open_targets


def _propose_history(proposal: Proposal, data: list[list[str]]) -> None:
    """Identifiers that repeat while the status changes: one row per status change, so
    `regels = "statushistorie"`. A status value that says the term was extended ("Termijn
    verdaagd") then sets `verdaagd` for the whole complaint: the status column becomes `[afleiden]`."""
    ids = proposal.filled("klacht_id")
    if ids is None:
        return
    cell = lambda row, p: row[p] if p < len(row) else ""  # noqa: E731
    values = [cell(row, ids.position) for row in data]
    proposal.ids = {v for v in values if v}
    status = proposal.filled("status") or proposal.derived
    if status is None or len(proposal.ids) == len([v for v in values if v]):
        return
    per_id: dict[str, set[str]] = {}
    for row, key in zip(data, values, strict=True):
        if key and cell(row, status.position):
            per_id.setdefault(key, set()).add(cell(row, status.position))
    if not any(len(statuses) > 1 for statuses in per_id.values()):
        return
    proposal.history = True
    column = proposal.filled("status")
    if column is None or column.how == "klachten.toml":
        return
    counted = Counter(cell(row, column.position) for row in data)
    if any(_EXTENSION.search(v) for v in counted):
        column.canonical, column.how, column.values = None, "afleiden", counted
        column.note = "een statusregel zoals 'Termijn verdaagd' zet verdaagd voor de hele klacht"
        proposal.more_derived.append((column, ("status", "verdaagd")))
        if proposal.filled("verdaagd") is None:
            proposal.defaults["verdaagd"] = "nee"


def _flag_published_values(proposal: Proposal, counted: dict[int, Counter]) -> None:
    """Values of a published column (team, aard, reden) that read like a person, or that also occur
    in a column that is not read (where names may be): to be mapped before publishing. The
    column not read is named; its values are never shown."""
    unread: dict[str, str] = {}
    for column in proposal.columns:
        if not column.read:
            for value in _filled(counted[column.position]):
                unread.setdefault(team_key(value), column.header)
    for column in proposal.columns:
        if column.canonical not in ("team", "aard", "reden"):
            continue
        for value in sorted(_filled(counted[column.position])):
            if reads_like_a_person(value):
                proposal.flags.append((column.header, value, "lijkt een persoon"))
            elif team_key(value) in unread:
                proposal.flags.append(
                    (
                        column.header,
                        value,
                        f"staat ook in de kolom '{unread[team_key(value)]}', die niet wordt gelezen",
                    )
                )


def suggested_column(header: str) -> str | None:
    """What an export header suggests by its name: a canonical column, 'resultaat' (status and
    verdict in one column), or None."""
    key = header_key(header)
    if key in RESULT_HEADERS:
        return "resultaat"
    return _CANONICAL_KEYS.get(key) or _KNOWN_KEYS.get(key)


# --------------------------------------------------------------------------- values


def known_value(column: str, value: str) -> bool:
    """The reader maps this spelling by itself (case, spaces, '-' and '_' folded)."""
    allowed = vocab.ALLOWED_VALUES.get(column, ())
    keys = {normalise_key(a) for a in allowed}  # exactly as the reader folds values
    compact = {k.replace(" ", "") for k in keys}
    return normalise_key(value) in keys or normalise_key(value).replace(" ", "") in compact


def suggested_value(column: str, value: str) -> str | None:
    """The canonical value an export spelling most likely means; None if the reader knows it
    already or nobody can tell (then the analyst decides)."""
    if column not in vocab.ALLOWED_VALUES or known_value(column, value):
        return None
    plain = {value_key(a): a for a in vocab.ALLOWED_VALUES[column]}  # 'Afgehandeld.' -> afgehandeld
    return plain.get(value_key(value)) or VALUE_SYNONYMS.get(column, {}).get(value_key(value))


def _date_order(values: Counter) -> str | None:
    """'maand-dag' when slash dates can only be month first (4/13/2024), else None."""
    month_first = day_first = False
    for value in values:
        match = SLASH_DATE.match(value)
        if match:
            first, second = int(match[1]), int(match[2])
            day_first |= first > 12
            month_first |= second > 12
    return "maand-dag" if month_first and not day_first else None


# --------------------------------------------------------------------------- the draft


def merged(proposals: list[Proposal]) -> Proposal:
    """One proposal for several files or sheets (e.g. one tab per year): columns by header, in
    order of first appearance, with their values added up; the first header row."""
    if len(proposals) == 1:
        return proposals[0]
    columns: dict[tuple[str, str | None, str], Column] = {}
    for proposal in proposals:
        for column in proposal.columns:
            key = (column.header, column.canonical, column.how)
            if key not in columns:
                columns[key] = Column(
                    len(columns),
                    column.header,
                    column.canonical,
                    column.how,
                    column.note,
                    Counter(),
                    column.occurrence,
                )
            columns[key].values.update(column.values)
    first = proposals[0]
    result = Proposal(
        first.sheet,
        first.header_row,
        list(columns.values()),
        data_rows=sum(p.data_rows for p in proposals),
        guessed=first.guessed,
        history=any(p.history for p in proposals),
        lists={h: t for p in reversed(proposals) for h, t in p.lists.items()},
        flags=list(dict.fromkeys(f for p in proposals for f in p.flags)),
        second=list(dict.fromkeys(x for p in proposals for x in p.second)),
        priority={c: h for p in reversed(proposals) for c, h in p.priority.items()},
        defaults={c: v for p in reversed(proposals) for c, v in p.defaults.items()},
    )
    derived = next((p for p in proposals if p.derived is not None), None)
    if derived is not None and derived.derived is not None:
        header = derived.derived.header
        result.derived = next(c for c in result.columns if c.how == "afleiden" and c.header == header)
        result.derive_targets = derived.derive_targets
    for proposal in proposals:
        for column, targets in proposal.more_derived:
            if all(c.header != column.header for c, _ in result.more_derived):
                same = next(c for c in result.columns if c.header == column.header and c.how == "afleiden")
                result.more_derived.append((same, targets))
    return result


def _key(text: str) -> SingleKey:
    """A key in double quotes, as the export spells it ("Zaaknummer", also where TOML would
    allow it bare): the analyst recognises the export's own header."""
    return SingleKey(text, KeyType.Basic)


_Noted = TypeVar("_Noted", bound=Item)  # a tomlkit item keeps its own type when noted


def _noted(item: _Noted, note: str, space: str = "    ") -> _Noted:
    """`item` with a comment after it; `space` before the '#' lines the comments up."""
    item.comment(note)
    item.trivia.comment_ws = space
    return item


def _inline(meaning: dict[str, str]) -> InlineTable:
    """`{ status = "afgehandeld", behandeling = "formeel" }`; `{ }` for nothing."""
    table = tomlkit.inline_table()
    table.update(meaning)
    if meaning:
        table[next(iter(meaning))].trivia.indent = " "
    table.add(tomlkit.ws(" "))
    return table


def _line(key: str | Key, value: object) -> str:
    """One `key = value` line as tomlkit writes it, for a line the draft shows commented out."""
    line = tomlkit.document()
    line.add(key if isinstance(key, Key) else _key(key), _value(value))
    return line.as_string().rstrip("\n")


def _value(value: object) -> Item:
    """A TOML value; a dict as an inline table."""
    return _inline(value) if isinstance(value, dict) else tomlkit.item(value)


def _add(table: Table, key: str, value: object, note: str = "", space: str = "    ") -> None:
    """`"key" = value` (with its comment); a key the table has already is shown commented out
    (two columns of the same name: TOML allows a key once)."""
    if key in table:
        table.add(tomlkit.comment(f"{_line(key, value)}    # ??? staat hierboven al"))
        return
    item = _value(value)
    table.add(_key(key), _noted(item, note, space) if note else item)


def _section(
    doc: TOMLDocument, name: str, table: Table, sub: Key | None = None, *, blank: bool = True
) -> None:
    """Add `[name]` (or `[name.sub]`), followed by a blank line unless it is the last."""
    if blank:
        table.add(tomlkit.nl())
    if sub is None:
        doc.add(name, table)
        return
    holder = tomlkit.table(is_super_table=True)
    holder.add(sub, table)
    if name in doc and sub.key in doc[name]:
        # The same section twice (two columns or sheets of one name): TOML allows it once, so
        # the second is shown commented out, for the analyst to merge into the first.
        again = tomlkit.document()
        again.add(name, holder)
        for line in again.as_string().splitlines():
            doc.add(tomlkit.comment(f"??? nog eens: {line}") if line else tomlkit.nl())
        return
    doc.add(name, holder)


def _headed(note: str, space: str) -> Table:
    """An empty table whose header line carries `note` (`space` before the '#')."""
    return _noted(tomlkit.table(), note, space)


def draft_toml(proposals: list[Proposal], settings: Settings) -> str:
    """The commented draft klachten.toml for these tables (Dutch comments for the analyst),
    built with tomlkit: every key and value is written as TOML writes it."""
    doc = tomlkit.document()
    for line in (
        "Voorstel van 'klachten koppel'. Controleer elke regel, vul in wat met ??? is gemarkeerd",
        f"en sla het bestand op als {SETTINGS_FILE} (dit voorstel wordt zelf nooit gelezen).",
        "Daarna: klachten validate, en vergelijk de cijfers met uw eigen telling.",
    ):
        doc.add(tomlkit.comment(line))
    doc.add(tomlkit.nl())
    first = merged(proposals)
    bestand = tomlkit.table()
    if first.guessed:
        note = "??? geen bekende kopnaam: deze rij lijkt de kopregel"
        bestand.add("kopregel", _noted(tomlkit.integer(first.header_row), note, " " * 10))
    elif first.header_row > 1:
        note = "de rijen erboven zijn titel of toelichting"
        bestand.add("kopregel", _noted(tomlkit.integer(first.header_row), note, " " * 18))
    else:
        line = _line(tomlkit.key("kopregel"), 1)
        bestand.add(tomlkit.comment(f"{line}                # de kopregel is de eerste rij"))
    if first.history:
        note = "een regel per statuswijziging: per kolom telt de laatste waarde"
        bestand.add("regels", _noted(tomlkit.string(HISTORY), note, " " * 7))
    overlap = _overlapping_ids(proposals)
    if overlap:
        note = f"{overlap} kenmerken staan in meer dan één bestand of tabblad; de regel uit het laatste telt"
        bestand.add("dubbel", _noted(tomlkit.string(KEEP_LAST), note))
    sheets = {p.sheet.sheet for p in proposals if p.sheet.sheet}
    if len(sheets) > 1:
        note = "elk tabblad met deze kopregel (bijvoorbeeld één per jaar)"
        bestand.add("tabbladen", _noted(tomlkit.string("alle"), note, " " * 13))
    received = first.filled("datum_ontvangst")
    if received is not None and _date_order(received.values):
        bestand.add("datumvolgorde", _noted(tomlkit.string("maand-dag"), "data als 4/13/2024: maand eerst"))
    if first.filled("klacht_id") is None:
        note = "geen kolom met een kenmerk gevonden: bestandsnaam + rijnummer"
        bestand.add("klacht_id", _noted(tomlkit.string(LINE_NUMBER_ID), note, " " * 6))
    _section(doc, "bestand", bestand)

    columns = _headed("kopnaam in de export = standaardkolom", " " * 22)
    for column in (c for c in first.columns if c.how == "voorstel" and not c.occurrence):
        _add(columns, column.header, column.canonical)
    for header, targets in first.lists.items():
        note = "elke keer dat de kopnaam voorkomt, in volgorde"
        if not any(targets):
            line = _line(header, list(targets))
            columns.add(tomlkit.comment(f"{line}    # ??? {note}; vul in wat elke kolom is"))
        else:
            _add(columns, header, list(targets), f'{note} ("": niet lezen)')
    for column in (c for c in first.columns if c.how in ("herkend", "klachten.toml")):
        header = _key(column.header).as_string()
        columns.add(tomlkit.comment(f"{header} wordt al herkend als {column.canonical}"))
    for canonical in ("klacht_id", "datum_ontvangst", "status", "team", "reden"):
        derived = {t for _, targets in first.more_derived for t in targets}
        derived |= set(first.derive_targets) if first.derived else set()
        if first.filled(canonical) is None and canonical not in derived:
            line = _line("<kopnaam>", canonical)
            columns.add(tomlkit.comment(f"??? geen kolom gevonden voor {canonical}: {line}"))
    _section(doc, "kolommen", columns)

    for column in first.columns:
        if column.canonical in vocab.ALLOWED_VALUES:
            _value_section(doc, column)
    reasons = first.filled("reden")
    if reasons is not None and 0 < len([v for v in reasons.values if v]) <= FEW_VALUES:
        catalogue = tomlkit.array()
        catalogue.extend(v for v, _ in reasons.values.most_common() if v)
        table = _headed("de redenen uit de export; de volgorde breekt gelijke aantallen", " " * 23)
        table.add("catalogus", catalogue.multiline(True))
        _section(doc, "redenen", table)

    if first.derived is not None:
        _derive_section(doc, first)
    for column, derived_targets in first.more_derived:
        _derive_section(doc, first, column, derived_targets)
    for column, canonical in _pattern_columns(first):
        _pattern_section(doc, column, canonical)
    if first.defaults:
        table = _headed("een lege cel betekent dit (dus: wel vastgelegd)", " " * 21)
        for canonical, value in first.defaults.items():
            table.add(canonical, value)
        _section(doc, "standaard", table)
    if first.priority:
        note = "twee kolommen vullen dezelfde standaardkolom; de eerste die een waarde geeft, telt"
        table = _headed(note, " " * 22)
        for canonical, headers in first.priority.items():
            table.add(canonical, list(headers))
        _section(doc, "voorrang", table)
    _second_candidates(doc, first)
    _source_sections(doc, proposals)
    _team_sections(doc, first)

    skip: list[tuple[str, list[str]] | str] = []
    summary_ids = first.filled("klacht_id")
    if summary_ids is not None:
        totals = sorted({v for v in summary_ids.values if SUMMARY_ROWS.match(v)})
        if totals:
            skip.append((summary_ids.header, totals))
    for column in first.columns:
        if not column.read and header_key(column.header) in TYPE_HEADERS:
            skip.append(
                f"{_line(column.header, ['???'])}    # waarden van rijen die geen klacht zijn, "
                "bijvoorbeeld complimenten"
            )
    if skip:
        table = _headed("rijen die geen klacht zijn", " " * 22)
        for entry in skip:
            if isinstance(entry, str):
                table.add(tomlkit.comment(entry))
            else:
                _add(table, *entry)
        _section(doc, "overslaan", table)

    terms = _headed("Awb 9:11; pas aan als uw regeling andere termijnen kent", " " * 21)
    terms.add("behandeltermijn_weken", settings.term_weeks)
    terms.add("verdaging_weken", settings.extension_weeks)
    _section(doc, "termijnen", terms, blank=False)
    return doc.as_string()


def _overlapping_ids(proposals: list[Proposal]) -> int:
    """How many identifiers occur in more than one file or sheet (overlapping exports)."""
    seen: Counter = Counter()
    for proposal in proposals:
        seen.update(proposal.ids)
    return sum(1 for count in seen.values() if count > 1)


def _second_candidates(doc: TOMLDocument, proposal: Proposal) -> None:
    """Two columns that both look like one canonical column: `[voorrang]`, commented, to enable
    when the second should fill what the first leaves empty."""
    if not proposal.second:
        return
    note = "twee kolommen lijken dezelfde standaardkolom te vullen"
    doc.add(tomlkit.comment(f"[voorrang]                    # {note}"))
    for column, read, other in proposal.second:
        doc.add(
            tomlkit.comment(
                f"{_line(tomlkit.key(column), [read, other])}    # koppel ook "
                f"{_key(other).as_string()} onder "
                "[kolommen] als die waarden aanvult; de eerste die een waarde geeft, telt"
            )
        )
    doc.add(tomlkit.nl())


def _source_sections(doc: TOMLDocument, proposals: list[Proposal]) -> None:
    """`[tabblad."…"]` / `[bestand."…"]` for a sheet or file that differs from the first: its own
    header row, no identifier of its own, or a sheet of prevented complaints without a status."""
    first = proposals[0]
    for proposal in proposals[1:]:
        sheet = proposal.sheet
        own = tomlkit.table()
        if proposal.header_row != first.header_row:
            own.add("kopregel", proposal.header_row)
        if proposal.filled("klacht_id") is None and first.filled("klacht_id") is not None:
            where = "tabblad" if sheet.sheet else "bestand"
            own.add("klacht_id", _noted(tomlkit.string(LINE_NUMBER_ID), f"geen kenmerk op dit {where}"))
        name = header_key(sheet.sheet or sheet.file.stem)
        if "voorkomen" in name and proposal.filled("status") is None and proposal.derived is None:
            own.add("vast", _noted(_inline({"status": "voorkomen"}), "elke rij is een voorkomen klacht"))
        if own:
            parent = "tabblad" if sheet.sheet else "bestand"
            _section(doc, parent, own, _key(sheet.sheet or sheet.file.name))


def _team_sections(doc: TOMLDocument, proposal: Proposal) -> None:
    """Team values to check before publishing ([waarden.team], commented), and the organisation's
    team list to confirm ([organisatie] teams, commented): then every other team is an error."""
    team = proposal.filled("team")
    flagged = [(h, v, why) for h, v, why in proposal.flags if team is not None and h == team.header]
    if flagged:
        note = "??? deze teamwaarden komen in het openbare verslag"
        doc.add(tomlkit.comment(f"[waarden.team]                # {note}"))
        for _, value, why in flagged:
            doc.add(tomlkit.comment(f"{_line(value, '???')}    # {why}"))
        doc.add(tomlkit.nl())
    team = proposal.filled("team")
    if team is not None:
        names = [v for v, _ in sorted(team.values.items(), key=lambda vc: (-vc[1], vc[0])) if v]
        names = [v for v in names if v not in {value for _, value, _ in flagged}][:TEAMS_SHOWN]
        if names:
            note = "de teams van de organisatie; elk ander team is dan een fout"
            doc.add(tomlkit.comment(f"[organisatie]    # {note}"))
            doc.add(tomlkit.comment(_line(tomlkit.key("teams"), names)))
            doc.add(tomlkit.nl())


def _value_section(doc: TOMLDocument, column: Column) -> None:
    """[waarden.<kolom>] for spellings the reader does not know: a proposal or a ??? to fill in."""
    canonical = column.canonical or ""
    allowed = vocab.ALLOWED_VALUES[canonical]
    table = _headed("waarde in de export = standaardwaarde", " " * 12)
    for value, count in sorted(column.values.items(), key=lambda vc: (-vc[1], vc[0])):
        if not value or known_value(canonical, value):
            continue
        target = suggested_value(canonical, value)
        if target is not None:
            _add(table, value, target, f"{count}x")
        else:
            table.add(tomlkit.comment(f"{_line(value, '???')}    # {count}x; kies uit: {', '.join(allowed)}"))
    if table.value.body:
        _section(doc, "waarden", table, tomlkit.key(canonical))


def _pattern_section(doc: TOMLDocument, column: Column, canonical: str) -> None:
    note = f"een ingevulde cel (een datum, een vinkje) betekent: {canonical} ja"
    table = _headed(note, " " * 4)
    table.add(_key("(ingevuld)"), _inline({canonical: "ja"}))
    table.add(_key("(leeg)"), _inline({canonical: "nee"}))
    _section(doc, "afleiden", table, _key(column.header))


def _derive_section(
    doc: TOMLDocument, proposal: Proposal, column: Column | None = None, targets: tuple[str, ...] = ()
) -> None:
    column, targets = (column, targets) if column is not None else (proposal.derived, proposal.derive_targets)
    assert column is not None
    table = _headed(f"deze kolom vult {', '.join(targets)}, per waarde", " " * 4)
    for value, count in sorted(column.values.items(), key=lambda vc: (-vc[1], vc[0])):
        if not value and proposal.history:
            _add(table, "", {}, f"{count}x een lege cel: geeft niets (de andere regels van de klacht wel)")
            continue
        if not value and "status" in proposal.priority:
            _add(table, "", {}, f"{count}x een lege cel: geeft niets; de status komt uit de andere kolom")
            continue
        meaning = derived_meaning(value)
        if meaning is not None:
            kept = {k: v for k, v in meaning.items() if k in targets}
            if not value and not kept:
                _add(table, "", {}, f"{count}x een lege cel: geeft niets")
                continue
            if kept:
                note = f"{count}x een lege cel" if not value else f"{count}x"
                if kept.get("status") in vocab.NOT_HANDLED and proposal.filled("reden") is None:
                    note += '; voeg eventueel reden = "..." toe (anders: Reden niet vastgelegd)'
                _add(table, value, kept, note)
                continue
        line = _line(value, _inline({"status": "???"}))
        what = f"{count}x; wat betekent deze waarde? vul {', '.join(targets)} in"
        table.add(tomlkit.comment(f"{line}    # {what}"))
    _section(doc, "afleiden", table, _key(column.header))


def derived_meaning(value: str) -> dict[str, str] | None:
    """What a value of a result or status column says: status, handling, verdict or extension."""
    if not value:
        return {"status": "in behandeling"}
    if value_key(value) in RESULT_MEANINGS:
        return RESULT_MEANINGS[value_key(value)]
    verdict = suggestion(value, vocab.VERDICTS)
    if verdict is not None and not known_value("status", value):
        return {"status": vocab.HANDLED, "behandeling": "formeel", "oordeel": verdict}
    status = value if known_value("status", value) else suggested_value("status", value)
    if status is not None:
        allowed = {normalise_key(a): a for a in vocab.STATUSES}
        return {"status": allowed.get(normalise_key(status), status)}
    if _EXTENSION.search(value):
        return {"verdaagd": "ja"}
    return None


def _pattern_columns(proposal: Proposal) -> list[tuple[Column, str]]:
    """Unread columns named like `verdaagd` or `ombudsman` that hold dates or marks, not ja/nee:
    "(ingevuld)" and "(leeg)" say it ("Verdaagd tot" with a new end date: verdaagd)."""
    found = []
    for column in proposal.columns:
        if column.read or column.occurrence or proposal.filled("verdaagd") and proposal.filled("ombudsman"):
            continue
        key = header_key(column.header)
        for canonical in ("verdaagd", "ombudsman"):
            named = canonical in key or canonical == "verdaagd" and bool(_EXTENSION.search(key))
            if named and proposal.filled(canonical) is None and canonical not in proposal.defaults:
                found.append((column, canonical))
                break
    return found


def _checkbox_defaults(proposal: Proposal, counted: dict[int, Counter]) -> None:
    """A ja/nee column whose filled cells all say ja (a checkbox: "J" or empty): an empty cell
    means nee, so the draft says so with [standaard]."""
    for column in proposal.columns:
        if column.canonical in vocab.YES_NO_COLUMNS and column.how == "voorstel":
            filled = _filled(counted[column.position])
            meant = {suggested_value(column.canonical, v) or normalise_key(v) for v in filled}
            if filled and meant == {"ja"} and sum(filled.values()) < proposal.data_rows:
                proposal.defaults[column.canonical] = "nee"


# --------------------------------------------------------------------------- the command


@dataclass(frozen=True)
class KoppelResult:
    lines: list[str]
    draft: Path


def draft_path(data_dir: Path) -> Path:
    """klachten.voorstel.toml, or the first free klachten.voorstel-2.toml, -3, ...: an earlier
    draft may hold the analyst's edits, so it is never overwritten."""
    path = Path(data_dir) / f"{DRAFT_NAME}{DRAFT_SUFFIX}"
    number = 2
    while path.exists():
        path = Path(data_dir) / f"{DRAFT_NAME}-{number}{DRAFT_SUFFIX}"
        number += 1
    return path


def _column_lines(proposal: Proposal) -> list[str]:
    width = max((len(c.header) for c in proposal.columns), default=10)
    lines = []
    for column in proposal.columns:
        if column.how == "afleiden":
            what = f"{', '.join(proposal.derive_targets)} via [afleiden]"
        elif column.how == "afleiden in klachten.toml":
            what = "[afleiden] uit klachten.toml"
        elif column.read:
            what = (
                str(column.canonical)  # a read column fills one
                + {"herkend": "", "klachten.toml": " (uit klachten.toml)", "voorstel": " (voorstel)"}[
                    column.how
                ]
            )
        else:
            what = NOT_READ + (f" ({column.note})" if column.note else "")
        lines.append(f"  {column.header:<{width}}  ->  {what}")
    return lines


def _value_lines(proposal: Proposal) -> list[str]:
    lines = []
    for column in proposal.columns:
        if not column.read:
            continue  # never a value of a column that is not read
        filled = sum(n for v, n in column.values.items() if v)
        if column.canonical == "leerpunt":
            lines.append(f"  {column.header}: tekst (intern), niet getoond")
        elif column.canonical == "team" and len(column.values) > FEW_VALUES:
            ordered = sorted(column.values.items(), key=lambda vc: (-vc[1], vc[0]))
            shown = ", ".join(f"{v or '(leeg)'} {n}x" for v, n in ordered[:TEAMS_SHOWN])
            rest = len(ordered) - TEAMS_SHOWN
            lines += textwrap.wrap(
                f"{column.header} (de {min(TEAMS_SHOWN, len(ordered))} grootste): {shown}"
                + (f", en nog {rest} andere" if rest > 0 else ""),
                100,
                initial_indent="  ",
                subsequent_indent="      ",
                break_on_hyphens=False,
            )
        elif (
            column.canonical in vocab.DATE_COLUMNS
            or column.canonical == "klacht_id"
            or len(column.values) > FEW_VALUES
        ):
            distinct = len([v for v in column.values if v])
            lines.append(f"  {column.header}: {filled} ingevuld, {distinct} verschillende waarden")
        else:
            shown = ", ".join(
                f"{v or '(leeg)'} {n}x"
                for v, n in sorted(column.values.items(), key=lambda vc: (-vc[1], vc[0]))
            )
            lines += textwrap.wrap(
                f"{column.header}: {shown}",
                100,
                initial_indent="  ",
                subsequent_indent="      ",
                break_on_hyphens=False,
            )
    return lines


def _flag_lines(proposal: Proposal) -> list[str]:
    if not proposal.flags:
        return []
    lines = ["Let op, deze waarden komen in het openbare verslag; koppel ze aan een team of categorie:"]
    lines += [f"  {header}: '{value}' {why}" for header, value, why in proposal.flags]
    return lines


def koppel(data_dir: Path) -> KoppelResult:
    """Inspect the register files of `data_dir` and write the draft; a DataError in Dutch if impossible."""
    data_dir = existing_folder(data_dir)
    notes: list[str] = []
    try:
        settings = load_settings(data_dir)
    except DataError:
        settings = Settings()  # a broken klachten.toml: propose from scratch
        notes.append(f"{SETTINGS_FILE} bevat fouten en is genegeerd; het voorstel begint opnieuw.")
    files = register_files(data_dir)
    if not files:
        raise DataError(
            [
                Problem(
                    str(data_dir),
                    "geen export gevonden: geen bestand waarvan de naam begint met 'klachtenregister' "
                    "en eindigt op .csv of .xlsx.",
                    "Zet de export in deze map en noem hem bijvoorbeeld klachtenregister.xlsx.",
                )
            ]
        )
    proposals: list[Proposal] = []
    lines: list[str] = list(notes)
    for path in files:
        for sheet in read_sheets(path, settings):
            proposal = propose(sheet, settings.for_source(path.name, sheet.sheet))
            if proposal is None:
                lines.append(f"{sheet.name}: geen kopregel gevonden in de eerste {HEADER_SEARCH_ROWS} rijen.")
                continue
            proposals.append(proposal)
            skipped = (
                f" (de {proposal.header_row - 1} rijen erboven worden overgeslagen)"
                if proposal.header_row > 1
                else ""
            )
            guessed = (
                [
                    f"Geen bekende kopnaam gevonden: rij {proposal.header_row} lijkt de kopregel (tekst "
                    "boven "
                    "rijen van dezelfde breedte); het voorstel zet kopregel = "
                    f"{proposal.header_row}. Controleer dat."
                ]
                if proposal.guessed
                else []
            )
            repeated = [
                f"De kopnaam '{header}' komt {len(targets)} keer voor; het voorstel koppelt elke keer "
                "apart met een lijst."
                for header, targets in proposal.lists.items()
            ]
            history = (
                [
                    "Kenmerken komen vaker voor, met een andere status: een regel per statuswijziging; "
                    'het voorstel zet regels = "statushistorie".'
                ]
                if proposal.history
                else []
            )
            lines += [
                f"{sheet.name}: kopregel op rij {proposal.header_row}{skipped}, "
                f"{proposal.data_rows} rijen met gegevens",
                *guessed,
                *repeated,
                *history,
                "Kolommen:",
                *_column_lines(proposal),
                "Waarden van de kolommen die worden gelezen:",
                *_value_lines(proposal),
                *_flag_lines(proposal),
                "",
            ]
    if not proposals:
        raise DataError(
            [
                Problem(
                    str(data_dir),
                    "in geen enkel bestand een kopregel gevonden (een rij met bijvoorbeeld 'Zaaknummer' of "
                    "'Datum ontvangst').",
                    "Controleer of dit de export van het klachtenregister is.",
                )
            ]
        )
    draft = draft_path(data_dir)
    _write_new(draft, draft_toml(proposals, settings))
    if (data_dir / SETTINGS_FILE).exists():
        lines.append(f"{SETTINGS_FILE} bestaat al en is niet gewijzigd; vergelijk het met het voorstel.")
    lines.append(f"Voorstel geschreven; controleer het en sla het op als {SETTINGS_FILE}:")
    return KoppelResult(lines=lines, draft=draft)


def _write_new(path: Path, content: str) -> None:
    """Write a new file whole or not at all (temporary file in the same folder, then renamed)."""
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".koppel-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(content)
        os.link(temporary, path)  # fails instead of replacing, should the name have been taken meanwhile
    except OSError as error:
        raise DataError(
            [Problem(str(path), f"het voorstel kan niet worden geschreven: {error.strerror}.")]
        ) from None
    finally:
        if temporary is not None:
            os.unlink(temporary)
