"""Five years (issue 22): Kerncijfers and "Verloop over de jaren" show up to the last five years
the register holds, with the trend in words."""

from __future__ import annotations

from registers import NO_CONTACTS, make_register

from klachtlib.domain import counts
from klachtlib.domain.periods import parse_named
from klachtlib.presentation import keyfigures, text
from klachtlib.reading.register import DataFolder
from klachtlib.reading.settings import Settings


def register(per_year: dict[int, int]):
    rows = [{"datum_ontvangst": f"{year}-03-01"} for year, n in per_year.items() for _ in range(n)]
    return make_register(rows)


def figures(per_year: dict[int, int], year: int = 2024) -> counts.YearFigures:
    return counts.year_figures(register(per_year), NO_CONTACTS, Settings(), year)


def test_the_trend_shows_at_most_the_last_five_years_up_to_the_report_year():
    result = figures({2018: 1, 2019: 2, 2020: 3, 2021: 4, 2022: 5, 2023: 6, 2024: 7, 2025: 8})
    assert result.trend["jaar"].tolist() == [2020, 2021, 2022, 2023, 2024]


def test_the_key_figures_show_five_years_newest_first():
    six_years = register({2019: 9, 2020: 8, 2021: 7, 2022: 6, 2023: 5, 2024: 4})
    data = DataFolder(six_years, NO_CONTACTS, Settings(), [])
    result = counts.year_figures(data.register, data.contacts, data.settings, 2024)
    rows = keyfigures.report_rows(data, result)
    table = keyfigures.key_figures_table(rows, 2024, keyfigures.column_labels(result, rows))
    assert list(table.columns) == ["Kerncijfer", "2024", "2023", "2022", "2021", "2020"]
    assert table.iloc[0].tolist() == ["Klachten ontvangen", "4", "5", "6", "7", "8"]
    assert table.iloc[1, 5] == "1 minder (\u221211,1%)"  # 2020 against 2019, which is not shown
    assert keyfigures.caption(2024, list(table.columns[1:])) == (
        "Kerncijfers klachtenbehandeling 2024, met 2020 tot en met 2023 ter vergelijking"
    )


def test_the_key_figures_show_no_year_before_the_register_begins():
    data = DataFolder(register({2022: 3, 2023: 2, 2024: 1}), NO_CONTACTS, Settings(), [])
    result = counts.year_figures(data.register, data.contacts, data.settings, 2024)
    rows = keyfigures.report_rows(data, result)
    assert keyfigures.column_labels(result, rows) == ["2024", "2023", "2022"]


def test_a_year_missing_within_the_five_is_onbekend_not_zero():
    data = DataFolder(register({2020: 3, 2022: 2, 2024: 1}), NO_CONTACTS, Settings(), [])
    result = counts.year_figures(data.register, data.contacts, data.settings, 2024)
    rows = {r.label: r for r in keyfigures.report_rows(data, result)}
    received = rows["Klachten ontvangen"]
    assert (received.value, received.previous, received.earlier) == ("1", "onbekend", ("2", "onbekend", "3"))


def test_the_trend_in_words_for_a_fall_with_ups_and_downs():
    assert text.trend_in_words(figures({2020: 90, 2021: 95, 2022: 70, 2023: 83, 2024: 64})) == (
        "Van 2020 tot en met 2024 is het aantal ontvangen klachten gedaald van 90 naar 64 (\u221228,9%). "
        "Het hoogste aantal was 95 (2021), het laagste 64 (2024)."
    )


def test_the_trend_in_words_for_a_rise_every_year():
    assert text.trend_in_words(figures({2022: 10, 2023: 12, 2024: 15})) == (
        "Van 2022 tot en met 2024 is het aantal ontvangen klachten gestegen van 10 naar 15 (+50%). "
        "Het aantal steeg elk jaar."
    )


def test_the_trend_in_words_when_the_first_and_last_year_are_equal():
    assert text.trend_in_words(figures({2022: 10, 2023: 12, 2024: 10})).startswith(
        "Van 2022 tot en met 2024 is het aantal ontvangen klachten gelijk gebleven (10)."
    )


def test_no_trend_in_words_for_two_years_the_total_sentence_compares_them():
    assert text.trend_in_words(figures({2023: 83, 2024: 64})) is None


def test_a_periods_trend_is_the_same_period_in_each_year():
    days = ("02-01", "08-01")
    rows = [{"datum_ontvangst": f"{year}-{day}"} for year in (2022, 2023, 2024) for day in days]
    rows += [{"datum_ontvangst": "2024-03-01"}]
    result = counts.year_figures(make_register(rows), NO_CONTACTS, Settings(), 0, parse_named("2024-H1"))
    assert result.trend[["jaar", "totaal"]].values.tolist() == [[2022, 1], [2023, 1], [2024, 2]]
    assert text.trend_in_words(result) == (
        "Van het eerste halfjaar van 2022 tot en met het eerste halfjaar van 2024 is het aantal ontvangen "
        "klachten gestegen van 1 naar 2 (+100%). Het hoogste aantal was 2 (2024), het laagste 1 (2022 en "
        "2023)."
    )
