"""Any export, never silently wrong (shared/spec/register.md, "Any export"): one test per rule,
each with a small fictitious export the test writes itself."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from conftest import write_ods, write_workbook
from typer.testing import CliRunner

from klachtlib.delivery.cli import app
from klachtlib.domain import counts
from klachtlib.errors import DataError
from klachtlib.presentation import text
from klachtlib.reading.register import load_data_folder

TODAY = date(2025, 1, 31)
HEADER = "Klacht ID;Datum ontvangst;Status;Team;Reden"


def write(folder, name, content):
    (folder / name).write_text(content, encoding="utf-8")


def folder_of(path):
    return load_data_folder(path, today=TODAY)


def errors_of(path):
    with pytest.raises(DataError) as caught:
        load_data_folder(path, today=TODAY)
    return caught.value.errors


def figures(folder, year=2024):
    return counts.year_figures(folder.register, folder.contacts, folder.settings, year)


def column(folder, name):
    return folder.register.set_index("klacht_id")[name].to_dict()


def validate(path):
    return CliRunner().invoke(app, ["validate", "--data-dir", str(path)])


# ----------------------------------------------------------------------------- never silently wrong

TWO_STATUS_COLUMNS = """\
Klacht ID;Datum ontvangst;Team;Subcategorie;Afhandeling
Z-1;05-03-2024;Wonen;Klacht voorkomen;Afgerond
Z-2;06-03-2024;Wonen;;Afgerond
Z-3;07-03-2024;Wonen;Klacht voorkomen;
"""
TWO_STATUS_TOML = """\
[afleiden."Subcategorie"]
"Klacht voorkomen" = { status = "voorkomen" }
"" = { }
[afleiden."Afhandeling"]
"Afgerond" = { status = "afgehandeld" }
"" = { }
"""


def test_two_columns_giving_one_column_different_values_is_an_error_naming_both_and_the_row(tmp_path):
    write(tmp_path, "klachtenregister.csv", TWO_STATUS_COLUMNS)
    write(tmp_path, "klachten.toml", TWO_STATUS_TOML)
    (problem,) = errors_of(tmp_path)
    assert (problem.row, problem.klacht_id, problem.column) == (2, "Z-1", "status")
    assert "'Subcategorie'" in problem.message and "'Afhandeling'" in problem.message
    assert "'voorkomen'" in problem.message and "'afgehandeld'" in problem.message
    assert "[voorrang]" in problem.hint


def test_voorrang_orders_two_columns_the_first_that_gives_a_value_wins(tmp_path):
    write(tmp_path, "klachtenregister.csv", TWO_STATUS_COLUMNS)
    write(
        tmp_path, "klachten.toml", TWO_STATUS_TOML + '[voorrang]\nstatus = ["Subcategorie", "Afhandeling"]\n'
    )
    folder = folder_of(tmp_path)
    assert column(folder, "status") == {"Z-1": "voorkomen", "Z-2": "afgehandeld", "Z-3": "voorkomen"}
    f = figures(folder)
    assert (f.total, f.handled, f.prevented) == (1, 1, 2)  # never 3 handled complaints


def test_an_empty_cell_or_a_value_mapped_to_empty_never_overrides_another_column(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        "Klacht ID;Datum ontvangst;Status;Afdeling;Team\n"
        "Z-1;05-03-2024;afgehandeld;Wonen;\n"
        "Z-2;06-03-2024;afgehandeld;n.v.t.;Afval\n"
        "Z-3;07-03-2024;afgehandeld;Wonen;Wonen\n",
    )
    write(
        tmp_path,
        "klachten.toml",
        '[kolommen]\n"Afdeling" = "team"\n"Team" = "team"\n[waarden.team]\n"n.v.t." = ""\n',
    )
    assert column(folder_of(tmp_path), "team") == {"Z-1": "Wonen", "Z-2": "Afval", "Z-3": "Wonen"}


# ----------------------------------------------------------------------------- value patterns


def test_ingevuld_and_leeg_match_any_filled_value_and_the_empty_cell(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        "Klacht ID;Datum ontvangst;Status;Team;Verdaagd tot\n"
        "Z-1;05-03-2024;afgehandeld;Wonen;30-04-2024\n"
        "Z-2;06-03-2024;afgehandeld;Wonen;\n"
        "Z-3;07-03-2024;afgehandeld;Wonen;onbekend\n",
    )
    write(
        tmp_path,
        "klachten.toml",
        '[afleiden."Verdaagd tot"]\n"onbekend" = { }\n"(ingevuld)" = { verdaagd = "ja" }\n'
        '"(leeg)" = { verdaagd = "nee" }\n',
    )
    extended = folder_of(tmp_path).register.set_index("klacht_id")["verdaagd"]
    assert (bool(extended["Z-1"]), bool(extended["Z-2"])) == (True, False)
    assert extended.isna()["Z-3"]  # "onbekend" = { } fills nothing, so (ingevuld) does not apply


LABELS_TOML = """\
[kolommen]
"Tags" = "labels"

