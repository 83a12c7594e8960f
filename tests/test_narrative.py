"""The narrative is hostile input: sanitised Markdown, a bounded template, a parsed page check."""

from __future__ import annotations

import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import register_row, write_register_file
from nbformat.v4 import new_markdown_cell, new_notebook
from test_text import SEEDLIKE, write_narrative

from klachtlib.delivery import publishable, render
from klachtlib.delivery.pipeline import make_year_report
from klachtlib.errors import DataError
from klachtlib.presentation import narrative, text

# Each payload once ran code or fetched from another host in a published page (issue 10).
PAYLOADS: dict[str, str] = {
    "table background": '<table background="http://evil.example/bg.png"><tr><td>x</td></tr></table>',
    "svg image href": '<svg><image href="http://evil.example/i.png"/></svg>',
    "svg xlink href": '<svg><image xlink:href="//evil.example/i.png"/></svg>',
    "css escaped url": '<p style="background: u\\72l(http://evil.example/c.png)">css</p>',
    "css url": '<div style="background-image:url(//evil.example/a.png)">x</div>',
    "style element": "<style>@import url(https://evil.example/a.css); p { color: red }</style>",
    "tab in scheme": '<img alt="x" src="http:\t//evil.example/t.png">',
    "javascript link": '<a href="javascript:alert(1)">klik</a>',
    "javascript link entities": '<a href="&#106;avascript:alert(1)">klik</a>',
    "javascript link tab": '<a href="java\tscript:alert(1)">klik</a>',
    "data text/html link": '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">klik</a>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base href": '<base href="https://evil.example/">',
    "unc image": '<img alt="x" src="\\\\server\\share\\x.png">',
    "unc link": '<a href="\\\\server\\share\\x">klik</a>',
    "srcset": '<img alt="x" srcset="https://evil.example/a.png 1x, https://evil.example/b.png 2x">',
    "onerror": '<img alt="x" src="x" onerror="alert(1)">',
    "onmouseover": '<p onmouseover="alert(1)">tekst</p>',
    "script": "<script>alert(1)</script>",
    "script src": '<script src="https://evil.example/x.js"></script>',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/a.css">',
    "form action": '<form action="https://evil.example/"><button>verstuur</button></form>',
    "video poster": '<video poster="https://evil.example/p.png"></video>',
    "svg animate": (
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>'
    ),
    "markdown image": "![Logo](https://evil.example/logo.png)",
    "markdown http link": "[site](http://evil.example/)",
    "markdown protocol-relative link": "[site](//evil.example/)",
}


class _Elements(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_only_allowed_markup(html: str) -> None:
    """Every element and attribute is on the allow-list and every link goes to https:."""
    for tag, attrs in _Elements(html).elements:
        assert tag in narrative.ALLOWED_TAGS, (tag, html)
        for name, value in attrs.items():
            assert name in narrative.ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name, html)
            if name == "href":
                assert (value or "").startswith("https://"), html
            if name == "style":
                assert value.replace(" ", "").rstrip(";") in {"text-align:left", "text-align:right"}, value
    assert publishable.findings(html) == []


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_narrative_payload_is_removed_from_the_html(payload):
    html, removed = narrative.markdown_html(f"Voor.\n\n{payload}\n\nNa.\n")
    assert_only_allowed_markup(html)
    assert "evil.example" not in html and "alert" not in html.replace("alert(1)</", "")
    assert "<p>Voor.</p>" in html and "<p>Na.</p>" in html


@pytest.mark.parametrize(
    "payload",
    [p for name, p in PAYLOADS.items() if name != "markdown protocol-relative link"],
    ids=[name for name in PAYLOADS if name != "markdown protocol-relative link"],
)
def test_narrative_payload_removal_is_a_warning_naming_file_and_line(tmp_path, payload):
    body = f"## Algemeen beeld klachten\nEerste regel.\n\n{payload}\n"
    narrative_ = text.render_narrative(write_narrative(tmp_path, body), 2024, SEEDLIKE)
    [warning] = [w for w in narrative_.warnings if "weggelaten" in w.message]
    assert warning.severity == "waarschuwing"
    assert Path(warning.file).as_posix().endswith("toelichting/2024.md")
    assert warning.row == 4


