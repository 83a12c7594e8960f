"""Raw text cells out of a CSV file or the sheets of an .xlsx or .ods file, before any value means anything.

Split from `register` so the file-format handling reads on its own: encoding (UTF-8, a few
stray Windows-1252 bytes, or Windows-1252 throughout), separator, CSV records, Excel and
LibreOffice sheets and cell types. Every format becomes a `Source`: numbered rows of text cells.
A workbook's sheet is read by its real cells: openpyxl reads the rows below the header only up
to the header's last column (`Source.width`), so a sheet that claims column XFD costs what its
data costs; .ods sheets are read with python-calamine, which reads only cells that exist.
`collect_cells`
then does what is the same for both: find the header (`locate`, given by `register`, which
knows the column names), keep only the selected columns, skip blank rows and rows of
`[overslaan]`, and check that every CSV record has the header's field count. A record whose
field count differs is an error and never used, so a stray `"` or a missing field can never
move text into another column. openpyxl (python-calamine) is imported when an .xlsx (.ods) file
is first read.
"""

from __future__ import annotations

import codecs
import contextvars
import csv
import io
import itertools
import operator
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from klachtlib.errors import Problem
from klachtlib.reading.files import read_input_bytes
from klachtlib.reading.settings import HEADER_SEARCH_ROWS
from klachtlib.reading.vocab import normalise_key

SHEET_NAME = "klachten"
TEXT = "str"
# pyarrow is here for its CSV reader (`_columnar_cells`); with it installed pandas would keep all
# text ("str") in pyarrow arrays, whose row selections are several times slower than the Python
# storage the workbook's figures are computed (and measured) with. Keep that storage.
pd.set_option("mode.string_storage", "python")
Row = tuple[int, list[str]]  # (1-based line or Excel row, cells; "" when empty)


@dataclass
class Source:
    """One table of a file: a CSV file, or one sheet of a workbook."""

    name: str  # for messages: the path, with the sheet when a workbook has several
    rows: Iterator[Row]
    checks_width: bool  # CSV: every record must have the header's number of fields
    required: bool = True  # False for a sheet of tabbladen = "alle": without a header it is skipped
    sheet: str | None = None
    separator: str = ""
    # A workbook's rows are read up to this column once it is set (the header's width): what a
    # sheet claims beyond its data (formatting up to column XFD) is never read.
    width: int | None = None
    # CSV: the file as UTF-8 bytes, for the columnar read of the records after the header
    # (`_columnar_cells`); `rows` is then only read up to the header.
    data: bytes | None = None


@dataclass
class Selection:
    """Which columns of a source to keep, found from its header row."""

    header_line: int
    width: int
    keep: dict[int, str]  # position -> name of the column in the result
    skip: dict[int, dict[str, str]] = field(default_factory=dict)  # position -> folded value -> rule
    blank_headers: tuple[int, ...] = ()  # positions without a header: an error when they hold data
    # position -> name: columns that are not read, only compared with published values (the person
    # check); they are never part of the cells' frame and are read only when asked (`Cells.dropped`)
    dropped: dict[int, str] = field(default_factory=dict)


@dataclass
class Cells:
    """The kept columns as coded text, index = line number; skip counts per rule.

    `frame` holds only the columns that are read. `dropped()` gives the `Selection.dropped`
    columns of the same rows, for the person check only, when it is called.
    """

    frame: pd.DataFrame
    header_line: int
    skipped: Counter = field(default_factory=Counter)
    dropped: Callable[[], pd.DataFrame] = lambda: pd.DataFrame()


Locate = Callable[[Source, list[Row]], Selection | None]


def doubly_claimed(
    name: str, line: int, headers: list[str], found: dict[str, list[int]], hint: str
) -> list[Problem]:
    """A problem for each column that two headers of one header row both mean."""
    return [
        Problem(
            name,
            "de kolommen "
            + " en ".join(f"'{headers[p].strip()}' (kolom {p + 1})" for p in positions)
            + f" betekenen allebei '{column}'.",
            hint,
            row=line,
            column=column,
        )
        for column, positions in found.items()
        if len(positions) > 1
    ]


def header_selection(
    name: str,
    line: int,
    headers: list[str],
    found: dict[str, list[int]],
    missing: list[Problem],
    doubly_hint: str,
    problems: list[Problem],
) -> Selection | None:
    """The columns `found` in the header row as a Selection; None after adding to `problems` the
    columns two headers both mean and the `missing` ones (a small file's header: contact volumes,
    measures)."""
    problems.extend(doubly_claimed(name, line, headers, found, doubly_hint))
    problems.extend(missing)
    if any(len(positions) > 1 for positions in found.values()) or missing:
        return None
    return Selection(line, len(headers), {positions[0]: column for column, positions in found.items()})


def _unreadable(name: str, what: str, hint: str) -> Problem:
    return Problem(name, f"het bestand kan niet worden gelezen: {what}", hint)


