"""Raw text cells out of a CSV or .xlsx file, before any column or value means anything.

Split from `register` so the file-format handling (encoding, separator, header, broken CSV
rows, Excel cell types) reads on its own; `register` decides which columns to keep (`select`)
and checks the values. openpyxl is imported when an .xlsx file is first read.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from klachtlib.errors import Problem
from klachtlib.vocab import DATE_COLUMNS

SHEET_NAME = "klachten"
TEXT = "str"
# Columns whose values are mostly distinct: identifiers (kept as text) and dates (coded
# after reading, see `read_csv_cells`).
CODED_AFTER_READING = DATE_COLUMNS
MOSTLY_DISTINCT = ("klacht_id", "jaar", *CODED_AFTER_READING)


def _unreadable(name: str, what: str, hint: str) -> Problem:
    return Problem(name, f"het bestand kan niet worden gelezen: {what}", hint)


def _empty_file(name: str) -> Problem:
    return Problem(
        name,
        "het bestand is leeg.",
        "Exporteer het register opnieuw, of haal dit lege bestand uit de map.",
    )


def _decode_csv_data(path: Path, problems: list[Problem]) -> tuple[str, bytes, str] | None:
    """The text (UTF-8 with or without BOM, else Windows-1252), the bytes and their encoding.

    None, with a problem, for a file that is not text.

    The bytes start after the byte order mark (if any), so they decode to exactly the text.
    """
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(
            _unreadable(name, f"{error.strerror}.", "Controleer of het bestand bestaat en leesbaar is.")
        )
        return None
    resave = "Open het in Excel en kies Opslaan als 'CSV UTF-8' of 'Excel-werkmap (.xlsx)'."
    if data.startswith(b"PK\x03\x04"):
        problems.append(_unreadable(name, "het is een Excel- of zip-bestand met de extensie .csv.", resave))
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(_unreadable(name, "het is opgeslagen als UTF-16 ('Unicode-tekst').", resave))
        return None
    encoding = "utf-8"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        encoding = "cp1252"
        try:
            text = data.decode("cp1252").removeprefix("\u00ef\u00bb\u00bf")  # BOM of a broken UTF-8 file
        except UnicodeDecodeError:
            text = None
    if text is None or re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text[:65536]):  # binary shows early
        problems.append(_unreadable(name, "het is geen tekstbestand (CSV).", resave))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return text, data, encoding


def _sniff_separator(text: str) -> str:
    """`;` (Excel's Dutch default), `,` or tab: whichever the header line uses most."""
    end = text.find("\n")
    header = text if end < 0 else text[:end]
    return max((";", ",", "\t"), key=header.count)


def _header_fields(text: str, sep: str) -> list[str]:
    """The first record's fields, parsed from the first lines only (not a copy of the file)."""
    end = 0
    while True:  # a quoted header field may hold a line break: take whole lines until quotes pair up
        end = text.find("\n", end) + 1
        if end == 0:
            end = len(text)
        if text.count('"', 0, end) % 2 == 0 or end == len(text):
            break
    return next(csv.reader(io.StringIO(text[:end], newline=""), delimiter=sep))


def read_csv_cells(path: Path, select, problems: list[Problem]) -> pd.DataFrame | None:
    name = str(path)
    decoded = _decode_csv_data(path, problems)
    if decoded is None:
        return None
    text, data, encoding = decoded
    if not text or text.isspace():
        problems.append(_empty_file(name))
        return None
    sep = _sniff_separator(text)
    header = _header_fields(text, sep)
    del text, decoded  # from here on the bytes are parsed: no copy of the file as text
    positions = select(header)
    if positions is None:
        return None
    layout = _record_layout(data, sep)  # before the cells exist: keeps peak memory down
    # Columns that repeat values (status, team, ...) are read as categories: pandas' C parser
    # then makes one string per distinct value instead of one per cell. Columns whose values
    # are mostly distinct (identifiers, dates) are read as text, as pandas would sort their
    # many categories; the dates are coded afterwards, in order of appearance.
    categorical = [p for p, column in positions.items() if column not in MOSTLY_DISTINCT]
    try:
        cells = pd.read_csv(
            io.BytesIO(data),
            encoding=encoding,
            sep=sep,
            header=None,
            skiprows=1,
            names=range(len(header)),
            usecols=sorted(positions),
            dtype={p: ("category" if p in categorical else str) for p in positions},
            keep_default_na=False,
            skip_blank_lines=False,
            index_col=False,
        )
    except (pd.errors.ParserError, ValueError):
        problems.append(
            _unreadable(
                name, "de CSV-opbouw klopt niet.", "Exporteer het register opnieuw als CSV of als .xlsx."
            )
        )
        return None
    del data
    lines, counts = _layout_for(layout, len(cells))
    cells.index = lines
    broken = (counts != 0) & (counts != len(header))
    problems += [
        _broken_row(name, int(line), int(n), len(header), sep)
        for line, n in zip(lines[broken], counts[broken], strict=True)
    ]
    cells = cells.loc[~broken].rename(columns=positions)
    for column in cells.columns.intersection(CODED_AFTER_READING):
        cells[column] = _coded(cells[column])
    return cells


def _coded(values: pd.Series) -> pd.Series:
    """Text as a categorical in order of first appearance (pandas' parser would sort them)."""
    codes, uniques = pd.factorize(values)
    categories = pd.Index(uniques, dtype=TEXT)
    return pd.Series(
        pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories)), index=values.index
    )


