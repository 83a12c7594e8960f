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
from browser import audit_html, missing_requirements, rendered_image_widths, require_browser, scroll_width
from bs4 import BeautifulSoup
from seed import NO_CONTACT_DATA, SEED_BULLETS, SEED_NOT_HANDLED, SEED_PER_TEAM, SEED_TOTAL
from test_cli import run_klachten

from klachtlib import config
from klachtlib.delivery.output import MANIFEST
from klachtlib.delivery.pipeline import make_team_overviews, make_year_report
from klachtlib.delivery.render import WarmKernel

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
def test_at_320_css_px_every_chart_is_its_narrow_version_readable_without_scrolling(published):
    """Each chart shows its narrow version (360 px drawn, so 11 pt text stays about 12 px at the
    288 px the page has), fits its region (nothing scrolls sideways), with its alt text and table."""
    from browser import chart_views

    charts = chart_views(year_report(published), 320)
    assert len(charts) >= 5
    for chart in charts:
        assert chart["narrow"] and chart["natural"] == 360, chart
        assert chart["shown"] <= 288 and chart["shown"] / chart["natural"] >= 0.78, chart  # text >= 12 px
        assert not chart["scrolls"] and chart["alt"] and chart["table"], chart


@pytest.mark.browser
def test_on_a_wide_screen_and_on_paper_charts_are_the_full_version(published):
    widths = rendered_image_widths(year_report(published), 1280)
    assert len(widths) >= 5 and all(w >= 640 for w in widths), widths


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
    assert rows["Binnen de wettelijke termijn afgehandeld"][0] == "94,0%"


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
    from klachtlib.delivery.output import stale_in, write_set
    from klachtlib.delivery.pack import PACK_DIR

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
    from klachtlib.delivery.indexes import write_indexes

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
    from klachtlib.delivery.indexes import old_team_pages_warning

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
    from klachtlib.delivery.indexes import write_indexes

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
def test_every_published_page_passes_the_nu_html_checker(published, published_by_meppel):
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
    pages = html_pages(published) + html_pages(published_by_meppel)  # with and without a publisher
    assert len(pages) >= 10
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
    from klachtlib.delivery.pdf import write_pdf

    copy = tmp_path / year_report(published).name
    copy.write_bytes(year_report(published).read_bytes())
    assert write_pdf(copy).read_bytes() == printed.read_bytes()


def test_pdf_print_time_is_replaced_by_a_fixed_time_of_the_same_length():
    from klachtlib.delivery.pdf import stable_dates

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


