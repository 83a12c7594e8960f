"""An accessible PDF of a published page, printed by the machine's own Chromium.

Chromium prints the HTML page with its print stylesheet (klachten.css: A4, numbered pages
through `@page` margin boxes, no heading at the bottom of a page, a chart with its table) to a
tagged PDF (`tagged=True`: a structure tree with headings, paragraphs, lists and tables, in
reading order; the language from `<html lang="nl">` as the document's /Lang; the page's
`<title>` as the document title) with bookmarks from the headings (`outline=True`). Both
options are playwright's documented `Page.pdf` arguments (Chrome DevTools' printToPDF
`generateTaggedPDF` / `generateDocumentOutline`).

The browser is Debian's `/usr/bin/chromium` (or `$KLACHTEN_CHROMIUM`), driven through
playwright; `playwright install` is never needed. The page is opened from file:// with
JavaScript off and every request to another host refused, so printing loads nothing from
elsewhere. Chromium stamps the print time into the document information (CreationDate,
ModDate); `stable_dates` replaces it with a fixed time of the same length (so no offset in the
file moves), which makes two PDFs of the same page identical byte for byte.

Chromium's tagged PDF is not yet PDF/UA-1: `make_accessible` (pikepdf) marks every painted item
that is not tagged (page backgrounds, the "Pagina n van m" footer) as an artifact, adds XMP
metadata with the title, the language and the PDF/UA identifier (pdfuaid:part 1), and names
klachtlib as Creator and Producer; it keeps the file reproducible (fixed dates, an /ID from the
content). Figures already carry their alt text and table headers their scope (Chromium).
"""

from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from klachtlib.delivery.output import write_atomic
from klachtlib.delivery.render import RenderError

CHROMIUM_ENV = "KLACHTEN_CHROMIUM"
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
# Flags that work for headless Chromium in containers and on servers without a network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
LOCAL_SCHEMES = ("file:", "data:", "about:")
PRINT_TIMEOUT_MS = 120_000
# A Chromium that has not started (answered on its DevTools pipe) by then is broken: give up.
LAUNCH_TIMEOUT_S = 30

INSTALL_HINT = (
    "Installeer Chromium (Debian/Ubuntu: sudo apt-get install chromium) of geef het pad op in de "
    f"omgevingsvariabele {CHROMIUM_ENV}."
)


# 1 January 2000, as in the figures pack's workbook: the file depends on the page only.
FIXED_DATE = b"20000101000000"
_INFO_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)\d{14}")


def stable_dates(pdf: bytes) -> bytes:
    """The PDF with its creation and modification time set to FIXED_DATE (same byte length)."""
    return _INFO_DATE.sub(lambda m: m[1] + FIXED_DATE, pdf)


class PdfError(RenderError):
    """The PDF could not be made; the message is Dutch and says what to do (exit 3)."""


def chromium_path() -> Path | None:
    """The Chromium to print with: $KLACHTEN_CHROMIUM, /usr/bin/chromium or one on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    if DEFAULT_CHROMIUM.is_file():
        return DEFAULT_CHROMIUM
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found else None


def pdf_path_for(html_path: str | os.PathLike[str]) -> Path:
    """The PDF beside a page: the same name with `.pdf`."""
    return Path(html_path).with_suffix(".pdf")


def write_pdf(html_path: str | os.PathLike[str]) -> Path:
    """Print a written page to the PDF beside it (atomically); PdfError says the HTML is there."""
    html_path = Path(html_path)
    try:
        data = print_pdf(html_path)
    except PdfError as error:
        raise PdfError(f"{error} Het HTML-bestand is wel gemaakt: {html_path}") from None
    return write_atomic(pdf_path_for(html_path), make_accessible(stable_dates(data)))


# --------------------------------------------------------------------------- PDF/UA-1

ARTIFACT = "/Artifact"
FIXED_XMP_DATE = "2000-01-01T00:00:00+00:00"  # FIXED_DATE, as XMP writes a date
FIXED_INFO_DATE = "D:" + FIXED_DATE.decode() + "+00'00'"
# Operators that construct a path, paint it (or only clip: "n"), show text, or paint otherwise.
PATH_OPERATORS = frozenset({"m", "l", "c", "v", "y", "h", "re", "W", "W*"})
PAINT_OPERATORS = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})
TEXT_SHOWING = frozenset({"Tj", "TJ", "'", '"'})
OTHER_PAINTING = frozenset({"Do", "sh", "INLINE IMAGE", "BI"})


def creator_names() -> tuple[str, str]:
    """(Creator, Producer) of the PDF: the workbook, with its version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        own = f"klachtlib {version('klachtlib')}"
    except PackageNotFoundError:
        own = "klachtlib"
    return f"{own} (klachten report --pdf)", f"{own} met Chromium en pikepdf"


