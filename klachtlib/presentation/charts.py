"""The report's charts: PNG bytes, a Dutch text alternative and the same numbers as a table.

Every function takes a small DataFrame and returns a `Chart`, or `None` when there is
nothing to draw (no rows, or only zeros / unknown values): the notebook then says so in
words instead of plotting zeros (`show(None, "...")` does exactly that).

Reproducible to the byte: figures are built with the object-oriented API on the Agg canvas
(`matplotlib.figure.Figure`, never pyplot, so no state leaks between charts), inside a
`matplotlib.style.context` that starts from matplotlib's defaults and applies the package's
style file `klachten.mplstyle`, which pins every setting that affects the pixels (font DejaVu
Sans, which ships with matplotlib; sizes; dpi; hash salt), and PNGs are written without the
`Software` text chunk (Agg writes no time chunk).

Accessible: Okabe-Ito colours (colour-blind safe; every series colour has at least 3:1
contrast on white, WCAG 1.4.11), text in near-black (>= 4.5:1), 11 pt text on an 800 px wide
image, Dutch number formatting, labels drawn as plain text (no mathtext, so `$`, `<b>` or
`&` in team names are shown as typed), and an alt text that states every figure.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import struct
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import matplotlib as mpl
import matplotlib.style
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from klachtlib.domain.periods import Period
from klachtlib.presentation.tables import paragraph_html, scroll_region, table_html
from klachtlib.presentation.text import format_number, listed
from klachtlib.reading.behoorlijkheid import CLUSTERS
from klachtlib.reading.vocab import CHANNELS, TREATMENTS, VERDICTS

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common form of
# colour blindness.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
# The chart style, pinned in one file shipped with the package (colours, fonts, sizes, dpi,
# SVG hash salt); every chart is drawn in it (`_render`).
STYLE_FILE = Path(__file__).with_name("klachten.mplstyle")
STYLE = mpl.rc_params_from_file(STYLE_FILE, use_default_template=False)
# Series colours, in order (the style's colour cycle): the Okabe-Ito colours with >= 3:1
# contrast on white.
SERIES_COLOURS: tuple[str, ...] = tuple(c.upper() for c in STYLE["axes.prop_cycle"].by_key()["color"])
BAR_COLOUR = SERIES_COLOURS[0]
TEXT_COLOUR = STYLE["text.color"]  # 17:1 on white
GRID_COLOUR = "#D9D9D9"  # decoration only

WIDTH_INCHES = 8.0
DPI = int(STYLE["figure.dpi"])  # 8 in x 100 dpi = 800 px: the intranet's content width
LABEL_WRAP = 28  # characters per line for long category labels (team names)
# The narrow version for small screens (WCAG 1.4.10 reflow: 320 CSS px, 288 px of content): 360 px
# shown at 288 px keeps 11 pt text at about 12 px, with labels wrapped shorter and titles wrapped.
NARROW_WIDTH_INCHES = 3.6
NARROW_LABEL_WRAP = 16
NARROW_TITLE_WRAP = 26
NARROW_MEDIA = "screen and (max-width: 42rem)"  # never on paper (A4 content is about 40rem)


# DataFrame field: a generated __eq__ would raise, hence eq=False (as in counts.py).
@dataclass(frozen=True, eq=False)
class Chart:
    """A rendered chart: what the report shows and what a screen reader reads instead."""

    title: str
    alt: str  # Dutch text alternative that states every figure
    png: bytes = field(repr=False)
    table: pd.DataFrame  # the same numbers, Dutch column headers
    caption: str  # Dutch caption for the table
    row_header_columns: int = 1  # leading table columns that together identify a row
    narrow_png: bytes | None = field(default=None, repr=False)  # the same chart for small screens
    # Draws the same figure again in another format ("svg"); not pickled (a closure), so only
    # the process that drew the chart can redraw it.
    redraw: Callable[[str], bytes] | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "redraw": None}

    def svg(self) -> bytes:
        """The chart as SVG (the figures pack), byte for byte the same for the same figures."""
        if self.redraw is None:
            raise ValueError("Chart.svg: deze grafiek is in een ander proces getekend; teken hem opnieuw.")
        return self.redraw("svg")

    def _repr_mimebundle_(self, include=None, exclude=None):
        """A bare `chart` as the last line of a cell shows the image with its alt text."""
        return _image_bundle(self)

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the PNG in pixels (from its IHDR chunk)."""
        return struct.unpack(">II", self.png[16:24])

    def table_html(self) -> str:
        return table_html(self.table, self.caption, row_headers=self.row_header_columns)

    def figure_html(self, downloads: Sequence[tuple[str, str]] = ()) -> str:
        """The chart and its table as one HTML fragment (see `figure_html`)."""
        return figure_html(self, downloads)


