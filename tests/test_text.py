"""Rules for Dutch formatting, generated sentences (exactly as report.md) and the narrative."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from registers import NO_CONTACTS, make_contacts, make_register
from seed import SEED_BULLETS

from klachtlib.domain import counts
from klachtlib.errors import DataError
from klachtlib.presentation import text
from klachtlib.reading.settings import Settings

# An export that records prevented complaints (`vastgelegd`), so their sentence can be checked.
EMPTY = counts.year_figures(make_register([]), NO_CONTACTS, Settings(recorded=("voorkomen",)), 2024)
SEED_REASONS = [
    ("De klager reageerde niet meer tijdens de klachtbehandeling", 4, "ingetrokken"),
    ("De klacht betrof een melding", 3, "niet-ontvankelijk"),
    ("De klacht ging alleen over een opgelegde boete", 3, "niet-ontvankelijk"),
    ("De klager trok de klacht in toen er toch een oplossing kwam", 2, "ingetrokken"),
    ("De klacht werd meegenomen in het hoger beroep", 1, "afgebroken"),
    ("De klacht hoorde thuis bij een andere instantie", 1, "doorgestuurd"),
]


def figures(**changes) -> counts.YearFigures:
    """Year figures for 2024 with only the fields a sentence reads changed."""
    return replace(EMPTY, **changes)


# --- formatting ---------------------------------------------------------------------------


def test_numbers_use_a_dot_for_thousands():
    assert text.format_number(1234) == "1.234"
    assert text.format_number(1234567) == "1.234.567"
    assert text.format_number(7) == "7"


def test_numbers_with_fixed_decimals_use_a_comma():
    assert text.format_number(2.5, decimals=2) == "2,50"
    assert text.format_number(1234.5, decimals=1) == "1.234,5"


def test_percentages_have_a_decimal_comma_and_no_trailing_zero():
    assert text.format_percent(0.125) == "12,5%"
    assert text.format_percent(0.94) == "94%"
    assert text.format_percent(1.0) == "100%"


def test_halves_are_rounded_up_as_readers_expect():
    assert text.format_percent(0.1225) == "12,3%"
    assert text.format_number(0.25, decimals=1) == "0,3"
    assert text.format_days(2.25) == "2,3 dagen"


def test_dates_are_written_out_in_dutch():
    assert text.format_date(date(2026, 11, 27)) == "27 november 2026"
    assert text.format_date(pd.Timestamp("2024-03-05")) == "5 maart 2024"
    assert text.format_date(pd.NaT) == ""


def test_days_are_singular_or_plural():
    assert text.format_days(1) == "1 dag"
    assert text.format_days(23) == "23 dagen"
    assert text.format_days(23.5) == "23,5 dagen"


# --- totals -------------------------------------------------------------------------------


def test_fewer_complaints_than_last_year():
    assert text.total_sentence(figures(total=64, total_previous=83)) == (
        "Het aantal klachten is gedaald t.o.v. 2023 van 83 naar 64."
    )


def test_more_complaints_than_last_year():
    assert text.total_sentence(figures(total=83, total_previous=64)) == (
        "Het aantal klachten is gestegen t.o.v. 2023 van 64 naar 83."
    )


def test_as_many_complaints_as_last_year():
    assert text.total_sentence(figures(total=64, total_previous=64)) == (
        "Het aantal klachten is gelijk gebleven t.o.v. 2023 (64)."
    )


def test_no_earlier_year_in_the_data():
    assert text.total_sentence(figures(total=64)) == "In 2024 zijn 64 klachten ontvangen."
    assert text.total_sentence(figures(total=1)) == "In 2024 is 1 klacht ontvangen."
    assert text.total_sentence(figures(total=0)) == "In 2024 zijn geen klachten ontvangen."


def test_large_totals_use_dutch_thousands_but_years_do_not():
    assert text.total_sentence(figures(total=1200, total_previous=1100)) == (
        "Het aantal klachten is gestegen t.o.v. 2023 van 1.100 naar 1.200."
    )


@pytest.mark.parametrize(
    ("total", "previous", "heading"),
    [
        (64, 83, "Daling aantal klachten"),
        (83, 64, "Stijging aantal klachten"),
        (64, 64, "Aantal klachten gelijk"),
        (64, None, "Aantal klachten"),
    ],
)
def test_trend_heading_follows_the_data(total, previous, heading):
    assert text.trend_heading(figures(total=total, total_previous=previous)) == heading


# --- not handled and reasons --------------------------------------------------------------


def test_not_handled_group_of_several():
    assert text.not_handled_sentence(figures(not_handled=14)) == (
        "14 klachten zijn afgebroken, ingetrokken of niet ontvankelijk verklaard. Redenen:"
    )


def test_not_handled_group_of_one():
    assert text.not_handled_sentence(figures(not_handled=1)) == (
        "1 klacht is afgebroken, ingetrokken of niet ontvankelijk verklaard. Reden:"
    )


def test_not_handled_group_empty():
    assert text.not_handled_sentence(figures(not_handled=0)) == (
        "Er zijn geen klachten afgebroken, ingetrokken of niet ontvankelijk verklaard."
    )


def test_reason_bullets_read_as_the_seed_with_a_full_stop_after_the_last():
    rows = [{"status": status, "reden": reason} for reason, n, status in SEED_REASONS for _ in range(n)]
    catalogue = Settings(reason_catalogue=tuple(reason for reason, _, _ in SEED_REASONS))
    result = counts.year_figures(make_register(rows), NO_CONTACTS, catalogue, 2024)
    assert text.not_handled_sentence(result).startswith("14 klachten zijn")
    assert text.reason_bullets(result) == SEED_BULLETS


def test_a_single_reason_bullet_ends_with_a_full_stop():
    table = pd.DataFrame({"reden": ["De klacht betrof een melding."], "aantal": [1]})
    assert text.reason_bullets(figures(not_handled_by_reason=table)) == ["De klacht betrof een melding (1x)."]


def test_no_reasons_give_no_bullets():
    assert text.reason_bullets(EMPTY) == []


# --- handled per team, open, prevented ----------------------------------------------------

TEAMS = pd.DataFrame({"team": ["Wonen", "Afval"], "aantal": [30, 20]})


def test_handled_per_team_several():
    assert text.handled_per_team_sentence(figures(handled=50, handled_per_team=TEAMS)) == (
        "De 50 afgehandelde klachten hadden betrekking op de volgende teams:"
    )


def test_handled_per_team_one():
    assert text.handled_per_team_sentence(figures(handled=1, handled_per_team=TEAMS.head(1))) == (
        "De 1 afgehandelde klacht had betrekking op het volgende team:"
    )


def test_handled_per_team_several_complaints_one_team():
    assert text.handled_per_team_sentence(figures(handled=5, handled_per_team=TEAMS.head(1))) == (
        "De 5 afgehandelde klachten hadden betrekking op het volgende team:"
    )


def test_handled_per_team_none():
    assert text.handled_per_team_sentence(EMPTY) == "Er zijn in 2024 geen klachten inhoudelijk afgehandeld."


def test_still_open_several():
    assert text.still_open_sentence(figures(still_open=3)) == (
        "3 klachten waren bij het opstellen van dit overzicht nog in behandeling."
    )


def test_still_open_one():
    assert text.still_open_sentence(figures(still_open=1)) == (
        "1 klacht was bij het opstellen van dit overzicht nog in behandeling."
    )


def test_still_open_none_gives_no_sentence():
    assert text.still_open_sentence(EMPTY) is None


def test_prevented_several():
    assert text.prevented_sentence(figures(prevented=15)) == (
        "In 2024 zijn 15 situaties geregistreerd waarin een klacht is voorkomen."
    )


def test_prevented_one():
    assert text.prevented_sentence(figures(prevented=1)) == (
        "In 2024 is 1 situatie geregistreerd waarin een klacht is voorkomen."
    )


def test_prevented_none():
    assert (
        text.prevented_sentence(EMPTY)
        == "In 2024 zijn geen situaties geregistreerd waarin een klacht is voorkomen."
    )


# --- contacts -----------------------------------------------------------------------------


def test_contacts_without_data_as_in_the_seed():
    contacts = make_contacts([(2024, "e-mail", None), (2024, "telefoon", None), (2024, "balie", None)])
    result = counts.year_figures(make_register([{}]), contacts, Settings(), 2024)
    assert text.contacts_without_data_sentence(result) == (
        "Over de baliecontacten, telefonische contacten en e-mailcontacten zijn geen gegevens bekend."
    )


def test_contacts_without_data_for_one_channel():
    assert text.contacts_without_data_sentence(figures(channels_without_data=("balie",))) == (
        "Over de baliecontacten zijn geen gegevens bekend."
    )


def test_contacts_without_data_list_the_other_channels_after_balie_telefoon_email():
    missing = ("e-mail", "webformulier", "brief", "balie", "sociale media", "anders")
    assert text.contacts_without_data_sentence(figures(channels_without_data=missing)) == (
        "Over de baliecontacten, e-mailcontacten, contacten via het webformulier, brieven, "
        "contacten via sociale media en overige contacten zijn geen gegevens bekend."
    )


def test_contacts_all_known_give_no_sentence():
    assert text.contacts_without_data_sentence(EMPTY) is None


# --- handling -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("handled", "informal", "formal", "unknown", "sentence"),
    [
        (50, 38, 12, 0, "Van de 50 afgehandelde klachten zijn er 38 informeel en 12 formeel behandeld."),
        (50, 1, 49, 0, "Van de 50 afgehandelde klachten is er 1 informeel en 49 formeel behandeld."),
        (50, 50, 0, 0, "Alle 50 afgehandelde klachten zijn informeel behandeld."),
        (50, 0, 50, 0, "Alle 50 afgehandelde klachten zijn formeel behandeld."),
        (
            50,
            40,
            0,
            10,
            "Van de 50 afgehandelde klachten zijn er 40 informeel behandeld. "
            "Bij 10 klachten is de wijze van behandeling niet vastgelegd.",
        ),
        (
            5,
            2,
            2,
            1,
            "Van de 5 afgehandelde klachten zijn er 2 informeel en 2 formeel behandeld. "
            "Bij 1 klacht is de wijze van behandeling niet vastgelegd.",
        ),
        (4, 0, 0, 4, "Bij de 4 afgehandelde klachten is de wijze van behandeling niet vastgelegd."),
        (1, 1, 0, 0, "De afgehandelde klacht is informeel behandeld."),
        (1, 0, 1, 0, "De afgehandelde klacht is formeel behandeld."),
        (1, 0, 0, 1, "Bij de afgehandelde klacht is de wijze van behandeling niet vastgelegd."),
        (0, 0, 0, 0, None),
    ],
)
def test_treatment_sentence_splits_informal_and_formal(handled, informal, formal, unknown, sentence):
    result = figures(handled=handled, informal=informal, formal=formal, treatment_unknown=unknown)
    assert text.treatment_sentence(result) == sentence


def verdicts(gegrond=0, deels=0, ongegrond=0, geen=0):
    return pd.DataFrame(
        {
            "oordeel": ["gegrond", "deels gegrond", "ongegrond", "geen oordeel"],
            "aantal": [gegrond, deels, ongegrond, geen],
        }
    )


def test_verdicts_sentence_lists_the_verdicts_given():
    result = figures(formal=12, verdicts=verdicts(3, 2, 6, 1))
    assert text.verdicts_sentence(result) == (
        "Van de 12 formeel behandelde klachten waren er 3 gegrond, 2 deels gegrond, "
        "6 ongegrond en 1 zonder oordeel."
    )


def test_verdicts_sentence_singular_first_count_and_unknown_verdict():
    result = figures(formal=4, verdicts=verdicts(1, 0, 2, 0), verdict_unknown=1)
    assert text.verdicts_sentence(result) == (
        "Van de 4 formeel behandelde klachten was er 1 gegrond en 2 ongegrond. "
        "Bij 1 klacht is het oordeel niet vastgelegd."
    )


@pytest.mark.parametrize(
    ("table", "unknown", "sentence"),
    [
        (verdicts(gegrond=1), 0, "De formeel behandelde klacht is gegrond verklaard."),
        (verdicts(deels=1), 0, "De formeel behandelde klacht is deels gegrond verklaard."),
        (verdicts(geen=1), 0, "Over de formeel behandelde klacht is geen oordeel gegeven."),
        (verdicts(), 1, "Bij de formeel behandelde klacht is het oordeel niet vastgelegd."),
    ],
)
def test_verdicts_sentence_for_one_formal_complaint(table, unknown, sentence):
    assert text.verdicts_sentence(figures(formal=1, verdicts=table, verdict_unknown=unknown)) == sentence


def test_no_formal_complaints_give_no_verdict_sentence():
    assert text.verdicts_sentence(figures(handled=3, informal=3)) is None


def test_handling_time_is_the_median_in_days():
    assert text.handling_time_sentence(figures(handled=50, closed_count=50, median_days=23.0)) == (
        "De mediane behandelduur van de afgehandelde klachten was 23 dagen."
    )
    assert text.handling_time_sentence(figures(handled=50, closed_count=45, median_days=1.0)) == (
        "De mediane behandelduur van de afgehandelde klachten was 1 dag "
        "(berekend over 45 klachten met een datum van afhandeling)."
    )
    assert text.handling_time_sentence(figures(handled=1, closed_count=1, median_days=9.0)) == (
        "De behandelduur van de afgehandelde klacht was 9 dagen."
    )


def test_handling_time_unknown_without_closing_dates():
    assert text.handling_time_sentence(figures(handled=2)) == (
        "Bij de afgehandelde klachten is geen datum van afhandeling vastgelegd; de behandelduur is onbekend."
    )
    assert text.handling_time_sentence(EMPTY) is None


def test_within_term_share_as_a_dutch_percentage():
    result = figures(handled=50, closed_count=50, within_term_count=47, within_term_share=0.94)
    assert text.within_term_sentence(result) == (
        "Van de 50 afgehandelde klachten is 94% binnen de wettelijke termijn afgehandeld "
        "(47 klachten; de termijn is 6 weken, 10 weken bij verdaging)."
    )


def test_within_term_for_one_closed_complaint_and_for_none_within():
    one = figures(handled=1, closed_count=1, within_term_count=0, within_term_share=0.0)
    assert text.within_term_sentence(one) == (
        "De afgehandelde klacht is niet binnen de wettelijke termijn afgehandeld "
        "(6 weken, 10 weken bij verdaging)."
    )
    none = figures(handled=8, closed_count=6, within_term_count=0, within_term_share=0.0)
    assert text.within_term_sentence(none) == (
        "Geen van de 6 afgehandelde klachten met een datum van afhandeling is binnen de wettelijke termijn "
        "afgehandeld (6 weken, 10 weken bij verdaging)."
    )
    assert text.within_term_sentence(EMPTY) is None


@pytest.mark.parametrize(
    ("n", "sentence"),
    [
        (0, "Geen van de klachten uit 2024 is later voorgelegd aan de Nationale ombudsman."),
        (1, "1 klacht uit 2024 is later voorgelegd aan de Nationale ombudsman."),
        (3, "3 klachten uit 2024 zijn later voorgelegd aan de Nationale ombudsman."),
    ],
)
def test_ombudsman_sentence_singular_and_plural(n, sentence):
    assert text.ombudsman_sentence(figures(total=10, ombudsman=n)) == sentence


def test_handling_sentences_leave_out_what_does_not_apply():
    assert text.handling_sentences(EMPTY) == []


# --- narrative ----------------------------------------------------------------------------

SEEDLIKE = figures(
    total=64,
    total_previous=83,
    handled=50,
    not_handled=14,
    prevented=15,
    informal=38,
    formal=12,
    within_term_share=0.94,
    closed_count=50,
    within_term_count=47,
)


def write_narrative(tmp_path: Path, body: str, year: int = 2024) -> Path:
    folder = tmp_path / "toelichting"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{year}.md").write_text(body, encoding="utf-8")
    return tmp_path


FULL = """\
# Toelichting 2024

