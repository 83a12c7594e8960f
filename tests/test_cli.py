"""The `klachten` command, as a complaints coordinator or a script uses it.

Most tests drive the typer app in-process (`CliRunner`); the ones about what a real shell
sees (no traceback, exit status, the last line printed) run the installed console script in
a subprocess, from a directory outside the project so no default depends on the cwd.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import register_row, write_register_file
from typer.testing import CliRunner

from klachtlib.delivery.cli import app
from klachtlib.delivery.pipeline import year_report_path
from klachtlib.reading.vocab import STATUSES

COMMANDS = ["validate", "koppel", "report", "teams", "batch", "woo"]
# A Dutch phrase from each command's help (its first line or an option), as the user reads it.
DUTCH_HELP = {
    None: "Jaarverslag klachtenbehandeling",
    "validate": "controleer de gegevensmap",
    "koppel": "Koppelhulp voor een nieuwe export",
    "report": "Maak het jaarverslag van één jaar",
    "teams": "overzichten per team",
    "batch": "meerdere jaren tegelijk",
    "woo": "Woo-overzicht van klachtoordelen",
}


def klachten_command() -> list[str]:
    """The installed console script beside this Python (`python -m klachtlib` if absent)."""
    script = Path(sys.executable).with_name("klachten")
    if script.exists():
        return [os.fspath(script)]
    found = shutil.which("klachten")
    return [found] if found else [sys.executable, "-m", "klachtlib"]


def run_klachten(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*klachten_command(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), prog_name="klachten")


def write_bad_register(directory: Path) -> Path:
    """Three rows with three different errors (status, date, missing reason), one good row."""
    directory.mkdir(parents=True, exist_ok=True)
    return write_register_file(
        directory,
        [
            register_row(klacht_id="K-001", status="kapot"),
            register_row(klacht_id="K-002", datum_ontvangst="2024-13-45"),
            register_row(klacht_id="K-003", status="ingetrokken", team="", reden=""),
            register_row(klacht_id="K-004"),
        ],
    )


# --------------------------------------------------------------------------- help


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_dutch_with_examples(command):
    result = invoke(*([command] if command else []), "--help")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Voorbeelden" in text
    assert DUTCH_HELP[command].lower() in text.lower()
    assert f"klachten {command or 'report'}" in text  # an example of the command itself


def test_python_m_klachtlib_shows_the_help(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "klachtlib", "--help"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "Voorbeelden" in result.stdout
    assert all(command in result.stdout for command in COMMANDS)


# --------------------------------------------------------------------------- validate


def test_validate_on_the_sample_prints_rows_per_year_and_exits_0():
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Het register telt 171 regels." in lines
    header = next(line for line in lines if line.startswith("status"))
    statuses = sorted((s for s in STATUSES if s in header), key=header.index)
    per_year = {
        int(line.split()[0]): dict(zip(statuses, map(int, line.split()[1:]), strict=True))
        for line in lines
        if line[:4] in ("2023", "2024")
    }
    # The seed's figures: 64 complaints in 2024 (50 handled, 14 not), 83 in 2023; prevented apart.
    assert per_year[2024]["afgehandeld"] == 50 and per_year[2024]["voorkomen"] == 15
    assert sum(per_year[2024].values()) - per_year[2024]["voorkomen"] == 64
    assert sum(per_year[2023].values()) - per_year[2023]["voorkomen"] == 83
    assert lines[-1].startswith("Geen fouten gevonden")


def test_validate_lists_every_problem_and_exits_non_zero(tmp_path):
    register = write_bad_register(tmp_path / "data")
    result = invoke("validate", "--data-dir", os.fspath(tmp_path / "data"))
    assert result.exit_code != 0
    assert result.stdout == ""
    problems = [line for line in result.stderr.splitlines() if line.startswith("- Fout")]
    assert len(problems) == 3, result.stderr
    for line, row, column in zip(problems, (2, 3, 4), ("status", "datum_ontvangst", "reden"), strict=True):
        assert os.fspath(register) in line
        assert f"regel {row}" in line and f"kolom '{column}'" in line
    assert "3 fouten" in result.stderr
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- report


def test_report_with_defaults_renders_the_latest_year(tmp_path):
    out = tmp_path / "uit"
    result = run_klachten("report", "--output-dir", os.fspath(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = out / "2024" / "jaarverslag-klachten-2024.html"
    assert result.stdout.splitlines()[-1] == os.fspath(html)
    assert html.is_file() and (out / "intern" / "2024" / "jaarverslag-klachten-2024.ipynb").is_file()
    assert not html.with_suffix(".ipynb").exists()  # the executed notebook is not public (issue 20)
    assert "Het aantal klachten is gedaald t.o.v. 2023 van 83 naar 64." in html.read_text("utf-8")
    assert "Traceback" not in result.stderr


def test_report_data_error_is_dutch_without_traceback_and_keeps_the_previous_report(tmp_path):
    data, out = tmp_path / "data", tmp_path / "uit"
    register = write_bad_register(data)
    previous = year_report_path(out, 2024)
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"<!DOCTYPE html>\n<html lang='nl'><title>Vorig goed rapport</title></html>\n")
    before = previous.read_bytes()

    result = run_klachten(
        "report",
        "--year",
        "2024",
        "--data-dir",
        os.fspath(data),
        "--output-dir",
        os.fspath(out),
        cwd=tmp_path,
    )

    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.strip() == ""
    assert "er is geen rapport gemaakt" in result.stderr
    status_line = next(line for line in result.stderr.splitlines() if "kolom 'status'" in line)
    assert os.fspath(register) in status_line and "regel 2" in status_line
    assert "onbekende waarde 'kapot'" in status_line and "klachten.toml" in status_line
    assert previous.read_bytes() == before
    assert [p.name for p in previous.parent.iterdir()] == [previous.name]


def test_report_unknown_placeholder_names_it_and_the_file(tmp_path):
    data, out = tmp_path / "data", tmp_path / "uit"
    (data / "toelichting").mkdir(parents=True)
    write_register_file(data, [register_row()])
    narrative = data / "toelichting" / "2024.md"
    narrative.write_text(
        "## Reflectie op klachten\n\nEr zijn {{ aantal_leerpunten }} leerpunten.\n", encoding="utf-8"
    )
    result = invoke("report", "--data-dir", os.fspath(data), "--output-dir", os.fspath(out))
    assert result.exit_code != 0
    assert "{{ aantal_leerpunten }}" in result.stderr
    assert os.fspath(narrative) in result.stderr and "regel 3" in result.stderr
    assert "Beschikbare plaatshouders" in result.stderr
    assert "Traceback" not in result.output
    assert not list(tmp_path.rglob("*.html"))


def test_report_into_an_output_folder_that_is_a_file_is_a_dutch_error_with_exit_3(tmp_path):
    data, out = tmp_path / "data", tmp_path / "uit"
    data.mkdir()
    write_register_file(data, [register_row()])
    out.write_text("een bestand, geen map", encoding="utf-8")
    arguments = ("report", "--data-dir", os.fspath(data), "--output-dir", os.fspath(out))
    result = run_klachten(*arguments, cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert "Het rapport is niet geschreven" in result.stderr and "in plaats van een map" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert out.read_text(encoding="utf-8") == "een bestand, geen map"


def test_report_whose_html_target_is_a_folder_is_a_dutch_error_with_exit_3(tmp_path):
    data, out = tmp_path / "data", tmp_path / "uit"
    data.mkdir()
    write_register_file(data, [register_row()])
    (out / "2024" / "jaarverslag-klachten-2024.html").mkdir(parents=True)
    result = invoke("report", "--data-dir", os.fspath(data), "--output-dir", os.fspath(out))
    assert result.exit_code == 3
    assert "op de plaats van het bestand staat een map" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (out / "2024").iterdir()) == ["jaarverslag-klachten-2024.html"]


def test_report_for_a_year_without_data_names_the_available_years(tmp_path):
    result = invoke("report", "--year", "2019", "--output-dir", os.fspath(tmp_path / "uit"))
    assert result.exit_code != 0
    assert "geen regels voor 2019" in result.stderr
    assert "2023, 2024" in result.stderr
    assert "Traceback" not in result.output
    assert not list(tmp_path.rglob("*.html"))


@pytest.mark.parametrize("command", ["", "report", "teams", "batch", "validate", "koppel", "woo"])
def test_help_labels_are_dutch_too(command):
    result = invoke(*(command.split() + ["--help"]))
    assert result.exit_code == 0
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "[default:", "<path>"):
        assert english not in result.output
    assert "Gebruik:" in result.output and "Opties:" in result.output


def test_a_wrong_option_gets_a_dutch_usage_error_without_traceback(tmp_path):
    result = run_klachten("report", "--jaar", "2024", cwd=tmp_path)
    assert result.returncode == 2
    assert "Fout: Onbekende optie: --jaar" in result.stderr
    assert "Zie 'klachten report --help'" in result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


# --------------------------------------------------------------------------- small faults


def test_a_year_that_is_not_a_number_is_a_dutch_usage_error(tmp_path):
    result = run_klachten("report", "--year", "abc", cwd=tmp_path)
    assert result.returncode == 2
    assert "Fout: Ongeldige waarde voor '--year': 'abc' is geen jaartal." in result.stderr
    assert "Input should" not in result.stderr and "Traceback" not in result.stderr


def test_a_two_digit_year_gets_a_hint_with_the_four_digit_year(tmp_path):
    result = invoke("report", "--year", "24", "--output-dir", os.fspath(tmp_path / "uit"))
    assert result.exit_code == 1
    assert "Geef het jaar met vier cijfers: bedoelt u 2024?" in result.stderr
    assert not list(tmp_path.rglob("*.html"))


def test_validate_on_an_empty_folder_says_what_is_missing_not_that_no_report_was_made(tmp_path):
    result = invoke("validate", "--data-dir", os.fspath(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "De gegevens bevatten 1 fout."
    assert "geen klachtenregister gevonden" in result.stderr
    assert "rapport" not in result.stderr


@pytest.mark.parametrize("terminal", [True, False])
def test_the_progress_bar_is_shown_only_on_a_terminal(monkeypatch, terminal):
    from klachtlib.delivery.cli import progress_bar

    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    with progress_bar(3) as bar:
        assert bar.disable is not terminal
