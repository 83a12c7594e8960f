"""Project paths, in one place (cookiecutter-data-science style)."""

from __future__ import annotations

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

