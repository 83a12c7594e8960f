"""Rules for the published HTML and the render pipeline (klachtlib.delivery.render).

Fast tests render hand-made "executed" notebooks; the tests at the end run papermill
with the `klachten` kernel on small notebooks written to tmp_path.
"""

from __future__ import annotations

import json
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from klachtlib import config
from klachtlib.delivery import exporter, output, render

# A 1x1 PNG; charts.py supplies real ones.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
ALT = "Staafdiagram van het aantal klachten per team: Burgerzaken 12, Belastingen 7."
TITLE = "Jaarverslag klachten 2024"


def executed_notebook(*cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "klachten", "display_name": "Klachten", "language": "python"}
    nb.metadata["klachten"] = {"pagina": "jaarverslag"}  # a klachten notebook (exporter.refusal)
    return nb


def image_output(alt: str | None = ALT, mimetype: str = "image/png") -> nbformat.NotebookNode:
    metadata = {} if alt is None else {mimetype: {"alt": alt}}
    return new_output("display_data", data={mimetype: PNG, "text/plain": "<Figure>"}, metadata=metadata)


def html_output(html: str) -> nbformat.NotebookNode:
    return new_output("display_data", data={"text/html": html, "text/plain": "tabel"})


def code_cell(source: str, *outputs, execution_count: int = 1) -> nbformat.NotebookNode:
    cell = new_code_cell(source, execution_count=execution_count)
    cell.outputs = list(outputs)
    return cell


def typical_notebook() -> nbformat.NotebookNode:
    return executed_notebook(
        new_markdown_cell("# Cijfers klachtenbehandeling 2024\n\nHet aantal klachten is **gedaald**."),
        code_cell("year = 2024", execution_count=1),
        code_cell(
            "charts.show(team_chart)",
            image_output(),
            html_output(
                "<table><caption>Klachten per team</caption><thead><tr><th scope='col'>Team</th>"
                "<th scope='col'>Aantal</th></tr></thead><tbody><tr><td>Burgerzaken</td><td>12</td>"
                "</tr></tbody></table>"
            ),
            execution_count=2,
        ),
        new_markdown_cell("## Wijze van klachtbehandeling\n\nDe meeste klachten zijn informeel opgelost."),
    )


