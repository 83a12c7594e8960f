"""Hostile input, round two (issue 18): what the workbook writes.

No cell of a CSV or XLSX it writes starts a formula; small numbers stay protected on every
page of a period; only its own files are replaced or removed; a year's files are one set;
odd entries in the output tree are skipped or named, never followed into a hang.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
from registers import make_register

from klachtlib import cells, opendata, pack, woo
from klachtlib.settings import Settings

HOSTILE = ['=HYPERLINK("http://127.0.0.1:9/x","klik")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\tx", "\ry"]


# --------------------------------------------------------------------------- 1. no formula in a cell


def test_text_that_would_start_a_formula_gets_the_owasp_prefix_in_a_pack_csv():
    table = pd.DataFrame({"Team": [*HOSTILE, "Wonen"], "Aantal": [1, 2, 3, -4, 5, 6, 7]})
    rows = list(csv.reader(io.StringIO(pack.csv_bytes(table).decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [*("'" + h for h in HOSTILE), "Wonen"]
    assert [r[1] for r in rows[1:]] == ["1", "2", "3", "-4", "5", "6", "7"]  # numbers stay numbers


def test_a_header_that_would_start_a_formula_is_prefixed_too():
    table = pd.DataFrame({"=1+1": ["a"]})
    assert pack.csv_bytes(table).decode("utf-8-sig").splitlines()[0] == "'=1+1"


def test_text_that_would_start_a_formula_is_a_string_cell_in_the_pack_workbook():
    from openpyxl import load_workbook

    table = pd.DataFrame({"Team": HOSTILE, "Aantal": [1, 2, 3, -4, 5, 6]})
    item = pack.PackItem("Cijfers", "cijfers-2024", "=Blad", "=Onderschrift", table)
    sheet = load_workbook(io.BytesIO(pack.xlsx_bytes([item]))).worksheets[0]
    values = [row for row in sheet.iter_rows(values_only=False)]
    every_cell = [cell for row in values for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in every_cell if cell.data_type == "f"]
    texts = [sheet.cell(row=n, column=1).value for n in range(3, 9)]
    assert texts[:5] == HOSTILE[:5] and texts[5].lstrip("\r\n") == "y"  # as text (XML reads CR as LF)
    assert [sheet.cell(row=n, column=2).value for n in range(3, 9)] == [1, 2, 3, -4, 5, 6]
    assert sheet["A1"].value == "=Onderschrift" and sheet["A1"].data_type == "s"


def test_open_data_csv_prefixes_formula_text_keeps_numbers_and_says_so_in_its_metadata():
    columns = (opendata.Column("naam", "Naam", "x"), opendata.Column("aantal", "Aantal", "x", "integer"))
    rows = pd.DataFrame({"naam": ["=1+1", "Wonen"], "aantal": [-3, 4]})
    text = opendata.csv_text(rows, columns)
    assert text.splitlines()[1:] == ["'=1+1,-3", "Wonen,4"]
    metadata = opendata.metadata_text("x.csv", "X", "Beschrijving.", columns)
    assert cells.CSV_NOTE in metadata


def test_woo_csv_prefixes_a_team_and_aard_that_would_start_a_formula(tmp_path):
    register = make_register(
        [
            {"team": "=HYPERLINK(\"x\")", "aard": "@SUM(1)", "datum_afgehandeld": "2024-03-10"},
            {"team": "-2+3", "aard": "+cmd", "datum_afgehandeld": "2024-03-11"},
        ]
    )
    settings = Settings(woo_minimum=1)
    overview = woo.woo_overview(register, settings, woo.year_period(2024), today=date(2025, 1, 1))
    files = dict(woo.overview_files(overview, tmp_path))
    rows = list(csv.reader(io.StringIO(files[tmp_path / "woo" / "klachtoordelen-2024.csv"])))
    written = [cell for row in rows[1:] for cell in row]
    assert not [c for c in written if c.startswith(cells.FORMULA_STARTS)]
    assert {"'=HYPERLINK(\"x\")", "'@SUM(1)", "'-2+3", "'+cmd"} <= set(written)
