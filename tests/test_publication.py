"""The publication set: pages that reflow at 320 CSS px and print well, the accessible PDF,
the key figures, the figures pack beside each year report, public and internal trees.

The shipped sample is published once per test process (year report and team overviews into
one output folder) and the tests read what was written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import require_browser, scroll_width

from klachtlib import config
from klachtlib.pipeline import make_team_overviews, make_year_report
from klachtlib.render import WarmKernel

YEAR = 2024


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """`<out>` after `klachten report` and `klachten teams` for the sample's 2024."""
    out = tmp_path_factory.mktemp("publicatie")
    with WarmKernel(config.NOTEBOOKS_DIR) as kernel:
        make_year_report(config.DATA_DIR, out, YEAR, kernel=kernel)
        make_team_overviews(config.DATA_DIR, out, YEAR, kernel=kernel)
    return out


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


# --------------------------------------------------------------------------- 1. reflow


@pytest.mark.browser
def test_no_page_scrolls_sideways_at_320_css_px(published):
    require_browser()
    pages = html_pages(published)
    assert any(p.name.startswith("jaarverslag-klachten") for p in pages)
    assert len(pages) >= 3, pages
    widths = {p.relative_to(published).as_posix(): scroll_width(p, 320) for p in pages}
    assert all(width <= 320 for width in widths.values()), widths


def test_every_table_scrolls_in_its_own_labelled_focusable_region(published):
    from bs4 import BeautifulSoup

    report = published / str(YEAR) / f"jaarverslag-klachten-{YEAR}.html"
    soup = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser")
    tables = soup.find_all("table")
    assert len(tables) >= 5
    for table in tables:
        region = table.parent
        assert region.name == "div" and "tabel-scroll" in region["class"], table.caption
        assert region["role"] == "region" and region["tabindex"] == "0"
        assert region["aria-label"] == table.caption.get_text()