def test_narrative_keeps_text_headings_lists_emphasis_tables_and_https_links(tmp_path):
    body = (
        "## Algemeen beeld klachten\n"
        "### Wat opviel\n\n"
        "De **meeste** klachten gingen over *wachttijd* ({{ totaal }} in {{ jaar }}).\n\n"
        "- telefoon\n- balie\n\n"
        "1. eerst\n2. dan\n\n"
        "| Team | Aantal |\n|---|--:|\n| Publiekszaken | 12 |\n\n"
        "Zie [de Nationale ombudsman](https://www.nationaleombudsman.nl).\n"
    )
    narrative_ = text.render_narrative(write_narrative(tmp_path, body), 2024, SEEDLIKE)
    html = narrative_.section_html("Algemeen beeld klachten")
    assert not [w for w in narrative_.warnings if "weggelaten" in w.message]
    assert_only_allowed_markup(html)
    assert "<h3>Wat opviel</h3>" in html
    assert "De <strong>meeste</strong> klachten gingen over <em>wachttijd</em> (64 in 2024)." in html
    assert "<li>telefoon</li>" in html and "<ol>" in html
    assert "<td>Publiekszaken</td>" in html and '<td style="text-align:right">12</td>' in html
    assert '<a href="https://www.nationaleombudsman.nl" rel="noopener noreferrer">' in html


def test_narrative_text_that_looks_like_markup_is_escaped_text(tmp_path):
    body = "## Algemeen beeld klachten\nTeam Vergunningen (data=//intranet) & src=//x < 3.\n"
    narrative_ = text.render_narrative(write_narrative(tmp_path, body), 2024, SEEDLIKE)
    html = narrative_.section_html("Algemeen beeld klachten")
    assert html == "<p>Team Vergunningen (data=//intranet) &amp; src=//x &lt; 3.</p>"
    assert narrative_.warnings == [w for w in narrative_.warnings if "ontbreekt" in w.message]


# --------------------------------------------------------------------------- template limits

# (template, words the Dutch message must contain); each failed with a traceback or hung.
HOSTILE_TEMPLATES: dict[str, tuple[str, str]] = {
    "division by zero": ("{{ 1/0 }}", "delen door nul"),
    "arithmetic on a formatted figure": ("{{ totaal + 1 }}", "opgemaakte tekst"),
    "huge power": ("{{ 10**5000 }}", "macht"),
    "huge text": ("{{ 'x'*300000000 }}", "te lang"),
    "huge range": ("{{ range(1000000)|list }}", "range"),
    "text to number": ("{{ totaal|int + 1 }}", "'|int' is in de toelichting niet toegestaan"),
    "huge format width": ("{{ '%999999999d'|format(1) }}", "'|format' is in de toelichting niet toegestaan"),
    "format operator": ("{{ '%999999999d' % 1 }}", "met tekst kan niet gerekend worden"),
    "unknown filter": ("{{ totaal|bestaatniet }}", "'|bestaatniet' bestaat niet"),
    "include": ("{% include 'geheim.md' %}", "include"),
    "import": ("{% import 'x.md' as x %}", "import"),
    "extends": ("{% extends 'x.md' %}", "extends"),
    "recursive macro": ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "macro"),
    "text method that grows": ("{{ totaal.center(999999999) }}", "niet toegestaan"),
    "concatenation": ("{% for a in [jaar ~ jaar] %}{{ a }}{% endfor %}", "'~'"),
    "python internals": ("{{ jaar.__class__.__mro__ }}", "niet toegestaan"),
    "unknown test": ("{% if totaal is bestaatniet %}x{% endif %}", "'is bestaatniet' bestaat niet"),
}


@pytest.mark.parametrize("template, words", HOSTILE_TEMPLATES.values(), ids=HOSTILE_TEMPLATES.keys())
def test_hostile_template_is_a_dutch_data_error_with_file_and_line(tmp_path, template, words):
    body = f"## Algemeen beeld klachten\nEen gewone regel.\n{template}\n"
    with pytest.raises(DataError) as caught:
        text.render_narrative(write_narrative(tmp_path, body), 2024, SEEDLIKE)
    [problem] = caught.value.errors
    assert Path(problem.file).as_posix().endswith("toelichting/2024.md")
    assert problem.row == 3, problem
    assert words in problem.message, problem.message
    assert "Traceback" not in str(caught.value)


