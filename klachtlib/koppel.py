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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from klachtlib import tabular, vocab
from klachtlib.errors import DataError, Problem
from klachtlib.register import _existing_folder as existing_folder
from klachtlib.register import register_files
from klachtlib.settings import HEADER_SEARCH_ROWS, SETTINGS_FILE, Settings, load_settings
from klachtlib.vocab import normalise_key

DRAFT_NAME = "klachten.voorstel"
DRAFT_SUFFIX = ".toml"
FEW_VALUES = 25  # a read column with at most this many distinct values has them listed
NOT_READ = "wordt niet gelezen"

# fmt: off
# Usual export names per canonical column, most specific first (folded by `header_key`).
KNOWN_HEADERS: dict[str, tuple[str, ...]] = {
    "klacht_id": (
        "zaaknummer", "zaak nummer", "zaakid", "zaak id", "zaakidentificatie", "klachtnummer",
        "klacht nummer", "klacht nr", "klachtnr", "kenmerk", "dossiernummer", "registratienummer",
        "volgnummer", "nummer", "identificatie", "id", "nr",
    ),
    "datum_ontvangst": (
        "registratiedatum", "datum registratie", "ontvangstdatum", "datum ontvangen", "ontvangen op",
        "datum binnenkomst", "binnengekomen op", "datum indiening", "ingediend op", "datum klacht",
        "startdatum", "begindatum", "datum start", "aanmaakdatum", "datum aangemaakt", "datum melding",
        "ontvangen",
    ),
    "status": (
        "zaakstatus", "status klacht", "fase", "stand", "stand van zaken",
    ),
    "team": (
        "afdeling", "behandelende afdeling", "verantwoordelijke afdeling", "organisatieonderdeel",
        "organisatie onderdeel", "teamnaam", "afdelingsnaam", "cluster", "sector", "eenheid", "domein",
        "betreft afdeling", "betrokken afdeling", "betrokken team",
    ),
    "reden": (
        "reden niet ontvankelijk", "reden beeindiging", "reden afsluiting", "reden intrekking",
        "reden niet behandeld", "reden afgebroken",
    ),
    "behandeling": (
        "wijze van behandeling", "behandelwijze", "wijze behandeling", "soort behandeling",
        "type behandeling", "afhandelingswijze", "wijze van afhandeling", "informeel formeel",
        "informeel of formeel", "procedure",
    ),
    "oordeel": (
        "beoordeling", "gegrondheid", "conclusie", "oordeel klacht",
    ),
    "datum_afgehandeld": (
        "einddatum", "datum afgehandeld", "afhandeldatum", "datum afhandeling", "datum afgerond",
        "afgerond op", "afgehandeld op", "datum afsluiting", "afsluitdatum", "sluitingsdatum",
        "datum gereed", "datum besluit", "datum einde", "datum beeindiging",
    ),
    "verdaagd": (
        "verlengd", "verdaging", "termijn verlengd", "verlenging", "verdaagd ja nee", "verlengd ja nee",
        "termijn verdaagd",
    ),
    "kanaal": (
        "ontvangstkanaal", "ontvangstwijze", "binnengekomen via", "communicatiekanaal",
        "kanaal van binnenkomst", "wijze van ontvangst", "medium", "bron",
    ),
    "aard": (
        "categorie", "klachtcategorie", "soort klacht", "klachtsoort", "type klacht", "klachttype",
        "aard van de klacht", "aard klacht", "onderwerpcategorie", "hoofdcategorie", "thema",
    ),
    "leerpunt": (
        "leerpunten", "verbeterpunt", "verbeterpunten", "lessen", "geleerde lessen",
    ),
    "ombudsman": (
        "nationale ombudsman", "naar ombudsman", "voorgelegd aan ombudsman", "ombudsman ja nee",
        "doorgezet naar ombudsman",
    ),
}
# Columns whose values may say status, handling and verdict at once: `[afleiden]`.
RESULT_HEADERS: tuple[str, ...] = (
    "resultaat", "uitkomst", "afloop", "resultaattype", "resultaat klacht", "eindresultaat", "afhandeling",
    "wijze van afdoening", "afdoening", "besluit",
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
    },
    "behandeling": {
        "informele behandeling": "informeel", "informeel afgehandeld": "informeel",
        "informeel opgelost": "informeel", "informele afhandeling": "informeel",
        "bemiddeling": "informeel", "formele behandeling": "formeel", "formeel afgehandeld": "formeel",
        "formele klachtbehandeling": "formeel", "formele afhandeling": "formeel",
    },
    "oordeel": {
        "gedeeltelijk gegrond": "deels gegrond", "deels": "deels gegrond", "niet gegrond": "ongegrond",
        "niet beoordeeld": "geen oordeel", "geen oordeel gegeven": "geen oordeel",
        "zonder oordeel": "geen oordeel",
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


def open_tables(path: Path, sheets: tuple[str, ...] | None = ()) -> list[tabular.Source]:
    """The tables of an export file exactly as the register reader opens them (only regular files,
    its encodings and separator, hidden sheets never; `sheets` as `Settings.sheets`, default every
    visible sheet); a DataError in Dutch when it cannot be read."""
    problems: list[Problem] = []
    sources = tabular.file_sources(path, sheets, problems, [])
    if errors := [p for p in problems if p.severity == "fout"]:
        raise DataError(errors)
    return sources


def sheet_of(path: Path, source: tabular.Source, limit: int | None = None) -> Sheet:
    """A table as text: its first `limit` records (all when None), taken from `source.rows`."""
    records = list(itertools.islice(source.rows, limit))
    return Sheet(
        path,
        source.sheet,
        [[cell.strip() for cell in cells] for _, cells in records],
        [line for line, _ in records],
    )


def read_sheets(path: Path, limit: int | None = None) -> list[Sheet]:
    """Every table of an export file, as text (the first `limit` records)."""
    return [sheet_of(path, source, limit) for source in open_tables(path)]


def count_values(records: Iterable[tabular.Row], header_row: int, positions: list[int]) -> dict[int, Counter]:
    """Distinct values with counts of a few columns below the header, counted record by record as
    they stream by (a register is never held in memory as a whole); only the columns asked for."""
    counters: dict[int, Counter] = {p: Counter() for p in positions}
    for line, cells in records:
        if line > header_row:
            for position, counter in counters.items():
                counter[cells[position].strip() if position < len(cells) else ""] += 1
    return counters


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


# An explicit [kolommen] line wins over automatic recognition (register.md, "Exports as they come").
_RANK = {"klachten.toml": 0, "herkend": 1, "voorstel": 2}


def propose(sheet: Sheet, settings: Settings) -> Proposal | None:
    """The mapping for one table, or None when no header is found in it."""
    configured = settings.header_row  # [bestand] kopregel
    if configured and configured in sheet.lines:
        index: int | None = sheet.lines.index(configured)
    else:
        index = find_header(sheet.rows, settings.header_aliases)
    if index is None:
        return None
    headers = sheet.rows[index]
    data = [row for row in sheet.rows[index + 1 :] if any(cell for cell in row)]
    columns = [Column(position, header) for position, header in enumerate(headers) if header.strip()]
    derived_in_toml = set(settings.derivations)  # [afleiden] in klachten.toml
    claims: dict[str, Column] = {}
    for column in columns:
        if normalise_key(column.header) in derived_in_toml:
            column.how = "afleiden in klachten.toml"
            continue
        canonical, how = _meaning(column.header, settings.header_aliases)
        if canonical is None:
            continue
        held = claims.get(canonical)
        if held is None or (_RANK[how], _known_rank(column)) < (_RANK[held.how], _known_rank(held)):
            if held is not None:
                held.canonical, held.how, held.note = (
                    None,
                    "",
                    f"lijkt op {canonical}; '{column.header}' wordt gelezen",
                )
            claims[canonical] = column
            column.canonical, column.how = canonical, how
        else:
            column.note = f"lijkt op {canonical}; '{held.header}' wordt gelezen"
    proposal = Proposal(sheet, sheet.lines[index], columns, data_rows=len(data))
    _propose_result_column(proposal, data)
    for column in columns:
        if column.read and column.canonical not in ("leerpunt",):
            column.values = Counter(
                row[column.position] if column.position < len(row) else "" for row in data
            )
    return proposal


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
    if statuses and status is not None and status.how != "klachten.toml":
        status.canonical, status.how = None, ""
        status.note = f"lijkt op status; [afleiden] '{column.header}' vult status"
    open_targets = tuple(t for t in DERIVED_TARGETS if proposal.filled(t) is None)
    if not open_targets:
        column.note = "lijkt op een resultaat; status, behandeling en oordeel komen al uit andere kolommen"
        return
    column.how, column.values = "afleiden", values
    proposal.derived, proposal.derive_targets = column, open_targets


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


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _inline(meaning: dict[str, str]) -> str:
    return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in meaning.items()) + " }"


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
                columns[key] = Column(len(columns), column.header, column.canonical, column.how, column.note)
            columns[key].values.update(column.values)
    first = proposals[0]
    result = Proposal(
        first.sheet, first.header_row, list(columns.values()), data_rows=sum(p.data_rows for p in proposals)
    )
    derived = next((p for p in proposals if p.derived is not None), None)
    if derived is not None:
        result.derived = next(
            c for c in result.columns if c.how == "afleiden" and c.header == derived.derived.header
        )
        result.derive_targets = derived.derive_targets
    return result


