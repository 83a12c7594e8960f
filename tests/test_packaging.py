"""The package as Jupyter tools find it: kernel and template as data files, the exporter as an
entry point, and every route from an executed notebook to the page giving the same bytes."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from klachtlib import config
from klachtlib.delivery.pipeline import make_year_report

SHARE = "klachtlib-0.1.0.data/data/share/jupyter"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """The wheel pip builds from the project (what `pip install .` and conda's pip install)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
         str(config.PROJECT_DIR)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (path,) = out.glob("klachtlib-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_installs_the_klachten_kernel_where_jupyter_looks(wheel):
    import json

    spec = json.loads(wheel.read(f"{SHARE}/kernels/klachten/kernel.json"))
    # 'python' is the Python of whoever starts the kernel (jupyter_client), i.e. the environment's.
    assert spec["argv"][:3] == ["python", "-m", "ipykernel_launcher"]
    assert spec["language"] == "python"


def test_the_wheel_installs_the_klachten_nbconvert_template(wheel):
    names = set(wheel.namelist())
    template = f"{SHARE}/nbconvert/templates/klachten"
    for source in (config.TEMPLATES_DIR / "klachten").rglob("*"):
        if source.is_file():
            relative = source.relative_to(config.TEMPLATES_DIR / "klachten").as_posix()
            assert f"{template}/{relative}" in names


def test_the_wheel_ships_the_chart_style_beside_the_charts(wheel):
    from klachtlib.presentation import charts

    in_wheel = charts.STYLE_FILE.relative_to(config.PACKAGE_DIR.parent).as_posix()
    assert wheel.read(in_wheel) == charts.STYLE_FILE.read_bytes()


def test_the_klachten_exporter_is_registered_for_nbconvert():
    (found,) = entry_points(group="nbconvert.exporters", name="klachten")
    assert found.value == "klachtlib.delivery.exporter:KlachtenExporter"


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> Path:
    """The 2024 sample report as `klachten report` writes it: HTML, its notebook in the internal tree."""
    return make_year_report(config.DATA_DIR, tmp_path_factory.mktemp("rapport"), 2024).path


@pytest.mark.parametrize(
    "how", [["--to", "klachten"], ["--to", "html", "--template", "klachten"]], ids=" ".join
)
def test_jupyter_nbconvert_gives_the_same_page_as_klachten_report(executed, tmp_path, how):
    notebook = executed.parent.parent / "intern" / "2024" / executed.with_suffix(".ipynb").name
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", *how, str(notebook), "--output-dir", str(tmp_path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    assert (tmp_path / executed.name).read_bytes() == executed.read_bytes()


def _nbconvert(notebook: Path, out: Path, *how: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", *how, str(notebook), "--output-dir", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _refused_in_one_dutch_line(result: subprocess.CompletedProcess, out: Path, reason: str) -> None:
    # nbconvert's own log line ("[NbConvertApp] Converting notebook ...") comes first; then ours.
    lines = [line for line in result.stderr.splitlines() if not line.startswith("[NbConvertApp]")]
    assert result.returncode == 1, result.stderr
    assert len(lines) == 1 and lines[0].startswith("Er is geen pagina gemaakt: "), result.stderr
    assert reason in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists() or list(out.iterdir()) == []


@pytest.fixture(scope="module")
def failed_notebook(tmp_path_factory) -> Path:
    """What `papermill notebooks/jaarverslag.ipynb uit.ipynb -p data_dir <map met een fout>` leaves."""
    work = tmp_path_factory.mktemp("mislukt")
    (work / "leeg").mkdir()
    executed = work / "uit.ipynb"
    result = subprocess.run(
        [sys.executable, "-m", "papermill", str(config.PROJECT_DIR / "notebooks" / "jaarverslag.ipynb"),
         str(executed), "-p", "data_dir", str(work / "leeg"), "-k", "klachten", "--cwd", str(work)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode != 0 and executed.is_file()
    return executed


HOW = [["--to", "klachten"], ["--to", "html", "--template", "klachten"]]


@pytest.mark.parametrize("how", HOW, ids=" ".join)
def test_nbconvert_refuses_a_notebook_that_failed(failed_notebook, tmp_path, how):
    out = tmp_path / "uit"
    _refused_in_one_dutch_line(_nbconvert(failed_notebook, out, *how), out, "uit.ipynb stopte in cel")


@pytest.mark.parametrize("how", HOW, ids=" ".join)
def test_nbconvert_refuses_a_notebook_that_was_not_executed(tmp_path, how):
    out = tmp_path / "uit"
    notebook = config.PROJECT_DIR / "notebooks" / "jaarverslag.ipynb"
    _refused_in_one_dutch_line(_nbconvert(notebook, out, *how), out, "niet (helemaal) uitgevoerd")


def test_nbconvert_refuses_the_exploration_notebook(tmp_path):
    out = tmp_path / "uit"
    notebook = config.PROJECT_DIR / "notebooks" / "verkenning.ipynb"
    result = _nbconvert(notebook, out, "--to", "klachten")
    _refused_in_one_dutch_line(result, out, "verkenning.ipynb is geen notebook van het klachtenverslag")
