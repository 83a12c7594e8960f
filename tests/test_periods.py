"""Periods for the planning-and-control cycle (shared/spec/report.md "Beyond the seed",
interface.md): `klachten report --periode 2025-H1` (also Q and T), the same report over that period
compared with the same period a year earlier, in words that fit; `batch --periodes`."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from browser import audit_html, require_browser
from bs4 import BeautifulSoup
from conftest import build_once, register_row, write_register_file
from registers import NO_CONTACTS, make_register
from test_cli import run_klachten

from klachtlib import config
from klachtlib.delivery.pipeline import make_year_report, parse_periods, period_report_path, run_batch
from klachtlib.delivery.woo import parse_period
from klachtlib.domain import counts
from klachtlib.domain.periods import PeriodError, parse_named
from klachtlib.errors import DataError
from klachtlib.presentation import text
from klachtlib.presentation.report import YearReport
from klachtlib.reading.settings import Settings

# --------------------------------------------------------------------------- the spellings


def on(month: int, day: int) -> date:  # a day in 2025, short for the table below
    return date(2025, month, day)


HALF = "halfjaar"
FOUR = "viermaandsperiode"


@pytest.mark.parametrize(
    ("spec", "start", "end", "name", "in_text"),
    [
        ("2025-H1", on(1, 1), on(6, 30), f"eerste {HALF} 2025", f"het eerste {HALF} van 2025"),
        ("2025-h2", on(7, 1), on(12, 31), f"tweede {HALF} 2025", f"het tweede {HALF} van 2025"),
        ("2025-Q3", on(7, 1), on(9, 30), "derde kwartaal 2025", "het derde kwartaal van 2025"),
        ("2025-T1", on(1, 1), on(4, 30), f"eerste {FOUR} 2025", f"de eerste {FOUR} van 2025"),
        ("2025-T2", on(5, 1), on(8, 31), f"tweede {FOUR} 2025", f"de tweede {FOUR} van 2025"),
        ("2025-T3", on(9, 1), on(12, 31), f"derde {FOUR} 2025", f"de derde {FOUR} van 2025"),
        ("2025-03", on(3, 1), on(3, 31), "maart 2025", "maart 2025"),
        ("2025", on(1, 1), on(12, 31), "2025", "2025"),
    ],
)
def test_a_period_is_spelled_as_a_half_year_quarter_four_months_or_month(spec, start, end, name, in_text):
    period = parse_named(spec)
    assert (period.start, period.end, period.name, period.in_text) == (start, end, name, in_text)


@pytest.mark.parametrize("spec", ["2025-T4", "2025-H3", "2025-Q0", "H1", "2025-13", "halfjaar"])
def test_a_period_that_means_nothing_is_refused_in_dutch(spec):
    with pytest.raises(PeriodError, match="periode|maand"):
        parse_named(spec)


def test_the_woo_overview_reads_the_same_spellings_four_months_too():
    period = parse_period(periode="2024-T2", today=date(2026, 1, 1))
    assert (period.start, period.end, period.slug) == (date(2024, 5, 1), date(2024, 8, 31), "2024-T2")


def test_the_same_period_a_year_earlier():
    assert parse_named("2025-T2").year_earlier() == parse_named("2024-T2")
    assert parse_named("2024-02").year_earlier().end == date(2023, 2, 28)


# --------------------------------------------------------------------------- the figures


ROWS = [
    {"datum_ontvangst": "2024-02-01"},
    {"datum_ontvangst": "2024-06-30"},
    {"datum_ontvangst": "2024-07-01"},  # second half: not in H1
    {"datum_ontvangst": "2025-01-15"},
    {"datum_ontvangst": "2025-03-01", "status": "voorkomen"},
    {"datum_ontvangst": "2025-08-01"},
]


def period_figures(spec: str) -> counts.YearFigures:
    return counts.year_figures(make_register(ROWS), NO_CONTACTS, Settings(), 0, parse_named(spec))


def test_a_period_counts_the_complaints_received_in_it_against_the_same_period_a_year_earlier():
    result = period_figures("2025-H1")
    assert (result.year, result.total, result.total_previous, result.prevented) == (2025, 1, 2, 1)
    assert result.trend[["jaar", "totaal"]].values.tolist() == [[2024, 2], [2025, 1]]


def test_a_periods_sentences_name_the_period_as_one_says_it():
    result = period_figures("2025-H1")
    assert text.total_sentence(result) == (
        "Het aantal klachten is gedaald t.o.v. het eerste halfjaar van 2024 van 2 naar 1."
    )
    assert text.prevented_sentence(result) == (
        "In het eerste halfjaar van 2025 is 1 situatie geregistreerd waarin een klacht is voorkomen."
    )
    first = counts.year_figures(make_register(ROWS[3:]), NO_CONTACTS, Settings(), 0, parse_named("2025-H1"))
    assert text.total_sentence(first) == "In het eerste halfjaar van 2025 is 1 klacht ontvangen."


def test_a_period_is_not_set_against_contact_volumes_which_are_known_per_year():
    result = period_figures("2025-Q1")
    assert result.contacts_per_1000.empty and result.channels_without_data == ()
    assert "niet per periode" in text.contacts_per_year_sentence(result)


def test_a_whole_year_given_as_a_period_is_the_year_report():
    result = period_figures("2025")
    assert result.period is None and result.year == 2025 and result.when == "2025"


# --------------------------------------------------------------------------- the notebook parameter


@pytest.fixture
def data(tmp_path: Path) -> Path:
    rows = [
        register_row(klacht_id=f"K-{n}", datum_ontvangst=day, datum_afgehandeld=day)
        for n, day in enumerate(["2023-02-01", "2023-03-01", "2024-02-01", "2024-09-01"])
    ]
    write_register_file(tmp_path, rows)
    return tmp_path


def test_the_notebook_takes_a_period_as_text(data):
    report = YearReport.load(data, None, "2024-H1")
    assert report.title == "Verslag klachtenbehandeling eerste halfjaar 2024"
    assert (report.figures.total, report.figures.total_previous, report.slug) == (1, 2, "2024-H1")


@pytest.mark.parametrize(
    ("year", "period", "message"),
    [
        (None, "2024-H3", "geen geldige periode"),
        (2023, "2024-H1", "spreken elkaar tegen"),
        (None, "2022-H1", "geen regels die zijn ontvangen in het eerste halfjaar van 2022"),
    ],
)
def test_a_bad_period_parameter_is_one_dutch_message(data, year, period, message):
    with pytest.raises(DataError, match=message):
        YearReport.load(data, year, period)


def test_a_periods_narrative_is_toelichting_with_the_periods_name(data):
    (data / "toelichting").mkdir()
    (data / "toelichting" / "2024-H1.md").write_text(
        "## Wijze van klachtbehandeling\n\nIn {{ periode }} kwamen {{ totaal }} klachten binnen.\n",
        encoding="utf-8",
    )
    report = YearReport.load(data, None, "2024-H1")
    assert report.narrative.section("Wijze van klachtbehandeling") == (
        "In het eerste halfjaar van 2024 kwamen 1 klachten binnen."
    )


# --------------------------------------------------------------------------- the page, the command, batch


def _published(directory: Path) -> None:
    make_year_report(config.DATA_DIR, directory, period=parse_named("2024-H1"))


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    return build_once(tmp_path_factory, "periode-2024-H1", _published)


def test_a_period_report_is_its_own_page_beside_the_years(published):
    page = period_report_path(published, "2024-H1")
    assert page == published / "2024-H1" / "verslag-klachten-2024-H1.html" and page.is_file()
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text() == "Verslag klachtenbehandeling eerste halfjaar 2024"
    body = " ".join(soup.body.get_text(" ").split())
    assert "Het aantal klachten is gedaald t.o.v. het eerste halfjaar van 2023 van 43 naar 27." in body
    assert "Op 1 januari 2024 stonden 2 klachten open." in body and "Op 30 juni 2024" in body
    headers = [th.get_text() for th in soup.table.thead("th")]
    assert headers == ["Kerncijfer", "Eerste halfjaar 2024", "Eerste halfjaar 2023"]
    # no open data of a year; a figures pack of its own
    assert not list((published / "2024-H1").glob("jaarcijfers-*"))
    assert (published / "2024-H1" / "cijfers" / "tabellen-klachten-2024-H1.xlsx").is_file()
    index = (published / "index.html").read_text(encoding="utf-8")
    assert 'href="2024-H1/verslag-klachten-2024-H1.html"' in index


@pytest.mark.browser
def test_a_period_report_has_no_wcag21_aa_violations(published):
    require_browser()
    audit = audit_html(period_report_path(published, "2024-H1"))
    assert not audit.violations, audit.report()


def test_klachten_report_refuses_a_period_that_means_nothing_with_exit_2(tmp_path):
    result = run_klachten("report", "--periode", "2024-Q5", "--output-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "'2024-Q5' is geen geldige periode" in result.stderr and "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir())


def test_batch_takes_periods_and_skips_those_without_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    result = run_batch(data, tmp_path / "out", [], jobs=1, periods=parse_periods("2024-Q1,2019-Q1"))
    assert not result.failed, result.summary()
    assert [o.task.label for o in result.outcomes] == ["2024-Q1"]
    assert result.skipped_periods == ["2019-Q1"]
    assert "Overgeslagen, het register heeft geen klachten uit de periode(n): 2019-Q1." in result.summary()
    assert period_report_path(tmp_path / "out", "2024-Q1").is_file()


@pytest.mark.parametrize("spec", ["2024", "2024-X1", ""])
def test_batch_periods_must_be_parts_of_a_year(spec):
    with pytest.raises(PeriodError):
        parse_periods(spec)


def test_klachten_report_refuses_a_year_and_a_period_that_disagree(tmp_path):
    result = run_klachten("report", "--year", "2023", "--periode", "2024-H1", "--output-dir", str(tmp_path),
                          cwd=tmp_path)  # fmt: skip
    assert result.returncode == 2 and "spreken elkaar tegen" in result.stderr, result.stderr


def test_klachten_batch_with_only_periods_the_register_lacks_is_a_data_error(tmp_path):
    result = run_klachten("batch", "--periodes", "2019-Q1", "--output-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "geen regels voor de gevraagde jaren of perioden (2019-Q1)" in result.stderr


def test_klachten_batch_refuses_a_period_that_means_nothing_with_exit_2(tmp_path):
    result = run_klachten("batch", "--periodes", "2024-X1", "--output-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2 and "'2024-X1' is geen geldige periode" in result.stderr, result.stderr
