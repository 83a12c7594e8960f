"""Shared test helpers: small registers written inline, one rule per test."""

from __future__ import annotations

import csv
import fcntl
import io
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import settings

# Timing is not a property of these tests: a loaded machine (2 cores, parallel workers) must not
# turn a slow example into a failure.
settings.register_profile("klachten", deadline=None)
settings.load_profile("klachten")

# One valid, handled complaint; tests override only what their rule is about.
VALID_ROW: dict[str, str] = {
    "klacht_id": "K-001",
    "datum_ontvangst": "2024-03-05",
    "status": "afgehandeld",
    "team": "Burgerzaken",
    "reden": "",
    "behandeling": "informeel",
    "oordeel": "",
    "datum_afgehandeld": "2024-03-20",
    "verdaagd": "nee",
    "kanaal": "e-mail",
    "aard": "geen oplossing",
    "leerpunt": "",
    "ombudsman": "nee",
}


def register_row(**overrides: str) -> dict[str, str]:
    """A valid register row with some values changed (keys are column headers)."""
    return {**VALID_ROW, **overrides}


def write_register_file(
    directory: Path,
    rows_or_csv_text: Sequence[dict[str, object]] | str,
    name: str = "klachtenregister.csv",
    sep: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """Write a CSV into `directory`: rows as dicts (header = keys of all rows) or literal text."""
    if isinstance(rows_or_csv_text, str):
        text = rows_or_csv_text
    else:
        header = list(dict.fromkeys(key for row in rows_or_csv_text for key in row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, delimiter=sep, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows_or_csv_text)
        text = buffer.getvalue()
    path = Path(directory) / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def write_register() -> Callable[..., Path]:
    """`write_register(tmp_path, rows_or_csv_text, name=..., sep=..., encoding=...)` -> path."""
    return write_register_file


@pytest.fixture
def make_row() -> Callable[..., dict[str, str]]:
    """`make_row(status="ingetrokken", reden="...")`: a valid row with overrides."""
    return register_row


def build_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """Run `build(directory)` once per test run, also when pytest-xdist runs several workers."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        directory = tmp_path_factory.mktemp(name)
        build(directory)
        return directory
    root = tmp_path_factory.getbasetemp().parent  # shared by the workers of this run
    directory, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(directory, ignore_errors=True)  # left over from a failed attempt
            directory.mkdir()
            build(directory)
            done.touch()
    return directory


def write_workbook(path: Path, sheets: dict[str, list[list]], states: dict[str, str] | None = None) -> Path:
    """An .xlsx file: {sheet title: rows}; Python dates become real Excel date cells; `states`
    hides sheets ({title: "hidden" | "veryHidden"})."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = (states or {}).get(title, "visible")
    workbook.save(path)
    return Path(path)


def write_ods(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> Path:
    """A LibreOffice .ods file: {sheet title: rows}; dates, numbers and booleans become typed
    cells, None an empty cell; `hidden` sheets are hidden. Written by hand (an .ods is a zip of
    XML), so the tests need no ODF writer."""
    import datetime
    import zipfile
    from xml.sax.saxutils import escape

    def cell(value) -> str:
        if value is None or value == "":
            return "<table:table-cell/>"
        if isinstance(value, bool):
            shown = "WAAR" if value else "ONWAAR"
            return (
                f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(value).lower()}">'
                f"<text:p>{shown}</text:p></table:table-cell>"
            )
        if isinstance(value, datetime.date):
            return (
                f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
            )
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        text = escape(str(value))
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(title)}" table:style-name="{"ta2" if title in hidden else "ta1"}">'
        + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for title, rows in sheets.items()
    )
    namespaces = " ".join(
        f'xmlns:{prefix}="urn:oasis:names:tc:opendocument:xmlns:{name}:1.0"'
        for prefix, name in (("office", "office"), ("table", "table"), ("text", "text"), ("style", "style"))
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces} office:version="1.2">'
        '<office:automatic-styles><style:style style:name="ta1" style:family="table">'
        '<style:table-properties table:display="true"/></style:style>'
        '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/>'
        "</style:style></office:automatic-styles>"
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return Path(path)
