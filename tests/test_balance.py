"""Stock and flow (shared/spec/report.md, "Stock and flow"): open on 1 January + received - closed =
open on 31 December, by the spec's definitions; complaints closed on an unknown date are named
by `validate` and counted apart in the report; prevented complaints are never part of it."""

from __future__ import annotations

from datetime import date, timedelta

from conftest import register_row, write_register_file
from hypothesis import given
from hypothesis import strategies as st
from registers import NO_CONTACTS, make_register
from test_validate import validate, warnings_of

from klachtlib.delivery import summary
from klachtlib.domain import counts
from klachtlib.domain.periods import parse_named
from klachtlib.presentation import text
from klachtlib.reading.settings import Settings


def figures(rows, year: int = 2024, period: str | None = None) -> counts.YearFigures:
    chosen = parse_named(period) if period else None
    return counts.year_figures(make_register(rows), NO_CONTACTS, Settings(), year, chosen)


def complaint(received: str, closed: str | None = None, status: str = "afgehandeld") -> dict:
    return {"datum_ontvangst": received, "datum_afgehandeld": closed, "status": status}


ROWS = [
    complaint("2023-03-01", "2023-04-01"),  # closed before 2024: in no figure of 2024
    complaint("2023-11-20", "2024-01-10"),  # open on 1 January, closed in 2024
    complaint("2023-12-01", None, "in behandeling"),  # open on 1 January and on 31 December
    complaint("2024-02-01", "2024-03-01", "ingetrokken"),  # closed in 2024, whatever the status
    complaint("2024-12-20", "2025-01-06"),  # received in 2024, open on 31 December
    complaint("2024-05-01", None, "in behandeling"),  # open on 31 December
    {"datum_ontvangst": "2024-04-01", "status": "voorkomen"},  # never part of it
]


def test_the_spec_definitions_give_open_received_closed_and_open():
    stock = figures(ROWS).balance
    assert stock is not None
    figures_ = (stock.open_start, stock.received, stock.closed, stock.unplaceable, stock.open_end)
    assert figures_ == (2, 3, 2, 0, 3)
    assert (stock.start, stock.end) == (date(2024, 1, 1), date(2024, 12, 31))


def test_the_balance_closes_and_names_1_januari_and_31_december():
    assert text.balance_sentences(figures(ROWS)) == [
        "Op 1 januari 2024 stonden 2 klachten open.",
        "In 2024 zijn 3 klachten ontvangen en 2 afgesloten.",
        "Op 31 december 2024 stonden 3 klachten open (2 + 3 \u2212 2 = 3).",
    ]


def test_a_complaint_closed_on_an_unknown_date_is_counted_apart_and_the_balance_still_closes():
    rows = [*ROWS, complaint("2024-06-01", None, "niet-ontvankelijk"), complaint("2024-07-01", None)]
    stock = figures(rows).balance
    assert stock is not None
    assert (stock.received, stock.closed, stock.unplaceable, stock.open_end) == (5, 2, 2, 3)
    assert stock.open_start + stock.received - stock.closed - stock.unplaceable == stock.open_end
    sentences = text.balance_sentences(figures(rows))
    assert (
        "bij 2 andere klachten uit deze periode die zijn afgesloten, is de datum van afhandeling niet"
        in (sentences[1])
    )
    assert sentences[2] == "Op 31 december 2024 stonden 3 klachten open (2 + 5 \u2212 2 \u2212 2 = 3)."


def test_prevented_complaints_are_never_part_of_the_balance():
    stock = figures([complaint("2024-03-01", "2024-03-05"), {"status": "voorkomen"}]).balance
    assert stock is not None and stock.received == 1


def test_without_complaints_before_the_year_the_opening_stock_is_unknown_not_zero():
    rows = [complaint("2024-03-01", "2024-03-05"), complaint("2024-12-30", None, "in behandeling")]
    result = figures(rows)
    assert result.balance is not None and result.balance.open_start is None
    assert text.balance_sentences(result) == [
        "Het register bevat geen klachten die vóór 1 januari 2024 zijn ontvangen; hoeveel klachten er op "
        "1 januari 2024 openstonden, is daarom niet bekend.",
        "In 2024 zijn 2 klachten ontvangen en 1 afgesloten. Op 31 december 2024 stond 1 klacht van deze "
        "klachten open.",
    ]


def test_without_closing_dates_there_is_no_balance_and_the_report_says_why():
    result = figures([{"datum_ontvangst": "2024-03-01"}, {"datum_ontvangst": "2023-03-01"}])
    assert result.balance is None
    assert text.balance_sentences(result) == [
        "De datum van afhandeling is bij de klachten uit 2024 niet vastgelegd; daarom is niet te zeggen "
        "hoeveel klachten er aan het begin en het eind openstonden."
    ]