# ---------------------------------------------------------------- formatting helpers


def _integer(value: float) -> str:
    return format_number(int(round(value)))


def _counted(value: float, singular: str, plural: str) -> str:
    """'1 klacht', '2 klachten', '0 klachten': the number and the noun that agrees with it."""
    number = int(round(value))
    return f"{_integer(number)} {singular if number == 1 else plural}"


def _one_decimal(value: float) -> str:
    return format_number(float(value), 1)


def _join(items: Sequence[str]) -> str:
    """Dutch enumeration for alt texts; `;` because labels may contain commas."""
    return "; ".join(items)


def _wrap(label: str, width: int = LABEL_WRAP) -> str:
    """`label` in lines of `width` characters; narrower than LABEL_WRAP, whole words stay whole."""
    lines = textwrap.wrap(str(label), width, break_long_words=width >= LABEL_WRAP)
    return "\n".join(lines) or str(label)


def _narrow(fig: Figure) -> bool:
    """Whether `fig` is the narrow version (drawn for small screens)."""
    return fig.get_figwidth() < WIDTH_INCHES


def _label_wrap(fig: Figure) -> int:
    return NARROW_LABEL_WRAP if _narrow(fig) else LABEL_WRAP


# Metadata that would make two renderings differ (PNG: software; SVG: the date).
_METADATA: dict[str, dict[str, None]] = {"png": {"Software": None}, "svg": {"Date": None}}


def _render(
    draw: Callable[[Figure], None], height: float, fmt: str = "png", width: float = WIDTH_INCHES
) -> bytes:
    """Draw on a fresh Figure in the pinned style; PNG (or SVG) bytes, the same on every run.

    SVG ids are fixed by `svg.hashsalt` (the style file) and the date left out, so an SVG too is byte
    for byte the same for the same figures.
    """
    # matplotlib's defaults (not a user's matplotlibrc), then the style; undone afterwards.
    with mpl.style.context(STYLE_FILE, after_reset=True):
        fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        draw(fig)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
    return buf.getvalue()


def _drawn(
    draw: Callable[[Figure], None], height: float, narrow_height: float | None = None
) -> tuple[bytes, bytes, Callable[[str], bytes]]:
    """The PNG and its narrow version now, and how to draw the same figure again in another
    format (`Chart.svg`)."""
    narrow = _render(draw, narrow_height or height, width=NARROW_WIDTH_INCHES)
    return _render(draw, height), narrow, functools.partial(_render, draw, height)


def _title(fig: Figure, title: str) -> None:
    fig.suptitle(_wrap(title, NARROW_TITLE_WRAP) if _narrow(fig) else title, x=0.01, ha="left")


def _count_axis(axis, *, integer: bool) -> None:
    """Dutch tick labels; whole numbers only for counts."""
    if integer:
        axis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: _integer(v)))
    else:
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(float(v), 1)))


# ---------------------------------------------------------------- generic count chart


