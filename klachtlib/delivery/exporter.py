"""The published page as an nbconvert exporter and preprocessor, usable from any Jupyter tool.

`klachten report` renders with `KlachtenExporter`; so does `jupyter nbconvert --to klachten
uit.ipynb` (entry point `nbconvert.exporters`), and `jupyter nbconvert --to html --template
klachten` uses the same template, whose `conf.json` registers `ReportPreprocessor`. The
template itself hides code, prompts, errors and scripts, so all three give the same page.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Bool, default

from klachtlib import config
from klachtlib.delivery.publishable import check_publishable
from klachtlib.errors import RenderError

TEMPLATE_NAME = "klachten"
ANALYST_TAG = "analist"  # cells for the analyst in JupyterLab, never in the published HTML
IMAGE_MIMETYPES = ("image/png", "image/jpeg", "image/svg+xml")
# `metadata.klachten.pagina` of the notebooks that become a page (jaarverslag.ipynb,
# teamoverzicht.ipynb; the Woo overview's notebook is made in code). Others, such as the
# analyst's verkenning.ipynb, are never published.
PAGE_KINDS = ("jaarverslag", "teamoverzicht", "woo")
PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"  # the cell papermill adds above a failed one
PAGE_METADATA_KEY = config.PAGE_METADATA_KEY  # an output's page data: {"titel": ..., "beschrijving": ...}
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


class NotebookRefused(RenderError, SystemExit):
    """A notebook that must not become a page: failed, not executed, or no klachten notebook.

    Also a `SystemExit` whose code is the Dutch message: `jupyter nbconvert` does not catch it,
    so it ends with that one line on stderr and exit status 1, no traceback and no file written.
    klachtlib's own callers catch it as the `RenderError` it is.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.code = message


def refusal(nb: NotebookNode, name: str = "het notebook") -> str | None:
    """Why `nb` may not become a page (one Dutch line), or None when it may.

    A page is made only of a klachten notebook (`metadata.klachten.pagina`, PAGE_KINDS) that
    was executed (every code cell with text has an execution count) without an error.
    """
    kind = nb.metadata.get("klachten", {}).get("pagina")
    if kind not in PAGE_KINDS:
        return (
            f"Er is geen pagina gemaakt: {name} is geen notebook van het klachtenverslag; alleen een "
            "uitgevoerd jaarverslag.ipynb of teamoverzicht.ipynb wordt gepubliceerd (verkenning.ipynb nooit)."
        )
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    for number, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                evalue = (str(output.get("evalue", "")).strip().splitlines() or [""])[0].rstrip(".")
                return (
                    f"Er is geen pagina gemaakt: {name} stopte in cel {number} met de fout "
                    f"{output.get('ename', '')}: {evalue}. Los de fout op en voer het notebook opnieuw uit."
                )
    if nb.metadata.get("papermill", {}).get("exception") or any(
        PAPERMILL_ERROR_TAG in cell.metadata.get("tags", []) for cell in nb.cells
    ):
        return (
            f"Er is geen pagina gemaakt: {name} stopte met een fout. Los de fout op en voer het "
            "notebook opnieuw uit."
        )
    if any(cell.get("execution_count") is None and str(cell.source).strip() for cell in code_cells):
        return (
            f"Er is geen pagina gemaakt: {name} is niet (helemaal) uitgevoerd. Voer eerst alle cellen "
            "uit (in JupyterLab: Run All; of met papermill), of gebruik 'klachten report'."
        )
    return None


