"""A year report's downloads (open data, figures pack), made where the report was computed.

`klachten report` computes a report once: in the kernel that runs `notebooks/jaarverslag.ipynb`,
whose `report` (a `YearReport`) the page shows. Right after the notebook, in the same kernel,
`stage(report, folder)` (the code `stage_code` gives, run by `render.execute_notebook(...,
then=...)`) makes the files beside the page from that same report and its drawn charts and
puts them in a temporary folder of the command, with a small JSON manifest: the year, the
title and the warnings. `read_staged` gives the command all of it back, and the command writes
the files with the page. Plain files and JSON cross the process boundary, never objects.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from klachtlib.delivery import opendata, pack
from klachtlib.errors import Problem
from klachtlib.reading.settings import Settings

if TYPE_CHECKING:
    from klachtlib.presentation.report import YearReport

MANIFEST = "verslag.json"
REPORT_VARIABLE = "report"  # what the year notebook calls its YearReport (a test checks it)


@dataclass(frozen=True)
class Downloads:
    """What the kernel made of one report: file paths are relative to the report's folder."""

    year: int
    slug: str  # '2024', or a period's '2025-H1'
    title: str
    whole_year: bool
    warnings: list[Problem]
    publisher: Settings  # who publishes (organisation, contact, date), for the index pages
    open_data: list[tuple[Path, bytes]]
    pack: list[tuple[Path, bytes]]


def stage_code(folder: Path) -> str:
    """The code the command runs in the kernel after the year notebook."""
    return f"from klachtlib.delivery.downloads import stage\nstage({REPORT_VARIABLE}, {str(folder)!r})"


def stage(report: YearReport, folder: str | Path) -> None:
    """Write `report`'s open data and figures pack, and the manifest, into `folder` (kernel side)."""
    folder = Path(folder)
    whole_year = report.figures.period is None
    # Open data holds a whole year's figures; a period report has none.
    open_data = opendata.year_files(report.figures, Path(), report.measure_figures) if whole_year else []
    files: dict[str, list[tuple[Path, str | bytes]]] = {
        "open_data": list(open_data),
        "pack": list(pack.pack_files(report, Path())),
    }
    for path, data in (item for items in files.values() for item in items):
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    manifest = {
        "year": report.year,
        "slug": report.slug,
        "title": report.title,
        "whole_year": whole_year,
        "warnings": [asdict(problem) for problem in report.warnings],
        "publisher": _publisher(report.folder.settings),
        **{kind: [path.as_posix() for path, _ in items] for kind, items in files.items()},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def read_staged(folder: str | Path) -> Downloads:
    """What `stage` wrote into `folder` (command side)."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))

    def files(kind: str) -> list[tuple[Path, bytes]]:
        return [(Path(name), (folder / name).read_bytes()) for name in manifest[kind]]

    return Downloads(
        year=manifest["year"],
        slug=manifest["slug"],
        title=manifest["title"],
        whole_year=manifest["whole_year"],
        warnings=[Problem(**problem) for problem in manifest["warnings"]],
        publisher=_publisher_settings(manifest["publisher"]),
        open_data=files("open_data"),
        pack=files("pack"),
    )


def _publisher(settings: Settings) -> dict[str, str | None]:
    day = settings.publication_date
    return {
        "organisation_name": settings.organisation_name,
        "organisation_contact": settings.organisation_contact,
        "publication_date": day.isoformat() if day else None,
    }


def _publisher_settings(publisher: dict[str, str | None]) -> Settings:
    """The publisher's settings as the kernel read them: the command does not read klachten.toml again."""
    day = publisher["publication_date"]
    return replace(
        Settings(),
        organisation_name=publisher["organisation_name"],
        organisation_contact=publisher["organisation_contact"],
        publication_date=date.fromisoformat(day) if day else None,
    )
