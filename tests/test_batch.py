"""`klachten batch`: every year (and team) in parallel; a failing page is reported, not fatal.

The batch runs are real `python -m klachtlib batch` processes (worker processes with a kernel
each), so they are shared: each run happens once per test run, also across pytest-xdist
workers (a lock file), and the tests only read what it left behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import build_once, register_row, write_register_file

from klachtlib import config
from klachtlib.delivery.output import MANIFEST
from klachtlib.delivery.pipeline import (
    TEAM_MANIFEST,
    BatchResult,
    Outcome,
    Task,
    Written,
    make_team_overviews,
    make_year_report,
    parse_years,
    run_batch,
)
from klachtlib.delivery.render import WarmKernel
from klachtlib.delivery.teams import team_slugs
from klachtlib.delivery.woo import make_woo_overview, year_period
from klachtlib.domain.classify import years_in
from klachtlib.domain.counts import teams_of_year
from klachtlib.errors import DataError
from klachtlib.reading.register import load_data_folder

NO_TRACEBACK = "Traceback"


# --------------------------------------------------------------------------- shared runs


def klachten(*args: str | os.PathLike[str]) -> list[str]:
    return [sys.executable, "-m", "klachtlib", *map(os.fspath, args)]


def finish(process: subprocess.Popen, directory: Path) -> None:
    stdout, stderr = process.communicate(timeout=300)
    run = {"returncode": process.returncode, "stdout": stdout, "stderr": stderr}
    (directory / "run.json").write_text(json.dumps(run), encoding="utf-8")


def start(*args: str | os.PathLike[str]) -> subprocess.Popen:
    return subprocess.Popen(
        klachten(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    )


class Run:
    """A finished `klachten batch` run: exit code, output and the files it wrote."""

    def __init__(self, directory: Path) -> None:
        run = json.loads((directory / "run.json").read_text(encoding="utf-8"))
        self.returncode: int = run["returncode"]
        self.stdout: str = run["stdout"]
        self.stderr: str = run["stderr"]
        self.directory = directory
        self.out = directory / "out"

    def __str__(self) -> str:  # for assertion messages
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr[-3000:]}"

    def files(self) -> set[str]:
        """The pages written (the figures pack beside each report, `cijfers/`, left out)."""
        return {
            p.relative_to(self.out).as_posix()
            for p in self.out.rglob("*")
            if p.is_file() and "cijfers" not in p.relative_to(self.out).parts
        }

    def failures(self) -> dict[str, str]:
        """The summary's `- <label>: <reason>` items (with indented continuation lines) as a dict."""
        failures: dict[str, str] = {}
        label = None
        for line in self.stdout.splitlines():
            if line.startswith("- "):
                label, reason = line[2:].split(": ", 1)
                failures[label] = reason
            elif line.startswith("  ") and label:
                failures[label] += "\n" + line.strip()
        return failures


def year_files(year: int) -> set[str]:
    return {
        f"{year}/jaarverslag-klachten-{year}.html",
        f"intern/{year}/jaarverslag-klachten-{year}.ipynb",  # the executed notebook is not public
        f"{year}/{MANIFEST}",  # what the workbook wrote there (the only files it replaces)
        f"intern/{year}/{MANIFEST}",
        f"{year}/jaarcijfers-klachten-{year}.csv",
        f"{year}/jaarcijfers-klachten-{year}.csv-metadata.json",
    }


def woo_files(year: int) -> set[str]:
    name = f"woo/klachtoordelen-{year}"
    return {f"{name}.html", f"{name}.csv", f"{name}.csv-metadata.json"}


# --- the sample data: --years all --teams --jobs 2, and single runs to compare with

SAMPLE_YEARS = years_in(load_data_folder(config.DATA_DIR).register)
REFERENCE_YEAR = SAMPLE_YEARS[-1]