[afleiden."Tags"]
"formeel" = { status = "afgehandeld", behandeling = "formeel" }
"informeel" = { status = "afgehandeld", behandeling = "informeel" }
"gegrond" = { oordeel = "gegrond" }
"voorkomen" = { status = "voorkomen" }
"(leeg)" = { status = "in behandeling" }
"""


def test_a_labels_column_applies_every_listed_label_and_lists_the_unlisted_ones(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        "Klacht ID;Datum ontvangst;Team;Tags\n"
        "Z-1;05-03-2024;Wonen;formeel, gegrond\n"
        "Z-2;06-03-2024;Wonen;informeel|pers\n"
        'Z-3;07-03-2024;Wonen;"voorkomen; pers"\n'
        "Z-4;08-03-2024;Wonen;\n",
    )
    write(tmp_path, "klachten.toml", LABELS_TOML)
    folder = folder_of(tmp_path)
    assert column(folder, "status") == {
        "Z-1": "afgehandeld",
        "Z-2": "afgehandeld",
        "Z-3": "voorkomen",
        "Z-4": "in behandeling",
    }
    assert column(folder, "oordeel")["Z-1"] == "gegrond"
    assert folder.unlisted_labels == {"Tags": {"pers": 2}}  # no error
    result = validate(tmp_path)
    assert result.exit_code == 0
    assert "Labels in kolom 'Tags' die [afleiden] niet noemt (ze vullen niets): pers (2x)." in result.stdout


def test_two_labels_that_give_one_column_different_values_are_an_error_naming_both(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        "Klacht ID;Datum ontvangst;Team;Tags\nZ-1;05-03-2024;Wonen;formeel;informeel\n".replace(
            "formeel;informeel", '"formeel;informeel"'
        ),
    )
    write(tmp_path, "klachten.toml", LABELS_TOML)
    (problem,) = errors_of(tmp_path)
    assert (problem.row, problem.column) == (2, "Tags")
    assert "'formeel'" in problem.message and "'informeel'" in problem.message


def test_a_labels_column_without_afleiden_is_an_error_naming_the_line(tmp_path):
    write(tmp_path, "klachtenregister.csv", HEADER + ";Tags\nZ-1;05-03-2024;afgehandeld;Wonen;;formeel\n")
    write(tmp_path, "klachten.toml", '[kolommen]\n"Tags" = "labels"\n')
    (problem,) = errors_of(tmp_path)
    assert problem.row == 2 and '[afleiden."Tags"]' in problem.message


REPEATED_DATES = """\
Nr;Datum;Status;Team;Datum
1;05-03-2024;afgehandeld;Wonen;20-03-2024
2;06-03-2024;in behandeling;Wonen;
"""


def test_a_header_that_occurs_twice_is_mapped_by_its_occurrences_in_order(tmp_path):
    write(tmp_path, "klachtenregister.csv", REPEATED_DATES)
    write(
        tmp_path,
        "klachten.toml",
        '[kolommen]\n"Nr" = "klacht_id"\n"Datum" = ["datum_ontvangst", "datum_afgehandeld"]\n',
    )
    folder = folder_of(tmp_path)
    assert column(folder, "datum_afgehandeld")["1"].date() == date(2024, 3, 20)
    assert column(folder, "datum_ontvangst")["2"].date() == date(2024, 3, 6)


def test_an_empty_entry_in_a_repeated_headers_list_leaves_that_column_unread(tmp_path):
    write(tmp_path, "klachtenregister.csv", REPEATED_DATES)
    write(tmp_path, "klachten.toml", '[kolommen]\n"Nr" = "klacht_id"\n"Datum" = ["datum_ontvangst", ""]\n')
    folder = folder_of(tmp_path)
    assert folder.register["datum_afgehandeld"].isna().all()
    assert folder.unread_columns == ("Datum",)


def test_a_repeated_header_mapped_once_or_with_a_list_of_the_wrong_length_is_an_error(tmp_path):
    write(tmp_path, "klachtenregister.csv", REPEATED_DATES)
    write(tmp_path, "klachten.toml", '[kolommen]\n"Nr" = "klacht_id"\n"Datum" = "datum_ontvangst"\n')
    (problem,) = errors_of(tmp_path)
    assert "komt 2 keer voor" in problem.message and '"Datum" = ["datum_ontvangst", ""]' in problem.hint
    write(
        tmp_path, "klachten.toml", '[kolommen]\n"Nr" = "klacht_id"\n"Datum" = ["datum_ontvangst", "", ""]\n'
    )
    (problem,) = errors_of(tmp_path)
    assert "komt 2 keer voor" in problem.message and "noemt 3" in problem.message


# ----------------------------------------------------------------------------- structure

HISTORY = """\
Zaak-ID;Mutatiedatum;Datum ontvangst;Status;Team;Resultaat;Datum afgehandeld
H-1;01-03-2024;01-03-2024;Ontvangen;Wonen;;
H-1;05-03-2024;;In behandeling;;;
H-1;10-04-2024;;Termijn verdaagd;;;
H-1;02-05-2024;;Afgehandeld;Wonen en bouwen;Gegrond;02-05-2024
H-2;03-03-2024;03-03-2024;Ontvangen;Afval;;
H-2;04-03-2024;;In behandeling;;;
"""
HISTORY_TOML = """\
[bestand]
regels = "statushistorie"