def test_pdf_gives_up_on_a_chromium_that_does_not_start_within_its_time(tmp_path, monkeypatch):
    """A broken Chromium (here: one that never answers) ends `--pdf` in one Dutch line, exit 3,
    within the launch time (30 s; shortened here), the HTML kept."""
    import time

    from klachtlib.delivery import pdf

    hanging = tmp_path / "chromium"
    hanging.write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")
    hanging.chmod(0o755)
    monkeypatch.setenv("KLACHTEN_CHROMIUM", str(hanging))
    monkeypatch.setattr(pdf, "LAUNCH_TIMEOUT_S", 2)
    page = tmp_path / "r.html"
    page.write_text("<!DOCTYPE html><html lang='nl'><title>t</title><p>x</p></html>", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(pdf.PdfError) as info:
        pdf.write_pdf(page)
    assert time.monotonic() - started < 20
    assert str(info.value).splitlines() == [str(info.value)]
    expected = f"De PDF is niet gemaakt: Chromium ({hanging}) startte niet binnen 2 seconden."
    assert str(info.value).startswith(expected)
    assert not page.with_suffix(".pdf").exists()


def test_report_pdf_with_a_chromium_that_never_starts_exits_3_in_one_dutch_line(tmp_path, monkeypatch):
    hanging = tmp_path / "chromium"
    hanging.write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")
    hanging.chmod(0o755)
    monkeypatch.setenv("KLACHTEN_CHROMIUM", str(hanging))
    result = run_klachten(
        "report", "--year", str(YEAR), "--output-dir", str(tmp_path / "uit"), "--pdf", cwd=tmp_path
    )
    assert result.returncode == 3, result.stderr
    assert "startte niet binnen 30 seconden" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- who publishes, and when

PUBLISHER_TOML = (
    '\n[organisatie]\nnaam = "Gemeente Meppel"\ncontact = "klachten@meppel.nl"\n\n'
    "[publicatie]\ndatum = 2025-03-15\n"
)


@pytest.fixture(scope="module")
def published_by_meppel(tmp_path_factory) -> Path:
    """The sample with [organisatie] naam/contact and [publicatie] datum: year report, Woo page,
    team overviews and the indexes."""
    from klachtlib.delivery.woo import make_woo_overview, year_period

    work = tmp_path_factory.mktemp("meppel")
    data = work / "data"
    shutil.copytree(config.DATA_DIR, data)
    toml = data / "klachten.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + PUBLISHER_TOML, encoding="utf-8")
    out = work / "uit"
    with WarmKernel(config.NOTEBOOKS_DIR) as kernel:
        make_year_report(data, out, YEAR, kernel=kernel)
        make_team_overviews(data, out, YEAR, kernel=kernel)
    make_woo_overview(data, out, year_period(YEAR))
    return out


def test_page_title_colophon_and_description_name_the_publisher(published_by_meppel):
    soup = soup_of(year_report(published_by_meppel))
    assert soup.title.get_text() == f"Jaarverslag klachtenbehandeling {YEAR} \u2013 Gemeente Meppel"
    assert words(soup.find("p", class_="colofon").get_text()) == (
        "Een uitgave van Gemeente Meppel, gepubliceerd op 15 maart 2025. "
        "Vragen over dit verslag: klachten@meppel.nl."
    )
    assert soup.find("p", class_="colofon").a["href"] == "mailto:klachten@meppel.nl"
    assert soup.find("meta", attrs={"name": "description"})["content"] == (
        f"Jaarverslag klachtenbehandeling {YEAR} van Gemeente Meppel: 64 klachten ontvangen in {YEAR}, "
        "waarvan 50 inhoudelijk afgehandeld."
    )


def test_the_woo_page_names_the_publisher_too(published_by_meppel):
    soup = soup_of(published_by_meppel / "woo" / f"klachtoordelen-{YEAR}.html")
    assert soup.title.get_text() == f"Overzicht klachtoordelen {YEAR} \u2013 Gemeente Meppel"
    colophon = words(soup.find("p", class_="colofon").get_text())
    assert "Vragen over dit overzicht: klachten@meppel.nl." in colophon
    assert soup.find("meta", attrs={"name": "description"})["content"].startswith(
        f"Overzicht klachtoordelen {YEAR} van Gemeente Meppel: de klachten die van 1 januari {YEAR}"
    )


def test_without_publisher_settings_a_page_says_nothing_it_does_not_know(published):
    soup = soup_of(year_report(published))
    assert soup.title.get_text() == f"Jaarverslag klachtenbehandeling {YEAR}"
    assert soup.find(class_="colofon") is None
    assert soup.find("meta", attrs={"name": "description"})["content"] == (
        f"Jaarverslag klachtenbehandeling {YEAR}: 64 klachten ontvangen in {YEAR}, "
        "waarvan 50 inhoudelijk afgehandeld."
    )
    assert "gepubliceerd op" not in words(soup.get_text()).lower()


# Every other page kind, as the year report: (page, its title, what the colophon's question is
# about, the meta description with and without [organisatie] naam). The team overview is the
# sample's team Belastingen (8 complaints received in 2024, all 8 handled).
OTHER_PAGES = {
    "openbare index": (
        "index.html",
        "Jaarverslagen klachtenbehandeling",
        "deze verslagen",
        "Jaarverslagen klachtenbehandeling{van}: de jaarverslagen over de klachtenbehandeling (Awb artikel "
        "9:12a) en de Woo-overzichten van klachtoordelen, per jaar.",
    ),
    "interne index": (
        "intern/index.html",
        "Teamoverzichten klachten (intern)",
        "deze overzichten",
        "Teamoverzichten klachten (intern){van}: per jaar de overzichten per team, met de leerpunten; "
        "niet publiceren.",
    ),
    "teamindex": (
        f"intern/{YEAR}/teams/index.html",
        f"Teamoverzichten klachten {YEAR}",
        "deze overzichten",
        f"Teamoverzichten klachten {YEAR}{{van}}, intern: per team de klachten van {YEAR} en de leerpunten; "
        "niet publiceren.",
    ),
    "teamoverzicht": (
        f"intern/{YEAR}/teams/belastingen.html",
        f"Klachtenoverzicht Belastingen {YEAR}",
        "dit overzicht",
        f"Klachtenoverzicht Belastingen {YEAR}{{van}}, intern: 8 klachten ontvangen in {YEAR}, waarvan 8 "
        "inhoudelijk afgehandeld, met de leerpunten.",
    ),
}


@pytest.mark.parametrize("kind", list(OTHER_PAGES))
def test_page_title_colophon_and_description_name_the_publisher_on_every_page_kind(published_by_meppel, kind):
    page, title, about, description = OTHER_PAGES[kind]
    soup = soup_of(published_by_meppel / page)
    assert soup.title.get_text() == f"{title} \u2013 Gemeente Meppel"
    assert soup.h1.get_text().strip() == title
    colophon = soup.find("p", class_="colofon")
    assert words(colophon.get_text()) == (
        "Een uitgave van Gemeente Meppel, gepubliceerd op 15 maart 2025. "
        f"Vragen over {about}: klachten@meppel.nl."
    )
    assert colophon.a["href"] == "mailto:klachten@meppel.nl"
    assert soup.find("meta", attrs={"name": "description"})["content"] == description.format(
        van=" van Gemeente Meppel"
    )


@pytest.mark.parametrize("kind", list(OTHER_PAGES))
def test_without_publisher_settings_no_page_kind_says_what_it_does_not_know(published, kind):
    page, title, _, description = OTHER_PAGES[kind]
    soup = soup_of(published / page)
    assert soup.title.get_text() == title
    assert soup.find(class_="colofon") is None
    assert soup.find("meta", attrs={"name": "description"})["content"] == description.format(van="")
    assert "gepubliceerd op" not in words(soup.get_text()).lower()


def test_the_indexes_name_each_page_without_the_publisher_its_title_carries(published_by_meppel):
    """The page titles name the organisation; the index's link texts stay the team names and titles."""
    internal = [a.get_text() for a in soup_of(published_by_meppel / "intern" / "index.html")("a")]
    assert "Belastingen" in internal and not any("Meppel" in text for text in internal)
    public = [a.get_text() for a in soup_of(published_by_meppel / "index.html").main("a")]
    assert f"Overzicht klachtoordelen {YEAR}" in public
    assert not any("Meppel" in text for text in public if "@" not in text)


@pytest.mark.browser
def test_every_page_kind_with_a_publisher_passes_axe(published_by_meppel):
    require_browser()
    for page in (published_by_meppel / OTHER_PAGES[kind][0] for kind in OTHER_PAGES):
        result = audit_html(page)
        assert not result.violations, f"{page.name}: {result.report()}"
        assert not result.external_requests, f"{page.name}: {result.report()}"


def test_a_publication_date_gives_the_same_bytes_on_every_run(published_by_meppel, tmp_path):
    """[publicatie] datum, never the clock: the page made again is the same page."""
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    toml = data / "klachten.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + PUBLISHER_TOML, encoding="utf-8")
    again = make_year_report(data, tmp_path / "uit", YEAR).path
    assert again.read_bytes() == year_report(published_by_meppel).read_bytes()


# --------------------------------------------------------------------------- PDF/UA-1 and print layout


@pytest.fixture(scope="session")
def printed_2023(tmp_path_factory) -> Path:
    """The sample's 2023 report as a PDF (the year whose layout issue 20 reported)."""
    require_browser()
    require_poppler()
    out = tmp_path_factory.mktemp("publicatie-2023")
    return make_year_report(config.DATA_DIR, out, 2023, pdf=True).path.with_suffix(".pdf")


@pytest.mark.browser
def test_pdf_meets_pdf_ua_1_as_far_as_pikepdf_can_check(printed, printed_2023):
    from pdfua import findings

    for pdf in (printed, printed_2023):
        assert findings(pdf.read_bytes()) == [], pdf.name


@pytest.mark.browser
def test_the_pdf_ua_check_finds_what_chromium_alone_leaves(published):
    """The check itself: Chromium's own tagged PDF has an untagged footer and no PDF/UA XMP."""
    from pdfua import findings

    from klachtlib.delivery.pdf import print_pdf

    require_browser()
    found = findings(print_pdf(year_report(published)))
    assert any("neither tagged nor an artifact" in f for f in found), found
    assert "no pdfuaid:part = 1 in the XMP metadata" in found


@pytest.mark.browser
def test_the_printed_footer_is_an_artifact(printed):
    import pikepdf

    with pikepdf.open(printed) as pdf:
        operations = pikepdf.parse_content_stream(pdf.pages[0])
    names = [str(op) for _, op in operations]
    first_text = names.index("Tj")  # the footer is drawn first
    opened = [i for i, (operands, op) in enumerate(operations[:first_text]) if str(op) == "BMC"]
    assert opened and str(operations[opened[-1]][0][0]) == "/Artifact"


def _printed_and_html(request, year: int):
    if year == YEAR:
        return request.getfixturevalue("printed"), year_report(request.getfixturevalue("published"))
    pdf = request.getfixturevalue("printed_2023")
    return pdf, pdf.with_suffix(".html")


@pytest.mark.browser
@pytest.mark.parametrize("year", [2023, YEAR])
def test_a_printed_tables_caption_and_header_row_stay_with_its_rows(request, year):
    pdf, page = _printed_and_html(request, year)
    texts = [words(t) for t in page_texts(pdf)]
    soup = soup_of(page)
    tables = [t for t in soup("table") if t.caption and t.tbody and not t.find_parent(class_="bestanden")]
    assert len(tables) >= 8
    for table in tables:
        caption = words(table.caption.get_text())
        first_row = words(table.tbody.tr.find(["th", "td"]).get_text()).split()[0]  # a cell may wrap
        pages = [n for n, text in enumerate(texts) if caption in text]
        assert pages, caption
        text = texts[pages[0]]
        assert first_row in text[text.index(caption) :], f"{caption!r}: eerste rij op een andere pagina"


@pytest.mark.browser
@pytest.mark.parametrize("year", [2023, YEAR])
def test_a_sentence_introducing_a_chart_is_printed_on_the_page_of_the_chart(request, year):
    pdf, page = _printed_and_html(request, year)
    texts = [words(t) for t in page_texts(pdf)]
    charts = soup_of(page).select("div.grafiek")
    images = image_pages(pdf)
    assert len(images) == len(charts)
    introduced = 0
    for chart, image_page in zip(charts, images, strict=True):
        before = chart.find_previous_sibling()
        if before is not None and before.name == "p":
            introduced += 1
            assert words(before.get_text()) in texts[image_page - 1], words(before.get_text())
    assert introduced >= 1  # "De 50 afgehandelde klachten hadden betrekking op de volgende teams:"


def page_fill(pdf: Path) -> list[float]:
    """How far down each page's printed area holds anything (0 to 1), from the page drawn at 30 dpi;
    the footer in the bottom margin does not count."""
    import tempfile

    from PIL import Image

    fills = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), f"{folder}/p"], check=True)
        for image_path in sorted(Path(folder).glob("p-*.png")):
            image = Image.open(image_path).convert("L")
            width, height = image.size
            top, bottom = round(height * 57 / 842), round(height * (842 - 71) / 842)  # @page margins
            rows = [y for y in range(top, bottom) if image.crop((0, y, width, y + 1)).getextrema()[0] < 200]
            fills.append(((rows[-1] if rows else top) - top) / (bottom - top))
    return fills


@pytest.mark.browser
@pytest.mark.parametrize("year", [2023, YEAR])
def test_no_printed_page_is_half_empty_except_before_a_section_that_would_not_fit(request, year):
    pdf, page = _printed_and_html(request, year)
    headings = {words(h.get_text()) for h in soup_of(page)("h2")}
    texts = page_texts(pdf)
    for number, fill in enumerate(page_fill(pdf)[:-1], start=1):
        if fill < 0.5:
            next_first = words(next(line for line in texts[number].splitlines() if line.strip()))
            assert next_first in headings, f"pagina {number}: {fill:.0%} gevuld, daarna {next_first!r}"
