"""The figures pack beside each year report: every table and chart as a file to paste.

For the raadsinformatiebrief and the annual accounts (jaarstukken) the analyst needs the
report's tables and charts as files. Beside `<out>/<jaar>/jaarverslag-klachten-<jaar>.html`
`klachten report` writes `<out>/<jaar>/cijfers/`:

- every table as CSV, named after its report section (`cijfers-klachtenbehandeling-2024.csv`,
  `verloop-over-de-jaren-2024.csv`, ...): UTF-8 with a byte-order mark, `;` between fields and
  the values exactly as the page shows them (decimal comma, `onbekend` where the register has
  no figure), without thousands separators: what Excel in a Dutch locale opens as-is;
- all tables in one workbook `tabellen-klachten-<jaar>.xlsx` (openpyxl), one sheet per table,
  numbers as numbers; its document properties and zip entry times are fixed, so the same
  figures give the same bytes;
- every chart as SVG and PNG under the same name. The PNG is the image in the page; the SVG
  is drawn the same way (fixed `svg.hashsalt`, no date), so it too is byte-identical.

Which tables and charts, in which order and under which names, is the report's
(`report.pack_items`, in the order of `report.SECTIONS`); its last section links every file
(`report.downloads_section_html`). The same list of `PackItem`s makes both the files here and
the links there, so they always agree.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pandas as pd

from klachtlib.delivery import cells
from klachtlib.presentation.report import PACK_DIR, PackItem, YearReport, pack_items, workbook_name
from klachtlib.presentation.tables import format_cell

CSV_DELIMITER = ";"
CSV_ENCODING = "utf-8-sig"  # the BOM tells Excel the file is UTF-8
# Fixed workbook and zip entry times: the file depends on the figures only.
FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
WORKBOOK_CREATOR = "klachtlib"


# --------------------------------------------------------------------------- file contents


def csv_bytes(table: pd.DataFrame) -> bytes:
    """The table as the page shows it: Dutch headers and values, `;`, UTF-8 with BOM, CRLF;
    text that would start a formula prefixed (`cells`)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([cells.text_cell(str(c)) for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        writer.writerow([cells.csv_cell(_plain(v), format_cell(v, grouping=False)) for v in row])
    return buffer.getvalue().encode(CSV_ENCODING)


def _plain(value: object) -> object:
    """A numpy scalar as the Python value it holds (so `cells` sees a number as a number)."""
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def _cell(value: object) -> object:
    """A value for a worksheet cell: numbers as numbers, missing as 'onbekend', else text."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "onbekend"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    return value if isinstance(value, int | float) else format_cell(value, grouping=False)


def xlsx_bytes(pack: Iterable[PackItem]) -> bytes:
    """One workbook, a sheet per table (caption in A1, headers in row 2); stable bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for entry in pack:
        sheet = workbook.create_sheet(entry.sheet[:31])
        sheet.append([entry.caption])
        sheet["A1"].font = Font(bold=True)
        sheet.append([str(c) for c in entry.table.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in entry.table.itertuples(index=False, name=None):
            sheet.append([_cell(v) for v in row])
        for row in sheet.iter_rows():
            for cell in row:
                if cells.starts_formula(cell.value):
                    cell.data_type = "s"  # a string cell: openpyxl would write `=...` as a formula
        for column in sheet.columns:
            width = max(len(str(c.value)) for c in column[1:]) if len(column) > 1 else 10
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    props = workbook.properties
    props.creator = props.lastModifiedBy = WORKBOOK_CREATOR
    props.created = props.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _stable_zip(buffer.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _stable_zip(data: bytes) -> bytes:
    """The same OOXML package with fixed entry times and a fixed 'modified' property.

    openpyxl stamps the save time into docProps/core.xml and every zip entry; both are set to
    fixed values here so the same figures give the same workbook, byte for byte.
    """
    fixed = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _MODIFIED.sub(rb"\g<1>" + fixed + rb"\g<2>", payload)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, payload)
    return out.getvalue()


def pack_files(report: YearReport, directory: Path) -> list[tuple[Path, bytes]]:
    """Every file of the pack for `report`, in memory, to be written into `directory`/cijfers."""
    folder = Path(directory) / PACK_DIR
    pack = pack_items(report)
    files: list[tuple[Path, bytes]] = []
    for entry in pack:
        files.append((folder / f"{entry.name}.csv", csv_bytes(entry.table)))
        if entry.chart is not None:
            files.append((folder / f"{entry.name}.svg", entry.chart.svg()))
            files.append((folder / f"{entry.name}.png", entry.chart.png))
    files.append((folder / workbook_name(report.slug), xlsx_bytes(pack)))
    return files
