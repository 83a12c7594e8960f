"""The published year report, end to end: `make_year_report` on real data folders.

The sample 2024 report must read like the municipality's own 2024 section
(shared/seed/cijfers-klachtenbehandeling-2024.txt, quoted below so the tests need nothing
outside the repository), with no personal data, escaped data values, the same bytes on every
run, and accessible in a real browser. Rendering costs seconds, so each rendered report is a
session fixture shared by the tests that read it (one render per xdist worker).
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from browser import audit_html, require_browser
from bs4 import BeautifulSoup
from conftest import register_row, write_register_file
from seed import NO_CONTACT_DATA, SEED_BULLETS, SEED_NOT_HANDLED, SEED_PER_TEAM, SEED_TOTAL

from klachtlib import config
from klachtlib.delivery.output import MANIFEST
from klachtlib.delivery.pipeline import make_year_report, year_report_path
from klachtlib.delivery.render import RenderError, execute_notebook, render_html
from klachtlib.presentation.report import report_title

# --------------------------------------------------------------------------- the seed, verbatim

SEED_PREVENTED = "door 15 geregistreerde situaties waarin een klacht is voorkomen"
SEED_NARRATIVE = {
    "Wijze van klachtbehandeling": (
        "De procedure klachtbehandeling is opnieuw vastgesteld (Raadsbesluit 28 maart 2024). "
        "Samengevat verloopt het proces als volgt: na ontvangst van de klacht maakt de "
        "klachtencoördinator met de klager een beoordeling of de klacht informeel of formeel kan "
        "worden behandeld. In het geval van informele behandeling gaat de klachtencoördinator na "
        "welke stappen en van wie nodig zijn om de klacht zorgvuldig af te handelen. De klager "
        "heeft altijd de mogelijkheid om zijn/haar klacht alsnog formeel te laten behandelen. In "
        "het geval van formele klachtbehandeling wijst de klachtencoördinator de klacht toe aan "
        "een klachtbehandelaar. Hij/zij voert samen met de klachtencoördinator het klachtonderzoek "
        "uit. Tot slot adviseert de klachtencoördinator de klachtbehandelaar over de beoordeling "
        "van de klacht en ontvangt de klager en betrokken medewerker een klachtafhandelingsbrief "
        "namens de klachtbehandelaar/het college."
    ),
    "Algemeen beeld klachten": (
        "De ontvangen klachten zijn zeer uiteenlopend van aard. Een deel vloeit voort uit het feit "
        "dat een inwoner geen oplossing heeft gekregen voor een probleem. Een proces duurt lang of "
        "het is onduidelijk wat er met een verzoek/vraag is gebeurd. Een reactie blijft (te lang) "
        "uit. Er is onvrede over het contact/de wijze van communiceren. Soms is er geen klik in de "
        "communicatie met een medewerker en ontstaat er over en weer onbegrip."
    ),
    "Daling aantal klachten": (
        "Het aantal klachten is gedaald. In de eerste plaats komt dat omdat afdelingen continu "
        "bezig zijn met het verbeteren van processen. Verder is de daling mogelijk te verklaren "
        "door 15 geregistreerde situaties waarin een klacht is voorkomen. Een inwoner legde "
        "contact met de klachtencoördinator en is door een medewerker van een antwoord/reactie "
        "voorzien. Tot slot is tussentijds met een afdeling waar in de zomerperiode een stijging "
        "van klachten ontstond door niet tijdig reageren gereflecteerd. Daarna is weer tijdig "
        "gereageerd."
    ),
    "Reflectie op klachten": (
        "Bij klachtbehandeling wordt ook onderzocht wat de gemeente anders had kunnen doen. De "
        "uitkomsten worden meegenomen in de verbetering van de dienstverlening en processen. De "
        "klachtencoördinator houdt een overzicht bij van leerpunten vanuit klachtbehandeling. In "
        "het eerste kwartaal van het jaar ontvangen de teammanagers een overzicht van behandelde "
        "klachten in zijn/haar team, inclusief het overzicht van de leerpunten. Als het nodig is, "
        "vindt een reflecterend gesprek plaats tussen de teammanager/het team en de "
        "klachtencoördinator."
    ),
    "Ervaringen klachtbehandeling": (
        "Over het algemeen voelen inwoners zich bij klachtbehandeling gehoord. Ze ervaren de "
        "klachtbehandeling als zorgvuldig en duidelijk, en vinden het fijn wanneer de gemeente er "
        "ook iets van leert. In sommige gevallen is een inwoner niet tevreden. Dit is meestal "
        "wanneer het beleid niet verandert door de klachtbehandeling. In een geval gaf de inwoner "
        "aan niet blij te zijn met de uitkomst, maar wel heel tevreden over de tactvolle "
        "klachtbehandeling."
    ),
}

# shared/spec/report.md, "Sections, in order", for the sample's falling 2024.
SECTION_HEADINGS = [
    "Kerncijfers",
    "Cijfers klachtenbehandeling 2024",
    "Ontvangen, afgesloten en openstaande klachten",
    "Wijze van klachtbehandeling",
    "Getoetst aan de behoorlijkheidsnormen",
    "Algemeen beeld klachten",
    "Daling aantal klachten",
    "Reflectie op klachten",
    "Ervaringen klachtbehandeling",
    "Klachten afgezet tegen het aantal klantcontacten",
    "Klachten per 10.000 inwoners",
    "Verloop over de jaren",
    "Rekenregels",
    "Tabellen en grafieken als bestand",
]


# --------------------------------------------------------------------------- helpers


def notebook_of(html: Path) -> Path:
    """Where the report's executed notebook is kept: the internal tree (`<out>/intern/2024/`)."""
    return html.parent.parent / "intern" / html.parent.name / html.with_suffix(".ipynb").name