def _sample(directory: Path) -> None:
    batch = start(
        "batch", "--years", "all", "--teams", "--woo", "--jobs", "2",
        "--data-dir", config.DATA_DIR, "--output-dir", directory / "out",
    )  # fmt: skip
    try:
        # Meanwhile, the same pages one by one, as `klachten report` and `klachten teams` make them.
        # The year report runs first in its kernel, so nothing ran before it.
        with WarmKernel(config.NOTEBOOKS_DIR) as kernel:
            make_year_report(config.DATA_DIR, directory / "single", REFERENCE_YEAR, kernel=kernel)
            make_team_overviews(config.DATA_DIR, directory / "single", REFERENCE_YEAR, kernel=kernel)
        make_woo_overview(config.DATA_DIR, directory / "single", year_period(REFERENCE_YEAR))
    finally:
        finish(batch, directory)


@pytest.fixture(scope="module")
def sample_batch(tmp_path_factory) -> Run:
    return Run(build_once(tmp_path_factory, "batch-voorbeeld", _sample))


# --- a data folder with 2022-2024, the 2023 narrative broken


def three_years(data: Path) -> Path:
    data.mkdir(parents=True)
    rows = [
        register_row(
            klacht_id=f"K-{year}-{n}",
            datum_ontvangst=f"{year}-0{n}-05",
            datum_afgehandeld=f"{year}-0{n}-20",
            team=team,
        )
        for year in (2022, 2023, 2024)
        for n, team in enumerate(["Belastingen", "Publiekszaken", "Belastingen"], start=1)
    ]
    write_register_file(data, rows)
    (data / "toelichting").mkdir()
    for year in (2022, 2024):
        (data / "toelichting" / f"{year}.md").write_text(
            "## Wijze van klachtbehandeling\n\nIn {{ jaar }} kwamen {{ totaal }} klachten binnen.\n",
            encoding="utf-8",
        )
    return data


def _broken(directory: Path) -> None:
    data = three_years(directory / "data")
    (data / "toelichting" / "2023.md").write_text(
        "## Wijze van klachtbehandeling\n\nHet aantal is {{ onbekend }}.\n", encoding="utf-8"
    )
    finish(start("batch", "--jobs", "1", "--data-dir", data, "--output-dir", directory / "out"), directory)


@pytest.fixture(scope="module")
def broken_batch(tmp_path_factory) -> Run:
    return Run(build_once(tmp_path_factory, "batch-kapot", _broken))


def _no_data(directory: Path) -> None:
    data = three_years(directory / "data")
    batch = start(
        "batch", "--years", "2019-2024", "--jobs", "1", "--data-dir", data, "--output-dir", directory / "out"
    )
    finish(batch, directory)


@pytest.fixture(scope="module")
def no_data_batch(tmp_path_factory) -> Run:
    return Run(build_once(tmp_path_factory, "batch-zonder-gegevens", _no_data))


# --------------------------------------------------------------------------- 4. failures


def only_2023_failed(run: Run) -> str:
    """Assert that 2022 and 2024 were written, 2023 not, with no traceback; 2023's reason."""
    assert run.returncode != 0, run
    assert run.files() == year_files(2022) | year_files(2024) | {"index.html", MANIFEST}, run
    assert not (run.out / "2023").exists()
    assert run.stdout.splitlines()[0] == "Klaar: 2 van 3 pagina's gemaakt."
    failures = run.failures()
    assert list(failures) == ["2023"]
    assert NO_TRACEBACK not in run.stdout + run.stderr
    return failures["2023"]


def test_batch_with_one_broken_year_finishes_the_others_and_exits_non_zero(broken_batch):
    run = broken_batch
    reason = only_2023_failed(run)
    assert "2023.md" in reason and "onbekende plaatshouder '{{ onbekend }}'" in reason
    report_2024 = (run.out / "2024" / "jaarverslag-klachten-2024.html").read_text(encoding="utf-8")
    assert "In 2024 kwamen 3 klachten binnen." in report_2024
    assert NO_TRACEBACK not in run.stdout + run.stderr


def _hanging(directory: Path) -> None:
    data = three_years(directory / "data")
    loops = "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}"
    (data / "toelichting" / "2023.md").write_text(
        f"## Wijze van klachtbehandeling\n\n{loops}{{% endfor %}}{{% endfor %}}{{% endfor %}}\n",
        encoding="utf-8",
    )
    finish(start("batch", "--jobs", "1", "--data-dir", data, "--output-dir", directory / "out"), directory)


@pytest.fixture(scope="module")
def hanging_batch(tmp_path_factory) -> Run:
    return Run(build_once(tmp_path_factory, "batch-hangt", _hanging))


