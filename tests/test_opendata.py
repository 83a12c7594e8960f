"""The year's figures as open data: `jaarcijfers-klachten-<jaar>.csv` and its CSVW metadata,
written by `klachten report` beside the page, with the page's own numbers."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import register_row, write_register_file
from registers import make_register

from klachtlib import config
from klachtlib.delivery.opendata import year_files, year_rows
from klachtlib.delivery.pipeline import make_year_report
from klachtlib.domain.counts import year_figures
from klachtlib.domain.measure_counts import measure_figures
from klachtlib.reading.register import load_data_folder
from klachtlib.reading.settings import Settings

NO_CONTACTS = pd.DataFrame(
    {"jaar": pd.Series(dtype="int64"), "kanaal": [], "aantal": pd.Series(dtype="Int64")}
)


def figures_of(rows, year: int = 2024):
    return year_figures(make_register(rows), NO_CONTACTS, Settings(), year)


def value(frame: pd.DataFrame, topic: str, category: str = "", year: int = 2024):
    found = frame[(frame["onderwerp"] == topic) & (frame["categorie"] == category) & (frame["jaar"] == year)]
    assert len(found) == 1, (topic, category, year, found)
    return found["waarde"].iloc[0]


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --------------------------------------------------------------------------- the rows


def test_year_rows_hold_the_headline_figures_and_the_breakdowns():
    rows = year_rows(
        figures_of(
            [
                {
                    "team": "Belastingen",
                    "behandeling": "formeel",
                    "oordeel": "gegrond",
                    "datum_afgehandeld": "2024-03-10",
                },
                {"team": "Belastingen", "behandeling": "informeel", "datum_afgehandeld": "2024-06-01"},
                {"team": "Zorg", "behandeling": "informeel", "datum_afgehandeld": "2024-03-05"},
                {"status": "ingetrokken", "reden": "De klacht betrof een melding"},
                {"status": "in behandeling"},
                {"status": "voorkomen"},
                {"datum_ontvangst": "2023-05-01", "datum_afgehandeld": "2023-05-02"},
            ]
        )
    )
    assert value(rows, "ontvangen") == 5
    assert value(rows, "afgehandeld") == 3
    assert value(rows, "niet_afgehandeld") == 1
    assert value(rows, "in_behandeling") == 1
    assert value(rows, "voorkomen") == 1
    assert value(rows, "niet_afgehandeld_per_reden", "De klacht betrof een melding") == 1
    assert value(rows, "afgehandeld_per_team", "Belastingen") == 2
    assert value(rows, "afgehandeld_per_team", "Zorg") == 1
    assert value(rows, "wijze_van_afhandeling", "informeel") == 2
    assert value(rows, "wijze_van_afhandeling", "formeel") == 1
    assert value(rows, "oordeel", "gegrond") == 1
    assert value(rows, "oordeel", "ongegrond") == 0
    assert value(rows, "afgehandeld_met_datum") == 3
    assert value(rows, "binnen_termijn") == 2  # 9 and 4 days; 92 days is late
    assert value(rows, "binnen_termijn_procent") == Decimal("66.7")
    assert value(rows, "ontvangen", year=2023) == 1  # the trend: earlier years
    assert value(rows, "afgehandeld", year=2023) == 1


def test_figures_the_register_does_not_record_are_empty_not_zero(tmp_path):
    figures = figures_of([{"behandeling": None, "datum_afgehandeld": None}, {"behandeling": None}])
    rows = year_rows(figures)
    assert value(rows, "wijze_van_afhandeling", "informeel") is None
    assert value(rows, "wijze_van_afhandeling", "formeel") is None
    assert value(rows, "wijze_van_afhandeling", "niet vastgelegd") == 2
    assert value(rows, "binnen_termijn") is None
    assert value(rows, "binnen_termijn_procent") is None
    assert value(rows, "mediane_behandelduur") is None
    written = read_csv(
        dict((p.name, t) for p, t in year_files(figures, tmp_path))["jaarcijfers-klachten-2024.csv"]
    )
    within = next(r for r in written if r["Onderwerp"] == "binnen_termijn")
    assert within["Waarde"] == ""


def test_channels_without_contact_data_are_listed_with_an_empty_value():
    contacts = pd.DataFrame(
        {
            "jaar": [2024, 2024],
            "kanaal": ["brief", "telefoon"],
            "aantal": pd.array([200, None], dtype="Int64"),
        }
    )
    register = make_register([{"kanaal": "brief"}, {"kanaal": "telefoon"}])
    rows = year_rows(year_figures(register, contacts, Settings(), 2024))
    assert value(rows, "klantcontacten", "brief") == 200
    assert value(rows, "klachten_per_kanaal", "brief") == 1
    assert value(rows, "klachten_per_1000_contacten", "brief") == Decimal("5.0")
    assert value(rows, "klantcontacten", "telefoon") is None


def test_year_metadata_is_csvw_json_naming_every_csv_column(tmp_path):
    folder = load_data_folder(config.DATA_DIR)
    files = {
        p.name: t
        for p, t in year_files(
            year_figures(folder.register, folder.contacts, folder.settings, 2024), tmp_path
        )
    }
    metadata = json.loads(files["jaarcijfers-klachten-2024.csv-metadata.json"])
    header = next(csv.reader(io.StringIO(files["jaarcijfers-klachten-2024.csv"])))
    assert metadata["@context"][0] == "http://www.w3.org/ns/csvw"
    assert metadata["url"] == "jaarcijfers-klachten-2024.csv"
    columns = metadata["tableSchema"]["columns"]
    assert (
        [c["titles"] for c in columns]
        == header
        == ["Jaar", "Onderwerp", "Omschrijving", "Categorie", "Waarde", "Eenheid"]
    )
    for column in columns:
        assert column["dc:title"] == column["titles"] and column["dc:description"] and column["datatype"]
    for row in read_csv(files["jaarcijfers-klachten-2024.csv"]):
        assert re.fullmatch(r"\d{4}", row["Jaar"])
        assert row["Waarde"] == "" or re.fullmatch(r"\d+(\.\d)?", row["Waarde"]), row


def test_year_csv_never_holds_personal_free_text_or_learning_point_canaries(tmp_path):
    rows = [register_row(klacht_id=f"K-{n}", team=f"Team {n % 2}") for n in range(1, 5)]
    canaries = []
    for n, row in enumerate(rows):
        for column in ("Naam klager", "Omschrijving", "BSN", "E-mail"):
            row[column] = f"kanarie{column.replace(' ', '')}{n}x"
            canaries.append(row[column])
        row["leerpunt"] = f"kanarieleerpunt{n}x"
        canaries.append(row["leerpunt"])
    write_register_file(tmp_path, rows)
    folder = load_data_folder(tmp_path)
    files = year_files(
        year_figures(folder.register, folder.contacts, folder.settings, 2024), tmp_path / "uit"
    )
    assert len(files) == 2
    for path, content in files:
        assert "Team 1" in content or path.suffix == ".json"
        leaked = [c for c in canaries if c in content]
        assert not leaked, f"{path.name}: {leaked}"


# --------------------------------------------------------------------------- written by `klachten report`


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> Path:
    return make_year_report(config.DATA_DIR, tmp_path_factory.mktemp("opendata"), 2024).path


def test_report_writes_the_figures_beside_the_page_the_same_bytes_as_computed_afresh(sample_report):
    folder = load_data_folder(config.DATA_DIR)
    fresh = year_files(
        year_figures(folder.register, folder.contacts, folder.settings, 2024),
        sample_report.parent,
        measure_figures(folder.measures, 2024),  # the sample has maatregelen.csv
    )
    for path, content in fresh:
        assert path.read_bytes() == content.encode("utf-8"), path.name


def _table(soup: BeautifulSoup, caption_start: str) -> list[list[str]]:
    table = next(t for t in soup.find_all("table") if t.caption.get_text().startswith(caption_start))
    return [
        [" ".join(c.get_text().split()) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")
    ][1:]


def _number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def test_open_data_figures_are_the_numbers_on_the_page(sample_report):
    """Read the page (tables and sentences) and the CSV, and compare every figure both show."""
    soup = BeautifulSoup(sample_report.read_text(encoding="utf-8"), "html.parser")
    page_text = " ".join(soup.body.get_text(" ").split())
    csv_path = sample_report.with_name("jaarcijfers-klachten-2024.csv")
    data = {
        (int(r["Jaar"]), r["Onderwerp"], r["Categorie"]): r["Waarde"]
        for r in read_csv(csv_path.read_text("utf-8"))
    }

    def figure(topic: str, category: str = "", year: int = 2024) -> Decimal:
        return Decimal(data[(year, topic, category)])

    trend = _table(soup, "Aantal klachten per jaar")
    assert len(trend) == 2
    for year, received, not_handled, prevented in trend:
        assert figure("ontvangen", year=int(year)) == _number(received)
        assert figure("niet_afgehandeld", year=int(year)) == _number(not_handled)
        assert figure("voorkomen", year=int(year)) == _number(prevented)
    per_team = _table(soup, "Afgehandelde klachten per team")  # team, 2024, 2023, verschil, gegrond
    assert sum(_number(row[1]) for row in per_team) == figure("afgehandeld") == 50
    for team, count, previous, *_ in per_team:
        assert figure("afgehandeld_per_team", team) == _number(count)
        assert figure("afgehandeld_per_team", team, 2023) == _number(previous)
    balance = dict(_table(soup, "Openstaande, ontvangen en afgesloten klachten"))
    assert figure("open_begin") == _number(balance["Open op 1 januari 2024"])
    assert figure("afgesloten") == _number(balance["Afgesloten in 2024"])
    assert figure("open_eind") == _number(balance["Open op 31 december 2024"])
    for cluster, count in _table(soup, "(Deels) gegronde klachten met een geschonden norm per cluster"):
        assert figure("klachten_per_cluster", cluster.lower()) == _number(count)
    for norm, _, count in _table(soup, "Geschonden behoorlijkheidsnormen"):
        assert figure("klachten_per_norm", norm) == _number(count)
    assert figure("klachten_per_10000_inwoners") == Decimal("18.5")
    assert "18,5 klachten per 10.000 inwoners" in page_text
    for verdict, count in _table(soup, "Oordeel over de afgehandelde klachten"):
        assert figure("oordeel", verdict.lower()) == _number(count)
    contacts = _table(soup, "Klachten per 1.000 klantcontacten per kanaal")
    assert len(contacts) == 4
    for channel, year, complaints, volume, per_1000 in contacts:
        assert figure("klachten_per_kanaal", channel.lower(), int(year)) == _number(complaints)
        assert figure("klantcontacten", channel.lower(), int(year)) == _number(volume)
        assert figure("klachten_per_1000_contacten", channel.lower(), int(year)) == _number(per_1000)
    for bullet in soup.find_all("li"):
        if found := re.fullmatch(r"(.+) \((\d+)x\)[;.]", bullet.get_text().strip()):
            assert figure("niet_afgehandeld_per_reden", found[1]) == int(found[2])
    treatment = re.search(
        r"Van de (\d+) afgehandelde klachten zijn er (\d+) informeel en (\d+) formeel", page_text
    )
    assert treatment, page_text
    assert figure("wijze_van_afhandeling", "informeel") == int(treatment[2])
    assert figure("wijze_van_afhandeling", "formeel") == int(treatment[3])
    within = re.search(
        r"is (\d+(?:,\d)?)% binnen de wettelijke termijn afgehandeld \((\d+) klachten", page_text
    )
    assert within, page_text
    assert figure("binnen_termijn_procent") == _number(within[1])
    assert figure("binnen_termijn") == int(within[2])
    median = re.search(
        r"mediane behandelduur van de afgehandelde klachten was (\d+(?:,\d)?) dagen", page_text
    )
    assert median and figure("mediane_behandelduur") == _number(median[1])
