"""Reading an input file: only regular files, every failure a Dutch problem, never a hang.

The register, `klantcontacten.csv`, `klachten.toml` and `toelichting/*.md` are all read
through `read_input_bytes`: a FIFO, a device or a folder in their place is reported (a FIFO
would make `open` wait forever for a writer), and so is a file that cannot be read. The file
is checked with `os.stat` before it is opened, and opened non-blocking and checked again, so
a file swapped in between cannot make the reader wait either.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from klachtlib.errors import Problem, system_reason

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def not_regular(path: Path, mode: int) -> Problem | None:
    """A problem when `mode` (from os.stat) is not a regular file."""
    if stat.S_ISREG(mode):
        return None
    what = "een map" if stat.S_ISDIR(mode) else "geen gewoon bestand (maar bijvoorbeeld een pipe of apparaat)"
    return Problem(
        str(path),
        f"het bestand kan niet worden gelezen: dit is {what}.",
        "Zet hier een gewoon bestand neer, of haal het uit de gegevensmap.",
    )


def _unreadable(path: Path, error: OSError) -> Problem:
    return Problem(
        str(path),
        f"het bestand kan niet worden gelezen: {system_reason(error)}.",
        "Controleer of het bestand bestaat en of u het mag lezen (rechten).",
    )


def read_input_bytes(path: Path, optional: bool = False) -> tuple[bytes | None, Problem | None]:
    """The bytes of a regular file, or a problem; (None, None) when optional and absent."""
    path = Path(path)
    try:
        problem = not_regular(path, os.stat(path).st_mode)
    except FileNotFoundError as error:
        return (None, None) if optional else (None, _unreadable(path, error))
    except OSError as error:
        return None, _unreadable(path, error)
    if problem is not None:
        return None, problem
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except OSError as error:
        return None, _unreadable(path, error)
    try:
        problem = not_regular(path, os.fstat(descriptor).st_mode)
        if problem is not None:
            return None, problem
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(), None
    except OSError as error:
        return None, _unreadable(path, error)
    finally:
        os.close(descriptor)