def draft_toml(proposals: list[Proposal], settings: Settings) -> str:
    """The commented draft klachten.toml for these tables (Dutch comments for the analyst)."""
    lines = [
        "# Voorstel van 'klachten koppel'. Controleer elke regel, vul in wat met ??? is gemarkeerd",
        f"# en sla het bestand op als {SETTINGS_FILE} (dit voorstel wordt zelf nooit gelezen).",
        "# Daarna: klachten validate, en vergelijk de cijfers met uw eigen telling.",
        "",
    ]
    first = merged(proposals)
    lines += ["[bestand]"]
    if len({p.header_row for p in proposals}) > 1:
        lines.append(
            "# ??? de kopregel staat niet in elk bestand of tabblad op dezelfde rij; maak de exports gelijk"
        )
    if first.header_row > 1:
        lines.append(
            f"kopregel = {first.header_row}                  # de rijen erboven zijn titel of toelichting"
        )
    else:
        lines.append("# kopregel = 1                # de kopregel is de eerste rij")
    sheets = {p.sheet.sheet for p in proposals if p.sheet.sheet}
    if len(sheets) > 1:
        lines.append(
            'tabbladen = "alle"             # elk tabblad met deze kopregel (bijvoorbeeld één per jaar)'
        )
    received = first.filled("datum_ontvangst")
    if received is not None and _date_order(received.values):
        lines.append('datumvolgorde = "maand-dag"    # data als 4/13/2024: maand eerst')
    if first.filled("klacht_id") is None:
        lines.append(
            'klacht_id = "regelnummer"      # geen kolom met een kenmerk gevonden: bestandsnaam + rijnummer'
        )
    lines.append("")

    lines.append("[kolommen]                      # kopnaam in de export = standaardkolom")
    mapped = [c for c in first.columns if c.how == "voorstel"]
    for column in mapped:
        lines.append(f"{_toml(column.header)} = {_toml(column.canonical)}")
    recognised = [c for c in first.columns if c.how in ("herkend", "klachten.toml")]
    for column in recognised:
        lines.append(f"# {_toml(column.header)} wordt al herkend als {column.canonical}")
    for canonical in ("klacht_id", "datum_ontvangst", "status", "team", "reden"):
        if first.filled(canonical) is None and not (canonical in first.derive_targets and first.derived):
            lines.append(f'# ??? geen kolom gevonden voor {canonical}: "<kopnaam>" = {_toml(canonical)}')
    lines.append("")

    for column in first.columns:
        if column.canonical in vocab.ALLOWED_VALUES:
            lines += _value_section(column)
    reasons = first.filled("reden")
    if reasons is not None and 0 < len([v for v in reasons.values if v]) <= FEW_VALUES:
        lines.append(
            "[redenen]                       # de redenen uit de export; de volgorde breekt gelijke aantallen"
        )
        ordered = [v for v, _ in reasons.values.most_common() if v]
        lines.append("catalogus = [")
        lines += [f"    {_toml(v)}," for v in ordered]
        lines += ["]", ""]

    if first.derived is not None:
        lines += _derive_section(first)

    skip = []
    summary_ids = first.filled("klacht_id")
    if summary_ids is not None:
        totals = sorted({v for v in summary_ids.values if SUMMARY_ROWS.match(v)})
        if totals:
            skip.append(f"{_toml(summary_ids.header)} = [{', '.join(_toml(v) for v in totals)}]")
    for column in first.columns:
        if not column.read and header_key(column.header) in TYPE_HEADERS:
            skip.append(
                f'# {_toml(column.header)} = ["???"]    # waarden van rijen die geen klacht zijn, '
                "bijvoorbeeld complimenten"
            )
    if skip:
        lines += ["[overslaan]                      # rijen die geen klacht zijn", *skip, ""]

    lines += [
        "[termijnen]                     # Awb 9:11; pas aan als uw regeling andere termijnen kent",
        f"behandeltermijn_weken = {settings.term_weeks}",
        f"verdaging_weken = {settings.extension_weeks}",
        "",
    ]
    return "\n".join(lines)


