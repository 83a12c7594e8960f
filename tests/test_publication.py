"""The publication set: pages that reflow at 320 CSS px and print well, the accessible PDF,
the key figures, the figures pack beside each year report, public and internal trees.

The shipped sample is published once per test process (year report and team overviews into
one output folder) and the tests read what was written.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import missing_requirements, rendered_image_widths, require_browser, scroll_width
from bs4 import BeautifulSoup
from seed import NO_CONTACT_DATA, SEED_BULLETS, SEED_NOT_HANDLED, SEED_PER_TEAM, SEED_TOTAL
from test_cli import run_klachten

from klachtlib import config
from klachtlib.output import MANIFEST
from klachtlib.pipeline import make_team_overviews, make_year_report
from klachtlib.render import WarmKernel

YEAR = 2024


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """`<out>` after `klachten report --pdf` and `klachten teams` for the sample's 2024 (without
    Chromium no PDF: the tests that read it skip)."""
    out = tmp_path_factory.mktemp("publicatie")
    with WarmKernel(config.NOTEBOOKS_DIR) as kernel:
        make_year_report(config.DATA_DIR, out, YEAR, kernel=kernel, pdf=not missing_requirements())
        make_team_overviews(config.DATA_DIR, out, YEAR, kernel=kernel)
    return out


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def year_report(out: Path) -> Path:
    return out / str(YEAR) / f"jaarverslag-klachten-{YEAR}.html"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def words(text: str) -> str:
    return " ".join(text.split())


def require_poppler() -> None:
    """Skip without poppler-utils (pdfinfo, pdftotext, pdfimages); fail in CI."""
    if all(shutil.which(tool) for tool in ("pdfinfo", "pdftotext", "pdfimages")):
        return
    message = "poppler-utils ontbreekt (pdfinfo/pdftotext): `sudo apt-get install poppler-utils`."
    if os.environ.get("KLACHTEN_REQUIRE_BROWSER") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def page_texts(pdf: Path) -> list[str]:
    """The text of every page, in reading order (pdftotext without -layout)."""
    pages = int(pdf_info(pdf)["Pages"])
    return [
        subprocess.run(
            ["pdftotext", "-f", str(i), "-l", str(i), "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for i in range(1, pages + 1)
    ]


def image_pages(pdf: Path) -> list[int]:
    """The page of every image in the PDF, in document order."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [int(line.split()[0]) for line in out.splitlines()[2:] if line.strip()]


# --------------------------------------------------------------------------- 1. reflow


@pytest.mark.browser
def test_no_page_scrolls_sideways_at_320_css_px(published):
    require_browser()
    pages = html_pages(published)
    assert any(p.name.startswith("jaarverslag-klachten") for p in pages)
    assert len(pages) >= 3, pages
    widths = {p.relative_to(published).as_posix(): scroll_width(p, 320) for p in pages}
    assert all(width <= 320 for width in widths.values()), widths


@pytest.mark.browser
def test_charts_keep_a_legible_size_at_320_css_px(published):
    """11 pt chart text on an 800 px image stays at least 12 px: the image keeps >= 40rem (640 px)
    and scrolls sideways in its own region instead of shrinking to 288 px (text about 5 px)."""
    widths = rendered_image_widths(year_report(published), 320)
    assert len(widths) >= 4
    assert all(w >= 640 for w in widths), widths


def test_every_table_scrolls_in_its_own_labelled_focusable_region(published):
    report = published / str(YEAR) / f"jaarverslag-klachten-{YEAR}.html"
    soup = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser")
    tables = soup.find_all("table")
    assert len(tables) >= 5
    for table in tables:
        region = table.parent
        assert region.name == "div" and "tabel-scroll" in region["class"], table.caption
        assert region["role"] == "region" and region["tabindex"] == "0"
        assert region["aria-label"] == table.caption.get_text()


# --------------------------------------------------------------------------- 2. print


@pytest.fixture(scope="session")
def printed(published) -> Path:
    """The year report's PDF as `klachten report --pdf` wrote it (Chromium, print stylesheet)."""
    require_browser()
    require_poppler()
    return year_report(published).with_suffix(".pdf")


FOOTER = re.compile(r"^Pagina \d+ van \d+$")


@pytest.mark.browser
def test_printed_pages_are_numbered(printed):
    texts = page_texts(printed)
    assert len(texts) > 1
    for number, text in enumerate(texts, start=1):
        assert f"Pagina {number} van {len(texts)}" in text, text[-200:]


