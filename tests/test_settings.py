"""klachten.toml: every section and key is checked, errors name the line (shared/spec/register.md)."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest

from klachtlib.errors import DataError, Problem, grouped_lines
from klachtlib.reading.settings import load_settings


def settings_of(tmp_path, text):
    (tmp_path / "klachten.toml").write_text(text, encoding="utf-8")
    return load_settings(tmp_path)


def problems_of(tmp_path, text):
    with pytest.raises(DataError) as caught:
        settings_of(tmp_path, text)
    return caught.value.problems


def test_unknown_section_is_an_error_naming_its_line(tmp_path):
    (problem,) = problems_of(
        tmp_path, '[kolommen]\n"Zaaknummer" = "klacht_id"\n\n[waardes.status]\n"x" = "y"\n'
    )
    assert problem.row == 4
    assert "onbekend onderdeel [waardes]" in problem.message
    assert "[waarden]" in problem.hint


def test_unknown_key_in_a_known_section_is_an_error_naming_its_line(tmp_path):
    (problem,) = problems_of(tmp_path, "[termijnen]\nbehandeltermijn_weken = 6\nverdagings_weken = 4\n")
    assert (problem.row, problem.column) == (3, "termijnen")
    assert "'verdagings_weken'" in problem.message


def test_mapping_to_a_column_that_does_not_exist_names_the_line(tmp_path):
    problems = problems_of(
        tmp_path,
        '[kolommen]\n"Zaaknummer" = "klacht_id"\n"Afdeling" = "teams"\n'
        '[afleiden."Resultaat"]\n"Gegrond" = { status = "afgehandeld", uitkomst = "gegrond" }\n'
        '[waarden.fase]\n"Open" = "in behandeling"\n',
    )
    assert [(p.row, p.column) for p in problems] == [(3, "kolommen"), (5, "afleiden"), (6, "waarden")]
    assert "'teams'" in problems[0].message and "'uitkomst'" in problems[1].message


def test_an_empty_alias_where_it_has_no_meaning_is_an_error(tmp_path):
    problems = problems_of(
        tmp_path, '[kolommen]\n"" = "team"\n[waarden.status]\n"" = "afgehandeld"\n[teams]\n"Oud" = ""\n'
    )
    assert [p.row for p in problems] == [2, 4, 6]


def test_an_empty_value_alias_means_not_recorded_and_is_accepted(tmp_path):
    settings = settings_of(tmp_path, '[waarden.oordeel]\n"n.v.t." = ""\n')
    assert settings.value_aliases == {"oordeel": {"n.v.t.": ""}}


def test_value_alias_to_a_value_that_is_not_allowed_is_an_error(tmp_path):
    (problem,) = problems_of(tmp_path, '[waarden.status]\n"Klaar" = "afgerond"\n')
    assert problem.row == 2 and "'afgerond'" in problem.message


def test_bestand_settings_are_read(tmp_path):
    settings = settings_of(
        tmp_path,
        '[bestand]\nkopregel = 4\ntabbladen = "alle"\ndatumvolgorde = "maand-dag"\ntijdzone = "UTC"\n'
        'klacht_id = "regelnummer"\n',
    )
    assert (settings.header_row, settings.sheets, settings.month_first, settings.timezone) == (
        4,
        (),
        True,
        "UTC",
    )
    assert settings.id_from_line
    assert settings_of(tmp_path, '[bestand]\ntabbladen = ["2023", "2024"]\n').sheets == ("2023", "2024")
    assert settings_of(tmp_path, "").sheets is None


def test_bestand_values_are_checked(tmp_path):
    problems = problems_of(
        tmp_path,
        '[bestand]\nkopregel = 0\ntabbladen = 3\ndatumvolgorde = "jaar-maand"\n'
        'tijdzone = "Europa/Amsterdam"\n'
        'klacht_id = "Zaaknummer"\n',
    )
    assert [p.row for p in problems] == [2, 3, 4, 5, 6]


def test_afleiden_and_overslaan_are_read(tmp_path):
    settings = settings_of(
        tmp_path,
        '[afleiden."Resultaat"]\n"Gegrond" = { status = "afgehandeld", oordeel = "gegrond" }\n'
        '"" = { status = "in behandeling" }\n[overslaan]\n"Zaaktype" = ["Compliment", "Melding"]\n',
    )
    derivation = settings.derivations["resultaat"]
    assert derivation.values == {
        "gegrond": {"status": "afgehandeld", "oordeel": "gegrond"},
        "": {"status": "in behandeling"},
    }
    assert derivation.columns == ("status", "oordeel")
    assert settings.skip_rules["zaaktype"].values == ("Compliment", "Melding")


def test_normen_and_woo_are_parsed(tmp_path):
    settings = settings_of(
        tmp_path,
        "[normen]\nbinnen_termijn_procent = 90\ninformeel_procent = 62.5\n"
        "[woo]\nkenmerk_tonen = true\nminimum = 5\n",
    )
    assert settings.norms == {"binnen_termijn_procent": 90.0, "informeel_procent": 62.5}
    assert (settings.woo_show_id, settings.woo_minimum) == (True, 5)
    defaults = settings_of(tmp_path, "")
    assert (defaults.norms, defaults.woo_show_id, defaults.woo_minimum) == ({}, False, 5)  # README: why 5


def test_normen_and_woo_are_checked(tmp_path):
    problems = problems_of(
        tmp_path,
        "[normen]\ngegrond_procent_max = 120\nafgehandeld_procent = 50\n"
        '[woo]\nkenmerk_tonen = "ja"\nminimum = 0\n',
    )
    assert [p.row for p in problems] == [2, 3, 5, 6]


def test_settings_file_that_is_a_folder_is_a_dutch_error(tmp_path):
    (tmp_path / "klachten.toml").mkdir()
    with pytest.raises(DataError) as caught:
        load_settings(tmp_path)
    assert "map" in caught.value.problems[0].message


# ----------------------------------------------------------------------------- grouped errors


def test_errors_are_grouped_one_line_per_distinct_problem():
    problems = [
        Problem("r.csv", "onbekende waarde 'x' voor status.", "Hint.", row=n, column="status")
        for n in range(2, 40)
    ]
    problems.append(Problem("r.csv", "status is leeg.", row=41, column="status"))
    assert grouped_lines(problems) == [
        "Fout in r.csv, 38 regels (2, 3, 4, 5, 6, ...), kolom 'status': "
        "onbekende waarde 'x' voor status. Hint.",
        "Fout in r.csv, regel 41, kolom 'status': status is leeg.",
    ]


def test_at_most_fifty_lines_then_en_nog(tmp_path):
    problems = [Problem("r.csv", f"probleem {n}.", row=n) for n in range(1, 61)]
    lines = grouped_lines(problems)
    assert len(lines) == 51
    assert lines[-1] == "en nog 10 andere problemen."
    summary = DataError(problems).summary().splitlines()
    assert len(summary) == 52 and summary[0].startswith("De gegevens bevatten 60 fouten")


def test_every_toml_example_in_the_readme_is_accepted(tmp_path):
    from klachtlib import config

    readme = (config.PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```toml\n(.*?)```", readme, flags=re.DOTALL)
    assert len(examples) >= 6
    for example in examples:
        settings_of(tmp_path, example)  # raises DataError, naming the line, when a key is wrong


# ----------------------------------------------------------------------------- who publishes


def test_organisatie_naam_contact_and_publicatie_datum_are_read(tmp_path):
    settings = settings_of(
        tmp_path,
        '[organisatie]\nnaam = "Gemeente Meppel"\ncontact = "klachten@meppel.nl"\n'
        "[publicatie]\ndatum = 2025-04-01\n",
    )
    assert settings.organisation_name == "Gemeente Meppel"
    assert settings.organisation_contact == "klachten@meppel.nl"
    assert settings.publication_date == date(2025, 4, 1)
    web = settings_of(tmp_path, '[organisatie]\ncontact = "https://www.meppel.nl/klacht"\n')
    assert web.organisation_contact == "https://www.meppel.nl/klacht"
    defaults = settings_of(tmp_path, "")
    assert defaults.organisation_name is defaults.organisation_contact is defaults.publication_date is None


def test_organisatie_and_publicatie_are_checked(tmp_path):
    problems = problems_of(
        tmp_path,
        '[organisatie]\nnaam = " "\ncontact = "javascript:alert(1)"\n[publicatie]\ndatum = "gisteren"\n',
    )
    assert [(p.row, p.message.split(" moet ")[0]) for p in problems] == [
        (2, "[organisatie] naam"),
        (3, "[organisatie] contact"),
        (5, "[publicatie] datum"),
    ]
    assert "'javascript:alert(1)'" in problems[1].message and "'gisteren'" in problems[2].message


def test_the_organisation_name_is_one_line_of_at_most_a_hundred_characters(tmp_path):
    assert settings_of(tmp_path, '[organisatie]\nnaam = " Gemeente   Meppel "\n').organisation_name == (
        "Gemeente Meppel"
    )
    for name in ('"""Gemeente\nMeppel"""', '"' + "x" * 101 + '"'):
        (problem,) = problems_of(tmp_path, f"[organisatie]\nnaam = {name}\n")
        assert problem.row == 2 and "\n" not in problem.message  # the message stays one line


# ----------------------------------------------------------------------------- bounds (issue 18)


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 3000 + "]" * 3000,
        "x = " + "{ a = " * 3000 + "1" + " }" * 3000,
        "a" + ".a" * 3000 + " = 1\n",
        "[" + ".".join(["a"] * 3000) + "]\nb = 1\n",
    ],
    ids=["lists", "inline-tables", "dotted-keys", "table-header"],
)
def test_a_file_nested_thousands_deep_is_one_dutch_line(tmp_path, text):
    (problem,) = problems_of(tmp_path, text)  # never a RecursionError
    assert "te diep genest" in problem.message


def test_a_setting_nested_deeper_than_any_setting_goes_names_its_line(tmp_path):
    (problem,) = problems_of(tmp_path, '[kolommen]\n"Datum" = [[[[[["team"]]]]]]\n')
    assert problem.row == 2 and "te diep genest" in problem.message


@pytest.mark.parametrize(
    ("line", "row", "bound"),
    [
        ("[termijnen]\nverdaging_weken = 9223372036854775807", 2, "hoogstens 4"),
        ("[termijnen]\nbehandeltermijn_weken = -9223372036854775808", 2, "minstens 1"),
        ("[bestand]\nkopregel = 99999999999999999999999", 2, "hoogstens 1.048.576"),
        ("[woo]\nminimum = 9223372036854775807", 2, "hoogstens 1.000"),
        ("[inwoners]\n2024 = 9223372036854775807", 2, "hoogstens 20.000.000"),
        ('[tabblad."Blad1"]\nkopregel = 9223372036854775807', 2, "hoogstens 1.048.576"),
        ("[normen]\ninformeel_procent = inf", 2, "percentage"),
    ],
)
def test_a_huge_number_is_a_dutch_error_naming_its_line(tmp_path, line, row, bound):
    (problem,) = problems_of(tmp_path, line + "\n")  # never an OverflowError further on
    assert problem.row == row and bound in problem.message


def test_the_handling_terms_stay_within_what_the_awb_allows(tmp_path):
    widest = settings_of(tmp_path, "[termijnen]\nbehandeltermijn_weken = 10\nverdaging_weken = 0\n")
    assert (widest.term_weeks, widest.extension_weeks) == (10, 0)
    problems = problems_of(tmp_path, "[termijnen]\nbehandeltermijn_weken = 11\nverdaging_weken = 5\n")
    assert [(p.row, p.column) for p in problems] == [(2, None), (3, None)]
    assert "hoogstens 10" in problems[0].message and "hoogstens 4" in problems[1].message
    assert all("Awb (artikel 9:11)" in p.hint for p in problems)
    (never,) = problems_of(tmp_path, "[termijnen]\nbehandeltermijn_weken = 0\n")
    assert "minstens 1" in never.message


def test_inhabitants_are_bounded_by_more_than_live_in_the_netherlands(tmp_path):
    assert settings_of(tmp_path, "[inwoners]\n2024 = 20_000_000\n").inhabitants == {2024: 20_000_000}
    problems = problems_of(tmp_path, "[inwoners]\n2024 = 20_000_001\n1899 = 5000\n")
    assert [p.row for p in problems] == [2, 3]
    assert "hoogstens 20.000.000" in problems[0].message and "'1899' is geen jaartal" in problems[1].message


@pytest.mark.parametrize("zone", ["Europe", "Europe/", "a" * 5000, "Europe/Amsterdam "])
def test_a_time_zone_that_is_a_folder_or_too_long_is_a_dutch_error(tmp_path, zone):
    (problem,) = problems_of(tmp_path, f'[bestand]\ntijdzone = "{zone}"\n')  # "Europe" was a traceback
    assert problem.row == 2 and "tijdzone" in problem.message


def test_an_integer_of_thousands_of_digits_is_a_dutch_error(tmp_path):
    (problem,) = problems_of(tmp_path, "[termijnen]\nverdaging_weken = 1" + "0" * 5000 + "\n")
    assert "te lang" in problem.message  # Python refuses to read it: no ValueError traceback


def test_a_file_that_is_no_toml_names_the_line_and_one_that_is_no_utf8_says_so(tmp_path):
    (problem,) = problems_of(tmp_path, '[kolommen]\n"Zaaknummer" = klacht_id\n')
    assert problem.row == 2 and "geen geldige TOML" in problem.message
    (tmp_path / "klachten.toml").write_bytes(b'[teams]\n"Burgerzaken" = "Caf\xe9"\n')
    with pytest.raises(DataError) as caught:
        load_settings(tmp_path)
    assert "UTF-8" in caught.value.problems[0].message


def test_dates_in_settings_lie_between_1900_and_2100(tmp_path):
    (problem,) = problems_of(tmp_path, "[bestand]\nvanaf = 0001-01-01\n")
    assert problem.row == 2 and "1900 tot en met 2100" in problem.message


def test_thousands_of_wrong_lines_are_reported_in_linear_time(tmp_path):
    text = "[kolommen]\n" + "".join(f'"Kop {n}" = "geen kolom"\n' for n in range(20_000))
    started = time.monotonic()
    problems = problems_of(tmp_path, text)
    assert len(problems) == 20_000 and problems[-1].row == 20_001
    assert time.monotonic() - started < 30  # it took 30 s for 2,000 lines when every line was searched


# ----------------------------------------------------------------------------- every message Dutch


def every_setting():
    """(section, key) of every fixed setting, and each free section on its own."""
    from klachtlib.reading.settings import FILES, KlachtenToml

    for section, info in KlachtenToml.model_fields.items():
        fields = getattr(info.annotation, "model_fields", None)
        if fields is None or section in ("waarden", "standaard"):
            yield section, None
        else:
            yield from ((section, key) for key in fields if key != FILES)


@pytest.mark.parametrize(("section", "key"), list(every_setting()))
def test_every_setting_given_a_wrong_value_is_a_dutch_line_naming_it(tmp_path, section, key):
    text = f"[{section}]\n{key} = {{ x = [1, 2] }}\n" if key else f'{section} = "geen tabel"\n'
    problems = problems_of(tmp_path, text)
    assert problems and all(p.row == (2 if key else 1) for p in problems)
    for problem in problems:
        assert f"[{section}]" in problem.message and (key or "") in problem.message
        assert not re.search(r"\b(Input|should|valid|Value error)\b", str(problem))  # no pydantic English


def test_an_afleiden_value_listed_twice_is_an_error_naming_its_section(tmp_path):
    text = '[afleiden."Resultaat"]\n"" = { }\n"(leeg)" = { status = "afgehandeld" }\n'
    (problem,) = problems_of(tmp_path, text)
    assert (problem.row, problem.column) == (3, "afleiden")
    assert problem.message == (
        'in [afleiden."Resultaat"] staat \'(leeg)\' twee keer ("" en "(leeg)" zijn allebei de lege cel).'
    )
