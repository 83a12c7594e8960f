"""Not recorded is not none: an optional column absent from the export (or empty in every
complaint of the year) is said to be unknown, never counted as zero or "geen".

One test per optional column of shared/spec/register.md, each on a small register file written
by the test without that column, read by the real reader. One rendered report checks that the
page shows no chart or table for what is not recorded.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import register_row, write_register_file

from klachtlib.domain import counts
from klachtlib.presentation import text
from klachtlib.reading.register import load_data_folder
from klachtlib.reading.settings import Settings

MELDING = "De klacht betrof een melding"


def without(row: dict[str, str], *columns: str) -> dict[str, str]:
    return {key: value for key, value in row.items() if key not in columns}


def read(tmp_path: Path, rows: list[dict[str, str]]):
    write_register_file(tmp_path, rows)
    return load_data_folder(tmp_path)


def year_2024(folder) -> counts.YearFigures:
    return counts.year_figures(folder.register, folder.contacts, folder.settings, 2024)


def handled(number: int, closed: str = "2024-03-20", **values: str) -> dict[str, str]:
    return register_row(klacht_id=f"K-{number:03d}", datum_afgehandeld=closed, **values)


# --------------------------------------------------------------------------- ombudsman


def test_without_ombudsman_column_no_sentence_about_the_ombudsman(tmp_path):
    rows = [without(handled(n), "ombudsman") for n in range(1, 5)]
    figures = year_2024(read(tmp_path, rows))
    assert "ombudsman" in figures.not_recorded
    assert text.ombudsman_sentence(figures) is None
    assert not any("ombudsman" in s for s in text.handling_sentences(figures))


def test_ombudsman_column_that_is_recorded_still_says_none(tmp_path):
    figures = year_2024(read(tmp_path, [handled(1, ombudsman="nee"), handled(2, ombudsman="nee")]))
    assert text.ombudsman_sentence(figures) == (
        "Geen van de klachten uit 2024 is later voorgelegd aan de Nationale ombudsman."
    )


# --------------------------------------------------------------------------- verdaagd

# Received 5 March 2024: 7 closed within 6 weeks (15 days), 1 after 60 days (within 10 weeks).
WITHIN_SIX = [handled(n, "2024-03-20") for n in range(1, 8)]
AFTER_SIX = [handled(8, "2024-05-04")]


def test_without_verdaagd_column_both_shares_and_why(tmp_path):
    rows = [without(row, "verdaagd") for row in WITHIN_SIX + AFTER_SIX]
    figures = year_2024(read(tmp_path, rows))
    assert (figures.within_basic_count, figures.within_extended_count) == (7, 8)
    assert figures.within_term_share is None  # the complaint of 60 days may or may not be late
    assert text.within_term_sentence(figures) == (
        "Of de behandeltermijn is verdaagd, is niet vastgelegd; daarom staan hier twee cijfers. "
        "Van de 8 afgehandelde klachten is 87,5% binnen 6 weken afgehandeld (de gewone termijn) "
        "en 100% binnen 10 weken (de termijn bij verdaging)."
    )
    assert text.narrative_context(figures)["binnen_termijn"] == "onbekend"


def test_verdaagd_recorded_gives_one_share_as_before(tmp_path):
    figures = year_2024(read(tmp_path, WITHIN_SIX + AFTER_SIX))  # verdaagd "nee" everywhere
    assert figures.within_term_share == 7 / 8
    assert text.within_term_sentence(figures) == (
        "Van de 8 afgehandelde klachten is 87,5% binnen de wettelijke termijn afgehandeld "
        "(7 klachten; de termijn is 6 weken, 10 weken bij verdaging)."
    )
    assert text.narrative_context(figures)["binnen_termijn"] == "87,5%"


def test_without_verdaagd_the_team_overview_does_not_guess_within_term(tmp_path):
    rows = [without(row, "verdaagd") for row in WITHIN_SIX + AFTER_SIX]
    folder = read(tmp_path, rows)
    team = counts.team_figures(folder.register, folder.settings, 2024, "Burgerzaken")
    assert team.complaints["binnen_termijn"].isna().tolist() == [False] * 7 + [True]
    assert text.within_term_cell(team.counts) == (
        "87,5% binnen 6 weken, 100% binnen 10 weken (verdaging niet vastgelegd)"
    )
    assert "verdaging niet vastgelegd" in text.team_not_recorded_sentence(team)


# --------------------------------------------------------------------------- kanaal


def test_without_kanaal_column_no_complaints_per_contact(tmp_path):
    rows = [without(handled(n), "kanaal") for n in range(1, 4)]
    write_register_file(tmp_path, rows)
    (tmp_path / "klantcontacten.csv").write_text("jaar,kanaal,aantal\n2024,e-mail,1000\n", encoding="utf-8")
    figures = year_2024(load_data_folder(tmp_path))
    assert figures.contacts_per_1000.empty  # never "0 klachten per 1.000 e-mails"
    assert text.channel_not_recorded_sentence(figures) == (
        "Via welk kanaal de klachten uit 2024 binnenkwamen, is in het register niet vastgelegd; "
        "daarom zijn ze niet afgezet tegen het aantal klantcontacten."
    )


# --------------------------------------------------------------------------- aard


def test_without_aard_column_one_sentence_and_no_chart_data(tmp_path):
    figures = year_2024(read(tmp_path, [without(handled(n), "aard") for n in range(1, 4)]))
    assert figures.per_nature.empty
    assert (
        text.nature_sentence(figures)
        == "De aard van de klachten uit 2024 is in het register niet vastgelegd."
    )


def test_aard_recorded_has_no_not_recorded_sentence(tmp_path):
    assert text.nature_sentence(year_2024(read(tmp_path, [handled(1)]))) is None


# --------------------------------------------------------------------------- behandeling


def test_without_behandeling_column_informal_and_formal_are_unknown(tmp_path):
    figures = year_2024(read(tmp_path, [without(handled(n), "behandeling") for n in range(1, 4)]))
    assert text.treatment_sentence(figures) == (
        "Bij de 3 afgehandelde klachten is de wijze van behandeling niet vastgelegd."
    )
    context = text.narrative_context(figures)
    assert (context["informeel"], context["formeel"]) == ("onbekend", "onbekend")


# --------------------------------------------------------------------------- oordeel


def test_without_oordeel_column_verdicts_are_not_recorded(tmp_path):
    rows = [without(handled(n, behandeling="formeel"), "oordeel") for n in range(1, 3)]
    figures = year_2024(read(tmp_path, rows))
    assert "oordeel" in figures.not_recorded
    assert (
        text.verdicts_sentence(figures)
        == "Bij de 2 formeel behandelde klachten is het oordeel niet vastgelegd."
    )


# --------------------------------------------------------------------------- leerpunt


def test_without_leerpunt_column_learning_points_are_not_recorded(tmp_path):
    folder = read(tmp_path, [without(handled(n), "leerpunt") for n in range(1, 3)])
    figures = year_2024(folder)
    assert text.learning_points_sentence(figures) == (
        "Leerpunten zijn bij de klachten uit 2024 niet vastgelegd in het register."
    )
    team = counts.team_figures(folder.register, folder.settings, 2024, "Burgerzaken")
    assert text.team_learning_points_sentence(team) == (
        "Leerpunten zijn bij de klachten uit 2024 niet vastgelegd in het register."
    )


def test_leerpunt_recorded_for_another_team_means_none_for_this_one(tmp_path):
    rows = [handled(1, leerpunt="Sneller terugbellen"), handled(2, team="Wonen")]
    folder = read(tmp_path, rows)
    team = counts.team_figures(folder.register, folder.settings, 2024, "Wonen")
    assert text.team_learning_points_sentence(team) == (
        "Bij de klachten over Wonen uit 2024 zijn geen leerpunten vastgelegd."
    )


# --------------------------------------------------------------------------- datum_afgehandeld


def test_without_datum_afgehandeld_column_handling_time_is_unknown(tmp_path):
    figures = year_2024(read(tmp_path, [without(handled(n), "datum_afgehandeld") for n in range(1, 3)]))
    assert text.handling_time_sentence(figures) == (
        "Bij de afgehandelde klachten is geen datum van afhandeling vastgelegd; de behandelduur is onbekend."
    )
    assert text.within_term_sentence(figures) is None
    assert text.narrative_context(figures)["binnen_termijn"] == "onbekend"


# --------------------------------------------------------------------------- reden and team


def test_without_reden_column_a_warning_and_reden_niet_vastgelegd(tmp_path):
    rows = [
        without(register_row(klacht_id="K-1", status="ingetrokken"), "reden"),
        without(register_row(klacht_id="K-2", status="doorgestuurd"), "reden"),
        without(handled(3), "reden"),
    ]
    folder = read(tmp_path, rows)
    assert any("kolom 'reden' ontbreekt" in w.message for w in folder.warnings)
    figures = year_2024(folder)
    assert list(figures.not_handled_by_reason.itertuples(index=False, name=None)) == [
        ("Reden niet vastgelegd", 2)
    ]


def test_empty_reden_in_an_existing_column_stays_an_error(tmp_path):
    from klachtlib.errors import DataError

    with pytest.raises(DataError, match="de reden ontbreekt"):
        read(tmp_path, [register_row(status="ingetrokken", reden="")])


def test_without_team_column_a_warning_and_team_niet_vastgelegd(tmp_path):
    folder = read(tmp_path, [without(handled(n), "team") for n in range(1, 4)])
    assert any("kolom 'team' ontbreekt" in w.message for w in folder.warnings)
    figures = year_2024(folder)
    assert list(figures.handled_per_team.itertuples(index=False, name=None)) == [("Team niet vastgelegd", 3)]


# --------------------------------------------------------------------------- a year without data


def test_a_year_without_complaints_records_nothing_and_claims_nothing():
    from registers import NO_CONTACTS, make_register

    unrecorded = counts.year_figures(make_register([]), NO_CONTACTS, Settings(), 2024).not_recorded
    # No optional column is called unrecorded; prevented complaints are not recorded by an export
    # without any (register-wide), so nothing is claimed about them either.
    assert unrecorded == frozenset({counts.PREVENTED_NOT_RECORDED})


# --------------------------------------------------------------------------- the published page


@pytest.fixture(scope="module")
def bare_report(tmp_path_factory) -> str:
    """A 2024 report from an export with only the required columns and team/reden."""
    from klachtlib.delivery.pipeline import make_year_report

    data = tmp_path_factory.mktemp("bare")
    keep = ("klacht_id", "datum_ontvangst", "status", "team", "reden", "behandeling")
    rows = [{k: v for k, v in handled(n, behandeling="formeel").items() if k in keep} for n in range(1, 5)]
    withdrawn = register_row(klacht_id="K-9", status="ingetrokken", reden=MELDING)
    rows.append({k: v for k, v in withdrawn.items() if k in keep})
    write_register_file(data, rows)
    (data / "klantcontacten.csv").write_text("jaar,kanaal,aantal\n2024,e-mail,1000\n", encoding="utf-8")
    written = make_year_report(data, tmp_path_factory.mktemp("out"), 2024)
    return written.path.read_text(encoding="utf-8")


def test_report_of_a_bare_export_says_what_is_not_recorded_and_draws_nothing_for_it(bare_report):
    soup = BeautifulSoup(bare_report, "html.parser")
    page = re.sub(r"\s+", " ", soup.body.get_text(" "))
    assert "Nationale ombudsman" not in page
    assert "Geen van de" not in page
    assert "De aard van de klachten uit 2024 is in het register niet vastgelegd." in page
    assert "Via welk kanaal de klachten uit 2024 binnenkwamen, is in het register niet vastgelegd" in page
    assert "Bij de 4 formeel behandelde klachten is het oordeel niet vastgelegd." in page
    assert "Leerpunten zijn bij de klachten uit 2024 niet vastgelegd in het register." in page
    # Charts: only the handled-per-team chart and the trend; no verdicts, nature or contacts.
    alts = [img.get("alt", "") for img in soup.find_all("img")]
    assert len(alts) == 2, alts
    assert not any("Oordeel" in a or "aard" in a or "klantcontacten" in a for a in alts)


def test_narrative_placeholder_for_an_unrecorded_figure_reads_onbekend_with_a_warning(tmp_path):
    rows = [without(row, "verdaagd") for row in WITHIN_SIX + AFTER_SIX]
    figures = year_2024(read(tmp_path, rows))
    (tmp_path / "toelichting").mkdir()
    (tmp_path / "toelichting" / "2024.md").write_text(
        "## Wijze van klachtbehandeling\nBinnen de termijn: {{ binnen_termijn }}.\n", encoding="utf-8"
    )
    narrative = text.render_narrative(tmp_path, 2024, figures)
    assert narrative.section("Wijze van klachtbehandeling") == "Binnen de termijn: onbekend."
    assert any(
        "'{{ binnen_termijn }}' heeft geen waarde" in w.message and "verdaagd" in w.hint
        for w in narrative.warnings
    )


def test_open_data_leaves_the_within_term_share_empty_without_verdaagd(tmp_path):
    from klachtlib.delivery import opendata

    rows = [without(row, "verdaagd") for row in WITHIN_SIX + AFTER_SIX]
    table = opendata.year_rows(year_2024(read(tmp_path, rows)))
    values = dict(zip(table["onderwerp"], table["waarde"], strict=False))
    assert values["binnen_termijn_procent"] is None and values["binnen_termijn"] is None


def test_team_table_leaves_out_columns_the_year_does_not_record(tmp_path):
    rows = [without(handled(n), "behandeling", "oordeel", "datum_afgehandeld") for n in range(1, 3)]
    folder = read(tmp_path, rows)
    team = counts.team_figures(folder.register, folder.settings, 2024, "Burgerzaken")
    assert list(team.complaints.columns) == ["klacht_id", "datum_ontvangst", "status"]
    assert text.team_not_recorded_sentence(team) == (
        "In het register over 2024 is de wijze van behandeling, het oordeel en de datum van afhandeling "
        "niet vastgelegd."
    )


def test_ombudsman_recorded_for_some_complaints_only_never_says_none_of_them(tmp_path):
    rows = [handled(1, ombudsman="nee"), handled(2, ombudsman=""), handled(3, ombudsman="")]
    figures = year_2024(read(tmp_path, rows))
    assert text.ombudsman_sentence(figures) == (
        "Van de klachten uit 2024 waarbij dit is vastgelegd, is er geen later voorgelegd aan de "
        "Nationale ombudsman; bij 2 klachten is het niet vastgelegd."
    )


def test_report_of_a_bare_export_says_the_norms_balance_and_outcome_are_not_recorded(bare_report):
    """Issue 22's figures rest on optional columns and settings: not recorded is said, never 0."""
    soup = BeautifulSoup(bare_report, "html.parser")
    page = re.sub(r"\s+", " ", soup.body.get_text(" "))
    assert "Het oordeel over de klachten uit 2024 is niet vastgelegd; daarom is niet bekend welke" in page
    assert (
        "De datum van afhandeling is bij de klachten uit 2024 niet vastgelegd; daarom is niet te zeggen "
        "hoeveel klachten er aan het begin en het eind openstonden." in page
    )
    captions = [c.get_text() for c in soup.find_all("caption")]
    assert not any("Openstaande" in c or "behoorlijkheidsnorm" in c for c in captions), captions
    assert "10.000 inwoners" not in page  # no [inwoners]: no section, no rule
    assert "uitkomst" not in page.lower()
