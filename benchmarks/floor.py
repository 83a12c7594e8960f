"""The floor for `klachten report`: the same work as the year report, without Jupyter.

Imports the same libraries, reads the same data folder with klachtlib's reader, computes the
same figures and makes the same charts, tables and sentences (klachtlib.presentation.report's sections,
which use klachtlib.domain.counts/charts/tables/text), and writes the files `klachten report` writes
(bench.py checks that the names match and that every file but the page is byte for byte the
same): one HTML page with klachten.css and the 5 charts embedded as PNG, beside it the open
data (CSV and its metadata) and the figures pack (the 5 charts as PNG and SVG, 8 tables as CSV
and one XLSX), and the index of the output folder, with each folder's list of the files it
wrote. Only the executed notebook (in the internal tree), Jupyter's own output, has no
counterpart. No kernel, no papermill, no nbconvert, no IPython: the sections'
HTML fragments are joined into the page in this process.

Usage: `python benchmarks/floor.py --year 2024 --data-dir D --output OUT/2024/PAGE.html`
(the index is written to OUT, two levels up from the page, as the report's is)
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()

    from klachtlib import config
    from klachtlib.delivery import indexes, opendata, pack
    from klachtlib.delivery.output import stale_in, write_set
    from klachtlib.presentation.report import YearReport

    report = YearReport.load(args.data_dir, args.year)
    css = (config.TEMPLATES_DIR / "klachten" / "static" / "klachten.css").read_text(encoding="utf-8")
    page = (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(report.title)}</title>\n<style>\n{css}\n</style>\n</head>\n"
        '<body class="klachten-rapport">\n<main>\n'
        + "\n".join(report.sections_html())
        + "\n</main>\n</body>\n</html>\n"
    )
    # The page with what `klachten report` writes beside it (open data, the figures pack) and the
    # index, written as one set like the report's (each folder's list of files included).
    public = args.output.parent
    files: list[tuple[Path, str | bytes]] = [
        *opendata.year_files(report.figures, public, report.measure_figures),
        *pack.pack_files(report, public),
        (args.output, page),
    ]
    stale = [
        *stale_in(public, (p.name for p, _ in files if p.parent == public)),
        *stale_in(public / pack.PACK_DIR, (p.name for p, _ in files if p.parent == public / pack.PACK_DIR)),
    ]
    index = indexes.index_files(public.parent, files, stale, report.folder.settings)
    write_set([*files, *index], stale)
    print(args.output)


if __name__ == "__main__":
    main()
