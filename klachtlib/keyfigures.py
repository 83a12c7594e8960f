"""The "Kerncijfers" block at the top of the year report: the figures management asks first.

Five key figures, each with last year's value beside it: complaints received (and the change),
handled on their merits, the share closed within the legal term, the share handled
informally and the share of formal verdicts that found the complaint (partly) well-founded.
Where the register does not support a figure it says "onbekend", never 0 (a previous year
that is not in the register, no closing dates, no recorded handling or verdicts).

Optional norms from `klachten.toml` `[normen]` (`Settings.norms`: `binnen_termijn_procent`,
`informeel_procent`, `gegrond_procent_max`) are stated per figure and judged in words
("gehaald" / "niet gehaald"), never by colour alone. A share is judged at the precision it
is shown with (one decimal), so "90%" never reads as below a norm of 90.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from klachtlib.classify import years_in
from klachtlib.counts import YearFigures, year_figures
from klachtlib.register import DataFolder
from klachtlib.tables import bullets_html, heading_html, paragraph_html, table_html
from klachtlib.text import format_number, format_percent, no_comparison_sentence

HEADING = "Kerncijfers"
UNKNOWN = "onbekend"
NOT_APPLICABLE = "n.v.t."
WITHIN_TERM_NORM = "binnen_termijn_procent"
INFORMAL_NORM = "informeel_procent"
WELL_FOUNDED_NORM = "gegrond_procent_max"
NORM_KEYS = (WITHIN_TERM_NORM, INFORMAL_NORM, WELL_FOUNDED_NORM)
WELL_FOUNDED = ("gegrond", "deels gegrond")


@dataclass(frozen=True)
class KeyFigure:
    """One row of the block: a label, this year's and last year's value as text, the norm."""

    label: str
    value: str
    previous: str
    norm: str = ""  # e.g. "minstens 90%"; "" when no norm applies
    verdict: str = ""  # "gehaald" / "niet gehaald" / "onbekend"; "" without a norm


# --------------------------------------------------------------------------- the figures


def informal_share(f: YearFigures) -> float | None:
    """Informal among handled complaints whose handling is recorded; None when none is."""
    known = f.informal + f.formal
    return f.informal / known if known else None


def well_founded_share(f: YearFigures) -> float | None:
    """(Partly) well-founded among formal verdicts recorded; None when no verdict is recorded."""
    verdicts = f.verdicts.set_index("oordeel")["aantal"]
    recorded = int(verdicts.sum())
    if recorded == 0:
        return None
    return int(verdicts.reindex(list(WELL_FOUNDED), fill_value=0).sum()) / recorded


def _count(value: int | None) -> str:
    return UNKNOWN if value is None else format_number(value)


def _share(value: float | None) -> str:
    return UNKNOWN if value is None else format_percent(value)


def change_text(total: int, previous: int | None) -> str:
    """'19 minder (−22,9%)', '5 meer (+8,1%)', 'gelijk'; 'onbekend' without last year's total."""
    if previous is None:
        return UNKNOWN
    difference = total - previous
    if difference == 0:
        return "gelijk"
    amount = f"{format_number(abs(difference))} {'meer' if difference > 0 else 'minder'}"
    if previous == 0:
        return amount
    sign = "+" if difference > 0 else "\u2212"
    return f"{amount} ({sign}{format_percent(abs(difference) / previous)})"


def _judge(share: float | None, norm: float, *, at_most: bool) -> str:
    if share is None:
        return UNKNOWN
    shown = float(format_percent(share).rstrip("%").replace(".", "").replace(",", "."))  # as printed
    met = shown <= norm if at_most else shown >= norm
    return "gehaald" if met else "niet gehaald"


def _norm_text(norm: float, *, at_most: bool) -> str:
    return f"{'hoogstens' if at_most else 'minstens'} {format_percent(norm / 100)}"


def _within_term(f: YearFigures) -> float | None:
    return f.within_term_share


