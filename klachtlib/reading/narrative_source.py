"""Reading the coordinator's narrative, `toelichting/<jaar>.md`, from the data folder.

Reading belongs with the reader, not with the wording: this module finds and reads the file
(only a regular file, never waiting on a pipe: `files.read_input_bytes`) and decodes it; a
file that cannot be read or decoded is a Dutch `DataError`. Filling its placeholders with the
year's figures is `text.render_narrative`'s work, in the sandbox of `klachtlib.presentation.narrative`.
"""

from __future__ import annotations

from pathlib import Path

from klachtlib.errors import DataError, Problem
from klachtlib.reading.files import read_input_bytes

NARRATIVE_DIR = "toelichting"


def narrative_path(data_dir: str | Path, stem: str) -> Path:
    """`<data_dir>/toelichting/<stem>.md`: a year's ("2024") or a period's ("2025-H1")."""
    return Path(data_dir) / NARRATIVE_DIR / f"{stem}.md"


def read_narrative_source(path: Path) -> str | None:
    """The file's text, or None when there is no such file; DataError (Dutch) when it cannot be
    read or is not UTF-8."""
    data, unreadable = read_input_bytes(path, optional=True)  # only a regular file; never waits on a pipe
    if unreadable is not None:
        raise DataError([unreadable])
    if data is None:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            [
                Problem(
                    str(path),
                    f"de toelichting is niet te lezen ({exc}).",
                    "Sla het bestand op als UTF-8-tekst (Markdown).",
                )
            ]
        ) from None
