"""Hostile input, round two (issue 18): what the workbook writes.

No cell of a CSV or XLSX it writes starts a formula; small numbers stay protected on every
page of a period; only its own files are replaced or removed; a year's files are one set;
odd entries in the output tree are skipped or named, never followed into a hang.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from registers import make_register

from klachtlib.delivery import cells, opendata, pack, woo
from klachtlib.reading.settings import Settings

TODAY = date(2025, 1, 1)
HOSTILE = ['=HYPERLINK("http://127.0.0.1:9/x","klik")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\tx", "\ry"]


# --------------------------------------------------------------------------- 1. no formula in a cell


def test_text_that_would_start_a_formula_gets_the_owasp_prefix_in_a_pack_csv():
    table = pd.DataFrame({"Team": [*HOSTILE, "Wonen"], "Aantal": [1, 2, 3, -4, 5, 6, 7]})
    rows = list(csv.reader(io.StringIO(pack.csv_bytes(table).decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [*("'" + h for h in HOSTILE), "Wonen"]
    assert [r[1] for r in rows[1:]] == ["1", "2", "3", "-4", "5", "6", "7"]  # numbers stay numbers


def test_a_header_that_would_start_a_formula_is_prefixed_too():
    table = pd.DataFrame({"=1+1": ["a"]})
    assert pack.csv_bytes(table).decode("utf-8-sig").splitlines()[0] == "'=1+1"


def test_text_that_would_start_a_formula_is_a_string_cell_in_the_pack_workbook():
    from openpyxl import load_workbook

    table = pd.DataFrame({"Team": HOSTILE, "Aantal": [1, 2, 3, -4, 5, 6]})
    item = pack.PackItem("Cijfers", "cijfers-2024", "=Blad", "=Onderschrift", table)
    sheet = load_workbook(io.BytesIO(pack.xlsx_bytes([item]))).worksheets[0]
    values = [row for row in sheet.iter_rows(values_only=False)]
    every_cell = [cell for row in values for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in every_cell if cell.data_type == "f"]
    texts = [sheet.cell(row=n, column=1).value for n in range(3, 9)]
    assert texts[:5] == HOSTILE[:5] and texts[5].lstrip("\r\n") == "y"  # as text (XML reads CR as LF)
    assert [sheet.cell(row=n, column=2).value for n in range(3, 9)] == [1, 2, 3, -4, 5, 6]
    assert sheet["A1"].value == "=Onderschrift" and sheet["A1"].data_type == "s"


def test_open_data_csv_prefixes_formula_text_keeps_numbers_and_says_so_in_its_metadata():
    columns = (opendata.Column("naam", "Naam", "x"), opendata.Column("aantal", "Aantal", "x", "integer"))
    rows = pd.DataFrame({"naam": ["=1+1", "Wonen"], "aantal": [-3, 4]})
    text = opendata.csv_text(rows, columns)
    assert text.splitlines()[1:] == ["'=1+1,-3", "Wonen,4"]
    metadata = opendata.metadata_text("x.csv", "X", "Beschrijving.", columns)
    assert cells.CSV_NOTE in metadata


def test_woo_csv_prefixes_a_team_and_aard_that_would_start_a_formula(tmp_path):
    register = make_register(
        [
            {"team": '=HYPERLINK("x")', "aard": "@SUM(1)", "datum_afgehandeld": "2024-03-10"},
            {"team": "-2+3", "aard": "+cmd", "datum_afgehandeld": "2024-03-11"},
        ]
    )
    settings = Settings(woo_minimum=1)
    overview = woo.woo_overview(register, settings, woo.year_period(2024), today=date(2025, 1, 1))
    files = dict(woo.overview_files(overview, tmp_path))
    rows = list(csv.reader(io.StringIO(files[tmp_path / "woo" / "klachtoordelen-2024.csv"])))
    written = [cell for row in rows[1:] for cell in row]
    assert not [c for c in written if c.startswith(cells.FORMULA_STARTS)]
    assert {'\'=HYPERLINK("x")', "'@SUM(1)", "'-2+3", "'+cmd"} <= set(written)


# --------------------------------------------------------------------------- 3. only the workbook's own files


def test_a_user_file_where_the_workbook_would_write_is_a_dutch_error_not_an_overwrite(tmp_path):
    from klachtlib.delivery.output import write_set
    from klachtlib.delivery.render import RenderError

    teams = tmp_path / "intern" / "2024" / "teams"
    write_set([(teams / "index.html", "index"), (teams / "wonen.html", "wonen")])
    (teams / "archief.html").write_text("van de gebruiker", encoding="utf-8")
    with pytest.raises(RenderError, match="archief.html bestaat al en is niet door de werkmap gemaakt"):
        write_set([(teams / "index.html", "nieuw"), (teams / "archief.html", "team Archief")])
    assert (teams / "archief.html").read_text(encoding="utf-8") == "van de gebruiker"
    assert (teams / "index.html").read_text(encoding="utf-8") == "index"  # nothing written


def test_a_file_the_workbook_wrote_is_replaced_and_one_it_no_longer_writes_removed(tmp_path):
    from klachtlib.delivery.output import stale_in, write_set

    write_set([(tmp_path / "a.csv", "1"), (tmp_path / "b.csv", "1")])
    (tmp_path / "eigen.csv").write_text("van de gebruiker", encoding="utf-8")
    write_set([(tmp_path / "a.csv", "2")], stale_in(tmp_path, ["a.csv"]))
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["a.csv", "eigen.csv"]


def test_the_old_teams_list_is_read_and_replaced_by_the_folder_list(tmp_path):
    from klachtlib.delivery.output import MANIFEST, owned_names, write_set

    (tmp_path / ".teampaginas-klachten.json").write_text('{"bestanden": ["index.html", "wonen.html"]}')
    (tmp_path / "wonen.html").write_text("oud", encoding="utf-8")
    write_set([(tmp_path / "wonen.html", "nieuw")])
    assert owned_names(tmp_path) == {"index.html", "wonen.html"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "wonen.html"]


# --------------------------------------------------------------------------- 4. a year's files are one set


@pytest.fixture(scope="module")
def kernel():
    from klachtlib import config
    from klachtlib.delivery.render import WarmKernel

    with WarmKernel(config.NOTEBOOKS_DIR) as warm:
        yield warm


def _report(out: Path, kernel, **options):
    from klachtlib import config
    from klachtlib.delivery.pipeline import make_year_report

    return make_year_report(config.DATA_DIR, out, 2024, kernel=kernel, **options)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_the_executed_notebook_is_kept_in_the_internal_tree_never_beside_the_public_page(tmp_path, kernel):
    out = tmp_path / "uit"
    (out / "2024").mkdir(parents=True)
    (out / "2024" / "jaarverslag-klachten-2024.ipynb").write_text("{}", encoding="utf-8")  # an old version's
    _report(out, kernel)
    assert not [p for p in out.rglob("*.ipynb") if "intern" not in p.relative_to(out).parts]
    notebook = out / "intern" / "2024" / "jaarverslag-klachten-2024.ipynb"
    assert '"data_dir"' in notebook.read_text(encoding="utf-8")


def test_a_run_without_pdf_removes_the_years_older_pdf_and_the_index_stops_linking_it(tmp_path, kernel):
    from klachtlib.delivery.output import write_set

    out = tmp_path / "uit"
    _report(out, kernel)
    pdf = out / "2024" / "jaarverslag-klachten-2024.pdf"
    write_set([(pdf, b"%PDF-1.7 oude cijfers")])  # as `report --pdf` left it
    for own in ("bewerkte-tabel-voor-raad-2024.xlsx", "mijn-notities-2024.csv"):
        (out / "2024" / "cijfers" / own).write_text("van de gebruiker", encoding="utf-8")
    written = _report(out, kernel)
    assert not pdf.exists()
    assert "jaarverslag-klachten-2024.pdf" not in (out / "index.html").read_text(encoding="utf-8")
    assert any("de PDF van een eerdere keer is verwijderd" in str(w) for w in written.warnings)
    for own in ("bewerkte-tabel-voor-raad-2024.xlsx", "mijn-notities-2024.csv"):
        assert (out / "2024" / "cijfers" / own).read_text(encoding="utf-8") == "van de gebruiker"


def test_a_pack_that_cannot_be_written_leaves_the_whole_old_set_and_says_so(tmp_path, kernel, monkeypatch):
    import errno

    from klachtlib.delivery import output
    from klachtlib.delivery.render import RenderError

    out = tmp_path / "uit"
    _report(out, kernel)
    page = out / "2024" / "jaarverslag-klachten-2024.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- vorige -->", encoding="utf-8")
    before = _snapshot(out)
    stage = output._stage

    def full_at_the_workbook(path, data, temp):
        if path.suffix == ".xlsx":
            raise OSError(errno.ENOSPC, "No space left on device")
        stage(path, data, temp)

    monkeypatch.setattr(output, "_stage", full_at_the_workbook)
    with pytest.raises(RenderError, match="Eerder gemaakte bestanden zijn ongewijzigd gebleven") as raised:
        _report(out, kernel)
    assert "de schijf is vol" in str(raised.value)
    assert _snapshot(out) == before  # page, notebook, open data, pack and index as they were


# --------------------------------------------------------------------------- 5. no traceback, no hang


def _within(seconds: float, call):
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(1)
    try:
        return pool.submit(call).result(timeout=seconds)
    finally:
        pool.shutdown(wait=False)


def test_odd_entries_in_the_output_tree_are_skipped_never_opened(tmp_path):
    import os

    from klachtlib.delivery.indexes import write_indexes
    from klachtlib.delivery.output import write_set

    out = tmp_path / "uit"
    woo_dir, teams = out / "woo", out / "intern" / "2024" / "teams"
    write_set([(woo_dir / "klachtoordelen-2024.html", "<title>Overzicht klachtoordelen 2024</title>")])
    write_set([(teams / "wonen.html", "<title>Klachtenoverzicht Wonen 2024</title>")])
    for folder in (woo_dir, teams):
        os.mkfifo(folder / "pijp.html")
        (folder / "map.html").mkdir()
        (folder / "weg.html").symlink_to(folder / "bestaat-niet.html")
    _within(20, lambda: write_indexes(out))  # a FIFO opened for its title would wait forever
    public = (out / "index.html").read_text(encoding="utf-8")
    internal = (out / "intern" / "index.html").read_text(encoding="utf-8")
    assert "klachtoordelen-2024.html" in public and "2024/teams/wonen.html" in internal
    for odd in ("pijp.html", "map.html", "weg.html"):
        assert odd not in public and odd not in internal


def test_an_index_html_that_is_a_folder_is_one_dutch_line_and_exit_3(tmp_path):
    from test_cli import run_klachten

    out = tmp_path / "uit"
    (out / "index.html").mkdir(parents=True)
    result = run_klachten("woo", "--jaar", "2024", "--output-dir", str(out), cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert "op de plaats van het bestand staat een map" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (out / "woo").exists()  # the overview and its index are one change


def test_batch_whose_indexes_cannot_be_written_is_a_dutch_error_not_a_traceback(tmp_path, monkeypatch):
    import errno

    from test_cli import invoke

    from klachtlib.delivery import pipeline
    from klachtlib.delivery.output import write_error

    def full(*args, **kwargs):
        raise write_error(tmp_path / "index.html", OSError(errno.EROFS, "Read-only file system"))

    monkeypatch.setattr(pipeline, "run_batch", full)
    monkeypatch.setattr("klachtlib.delivery.cli.run_batch", full, raising=False)
    result = invoke("batch", "--years", "2024", "--output-dir", str(tmp_path))
    assert result.exit_code == 3
    assert "de schijf is alleen-lezen" in result.output and "Read-only" not in result.output


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["woo", "--periode", "0000"], "ligt niet tussen 1900 en 2100"),
        (["woo", "--jaar", "2101"], "geen jaartal tussen 1900 en 2100"),
        (["woo", "--van", "0001-01-01", "--tot", "2024-01-01"], "ligt niet tussen 1900 en 2100"),
        (["report", "--year", "0000"], "geen jaartal tussen 1900 en 2100"),
        (["batch", "--years", "0001-2024"], "geen geldige jarenreeks"),
    ],
)
def test_period_and_date_arguments_are_years_1900_to_2100(tmp_path, args, said):
    from test_cli import invoke

    result = invoke(*args, "--output-dir", str(tmp_path / "uit"))
    assert result.exit_code == 2, result.output
    assert said in result.output and "Traceback" not in result.output


def test_a_contact_count_beyond_twelve_digits_is_a_dutch_problem(tmp_path):
    from klachtlib.reading.contacts import load_contacts

    (tmp_path / "klantcontacten.csv").write_text(
        "jaar,kanaal,aantal\n2024,telefoon,99999999999999999999999\n2024,e-mail,1250\n", encoding="utf-8"
    )
    contacts, problems = load_contacts(tmp_path / "klantcontacten.csv", Settings())
    assert contacts["aantal"].tolist() == [1250]
    assert [p.row for p in problems] == [2] and "geen aannemelijk aantal" in problems[0].message


def test_english_system_text_is_translated_or_quoted_as_such():
    import errno

    from klachtlib.errors import system_reason

    assert system_reason(OSError(errno.EROFS, "Read-only file system")) == "de schijf is alleen-lezen"
    odd = system_reason(OSError(errno.EXDEV, "Invalid cross-device link"))
    assert odd == 'het besturingssysteem meldt (in het Engels): "Invalid cross-device link"'


# --------------------------------------------------------------------------- 6. sizes


def test_a_register_with_ten_thousand_teams_gives_a_readable_team_chart_in_bounded_time():
    import time

    from klachtlib.presentation.charts import MAX_TEAM_BARS, handled_per_team_chart

    teams = range(10_000)
    counts = [1 + 4 * (n % 7 == 0) for n in teams]  # every seventh team has 5, the others 1
    per_team = pd.DataFrame({"team": [f"Team {n:05d}" for n in teams], "aantal": counts})
    start = time.monotonic()
    chart = handled_per_team_chart(per_team, 2024)
    assert time.monotonic() - start < 30  # 10,000 bars took minutes, 2.2 GB and a 23 MB chart
    assert len(chart.table) == MAX_TEAM_BARS and len(chart.png) < 300_000
    assert chart.table.iloc[0].tolist() == ["Team 00000", 5]  # the largest teams first
    other = chart.table.iloc[-1].tolist()
    assert other == ["Overige teams (9.976)", 15_716 - 24 * 5]  # 15,716 complaints in all
    assert "Overige teams" in chart.alt


def test_a_few_teams_keep_one_bar_each():
    from klachtlib.presentation.charts import handled_per_team_chart

    per_team = pd.DataFrame({"team": ["Wonen", "Afval"], "aantal": [3, 5]})
    assert handled_per_team_chart(per_team, 2024).table["Team"].tolist() == ["Afval", "Wonen"]


# --------------------------------------------------------------------------- 2. small numbers, every page


def _small_team_folder(directory: Path, minimum: str = "minimum = 3\n") -> Path:
    from conftest import register_row, write_register_file

    rows = [
        register_row(klacht_id=f"K-{n}", team="Belastingen", aard="lange doorlooptijd") for n in range(1, 5)
    ]
    rows.append(
        register_row(
            klacht_id="K-9",
            team="Archief",
            aard="discriminatie door medewerker",
            behandeling="formeel",
            oordeel="gegrond",
            datum_afgehandeld="2024-10-20",
        )
    )
    directory.mkdir()
    write_register_file(directory, rows)
    (directory / "klachten.toml").write_text(f"[woo]\n{minimum}", encoding="utf-8")
    return directory


def test_what_the_woo_overview_hides_is_not_in_the_year_report_its_pack_or_open_data(tmp_path):
    from openpyxl import load_workbook

    from klachtlib.presentation.report import YearReport
    from klachtlib.reading.register import load_data_folder

    data = _small_team_folder(tmp_path / "data")
    folder = load_data_folder(data)
    overview = woo.woo_overview(folder.register, folder.settings, woo.year_period(2024), today=TODAY)
    archive = overview.rows[overview.rows["organisatieonderdeel"].eq("Archief")]
    assert archive["soort_klacht"].tolist() == ["overig"]  # hidden on the Woo page

    report = YearReport.from_folder(folder, data, 2024, None)
    assert report.figures.per_nature.values.tolist() == [["lange doorlooptijd", 4], ["overig", 1]]
    assert "iscriminatie" not in report.nature_chart.alt
    files = pack.pack_files(report, tmp_path / "uit" / "2024")
    texts = [data.decode("utf-8-sig") for path, data in files if path.suffix == ".csv"]
    workbook = next(data for path, data in files if path.suffix == ".xlsx")
    cells_of = [str(c) for ws in load_workbook(io.BytesIO(workbook)) for row in ws.values for c in row]
    open_data = [text for _, text in opendata.year_files(report.figures, tmp_path, report.measure_figures)]
    for text in [*texts, *cells_of, *open_data]:
        assert "iscriminatie" not in text


def test_the_default_minimum_hides_a_kind_of_complaint_of_fewer_than_five(tmp_path):
    from klachtlib.reading.register import load_data_folder

    folder = load_data_folder(_small_team_folder(tmp_path / "data", minimum=""))
    assert folder.settings.woo_minimum == 5
    overview = woo.woo_overview(folder.register, folder.settings, woo.year_period(2024), today=TODAY)
    assert set(overview.rows["soort_klacht"]) == {"overig"}  # 4 and 1: both fewer than 5


# --------------------------------------------------------------------------- also seen: a stopped run


def test_a_run_stopped_with_sigterm_leaves_no_kernel_connection_file_or_temporary_files(tmp_path):
    import os
    import signal
    import subprocess
    import time

    from test_cli import klachten_command

    from klachtlib import config

    runtime, temp = tmp_path / "runtime", tmp_path / "temp"
    runtime.mkdir()
    temp.mkdir()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "TMPDIR": str(temp)}
    out = tmp_path / "uit"
    run = subprocess.Popen(
        [*klachten_command(), "report", "--data-dir", str(config.DATA_DIR), "--output-dir", str(out)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    connection = lambda: [*runtime.glob("*.json"), *temp.glob("*.json")]  # noqa: E731
    while not connection() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert connection(), "the kernel did not start"
    run.send_signal(signal.SIGTERM)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130 and "Traceback" not in stderr
    assert stderr.strip() == "Afgebroken."
    assert not connection()  # the kernel was shut down: its connection file is gone
    assert not list(temp.iterdir())