def count_chart(
    counts: pd.DataFrame,
    label_column: str,
    title: str,
    *,
    value_column: str = "aantal",
    label_header: str | None = None,
    value_header: str = "Aantal",
    axis_label: str = "Aantal klachten",
    alt_intro: str | None = None,
    caption: str | None = None,
    order: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    total: bool = True,
) -> Chart | None:
    """Horizontal bar chart of counts per category, largest at the top.

    With `order` the categories follow that sequence instead (missing ones shown as 0,
    others after them, largest first). `labels` maps category values to display text
    (`{"gegrond": "Gegrond"}`). Returns None when there are no rows or every count is 0.
    """
    data = _clean_counts(counts, label_column, value_column)
    if data.empty or int(data["aantal"].sum()) == 0:
        return None
    data = _order(data, order)
    shown = [(labels or {}).get(label, label) for label in data["label"]]
    values = [int(v) for v in data["aantal"]]
    png, narrow, redraw = _horizontal_bars(title, shown, values, _integer, axis_label, integer_axis=True)
    figures = _join([f"{s} {_integer(v)}" for s, v in zip(shown, values, strict=True)])
    intro = alt_intro or f"Staafdiagram: {title}"
    alt = f"{intro}: {figures}."
    if total and len(values) > 1:
        alt += f" Totaal {_integer(sum(values))}."
    table = pd.DataFrame(
        {label_header or label_column.capitalize(): shown, value_header: pd.Series(values, dtype="int64")}
    )
    return Chart(
        title=title, alt=alt, png=png, table=table, caption=caption or title, redraw=redraw, narrow_png=narrow
    )


