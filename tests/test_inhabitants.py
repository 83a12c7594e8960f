"""Per 10,000 inhabitants and peers (shared/spec/report.md, "Beyond the seed"): `[inwoners]` gives
complaints per 10,000 inhabitants (one decimal); `vergelijking.csv` a peer comparison with its
source named, checked like the register; nothing is shown without the data."""

from __future__ import annotations

import pytest
from conftest import register_row, write_register_file
from registers import NO_CONTACTS, make_register

from klachtlib.domain import counts
from klachtlib.errors import DataError
from klachtlib.presentation import keyfigures, text
from klachtlib.presentation.report import YearReport, peer_table
from klachtlib.reading.register import load_data_folder
from klachtlib.reading.settings import Settings

HEADER = "gemeente,jaar,klachten,inwoners,bron\n"


def folder(tmp_path, toml: str = "", comparison: str | None = None, complaints: int = 7):
    rows = [register_row(klacht_id=f"K-{n}") for n in range(complaints)]
    rows += [register_row(klacht_id=f"V-{n}", datum_ontvangst="2023-05-01") for n in range(9)]
    write_register_file(tmp_path, rows)
    if toml:
        (tmp_path / "klachten.toml").write_text(toml, encoding="utf-8")
    if comparison is not None:
        (tmp_path / "vergelijking.csv").write_text(comparison, encoding="utf-8")
    return tmp_path


def report(data_dir) -> YearReport:
    return YearReport.from_folder(load_data_folder(data_dir), data_dir, 2024)


# --------------------------------------------------------------------------- [inwoners]


def test_complaints_per_10000_inhabitants_have_one_decimal():
    settings = Settings(inhabitants={2024: 34512})
    figures = counts.year_figures(make_register([{}] * 64), NO_CONTACTS, settings, 2024)
    assert figures.per_10000 == pytest.approx(18.544, abs=1e-3)
    assert text.per_inhabitants_sentence(figures) == (
        "In 2024 ontving de gemeente 18,5 klachten per 10.000 inwoners (64 klachten op 34.512 inwoners "
        "in 2024)."
    )


def test_without_inhabitants_for_the_year_there_is_no_rate_and_no_section(tmp_path):
    data = folder(tmp_path, "[inwoners]\n2023 = 30000\n")
    result = report(data)
    assert result.figures.per_10000 is None and result.inhabitants_html() == ""


def test_the_rate_is_compared_with_last_year_and_is_a_key_figure(tmp_path):
    result = report(folder(tmp_path, "[inwoners]\n2023 = 30000\n2024 = 35000\n"))
    assert "In 2023 was dat 3,0." in result.inhabitants_html()
    rows = {r.label: r for r in keyfigures.report_rows(result.folder, result.figures)}
    rate = rows["Klachten per 10.000 inwoners"]
    assert (rate.value, rate.previous) == ("2,0", "3,0")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('"twintig24" = 5000', "'twintig24' is geen jaartal"),
        ("2024 = 0", "moet een aantal inwoners zijn"),
        ('2024 = "34.512"', "moet een aantal inwoners zijn"),
        ("2024 = 12.5", "moet een aantal inwoners zijn"),
    ],
)
def test_a_wrong_inwoners_line_is_an_error_naming_its_line(tmp_path, line, message):
    with pytest.raises(DataError) as raised:
        load_data_folder(folder(tmp_path, f"# inwoners\n[inwoners]\n{line}\n"))
    (problem,) = raised.value.errors
    assert problem.file.endswith("klachten.toml") and problem.row == 3 and message in problem.message


# --------------------------------------------------------------------------- vergelijking.csv


PEERS = HEADER + (
    "Gemeente Noordwaard,2024,41,28730,Jaarverslag 2024 Noordwaard\n"
    "Gemeente Zuiderveld,2024,88,45.120,Jaarverslag 2024 Zuiderveld\n"
    "Gemeente Noordwaard,2023,45,28650,Jaarverslag 2023 Noordwaard\n"
)


def test_the_peers_of_the_year_stand_beside_the_municipality_with_their_sources(tmp_path):
    result = report(folder(tmp_path, "[inwoners]\n2024 = 35000\n", PEERS))
    table = peer_table(result)
    assert table["gemeente"].tolist() == ["Eigen gemeente", "Gemeente Noordwaard", "Gemeente Zuiderveld"]
    assert table["per_10000"].round(1).tolist() == [2.0, 14.3, 19.5]
    html = result.inhabitants_html()
    assert "Bronnen van hun cijfers: Jaarverslag 2024 Noordwaard; Jaarverslag 2024 Zuiderveld." in html
    chart = result.peers_chart
    assert chart is not None and list(chart.table.columns)[-1] == "Bron"
    assert chart.alt == (
        "Staafdiagram van het aantal klachten per 10.000 inwoners in 2024, per gemeente: "
        "Gemeente Zuiderveld 19,5; Gemeente Noordwaard 14,3; Eigen gemeente 2,0."
    )


def test_without_own_inhabitants_the_peers_are_not_shown_and_the_coordinator_is_warned(tmp_path):
    result = report(folder(tmp_path, comparison=PEERS))
    assert result.inhabitants_html() == "" and result.peers_chart is None
    assert any("inwoners van de eigen gemeente in 2024 ontbreekt" in w.message for w in result.warnings)


def test_peers_of_other_years_only_are_not_shown_and_the_coordinator_is_warned(tmp_path):
    result = report(folder(tmp_path, "[inwoners]\n2024 = 35000\n", HEADER + "Gemeente A,2022,5,1000,X\n"))
    assert result.peers_chart is None and "Ter vergelijking" not in result.inhabitants_html()
    assert any("geen gemeenten uit 2024" in w.message for w in result.warnings)


def test_every_problem_in_vergelijking_csv_is_named_with_row_and_column(tmp_path):
    bad = HEADER + (
        "Gemeente A,2024,12,5000,\n"  # no source
        ",24,x,0,Bron\n"  # no name, bad year, count and inhabitants
        "Gemeente B,2024,3,1000,Bron\n"
        "gemeente b,2024,4,1000,Bron\n"  # the same municipality and year twice
    )
    with pytest.raises(DataError) as raised:
        load_data_folder(folder(tmp_path, comparison=bad))
    found = {(p.row, p.column) for p in raised.value.errors}
    assert found == {
        (2, "bron"),
        (3, "gemeente"),
        (3, "jaar"),
        (3, "klachten"),
        (3, "inwoners"),
        (5, "gemeente"),
    }
    assert all(p.file.endswith("vergelijking.csv") for p in raised.value.errors)
    (source,) = [p for p in raised.value.errors if p.column == "bron"]
    assert "Noem waar het cijfer vandaan komt" in source.hint


def test_a_vergelijking_csv_without_a_required_column_is_an_error(tmp_path):
    with pytest.raises(DataError, match="de verplichte kolom 'bron' ontbreekt"):
        load_data_folder(folder(tmp_path, comparison="gemeente,jaar,klachten,inwoners\nA,2024,1,100\n"))
