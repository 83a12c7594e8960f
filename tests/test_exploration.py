"""The analyst's exploration (issue 23): tidy frames from `klachtlib.presentation.explore`, the report's own
figures, unknown never drawn as zero; and `notebooks/verkenning.ipynb` runs on the sample, on a
generated register and on one that records almost nothing, and is never published."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import write_register_file
from registers import NO_CONTACTS, make_register

from klachtlib import config
from klachtlib.delivery.render import WarmKernel, execute_notebook
from klachtlib.domain.counts import team_figures, year_figures
from klachtlib.presentation import explore
from klachtlib.reading.register import load_data_folder
from klachtlib.reading.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = Settings()


# --------------------------------------------------------------------------- complaints


def test_complaints_are_every_complaint_without_prevented_ones():
    register = make_register(
        [{}, {"status": "voorkomen"}, {"status": "ingetrokken"}, {"status": "in behandeling"}]
    )
    frame = explore.complaints(register, SETTINGS)
    assert frame["afloop"].astype(str).tolist() == ["afgehandeld", "niet afgehandeld", "in behandeling"]


def test_complaints_hold_days_and_within_term_as_the_report_decides_them():
    register = make_register(
        [
            {
                "datum_ontvangst": "2024-01-02",
                "datum_afgehandeld": "2024-02-13",
                "verdaagd": False,
            },  # 42 days
            {"datum_ontvangst": "2024-01-02", "datum_afgehandeld": "2024-02-14", "verdaagd": False},  # 43
            {"datum_ontvangst": "2024-01-02", "datum_afgehandeld": "2024-03-13", "verdaagd": True},  # 71
        ]
    )
    frame = explore.complaints(register, SETTINGS)
    assert frame["dagen"].tolist() == [42, 43, 71]
    assert frame["binnen_termijn"].tolist() == [True, False, False]
    assert year_figures(register, NO_CONTACTS, SETTINGS, 2024).within_term_count == 1


def test_complaints_say_whether_there_is_a_learning_point_never_what_it_is():
    register = make_register(
        [
            {"leerpunt": "GEHEIM-LEERPUNT"},
            {},
            {"datum_ontvangst": "2023-05-01", "datum_afgehandeld": None},  # 2023 records no learning points
        ]
    )
    frame = explore.complaints(register, SETTINGS)
    assert "leerpunt" not in frame.columns and "GEHEIM-LEERPUNT" not in frame.to_string()
    assert frame["met_leerpunt"].tolist() == [pd.NA, True, False]  # 2023 records no learning points


def test_complaints_of_one_year():
    register = make_register([{"datum_ontvangst": "2023-05-01"}, {}])
    assert explore.complaints(register, SETTINGS, 2024)["jaar"].tolist() == [2024]


# --------------------------------------------------------------------------- per year


def test_per_year_holds_the_figures_of_each_years_report():
    folder = load_data_folder(config.DATA_DIR)
    frame = explore.per_year(folder.register, folder.contacts, folder.settings).set_index("jaar")
    assert frame.loc[2024].to_dict() == {
        "ontvangen": 64,
        "afgehandeld": 50,
        "niet_afgehandeld": 14,
        "in_behandeling": 0,
        "voorkomen": 15,
        "informeel": 35,
        "formeel": 15,
        "mediane_dagen": 21.0,
        "binnen_termijn": 0.94,
        "leerpunten": 9,
    }
    assert frame.loc[2023, "ontvangen"] == 83


def test_per_year_is_unknown_where_the_year_does_not_record_it():
    register = make_register([{"behandeling": None, "datum_afgehandeld": None, "leerpunt": None}])
    row = explore.per_year(register, NO_CONTACTS, SETTINGS).iloc[0]
    assert [
        row[c] is pd.NA for c in ("informeel", "formeel", "mediane_dagen", "binnen_termijn", "leerpunten")
    ] == [True] * 5
    assert row["afgehandeld"] == 1


# --------------------------------------------------------------------------- per team


def formal(verdict: str | None, team: str = "Wonen", **row) -> dict:
    return {"team": team, "behandeling": "formeel", "oordeel": verdict, **row}


def test_per_team_counts_the_verdicts_of_each_teams_formal_complaints():
    register = make_register(
        [formal("gegrond"), formal("gegrond"), formal(None), formal("ongegrond", team="Afval"),
         {"team": "Afval", "behandeling": "informeel"}]
    )  # fmt: skip
    frame = explore.per_team(register, SETTINGS, 2024).set_index("team")
    verdicts = frame[list(explore.VERDICT_COLUMNS)].astype(int)
    assert verdicts.to_dict("index") == {
        "Afval": {"gegrond": 0, "deels gegrond": 0, "ongegrond": 1, "geen oordeel": 0, "niet vastgelegd": 0},
        "Wonen": {"gegrond": 2, "deels gegrond": 0, "ongegrond": 0, "geen oordeel": 0, "niet vastgelegd": 1},
    }
    assert frame.loc["Afval", ["ontvangen", "afgehandeld", "formeel"]].tolist() == [2, 2, 1]


def test_per_team_verdicts_are_unknown_when_the_year_records_none():
    register = make_register([formal(None), formal(None, team="Afval")])
    frame = explore.per_team(register, SETTINGS, 2024)
    assert frame[list(explore.VERDICT_COLUMNS[:-1])].isna().all().all()
    assert frame[explore.NOT_RECORDED].tolist() == [1, 1]


def test_per_team_handling_time_is_the_team_overviews():
    register = make_register(
        [
            {"team": "Wonen", "datum_afgehandeld": "2024-03-11", "verdaagd": False},
            {"team": "Wonen", "datum_afgehandeld": "2024-05-01", "verdaagd": False},
        ]
    )
    row = explore.per_team(register, SETTINGS, 2024).iloc[0]
    counts = team_figures(register, SETTINGS, 2024, "Wonen").counts
    assert (row["mediane_dagen"], row["binnen_termijn"]) == (counts.median_days, counts.within_term_share)
    assert (row["mediane_dagen"], row["binnen_termijn"]) == (35.5, 0.5)


# --------------------------------------------------------------------------- per month


def test_per_month_counts_complaints_received_in_the_year_and_the_year_before():
    register = make_register(
        [{"datum_ontvangst": "2023-01-10", "datum_afgehandeld": "2023-01-20"},
         {"datum_ontvangst": "2024-03-01"},
         {"datum_ontvangst": "2024-03-20", "datum_afgehandeld": "2024-12-20"},
         {"datum_ontvangst": "2024-04-01", "status": "voorkomen", "datum_afgehandeld": None}]
    )  # fmt: skip
    frame = explore.per_month(register, 2024).set_index(["jaar", "maand"])["ontvangen"]
    assert len(frame) == 24
    shown = [frame[(2023, 1)], frame[(2023, 2)], frame[(2024, 3)], frame[(2024, 4)], frame[(2024, 12)]]
    assert shown == [1, 0, 2, 0, 0]


def test_a_month_outside_the_register_is_unknown_not_zero():
    register = make_register([{"datum_ontvangst": "2024-03-05", "datum_afgehandeld": "2024-06-10"}])
    frame = explore.per_month(register, 2024)
    known = frame.dropna(subset=["ontvangen"])
    assert list(zip(known["jaar"], known["maand"], known["ontvangen"], strict=True)) == [
        (2024, 3, 1), (2024, 4, 0), (2024, 5, 0), (2024, 6, 0)
    ]  # fmt: skip
    assert frame["maandnaam"].tolist()[:3] == ["jan", "feb", "mrt"]


# --------------------------------------------------------------------------- channels


def test_channels_per_year_give_each_channels_share():
    register = make_register(
        [{"kanaal": "e-mail"}, {"kanaal": "e-mail"}, {"kanaal": "balie"}, {"kanaal": None}]
    )
    frame = explore.channels_per_year(register)
    assert frame[["kanaal", "klachten"]].astype(object).values.tolist() == [
        ["e-mail", 2], ["balie", 1], [explore.NOT_RECORDED, 1]
    ]  # fmt: skip
    assert frame["aandeel"].sum() == pytest.approx(1.0)


def test_a_year_without_channels_is_not_recorded_never_zero_per_channel():
    register = make_register(
        [{"kanaal": "e-mail"}, {"datum_ontvangst": "2023-05-01", "kanaal": None, "datum_afgehandeld": None}]
    )
    frame = explore.channels_per_year(register)
    assert frame[frame["jaar"] == 2023][["kanaal", "aandeel"]].astype(object).values.tolist() == [
        [explore.NOT_RECORDED, 1.0]
    ]
    assert (frame["klachten"] > 0).all()


# --------------------------------------------------------------------------- terms and notes


def test_term_lines_follow_the_municipalitys_terms():
    assert explore.term_lines(SETTINGS) == [(42, "6 weken"), (70, "10 weken (bij verdaging)")]
    assert explore.term_lines(Settings(term_weeks=8, extension_weeks=0)) == [(56, "8 weken")]


def test_a_chart_on_an_unrecorded_column_gives_way_to_a_sentence():
    register = make_register([{"oordeel": None, "behandeling": None, "datum_afgehandeld": "2024-03-10"}])
    note = explore.not_recorded(register, 2024, "datum_afgehandeld", "behandeling", "oordeel")
    assert str(note) == (
        "In het register over 2024 zijn de wijze van behandeling en het oordeel niet vastgelegd: onbekend, "
        "geen nul. Daarom staat hier geen grafiek."
    )
    assert note._repr_markdown_() == f"*{note}*"
    assert explore.not_recorded(register, 2024, "datum_afgehandeld") is None


# --------------------------------------------------------------------------- the notebook


def test_the_notebook_has_data_dir_and_year_one_per_line_in_its_parameters_cell():
    notebook = nbformat.read(config.EXPLORATION_NOTEBOOK, as_version=4)
    (cell,) = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert [line.split("=")[0].strip() for line in cell.source.splitlines()] == ["year", "data_dir"]
    assert all(line.count("=") == 1 for line in cell.source.splitlines())


def test_the_notebook_says_it_is_never_published_and_no_command_runs_it():
    notebook = nbformat.read(config.EXPLORATION_NOTEBOOK, as_version=4)
    assert "nooit gepubliceerd" in notebook.cells[0].source
    users = [
        p.name for p in (ROOT / "klachtlib").rglob("*.py") if "EXPLORATION_NOTEBOOK" in p.read_text("utf-8")
    ]
    assert users == ["config.py"]  # only `make lab` and the tests name it
    commands = (ROOT / "klachtlib" / "delivery" / "pipeline.py").read_text("utf-8") + (
        ROOT / "klachtlib" / "delivery" / "cli.py"
    ).read_text("utf-8")
    assert "verkenning" not in commands


def bare_register(directory: Path) -> Path:
    """A register that records only what is required (no closing date, handling, verdict, channel)."""
    directory.mkdir()
    write_register_file(
        directory,
        "klacht_id;datum_ontvangst;status;team;reden\n"
        "K1;2024-01-05;afgehandeld;Wonen;\nK2;2024-02-05;afgehandeld;Afval;\n"
        "K3;2024-03-05;ingetrokken;Afval;De klacht betrof een melding\nK4;2024-06-05;in behandeling;Wonen;\n",
    )
    return directory


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, nbformat.NotebookNode]:
    """The notebook run by papermill on three data folders, in one kernel."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import make_data_folder

    root = tmp_path_factory.mktemp("verkenning")
    folders = {
        "voorbeeld": config.DATA_DIR,
        "gegenereerd": make_data_folder(root / "gegenereerd", 400, 2022, 2024),
        "kaal": bare_register(root / "kaal"),
    }
    with WarmKernel(config.NOTEBOOKS_DIR) as kernel:
        return {
            name: execute_notebook(
                config.EXPLORATION_NOTEBOOK, {"data_dir": folder, "year": "2024"}, kernel=kernel
            )
            for name, folder in folders.items()
        }


