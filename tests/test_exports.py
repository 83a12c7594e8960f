"""Exports as they come (shared/spec/register.md): each shape a municipality really has, described
in klachten.toml only, gives the right figures. Every export here is fictitious and written by
the test itself."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from conftest import write_workbook
from typer.testing import CliRunner

from klachtlib.delivery.cli import app
from klachtlib.domain import counts
from klachtlib.errors import DataError
from klachtlib.reading.register import load_data_folder

TODAY = date(2025, 1, 31)


def folder_of(path):
    return load_data_folder(path, today=TODAY)


def errors_of(path):
    with pytest.raises(DataError) as caught:
        load_data_folder(path, today=TODAY)
    return caught.value.errors


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def figures(folder, year):
    return counts.year_figures(folder.register, folder.contacts, folder.settings, year)


def write_xlsx(path, sheets, hidden=()):
    return write_workbook(path, sheets, dict.fromkeys(hidden, "hidden"))


# ----------------------------------------------------------------------------- zaaksysteem: mixed Resultaat

ZAAKSYSTEEM_TOML = """\
[kolommen]
"Zaaknummer" = "klacht_id"
"Registratiedatum" = "datum_ontvangst"
"Afdeling" = "team"

[afleiden."Resultaat"]
"Gegrond" = { status = "afgehandeld", behandeling = "formeel", oordeel = "gegrond" }
"Ongegrond" = { status = "afgehandeld", behandeling = "formeel", oordeel = "ongegrond" }
"Informeel opgelost" = { status = "afgehandeld", behandeling = "informeel" }
"Doorgezonden" = { status = "doorgestuurd", reden = "De klacht hoorde thuis bij een andere instantie" }
"" = { status = "in behandeling" }

