"""`values.cleaned`: a column that needs no cleaning comes back as it is, and exactly as the
value-by-value cleaning would give it; one odd value anywhere sends the column through that."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klachtlib.reading.values import cleaned


def coded(texts: list[str | None]) -> pd.Series:
    return pd.Series(
        pd.Categorical(texts, categories=pd.unique(pd.Series([t for t in texts if t is not None])))
    )


def assert_same_cleaning(texts: list[str | None], longest: int = 10) -> None:
    """The coded column (fast when already clean) against the same text uncoded (value by value)."""
    fast = cleaned(coded(texts), longest)
    slow = cleaned(pd.Series(texts, dtype=object), longest)
    assert (
        fast[0].astype(object).where(fast[0].notna(), None).tolist()
        == slow[0].astype(object).where(slow[0].notna(), None).tolist()
    )
    for mine, theirs in zip(fast[1:], slow[1:], strict=True):
        np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize(
    "texts",
    [
        ["K001", "K002", "K001", None],
        ["K001", " K002"],  # padded at the start
        ["K001", "K002\u00a0"],  # a non-breaking space at the end
        ["K001", "", "K003"],  # empty
        [""],
        ["K001", "K002", "K0000000003"],  # longer than 10
        ["K001", "K\u200b002"],  # invisible
        ["K001", "regel\nregel"],  # a line break
        ["\u3000K001"],  # ideographic space, also whitespace to str.strip
        ["Team Noord", "Wonen"],  # a space inside only
        ["Team Noord", "Wonen\t"],  # and a tab at the end of another
        ["Team Noord", "Wonen "],
        [None, None],
    ],
)
def test_an_already_clean_column_is_cleaned_as_value_by_value(texts):
    assert_same_cleaning(texts)


def test_an_already_clean_coded_column_comes_back_unchanged():
    column = coded(["K001", "K002", "K001", None, "K003"])
    values, present, invisible, cut = cleaned(column, 200)
    assert values is column
    assert present.tolist() == [True, True, True, False, True]
    assert not invisible.any() and not cut.any()


def test_every_ascii_control_character_is_removed_or_made_a_space_in_a_column_of_ascii():
    """ASCII columns are checked as bytes: every character below 0x20 and DEL is found as the
    regular expressions find it (removed; tab, CR and LF become a space)."""
    for code in range(128):
        texts = ["K001", f"K{chr(code)}002"]
        expected = "K002" if code < 0x20 and chr(code) not in "\t\r\n" or code == 0x7F else f"K{chr(code)}002"
        expected = "K 002" if chr(code) in "\t\r\n" else expected
        values, _, invisible, _ = cleaned(coded(texts), 200)
        assert values.astype(object).tolist() == ["K001", expected], hex(code)
        assert invisible.tolist() == [False, expected == "K002"], hex(code)
