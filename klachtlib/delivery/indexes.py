"""Public and internal output apart, each with an index page.

The output folder holds two trees:

- public, `<out>/<jaar>/`: the year report (HTML, PDF), its executed notebook and its figures
  pack (`cijfers/`), and `<out>/woo/` (issue 15's Woo overviews); `<out>/index.html` lists
  every year and every Woo overview;
- internal, `<out>/intern/<jaar>/teams/<team>.html`: the team overviews with learning points,
  each year with its own `index.html`; `<out>/intern/index.html` lists every year and team.
  Every internal page carries `<meta name="robots" content="noindex">` and a visible
  "Intern" marking.

Before 2026 the team overviews were written into `<out>/<jaar>/teams/`, beside the public
report; `old_team_pages_warning` tells the coordinator to remove that folder (nothing is
deleted for them).

The indexes are built from what is on disk, so `report`, `teams` and `batch` each regenerate
them after writing and they always list exactly the pages that exist. Same files, same bytes.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from klachtlib.delivery.output import write_set
from klachtlib.domain.periods import Period, PeriodError, parse_named
from klachtlib.errors import Problem
from klachtlib.presentation.report import colophon_html, page_title
from klachtlib.reading.files import read_input_bytes
from klachtlib.reading.settings import Settings

INTERNAL_DIR = "intern"
INDEX = "index.html"
INTERNAL_MARK = "Intern"
INTERNAL_NOTICE = "niet publiceren. Deze pagina's bevatten leerpunten en zijn bestemd voor de teammanagers."
PUBLIC_TITLE = "Jaarverslagen klachtenbehandeling"
INTERNAL_TITLE = "Teamoverzichten klachten (intern)"
NOTHING_SET = Settings()  # without klachten.toml: a page says nothing about who publishes it
_YEAR_DIR = re.compile(r"\d{4}")
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


def year_report_name(year: int) -> str:
    return f"jaarverslag-klachten-{year}.html"


def internal_dir(output_dir: Path) -> Path:
    return Path(output_dir) / INTERNAL_DIR


def teams_dir(output_dir: Path, year: int) -> Path:
    """Where a year's team overviews go: the internal tree."""
    return internal_dir(output_dir) / str(year) / "teams"


def old_teams_dir(output_dir: Path, year: int) -> Path:
    """Where team overviews went before: beside the public report."""
    return Path(output_dir) / str(year) / "teams"


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Group:
    heading: str
    links: Sequence[Link]


PAGE = Environment(autoescape=True).from_string("""\
<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{%- if internal %}
<meta name="robots" content="noindex">
{%- endif %}
<title>{{ full_title }}</title>
<meta name="description" content="{{ description }}">
<style>
body { font-family: system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; background: #fff; line-height: 1.5; overflow-wrap: break-word; }
h1 { font-size: 1.75rem; line-height: 1.25; }
h2 { font-size: 1.25rem; margin-top: 1.5em; }
a { color: #0b4f8a; }
.intern { border: 3px solid #1a1a1a; padding: 0.5rem 0.75rem; font-weight: 600; }
.tabel-scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
th, td { border-bottom: 1px solid #767676; padding: 0.25rem 0.75rem 0.25rem 0; text-align: left; }
.numeric { text-align: right; }
</style>
</head>
<body>
<main>
{%- if internal %}
<p class="intern"><strong>{{ mark }}</strong>: {{ notice }}</p>
{%- endif %}
<h1>{{ title }}</h1>
{%- if colophon %}
{{ colophon }}
{%- endif %}
{%- if intro %}
<p>{{ intro }}</p>
{%- endif %}
{%- for group in groups %}
{%- if group.heading %}
<h2>{{ group.heading }}</h2>
{%- endif %}
<ul>
{%- for link in group.links %}
<li><a href="{{ link.href }}">{{ link.text }}</a></li>
{%- endfor %}
</ul>
{%- endfor %}
{%- if not groups %}
<p>Er zijn nog geen pagina's.</p>
{%- endif %}
{%- if after %}
{{ after }}
{%- endif %}
</main>
</body>
</html>
""")


def page_html(
    title: str,
    groups: Sequence[Group],
    *,
    internal: bool,
    description: str,
    settings: Settings = NOTHING_SET,
    about: str = "deze pagina",
    intro: str = "",
    after: str = "",
) -> str:
    """An index page: a title, an optional intro and linked lists; internal pages marked.

    Like the year report and the Woo page (`report.page_title`, `report.colophon_html`), its
    <title> names the organisation and a colophon says who publishes, when and whom to ask
    (`about` names the pages), all only when klachten.toml says so; `description` is the meta
    description. `after`: an HTML fragment shown below the lists, already escaped (`tables.*_html`)."""
    return PAGE.render(
        title=title,
        full_title=page_title(title, settings),
        description=" ".join(description.split()),
        colophon=Markup(colophon_html(settings, about).strip()),
        intro=intro,
        groups=[g for g in groups if g.links],
        internal=internal,
        mark=INTERNAL_MARK,
        notice=INTERNAL_NOTICE,
        after=Markup(after),
    )


