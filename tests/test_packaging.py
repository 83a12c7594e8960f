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
from klachtlib.pipeline import make_year_report

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
    from klachtlib import charts

    assert wheel.read(f"klachtlib/{charts.STYLE_FILE.name}") == charts.STYLE_FILE.read_bytes()


def test_the_klachten_exporter_is_registered_for_nbconvert():
    (found,) = entry_points(group="nbconvert.exporters", name="klachten")
    assert found.value == "klachtlib.exporter:KlachtenExporter"


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