def image_alts(html: str) -> list[str | None]:
    """The alt attribute of every <img>, as a browser reads it (None when absent)."""
    alts: list[str | None] = []

    class Images(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                alts.append(dict(attrs).get("alt"))

    Images().feed(html)
    return alts


@pytest.fixture(scope="module")
def typical_html() -> str:
    return render.render_html(typical_notebook(), TITLE)


# --------------------------------------------------------------------------- the page


def test_html_is_dutch_and_has_the_title(typical_html):
    assert re.search(r'<html lang="nl">', typical_html)
    assert f"<title>{TITLE}</title>" in typical_html


def test_title_is_escaped():
    html = render.render_html(typical_notebook(), "Klachten <2024> & meer")
    assert "<title>Klachten &lt;2024&gt; &amp; meer</title>" in html


def test_html_has_a_main_landmark(typical_html):
    assert typical_html.count("<main>") == 1
    assert typical_html.count("</main>") == 1


def test_html_loads_nothing_from_other_hosts(typical_html):
    lowered = typical_html.lower()
    assert "<script" not in lowered
    assert "<link" not in lowered
    assert "@import" not in lowered
    loaded = re.findall(r'\bsrc\s*=\s*["\']?([^"\'\s>]+)', typical_html)
    loaded += re.findall(r"url\(\s*['\"]?([^'\")]+)", typical_html)
    assert loaded, "expected at least the image and the CSS icons"
    assert all(url.startswith(("data:", "#")) for url in loaded), [u[:80] for u in loaded if "data:" not in u]
    # Not even in CSS comments: the whole page mentions no other host.
    assert "http://" not in lowered
    assert "https://" not in lowered


def test_no_require_js_mathjax_or_mermaid(typical_html):
    for name in ("require.js", "require.min.js", "mathjax", "mermaid", "cdnjs", "unpkg"):
        assert name not in typical_html.lower()


def test_image_alt_comes_from_output_metadata(typical_html):
    assert image_alts(typical_html) == [ALT]
    assert "No description has been provided" not in typical_html


@pytest.mark.parametrize("mimetype", ["image/png", "image/jpeg"])
def test_image_without_alt_text_is_refused(mimetype):
    nb = executed_notebook(code_cell("plt.show()", image_output(alt=None, mimetype=mimetype)))
    with pytest.raises(render.RenderError, match="tekstalternatief") as info:
        render.render_html(nb, TITLE)
    assert "cel 1" in str(info.value)


def test_image_without_alt_in_a_markdown_cell_is_refused():
    nb = executed_notebook(new_markdown_cell(f'<img src="data:image/png;base64,{PNG}">'))
    with pytest.raises(render.RenderError, match="tekstalternatief"):
        render.render_html(nb, TITLE)


@pytest.mark.parametrize(
    "markdown",
    [
        "![Logo van de gemeente](https://www.example.org/logo.png)",
        '<script src="https://cdn.example.org/x.js"></script>',
        "<style>@import url(https://fonts.example.org/a.css);</style>",
        '<div style="background: url(//cdn.example.org/a.png)">x</div>',
    ],
)
def test_text_cell_that_loads_from_another_host_is_refused(markdown):
    with pytest.raises(render.RenderError, match="van buiten het bestand"):
        render.render_html(executed_notebook(new_markdown_cell(markdown)), TITLE)


def test_links_to_other_sites_are_allowed():
    nb = executed_notebook(
        new_markdown_cell("Zie [de Nationale ombudsman](https://www.nationaleombudsman.nl).")
    )
    assert 'href="https://www.nationaleombudsman.nl"' in render.render_html(nb, TITLE)


def test_explicitly_decorative_image_gets_empty_alt():
    nb = executed_notebook(code_cell("logo", image_output(alt="")))
    html = render.render_html(nb, TITLE)
    assert image_alts(html) == [""]


def test_alt_text_is_escaped():
    nb = executed_notebook(code_cell("x", image_output(alt='Team "A" <B> & C')))
    html = render.render_html(nb, TITLE)
    assert image_alts(html) == ['Team "A" <B> & C']
    assert "<B>" not in html


def test_no_code_prompts_stderr_warnings_or_tracebacks():
    nb = executed_notebook(
        new_markdown_cell("# Verslag"),
        code_cell("GEHEIME_CODE = 1", execution_count=1),
        code_cell(
            "print('zichtbaar')",
            new_output("stream", name="stdout", text="zichtbare uitvoer\n"),
            new_output("stream", name="stderr", text="UserWarning: STDERR_MARKER\n"),
            execution_count=2,
        ),
        code_cell("42", new_output("execute_result", data={"text/plain": "42"}, execution_count=3)),
    )
    html = render.render_html(nb, TITLE)
    assert "zichtbare uitvoer" in html
    assert "42" in html
    for hidden in (
        "GEHEIME_CODE",
        "print(",
        "STDERR_MARKER",
        "UserWarning",
        "TRACEBACK_MARKER",
        "Traceback",
        "ZeroDivisionError",
        "In&nbsp;[",
        "In [",
        "Out[",
        'class="jp-InputPrompt',
        'class="jp-OutputPrompt',
        'class="jp-InputArea',
        'class="cm-editor',
        'data-mime-type="application/vnd.jupyter.stderr"',
    ):
        assert hidden not in html, hidden


# --------------------------------------------------------------------------- refused notebooks


def test_a_notebook_that_stopped_with_an_error_is_refused_in_one_dutch_line():
    nb = executed_notebook(
        new_markdown_cell("# Verslag"),
        code_cell(
            "1 / 0",
            new_output(
                "error",
                ename="ZeroDivisionError",
                evalue="division by zero",
                traceback=["Traceback (most recent call last):", "TRACEBACK_MARKER"],
            ),
        ),
    )
    with pytest.raises(exporter.NotebookRefused) as info:
        render.render_html(nb, TITLE)
    assert isinstance(info.value, render.RenderError)
    assert str(info.value) == (
        "Er is geen pagina gemaakt: het notebook stopte in cel 2 met de fout ZeroDivisionError: "
        "division by zero. Los de fout op en voer het notebook opnieuw uit."
    )


def test_a_notebook_papermill_marked_as_failed_is_refused():
    nb = executed_notebook(new_markdown_cell("# Verslag"), code_cell("1", html_output("<p>1</p>")))
    nb.metadata["papermill"] = {"exception": True}
    with pytest.raises(exporter.NotebookRefused, match="stopte met een fout"):
        render.render_html(nb, TITLE)


def test_a_notebook_that_was_not_executed_is_refused():
    nb = executed_notebook(new_markdown_cell("# Verslag"), new_code_cell("HTML(report.title_html())"))
    with pytest.raises(exporter.NotebookRefused, match=r"is niet \(helemaal\) uitgevoerd"):
        render.render_html(nb, TITLE)


def test_a_notebook_that_is_not_a_klachten_notebook_is_refused():
    nb = typical_notebook()
    del nb.metadata["klachten"]
    with pytest.raises(exporter.NotebookRefused, match="is geen notebook van het klachtenverslag"):
        render.render_html(nb, TITLE)


def test_a_refusal_ends_a_command_line_as_one_line_and_exit_status_1():
    """`jupyter nbconvert` does not catch it: Python prints the message as is and exits 1."""
    refused = exporter.NotebookRefused("Er is geen pagina gemaakt: test.")
    assert isinstance(refused, SystemExit) and refused.code == "Er is geen pagina gemaakt: test."


def test_papermill_injected_parameters_cell_is_not_shown():
    injected = code_cell("# Parameters\nyear = 2024\n")
    injected.metadata["tags"] = ["injected-parameters"]
    html = render.render_html(executed_notebook(new_markdown_cell("# Verslag"), injected), TITLE)
    assert "# Parameters" not in html
    assert "year = 2024" not in html


def test_markdown_cells_are_rendered_with_their_headings(typical_html):
    assert "<h1>Cijfers klachtenbehandeling 2024</h1>" in typical_html
    assert "<h2>Wijze van klachtbehandeling</h2>" in typical_html
    assert "<strong>gedaald</strong>" in typical_html


def test_headings_have_no_anchor_links(typical_html):
    assert "anchor-link" not in typical_html
    assert "¶" not in typical_html


def test_authors_html_in_markdown_is_kept_and_data_in_tables_stays_escaped():
    nb = executed_notebook(
        new_markdown_cell("De klachten zijn <b>zorgvuldig</b> behandeld."),
        code_cell(
            "tabel",
            html_output("<table><tr><td>Team &lt;script&gt;alert(1)&lt;/script&gt;</td></tr></table>"),
        ),
    )
    html = render.render_html(nb, TITLE)
    assert "<b>zorgvuldig</b>" in html
    assert "Team &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html


def test_javascript_and_widget_outputs_are_dropped():
    nb = executed_notebook(
        code_cell(
            "js",
            new_output("display_data", data={"application/javascript": "alert('hoi')", "text/plain": "js"}),
            new_output(
                "display_data",
                data={
                    "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
                    "text/plain": "widget",
                },
            ),
        )
    )
    html = render.render_html(nb, TITLE)
    assert "<script" not in html
    assert "alert(" not in html


def test_no_cell_ids_or_random_ids_in_html(typical_html):
    assert "cell-id" not in typical_html
    assert not re.search(r'\bid="', typical_html)


def test_same_notebook_renders_the_same_bytes(typical_html):
    assert render.render_html(typical_notebook(), TITLE) == typical_html


def test_notebook_without_cell_ids_renders_the_same_bytes_twice():
    # nbformat 4.4: nbconvert's normalize() would give every cell a new random id.
    nb = typical_notebook()
    nb.nbformat_minor = 4
    for cell in nb.cells:
        del cell["id"]
    first = render.render_html(nb, TITLE)
    second = render.render_html(nb, TITLE)
    assert first == second


def test_render_does_not_change_the_notebook():
    nb = typical_notebook()
    nb.cells.append(code_cell("x", new_output("stream", name="stderr", text="waarschuwing")))
    before = nbformat.writes(nb)
    render.render_html(nb, TITLE)
    assert nbformat.writes(nb) == before


def test_report_css_has_no_external_urls():
    css = (config.TEMPLATES_DIR / "klachten" / "static" / "klachten.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)  # the comments may name url()
    assert not re.search(r"url\(\s*['\"]?(?!data:)", css)
    assert ".klachten-rapport" in css


# --------------------------------------------------------------------------- writing


def _leftovers(directory: Path, *keep: str) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


def test_write_atomic_writes_text_and_bytes(tmp_path):
    target = tmp_path / "sub" / "rapport.html"
    assert output.write_atomic(target, "één") == target
    assert target.read_bytes() == "één".encode()
    output.write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert _leftovers(target.parent, "rapport.html") == []


def test_write_atomic_failure_keeps_previous_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "rapport.html"
    target.write_text("vorig rapport", encoding="utf-8")

    def broken_fsync(fd):
        raise OSError("schijf vol")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(render.RenderError, match="schijf vol"):
        output.write_atomic(target, "half geschreven")
    assert target.read_text(encoding="utf-8") == "vorig rapport"
    assert _leftovers(tmp_path, "rapport.html") == []


def test_write_atomic_keeps_the_file_mode_of_the_previous_file(tmp_path):
    target = tmp_path / "rapport.html"
    target.write_text("oud", encoding="utf-8")
    target.chmod(0o640)
    output.write_atomic(target, "nieuw")
    assert target.stat().st_mode & 0o777 == 0o640


# --------------------------------------------------------------------------- executing


def test_make_reproducible_removes_timestamps_durations_and_kernel_pids():
    nb = typical_notebook()
    nb.metadata["papermill"] = {
        "start_time": "t",
        "end_time": "t",
        "duration": 1.0,
        "parameters": {"year": 1},
    }
    nb.cells[1].metadata["papermill"] = {
        "start_time": "t",
        "end_time": "t",
        "duration": 0.1,
        "status": "completed",
    }
    nb.cells[1].metadata["execution"] = {"iopub.execute_input": "t"}
    nb.cells[1].outputs = [
        new_output("stream", name="stderr", text="/tmp/ipykernel_4711/123.py:5: UserWarning: let op\n")
    ]
    render.make_reproducible(nb)
    assert nb.metadata["papermill"] == {"parameters": {"year": 1}}
    assert nb.cells[1].metadata["papermill"] == {"status": "completed"}
    assert "execution" not in nb.cells[1].metadata
    assert nb.cells[1].outputs[0].text == "/tmp/ipykernel/123.py:5: UserWarning: let op\n"


def test_load_notebook_gives_stable_ids_to_cells_without_one(tmp_path):
    nb = typical_notebook()
    nb.nbformat_minor = 4
    for cell in nb.cells:
        del cell["id"]
    path = tmp_path / "oud.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    loaded = render.load_notebook(path)
    assert [c.id for c in loaded.cells] == ["cel-1", "cel-2", "cel-3", "cel-4"]
    assert loaded.nbformat_minor == 5


def test_ensure_kernel_finds_the_klachten_kernel():
    resource_dir = Path(render.ensure_kernel())
    spec = json.loads((resource_dir / "kernel.json").read_text(encoding="utf-8"))
    assert "ipykernel" in " ".join(spec["argv"])


def test_a_missing_kernel_is_a_dutch_render_error(monkeypatch):
    from jupyter_client import kernelspec

    def no_kernel(self, name):
        raise kernelspec.NoSuchKernel(name)

    monkeypatch.setattr(kernelspec.KernelSpecManager, "get_kernel_spec", no_kernel)
    with pytest.raises(render.RenderError, match="'klachten' is niet geïnstalleerd"):
        render.ensure_kernel("klachten")


def write_source_notebook(path: Path, *cells) -> Path:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "klachten", "display_name": "Klachten", "language": "python"}
    nb.metadata["klachten"] = {"pagina": "jaarverslag"}  # a klachten notebook (exporter.refusal)
    nbformat.write(nb, path)
    return path


def parameters_cell(source: str = "year = 2000\n") -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    return cell


@pytest.fixture(scope="module")
def year_notebook(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("notebooks")
    (directory / "verhaal.txt").write_text("Tekst uit de werkmap.", encoding="utf-8")
    return write_source_notebook(
        directory / "jaar.ipynb",
        new_markdown_cell("# Jaarverslag klachten"),
        parameters_cell(),
        new_code_cell(
            "import sys, warnings\n"
            "from pathlib import Path\n"
            "from IPython.display import Markdown, display\n"
            "print('kernel-stderr', file=sys.stderr)\n"
            "warnings.warn('een waarschuwing')\n"
            "display(Markdown(f'Verslagjaar **{year}**.'))\n"
            "display(Markdown(Path('verhaal.txt').read_text(encoding='utf-8')))\n"
        ),
    )


@pytest.fixture(scope="module")
def built(year_notebook) -> dict[str, str]:
    """The example notebook executed and rendered: the page and the executed notebook's text."""
    cwd_before = os.getcwd()
    nb = render.execute_notebook(year_notebook, {"year": 2024}, cwd=year_notebook.parent)
    assert os.getcwd() == cwd_before, "execute_notebook must not chdir this process"
    return {"html": render.render_html(nb, TITLE), "ipynb": render.notebook_text(nb)}


def test_parameters_are_injected_after_the_parameters_cell(built):
    html = built["html"]
    assert "Verslagjaar <strong>2024</strong>." in html
    assert "2000" not in html
    nb = nbformat.reads(built["ipynb"], as_version=4)
    injected = nb.cells[2]
    assert injected.metadata["tags"] == ["injected-parameters"]
    assert injected.id == render.INJECTED_CELL_ID
    assert "year = 2024" in injected.source
    assert nb.metadata["papermill"]["parameters"] == {"year": 2024}


def test_notebook_runs_in_the_given_working_directory(built):
    assert "Tekst uit de werkmap." in built["html"]


def test_executed_notebook_has_no_timing_metadata(built):
    text = built["ipynb"]
    for key in ('"start_time"', '"end_time"', '"duration"', '"iopub.', '"shell.execute_reply'):
        assert key not in text


def test_stderr_and_warnings_from_the_kernel_are_not_in_the_html(built):
    html = built["html"]
    assert "kernel-stderr" not in html
    assert "waarschuwing" not in html


def test_same_inputs_give_the_same_html_and_notebook_bytes(year_notebook, built):
    again = render.execute_notebook(year_notebook, {"year": 2024}, cwd=year_notebook.parent)
    assert render.render_html(again, TITLE) == built["html"]
    assert render.notebook_text(again) == built["ipynb"]


def test_failing_notebook_gives_a_dutch_render_error_without_traceback(tmp_path):
    source = write_source_notebook(
        tmp_path / "fout.ipynb",
        new_markdown_cell("# Verslag"),
        parameters_cell(),
        new_code_cell("aantal = 1 / 0"),
    )
    with pytest.raises(render.RenderError) as info:
        render.execute_notebook(source, {"year": 2024})
    error = info.value
    assert error.ename == "ZeroDivisionError"
    assert error.evalue == "division by zero"
    assert error.cell == 3  # position in the notebook as the analyst sees it
    assert str(error) == (
        "Het rapport is niet gemaakt: het notebook fout.ipynb stopte in cel 3 "
        "met de fout ZeroDivisionError: division by zero"
    )
    assert "Traceback" not in str(error)


def test_data_error_in_notebook_comes_out_as_its_dutch_message(tmp_path):
    source = write_source_notebook(
        tmp_path / "data.ipynb",
        new_markdown_cell("# Verslag"),
        new_code_cell(
            "from klachtlib.errors import DataError, Problem\n"
            "raise DataError([Problem(file='register.csv', message='de datum ontbreekt.', row=3,"
            " column='datum_ontvangst')])"
        ),
    )
    with pytest.raises(render.RenderError) as info:
        render.execute_notebook(source, {})
    message = str(info.value)
    assert message.startswith("De gegevens bevatten 1 fout; er is geen rapport gemaakt.")
    assert "register.csv, regel 3, kolom 'datum_ontvangst': de datum ontbreekt." in message
    assert "Traceback" not in message
    assert info.value.ename == "DataError"


def test_a_reused_kernel_forgets_the_previous_notebooks_variables(tmp_path):
    first = write_source_notebook(tmp_path / "een.ipynb", parameters_cell(), new_code_cell("geheim = year"))
    second = write_source_notebook(
        tmp_path / "twee.ipynb", parameters_cell(), new_code_cell("x = 1"), new_code_cell("geheim")
    )
    with render.WarmKernel(tmp_path) as kernel:
        render.execute_notebook(first, {"year": 2024}, kernel=kernel)
        again = render.execute_notebook(first, {"year": 2024}, kernel=kernel)
        with pytest.raises(render.RenderError) as info:
            render.execute_notebook(second, {"year": 2024}, kernel=kernel)
    assert info.value.ename == "NameError" and info.value.cell == 3  # the notebook's own numbering
    # the reset cell ran ahead of the reused kernel's notebook and is not in the result
    assert [c.source for c in again.cells][1:] == ["# Parameters\nyear = 2024\n", "geheim = year"]
    assert [c.execution_count for c in again.cells] == [1, 2, 3]


def test_cells_tagged_analist_stay_in_the_notebook_but_not_in_the_html():
    note = new_markdown_cell("Pas `year` aan en kies Run All (alleen voor de analist).")
    note.metadata["tags"] = [exporter.ANALYST_TAG]
    html = render.render_html(executed_notebook(note, new_markdown_cell("# Verslag")), TITLE)
    assert "alleen voor de analist" not in html
    assert "<h1>Verslag</h1>" in html


# --------------------------------------------------------------------------- a kernel that does not start


def test_a_kernel_that_dies_at_start_is_a_dutch_render_error(tmp_path, monkeypatch):
    """A broken `klachten` kernel (found first on JUPYTER_PATH) exits before it answers."""
    spec = tmp_path / "kernels" / render.KERNEL_NAME
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {"argv": [sys.executable, "-c", "raise SystemExit(3)", "{connection_file}"],
             "display_name": "kapot", "language": "python"}
        ),
        encoding="utf-8",
    )  # fmt: skip
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    notebook = write_source_notebook(tmp_path / "nb.ipynb", parameters_cell(), new_code_cell("1 + 1"))
    with pytest.raises(render.RenderError, match="de Python-kernel 'klachten' gaf geen antwoord") as caught:
        render.execute_notebook(notebook, {"year": 2024}, cwd=tmp_path)
    assert "Traceback" not in str(caught.value)


def test_page_only_html_replaces_what_jupyterlab_shows_on_the_published_page():
    """JupyterLab does not know the page-only type and shows text/html; the page shows the other."""
    from klachtlib.presentation.report import PageOnly

    bundle = PageOnly('<p><a href="cijfers/x.csv">CSV</a></p>', "<p>IN_JUPYTERLAB</p>")._repr_mimebundle_()
    output = new_output("display_data", data=bundle)
    nb = executed_notebook(new_markdown_cell("# Verslag"), code_cell("x", output))
    html = render.render_html(nb, TITLE)
    assert 'href="cijfers/x.csv"' in html and "IN_JUPYTERLAB" not in html
