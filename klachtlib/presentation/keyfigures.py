"""The "Kerncijfers" block at the top of the year report: the figures management asks first.

Five key figures, each with last year's value beside it: complaints received (and the change),
handled on their merits, the share closed within the legal term, the share handled
informally and the share of formal verdicts that found the complaint (partly) well-founded.
Where the register does not support a figure it says "onbekend", never 0 (a previous year
that is not in the register, no closing dates, no recorded handling or verdicts).

Optional norms from `klachten.toml` `[normen]` (`Settings.norms`: `binnen_termijn_procent`,
`informeel_procent`, `gegrond_procent_max`) are stated per figure and judged in words
("gehaald" / "niet gehaald"), never by colour alone. Every share in the block has one
decimal ("94,0%" beside "92,4%": one precision per column), and is judged at that precision,
so "90,0%" never reads as below a norm of 90. Each share's label names what it is a share of;
verdicts are the formal verdicts given ("geen oordeel" is none).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from klachtlib.domain import counts
from klachtlib.domain.counts import YearFigures, same_period_earlier
from klachtlib.presentation.tables import bullets_html, heading_html, paragraph_html, table_html
from klachtlib.presentation.text import format_number, format_percent, format_share, no_comparison_sentence
from klachtlib.reading.register import DataFolder

HEADING = "Kerncijfers"
UNKNOWN = "onbekend"
NOT_APPLICABLE = "n.v.t."
WITHIN_TERM_NORM = "binnen_termijn_procent"
INFORMAL_NORM = "informeel_procent"
WELL_FOUNDED_NORM = "gegrond_procent_max"
NORM_KEYS = (WITHIN_TERM_NORM, INFORMAL_NORM, WELL_FOUNDED_NORM)
WELL_FOUNDED = ("gegrond", "deels gegrond")
NO_VERDICT = "geen oordeel"  # a formal complaint closed without a verdict: not in the denominator


@dataclass(frozen=True)
class KeyFigure:
    """One row of the block: a label, this year's and last year's value as text, the norm."""

    label: str
    value: str
    previous: str
    norm: str = ""  # e.g. "minstens 90%"; "" when no norm applies
    verdict: str = ""  # "gehaald" / "niet gehaald" / "onbekend"; "" without a norm
    earlier: tuple[str, ...] = ()  # the years before last year, newest first (at most five in all)


# --------------------------------------------------------------------------- the figures


def informal_share(f: YearFigures) -> float | None:
    """Informal among handled complaints whose handling is recorded; None when none is."""
    known = f.informal + f.formal
    return f.informal / known if known else None


def well_founded_share(f: YearFigures) -> float | None:
    """(Partly) well-founded among the formal verdicts given ('geen oordeel' is no verdict: 8 of
    14, not of 15 formal complaints); None when no verdict is given."""
    verdicts = f.verdicts.set_index("oordeel")["aantal"].drop(NO_VERDICT, errors="ignore")
    recorded = int(verdicts.sum())
    if recorded == 0:
        return None
    return int(verdicts.reindex(list(WELL_FOUNDED), fill_value=0).sum()) / recorded


def _count(value: int | None) -> str:
    return UNKNOWN if value is None else format_number(value)


def share_text(value: float | None) -> str:
    """0.571428 -> '57,1%', 0.94 -> '94,0%': always one decimal, rounded half up; 'onbekend'."""
    return UNKNOWN if value is None else format_share(value)


_share = share_text


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
    return f"{amount} ({sign}{share_text(abs(difference) / previous)})"


def _judge(share: float | None, norm: float, *, at_most: bool) -> str:
    if share is None:
        return UNKNOWN
    shown = float(share_text(share).rstrip("%").replace(".", "").replace(",", "."))  # as printed
    met = shown <= norm if at_most else shown >= norm
    return "gehaald" if met else "niet gehaald"


def _norm_text(norm: float, *, at_most: bool) -> str:
    return f"{'hoogstens' if at_most else 'minstens'} {format_percent(norm / 100)}"


def _within_term(f: YearFigures) -> float | None:
    return f.within_term_share


# Share rows: label, how to compute the share, its norm key, and whether the norm is a maximum.
SHARES = (
    ("Binnen de wettelijke termijn afgehandeld", _within_term, WITHIN_TERM_NORM, False),
    ("Informeel behandeld, van de afgehandelde klachten", informal_share, INFORMAL_NORM, False),
    ("(Deels) gegrond, van de formele oordelen", well_founded_share, WELL_FOUNDED_NORM, True),
)


def key_figures(
    f: YearFigures,
    previous: YearFigures | None,
    norms: dict[str, float],
    earlier: Sequence[YearFigures | None] = (),
) -> list[KeyFigure]:
    """The block's rows for `f`; `previous` is last year's figures (None: not in the register),
    `earlier` the years before that (newest first) that the block shows too."""
    p = previous

    def before(figure: Callable[[YearFigures], str]) -> tuple[str, ...]:
        return tuple(UNKNOWN if e is None else figure(e) for e in earlier)

    rows = [
        KeyFigure(
            "Klachten ontvangen",
            format_number(f.total),
            _count(f.total_previous),
            earlier=before(lambda e: format_number(e.total)),
        ),
        KeyFigure(
            "Verschil met het jaar ervoor" if f.period is None else "Verschil met een jaar eerder",
            change_text(f.total, f.total_previous),
            UNKNOWN if p is None else change_text(p.total, p.total_previous),
            earlier=before(lambda e: change_text(e.total, e.total_previous)),
        ),
        KeyFigure(
            "Inhoudelijk afgehandeld",
            format_number(f.handled),
            _count(p.handled if p else None),
            earlier=before(lambda e: format_number(e.handled)),
        ),
    ]
    for label, share, key, at_most in SHARES:

        def share_text(e: YearFigures, share: Callable[[YearFigures], float | None] = share) -> str:
            return _share(share(e))

        value, last = share(f), share(p) if p else None
        norm = norms.get(key)
        rows.append(
            KeyFigure(
                label,
                _share(value),
                _share(last),
                "" if norm is None else _norm_text(norm, at_most=at_most),
                "" if norm is None else _judge(value, norm, at_most=at_most),
                earlier=before(share_text),
            )
        )
    if any(x is not None and x.inhabitants for x in (f, p, *earlier)):
        rows.append(
            KeyFigure(
                "Klachten per 10.000 inwoners",
                _rate(f.per_10000),
                _rate(p.per_10000 if p else None),
                earlier=before(lambda e: _rate(e.per_10000)),
            )
        )
    return rows


def _rate(value: float | None) -> str:
    return UNKNOWN if value is None else format_number(value, 1)


def previous_figures(folder: DataFolder, f: YearFigures, years: int = 1) -> YearFigures | None:
    """Last year's figures (or of `years` years back; of a period: the same period then),
    computed like this year's; None when the register has nothing then, or when that year is not
    compared (before `[bestand] vanaf`, or an incomplete first year: `YearFigures.no_comparison`)."""
    if years == 1 and f.no_comparison:
        return None
    return same_period_earlier(folder.register, folder.contacts, folder.settings, f, years)


def years_before(folder: DataFolder, f: YearFigures) -> list[YearFigures | None]:
    """Last year and the years before it that the block shows, newest first (up to five years
    in all with `f`, none before the register's first year it may be compared with, see
    `counts.comparable_years`; last year always, None when it is not in the register or not
    compared)."""
    first = min(counts.comparable_years(folder.register, folder.settings, f.year)[0], default=f.year)
    back = [1, *(k for k in range(2, counts.TREND_YEARS) if f.year - k >= first)]
    return [previous_figures(folder, f, years) for years in back]


# --------------------------------------------------------------------------- the block


def column_labels(f: YearFigures, rows: list[KeyFigure]) -> list[str]:
    """The block's column headers: the year, last year, the years before (or of a period, that
    period in each year: 'eerste halfjaar 2025')."""
    shown = 2 + max((len(r.earlier) for r in rows), default=0)
    years = [f.year - k for k in range(shown)]
    return [str(y) if f.period is None else _capitalised(f.period.in_year(y).name) for y in years]


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def key_figures_table(rows: list[KeyFigure], year: int, labels: Sequence[str] = ()) -> pd.DataFrame:
    """The rows as a table with Dutch headers; the norm columns only when a norm is set."""
    shown = 2 + max((len(r.earlier) for r in rows), default=0)
    labels = list(labels) or [str(year - k) for k in range(shown)]
    table = pd.DataFrame(
        {
            "Kerncijfer": [r.label for r in rows],
            labels[0]: [r.value for r in rows],
            labels[1]: [r.previous for r in rows],
            **{label: [r.earlier[k] for r in rows] for k, label in enumerate(labels[2:])},
        }
    )
    if any(r.norm for r in rows):
        table["Norm"] = [r.norm or "geen norm" for r in rows]
        table["Norm gehaald"] = [r.verdict or NOT_APPLICABLE for r in rows]
    return table


def caption(year: int, labels: Sequence[str] = ()) -> str:
    """'Kerncijfers klachtenbehandeling 2024, met 2023 ter vergelijking' (or 2020 tot en met 2023)."""
    labels = list(labels) or [str(year), str(year - 1)]
    compared = labels[1] if len(labels) == 2 else f"{labels[-1]} tot en met {labels[1]}"
    return f"Kerncijfers klachtenbehandeling {labels[0]}, met {compared} ter vergelijking"


def norm_sentences(rows: list[KeyFigure], year: int | str) -> list[str]:
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


def key_figures_html(
    rows: list[KeyFigure], year: int, labels: Sequence[str] = (), when: str = "", note: str | None = None
) -> str:
    """The "Kerncijfers" section as one HTML fragment (heading, table, why last year is not
    compared when it is not, the norms in words)."""
    table = table_html(key_figures_table(rows, year, labels), caption(year, labels))
    why = paragraph_html(note) if note else ""
    return heading_html(HEADING) + table + why + bullets_html(norm_sentences(rows, when or year))


def report_rows(
    folder: DataFolder, f: YearFigures, before: list[YearFigures | None] | None = None
) -> list[KeyFigure]:
    """The rows for a year report: last year and the years before (up to five in all) from the
    same register (`years_before`, unless given), norms from its settings."""
    before = years_before(folder, f) if before is None else before
    return key_figures(f, before[0], folder.settings.norms, before[1:])


def section_html(folder: DataFolder, f: YearFigures, rows: list[KeyFigure] | None = None) -> str:
    """The whole "Kerncijfers" section of a year report."""
    rows = report_rows(folder, f) if rows is None else rows
    return key_figures_html(rows, f.year, column_labels(f, rows), f.when, no_comparison_sentence(f))
