"""What a run of `klachten` produces: a year report, a year's team overviews, or a batch.

A year report is computed once per run, in the kernel that runs the year notebook: the
notebook reads the data folder and computes the `YearReport` the page shows, and the same
kernel then makes the open data and the figures pack from that report (`klachtlib.delivery.downloads`);
this process only passes the parameters (parsed once, by the command line), renders the
executed notebook and writes the files. A data error stops the notebook's first cell and comes
out as the same Dutch message, with no traceback. Every page is rendered in memory and written
atomically: a failed run leaves no new or half-written HTML behind.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from nbformat import NotebookNode

from klachtlib import config
from klachtlib.delivery import downloads, indexes, pack
from klachtlib.delivery.output import (
    MANIFEST,
    Written,
    planned_removals,
    stale_in,
    write_all_atomic,
    write_set,
)
from klachtlib.delivery.pdf import PdfError, make_accessible, pdf_path_for, print_pdf, stable_dates
from klachtlib.delivery.render import (
    RenderError,
    WarmKernel,
    execute_notebook,
    kernel_or_new,
    notebook_text,
    render_html,
)
from klachtlib.delivery.teams import index_html, overview_teams, overview_title, team_slugs
from klachtlib.delivery.woo import make_woo_overview, year_period
from klachtlib.domain.classify import rows_between, years_in
from klachtlib.domain.periods import FIRST_YEAR, LAST_YEAR, Period, PeriodError, parse_named
from klachtlib.errors import DataError, Problem, system_reason
from klachtlib.presentation.report import resolve_year
from klachtlib.presentation.text import NARRATIVE_DIR
from klachtlib.reading.register import DataFolder, cached_data_folder


def year_report_path(output_dir: Path, year: int) -> Path:
    return Path(output_dir) / str(year) / f"jaarverslag-klachten-{year}.html"


def period_report_path(output_dir: Path, slug: str) -> Path:
    """A half-year, quarter, ... report: `<out>/2025-H1/verslag-klachten-2025-H1.html`."""
    return Path(output_dir) / slug / f"{indexes.PERIOD_REPORT_PREFIX}{slug}.html"


def _parameters(data_dir: Path, **extra: object) -> dict[str, object]:
    return {**extra, "data_dir": os.fspath(Path(data_dir).resolve())}


def internal_notebook_path(output_dir: Path, html: Path) -> Path:
    """Where a report's executed notebook goes: the internal tree (`<out>/intern/2024/...ipynb`),
    never beside the public page (its parameters hold this machine's paths)."""
    return indexes.internal_dir(output_dir) / html.parent.name / html.with_suffix(".ipynb").name


def make_year_report(
    data_dir: Path,
    output_dir: Path,
    year: int | None = None,
    kernel: WarmKernel | None = None,
    pdf: bool = False,
    period: Period | None = None,
) -> Written:
    """Execute and render the year notebook, write the page, its open data and figures pack.

    The notebook computes the report in its kernel, which then also makes the open data and
    the pack from it (`klachtlib.delivery.downloads`). A data error the notebook finds is a RenderError
    whose `ename` is "DataError" (the command exits 1 for it); RenderError otherwise.

    With `period` (a half-year, quarter, ...) the same report over that period, compared with
    the same period a year earlier, in `<out>/<periode>/`; it has no open-data file (that holds
    a whole year's figures). With `pdf` also print the page to a tagged PDF beside it
    (`klachtlib.delivery.pdf`).

    A year's files are one set, written together or not at all (`output.write_set`): the page,
    its open data, its figures pack, the PDF, the indexes that link them and the executed
    notebook (in the internal tree). The files of the set an earlier run wrote and this one did
    not make (a section gone, the PDF of a run with --pdf) are removed in the same change, so
    the index never links a PDF of other figures. A PdfError (a RenderError) comes after the
    rest of the set is written, and says so.
    """
    parameters = _parameters(data_dir, period=period.slug) if period else _parameters(data_dir, year=year)
    as_given = _as_given(data_dir, str(parameters["data_dir"]))
    with (
        kernel_or_new(kernel, config.NOTEBOOKS_DIR) as warm,
        tempfile.TemporaryDirectory(prefix="klachten-downloads-") as staging,
    ):
        try:
            nb = execute_notebook(
                config.YEAR_NOTEBOOK,
                parameters,
                cwd=config.NOTEBOOKS_DIR,
                kernel=warm,
                then=downloads.stage_code(Path(staging)),
            )
        except RenderError as error:
            message = as_given(error.message)
            raise RenderError(message, ename=error.ename, evalue=error.evalue, cell=error.cell) from None
        made = downloads.read_staged(staging)
    if made.whole_year:
        html = year_report_path(output_dir, made.year)
    else:
        html = period_report_path(output_dir, made.slug)
    page = render_html(nb, made.title)
    printed, pdf_error = None, None
    if pdf:
        try:
            printed = print_page(html, page)
        except PdfError as error:
            pdf_error = error
    files: list[tuple[Path, str | bytes]] = [
        (internal_notebook_path(output_dir, html), notebook_text(nb)),
        *((html.parent / path, data) for path, data in made.open_data),
        *((html.parent / path, data) for path, data in made.pack),
        *([(pdf_path_for(html), printed)] if printed is not None else []),
        (html, page),
    ]
    public, pack_dir = html.parent, html.parent / pack.PACK_DIR
    stale = [
        *stale_in(public, (p.name for p, _ in files if p.parent == public)),
        *stale_in(pack_dir, (p.name for p, _ in files if p.parent == pack_dir)),
    ]
    # What earlier versions wrote beside the page: the notebook, and a PDF this run does not make.
    earlier = [html.with_suffix(".ipynb"), *([] if printed is not None else [pdf_path_for(html)])]
    removed = planned_removals(stale, earlier)
    write_set([*files, *indexes.index_files(output_dir, files, removed, made.publisher)], stale, earlier)
    old_pdf = [p for p in removed if p == pdf_path_for(html)]
    if pdf_error is not None:
        gone = " De PDF van een eerdere keer is verwijderd: die hoorde bij eerdere cijfers." * bool(old_pdf)
        raise PdfError(f"{pdf_error} Het HTML-bestand is wel gemaakt: {html}.{gone}")
    warnings = [replace(w, file=as_given(w.file)) for w in made.warnings]
    warnings += [_pdf_removed(p) for p in old_pdf]
    return Written(html, warnings, [pdf_path_for(html)] if printed is not None else [])


def _as_given(data_dir: Path, resolved: str) -> Callable[[str], str]:
    """Messages name the narrative as the coordinator gave the data folder (`--data-dir data`:
    `data/toelichting/2024.md`), as they always did, though the notebook gets it resolved."""
    narratives = Path(data_dir) / NARRATIVE_DIR
    return lambda message: message.replace(
        os.fspath(Path(resolved) / NARRATIVE_DIR) + os.sep, os.fspath(narratives) + os.sep
    )


def _pdf_removed(path: Path) -> Problem:
    return Problem(
        str(path),
        "de PDF van een eerdere keer is verwijderd: die hoorde bij eerdere cijfers en zou naast het "
        "nieuwe verslag iets anders zeggen.",
        "Maak de PDF opnieuw met --pdf als u hem wilt publiceren.",
        severity="waarschuwing",
    )


def print_page(html: Path, page: str) -> bytes:
    """The PDF of `page` (not yet written to `html`), printed from a copy in a temporary folder
    under the same name, so the PDF can be part of the year's set."""
    with tempfile.TemporaryDirectory(prefix="klachten-pdf-") as folder:
        copy = Path(folder) / html.name
        copy.write_text(page, encoding="utf-8")
        return make_accessible(stable_dates(print_pdf(copy)))  # PDF/UA-1 (issue 20)


def _team_notebook(data_dir: Path, year: int, team: str, kernel: WarmKernel | None) -> NotebookNode:
    return execute_notebook(
        config.TEAM_NOTEBOOK,
        _parameters(data_dir, year=year, team=team),
        cwd=config.NOTEBOOKS_DIR,
        kernel=kernel,
    )


def _team_page(data_dir: Path, year: int, team: str, kernel: WarmKernel | None) -> str:
    return render_html(
        _team_notebook(data_dir, year, team, kernel), overview_title(team, year), internal=True
    )


def make_team_overviews(
    data_dir: Path, output_dir: Path, year: int | None = None, kernel: WarmKernel | None = None
) -> Written:
    """One overview per team with complaints in the year, plus an index page; all or nothing."""
    with kernel_or_new(kernel, config.NOTEBOOKS_DIR) as warm:
        folder = cached_data_folder(data_dir)
        year = resolve_year(folder, year)
        slugs = team_slugs(overview_teams(folder, year))
        pages = [(slug, _team_page(data_dir, year, team, warm)) for team, slug in slugs.items()]
    directory = indexes.teams_dir(output_dir, year)
    index = directory / "index.html"
    files: list[tuple[Path, str | bytes]] = [
        *((directory / f"{slug}.html", html) for slug, html in pages),
        (index, index_html(year, slugs, folder.measures, folder.settings)),
    ]
    stale = stale_in(directory, (p.name for p, _ in files))
    write_set([*files, *indexes.index_files(output_dir, files, stale, folder.settings)], stale)
    return Written(index, [*folder.warnings, *indexes.old_team_pages_warning(output_dir, year)])


# What the workbook wrote in a teams folder (as in every output folder): the only files it may remove.
TEAM_MANIFEST = MANIFEST


def remove_stale_team_pages(directory: Path, current_slugs: Iterable[str]) -> None:
    """Remove pages of teams that no longer have complaints that year (renamed, or corrected
    in the register): an old overview must not linger beside the new index.

    Only pages an earlier run wrote are removed: the folder keeps a list of them
    (TEAM_MANIFEST), so any other file there (the coordinator's own notes, say) stays.
    Afterwards the list holds the current pages.
    """
    directory = Path(directory)
    current = sorted({f"{slug}.html" for slug in current_slugs} | {"index.html"})
    manifest = json.dumps({"bestanden": current}, ensure_ascii=False, indent=1) + "\n"
    pages = [p for p in stale_in(directory, current) if p.suffix == ".html"]  # a teams folder holds pages
    write_all_atomic([(directory / MANIFEST, manifest)], pages)


# --------------------------------------------------------------------------- batch


@dataclass(frozen=True)
class Task:
    """One page of a batch: a year report (team None) or one team's overview."""

    year: int
    team: str | None = None
    woo: bool = False  # the Woo overview of the complaints handled in `year`
    period: str | None = None  # a period report ("2025-H1") instead of the year report

    @property
    def label(self) -> str:
        if self.period is not None:
            return self.period
        if self.woo:
            return f"{self.year}, Woo-overzicht"
        return f"{self.year}" if self.team is None else f"{self.year}, team {self.team}"


@dataclass(frozen=True)
class Outcome:
    """A page made (`path`), executed but not yet rendered (`notebook`, team pages in a batch),
    rendered but not yet written (`html`), or failed."""

    task: Task
    path: Path | None = None
    error: str | None = None
    html: str | None = field(default=None, repr=False)
    notebook: NotebookNode | None = field(default=None, repr=False)


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    skipped: list[int] = field(default_factory=list)  # years asked for that the register lacks
    skipped_periods: list[str] = field(default_factory=list)  # periods the register has nothing of

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error is not None]

    def summary(self) -> str:
        done = len(self.outcomes) - len(self.failed)
        lines = [f"Klaar: {done} van {len(self.outcomes)} pagina's gemaakt."]
        if self.skipped:
            years = ", ".join(str(y) for y in self.skipped)
            lines.append(f"Overgeslagen, het register heeft geen klachten uit: {years}.")
        if self.skipped_periods:
            periods = ", ".join(self.skipped_periods)
            lines.append(f"Overgeslagen, het register heeft geen klachten uit de periode(n): {periods}.")
        if self.failed:
            lines.append(f"Mislukt ({len(self.failed)}):")
            lines += [_failure_item(o) for o in sorted(self.failed, key=_order)]
        return "\n".join(lines)


