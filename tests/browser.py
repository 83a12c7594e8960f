"""Browser checks for rendered reports: axe-core in Debian's headless Chromium, via playwright.

Usage in a test module:

    from browser import audit_html, require_browser

    def test_x(tmp_path):
        require_browser()                  # skip with an install hint (fail in CI)
        result = audit_html(html_path)     # AuditResult(violations, external_requests, images)

One Chromium per test process (each pytest-xdist worker has its own), started on first use
and closed at exit. `playwright install` is never needed: we drive /usr/bin/chromium.
"""

from __future__ import annotations

import atexit
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from klachtlib import config
from klachtlib.delivery.pdf import CHROMIUM_ARGS, LOCAL_SCHEMES  # the flags the product prints with

CHROMIUM = Path(os.environ.get("KLACHTEN_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = config.PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class Violation:
    id: str
    impact: str | None
    help: str
    targets: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.id} ({self.impact}): {self.help} -> {', '.join(self.targets)}"


@dataclass
class Image:
    src: str
    alt: str | None


@dataclass
class AuditResult:
    violations: list[Violation]
    external_requests: list[str]
    images: list[Image]
    requests: list[str] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)  # heading levels in document order

    def report(self) -> str:
        """A readable summary for assertion messages."""
        lines = [str(v) for v in self.violations]
        lines += [f"externe request: {url}" for url in self.external_requests]
        return "\n".join(lines) or "geen bevindingen"


def missing_requirements() -> list[str]:
    """What is missing to run browser tests, as Dutch install hints (empty when all is there)."""
    missing = []
    if not (CHROMIUM.exists() or shutil.which("chromium")):
        missing.append(f"Chromium ontbreekt ({CHROMIUM}): installeer met `sudo apt-get install chromium`.")
    if not AXE_JS.exists():
        missing.append(f"axe-core ontbreekt ({AXE_JS}): installeer met `npm install` in de projectmap.")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Het Python-pakket playwright ontbreekt: `pip install -e '.[dev]'`.")
    return missing


def require_browser() -> None:
    """Skip the calling test when Chromium or axe-core is missing; fail instead in CI.

    CI (.ci/run) sets KLACHTEN_REQUIRE_BROWSER=1: there a missing browser is an error.
    """
    missing = missing_requirements()
    if not missing:
        return
    message = " ".join(missing) + " De browsertests (toegankelijkheid) zijn daarom niet uitgevoerd."
    if os.environ.get("KLACHTEN_REQUIRE_BROWSER") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class _Browser:
    """One playwright + Chromium for this process, started lazily."""

    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Any = None

    def get(self) -> Any:
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            executable = CHROMIUM if CHROMIUM.exists() else Path(shutil.which("chromium") or CHROMIUM)
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=str(executable), args=CHROMIUM_ARGS
            )
            atexit.register(self.close)
        return self._browser

    def close(self) -> None:
        if self._browser is not None:
            try:
                self._browser.close()
            finally:
                self._browser = None
                self._playwright.stop()
                self._playwright = None


_BROWSER = _Browser()


def _open(html_path: Path, width: int = 1000, height: int = 800) -> tuple[Any, Any, list[str]]:
    """A fresh context and page with `html_path` loaded; every requested URL is recorded."""
    browser = _BROWSER.get()
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    # Anything not local is refused, so a leak can never hang a test on the network.
    def block_remote(route: Any) -> None:
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", block_remote)
    page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
    return context, page, requests


def audit_html(html_path: str | os.PathLike[str]) -> AuditResult:
    """Open `html_path` from file://, run axe-core (WCAG 2.0/2.1 A and AA) and collect findings."""
    require_browser()
    context, page, requests = _open(Path(html_path))
    try:
        page.add_script_tag(path=str(AXE_JS))
        raw = page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map(n => n.target.join(" ")),
                }));
            }""",
            AXE_TAGS,
        )
        images = page.evaluate(
            """() => Array.from(document.images).map(img => ({
                src: img.getAttribute("src") || "",
                alt: img.hasAttribute("alt") ? img.getAttribute("alt") : null,
            }))"""
        )
        headings = page.evaluate(
            """() => Array.from(document.querySelectorAll("h1,h2,h3,h4,h5,h6"))
                      .map(h => Number(h.tagName.substring(1)))"""
        )
    finally:
        context.close()
    # axe itself is injected by us from a local file; the page must have asked for nothing else.
    page_requests = [url for url in requests if not url.endswith("axe.min.js")]
    external = [url for url in page_requests if not url.startswith(LOCAL_SCHEMES)]
    return AuditResult(
        violations=[Violation(**v) for v in raw],
        external_requests=external,
        images=[Image(src=i["src"][:60], alt=i["alt"]) for i in images],
        requests=page_requests,
        headings=headings,
    )


def screenshot(
    html_path: str | os.PathLike[str],
    png_path: str | os.PathLike[str],
    width: int = 1000,
    height: int | None = None,
) -> Path:
    """Save a PNG of `html_path`: the whole page, or only the top `height` pixels (README)."""
    require_browser()
    context, page, _ = _open(Path(html_path), width=width, height=height or 800)
    try:
        png_path = Path(png_path)
        png_path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png_path), full_page=height is None)
    finally:
        context.close()
    return png_path


def scroll_width(html_path: str | os.PathLike[str], width: int = 320) -> int:
    """`document.documentElement.scrollWidth` of the page in a `width` CSS px wide viewport.

    Equal to `width` when nothing makes the page scroll sideways (WCAG 1.4.10 reflow).
    """
    require_browser()
    context, page, _ = _open(Path(html_path), width=width, height=640)
    try:
        return int(page.evaluate("document.documentElement.scrollWidth"))
    finally:
        context.close()


def rendered_image_widths(html_path: str | os.PathLike[str], width: int = 320) -> list[float]:
    """The on-screen width (CSS px) of every image of the page in a `width` px wide viewport."""
    require_browser()
    context, page, _ = _open(Path(html_path), width=width, height=640)
    try:
        return page.evaluate("() => Array.from(document.images).map(i => i.getBoundingClientRect().width)")
    finally:
        context.close()


def chart_views(html_path: str | os.PathLike[str], width: int = 320) -> list[dict[str, Any]]:
    """Per chart (`.grafiek`) in a `width` px viewport: the image's shown and natural width, whether
    the browser picked the narrow source, its alt text, whether its region scrolls sideways, and
    whether its table is there."""
    require_browser()
    context, page, _ = _open(Path(html_path), width=width, height=640)
    try:
        return page.evaluate(
            """() => Array.from(document.querySelectorAll('.grafiek')).map(g => {
                const img = g.querySelector('img'), region = g.querySelector('.grafiek-beeld');
                return {shown: img.getBoundingClientRect().width, natural: img.naturalWidth,
                        narrow: img.currentSrc !== img.src, alt: img.alt,
                        scrolls: region.scrollWidth > region.clientWidth, table: !!g.querySelector('table')};
            })"""
        )
    finally:
        context.close()


@pytest.fixture
def browser_audit():
    """Fixture form of `audit_html`, skipping (or failing in CI) when the browser is missing."""
    require_browser()
    return audit_html