def _record_layout(data: bytes, sep: str) -> tuple[np.ndarray, np.ndarray]:
    """Start line and field count (0 = blank line) of each record (header included), vectorised.

    A separator or line break counts only outside quotes, i.e. after an even number of
    `"` (an escaped `""` adds two), so a quoted field may hold both. Works on the file's
    bytes: `"`, separators and line breaks are single ASCII bytes in UTF-8 and Windows-1252.
    """
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    raw = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(raw == ord('"'))
    newlines = np.flatnonzero(raw == ord("\n"))
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0] if len(quotes) else newlines
    if len(raw) and raw[-1] != ord("\n"):
        ends = np.append(ends, len(raw))
    begins = np.concatenate(([0], ends[:-1] + 1)).astype(ends.dtype)
    separators = np.flatnonzero(raw == ord(sep))
    del raw
    # Separators per record: all of them between its begin and end, minus those in quotes
    # (quote k opens a quoted stretch for even k, up to quote k + 1 or the end).
    before = np.searchsorted(separators, begins)
    counts = np.searchsorted(separators, ends, side="right") - before
    if len(quotes):
        closing = np.append(quotes[1::2], len(data))[: len(quotes[0::2])]
        quoted = np.searchsorted(separators, closing) - np.searchsorted(separators, quotes[0::2])
        record = np.searchsorted(ends, quotes[0::2])
        inside = record < len(ends)
        counts = counts - np.bincount(record[inside], weights=quoted[inside], minlength=len(ends)).astype(
            counts.dtype
        )
    counts = counts + 1
    counts[ends == begins] = 0
    starts = np.searchsorted(newlines, begins) + 1
    return starts, counts


def _layout_for(layout: tuple[np.ndarray, np.ndarray], expected: int) -> tuple[np.ndarray, np.ndarray]:
    """Line number and field count of each of the `expected` data records (after the header)."""
    starts, counts = layout
    if len(starts) - 1 != expected:  # layout unclear: number records, skip the field check
        return np.arange(2, expected + 2), np.zeros(expected, dtype=int)
    return starts[1:], counts[1:]


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


def read_xlsx_cells(path: Path, select, problems: list[Problem]) -> pd.DataFrame | None:
    """The sheet named `Klachten` (else the first); rows are numbered as in Excel."""
    name = str(path)
    hint = "Open het in Excel en sla het opnieuw op als 'Excel-werkmap (.xlsx)'."
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        problems.append(_unreadable(name, "het is geen geldig Excel-bestand (.xlsx).", hint))
        return None
    try:
        sheet = next((workbook[s] for s in workbook.sheetnames if s.strip().lower() == SHEET_NAME), None)
        sheet = sheet if sheet is not None else workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong sheet size
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        header = next(((line, row) for line, row in rows if any(_cell_text(c) for c in row)), None)
        if header is None:
            problems.append(_empty_file(name))
            return None
        positions = select([_cell_text(c) or "" for c in header[1]])
        if positions is None:
            return None
        lines: list[int] = []
        columns: dict[int, list[str | None]] = {p: [] for p in positions}
        for line, row in rows:
            lines.append(line)
            for position, values in columns.items():
                values.append(_cell_text(row[position]) if position < len(row) else None)
    except Exception:
        problems.append(_unreadable(name, "het Excel-bestand is beschadigd.", hint))
        return None
    finally:
        workbook.close()
    cells = pd.DataFrame({p: pd.Series(v, dtype=TEXT) for p, v in columns.items()})
    cells.index = pd.Index(lines, dtype="int64")
    return cells.rename(columns=positions)


def _cell_text(value: object) -> str | None:
    """An Excel cell as the text a CSV export would hold (dates ISO, whole numbers without .0)."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, time):
        return value.isoformat()
    return str(value)