def _value_section(column: Column) -> list[str]:
    """[waarden.<kolom>] for spellings the reader does not know: a proposal or a ??? to fill in."""
    canonical = column.canonical or ""
    allowed = vocab.ALLOWED_VALUES[canonical]
    body = []
    for value, count in sorted(column.values.items(), key=lambda vc: (-vc[1], vc[0])):
        if not value or known_value(canonical, value):
            continue
        target = suggested_value(canonical, value)
        if target is not None:
            body.append(f"{_toml(value)} = {_toml(target)}    # {count}x")
        else:
            body.append(f'# {_toml(value)} = "???"    # {count}x; kies uit: {", ".join(allowed)}')
    if not body:
        return []
    return [f"[waarden.{canonical}]            # waarde in de export = standaardwaarde", *body, ""]


def _derive_section(proposal: Proposal) -> list[str]:
    column, targets = proposal.derived, proposal.derive_targets
    assert column is not None
    lines = [
        f"[afleiden.{_toml(column.header)}]    # deze kolom vult {', '.join(targets)}, per waarde",
    ]
    for value, count in sorted(column.values.items(), key=lambda vc: (-vc[1], vc[0])):
        meaning = RESULT_MEANINGS.get(value_key(value)) if value else {"status": "in behandeling"}
        if meaning is not None:
            kept = {k: v for k, v in meaning.items() if k in targets}
            if kept:
                shown = '""' if not value else _toml(value)
                note = f"{count}x een lege cel" if not value else f"{count}x"
                if kept.get("status") in vocab.NOT_HANDLED and proposal.filled("reden") is None:
                    note += '; voeg eventueel reden = "..." toe (anders: Reden niet vastgelegd)'
                lines.append(f"{shown} = {_inline(kept)}    # {note}")
                continue
        lines.append(
            f'# {_toml(value)} = {{ status = "???" }}    # {count}x; wat betekent deze waarde? '
            f"vul {', '.join(targets)} in"
        )
    return [*lines, ""]


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
                column.canonical
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
        for sheet in read_sheets(path):
            proposal = propose(sheet, settings)
            if proposal is None:
                lines.append(f"{sheet.name}: geen kopregel gevonden in de eerste {HEADER_SEARCH_ROWS} rijen.")
                continue
            proposals.append(proposal)
            skipped = (
                f" (de {proposal.header_row - 1} rijen erboven worden overgeslagen)"
                if proposal.header_row > 1
                else ""
            )
            lines += [
                f"{sheet.name}: kopregel op rij {proposal.header_row}{skipped}, "
                f"{proposal.data_rows} rijen met gegevens",
                "Kolommen:",
                *_column_lines(proposal),
                "Waarden van de kolommen die worden gelezen:",
                *_value_lines(proposal),
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
