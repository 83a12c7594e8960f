"""`maatregelen.csv` (issue 23): read like the register, forgiving about form and strict about
meaning; one test per rule of `klachtlib.reading.measures`, each with a small register written inline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import register_row, write_register_file
from typer.testing import CliRunner

from klachtlib.delivery.cli import app
from klachtlib.errors import DataError
from klachtlib.reading.register import DataFolder, load_data_folder

TODAY = date(2025, 3, 1)
HEADER = "team;leerpunt;klacht_id;jaar;maatregel;eigenaar;status;datum_afgerond"


def register_rows() -> list[dict[str, str]]:
    """Three learning points: one of 2023 (Burgerzaken, renamed in klachten.toml), two of 2024."""
    return [
        register_row(klacht_id="K-1", datum_ontvangst="2023-05-01", datum_afgehandeld="2023-05-10",
                     team="Burgerzaken", leerpunt="Eerder terugbellen"),
        register_row(klacht_id="K-2", datum_ontvangst="2024-03-05", team="Publiekszaken",
                     leerpunt="Brief in eenvoudige taal"),
        register_row(klacht_id="K-3", datum_ontvangst="2024-04-01", datum_afgehandeld="2024-04-10",
                     team="Belastingen", leerpunt="Eerder terugbellen"),
        register_row(klacht_id="K-4", datum_ontvangst="2024-06-01", datum_afgehandeld="2024-06-10",
                     team="Belastingen"),
    ]  # fmt: skip


def read(
    tmp_path: Path, *lines: str, header: str = HEADER, toml: str = "", encoding: str = "utf-8"
) -> DataFolder:
    write_register_file(tmp_path, register_rows())
    (tmp_path / "klachten.toml").write_text(
        '[teams]\n"Burgerzaken" = "Publiekszaken"\n' + toml, encoding="utf-8"
    )
    text = "\n".join([header, *lines]) + "\n"
    (tmp_path / "maatregelen.csv").write_bytes(text.encode(encoding))
    return load_data_folder(tmp_path, today=TODAY)


def errors(tmp_path: Path, *lines: str, **kwargs) -> list[str]:
    """The errors, with file names relative to the data folder."""
    with pytest.raises(DataError) as caught:
        read(tmp_path, *lines, **kwargs)
    return [str(p).replace(f"{tmp_path}/", "") for p in caught.value.errors]


def warnings_about_measures(folder: DataFolder, tmp_path: Path) -> list[str]:
    return [str(p).replace(f"{tmp_path}/", "") for p in folder.warnings if p.file.endswith("maatregelen.csv")]


def only(folder: DataFolder) -> pd.Series:
    assert folder.measures is not None and len(folder.measures) == 1
    return folder.measures.iloc[0]


# --------------------------------------------------------------------------- form


def test_without_the_file_there_are_no_measures(tmp_path):
    write_register_file(tmp_path, register_rows())
    assert load_data_folder(tmp_path, today=TODAY).measures is None


def test_headers_are_folded_separator_and_windows_1252_are_accepted(tmp_path):
    header = "Team,Leerpunt,Klacht ID,Jaar,Maatregel,Eigenaar,STATUS,Datum-afgerond"
    folder = read(tmp_path, "Belastingen,,K-3,,Uitleg op de website,Coördinator,Afgerond,5-2-2025",
                  header=header, encoding="cp1252")  # fmt: skip
    measure = only(folder)
    assert (measure["team"], measure["klacht_id"], measure["eigenaar"]) == (
        "Belastingen",
        "K-3",
        "Coördinator",
    )
    assert (measure["status"], measure["datum_afgerond"]) == ("afgerond", pd.Timestamp("2025-02-05"))


def test_headers_and_statuses_of_the_coordinators_own_list_are_mapped_in_klachten_toml(tmp_path):
    toml = '[maatregelen.kolommen]\n"Verbetermaatregel" = "maatregel"\n"Gereed op" = "datum_afgerond"\n'
    toml += '[maatregelen.status]\n"Gereed" = "afgerond"\n"Loopt" = "in uitvoering"\n'
    header = "team;klacht_id;Verbetermaatregel;status;Gereed op"
    folder = read(tmp_path, "Belastingen;K-3;Uitleg;Gereed;2025-01-10", "Belastingen;K-3;Folder;Loopt;",
                  header=header, toml=toml)  # fmt: skip
    assert folder.measures["maatregel"].tolist() == ["Uitleg", "Folder"]
    assert folder.measures["status"].tolist() == ["afgerond", "in uitvoering"]


def test_an_unknown_mapping_in_maatregelen_kolommen_is_an_error_with_its_line(tmp_path):
    found = errors(
        tmp_path, "Belastingen;;K-3;;Uitleg;;open;", toml='[maatregelen.kolommen]\n"Actie" = "actie"\n'
    )
    assert found == [
        "Fout in klachten.toml, regel 4, kolom 'maatregelen': [maatregelen.kolommen] \"Actie\" moet een "
        "kolom van maatregelen.csv zijn, niet 'actie'. Toegestaan: team, leerpunt, klacht_id, "
        'jaar, maatregel, eigenaar, status, datum_afgerond. Bijvoorbeeld: "Verbetermaatregel" = "maatregel"'
    ]


def test_columns_beyond_the_known_ones_are_never_read(tmp_path):
    folder = read(tmp_path, "Belastingen;;K-3;;Uitleg;;open;;KANARIE-OPMERKING", header=HEADER + ";Opmerking")
    assert "KANARIE-OPMERKING" not in folder.measures.to_string()
    assert list(folder.measures.columns) == [
        "regel", "team", "leerpunt", "klacht_id", "jaar", "maatregel", "eigenaar", "status", "datum_afgerond"
    ]  # fmt: skip


def test_a_missing_required_column_is_an_error_at_the_header(tmp_path):
    found = errors(tmp_path, "Belastingen;K-3;open", header="team;klacht_id;status")
    assert found == [
        "Fout in maatregelen.csv, regel 1, kolom 'maatregel': de kolom 'maatregel' (wat er "
        "wordt gedaan) ontbreekt. Voeg de kolom toe; of koppel de kopnaam in klachten.toml onder "
        '[maatregelen.kolommen], bijvoorbeeld: "Verbetermaatregel" = "maatregel".'
    ]


def test_a_header_only_file_is_an_error(tmp_path):
    assert errors(tmp_path) == [
        "Fout in maatregelen.csv, regel 1: het bestand bevat alleen een kopregel en geen "
        "maatregelen. Vul de maatregelen in, of haal het bestand weg: zonder bestand zegt het verslag niets "
        "over maatregelen."
    ]


def test_a_folder_named_maatregelen_csv_is_a_dutch_error(tmp_path):
    write_register_file(tmp_path, register_rows())
    (tmp_path / "maatregelen.csv").mkdir()
    with pytest.raises(DataError, match="het bestand kan niet worden gelezen: dit is een map"):
        load_data_folder(tmp_path, today=TODAY)


def test_a_measures_list_in_another_format_is_named_not_read(tmp_path):
    write_register_file(tmp_path, register_rows())
    (tmp_path / "maatregelen.xlsx").write_bytes(b"PK\x03\x04")
    folder = load_data_folder(tmp_path, today=TODAY)
    assert folder.measures is None
    assert [str(p).replace(f"{tmp_path}/", "") for p in folder.warnings] == [
        "Waarschuwing in maatregelen.xlsx: dit bestand wordt niet gelezen: alleen "
        "maatregelen.csv (CSV) wordt als overzicht van maatregelen gelezen. Sla het op als CSV met de naam "
        "maatregelen.csv."
    ]


# --------------------------------------------------------------------------- required values


def test_maatregel_and_status_are_required(tmp_path):
    found = errors(tmp_path, "Belastingen;;K-3;;;;;")
    assert found == [
        "Fout in maatregelen.csv, regel 2, kolom 'maatregel': maatregel is leeg. Beschrijf wat er wordt "
        "gedaan.",
        "Fout in maatregelen.csv, regel 2, kolom 'status': status is leeg. Vul een van deze statussen in: "
        "open, in uitvoering, afgerond.",
    ]


def test_an_unknown_status_is_an_error_with_the_line_for_klachten_toml(tmp_path):
    assert errors(tmp_path, "Belastingen;;K-3;;Uitleg;;klaar;") == [
        "Fout in maatregelen.csv, regel 2, kolom 'status': onbekende waarde 'klaar' voor status. "
        "Toegestaan: open, in uitvoering, afgerond. Voeg anders in klachten.toml onder [maatregelen.status] "
        'toe: "klaar" = "<status>"'
    ]


def test_a_measure_follows_up_a_learning_point_or_a_complaint(tmp_path):
    assert errors(tmp_path, "Belastingen;;;2024;Uitleg;;open;") == [
        "Fout in maatregelen.csv, regel 2, kolom 'leerpunt': leerpunt en klacht_id zijn allebei "
        "leeg: onduidelijk bij welk leerpunt deze maatregel hoort. Vul het leerpunt in, of de klacht "
        "(klacht_id) waar het leerpunt bij hoort."
    ]


# --------------------------------------------------------------------------- the year of a measure


def test_a_measure_belongs_to_the_year_its_complaint_was_received(tmp_path):
    measure = only(read(tmp_path, "Publiekszaken;;K-1;;Terugbelrooster;;open;"))
    assert (measure["jaar"], measure["leerpunt"]) == (2023, "Eerder terugbellen")  # the complaint's point


def test_without_a_complaint_the_jaar_column_places_a_measure(tmp_path):
    assert only(read(tmp_path, "Belastingen;Nieuwe folder;;2024;Folder;;open;"))["jaar"] == 2024


def test_a_learning_point_the_register_holds_in_one_year_places_the_measure(tmp_path):
    measure = only(read(tmp_path, "Belastingen;eerder  TERUGBELLEN;;;Terugbelrooster;;open;"))
    assert (measure["jaar"], measure["team"]) == (2024, "Belastingen")


def test_a_learning_point_in_several_years_needs_jaar_or_klacht_id(tmp_path):
    assert errors(tmp_path, ";Eerder terugbellen;;;Terugbelrooster;;open;") == [
        "Fout in maatregelen.csv, regel 2, kolom 'jaar': het jaar van deze maatregel is onbekend: het "
        "leerpunt staat in meer dan één jaar in het register (2023, 2024). Vul jaar in (het jaar van het "
        "leerpunt), of klacht_id (de klacht waar het leerpunt bij hoort).",
        "Fout in maatregelen.csv, regel 2, kolom 'team': team is leeg en volgt niet eenduidig "
        "uit de klacht of het leerpunt. Vul het team in dat de maatregel uitvoert.",
    ]


def test_a_jaar_that_contradicts_the_complaint_is_an_error(tmp_path):
    assert errors(tmp_path, "Belastingen;;K-3;2023;Uitleg;;open;") == [
        "Fout in maatregelen.csv, regel 2, kolom 'jaar': jaar 2023 klopt niet met klacht K-3, "
        "ontvangen in 2024. Maak jaar leeg (het jaar volgt dan uit de klacht) of verbeter een van beide."
    ]


@pytest.mark.parametrize("year", ["24", "twintig", "2026"])
def test_a_jaar_that_is_no_year_or_in_the_future_is_an_error(tmp_path, year):
    (found,) = errors(tmp_path, f"Belastingen;Folder;;{year};Folder;;open;")
    assert "kolom 'jaar'" in found and ("geen geldig jaartal" in found or "ligt in de toekomst" in found)


def test_an_unknown_complaint_with_a_jaar_is_a_warning_naming_it(tmp_path):
    folder = read(tmp_path, "Belastingen;Folder;K-OUD;2023;Folder;;open;")
    assert only(folder)["jaar"] == 2023
    assert warnings_about_measures(folder, tmp_path) == [
        "Waarschuwing in maatregelen.csv, regel 2, kolom 'klacht_id': klacht_id K-OUD staat niet in het "
        "klachtenregister; de maatregel telt mee in het jaar uit de kolom jaar. Controleer het kenmerk."
    ]


def test_an_unknown_complaint_without_jaar_is_an_error(tmp_path):
    assert errors(tmp_path, "Belastingen;;K-9;;Folder;;open;") == [
        "Fout in maatregelen.csv, regel 2, kolom 'klacht_id': klacht_id K-9 staat niet in het "
        "klachtenregister. Controleer het kenmerk, of vul jaar in (het jaar van het leerpunt) als de klacht "
        "niet in deze export staat."
    ]


# --------------------------------------------------------------------------- teams


def test_without_a_team_the_measure_is_the_complaints_teams(tmp_path):
    assert only(read(tmp_path, ";;K-2;;Brief herschrijven;;open;"))["team"] == "Publiekszaken"


def test_team_names_follow_teams_renames_and_the_registers_spelling(tmp_path):
    folder = read(tmp_path, "Burgerzaken;;K-1;;Rooster;;open;", "BELASTINGEN;;K-3;;Uitleg;;open;")
    assert folder.measures["team"].tolist() == ["Publiekszaken", "Belastingen"]


def test_a_team_the_register_does_not_know_is_a_warning_and_still_counts(tmp_path):
    folder = read(tmp_path, "Belastingn;;K-3;;Uitleg;;open;")
    assert only(folder)["team"] == "Belastingn"
    assert warnings_about_measures(folder, tmp_path) == [
        "Waarschuwing in maatregelen.csv, regel 2, kolom 'team': team 'Belastingn' komt in het "
        "klachtenregister niet voor; de maatregel telt mee, maar staat in geen teamoverzicht. Bedoelt u "
        "'Belastingen'? Gebruik de teamnaam uit het register, of koppel de naam in klachten.toml onder "
        "[teams]."
    ]


def test_a_measure_without_team_or_complaint_is_an_error(tmp_path):
    assert errors(tmp_path, ";Folder;;2024;Folder;;open;") == [
        "Fout in maatregelen.csv, regel 2, kolom 'team': team is leeg. Vul het team in dat de "
        "maatregel uitvoert."
    ]


# --------------------------------------------------------------------------- status and date


def test_a_measure_done_needs_its_date(tmp_path):
    assert errors(tmp_path, "Belastingen;;K-3;;Uitleg;;afgerond;") == [
        "Fout in maatregelen.csv, regel 2, kolom 'datum_afgerond': de maatregel is afgerond, maar "
        "datum_afgerond is leeg. Vul de datum in waarop de maatregel is afgerond, of zet de status op open "
        "of in uitvoering."
    ]


@pytest.mark.parametrize("status", ["open", "in uitvoering"])
def test_a_measure_not_done_has_no_date(tmp_path, status):
    assert errors(tmp_path, f"Belastingen;;K-3;;Uitleg;;{status};2024-05-01") == [
        "Fout in maatregelen.csv, regel 2, kolom 'datum_afgerond': datum_afgerond (1-5-2024) is "
        f"ingevuld, maar de status is '{status}'. Zet de status op afgerond, of maak datum_afgerond leeg."
    ]


def test_a_date_in_the_future_is_an_error(tmp_path):
    assert errors(tmp_path, "Belastingen;;K-3;;Uitleg;;afgerond;2025-03-02") == [
        "Fout in maatregelen.csv, regel 2, kolom 'datum_afgerond': datum_afgerond (2-3-2025) ligt in de "
        "toekomst (na 1-3-2025). Vul de datum in waarop de maatregel echt is afgerond; een geplande datum "
        "hoort hier niet."
    ]


def test_a_date_before_the_complaint_was_received_is_an_error(tmp_path):
    assert errors(tmp_path, "Belastingen;;K-3;;Uitleg;;afgerond;2024-03-31") == [
        "Fout in maatregelen.csv, regel 2, kolom 'datum_afgerond': datum_afgerond (31-3-2024) ligt vóór de "
        "ontvangst van de klacht (1-4-2024). Controleer de datum en de klacht: een maatregel volgt op het "
        "leerpunt uit de klacht."
    ]


def test_a_date_before_the_year_of_the_learning_point_is_an_error(tmp_path):
    (found,) = errors(tmp_path, "Belastingen;Folder;;2024;Folder;;afgerond;2023-12-31")
    assert "datum_afgerond (31-12-2023) ligt vóór 2024, het jaar van het leerpunt." in found


def test_an_unreadable_date_is_an_error(tmp_path):
    (found,) = errors(tmp_path, "Belastingen;;K-3;;Uitleg;;afgerond;binnenkort")
    assert "kolom 'datum_afgerond': 'binnenkort' is geen geldige datum." in found


def test_done_measures_without_a_date_column_are_one_error(tmp_path):
    header = "team;klacht_id;maatregel;status"
    found = errors(
        tmp_path, "Belastingen;K-3;Uitleg;afgerond", "Belastingen;K-3;Folder;afgerond", header=header
    )
    assert found == [
        "Fout in maatregelen.csv, regel 2, kolom 'datum_afgerond': de kolom 'datum_afgerond' "
        "ontbreekt, maar er zijn afgeronde maatregelen. Voeg de kolom datum_afgerond toe met de datum waarop "
        "elke maatregel is afgerond."
    ]


def test_every_problem_of_the_file_is_reported_in_one_pass(tmp_path):
    found = errors(tmp_path, "Belastingen;;K-3;;;;klaar;", "Belastingen;;K-9;;Uitleg;;open;",
                   "Belastingen;;K-3;;Uitleg;;open;2024-05-01")  # fmt: skip
    assert [line.split(",")[1].strip() for line in found] == ["regel 2", "regel 2", "regel 3", "regel 4"]


def test_the_same_measure_twice_counts_once_with_a_warning(tmp_path):
    folder = read(tmp_path, "Belastingen;;K-3;;Uitleg;;open;", "Belastingen;;K-3;;Uitleg;;open;")
    assert len(folder.measures) == 1
    assert warnings_about_measures(folder, tmp_path) == [
        "Waarschuwing in maatregelen.csv, regel 3: deze maatregel staat er met precies dezelfde "
        "inhoud al op regel 2; hij telt één keer. Haal de dubbele regel weg."
    ]


def test_register_errors_and_measure_errors_come_together(tmp_path):
    write_register_file(tmp_path, [*register_rows(), register_row(klacht_id="K-5", status="weg")])
    (tmp_path / "maatregelen.csv").write_text(
        HEADER + "\nBelastingen;;K-3;;Uitleg;;klaar;\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as caught:
        load_data_folder(tmp_path, today=TODAY)
    files = {Path(p.file).name for p in caught.value.errors}
    assert files == {"klachtenregister.csv", "maatregelen.csv"}


# --------------------------------------------------------------------------- klachten validate


def test_validate_names_measures_of_an_unknown_team_or_complaint_and_prints_the_counts(tmp_path):
    read(tmp_path, "Belastingen;;K-3;;Uitleg;;afgerond;2024-05-01", "Belastingn;;K-3;;Folder;;open;",
         "Belastingen;Folder;K-OUD;2023;Folder;;open;")  # fmt: skip
    result = CliRunner().invoke(app, ["validate", "--data-dir", str(tmp_path)], prog_name="klachten")
    assert result.exit_code == 0, result.output
    named = [line for line in result.stderr.splitlines() if "maatregelen.csv" in line]
    assert [line.split(": ", 1)[0].replace(f"{tmp_path}/", "") for line in named] == [
        "Waarschuwing in maatregelen.csv, regel 3, kolom 'team'",
        "Waarschuwing in maatregelen.csv, regel 4, kolom 'klacht_id'",
    ]
    assert "maatregelen.csv: 3 maatregelen gelezen." in result.stdout
    assert (
        "  maatregelen bij de leerpunten van 2024: 2 (afgerond 1, lopend 1); uit eerdere jaren begin 2024 "
        "nog "
        "lopend: 1, waarvan in 2024 afgerond 0" in result.stdout
    )


def test_validate_exits_1_on_an_error_in_maatregelen_csv(tmp_path):
    with pytest.raises(DataError):
        read(tmp_path, "Belastingen;;K-3;;Uitleg;;klaar;")
    result = CliRunner().invoke(app, ["validate", "--data-dir", str(tmp_path)], prog_name="klachten")
    assert result.exit_code == 1
    assert "onbekende waarde 'klaar' voor status" in result.stderr