def test_batch_with_a_year_whose_narrative_never_ends_finishes_the_others(hanging_batch):
    reason = only_2023_failed(hanging_batch)
    assert "2023.md, regel 3" in reason and "duurde langer dan 5 seconden" in reason


def test_a_page_over_its_time_limit_fails_in_dutch_and_the_worker_goes_on(tmp_path, monkeypatch):
    from klachtlib.delivery import pipeline

    if threading.current_thread() is not threading.main_thread():
        pytest.skip("the page time limit works in a worker's main thread only")
    monkeypatch.setattr(pipeline, "_worker_data_dir", tmp_path)
    monkeypatch.setattr(pipeline, "_worker_output_dir", tmp_path)
    monkeypatch.setattr(pipeline, "_worker_page_timeout", 0.3)
    start_time = time.monotonic()

    def hang(*args, **kwargs):
        while time.monotonic() < start_time + 20:  # bounded, so a broken limit fails, not hangs
            pass
        return Written(tmp_path / "te-laat.html")

    monkeypatch.setattr(pipeline, "make_year_report", hang)
    outcome = pipeline._run_task(Task(2023))
    assert time.monotonic() - start_time < 10
    assert outcome.path is None
    assert outcome.error.startswith("de pagina was na 0.3 seconden nog niet klaar en is overgeslagen")
    monkeypatch.setattr(pipeline, "make_year_report", lambda *args, **kwargs: Written(tmp_path / "a.html"))
    assert pipeline._run_task(Task(2024)) == Outcome(Task(2024), path=tmp_path / "a.html")


def test_team_pages_that_cannot_be_written_fail_in_dutch_and_the_batch_goes_on(tmp_path):
    from klachtlib.delivery.pipeline import _write_team_pages

    data = three_years(tmp_path / "data")
    blocker = tmp_path / "uit"
    blocker.write_text("een bestand, geen map", encoding="utf-8")
    outcomes = [Outcome(Task(2024, "Belastingen"), html="<p>x</p>"), Outcome(Task(2024), path=Path("a"))]
    written = _write_team_pages(outcomes, blocker, load_data_folder(data))
    assert [(o.task, o.path) for o in written] == [(Task(2024), Path("a")), (Task(2024, "Belastingen"), None)]
    assert written[1].error.startswith("Het rapport is niet geschreven: ")
    assert "in plaats van een map" in written[1].error


def test_batch_skips_years_absent_from_the_register_without_counting_them_as_failed(no_data_batch):
    run = no_data_batch
    assert run.returncode == 0, run
    expected = year_files(2022) | year_files(2023) | year_files(2024) | {"index.html", MANIFEST}
    assert run.files() == expected, run
    assert run.stdout.splitlines()[:2] == [
        "Klaar: 3 van 3 pagina's gemaakt.",
        "Overgeslagen, het register heeft geen klachten uit: 2019, 2020, 2021.",
    ]
    assert run.failures() == {}
    assert "Pagina's" not in run.stderr  # no progress bar in a log: stderr is not a terminal
    assert NO_TRACEBACK not in run.stdout + run.stderr