@pytest.mark.browser
def test_no_heading_ends_a_printed_page(printed, published):
    soup = soup_of(year_report(published))
    headings = [words(h.get_text()) for h in soup.find_all(["h1", "h2", "h3", "h4"])]
    assert "Verloop over de jaren" in headings
    texts = page_texts(printed)
    for number, text in enumerate(texts[:-1], start=1):
        lines = [words(line) for line in text.splitlines() if line.strip() and not FOOTER.match(line.strip())]
        last = lines[-1]
        assert not any(h.endswith(last) for h in headings), f"pagina {number} eindigt met {last!r}"


@pytest.mark.browser
def test_every_printed_chart_is_on_the_page_of_its_table(printed, published):
    soup = soup_of(year_report(published))
    captions = [words(figure.find("caption").get_text()) for figure in soup.select("div.grafiek")]
    pages = image_pages(printed)
    assert len(pages) == len(captions) >= 4
    texts = page_texts(printed)
    for caption, page in zip(captions, pages, strict=True):
        assert caption in words(texts[page - 1]), f"{caption!r} niet op pagina {page} bij de grafiek"


def test_images_have_width_and_height(published):
    images = soup_of(year_report(published)).find_all("img")
    assert images
    for image in images:
        assert int(image["width"]) == 800 and int(image["height"]) > 100, image.get("alt")


# --------------------------------------------------------------------------- 3. accessible PDF


@pytest.mark.browser
def test_pdf_is_tagged_with_the_report_title(printed):
    info = pdf_info(printed)
    assert info["Tagged"] == "yes"
    assert info["Title"] == f"Jaarverslag klachtenbehandeling {YEAR}"


@pytest.mark.browser
def test_pdf_language_is_dutch(printed):
    assert re.search(rb"/Lang\s*\(nl\)", printed.read_bytes())


@pytest.mark.browser
def test_pdf_bookmarks_are_the_report_headings(printed, published):
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-q", str(printed)], capture_output=True, text=True, check=True
    ).stdout
    bookmarks = [words(b) for b in re.findall(r"<item page=\"\d+\">(.*?)</item>", xml)]
    soup = soup_of(year_report(published))
    h2 = [words(h.get_text()) for h in soup("h2") if not h.find_parent(class_="bestanden")]  # not printed
    # Chromium drops the space where a heading wraps: compare without spaces.
    squeezed = [h.replace(" ", "") for h in h2]
    assert [b.replace(" ", "") for b in bookmarks if b.replace(" ", "") in squeezed] == squeezed
    assert "Verloop over de jaren" in bookmarks


@pytest.mark.browser
def test_pdf_text_holds_the_seed_sentences_in_reading_order(printed):
    text = words(" ".join(page_texts(printed)))
    sentences = [SEED_TOTAL, SEED_NOT_HANDLED, *SEED_BULLETS, SEED_PER_TEAM, NO_CONTACT_DATA]
    positions = [text.find(sentence) for sentence in sentences]
    assert -1 not in positions, [s for s, p in zip(sentences, positions, strict=True) if p == -1]
    assert positions == sorted(positions)


def test_report_pdf_without_chromium_says_so_in_dutch_and_keeps_the_html(tmp_path, monkeypatch):
    monkeypatch.setenv("KLACHTEN_CHROMIUM", str(tmp_path / "geen-chromium"))
    result = run_klachten(
        "report", "--year", str(YEAR), "--output-dir", str(tmp_path / "uit"), "--pdf", cwd=tmp_path
    )
    assert result.returncode == 3, result.stderr
    assert "De PDF is niet gemaakt: Chromium is niet gevonden." in result.stderr
    assert "Traceback" not in result.stderr
    html = year_report(tmp_path / "uit")
    assert html.is_file() and f"Het HTML-bestand is wel gemaakt: {html}" in result.stderr
    assert not html.with_suffix(".pdf").exists()


# --------------------------------------------------------------------------- 4. key figures


def test_sample_report_opens_with_the_key_figures_against_last_year(published):
    soup = soup_of(year_report(published))
    assert words(soup.find("h2").get_text()) == "Kerncijfers"
    table = soup.find("table")
    rows = {words(tr.th.get_text()): [words(td.get_text()) for td in tr("td")] for tr in table.tbody("tr")}
    assert rows["Klachten ontvangen"] == ["64", "83"]
    assert rows["Verschil met het jaar ervoor"][0] == "19 minder (\u221222,9%)"
    assert rows["Inhoudelijk afgehandeld"][0] == "50"
    assert rows["Binnen de wettelijke termijn afgehandeld"][0] == "94%"