# --------------------------------------------------------------------------- what is on disk


def _key(path: Path) -> str:
    return os.path.abspath(path)


@dataclass(frozen=True)
class Tree:
    """The output tree as it will be once `written` is written and `removed` removed: the
    indexes of a year's set are made before the set is written, and written with it.

    Only regular files count as pages (a folder named `x.html`, a FIFO or a dangling link is
    skipped, and a FIFO is never opened); an entry that cannot be read is skipped too."""

    written: Mapping[str, str | bytes] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()

    @classmethod
    def after(cls, written: Iterable[tuple[Path, str | bytes]] = (), removed: Iterable[Path] = ()) -> Tree:
        return cls({_key(p): data for p, data in written}, frozenset(_key(p) for p in removed))

    def is_file(self, path: Path) -> bool:
        key = _key(path)
        if key in self.written:
            return True
        if key in self.removed:
            return False
        try:
            return stat.S_ISREG(os.stat(path).st_mode)
        except (OSError, ValueError):
            return False

    def _names(self, folder: Path) -> set[str]:
        """Names of the entries of `folder` on disk and to be written (one level)."""
        names = set()
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            names |= {entry.name for entry in entries}
        prefix = _key(folder) + os.sep
        names |= {k[len(prefix) :].split(os.sep, 1)[0] for k in self.written if k.startswith(prefix)}
        return names

    def folders(self, folder: Path) -> list[Path]:
        """The sub-folders of `folder` on disk and to be made."""
        prefix = _key(folder) + os.sep
        rests = (k[len(prefix) :] for k in self.written if k.startswith(prefix))
        found = {rest.split(os.sep, 1)[0] for rest in rests if os.sep in rest}
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            found |= {entry.name for entry in entries if entry.is_dir()}
        return [Path(folder) / name for name in sorted(found)]

    def pages(self, folder: Path) -> list[Path]:
        """The `*.html` files in `folder`, by name."""
        return sorted(
            Path(folder) / name
            for name in self._names(folder)
            if name.endswith(".html") and self.is_file(Path(folder) / name)
        )

    def text(self, path: Path) -> str:
        data = self.written.get(_key(path))
        if data is None:
            data, _ = read_input_bytes(path)
        if isinstance(data, bytes):
            return data.decode("utf-8", errors="replace")
        return data or ""


def _years(directory: Path, tree: Tree | None = None) -> list[int]:
    tree = tree or Tree()
    years = (int(p.name) for p in tree.folders(Path(directory)) if _YEAR_DIR.fullmatch(p.name))
    return sorted(years, reverse=True)


def public_groups(
    output_dir: Path, tree: Tree | None = None, settings: Settings = NOTHING_SET
) -> list[Group]:
    """One group per year with a report, newest first: the HTML, and the PDF and workbook if made;
    then the year's period reports (half-years, quarters, ...: `<out>/2025-H1/`), in order."""
    tree = tree or Tree()
    groups = []
    periods = _period_dirs(Path(output_dir), tree)
    for year in sorted(set(_years(Path(output_dir), tree)) | set(periods), reverse=True):
        folder = Path(output_dir) / str(year)
        report = folder / year_report_name(year)
        links = []
        if tree.is_file(report):
            title = f"Jaarverslag klachtenbehandeling {year}"
            links.append(Link(title, f"{year}/{report.name}"))
            if tree.is_file(report.with_suffix(".pdf")):
                links.append(Link(f"{title} (PDF)", f"{year}/{report.stem}.pdf"))
            workbook = folder / "cijfers" / f"tabellen-klachten-{year}.xlsx"
            if tree.is_file(workbook):
                links.append(Link(f"Tabellen {year} (Excel)", f"{year}/cijfers/{workbook.name}"))
        for slug in periods.get(year, []):
            page = Path(output_dir) / slug / f"{PERIOD_REPORT_PREFIX}{slug}.html"
            title = _title_of(page, tree, settings) or slug
            links.append(Link(title, f"{slug}/{page.name}"))
            if tree.is_file(page.with_suffix(".pdf")):
                links.append(Link(f"{title} (PDF)", f"{slug}/{page.stem}.pdf"))
        if links:
            groups.append(Group(str(year), links))
    return groups


PERIOD_REPORT_PREFIX = "verslag-klachten-"  # the page of a period report (pipeline.period_report_path)
_PERIOD_DIR = re.compile(r"(\d{4})-(?:[HQT]\d|\d{2})")


def _period_dirs(directory: Path, tree: Tree | None = None) -> dict[int, list[str]]:
    """Period report folders with their page, per year, by first day (then the shorter first)."""
    tree = tree or Tree()
    found: dict[int, list[Period]] = {}
    for folder in (p for p in tree.folders(directory) if _PERIOD_DIR.fullmatch(p.name)):
        if tree.is_file(folder / f"{PERIOD_REPORT_PREFIX}{folder.name}.html"):
            try:
                period = parse_named(folder.name)
            except PeriodError:  # 2025-13: not a folder the workbook wrote
                continue
            found.setdefault(period.start.year, []).append(period)
    return {y: [p.slug for p in sorted(ps, key=lambda p: (p.start, p.end))] for y, ps in found.items()}


