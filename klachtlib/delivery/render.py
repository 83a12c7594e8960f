"""Execute the year notebook with papermill and render it with nbconvert, in one process.

The pipeline, each step usable on its own:

    nb = execute_notebook(notebook, {"year": 2024, "data_dir": "data"})  # papermill, in-process
    html = render_html(nb, "Jaarverslag klachten 2024")  # nbconvert, one cached exporter

`klachtlib.delivery.pipeline` writes what they make, with the rest of a year's files, as one set
(`klachtlib.delivery.output.write_set`). Every notebook runs in a `WarmKernel`, handed to papermill
with its documented `km=` argument (papermill's standard engine): a caller that wants to
overlap kernel start-up with its own imports starts one first and passes it in
(`klachten report` does); batch workers reuse one for all their pages. Nothing here changes
this process's working directory (the kernel gets `cwd` as its own).

Everything here is deterministic: the same notebook and parameters give the same executed
notebook (papermill's and nbclient's timings and random cell ids are removed) and the same
HTML, byte for byte. The HTML loads nothing from any other host.
"""

from __future__ import annotations

import functools
import os
import re
import signal
import subprocess
import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbformat import NotebookNode

from klachtlib.delivery.output import write_all_atomic, write_atomic  # noqa: F401  (part of this module's API)
from klachtlib.errors import RenderError

KERNEL_NAME = "klachten"
INJECTED_CELL_ID = "injected-parameters"
RESET_CELL_ID = "klachten-reset"
THEN_CELL_ID = "klachten-then"
KERNEL_START_TIMEOUT = 120  # seconds until the kernel answers (its imports run first)
CELL_TIMEOUT = 600  # seconds per cell: a hung cell fails the page instead of hanging a batch
# What the notebooks import, run at kernel start.
PRELOAD = "import klachtlib.presentation.report, klachtlib.delivery.teams"

_TIMING_KEYS = ("start_time", "end_time", "duration")
_KERNEL_HINT = (
    "Probeer het opnieuw; helpt dat niet, verwijder dan de map .venv en voer 'make report' opnieuw "
    "uit (dat installeert de omgeving en de kernel opnieuw)."
)
_KERNEL_TMP = re.compile(r"ipykernel_\d+")


# --------------------------------------------------------------------------- kernel


def ensure_kernel(kernel_name: str = KERNEL_NAME) -> str:
    """The directory of the `klachten` kernelspec; a Dutch RenderError when it is not installed.

    The package installs it as a data file (share/jupyter/kernels/klachten, for pip and
    conda); `make` registers it for the editable install in .venv.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        return KernelSpecManager().get_kernel_spec(kernel_name).resource_dir
    except NoSuchKernel:
        raise RenderError(
            f"Het rapport is niet gemaakt: de Python-kernel '{kernel_name}' is niet geïnstalleerd. "
            "Voer 'make report' uit (of installeer klachtlib opnieuw met 'pip install .')."
        ) from None


# --------------------------------------------------------------------------- execution


@contextmanager
def _uninterrupted() -> Iterator[None]:
    """Ctrl+C or SIGTERM during the block takes effect right after it (standard `signal`):
    jupyter_client cannot clean up a kernel interrupted half-way through its start (its
    connection file would stay in the temporary folder)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {stop: signal.signal(stop, lambda number, frame: caught.append(number)) for stop in stops}
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)
        if caught:
            signal.raise_signal(caught[0])


class WarmKernel:
    """A `klachten` kernel started ahead of time and reused for several notebooks.

    Starting a kernel and importing pandas/matplotlib in it dominates a report's run time.
    `klachten report` starts one before importing the pipeline (the two overlap on two cores);
    each batch worker keeps one for all its pages. `preload` is the kernel's own start-up
    code (IPython's `exec_lines`), so the imports are done by the time the first cell
    arrives. Notebooks run in it through papermill's `km=` argument with papermill's
    standard engine (`execute_notebook`), which connects its own client each time.
    """

    def __init__(self, cwd: str | os.PathLike[str], preload: str = PRELOAD):
        from jupyter_client import KernelManager

        ensure_kernel(KERNEL_NAME)
        self.km = KernelManager(kernel_name=KERNEL_NAME)
        try:
            with _uninterrupted():  # a half-started kernel could not be stopped or cleaned up
                self._start(cwd, preload)
        except BaseException:  # stopped right after starting (Ctrl+C, SIGTERM): stop it again
            self.close()
            raise
        self.used = False  # whether a notebook has run in it (the next one resets first)

    def _start(self, cwd: str | os.PathLike[str], preload: str) -> None:
        self.km.start_kernel(
            cwd=os.fspath(Path(cwd).resolve()),
            stderr=subprocess.DEVNULL,
            # No IPython history file: injected parameters (team names) stay out of ~/.ipython.
            extra_arguments=[
                "--HistoryManager.hist_file=:memory:",
                *([f"--IPKernelApp.exec_lines={preload}"] if preload else []),
            ],
        )

    def close(self) -> None:
        """Stop the kernel: it has nothing left to save."""
        if self.km.has_kernel:  # not when it died at start (nbclient has cleaned up then)
            self.km.shutdown_kernel(now=True)

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def kernel_or_new(kernel: WarmKernel | None, cwd: str | os.PathLike[str] | None) -> AbstractContextManager:
    """`with kernel_or_new(kernel, cwd) as warm:` the caller's kernel (left running), or a new
    one in `cwd` (default: the current directory), closed at the end of the block."""
    return nullcontext(kernel) if kernel else WarmKernel(cwd if cwd is not None else os.getcwd())


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


