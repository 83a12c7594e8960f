"""`klachten validate` before publishing: the figures the report would publish, the
plausibility warnings of shared/spec/register.md, and the whole folder checked (narratives,
contact volumes). Exit 0 with warnings, 1 with errors; one screen for the sample."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from conftest import register_row, write_register_file
from registers import NO_CONTACTS, make_register
from typer.testing import CliRunner

from klachtlib.delivery import summary
from klachtlib.delivery.cli import app
from klachtlib.reading.settings import Settings

MELDING = "De klacht betrof een melding"


def validate(data_dir: Path | None = None):
    args = ["validate"] + (["--data-dir", os.fspath(data_dir)] if data_dir else [])
    return CliRunner().invoke(app, args, prog_name="klachten")


def handled_rows(n: int, year: int = 2024, **values: str) -> list[dict[str, str]]:
    return [
        register_row(klacht_id=f"K-{year}-{i:03d}", datum_ontvangst=f"{year}-03-05", **values)
        for i in range(1, n + 1)
    ]


def warnings_of(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Waarschuwing")]


# --------------------------------------------------------------------------- the sample


def test_sample_shows_the_figures_the_report_would_publish():
    result = validate()
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Jaar 2024: 64 klachten ontvangen (2023: 83)" in out
    assert (
        "afgehandeld 50 (informeel 35, formeel 15); niet afgehandeld 14; in behandeling 0; voorkomen 15"
        in out
    )
    assert "binnen de termijn: 94% (47 van 50 met een datum van afhandeling)" in out
    assert "     4x De klager reageerde niet meer tijdens de klachtbehandeling" in out
    assert "     1x De klacht hoorde thuis bij een andere instantie" in out


def test_sample_output_fits_one_screen():
    result = validate()
    assert len(result.output.splitlines()) <= 40, result.output


def test_sample_names_the_export_columns_that_are_not_read():
    lines = validate().stdout.splitlines()
    assert any("niet worden gelezen" in line.lower() or "niet gelezen" in line.lower() for line in lines)
    assert any("Omschrijving" in line and "gelezen" in line for line in lines)


# --------------------------------------------------------------------------- plausibility


def test_every_complaint_handled_and_none_withdrawn_is_a_warning(tmp_path):
    write_register_file(tmp_path, handled_rows(12))
    result = validate(tmp_path)
    assert result.exit_code == 0
    assert any("alle 12 klachten uit 2024 zijn afgehandeld" in w for w in warnings_of(result))


def test_a_withdrawn_complaint_means_no_all_handled_warning(tmp_path):
    rows = handled_rows(11) + [register_row(klacht_id="K-X", status="ingetrokken", reden=MELDING)]
    write_register_file(tmp_path, rows)
    assert not any("zijn afgehandeld" in w for w in warnings_of(validate(tmp_path)))


def test_one_value_alias_mapping_most_of_a_column_is_a_warning(tmp_path):
    rows = handled_rows(10, status="Klaar") + [
        register_row(klacht_id="K-X", status="ingetrokken", reden=MELDING)
    ]
    write_register_file(tmp_path, rows)
    (tmp_path / "klachten.toml").write_text('[waarden.status]\n"Klaar" = "afgehandeld"\n', encoding="utf-8")
    result = validate(tmp_path)
    assert result.exit_code == 0, result.output
    assert any("[waarden.status]" in w and "'klaar'" in w and "90,9%" in w for w in warnings_of(result))


def test_a_team_list_much_longer_than_last_years_is_a_warning(tmp_path):
    rows = [register_row(klacht_id=f"A-{i}", datum_ontvangst="2023-03-05", team="Wonen") for i in range(3)]
    rows += [register_row(klacht_id=f"B-{i}", team=f"Medewerker {i}") for i in range(8)]
    write_register_file(tmp_path, rows)
    assert any("2024 telt 8 teams, 2023 1" in w for w in warnings_of(validate(tmp_path)))


def test_many_handled_without_closing_date_is_a_warning(tmp_path):
    write_register_file(tmp_path, handled_rows(3) + handled_rows(2, year=2023, datum_afgehandeld=""))
    warnings = warnings_of(validate(tmp_path))
    assert any(
        "2 van de 2 afgehandelde klachten uit 2023 hebben geen datum_afgehandeld" in w for w in warnings
    )
    assert not any("uit 2024 hebben geen" in w for w in warnings)


def test_a_column_named_like_a_canonical_one_but_not_read_is_a_warning(tmp_path):
    rows = [{**row, "Afdeling": "Wonen", "Resultaat": "Gegrond"} for row in handled_rows(2)]
    write_register_file(tmp_path, rows)
    warnings = warnings_of(validate(tmp_path))
    assert any("de kolom 'Afdeling' wordt niet gelezen, maar lijkt op team" in w for w in warnings)
    assert any("de kolom 'Resultaat' wordt niet gelezen" in w for w in warnings)
    assert not any("Wonen" in w or "Gegrond" in w for w in warnings)  # names only, never values


def test_without_verdaagd_validate_shows_both_term_shares(tmp_path):
    rows = [{k: v for k, v in row.items() if k != "verdaagd"} for row in handled_rows(2)]
    rows[1]["datum_afgehandeld"] = "2024-05-01"  # 57 days
    write_register_file(tmp_path, rows)
    out = validate(tmp_path).stdout
    assert "binnen de termijn: 50% binnen 6 weken, 100% binnen 10 weken (verdaging niet vastgelegd" in out
    assert "niet vastgelegd (het verslag zegt 'onbekend'): verdaagd, leerpunt" in out


# --------------------------------------------------------------------------- the whole folder


def test_unknown_placeholder_in_the_narrative_is_an_error_exit_1(tmp_path):
    write_register_file(tmp_path, handled_rows(2))
    (tmp_path / "toelichting").mkdir()
    (tmp_path / "toelichting" / "2024.md").write_text(
        "## Wijze van klachtbehandeling\nEr waren {{ totaalaantal }} klachten.\n", encoding="utf-8"
    )
    result = validate(tmp_path)
    assert result.exit_code == 1
    assert "onbekende plaatshouder '{{ totaalaantal }}'" in result.stderr
    assert "Bedoelt u '{{ totaal }}'?" in result.stderr
    assert "Traceback" not in result.output


def test_a_heading_that_matches_no_section_is_a_warning_exit_0(tmp_path):
    write_register_file(tmp_path, handled_rows(2))
    (tmp_path / "toelichting").mkdir()
    (tmp_path / "toelichting" / "2024.md").write_text(
        "## Wijze van klachtbehandelingg\nTekst.\n", encoding="utf-8"
    )
    result = validate(tmp_path)
    assert result.exit_code == 0
    assert any("onbekend kopje '## Wijze van klachtbehandelingg'" in w for w in warnings_of(result))


def test_a_narrative_for_a_year_without_complaints_is_a_warning(tmp_path):
    write_register_file(tmp_path, handled_rows(2))
    (tmp_path / "toelichting").mkdir()
    (tmp_path / "toelichting" / "2019.md").write_text(
        "## Wijze van klachtbehandeling\nTekst.\n", encoding="utf-8"
    )
    assert any("geen klachten uit 2019" in w for w in warnings_of(validate(tmp_path)))


def test_a_bad_contacts_file_is_an_error_exit_1(tmp_path):
    write_register_file(tmp_path, handled_rows(2))
    (tmp_path / "klantcontacten.csv").write_text("jaar,kanaal,aantal\n2024,duif,10\n", encoding="utf-8")
    result = validate(tmp_path)
    assert result.exit_code == 1
    assert "klantcontacten.csv" in result.stderr and "'duif'" in result.stderr


# --------------------------------------------------------------------------- the reader's facts


@dataclass(frozen=True)
class ReaderFolder:
    """A data folder whose reader words what it left out (issue 11's `reading_notes`)."""

    register: object = field(default_factory=lambda: make_register([{}]))
    contacts: object = field(default_factory=lambda: NO_CONTACTS)
    settings: Settings = field(default_factory=Settings)
    warnings: list = field(default_factory=list)
    measures: object = None  # no maatregelen.csv

    def reading_notes(self) -> list[str]:
        return ["Overgeslagen regels ([overslaan] in klachten.toml):", '- Zaaktype = "Compliment": 3']


def test_what_the_reader_left_out_is_printed_in_its_own_words(tmp_path):
    result = summary.validate_folder(ReaderFolder(), tmp_path)
    printed = "\n".join(result.lines)
    assert 'Overgeslagen regels ([overslaan] in klachten.toml):\n- Zaaktype = "Compliment": 3' in printed


def test_the_register_summary_counts_rows_per_year_and_status_in_vocabulary_order():
    rows = [{"datum_ontvangst": "2023-05-01", "status": "voorkomen"}, {"datum_ontvangst": "2023-06-01"}]
    rows += [{"status": "in behandeling"}, {}, {}, {"status": "ingetrokken"}]
    lines = summary.register_summary(make_register(rows)).splitlines()
    assert lines[0] == "Het register telt 6 regels."
    header, _, *per_year = lines[2:]
    assert header.split() == ["status", "afgehandeld", "ingetrokken", "in", "behandeling", "voorkomen"]
    assert [line.split() for line in per_year] == [["2023", "1", "0", "0", "1"], ["2024", "2", "1", "1", "0"]]