def test_a_periods_balance_names_its_first_and_last_day():
    result = figures(ROWS, period="2024-H1")
    first, _, last = text.balance_sentences(result)
    assert first == "Op 1 januari 2024 stonden 2 klachten open."
    assert last == "Op 30 juni 2024 stonden 2 klachten open (2 + 2 \u2212 2 = 2)."


days = st.integers(min_value=0, max_value=3 * 366)


statuses = st.sampled_from(["afgehandeld", "ingetrokken", "in behandeling"])


@given(
    st.lists(st.tuples(days, st.one_of(st.none(), st.integers(0, 400)), statuses), max_size=40),
    st.sampled_from([2022, 2023, 2024]),
)
def test_open_on_1_january_plus_received_minus_closed_is_always_open_on_31_december(rows, year):
    start = date(2022, 1, 1)
    register = [
        {
            "datum_ontvangst": (start + timedelta(received)).isoformat(),
            "datum_afgehandeld": None if took is None else (start + timedelta(received + took)).isoformat(),
            "status": status,
        }
        for received, took, status in rows
    ]
    stock = figures(register, year).balance  # None when no complaint of the year has a closing date
    if stock is not None:
        opening = stock.open_start or 0
        assert opening + stock.received - stock.closed - stock.unplaceable == stock.open_end
        # the end of one year is the start of the next
        following = figures(register, year + 1).balance
        if following is not None and following.open_start is not None:
            assert following.open_start == stock.open_end


# --------------------------------------------------------------------------- validate


def test_validate_prints_the_balance_per_year(tmp_path):
    write_register_file(
        tmp_path,
        [
            register_row(klacht_id="K-1", datum_ontvangst="2023-12-01", datum_afgehandeld="2024-01-15"),
            register_row(klacht_id="K-2", datum_ontvangst="2024-03-01", datum_afgehandeld="2024-03-20"),
        ],
    )
    result = validate(tmp_path)
    assert result.exit_code == 0, result.output
    assert (
        "  open op 1 januari 2024: 1; ontvangen 1; afgesloten 2; open op 31 december 2024: 0" in result.stdout
    )
    assert "open op 1 januari 2023: onbekend (geen klachten van daarvoor)" in result.stdout


def test_validate_names_the_complaints_it_cannot_place(tmp_path):
    write_register_file(
        tmp_path,
        [
            register_row(klacht_id="K-1", datum_ontvangst="2024-03-01", datum_afgehandeld="2024-03-20"),
            register_row(klacht_id="K-2", datum_ontvangst="2024-03-02", datum_afgehandeld=""),
            register_row(
                klacht_id="K-3",
                status="ingetrokken",
                reden="De klacht betrof een melding",
                datum_afgehandeld="",
            ),
            register_row(klacht_id="K-4", status="in behandeling", datum_afgehandeld=""),  # open: placed
        ],
    )
    result = validate(tmp_path)
    assert result.exit_code == 0, result.output
    (warning,) = [w for w in warnings_of(result) if "zonder datum_afgehandeld" in w]
    assert "2 klachten zijn afgesloten zonder datum_afgehandeld (K-2, K-3)" in warning
    assert "afgesloten op een onbekende datum 2" in result.stdout


def test_many_complaints_it_cannot_place_are_named_up_to_twenty():
    rows = [{"datum_afgehandeld": None} for _ in range(25)] + [{"datum_afgehandeld": "2024-03-05"}]
    (warning,) = summary.unplaceable_warnings(make_register(rows))
    assert "K001, K002" in warning.message and "K020 en nog 5" in warning.message


def test_without_any_closing_date_of_a_complaint_none_is_named_as_unplaceable():
    """Not recorded at all is said per year; a prevented row's date does not make it recorded."""
    rows = [{"datum_afgehandeld": None} for _ in range(3)]
    rows += [{"status": "voorkomen", "datum_afgehandeld": "2024-03-05"}]
    assert summary.unplaceable_warnings(make_register(rows)) == []


def test_only_complaints_closed_on_an_unknown_date_are_named_not_open_or_prevented_ones():
    rows = [
        {"datum_afgehandeld": None},
        {"status": "voorkomen", "datum_afgehandeld": None},
        {"status": "in behandeling", "datum_afgehandeld": None},
        {"datum_afgehandeld": "2024-03-05"},
    ]
    (warning,) = summary.unplaceable_warnings(make_register(rows))
    assert "1 klacht is afgesloten zonder datum_afgehandeld (K001)" in warning.message