def test_template_whose_output_is_too_long_is_a_data_error_at_its_heading(tmp_path):
    body = "## Algemeen beeld klachten\nTekst.\n{% for i in range(1000) %}{{ 'x' * 1000 }}{% endfor %}\n"
    with pytest.raises(DataError) as caught:
        text.render_narrative(write_narrative(tmp_path, body), 2024, SEEDLIKE)
    [problem] = caught.value.errors
    assert "te lang (meer dan 100000 tekens)" in problem.message and problem.row == 1


def test_template_that_runs_too_long_stops_at_the_time_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(narrative, "TIME_LIMIT", 0.5)
    loops = "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}"
    body = f"## Algemeen beeld klachten\nTekst.\n{loops}{{% endfor %}}{{% endfor %}}{{% endfor %}}\n"
    start = time.monotonic()
    with pytest.raises(DataError) as caught:
        text.render_narrative(write_narrative(tmp_path, body), 2024, SEEDLIKE)
    assert time.monotonic() - start < 5
    [problem] = caught.value.errors
    assert "duurde langer dan 0.5 seconden" in problem.message and problem.row == 3


def test_bounded_template_features_still_work(tmp_path):
    body = (
        "## Algemeen beeld klachten\n"
        "{% if totaal != '0' %}Er waren {{ totaal }} klachten{% endif %}; "
        "{% for i in range(3) %}{{ i + 1 }}{% endfor %}; {{ 2 ** 10 }}; {{ 2024 - 1 }}; "
        "{{ 'tekst'|upper }} {{ totaal.strip() }}\n"
    )
    narrative_ = text.render_narrative(write_narrative(tmp_path, body), 2024, SEEDLIKE)
    assert narrative_.section("Algemeen beeld klachten") == "Er waren 64 klachten; 123; 1024; 2023; TEKST 64"


# --------------------------------------------------------------------------- the page check


@pytest.mark.parametrize(
    "payload",
    [p for name, p in PAYLOADS.items() if not name.startswith("markdown")]
    + [
        '<img alt="x" src="https://evil.example/x.png">',
        '<a href="//evil.example/">x</a>',
        '<a href="\x01 javascript:alert(1)">x</a>',
        '<a href="javascript&colon;alert(1)">x</a>',
        '<img alt="x" src="x.png">',  # relative: fetched from beside the page, not self-contained
        '<picture><source srcset="data:image/png;base64,AA 1x, https://evil.example/b.png 2x">'
        '<img alt="x" src="data:image/png;base64,AA"></picture>',  # one candidate from elsewhere
        '<picture><source srcset="data:image/png;base64,AA 1x,https://evil.example/b.png 2x">'
        '<img alt="x" src="data:image/png;base64,AA"></picture>',
    ],
)
def test_page_check_finds_every_payload_in_a_parsed_page(payload):
    page = f'<!DOCTYPE html><html lang="nl"><head><title>t</title></head><body>{payload}</body></html>'
    found = publishable.findings(page)
    assert found and all(f.kind in ("runs", "loads") for f in found), found


@pytest.mark.parametrize(
    "escaped",
    [
        "Vergunningen (data=//intranet)",
        "src=//cdn.example.org/x.js en url(//x) en @import",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        '&lt;img src="https://evil.example/x.png"&gt;',
    ],
)
def test_page_check_never_refuses_escaped_text(escaped):
    page = f'<html lang="nl"><body><p>{escaped}</p><td title="data=//intranet">x</td></body></html>'
    assert publishable.findings(page) == []


def test_page_check_allows_embedded_images_and_ordinary_links():
    page = (
        '<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        "<style>p { color: #222 } .x { background: url(data:image/png;base64,AAAA) }</style></head><body>"
        '<img alt="Grafiek" src="data:image/png;base64,iVBORw0KGgo=">'
        '<a href="https://www.example.org">x</a> <a href="team-a.html">y</a> <a href="#kop">z</a>'
        '<a href="mailto:klachten@example.org">m</a></body></html>'
    )
    assert publishable.findings(page) == []


