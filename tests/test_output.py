"""Writing output: notebook and HTML replaced together or not at all, write errors in Dutch."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from klachtlib.delivery import output
from klachtlib.delivery.render import RenderError


def ours(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(output.PREFIX))


def old_pair(directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    ipynb, html = directory / "r.ipynb", directory / "r.html"
    ipynb.write_text("oud notebook", encoding="utf-8")
    html.write_text("oud html", encoding="utf-8")
    return ipynb, html


def test_notebook_and_html_are_replaced_together(tmp_path):
    ipynb, html = old_pair(tmp_path)
    output.write_all_atomic([(ipynb, "nieuw notebook"), (html, "nieuw html")])
    assert (ipynb.read_text(encoding="utf-8"), html.read_text(encoding="utf-8")) == (
        "nieuw notebook",
        "nieuw html",
    )
    assert ours(tmp_path) == []


def test_failing_second_replace_puts_the_first_file_back(tmp_path, monkeypatch):
    ipynb, html = old_pair(tmp_path)
    real_replace = os.replace

    def replace(source, target):
        if Path(target) == html:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(RenderError, match="lees- of schrijffout"):
        output.write_all_atomic([(ipynb, "nieuw notebook"), (html, "nieuw html")])
    assert ipynb.read_text(encoding="utf-8") == "oud notebook"
    assert html.read_text(encoding="utf-8") == "oud html"
    assert ours(tmp_path) == []


def test_full_disk_is_a_dutch_error_and_changes_nothing(tmp_path, monkeypatch):
    ipynb, html = old_pair(tmp_path)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(RenderError) as caught:
        output.write_all_atomic([(ipynb, "nieuw notebook"), (html, "nieuw html")])
    message = str(caught.value)
    assert "de schijf is vol" in message and "r.ipynb" in message and "Traceback" not in message
    assert ipynb.read_text(encoding="utf-8") == "oud notebook"
    assert html.read_text(encoding="utf-8") == "oud html"
    assert ours(tmp_path) == []


def test_output_folder_below_a_file_is_a_dutch_error(tmp_path):
    blocker = tmp_path / "uitvoer"
    blocker.write_text("een bestand, geen map", encoding="utf-8")
    with pytest.raises(RenderError, match="een deel van het pad is een bestand in plaats van een map"):
        output.write_all_atomic([(blocker / "2024" / "r.html", "x")])


def test_output_folder_that_is_a_file_is_a_dutch_error(tmp_path):
    blocker = tmp_path / "2024"
    blocker.write_text("een bestand, geen map", encoding="utf-8")
    with pytest.raises(RenderError, match="Het rapport is niet geschreven"):
        output.write_all_atomic([(blocker / "r.html", "x")])


def test_html_target_that_is_a_folder_is_a_dutch_error_and_changes_nothing(tmp_path):
    ipynb = tmp_path / "r.ipynb"
    ipynb.write_text("oud notebook", encoding="utf-8")
    (tmp_path / "r.html").mkdir()
    with pytest.raises(RenderError, match="op de plaats van het bestand staat een map"):
        output.write_all_atomic([(ipynb, "nieuw notebook"), (tmp_path / "r.html", "nieuw html")])
    assert ipynb.read_text(encoding="utf-8") == "oud notebook"
    assert ours(tmp_path) == []


def test_read_only_folder_is_a_dutch_error(tmp_path, monkeypatch):
    # Tests run as root, whom chmod does not stop: the folder refuses through os.open instead.
    target = tmp_path / "r.html"
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if Path(path).parent == tmp_path and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(RenderError, match="geen toestemming om daar te schrijven"):
        output.write_all_atomic([(target, "x")])
    assert not target.exists()


KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from klachtlib.delivery import output

directory = Path(sys.argv[1])
real_replace = os.replace
calls = []

def replace(source, target):
    calls.append(target)
    if len(calls) == 2:  # between the notebook's and the HTML's rename
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(source, target)

os.replace = replace
output.write_all_atomic([(directory / "r.ipynb", "nieuw notebook"), (directory / "r.html", "nieuw html")])
"""


def test_a_kill_between_the_renames_is_undone_by_the_next_write(tmp_path):
    ipynb, html = old_pair(tmp_path)
    killed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KILLED_WRITER), str(tmp_path)], capture_output=True
    )
    assert killed.returncode == -9
    assert ipynb.read_text(encoding="utf-8") == "nieuw notebook"  # the half-done state the kill left
    assert html.read_text(encoding="utf-8") == "oud html"
    assert ours(tmp_path)  # journal, backups and a temporary file

    output.write_all_atomic([(tmp_path / "ander.html", "iets anders")])  # a later run, same folder

    assert ipynb.read_text(encoding="utf-8") == "oud notebook"  # back to the pair as it was
    assert html.read_text(encoding="utf-8") == "oud html"
    assert ours(tmp_path) == []


def test_leftovers_of_a_running_writer_are_left_alone(tmp_path):
    running = tmp_path / f"{output.PREFIX}{output._HOST}-{os.getppid()}-abcd1234-r.html.tmp"
    running.write_text("wordt nog geschreven", encoding="utf-8")
    output.write_all_atomic([(tmp_path / "r.html", "x")])
    assert running.exists()
