"""The notebooks' parameters mean the same everywhere: `data_dir` from the project folder,
`year` as a number or text, a team under its current or an old name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import register_row, write_register_file

from klachtlib import config
from klachtlib.delivery.teams import TeamReport
from klachtlib.errors import DataError
from klachtlib.presentation.report import YearReport, parse_year


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder as an analyst has it: pyproject.toml, notebooks/ and a data folder
    `gegevens/` whose klachten.toml renamed Burgerzaken to Publiekszaken."""
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'werkmap'\n", encoding="utf-8")
    data = root / "gegevens"
    data.mkdir()
    write_register_file(
        data,
        [
            register_row(klacht_id="K-1", team="Burgerzaken", datum_ontvangst="2023-02-01",
                         datum_afgehandeld="2023-02-10"),
            register_row(klacht_id="K-2", team="Burgerzaken"),
            register_row(klacht_id="K-3", team="Belastingen"),
        ],
    )  # fmt: skip
    (data / "klachten.toml").write_text('[teams]\n"Burgerzaken" = "Publiekszaken"\n', encoding="utf-8")
    return root


def test_data_dir_is_relative_to_the_project_folder_from_the_notebooks_folder(project, monkeypatch):
    monkeypatch.chdir(project / "notebooks")  # where JupyterLab runs a notebook
    assert config.notebook_data_dir("gegevens") == project / "gegevens"
    assert YearReport.load("gegevens", 2024).figures.total == 2


def test_data_dir_is_the_same_folder_from_the_project_folder(project, monkeypatch):
    monkeypatch.chdir(project)  # where papermill and klachten are started
    assert config.notebook_data_dir("gegevens") == project / "gegevens"
    assert config.notebook_data_dir(None) == project / "data"


def test_an_absolute_data_dir_stays_as_it_is(project, monkeypatch):
    monkeypatch.chdir(project / "notebooks")
    assert config.notebook_data_dir(str(project / "gegevens")) == project / "gegevens"


def test_project_root_outside_any_project_is_the_installed_project(tmp_path):
    assert config.project_root(Path("/")) == config.PROJECT_DIR


@pytest.mark.parametrize("year", [2024, "2024", " 2024 "])
def test_year_may_be_a_number_or_text(project, monkeypatch, year):
    monkeypatch.chdir(project)
    assert YearReport.load("gegevens", year).year == 2024


@pytest.mark.parametrize("year", [None, ""])
def test_no_year_is_the_latest_year(year):
    assert parse_year(year) is None


def test_a_year_that_is_not_a_number_is_a_dutch_data_error():
    with pytest.raises(DataError, match="'twintig' is geen jaartal") as caught:
        parse_year("twintig")
    assert "year = 2024" in str(caught.value)


def test_a_two_digit_year_gets_a_hint_with_the_full_year(project, monkeypatch):
    monkeypatch.chdir(project)
    with pytest.raises(DataError, match="bedoelt u 2024") as caught:
        YearReport.load("gegevens", 24)
    assert "het register bevat geen regels voor 24" in str(caught.value)


def test_a_renamed_team_is_found_under_its_old_name(project, monkeypatch):
    monkeypatch.chdir(project / "notebooks")
    overview = TeamReport.load("gegevens", "2024", "Burgerzaken")
    assert overview.figures.team == "Publiekszaken"
    assert overview.figures.counts.total == 1
    assert "Klachtenoverzicht Publiekszaken 2024" in overview.title_html()


def test_a_team_without_complaints_still_names_the_teams_of_the_year(project, monkeypatch):
    monkeypatch.chdir(project)
    with pytest.raises(DataError, match="Kies een van: Belastingen, Publiekszaken"):
        TeamReport.load("gegevens", 2024, "Onbekend team")


# --------------------------------------------------------------------------- the real notebooks


def _papermill(notebook: Path, output: Path, cwd: Path, *parameters: str) -> subprocess.CompletedProcess:
    """The papermill command as its documentation shows it, the kernel in `cwd`."""
    command = [sys.executable, "-m", "papermill", str(notebook), str(output), "--cwd", str(cwd), *parameters]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd)


def test_the_year_notebook_in_the_notebooks_folder_reads_data_dir_from_the_project(project, tmp_path):
    """As in JupyterLab: the kernel runs in notebooks/, `data_dir = "gegevens"`, `year = "2024"`."""
    out = tmp_path / "uit.ipynb"
    result = _papermill(
        config.YEAR_NOTEBOOK, out, project / "notebooks", "-p", "data_dir", "gegevens", "-r", "year", "2024"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    shown = "".join(
        output.get("data", {}).get("text/html", "")
        for cell in nbformat.read(out, as_version=4).cells
        for output in cell.get("outputs", [])
    )
    assert "Jaarverslag klachtenbehandeling 2024" in shown
    assert "Cijfers klachtenbehandeling 2024" in shown


def test_a_mistake_in_a_parameter_is_one_dutch_message_in_the_notebook_and_from_papermill(project, tmp_path):
    out = tmp_path / "uit.ipynb"
    year = ("-p", "year", "2019")
    result = _papermill(config.YEAR_NOTEBOOK, out, project, "-p", "data_dir", "gegevens", *year)
    assert result.returncode != 0
    message = [
        "De gegevens bevatten 1 fout; er is geen rapport gemaakt.",
        "- Fout in klachtenregister: het register bevat geen regels voor 2019. Kies een jaar dat in het "
        "register staat: 2023, 2024.",
    ]
    assert (result.stdout + result.stderr).strip().splitlines()[-2:] == message
    (error,) = [o for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", [])
                if o.output_type == "error"]  # fmt: skip
    assert error.ename == "DataError"
    assert error.traceback == message  # what JupyterLab shows: no Python traceback