def artifact_marked(operations: list) -> list:
    """The page's content with every painted item outside marked content wrapped in
    `/Artifact BMC ... EMC`: a path with its painting operator, a text object (or, in one that
    holds tagged text, each text-showing operator), an image or shading. Marked content never
    splits a path or straddles a text object (ISO 32000-1, 14.6)."""
    import pikepdf

    def wrapped(items: list) -> list:
        return [([pikepdf.Name(ARTIFACT)], pikepdf.Operator("BMC")), *items, ([], pikepdf.Operator("EMC"))]

    result: list = []
    depth = 0  # open marked-content sequences
    path: list = []  # path construction at depth 0, waiting for its painting operator
    text: list | None = None  # a text object at depth 0, while it holds no marked content
    in_text = False
    for operands, operator in operations:
        name = str(operator)
        item = (operands, operator)
        if name in ("BDC", "BMC"):
            if text is not None:  # tagged text inside: flush what came before, go item by item
                result.extend(text)
                text = None
            depth += 1
            result.append(item)
        elif name == "EMC":
            depth -= 1
            result.append(item)
        elif depth > 0:
            if name == "BT":
                in_text = True
            elif name == "ET":
                in_text = False
            result.append(item)
        elif name == "BT":
            in_text, text = True, [item]
        elif name == "ET":
            in_text = False
            if text is not None:
                text.append(item)
                painted = any(str(op) in TEXT_SHOWING for _, op in text)
                result.extend(wrapped(text) if painted else text)
                text = None
            else:
                result.append(item)
        elif text is not None:
            text.append(item)
        elif in_text and name in TEXT_SHOWING:
            result.extend(wrapped([item]))
        elif name in PATH_OPERATORS:
            path.append(item)
        elif name in PAINT_OPERATORS and path:
            result.extend(wrapped([*path, item]))
            path = []
        elif name == "n" and path:  # a clipping path: nothing painted
            result.extend([*path, item])
            path = []
        elif name in OTHER_PAINTING:
            result.extend(wrapped([item]))
        else:
            result.extend(path)
            path = []
            result.append(item)
    return result + path + (text or [])


def make_accessible(data: bytes) -> bytes:
    """Chromium's tagged PDF made PDF/UA-1 as far as its structure allows (see the module doc)."""
    import io

    import pikepdf

    creator, producer = creator_names()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            marked = artifact_marked(pikepdf.parse_content_stream(page))
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(marked))
            if "/Annots" in page.obj:
                page.obj.Tabs = pikepdf.Name.S  # links in the order of the structure
        title = str(pdf.docinfo.get("/Title", ""))
        language = str(pdf.Root.get("/Lang", "nl"))
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        pdf.docinfo["/Creator"] = creator
        pdf.docinfo["/Producer"] = producer
        pdf.docinfo["/CreationDate"] = FIXED_INFO_DATE
        pdf.docinfo["/ModDate"] = FIXED_INFO_DATE
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:title"] = title
            meta["dc:language"] = {language}
            meta["pdfuaid:part"] = "1"
            meta["xmp:CreatorTool"] = creator
            meta["pdf:Producer"] = producer
            meta["xmp:CreateDate"] = FIXED_XMP_DATE
            meta["xmp:ModifyDate"] = FIXED_XMP_DATE
            meta["xmp:MetadataDate"] = FIXED_XMP_DATE
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def print_pdf(html_path: str | os.PathLike[str]) -> bytes:
    """Print `html_path` to a tagged PDF with bookmarks; PdfError (Dutch) when that is impossible.

    Runs in a thread of its own: playwright's sync API refuses a thread with a running asyncio
    loop (a Jupyter kernel, or a caller that already drives a browser).
    """
    with ThreadPoolExecutor(1, thread_name_prefix="klachten-pdf") as pool:
        return pool.submit(_print_pdf, Path(html_path).resolve()).result()


def _print_pdf(html_path: Path) -> bytes:
    executable = chromium_path()
    if executable is None:
        raise PdfError(f"De PDF is niet gemaakt: Chromium is niet gevonden. {INSTALL_HINT}")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfError(
            "De PDF is niet gemaakt: het Python-pakket playwright ontbreekt. Installeer het met "
            "pip install -e . (of conda env update -f environment.yml)."
        ) from None
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(
                    executable_path=str(executable), args=CHROMIUM_ARGS, timeout=LAUNCH_TIMEOUT_S * 1000
                )
            except PlaywrightTimeout:
                raise PdfError(
                    f"De PDF is niet gemaakt: Chromium ({executable}) startte niet binnen "
                    f"{LAUNCH_TIMEOUT_S} seconden. {INSTALL_HINT}"
                ) from None
            try:
                context = browser.new_context(java_script_enabled=False)
                page = context.new_page()
                page.route("**/*", _local_only)
                page.goto(html_path.as_uri(), wait_until="load", timeout=PRINT_TIMEOUT_MS)
                return page.pdf(
                    tagged=True,
                    outline=True,
                    prefer_css_page_size=True,
                    print_background=True,
                )
            finally:
                browser.close()
    except PlaywrightError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise PdfError(
            f"De PDF is niet gemaakt: Chromium ({executable}) kon {html_path.name} niet afdrukken "
            f"({first_line}). {INSTALL_HINT}"
        ) from None


def _local_only(route) -> None:  # type: ignore[no-untyped-def]
    """Let the page load only from its own file and data: URIs; refuse anything else."""
    if route.request.url.startswith(LOCAL_SCHEMES):
        route.continue_()
    else:
        route.abort()