def _failure_item(outcome: Outcome) -> str:
    """`- <page>: <reason>`; a reason's own lines (a DataError's list) indented under it."""
    first, *rest = str(outcome.error).splitlines() or [""]
    return "\n".join([f"- {outcome.task.label}: {first}", *(f"  {line}" for line in rest)])


def _order(outcome: Outcome) -> tuple[int, bool, str, str]:
    return (outcome.task.year, outcome.task.woo, outcome.task.period or "", outcome.task.team or "")


def parse_years(spec: str, available: list[int]) -> list[int]:
    """'all'/'alle', '2024', '2019-2024' or '2022,2024' -> years; ValueError (Dutch) otherwise."""
    spec = spec.strip().lower()
    if spec in ("all", "alle"):
        return list(available)
    invalid = ValueError(
        f"'{spec}' is geen geldige jarenreeks. Gebruik bijvoorbeeld 2024, 2019-2024, 2022,2024 of all."
    )
    years: set[int] = set()
    for part in spec.split(","):
        # Four-digit years only: a typo such as 2019-20244 must not become 18,000 years.
        match = _YEAR_RANGE.fullmatch(part.strip())
        if not match:
            raise invalid
        start, end = int(match[1]), int(match[2] or match[1])
        if end < start or start < FIRST_YEAR or end > LAST_YEAR:
            raise invalid
        years.update(range(start, end + 1))
    return sorted(years)


