"""What came of the learning points (issue 23): the measures of a year counted, per team, and
worded; a measure belongs to the year of its learning point (`klachtlib.domain.measure_counts`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from klachtlib import config
from klachtlib.domain.measure_counts import MeasureFigures, measure_figures, measures_per_team, team_measures
from klachtlib.presentation import text
from klachtlib.presentation.report import YearReport
from klachtlib.reading.measures import MEASURE_FRAME_COLUMNS
from klachtlib.reading.register import load_data_folder


def measures(*rows: dict[str, Any]) -> pd.DataFrame:
    """A measures frame as the reader gives it; each row states only what its test is about."""
    filled = []
    for line, row in enumerate(rows, start=2):
        filled.append(
            {
                "regel": line,
                "team": "Belastingen",
                "leerpunt": f"Leerpunt {line}",
                "klacht_id": None,
                "jaar": 2024,
                "maatregel": f"Maatregel {line}",
                "eigenaar": None,
                "status": "open",
                "datum_afgerond": None,
                **row,
            }
        )
    frame = pd.DataFrame(filled, columns=list(MEASURE_FRAME_COLUMNS))
    return frame.astype({"regel": "int64", "jaar": "int64"}).assign(
        datum_afgerond=pd.to_datetime(frame["datum_afgerond"]).astype("datetime64[ns]")
    )


def done(on: str, **row: Any) -> dict[str, Any]:
    return {"status": "afgerond", "datum_afgerond": on, **row}


# --------------------------------------------------------------------------- the year's counts


def test_the_years_measures_are_counted_by_their_status_when_the_list_was_made():
    frame = measures(done("2024-05-01"), done("2025-02-01"), {"status": "in uitvoering"}, {})
    figures = measure_figures(frame, 2024)
    assert (figures.total, figures.done, figures.running) == (4, 2, 2)


def test_measures_of_other_years_are_not_the_years_own():
    frame = measures({"jaar": 2023}, {"jaar": 2025}, {})
    assert measure_figures(frame, 2024).total == 1


def test_measures_of_earlier_years_still_running_on_1_january_are_carried_over():
    frame = measures(
        {"jaar": 2022},  # still open: carried over
        done("2023-12-31", jaar=2023),  # done before 2024: not carried over
        done("2024-01-01", jaar=2023),  # done in 2024: carried over and done in the year
        done("2025-01-10", jaar=2023),  # done after 2024: carried over, not done in 2024
        {},  # the year's own
    )
    figures = measure_figures(frame, 2024)
    assert (figures.carried, figures.carried_done) == (3, 1)


def test_without_measures_of_the_year_nothing_is_counted():
    assert measure_figures(measures({"jaar": 2023}), 2024) == MeasureFigures(2024, 0, 0, 1, 0)


# --------------------------------------------------------------------------- the team overview


def test_a_team_sees_carried_over_running_measures_first_then_the_years_own():
    frame = measures(
        done("2024-06-01", maatregel="eigen, afgerond"),
        {"maatregel": "eigen, lopend"},
        done("2024-03-01", jaar=2023, maatregel="uit 2023, in 2024 afgerond"),
        {"jaar": 2023, "maatregel": "uit 2023, lopend"},
        {"jaar": 2022, "maatregel": "uit 2022, lopend"},
        done("2023-06-01", jaar=2023, maatregel="uit 2023, in 2023 afgerond"),
        {"jaar": 2025, "maatregel": "uit 2025"},
        {"team": "Wonen", "maatregel": "ander team"},
    )
    assert team_measures(frame, 2024, "Belastingen")["maatregel"].tolist() == [
        "uit 2022, lopend",
        "uit 2023, lopend",
        "uit 2023, in 2024 afgerond",
        "eigen, lopend",
        "eigen, afgerond",
    ]


def test_the_team_table_holds_the_learning_point_owner_and_status():
    frame = measures(done("2024-06-01", klacht_id="K-1", eigenaar="Teamleider"))
    assert team_measures(frame, 2024, "Belastingen").iloc[0].to_dict() == {
        "jaar": 2024,
        "klacht_id": "K-1",
        "leerpunt": "Leerpunt 2",
        "maatregel": "Maatregel 2",
        "eigenaar": "Teamleider",
        "status": "afgerond",
        "datum_afgerond": pd.Timestamp("2024-06-01"),
    }


def test_the_index_counts_per_team_the_open_measures_and_those_completed_in_the_year():
    frame = measures(
        {"team": "Wonen"},
        {"team": "Wonen", "status": "in uitvoering", "jaar": 2022},
        done("2024-02-01", team="Wonen", jaar=2023),
        done("2023-02-01", team="Afval", jaar=2023),  # done before 2024: neither
        {"team": "Afval", "jaar": 2025},  # a later year: neither
        done("2024-09-01"),
    )
    assert measures_per_team(frame, 2024).to_dict("records") == [
        {"team": "Belastingen", "open": 0, "afgerond": 1},
        {"team": "Wonen", "open": 2, "afgerond": 1},
    ]


# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("total", "done_", "sentence"),
    [
        (
            9,
            6,
            "Bij de leerpunten uit 2024 zijn 9 maatregelen vastgelegd; 6 daarvan zijn afgerond, 3 lopen nog.",
        ),
        (
            2,
            1,
            "Bij de leerpunten uit 2024 zijn 2 maatregelen vastgelegd; 1 daarvan is afgerond, 1 loopt nog.",
        ),
        (3, 3, "Bij de leerpunten uit 2024 zijn 3 maatregelen vastgelegd; alle 3 zijn afgerond."),
        (3, 0, "Bij de leerpunten uit 2024 zijn 3 maatregelen vastgelegd; alle 3 lopen nog."),
        (1, 1, "Bij de leerpunten uit 2024 is 1 maatregel vastgelegd; die is afgerond."),
        (1, 0, "Bij de leerpunten uit 2024 is 1 maatregel vastgelegd; die loopt nog."),
    ],
)
def test_the_years_measures_in_one_sentence_of_counts(total, done_, sentence):
    assert text.measures_sentences(MeasureFigures(2024, total, done_, 0, 0)) == [sentence]


def test_no_measure_of_the_year_is_not_recorded_never_none():
    assert text.measures_sentences(MeasureFigures(2024, 0, 0, 0, 0)) == [
        "Maatregelen bij de leerpunten uit 2024 zijn niet vastgelegd."
    ]


@pytest.mark.parametrize(
    ("carried", "carried_done", "sentence"),
    [
        (
            4,
            3,
            "Van de 4 maatregelen uit eerdere jaren die begin 2024 nog liepen, zijn er 3 in 2024 afgerond.",
        ),
        (4, 1, "Van de 4 maatregelen uit eerdere jaren die begin 2024 nog liepen, is er 1 in 2024 afgerond."),
        (
            2,
            0,
            "Van de 2 maatregelen uit eerdere jaren die begin 2024 nog liepen, is er in 2024 geen afgerond.",
        ),
        (1, 1, "De maatregel uit een eerder jaar die begin 2024 nog liep, is in 2024 afgerond."),
        (1, 0, "De maatregel uit een eerder jaar die begin 2024 nog liep, is in 2024 niet afgerond."),
    ],
)
def test_measures_carried_over_in_a_second_sentence(carried, carried_done, sentence):
    assert text.measures_sentences(MeasureFigures(2024, 1, 1, carried, carried_done))[1:] == [sentence]


def test_a_team_without_measures_says_so():
    assert text.team_measures_sentence("Wonen", 2024, 0) == (
        "In het overzicht van maatregelen staan voor Wonen geen maatregelen bij de leerpunten uit 2024 en "
        "geen maatregelen uit eerdere jaren die begin 2024 nog liepen."
    )


def test_a_report_over_a_period_says_nothing_about_measures_a_year_report_does():
    folder = load_data_folder(config.DATA_DIR)  # the sample has maatregelen.csv
    year = YearReport.from_folder(folder, config.DATA_DIR, 2024)
    assert year.measure_figures == MeasureFigures(2024, 9, 6, 3, 2)
    half_year = YearReport.from_folder(folder, config.DATA_DIR, None, "2024-H1")
    assert half_year.measure_figures is None
    assert "maatregel" not in half_year.reflection_html()
