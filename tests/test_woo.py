"""The Woo overview of complaint judgments (`klachten woo`): which complaints, which columns,
small numbers, unrecorded values, privacy, CSVW metadata, reproducibility and accessibility."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import register_row, write_register_file
from registers import make_register
from typer.testing import CliRunner

from klachtlib import config
from klachtlib.delivery.cli import app
from klachtlib.delivery.woo import (
    COLUMNS,
    ID_COLUMN,
    Period,
    PeriodError,
    make_woo_overview,
    overview_files,
    overview_paths,
    parse_period,
    report_difference_sentence,
    woo_overview,
    year_period,
)
from klachtlib.errors import DataError
from klachtlib.reading.register import load_data_folder
from klachtlib.reading.settings import Settings

Q3 = Period(date(2024, 7, 1), date(2024, 9, 30), "2024-Q3", "derde kwartaal 2024")
SHOW_ID = Settings(woo_show_id=True, woo_minimum=1)  # every row as the register has it
TODAY = date(2026, 1, 1)


def overview(rows, settings: Settings = SHOW_ID, period: Period = Q3):
    return woo_overview(make_register(rows), settings, period, today=TODAY)


def files_of(o, tmp_path: Path) -> dict[str, str]:
    return {path.name: content for path, content in overview_files(o, tmp_path)}


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def visible(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").body.get_text(" ").split())


# --------------------------------------------------------------------------- the period


@pytest.mark.parametrize(
    ("kwargs", "start", "end", "slug"),
    [
        ({"jaar": 2024}, date(2024, 1, 1), date(2024, 12, 31), "2024"),
        ({"periode": "2024"}, date(2024, 1, 1), date(2024, 12, 31), "2024"),
        ({"periode": "2024-Q3"}, date(2024, 7, 1), date(2024, 9, 30), "2024-Q3"),
        ({"periode": "2024-q1"}, date(2024, 1, 1), date(2024, 3, 31), "2024-Q1"),
        ({"periode": "2024-Q4"}, date(2024, 10, 1), date(2024, 12, 31), "2024-Q4"),
        ({"periode": "2024-H1"}, date(2024, 1, 1), date(2024, 6, 30), "2024-H1"),
        ({"periode": "2024-H2"}, date(2024, 7, 1), date(2024, 12, 31), "2024-H2"),
        ({"periode": "2024-02"}, date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        ({"periode": "2024-12"}, date(2024, 12, 1), date(2024, 12, 31), "2024-12"),
        (
            {"van": "2024-03-01", "tot": "31-5-2024"},
            date(2024, 3, 1),
            date(2024, 5, 31),
            "2024-03-01-tot-2024-05-31",
        ),
    ],
)
def test_period_spellings_give_their_first_and_last_day(kwargs, start, end, slug):
    period = parse_period(**kwargs, today=TODAY)
    assert (period.start, period.end, period.slug) == (start, end, slug)


def test_period_names_are_dutch_words():
    assert parse_period(periode="2024-Q3", today=TODAY).name == "derde kwartaal 2024"
    assert parse_period(periode="2024-H1", today=TODAY).name == "eerste halfjaar 2024"
    assert parse_period(periode="2024-03", today=TODAY).name == "maart 2024"
    assert parse_period(van="2024-03-01", tot="2024-05-31", today=TODAY).name == (
        "1 maart 2024 tot en met 31 mei 2024"
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"periode": "2024-Q5"},
        {"periode": "2024-H3"},
        {"periode": "2024-13"},
        {"periode": "Q3"},
        {"periode": "derde kwartaal"},
        {"jaar": 24},
        {"jaar": 2024, "periode": "2024-Q1"},
        {"van": "2024-03-01"},
        {"van": "2024-03-01", "tot": "gisteren"},
        {"van": "2024-05-01", "tot": "2024-03-01"},
        {"periode": "2027"},
    ],
)
def test_a_bad_period_is_refused_in_dutch(kwargs):
    with pytest.raises(PeriodError) as raised:
        parse_period(**kwargs, today=TODAY)
    message = str(raised.value)
    assert re.search(r"periode|jaar|datum|--van|--tot|toekomst|maand", message)
    assert "Traceback" not in message


# --------------------------------------------------------------------------- which complaints


def test_overview_holds_only_complaints_handled_in_the_period():
    o = overview(
        [
            {"klacht_id": "IN-1", "datum_ontvangst": "2024-06-20", "datum_afgehandeld": "2024-07-01"},
            {"klacht_id": "IN-2", "datum_ontvangst": "2024-09-01", "datum_afgehandeld": "2024-09-30"},
            {"klacht_id": "VOOR", "datum_ontvangst": "2024-06-01", "datum_afgehandeld": "2024-06-30"},
            {"klacht_id": "NA", "datum_ontvangst": "2024-09-15", "datum_afgehandeld": "2024-10-01"},
            {"klacht_id": "INGETROKKEN", "status": "ingetrokken", "datum_afgehandeld": "2024-08-01"},
            {"klacht_id": "DOOR", "status": "doorgestuurd", "datum_afgehandeld": "2024-08-01"},
            {
                "klacht_id": "VOORKOMEN",
                "status": "voorkomen",
                "datum_ontvangst": "2024-08-01",
                "datum_afgehandeld": "2024-08-02",
            },
            {"klacht_id": "OPEN", "status": "in behandeling", "datum_ontvangst": "2024-08-01"},
        ]
    )
    assert o.rows["kenmerk"].tolist() == ["IN-1", "IN-2"]


def test_overview_row_holds_the_registers_values_in_the_agreed_columns():
    o = overview(
        [
            {
                "klacht_id": "K-9",
                "datum_ontvangst": "2024-06-20",
                "datum_afgehandeld": "2024-07-03",
                "team": "Belastingen",
                "aard": "lange doorlooptijd",
                "behandeling": "formeel",
                "oordeel": "deels gegrond",
            }
        ]
    )
    assert o.rows.columns.tolist() == [
        "kenmerk",
        "soort_klacht",
        "datum_ontvangst",
        "organisatieonderdeel",
        "datum_afhandeling",
        "wijze_van_afhandeling",
        "oordeel",
    ]
    row = o.rows.iloc[0].to_dict()
    assert row == {
        "kenmerk": "K-9",
        "soort_klacht": "lange doorlooptijd",
        "datum_ontvangst": pd.Timestamp("2024-06-20"),
        "organisatieonderdeel": "Belastingen",
        "datum_afhandeling": pd.Timestamp("2024-07-03"),
        "wijze_van_afhandeling": "formeel",
        "oordeel": "deels gegrond",
    }


def test_rows_are_ordered_by_date_of_handling():
    o = overview(
        [
            {"klacht_id": "B", "datum_afgehandeld": "2024-08-02"},
            {"klacht_id": "A", "datum_afgehandeld": "2024-07-15"},
            {"klacht_id": "C", "datum_afgehandeld": "2024-09-01"},
        ]
    )
    assert o.rows["kenmerk"].tolist() == ["A", "B", "C"]


def test_the_identifier_is_published_only_when_kenmerk_tonen_is_set(tmp_path):
    rows = [{"klacht_id": "GEHEIM-77", "datum_afgehandeld": "2024-08-01"}]
    hidden = files_of(overview(rows, Settings()), tmp_path)
    assert not any("GEHEIM-77" in content for content in hidden.values())
    assert "Kenmerk" not in csv_rows(hidden["klachtoordelen-2024-Q3.csv"])[0]
    shown = files_of(overview(rows, SHOW_ID), tmp_path)
    assert csv_rows(shown["klachtoordelen-2024-Q3.csv"])[0]["Kenmerk"] == "GEHEIM-77"
    assert "GEHEIM-77" in visible(shown["klachtoordelen-2024-Q3.html"])


def test_handled_complaint_without_closing_date_is_left_out_and_counted(tmp_path):
    o = overview(
        [
            {"klacht_id": "DATUM", "datum_afgehandeld": "2024-08-01"},
            {"klacht_id": "ZONDER-1", "datum_ontvangst": "2024-05-01"},
            {"klacht_id": "ZONDER-2", "datum_ontvangst": "2024-09-30"},
            {"klacht_id": "LATER", "datum_ontvangst": "2024-10-01"},  # received after the period
        ]
    )
    assert o.rows["kenmerk"].tolist() == ["DATUM"]
    assert o.undated == 2
    page = visible(files_of(o, tmp_path)["klachtoordelen-2024-Q3.html"])
    assert "Bij 2 afgehandelde klachten die vóór het einde van deze periode zijn ontvangen" in page
    assert "geen datum van afhandeling" in page


def test_register_without_any_closing_date_is_a_data_error():
    with pytest.raises(DataError, match="datum_afgehandeld"):
        overview([{"datum_afgehandeld": None}, {"datum_afgehandeld": None}])


def test_period_before_the_register_begins_is_a_data_error():
    with pytest.raises(DataError, match="eerste klacht is ontvangen op 1 maart 2024"):
        overview([{"datum_afgehandeld": "2024-03-10"}], period=year_period(2020))


def test_period_without_handled_complaints_says_so_and_writes_only_the_header(tmp_path):
    o = overview([{"datum_ontvangst": "2024-03-01", "datum_afgehandeld": "2024-03-10"}])
    files = files_of(o, tmp_path)
    assert files["klachtoordelen-2024-Q3.csv"].splitlines() == [
        "Kenmerk,Soort klacht,Datum ontvangst,Organisatieonderdeel,Datum afhandeling,"
        "Wijze van afhandeling,Oordeel"
    ]
    page = files["klachtoordelen-2024-Q3.html"]
    assert "Van 1 juli 2024 tot en met 30 september 2024 is geen klacht inhoudelijk afgehandeld." in visible(
        page
    )
    assert "<table" not in page


# --------------------------------------------------------------------------- values


def test_unrecorded_values_are_niet_vastgelegd_and_informal_without_verdict_is_nvt(tmp_path):
    o = overview(
        [
            {"klacht_id": "A", "datum_afgehandeld": "2024-07-01", "aard": None, "behandeling": "informeel"},
            {"klacht_id": "B", "datum_afgehandeld": "2024-07-02", "aard": "x", "behandeling": None},
            {"klacht_id": "C", "datum_afgehandeld": "2024-07-03", "aard": "x", "behandeling": "formeel"},
            {
                "klacht_id": "D",
                "datum_afgehandeld": "2024-07-04",
                "aard": "x",
                "behandeling": "informeel",
                "oordeel": "gegrond",
            },
        ]
    )
    rows = csv_rows(files_of(o, tmp_path)["klachtoordelen-2024-Q3.csv"])
    assert [(r["Soort klacht"], r["Wijze van afhandeling"], r["Oordeel"]) for r in rows] == [
        ("niet vastgelegd", "informeel", "n.v.t."),
        ("x", "niet vastgelegd", "niet vastgelegd"),
        ("x", "formeel", "niet vastgelegd"),
        ("x", "informeel", "gegrond"),
    ]
    page = visible(files_of(o, tmp_path)["klachtoordelen-2024-Q3.html"])
    assert "'Niet vastgelegd' betekent dat het klachtenregister dit gegeven niet bevat." in page
    assert (
        "In deze periode zijn 4 klachten afgehandeld: 2 informeel, 1 formeel en 1 zonder vastgelegde" in page
    )


def test_csv_dates_are_iso_and_page_dates_are_dutch(tmp_path):
    o = overview([{"datum_ontvangst": "2024-06-05", "datum_afgehandeld": "2024-07-09"}])
    files = files_of(o, tmp_path)
    row = csv_rows(files["klachtoordelen-2024-Q3.csv"])[0]
    assert (row["Datum ontvangst"], row["Datum afhandeling"]) == ("2024-06-05", "2024-07-09")
    cells = [
        td.get_text()
        for td in BeautifulSoup(files["klachtoordelen-2024-Q3.html"], "html.parser").find_all("td")
    ]
    assert "5 juni 2024" in cells and "9 juli 2024" in cells


# --------------------------------------------------------------------------- small numbers


def test_rare_team_and_kind_combinations_get_kind_overig_and_the_page_counts_them(tmp_path):
    def row(number: int, team: str, aard: str | None) -> dict:
        return {
            "klacht_id": f"K{number}",
            "datum_afgehandeld": f"2024-07-{number:02d}",
            "team": team,
            "aard": aard,
        }

    o = overview(
        [
            row(1, "Belastingen", "lange doorlooptijd"),
            row(2, "Belastingen", "lange doorlooptijd"),
            row(3, "Belastingen", "geen oplossing"),  # alone in its team: generalised
            row(4, "Zorg", "lange doorlooptijd"),  # same kind, other team, alone: generalised
            row(5, "Zorg", None),  # no kind recorded: nothing to hide
        ],
        replace(SHOW_ID, woo_minimum=2),
    )
    assert o.rows["soort_klacht"].tolist() == [
        "lange doorlooptijd",
        "lange doorlooptijd",
        "overig",
        "overig",
        "niet vastgelegd",
    ]
    assert o.generalised == 2
    files = files_of(o, tmp_path)
    page = visible(files["klachtoordelen-2024-Q3.html"])
    assert "minder dan 2 keer voorkwam. Dat geldt voor 2 klachten in dit overzicht." in page
    assert "2 klachten" in json.loads(files["klachtoordelen-2024-Q3.csv-metadata.json"])["dc:description"]


def test_minimum_1_generalises_nothing_and_the_page_is_silent_about_it(tmp_path):
    o = overview([{"aard": "zeldzaam", "datum_afgehandeld": "2024-07-01"}], SHOW_ID)
    assert o.rows["soort_klacht"].tolist() == ["zeldzaam"]
    assert o.generalised == 0
    assert "overig" not in visible(files_of(o, tmp_path)["klachtoordelen-2024-Q3.html"])


# --------------------------------------------------------------------------- the sample


def test_sample_q3_overview_matches_the_register_row_by_row(tmp_path):
    """Every handled complaint of the sample closed in 2024-Q3, with its own values, and nothing else."""
    folder = load_data_folder(config.DATA_DIR)
    o = woo_overview(folder.register, SHOW_ID, Q3, today=TODAY)
    expected = []
    for record in folder.register.to_dict("records"):
        closed = record["datum_afgehandeld"]
        if record["status"] != "afgehandeld" or pd.isna(closed):
            continue
        if not date(2024, 7, 1) <= closed.date() <= date(2024, 9, 30):
            continue
        expected.append(
            {
                "Kenmerk": record["klacht_id"],
                "Soort klacht": record["aard"],
                "Datum ontvangst": record["datum_ontvangst"].date().isoformat(),
                "Organisatieonderdeel": record["team"],
                "Datum afhandeling": closed.date().isoformat(),
                "Wijze van afhandeling": record["behandeling"],
                "Oordeel": record["oordeel"] if isinstance(record["oordeel"], str) else "n.v.t.",
            }
        )
    got = csv_rows(files_of(o, tmp_path)["klachtoordelen-2024-Q3.csv"])
    assert len(got) == 17
    assert sorted(got, key=lambda r: r["Kenmerk"]) == sorted(expected, key=lambda r: r["Kenmerk"])
    # The period also closed complaints that were not handled on their merits: none of them is here.
    others = folder.register[
        folder.register["status"].ne("afgehandeld")
        & folder.register["datum_afgehandeld"].between("2024-07-01", "2024-09-30")
    ]
    assert len(others) > 0
    assert not set(others["klacht_id"]) & {r["Kenmerk"] for r in got}


# --------------------------------------------------------------------------- privacy


def marker(label: str) -> str:
    return f"mrk{uuid.uuid5(uuid.NAMESPACE_URL, 'klachtlib-woo/' + label).hex}"


PERSONAL_COLUMNS = ["Naam klager", "Adres", "Omschrijving", "E-mail", "BSN", "Notities"]


@pytest.fixture(scope="module")
def canary_output(tmp_path_factory) -> tuple[Path, list[str]]:
    """The 2024 Woo overview (identifier shown) of a register full of canaries."""
    data = tmp_path_factory.mktemp("woo-canary-data")
    rows = [
        register_row(klacht_id="K-1", datum_ontvangst="2024-07-01", datum_afgehandeld="2024-07-10"),
        register_row(
            klacht_id="K-2",
            datum_ontvangst="2024-07-02",
            datum_afgehandeld="2024-08-10",
            behandeling="formeel",
            oordeel="gegrond",
        ),
        register_row(
            klacht_id="K-3",
            status="ingetrokken",
            reden="De klacht betrof een melding",
            datum_afgehandeld="2024-08-01",
        ),
        register_row(klacht_id="K-4", status="voorkomen", team="", datum_afgehandeld="2024-08-01"),
    ]
    canaries = []
    for number, row in enumerate(rows, start=1):
        for column in PERSONAL_COLUMNS:
            row[column] = marker(f"{column}-{number}")
            canaries.append(row[column])
        row["leerpunt"] = f"Eerder terugbellen {marker(f'leerpunt-{number}')}"
        canaries.append(marker(f"leerpunt-{number}"))
    write_register_file(data, rows)
    (data / "klachten.toml").write_text("", encoding="utf-8")
    out = tmp_path_factory.mktemp("woo-canary-out")
    folder = load_data_folder(data)
    o = woo_overview(folder.register, replace(folder.settings, woo_show_id=True), year_period(2024))
    from klachtlib.delivery.output import write_all_atomic

    write_all_atomic(overview_files(o, out))
    return out, canaries


def test_personal_free_text_and_learning_point_canaries_never_reach_the_overview(canary_output):
    out, canaries = canary_output
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert [p.name for p in written] == [
        "klachtoordelen-2024.csv",
        "klachtoordelen-2024.csv-metadata.json",
        "klachtoordelen-2024.html",
    ]
    for path in written:
        content = path.read_text(encoding="utf-8")
        leaked = [c for c in canaries if c in content]
        assert not leaked, f"{path.name} bevat gegevens die er niet in mogen: {leaked}"
    assert "K-1" in (out / "woo" / "klachtoordelen-2024.csv").read_text(
        encoding="utf-8"
    )  # the overview is not empty


# --------------------------------------------------------------------------- CSVW


def test_csvw_metadata_is_valid_json_describing_every_csv_column_in_dutch(tmp_path):
    o = overview(
        [
            {"klacht_id": "A", "datum_afgehandeld": "2024-07-01"},
            {"klacht_id": "B", "datum_afgehandeld": "2024-07-02"},
        ]
    )
    files = files_of(o, tmp_path)
    metadata = json.loads(files["klachtoordelen-2024-Q3.csv-metadata.json"])
    header = next(csv.reader(io.StringIO(files["klachtoordelen-2024-Q3.csv"])))
    assert metadata["@context"][0] == "http://www.w3.org/ns/csvw"
    assert metadata["url"] == "klachtoordelen-2024-Q3.csv"
    assert metadata["dc:temporal"] == "2024-07-01/2024-09-30"
    assert metadata["tableSchema"]["primaryKey"] == "kenmerk"  # klacht_id is unique in the register
    columns = metadata["tableSchema"]["columns"]
    assert [c["titles"] for c in columns] == header
    assert len({c["name"] for c in columns}) == len(columns)
    for column in columns:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", column["name"])
        assert column["dc:title"] == column["titles"]
        assert column["dc:description"] and column["datatype"]
    for row in csv_rows(files["klachtoordelen-2024-Q3.csv"]):
        for column in columns:
            if column["datatype"] == "date":
                date.fromisoformat(row[column["titles"]])


def test_csv_is_utf8_without_bom_with_dutch_headers(tmp_path):
    o = overview([{"datum_afgehandeld": "2024-07-01", "aard": "communicatie en bejegening"}], Settings())
    csv_path = overview_paths(tmp_path, Q3)[1]
    content = files_of(o, tmp_path)[csv_path.name].encode("utf-8")
    assert not content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8").splitlines()[0] == (
        "Soort klacht,Datum ontvangst,Organisatieonderdeel,Datum afhandeling,Wijze van afhandeling,Oordeel"
    )


# --------------------------------------------------------------------------- the command


def test_woo_command_writes_page_csv_and_metadata_and_prints_the_page_last(tmp_path):
    result = CliRunner().invoke(app, ["woo", "--periode", "2024-Q3", "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    html, csv_path, metadata = overview_paths(tmp_path, Q3)
    assert result.stdout.strip().splitlines()[-1] == str(html)
    assert html.is_file() and csv_path.is_file() and metadata.is_file()
    assert html.parent == tmp_path / "woo"


@pytest.mark.parametrize("args", [["--periode", "2024-Q5"], [], ["--jaar", "2024", "--van", "2024-01-01"]])
def test_woo_command_with_a_bad_period_is_a_dutch_usage_error(tmp_path, args):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "klachtlib", "woo", *args, "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=config.PROJECT_DIR,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Fout: Ongeldige waarde voor periode:")
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir())


def test_same_register_gives_byte_identical_files(tmp_path):
    first = make_woo_overview(config.DATA_DIR, tmp_path / "a", Q3).path.parent
    second = make_woo_overview(config.DATA_DIR, tmp_path / "b", Q3).path.parent
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir()) and len(names) == 4  # with the list of them
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


# --------------------------------------------------------------------------- the page in a browser


def test_woo_page_is_accessible_and_self_contained(tmp_path):
    from browser import audit_html, require_browser

    require_browser()
    html = make_woo_overview(config.DATA_DIR, tmp_path, parse_period(jaar=2024)).path
    page = html.read_text(encoding="utf-8")
    assert '<html lang="nl">' in page and "<script" not in page
    result = audit_html(html)
    assert not result.violations, result.report()
    assert not result.external_requests
    assert result.headings[0] == 1


def test_readme_explains_the_overview_its_legal_basis_and_every_column():
    readme = (config.PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    woo_part = readme.split("### Woo-overzicht van klachtoordelen", 1)[1].split("\n## ", 1)[0]
    assert "artikel 3.3, tweede lid, onder l" in woo_part
    assert "beslist de gemeente zelf" in woo_part
    for column in (ID_COLUMN, *COLUMNS):
        assert column.title in woo_part, column.title
    assert "kenmerk_tonen" in woo_part and "minimum" in woo_part and "--woo" in woo_part


def test_data_values_are_escaped_on_the_page_and_exact_in_the_csv(tmp_path):
    evil = "<script>alert(1)</script> & <b>Co</b>"
    files = files_of(overview([{"team": evil, "aard": evil, "datum_afgehandeld": "2024-07-01"}]), tmp_path)
    page = files["klachtoordelen-2024-Q3.html"]
    assert (
        "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in page
    )
    row = csv_rows(files["klachtoordelen-2024-Q3.csv"])[0]
    assert row["Organisatieonderdeel"] == evil and row["Soort klacht"] == evil


def test_a_period_that_has_not_ended_says_so():
    o = woo_overview(
        make_register([{"datum_afgehandeld": "2024-07-01"}]), SHOW_ID, Q3, today=date(2024, 8, 15)
    )
    assert o.ongoing
    page = visible(files_of(o, Path("/nonexistent"))["klachtoordelen-2024-Q3.html"])
    assert "Deze periode is nog niet voorbij" in page
    assert not overview([{"datum_afgehandeld": "2024-07-01"}]).ongoing


def test_woo_command_for_a_period_before_the_register_is_a_data_error_writing_nothing(tmp_path):
    result = CliRunner().invoke(app, ["woo", "--jaar", "2010", "--output-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "het register bevat niets van vóór het einde van de periode" in result.stderr
    assert not any(tmp_path.iterdir())


def test_woo_settings_in_klachten_toml_reach_the_overview(tmp_path):
    """[woo] as the coordinator writes it: the identifier shown, small combinations generalised."""
    import shutil

    shutil.copytree(config.DATA_DIR, tmp_path / "data")
    toml = tmp_path / "data" / "klachten.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + "\n[woo]\nkenmerk_tonen = true\nminimum = 2\n", encoding="utf-8"
    )
    data = load_data_folder(tmp_path / "data")
    assert (data.settings.woo_show_id, data.settings.woo_minimum) == (True, 2)
    o = woo_overview(data.register, data.settings, Q3, today=TODAY)
    rows = csv_rows(files_of(o, tmp_path / "out")["klachtoordelen-2024-Q3.csv"])
    assert all(row["Kenmerk"].startswith("KL-2024-") for row in rows)
    pairs = pd.Series([(r["Organisatieonderdeel"], r["Soort klacht"]) for r in rows]).value_counts()
    singles = [pair for pair, n in pairs.items() if n == 1 and pair[1] not in ("overig", "niet vastgelegd")]
    assert singles == [] and "overig" in {r["Soort klacht"] for r in rows}


# --------------------------------------------------------------------------- what each page counts by


def test_the_woo_page_says_it_counts_by_date_closed(tmp_path):
    o = overview([{"datum_ontvangst": "2024-03-01", "datum_afgehandeld": "2024-03-10"}])
    page = visible(files_of(o, tmp_path)["klachtoordelen-2024-Q3.html"])
    assert "Dit overzicht telt de klachten naar de datum van afhandeling" in page


def test_the_sample_2024_woo_page_names_the_year_reports_figure_counted_by_date_received(tmp_path):
    """Woo 2024: 51 closed in 2024 (34 informal, 17 formal); the year report: 50 received in 2024
    and handled (35 and 15)."""
    written = make_woo_overview(config.DATA_DIR, tmp_path, parse_period(jaar=2024))
    page = visible(written.path.read_text("utf-8"))
    assert "In deze periode zijn 51 klachten afgehandeld: 34 informeel en 17 formeel." in page
    assert (
        "Het Jaarverslag klachtenbehandeling 2024 telt naar de datum van ontvangst en noemt daarom 50 "
        "inhoudelijk afgehandelde klachten: 35 informeel en 15 formeel." in page
    )


def test_the_woo_page_is_silent_about_the_report_when_both_count_the_same():
    row = {"datum_ontvangst": "2024-07-02", "datum_afgehandeld": "2024-07-20", "behandeling": "informeel"}
    o = overview([row])
    assert len(o.rows) == 1 and o.report_counts == {"afgehandeld": 1, "informeel": 1}
    assert report_difference_sentence(o) is None


def test_a_van_tot_period_has_no_report_to_name():
    period = parse_period(van="2024-07-01", tot="2024-08-15", today=TODAY)
    o = overview([{"datum_ontvangst": "2024-07-02", "datum_afgehandeld": "2024-07-20"}], period=period)
    assert o.report_counts is None and report_difference_sentence(o) is None