## Wijze van klachtbehandeling
In {{ jaar }} zijn {{ afgehandeld }} van de {{ totaal }} klachten afgehandeld, {{ binnen_termijn }} op tijd.

## Algemeen beeld klachten
Uiteenlopend.

## Daling aantal klachten
Gedaald van {{ totaal_vorig_jaar }} in {{ vorig_jaar }} naar {{ totaal }}; {{ voorkomen }} keer voorkomen.

## Reflectie op klachten
{{ informeel }} informeel, {{ formeel }} formeel, {{ niet_afgehandeld }} niet, {{ in_behandeling }} open.

## Ervaringen klachtbehandeling
Gehoord.
"""


def test_narrative_placeholders_are_filled_with_dutch_figures(tmp_path):
    narrative = text.render_narrative(write_narrative(tmp_path, FULL), 2024, SEEDLIKE)
    assert narrative.warnings == []
    assert list(narrative.sections) == [
        "Wijze van klachtbehandeling",
        "Algemeen beeld klachten",
        "Daling aantal klachten",
        "Reflectie op klachten",
        "Ervaringen klachtbehandeling",
    ]
    assert (
        narrative.sections["Wijze van klachtbehandeling"]
        == "In 2024 zijn 50 van de 64 klachten afgehandeld, 94% op tijd."
    )
    assert (
        narrative.sections["Daling aantal klachten"] == "Gedaald van 83 in 2023 naar 64; 15 keer voorkomen."
    )
    assert narrative.sections["Reflectie op klachten"] == "38 informeel, 12 formeel, 14 niet, 0 open."


def test_narrative_context_has_every_documented_placeholder():
    context = text.narrative_context(replace(SEEDLIKE, total=1234))
    assert set(context) == set(text.PLACEHOLDERS)
    assert (context["jaar"], context["totaal"], context["binnen_termijn"]) == ("2024", "1.234", "94%")


def test_unknown_placeholder_is_an_error_naming_it_and_the_line(tmp_path):
    folder = write_narrative(
        tmp_path, "## Algemeen beeld klachten\nTekst.\nIn {{ jaar }} waren er {{ totaall }}.\n"
    )
    with pytest.raises(DataError) as caught:
        text.render_narrative(folder, 2024, SEEDLIKE)
    [problem] = caught.value.problems
    assert "'{{ totaall }}'" in problem.message
    assert problem.file.endswith("2024.md") and problem.row == 3
    assert "{{ totaal }}" in problem.hint and "{{ binnen_termijn }}" in problem.hint


def test_every_unknown_placeholder_is_reported_in_one_pass(tmp_path):
    body = "## Algemeen beeld klachten\n{{ een }}\n## Reflectie op klachten\n{{ twee }}\n"
    with pytest.raises(DataError) as caught:
        text.render_narrative(write_narrative(tmp_path, body), 2024, SEEDLIKE)
    assert [p.row for p in caught.value.problems] == [2, 4]


def test_template_syntax_error_is_a_data_error(tmp_path):
    with pytest.raises(DataError) as caught:
        text.render_narrative(
            write_narrative(tmp_path, "## Algemeen beeld klachten\n\n{{ totaal \n"), 2024, SEEDLIKE
        )
    assert caught.value.problems[0].row is not None


def test_narrative_cannot_reach_python_internals(tmp_path):
    body = "## Algemeen beeld klachten\n{{ jaar.__class__.__mro__ }}\n"
    with pytest.raises(DataError):
        text.render_narrative(write_narrative(tmp_path, body), 2024, SEEDLIKE)


def test_missing_narrative_file_is_a_warning_with_empty_sections(tmp_path):
    narrative = text.render_narrative(tmp_path, 2024, SEEDLIKE)
    [warning] = narrative.warnings
    assert warning.severity == "waarschuwing" and warning.file.endswith("2024.md")
    assert set(narrative.sections.values()) == {""}


def test_missing_section_is_a_warning(tmp_path):
    narrative = text.render_narrative(
        write_narrative(tmp_path, "## Algemeen beeld klachten\nTekst.\n"), 2024, SEEDLIKE
    )
    missing = [w for w in narrative.warnings if "ontbreekt" in w.message]
    assert len(missing) == 4 and all(w.severity == "waarschuwing" for w in missing)
    assert narrative.section("Reflectie op klachten") == ""


def test_unknown_heading_is_a_warning(tmp_path):
    narrative = text.render_narrative(write_narrative(tmp_path, FULL + "## Overig\nx\n"), 2024, SEEDLIKE)
    assert [w.row for w in narrative.warnings] == [17]  # FULL has 16 lines


def test_trend_section_heading_follows_the_data(tmp_path):
    rising = replace(SEEDLIKE, total=90)
    narrative = text.render_narrative(write_narrative(tmp_path, FULL), 2024, rising)
    assert "Stijging aantal klachten" in narrative.sections
    assert "Daling aantal klachten" not in narrative.sections
    assert narrative.section("Daling aantal klachten") == narrative.sections["Stijging aantal klachten"]
    assert any("past niet bij de cijfers" in w.message for w in narrative.warnings)


def test_trend_section_matching_the_data_wins_when_both_are_written(tmp_path):
    body = "## Stijging aantal klachten\nMeer.\n## Daling aantal klachten\nMinder.\n"
    narrative = text.render_narrative(write_narrative(tmp_path, body), 2024, SEEDLIKE)
    assert narrative.sections["Daling aantal klachten"] == "Minder."
    assert not any("past niet" in w.message for w in narrative.warnings)


def test_headings_match_regardless_of_case(tmp_path):
    narrative = text.render_narrative(
        write_narrative(tmp_path, "## algemeen BEELD klachten\nTekst.\n"), 2024, SEEDLIKE
    )
    assert narrative.sections["Algemeen beeld klachten"] == "Tekst."


def test_placeholder_without_a_value_becomes_onbekend_with_a_warning(tmp_path):
    first_year = replace(SEEDLIKE, total_previous=None)
    body = "## Aantal klachten gelijk\nVan {{ totaal_vorig_jaar }} naar {{ totaal }}.\n"
    narrative = text.render_narrative(write_narrative(tmp_path, body), 2024, first_year)
    assert narrative.sections["Aantal klachten"] == "Van onbekend naar 64."
    assert any("totaal_vorig_jaar" in w.message for w in narrative.warnings)


def test_narrative_sections_keep_the_markdown_as_written(tmp_path):
    narrative = text.render_narrative(
        write_narrative(tmp_path, "## Algemeen beeld klachten\n**Vet** & <b>\n"), 2024, SEEDLIKE
    )
    assert narrative.sections["Algemeen beeld klachten"] == "**Vet** & <b>"


# --- issue 22: the ombudsman's outcome, a team's change, the trend in words --------------------


def outcomes(**found: int) -> pd.DataFrame:
    """[uitkomst, aantal] in vocabulary order; keywords with _ for spaces (niet_behoorlijk=1)."""
    from klachtlib.reading import vocab

    names = list(vocab.OMBUDSMAN_OUTCOMES)
    return pd.DataFrame({"uitkomst": names, "aantal": [found.get(o.replace(" ", "_"), 0) for o in names]})


def test_ombudsman_outcome_sentence_with_counts():
    result = figures(ombudsman_outcomes=outcomes(niet_in_behandeling_genomen=1, behoorlijk=2))
    sentence = text.ombudsman_outcome_sentence(result)
    assert sentence == (
        "Van de klachten uit 2024 die aan de Nationale ombudsman zijn voorgelegd, is er 1 niet in "
        "behandeling genomen en 2 afgesloten met het oordeel dat de gemeente behoorlijk heeft gehandeld."
    )


def test_ombudsman_outcome_sentence_says_where_the_outcome_is_not_yet_recorded():
    result = figures(ombudsman_outcomes=outcomes(bemiddeld=2), ombudsman_outcome_unknown=1)
    assert text.ombudsman_outcome_sentence(result) == (
        "Van de klachten uit 2024 die aan de Nationale ombudsman zijn voorgelegd, zijn er 2 opgelost door "
        "bemiddeling van de ombudsman. Bij 1 klacht is de uitkomst (nog) niet vastgelegd."
    )


def test_no_ombudsman_outcome_sentence_when_the_outcome_is_not_recorded():
    result = figures(ombudsman_outcomes=outcomes(), not_recorded=frozenset({"ombudsman_uitkomst"}), total=3)
    assert text.ombudsman_outcome_sentence(result) is None


def test_a_teams_change_and_share_upheld_in_words():
    assert [text.difference_text(5, 3), text.difference_text(1, 4), text.difference_text(2, 2)] == [
        "2 meer",
        "3 minder",
        "gelijk",
    ]
    assert text.upheld_text(1, 3) == "1 van 3 (33,3%)"
    assert text.upheld_text(0, 0) == "geen formeel oordeel"