def _empty_file(name: str) -> Problem:
    return Problem(
        name,
        "het bestand is leeg.",
        "Exporteer het register opnieuw, of haal dit lege bestand uit de map.",
    )


# ----------------------------------------------------------------------------- CSV


def _stray_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Decoding error handler: one byte that is not UTF-8, read as Windows-1252 and noted."""
    assert isinstance(error, UnicodeDecodeError)  # registered for decoding only
    _STRAY.get().append(error.start)
    return error.object[error.start : error.start + 1].decode("cp1252", "replace"), error.start + 1


_STRAY: contextvars.ContextVar[list[int]] = contextvars.ContextVar("stray_bytes")
codecs.register_error("klachtlib-stray-cp1252", _stray_as_cp1252)


def _decode(data: bytes) -> tuple[str | None, list[int]]:
    """Text, and the offsets of stray bytes read as Windows-1252.

    UTF-8 (with or without BOM) first. A file that is UTF-8 but for a few stray bytes stays
    UTF-8, those bytes taken as Windows-1252 (re-reading it all as Windows-1252 would garble
    every accented letter); a file without UTF-8 letters, or with many more stray bytes than
    UTF-8 letters, is Windows-1252 throughout (Excel's Dutch default). None when it is neither.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    stray: list[int] = []
    token = _STRAY.set(stray)
    try:
        text = data.decode("utf-8", "klachtlib-stray-cp1252")
    finally:
        _STRAY.reset(token)
    utf8_letters = len(text) - len(text.encode("ascii", "ignore")) - len(stray)
    if utf8_letters > 0 and len(stray) <= 3 * utf8_letters + 10:  # a Windows-1252 file has no UTF-8 letters
        return text, stray
    try:
        return data.decode("cp1252").removeprefix("\u00ef\u00bb\u00bf"), []
    except UnicodeDecodeError:
        return None, []


def _sniff_separator(start: str) -> str:
    """`;` (Excel's Dutch default), `,` or tab: whichever one line (the header) uses most
    outside quoted text, in the first lines (the header need not be the first line)."""
    lines = re.sub(r'"(?:[^"]|"")*"', "", start).splitlines()[:HEADER_SEARCH_ROWS]
    return max((";", ",", "\t"), key=lambda sep: max((line.count(sep) for line in lines), default=0))


def csv_source(path: Path, problems: list[Problem]) -> Source | None:
    """A CSV file as numbered records; None, with a problem, when it cannot be read as text."""
    name = str(path)
    data, problem = read_input_bytes(path)
    if data is None:
        problems += [problem] if problem is not None else []
        return None
    resave = "Open het in Excel en kies Opslaan als 'CSV UTF-8' of 'Excel-werkmap (.xlsx)'."
    if data.startswith(b"PK\x03\x04"):
        problems.append(_unreadable(name, "het is een Excel- of zip-bestand met de extensie .csv.", resave))
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(_unreadable(name, "het is opgeslagen als UTF-16 ('Unicode-tekst').", resave))
        return None
    body = data.removeprefix(b"\xef\xbb\xbf")
    text: str | bytes | None
    stray: list[int]
    if body.isascii():  # UTF-8 as it is: read as text a block at a time (`_physical_lines`)
        text, stray, start = body, [], body[:65536].decode("ascii")
    else:
        text, stray = _decode(data)
        start = text[:65536] if text is not None else ""
    if text is None or re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", start):  # binary shows early
        problems.append(_unreadable(name, "het is geen tekstbestand (CSV).", resave))
        return None
    if stray:
        lines = sorted({data.count(b"\n", 0, offset) + 1 for offset in stray})
        problems.append(
            Problem(
                name,
                f"{_lines_text(lines)} {'bevat' if len(lines) == 1 else 'bevatten'} tekens die geen "
                "UTF-8 zijn; die zijn gelezen als Windows-1252.",
                "Controleer die tekens in het verslag, of sla het bestand opnieuw op als 'CSV UTF-8'.",
                severity="waarschuwing",
            )
        )
    if _only_whitespace(text):
        problems.append(_empty_file(name))
        return None
    sep = _sniff_separator(start)
    # read as UTF-8 without a stray byte (fewer characters than bytes, or plain ASCII): the bytes as they are
    if isinstance(text, bytes) or (not stray and (len(text) < len(body) or text.isascii())):
        utf8 = body
    else:
        utf8 = text.encode("utf-8")
    return Source(name, _csv_records(name, text, sep, problems), checks_width=True, separator=sep, data=utf8)


def _only_whitespace(text: str | bytes) -> bool:
    """Nothing but whitespace (`str.isspace`), also in the bytes of an ASCII file."""
    if isinstance(text, bytes):
        return not _NOT_ASCII_SPACE.search(text)
    return not text or text.isspace()


_NOT_ASCII_SPACE = re.compile(rb"[^\t\n\x0b\x0c\r\x1c-\x1f ]")  # the ASCII characters str.isspace takes


def _lines_text(lines: list[int], most: int = 10) -> str:
    shown = ", ".join(str(n) for n in lines[:most]) + (" en meer" if len(lines) > most else "")
    return f"regel {shown}" if len(lines) == 1 else f"regels {shown}"


_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_OTHER_LINE_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _physical_lines(text: str | bytes, block: int = 1 << 20) -> Iterator[str]:
    """The lines of `text` with their line ends, a block at a time (no copy of the whole file);
    `text` may be the bytes of an ASCII file, each block then decoded when it is read.

    `str.splitlines` is fast but also splits on form feeds and Unicode line separators, which
    may sit inside a field: a text holding those is split by a regular expression instead.
    """
    if (b"\n" not in text) if isinstance(text, bytes) else ("\n" not in text):
        whole = text.decode("ascii") if isinstance(text, bytes) else text
        yield from (match.group() for match in _PHYSICAL_LINE.finditer(whole))
        return
    start = 0
    while start < len(text):
        # blocks end after a "\n": a "\r\n" is never cut
        end = text.find(b"\n", start + block) if isinstance(text, bytes) else text.find("\n", start + block)
        end = len(text) if end < 0 else end + 1
        chunk = text[start:end]  # looked at a block at a time: the header search reads one block
        part = chunk.decode("ascii") if isinstance(chunk, bytes) else chunk
        if _OTHER_LINE_BREAKS.search(part):
            yield from (match.group() for match in _PHYSICAL_LINE.finditer(part))
        else:
            yield from part.splitlines(keepends=True)
        start = end


def _csv_records(name: str, text: str | bytes, sep: str, problems: list[Problem]) -> Iterator[Row]:
    """Each record with the line it starts on; a record CSV cannot read is a problem, not data.

    `strict`: text after a closing quote, or a quote left open at the end of the file (a
    truncated last record), is an error instead of being glued into a field.
    """
    # The csv module refuses fields over 128 KB; a long cell is read (and cut later, with a warning).
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(_physical_lines(text), delimiter=sep, strict=True)
    line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            problems.append(
                Problem(
                    name,
                    'deze regel is geen geldige CSV: een aanhalingsteken (") opent of sluit een tekstveld '
                    "op de verkeerde plaats, of de regel is afgebroken.",
                    "Controleer de aanhalingstekens op deze regel, of exporteer het register opnieuw "
                    "(bij voorkeur als .xlsx).",
                    row=line,
                )
            )
            line = reader.line_num + 1
            continue
        yield line, record
        line = reader.line_num + 1


# ----------------------------------------------------------------------------- workbooks


def _chosen_sheets(
    name: str,
    sheets_in_file: list[tuple[str, bool]],
    sheets: tuple[str, ...] | None,
    also: tuple[str, ...],
    problems: list[Problem],
    unread: list[str],
) -> list[int]:
    """Positions of the sheets to read, left to right: `sheets` by name, () for every visible sheet,
    None for `Klachten` else the first visible one; `also` (sheets with settings of their own) are
    read too where they exist. Hidden sheets are never read (a warning says so); visible sheets
    that are not chosen are added to `unread` (validate lists them)."""
    visible = [i for i, (_, shown) in enumerate(sheets_in_file) if shown]
    hidden = [title for title, shown in sheets_in_file if not shown]
    by_name = {normalise_key(title): i for i, (title, _) in enumerate(sheets_in_file)}
    chosen: list[int] = []
    if sheets is None:
        default = by_name.get(SHEET_NAME)
        first = default if default is not None and default in visible else (visible[0] if visible else None)
        chosen = [] if first is None else [first]
    elif sheets == ():
        chosen = list(visible)
    else:
        for wanted in sheets:
            index = by_name.get(normalise_key(wanted))
            if index is None or index not in visible:
                what = "bestaat niet" if index is None else "is verborgen"
                problems.append(
                    Problem(
                        name,
                        f"het tabblad '{wanted}' uit [bestand] tabbladen {what}.",
                        "Tabbladen in dit bestand: "
                        + ", ".join(f"'{sheets_in_file[i][0]}'" for i in visible)
                        + ". Verborgen tabbladen worden nooit gelezen.",
                    )
                )
            else:
                chosen.append(index)
    chosen += [i for i in (by_name.get(normalise_key(t)) for t in also) if i in visible and i not in chosen]
    chosen = sorted(set(chosen))  # left to right: with dubbel = "laatste" the rightmost sheet counts
    unread += [
        f"'{sheets_in_file[i][0]}' (niet gekozen in [bestand] tabbladen)" for i in visible if i not in chosen
    ]
    if chosen and hidden:
        problems.append(
            Problem(
                name,
                "verborgen tabbladen worden niet gelezen: " + ", ".join(f"'{t}'" for t in hidden) + ".",
                "Maak een tabblad zichtbaar in Excel als het bij het register hoort.",
                severity="waarschuwing",
            )
        )
    if not chosen and sheets is None:
        problems.append(_empty_file(name))
    return chosen


def _sheet_sources(
    name: str,
    titles: list[str],
    chosen: list[int],
    sheets: tuple[str, ...] | None,
    several_visible: bool,
    rows_of,
) -> list[Source]:
    """One `Source` per chosen sheet; `rows_of(index, source, last)` gives its rows."""
    several = len(chosen) > 1 or sheets is not None and several_visible
    sources = []
    for i, index in enumerate(chosen):
        source = Source(
            f"{name}, tabblad '{titles[index]}'" if several else name,
            iter(()),
            checks_width=False,
            required=sheets != (),
            sheet=titles[index],
        )
        source.rows = rows_of(index, source, i == len(chosen) - 1)
        sources.append(source)
    return sources


def xlsx_sources(
    path: Path,
    sheets: tuple[str, ...] | None,
    problems: list[Problem],
    unread: list[str],
    also: tuple[str, ...] = (),
) -> list[Source]:
    """The sheets of an .xlsx file to read (see `_chosen_sheets`), each read by its real cells."""
    name = str(path)
    hint = "Open het in Excel en sla het opnieuw op als 'Excel-werkmap (.xlsx)'."
    data, problem = read_input_bytes(path)
    if data is None:
        problems += [problem] if problem is not None else []
        return []
    try:
        with _quiet_openpyxl():
            import openpyxl

            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        problems.append(_unreadable(name, "het is geen geldig Excel-bestand (.xlsx).", hint))
        return []
    worksheets = workbook.worksheets
    in_file = [(ws.title, ws.sheet_state == "visible") for ws in worksheets]
    chosen = _chosen_sheets(name, in_file, sheets, also, problems, unread)
    if not chosen:
        workbook.close()
        return []
    return _sheet_sources(
        name,
        [title for title, _ in in_file],
        chosen,
        sheets,
        sum(shown for _, shown in in_file) > 1,
        lambda index, source, last: _sheet_rows(
            workbook, worksheets[index], source, name, hint, problems, last
        ),
    )


class _quiet_openpyxl(warnings.catch_warnings):
    """openpyxl warns in English about workbook features it ignores (data validation, styles);
    they do not change the cell values, so they are silenced, not shown to the coordinator."""

    def __enter__(self):
        result = super().__enter__()
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        return result


def _real_cells(row: tuple) -> list[str]:
    """A row's cells up to its last filled one: formatting far to the right is not data."""
    last = len(row)
    while last and (row[last - 1] is None or row[last - 1] == ""):
        last -= 1
    return [_cell_text(c) for c in row[:last]]


def _sheet_rows(
    workbook, sheet, source: Source, name: str, hint: str, problems: list[Problem], last: bool
) -> Iterator[Row]:
    """The rows of a sheet. Until the header is found (`source.width` set) each row is read up to
    its last filled cell; after that, every row only up to the header's last column, through
    openpyxl's own `max_col` (a sheet formatted up to column XFD is not read 16,384 cells a row)."""
    header_part = 0
    try:
        with _quiet_openpyxl():
            sheet.reset_dimensions()  # some writers store a wrong sheet size
            for header_part, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield header_part, _real_cells(row)  # "" for an empty cell, as in a CSV
                if source.width is not None:
                    break
            else:
                return
            rest = sheet.iter_rows(min_row=header_part + 1, max_col=max(source.width, 1), values_only=True)
            for line, row in enumerate(rest, start=header_part + 1):
                yield line, [_cell_text(c) for c in row]
    except Exception:
        problems.append(_unreadable(name, "het Excel-bestand is beschadigd.", hint))
    finally:
        if last:
            workbook.close()


def ods_sources(
    path: Path,
    sheets: tuple[str, ...] | None,
    problems: list[Problem],
    unread: list[str],
    also: tuple[str, ...] = (),
) -> list[Source]:
    """The sheets of a LibreOffice .ods file to read, chosen as for .xlsx (`_chosen_sheets`).

    python-calamine reads only the cells that exist (a sheet formatted far to the right or down
    costs nothing extra) and gives dates, numbers and booleans typed, like openpyxl does.
    """
    name = str(path)
    hint = "Open het in LibreOffice en sla het opnieuw op als 'ODF-rekenblad (.ods)' of als .xlsx."
    data, problem = read_input_bytes(path)
    if data is None:
        problems += [problem] if problem is not None else []
        return []
    try:
        from python_calamine import CalamineWorkbook, SheetVisibleEnum

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        in_file = [(meta.name, meta.visible == SheetVisibleEnum.Visible) for meta in workbook.sheets_metadata]
    except Exception:
        problems.append(_unreadable(name, "het is geen geldig LibreOffice-bestand (.ods).", hint))
        return []
    chosen = _chosen_sheets(name, in_file, sheets, also, problems, unread)
    titles = [title for title, _ in in_file]
    return _sheet_sources(
        name,
        titles,
        chosen,
        sheets,
        sum(shown for _, shown in in_file) > 1,
        lambda index, source, last: _ods_rows(workbook, titles[index], source, name, hint, problems),
    )


def _ods_rows(
    workbook, title: str, source: Source, name: str, hint: str, problems: list[Problem]
) -> Iterator[Row]:
    """The rows of an .ods sheet, numbered as LibreOffice shows them; cut at `source.width` once
    the header is found, like an .xlsx sheet."""
    try:
        sheet = workbook.get_sheet_by_name(title)
        offset = [""] * sheet.start[1] if sheet.start else []  # calamine starts at the first used column
        for line, row in enumerate(sheet.iter_rows(), start=1):
            cells = offset + [_cell_text(c) for c in (row if source.width is None else row[: source.width])]
            yield line, _trailing_cut(cells) if source.width is None else cells
    except Exception:
        problems.append(_unreadable(name, "het LibreOffice-bestand is beschadigd.", hint))


def _trailing_cut(cells: list[str]) -> list[str]:
    last = len(cells)
    while last and cells[last - 1] == "":
        last -= 1
    return cells[:last]


def _cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold (dates ISO, whole numbers without .0,
    a boolean as ja/nee)."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


# ----------------------------------------------------------------------------- both


WORKBOOK_SUFFIXES = (".xlsx", ".ods")


def file_sources(
    path: Path,
    sheets: tuple[str, ...] | None,
    problems: list[Problem],
    unread: list[str],
    also: tuple[str, ...] = (),
) -> list[Source]:
    """The tables of a register file: the CSV file, or the chosen sheets of a workbook
    (`sheets` as `Settings.sheets`, `also` the sheets with a `[tabblad."…"]` section; see
    `_chosen_sheets`)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return xlsx_sources(path, sheets, problems, unread, also)
    if suffix == ".ods":
        return ods_sources(path, sheets, problems, unread, also)
    source = csv_source(path, problems)
    return [] if source is None else [source]


def collect_cells(
    source: Source, locate: Locate, problems: list[Problem], search_rows: int = HEADER_SEARCH_ROWS
) -> Cells | None:
    """The selected columns of `source` (rows after its header), or None when unusable.

    `locate` gets the first rows (up to `HEADER_SEARCH_ROWS`, or further when `[bestand]
    kopregel` says so) and returns the header and what to keep, or None after reporting why.
    A CSV file's records after the header are read by columns (`_columnar_cells`) when its
    quotes are well-formed; otherwise, and for workbooks, record by record here.
    """
    rows = source.rows
    first: list[Row] = []
    for line, cells in rows:
        first.append((line, cells))
        if line >= search_rows:
            break
    selection = locate(source, first)
    if selection is None:
        source.width = 0
        for _ in rows:  # let a workbook's last sheet close it
            pass
        return None
    source.width = selection.width  # a workbook reads no cell right of the header from here on
    if source.data is not None:
        columnar = _columnar_cells(source, selection, problems)
        if columnar is not None:
            return columnar
    after = (row for row in first if row[0] > selection.header_line)
    positions = sorted(selection.keep)
    dropped_positions = sorted(selection.dropped)
    kept = _picker(positions)
    kept_dropped = _picker(dropped_positions)
    skip = list(selection.skip.items())
    lines: list[int] = []
    records: list[tuple] = []
    dropped_records: list[tuple] = []
    coded = [_CodedColumn() for _ in positions]
    coded_dropped = [_CodedColumn() for _ in dropped_positions]
    skipped: Counter = Counter()
    blank_with_data: dict[int, int] = {}
    width = selection.width
    for line, cells in itertools.chain(after, rows):
        joined = "".join(cells)
        if not joined.strip():
            continue  # an entirely empty row
        if len(cells) != width:
            if source.checks_width:
                problems.append(_broken_row(source.name, line, len(cells), width, source.separator))
                continue
            cells = (cells + [""] * width)[:width] if len(cells) < width else cells
        elif (
            source.checks_width
            and ("\n" in joined or "\r" in joined)
            and _swallows_a_row(cells, source.separator)
        ):
            problems.append(_swallowed_row(source.name, line))
            continue
        if skip:
            rule = next((rules[k] for p, rules in skip if (k := normalise_key(cells[p])) in rules), None)
            if rule is not None:
                skipped[rule] += 1
                continue
        for p in selection.blank_headers:
            if cells[p].strip():
                blank_with_data.setdefault(p, line)
        lines.append(line)
        records.append(kept(cells))
        dropped_records.append(kept_dropped(cells))
        if len(records) == _CHUNK:
            _add_chunk(coded, records)
            _add_chunk(coded_dropped, dropped_records)
    problems += _blank_header_problems(source.name, selection.header_line, blank_with_data)
    _add_chunk(coded, records)
    _add_chunk(coded_dropped, dropped_records)
    index = pd.Index(lines, dtype="int64")
    frame = pd.DataFrame(
        {selection.keep[p]: column.categorical() for p, column in zip(positions, coded, strict=True)},
        index=index,
    )
    named = dict(zip((selection.dropped[p] for p in dropped_positions), coded_dropped, strict=True))
    dropped = pd.DataFrame({name: column.categorical() for name, column in named.items()}, index=index)
    return Cells(frame=frame, header_line=selection.header_line, skipped=skipped, dropped=lambda: dropped)


def _blank_header_problems(name: str, header_line: int, blank_with_data: dict[int, int]) -> list[Problem]:
    return [
        Problem(
            name,
            f"kolom {p + 1} heeft geen kopnaam, maar bevat wel gegevens (eerst op regel {line}).",
            "Geef de kolom in de export een kopnaam (die wordt dan niet gelezen, tenzij u hem koppelt "
            "onder [kolommen]), of maak de kolom leeg.",
            row=header_line,
        )
        for p, line in sorted(blank_with_data.items())
    ]


# ----------------------------------------------------------------------------- CSV by columns


@dataclass(frozen=True)
class _Records:
    """Where the CSV records of a file are: per record its first and last line (1-based) and
    its bytes (`start` to `stop`, without the line end)."""

    first_line: np.ndarray
    last_line: np.ndarray
    start: np.ndarray
    stop: np.ndarray

    def select(self, which) -> _Records:
        return _Records(self.first_line[which], self.last_line[which], self.start[which], self.stop[which])


def _positions(data: np.ndarray, byte: int, chunk: int = 1 << 24) -> np.ndarray:
    """Offsets of `byte` in `data`, a chunk at a time (no boolean copy of the whole file)."""
    found = [np.flatnonzero(data[i : i + chunk] == byte) + i for i in range(0, len(data), chunk)]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _record_layout(data: bytes, sep: str) -> _Records | None:
    """The records of `data`, found from its line ends and quotes; None when a quote is not where
    CSV puts one (at the start of a field, or closing it before a separator or line end): then
    the record-by-record reader decides, and names the line."""
    codes = np.frombuffer(data, dtype=np.uint8)
    size = len(codes)
    ends = _positions(codes, 10)
    if b"\r" in data:
        returns = _positions(codes, 13)
        lone = returns[(returns + 1 >= size) | (codes[np.minimum(returns + 1, size - 1)] != 10)]
        ends = np.union1d(ends, lone)
    end_line = np.arange(len(ends))
    if b'"' in data:
        quotes = _positions(codes, 34)
        if len(quotes) % 2:
            return None  # a quote left open
        bounds = np.array([ord(sep), 10, 13, 34], dtype=np.uint8)
        opening, closing = quotes[0::2], quotes[1::2]
        opens_field = (opening == 0) | np.isin(codes[np.maximum(opening - 1, 0)], bounds)
        closes_field = (closing + 1 >= size) | np.isin(codes[np.minimum(closing + 1, size - 1)], bounds)
        if not (opens_field.all() and closes_field.all()):
            return None
        outside = np.searchsorted(quotes, ends) % 2 == 0  # a line end inside quotes is text
        ends, end_line = ends[outside], end_line[outside]
    if not len(ends) or ends[-1] != size - 1:  # a last record without a line end
        ends = np.append(ends, size)
        end_line = np.append(end_line, end_line[-1] + 1 if len(end_line) else 0)
    start = np.concatenate(([0], ends[:-1] + 1))
    stop = ends.copy()
    crlf = (stop > start) & (stop < size)
    crlf[crlf] = (codes[stop[crlf] - 1] == 13) & (codes[stop[crlf]] == 10)
    stop[crlf] -= 1
    first_line = np.concatenate(([1], end_line[:-1] + 2))
    return _Records(first_line, end_line + 1, start, stop)


def _columnar_cells(source: Source, selection: Selection, problems: list[Problem]) -> Cells | None:
    """The records after the header of a CSV file, read by pyarrow's CSV reader: only the columns
    that are read ever become values (`include_columns`). The same rules as record by record:
    a record with another field count than the header is an error naming its line (pyarrow's
    invalid-row handler), a stray quote that joins rows (`_swallows_a_row`) too, blank rows and
    `[overslaan]` rows are skipped. None when the file needs the record-by-record reader."""
    data = source.data
    assert data is not None
    if b"\x00" in data or any("" in rules for rules in selection.skip.values()):
        return None  # the csv module's own errors, or a rule on empty cells: record by record
    layout = _record_layout(data, source.separator)
    if layout is None:
        return None
    header = int(np.searchsorted(layout.first_line, selection.header_line))
    if header >= len(layout.first_line) - 1 or layout.first_line[header] != selection.header_line:
        return None  # nothing after the header (or no record starts there): record by record
    records = layout.select(slice(header + 1, None))
    records = records.select(records.stop > records.start)  # pyarrow skips empty lines
    read = sorted({*selection.keep, *selection.skip, *selection.blank_headers})
    if not read:
        return None
    reader = _ColumnReader(data, int(layout.start[header + 1]), selection.width, source.separator)
    try:
        table, invalid = reader.read(read)
        if any(n is None for n in invalid):  # pyarrow numbers a broken record only when read in one thread
            table, invalid = reader.read(read, threads=False)
    except Exception:  # pyarrow found what it cannot read: the record-by-record reader names it
        return None
    if table.num_rows + len(invalid) != len(records.start) or any(n is None for n in invalid):
        return None
    name, sep = source.name, source.separator
    valid = np.ones(len(records.start), dtype=bool)
    found: list[tuple[int, Problem]] = []
    for number in invalid:
        position = number - 1
        valid[position] = False
        cells = _record_cells(data, records, position, sep)
        if "".join(cells).strip():
            line = int(records.first_line[position])
            found.append((line, _broken_row(name, line, len(cells), selection.width, sep)))
    keep = np.ones(table.num_rows, dtype=bool)  # rows of `table`
    positions = np.flatnonzero(valid)  # record of each row of `table`
    # Joining two rows puts at least width - 1 separators inside one field, beside the record's
    # own width - 1: a record over several lines with fewer cannot have swallowed a row.
    enough = 2 * (selection.width - 1)
    separator = sep.encode("utf-8")
    spanning = np.flatnonzero(records.last_line[positions] > records.first_line[positions])  # rows
    spanned = positions[spanning]  # their records; as lists below: a loop over Python integers
    bounds = zip(records.start[spanned].tolist(), records.stop[spanned].tolist(), strict=True)
    for row, record, (start, stop) in zip(spanning.tolist(), spanned.tolist(), bounds, strict=True):
        if data.count(separator, start, stop) < enough:
            continue
        cells = _record_cells(data, records, record, sep)
        if _swallows_a_row(cells, sep):
            keep[row] = False
            line = int(records.first_line[record])
            found.append((line, _swallowed_row(name, line)))
    problems += [problem for _, problem in sorted(found, key=lambda lp: lp[0])]
    skipped: Counter = Counter()
    if selection.skip:
        rules = np.full(table.num_rows, None, dtype=object)
        for p, by_value in selection.skip.items():
            codes, uniques = _dictionary(table.column(str(p)))
            rule = np.array([by_value.get(normalise_key(u)) for u in uniques] + [None], dtype=object)[codes]
            rules = np.where(pd.isna(rules), rule, rules)
        hit = keep & ~pd.isna(rules)
        labels, order = pd.factorize(rules[hit])
        skipped.update(dict(zip(order, np.bincount(labels, minlength=len(order)).tolist(), strict=True)))
        keep &= ~hit
    lines = records.first_line[positions]
    blank_with_data: dict[int, int] = {}
    for p in selection.blank_headers:
        codes, uniques = _dictionary(table.column(str(p)))
        data_rows = np.array([bool(u.strip()) for u in uniques] + [False], dtype=bool)[codes] & keep
        if data_rows.any():
            blank_with_data[p] = int(lines[np.argmax(data_rows)])
    problems += _blank_header_problems(name, selection.header_line, blank_with_data)
    index = pd.Index(lines[keep], dtype="int64")
    frame = pd.DataFrame(
        {selection.keep[p]: _categorical(table.column(str(p)), keep) for p in sorted(selection.keep)},
        index=index,
    )
    del table

    def dropped() -> pd.DataFrame:
        """The dropped columns of the same rows: a second read of the bytes, for the person check."""
        if not selection.dropped:
            return pd.DataFrame(index=index)
        columns, _ = reader.read(sorted(selection.dropped))
        named = {selection.dropped[p]: columns.column(str(p)) for p in sorted(selection.dropped)}
        return pd.DataFrame({name: _categorical(column, keep) for name, column in named.items()}, index=index)

    return Cells(frame=frame, header_line=selection.header_line, skipped=skipped, dropped=dropped)


@dataclass
class _ColumnReader:
    """Some columns of the records from `offset` on, with pyarrow's CSV reader: text ("" when
    empty), dictionary-encoded while it is read (registers repeat a lot); with pyarrow's threads,
    unless `threads=False` (then the invalid-row handler gets each broken record's number)."""

    data: bytes
    offset: int
    width: int
    separator: str

    def read(self, positions: list[int], threads: bool = True) -> tuple:
        import pyarrow as pa
        import pyarrow.csv as pa_csv

        invalid: list[int | None] = []

        def on_invalid(row) -> str:
            invalid.append(row.number)
            return "skip"

        names = [str(p) for p in range(self.width)]
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(self.data).slice(self.offset)),
            read_options=pa_csv.ReadOptions(column_names=names, use_threads=threads),
            parse_options=pa_csv.ParseOptions(
                delimiter=self.separator,
                newlines_in_values=b'"' in self.data,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pa_csv.ConvertOptions(
                include_columns=[names[p] for p in positions],
                column_types=dict.fromkeys(names, pa.dictionary(pa.int32(), pa.string())),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        return table, invalid


def _record_cells(data: bytes, records: _Records, position: int, sep: str) -> list[str]:
    """One record's cells, read by the csv module from its bytes."""
    text = data[records.start[position] : records.stop[position]].decode("utf-8")
    return next(csv.reader(_physical_lines(text), delimiter=sep, strict=True), [])


def _encoded(column):
    """A column of `_ColumnReader` with one dictionary, in order of first appearance. A dictionary
    column has one per block of records: unified, the first block's values come first, then what
    each later block adds."""
    import pyarrow as pa

    return column.unify_dictionaries() if pa.types.is_dictionary(column.type) else column.dictionary_encode()


def _dictionary(column) -> tuple[np.ndarray, list[str]]:
    """Codes (in order of first appearance) and the distinct values of a column."""
    unified = _encoded(column)
    if not unified.num_chunks:
        return np.zeros(0, dtype=np.int64), []
    codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in unified.chunks])
    return codes.astype(np.int64), unified.chunk(0).dictionary.to_pylist()


