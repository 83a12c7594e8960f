"""The register's rows are ordered by receipt date, klacht_id, file and line, unknown dates
and ids last, ties in the order read; text compared by code point, as Python compares it."""

from __future__ import annotations

import pandas as pd
import pytest

from klachtlib.reading.register import REGISTER_ORDER, in_register_order

IDS = ["b", "B", "a", "é", "z", None, "a", "\U0001f600", "ä", "Z", "", "K10", "K9"]


def rows(ids: list[str | None]) -> pd.DataFrame:
    days = ["2024-01-02", None, "2024-01-02", "2024-01-01", None, "2024-01-02", "2024-01-02",
            "2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02", "2024-01-01", "2024-01-01"]  # fmt: skip
    n = len(ids)
    return pd.DataFrame(
        {
            "datum_ontvangst": pd.to_datetime(days[:n]),
            "klacht_id": pd.array(ids, dtype="str"),
            "_order": [1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1][:n],
            "_line": [5, 4, 3, 2, 1, 9, 8, 7, 6, 5, 4, 3, 2][:n],
        },
        index=range(100, 100 + n),
    )


def test_rows_are_ordered_by_date_id_file_and_line_with_unknowns_last():
    ordered = in_register_order(rows(IDS))
    assert ordered["klacht_id"].tolist()[:6] == ["K10", "K9", "ä", "é", "\U0001f600", ""]
    assert ordered.index.tolist() == rows(IDS).sort_values(list(REGISTER_ORDER), kind="stable").index.tolist()
    assert ordered["datum_ontvangst"].iloc[-2:].isna().all()


@pytest.mark.parametrize("odd", ["a\ud800", "\udcff"], ids=["lone-high", "lone-low"])
def test_an_id_pyarrow_cannot_take_is_ordered_alike(odd):
    ids = [*IDS[:-1], odd]
    expected = rows(ids).sort_values(list(REGISTER_ORDER), kind="stable")
    assert in_register_order(rows(ids)).index.tolist() == expected.index.tolist()