_YEAR_RANGE = re.compile(r"(\d{4})(?:\s*-\s*(\d{4}))?", re.ASCII)


# One warm kernel per worker process, reused for every page the worker makes.
_worker_kernel: WarmKernel | None = None
_worker_data_dir: Path | None = None
_worker_output_dir: Path | None = None
PAGE_TIMEOUT = 1800  # seconds for one page of a batch: one page that hangs must not stop the batch
_worker_page_timeout: float = PAGE_TIMEOUT
_worker_pdf = False


def _init_worker(
    data_dir: Path, output_dir: Path, page_timeout: float = PAGE_TIMEOUT, pdf: bool = False
) -> None:
    global _worker_kernel, _worker_data_dir, _worker_output_dir, _worker_page_timeout, _worker_pdf
    from multiprocessing.util import Finalize

    _worker_data_dir, _worker_output_dir, _worker_page_timeout = data_dir, output_dir, page_timeout
    _worker_pdf = pdf
    _worker_kernel = WarmKernel(config.NOTEBOOKS_DIR)
    # Pool workers skip atexit when they leave; multiprocessing's finalizers still run.
    Finalize(_worker_kernel, _worker_kernel.close, exitpriority=10)


class PageTimeout(BaseException):
    """A batch page took longer than its time limit (raised in the worker by SIGALRM).

    A BaseException, so that no `except Exception` on the way swallows it."""


