"""Project paths, in one place (cookiecutter-data-science style)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _nearest_project(start: Path) -> Path | None:
    """The nearest folder holding a `pyproject.toml`, from `start` upwards."""
    here = start.resolve()
    return next((f for f in (here, *here.parents) if (f / "pyproject.toml").is_file()), None)


def _project_dir() -> Path:
    """This package's source folder when it runs from there (make's editable install);
    otherwise (a regular install, as environment.yml makes) the project around the working
    directory, so `klachten` run in the project folder finds its notebooks and data."""
    source = PACKAGE_DIR.parent
    if (source / "pyproject.toml").is_file():
        return source
    return _nearest_project(Path.cwd()) or Path.cwd()


PROJECT_DIR = _project_dir()
DATA_DIR = PROJECT_DIR / "data"
REPORTS_DIR = PROJECT_DIR / "reports"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

YEAR_NOTEBOOK = NOTEBOOKS_DIR / "jaarverslag.ipynb"
TEAM_NOTEBOOK = NOTEBOOKS_DIR / "teamoverzicht.ipynb"
EXPLORATION_NOTEBOOK = NOTEBOOKS_DIR / "verkenning.ipynb"  # the analyst's own; never published

LOCALE = "nl_NL"

# The contract between what a notebook shows and the published page (klachtlib.delivery.exporter):
# output metadata under PAGE_METADATA_KEY carries the page's <title> and meta description; an
# output's PAGE_ONLY_MIMETYPE is its HTML on the published page (JupyterLab, which does not know
# the type, shows its text/html instead: e.g. links that only work beside the published page).
PAGE_METADATA_KEY = "klachten"
PAGE_ONLY_MIMETYPE = "application/vnd.klachten.pagina+html"


def project_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The project folder: the nearest folder holding a `pyproject.toml`, from `start` (the
    working directory) upwards. JupyterLab runs a notebook in `notebooks/`, papermill and
    the command line where they are started: from anywhere inside the project this gives
    the same folder. Outside any project, `PROJECT_DIR`."""
    return _nearest_project(Path(start if start is not None else os.getcwd())) or PROJECT_DIR


def notebook_data_dir(data_dir: str | os.PathLike[str] | None) -> Path:
    """A notebook's `data_dir` parameter as a folder: relative paths start at the project
    folder (`project_root`), whether the notebook runs in JupyterLab, papermill or
    `klachten`; None is the project's `data/`."""
    if data_dir is None or str(data_dir).strip() == "":
        return project_root() / "data"
    return project_root() / Path(str(data_dir).strip())  # an absolute path stays as it is
