"""Peer comparison: `vergelijking.csv` (gemeente, jaar, klachten, inwoners, bron), read and checked.

A rekenkamer sets one municipality's complaints per 10,000 inhabitants against those of its
peers; the coordinator collects the peers' figures from their own annual reports and names
where each comes from (`bron`). The file is optional; when present, it is checked like the
register: every problem in Dutch with file, row and column, in one pass. Nothing is guessed:
a row without a source is an error, not a row without one.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from klachtlib.errors import Problem
from klachtlib.reading.contacts import own_csv_text, without_separators
from klachtlib.reading.tabular import TEXT

COMPARISON_FILE = "vergelijking.csv"
COMPARISON_COLUMNS = ("gemeente", "jaar", "klachten", "inwoners", "bron")
MAX_INHABITANTS = 100_000_000  # a typo, not a municipality


def empty_comparison() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "gemeente": pd.Series(dtype=TEXT),
            "jaar": pd.Series(dtype="int64"),
            "klachten": pd.Series(dtype="int64"),
            "inwoners": pd.Series(dtype="int64"),
            "bron": pd.Series(dtype=TEXT),
        }
    )


def load_comparison(path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """`vergelijking.csv`: other municipalities' complaints and inhabitants per year, each with
    its source; an absent file means no comparison."""
    name = str(path)
    hint = "Geef het bestand de kolommen gemeente, jaar, klachten, inwoners en bron."
    text, problems = own_csv_text(path, COMPARISON_COLUMNS, hint)
    if text is None:
        return empty_comparison(), problems

    def check(ok: pd.Series, column: str, message: str, hint: str) -> pd.Series:
        for line in text.index[~ok]:
            value = text.at[line, column]
            worded = f"{column} is leeg." if pd.isna(value) else message.format(value=value)
            problems.append(Problem(name, worded, hint, row=int(line), column=column))
        return ok

    valid = check(text["gemeente"].notna(), "gemeente", "", "Vul de naam van de gemeente in.")
    year_ok = text["jaar"].str.fullmatch(r"(19|20|21)\d\d").fillna(False).astype(bool)
    valid &= check(
        year_ok, "jaar", "'{value}' is geen geldig jaartal.", "Schrijf het jaar als vier cijfers, bv. 2024."
    )
    counts = {column: without_separators(text[column]) for column in ("klachten", "inwoners")}
    whole = {c: v.str.fullmatch(r"\d{1,12}").fillna(False).astype(bool) for c, v in counts.items()}
    valid &= check(
        whole["klachten"],
        "klachten",
        "'{value}' is geen geldig aantal klachten: een heel getal, 0 of meer.",
        "Vul het aantal klachten van die gemeente in dat jaar in, zonder decimalen (bv. 87).",
    )
    inhabitants = pd.to_numeric(counts["inwoners"].where(whole["inwoners"]), errors="coerce")
    valid &= check(
        whole["inwoners"] & inhabitants.between(1, MAX_INHABITANTS).fillna(False).astype(bool),
        "inwoners",
        "'{value}' is geen geldig aantal inwoners: een heel getal groter dan 0.",
        "Vul het aantal inwoners van die gemeente in dat jaar in, bv. 41250.",
    )
    valid &= check(
        text["bron"].notna(),
        "bron",
        "",
        "Noem waar het cijfer vandaan komt, bijvoorbeeld 'Jaarverslag klachten 2024 gemeente X'; "
        "het verslag noemt de bron bij elk cijfer.",
    )
    comparison = pd.DataFrame(
        {
            "gemeente": text["gemeente"],
            "jaar": pd.to_numeric(text["jaar"].where(valid)),
            "klachten": pd.to_numeric(counts["klachten"].where(valid)),
            "inwoners": inhabitants.where(valid),
            "bron": text["bron"],
            "_line": text.index,
        }
    ).loc[valid]
    key = comparison["gemeente"].astype(str).str.casefold()
    repeated = pd.DataFrame({"k": key, "j": comparison["jaar"]}).duplicated(keep="first")
    for line, row in comparison.loc[repeated].iterrows():
        first = comparison.loc[key.eq(key[line]) & comparison["jaar"].eq(row["jaar"]), "_line"].iloc[0]
        problems.append(
            Problem(
                name,
                f"{row['gemeente']} staat voor {int(row['jaar'])} ook op regel {int(first)}.",
                "Houd per gemeente en jaar één regel over.",
                row=int(line),
                column="gemeente",
            )
        )
    result = comparison.loc[~repeated].drop(columns="_line").sort_values(["jaar", "gemeente"], kind="stable")
    result = result.astype({"jaar": "int64", "klachten": "int64", "inwoners": "int64"}).reset_index(drop=True)
    problems.sort(key=lambda p: p.row or 0)
    return result, problems
