"""Write the thin, output-free notebooks in notebooks/ (the source of truth for their cells).

Edit the cells here, run `python scripts/make_notebooks.py`, commit both. Keeping them in
code keeps them free of outputs and execution counts by construction.
"""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from klachtlib import config
from klachtlib.render import ANALYST_TAG

KERNELSPEC = {"name": "klachten", "display_name": "Klachten (.venv)", "language": "python"}
LANGUAGE_INFO = {"name": "python"}


def _notebook(cells: list, title: str) -> nbformat.NotebookNode:
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index:02d}"  # stable ids: no random churn in git
    return new_notebook(
        cells=cells,
        metadata={"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO, "title": title},
    )


def _analyst_note(text: str) -> nbformat.NotebookNode:
    """Instructions for JupyterLab; the renderer leaves cells tagged `analist` out of the HTML."""
    cell = new_markdown_cell(text)
    cell.metadata["tags"] = [ANALYST_TAG]
    return cell


def _parameters(source: str) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    return cell


def year_report() -> nbformat.NotebookNode:
    return _notebook(
        [
            _analyst_note(
                "**Jaarverslag klachtenbehandeling.** Pas in de cel hieronder `year` (en eventueel "
                "`data_dir`) aan en kies *Run All*. Alle berekeningen staan in `klachtlib`; dit "
                "notebook toont alleen de uitkomst. Het openbare HTML-bestand maakt u met "
                "`klachten report --year 2024`. Deze cel komt niet in het verslag."
            ),
            _parameters(
                # One '=' per line: papermill's --help-notebook cannot parse more.
                "year = None  # type: Optional[int] verslagjaar, bv. 2024 (None: het laatste jaar)\n"
                "data_dir = None  # type: Optional[str] map met het register (None: de voorbeeldmap data/)"
            ),
            new_code_cell(
                "from klachtlib.report import YearReport\n\n"
                "report = YearReport.load(data_dir, year)\n"
                "report.show_title()\n"
                "report.show_key_figures()"
            ),
            new_code_cell("report.show_figures()"),
            new_code_cell("report.show_handling()"),
            new_code_cell("report.show_general_picture()"),
            new_code_cell("report.show_trend()"),
            new_code_cell("report.show_reflection()"),
            new_code_cell("report.show_experiences()"),
            new_code_cell("report.show_contacts()"),
            new_code_cell("report.show_over_the_years()"),
            new_code_cell("report.show_downloads()"),
        ],
        title="Jaarverslag klachtenbehandeling",
    )


def team_overview() -> nbformat.NotebookNode:
    return _notebook(
        [
            _analyst_note(
                "**Intern teamoverzicht met leerpunten.** Pas hieronder `year` en `team` aan en kies "
                "*Run All*. Alle overzichten tegelijk: `klachten teams --year 2024`. "
                "Deze cel komt niet in het overzicht."
            ),
            _parameters(
                "year = None  # type: Optional[int] verslagjaar, bv. 2024 (None: het laatste jaar)\n"
                'team = "Publiekszaken"  # type: str het team, zoals het in het register staat\n'
                "data_dir = None  # type: Optional[str] map met het register (None: de voorbeeldmap data/)"
            ),
            new_code_cell(
                "from klachtlib.teams import TeamReport\n\n"
                "overview = TeamReport.load(data_dir, year, team)\n"
                "overview.show_title()"
            ),
            new_code_cell("overview.show_figures()"),
            new_code_cell("overview.show_complaints()"),
            new_code_cell("overview.show_learning_points()"),
        ],
        title="Teamoverzicht klachten",
    )


def main() -> None:
    config.NOTEBOOKS_DIR.mkdir(exist_ok=True)
    nbformat.write(year_report(), config.YEAR_NOTEBOOK)
    nbformat.write(team_overview(), config.TEAM_NOTEBOOK)


if __name__ == "__main__":
    main()