[overslaan]
"Zaaktype" = ["Compliment"]
"""

ZAAKSYSTEEM_CSV = """\
Zaaknummer;Zaaktype;Registratiedatum;Status;Resultaat;Afdeling;Team;Omschrijving
Z-2024-001;Klacht;05-03-2024;Afgesloten;Gegrond;Publiekszaken;Balie;Lang gewacht
Z-2024-002;Klacht;06-03-2024;Afgesloten;informeel OPGELOST;Belastingen;WOZ;Geen reactie
Z-2024-003;Compliment;07-03-2024;Afgesloten;;Publiekszaken;Balie;Vriendelijk geholpen
Z-2024-004;Klacht;08-03-2024;Afgesloten;Doorgezonden;;;Hoort bij provincie
Z-2024-005;Klacht;09-03-2024;In behandeling;;Belastingen;WOZ;Nog open
Z-2024-006;Klacht;10-03-2024;Afgesloten;Ongegrond;Belastingen;Invordering;Te hoge aanslag
Z-2024-007;compliment;11-03-2024;Afgesloten;;Belastingen;WOZ;Dank
"""


def test_zaaksysteem_export_with_a_mixed_result_column_gives_the_right_figures(tmp_path):
    write(tmp_path / "klachten.toml", ZAAKSYSTEEM_TOML)
    write(tmp_path / "klachtenregister.csv", ZAAKSYSTEEM_CSV)
    folder = folder_of(tmp_path)
    year = figures(folder, 2024)
    assert (year.total, year.handled, year.not_handled, year.still_open) == (5, 3, 1, 1)
    assert (year.informal, year.formal) == (1, 2)
    assert dict(zip(year.verdicts["oordeel"], year.verdicts["aantal"], strict=True))["gegrond"] == 1
    assert folder.skipped == {'Zaaktype = "Compliment"': 2}
    register = folder.register.set_index("klacht_id")
    assert register.at["Z-2024-005", "status"] == "in behandeling"  # the empty Resultaat cell
    assert register.at["Z-2024-004", "reden"] == "De klacht hoorde thuis bij een andere instantie"


def test_explicit_mapping_beats_an_automatically_recognised_header(tmp_path):
    write(tmp_path / "klachten.toml", ZAAKSYSTEEM_TOML)
    write(tmp_path / "klachtenregister.csv", ZAAKSYSTEEM_CSV)
    folder = folder_of(tmp_path)
    teams = folder.register.dropna(subset=["team"]).set_index("klacht_id")["team"]
    assert teams.to_dict() == {
        "Z-2024-001": "Publiekszaken",
        "Z-2024-002": "Belastingen",
        "Z-2024-005": "Belastingen",
        "Z-2024-006": "Belastingen",
    }
    # "Team" and "Status" (the case phase) would be recognised, but [kolommen] and [afleiden] fill them
    assert folder.unread_columns == ("Status", "Team", "Omschrijving")


def test_unlisted_value_of_a_derived_column_is_an_error_with_the_line_to_paste(tmp_path):
    write(tmp_path / "klachten.toml", ZAAKSYSTEEM_TOML)
    write(
        tmp_path / "klachtenregister.csv",
        ZAAKSYSTEEM_CSV + "Z-2024-008;Klacht;12-03-2024;Afgesloten;Deels gegrond;Belastingen;WOZ;x\n",
    )
    (problem,) = errors_of(tmp_path)
    assert (problem.row, problem.column) == (9, "Resultaat")
    assert "'Deels gegrond'" in problem.message
    assert (
        '[afleiden."Resultaat"] toe: "Deels gegrond" = '
        '{ status = "afgehandeld", behandeling = "formeel", oordeel = "deels gegrond" }'
    ) in problem.hint


def test_skipped_rows_are_not_checked(tmp_path):
    write(tmp_path / "klachten.toml", ZAAKSYSTEEM_TOML)
    write(tmp_path / "klachtenregister.csv", ZAAKSYSTEEM_CSV + "Z-9;Compliment;geen datum;;Onzin;;;\n")
    assert folder_of(tmp_path).skipped == {'Zaaktype = "Compliment"': 3}


def test_a_skip_or_derive_column_no_file_has_is_an_error_naming_the_toml_line(tmp_path):
    write(tmp_path / "klachten.toml", ZAAKSYSTEEM_TOML.replace('"Zaaktype" =', '"Zaak type soort" ='))
    write(tmp_path / "klachtenregister.csv", ZAAKSYSTEEM_CSV)
    errors = errors_of(tmp_path)
    toml_errors = [p for p in errors if p.file.endswith("klachten.toml")]
    assert [(p.row, p.column) for p in toml_errors] == [(14, "overslaan")]
    assert "'Zaak type soort'" in toml_errors[0].message


# ----------------------------------------------------------------------------- Excel kept by hand


def hand_kept_workbook(path):
    header = ["Nr.", "Datum binnenkomst", "Status", "Team", "Reden", "Naam klager"]
    sheets = {
        "2023": [
            ["Klachtenregister 2023"],
            ["Bijgehouden door de klachtencoördinator"],
            [],
            header,
            ["23-01", datetime(2023, 2, 1), "afgehandeld", "Burgerzaken", None, "Jansen"],
            ["23-02", datetime(2023, 5, 9), "ingetrokken", None, "De klacht betrof een melding", "Pietersen"],
            ["Totaal", None, None, None, None, 2],
        ],
        "2024": [
            ["Klachtenregister 2024"],
            [],
            header,
            ["24-01", datetime(2024, 1, 15), "afgehandeld", "Burgerzaken", None, "De Vries"],
            ["24-02", datetime(2024, 3, 3), "afgehandeld", "Wonen", None, "Bakker"],
            ["24-03", datetime(2024, 11, 30), "in behandeling", None, None, "Smit"],
            ["Totaal", None, None, None, None, 3],
        ],
        "Toelichting": [["Dit werkboek houdt de coördinator bij."], ["Per jaar een tabblad."]],
        "Oud": [header, ["OUD-1", datetime(2019, 1, 1), "afgehandeld", "Archief", None, "Geheim"]],
    }
    return write_xlsx(path, sheets, hidden=("Oud",))


HAND_KEPT_TOML = """\
[bestand]
tabbladen = "alle"

[kolommen]
"Nr." = "klacht_id"
"Datum binnenkomst" = "datum_ontvangst"

