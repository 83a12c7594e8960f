"""Team overviews (report.md "Team overviews"): learning points stay in their own team's page.

The rendered pages are built once per test run (shared by the pytest-xdist workers through
a lock file), with one warm kernel for all of them: three small data folders, each for one
group of rules, rendered with `make_team_overviews` and one `make_year_report`.
"""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import audit_html, require_browser
from conftest import build_once, register_row, write_register_file

from klachtlib import config
from klachtlib.delivery.pipeline import TEAM_MANIFEST, make_team_overviews, make_year_report
from klachtlib.delivery.render import WarmKernel
from klachtlib.delivery.teams import index_html, team_slugs

YEAR = 2024
SLUG = re.compile(r"^[a-z0-9-]+$")

# --------------------------------------------------------------------------- registers

# Rule 1: three teams; every learning point carries a marker naming its team.
WITHDRAWN_POINT = "LEERPUNT-PUB-DELTA"  # on a withdrawn complaint: still its team's point
LEARNING_POINTS = {
    "Belastingen": ["LEERPUNT-BEL-ALFA: bij een aanslag de rekenregel uitleggen", "LEERPUNT-BEL-BETA"],
    "Publiekszaken": ["LEERPUNT-PUB-GAMMA: wachttijd aan de balie melden", WITHDRAWN_POINT],
    "Zorg en jeugd": [],
}
OLD_POINT = "LEERPUNT-BEL-VORIGJAAR"  # Belastingen, but a complaint of 2023
COMPLAINANT = "KLAGER-JANSEN-GEHEIM"  # in columns the reader drops


def marker(point: str) -> str:
    return point.split(":")[0]


def learning_rows() -> list[dict[str, str]]:
    """Per team its points in order of receipt, plus two complaints without a point."""
    rows = []
    for t, (team, points) in enumerate(LEARNING_POINTS.items()):
        for i, point in enumerate([*points, "", ""]):
            row = register_row(
                klacht_id=f"L-{t}{i}",
                datum_ontvangst=f"2024-{i + 2:02d}-1{t}",
                datum_afgehandeld=f"2024-{i + 2:02d}-2{t}",
                team=team,
                leerpunt=point,
                **{"Naam klager": COMPLAINANT, "Omschrijving": f"{COMPLAINANT} schreef"},
            )
            if point == WITHDRAWN_POINT:
                row.update(status="ingetrokken", reden="De klacht betrof een melding", datum_afgehandeld="")
            rows.append(row)
    rows.append(
        register_row(
            klacht_id="L-OUD",
            datum_ontvangst="2023-05-01",
            datum_afgehandeld="2023-05-10",
            team="Belastingen",
            leerpunt=OLD_POINT,
        )
    )
    return rows


# Rule 2: names that are hard to turn into file names and easy to get wrong in HTML.
TRICKY_TEAMS = [
    "Zorg & Jeugd",
    "Zorg/Jeugd",
    "Zorg\\Jeugd",
    "index",
    'Wijkteam "Noord"',
    "<b>Vet</b> & <script>alert(1)</script>",
    "Ruimte en Économie",
    "Ομάδα Α",
    "Team met een heel lange naam die maar doorgaat en doorgaat en doorgaat tot ver voorbij zestig tekens",
]

# Rule 3: one team with complaints exactly at the handling-term boundaries.
TERM_ROWS = [
    # klacht_id, received, closed, verdaagd, behandeling, oordeel, team, status
    ("T-42", "2024-01-02", "2024-02-13", "nee", "formeel", "gegrond", "Belastingen", "afgehandeld"),
    ("T-43", "2024-01-02", "2024-02-14", "nee", "informeel", "", "Belastingen", "afgehandeld"),
    ("T-70", "2024-01-02", "2024-03-12", "ja", "formeel", "ongegrond", "Belastingen", "afgehandeld"),
    ("T-71", "2024-01-02", "2024-03-13", "ja", "formeel", "deels gegrond", "Belastingen", "afgehandeld"),
    ("T-OPEN", "2024-05-01", "", "", "", "", "Belastingen", "in behandeling"),
    ("T-P10", "2024-02-01", "2024-02-11", "nee", "informeel", "", "Publiekszaken", "afgehandeld"),
    ("T-P20", "2024-02-01", "2024-02-21", "nee", "informeel", "", "Publiekszaken", "afgehandeld"),
]


def term_rows() -> list[dict[str, str]]:
    return [
        register_row(
            klacht_id=kid,
            datum_ontvangst=received,
            datum_afgehandeld=closed,
            verdaagd=extended,
            behandeling=treatment,
            oordeel=verdict,
            team=team,
            status=status,
        )
        for kid, received, closed, extended, treatment, verdict, team, status in TERM_ROWS
    ]

    # --------------------------------------------------------------------------- shared build


