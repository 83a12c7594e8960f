"""Problems found in a data folder, worded for the complaints coordinator.

Every check adds a `Problem` to a list instead of raising, so a run reports everything
wrong with a data folder in one pass; `DataError` carries that list out of the reader.
`RenderError` is the other error a command turns into one Dutch message and an exit code: a
page or file that could not be made or written. Both live here, in the lowest layer, so any
module may raise them without importing upwards.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["fout", "waarschuwing"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with enough context to find and fix it."""

    file: str
    message: str
    hint: str = ""
    row: int | None = None  # 1-based line (CSV) or row (Excel) in the file, or line of klachten.toml
    klacht_id: str | None = None
    column: str | None = None
    severity: Severity = "fout"

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            row = f"regel {self.row}"
            if self.klacht_id:
                row += f" (klacht_id {self.klacht_id})"
            where.append(row)
        elif self.klacht_id:
            where.append(f"klacht_id {self.klacht_id}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        label = "Fout" if self.severity == "fout" else "Waarschuwing"
        text = f"{label} in {', '.join(where)}: {self.message}"
        if self.hint:
            text += f" {self.hint}"
        return text


MOST_LINES = 50  # distinct problems shown; the rest is counted
FIRST_ROWS = 5  # row numbers shown per distinct problem


def grouped_lines(problems: list[Problem], most: int = MOST_LINES) -> list[str]:
    """One line per distinct problem (file, column, what, how to fix), in order of first
    appearance: with the number of rows and the first row numbers when it occurs on several
    rows; at most `most` lines, then "en nog N" (one export once gave 22,028 lines for 19
    distinct problems)."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in problems:
        key = (problem.severity, problem.file, problem.column, problem.message, problem.hint)
        groups.setdefault(key, []).append(problem)
    lines = [_group_line(group) for group in groups.values()]
    if len(lines) > most:
        rest = len(lines) - most
        lines = [*lines[:most], f"en nog {rest} {'ander probleem' if rest == 1 else 'andere problemen'}."]
    return lines


def _group_line(group: list[Problem]) -> str:
    first = group[0]
    if len(group) == 1:
        return str(first)
    rows = sorted({p.row for p in group if p.row is not None})
    shown = ", ".join(str(r) for r in rows[:FIRST_ROWS]) + (", ..." if len(rows) > FIRST_ROWS else "")
    where = [first.file, f"{len(group)} regels ({shown})" if rows else f"{len(group)} keer"]
    if first.column:
        where.append(f"kolom '{first.column}'")
    label = "Fout" if first.severity == "fout" else "Waarschuwing"
    text = f"{label} in {', '.join(where)}: {first.message}"
    return f"{text} {first.hint}" if first.hint else text


@dataclass
class DataError(Exception):
    """Raised when a data folder has errors; holds every problem found in one pass."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "fout"]

    def summary(self, consequence: str | None = "er is geen rapport gemaakt") -> str:
        count = len(self.errors)
        noun = "fout" if count == 1 else "fouten"
        lines = [f"De gegevens bevatten {count} {noun}" + (f"; {consequence}." if consequence else ".")]
        lines += [f"- {line}" for line in grouped_lines(self.problems)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _render_traceback_(self) -> list[str]:
        """IPython's documented hook: a notebook shows this Dutch message, no traceback."""
        return self.summary().splitlines()


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

    def _render_traceback_(self) -> list[str]:
        """IPython's documented hook: in a notebook, the Dutch message instead of a traceback."""
        return self.message.splitlines()


_SYSTEM_REASONS: dict[int, str] = {
    errno.ENOENT: "het bestand of de map bestaat niet",
    errno.EACCES: "u hebt geen toestemming (rechten)",
    errno.EPERM: "u hebt geen toestemming (rechten)",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.ENOSPC: "de schijf is vol",
    errno.EISDIR: "dit is een map",
    errno.ENOTDIR: "een deel van het pad is een bestand in plaats van een map",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.ELOOP: "de koppeling (symlink) verwijst naar zichzelf",
    errno.EIO: "de schijf gaf een lees- of schrijffout",
}


def system_reason(error: OSError) -> str:
    """An operating-system error in Dutch where we know it, else its own (English) text quoted
    as such: a Dutch message never carries bare English."""
    known = _SYSTEM_REASONS.get(error.errno or 0)
    if known:
        return known
    return f'het besturingssysteem meldt (in het Engels): "{error.strerror or error}"'