# --------------------------------------------------------------------------- 5. figures pack


def pack_dir(out: Path) -> Path:
    return out / str(YEAR) / "cijfers"


def downloads_section(out: Path):
    soup = soup_of(year_report(out))
    heading = soup.find("h2", string="Tabellen en grafieken als bestand")
    assert heading is not None
    return heading.find_parent(class_="jp-OutputArea-output")


def test_every_table_of_the_page_is_in_the_pack_as_csv_with_its_dutch_headers(published):
    soup = soup_of(year_report(published))
    page_headers = [[words(th.get_text()) for th in table.thead("th")] for table in soup("table")]
    csvs = sorted(pack_dir(published).glob("*.csv"))
    assert len(csvs) == len(page_headers) == 11
    csv_headers = []
    for path in csvs:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
        csv_headers.append(raw.decode("utf-8-sig").splitlines()[0].split(";"))
    assert sorted(csv_headers) == sorted(page_headers)
    teams = (pack_dir(published) / f"cijfers-klachtenbehandeling-{YEAR}.csv").read_text(encoding="utf-8-sig")
    assert sum(int(line.split(";")[1]) for line in teams.splitlines()[1:]) == 50


def test_every_chart_is_in_the_pack_as_svg_and_png_named_after_its_section(published):
    import base64

    soup = soup_of(year_report(published))
    page_pngs = [base64.b64decode(img["src"].split(",", 1)[1]) for img in soup.select("div.grafiek img")]
    names = [p.stem for p in sorted(pack_dir(published).glob("*.png"))]
    assert sorted(p.stem for p in pack_dir(published).glob("*.svg")) == names
    assert f"verloop-over-de-jaren-{YEAR}" in names and f"cijfers-klachtenbehandeling-{YEAR}" in names
    assert sorted(page_pngs) == sorted((pack_dir(published) / f"{n}.png").read_bytes() for n in names)
    svg = (pack_dir(published) / f"verloop-over-de-jaren-{YEAR}.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "<dc:date>" not in svg


def test_the_workbook_has_one_sheet_per_table_with_numbers_as_numbers(published):
    from openpyxl import load_workbook

    workbook = load_workbook(pack_dir(published) / f"tabellen-klachten-{YEAR}.xlsx")
    assert workbook.sheetnames[0] == "Kerncijfers" and len(workbook.sheetnames) == 11
    teams = workbook["Afgehandeld per team"]
    assert teams["A2"].value == "Team" and teams["B2"].value == "Aantal"
    assert sum(row[1] for row in teams.iter_rows(min_row=3, values_only=True)) == 50
    assert workbook.properties.creator == "klachtlib"


def test_the_page_links_every_file_of_the_pack(published):
    hrefs = {a["href"] for a in downloads_section(published)("a")}
    files = {f"cijfers/{p.name}" for p in pack_dir(published).iterdir() if p.name != MANIFEST}
    assert hrefs == files


def test_same_inputs_give_byte_identical_html_csv_svg_png_and_xlsx(published, tmp_path):
    again = tmp_path / "opnieuw"
    make_year_report(config.DATA_DIR, again, YEAR)
    assert year_report(again).read_bytes() == year_report(published).read_bytes()
    first = {p.name: p.read_bytes() for p in pack_dir(published).iterdir()}
    second = {p.name: p.read_bytes() for p in pack_dir(again).iterdir()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_pack_files_of_a_section_that_is_gone_are_removed_and_only_those(tmp_path):
    """Stale pack files are found by the folder's list of what the workbook wrote, never by a
    pattern: the user's own `bewerkte-tabel-voor-raad-2024.xlsx` stays (issue 18)."""
    from klachtlib.output import stale_in, write_set
    from klachtlib.pack import PACK_DIR

    folder = tmp_path / PACK_DIR
    write_set([(folder / "verloop-over-de-jaren-2024.csv", "x"), (folder / "oud-onderdeel-2024.svg", "x")])
    for name in ("bewerkte-tabel-voor-raad-2024.xlsx", "mijn-notities-2024.csv", "x-2023.csv"):
        (folder / name).write_text("van de gebruiker", encoding="utf-8")
    stale = stale_in(folder, ["verloop-over-de-jaren-2024.csv"])
    assert [p.name for p in stale] == ["oud-onderdeel-2024.svg"]
    write_set([(folder / "verloop-over-de-jaren-2024.csv", "y")], stale)
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "bewerkte-tabel-voor-raad-2024.xlsx",
        "mijn-notities-2024.csv",
        "verloop-over-de-jaren-2024.csv",
        "x-2023.csv",
    ]


# --------------------------------------------------------------------------- 6. public and internal


def test_team_overviews_are_written_to_the_internal_tree_only(published):
    internal = sorted(p.name for p in (published / "intern" / str(YEAR) / "teams").glob("*.html"))
    assert "publiekszaken.html" in internal and "index.html" in internal
    assert not (published / str(YEAR) / "teams").exists()
    public = [p.relative_to(published).as_posix() for p in published.rglob("*.html")]
    expected = ["2024/jaarverslag-klachten-2024.html", "index.html"]
    assert sorted(p for p in public if not p.startswith("intern/")) == expected


def test_every_internal_page_is_noindex_and_visibly_marked_intern(published):
    pages = sorted((published / "intern").rglob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        soup = soup_of(page)
        assert soup.find("meta", attrs={"name": "robots", "content": "noindex"}), page
        marking = soup.find(class_="intern")
        assert marking is not None and words(marking.get_text()).startswith("Intern: niet publiceren"), page


def test_public_pages_are_not_noindex_and_carry_no_intern_marking(published):
    for page in (year_report(published), published / "index.html"):
        soup = soup_of(page)
        assert soup.find("meta", attrs={"name": "robots"}) is None
        assert soup.find(class_="intern") is None


def test_public_index_lists_every_year_and_never_the_internal_tree(published):
    soup = soup_of(published / "index.html")
    hrefs = [a["href"] for a in soup("a")]
    assert f"{YEAR}/jaarverslag-klachten-{YEAR}.html" in hrefs
    assert f"{YEAR}/jaarverslag-klachten-{YEAR}.pdf" in hrefs or missing_requirements()
    assert not any("intern" in href or "teams" in href for href in hrefs)
    assert all((published / href).is_file() for href in hrefs)


def test_internal_index_lists_every_year_and_every_team(published):
    soup = soup_of(published / "intern" / "index.html")
    links = {a.get_text(): a["href"] for a in soup("a")}
    team_pages = {
        p.name for p in (published / "intern" / str(YEAR) / "teams").glob("*.html") if p.name != "index.html"
    }
    assert {href.rsplit("/", 1)[1] for href in links.values()} == team_pages
    assert links["Publiekszaken"] == f"{YEAR}/teams/publiekszaken.html"
    assert [words(h.get_text()) for h in soup("h2")] == [str(YEAR)]


def test_indexes_list_only_what_exists_and_are_rewritten_from_disk(tmp_path):
    from klachtlib.indexes import write_indexes

    for year in (2023, 2024):
        (tmp_path / str(year)).mkdir()
        (tmp_path / str(year) / f"jaarverslag-klachten-{year}.html").write_text("x", encoding="utf-8")
    teams = tmp_path / "intern" / "2024" / "teams"
    teams.mkdir(parents=True)
    (teams / "a-b.html").write_text("<title>Klachtenoverzicht A &amp; B 2024</title>", encoding="utf-8")
    (tmp_path / "notities").mkdir()
    write_indexes(tmp_path)
    public = soup_of(tmp_path / "index.html")
    assert [a["href"] for a in public("a")] == [
        "2024/jaarverslag-klachten-2024.html",
        "2023/jaarverslag-klachten-2023.html",
    ]
    internal = soup_of(tmp_path / "intern" / "index.html")
    assert [(a.get_text(), a["href"]) for a in internal("a")] == [("A & B", "2024/teams/a-b.html")]
    (tmp_path / "2023" / "jaarverslag-klachten-2023.html").unlink()
    write_indexes(tmp_path)
    hrefs = [a["href"] for a in soup_of(tmp_path / "index.html")("a")]
    assert hrefs == ["2024/jaarverslag-klachten-2024.html"]


def test_teams_warns_when_overviews_remain_in_the_old_public_place(tmp_path):
    from klachtlib.indexes import old_team_pages_warning

    assert old_team_pages_warning(tmp_path, 2024) == []
    old = tmp_path / "2024" / "teams"
    old.mkdir(parents=True)
    (old / "publiekszaken.html").write_text("x", encoding="utf-8")
    (warning,) = old_team_pages_warning(tmp_path, 2024)
    assert warning.severity == "waarschuwing"
    assert "Verwijder deze map" in str(warning)
    assert str(tmp_path / "intern" / "2024" / "teams") in str(warning)
    assert (old / "publiekszaken.html").exists()  # nothing of the coordinator's is deleted


def test_public_index_lists_the_woo_overviews_but_not_other_files(tmp_path):
    from klachtlib.indexes import write_indexes

    woo = tmp_path / "woo"
    woo.mkdir()
    title = "<title>Klachtoordelen 2024 (Woo)</title>"
    (woo / "klachtoordelen-2024.html").write_text(title, encoding="utf-8")
    (woo / "klachtoordelen-2024.csv").write_text("x", encoding="utf-8")
    write_indexes(tmp_path)
    links = [(a.get_text(), a["href"]) for a in soup_of(tmp_path / "index.html")("a")]
    assert links == [("Klachtoordelen 2024 (Woo)", "woo/klachtoordelen-2024.html")]
    assert not (tmp_path / "intern").exists()


# --------------------------------------------------------------------------- every page: Nu checker

VNU_JAR = config.PROJECT_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.browser
def test_every_published_page_passes_the_nu_html_checker(published):
    import json

    missing = []
    if not shutil.which("java"):
        missing.append("Java ontbreekt: `sudo apt-get install default-jre-headless`.")
    if not VNU_JAR.is_file():
        missing.append(f"De Nu HTML-checker ontbreekt ({VNU_JAR}): `npm install` in de projectmap.")
    if missing:
        if os.environ.get("KLACHTEN_REQUIRE_BROWSER") == "1":
            pytest.fail(" ".join(missing), pytrace=False)
        pytest.skip(" ".join(missing))
    pages = html_pages(published)
    assert len(pages) >= 5
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages == [], [(m.get("url", "")[-60:], m.get("message")) for m in messages]


@pytest.mark.browser
def test_batch_pdf_prints_each_year_and_lists_it_in_the_index(tmp_path):
    require_browser()
    require_poppler()
    out = tmp_path / "uit"
    result = run_klachten(
        "batch", "--years", str(YEAR), "--jobs", "1", "--pdf", "--output-dir", str(out), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    pdf = year_report(out).with_suffix(".pdf")
    assert pdf_info(pdf)["Tagged"] == "yes"
    hrefs = [a["href"] for a in soup_of(out / "index.html")("a")]
    assert f"{YEAR}/jaarverslag-klachten-{YEAR}.pdf" in hrefs


@pytest.mark.browser
def test_printing_the_same_page_again_gives_the_same_pdf_bytes(printed, published, tmp_path):
    from klachtlib.pdf import write_pdf

    copy = tmp_path / year_report(published).name
    copy.write_bytes(year_report(published).read_bytes())
    assert write_pdf(copy).read_bytes() == printed.read_bytes()


def test_pdf_print_time_is_replaced_by_a_fixed_time_of_the_same_length():
    from klachtlib.pdf import stable_dates

    info = b"<< /Title (x)\n/CreationDate (D:20261130003841+00'00')\n/ModDate (D:20261130003842+00'00') >>"
    fixed = stable_dates(info)
    assert len(fixed) == len(info)
    assert fixed.count(b"(D:20000101000000+00'00')") == 2 and b"2026" not in fixed


@pytest.mark.browser
def test_pdf_holds_no_file_paths_of_the_machine_that_printed_it(printed):
    data = printed.read_bytes()
    assert b"file:" not in data and str(printed.parent).encode() not in data
    assert "Tabellen en grafieken als bestand" not in " ".join(page_texts(printed))


@pytest.mark.browser
def test_pdf_tags_every_chart_as_a_figure_with_its_alt_text(printed, published):
    charts = soup_of(year_report(published)).select("div.grafiek img")
    data = printed.read_bytes()
    assert len(charts) >= 4
    for image in charts:
        # A PDF string escapes its parentheses: '(deels)' is written '\\(deels\\)'.
        start = image["alt"][:60].replace("(", "\\(").replace(")", "\\)").encode("latin-1")
        assert b"/Alt (" + start in data, image["alt"][:60]


def test_klachten_woo_regenerates_the_public_index(tmp_path):
    out = tmp_path / "uit"
    result = run_klachten("woo", "--jaar", str(YEAR), "--output-dir", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    hrefs = [a["href"] for a in soup_of(out / "index.html")("a")]
    assert hrefs == [f"woo/klachtoordelen-{YEAR}.html"]