def _horizontal_bars(
    title: str,
    shown: Sequence[str],
    values: Sequence[float],
    fmt: Callable[[float], str],
    axis_label: str,
    *,
    integer_axis: bool,
) -> tuple[bytes, bytes, Callable[[str], bytes]]:
    """One horizontal bar per category, first on top, each labelled with its value."""

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        positions = list(range(len(values)))
        bars = ax.barh(positions, values, color=BAR_COLOUR, height=0.6)
        ax.set_yticks(positions, [_wrap(s, _label_wrap(fig)) for s in shown])
        ax.set_ylim(len(values) - 0.5, -0.5)  # first category on top, no extra margins
        ax.bar_label(bars, labels=[fmt(v) for v in values], padding=4, color=TEXT_COLOUR)
        ax.set_xlim(0, max(values) * 1.12 + 0.5)  # room for the value labels
        _count_axis(ax.xaxis, integer=integer_axis)
        ax.xaxis.grid(True, color=GRID_COLOUR, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(axis_label)
        _title(fig, title)

    # Room per bar grows with the lines of its (wrapped) label; fixed room for title and axis.
    height = 1.3 + sum(0.3 + 0.2 * (_wrap(s).count("\n") + 1) for s in shown)
    title_lines = _wrap(title, NARROW_TITLE_WRAP).count("\n")
    narrow = (
        1.3
        + 0.25 * title_lines
        + sum(0.3 + 0.2 * (_wrap(s, NARROW_LABEL_WRAP).count("\n") + 1) for s in shown)
    )
    return _drawn(draw, height, narrow)


def _clean_counts(counts: pd.DataFrame, label_column: str, value_column: str) -> pd.DataFrame:
    missing = {label_column, value_column} - set(counts.columns)
    if missing:
        raise ValueError(f"count_chart: kolom(men) ontbreken: {', '.join(sorted(missing))}")
    data = pd.DataFrame({"label": counts[label_column].astype(str), "aantal": counts[value_column]})
    data = data[data["aantal"].notna()]
    data = data.groupby("label", sort=True, as_index=False)["aantal"].sum()
    data["aantal"] = data["aantal"].astype("int64")
    return data


def _order(data: pd.DataFrame, order: Sequence[str] | None) -> pd.DataFrame:
    """Largest first, ties by name (case-insensitive); or `order` first, then the rest so."""
    by_size = data.assign(_key=data["label"].str.casefold()).sort_values(
        ["aantal", "_key", "label"], ascending=[False, True, True], kind="stable"
    )
    by_size = by_size.drop(columns="_key")
    if order is None:
        return by_size.reset_index(drop=True)
    first = pd.DataFrame({"label": list(order)}).merge(data, on="label", how="left").fillna({"aantal": 0})
    rest = by_size[~by_size["label"].isin(order)]
    out = pd.concat([first, rest], ignore_index=True)
    out["aantal"] = out["aantal"].astype("int64")
    return out


# ---------------------------------------------------------------- the report's count charts


MAX_TEAM_BARS = 25  # a chart of more bars is not readable: the largest 24 and one "overige teams"


def largest_and_rest(counts: pd.DataFrame, label_column: str, most: int = MAX_TEAM_BARS) -> pd.DataFrame:
    """At most `most` rows: the largest `most - 1` (ties by name) and the rest summed as one row
    "Overige teams (n)"; `counts` as it is when it has no more than `most` rows."""
    data = _order(_clean_counts(counts, label_column, "aantal"), None)
    if len(data) <= most:
        return counts
    kept, rest = data.iloc[: most - 1], data.iloc[most - 1 :]
    other = pd.DataFrame(
        {"label": [f"Overige teams ({format_number(len(rest))})"], "aantal": [int(rest["aantal"].sum())]}
    )
    return pd.concat([kept, other], ignore_index=True).rename(columns={"label": label_column})


def handled_per_team_chart(handled_per_team: pd.DataFrame, year: int | str) -> Chart | None:
    """Handled complaints per team (`team`, `aantal`), most first; None when there are none.

    With more than MAX_TEAM_BARS teams the chart shows the largest and one bar for the others
    (the table beside it still lists every team), so it stays readable and small."""
    title = f"Afgehandelde klachten per team, {year}"
    shown = largest_and_rest(handled_per_team, "team")
    order = list(shown["team"]) if len(shown) < len(handled_per_team) else None
    return count_chart(
        shown,
        "team",
        title,
        order=order,
        label_header="Team",
        alt_intro=f"Staafdiagram van de afgehandelde klachten per team in {year}",
        caption=f"Afgehandelde klachten per team in {year}",
    )


def verdict_chart(verdicts: pd.DataFrame, year: int | str) -> Chart | None:
    """Verdicts (`oordeel`, `aantal`) in the fixed order gegrond .. geen oordeel."""
    return count_chart(
        verdicts,
        "oordeel",
        f"Oordeel over de afgehandelde klachten, {year}",
        label_header="Oordeel",
        alt_intro=f"Staafdiagram van het oordeel over de afgehandelde klachten in {year}",
        caption=f"Oordeel over de afgehandelde klachten in {year}",
        order=VERDICTS,
        labels=_capitalised(VERDICTS),
    )


def treatment_chart(treatments: pd.DataFrame, year: int) -> Chart | None:
    """Informal versus formal handling (`behandeling`, `aantal`)."""
    return count_chart(
        treatments,
        "behandeling",
        f"Informele en formele klachtbehandeling, {year}",
        label_header="Behandeling",
        alt_intro=f"Staafdiagram van de informeel en formeel behandelde klachten in {year}",
        caption=f"Informeel en formeel behandelde klachten in {year}",
        order=TREATMENTS,
        labels=_capitalised(TREATMENTS),
    )


def nature_chart(natures: pd.DataFrame, year: int | str) -> Chart | None:
    """Complaints per nature (`aard`, `aantal`), most first."""
    return count_chart(
        natures,
        "aard",
        f"Klachten naar aard, {year}",
        label_header="Aard van de klacht",
        alt_intro=f"Staafdiagram van de klachten naar aard in {year}",
        caption=f"Klachten naar aard in {year}",
        labels=_capitalised(natures.get("aard", pd.Series(dtype=str)).dropna().astype(str)),
    )


def norm_cluster_chart(per_cluster: pd.DataFrame, when: int | str) -> Chart | None:
    """(Partly) upheld complaints per cluster of behoorlijkheidsnormen (`cluster`, `aantal`), in
    the ombudsman's order. No total: one complaint may touch several clusters."""
    return count_chart(
        per_cluster,
        "cluster",
        f"(Deels) gegronde klachten per cluster van behoorlijkheidsnormen, {when}",
        label_header="Cluster",
        value_header="Aantal klachten",
        alt_intro="Staafdiagram van de (deels) gegronde klachten per cluster van behoorlijkheidsnormen "
        f"in {when}",
        caption=f"(Deels) gegronde klachten met een geschonden norm per cluster in {when}",
        order=CLUSTERS,
        labels=_capitalised(CLUSTERS),
        total=False,
    )


def norm_chart(per_norm: pd.DataFrame, when: int | str) -> Chart | None:
    """(Partly) upheld complaints per behoorlijkheidsnorm (`nummer`, `norm`, `cluster`, `aantal`),
    most first; the table also names each norm's cluster."""
    labelled = per_norm.assign(label=per_norm["nummer"].astype(str) + " " + per_norm["norm"].astype(str))
    chart = count_chart(
        labelled,
        "label",
        f"Geschonden behoorlijkheidsnormen, {when}",
        value_column="aantal",
        label_header="Norm",
        value_header="Aantal klachten",
        alt_intro=f"Staafdiagram van de behoorlijkheidsnormen die de (deels) gegronde klachten in {when} "
        "raakten, met het aantal klachten per norm",
        caption=f"Geschonden behoorlijkheidsnormen bij (deels) gegronde klachten in {when}",
        order=list(labelled["label"]),
        total=False,
    )
    if chart is None:
        return None
    cluster = dict(zip(labelled["label"], labelled["cluster"].map(_capitalised(CLUSTERS)), strict=True))
    table = pd.DataFrame(
        {
            "Norm": chart.table["Norm"],
            "Cluster": chart.table["Norm"].map(cluster),
            "Aantal klachten": chart.table["Aantal klachten"],
        }
    )
    return replace(chart, table=table)


def per_10000_chart(comparison: pd.DataFrame, year: int) -> Chart | None:
    """Complaints per 10,000 inhabitants per municipality (`gemeente`, `per_10000`), highest on
    top; None without rows. The table beside it holds the counts and the source of each."""
    if comparison.empty:
        return None
    data = comparison.sort_values(["per_10000", "gemeente"], ascending=[False, True], kind="stable")
    shown = [str(g) for g in data["gemeente"]]
    values = [float(v) for v in data["per_10000"]]
    title = f"Klachten per 10.000 inwoners, {year}"
    axis = "Klachten per 10.000 inwoners"
    png, narrow, redraw = _horizontal_bars(title, shown, values, _one_decimal, axis, integer_axis=False)
    figures = _join([f"{g} {_one_decimal(v)}" for g, v in zip(shown, values, strict=True)])
    alt = f"Staafdiagram van het aantal klachten per 10.000 inwoners in {year}, per gemeente: {figures}."
    table = pd.DataFrame(
        {
            "Gemeente": shown,
            "Klachten": data["klachten"].astype("int64").to_numpy(),
            "Inwoners": data["inwoners"].astype("int64").to_numpy(),
            "Klachten per 10.000 inwoners": values,
            "Bron": [str(b) for b in data["bron"]],
        }
    )
    caption = f"Klachten per 10.000 inwoners in {year}, met de bron van elk cijfer"
    chart = Chart(title=title, alt=alt, png=png, table=table, caption=caption, redraw=redraw)
    return replace(chart, narrow_png=narrow)


def _capitalised(values: Sequence[str]) -> dict[str, str]:
    return {v: v[:1].upper() + v[1:] for v in values}


# ---------------------------------------------------------------- grouped bar charts


def _grouped_bars(
    title: str,
    groups: Sequence[str],
    series: Sequence[str],
    values: Mapping[tuple[str, str], float],
    *,
    axis_label: str,
    legend_title: str | None,
    fmt: Callable[[float], str],
    integer_axis: bool,
) -> tuple[bytes, bytes, Callable[[str], bytes]]:
    """Vertical bars: one cluster per group, one colour (and hatch) per series."""
    hatches = ("", "//", "..", "xx", "\\\\")
    width = 0.8 / len(series)

    def draw(fig: Figure) -> None:
        # keep value labels apart (on a narrow chart sooner)
        rotation = 90 if len(groups) * len(series) > (4 if _narrow(fig) else 24) else 0
        ax = fig.add_subplot()
        top = max((v for v in values.values()), default=0) or 1
        for i, name in enumerate(series):
            xs = [g + (i - (len(series) - 1) / 2) * width for g in range(len(groups))]
            heights = [values.get((group, name), 0) for group in groups]
            known = [
                (x, h) for x, h, group in zip(xs, heights, groups, strict=True) if (group, name) in values
            ]
            if not known:
                continue
            bars = ax.bar(
                [x for x, _ in known],
                [h for _, h in known],
                width=width * 0.92,
                color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                hatch=hatches[i % len(hatches)],
                edgecolor="white",
                linewidth=0,
                label=_wrap(name, 30) if _narrow(fig) else name,
            )
            ax.bar_label(
                bars, labels=[fmt(h) for _, h in known], padding=3, color=TEXT_COLOUR, rotation=rotation
            )
        per_group = max(6, _label_wrap(fig) * 3 // max(len(groups), 3))  # narrow: the room under a cluster
        ax.set_xticks(
            range(len(groups)), [_wrap(g, per_group if _narrow(fig) else LABEL_WRAP) for g in groups]
        )
        pad = max(0, 3 - len(groups)) / 2  # a lone cluster stays a cluster, not three slabs
        ax.set_xlim(-0.5 - pad, len(groups) - 0.5 + pad)
        ax.set_ylim(0, top * (1.25 if rotation else 1.12))
        _count_axis(ax.yaxis, integer=integer_axis)
        ax.yaxis.grid(True, color=GRID_COLOUR, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.tick_params(axis="x", length=0)
        ax.set_ylabel(axis_label)
        _title(fig, title)
        # Legend between title and plot, so it is read first; one row when it fits.
        long = sum(len(s) for s in series) > (20 if _narrow(fig) else 60)
        ax.legend(
            title=legend_title,
            frameon=False,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.02),
            borderaxespad=0,
            alignment="left",
            ncols=1 if long else len(series),
        )

    return _drawn(draw, 4.6, 5.2)


def contacts_chart(per_1000: pd.DataFrame) -> Chart | None:
    """Complaints per 1.000 contacts per channel (clusters) and year (colours).

    `per_1000` has `jaar`, `kanaal`, `klachten`, `contacten`, `per_1000`. Rows without a known
    contact volume or rate are left out (the notebook names those channels in a sentence);
    None when no row is left.
    """
    needed = {"jaar", "kanaal", "klachten", "contacten", "per_1000"}
    if missing := needed - set(per_1000.columns):
        raise ValueError(f"contacts_chart: kolom(men) ontbreken: {', '.join(sorted(missing))}")
    data = per_1000[per_1000["contacten"].notna() & per_1000["per_1000"].notna()]
    data = data[data["contacten"] > 0]
    if data.empty:
        return None
    data = data.assign(jaar=data["jaar"].astype(int), kanaal=data["kanaal"].astype(str))
    data = data.sort_values(["kanaal", "jaar"], key=_channel_key, kind="stable").reset_index(drop=True)
    years = sorted(data["jaar"].unique().tolist())
    channels = list(dict.fromkeys(data["kanaal"]))
    shown = {c: c[:1].upper() + c[1:] for c in channels}
    values = {(shown[r.kanaal], str(r.jaar)): float(r.per_1000) for r in data.itertuples()}
    period = _period(years)
    title = f"Klachten per 1.000 klantcontacten, {period}"
    png, narrow, redraw = _grouped_bars(
        title,
        [shown[c] for c in channels],
        [str(y) for y in years],
        values,
        axis_label="Klachten per 1.000 contacten",
        legend_title="Jaar",
        fmt=_one_decimal,
        integer_axis=False,
    )
    parts = []
    for channel in channels:
        rows = data[data["kanaal"] == channel]
        per_year = ", ".join(
            f"{r.jaar} {_one_decimal(r.per_1000)} ({_counted(r.klachten, 'klacht', 'klachten')} op "
            f"{_counted(r.contacten, 'contact', 'contacten')})"
            for r in rows.itertuples()
        )
        parts.append(f"{shown[channel]}: {per_year}")
    alt = f"Staafdiagram van het aantal klachten per 1.000 klantcontacten per kanaal en jaar. {_join(parts)}."
    table = pd.DataFrame(
        {
            "Kanaal": [shown[c] for c in data["kanaal"]],
            "Jaar": data["jaar"].astype("int64"),
            "Klachten": data["klachten"].astype("int64"),
            "Klantcontacten": data["contacten"].astype("int64"),
            "Klachten per 1.000 contacten": data["per_1000"].astype("float64"),
        }
    )
    caption = f"Klachten per 1.000 klantcontacten per kanaal, {period}"
    # Channel and year together identify a row: both are row headers.
    return Chart(
        title=title,
        alt=alt,
        png=png,
        table=table,
        caption=caption,
        row_header_columns=2,
        redraw=redraw,
        narrow_png=narrow,
    )


def _channel_key(column: pd.Series) -> pd.Series:
    """Channels in vocabulary order (unknown ones after, by name); years ascending."""
    if column.name != "kanaal":
        return column

    rank = {c: f"{i:02d}" for i, c in enumerate(CHANNELS)}
    return column.map(lambda c: rank.get(c, f"99{c.casefold()}"))


def _period(years: Sequence[int]) -> str:
    years = sorted(years)
    if len(years) == 1:
        return str(years[0])
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return listed([str(y) for y in years])


TREND_SERIES: dict[str, str] = {
    "totaal": "Ontvangen klachten",
    "niet_afgehandeld": "Afgebroken, ingetrokken of niet ontvankelijk",
    "voorkomen": "Voorkomen klachten (geen klacht)",
}


def trend_chart(
    trend: pd.DataFrame, *, include_prevented: bool = True, period: Period | None = None
) -> Chart | None:
    """Per year: complaints received, not handled on their merits, and (not complaints)
    prevented complaints. None when there are no years or all figures are 0. With a `period`
    (a half-year, ...) the rows count that part of each year."""
    columns = [c for c in TREND_SERIES if include_prevented or c != "voorkomen"]
    needed = {"jaar", *columns}
    if missing := needed - set(trend.columns):
        raise ValueError(f"trend_chart: kolom(men) ontbreken: {', '.join(sorted(missing))}")
    data = trend[["jaar", *columns]].dropna(subset=["jaar"]).sort_values("jaar", kind="stable")
    data = data.assign(**{c: data[c].fillna(0).astype("int64") for c in columns})
    data = data.assign(jaar=data["jaar"].astype("int64")).reset_index(drop=True)
    if data.empty or int(data[columns].to_numpy().sum()) == 0:
        return None
    years = data["jaar"].tolist()
    span = _period(years)
    part = period.part if period else ""
    title = f"Verloop over de jaren, {part + ' ' if part else ''}{span}"
    values = {(str(r["jaar"]), TREND_SERIES[c]): int(r[c]) for _, r in data.iterrows() for c in columns}
    png, narrow, redraw = _grouped_bars(
        title,
        [str(y) for y in years],
        [TREND_SERIES[c] for c in columns],
        values,
        axis_label="Aantal",
        legend_title=None,
        fmt=_integer,
        integer_axis=True,
    )
    parts = []
    for _, r in data.iterrows():
        bits = [f"{_counted(r['totaal'], 'klacht', 'klachten')} ontvangen"]
        bits.append(f"{_integer(r['niet_afgehandeld'])} afgebroken, ingetrokken of niet ontvankelijk")
        if "voorkomen" in columns:
            bits.append(f"{_integer(r['voorkomen'])} keer een klacht voorkomen")
        parts.append(f"{r['jaar']}: " + ", ".join(bits))
    per = f"in {period.part_in_text} van elk jaar" if period and part else "per jaar"
    alt = f"Staafdiagram van het verloop van het aantal klachten {per}. {_join(parts)}."
    table = pd.DataFrame({"Jaar": data["jaar"], **{TREND_SERIES[c]: data[c] for c in columns}})
    caption = f"Aantal klachten {per}, {span}"
    chart = Chart(title=title, alt=alt, png=png, table=table, caption=caption, redraw=redraw)
    return replace(chart, narrow_png=narrow)


# ---------------------------------------------------------------- HTML fragments


NO_DATA_TEXT = "Hierover zijn geen gegevens."


FIGURE_CLASS = "grafiek"
IMAGE_REGION_CLASS = "grafiek-beeld"


def _image_bundle(chart: Chart) -> tuple[dict[str, str], dict[str, dict[str, object]]]:
    data = {"image/png": base64.b64encode(chart.png).decode("ascii"), "text/plain": chart.alt}
    width, height = chart.size
    return data, {"image/png": {"alt": chart.alt, "width": width, "height": height}}


def figure_html(chart: Chart, downloads: Sequence[tuple[str, str]] = ()) -> str:
    """One chart as an HTML fragment: image, the same numbers as a table, download links.

    The wrapper (`class="grafiek"`) keeps chart and table together on paper (the print
    stylesheet avoids a page break inside it). The image carries its alt text, width and
    height, inside its own labelled, focusable region: at 320 CSS px it keeps a legible size
    and scrolls sideways by itself instead of shrinking its text away. `downloads` are
    (label, relative href) pairs for the figures pack, e.g. ("CSV", "cijfers/x.csv").
    """
    width, height = chart.size
    image = (
        f'<img src="data:image/png;base64,{base64.b64encode(chart.png).decode("ascii")}" '
        f'alt="{html.escape(chart.alt)}" width="{width}" height="{height}">\n'
    )
    if chart.narrow_png is not None:  # small screens get the narrow version, same alt text
        narrow_width, narrow_height = struct.unpack(">II", chart.narrow_png[16:24])
        image = (
            f'<picture>\n<source media="{NARROW_MEDIA}" '
            f'srcset="data:image/png;base64,{base64.b64encode(chart.narrow_png).decode("ascii")}" '
            f'width="{narrow_width}" height="{narrow_height}">\n{image}</picture>\n'
        )
    parts = [
        f'<div class="{FIGURE_CLASS}">\n',
        scroll_region(image, f"Grafiek: {chart.title}", IMAGE_REGION_CLASS),
        chart.table_html(),
    ]
    if downloads:
        links = ", ".join(f'<a href="{html.escape(h)}">{html.escape(text)}</a>' for text, h in downloads)
        parts.append(f'<p class="downloads">Deze cijfers als bestand: {links}.</p>\n')
    parts.append("</div>\n")
    return "".join(parts)


def chart_html(
    chart: Chart | None,
    no_data: str = NO_DATA_TEXT,
    *,
    downloads: Sequence[tuple[str, str]] = (),
) -> str:
    """A chart as an HTML fragment (`figure_html`): the image with its alt text, the same
    numbers as an accessible table and, given, links to the figures pack. For `None` (no
    data) the sentence `no_data` instead."""
    if chart is None:
        return paragraph_html(no_data)
    return figure_html(chart, downloads)