def normalise(text: str) -> str:
    return " ".join(text.split())


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def visible_text(html: str) -> str:
    """What a reader sees in the page body, whitespace-normalised (no CSS, no <head>)."""
    body = parse(html).body
    assert body is not None, "de pagina heeft geen <body>"
    for hidden in body(["style", "script", "template"]):
        hidden.decompose()
    return normalise(body.get_text(" "))


def section_after(soup: BeautifulSoup, heading: str, name: str):
    """The first `name` element after the <h2> `heading` and before the next <h2>."""
    h2 = next((h for h in soup.find_all("h2") if normalise(h.get_text()) == heading), None)
    assert h2 is not None, f"kop {heading!r} ontbreekt"
    for element in h2.find_all_next(["h2", name]):
        if element.name == name:
            return element
        if element.name == "h2":
            break
    return None


# --------------------------------------------------------------------------- sample 2024 report


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory) -> Path:
    """The shipped sample's 2024 report, rendered once per test process."""
    written = make_year_report(config.DATA_DIR, tmp_path_factory.mktemp("sample"), 2024)
    return written.path


@pytest.fixture(scope="session")
def sample_html(sample_report) -> str:
    return sample_report.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_text(sample_html) -> str:
    return visible_text(sample_html)


def test_sample_report_is_written_with_its_notebook_beside_it(sample_report):
    assert sample_report.name == "jaarverslag-klachten-2024.html"
    assert sample_report.parent.name == "2024"
    assert notebook_of(sample_report).is_file()  # in the internal tree, not beside the page (issue 20)
    assert sorted(p.name for p in sample_report.parent.iterdir()) == [
        MANIFEST,  # the files the workbook wrote here: the only ones it replaces
        "cijfers",  # the figures pack (tests/test_publication.py)
        "jaarcijfers-klachten-2024.csv",  # the figures as open data (tests/test_opendata.py)
        "jaarcijfers-klachten-2024.csv-metadata.json",
        "jaarverslag-klachten-2024.html",
    ]


def test_sample_report_has_the_seeds_totals_sentence(sample_text):
    assert SEED_TOTAL in sample_text


def test_sample_report_has_the_seeds_not_handled_sentence(sample_text):
    assert SEED_NOT_HANDLED in sample_text


