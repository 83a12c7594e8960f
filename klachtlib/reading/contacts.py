"""Contact volumes: `klantcontacten.csv` (jaar, kanaal, aantal), read and checked.

Split from `register` (which reads the complaints): its own file, columns and rules. An empty
`aantal` means "no data known" for that channel and year, never zero.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from klachtlib.errors import Problem
from klachtlib.reading import vocab
from klachtlib.reading.settings import Settings
from klachtlib.reading.tabular import (
    TEXT,
    Locate,
    Selection,
    Source,
    collect_cells,
    csv_source,
    header_selection,
)
from klachtlib.reading.values import alias_hint, canonical_values, trimmed
from klachtlib.reading.vocab import normalise_key

CONTACTS_FILE = "klantcontacten.csv"
CONTACT_COLUMNS = ("jaar", "kanaal", "aantal")
MAX_DIGITS = 12  # contacts in a year: at most 999,999,999,999 (the reader's bound, said in the README)


def _empty_contacts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "jaar": pd.Series(dtype="int64"),
            "kanaal": pd.Series(dtype=TEXT),
            "aantal": pd.Series(dtype="Int64"),
        }
    )


def own_csv_text(
    path: Path, columns: tuple[str, ...], hint: str
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """A small optional CSV file of our own format (klantcontacten.csv, vergelijking.csv): its
    `columns` as trimmed text, index = line number, empty rows left out; None for an absent or
    unusable file (with the problems saying why)."""
    if not os.path.lexists(path):
        return None, []
    problems: list[Problem] = []
    source = csv_source(path, problems)
    locate = _header_in_first_row(columns, hint, problems)
    collected = collect_cells(source, locate, problems) if source is not None else None
    if collected is None:
        return None, problems
    text = collected.frame.apply(trimmed).reindex(columns=list(columns)).astype(TEXT)
    return text[text.notna().any(axis=1)], problems


def _header_in_first_row(columns: tuple[str, ...], hint: str, problems: list[Problem]) -> Locate:
    """The header is the first row that is not empty and must name every one of `columns`."""

    def locate(source: Source, rows: list) -> Selection | None:
        line, headers = next(
            ((n, cells) for n, cells in rows if any(c and c.strip() for c in cells)), (1, [])
        )
        found: dict[str, list[int]] = {}
        for position, header in enumerate(headers):
            if normalise_key(header or "") in columns:
                found.setdefault(normalise_key(header), []).append(position)
        missing = [
            Problem(source.name, f"de verplichte kolom '{column}' ontbreekt.", hint, row=line, column=column)
            for column in columns
            if column not in found
        ]
        duplicate_hint = "Verwijder of hernoem een van de kolommen."
        return header_selection(source.name, line, headers, found, missing, duplicate_hint, problems)

    return locate


def load_contacts(path: Path, settings: Settings) -> tuple[pd.DataFrame, list[Problem]]:
    """`klantcontacten.csv`: contact volumes per year and channel; absent file = no data."""
    name = str(path)
    hint = "Geef het bestand de kolommen jaar, kanaal en aantal."
    text, problems = own_csv_text(path, CONTACT_COLUMNS, hint)
    if text is None:
        return _empty_contacts(), problems

    def bad(mask: pd.Series, column: str, message: str, hint: str) -> list[Problem]:
        def worded(value) -> str:
            return f"{column} is leeg." if pd.isna(value) else message.format(value=value)

        return [
            Problem(name, worded(text.at[line, column]), hint, row=int(line), column=column)
            for line in text.index[mask]
        ]

    year_ok = text["jaar"].str.fullmatch(r"(19|20|21)\d\d").fillna(False).astype(bool)
    problems += bad(
        ~year_ok, "jaar", "'{value}' is geen geldig jaartal.", "Schrijf het jaar als vier cijfers, bv. 2024."
    )

    channel = canonical_values(text["kanaal"], vocab.CHANNELS, settings.value_aliases.get("kanaal"))
    channel_ok = channel.isin(vocab.CHANNELS)
    for line in text.index[~channel_ok]:
        value = text.at[line, "kanaal"]
        message = "kanaal is leeg." if pd.isna(value) else f"onbekende waarde '{value}' voor kanaal."
        hint = f"Toegestaan: {', '.join(vocab.CHANNELS)}."
        if not pd.isna(value):
            hint += " " + alias_hint("kanaal", value, vocab.CHANNELS)
        problems.append(Problem(name, message, hint, row=int(line), column="kanaal"))

    amount_text = without_separators(text["aantal"])
    amount_ok = text["aantal"].isna() | amount_text.str.fullmatch(r"\d+").fillna(False).astype(bool)
    problems += bad(
        ~amount_ok,
        "aantal",
        "'{value}' is geen geldig aantal: een heel getal, 0 of meer.",
        "Vul een aantal in zonder decimalen (bv. 1250), of laat het leeg als het aantal niet bekend is.",
    )

    # Bounded before it becomes an Int64: 99999999999999999999999 would overflow it.
    too_many = amount_ok & amount_text.str.lstrip("0").str.len().gt(MAX_DIGITS).fillna(False).astype(bool)
    problems += bad(
        too_many,
        "aantal",
        "'{value}' is geen aannemelijk aantal klantcontacten: meer dan " + f"{MAX_DIGITS} cijfers.",
        "Controleer het getal; een aantal heeft hoogstens 12 cijfers (bv. 1250).",
    )
    amount_ok &= ~too_many

    valid = year_ok & channel_ok & amount_ok
    contacts = pd.DataFrame(
        {
            "jaar": pd.to_numeric(text["jaar"].where(valid)).astype("Int64"),
            "kanaal": channel.where(valid),
            "aantal": pd.to_numeric(amount_text.where(valid)).astype("Int64"),
            "_line": text.index,
        }
    ).loc[valid]
    repeated = contacts.duplicated(subset=["jaar", "kanaal"], keep="first")
    first_line = contacts.drop_duplicates(subset=["jaar", "kanaal"]).set_index(["jaar", "kanaal"])["_line"]
    for _, row in contacts.loc[repeated].iterrows():
        problems.append(
            Problem(
                name,
                f"jaar {row['jaar']} en kanaal {row['kanaal']} staan ook op regel "
                f"{first_line[(row['jaar'], row['kanaal'])]}.",
                "Houd per jaar en kanaal één regel over.",
                row=int(row["_line"]),
                column="kanaal",
            )
        )
    order = {c: i for i, c in enumerate(vocab.CHANNELS)}
    contacts = contacts.loc[~repeated].sort_values(
        ["jaar", "kanaal"], key=lambda s: s.map(order) if s.name == "kanaal" else s
    )
    result = contacts.drop(columns="_line").reset_index(drop=True)
    problems.sort(key=lambda p: p.row or 0)
    return result.astype({"jaar": "int64", "kanaal": TEXT, "aantal": "Int64"}), problems


def without_separators(counts: pd.Series) -> pd.Series:
    """'34.512' and '34 512' -> '34512' (a count as people write it); other text as it is."""
    pattern = r"^(\d{1,3})(?:[. ]\d{3})+$"
    return counts.str.replace(pattern, lambda m: re.sub(r"[. ]", "", m.group(0)), regex=True)
