"""A short plain-text summary of a clean register, for `klachten validate`."""

from __future__ import annotations

import pandas as pd

from klachtlib.vocab import STATUSES


def rows_per_year_and_status(register: pd.DataFrame) -> pd.DataFrame:
    """Rows per receipt year (index) and status (columns, in vocabulary order)."""
    table = pd.crosstab(register["datum_ontvangst"].dt.year.rename("jaar"), register["status"])
    present = [s for s in STATUSES if s in table.columns]
    return table.reindex(columns=present, fill_value=0)


def register_summary(register: pd.DataFrame) -> str:
    table = rows_per_year_and_status(register)
    return f"Het register telt {len(register)} regels.\nRegels per jaar en status:\n{table.to_string()}"