def test_sample_report_has_the_seeds_reason_bullets_in_order(sample_html, sample_text):
    soup = parse(sample_html)
    lists = [[normalise(li.get_text()) for li in ul.find_all("li")] for ul in soup.find_all("ul")]
    assert SEED_BULLETS in lists, f"geen opsomming met precies de redenen van de seed; gevonden: {lists}"
    # ... and right after the not-handled sentence.
    start = sample_text.index(SEED_NOT_HANDLED) + len(SEED_NOT_HANDLED)
    assert sample_text[start:].startswith(" " + " ".join(SEED_BULLETS))


def test_sample_report_has_the_seeds_per_team_sentence(sample_text):
    assert SEED_PER_TEAM in sample_text
    assert sample_text.index(SEED_PER_TEAM) > sample_text.index(SEED_BULLETS[-1])


def test_sample_per_team_table_sums_to_the_50_handled_complaints(sample_html):
    soup = parse(sample_html)
    table = section_after(soup, "Cijfers klachtenbehandeling 2024", "table")
    assert table is not None, "geen tabel met de afgehandelde klachten per team"
    rows = [[normalise(c.get_text()) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
    header, *body = rows
    assert header[:2] == ["Team", "Aantal"]
    assert len(body) >= 2
    counts = [int(row[1]) for row in body]
    assert sum(counts) == 50
    assert counts == sorted(counts, reverse=True)  # largest team first, as in the chart
    assert len({row[0] for row in body}) == len(body)  # every team once


def test_team_table_gives_every_upheld_share_one_decimal_as_kerncijfers_does(tmp_path):
    """One precision per column (issue 20, item 8): "50,0%" beside "33,3%", never "50%"."""
    from klachtlib.domain.counts import year_figures
    from klachtlib.presentation.report import team_table
    from klachtlib.reading.register import load_data_folder

    def formal(number: int, team: str, verdict: str) -> dict[str, str]:
        return register_row(klacht_id=f"K-{number:03d}", team=team, behandeling="formeel", oordeel=verdict)

    rows = [
        formal(1, "Burgerzaken", "gegrond"),
        formal(2, "Burgerzaken", "ongegrond"),
        formal(3, "Belastingen", "deels gegrond"),
        formal(4, "Belastingen", "ongegrond"),
        formal(5, "Belastingen", "ongegrond"),
    ]
    write_register_file(tmp_path, rows)
    folder = load_data_folder(tmp_path)
    table = team_table(year_figures(folder.register, folder.contacts, folder.settings, 2024))
    shares = dict(zip(table["Team"], table["(Deels) gegrond, van de formele oordelen"], strict=True))
    assert shares == {"Belastingen": "1 van 3 (33,3%)", "Burgerzaken": "1 van 2 (50,0%)"}


def test_sample_report_restores_the_two_charts_the_seed_lost(sample_html):
    soup = parse(sample_html)
    per_team = section_after(soup, "Cijfers klachtenbehandeling 2024", "img")
    contacts = section_after(soup, "Klachten afgezet tegen het aantal klantcontacten", "img")
    assert per_team is not None and "per team" in per_team["alt"] and "50" in per_team["alt"]
    assert contacts is not None and "klantcontacten" in contacts["alt"]


@pytest.mark.parametrize("section", list(SEED_NARRATIVE))
def test_sample_report_has_the_seeds_narrative(sample_text, section):
    assert SEED_NARRATIVE[section] in sample_text


def test_sample_narrative_placeholder_gives_the_15_prevented_complaints(sample_text):
    assert SEED_PREVENTED in sample_text
    assert "{{" not in sample_text and "}}" not in sample_text


def test_sample_report_says_which_contact_channels_lack_data(sample_text):
    assert NO_CONTACT_DATA in sample_text


def test_sample_report_sections_follow_the_spec_order(sample_html):
    soup = parse(sample_html)
    assert [normalise(h.get_text()) for h in soup.find_all("h2")] == SECTION_HEADINGS
    h1 = soup.find_all("h1")
    assert len(h1) == 1 and "2024" in h1[0].get_text()
    # Each narrative follows its own heading, not some other section's.
    text = visible_text(sample_html)
    for section, paragraph in SEED_NARRATIVE.items():
        heading_at = text.index(section)
        next_headings = [text.index(h) for h in SECTION_HEADINGS if text.index(h) > heading_at]
        assert heading_at < text.index(paragraph) < min(next_headings), section


def test_sample_report_is_dutch_and_has_a_title(sample_html):
    soup = parse(sample_html)
    assert soup.html is not None and soup.html.get("lang") == "nl"
    assert re.search(r"<html\b[^>]*\blang=\"nl\"", sample_html)
    title = soup.title.get_text(strip=True) if soup.title else ""
    assert "2024" in title and "lachten" in title


def test_sample_report_shows_no_code_prompts_or_tracebacks(sample_html, sample_text):
    for fragment in ("In [", "In\xa0[", "import ", "_html()", "YearReport", "Traceback", "Out["):
        assert fragment not in sample_text, fragment
    soup = parse(sample_html)
    body = str(soup.body)  # the stylesheet's comments may name the package
    for fragment in ("Traceback", "_html()", "klachtlib", "Error:", "Warning:"):
        assert fragment not in body, fragment
    stderr = ".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']"
    assert not soup.select(f".jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt, {stderr}")


# --------------------------------------------------------------------------- reproducibility


def test_same_inputs_give_byte_identical_html(sample_report, tmp_path):
    again = make_year_report(config.DATA_DIR, tmp_path / "again", 2024).path
    assert again != sample_report
    assert again.read_bytes() == sample_report.read_bytes()
    assert notebook_of(again).read_bytes() == notebook_of(sample_report).read_bytes()


def test_the_notebook_run_on_its_own_gives_the_same_page(sample_report, tmp_path):
    """`klachten report` runs the notebook in a kernel started early and makes the downloads in
    it afterwards; the notebook run on its own in a fresh kernel gives the same bytes."""
    alone = execute_notebook(
        config.YEAR_NOTEBOOK,
        {"year": 2024, "data_dir": str(config.DATA_DIR.resolve())},
        cwd=config.NOTEBOOKS_DIR,
    )
    assert render_html(alone, report_title(2024)).encode("utf-8") == sample_report.read_bytes()


# --------------------------------------------------------------------------- privacy and escaping


def marker(label: str) -> str:
    """A uuid-like token that can only reach the HTML by leaking from the register."""
    return f"mrk{uuid.uuid5(uuid.NAMESPACE_URL, 'klachtlib-test/' + label).hex}"


PERSONAL_COLUMNS = ["Naam klager", "Adres", "Omschrijving", "E-mail", "BSN"]
EVIL_TEAM = "<script>alert(1)</script> & <b>Co</b>"
EVIL_REASON = "De klacht ging over <i>cursief</i> & meer"


def hostile_rows() -> list[dict[str, str]]:
    """A 2024 register with personal data in extra columns, learning points, and HTML in values."""
    rows = [
        register_row(klacht_id="K-001", team=EVIL_TEAM, behandeling="formeel", oordeel="gegrond"),
        register_row(klacht_id="K-002", team=EVIL_TEAM),
        register_row(klacht_id="K-003", team=EVIL_TEAM, datum_ontvangst="2024-05-02", datum_afgehandeld=""),
        register_row(klacht_id="K-004", team="Belastingen", aard="lange doorlooptijd"),
        register_row(
            klacht_id="K-005", status="ingetrokken", team="", reden=EVIL_REASON, datum_afgehandeld=""
        ),
        register_row(
            klacht_id="K-006", status="ingetrokken", team="", reden=EVIL_REASON, datum_afgehandeld=""
        ),
        register_row(klacht_id="K-007", status="voorkomen", team="", datum_afgehandeld=""),
    ]
    for number, row in enumerate(rows, start=1):
        for column in PERSONAL_COLUMNS:
            row[column] = marker(f"{column}-{number}")
        if row["status"] == "afgehandeld":
            row["leerpunt"] = f"Bel voortaan eerder terug {marker(f'leerpunt-{number}')}"
    return rows


def markers_in(rows: list[dict[str, str]]) -> list[str]:
    return [
        token for row in rows for value in row.values() for token in re.findall(r"mrk[0-9a-f]{32}", value)
    ]


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory) -> tuple[Path, list[str]]:
    """The 2024 report of `hostile_rows` and every marker in its register."""
    data = tmp_path_factory.mktemp("hostile-data")
    rows = hostile_rows()
    write_register_file(data, rows)
    markers = markers_in(rows)
    html = make_year_report(data, tmp_path_factory.mktemp("hostile-out"), 2024).path
    return html, markers


def test_personal_columns_and_learning_points_never_reach_the_report(hostile_report):
    html_path, markers = hostile_report
    assert len(markers) == 7 * len(PERSONAL_COLUMNS) + 4
    html = html_path.read_text(encoding="utf-8")
    notebook = notebook_of(html_path).read_text(encoding="utf-8")
    for name, content in (("HTML", html), ("notebook", notebook)):
        leaked = [m for m in markers if m in content]
        assert not leaked, f"{name} bevat gegevens uit het register die er niet in mogen: {leaked}"
    json.loads(notebook)  # a real notebook, so the check above read its outputs


def test_the_number_of_learning_points_may_be_published(hostile_report):
    text = visible_text(hostile_report[0].read_text(encoding="utf-8"))
    assert "Bij de klachten uit 2024 zijn 4 leerpunten vastgelegd, verdeeld over 2 teams." in text


def test_team_and_reason_values_are_escaped_as_text(hostile_report):
    html = hostile_report[0].read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert "<b>Co</b>" not in html and "<i>cursief</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in html
    soup = parse(html)
    assert not soup.find_all("script")
    assert not [b for b in soup.find_all("b") if "Co" in b.get_text()]
    assert not [i for i in soup.find_all("i") if "cursief" in i.get_text()]
    text = visible_text(html)
    assert "De 4 afgehandelde klachten hadden betrekking op de volgende teams:" in text
    assert f"{EVIL_REASON} (2x)." in text  # the only reason, so its bullet ends the list


def test_team_names_are_escaped_in_tables(hostile_report):
    soup = parse(hostile_report[0].read_text(encoding="utf-8"))
    cells = {
        normalise(c.get_text()) for table in soup.find_all("table") for c in table.find_all(["th", "td"])
    }
    assert EVIL_TEAM in cells
    per_team = section_after(soup, "Cijfers klachtenbehandeling 2024", "table")
    rows = [[normalise(c.get_text()) for c in tr.find_all(["th", "td"])] for tr in per_team.find_all("tr")]
    first_two = [row[:2] for row in rows]  # team and count; then last year, change, share upheld
    assert [EVIL_TEAM, "3"] in first_two and ["Belastingen", "1"] in first_two


def test_team_names_are_escaped_in_image_alt_text(hostile_report):
    html = hostile_report[0].read_text(encoding="utf-8")
    alts = [img.get("alt", "") for img in parse(html).find_all("img")]
    assert any(EVIL_TEAM in alt for alt in alts), alts
    raw_alts = re.findall(r'<img\b[^>]*\balt="([^"]*)"', html)
    assert raw_alts and not any("<" in alt for alt in raw_alts)


# --------------------------------------------------------------------------- errors: nothing written


def test_data_error_raises_and_keeps_the_previous_report(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    write_register_file(
        data, [register_row(klacht_id="K-001"), register_row(klacht_id="K-002", status="kapot")]
    )
    previous = year_report_path(out, 2024)
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"<!DOCTYPE html><html lang='nl'><title>vorig rapport</title></html>")
    before = previous.read_bytes()

    # The notebook finds it: its DataError's Dutch summary comes out as a RenderError named so.
    with pytest.raises(RenderError) as raised:
        make_year_report(data, out, 2024)

    assert raised.value.ename == "DataError"
    [problem] = [line for line in str(raised.value).splitlines() if line.startswith("- Fout in")]
    assert "klachtenregister.csv, regel 3 (klacht_id K-002), kolom 'status'" in problem
    assert "kapot" in problem and "afgehandeld" in problem
    assert previous.read_bytes() == before
    assert [p.name for p in previous.parent.iterdir()] == [previous.name]  # no notebook, no temp file


def test_unknown_narrative_placeholder_raises_and_writes_no_html(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    (data / "toelichting").mkdir(parents=True)
    write_register_file(data, [register_row()])
    (data / "toelichting" / "2024.md").write_text(
        "## Wijze van klachtbehandeling\n\n"
        "We ontvingen {{ totaal }} klachten van {{ aantal_klagers }} mensen.\n",
        encoding="utf-8",
    )
    with pytest.raises(RenderError) as raised:
        make_year_report(data, out, 2024)
    assert raised.value.ename == "DataError"
    [problem] = [line for line in str(raised.value).splitlines() if line.startswith("- Fout in")]
    assert "aantal_klagers" in problem
    assert f"{Path('toelichting', '2024.md')}, regel 3" in problem
    assert not list(out.rglob("*.html")) and not list(out.rglob("*.ipynb"))


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def sample_audit(request):
    require_browser()  # before rendering: skip fast (fail in CI) without Chromium or axe-core
    return audit_html(request.getfixturevalue("sample_report"))


@pytest.mark.browser
def test_sample_report_has_no_wcag21_aa_violations(sample_audit):
    assert not sample_audit.violations, sample_audit.report()


@pytest.mark.browser
def test_sample_report_requests_nothing_from_other_hosts(sample_audit):
    assert sample_audit.requests, "de pagina is niet geladen"
    assert sample_audit.external_requests == []


@pytest.mark.browser
def test_every_chart_in_the_sample_report_has_a_dutch_text_alternative(sample_audit):
    assert len(sample_audit.images) >= 2
    for image in sample_audit.images:
        assert image.alt and image.alt.strip(), image.src
        assert image.alt.startswith("Staafdiagram") or "klachten" in image.alt, image.alt


@pytest.mark.browser
def test_sample_report_headings_start_at_h1_and_skip_no_level(sample_audit):
    levels = sample_audit.headings
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_a_missing_narrative_section_shows_the_computed_part_only_and_no_note(tmp_path):
    """The warning promises 'alleen de cijfers': no note for the analyst reaches the page."""
    import shutil

    from klachtlib.presentation.report import YearReport

    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    (data / "toelichting" / "2024.md").unlink()
    report = YearReport.load(data, 2024)
    assert any("het rapport toont alleen de cijfers" in w.message for w in report.warnings)
    page = "".join(report.sections_html())
    assert "toelichting" not in page.lower()
    handling = BeautifulSoup(report.handling_html(), "html.parser")
    assert [tag.name for tag in handling.find_all(recursive=False)][:3] == ["h2", "h3", "ul"]
    assert report.experiences_html() == ""  # a section of narrative only: no empty heading


def test_the_year_report_says_in_one_sentence_it_counts_by_date_received(sample_text):
    assert (
        "Alle cijfers in dit verslag gaan over de klachten die in 2024 zijn ontvangen (datum van "
        "ontvangst); het Woo-overzicht van klachtoordelen telt de klachten naar de datum van afhandeling."
    ) in sample_text


def test_in_jupyterlab_the_download_links_are_not_shown(sample_report):
    """The notebook's downloads cell: JupyterLab shows text/html, a sentence without links (the files
    lie beside the published page, not beside the notebook); the page has the links."""
    import nbformat

    from klachtlib.presentation.report import YearReport

    downloads = YearReport.load(config.DATA_DIR, 2024).downloads._repr_mimebundle_()
    assert "<a " not in downloads["text/html"] and "reports/2024/cijfers/" in downloads["text/html"]
    executed = nbformat.read(notebook_of(sample_report), as_version=4)
    (cell,) = [c for c in executed.cells if c.id == "downloads"]
    assert "<a " not in cell.outputs[0].data["text/html"]
    page = BeautifulSoup(sample_report.read_text(encoding="utf-8"), "html.parser")
    assert page.select(".bestanden a[href^='cijfers/']")