# Share rows: label, how to compute the share, its norm key, and whether the norm is a maximum.
SHARES = (
    ("Binnen de wettelijke termijn afgehandeld", _within_term, WITHIN_TERM_NORM, False),
    ("Informeel behandeld", informal_share, INFORMAL_NORM, False),
    ("(Deels) gegrond, van de formele oordelen", well_founded_share, WELL_FOUNDED_NORM, True),
)


def key_figures(f: YearFigures, previous: YearFigures | None, norms: dict[str, float]) -> list[KeyFigure]:
    """The block's rows for `f`; `previous` is last year's figures (None: not in the register)."""
    p = previous
    rows = [
        KeyFigure("Klachten ontvangen", format_number(f.total), _count(f.total_previous)),
        KeyFigure(
            "Verschil met het jaar ervoor",
            change_text(f.total, f.total_previous),
            UNKNOWN if p is None else change_text(p.total, p.total_previous),
        ),
        KeyFigure("Inhoudelijk afgehandeld", format_number(f.handled), _count(p.handled if p else None)),
    ]
    for label, share, key, at_most in SHARES:
        value, before = share(f), share(p) if p else None
        norm = norms.get(key)
        rows.append(
            KeyFigure(label, _share(value), _share(before))
            if norm is None
            else KeyFigure(
                label,
                _share(value),
                _share(before),
                _norm_text(norm, at_most=at_most),
                _judge(value, norm, at_most=at_most),
            )
        )
    return rows


def previous_figures(folder: DataFolder, f: YearFigures) -> YearFigures | None:
    """Last year's figures, computed like this year's; None when that year is not in the register
    or is not compared (before `[bestand] vanaf`, or an incomplete first year)."""
    if f.previous_year not in years_in(folder.register) or f.no_comparison:
        return None
    return year_figures(folder.register, folder.contacts, folder.settings, f.previous_year)


# --------------------------------------------------------------------------- the block


def key_figures_table(rows: list[KeyFigure], year: int) -> pd.DataFrame:
    """The rows as a table with Dutch headers; the norm columns only when a norm is set."""
    table = pd.DataFrame(
        {
            "Kerncijfer": [r.label for r in rows],
            str(year): [r.value for r in rows],
            str(year - 1): [r.previous for r in rows],
        }
    )
    if any(r.norm for r in rows):
        table["Norm"] = [r.norm or "geen norm" for r in rows]
        table["Norm gehaald"] = [r.verdict or NOT_APPLICABLE for r in rows]
    return table


def caption(year: int) -> str:
    return f"Kerncijfers klachtenbehandeling {year}, met {year - 1} ter vergelijking"


def norm_sentences(rows: list[KeyFigure], year: int) -> list[str]:
    """One sentence per norm, in words: 'De norm ... (minstens 90%) is in 2024 gehaald: 94%.'"""
    sentences = []
    for r in rows:
        if not r.norm:
            continue
        subject = f"De norm voor '{r.label.lower()}' ({r.norm})"
        if r.verdict == UNKNOWN:
            sentences.append(f"{subject}: of die in {year} is gehaald, is onbekend (niet vastgelegd).")
        else:
            sentences.append(f"{subject} is in {year} {r.verdict}: {r.value}.")
    return sentences


def key_figures_html(rows: list[KeyFigure], year: int, note: str | None = None) -> str:
    """The "Kerncijfers" section as one HTML fragment (heading, table, why last year is not
    compared when it is not, the norms in words)."""
    table = table_html(key_figures_table(rows, year), caption(year))
    why = paragraph_html(note) if note else ""
    return heading_html(HEADING) + table + why + bullets_html(norm_sentences(rows, year))


def report_rows(folder: DataFolder, f: YearFigures) -> list[KeyFigure]:
    """The rows for a year report: last year from the same register, norms from its settings."""
    return key_figures(f, previous_figures(folder, f), folder.settings.norms)


def section_html(folder: DataFolder, f: YearFigures) -> str:
    """The whole "Kerncijfers" section of a year report."""
    return key_figures_html(report_rows(folder, f), f.year, no_comparison_sentence(f))
