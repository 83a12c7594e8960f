"""Shared test helpers: small registers written inline, one rule per test."""

from __future__ import annotations

import csv
import fcntl
import io
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import settings

# Timing is not a property of these tests: a loaded machine (2 cores, parallel workers) must not
# turn a slow example into a failure.
settings.register_profile("klachten", deadline=None)
settings.load_profile("klachten")

# One valid, handled complaint; tests override only what their rule is about.
VALID_ROW: dict[str, str] = {
    "klacht_id": "K-001",
    "datum_ontvangst": "2024-03-05",
    "status": "afgehandeld",
    "team": "Burgerzaken",
    "reden": "",
    "behandeling": "informeel",
    "oordeel": "",
    "datum_afgehandeld": "2024-03-20",
    "verdaagd": "nee",
    "kanaal": "e-mail",
    "aard": "geen oplossing",
    "leerpunt": "",
    "ombudsman": "nee",
}


def register_row(**overrides: str) -> dict[str, str]:
    """A valid register row with some values changed (keys are column headers)."""
    return {**VALID_ROW, **overrides}


def write_register_file(
    directory: Path,
    rows_or_csv_text: Sequence[dict[str, object]] | str,
    name: str = "klachtenregister.csv",
    sep: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """Write a CSV into `directory`: rows as dicts (header = keys of all rows) or literal text."""
    if isinstance(rows_or_csv_text, str):
        text = rows_or_csv_text
    else:
        header = list(dict.fromkeys(key for row in rows_or_csv_text for key in row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, delimiter=sep, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows_or_csv_text)
        text = buffer.getvalue()
    path = Path(directory) / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def write_register() -> Callable[..., Path]:
    """`write_register(tmp_path, rows_or_csv_text, name=..., sep=..., encoding=...)` -> path."""
    return write_register_file


@pytest.fixture
def make_row() -> Callable[..., dict[str, str]]:
    """`make_row(status="ingetrokken", reden="...")`: a valid row with overrides."""
    return register_row


def build_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """Run `build(directory)` once per test run, also when pytest-xdist runs several workers."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        directory = tmp_path_factory.mktemp(name)
        build(directory)
        return directory
    root = tmp_path_factory.getbasetemp().parent  # shared by the workers of this run
    directory, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(directory, ignore_errors=True)  # left over from a failed attempt
            directory.mkdir()
            build(directory)
            done.touch()
    return directory


def write_workbook(path: Path, sheets: dict[str, list[list]], states: dict[str, str] | None = None) -> Path:
    """An .xlsx file: {sheet title: rows}; Python dates become real Excel date cells; `states`
    hides sheets ({title: "hidden" | "veryHidden"})."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = (states or {}).get(title, "visible")
    workbook.save(path)
    return Path(path)
