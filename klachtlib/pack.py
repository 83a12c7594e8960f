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

The year report ends with a section linking every file (`section_html`); the same list of
`PackItem`s makes both the files and the links, so they always agree.
"""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from klachtlib import cells, keyfigures, text
from klachtlib.charts import Chart
from klachtlib.tables import format_cell, heading_html, paragraph_html

if TYPE_CHECKING:
    from klachtlib.report import YearReport

PACK_DIR = "cijfers"
HEADING = "Tabellen en grafieken als bestand"
SECTION_CLASS = "bestanden"
CSV_DELIMITER = ";"
CSV_ENCODING = "utf-8-sig"  # the BOM tells Excel the file is UTF-8
# Fixed workbook and zip entry times: the file depends on the figures only.
FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
WORKBOOK_CREATOR = "klachtlib"


@dataclass(frozen=True, eq=False)
class PackItem:
    """One table of the report (and its chart, if it has one), as files."""

    section: str  # the report section it belongs to (its heading)
    name: str  # file stem, after the section: "cijfers-klachtenbehandeling-2024"
    sheet: str  # worksheet name in the workbook (at most 31 characters)
    caption: str
    table: pd.DataFrame
    chart: Chart | None = None

    @property
    def files(self) -> list[str]:
        """The file names of this item, CSV first."""
        return [f"{self.name}.csv", *((f"{self.name}.svg", f"{self.name}.png") if self.chart else ())]


def slug(value: str) -> str:
    """A file-name part: 'Verloop over de jaren' -> 'verloop-over-de-jaren'."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def workbook_name(year: int | str) -> str:
    return f"tabellen-klachten-{year}.xlsx"


def items(report: YearReport) -> list[PackItem]:
    """Every table of the year report in page order, with its chart where it has one."""
    from klachtlib.report import BALANCE_HEADING, INHABITANTS_HEADING, NORMS_HEADING, balance_table

    f, suffix = report.figures, report.slug  # "2024", or a period's "2025-H1"
    rows = report.key_figure_rows
    labels = keyfigures.column_labels(f, rows)

    def name_of(section: str) -> str:
        return slug(section) if slug(section).endswith(suffix) else f"{slug(section)}-{suffix}"

    def item(section: str, sheet: str, chart: Chart | None, what: str = "") -> PackItem | None:
        if chart is None:
            return None
        name = name_of(f"{section} {what}" if what else section)
        return PackItem(section, name, sheet, chart.caption, chart.table, chart)

    learning = f.learning_points_per_team
    found = [
        PackItem(
            keyfigures.HEADING,
            f"kerncijfers-{suffix}",
            "Kerncijfers",
            keyfigures.caption(f.year, labels),
            keyfigures.key_figures_table(rows, f.year, labels),
        ),
        item(f"Cijfers klachtenbehandeling {f.name}", "Afgehandeld per team", report.team_chart),
        None
        if f.balance is None
        else PackItem(
            BALANCE_HEADING,
            name_of(BALANCE_HEADING),
            "Open en afgesloten",
            f"Openstaande, ontvangen en afgesloten klachten, {f.name}",
            balance_table(f),
        ),
        item(text.WAYS, "Oordeel", report.verdict_chart),
        item(NORMS_HEADING, "Normen per cluster", report.norm_cluster_chart, "clusters"),
        item(NORMS_HEADING, "Normen", report.norm_chart, "per norm"),
        item(text.GENERAL, "Aard", report.nature_chart),
        None
        if learning.empty
        else PackItem(
            text.REFLECTION,
            name_of(text.REFLECTION),
            "Leerpunten per team",
            f"Aantal vastgelegde leerpunten per team, {f.name}",
            learning.rename(columns={"team": "Team", "aantal": "Aantal leerpunten"}),
        ),
        item("Klachten afgezet tegen het aantal klantcontacten", "Klantcontacten", report.contacts_chart),
        item(INHABITANTS_HEADING, "Per 10.000 inwoners", report.peers_chart),
        item("Verloop over de jaren", "Verloop", report.trend_chart),
    ]
    return [i for i in found if i is not None]


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
    pack = items(report)
    files: list[tuple[Path, bytes]] = []
    for entry in pack:
        files.append((folder / f"{entry.name}.csv", csv_bytes(entry.table)))
        if entry.chart is not None:
            files.append((folder / f"{entry.name}.svg", entry.chart.svg()))
            files.append((folder / f"{entry.name}.png", entry.chart.png))
    files.append((folder / workbook_name(report.slug), xlsx_bytes(pack)))
    return files


# --------------------------------------------------------------------------- the page section


def section_html(report: YearReport) -> str:
    """The report's last section: a link to every file of its figures pack (screen only)."""
    workbook = workbook_name(report.slug)
    bullets = []
    for entry in items(report):
        links = ", ".join(
            f'<a href="{html.escape(f"{PACK_DIR}/{name}")}">{name.rsplit(".", 1)[1].upper()}</a>'
            for name in entry.files
        )
        what = html.escape(f"{entry.caption} (onderdeel {entry.section})")
        bullets.append(f"<li>{what}: {links}</li>")
    intro = paragraph_html(
        "De tabellen en grafieken van dit verslag, om over te nemen in bijvoorbeeld een "
        "raadsinformatiebrief of de jaarstukken. CSV-bestanden openen in Excel; SVG is een "
        "grafiek die scherp blijft bij elke grootte."
    )
    workbook_link = (
        f'<p>Alle tabellen in één Excel-bestand: <a href="{PACK_DIR}/{html.escape(workbook)}">'
        f"{html.escape(workbook)}</a>.</p>\n"
    )
    body = heading_html(HEADING) + intro + workbook_link + "<ul>\n" + "\n".join(bullets) + "\n</ul>\n"
    # Not printed: on paper and in the PDF these links would be file paths of this machine.
    return f'<div class="{SECTION_CLASS}">\n{body}</div>\n'
