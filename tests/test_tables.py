"""Rules for data-derived HTML: accessible tables, Dutch numbers, everything escaped."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from klachtlib.presentation import tables

TEAMS = pd.DataFrame({"Team": ["<b>Team & Co</b>", "Publiekszaken"], "Aantal": [1234, 12]}, index=[7, 9])


def _cells(markup: str) -> list[str]:
    return re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", markup)


def test_table_has_a_caption_and_column_headers_with_scope():
    markup = tables.table_html(TEAMS, "Afgehandelde klachten per team in 2024")
    assert "<caption>Afgehandelde klachten per team in 2024</caption>" in markup
    assert '<th scope="col">Team</th>' in markup
    assert '<th scope="col" class="numeric">Aantal</th>' in markup


def test_first_column_holds_row_headers():
    markup = tables.table_html(TEAMS, "c")
    assert '<th scope="row">Publiekszaken</th>' in markup


def test_table_has_no_index_column():
    cells = _cells(tables.table_html(TEAMS, "c"))
    assert cells == ["Team", "Aantal", "&lt;b&gt;Team &amp; Co&lt;/b&gt;", "1.234", "Publiekszaken", "12"]


def test_values_headers_and_caption_are_escaped():
    df = pd.DataFrame({"<i>Team</i>": ["<script>alert(1)</script>", 'A "B" & C'], "Aantal": [1, 2]})
    markup = tables.table_html(df, "Klachten <b>& meer</b>")
    assert "<script>" not in markup and "<b>" not in markup and "<i>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "A &quot;B&quot; &amp; C" in markup
    assert "<caption>Klachten &lt;b&gt;&amp; meer&lt;/b&gt;</caption>" in markup


def test_integers_have_a_dutch_thousands_separator():
    df = pd.DataFrame({"Kanaal": ["telefoon"], "Contacten": pd.array([1234567], dtype="Int64")})
    assert '<td class="numeric">1.234.567</td>' in tables.table_html(df, "c")


def test_floats_have_one_decimal_after_a_comma():
    df = pd.DataFrame({"Kanaal": ["a", "b", "c"], "Per 1.000": [12.5, 3.0, 1234.56]})
    assert _cells(tables.table_html(df, "c"))[3::2] == ["12,5", "3,0", "1.234,6"]


def test_rounding_is_half_up():
    df = pd.DataFrame({"Kanaal": ["a", "b"], "Per 1.000": [12.25, 0.05]})
    assert _cells(tables.table_html(df, "c"))[3::2] == ["12,3", "0,1"]


def test_years_have_no_thousands_separator():
    df = pd.DataFrame({"Jaar": [2024], "Aantal": [2024]})
    assert _cells(tables.table_html(df, "c"))[2:] == ["2024", "2.024"]


def test_numeric_columns_are_marked_for_right_alignment_without_inline_style():
    markup = tables.table_html(TEAMS, "c")
    assert '<td class="numeric">12</td>' in markup
    assert "style=" not in markup


def test_missing_values_read_onbekend():
    df = pd.DataFrame(
        {"Kanaal": ["balie"], "Contacten": pd.array([None], dtype="Int64"), "P": [float("nan")]}
    )
    assert _cells(tables.table_html(df, "c"))[4:] == ["onbekend", "onbekend"]


def test_dates_and_yes_no_are_written_in_dutch():
    df = pd.DataFrame(
        {
            "Id": ["K1"],
            "Ontvangen": [pd.Timestamp("2026-11-27")],
            "Verdaagd": pd.array([True], dtype="boolean"),
        }
    )
    assert _cells(tables.table_html(df, "c"))[3:] == ["K1", "27 november 2026", "ja"]


def test_table_output_is_deterministic():
    assert tables.table_html(TEAMS, "c") == tables.table_html(TEAMS.copy(), "c")
    assert not re.search(r"\bid=", tables.table_html(TEAMS, "c"))


def test_paragraph_and_bullets_are_escaped():
    assert tables.paragraph_html("Team <b>& Co</b>") == "<p>Team &lt;b&gt;&amp; Co&lt;/b&gt;</p>\n"
    assert (
        tables.bullets_html(["a < b;", "c & d."]) == "<ul>\n<li>a &lt; b;</li>\n<li>c &amp; d.</li>\n</ul>\n"
    )


def test_no_bullets_give_no_empty_list():
    assert tables.bullets_html([]) == ""


def test_heading_is_escaped_and_level_checked():
    assert tables.heading_html("Daling <aantal>", 3) == "<h3>Daling &lt;aantal&gt;</h3>\n"
    with pytest.raises(ValueError):
        tables.heading_html("x", 7)


def test_two_row_header_columns_tie_every_cell_to_its_headers():
    df = pd.DataFrame({"Kanaal": ["Brief", "Brief"], "Jaar": [2023, 2024], "Klachten": [5, 7]})
    markup = tables.table_html(df, "Klachten per kanaal, 2023-2024", row_headers=2)
    p = "t-klachten-per-kanaal-2023-2024"
    assert f'<th scope="row" id="{p}-r1-k0">Brief</th>' in markup
    assert f'<th scope="row" id="{p}-r1-k1" headers="{p}-k1 {p}-r1-k0" class="numeric">2024</th>' in markup
    assert f'<td headers="{p}-k2 {p}-r1-k0 {p}-r1-k1" class="numeric">7</td>' in markup
    ids = re.findall(r'\bid="([^"]+)"', markup)
    assert len(ids) == len(set(ids)) == 3 + 2 * 2


def test_table_sits_in_a_labelled_focusable_scroll_region():
    markup = tables.table_html(TEAMS, "Teams <2024>")
    assert markup.startswith(
        '<div class="tabel-scroll" role="region" aria-label="Teams &lt;2024&gt;" tabindex="0">\n<table'
    )
    assert tables.table_html(TEAMS, "c", region=False).startswith('<table class="data-table">')
