"""The floor for `klachten report`: the same work as the year report, without Jupyter.

Imports the same libraries, reads the same data folder with klachtlib's reader, computes the
same figures and makes the same charts, tables and sentences (klachtlib.report's sections,
which use klachtlib.counts/charts/tables/text), and writes one HTML page with klachten.css.
No kernel, no papermill, no nbconvert: what `display()` would show is collected in this
process instead (a stand-in `IPython.display` module, so IPython is not even imported).

Usage: `python benchmarks/floor.py --year 2024 --data-dir D --output PATH`
"""

from __future__ import annotations

import argparse
import html
import sys
import types
from pathlib import Path

_parts: list[str] = []


class _Markup:
    def __init__(self, data: str) -> None:
        self.data = data


class _Markdown(_Markup):
    pass


def _display(obj: object, raw: bool = False, metadata: dict | None = None) -> None:
    """What a notebook output would hold, as HTML (images with their alt text)."""
    if isinstance(obj, _Markdown):
        _parts.append(_markdown_html(obj.data))
    elif isinstance(obj, _Markup):
        _parts.append(obj.data)
    elif isinstance(obj, dict) and "image/png" in obj:
        alt = (metadata or {}).get("image/png", {}).get("alt", "")
        _parts.append(f'<img src="data:image/png;base64,{obj["image/png"]}" alt="{html.escape(alt)}">')
    else:
        _parts.append(f"<pre>{html.escape(str(obj))}</pre>")


def _markdown_html(text: str) -> str:
    import mistune  # nbconvert's Markdown renderer; small

    return mistune.html(text)


def _install_display_stand_in() -> None:
    module = types.ModuleType("IPython.display")
    module.display = _display
    module.HTML = _Markup
    module.Markdown = _Markdown
    package = types.ModuleType("IPython")
    package.display = module
    package.version_info = (99, 0)  # matplotlib asks; a recent IPython needs no backend fix-up
    sys.modules.setdefault("IPython", package)
    sys.modules.setdefault("IPython.display", module)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    _install_display_stand_in()

    from klachtlib import config
    from klachtlib.report import YearReport

    report = YearReport.load(args.data_dir, args.year)
    report.show_all()
    css = (config.TEMPLATES_DIR / "klachten" / "static" / "klachten.css").read_text(encoding="utf-8")
    page = (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(report.title)}</title>\n<style>\n{css}\n</style>\n</head>\n"
        '<body class="klachten-rapport">\n<main>\n' + "\n".join(_parts) + "\n</main>\n</body>\n</html>\n"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(page, encoding="utf-8")
    print(args.output)


if __name__ == "__main__":
    main()
