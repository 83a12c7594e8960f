"""Accessible, escaped HTML for everything data-derived that a notebook shows.

All HTML built from data (team names, reasons, generated sentences) is made here, so
escaping lives in one place: every value goes through `html.escape`, whatever it holds.
The functions return HTML fragments (strings); a notebook shows them with
`IPython.display.HTML`, anything else (tests, the benchmark floor) uses them as they are.

Tables are plain HTML (no pandas Styler): a `<caption>`, `<th scope="col">` column headers,
the first column (or the first few, when together they identify a row) as `<th scope="row">`
row headers, no index, Dutch number formatting and numeric cells marked with
`class="numeric"` (the report's stylesheet right-aligns them). Each table sits in its own
labelled, focusable scroll container (`scroll_region`), so a wide table scrolls by itself at
320 CSS px instead of the whole page (WCAG 1.4.10 reflow), and keyboard users can scroll it.
The output depends on the input only: no ids, no uuids, no inline styles.
"""

from __future__ import annotations

import datetime as dt
import html
import numbers
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import cast

import numpy as np
import pandas as pd

from klachtlib.presentation.text import format_date, format_number

TABLE_CLASS = "data-table"
REGION_CLASS = "tabel-scroll"
NUMERIC_CLASS = "numeric"
MISSING_TEXT = "onbekend"
# Columns holding years: numbers, but written without a thousands separator (2024, not 2.024).
UNGROUPED_COLUMNS: tuple[str, ...] = ("Jaar",)


def format_cell(
    value: object, decimals: int = 1, *, grouping: bool = True, missing: str = MISSING_TEXT
) -> str:
    """One value as Dutch text (not yet escaped): numbers, dates, ja/nee, missing."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return missing
    if isinstance(value, bool | np.bool_):
        return "ja" if value else "nee"
    if isinstance(value, dt.date):  # also datetime and pd.Timestamp
        return format_date(value.date() if isinstance(value, dt.datetime) else value)
    if isinstance(value, numbers.Number):
        fixed = None if isinstance(value, numbers.Integral) else decimals  # integers: no decimals
        return format_number(cast(float, value), fixed, grouping=grouping)  # any real number
    return str(value)


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)


def table_html(
    df: pd.DataFrame,
    caption: str,
    *,
    decimals: int = 1,
    ungrouped: Iterable[str] = UNGROUPED_COLUMNS,
    row_headers: bool | int = True,
    missing: str = MISSING_TEXT,
    region: bool = True,
) -> str:
    """An accessible HTML table of `df` (index ignored), every value escaped.

    Integers are written `1.234`, other numbers with `decimals` decimals (`12,5`), dates as
    `27 november 2026`, booleans `ja`/`nee`, missing values as `missing`. Columns named in
    `ungrouped` (years) get no thousands separator. With `row_headers` the first column's
    cells are `<th scope="row">`; a number n makes the first n columns row headers (e.g.
    channel and year, which only together identify a row). Columns with a numeric dtype get
    `class="numeric"`. With `region` the table is wrapped in `scroll_region`, labelled by
    the caption.

    With more than one row-header column every header cell gets an id and every cell a
    `headers` attribute naming its column and row headers (WCAG technique H43: scope alone
    does not tell assistive technology which of two row headers belongs to a cell). The ids
    derive from the caption and the cell's position, so the output stays deterministic;
    single-header tables carry no ids at all.
    """
    header_columns = int(row_headers)
    ungrouped = set(ungrouped)
    columns = [str(c) for c in df.columns]
    numeric = [_is_numeric(df[c]) for c in df.columns]
    prefix = _id_prefix(caption) if header_columns > 1 else None

    def cls(i: int) -> str:
        return f' class="{NUMERIC_CLASS}"' if numeric[i] else ""

    def ident(r: int | None, i: int) -> str:
        if prefix is None:
            return ""
        return f' id="{prefix}-k{i}"' if r is None else f' id="{prefix}-r{r}-k{i}"'

    def headers(r: int, i: int) -> str:
        if prefix is None:
            return ""
        names = [f"{prefix}-k{i}", *(f"{prefix}-r{r}-k{j}" for j in range(min(i, header_columns)))]
        return f' headers="{" ".join(names)}"'

    lines = [
        f'<table class="{TABLE_CLASS}">',
        f"<caption>{html.escape(caption)}</caption>",
        "<thead>",
        "<tr>",
    ]
    lines += [
        f'<th scope="col"{ident(None, i)}{cls(i)}>{html.escape(name)}</th>' for i, name in enumerate(columns)
    ]
    lines += ["</tr>", "</thead>", "<tbody>"]
    for r, row in enumerate(df.itertuples(index=False, name=None)):
        lines.append("<tr>")
        for i, value in enumerate(row):
            text = html.escape(
                format_cell(value, decimals, grouping=columns[i] not in ungrouped, missing=missing)
            )
            if i < header_columns:
                attributes = f"{ident(r, i)}{headers(r, i) if i else ''}"
                lines.append(f'<th scope="row"{attributes}{cls(i)}>{text}</th>')
            else:
                lines.append(f"<td{headers(r, i)}{cls(i)}>{text}</td>")
        lines.append("</tr>")
    lines += ["</tbody>", "</table>"]
    markup = "\n".join(lines) + "\n"
    return scroll_region(markup, caption, REGION_CLASS) if region else markup


def _id_prefix(caption: str) -> str:
    """'Klachten per 1.000 klantcontacten per kanaal, 2023-2024' -> 't-klachten-per-1-000-...'."""
    ascii_text = unicodedata.normalize("NFKD", caption).encode("ascii", "ignore").decode("ascii")
    return "t-" + (re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "tabel")


def scroll_region(inner: str, label: str, css_class: str = REGION_CLASS) -> str:
    """`inner` in a labelled, keyboard-focusable container that scrolls sideways on its own.

    `role="region"` with an `aria-label` names the container for screen readers; `tabindex="0"`
    lets keyboard users focus and scroll it (axe: scrollable-region-focusable).
    """
    return (
        f'<div class="{css_class}" role="region" aria-label="{html.escape(label)}" tabindex="0">\n'
        f"{inner}</div>\n"
    )


def paragraph_html(text: str) -> str:
    """One escaped paragraph."""
    return f"<p>{html.escape(text)}</p>\n"


def bullets_html(items: Sequence[str]) -> str:
    """An escaped bullet list; empty string for no items (an empty `<ul>` is invalid for axe)."""
    if not items:
        return ""
    body = "\n".join(f"<li>{html.escape(item)}</li>" for item in items)
    return f"<ul>\n{body}\n</ul>\n"


def heading_html(text: str, level: int = 2) -> str:
    """An escaped heading `<h2>`..`<h6>` (for headings that follow the data)."""
    if not 1 <= level <= 6:
        raise ValueError(f"heading_html: niveau {level} bestaat niet (1 t/m 6)")
    return f"<h{level}>{html.escape(text)}</h{level}>\n"