WOO_DIR = "woo"


def _title_of(page: Path, tree: Tree | None = None, settings: Settings = NOTHING_SET) -> str:
    """A written page's <title>, without the organisation `report.page_title` added to it (the
    index's own title names the organisation once)."""
    found = _TITLE.search((tree or Tree()).text(page))
    title = html.unescape(found[1]).strip() if found else ""
    suffix = page_title("", settings)
    return title.removesuffix(suffix).strip() if suffix else title


def woo_group(output_dir: Path, tree: Tree | None = None, settings: Settings = NOTHING_SET) -> Group:
    """The Woo overviews of complaint judgments (`klachten woo`, public), newest first."""
    tree = tree or Tree()
    pages = sorted(tree.pages(Path(output_dir) / WOO_DIR), reverse=True)
    links = [Link(_title_of(p, tree, settings) or p.stem, f"{WOO_DIR}/{p.name}") for p in pages]
    return Group("Woo-overzichten klachtoordelen", links)


def team_name(page: Path, year: int, tree: Tree | None = None, settings: Settings = NOTHING_SET) -> str:
    """The team a written overview is about, from its <title> ('Klachtenoverzicht <team> <jaar>')."""
    title = _title_of(page, tree, settings) or page.stem
    title = title.removeprefix("Klachtenoverzicht ").removesuffix(f" {year}")
    return title or page.stem


def internal_groups(
    output_dir: Path, tree: Tree | None = None, settings: Settings = NOTHING_SET
) -> list[Group]:
    """One group per year with team overviews, newest first: the year's index, then every team."""
    tree = tree or Tree()
    groups = []
    for year in _years(internal_dir(output_dir), tree):
        pages = [p for p in tree.pages(teams_dir(output_dir, year)) if p.name != INDEX]
        if not pages:
            continue
        named = ((team_name(p, year, tree, settings), p.name) for p in pages)
        teams = sorted(named, key=lambda t: t[0].casefold())
        links = [Link(name, f"{year}/teams/{file}") for name, file in teams]
        groups.append(Group(str(year), links))
    return groups


def index_files(
    output_dir: Path,
    written: Iterable[tuple[Path, str | bytes]] = (),
    removed: Iterable[Path] = (),
    settings: Settings = NOTHING_SET,
) -> list[tuple[Path, str]]:
    """`<out>/index.html` and `<out>/intern/index.html` as they will be once `written` is written
    and `removed` removed (both from what is on disk when nothing is given); `settings` (klachten.toml)
    say who publishes them."""
    output_dir = Path(output_dir)
    tree = Tree.after(written, removed)
    name = settings.organisation_name
    files: list[tuple[Path, str]] = []
    public = [*public_groups(output_dir, tree, settings), woo_group(output_dir, tree, settings)]
    if any(g.links for g in public) or os.path.lexists(output_dir / INDEX):
        publisher = name or "de gemeente"
        intro = f"De jaarverslagen over de klachtenbehandeling van {publisher} (Awb artikel 9:12a)."
        description = (
            f"{PUBLIC_TITLE}{f' van {name}' if name else ''}: de jaarverslagen over de klachtenbehandeling "
            "(Awb artikel 9:12a) en de Woo-overzichten van klachtoordelen, per jaar."
        )
        page = page_html(
            PUBLIC_TITLE,
            public,
            internal=False,
            description=description,
            settings=settings,
            about="deze verslagen",
            intro=intro,
        )
        files.append((output_dir / INDEX, page))
    internal = internal_groups(output_dir, tree, settings)
    if internal or os.path.lexists(internal_dir(output_dir) / INDEX):
        intro = "De overzichten per team en jaar, met de leerpunten."
        description = (
            f"{INTERNAL_TITLE}{f' van {name}' if name else ''}: per jaar de overzichten per team, "
            "met de leerpunten; niet publiceren."
        )
        page = page_html(
            INTERNAL_TITLE,
            internal,
            internal=True,
            description=description,
            settings=settings,
            about="deze overzichten",
            intro=intro,
        )
        files.append((internal_dir(output_dir) / INDEX, page))
    return files


def write_indexes(output_dir: Path, settings: Settings = NOTHING_SET) -> list[Path]:
    """(Re)write `<out>/index.html` and `<out>/intern/index.html` from what exists; their paths."""
    files = index_files(output_dir, settings=settings)
    write_set(files)
    return [path for path, _ in files]


def old_team_pages_warning(output_dir: Path, year: int) -> list[Problem]:
    """A warning when team overviews still sit in the old place, beside the public report."""
    old = old_teams_dir(output_dir, year)
    if not old.is_dir() or not any(old.glob("*.html")):
        return []
    return [
        Problem(
            str(old),
            "hier staan nog interne teamoverzichten van een eerdere versie, naast het openbare verslag.",
            f"Verwijder deze map: de teamoverzichten staan nu in {teams_dir(output_dir, year)} "
            "(niet publiceren).",
            severity="waarschuwing",
        )
    ]
