"""Rules for the report's figures, each on a small register built inline."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from registers import NO_CONTACTS, make_contacts, make_register

from klachtlib.domain import counts
from klachtlib.reading import vocab
from klachtlib.reading.settings import Settings

DEFAULTS = Settings()
MELDING = "De klacht betrof een melding"
BOETE = "De klacht ging alleen over een opgelegde boete"
NIET_MEER = "De klager reageerde niet meer tijdens de klachtbehandeling"
CATALOGUE = Settings(reason_catalogue=(NIET_MEER, MELDING, BOETE))


def figures(rows, year=2024, contacts=NO_CONTACTS, config=DEFAULTS):
    return counts.year_figures(make_register(rows), contacts, config, year)


def records(frame: pd.DataFrame) -> list[tuple]:
    return list(frame.itertuples(index=False, name=None))


def test_prevented_complaints_are_never_counted_as_complaints():
    result = figures([{"status": "voorkomen"}] * 3 + [{}, {"status": "in behandeling"}])
    assert (result.total, result.prevented) == (2, 3)
    assert result.trend["totaal"].tolist() == [2]
    assert result.trend["voorkomen"].tolist() == [3]


def test_total_previous_is_none_when_the_previous_year_has_no_rows():
    result = figures([{}, {"datum_ontvangst": "2022-01-05"}])
    assert result.previous_year == 2023
    assert result.total_previous is None


def test_total_previous_is_zero_when_the_previous_year_has_only_prevented_complaints():
    result = figures([{}, {"datum_ontvangst": "2023-01-05", "status": "voorkomen"}])
    assert result.total_previous == 0


def test_groups_split_handled_not_handled_and_open():
    result = figures(
        [{}, {}, {"status": "ingetrokken"}, {"status": "doorgestuurd"}, {"status": "in behandeling"}]
    )
    assert (result.total, result.handled, result.not_handled, result.still_open) == (5, 2, 2, 1)


def test_reasons_are_listed_most_frequent_first():
    rows = [{"status": "afgebroken", "reden": BOETE}] + [{"status": "ingetrokken", "reden": MELDING}] * 2
    assert records(figures(rows).not_handled_by_reason) == [(MELDING, 2), (BOETE, 1)]


def test_reason_ties_follow_catalogue_order():
    rows = [{"status": "afgebroken", "reden": r} for r in (BOETE, MELDING, NIET_MEER)]
    result = figures(rows, config=CATALOGUE)
    assert result.not_handled_by_reason["reden"].tolist() == [NIET_MEER, MELDING, BOETE]


def test_reason_ties_outside_the_catalogue_come_last_alphabetically():
    rows = [{"status": "afgebroken", "reden": r} for r in ("Zomaar", "Anders", MELDING)]
    result = figures(rows, config=CATALOGUE)
    assert result.not_handled_by_reason["reden"].tolist() == [MELDING, "Anders", "Zomaar"]


def test_handled_per_team_most_first_ties_alphabetical():
    rows = [{"team": t} for t in ("Wonen", "Afval", "Wonen", "Belastingen", "afval beheer")]
    result = figures(rows + [{"status": "in behandeling", "team": "Wonen"}])
    assert records(result.handled_per_team) == [
        ("Wonen", 2),
        ("Afval", 1),
        ("afval beheer", 1),
        ("Belastingen", 1),
    ]


def test_treatment_is_counted_among_handled_complaints_with_unknown_separate():
    rows = [{"behandeling": "informeel"}] * 3 + [{"behandeling": "formeel"}, {}]
    rows.append({"status": "in behandeling", "behandeling": "formeel"})
    result = figures(rows)
    assert (result.informal, result.formal, result.treatment_unknown) == (3, 1, 1)


def test_verdicts_cover_formal_handled_complaints_in_vocabulary_order_with_zeros():
    rows = [
        {"behandeling": "formeel", "oordeel": "ongegrond"},
        {"behandeling": "formeel", "oordeel": "gegrond"},
        {"behandeling": "formeel", "oordeel": "ongegrond"},
        {"behandeling": "formeel"},
        {"behandeling": "informeel", "oordeel": "gegrond"},
        {"status": "in behandeling", "behandeling": "formeel", "oordeel": "gegrond"},
    ]
    result = figures(rows)
    assert records(result.verdicts) == [
        ("gegrond", 1),
        ("deels gegrond", 0),
        ("ongegrond", 2),
        ("geen oordeel", 0),
    ]
    assert result.verdict_unknown == 1


def test_median_days_is_over_handled_complaints_with_a_closing_date():
    rows = [
        {"datum_ontvangst": "2024-03-01", "datum_afgehandeld": "2024-03-11"},
        {"datum_ontvangst": "2024-03-01", "datum_afgehandeld": "2024-03-21"},
        {"datum_ontvangst": "2024-03-01"},
        {"status": "ingetrokken", "datum_afgehandeld": "2024-12-01"},
    ]
    result = figures(rows)
    assert (result.median_days, result.closed_count) == (15.0, 2)


def test_median_days_is_none_when_no_handled_complaint_has_a_closing_date():
    result = figures([{}, {"status": "afgebroken", "datum_afgehandeld": "2024-03-05"}])
    assert (result.median_days, result.closed_count, result.within_term_share) == (None, 0, None)


def test_complaint_closed_after_exactly_six_weeks_is_within_term():
    # verdaagd recorded ("nee"): without it, 43 days could be within an extended term.
    rows = [{"datum_afgehandeld": d, "verdaagd": False} for d in ("2024-04-12", "2024-04-13")]
    result = figures(rows)
    assert (result.within_term_count, result.within_term_share) == (1, 0.5)


def test_extended_complaint_gets_ten_weeks():
    rows = [
        {"datum_afgehandeld": "2024-05-10", "verdaagd": True},  # 70 days
        {"datum_afgehandeld": "2024-05-11", "verdaagd": True},  # 71 days
        {"datum_afgehandeld": "2024-05-10", "verdaagd": False},
        {"datum_afgehandeld": "2024-05-10"},  # verdaagd unknown: not extended
    ]
    assert figures(rows).within_term_count == 1


def test_handling_terms_come_from_the_settings():
    rows = [{"datum_afgehandeld": "2024-03-15"}, {"datum_afgehandeld": "2024-03-29", "verdaagd": True}]
    result = figures(rows, config=Settings(term_weeks=2, extension_weeks=2))
    assert result.within_term_count == 2
    assert (result.term_weeks, result.extended_term_weeks) == (2, 4)


def test_ombudsman_counts_only_complaints_marked_yes():
    rows = [
        {"ombudsman": True},
        {"ombudsman": "ja"},
        {"ombudsman": False},
        {},
        {"status": "voorkomen", "ombudsman": True},
    ]
    assert figures(rows).ombudsman == 2


def test_per_nature_counts_the_years_complaints_most_first():
    rows = [{"aard": "geen oplossing"}, {"aard": "lange doorlooptijd"}, {"aard": "lange doorlooptijd"}, {}]
    rows.append({"status": "voorkomen", "aard": "geen oplossing"})
    every_count = Settings(woo_minimum=1)  # (small numbers: tests/test_hostile_output.py)
    per_nature = figures(rows, config=every_count).per_nature
    assert records(per_nature) == [("lange doorlooptijd", 2), ("geen oplossing", 1)]


def test_per_nature_is_empty_when_the_register_has_no_nature():
    table = figures([{}, {}]).per_nature
    assert table.empty and list(table.columns) == ["aard", "aantal"]


def test_learning_points_are_counted_per_team_never_shown():
    rows = [
        {"team": "Wonen", "leerpunt": "Sneller terugbellen"},
        {"team": "Wonen", "leerpunt": "Brief duidelijker"},
        {"team": "Afval", "leerpunt": "   "},
        {"team": "Afval"},
    ]
    table = figures(rows).learning_points_per_team
    assert records(table) == [("Wonen", 2)]
    assert "Sneller terugbellen" not in table.to_string()


def test_contacts_per_1000_only_where_the_volume_is_known_and_positive():
    rows = [{"kanaal": "e-mail"}] * 3 + [{"kanaal": "telefoon", "datum_ontvangst": "2023-02-01"}]
    rows.append({"kanaal": "e-mail", "status": "voorkomen"})
    contacts = make_contacts(
        [
            (2024, "e-mail", 1500),
            (2024, "balie", None),
            (2024, "brief", 0),
            (2023, "telefoon", 2000),
            (2024, "telefoon", 10),
        ]
    )
    table = figures(rows, contacts=contacts).contacts_per_1000
    assert records(table) == [
        (2023, "telefoon", 1, 2000, 0.5),
        (2024, "e-mail", 3, 1500, 2.0),
        (2024, "telefoon", 0, 10, 0.0),
    ]
    assert table["per_1000"].dtype == "float64"


def test_contacts_after_the_report_year_are_left_out():
    contacts = make_contacts([(2024, "e-mail", 100), (2025, "e-mail", 100)])
    rows = [{"kanaal": "e-mail"}, {"datum_ontvangst": "2025-01-02", "kanaal": "e-mail"}]
    table = figures(rows, contacts=contacts).contacts_per_1000
    assert table["jaar"].tolist() == [2024]


def test_channels_without_data_are_those_with_empty_volume_in_the_report_year():
    contacts = make_contacts(
        [
            (2024, "balie", None),
            (2024, "e-mail", None),
            (2024, "telefoon", None),
            (2024, "brief", 40),
            (2023, "anders", None),
        ]
    )
    assert figures([{}], contacts=contacts).channels_without_data == ("e-mail", "telefoon", "balie")


def test_trend_has_every_year_ascending_with_prevented_outside_the_total():
    register = make_register(
        [
            {"datum_ontvangst": "2024-01-01", "status": "voorkomen"},
            {"datum_ontvangst": "2021-06-01", "status": "ingetrokken"},
            {"datum_ontvangst": "2024-02-01"},
            {"datum_ontvangst": "2024-02-01", "status": "in behandeling"},
        ]
    )
    table = counts.trend(register)
    assert list(table.columns) == list(counts.TREND_COLUMNS)
    assert records(table) == [(2021, 1, 0, 1, 0, 0), (2024, 2, 1, 0, 1, 1)]


def test_trend_in_the_year_figures_stops_at_the_report_year():
    result = figures([{"datum_ontvangst": "2023-01-01"}, {"datum_ontvangst": "2024-01-01"}], year=2023)
    assert result.trend["jaar"].tolist() == [2023]


def test_teams_of_year_lists_teams_with_complaints_sorted():
    rows = [{"team": "Wonen"}, {"team": "afval"}, {"team": "Belastingen", "status": "voorkomen"}]
    rows += [{"team": "Zorg", "datum_ontvangst": "2023-01-01"}, {"status": "ingetrokken"}]
    assert counts.teams_of_year(make_register(rows), 2024) == ["afval", "Wonen"]


def test_team_overview_table_has_no_learning_point_column():
    register = make_register(
        [
            {
                "team": "Wonen",
                "leerpunt": "Sneller terugbellen",
                "datum_afgehandeld": "2024-03-05",
                "behandeling": "formeel",
                "oordeel": "gegrond",
            }
        ]
    )
    overview = counts.team_figures(register, DEFAULTS, 2024, "Wonen")
    assert list(overview.complaints.columns) == list(counts.TEAM_TABLE_COLUMNS)
    assert "leerpunt" not in overview.complaints.columns
    assert "Sneller terugbellen" not in overview.complaints.to_string()
    assert overview.learning_points == ["Sneller terugbellen"]


def test_team_overview_shows_days_and_term_per_complaint():
    rows = [
        {"team": "Wonen", "datum_afgehandeld": "2024-04-20"},
        {"team": "Wonen", "datum_afgehandeld": "2024-04-20", "verdaagd": True},
        {"team": "Wonen"},
    ]
    table = counts.team_figures(make_register(rows), DEFAULTS, 2024, "Wonen").complaints
    assert table["dagen"].tolist()[:2] == [50, 50]
    assert table["binnen_termijn"].tolist()[:2] == [False, True]
    assert table["dagen"].isna().tolist()[2] and table["binnen_termijn"].isna().tolist()[2]


def test_team_counts_stand_next_to_the_municipalitys():
    rows = [
        {"team": "Wonen", "datum_afgehandeld": "2024-03-11", "verdaagd": False},
        {"team": "Afval", "datum_afgehandeld": "2024-05-01", "verdaagd": False},
        {"team": "Afval", "status": "in behandeling"},
    ]
    overview = counts.team_figures(make_register(rows), DEFAULTS, 2024, "Afval")
    assert (overview.counts.total, overview.counts.handled, overview.counts.median_days) == (2, 1, 61.0)
    assert overview.counts.within_term_share == 0.0
    assert (overview.municipality.total, overview.municipality.handled) == (3, 2)
    assert overview.municipality.within_term_share == 0.5


@pytest.mark.parametrize("string_dtype", ["str", "string", "object"])
def test_figures_do_not_depend_on_the_string_flavour(string_dtype):
    rows = [
        {
            "team": "Wonen",
            "behandeling": "formeel",
            "oordeel": "gegrond",
            "kanaal": "e-mail",
            "aard": "geen oplossing",
        },
        {"status": "ingetrokken", "reden": MELDING, "leerpunt": "x", "team": "Afval"},
        {"status": "voorkomen"},
    ]
    contacts = make_contacts([(2024, "e-mail", 100), (2024, "balie", None)])
    base = counts.year_figures(make_register(rows), contacts, DEFAULTS, 2024)
    other = counts.year_figures(make_register(rows, string_dtype=string_dtype), contacts, DEFAULTS, 2024)
    for name in (
        "not_handled_by_reason",
        "handled_per_team",
        "verdicts",
        "per_nature",
        "learning_points_per_team",
        "contacts_per_1000",
        "trend",
    ):
        assert records(getattr(base, name)) == records(getattr(other, name)), name
    assert (base.formal, base.channels_without_data) == (other.formal, other.channels_without_data)


# --- properties on random registers -------------------------------------------------------

REASONS = (MELDING, BOETE, NIET_MEER, "Anders")
row_strategy = st.fixed_dictionaries(
    {
        "status": st.sampled_from(vocab.STATUSES),
        "datum_ontvangst": st.sampled_from(
            ["2022-06-01", "2023-01-01", "2023-12-31", "2024-01-01", "2024-07-15"]
        ),
    },
    optional={
        "team": st.sampled_from(["Wonen", "Afval", "Zorg"]),
        "reden": st.sampled_from(REASONS),
        "behandeling": st.sampled_from(vocab.TREATMENTS),
        "oordeel": st.sampled_from(vocab.VERDICTS),
        "verdaagd": st.booleans(),
        "kanaal": st.sampled_from(vocab.CHANNELS),
        "ombudsman": st.booleans(),
    },
)
registers = st.lists(row_strategy, max_size=40).map(make_register)


@settings(max_examples=60, deadline=None)
@given(registers, st.sampled_from([2022, 2023, 2024, 2025]))
def test_groups_always_add_up_to_the_total(register, year):
    result = counts.year_figures(register, NO_CONTACTS, CATALOGUE, year)
    assert result.handled + result.not_handled + result.still_open == result.total
    assert result.not_handled_by_reason["aantal"].sum() == result.not_handled
    assert result.handled_per_team["aantal"].sum() == result.handled
    assert result.informal + result.formal + result.treatment_unknown == result.handled
    assert result.verdicts["aantal"].sum() + result.verdict_unknown == result.formal


@settings(max_examples=60, deadline=None)
@given(registers, st.sampled_from([2022, 2023, 2024]))
def test_prevented_rows_never_change_the_complaint_figures(register, year):
    without = register[register["status"] != "voorkomen"].reset_index(drop=True)
    result = counts.year_figures(register, NO_CONTACTS, DEFAULTS, year)
    bare = counts.year_figures(without, NO_CONTACTS, DEFAULTS, year)
    assert (result.total, result.handled, result.not_handled, result.still_open) == (
        bare.total,
        bare.handled,
        bare.not_handled,
        bare.still_open,
    )
    assert result.prevented == int(
        ((register["status"] == "voorkomen") & (register["datum_ontvangst"].dt.year == year)).sum()
    )
    trend = counts.trend(register)
    assert trend["totaal"].sum() == int((register["status"] != "voorkomen").sum())


# --------------------------------------------------------------------------- per team (issue 22)


def test_teams_are_compared_with_last_year_including_teams_only_last_year_had():
    rows = [{"team": "A"}] * 3 + [{"team": "B"}]
    rows += [{"team": "A", "datum_ontvangst": "2023-03-01"}, {"team": "C", "datum_ontvangst": "2023-03-01"}]
    assert records(figures(rows).teams_compared[["team", "aantal", "vorig"]]) == [
        ("A", 3, 1),
        ("B", 1, 0),
        ("C", 0, 1),
    ]


def test_without_last_year_in_the_register_last_years_team_numbers_are_unknown_not_zero():
    assert figures([{"team": "A"}]).teams_compared["vorig"].isna().all()


def test_a_team_renamed_between_years_is_one_team(tmp_path):
    from conftest import register_row, write_register_file

    from klachtlib.reading.register import load_data_folder

    write_register_file(
        tmp_path,
        [
            register_row(klacht_id="K-1", team="Burgerzaken", datum_ontvangst="2023-03-01"),
            register_row(klacht_id="K-2", team="Burgerzaken", datum_ontvangst="2023-04-01"),
            register_row(klacht_id="K-3", team="Publiekszaken"),
        ],
    )
    (tmp_path / "klachten.toml").write_text('[teams]\n"Burgerzaken" = "Publiekszaken"\n', encoding="utf-8")
    folder = load_data_folder(tmp_path)
    result = counts.year_figures(folder.register, folder.contacts, folder.settings, 2024)
    assert records(result.teams_compared[["team", "aantal", "vorig"]]) == [("Publiekszaken", 1, 2)]


def test_a_teams_share_upheld_is_of_its_formal_verdicts():
    formal = {"team": "A", "behandeling": "formeel"}
    rows = [
        {**formal, "oordeel": "gegrond"},
        {**formal, "oordeel": "deels gegrond"},
        {**formal, "oordeel": "ongegrond"},
        {**formal, "oordeel": "geen oordeel"},  # no verdict given: not in the denominator
        {**formal},  # no verdict recorded: not in the denominator
        {"team": "A", "behandeling": "informeel"},
        {"team": "B", "behandeling": "informeel"},
    ]
    table = figures(rows).teams_compared.set_index("team")
    assert (table.at["A", "gegrond"], table.at["A", "oordelen"]) == (2, 3)
    assert (table.at["B", "gegrond"], table.at["B", "oordelen"]) == (0, 0)


def test_complaints_without_a_team_are_one_team_not_recorded_with_their_verdicts():
    formal = {"behandeling": "formeel", "team": None}
    rows = [{**formal, "oordeel": "gegrond"}, {**formal, "oordeel": "ongegrond"}, {"team": None}]
    rows += [
        {"team": "A"},
        {"team": "A", "datum_ontvangst": "2023-03-01"},
        {"team": None, "datum_ontvangst": "2023-03-01"},
    ]
    table = figures(rows).teams_compared
    assert records(table) == [(counts.NO_TEAM, 3, 1, 1, 2), ("A", 1, 1, 0, 0)]


# --------------------------------------------------------------------------- ombudsman outcome (issue 22)


def test_ombudsman_outcomes_are_counted_in_vocabulary_order():
    rows = [{"ombudsman": "ja", "ombudsman_uitkomst": u} for u in ("behoorlijk", "bemiddeld", "behoorlijk")]
    rows += [{"ombudsman": "ja"}, {"ombudsman": "nee"}]
    result = figures(rows)
    assert records(result.ombudsman_outcomes) == [
        ("niet in behandeling genomen", 0),
        ("bemiddeld", 1),
        ("behoorlijk", 2),
        ("niet behoorlijk", 0),
    ]
    assert result.ombudsman_outcome_unknown == 1