def _error_from_papermill(exc: Any, nb_name: str, injected: int | None, offset: int = 0) -> RenderError:
    """A Dutch RenderError from papermill's error: exception name and message, no traceback.

    `offset` cells ran before the notebook's own (the reset cell of a reused kernel).
    """
    ename, evalue = str(exc.ename), str(exc.evalue)
    executed_index = exc.cell_index - offset  # in the notebook with papermill's injected cell
    index = executed_index
    if injected is not None and index > injected:
        index -= 1
    cell = index + 1
    if ename == "DataError":
        # klachtlib.errors.DataError: its message is already the coordinator's Dutch summary.
        message = evalue
    elif injected is not None and executed_index == injected:
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
    then: str | None = None,
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

    `then` is code run in the same kernel right after the notebook's cells, with their
    variables (`klachten report` has it write the downloads of the report the notebook
    computed: `klachtlib.delivery.downloads`); it is taken out of the result again.

    Raises `RenderError` (Dutch message, no traceback) when a cell raises.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if kernel is None:
        with kernel_or_new(None, cwd) as own:
            return execute_notebook(notebook_path, parameters, timeout=timeout, kernel=own, then=then)
    from nbformat.v4 import new_code_cell

    notebook_path = Path(notebook_path)
    nb = load_notebook(notebook_path)
    injected = _injection_point(nb, parameters)
    # A reused kernel first forgets the previous notebook's variables (modules stay imported):
    # one cell ahead of the notebook's own, taken out of the result again.
    offset = 1 if kernel.used else 0
    if offset:
        nb.cells.insert(0, new_code_cell("%reset -f", id=RESET_CELL_ID))
    if then is not None:
        nb.cells.append(new_code_cell(then, id=THEN_CELL_ID))
    kernel.used = True
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
            start_timeout=KERNEL_START_TIMEOUT,
            km=kernel.km,
        )
    except PapermillExecutionError as exc:
        if then is not None and exc.source == then:
            raise RenderError(
                f"Het rapport is niet gemaakt: na het notebook {notebook_path.name} konden de bestanden "
                f"naast het verslag niet worden gemaakt: {exc.ename}: {exc.evalue}",
                ename=str(exc.ename),
                evalue=str(exc.evalue),
            ) from None
        raise _error_from_papermill(exc, notebook_path.name, injected, offset) from None
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
    except RuntimeError as error:  # nbclient: the kernel died or did not answer at start
        raise RenderError(
            f"Het rapport is niet gemaakt: de Python-kernel '{KERNEL_NAME}' gaf geen antwoord "
            f"({error}). {_KERNEL_HINT}"
        ) from None

    executed.cells = [cell for cell in executed.cells if cell.get("id") not in (RESET_CELL_ID, THEN_CELL_ID)]
    executed.metadata.papermill["input_path"] = notebook_path.as_posix()
    injected = _injected_index(executed)
    if injected is not None:
        executed.cells[injected]["id"] = INJECTED_CELL_ID
    return make_reproducible(executed)


# --------------------------------------------------------------------------- rendering


@functools.lru_cache(maxsize=1)
def _exporter() -> Any:
    """One exporter per process: loading the template is the slow part of nbconvert."""
    from klachtlib.delivery.exporter import KlachtenExporter

    return KlachtenExporter()


def render_html(nb: NotebookNode, title: str, *, internal: bool = False) -> str:
    """Render an executed notebook to one self-contained Dutch HTML page (`nb` is not changed).

    Same notebook and title, same string; `jupyter nbconvert --to klachten` on the same
    notebook gives the same page (its title is the report's `<h1>`, which is `title`).
    Raises `RenderError` for an image without alt text or a page that loads from elsewhere.
    An `internal` page (team overviews) gets `<meta name="robots" content="noindex">` and a
    visible "Intern" marking at the top (from the command line: the notebook's metadata
    `klachten.intern`, which `teamoverzicht.ipynb` sets).
    """
    resources = {"klachten": {"title": title, "internal": internal}}
    html, _ = _exporter().from_notebook_node(nb, resources=resources)
    return html


# --------------------------------------------------------------------------- the executed notebook
# (written by klachtlib.delivery.pipeline with the rest of the set, via klachtlib.delivery.output)


def notebook_text(nb: NotebookNode) -> str:
    """The executed notebook as .ipynb text (sorted keys, so reproducible)."""
    import nbformat

    return nbformat.writes(nb) + "\n"
