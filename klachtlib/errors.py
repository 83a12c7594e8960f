"""Problems found in a data folder, worded for the complaints coordinator.

Every check adds a `Problem` to a list instead of raising, so a run reports everything
wrong with a data folder in one pass; `DataError` carries that list out of the reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["fout", "waarschuwing"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with enough context to find and fix it."""

    file: str
    message: str
    hint: str = ""
    row: int | None = None  # 1-based line number in the file (header is line 1)
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
        lines += [f"- {p}" for p in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _render_traceback_(self) -> list[str]:
        """IPython's documented hook: a notebook shows this Dutch message, no traceback."""
        return self.summary().splitlines()