def _categorical(column, keep: np.ndarray) -> pd.Categorical:
    """The kept rows of a column as a categorical, categories in order of appearance among those
    rows (when rows are left out, their values are coded anew)."""
    import pyarrow as pa

    if not keep.all():
        column = column.filter(pa.array(keep)).cast(pa.string())
    encoded = _encoded(column)
    if not encoded.num_chunks or not len(encoded):
        return pd.Categorical.from_codes([], dtype=pd.CategoricalDtype(pd.Index([], dtype=TEXT)))
    codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in encoded.chunks])
    categories = pd.Index(pd.array(encoded.chunk(0).dictionary, dtype=TEXT))
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories))


def _picker(positions: list[int]) -> Callable[[list[str]], tuple]:
    """The cells at `positions`, always as a tuple (itemgetter gives a bare value for one)."""
    if len(positions) == 1:
        return lambda cells: (cells[positions[0]],)
    if not positions:
        return lambda cells: ()
    return operator.itemgetter(*positions)


_CHUNK = 50_000  # rows held as Python strings at a time; then coded (memory stays small)


class _CodedColumn:
    """One column as codes and distinct values, added a chunk of rows at a time."""

    def __init__(self) -> None:
        self.codes: list[np.ndarray] = []
        self.uniques: list[np.ndarray] = []

    def add(self, values: tuple) -> None:
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))
        self.codes.append(codes + sum(len(u) for u in self.uniques))
        self.uniques.append(np.asarray(uniques, dtype=object))

    def categorical(self) -> pd.Categorical:
        """Text as a categorical, categories in order of first appearance."""
        if not self.codes:
            return pd.Categorical.from_codes([], dtype=pd.CategoricalDtype(pd.Index([], dtype=TEXT)))
        recode, categories = pd.factorize(np.concatenate(self.uniques))
        codes = recode[np.concatenate(self.codes)]
        return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(pd.Index(categories, dtype=TEXT)))


