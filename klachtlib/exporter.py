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
from klachtlib.errors import RenderError
from klachtlib.publishable import check_publishable

TEMPLATE_NAME = "klachten"
ANALYST_TAG = "analist"  # cells for the analyst in JupyterLab, never in the published HTML
IMAGE_MIMETYPES = ("image/png", "image/jpeg", "image/svg+xml")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


class ReportPreprocessor(Preprocessor):
    """Keep only what a reader should see; insist on a text alternative for every image.

    Drops stderr streams, error outputs, code cells left without output, raw cells and
    cells tagged `analist` (instructions and the outline headings for whoever runs the
    notebook in JupyterLab). The page title is the report's own `<h1>` unless the caller
    gave one (`resources["klachten"]["title"]`); the page is internal when the caller says so
    or the notebook's metadata has `klachten.intern` (teamoverzicht.ipynb). Cell ids stay:
    nbformat requires them; the template leaves them out of the HTML.
    """

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        cells = []
        for number, cell in enumerate(nb.cells, start=1):
            if cell.cell_type == "raw" or ANALYST_TAG in cell.metadata.get("tags", []):
                continue
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.get("outputs", []) if _is_published(o)]
                if not cell.outputs:
                    continue
                for output in cell.outputs:
                    self._check_alt(output, number)
            cells.append(cell)
        nb.cells = cells
        page = resources.setdefault("klachten", {})
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