def test_batch_of_only_years_absent_from_the_register_is_a_data_error(tmp_path):
    data = three_years(tmp_path / "data")
    with pytest.raises(DataError, match=r"geen regels voor de gevraagde jaren \(2019, 2020\)") as caught:
        run_batch(data, tmp_path / "out", [2019, 2020])
    assert "Kies jaren die in het register staan: 2022, 2023, 2024." in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_batch_with_invalid_years_is_a_usage_error_and_writes_nothing(tmp_path):
    run = subprocess.run(
        klachten("batch", "--years", "2024-2019", "--output-dir", tmp_path / "out"),
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert run.returncode == 2
    assert "Fout: Ongeldige waarde voor '--years': '2024-2019' is geen geldige jarenreeks" in run.stderr
    assert NO_TRACEBACK not in run.stderr
    assert not (tmp_path / "out").exists()


def test_batch_summary_names_every_failed_page_with_its_reason():
    result = BatchResult(
        [
            Outcome(Task(2024), path=Path("a.html")),
            Outcome(Task(2024, "Zorg & Jeugd"), error="de kernel stopte."),
            Outcome(Task(2023), error="onbekende plaatshouder."),
        ]
    )
    assert result.summary() == (
        "Klaar: 1 van 3 pagina's gemaakt.\n"
        "Mislukt (2):\n"
        "- 2023: onbekende plaatshouder.\n"
        "- 2024, team Zorg & Jeugd: de kernel stopte."
    )


def test_batch_summary_indents_a_reason_of_several_lines_under_its_page():
    error = "De gegevens bevatten 2 fouten.\n- Fout in a.md, regel 3: x.\n- Fout in a.md, regel 5: y."
    summary = BatchResult([Outcome(Task(2023), error=error)]).summary()
    assert summary.splitlines()[1:] == [
        "Mislukt (1):",
        "- 2023: De gegevens bevatten 2 fouten.",
        "  - Fout in a.md, regel 3: x.",
        "  - Fout in a.md, regel 5: y.",
    ]


# --------------------------------------------------------------------------- 5. the sample data


def test_batch_over_the_sample_writes_every_page(sample_batch):
    run = sample_batch
    assert run.returncode == 0, run
    register = load_data_folder(config.DATA_DIR).register
    expected: set[str] = set()
    for year in SAMPLE_YEARS:
        teams = teams_of_year(register, year)
        assert teams, year
        expected |= year_files(year) | woo_files(year) | {f"intern/{year}/teams/index.html"}
        expected |= {f"intern/{year}/teams/{TEAM_MANIFEST}"}  # which team pages the batch wrote
        expected |= {f"intern/{year}/teams/{slug}.html" for slug in team_slugs(teams).values()}
    expected |= {"index.html", "intern/index.html"}  # the index page of each output tree
    expected |= {MANIFEST, f"intern/{MANIFEST}", f"woo/{MANIFEST}"}
    assert run.files() == expected, run  # and nothing else: no temporary files left behind
    pages = 2 * len(SAMPLE_YEARS) + sum(len(teams_of_year(register, y)) for y in SAMPLE_YEARS)  # report, Woo
    assert run.stdout.strip() == f"Klaar: {pages} van {pages} pagina's gemaakt."
    assert NO_TRACEBACK not in run.stderr


def test_batch_pages_are_byte_identical_to_single_runs(sample_batch):
    # The year's pages, its team overviews (internal tree) and its Woo overview (--woo).
    for part in (str(REFERENCE_YEAR), f"intern/{REFERENCE_YEAR}", "woo"):
        batch, single = sample_batch.out / part, sample_batch.directory / "single" / part
        # (the folder lists of what was written differ: a batch writes every year's Woo overview)
        files = [p for p in single.rglob("*") if p.is_file() and p.name != MANIFEST]
        compared = sorted(p.relative_to(single) for p in files)
        assert len(compared) >= 3, part
        for path in compared:
            assert (batch / path).read_bytes() == (single / path).read_bytes(), path


# --------------------------------------------------------------------------- 6. parse_years


@pytest.mark.parametrize(
    ("spec", "years"),
    [
        ("all", [2022, 2023, 2024]),
        ("alle", [2022, 2023, 2024]),
        (" ALL ", [2022, 2023, 2024]),
        ("2024", [2024]),
        ("2019-2024", [2019, 2020, 2021, 2022, 2023, 2024]),
        ("2019 - 2021", [2019, 2020, 2021]),
        ("2022,2024", [2022, 2024]),
        ("2024, 2022,2023-2024", [2022, 2023, 2024]),
        ("2021", [2021]),  # a year without data is asked for all the same: the batch reports it
    ],
)
def test_parse_years_accepts_all_a_year_a_range_and_a_list(spec, years):
    assert parse_years(spec, [2022, 2023, 2024]) == years


@pytest.mark.parametrize(
    "spec", ["2024-2019", "abc", "", "2022,", "2024-", "-2024", "20244", "2019-20244", "2_024", "２０２４"]
)
def test_parse_years_refuses_anything_else_in_dutch(spec):
    with pytest.raises(ValueError, match="is geen geldige jarenreeks. Gebruik bijvoorbeeld 2024, 2019-2024"):
        parse_years(spec, [2022, 2023, 2024])
