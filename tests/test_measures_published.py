"""Measures in the published pages (issue 23): the team overviews list them, the year's internal
index counts them per team, the public report states counts only, and nothing of maatregelen.csv
but counts reaches any public file (page, executed notebook, open data, figures pack, Woo).

The pages are built once per test run (shared by the pytest-xdist workers): one data folder
with a measures list full of canaries, and the same register without the list.
"""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from pathlib import Path

import pytest
from browser import audit_html, require_browser
from bs4 import BeautifulSoup
from conftest import build_once, register_row, write_register_file

from klachtlib import config
from klachtlib.delivery.pipeline import make_team_overviews, make_year_report
from klachtlib.delivery.render import WarmKernel
from klachtlib.delivery.woo import make_woo_overview, year_period

YEAR = 2024


def marker(label: str) -> str:
    """A token that can only reach a page by leaking from maatregelen.csv."""
    return f"mrk{uuid.uuid5(uuid.NAMESPACE_URL, 'klachtlib-maatregelen/' + label).hex}"


def register_rows() -> list[dict[str, str]]:
    rows = [
        register_row(klacht_id=f"B-{i}", team="Belastingen", datum_ontvangst=f"2024-0{i}-03",
                     datum_afgehandeld=f"2024-0{i}-20", leerpunt=f"Leerpunt belastingen {i}")
        for i in range(1, 4)
    ]  # fmt: skip
    rows += [
        register_row(klacht_id="W-1", team="Wonen", datum_ontvangst="2024-02-05",
                     datum_afgehandeld="2024-02-25"),
        register_row(klacht_id="O-1", team="Belastingen", datum_ontvangst="2023-05-03",
                     datum_afgehandeld="2023-05-20", leerpunt="Leerpunt uit 2023"),
        register_row(klacht_id="A-1", team="Afval", datum_ontvangst="2023-06-03",  # no complaint in 2024
                     datum_afgehandeld="2023-06-20", leerpunt="Leerpunt van Afval"),
    ]  # fmt: skip
    return rows


# (team, leerpunt, klacht_id, jaar, status, datum_afgerond): text columns get canaries below
MEASURES = [
    ("Belastingen", "", "B-1", "", "afgerond", "2024-04-15"),
    ("Belastingen", "", "B-2", "", "in uitvoering", ""),
    ("Belastingen", "", "B-3", "", "open", ""),
    ("Belastingen", "", "O-1", "", "open", ""),  # 2023, still running: carried over, listed first
    ("Belastingen", "Een eigen leerpunt", "", "2023", "afgerond", "2024-03-01"),  # carried, done in 2024
    ("Wonen", "Een leerpunt van Wonen", "", "2024", "afgerond", "2024-08-01"),
    ("Afval", "", "A-1", "", "open", ""),  # a team without complaints in 2024, with a running measure
]
HEADER = [
    "Team",
    "Leerpunt",
    "Klacht ID",
    "Jaar",
    "Maatregel",
    "Eigenaar",
    "Status",
    "Datum afgerond",
    "Opmerking",
]


def measure_lines() -> tuple[str, list[str]]:
    """maatregelen.csv, and every canary in it (leerpunt, maatregel, eigenaar, an unread column)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    canaries = []
    for n, (team, point, klacht_id, year, status, closed) in enumerate(MEASURES):
        texts = {
            "leerpunt": f"{point} {marker(f'leerpunt-{n}')}" if point else "",
            "maatregel": f"Maatregel {marker(f'maatregel-{n}')}",
            "eigenaar": f"Teamleider {marker(f'eigenaar-{n}')}",
            "opmerking": marker(f"opmerking-{n}"),
        }
        canaries += [t.split()[-1] for t in texts.values() if t]
        writer.writerow(
            [team, texts["leerpunt"], klacht_id, year, texts["maatregel"], texts["eigenaar"], status, closed,
             texts["opmerking"]]
        )  # fmt: skip
    return buffer.getvalue(), canaries


def _build(root: Path) -> None:
    text, _ = measure_lines()
    with WarmKernel(config.NOTEBOOKS_DIR) as kernel:
        for name in ("met", "zonder"):
            data = root / "data" / name
            data.mkdir(parents=True)
            write_register_file(data, register_rows())
            if name == "met":
                (data / "maatregelen.csv").write_text(text, encoding="utf-8")
            out = root / "out" / name
            make_year_report(data, out, YEAR, kernel=kernel)
            make_team_overviews(data, out, YEAR, kernel=kernel)
            make_woo_overview(data, out / "woo", year_period(YEAR))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_once(tmp_path_factory, "maatregelen", _build)


def teams_dir(built: Path, name: str) -> Path:
    return built / "out" / name / "intern" / str(YEAR) / "teams"


def report(built: Path, name: str) -> Path:
    return built / "out" / name / str(YEAR) / f"jaarverslag-klachten-{YEAR}.html"


def contents(path: Path) -> str:
    """A file's text; a workbook's XML parts (zip-compressed on disk) unpacked."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as workbook:
            return "".join(workbook.read(name).decode("utf-8", "replace") for name in workbook.namelist())
    return path.read_bytes().decode("utf-8", "replace")


def text_of(path: Path) -> str:
    return " ".join(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text().split())


def rows_of(path: Path, caption: str) -> list[list[str]]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    table = next(t for t in soup.find_all("table") if t.caption and t.caption.get_text() == caption)
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]


