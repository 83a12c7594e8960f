"""The floor for `klachten report`: the same work as the year report, without Jupyter.

Imports the same libraries, reads the same data folder with klachtlib's reader, computes the
same figures and makes the same charts, tables and sentences (klachtlib.report's sections,
which use klachtlib.counts/charts/tables/text), and writes the files `klachten report` writes
(bench.py checks that the names match and that every file but the page is byte for byte the
same): one HTML page with klachten.css and the 5 charts embedded as PNG, beside it the open
data (CSV and its metadata) and the figures pack (the 5 charts as PNG and SVG, 8 tables as CSV
and one XLSX), and the index of the output folder. Only the executed notebook, Jupyter's own
output, has no counterpart. No kernel, no papermill, no nbconvert, no IPython: the sections'
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

    from klachtlib import config, indexes, opendata, pack
    from klachtlib.output import write_all_atomic
    from klachtlib.report import YearReport

    report = YearReport.load(args.data_dir, args.year)
    css = (config.TEMPLATES_DIR / "klachten" / "static" / "klachten.css").read_text(encoding="utf-8")
    page = (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(report.title)}</title>\n<style>\n{css}\n</style>\n</head>\n"
        '<body class="klachten-rapport">\n<main>\n'
        + "\n".join(report.sections_html())
        + "\n</main>\n</body>\n</html>\n"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(page, encoding="utf-8")
    # The other files `klachten report` writes beside the page: open data and the figures pack.
    write_all_atomic(opendata.year_files(report.figures, args.output.parent))
    write_all_atomic(pack.pack_files(report, args.output.parent))
    indexes.write_indexes(args.output.parent.parent)
    print(args.output)


if __name__ == "__main__":
    main()