def _add_chunk(columns: list[_CodedColumn], records: list[tuple]) -> None:
    """Code a chunk of rows column by column, then forget its strings."""
    if records:
        for column, values in zip(columns, zip(*records, strict=True), strict=True):
            column.add(values)
    records.clear()


def _swallows_a_row(cells: list[str], sep: str) -> bool:
    """A field over several lines that looks like the rest of one row and the start of the next:
    a stray `"` at the start of a field (`"27 inch" scherm`, or a lone `"`) that opened a quoted
    stretch up to the same field of a later row, joining rows into one of the right length.

    For field i of n (i >= 1): its first line holds at least the n - 1 - i separators of the rest
    of its row and its last line at least the i separators before that field of the later row.
    CSV cannot tell such a file from a real multi-line text (it is valid CSV), so this is a
    heuristic for the usual case; a text that it misses merges rows but never moves a value
    into another column."""
    width = len(cells)
    for i, cell in enumerate(cells):
        if "\n" in cell or "\r" in cell:
            lines = _LINE_BREAK.split(cell)
            if i >= 1 and lines[0].count(sep) >= width - 1 - i and lines[-1].count(sep) >= i:
                return True
    return False


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _swallowed_row(name: str, line: int) -> Problem:
    return Problem(
        name,
        "een tekstveld tussen aanhalingstekens loopt vanaf deze regel over meerdere regels en bevat "
        'evenveel scheidingstekens als een hele regel; waarschijnlijk opent een los aanhalingsteken (") '
        "het veld en zijn twee regels samengevoegd.",
        "Controleer de aanhalingstekens op deze regel en de volgende, of exporteer het register opnieuw "
        "(bij voorkeur als .xlsx).",
        row=line,
    )


def _broken_row(name: str, line: int, fields: int, expected: int, sep: str) -> Problem:
    return Problem(
        name,
        f"deze regel heeft {fields} velden, de kopregel {expected}; "
        "de waarden staan daardoor in de verkeerde kolommen.",
        f"Waarschijnlijk staat er een scheidingsteken ('{sep}') of een regeleinde in een tekstveld zonder "
        "aanhalingstekens. Zet zulke tekst tussen dubbele aanhalingstekens, of exporteer het register "
        "opnieuw (bij voorkeur als .xlsx).",
        row=line,
    )
