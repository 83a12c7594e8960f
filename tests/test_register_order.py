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


def ordered_rows(ids: list[str], days: list[str], read: list[tuple[int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "datum_ontvangst": pd.to_datetime(days),
            "klacht_id": pd.array(ids, dtype="str"),
            "_order": [order for order, _ in read],
            "_line": [line for _, line in read],
        },
        index=range(200, 200 + len(ids)),
    )


@pytest.mark.parametrize(
    "ids, days, read",
    [
        (["K1", "K2", "K3"], ["2024-01-01", "2024-01-01", "2024-01-02"], [(0, 2), (0, 3), (0, 4)]),
        (["K2", "K1", "K3"], ["2024-01-01", "2024-01-01", "2024-01-02"], [(0, 2), (0, 3), (0, 4)]),  # ids
        (["K1", "K2", "K3"], ["2024-01-02", "2024-01-01", "2024-01-03"], [(0, 2), (0, 3), (0, 4)]),  # dates
        (["K1", "K1", "K3"], ["2024-01-01", "2024-01-01", "2024-01-02"], [(1, 2), (0, 3), (0, 4)]),  # files
        (["K1", "K1", "K3"], ["2024-01-01", "2024-01-01", "2024-01-02"], [(0, 9), (0, 3), (0, 4)]),  # lines
        (["K1", "K1", "K3"], ["2024-01-01", "2024-01-01", "2024-01-02"], [(0, 3), (1, 1), (0, 4)]),
        (["K10", "K9", "k1"], ["2024-01-01", "2024-01-01", "2024-01-01"], [(0, 2), (0, 3), (0, 4)]),
        (["k1", "K9", "K10"], ["2024-01-01", "2024-01-01", "2024-01-01"], [(0, 2), (0, 3), (0, 4)]),
        (["K1", "K2"], ["2024-01-01", None], [(0, 2), (0, 3)]),  # an unknown date
    ],
)
def test_rows_in_order_or_not_come_out_as_the_stable_sort_puts_them(ids, days, read):
    """An export in order already is kept as it is; anything out of order is sorted."""
    register = ordered_rows(ids, days, read)
    expected = register.sort_values(list(REGISTER_ORDER), kind="stable")
    pd.testing.assert_frame_equal(in_register_order(register), expected)