[overslaan]
"Nr." = ["Totaal"]
"""


def test_hand_kept_excel_with_title_rows_a_tab_per_year_and_a_totals_row(tmp_path):
    write(tmp_path / "klachten.toml", HAND_KEPT_TOML)
    hand_kept_workbook(tmp_path / "klachtenregister.xlsx")
    folder = folder_of(tmp_path)
    assert (figures(folder, 2023).total, figures(folder, 2024).total) == (2, 3)
    assert (figures(folder, 2024).handled, figures(folder, 2024).still_open) == (2, 1)
    assert folder.skipped == {'Nr. = "Totaal"': 2}
    assert folder.unread_sheets == ("'Toelichting' (geen kopregel gevonden)",)
    assert "OUD-1" not in set(folder.register["klacht_id"])
    assert any("'Oud'" in w.message and "verborgen" in w.message for w in folder.warnings)


def test_named_sheets_are_read_and_a_missing_one_is_an_error(tmp_path):
    write(tmp_path / "klachten.toml", HAND_KEPT_TOML.replace('"alle"', '["2024", "2025"]'))
    hand_kept_workbook(tmp_path / "klachtenregister.xlsx")
    (problem,) = errors_of(tmp_path)
    assert "'2025'" in problem.message and "bestaat niet" in problem.message
    write(tmp_path / "klachten.toml", HAND_KEPT_TOML.replace('"alle"', '["2024"]'))
    assert figures(folder_of(tmp_path), 2024).total == 3


def test_a_missing_column_is_reported_at_the_real_header_line(tmp_path):
    write_xlsx(
        tmp_path / "klachtenregister.xlsx",
        {
            "Klachten": [
                ["Overzicht klachten"],
                [],
                [],
                ["Klacht ID", "Datum ontvangst", "Team"],
                ["1", "5-3-2024", "X"],
            ]
        },
    )
    (problem,) = errors_of(tmp_path)
    assert (problem.column, problem.row) == ("status", 4)


def test_kopregel_sets_the_header_row(tmp_path):
    write(
        tmp_path / "klachtenregister.csv",
        "Klacht ID;Datum ontvangst;Status\nexport;van;vandaag\nKenmerk;Ontvangen op;Status\n"
        "K1;5-3-2024;voorkomen\n",
    )
    write(
        tmp_path / "klachten.toml",
        '[bestand]\nkopregel = 3\n[kolommen]\n"Ontvangen op" = "datum_ontvangst"\n"Kenmerk" = "klacht_id"\n',
    )
    folder = folder_of(tmp_path)
    assert folder.register["klacht_id"].tolist() == ["K1"]
    assert figures(folder, 2024).prevented == 1


# ------------------------------------------------------------------ Woo overview: preamble, no identifier


WOO_CSV = """\
Overzicht klachten 2024 (Woo-publicatie);;;
Bron: klachtenregistratie, peildatum 31-12-2024;;;
Datum ontvangst;Status;Team;Reden
5-1-2024;afgehandeld;Burgerzaken;
6-1-2024;afgehandeld;Burgerzaken;
9-2-2024;ingetrokken;;De klacht betrof een melding
"""


def test_woo_overview_with_preamble_lines_and_no_identifier(tmp_path):
    write(tmp_path / "klachten.toml", '[bestand]\nklacht_id = "regelnummer"\n')
    write(tmp_path / "klachtenregister.csv", WOO_CSV)
    folder = folder_of(tmp_path)
    assert folder.register["klacht_id"].tolist() == [
        "klachtenregister.csv:4",
        "klachtenregister.csv:5",
        "klachtenregister.csv:6",
    ]
    year = figures(folder, 2024)
    assert (year.total, year.handled, year.not_handled) == (3, 2, 1)


def test_without_regelnummer_an_export_without_identifier_names_the_header_line(tmp_path):
    write(tmp_path / "klachtenregister.csv", WOO_CSV)
    (problem,) = errors_of(tmp_path)
    assert (problem.column, problem.row) == ("klacht_id", 3)


# ----------------------------------------------------------------------------- ZGW API: UTC timestamps


ZGW_CSV = """\
identificatie,registratiedatum,status,team
ZAAK-1,2023-12-31T22:59:00Z,afgehandeld,Burgerzaken
ZAAK-2,2023-12-31T23:38:00Z,afgehandeld,Burgerzaken
ZAAK-3,2024-12-31T23:30:00+01:00,afgehandeld,Burgerzaken
ZAAK-4,2024-12-31T23:30:00+00:00,afgehandeld,Burgerzaken
ZAAK-5,2024-06-30T22:30:00Z,afgehandeld,Burgerzaken
"""
ZGW_TOML = '[kolommen]\n"identificatie" = "klacht_id"\n"registratiedatum" = "datum_ontvangst"\n'


def test_utc_timestamps_around_midnight_on_31_december_land_in_the_dutch_year(tmp_path):
    write(tmp_path / "klachten.toml", ZGW_TOML)
    write(tmp_path / "klachtenregister.csv", ZGW_CSV)
    folder = folder_of(tmp_path)
    received = folder.register.set_index("klacht_id")["datum_ontvangst"].dt.strftime("%Y-%m-%d").to_dict()
    assert received == {
        "ZAAK-1": "2023-12-31",  # 23:59 in Amsterdam
        "ZAAK-2": "2024-01-01",  # 00:38 in Amsterdam
        "ZAAK-3": "2024-12-31",
        "ZAAK-4": "2025-01-01",
        "ZAAK-5": "2024-07-01",  # summer time: UTC+2
    }
    assert [figures(folder, y).total for y in (2023, 2024, 2025)] == [1, 3, 1]


def test_tijdzone_sets_the_zone_the_date_is_taken_in(tmp_path):
    write(tmp_path / "klachten.toml", ZGW_TOML + '[bestand]\ntijdzone = "UTC"\n')
    write(tmp_path / "klachtenregister.csv", ZGW_CSV)
    assert [figures(folder_of(tmp_path), y).total for y in (2023, 2024, 2025)] == [2, 3, 0]


def test_datumvolgorde_maand_dag_reads_us_dates(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row(datum_ontvangst="4/2/2024", datum_afgehandeld="4/20/2024")])
    write(tmp_path / "klachten.toml", '[bestand]\ndatumvolgorde = "maand-dag"\n')
    register = folder_of(tmp_path).register
    assert register.at[0, "datum_ontvangst"] == datetime(2024, 4, 2)
    assert register.at[0, "datum_afgehandeld"] == datetime(2024, 4, 20)


# ------------------------------------------------------------------ big city: departments, sub-teams


def test_big_city_export_with_departments_and_sub_teams(tmp_path):
    lines = ["Zaak-ID;Datum ontvangst;Status;Afdeling;Subteam;Behandeling"]
    subteams = [("Publiekszaken", "Paspoorten"), ("Publiekszaken", "Rijbewijzen"), ("Belastingen", "WOZ")]
    for i in range(900):
        department, subteam = subteams[i % 3]
        status = "afgehandeld" if i % 10 else "in behandeling"
        lines.append(f"Z{i:05d};{1 + i % 28}-{1 + i % 12}-2024;{status};{department};{subteam};informeel")
    write(tmp_path / "klachtenregister.csv", "\n".join(lines) + "\n")
    write(
        tmp_path / "klachten.toml",
        '[kolommen]\n"Zaak-ID" = "klacht_id"\n"Subteam" = "team"\n'
        '[teams]\n"Rijbewijzen" = "Paspoorten en rijbewijzen"\n'
        '"Paspoorten" = "Paspoorten en rijbewijzen"\n',
    )
    folder = folder_of(tmp_path)
    year = figures(folder, 2024)
    assert (year.total, year.handled, year.still_open) == (900, 810, 90)
    per_team = dict(zip(year.handled_per_team["team"], year.handled_per_team["aantal"], strict=True))
    assert per_team == {"Paspoorten en rijbewijzen": 540, "WOZ": 270}
    assert folder.unread_columns == ("Afdeling",)


# ----------------------------------------------------------------------------- [waarden]: "" is not recorded


def test_a_value_alias_to_empty_means_not_recorded(tmp_path, write_register, make_row):
    write(tmp_path / "klachten.toml", '[waarden.oordeel]\n"n.v.t." = ""\n[waarden.kanaal]\n"Onbekend" = ""\n')
    write_register(
        tmp_path,
        [
            make_row(klacht_id="1", behandeling="formeel", oordeel="N.v.t.", kanaal="onbekend"),
            make_row(klacht_id="2", behandeling="formeel", oordeel="gegrond", kanaal="telefoon"),
        ],
    )
    folder = folder_of(tmp_path)
    assert folder.register["oordeel"].isna().tolist() == [True, False]
    assert folder.register["kanaal"].isna().tolist() == [True, False]
    assert figures(folder, 2024).verdict_unknown == 1


def test_a_status_alias_to_empty_leaves_a_required_value_missing(tmp_path, write_register, make_row):
    write(tmp_path / "klachten.toml", '[waarden.status]\n"n.v.t." = ""\n')
    write_register(tmp_path, [make_row(status="n.v.t.")])
    (problem,) = errors_of(tmp_path)
    assert (problem.column, problem.message) == ("status", "status is leeg.")


# ----------------------------------------------------------------------------- validate


def test_validate_prints_skipped_rows_unread_columns_and_unread_sheets(tmp_path):
    write(tmp_path / "klachten.toml", HAND_KEPT_TOML)
    hand_kept_workbook(tmp_path / "klachtenregister.xlsx")
    result = CliRunner().invoke(app, ["validate", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert '- Nr. = "Totaal": 2' in result.stdout
    assert "Kolommen uit de export die niet worden gelezen: 'Naam klager'." in result.stdout
    assert "Tabbladen die niet worden gelezen: 'Toelichting' (geen kopregel gevonden)." in result.stdout


def test_without_tabbladen_the_other_year_tabs_are_named_as_not_read(tmp_path):
    write(tmp_path / "klachten.toml", HAND_KEPT_TOML.replace('tabbladen = "alle"', ""))
    hand_kept_workbook(tmp_path / "klachtenregister.xlsx")
    folder = folder_of(tmp_path)
    assert figures(folder, 2023).total == 2  # the first visible sheet
    assert folder.unread_sheets == (
        "'2024' (niet gekozen in [bestand] tabbladen)",
        "'Toelichting' (niet gekozen in [bestand] tabbladen)",
    )


def test_export_headers_shows_what_each_column_would_fill(tmp_path):
    from klachtlib.reading.register import export_headers

    write(tmp_path / "klachten.toml", ZAAKSYSTEEM_TOML)
    write(tmp_path / "klachtenregister.csv", "Export 2024\n\n" + ZAAKSYSTEEM_CSV)
    (header,) = export_headers(tmp_path)
    assert header.line == 3
    assert header.columns == (
        ("Zaaknummer", "klacht_id"),
        ("Zaaktype", "[overslaan]"),
        ("Registratiedatum", "datum_ontvangst"),
        ("Status", None),
        ("Resultaat", "[afleiden] status, reden, behandeling, oordeel"),
        ("Afdeling", "team"),
        ("Team", None),
        ("Omschrijving", None),
    )


def test_an_unlisted_value_that_names_nothing_gets_a_line_to_fill_in(tmp_path):
    write(tmp_path / "klachten.toml", ZAAKSYSTEEM_TOML)
    write(
        tmp_path / "klachtenregister.csv",
        ZAAKSYSTEEM_CSV + "Z-8;Klacht;12-03-2024;Afgesloten;Vervallen;X;;\n",
    )
    (problem,) = errors_of(tmp_path)
    assert problem.hint.endswith(
        '"Vervallen" = { status = "...", reden = "...", behandeling = "...", oordeel = "..." }'
    )


def test_all_tabs_without_a_header_is_an_error_not_an_empty_register(tmp_path):
    write(tmp_path / "klachten.toml", '[bestand]\ntabbladen = "alle"\n')
    hand_kept_workbook(tmp_path / "klachtenregister.xlsx")  # "Nr." and "Datum binnenkomst" not mapped
    (problem,) = errors_of(tmp_path)
    assert "geen enkel tabblad heeft een kopregel" in problem.message
    assert "'2023' (geen kopregel gevonden)" in problem.message
