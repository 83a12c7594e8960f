"""klachten.toml: every section and key is checked, errors name the line (shared/spec/register.md)."""

from __future__ import annotations

import pytest

from klachtlib.errors import DataError, Problem, grouped_lines
from klachtlib.settings import load_settings


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
    import re

    from klachtlib import config

    readme = (config.PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```toml\n(.*?)```", readme, flags=re.DOTALL)
    assert len(examples) >= 6
    for example in examples:
        settings_of(tmp_path, example)  # raises DataError, naming the line, when a key is wrong