class ReportPreprocessor(Preprocessor):
    """Keep only what a reader should see; insist on a text alternative for every image.

    Refuses (`NotebookRefused`) what `refusal` names: a notebook that failed, was not executed
    or is not a klachten notebook. Drops stderr streams, code cells left without output, raw cells and
    cells tagged `analist` (instructions and the outline headings for whoever runs the
    notebook in JupyterLab). The page title is the report's own `<h1>` unless the caller
    gave one (`resources["klachten"]["title"]`), and both give way to the page data an output
    carries in its metadata (`{"klachten": {"titel": ..., "beschrijving": ...}}`: the title with
    the organisation, and the meta description); the page is internal when the caller says so
    or the notebook's metadata has `klachten.intern` (teamoverzicht.ipynb). Cell ids stay:
    nbformat requires them; the template leaves them out of the HTML.
    """

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        # nbconvert's name for the file it read ("Notebook" when it was given a notebook object)
        notebook_name = (resources.get("metadata") or {}).get("name")
        named = notebook_name and notebook_name != "Notebook"
        refused = refusal(nb, f"{notebook_name}.ipynb" if named else "het notebook")
        if refused is not None:
            raise NotebookRefused(refused)
        cells = []
        for number, cell in enumerate(nb.cells, start=1):
            if cell.cell_type == "raw" or ANALYST_TAG in cell.metadata.get("tags", []):
                continue
            if cell.cell_type == "code":
                for output in cell.get("outputs", []):
                    page_only = output.get("data", {}).pop(config.PAGE_ONLY_MIMETYPE, None)
                    if page_only is not None:  # the page's own HTML, instead of JupyterLab's
                        output.data["text/html"] = page_only
                cell.outputs = [o for o in cell.get("outputs", []) if _is_published(o)]
                if not cell.outputs:
                    continue
                for output in cell.outputs:
                    self._check_alt(output, number)
            cells.append(cell)
        nb.cells = cells
        page = resources.setdefault("klachten", {})
        # The notebook's own page data (the title cell's output metadata: <title> with the
        # organisation, meta description) first, so every route gives the same page.
        own = _page_metadata(nb)
        if own.get("titel"):
            page["title"] = str(own["titel"])
        if own.get("beschrijving"):
            page["description"] = " ".join(str(own["beschrijving"]).split())
        if not page.get("title"):
            page["title"] = _first_heading(nb) or str(nb.metadata.get("title", ""))
        # Internal pages (team overviews: noindex, "Intern"): the caller says, else the notebook.
        page.setdefault("internal", bool(nb.metadata.get("klachten", {}).get("intern", False)))
        return nb, resources

    def _check_alt(self, output: NotebookNode, number: int) -> None:
        if output.output_type not in ("display_data", "execute_result"):
            return
        shown = next((m for m in self.display_data_priority if m in output.data), None)
        if shown in IMAGE_MIMETYPES and _alt_text(output, shown) is None:
            raise RenderError(
                f"Het rapport is niet gemaakt: cel {number} toont een afbeelding ({shown}) "
                "zonder tekstalternatief. Geef de afbeelding een Nederlandse beschrijving mee "
                f'in de output-metadata: {{"{shown}": {{"alt": "..."}}}}.'
            )


def _is_published(output: NotebookNode) -> bool:
    if output.output_type == "error":
        return False
    if output.output_type == "stream":
        return output.get("name") == "stdout" and bool(output.get("text"))
    return bool(output.get("data"))


def _alt_text(output: NotebookNode, mimetype: str) -> str | None:
    metadata = output.get("metadata", {})
    per_type = metadata.get(mimetype)
    if isinstance(per_type, Mapping) and per_type.get("alt") is not None:
        return str(per_type["alt"])
    if metadata.get("alt") is not None:
        return str(metadata["alt"])
    return None


def _page_metadata(nb: NotebookNode) -> Mapping:
    """`metadata.klachten` of the first output that has it (the title cell's), else {}."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = output.get("metadata", {}).get(PAGE_METADATA_KEY)
            if isinstance(found, Mapping):
                return found
    return {}


def _first_heading(nb: NotebookNode) -> str | None:
    """The text of the first `<h1>` the outputs show (the report's own title)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = _H1.search(output.get("data", {}).get("text/html", ""))
            if found:
                return " ".join(html.unescape(_TAG.sub("", found[1])).split())
    return None


class KlachtenExporter(HTMLExporter):
    """The accessible, self-contained Dutch page of an executed report or team notebook."""

    export_from_notebook = "Klachtenrapport (HTML)"  # JupyterLab's File > Save and Export As

    exclude_anchor_links = Bool(True, help="Headings without '¶' links.").tag(config=True)
    # Validate the notebook once, after all preprocessors, not after each (nbconvert's option).
    optimistic_validation = Bool(True).tag(config=True)

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE_NAME

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        # The package's own copy: found also where the data files are not installed
        # (an editable install), and before any other `klachten` template.
        return [os.fspath(config.TEMPLATES_DIR)]

    def from_notebook_node(self, nb: NotebookNode, resources: dict | None = None, **kw):
        """The page, checked: nothing loaded from elsewhere, every image with alt text."""
        output, resources = super().from_notebook_node(nb, resources, **kw)
        check_publishable(output)
        return output, resources
