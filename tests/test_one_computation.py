"""One computation per run: `klachten report` reads the register and computes the year once.

The notebook computes the report in its kernel; the command's own process reads nothing and
computes nothing, and writes the page, the open data and the figures pack the kernel made from
that one report (`klachtlib.delivery.downloads`).
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest
from conftest import register_row, write_register_file

from klachtlib import config
from klachtlib.delivery import downloads, opendata, pack
from klachtlib.delivery.cli import app
from klachtlib.delivery.output import MANIFEST
from klachtlib.delivery.pipeline import internal_notebook_path, make_year_report, year_report_path
from klachtlib.delivery.render import RenderError, execute_notebook
from klachtlib.presentation.report import YearReport

YEAR = 2024


def _not_in_this_process(*args: object, **kwargs: object) -> None:
    raise AssertionError("the command's process read the register or computed the figures")


@pytest.fixture(scope="module")
def reported(tmp_path_factory) -> Path:
    """`<out>` after a year report made while this process cannot read or compute anything."""
    out = tmp_path_factory.mktemp("een-berekening")
    with pytest.MonkeyPatch.context() as patch:
        for target in (
            "klachtlib.reading.register.load_data_folder",
            "klachtlib.reading.register.cached_data_folder",
            "klachtlib.presentation.report.cached_data_folder",
            "klachtlib.delivery.pipeline.cached_data_folder",
            "klachtlib.presentation.report.year_figures",
            "klachtlib.domain.counts.year_figures",
        ):
            patch.setattr(target, _not_in_this_process)
        patch.setattr(YearReport, "from_folder", _not_in_this_process)
        make_year_report(config.DATA_DIR, out, YEAR)
    return out


def test_the_command_reads_and_computes_nothing_itself(reported):
    page = reported / str(YEAR) / f"jaarverslag-klachten-{YEAR}.html"
    assert "Het aantal klachten is gedaald t.o.v. 2023 van 83 naar 64." in page.read_text("utf-8")
    assert (reported / str(YEAR) / opendata.year_file_name(YEAR)).is_file()
    assert (reported / str(YEAR) / pack.PACK_DIR / pack.workbook_name(YEAR)).is_file()


def test_open_data_and_pack_are_those_of_the_one_report(reported):
    """Byte for byte what one `YearReport` in one process makes, and nothing else."""
    report = YearReport.load(config.DATA_DIR, YEAR)
    folder = reported / str(YEAR)
    expected = [
        *opendata.year_files(report.figures, folder, report.measure_figures),
        *pack.pack_files(report, folder),
    ]
    for path, data in expected:
        assert path.read_bytes() == (data.encode("utf-8") if isinstance(data, str) else data), path.name
    written = {p for p in folder.rglob("*") if p.is_file() and p.suffix != ".html" and p.name != MANIFEST}
    assert written == {path for path, _ in expected}


def test_the_executed_notebook_holds_only_the_notebooks_own_cells(reported):
    notebook_path = internal_notebook_path(reported, year_report_path(reported, YEAR))
    executed = json.loads(notebook_path.read_text("utf-8"))
    notebook = json.loads(config.YEAR_NOTEBOOK.read_text("utf-8"))
    ids = [cell["id"] for cell in executed["cells"]]
    assert ids == [notebook["cells"][0]["id"], notebook["cells"][1]["id"], "injected-parameters"] + [
        cell["id"] for cell in notebook["cells"][2:]
    ]
    assert "klachtlib.delivery.downloads" not in json.dumps(executed)


def test_the_year_notebook_names_its_report_as_the_command_expects():
    notebook = json.loads(config.YEAR_NOTEBOOK.read_text("utf-8"))
    assigned = {
        target.id
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        for node in ast.walk(ast.parse("".join(cell["source"])))
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert downloads.REPORT_VARIABLE in assigned


def test_code_after_the_notebook_that_fails_is_a_dutch_render_error(tmp_path):
    with pytest.raises(RenderError) as raised:
        execute_notebook(
            config.YEAR_NOTEBOOK,
            {"year": YEAR, "data_dir": os.fspath(config.DATA_DIR)},
            cwd=config.NOTEBOOKS_DIR,
            then="raise ValueError('kapot')",
        )
    message = str(raised.value)
    assert message.startswith("Het rapport is niet gemaakt: na het notebook jaarverslag.ipynb")
    assert "ValueError: kapot" in message and "Traceback" not in message


def test_messages_name_files_as_the_data_folder_was_given(tmp_path, monkeypatch):
    """The kernel gets the folder resolved; the coordinator reads it as typed (`data/...`)."""
    from typer.testing import CliRunner

    data = tmp_path / "data"
    data.mkdir()
    write_register_file(data, [register_row()])
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    warned = runner.invoke(app, ["report", "--data-dir", "data", "--output-dir", "uit"])
    assert warned.exit_code == 0, warned.output
    assert "Waarschuwing in data/toelichting/2024.md: er is geen toelichting voor 2024" in warned.stderr

    (data / "toelichting").mkdir()
    (data / "toelichting" / "2024.md").write_text("## Reflectie op klachten\n\n{{ onbekend }}\n", "utf-8")
    failed = runner.invoke(app, ["report", "--data-dir", "data", "--output-dir", "uit2"])
    assert failed.exit_code == 1  # a data error the notebook found is still a data error
    assert "Fout in data/toelichting/2024.md, regel 3" in failed.stderr
    assert os.fspath(tmp_path) not in failed.stderr and "Traceback" not in failed.output
    assert not (tmp_path / "uit2").exists()

    # The register's problems always named it by its resolved path; they still do.
    write_register_file(data, [register_row(status="kapot")])
    wrong = runner.invoke(app, ["report", "--data-dir", "data", "--output-dir", "uit3"])
    assert wrong.exit_code == 1
    assert f"Fout in {data.resolve() / 'klachtenregister.csv'}, regel 2" in wrong.stderr
