"""Execute the year notebook with papermill and render it with nbconvert, in one process.

The pipeline, each step usable on its own:

    nb = execute_notebook(notebook, {"year": 2024, "data_dir": "data"})  # papermill, in-process
    html = render_html(nb, "Jaarverslag klachten 2024")  # nbconvert, one cached exporter
    write_report(nb, html_path, title, ipynb_path)  # render + atomic writes, HTML last

`build_report` does all of it (and warms the exporter up while the kernel starts). Every
notebook runs in a `WarmKernel`: a caller that wants to overlap kernel start-up with its own
data checks starts one first and passes it in (`klachten report` does); batch workers reuse
one for all their pages. Nothing here changes this process's working directory (the kernel
gets `cwd` as its own).

Everything here is deterministic: the same notebook and parameters give the same executed
notebook (papermill's and nbclient's timings and random cell ids are removed) and the same
HTML, byte for byte. The HTML loads nothing from any other host.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbformat import NotebookNode

from klachtlib import config
from klachtlib.output import write_all_atomic, write_atomic  # noqa: F401  (part of this module's API)

KERNEL_NAME = "klachten"
KERNEL_DISPLAY_NAME = "Klachten (Python)"
TEMPLATE_NAME = "klachten"
INJECTED_CELL_ID = "injected-parameters"
CELL_TIMEOUT = 600  # seconds per cell: a hung cell fails the page instead of hanging a batch
ANALYST_TAG = "analist"  # cells for the analyst in JupyterLab, never in the published HTML
PRELOAD = "import klachtlib.report, klachtlib.teams"  # what the notebooks import, run at kernel start
IMAGE_MIMETYPES = ("image/png", "image/jpeg", "image/svg+xml")

_TIMING_KEYS = ("start_time", "end_time", "duration")
_KERNEL_HINT = (
    "Probeer het opnieuw; helpt dat niet, verwijder dan de map .venv en voer 'make report' opnieuw "
    "uit (dat installeert de omgeving en de kernel opnieuw)."
)
_KERNEL_TMP = re.compile(r"ipykernel_\d+")


class RenderError(Exception):
    """The report could not be made; the message is Dutch and holds no Python traceback.

    For a failing notebook cell, `ename` and `evalue` are the exception's name and message
    as the kernel reported them, and `cell` the 1-based position of the cell in the notebook.
    """

    def __init__(
        self,
        message: str,
        *,
        ename: str | None = None,
        evalue: str | None = None,
        cell: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.ename = ename
        self.evalue = evalue
        self.cell = cell

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------- kernel


@functools.cache
def ensure_kernel(kernel_name: str = KERNEL_NAME) -> str:
    """Return the directory of the `klachten` kernelspec, installing it into sys.prefix if absent.

    `make` installs it for the venv; this makes conda environments and plain
    `pip install` work too. The installed kernel runs this same Python.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        return KernelSpecManager().get_kernel_spec(kernel_name).resource_dir
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    return install(prefix=sys.prefix, kernel_name=kernel_name, display_name=KERNEL_DISPLAY_NAME)


# --------------------------------------------------------------------------- execution