def test_page_check_allows_a_picture_whose_sources_are_embedded():
    """A chart's narrow version (<picture><source srcset="data:...">): nothing is fetched."""
    page = (
        '<!DOCTYPE html><html lang="nl"><head><title>t</title></head><body><picture>'
        '<source media="screen and (max-width: 42rem)" srcset="data:image/png;base64,iVBORw0KGgo=" '
        'width="360" height="200"><img alt="x" src="data:image/png;base64,iVBORw0KGgo="></picture>'
        "</body></html>"
    )
    assert publishable.findings(page) == []


def test_escaped_team_name_with_data_equals_does_not_fail_the_render():
    nb = new_notebook(cells=[new_markdown_cell("Team Vergunningen (data=//intranet)", id="c1")])
    nb.metadata["kernelspec"] = {"name": "klachten", "display_name": "k", "language": "python"}
    nb.metadata["klachten"] = {"pagina": "jaarverslag"}
    html = render.render_html(nb, "Titel")
    assert "Vergunningen (data=//intranet)" in html


@pytest.mark.parametrize(
    "markdown",
    [
        '<table background="http://evil.example/bg.png"><tr><td>x</td></tr></table>',
        '<a href="javascript:x()">k</a>',
    ],
)
def test_render_refuses_a_text_cell_that_runs_or_loads(markdown):
    page = {"klachten": {"pagina": "jaarverslag"}}
    nb = new_notebook(cells=[new_markdown_cell(markdown, id="c1")], metadata=page)
    with pytest.raises(render.RenderError, match="Het rapport is niet gemaakt: de pagina zou"):
        render.render_html(nb, "Titel")


# --------------------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def hostile_narrative_report(tmp_path_factory):
    data = tmp_path_factory.mktemp("narrative-data")
    write_register_file(data, [register_row(klacht_id="K-001"), register_row(klacht_id="K-002")])
    (data / "toelichting").mkdir()
    chosen = ["table background", "svg image href", "css escaped url", "javascript link", "onerror"]
    body = "\n\n".join(PAYLOADS[name] for name in chosen)
    (data / "toelichting" / "2024.md").write_text(
        f"## Algemeen beeld klachten\nVeilig: [ombudsman](https://www.nationaleombudsman.nl).\n\n{body}\n",
        encoding="utf-8",
    )
    return make_year_report(data, tmp_path_factory.mktemp("narrative-out"), 2024)


def test_rendered_report_has_no_narrative_payload_and_warns(hostile_narrative_report):
    html = hostile_narrative_report.path.read_text(encoding="utf-8")
    assert publishable.findings(html) == []
    assert "evil.example" not in html and "onerror" not in html and "javascript:" not in html
    assert '<a href="https://www.nationaleombudsman.nl" rel="noopener noreferrer">ombudsman</a>' in html
    removed = [w for w in hostile_narrative_report.warnings if "weggelaten" in w.message]
    assert [w.row for w in removed] == [4, 6, 8, 10, 12]


# --------------------------------------------------------------------------- sections (markdown-it)


def test_sections_start_at_level_two_headings_as_markdown_reads_them():
    from klachtlib.presentation.narrative import split_sections

    source = (
        "# Toelichting 2024\n\nvooraf\n\n## Wijze van klachtbehandeling ##\n\nTekst.\n\n"
        "```\n## geen kop: code\n```\n\nOnderstreept\n---\n\n- ## geen kop: in een lijst\n\n"
        "## Algemeen beeld klachten\nMeer {{ totaal }}.\n"
    )
    preamble, sections = split_sections(source)
    assert preamble == "# Toelichting 2024\n\nvooraf\n"
    assert [(heading, line) for heading, line, _ in sections] == [
        ("Wijze van klachtbehandeling", 5),
        ("Algemeen beeld klachten", 18),
    ]
    assert "## geen kop: code" in sections[0][2] and "Onderstreept\n---" in sections[0][2]
    assert sections[1][2] == "Meer {{ totaal }}."
