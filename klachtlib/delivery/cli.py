"""The `klachten` command: validate the data folder, render year reports and team overviews."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
import typer.core
import typer.main

from klachtlib import config
from klachtlib.errors import DataError, RenderError

if TYPE_CHECKING:
    from klachtlib.delivery.pipeline import Outcome, Written
    from klachtlib.domain.periods import Period

# Click's own help labels and usage errors are English; the coordinator reads Dutch.
_DUTCH = (
    ("Usage:", "Gebruik:"),
    ("Options:", "Opties:"),
    ("Commands:", "Opdrachten:"),
    ("Arguments:", "Argumenten:"),
    ("[OPTIONS]", "[OPTIES]"),
    ("COMMAND [ARGS]...", "OPDRACHT [ARGUMENTEN]..."),
    ("Show this message and exit.", "Toon deze hulp en stop."),
    ("[default:", "[standaard:"),
    ("[required]", "[verplicht]"),
    ("No such option", "Onbekende optie"),
    ("Possible options", "Mogelijke opties"),
    ("Did you mean", "Bedoelt u"),
    ("No such command", "Onbekende opdracht"),
    ("Missing option", "Ontbrekende optie"),
    ("Missing command.", "Geef een opdracht."),
    ("Got unexpected extra argument", "Onverwacht extra argument"),
    ("Got unexpected extra arguments", "Onverwachte extra argumenten"),
    ("Invalid value for", "Ongeldige waarde voor"),
    ("Option", "Optie"),
    ("requires an argument.", "vraagt een waarde."),
    ("is not a valid integer.", "is geen geheel getal."),
    ("Input should be greater than or equal to", "De waarde moet minstens zijn:"),
    ("Input should be a valid integer, unable to parse string as an integer", "dit is geen geheel getal"),
)


def _dutch(text: str) -> str:
    for english, dutch in _DUTCH:
        text = text.replace(english, dutch)
    return text


class _DutchHelp:
    def get_help(self, ctx) -> str:  # type: ignore[no-untyped-def]
        return _dutch(super().get_help(ctx))  # type: ignore[misc]

    def get_usage(self, ctx) -> str:  # type: ignore[no-untyped-def]
        return _dutch(super().get_usage(ctx))  # type: ignore[misc]


class DutchGroup(_DutchHelp, typer.core.TyperGroup):
    pass


class DutchCommand(_DutchHelp, typer.core.TyperCommand):
    pass


app = typer.Typer(
    name="klachten",
    cls=DutchGroup,
    help=(
        "Jaarverslag klachtenbehandeling (Awb 9:12a): controleer het klachtenregister en maak "
        "per jaar een toegankelijk HTML-rapport en interne teamoverzichten.\n\n"
        "Voorbeelden:\n\n"
        "  klachten validate\n\n"
        "  klachten report --year 2024\n\n"
        "  klachten report --periode 2025-H1\n\n"
        "  klachten teams --year 2024\n\n"
        "  klachten batch --years all --teams\n\n"
        "  klachten woo --periode 2024-Q3"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

DataDir = Annotated[
    Path,
    typer.Option(
        "--data-dir",
        metavar="MAP",
        help="Map met het klachtenregister en de overige invoer.",
        show_default=True,
    ),
]
OutputDir = Annotated[
    Path,
    typer.Option(
        "--output-dir",
        metavar="MAP",
        help="Map waarin de rapporten per jaar worden geschreven.",
        show_default=True,
    ),
]


def parse_year_option(value: str) -> int:
    """`--year`: a year in digits; otherwise a Dutch usage error (typer's own text is English)."""
    from klachtlib.domain.periods import FIRST_YEAR, LAST_YEAR

    if not (value.strip().isascii() and value.strip().isdigit()):
        raise typer.BadParameter(
            f"'{value}' is geen jaartal. Geef het jaar met vier cijfers, bijvoorbeeld 2024."
        )
    if len(value.strip()) > 2 and not FIRST_YEAR <= int(value) <= LAST_YEAR:  # '24' gets a hint later
        raise typer.BadParameter(f"'{value}' is geen jaartal tussen {FIRST_YEAR} en {LAST_YEAR}.")
    return int(value)


PdfOption = Annotated[
    bool,
    typer.Option(
        "--pdf",
        help=(
            "Maak ook een toegankelijke PDF (met tags, Nederlands, bladwijzers) naast het HTML-bestand, "
            "afgedrukt door Chromium. Zonder Chromium: melding en afsluitcode 3; het HTML-bestand is "
            "dan wel gemaakt."
        ),
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year",
        help="Verslagjaar; standaard het laatste jaar in het register.",
        show_default=False,
        parser=parse_year_option,
        metavar="JAAR",
    ),
]

EXIT_DATA_ERROR = 1
EXIT_BATCH_FAILED = 2
EXIT_RENDER_ERROR = 3
EXIT_INTERRUPTED = 130  # stopped with Ctrl+C or SIGTERM (128 + SIGINT, as shells report it)


@app.callback()
def _commands() -> None:
    """Jaarverslag klachtenbehandeling (Awb 9:12a)."""


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _run(make: Callable[[], Written]) -> None:
    """Run one command's work: warnings and errors to stderr in Dutch, the path as the last line."""
    try:
        written = make()
    except DataError as error:
        _fail(str(error), EXIT_DATA_ERROR)
    except RenderError as error:  # a DataError the notebook raised is still a data error
        _fail(str(error), EXIT_DATA_ERROR if error.ename == "DataError" else EXIT_RENDER_ERROR)
    for warning in written.warnings:
        typer.echo(str(warning), err=True)
    for path in written.also:
        typer.echo(str(path))
    typer.echo(str(written.path))


@app.command(cls=DutchCommand)
def validate(data_dir: DataDir = config.DATA_DIR) -> None:
    """Lees en controleer de gegevensmap en meld alle problemen in één keer.

    Daarna per jaar de cijfers die het verslag zou publiceren (ontvangen, niet afgehandeld
    met redenen, afgehandeld, in behandeling, voorkomen, informeel/formeel, binnen de termijn),
    zodat u ze met uw eigen telling kunt vergelijken, en waarschuwingen over wat onwaarschijnlijk
    is. Ook de toelichtingen (toelichting/<jaar>.md) en klantcontacten.csv worden gecontroleerd.
    Afsluitcode 0 zonder fouten (ook met waarschuwingen), 1 bij fouten.

    Voorbeelden:

      klachten validate

      klachten validate --data-dir export-2024
    """
    from klachtlib.delivery.summary import check_folder
    from klachtlib.errors import grouped_lines

    try:
        result = check_folder(data_dir)
    except DataError as error:  # validate makes no report, so the message does not say so
        _fail(error.summary(consequence=None), EXIT_DATA_ERROR)
    for line in grouped_lines(result.problems):
        typer.echo(line, err=True)
    typer.echo("\n".join(result.lines))
    if result.errors:
        count = len(result.errors)
        _fail(f"{count} {'fout' if count == 1 else 'fouten'} gevonden in {data_dir}.", EXIT_DATA_ERROR)
    typer.echo(f"Geen fouten gevonden in {data_dir}.")


@app.command(cls=DutchCommand)
def koppel(data_dir: DataDir = config.DATA_DIR) -> None:
    """Koppelhulp voor een nieuwe export: welke kolom vult wat, en een voorstel voor klachten.toml.

    Toont de gevonden kopregel, per kolom van de export welke standaardkolom hij zou vullen (of
    'wordt niet gelezen') en de waarden met aantallen van de kolommen die worden gelezen; van
    andere kolommen nooit een waarde (daar kunnen namen of BSN's in staan). Schrijft een
    voorstel klachten.voorstel.toml in de map; klachten.toml en een eerder voorstel worden nooit
    overschreven (dan heet het nieuwe voorstel klachten.voorstel-2.toml, -3, ...). De laatste
    regel van de uitvoer is het pad van het voorstel.

    Voorbeelden:

      klachten koppel --data-dir export-2024

      klachten koppel
    """
    from klachtlib.reading.koppel import koppel as run_koppel

    try:
        result = run_koppel(data_dir)
    except DataError as error:
        _fail(str(error), EXIT_DATA_ERROR)
    typer.echo("\n".join(result.lines))
    typer.echo(str(result.draft))


@app.command(cls=DutchCommand)
def report(
    ctx: typer.Context,
    year: YearOption = None,
    periode: Annotated[
        str | None,
        typer.Option(
            "--periode",
            metavar="PERIODE",
            help="Een halfjaar, kwartaal, viermaandsperiode of maand in plaats van een heel jaar: "
            "2025-H1, 2025-Q3, 2025-T2, 2025-03. Vergeleken met dezelfde periode een jaar eerder.",
        ),
    ] = None,
    data_dir: DataDir = config.DATA_DIR,
    output_dir: OutputDir = config.REPORTS_DIR,
    pdf: PdfOption = False,
) -> None:
    """Maak het jaarverslag van één jaar als HTML-bestand (en met --pdf ook als PDF).

    Het notebook notebooks/jaarverslag.ipynb wordt uitgevoerd en omgezet naar
    <output-dir>/<jaar>/jaarverslag-klachten-<jaar>.html (het uitgevoerde notebook staat ernaast).
    Met --periode hetzelfde verslag over een halfjaar (H1, H2), kwartaal (Q1..Q4),
    viermaandsperiode (T1..T3) of maand, vergeleken met dezelfde periode een jaar eerder, in
    <output-dir>/<periode>/verslag-klachten-<periode>.html.
    De laatste regel van de uitvoer is het pad van het HTML-bestand; met --pdf staat het pad van
    de PDF op de regel ervoor.

    Voorbeelden:

      klachten report

      klachten report --year 2024 --data-dir data --output-dir reports

      klachten report --year 2024 --pdf

      klachten report --periode 2025-H1
    """
    period = _period_option(ctx, periode, year)
    from klachtlib.delivery.render import WarmKernel  # light; the pipeline's imports (pandas, ...) are not

    # Start the kernel first, so its start-up overlaps the imports in this process.
    with WarmKernel(config.NOTEBOOKS_DIR) as kernel:
        from klachtlib.delivery.pipeline import make_year_report

        _run(lambda: make_year_report(data_dir, output_dir, year, kernel, pdf=pdf, period=period))


def _period_option(ctx: typer.Context, periode: str | None, year: int | None) -> Period | None:
    """`--periode` as a period (a usage error in Dutch when it is none, or clashes with --year)."""
    if periode is None:
        return None
    from klachtlib.domain.periods import PeriodError, parse_named

    try:
        period = parse_named(periode)
    except PeriodError as error:
        raise typer.BadParameter(str(error), ctx=ctx, param_hint="'--periode'") from None
    if year is not None and year != period.start.year:
        raise typer.BadParameter(
            f"--year {year} en --periode {periode} spreken elkaar tegen; geef alleen --periode op.",
            ctx=ctx,
            param_hint="'--periode'",
        )
    return period


@app.command(cls=DutchCommand)
def teams(
    year: YearOption = None,
    data_dir: DataDir = config.DATA_DIR,
    output_dir: OutputDir = config.REPORTS_DIR,
) -> None:
    """Maak de interne overzichten per team, met leerpunten (niet voor publicatie).

    Eén pagina per team met klachten in dat jaar, in de interne map
    <output-dir>/intern/<jaar>/teams/ (gemarkeerd als Intern, niet vindbaar voor zoekmachines),
    en een index.html die ernaar linkt; <output-dir>/intern/index.html noemt alle jaren en teams.
    De laatste regel van de uitvoer is het pad van de index.

    Voorbeelden:

      klachten teams

      klachten teams --year 2024
    """
    from klachtlib.delivery.pipeline import make_team_overviews

    _run(lambda: make_team_overviews(data_dir, output_dir, year))


@app.command(cls=DutchCommand)
def woo(
    ctx: typer.Context,
    jaar: Annotated[
        int | None,
        typer.Option("--jaar", "--year", metavar="JAAR", help="Alle klachten afgehandeld in dit jaar."),
    ] = None,
    periode: Annotated[
        str | None,
        typer.Option(
            "--periode",
            metavar="PERIODE",
            help="Een jaar, kwartaal, halfjaar of maand: 2024, 2024-Q3, 2024-H1, 2024-03.",
        ),
    ] = None,
    van: Annotated[
        str | None,
        typer.Option("--van", metavar="DATUM", help="Eerste dag (met --tot), bijvoorbeeld 2024-01-01."),
    ] = None,
    tot: Annotated[
        str | None,
        typer.Option("--tot", metavar="DATUM", help="Laatste dag (met --van), bijvoorbeeld 2024-06-30."),
    ] = None,
    data_dir: DataDir = config.DATA_DIR,
    output_dir: OutputDir = config.REPORTS_DIR,
) -> None:
    """Maak het Woo-overzicht van klachtoordelen: de klachten afgehandeld in een periode.

    Per klacht de soort klacht, datum ontvangst, organisatieonderdeel, datum en wijze van
    afhandeling en het oordeel (Woo artikel 3.3, tweede lid, onder l), als toegankelijke
    HTML-pagina, als CSV en met een beschrijving van de kolommen (CSV on the Web), in
    <output-dir>/woo/klachtoordelen-<periode>.html, .csv en .csv-metadata.json.
    De laatste regel van de uitvoer is het pad van de HTML-pagina.

    Voorbeelden:

      klachten woo --jaar 2024

      klachten woo --periode 2024-Q3

      klachten woo --van 2024-03-01 --tot 2024-05-31
    """
    from klachtlib.delivery.woo import PeriodError, parse_period

    try:
        period = parse_period(jaar, periode, van, tot)
    except PeriodError as error:
        raise typer.BadParameter(str(error), ctx=ctx, param_hint="periode") from None
    from klachtlib.delivery.woo import make_woo_overview

    _run(lambda: make_woo_overview(data_dir, output_dir, period))  # the index is written with it


@app.command(cls=DutchCommand)
def batch(
    years: Annotated[
        str | None,
        typer.Option(
            "--years",
            help="Jaren: all, één jaar (2024), een reeks (2019-2024) of 2022,2024. Standaard all, "
            "behalve met alleen --periodes.",
            show_default=False,
        ),
    ] = None,
    periodes: Annotated[
        str | None,
        typer.Option(
            "--periodes",
            metavar="PERIODES",
            help="Ook (of alleen) verslagen over perioden: 2025-H1,2025-H2 of 2024-T1,2024-T2,2024-T3 "
            "(halfjaar H, kwartaal Q, viermaandsperiode T, maand 2024-03).",
        ),
    ] = None,
    with_teams: Annotated[bool, typer.Option("--teams", help="Maak ook de teamoverzichten.")] = False,
    with_woo: Annotated[
        bool, typer.Option("--woo", help="Maak ook per jaar het Woo-overzicht van de afgehandelde klachten.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", min=1, help="Aantal parallelle processen; standaard het aantal processorkernen."
        ),
    ] = None,
    data_dir: DataDir = config.DATA_DIR,
    output_dir: OutputDir = config.REPORTS_DIR,
    pdf: PdfOption = False,
) -> None:
    """Maak de jaarverslagen (en teamoverzichten) van meerdere jaren tegelijk.

    Een jaar of team dat mislukt wordt gemeld; de rest gaat door. Aan het eind volgt een
    samenvatting; de afsluitcode is niet 0 als er iets mislukte.

    Voorbeelden:

      klachten batch

      klachten batch --years 2019-2024 --teams --jobs 2

      klachten batch --years all --pdf

      klachten batch --years 2023-2024 --woo

      klachten batch --periodes 2024-H1,2024-H2,2025-H1
    """
    from klachtlib.delivery.pipeline import (
        batch_tasks,
        parse_periods,
        parse_years,
        periods_in_register,
        run_batch,
    )
    from klachtlib.domain.classify import years_in
    from klachtlib.domain.periods import PeriodError
    from klachtlib.reading.register import cached_data_folder

    try:
        periods = parse_periods(periodes) if periodes is not None else []
    except PeriodError as error:  # a usage error (exit 2), worded like typer's own
        raise typer.BadParameter(str(error), param_hint="'--periodes'") from None
    try:
        register = cached_data_folder(data_dir).register
    except DataError as error:
        _fail(str(error), EXIT_DATA_ERROR)
    available = years_in(register)
    try:
        wanted = parse_years(years or "all", available) if years is not None or not periods else []
    except ValueError as error:  # a usage error (exit 2), worded like typer's own
        raise typer.BadParameter(str(error), param_hint="'--years'") from None
    present = [y for y in wanted if y in available]
    in_register = periods_in_register(register, periods)[0]
    total = len(batch_tasks(data_dir, present, with_teams, with_woo, in_register))
    with progress_bar(total) as bar:

        def progress(outcome: Outcome) -> None:
            bar.update(1)
            if outcome.error:
                bar.write(f"Mislukt: {outcome.task.label}: {outcome.error}", file=sys.stderr)

        try:
            result = run_batch(
                data_dir, output_dir, wanted, with_teams, jobs, progress, with_woo, pdf=pdf, periods=periods
            )
        except DataError as error:
            _fail(str(error), EXIT_DATA_ERROR)
        except RenderError as error:  # the indexes could not be written (read-only or full folder, ...)
            _fail(str(error), EXIT_RENDER_ERROR)
    typer.echo(result.summary())
    if result.failed:
        raise typer.Exit(EXIT_BATCH_FAILED)


def progress_bar(total: int):
    """tqdm on stderr, shown only on a terminal: in a log file every update would be a line
    (failures are still written, one line each, and the summary follows on stdout)."""
    from tqdm import tqdm

    return tqdm(total=total, desc="Pagina's", unit="pagina", file=sys.stderr, disable=not sys.stderr.isatty())


def _stop(signum: int, frame: object) -> None:
    """SIGTERM (`kill`, a scheduler that stops a run) as Ctrl+C: every `with` block on the way
    out still runs, so the kernel is shut down (its connection file removed), Chromium closed
    (its temporary profile removed) and a half-done write rolled back. A SIGKILL cannot be
    caught; what it leaves holds no register data (README)."""
    raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point: Dutch usage errors (exit 2), no traceback."""
    import signal

    signal.signal(signal.SIGTERM, _stop)
    command = typer.main.get_command(app)
    try:
        code = command.main(prog_name="klachten", standalone_mode=False)
    except typer.TyperException as error:  # usage errors of the click that typer ships
        if type(error).__name__ == "NoArgsIsHelpError":  # bare `klachten`: just the help
            typer.echo(_dutch(error.format_message()), err=True)
            sys.exit(error.exit_code)
        ctx = getattr(error, "ctx", None)
        where = ctx.command_path if ctx is not None else "klachten"
        typer.echo(f"Fout: {_dutch(error.format_message())}", err=True)
        typer.echo(f"Zie '{where} --help' voor hulp en voorbeelden.", err=True)
        sys.exit(error.exit_code)
    except typer.Abort:
        typer.echo("Afgebroken.", err=True)
        sys.exit(1)
    if code == EXIT_INTERRUPTED:  # Ctrl+C or SIGTERM: click returns 130 without a word
        typer.echo("Afgebroken.", err=True)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()  # exits itself