CHARTS = ("per-maand", "doorlooptijd", "oordeel-per-team", "kanalen")


def outputs(notebook: nbformat.NotebookNode, cell_id: str) -> list:
    return next(c for c in notebook.cells if c.get("id") == cell_id).outputs


@pytest.mark.parametrize("name", ["voorbeeld", "gegenereerd"])
def test_the_notebook_draws_every_chart_on_a_register_that_records_everything(executed, name):
    for cell_id in CHARTS:
        kinds = [mime for o in outputs(executed[name], cell_id) for mime in o.get("data", {})]
        assert "image/png" in kinds, (name, cell_id, kinds)


def test_the_notebook_starts_with_the_figures_per_year(executed):
    (table,) = outputs(executed["voorbeeld"], "inlezen")
    assert "ontvangen" in table.data["text/html"] and "2023" in table.data["text/plain"]


def test_the_notebook_says_what_is_not_recorded_instead_of_drawing_it(executed):
    notebook = executed["kaal"]
    for cell_id, missing in (("doorlooptijd", "de datum van afhandeling"),
                             ("oordeel-per-team", "de wijze van behandeling en het oordeel")):  # fmt: skip
        (note,) = outputs(notebook, cell_id)
        assert "image/png" not in note.data
        assert (
            "In het register over 2024 " in note.data["text/markdown"]
            and missing in note.data["text/markdown"]
        )
    assert any(
        "image/png" in o.get("data", {}) for o in outputs(notebook, "kanalen")
    )  # all "niet vastgelegd"


def test_contributing_points_to_the_notebook_for_your_own_analysis_and_the_readme_says_it_is_not_published():
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = contributing.split("## Add your own analysis", 1)[1].split("\n## ", 1)[0]
    assert "notebooks/verkenning.ipynb" in section and "klachtlib.presentation.explore" in section
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`notebooks/verkenning.ipynb`" in readme and "**nooit gepubliceerd**" in readme