@contextmanager
def page_time_limit(seconds: float) -> Iterator[None]:
    """Raise PageTimeout in this (main) thread once `seconds` have passed; no limit elsewhere."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise PageTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _restart_worker_kernel() -> None:
    """After a page was stopped half-way, its kernel may still be busy: start a fresh one."""
    global _worker_kernel
    if _worker_kernel is not None:
        _worker_kernel.close()
        _worker_kernel = WarmKernel(config.NOTEBOOKS_DIR)


def _run_task(task: Task) -> Outcome:
    """Make one page in a worker within the page time limit; every failure becomes a Dutch
    reason, never a crash or a batch that waits forever."""
    try:
        with page_time_limit(_worker_page_timeout):
            return _make_page(task)
    except PageTimeout:
        _restart_worker_kernel()
        return Outcome(
            task,
            error=f"de pagina was na {_worker_page_timeout:g} seconden nog niet klaar en is overgeslagen "
            "(een toelichting of notebook dat blijft hangen?); de andere pagina's gaan door.",
        )


def _make_page(task: Task) -> Outcome:
    assert _worker_data_dir is not None and _worker_output_dir is not None
    try:
        if task.woo:
            return Outcome(
                task,
                path=make_woo_overview(_worker_data_dir, _worker_output_dir, year_period(task.year)).path,
            )
        if task.team is None:
            period = parse_named(task.period) if task.period else None
            written = make_year_report(
                _worker_data_dir, _worker_output_dir, task.year, _worker_kernel, _worker_pdf, period
            )
            return Outcome(task, path=written.path)
        # Rendered by the batch's own process (`_render_team_page`), while this worker's
        # kernel runs the next notebook.
        return Outcome(task, notebook=_team_notebook(_worker_data_dir, task.year, task.team, _worker_kernel))
    except (DataError, RenderError) as error:
        return Outcome(task, error=str(error).strip())
    except OSError as error:
        return Outcome(task, error=f"de pagina kon niet worden gemaakt: {system_reason(error)}.")
    except Exception as error:  # a batch reports every page; one bug must not stop the rest
        return Outcome(task, error=f"onverwachte fout ({type(error).__name__}: {error})")


def batch_tasks(
    data_dir: Path, years: list[int], teams: bool, woo: bool = False, periods: Sequence[Period] = ()
) -> list[Task]:
    folder = cached_data_folder(data_dir)
    tasks = [Task(year) for year in years]
    if teams:
        tasks += [Task(year, team) for year in years for team in overview_teams(folder, year)]
    if woo:
        tasks += [Task(year, woo=True) for year in years]
    tasks += [Task(p.start.year, period=p.slug) for p in periods]
    return tasks


def parse_periods(spec: str) -> list[Period]:
    """'2025-H1,2025-H2' -> the named periods (half-years, quarters, four-month periods, months),
    each once, in order of time; PeriodError (Dutch) for any that is not one."""
    periods = {}
    for part in (p.strip() for p in spec.split(",")):
        if part:
            period = parse_named(part)
            if period.is_year:
                raise PeriodError(f"'{part}' is een heel jaar; geef dat op met --years {part}.")
            periods[period.slug] = period
    if not periods:
        raise PeriodError("geef een of meer perioden op, bijvoorbeeld --periodes 2025-H1,2025-H2.")
    return sorted(periods.values(), key=lambda p: (p.start, p.end))


def periods_in_register(register: pd.DataFrame, periods: Sequence[Period]) -> tuple[list[Period], list[str]]:
    """The periods the register holds rows of, and the slugs of those it holds nothing of."""
    present = [p for p in periods if not rows_between(register, p.start, p.end).empty]
    return present, [p.slug for p in periods if p not in present]


def run_batch(
    data_dir: Path,
    output_dir: Path,
    years: Iterable[int],
    teams: bool = False,
    jobs: int | None = None,
    progress: Callable[[Outcome], None] | None = None,
    woo: bool = False,
    page_timeout: float = PAGE_TIMEOUT,
    pdf: bool = False,
    periods: Sequence[Period] = (),
) -> BatchResult:
    """Every page of every year (and of every period) in parallel worker processes; failures
    reported, not fatal.

    The data folder must be valid (checked here first, DataError otherwise). Years asked for
    that the register does not have are skipped (named in the summary), not failed; none of
    them in the register is a DataError. A year or team that fails (a narrative error, ...)
    is reported while the rest finish. Team pages of a year are written, with their index,
    once all of that year's pages exist. A page still not done after `page_timeout` seconds
    fails with a Dutch reason.
    """
    data_dir, output_dir = Path(data_dir).resolve(), Path(output_dir).resolve()
    folder = cached_data_folder(data_dir)
    available = years_in(folder.register)
    years = sorted(set(years))
    present = [y for y in years if y in available]
    periods, skipped_periods = periods_in_register(folder.register, periods)
    if not present and not periods:
        asked = ", ".join([*(str(y) for y in years), *skipped_periods]) or "geen"
        what = "jaren of perioden" if skipped_periods else "jaren"
        raise DataError(
            [
                Problem(
                    "klachtenregister",
                    f"het register bevat geen regels voor de gevraagde {what} ({asked}).",
                    f"Kies jaren die in het register staan: {', '.join(map(str, available)) or 'geen'}.",
                )
            ]
        )
    tasks = batch_tasks(data_dir, present, teams, woo, periods)
    outcomes: list[Outcome] = []
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    context = multiprocessing.get_context("spawn")  # no fork of a process holding threads or zmq
    with ProcessPoolExecutor(
        jobs, context, initializer=_init_worker, initargs=(data_dir, output_dir, page_timeout, pdf)
    ) as pool:
        futures = {pool.submit(_run_task, task): task for task in tasks}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as error:  # the worker process itself died
                outcome = Outcome(futures[future], error=f"het werkproces stopte onverwacht ({error}).")
            outcome = _render_team_page(outcome)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
    skipped = [y for y in years if y not in available]
    result = BatchResult(_write_team_pages(outcomes, output_dir, folder), skipped, skipped_periods)
    indexes.write_indexes(output_dir, folder.settings)
    return result


def _render_team_page(outcome: Outcome) -> Outcome:
    """A team page executed by a worker, rendered here; other outcomes as they are."""
    if outcome.notebook is None:
        return outcome
    task = outcome.task
    title = overview_title(str(task.team), task.year)
    try:
        return Outcome(task, html=render_html(outcome.notebook, title, internal=True))
    except RenderError as error:
        return Outcome(task, error=str(error).strip())


def _write_team_pages(outcomes: list[Outcome], output_dir: Path, folder: DataFolder) -> list[Outcome]:
    """Write each year's rendered team pages and their index together, atomically."""
    result = [o for o in outcomes if o.html is None]
    by_year: dict[int, list[tuple[Outcome, str, str]]] = {}  # year -> (outcome, team, page)
    for o in outcomes:
        if o.html is not None and o.task.team is not None:  # every rendered page here is a team's
            by_year.setdefault(o.task.year, []).append((o, o.task.team, o.html))
    for year, pages in by_year.items():
        slugs = team_slugs(overview_teams(folder, year))
        directory = indexes.teams_dir(output_dir, year)
        files: list[tuple[Path, str | bytes]] = [
            (directory / f"{slugs[team]}.html", html) for _, team, html in pages
        ]
        made = {team: slugs[team] for _, team, _ in pages}
        files.append((directory / "index.html", index_html(year, made, folder.measures, folder.settings)))
        # a failed team keeps its old page
        stale = stale_in(directory, [*(f"{slug}.html" for slug in slugs.values()), "index.html"])
        try:
            write_set(files, stale)
        except RenderError as error:  # e.g. the folder is read-only: these pages fail, in Dutch
            result += [Outcome(p.task, error=str(error)) for p, _, _ in pages]
            continue
        result += [Outcome(p.task, path=path) for (p, _, _), (path, _) in zip(pages, files[:-1], strict=True)]
    return sorted(result, key=_order)