[kolommen]
"Zaak-ID" = "klacht_id"

[afleiden."Status"]
"Ontvangen" = { status = "in behandeling" }
"In behandeling" = { status = "in behandeling" }
"Termijn verdaagd" = { verdaagd = "ja" }
"Afgehandeld" = { status = "afgehandeld" }

[afleiden."Resultaat"]
"Gegrond" = { behandeling = "formeel", oordeel = "gegrond" }
"" = { }

[standaard]
verdaagd = "nee"
"""


def test_statushistorie_takes_per_column_the_last_value_a_row_of_the_complaint_gives(tmp_path):
    write(tmp_path, "klachtenregister.csv", HISTORY)
    write(tmp_path, "klachten.toml", HISTORY_TOML)
    folder = folder_of(tmp_path)
    assert len(folder.register) == 2
    h1 = folder.register.set_index("klacht_id").loc["H-1"]
    assert (h1["status"], h1["team"], h1["oordeel"], bool(h1["verdaagd"])) == (
        "afgehandeld",
        "Wonen en bouwen",
        "gegrond",
        True,  # the "Termijn verdaagd" row sets it for the whole complaint
    )
    assert h1["datum_ontvangst"].date() == date(2024, 3, 1)
    h2 = folder.register.set_index("klacht_id").loc["H-2"]
    assert (h2["status"], bool(h2["verdaagd"])) == ("in behandeling", False)  # [standaard] after combining


def test_without_statushistorie_repeated_identifiers_stay_an_error(tmp_path):
    write(tmp_path, "klachtenregister.csv", HISTORY)
    write(tmp_path, "klachten.toml", HISTORY_TOML.replace('regels = "statushistorie"', ""))
    assert any("klacht_id H-1 staat ook in" in p.message for p in errors_of(tmp_path))


OVERLAP_1 = HEADER + "\nT-1;05-03-2024;in behandeling;Wonen;\nT-2;06-03-2024;afgehandeld;Wonen;\n"
OVERLAP_2 = (
    HEADER
    + "\nT-1;05-03-2024;afgehandeld;Wonen;\nT-2;06-03-2024;afgehandeld;Wonen;"
    + "\nT-3;07-03-2024;afgehandeld;Afval;\n"
)


def test_dubbel_laatste_lets_the_file_that_comes_last_in_name_order_win_and_validate_names_it(tmp_path):
    write(tmp_path, "klachtenregister-a.csv", OVERLAP_1)
    write(tmp_path, "klachtenregister-b.csv", OVERLAP_2)
    assert any("klacht_id T-1" in p.message for p in errors_of(tmp_path))  # default: an error
    write(tmp_path, "klachten.toml", '[bestand]\ndubbel = "laatste"\n')
    folder = folder_of(tmp_path)
    f = figures(folder)
    assert (f.total, f.handled, f.still_open) == (3, 3, 0)  # T-1 and T-2 counted once
    result = validate(tmp_path)
    assert result.exit_code == 0
    assert "1 klacht_id's staan ook in" in result.output and "klachtenregister-b.csv telt" in result.output
    assert "T-1" in result.output


def test_dubbel_laatste_within_one_workbook_lets_the_sheet_furthest_right_win(tmp_path):
    header = ["Klacht ID", "Datum ontvangst", "Status", "Team"]
    write_workbook(
        tmp_path / "klachtenregister.xlsx",
        {
            "Eerste export": [header, ["T-1", date(2024, 3, 5), "in behandeling", "Wonen"]],
            "Tweede export": [header, ["T-1", date(2024, 3, 5), "afgehandeld", "Wonen"]],
        },
    )
    write(
        tmp_path,
        "klachten.toml",
        '[bestand]\ntabbladen = ["Tweede export", "Eerste export"]\ndubbel = "laatste"\n',
    )
    assert column(folder_of(tmp_path), "status") == {"T-1": "afgehandeld"}


def test_vanaf_skips_earlier_rows_reading_only_their_date_and_counts_them(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        HEADER
        + "\nZ-1;05-12-2022;onzin;;\nZ-2;05-06-2023;afgehandeld;Wonen;\nZ-3;05-03-2024;afgehandeld;Wonen;\n",
    )
    write(tmp_path, "klachten.toml", "[bestand]\nvanaf = 2023-01-01\n")
    folder = folder_of(tmp_path)  # 'onzin' before vanaf is not checked
    assert sorted(column(folder, "status")) == ["Z-2", "Z-3"]
    assert folder.skipped == {"datum_ontvangst vóór 2023-01-01 ([bestand] vanaf)": 1}
    assert "- datum_ontvangst vóór 2023-01-01 ([bestand] vanaf): 1" in validate(tmp_path).stdout


def test_tabblad_settings_give_a_sheet_its_own_header_row_identifier_columns_and_fixed_values(tmp_path):
    write_workbook(
        tmp_path / "klachtenregister.xlsx",
        {
            "Klachten": [
                ["Klacht ID", "Datum ontvangst", "Status", "Team"],
                ["Z-1", date(2024, 3, 5), "afgehandeld", "Wonen"],
            ],
            "Voorkomen klachten": [
                ["Voorkomen klachten 2024"],
                [],
                ["Datum melding", "Afdeling", "Toelichting"],
                [date(2024, 4, 1), "Wonen", "Teruggebeld"],
                [date(2024, 4, 2), "Afval", "Container geleegd"],
            ],
        },
    )
    write(
        tmp_path,
        "klachten.toml",
        '[tabblad."Voorkomen klachten"]\nkopregel = 3\nklacht_id = "regelnummer"\n'
        'vast = { status = "voorkomen" }\n'
        'kolommen = { "Datum melding" = "datum_ontvangst", "Afdeling" = "team" }\n',
    )
    folder = folder_of(tmp_path)
    assert column(folder, "status") == {
        "Z-1": "afgehandeld",
        "klachtenregister.xlsx:Voorkomen klachten:4": "voorkomen",
        "klachtenregister.xlsx:Voorkomen klachten:5": "voorkomen",
    }
    f = figures(folder)
    assert (f.total, f.prevented) == (1, 2)


def test_bestand_settings_apply_to_one_file_and_a_missing_file_or_sheet_is_an_error(tmp_path):
    write(tmp_path, "klachtenregister-2024.csv", HEADER + "\nZ-1;05-03-2024;afgehandeld;Wonen;\n")
    write(tmp_path, "klachtenregister-voorkomen.csv", "Overzicht\nDatum;Team\n01-04-2024;Wonen\n")
    write(
        tmp_path,
        "klachten.toml",
        '[bestand."klachtenregister-voorkomen.csv"]\nkopregel = 2\nklacht_id = "regelnummer"\n'
        'vast = { status = "voorkomen" }\nkolommen = { "Datum" = "datum_ontvangst" }\n',
    )
    assert column(folder_of(tmp_path), "status")["klachtenregister-voorkomen.csv:3"] == "voorkomen"
    write(
        tmp_path,
        "klachten.toml",
        '[bestand."klachtenregister-2025.csv"]\nkopregel = 2\n[tabblad."Blad9"]\nkopregel = 1\n',
    )
    messages = [p.message for p in errors_of(tmp_path)]
    assert any("klachtenregister-2025.csv" in m for m in messages) and any("Blad9" in m for m in messages)


def test_standaard_fills_where_nothing_gives_a_value_and_makes_the_column_recorded(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        "Klacht ID;Datum ontvangst;Status;Team;Ombudsman\n"
        "Z-1;05-03-2024;afgehandeld;Wonen;J\nZ-2;06-03-2024;afgehandeld;Wonen;\n",
    )
    write(tmp_path, "klachten.toml", '[waarden.ombudsman]\n"J" = "ja"\n[standaard]\nombudsman = "nee"\n')
    f = figures(folder_of(tmp_path))
    assert (f.ombudsman, f.ombudsman_unknown) == (1, 0)
    assert "ombudsman" not in f.not_recorded


def test_an_ods_file_is_read_like_an_xlsx_file(tmp_path):
    write_ods(
        tmp_path / "klachtenregister.ods",
        {
            "Klachten": [
                ["Overzicht klachten"],
                [None, "Klacht ID", "Datum ontvangst", "Status", "Team", "Verdaagd"],
                [None, "Z-1", date(2024, 3, 5), "Afgehandeld", "Wonen", True],
                [None, "Z-2", date(2024, 3, 6), "afgehandeld", "Afval", False],
            ],
            "Geheim": [["Klacht ID", "Datum ontvangst", "Status"], ["X-1", date(2024, 1, 1), "afgehandeld"]],
        },
        hidden=("Geheim",),
    )
    folder = folder_of(tmp_path)
    assert column(folder, "team") == {"Z-1": "Wonen", "Z-2": "Afval"}  # the hidden sheet is never read
    assert folder.register.set_index("klacht_id")["verdaagd"].astype(bool).to_dict() == {
        "Z-1": True,
        "Z-2": False,
    }
    assert column(folder, "datum_ontvangst")["Z-1"].date() == date(2024, 3, 5)


def test_a_row_number_identifier_names_file_sheet_and_row(tmp_path):
    write_workbook(
        tmp_path / "klachtenregister.xlsx",
        {"Blad1": [["Datum ontvangst", "Status", "Team"], [date(2024, 3, 5), "afgehandeld", "Wonen"]]},
    )
    write(tmp_path, "klachten.toml", '[bestand]\nklacht_id = "regelnummer"\n')
    assert list(column(folder_of(tmp_path), "status")) == ["klachtenregister.xlsx:Blad1:2"]


def test_two_digit_years_are_this_century(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        HEADER + "\nZ-1;5-3-24;afgehandeld;Wonen;\nZ-2;31-12-23;afgehandeld;Wonen;\n",
    )
    dates = {k: v.date() for k, v in column(folder_of(tmp_path), "datum_ontvangst").items()}
    assert dates == {"Z-1": date(2024, 3, 5), "Z-2": date(2023, 12, 31)}


def test_a_boolean_cell_reads_as_ja_or_nee(tmp_path):
    write_workbook(
        tmp_path / "klachtenregister.xlsx",
        {
            "Klachten": [
                ["Klacht ID", "Datum ontvangst", "Status", "Team", "Ombudsman"],
                ["Z-1", date(2024, 3, 5), "afgehandeld", "Wonen", True],
                ["Z-2", date(2024, 3, 6), "afgehandeld", "Wonen", False],
            ]
        },
    )
    f = figures(folder_of(tmp_path))
    assert (f.ombudsman, f.ombudsman_unknown) == (1, 0)


# ----------------------------------------------------------------------------- what is recorded


def test_niet_vastgelegd_treats_a_column_as_absent_and_reden_counts_as_not_recorded(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        HEADER + ";Ombudsman\nZ-1;05-03-2024;ingetrokken;Wonen;;ja\nZ-2;06-03-2024;afgehandeld;Wonen;;nee\n",
    )
    write(tmp_path, "klachten.toml", '[bestand]\nniet_vastgelegd = ["reden", "ombudsman"]\n')
    folder = folder_of(tmp_path)
    assert not folder.warnings  # said in klachten.toml: no warning about the missing reason
    f = figures(folder)
    assert {"reden", "ombudsman"} <= f.not_recorded
    assert text.reason_bullets(f) == ["Reden niet vastgelegd (1x)."]
    assert text.ombudsman_sentence(f) is None
    assert folder.unread_columns == ("Reden", "Ombudsman")


def test_prevented_complaints_are_claimed_only_when_the_export_records_them(tmp_path):
    write(tmp_path, "klachtenregister.csv", HEADER + "\nZ-1;05-03-2024;afgehandeld;Wonen;\n")
    f = figures(folder_of(tmp_path))
    assert text.prevented_sentence(f) is None  # never "geen situaties"
    assert text.narrative_context(f)["voorkomen"] == "onbekend"
    write(tmp_path, "klachten.toml", '[bestand]\nvastgelegd = ["voorkomen"]\n')
    f = figures(folder_of(tmp_path))
    assert (
        text.prevented_sentence(f)
        == "In 2024 zijn geen situaties geregistreerd waarin een klacht is voorkomen."
    )


def test_a_prevented_complaint_in_an_export_said_not_to_record_them_is_an_error(tmp_path):
    write(tmp_path, "klachtenregister.csv", HEADER + "\nZ-1;05-03-2024;voorkomen;Wonen;\n")
    write(tmp_path, "klachten.toml", '[bestand]\nniet_vastgelegd = ["voorkomen"]\n')
    (problem,) = errors_of(tmp_path)
    assert problem.row == 2 and "niet_vastgelegd" in problem.message


def stray_december(tmp_path, settings=""):
    rows = [f"A-{n};{20 + n}-12-2023;afgehandeld;Wonen;" for n in range(1, 7)]
    rows += [f"B-{n};{1 + n % 28}-{1 + n % 12}-2024;afgehandeld;Wonen;" for n in range(1, 41)]
    write(tmp_path, "klachtenregister.csv", HEADER + "\n" + "\n".join(rows) + "\n")
    if settings:
        write(tmp_path, "klachten.toml", settings)
    return figures(folder_of(tmp_path))


def test_an_incomplete_first_year_is_not_compared_and_the_report_says_why(tmp_path):
    f = stray_december(tmp_path)
    assert (f.total, f.total_previous) == (40, None)  # never "+566,7%" against six December complaints
    assert text.total_sentence(f) == (
        "In 2024 zijn 40 klachten ontvangen. Met 2023 wordt niet vergeleken: het register begint pas in de "
        "laatste weken van 2023; dat jaar is onvolledig."
    )
    assert list(f.trend["jaar"]) == [2024]
    assert text.left_out_years_sentence(f) == (
        "2023 staat niet in dit overzicht: het register lijkt over dat jaar onvolledig."
    )
    result = validate(tmp_path)
    assert (
        "2023 lijkt onvolledig: alle klachten zijn in de laatste weken van dat jaar ontvangen"
        in result.output
    )


def test_no_year_is_compared_with_a_year_before_vanaf(tmp_path):
    f = stray_december(tmp_path, "[bestand]\nvanaf = 2023-12-01\n")
    assert f.total_previous is None
    assert text.total_sentence(f).endswith(
        "Met 2023 wordt niet vergeleken: het register is pas volledig vanaf 1 december 2023."
    )


def test_forwarded_complaints_are_named_in_the_not_handled_sentence(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        HEADER + "\nZ-1;05-03-2024;doorgestuurd;;Elders\nZ-2;06-03-2024;ingetrokken;;Opgelost\n",
    )
    f = figures(folder_of(tmp_path))
    assert text.not_handled_sentence(f) == (
        "2 klachten zijn afgebroken, ingetrokken, niet ontvankelijk verklaard of doorgestuurd. Redenen:"
    )


def test_without_forwarded_complaints_the_sentence_is_the_seeds(tmp_path):
    write(tmp_path, "klachtenregister.csv", HEADER + "\nZ-2;06-03-2024;ingetrokken;;Opgelost\n")
    f = figures(folder_of(tmp_path))
    assert (
        text.not_handled_sentence(f)
        == "1 klacht is afgebroken, ingetrokken of niet ontvankelijk verklaard. Reden:"
    )


# ----------------------------------------------------------------------------- no person in a public column


def test_with_an_organisation_team_list_another_team_is_an_error_and_the_list_spelling_is_published(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        HEADER + "\nZ-1;05-03-2024;afgehandeld;publiekszaken ;\nZ-2;06-03-2024;afgehandeld;Burgerzaken;\n",
    )
    write(
        tmp_path,
        "klachten.toml",
        '[organisatie]\nteams = ["Publiekszaken", "Belastingen"]\n',
    )
    (problem,) = errors_of(tmp_path)
    assert (problem.row, problem.column) == (3, "team") and "[organisatie] teams" in problem.message
    write(
        tmp_path,
        "klachten.toml",
        '[organisatie]\nteams = ["Publiekszaken", "Belastingen"]\n[teams]\n"Burgerzaken" = "Publiekszaken"\n',
    )
    assert set(column(folder_of(tmp_path), "team").values()) == {"Publiekszaken"}


@pytest.mark.parametrize("team", ["mw. De Vries", "J. de Vries", "medewerker Jansen", "dhr. Bakker"])
def test_a_published_value_that_reads_like_a_person_is_an_error(tmp_path, team):
    write(tmp_path, "klachtenregister.csv", HEADER + f"\nZ-1;05-03-2024;afgehandeld;{team};\n")
    (problem,) = errors_of(tmp_path)
    assert problem.column == "team" and "lijkt een persoon" in problem.message
    assert f'"{team}" = ""' in problem.hint


def test_a_published_value_that_occurs_in_a_dropped_column_is_an_error_naming_that_column(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        "Klacht ID;Datum ontvangst;Status;Team;Aard;Behandelaar\n"
        "Z-1;05-03-2024;afgehandeld;Bakker;geen oplossing;BAKKER\n"
        "Z-2;06-03-2024;afgehandeld;Wonen;Yilmaz;Yilmaz\n",
    )
    problems = errors_of(tmp_path)
    assert {(p.row, p.column) for p in problems} == {(2, "team"), (3, "aard")}
    assert all("'Behandelaar'" in p.message for p in problems)


def test_rows_that_are_skipped_are_not_compared_with_published_values(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        "Klacht ID;Zaaktype;Datum ontvangst;Status;Team;Behandelaar\n"
        "Z-1;Klacht;05-03-2024;afgehandeld;Wonen;P. Smit\n"
        "Z-2;Compliment;06-03-2024;afgehandeld;Afval;Wonen\n",
    )
    write(tmp_path, "klachten.toml", '[overslaan]\n"Zaaktype" = ["Compliment"]\n')
    assert column(folder_of(tmp_path), "team") == {"Z-1": "Wonen"}


def test_team_names_are_compared_after_nfc_and_case_folding_and_the_first_spelling_is_published(tmp_path):
    nfd = unicodedata.normalize("NFD", "Café")
    write(
        tmp_path,
        "klachtenregister-a.csv",
        HEADER + "\nZ-1;05-03-2024;afgehandeld;Zorg;\nZ-2;05-03-2024;afgehandeld;Café;\n",
    )
    write(
        tmp_path,
        "klachtenregister-b.csv",
        HEADER + f"\nZ-3;06-03-2024;afgehandeld;ZORG;\nZ-4;06-03-2024;afgehandeld;{nfd};\n",
    )
    f = figures(folder_of(tmp_path))
    assert dict(f.handled_per_team.itertuples(index=False, name=None)) == {"Café": 2, "Zorg": 2}


def test_validate_lists_the_team_names_it_will_publish_with_counts(tmp_path):
    write(
        tmp_path,
        "klachtenregister.csv",
        HEADER
        + "\nZ-1;05-03-2024;afgehandeld;Wonen;\nZ-2;06-03-2024;afgehandeld;Wonen;"
        + "\nZ-3;06-03-2024;afgehandeld;Afval;\n",
    )
    assert (
        "Teams die in de verslagen komen (2, met het aantal klachten): Wonen (2), Afval (1)."
        in validate(tmp_path).stdout
    )


def test_a_header_in_kolommen_that_no_file_has_is_an_error_but_one_file_having_it_is_enough(tmp_path):
    write(tmp_path, "klachtenregister.csv", HEADER + "\nZ-1;05-03-2024;afgehandeld;Wonen;\n")
    write(tmp_path, "klachten.toml", '[kolommen]\n"Afdelin" = "team"\n')
    (problem,) = errors_of(tmp_path)
    assert problem.row == 2 and "'Afdelin'" in problem.message
    write(
        tmp_path,
        "klachtenregister-oud.csv",
        "Klacht ID;Datum ontvangst;Status;Afdelin\nZ-0;05-03-2023;afgehandeld;Wonen\n",
    )
    assert len(folder_of(tmp_path).register) == 2


def test_kerncijfers_do_not_compare_with_an_incomplete_first_year_and_say_why(tmp_path):
    from klachtlib.presentation import keyfigures

    stray_december(tmp_path)
    folder = folder_of(tmp_path)
    f = figures(folder)
    rows = {r.label: r for r in keyfigures.report_rows(folder, f)}
    assert rows["Klachten ontvangen"].previous == "onbekend"  # never 6 against 40
    assert rows["Verschil met het jaar ervoor"].value == "onbekend"
    assert "Met 2023 wordt niet vergeleken" in keyfigures.section_html(folder, f)
