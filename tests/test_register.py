"""The register reader: forgiving about form, strict about meaning (shared/spec/register.md)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from conftest import write_workbook
from hypothesis import given, settings
from hypothesis import strategies as st

from klachtlib.errors import DataError
from klachtlib.reading import vocab
from klachtlib.reading.register import (
    load_data_folder,
    parse_dates,
    read_contacts,
    read_register,
)

TODAY = date(2025, 1, 31)


def read(folder):
    return read_register(folder, today=TODAY)


def problems_of(folder, today=TODAY):
    with pytest.raises(DataError) as caught:
        read_register(folder, today=today)
    return caught.value.errors


def only_problem(folder):
    problems = problems_of(folder)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def write_xlsx(path, sheets):
    """sheets: {title: [header, *rows]}; Python dates become real Excel date cells."""
    return write_workbook(path, sheets)


# ----------------------------------------------------------------------------- shape and dtypes


def test_result_has_exactly_the_canonical_columns_dtypes_and_order(tmp_path, write_register, make_row):
    write_register(
        tmp_path,
        [
            make_row(klacht_id="B", datum_ontvangst="2024-03-01"),
            make_row(klacht_id="A", datum_ontvangst="2024-03-01"),
            make_row(klacht_id="C", datum_ontvangst="2024-01-02", verdaagd="", datum_afgehandeld=""),
        ],
    )
    register = read(tmp_path)
    assert tuple(register.columns) == vocab.CANONICAL_COLUMNS
    assert list(register["klacht_id"]) == ["C", "A", "B"]
    assert list(register.index) == [0, 1, 2]
    assert register["datum_ontvangst"].dtype == "datetime64[ns]"
    assert register["verdaagd"].dtype == "boolean"
    assert register["verdaagd"].isna().tolist() == [True, False, False]
    assert register["datum_afgehandeld"].isna().tolist() == [True, False, False]


def test_missing_optional_columns_become_all_missing(tmp_path, write_register):
    write_register(tmp_path, [{"klacht_id": "1", "datum_ontvangst": "2024-03-05", "status": "voorkomen"}])
    register = read(tmp_path)
    assert tuple(register.columns) == vocab.CANONICAL_COLUMNS
    assert register.drop(columns=["klacht_id", "datum_ontvangst", "status"]).isna().all().all()


def test_dates_are_normalised_to_midnight(tmp_path, write_register, make_row):
    write_register(
        tmp_path, [make_row(datum_ontvangst="05-03-2024 14:31", datum_afgehandeld="2024-03-20T09:00:00")]
    )
    register = read(tmp_path)
    assert register.at[0, "datum_ontvangst"] == pd.Timestamp("2024-03-05")
    assert register.at[0, "datum_afgehandeld"] == pd.Timestamp("2024-03-20")


# ----------------------------------------------------------------------------- form: CSV


def test_semicolon_separator(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row(aard="geen oplossing, of te laat")], sep=";")
    register = read(tmp_path)
    assert register.at[0, "aard"] == "geen oplossing, of te laat"
    assert register.at[0, "team"] == "Burgerzaken"


def test_utf8_with_bom(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row(team="Zorg & Welzijn – Coördinatie")], encoding="utf-8-sig")
    register = read(tmp_path)
    assert register.at[0, "klacht_id"] == "K-001"
    assert register.at[0, "team"] == "Zorg & Welzijn – Coördinatie"


def test_windows_1252(tmp_path, write_register, make_row):
    team = "Wijkbeheer & Openbare ruimte – Coördinatie, financiën"
    path = write_register(tmp_path, [make_row(team=team)], sep=";", encoding="cp1252")
    assert "ë".encode("cp1252") in path.read_bytes()
    assert read(tmp_path).at[0, "team"] == team


@pytest.mark.parametrize(
    "header", ["Datum ontvangst", "datum_ontvangst", "DATUM-ONTVANGST", "  Datum_Ontvangst "]
)
def test_header_variants_are_one_column(tmp_path, write_register, header):
    write_register(tmp_path, [{"Klacht ID": "1", header: "2024-03-05", "STATUS": "voorkomen"}])
    assert read(tmp_path).at[0, "datum_ontvangst"] == pd.Timestamp("2024-03-05")


def test_values_are_trimmed_and_matched_case_insensitively(tmp_path, write_register, make_row):
    write_register(
        tmp_path,
        [
            make_row(
                klacht_id=" 1 ", status="  AFGEHANDELD ", behandeling="Formeel", oordeel="Deels-Gegrond"
            ),
            make_row(klacht_id="2", status="Niet ontvankelijk", reden="  Buiten termijn  ", kanaal="Email"),
            make_row(
                klacht_id="3", status="NIET-ONTVANKELIJK", reden="x", verdaagd="JA", aard=" Geen Oplossing "
            ),
            make_row(klacht_id="4", status="In-behandeling", kanaal="sociale_media", ombudsman="Ja"),
        ],
    )
    register = read(tmp_path).set_index("klacht_id")
    assert register["status"].tolist() == [
        "afgehandeld",
        "niet-ontvankelijk",
        "niet-ontvankelijk",
        "in behandeling",
    ]
    assert register.at["1", "oordeel"] == "deels gegrond"
    assert register.at["1", "behandeling"] == "formeel"
    assert register.at["2", "reden"] == "Buiten termijn"
    assert register.at["2", "kanaal"] == "e-mail"
    assert register.at["4", "kanaal"] == "sociale media"
    assert register.at["3", "aard"] == "geen oplossing"
    assert bool(register.at["3", "verdaagd"]) is True
    assert bool(register.at["4", "ombudsman"]) is True


def test_blank_lines_are_skipped_and_rows_keep_their_line_numbers(tmp_path, write_register):
    write_register(
        tmp_path,
        "klacht_id;datum_ontvangst;status\n1;2024-03-05;voorkomen\n\n;;\n2;2024-03-06;onbekend\n",
    )
    problem = only_problem(tmp_path)
    assert (problem.row, problem.klacht_id, problem.column) == (5, "2", "status")


def test_quoted_field_spanning_lines_keeps_line_numbers(tmp_path, write_register):
    write_register(
        tmp_path,
        "klacht_id,omschrijving,datum_ontvangst,status\n"
        '1,"regel een\nregel twee, met komma",2024-03-05,voorkomen\n'
        '2,"kort",2024-03-06,fout\n',
    )
    problem = only_problem(tmp_path)
    assert (problem.row, problem.klacht_id) == (4, "2")


def test_row_with_more_fields_than_header_is_an_error_that_quotes_nothing(tmp_path, write_register):
    write_register(
        tmp_path,
        "klacht_id,naam klager,datum_ontvangst,status\n1,Jansen,2024-03-05,voorkomen\n"
        "2,Jansen, Piet MARKER,2024-03-06,voorkomen\n",
    )
    problem = only_problem(tmp_path)
    assert problem.row == 3
    assert problem.klacht_id is None
    assert "velden" in problem.message
    assert "MARKER" not in str(problem) and "Piet" not in str(problem)


# ----------------------------------------------------------------------------- form: Excel


def test_xlsx_with_real_date_cells(tmp_path):
    write_xlsx(
        tmp_path / "klachtenregister.xlsx",
        {
            "Klachten": [
                ["Klacht ID", "Datum ontvangst", "Status", "Team", "Datum afgehandeld", "Verdaagd"],
                [
                    101,
                    datetime(2024, 3, 5, 14, 30),
                    "Afgehandeld",
                    "Burgerzaken",
                    datetime(2024, 4, 1),
                    "nee",
                ],
                ["K-2", "6 maart 2024", "voorkomen", None, None, None],
                [103.0, 45358, "in behandeling", None, None, True],
            ]
        },
    )
    register = read(tmp_path).set_index("klacht_id")
    assert register.index.tolist() == ["101", "K-2", "103"]
    assert register.at["101", "datum_ontvangst"] == pd.Timestamp("2024-03-05")
    assert register.at["101", "datum_afgehandeld"] == pd.Timestamp("2024-04-01")
    assert register.at["K-2", "datum_ontvangst"] == pd.Timestamp("2024-03-06")
    assert register.at["103", "datum_ontvangst"] == pd.Timestamp("2024-03-07")  # Excel day number
    assert bool(register.at["103", "verdaagd"]) is True


def test_xlsx_prefers_the_sheet_named_klachten(tmp_path):
    write_xlsx(
        tmp_path / "klachtenregister.xlsx",
        {
            "Toelichting": [["Dit tabblad is uitleg"]],
            "KLACHTEN": [["klacht_id", "datum_ontvangst", "status"], ["1", date(2024, 3, 5), "voorkomen"]],
        },
    )
    assert read(tmp_path)["klacht_id"].tolist() == ["1"]


def test_xlsx_without_klachten_sheet_uses_the_first(tmp_path):
    write_xlsx(
        tmp_path / "klachtenregister.xlsx",
        {
            "Blad1": [["klacht_id", "datum_ontvangst", "status"], ["1", date(2024, 3, 5), "voorkomen"]],
            "Blad2": [["iets anders"]],
        },
    )
    assert read(tmp_path)["klacht_id"].tolist() == ["1"]


def test_xlsx_problem_row_is_the_sheet_row(tmp_path):
    write_xlsx(
        tmp_path / "klachtenregister.xlsx",
        {
            "Klachten": [
                ["klacht_id", "datum_ontvangst", "status"],
                ["1", date(2024, 3, 5), "voorkomen"],
                [None, None, None],
                ["3", date(2024, 3, 5), "kwijt"],
            ]
        },
    )
    problem = only_problem(tmp_path)
    assert (problem.row, problem.klacht_id, problem.column) == (4, "3", "status")


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-05",
        "2024/03/05",
        "5-3-2024",
        "05-03-2024",
        "5/3/2024",
        "05.03.2024",
        "5-3-24",
        "5 maart 2024",
        "5 Maart 2024",
        "5 mrt 2024",
        "5 mrt. 2024",
        "05-mrt-2024",
        "dinsdag 5 maart 2024",
        "2024-03-05 00:00:00",
        "5-3-2024 09:15",
        "5 maart 2024 10:00",
        "2024-03-05T10:00:00Z",
        "45356",
        "45356.75",
    ],
)
def test_every_accepted_date_format(tmp_path, write_register, make_row, text):
    write_register(tmp_path, [make_row(datum_ontvangst=text, datum_afgehandeld="")], sep=";")
    assert read(tmp_path).at[0, "datum_ontvangst"] == pd.Timestamp("2024-03-05")


@pytest.mark.parametrize(
    "month, number", [("januari", 1), ("feb", 2), ("mei", 5), ("okt", 10), ("december", 12)]
)
def test_dutch_month_names(month, number):
    parsed = parse_dates(pd.Series([f"1 {month} 2023"], dtype="str"))
    assert parsed.iloc[0] == pd.Timestamp(2023, number, 1)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_parse_dates_reads_iso_and_dutch_spellings_of_the_same_day(day):
    texts = [
        day.isoformat(),
        f"{day.day}-{day.month}-{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
    ]
    parsed = parse_dates(pd.Series(texts, dtype="str"))
    assert (parsed == pd.Timestamp(day)).all()
    assert parsed.dtype == "datetime64[ns]"


def test_parse_dates_keeps_index_and_gives_nat_for_empty_and_nonsense():
    values = pd.Series(["2024-03-05", None, "geen datum", "31-02-2024"], index=[7, 3, 9, 1], dtype="str")
    parsed = parse_dates(values)
    assert parsed.index.tolist() == [7, 3, 9, 1]
    assert parsed.isna().tolist() == [False, True, True, True]


# ----------------------------------------------------------------------------- klachten.toml


def test_toml_header_alias_and_value_alias(tmp_path, write_register):
    (tmp_path / "klachten.toml").write_text(
        '[kolommen]\n"Zaaknummer" = "klacht_id"\n"Binnengekomen op" = "datum_ontvangst"\n'
        '[waarden.status]\n"Ingetrokken door klager" = "ingetrokken"\n'
        '[waarden.kanaal]\n"Mijn Gemeente app" = "webformulier"\n',
        encoding="utf-8",
    )
    write_register(
        tmp_path,
        [
            {
                "Zaaknummer": "Z1",
                "Binnengekomen op": "5-3-2024",
                "Status": "ingetrokken DOOR klager",
                "Reden": "Klager trok de klacht in",
                "Kanaal": "mijn gemeente APP",
            }
        ],
    )
    register = read(tmp_path)
    assert register.at[0, "klacht_id"] == "Z1"
    assert register.at[0, "status"] == "ingetrokken"
    assert register.at[0, "kanaal"] == "webformulier"


def test_team_renames_are_applied(tmp_path, write_register, make_row):
    (tmp_path / "klachten.toml").write_text(
        '[teams]\n"Burgerzaken" = "Publiekszaken"\n"Publiekszaken" = "Dienstverlening"\n', encoding="utf-8"
    )
    write_register(
        tmp_path, [make_row(klacht_id="1", team="Burgerzaken"), make_row(klacht_id="2", team="Wonen")]
    )
    assert read(tmp_path)["team"].tolist() == ["Dienstverlening", "Wonen"]


def test_team_renames_ignore_case_and_spaces(tmp_path, write_register, make_row):
    renames = '[teams]\n"Publiekszaken " = "Dienstverlening"\n"openbare ruimte" = "Buitenruimte"\n'
    (tmp_path / "klachten.toml").write_text(renames, encoding="utf-8")
    rows = [("1", "publiekszaken"), ("2", " PUBLIEKSZAKEN"), ("3", "Openbare  Ruimte"), ("4", "Wonen")]
    write_register(tmp_path, [make_row(klacht_id=number, team=team) for number, team in rows])
    assert read(tmp_path)["team"].tolist() == ["Dienstverlening", "Dienstverlening", "Buitenruimte", "Wonen"]


CATALOGUE_TOML = (
    '[redenen]\ncatalogus = ["De klacht betrof een melding", "Klager trok de klacht in"]\n'
    '[waarden.reden]\n"melding" = "De klacht betrof een melding"\n'
)


def test_reasons_take_the_catalogue_spelling(tmp_path, write_register, make_row):
    (tmp_path / "klachten.toml").write_text(CATALOGUE_TOML, encoding="utf-8")
    write_register(
        tmp_path,
        [
            make_row(klacht_id="1", status="ingetrokken", reden="klager trok de klacht in."),
            make_row(klacht_id="2", status="afgebroken", reden="De klacht betrof een melding;"),
            make_row(klacht_id="3", status="doorgestuurd", reden="Melding"),
        ],
    )
    assert read(tmp_path)["reden"].tolist() == [
        "Klager trok de klacht in",
        "De klacht betrof een melding",
        "De klacht betrof een melding",
    ]


def test_reason_outside_the_catalogue_is_an_error_listing_it(tmp_path, write_register, make_row):
    (tmp_path / "klachten.toml").write_text(CATALOGUE_TOML, encoding="utf-8")
    write_register(tmp_path, [make_row(status="ingetrokken", reden="Zomaar")])
    problem = only_problem(tmp_path)
    assert problem.column == "reden"
    assert "'Zomaar'" in problem.message
    assert "De klacht betrof een melding" in problem.hint
    assert '[waarden.reden] toe: "Zomaar" = ' in problem.hint


# ----------------------------------------------------------------------------- several files


def test_identical_duplicate_across_files_counts_once(tmp_path, write_register, make_row):
    write_register(
        tmp_path, [make_row(klacht_id="1"), make_row(klacht_id="2")], name="klachtenregister-2024a.csv"
    )
    write_register(
        tmp_path,
        [make_row(klacht_id="2", status=" Afgehandeld"), make_row(klacht_id="3")],
        name="klachtenregister-2024b.csv",
        sep=";",
    )
    folder = load_data_folder(tmp_path, today=TODAY)
    assert sorted(folder.register["klacht_id"]) == ["1", "2", "3"]
    assert [w.file for w in folder.warnings] == [str(tmp_path / "klachtenregister-2024b.csv")]


def test_identical_duplicate_within_one_file_counts_once(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row(klacht_id="1"), make_row(klacht_id="1")])
    assert read(tmp_path)["klacht_id"].tolist() == ["1"]


def test_conflicting_duplicate_within_one_file_is_an_error(tmp_path, write_register, make_row):
    # " 7" is 7 once trimmed: one file, one klacht_id twice, with other content
    path = write_register(tmp_path, [make_row(klacht_id="7"), make_row(klacht_id=" 7 ", team="Wonen")])
    problem = only_problem(tmp_path)
    assert (problem.file, problem.row, problem.klacht_id) == (str(path), 3, "7")


def test_conflicting_duplicate_is_an_error_naming_both_places(tmp_path, write_register, make_row):
    first = write_register(tmp_path, [make_row(klacht_id="7")], name="klachtenregister-a.csv")
    second = write_register(
        tmp_path,
        [make_row(klacht_id="0"), make_row(klacht_id="7", team="Wonen")],
        name="klachtenregister-b.csv",
    )
    problem = only_problem(tmp_path)
    assert (problem.file, problem.row, problem.klacht_id) == (str(second), 3, "7")
    assert str(first) in problem.message and "regel 2" in problem.message
    assert "team" in problem.message


def test_csv_and_xlsx_files_are_read_together_in_name_order(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row(klacht_id="1")], name="klachtenregister-1.csv")
    write_xlsx(
        tmp_path / "klachtenregister-2.xlsx",
        {"Klachten": [["klacht_id", "datum_ontvangst", "status"], ["2", date(2024, 1, 1), "voorkomen"]]},
    )
    write_register(tmp_path, [make_row(klacht_id="3")], name="andere-export.csv")
    assert read(tmp_path)["klacht_id"].tolist() == ["2", "1"]


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize("column", vocab.REQUIRED_COLUMNS)
def test_missing_required_column(tmp_path, write_register, make_row, column):
    row = make_row()
    del row[column]
    write_register(tmp_path, [row])
    problem = only_problem(tmp_path)
    assert (problem.column, problem.row) == (column, 1)
    assert "ontbreekt" in problem.message
    assert "[kolommen]" in problem.hint


def test_two_headers_meaning_the_same_column(tmp_path, write_register):
    write_register(
        tmp_path, "klacht_id;Datum ontvangst;status;DATUM_ONTVANGST\n1;2024-03-05;voorkomen;2024-03-05\n"
    )
    problem = only_problem(tmp_path)
    assert problem.column == "datum_ontvangst"
    assert "'Datum ontvangst'" in problem.message and "'DATUM_ONTVANGST'" in problem.message


def test_empty_file(tmp_path, write_register):
    write_register(tmp_path, "")
    assert "leeg" in only_problem(tmp_path).message


def test_header_only_file(tmp_path, write_register):
    write_register(tmp_path, "klacht_id;datum_ontvangst;status\n;;\n")
    problem = only_problem(tmp_path)
    assert "alleen een kopregel" in problem.message


def test_missing_datum_ontvangst(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row(datum_ontvangst="  ")])
    problem = only_problem(tmp_path)
    assert (problem.column, problem.row, problem.klacht_id) == ("datum_ontvangst", 2, "K-001")
    assert "leeg" in problem.message


@pytest.mark.parametrize("column", vocab.DATE_COLUMNS)
def test_unparseable_date(tmp_path, write_register, make_row, column):
    write_register(tmp_path, [make_row(**{column: "31-02-2024"})])
    problem = only_problem(tmp_path)
    assert problem.column == column
    assert "'31-02-2024' is geen geldige datum" in problem.message
    assert "5-3-2024" in problem.hint


@pytest.mark.parametrize(
    "column, value",
    [
        ("status", "Intrekking"),
        ("behandeling", "heel formeel"),
        ("oordeel", "terecht"),
        ("verdaagd", "misschien"),
        ("kanaal", "postduif"),
        ("ombudsman", "wellicht"),
    ],
)
def test_unknown_value_in_a_closed_column(tmp_path, write_register, make_row, column, value):
    write_register(tmp_path, [make_row(**{column: value})])
    problem = only_problem(tmp_path)
    assert problem.column == column
    assert f"'{value}'" in problem.message
    assert all(allowed in problem.hint for allowed in vocab.ALLOWED_VALUES[column])
    assert f'onder [waarden.{column}] toe: "{value}" = ' in problem.hint


@pytest.mark.parametrize(
    "value, line",
    [
        ("Ingetrokken door klager", '"Ingetrokken door klager" = "ingetrokken"'),
        ("afgehandelt", '"afgehandelt" = "afgehandeld"'),
        ("Intrekking", '"Intrekking" = "<toegestane waarde>"'),
    ],
)
def test_unknown_value_hint_gives_the_toml_alias_line(tmp_path, write_register, make_row, value, line):
    write_register(tmp_path, [make_row(status=value, reden="x")])
    hint = only_problem(tmp_path).hint
    assert hint.endswith(f"Voeg anders in klachten.toml onder [waarden.status] toe: {line}")


@pytest.mark.parametrize("status", vocab.NOT_HANDLED)
def test_missing_reason_when_not_handled_on_its_merits(tmp_path, write_register, make_row, status):
    write_register(tmp_path, [make_row(status=status, reden="")])
    problem = only_problem(tmp_path)
    assert problem.column == "reden"
    assert status in problem.message


def test_missing_team_when_handled(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row(team=""), make_row(klacht_id="2", status="in behandeling", team="")])
    problem = only_problem(tmp_path)
    assert (problem.column, problem.klacht_id) == ("team", "K-001")


def test_closed_before_received(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row(datum_ontvangst="2024-03-05", datum_afgehandeld="4-3-2024")])
    problem = only_problem(tmp_path)
    assert problem.column == "datum_afgehandeld"
    assert "vóór" in problem.message


@pytest.mark.parametrize("column", vocab.DATE_COLUMNS)
def test_date_in_the_future(tmp_path, write_register, make_row, column):
    dates = {"datum_ontvangst": "2025-01-30", "datum_afgehandeld": "", column: "2025-02-01"}
    write_register(tmp_path, [make_row(**dates)])
    problem = only_problem(tmp_path)
    assert problem.column == column
    assert "toekomst" in problem.message


def test_future_defaults_to_the_real_today(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row(datum_ontvangst="1-1-2199", datum_afgehandeld="")])
    with pytest.raises(DataError, match="toekomst"):
        read_register(tmp_path)


def test_corrupt_xlsx_is_unreadable(tmp_path):
    (tmp_path / "klachtenregister.xlsx").write_bytes(b"PK\x03\x04 dit is geen werkmap")
    problem = only_problem(tmp_path)
    assert "kan niet worden gelezen" in problem.message


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 4, b"\xff\xfek\x00l\x00a\x00c\x00h\x00t\x00", b"PK\x03\x04\x14\x00\x06\x00"],
    ids=["binary", "utf-16", "xlsx-named-csv"],
)
def test_bytes_that_are_not_a_csv_are_unreadable(tmp_path, data):
    (tmp_path / "klachtenregister.csv").write_bytes(data)
    problem = only_problem(tmp_path)
    assert "kan niet worden gelezen" in problem.message
    assert problem.hint


def test_all_problems_are_reported_in_one_pass(tmp_path, write_register, make_row):
    write_register(
        tmp_path,
        [
            make_row(klacht_id="1", status="zoekgeraakt"),
            make_row(klacht_id="2", team=""),
            make_row(klacht_id="3", datum_ontvangst="gisteren"),
        ],
    )
    problems = problems_of(tmp_path)
    assert [(p.row, p.klacht_id, p.column) for p in problems] == [
        (2, "1", "status"),
        (3, "2", "team"),
        (4, "3", "datum_ontvangst"),
    ]
    assert all(p.file == str(tmp_path / "klachtenregister.csv") and p.message and p.hint for p in problems)


def test_problems_of_several_files_are_collected_together(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row(status="kwijt")], name="klachtenregister-1.csv")
    write_register(tmp_path, "", name="klachtenregister-2.csv")
    (tmp_path / "klantcontacten.csv").write_text("jaar,kanaal,aantal\n2024,duif,3\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_data_folder(tmp_path, today=TODAY)
    files = [p.file for p in caught.value.errors]
    assert files == [
        str(tmp_path / "klachtenregister-1.csv"),
        str(tmp_path / "klachtenregister-2.csv"),
        str(tmp_path / "klantcontacten.csv"),
    ]


# ----------------------------------------------------------------------------- read-only, privacy


def test_input_files_are_never_modified(tmp_path, write_register, make_row):
    csv_path = write_register(tmp_path, [make_row(status="kwijt")], name="klachtenregister-a.csv")
    xlsx_path = write_xlsx(
        tmp_path / "klachtenregister-b.xlsx",
        {"Klachten": [["klacht_id", "datum_ontvangst", "status"], ["2", date(2024, 1, 1), "voorkomen"]]},
    )
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (csv_path, xlsx_path)}
    with pytest.raises(DataError):
        load_data_folder(tmp_path, today=TODAY)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["klachtenregister-a.csv", "klachtenregister-b.xlsx"]


PERSONAL = {
    "Naam klager": "MARKER-NAAM",
    "Adres": "MARKER-ADRES",
    "Omschrijving": "MARKER-OMSCHRIJVING; met, tekens",
    "E-mail": "marker-mail@example.org",
    "BSN": "999999990",
}


def test_personal_columns_never_reach_the_frame(tmp_path, write_register, make_row):
    write_register(tmp_path, [{**make_row(), **PERSONAL}], name="klachtenregister-a.csv", sep=";")
    write_xlsx(
        tmp_path / "klachtenregister-b.xlsx",
        {
            "Klachten": [
                [*make_row(klacht_id="X"), *PERSONAL],
                [*make_row(klacht_id="X").values(), *PERSONAL.values()],
            ]
        },
    )
    register = read(tmp_path)
    dumped = register.to_csv() + " ".join(register.columns)
    for marker in ("MARKER", "marker", "999999990", "Naam", "Adres", "Omschrijving", "BSN"):
        assert marker not in dumped


def test_personal_values_never_appear_in_error_messages(tmp_path, write_register, make_row):
    write_register(
        tmp_path,
        [
            {**make_row(klacht_id="1", status="kwijt"), **PERSONAL},
            {**make_row(klacht_id="1", team="Anders"), **PERSONAL},
            {**make_row(klacht_id="3", datum_ontvangst="nooit", team=""), **PERSONAL},
        ],
        sep=";",
    )
    with pytest.raises(DataError) as caught:
        read(tmp_path)
    text = str(caught.value)
    assert len(caught.value.errors) >= 4
    for marker in ("MARKER", "marker", "999999990"):
        assert marker not in text


# ----------------------------------------------------------------------------- the folder


def test_missing_data_folder(tmp_path):
    with pytest.raises(DataError, match="bestaat niet"):
        load_data_folder(tmp_path / "nergens")


def test_folder_without_register_file(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row()], name="register.csv")
    with pytest.raises(DataError, match="geen klachtenregister gevonden"):
        load_data_folder(tmp_path)


def test_old_excel_format_is_named_as_ignored(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row()])
    (tmp_path / "klachtenregister-oud.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    folder = load_data_folder(tmp_path, today=TODAY)
    assert [w.file for w in folder.warnings] == [str(tmp_path / "klachtenregister-oud.xls")]


def test_broken_toml_is_reported_together_with_register_problems(tmp_path, write_register, make_row):
    (tmp_path / "klachten.toml").write_text("[kolommen\n", encoding="utf-8")
    write_register(tmp_path, [make_row(status="kwijt")])
    with pytest.raises(DataError) as caught:
        load_data_folder(tmp_path, today=TODAY)
    assert [p.file for p in caught.value.errors] == [
        str(tmp_path / "klachten.toml"),
        str(tmp_path / "klachtenregister.csv"),
    ]


def test_load_data_folder_returns_register_contacts_and_settings(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row()])
    (tmp_path / "klantcontacten.csv").write_text("jaar;kanaal;aantal\n2024;Telefoon;1200\n", encoding="utf-8")
    (tmp_path / "klachten.toml").write_text("[termijnen]\nbehandeltermijn_weken = 8\n", encoding="utf-8")
    folder = load_data_folder(tmp_path, today=TODAY)
    assert folder.register["klacht_id"].tolist() == ["K-001"]
    assert folder.contacts["aantal"].tolist() == [1200]
    assert folder.settings.term_weeks == 8
    assert folder.warnings == []


# ----------------------------------------------------------------------------- klantcontacten.csv


def test_contacts_absent_gives_an_empty_typed_frame(tmp_path):
    contacts = read_contacts(tmp_path)
    assert contacts.empty
    assert list(contacts.columns) == ["jaar", "kanaal", "aantal"]
    assert contacts.dtypes.astype(str).tolist() == ["int64", "str", "Int64"]


def test_contacts_are_read_with_canonical_channels_and_unknown_amounts(tmp_path):
    (tmp_path / "klachten.toml").write_text('[waarden.kanaal]\n"Post" = "brief"\n', encoding="utf-8")
    (tmp_path / "klantcontacten.csv").write_bytes(
        "\ufeffJaar;Kanaal;Aantal\n2024;Telefoon;1.250\n2024;E_mail;\n2023;post;80\n".encode()
    )
    contacts = read_contacts(tmp_path)
    assert contacts["jaar"].tolist() == [2023, 2024, 2024]
    assert contacts["kanaal"].tolist() == ["brief", "e-mail", "telefoon"]
    assert contacts["aantal"].isna().tolist() == [False, True, False]
    assert contacts["aantal"].iloc[2] == 1250
    assert contacts.dtypes.astype(str).tolist() == ["int64", "str", "Int64"]


def test_contacts_empty_year_is_named_as_empty(tmp_path):
    (tmp_path / "klantcontacten.csv").write_text("jaar;kanaal;aantal\n;brief;3\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_contacts(tmp_path)
    assert [(p.row, p.column, p.message) for p in caught.value.errors] == [(2, "jaar", "jaar is leeg.")]


def test_contacts_bad_rows_are_problems(tmp_path):
    (tmp_path / "klantcontacten.csv").write_text(
        "jaar,kanaal,aantal\n2024,telefoon,12\n24,brief,3\n2024,duif,3\n2024,balie,veel\n2024,Telefoon,13\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        read_contacts(tmp_path)
    assert [(p.row, p.column) for p in caught.value.errors] == [
        (3, "jaar"),
        (4, "kanaal"),
        (5, "aantal"),
        (6, "kanaal"),
    ]
    assert "regel 2" in caught.value.errors[-1].message


def test_fast_date_route_agrees_with_the_spelled_route_on_tricky_values():
    import pandas as pd

    from klachtlib.reading.dates import _parse_date_texts, _parse_spelled

    values = pd.Series(
        ["05-03-2024", "5-3-2024", "2024-3-5", "31-02-2024", "1800-01-01", "2924-01-01", "05-03-24",
         "05-03-2024 10:00", " 5-3-2024", "5 maart 2024", "45000", "2024-13-01", "00-01-2024",
         "2024/03/05", "05.03.2024", "05-03/2024", "29-02-2024", "29-02-2023", "29-02-2100", "31-12-2200",
         "01-01-2201", "2024-04-31", "2024-03-05x", "0x-03-2024", "2024-03-0", "",
         "5 foo 2024", "5 Maart 2024", "05 mrt 2024", "5 maart 24", "5 sept 2024", "5 maart 2024 ",
         "31 april 2024", "\u0665 maart 2024", "5 maart 12024", "123 maart 2024"],
        dtype=object,
    )  # fmt: skip
    assert _parse_date_texts(values).equals(_parse_spelled(values))
    assert _parse_date_texts(values).notna().sum() == 18


_DATE_PART = st.one_of(
    st.integers(0, 40).map("{:02d}".format), st.integers(0, 13).map(str), st.text("0123456789x ", max_size=3)
)
_YEAR_PART = st.one_of(st.integers(1850, 2250).map(str), st.integers(0, 99).map("{:02d}".format))
_SEPARATOR = st.sampled_from(["-", "/", ".", " ", "--"])
_DMY = st.tuples(_DATE_PART, _SEPARATOR, _DATE_PART, _SEPARATOR, _YEAR_PART).map("".join)
_YMD = st.tuples(_YEAR_PART, _SEPARATOR, _DATE_PART, _SEPARATOR, _DATE_PART).map("".join)
_MONTH_NAME = st.sampled_from(["maart", "Maart", "MRT", "mrt.", "sept", "mei", "foo", "", "maart "])
_NAMED_SEPARATOR = st.sampled_from([" ", " ", " ", "  ", "-"])
_NAMED = st.tuples(_DATE_PART, _NAMED_SEPARATOR, _MONTH_NAME, _NAMED_SEPARATOR, _YEAR_PART).map("".join)


@given(
    st.lists(st.one_of(_DMY, _YMD, _NAMED, st.text("0123456789-/. ", max_size=11)), min_size=1, max_size=30)
)
@settings(max_examples=200, deadline=None)
def test_fast_date_routes_agree_with_the_spelled_route_on_generated_spellings(texts):
    import pandas as pd

    from klachtlib.reading.dates import _parse_date_texts, _parse_spelled

    values = pd.Series(texts, dtype=object)
    assert _parse_date_texts(values).equals(_parse_spelled(values))


# --------------------------------------------------------------------------- ombudsman outcome (issue 22)


def test_ombudsman_outcome_is_a_closed_vocabulary_with_an_alias_hint(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row(ombudsman="ja", ombudsman_uitkomst="Niet-behoorlijk")])
    assert read_register(tmp_path)["ombudsman_uitkomst"].tolist() == ["niet behoorlijk"]
    write_register(tmp_path, [make_row(ombudsman="ja", ombudsman_uitkomst="Gegrond")])
    with pytest.raises(DataError) as raised:
        read_register(tmp_path)
    (problem,) = raised.value.errors
    assert problem.column == "ombudsman_uitkomst" and "onbekende waarde 'Gegrond'" in problem.message
    assert all(outcome in problem.hint for outcome in vocab.OMBUDSMAN_OUTCOMES)


def test_an_ombudsman_outcome_while_ombudsman_says_nee_is_an_error(tmp_path, write_register, make_row):
    write_register(tmp_path, [make_row(klacht_id="K-7", ombudsman="nee", ombudsman_uitkomst="bemiddeld")])
    with pytest.raises(DataError) as raised:
        read_register(tmp_path)
    (problem,) = raised.value.errors
    assert (problem.row, problem.klacht_id, problem.column) == (2, "K-7", "ombudsman_uitkomst")
    assert "maar ombudsman is 'nee'" in problem.message