# --------------------------------------------------------------------------- public: counts only


def test_nothing_from_maatregelen_csv_but_counts_reaches_any_public_file(built):
    _, canaries = measure_lines()
    out = built / "out" / "met"
    public = [p for p in out.rglob("*") if p.is_file() and "intern" not in p.relative_to(out).parts]
    kinds = {p.suffix for p in public}
    assert {".html", ".csv", ".json", ".xlsx", ".svg"} <= kinds  # page, open data, pack
    assert ".ipynb" not in kinds  # the executed notebook is in the internal tree (issue 20)
    assert any(p.parent.name == "woo" for p in public)
    for path in public:
        leaked = [c for c in canaries if c in contents(path)]
        assert not leaked, f"{path.relative_to(out)} bevat tekst uit maatregelen.csv: {leaked}"


def test_the_public_report_states_the_counts_of_the_measures(built):
    page = text_of(report(built, "met"))
    assert (
        "Bij de leerpunten uit 2024 zijn 4 maatregelen vastgelegd; 2 daarvan zijn afgerond, 2 lopen nog."
        in page
    )
    assert (
        "Van de 3 maatregelen uit eerdere jaren die begin 2024 nog liepen, is er 1 in 2024 afgerond." in page
    )


def test_the_open_data_holds_the_same_counts(built):
    rows = list(
        csv.reader(report(built, "met").with_name(f"jaarcijfers-klachten-{YEAR}.csv").open(encoding="utf-8"))
    )
    counted = {row[1]: row[4] for row in rows if row[1].startswith("maatregelen")}
    assert counted == {
        "maatregelen": "4",
        "maatregelen_afgerond": "2",
        "maatregelen_lopend": "2",
        "maatregelen_eerdere_jaren": "3",
        "maatregelen_eerdere_jaren_afgerond": "1",
    }


def test_without_the_file_nothing_about_measures_is_claimed(built):
    page = text_of(report(built, "zonder"))
    assert "maatregel" not in page.lower()
    opendata = (
        report(built, "zonder").with_name(f"jaarcijfers-klachten-{YEAR}.csv").read_text(encoding="utf-8")
    )
    assert "maatregel" not in opendata
    for path in teams_dir(built, "zonder").glob("*.html"):
        assert "maatregel" not in text_of(path).lower(), path.name


# --------------------------------------------------------------------------- internal


def test_a_team_overview_lists_its_measures_carried_over_running_ones_first(built):
    page = teams_dir(built, "met") / "belastingen.html"
    caption = f"Maatregelen van Belastingen: lopend uit eerdere jaren en bij de leerpunten uit {YEAR}"
    rows = rows_of(page, caption)
    assert rows[0] == ["Leerpunt uit", "Klacht", "Leerpunt", "Maatregel", "Eigenaar", "Status", "Afgerond op"]
    assert [(r[0], r[1], r[5]) for r in rows[1:]] == [
        ("2023", "O-1", "open"),
        ("2023", "niet ingevuld", "afgerond"),
        ("2024", "B-2", "in uitvoering"),
        ("2024", "B-3", "open"),
        ("2024", "B-1", "afgerond"),
    ]
    assert rows[1][2] == "Leerpunt uit 2023"  # a complaint's own learning point, from the register
    assert (
        rows[1][3] == f"Maatregel {marker('maatregel-3')}"
        and rows[1][4] == f"Teamleider {marker('eigenaar-3')}"
    )
    assert rows[5][6] == "15 april 2024"


def test_a_team_sees_only_its_own_measures_and_never_an_unread_column(built):
    belastingen = (teams_dir(built, "met") / "belastingen.html").read_text(encoding="utf-8")
    wonen = (teams_dir(built, "met") / "wonen.html").read_text(encoding="utf-8")
    assert marker("maatregel-5") in wonen and marker("maatregel-5") not in belastingen
    assert marker("maatregel-0") in belastingen and marker("maatregel-0") not in wonen
    for page in (belastingen, wonen):
        assert all(marker(f"opmerking-{n}") not in page for n in range(len(MEASURES)))


def test_a_team_without_complaints_but_with_a_running_measure_gets_its_overview(built):
    page = teams_dir(built, "met") / "afval.html"
    assert f"In {YEAR} zijn over Afval geen klachten ontvangen." in text_of(page)
    assert marker("maatregel-6") in page.read_text(encoding="utf-8")
    assert not (teams_dir(built, "zonder") / "afval.html").exists()


def test_the_years_index_counts_open_and_completed_measures_per_team(built):
    index = teams_dir(built, "met") / "index.html"
    assert rows_of(index, f"Maatregelen per team: open en afgerond in {YEAR}") == [
        ["Team", "Open of in uitvoering", f"Afgerond in {YEAR}"],
        ["Afval", "1", "0"],
        ["Belastingen", "3", "2"],
        ["Wonen", "0", "1"],
    ]
    _, canaries = measure_lines()
    for path in (index, built / "out" / "met" / "intern" / "index.html"):
        assert not [c for c in canaries if c in path.read_text(encoding="utf-8")], path


@pytest.mark.browser
def test_a_team_overview_with_measures_and_its_index_pass_axe(built):
    require_browser()
    for name in ("belastingen.html", "afval.html", "index.html"):
        path = teams_dir(built, "met") / name
        result = audit_html(path)
        assert not result.violations, f"{path.name}: {result.report()}"
        assert not result.external_requests, f"{path.name}: {result.report()}"