def _build(root: Path) -> None:
    folders = {
        "leerpunten": learning_rows(),
        "namen": [
            register_row(klacht_id=f"N-{i:02d}", team=team, leerpunt=f"Leerpunt van {team}")
            for i, team in enumerate(TRICKY_TEAMS)
        ],
        "termijnen": term_rows(),
    }
    with WarmKernel(config.NOTEBOOKS_DIR) as kernel:
        for name, rows in folders.items():
            data = root / "data" / name
            data.mkdir(parents=True)
            write_register_file(data, rows)
            make_team_overviews(data, root / "out" / name, YEAR, kernel=kernel)
        make_year_report(root / "data" / "leerpunten", root / "out" / "leerpunten", YEAR, kernel=kernel)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_once(tmp_path_factory, "teamoverzichten", _build)


def pages(built: Path, name: str) -> Path:
    return built / "out" / name / "intern" / str(YEAR) / "teams"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- HTML parsing


class _Page(HTMLParser):
    """Tables (caption -> rows of cell texts), links (href, text) and list items of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[tuple[str, str]] = []
        self.items: list[str] = []
        self.texts: dict[str, list[str]] = {"title": [], "h1": []}
        self._rows: list[list[str]] | None = None
        self._caption: str | None = None
        self._text: list[str] | None = None
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("th", "td", "caption", "li", "a", "title", "h1"):
            self._text = []
            if tag == "a":
                self._href = dict(attrs).get("href")

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        text = " ".join("".join(self._text or []).split())
        if tag in ("th", "td") and self._rows:
            self._rows[-1].append(text)
        elif tag == "caption":
            self._caption = text
        elif tag == "li":
            self.items.append(text)
        elif tag == "a":
            self.links.append((self._href or "", text))
        elif tag in self.texts:
            self.texts[tag].append(text)
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption or ""] = self._rows
            self._rows = None
        if tag in ("th", "td", "caption", "li", "title", "h1"):
            self._text = None


def parse(markup: str) -> _Page:
    page = _Page()
    page.feed(markup)
    return page


# --------------------------------------------------------------------------- 1. learning points


def test_each_team_sees_only_its_own_learning_points(built):
    directory = pages(built, "leerpunten")
    slugs = team_slugs(LEARNING_POINTS)
    all_points = [p for points in LEARNING_POINTS.values() for p in points]
    for team, slug in slugs.items():
        page = read(directory / f"{slug}.html")
        own = LEARNING_POINTS[team]
        assert parse(page).items == own, team  # exactly its own points, as a list, in order
        for point in set(all_points) - set(own):
            assert marker(point) not in page, f"{team} shows another team's point {point!r}"


def test_team_without_learning_points_says_so(built):
    page = read(pages(built, "leerpunten") / "zorg-en-jeugd.html")
    assert "Bij de klachten over Zorg en jeugd uit 2024 zijn geen leerpunten vastgelegd." in page
    assert "LEERPUNT-" not in page


def test_team_overview_holds_only_learning_points_of_the_year(built):
    page = read(pages(built, "leerpunten") / f"{team_slugs(['Belastingen'])['Belastingen']}.html")
    assert "LEERPUNT-BEL-ALFA" in page
    assert OLD_POINT not in page


def test_team_overviews_hold_no_complainant_data(built):
    for page in pages(built, "leerpunten").glob("*.html"):
        assert COMPLAINANT not in read(page), page.name


def test_index_links_every_team_page(built):
    directory = pages(built, "leerpunten")
    links = parse(read(directory / "index.html")).links
    assert links == [(f"{slug}.html", team) for team, slug in team_slugs(LEARNING_POINTS).items()]
    assert all((directory / href).is_file() for href, _ in links)


def test_year_report_counts_learning_points_but_never_shows_them(built):
    year_dir = built / "out" / "leerpunten" / str(YEAR)
    report = read(year_dir / f"jaarverslag-klachten-{YEAR}.html")
    internal = built / "out" / "leerpunten" / "intern" / str(YEAR)
    notebook = read(internal / f"jaarverslag-klachten-{YEAR}.ipynb")
    for point in [*(p for ps in LEARNING_POINTS.values() for p in ps), OLD_POINT]:
        assert marker(point) not in report and marker(point) not in notebook, point
    assert COMPLAINANT not in report and COMPLAINANT not in notebook
    counts = parse(report).tables[f"Aantal vastgelegde leerpunten per team, {YEAR}"]
    assert counts == [["Team", "Aantal leerpunten"], ["Belastingen", "2"], ["Publiekszaken", "2"]]
    assert "Bij de klachten uit 2024 zijn 4 leerpunten vastgelegd, verdeeld over 2 teams." in report


# --------------------------------------------------------------------------- 2. names and slugs


def test_team_slugs_are_distinct_file_name_safe_and_independent_of_order():
    teams = [*TRICKY_TEAMS, "Zorg & jeugd", "Team", "team-index", "Ruimte en Economie"]
    slugs = team_slugs(teams)
    assert list(slugs) == teams
    assert all(SLUG.match(slug) for slug in slugs.values()), slugs
    assert len(set(slugs.values())) == len(teams)
    assert "index" not in slugs.values()  # index.html is the page linking them all
    assert all(len(slug) <= 80 for slug in slugs.values())
    for seed in range(5):
        shuffled = random.Random(seed).sample(teams, len(teams))
        assert team_slugs(shuffled) == slugs
    assert team_slugs(teams) == slugs
    # a name that collides with nothing keeps its readable slug
    assert slugs['Wijkteam "Noord"'] == "wijkteam-noord"
    assert team_slugs(["Ruimte en Économie"]) == {"Ruimte en Économie": "ruimte-en-economie"}


def test_tricky_team_names_get_one_page_each(built):
    directory = pages(built, "namen")
    slugs = team_slugs(TRICKY_TEAMS)
    files = sorted(p.name for p in directory.iterdir() if p.name != TEAM_MANIFEST)
    assert files == sorted([*(f"{slug}.html" for slug in slugs.values()), "index.html"])
    assert len(files) == len(TRICKY_TEAMS) + 1
    for team, slug in slugs.items():
        page = parse(read(directory / f"{slug}.html"))
        assert page.texts["h1"] == [f"Klachtenoverzicht {team} {YEAR}"], slug  # its own team, not another's
        assert page.texts["title"] == [f"Klachtenoverzicht {team} {YEAR}"]
        assert page.items == [f"Leerpunt van {team}"]


def test_team_names_are_escaped_in_pages_and_index(built):
    directory = pages(built, "namen")
    slugs = team_slugs(TRICKY_TEAMS)
    markup_team = TRICKY_TEAMS[5]
    for page_path in directory.glob("*.html"):
        page = read(page_path)
        assert "<b>" not in page and "<script>alert" not in page, page_path.name
        assert "Zorg & Jeugd" not in page, page_path.name  # a raw ampersand
    markup_page = read(directory / f"{slugs[markup_team]}.html")
    assert markup_page.count("&lt;b&gt;Vet&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;") >= 4
    assert "Zorg &amp; Jeugd" in read(directory / f"{slugs['Zorg & Jeugd']}.html")
    index = read(directory / "index.html")
    assert "&lt;b&gt;Vet&lt;/b&gt; &amp; &lt;script&gt;" in index and "Zorg &amp; Jeugd" in index
    links = parse(index).links
    assert sorted(text for _, text in links) == sorted(TRICKY_TEAMS)
    assert sorted(href for href, _ in links) == sorted(f"{slug}.html" for slug in slugs.values())


def test_index_page_escapes_team_names_and_links_by_slug():
    page = index_html(YEAR, {"<i>A</i> & B": "a-b", 'C "D"': "c-d"})
    assert "<i>" not in page
    assert parse(page).links == [("a-b.html", "<i>A</i> & B"), ("c-d.html", 'C "D"')]


# --------------------------------------------------------------------------- 3. the table


def test_team_table_has_the_report_columns_with_days_and_term(built):
    page = parse(read(pages(built, "termijnen") / "belastingen.html"))
    assert page.tables[f"Klachten over Belastingen ontvangen in {YEAR}"] == [
        [
            "Klacht",
            "Ontvangen",
            "Status",
            "Afgehandeld",
            "Behandeling",
            "Oordeel",
            "Dagen tot afhandeling",
            "Binnen termijn",
        ],
        # 6 weeks = 42 days: day 42 is in time, day 43 is late
        ["T-42", "2 januari 2024", "afgehandeld", "13 februari 2024", "formeel", "gegrond", "42", "ja"],
        # informal handling has no verdict: "n.v.t." rather than "onbekend"
        ["T-43", "2 januari 2024", "afgehandeld", "14 februari 2024", "informeel", "n.v.t.", "43", "nee"],
        # extended (verdaagd): 10 weeks = 70 days
        ["T-70", "2 januari 2024", "afgehandeld", "12 maart 2024", "formeel", "ongegrond", "70", "ja"],
        ["T-71", "2 januari 2024", "afgehandeld", "13 maart 2024", "formeel", "deels gegrond", "71", "nee"],
        # still open: no closing date, so no days and no verdict on the term
        [
            "T-OPEN",
            "1 mei 2024",
            "in behandeling",
            "onbekend",
            "onbekend",
            "onbekend",
            "onbekend",
            "onbekend",
        ],
    ]


def test_team_figures_stand_beside_the_whole_municipality(built):
    directory = pages(built, "termijnen")
    municipality = ["7", "6", "42,5 dagen", "66,7%"]  # days 10, 20, 42, 43, 70, 71; 4 of 6 in time
    expected = {
        "Belastingen": ["5", "4", "56,5 dagen", "50%"],  # days 42, 43, 70, 71; 2 of 4 in time
        "Publiekszaken": ["2", "2", "15 dagen", "100%"],
    }
    labels = [
        "Klachten ontvangen",
        "Inhoudelijk afgehandeld",
        "Mediane doorlooptijd",
        "Binnen de termijn afgehandeld",
    ]
    for team, own in expected.items():
        page = parse(read(directory / f"{team.lower()}.html"))
        assert page.tables[f"Klachten {YEAR}: {team} en de hele gemeente"] == [
            ["Kengetal", team, "Hele gemeente"],
            *([label, t, m] for label, t, m in zip(labels, own, municipality, strict=True)),
        ]


# --------------------------------------------------------------------------- 7. in a browser


@pytest.mark.browser
def test_team_overview_and_index_pass_axe_and_load_nothing_from_elsewhere(built):
    require_browser()
    directory = pages(built, "namen")
    markup_page = directory / f"{team_slugs(TRICKY_TEAMS)[TRICKY_TEAMS[5]]}.html"
    for path in (markup_page, pages(built, "termijnen") / "belastingen.html", directory / "index.html"):
        result = audit_html(path)
        assert not result.violations, f"{path.name}: {result.report()}"
        assert not result.external_requests, f"{path.name}: {result.report()}"


def test_pages_of_teams_that_no_longer_exist_are_removed(tmp_path):
    from klachtlib.delivery.pipeline import TEAM_MANIFEST, remove_stale_team_pages

    for name in ("publiekszaken.html", "burgerzaken.html", "index.html", "notities.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    remove_stale_team_pages(tmp_path, ["publiekszaken", "burgerzaken"])  # an earlier run wrote both
    remove_stale_team_pages(tmp_path, ["publiekszaken"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        TEAM_MANIFEST,
        "index.html",
        "notities.txt",
        "publiekszaken.html",
    ]


def test_teams_never_removes_files_it_did_not_write(tmp_path):
    from klachtlib.delivery.pipeline import TEAM_MANIFEST, remove_stale_team_pages

    for name in ("publiekszaken.html", "index.html", "notities-coordinator.html", "oud-team.html"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    remove_stale_team_pages(tmp_path, ["publiekszaken"])  # no list of earlier pages: remove nothing
    (tmp_path / "verslag-wethouder.html").write_text("x", encoding="utf-8")
    remove_stale_team_pages(tmp_path, [])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        TEAM_MANIFEST,
        "index.html",
        "notities-coordinator.html",
        "oud-team.html",
        "verslag-wethouder.html",
    ]


def test_teams_manifest_cannot_point_outside_the_folder(tmp_path):
    from klachtlib.delivery.pipeline import TEAM_MANIFEST, remove_stale_team_pages

    folder = tmp_path / "teams"
    folder.mkdir()
    (tmp_path / "buiten.html").write_text("x", encoding="utf-8")
    (folder / "geheim.txt").write_text("x", encoding="utf-8")
    (folder / TEAM_MANIFEST).write_text(
        '{"bestanden": ["../buiten.html", "geheim.txt", "/etc/hostname", "sub/x.html"]}', encoding="utf-8"
    )
    remove_stale_team_pages(folder, [])
    assert (tmp_path / "buiten.html").exists() and (folder / "geheim.txt").exists()


def test_klachten_teams_keeps_the_coordinators_own_page(tmp_path):
    """End to end: a team that disappears loses its page, the coordinator's notes stay."""
    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    write_register_file(
        data,
        [
            register_row(klacht_id="K-1", team="Publiekszaken"),
            register_row(klacht_id="K-2", team="Belastingen"),
        ],
    )
    first = make_team_overviews(data, out, 2024).path.parent
    (first / "notities-coordinator.html").write_text("<p>mijn notities</p>", encoding="utf-8")
    write_register_file(data, [register_row(klacht_id="K-1", team="Publiekszaken")])
    second = make_team_overviews(data, out, 2024).path.parent
    names = sorted(p.name for p in second.iterdir() if not p.name.startswith("."))
    assert names == ["index.html", "notities-coordinator.html", "publiekszaken.html"]
