"""Rules for which rows are complaints of a year and how each one ended."""

from __future__ import annotations

from registers import make_register

from klachtlib.domain import classify


def test_a_complaint_belongs_to_the_year_it_was_received():
    register = make_register(
        [
            {"datum_ontvangst": "2023-12-31", "datum_afgehandeld": "2024-01-10"},
            {"datum_ontvangst": "2024-01-01"},
        ]
    )
    assert classify.complaints_of_year(register, 2023)["klacht_id"].tolist() == ["K001"]
    assert classify.complaints_of_year(register, 2024)["klacht_id"].tolist() == ["K002"]


def test_prevented_complaints_are_never_complaints():
    register = make_register([{"status": "voorkomen"}, {"status": "afgehandeld"}])
    assert classify.complaints_of_year(register, 2024)["status"].tolist() == ["afgehandeld"]
    assert classify.prevented_of_year(register, 2024)["klacht_id"].tolist() == ["K001"]


def test_every_status_falls_in_exactly_one_group():
    statuses = [
        "afgehandeld",
        "ingetrokken",
        "niet-ontvankelijk",
        "afgebroken",
        "doorgestuurd",
        "in behandeling",
    ]
    complaints = classify.complaints_of_year(make_register([{"status": s} for s in statuses]), 2024)
    assert classify.handled(complaints)["status"].tolist() == ["afgehandeld"]
    assert sorted(classify.not_handled(complaints)["status"]) == sorted(statuses[1:5])
    assert classify.still_open(complaints)["status"].tolist() == ["in behandeling"]


def test_status_groups_name_the_trend_columns():
    register = make_register(
        [{"status": "doorgestuurd"}, {"status": "voorkomen"}, {"status": "in behandeling"}]
    )
    assert classify.status_group(register).tolist() == ["niet_afgehandeld", "voorkomen", "in_behandeling"]


def test_years_in_counts_years_with_only_prevented_rows():
    register = make_register(
        [{"datum_ontvangst": "2022-05-01", "status": "voorkomen"}, {"datum_ontvangst": "2024-01-01"}]
    )
    assert classify.years_in(register) == [2022, 2024]
    assert classify.latest_year(register) == 2024


def test_latest_year_of_an_empty_register_is_none():
    assert classify.latest_year(make_register([])) is None
    assert classify.years_in(make_register([])) == []


def test_classifying_never_changes_the_register():
    register = make_register([{"status": "voorkomen"}, {}])
    before = register.copy()
    classify.complaints_of_year(register, 2024)
    classify.prevented_of_year(register, 2024)
    assert register.equals(before)
