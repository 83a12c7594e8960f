"""`klachten validate` previews every year's figures in one pass over the register
(`counts.figures_per_year`); each year must be exactly what the year report computes."""

from __future__ import annotations

import dataclasses
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from registers import make_contacts, make_register

from klachtlib.domain import counts
from klachtlib.reading.register import load_data_folder
from klachtlib.reading.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def assert_same_figures(preview: counts.YearFigures, report: counts.YearFigures) -> None:
    for field in dataclasses.fields(counts.YearFigures):
        mine, theirs = getattr(preview, field.name), getattr(report, field.name)
        if isinstance(theirs, pd.DataFrame):
            pd.testing.assert_frame_equal(mine, theirs, check_exact=True, obj=field.name)
        else:
            assert mine == theirs, field.name


def assert_every_year_alike(register: pd.DataFrame, contacts: pd.DataFrame, settings: Settings) -> int:
    preview = counts.figures_per_year(register, contacts, settings)
    for year, figures in preview.items():
        assert_same_figures(figures, counts.year_figures(register, contacts, settings, year))
    return len(preview)


@pytest.mark.parametrize("first, last", [(2024, 2024), (2019, 2024)])
def test_validate_previews_each_year_as_the_year_report_computes_it(tmp_path, first, last):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import make_data_folder

    folder = load_data_folder(make_data_folder(tmp_path / "data", 600, first, last), today=date(2026, 1, 1))
    years = assert_every_year_alike(folder.register, folder.contacts, folder.settings)
    assert years == last - first + 1


def test_validate_previews_the_sample_as_the_year_report_computes_it():
    folder = load_data_folder(ROOT / "data")
    assert assert_every_year_alike(folder.register, folder.contacts, folder.settings) >= 2


def test_validate_previews_years_with_gaps_prevented_open_and_unknown_dates_alike():
    register = make_register(
        [
            {"datum_ontvangst": "2020-12-30", "status": "in behandeling"},
            {"datum_ontvangst": "2021-02-01", "status": "voorkomen"},
            {"datum_ontvangst": "2021-03-01", "datum_afgehandeld": None, "team": "Wonen"},
            {"datum_ontvangst": "2021-04-01", "status": "ingetrokken", "kanaal": "balie"},
            {"datum_ontvangst": "2023-05-01", "datum_afgehandeld": "2023-07-20", "verdaagd": True,
             "behandeling": "formeel", "oordeel": "gegrond", "team": "wonen "},
            {"datum_ontvangst": "2023-06-01", "datum_afgehandeld": "2024-01-02", "kanaal": "e-mail",
             "ombudsman": True},
        ]
    )  # fmt: skip
    contacts = make_contacts([(2021, "balie", 100), (2023, "e-mail", 250), (2023, "balie", None)])
    assert assert_every_year_alike(register, contacts, Settings()) == 3


def test_validate_previews_a_register_in_any_row_order_as_the_year_report_computes_it(tmp_path):
    """The reader's register is in receipt order; a register in another order (here shuffled, an
    unknown receipt date among the rows) gives every year the same figures too."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import make_data_folder

    folder = load_data_folder(make_data_folder(tmp_path / "data", 400, 2021, 2024), today=date(2026, 1, 1))
    shuffled = folder.register.sample(frac=1.0, random_state=7)
    shuffled.loc[shuffled.index[5], "datum_ontvangst"] = pd.NaT
    assert assert_every_year_alike(shuffled, folder.contacts, folder.settings) == 4
