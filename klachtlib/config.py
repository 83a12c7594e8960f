"""Project paths, in one place (cookiecutter-data-science style)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
REPORTS_DIR = PROJECT_DIR / "reports"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

YEAR_NOTEBOOK = NOTEBOOKS_DIR / "jaarverslag.ipynb"
TEAM_NOTEBOOK = NOTEBOOKS_DIR / "teamoverzicht.ipynb"

LOCALE = "nl_NL"


def project_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The project folder: the nearest folder holding a `pyproject.toml`, from `start` (the
    working directory) upwards. JupyterLab runs a notebook in `notebooks/`, papermill and
    the command line where they are started: from anywhere inside the project this gives
    the same folder. Outside any project, the folder this package was installed from."""
    here = Path(start if start is not None else os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    return PROJECT_DIR


def notebook_data_dir(data_dir: str | os.PathLike[str] | None) -> Path:
    """A notebook's `data_dir` parameter as a folder: relative paths start at the project
    folder (`project_root`), whether the notebook runs in JupyterLab, papermill or
    `klachten`; None is the project's `data/`."""
    if data_dir is None or str(data_dir).strip() == "":
        return project_root() / "data"
    return project_root() / Path(str(data_dir).strip())  # an absolute path stays as it is
