"""The `klachten` command: validate the data folder, render year reports and team overviews."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from klachtlib import config
from klachtlib.errors import DataError

app = typer.Typer(
    name="klachten",
    help=(
        "Jaarverslag klachtenbehandeling (Awb 9:12a): controleer het klachtenregister en maak "
        "per jaar een toegankelijk HTML-rapport en interne teamoverzichten.\n\n"
        "Voorbeelden:\n\n"
        "  klachten validate\n\n"
        "  klachten report --year 2024\n\n"
        "  klachten teams --year 2024\n\n"
        "  klachten batch --years all --teams"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

DataDir = Annotated[
    Path,
    typer.Option("--data-dir", help="Map met het klachtenregister en de overige invoer.", show_default=True),
]
OutputDir = Annotated[
    Path,
    typer.Option(
        "--output-dir", help="Map waarin de rapporten per jaar worden geschreven.", show_default=True
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year", help="Verslagjaar; standaard het laatste jaar in het register.", show_default=False
    ),
]

EXIT_DATA_ERROR = 1
EXIT_RENDER_ERROR = 3


def _fail(message: str, code: int) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


@app.command()
def validate(data_dir: DataDir = config.DATA_DIR) -> None:
    """Lees en controleer de gegevensmap en meld alle problemen in één keer.

    Zonder fouten volgt een korte samenvatting: het aantal regels per jaar en status.

    Voorbeelden:

      klachten validate

      klachten validate --data-dir export-2024
    """
    from klachtlib.register import load_data_folder
    from klachtlib.summary import register_summary

    try:
        folder = load_data_folder(data_dir)
    except DataError as error:
        _fail(str(error), EXIT_DATA_ERROR)
    for warning in folder.warnings:
        typer.echo(str(warning), err=True)
    typer.echo(register_summary(folder.register))
    typer.echo(f"Geen fouten gevonden in {data_dir}.")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="klachten")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
