"""Build small registers and contact frames inline, in the reader's output contract.

Tests state only what matters for their rule; everything else gets a dull default:
`klacht_id` K001.., received 2024-03-01, status `afgehandeld`, a team for handled rows and
a catalogue reason for not-handled ones. Dtypes follow CONTRIBUTING.md (register contract).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from klachtlib.reading import vocab

DEFAULT_TEAM = "Publiekszaken"
DEFAULT_REASON = "De klacht betrof een melding"


def _yes_no(value: Any) -> Any:
    """'ja'/'nee'/bool/None -> True/False/NA."""
    if value is None or value is pd.NA:
        return pd.NA
    if isinstance(value, str):
        return vocab.YES_NO[value.strip().lower()]
    return bool(value)


def make_register(rows: list[dict[str, Any]], string_dtype: str = "str") -> pd.DataFrame:
    """A register with exactly vocab.CANONICAL_COLUMNS from a list of partial rows.

    Dates may be strings, `date` or `Timestamp`; `verdaagd`/`ombudsman` may be bools or
    'ja'/'nee'. `string_dtype` lets a test check both pandas string flavours ("str", "string").
    """
    filled = []
    for number, row in enumerate(rows, start=1):
        full: dict[str, Any] = {column: None for column in vocab.CANONICAL_COLUMNS}
        full.update(klacht_id=f"K{number:03d}", datum_ontvangst="2024-03-01", status=vocab.HANDLED)
        status = row.get("status", vocab.HANDLED)
        if status == vocab.HANDLED:
            full["team"] = DEFAULT_TEAM
        if status in vocab.NOT_HANDLED:
            full["reden"] = DEFAULT_REASON
        unknown = set(row) - set(vocab.CANONICAL_COLUMNS)
        assert not unknown, f"unknown columns {unknown}"
        full.update(row)
        filled.append(full)
    frame = pd.DataFrame(filled, columns=list(vocab.CANONICAL_COLUMNS), dtype=object)
    result = {}
    for column in vocab.CANONICAL_COLUMNS:
        values = frame[column]
        if column in vocab.DATE_COLUMNS:
            result[column] = pd.to_datetime(values).astype("datetime64[ns]")
        elif column in vocab.YES_NO_COLUMNS:
            result[column] = values.map(_yes_no).astype("boolean")
        else:
            result[column] = values.astype(string_dtype)
    register = pd.DataFrame(result, columns=list(vocab.CANONICAL_COLUMNS))
    register = register.sort_values(["datum_ontvangst", "klacht_id"], kind="stable")
    return register.reset_index(drop=True)


def make_contacts(rows: list[tuple[int, str, int | None]]) -> pd.DataFrame:
    """Contacts frame [jaar:int64, kanaal:str, aantal:Int64] from (jaar, kanaal, aantal) tuples."""
    frame = pd.DataFrame(rows, columns=["jaar", "kanaal", "aantal"], dtype=object)
    return pd.DataFrame(
        {
            "jaar": frame["jaar"].astype("int64"),
            "kanaal": frame["kanaal"].astype("str"),
            "aantal": frame["aantal"].astype("Int64"),
        }
    )


NO_CONTACTS = make_contacts([])
