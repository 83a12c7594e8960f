"""The rendered report in a real browser: WCAG 2.1 A/AA (axe-core), nothing from other hosts.

Needs Debian's Chromium and `npm install` (axe-core); skipped with a hint without them,
failed in CI (KLACHTEN_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from browser import audit_html, require_browser
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from klachtlib.delivery import render

pytestmark = pytest.mark.browser

CHART_CELL = """\
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.display import HTML, Image, Markdown, display

teams = {"Burgerzaken": 12, "Belastingen": 7, "Wijkzaken": 3}
fig, ax = plt.subplots(figsize=(4, 2.5), dpi=80)
ax.barh(list(teams), list(teams.values()), color="#0b4f8a")
ax.set_xlabel("Aantal klachten")
buffer = io.BytesIO()
fig.savefig(buffer, format="png", metadata={"Software": None})
plt.close(fig)
alt = "Staafdiagram van de afgehandelde klachten per team in " + str(year) + ": " + ", ".join(
    f"{team} {count}" for team, count in teams.items()
) + "."
display(Image(buffer.getvalue()), metadata={"image/png": {"alt": alt}})
rows = "".join(f"<tr><th scope='row'>{team}</th><td>{count}</td></tr>" for team, count in teams.items())
display(HTML(
    "<table><caption>Afgehandelde klachten per team</caption>"
    "<thead><tr><th scope='col'>Team</th><th scope='col'>Aantal</th></tr></thead>"
    f"<tbody>{rows}</tbody></table>"
))
display(Markdown(f"In {year} zijn **{sum(teams.values())}** klachten afgehandeld."))
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    require_browser()
    directory = tmp_path_factory.mktemp("browser")
    parameters = new_code_cell("year = 2000\n")
    parameters.metadata["tags"] = ["parameters"]
    nb = new_notebook(
        cells=[
            new_markdown_cell(
                "# Cijfers klachtenbehandeling\n\n"
                "Dit overzicht beschrijft de klachten die de gemeente in het verslagjaar ontving."
            ),
            parameters,
            new_markdown_cell("## Klachten per team"),
            new_code_cell(CHART_CELL),
            new_markdown_cell("### Toelichting\n\nDe meeste klachten zijn **informeel** opgelost."),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "klachten", "display_name": "Klachten", "language": "python"}
    nb.metadata["klachten"] = {"pagina": "jaarverslag"}
    source = directory / "jaar.ipynb"
    nbformat.write(nb, source)
    html = directory / "jaarverslag.html"
    executed = render.execute_notebook(source, {"year": 2024})
    html.write_text(render.render_html(executed, "Jaarverslag klachten 2024"), encoding="utf-8")
    return html


@pytest.fixture(scope="module")
def audit(report):
    return audit_html(report)


def test_report_has_no_wcag21_aa_violations(audit):
    assert audit.violations == [], audit.report()


def test_report_requests_nothing_from_other_hosts(audit):
    assert audit.external_requests == []
    assert all(url.startswith(("file:", "data:")) for url in audit.requests), audit.requests


def test_every_image_has_a_dutch_text_alternative(audit):
    assert len(audit.images) == 1
    assert all(image.alt for image in audit.images), audit.images
    assert audit.images[0].alt.startswith("Staafdiagram van de afgehandelde klachten per team in 2024")


def test_headings_start_at_h1_and_skip_no_level(audit):
    levels = audit.headings
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_auditor_notices_missing_alt_and_external_requests(tmp_path):
    """The harness itself: a bad page must produce findings (else a clean audit means nothing)."""
    bad = tmp_path / "slecht.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><title>x</title>"
        '<script src="https://cdn.example.org/lib.js"></script></head>'
        '<body><img src="data:image/png;base64,iVBORw0KGgo="></body></html>',
        encoding="utf-8",
    )
    result = audit_html(bad)
    ids = {v.id for v in result.violations}
    assert {"html-has-lang", "image-alt"} <= ids
    assert result.external_requests == ["https://cdn.example.org/lib.js"]
    assert result.images[0].alt is None