class WarmKernel:
    """A `klachten` kernel started ahead of time and reused for several notebooks.

    Starting a kernel and importing pandas/matplotlib in it dominates a report's run time.
    `klachten report` starts it before checking the data (the two overlap on two cores);
    batch workers keep one for all their notebooks. `preload` is run as soon as the kernel is
    up, so the imports are done by the time the first cell arrives.

    `hand_over(obj)` pickles what the parent process has already read and computed to a
    private file whose path the kernel knows (`KLACHTLIB_HANDOFF`), so the notebook does not
    read and check the register a second time (`report.YearReport.load` looks there first).
    """

    def __init__(self, cwd: str | os.PathLike[str], preload: str = PRELOAD):
        from jupyter_client import KernelManager

        ensure_kernel(KERNEL_NAME)
        self._handoff_dir = Path(tempfile.mkdtemp(prefix="klachten-kernel-"))  # mode 0700
        self.handoff = self._handoff_dir / "handoff.pickle"
        self.km = KernelManager(kernel_name=KERNEL_NAME)
        self.km.start_kernel(
            cwd=os.fspath(Path(cwd).resolve()),
            stderr=subprocess.DEVNULL,
            env={**os.environ, config.HANDOFF_ENV: os.fspath(self.handoff)},
        )
        self.client = self.km.client()
        self.client.start_channels()
        if preload:
            self.client.execute(preload, silent=True, store_history=False)
        self._fresh = True

    def hand_over(self, obj: object, then: str | None = None) -> None:
        """Leave `obj` for the next notebook in this kernel (replaces an earlier hand-over).

        `then` is code the kernel runs right away, before the notebook (which queues behind
        it): work on the hand-over that can overlap with this process's own.
        """
        import pickle

        write_atomic(self.handoff, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
        if then:
            self.client.execute(then, silent=True, store_history=False)

    def reset(self) -> None:
        """Get ready for the next notebook: the first time, wait until the kernel answers on
        both channels (a cell sent before IOPub is connected loses its output messages, and
        papermill would wait for them forever); later, clear the previous notebook's variables
        (modules stay imported: that is the point)."""
        if self._fresh:
            self._wait_until_connected(timeout=120)
        else:
            self.client.execute("%reset -f", silent=True, store_history=False, reply=True, timeout=60)
        self._fresh = False

    def _wait_until_connected(self, timeout: float) -> None:
        """Until the kernel answers a request on shell and this client hears it on IOPub.

        jupyter_client's `wait_for_ready` does this too, but then drains IOPub until it has
        been silent for 0.2 s; here the wait ends at the status message of our own request.
        Earlier requests' messages (the preload's) are passed over, as nbclient would.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            request = self.client.kernel_info()
            if not self._answer(self.client.get_shell_msg, request, deadline):
                break
            if self._answer(self.client.get_iopub_msg, request, time.monotonic() + 0.5, idle=True):
                return  # IOPub is connected: a notebook's output will not be lost
            # subscribed too late to hear this one: ask again
        raise RenderError(
            f"Het rapport is niet gemaakt: de Python-kernel '{KERNEL_NAME}' gaf binnen {timeout:g} "
            f"seconden geen antwoord. {_KERNEL_HINT}"
        )

    def _answer(
        self, receive: Callable[..., dict], request: str, deadline: float, idle: bool = False
    ) -> bool:
        """Whether a message for `request` (its idle status, if `idle`) arrives before `deadline`."""
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = receive(timeout=min(left, 1.0))
            except Empty:
                if not self.km.is_alive():
                    raise RenderError(
                        f"Het rapport is niet gemaakt: de Python-kernel '{KERNEL_NAME}' stopte direct "
                        f"na het starten. {_KERNEL_HINT}"
                    ) from None
                continue
            if message["parent_header"].get("msg_id") == request and (not idle or _is_idle(message)):
                return True
        return False

    def close(self) -> None:
        """Stop the kernel at once: its work is written, it has nothing left to save.

        `shutdown_kernel(now=True)` polls every 0.1 s for the process to end; killing it and
        reaping it directly costs nothing.
        """
        self.client.stop_channels()
        process = getattr(self.km.provisioner, "process", None)
        try:
            self.km.signal_kernel(signal.SIGKILL)
            if process is not None:
                process.wait(timeout=10)
            self.km.cleanup_resources()
        except Exception:  # not a local process, or already gone: the documented way
            self.km.shutdown_kernel(now=True)
        shutil.rmtree(self._handoff_dir, ignore_errors=True)

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_idle(message: Mapping[str, Any]) -> bool:
    return message["msg_type"] == "status" and message["content"].get("execution_state") == "idle"


def kernel_or_new(kernel: WarmKernel | None, cwd: str | os.PathLike[str] | None) -> AbstractContextManager:
    """`with kernel_or_new(kernel, cwd) as warm:` the caller's kernel (left running), or a new
    one in `cwd` (default: the current directory), closed at the end of the block."""
    return nullcontext(kernel) if kernel else WarmKernel(cwd if cwd is not None else os.getcwd())


@functools.cache
def _warm_engine() -> str:
    """Register (once) a papermill engine that runs in a `WarmKernel`, with its own client.

    A new kernel client on a running kernel can miss the first IOPub messages (ZeroMQ's slow
    joiner) and then waits forever for them; reusing the kernel's connected client cannot.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):  # type: ignore[override]
            warm: WarmKernel = kwargs["warm_kernel"]
            client = PapermillNotebookClient(
                nb_man,
                km=warm.km,
                kernel_name=kernel_name,
                timeout=kwargs.get("execution_timeout"),
                resources=kwargs.get("resources", {}),
            )
            client.kc = warm.client
            return client.execute()

    name = "klachten-warm-kernel"
    papermill_engines.register(name, WarmKernelEngine)
    return name


def load_notebook(notebook_path: str | os.PathLike[str]) -> NotebookNode:
    """Read a notebook as nbformat 4.5 with stable cell ids (`cel-1`, ... where it had none).

    nbformat's own upgrade would give cells without an id a random one.
    """
    import nbformat

    nb = nbformat.read(os.fspath(notebook_path), as_version=4)
    if nb.nbformat_minor < 5:
        nb.nbformat_minor = 5
    for number, cell in enumerate(nb.cells, start=1):
        if not cell.get("id"):
            cell["id"] = f"cel-{number}"
    return nb


def make_reproducible(nb: NotebookNode) -> NotebookNode:
    """Remove what differs between two runs of the same notebook (in place); return `nb`.

    That is papermill's and nbclient's timestamps and durations, and the kernel's process id
    in the temporary file names that warnings on stderr mention (`/tmp/ipykernel_4711/...`).
    """
    papermill_meta = nb.metadata.get("papermill")
    if papermill_meta is not None:
        for key in _TIMING_KEYS:
            papermill_meta.pop(key, None)
    code_cells = (cell for cell in nb.cells if cell.cell_type == "code" and cell.get("execution_count"))
    for count, cell in enumerate(code_cells, start=1):
        cell["execution_count"] = count  # a reused kernel keeps counting; a fresh run starts at 1
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                output["execution_count"] = count
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell_meta = cell.metadata.get("papermill")
        if cell_meta is not None:
            for key in _TIMING_KEYS:
                cell_meta.pop(key, None)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["text"] = _KERNEL_TMP.sub("ipykernel", output.get("text", ""))
    return nb


def _injected_index(nb: NotebookNode) -> int | None:
    for index, cell in enumerate(nb.cells):
        if "injected-parameters" in cell.metadata.get("tags", []):
            return index
    return None


def _injection_point(nb: NotebookNode, parameters: Mapping[str, Any]) -> int | None:
    """Where papermill puts its injected cell: after the `parameters` cell, else first."""
    if not parameters:
        return None
    existing = _injected_index(nb)
    if existing is not None:
        return existing
    for index, cell in enumerate(nb.cells):
        if "parameters" in cell.metadata.get("tags", []):
            return index + 1
    return 0


def _error_from_papermill(exc: Any, nb_name: str, injected: int | None) -> RenderError:
    """A Dutch RenderError from papermill's error: exception name and message, no traceback."""
    ename, evalue = str(exc.ename), str(exc.evalue)
    index = exc.cell_index  # in the executed notebook, which has the injected cell
    if injected is not None and index > injected:
        index -= 1
    cell = index + 1
    if ename == "DataError":
        # klachtlib.errors.DataError: its message is already the coordinator's Dutch summary.
        message = evalue
    elif injected is not None and exc.cell_index == injected:
        message = (
            f"Het rapport is niet gemaakt: de parameters voor {nb_name} zijn ongeldig: {ename}: {evalue}"
        )
    else:
        message = (
            f"Het rapport is niet gemaakt: het notebook {nb_name} stopte in cel {cell} "
            f"met de fout {ename}: {evalue}"
        )
    return RenderError(message, ename=ename, evalue=evalue, cell=cell)


def execute_notebook(
    notebook_path: str | os.PathLike[str],
    parameters: Mapping[str, Any],
    cwd: str | os.PathLike[str] | None = None,
    *,
    timeout: int | None = CELL_TIMEOUT,
    kernel: WarmKernel | None = None,
) -> NotebookNode:
    """Execute the notebook with papermill (in this process) and return the executed notebook.

    `parameters` are injected after the cell tagged `parameters`, as papermill does (paths
    become strings). Without `kernel`, a `klachten` kernel is started for this notebook alone,
    in `cwd` (default: the current directory, as the papermill command does); this process
    does not change directory. Timing metadata is
    removed (`make_reproducible`) and the injected cell gets the fixed id
    `injected-parameters`, so the result is reproducible.

    With `kernel`, the notebook runs in that already started (and possibly warmed-up) kernel
    instead of a new one: batch runs reuse one kernel per worker.

    Raises `RenderError` (Dutch message, no traceback) when a cell raises.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if kernel is None:
        with kernel_or_new(None, cwd) as own:
            return execute_notebook(notebook_path, parameters, timeout=timeout, kernel=own)
    notebook_path = Path(notebook_path)
    nb = load_notebook(notebook_path)
    kernel.reset()
    try:
        executed = papermill.execute_notebook(
            nb,
            None,
            parameters={k: os.fspath(v) if isinstance(v, os.PathLike) else v for k, v in parameters.items()},
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            request_save_on_cell_execute=False,
            execution_timeout=timeout,
            record_timing=False,
            engine_name=_warm_engine(),
            warm_kernel=kernel,
        )
    except PapermillExecutionError as exc:
        raise _error_from_papermill(exc, notebook_path.name, _injection_point(nb, parameters)) from None
    except CellTimeoutError:
        raise RenderError(
            f"Het rapport is niet gemaakt: het notebook {notebook_path.name} duurde langer dan "
            f"{timeout} seconden."
        ) from None
    except DeadKernelError:
        raise RenderError(
            f"Het rapport is niet gemaakt: de Python-kernel stopte onverwacht tijdens het uitvoeren "
            f"van {notebook_path.name} (te weinig geheugen?). Probeer het opnieuw."
        ) from None

    executed.metadata.papermill["input_path"] = notebook_path.as_posix()
    injected = _injected_index(executed)
    if injected is not None:
        executed.cells[injected]["id"] = INJECTED_CELL_ID
    return make_reproducible(executed)


# --------------------------------------------------------------------------- rendering


def _report_preprocessor_class() -> type:
    from nbconvert.preprocessors import Preprocessor

    class ReportPreprocessor(Preprocessor):
        """Keep only what a reader should see; insist on a text alternative for every image.

        Drops stderr streams, error outputs, code cells left without output, raw cells and
        cells tagged `analist` (instructions for whoever runs the notebook in JupyterLab).
        (Cell ids stay: nbformat requires them; the template leaves them out of the HTML.)
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

    return ReportPreprocessor


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


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@functools.lru_cache(maxsize=1)
def _exporter() -> Any:
    """One HTMLExporter per process: loading the template is the slow part of nbconvert."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    # The page shows no code, so no Pygments stylesheet is needed.
    c.CSSHTMLHeaderPreprocessor.enabled = False
    exporter = HTMLExporter(
        config=c,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[os.fspath(config.TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_output_stdin=True,
        exclude_raw=True,
        exclude_anchor_links=True,
        language_code="nl",
        theme="light",
    )
    exporter.register_preprocessor(_report_preprocessor_class(), enabled=True)
    return exporter


@functools.lru_cache(maxsize=1)
def report_css() -> str:
    """The page's stylesheet: klachten.css alone, comments removed.

    JupyterLab's own styles (about 200 KB a page) are not needed for a page without code or
    widgets; klachten.css styles every class the template emits.
    """
    env = _exporter().environment
    css = _CSS_COMMENT.sub("", env.loader.get_source(env, "static/klachten.css")[0])
    return re.sub(r"\n\s*\n+", "\n", css).strip()


def warm_up() -> None:
    """Build the exporter, its compiled template and the CSS now (about 0.2 s), not at render time.

    `build_report` does this in a thread while the kernel runs the notebook. It also renders a
    one-cell page once: nbconvert post-processes every page with BeautifulSoup CSS selectors,
    and compiling those (soupsieve, about 0.3 s, cached per process) would otherwise happen
    after the notebook has run.
    """
    exporter = _exporter()
    report_css()
    _ = exporter.template
    _warm_selectors()


@functools.cache
def _warm_selectors() -> None:
    from nbformat.v4 import new_markdown_cell, new_notebook

    nb = new_notebook(cells=[new_markdown_cell("warm-up", id="warm-up")])
    _exporter().from_notebook_node(nb, resources={"klachten": {"title": "", "css": ""}})


def render_html(nb: NotebookNode, title: str, *, internal: bool = False) -> str:
    """Render an executed notebook to one self-contained Dutch HTML page (`nb` is not changed).

    Same notebook and title, same string. Raises `RenderError` for an image without alt text.
    An `internal` page (team overviews) gets `<meta name="robots" content="noindex">` and a
    visible "Intern" marking at the top.
    """
    exporter = _exporter()
    resources = {"klachten": {"title": title, "css": report_css(), "internal": internal}}
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    _check_publishable(html)
    return html


def _check_publishable(html: str) -> None:
    """Refuse a page that would run code, load something from elsewhere, or has an image
    without alt text (`klachtlib.publishable`, on the parsed page: escaped text never fails).

    The template and the preprocessor already prevent this for outputs; this catches what an
    author writes as raw HTML or Markdown in a text cell (e.g. an image from a website).
    """
    from klachtlib.publishable import findings

    found = findings(html)
    if not found:
        return
    first = found[0]
    if first.kind == "alt":
        raise RenderError(
            "Het rapport is niet gemaakt: een tekstcel bevat een afbeelding zonder tekstalternatief "
            "(alt). Geef de afbeelding een beschrijving, bijvoorbeeld ![Beschrijving](...) "
            'of <img alt="...">.'
        )
    what = (
        "iets laden (script, stijl of afbeelding) van buiten het bestand"
        if first.kind == "loads"
        else "code uitvoeren (script, event-handler of javascript:-link)"
    )
    raise RenderError(
        f"Het rapport is niet gemaakt: de pagina zou {what}, bij: {first.where!r}. "
        "Neem het op in het notebook of laat het weg."
    )


# --------------------------------------------------------------------------- writing


# Writing lives in klachtlib.output (all files replaced together or not at all, Dutch errors).


def notebook_text(nb: NotebookNode) -> str:
    """The executed notebook as .ipynb text (sorted keys, so reproducible)."""
    import nbformat

    return nbformat.writes(nb) + "\n"


def write_report(
    nb: NotebookNode,
    html_path: str | os.PathLike[str],
    title: str,
    ipynb_path: str | os.PathLike[str] | None = None,
) -> Path:
    """Render an executed notebook and write the HTML (and the notebook) atomically.

    Both are produced in memory first; the notebook is written before the HTML.
    """
    html = render_html(nb, title)
    files: list[tuple[Path, str | bytes]] = []
    if ipynb_path is not None:
        files.append((Path(ipynb_path), notebook_text(nb)))
    files.append((Path(html_path), html))
    write_all_atomic(files)
    return Path(html_path)


def build_report(
    notebook_path: str | os.PathLike[str],
    parameters: Mapping[str, Any],
    html_path: str | os.PathLike[str],
    title: str,
    ipynb_path: str | os.PathLike[str] | None = None,
    *,
    cwd: str | os.PathLike[str] | None = None,
    kernel: WarmKernel | None = None,
) -> Path:
    """Execute, render and write one report; return the HTML path.

    On a failing notebook, raise `RenderError` and write nothing.
    """
    # Loading nbconvert's template is CPU work and the kernel is another process: warm up while
    # it starts, then run the cells (warming up in a thread during the run measured slower: it
    # starves the loop that feeds the kernel).
    with kernel_or_new(kernel, cwd) as warm:
        warm_up()
        nb = execute_notebook(notebook_path, parameters, kernel=warm)
    return write_report(nb, html_path, title, ipynb_path)
