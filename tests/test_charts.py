"""Rules for the report's charts: accessible, reproducible, the same numbers everywhere."""

from __future__ import annotations

import hashlib
import html
import re
import struct
import subprocess
import sys
import zlib

import matplotlib as mpl
import pandas as pd
import pytest

from klachtlib.presentation import charts

TEAMS = pd.DataFrame(
    {
        "team": ["Belastingen", "Publiekszaken", "<b>Team & Co</b>", "Sociaal domein: Werk, Inkomen en Wmo"],
        "aantal": [9, 12, 1234, 3],
    }
)
CONTACTS = pd.DataFrame(
    {
        "jaar": [2023, 2024, 2023, 2024, 2024],
        "kanaal": ["webformulier", "webformulier", "brief", "brief", "balie"],
        "klachten": [40, 35, 10, 8, 5],
        "contacten": pd.array([12000, 13500, 1500, 1400, None], dtype="Int64"),
    }
)
CONTACTS["per_1000"] = CONTACTS["klachten"] / CONTACTS["contacten"].astype("Float64") * 1000
TREND = pd.DataFrame(
    {
        "jaar": [2023, 2024],
        "totaal": [83, 64],
        "afgehandeld": [70, 50],
        "niet_afgehandeld": [10, 14],
        "in_behandeling": [3, 0],
        "voorkomen": [12, 15],
    }
)


def _png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        chunks.append((kind, png[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return chunks


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", dict(_png_chunks(png))[b"IHDR"][:8])


def _all_charts() -> list[charts.Chart]:
    return [
        charts.handled_per_team_chart(TEAMS, 2024),
        charts.contacts_chart(CONTACTS),
        charts.trend_chart(TREND),
        charts.verdict_chart(pd.DataFrame({"oordeel": ["gegrond", "ongegrond"], "aantal": [4, 6]}), 2024),
        charts.treatment_chart(
            pd.DataFrame({"behandeling": ["formeel", "informeel"], "aantal": [21, 29]}), 2024
        ),
        charts.nature_chart(
            pd.DataFrame({"aard": ["geen oplossing", "lange doorlooptijd"], "aantal": [5, 7]}), 2024
        ),
    ]


# ---------------------------------------------------------------- text alternative and table


def test_alt_text_states_every_team_and_count():
    chart = charts.handled_per_team_chart(TEAMS, 2024)
    assert chart.alt.startswith("Staafdiagram van de afgehandelde klachten per team in 2024: ")
    for team, n in [("Publiekszaken", "12"), ("Belastingen", "9"), ("<b>Team & Co</b>", "1.234")]:
        assert f"{team} {n}" in chart.alt
    assert "Totaal 1.258." in chart.alt


def test_alt_text_of_contacts_chart_states_every_rate_and_volume():
    alt = charts.contacts_chart(CONTACTS).alt
    for text in [
        "Webformulier: 2023 3,3 (40 klachten op 12.000 contacten)",
        "2024 2,6",
        "Brief: 2023 6,7",
        "2024 5,7",
    ]:
        assert text in alt


def test_alt_text_says_one_complaint_not_one_complaints():
    trend = pd.DataFrame(
        {"jaar": [2023, 2024], "totaal": [1, 2], "niet_afgehandeld": [0, 1], "voorkomen": [0, 0]}
    )
    alt = charts.trend_chart(trend).alt
    assert "2023: 1 klacht ontvangen," in alt
    assert "2024: 2 klachten ontvangen," in alt
    assert "1 klachten" not in alt
    contacts = pd.DataFrame(
        {"jaar": [2024], "kanaal": ["brief"], "klachten": [1], "contacten": pd.array([1], dtype="Int64")}
    )
    contacts["per_1000"] = 1000.0
    alt = charts.contacts_chart(contacts).alt
    assert "(1 klacht op 1 contact)" in alt
    assert "1 klachten" not in alt and "1 contacten" not in alt


def test_alt_text_of_trend_chart_states_every_year_and_series():
    alt = charts.trend_chart(TREND).alt
    assert "2023: 83 klachten ontvangen, 10 afgebroken, ingetrokken of niet ontvankelijk, 12 keer" in alt
    assert "2024: 64 klachten ontvangen, 14 afgebroken, ingetrokken of niet ontvankelijk, 15 keer" in alt


def test_table_holds_the_same_numbers_as_the_input():
    table = charts.handled_per_team_chart(TEAMS, 2024).table
    assert list(table.columns) == ["Team", "Aantal"]
    assert dict(zip(table["Team"], table["Aantal"], strict=True)) == dict(
        zip(TEAMS["team"], TEAMS["aantal"], strict=True)
    )


def test_contacts_table_holds_the_same_numbers_as_the_input():
    table = charts.contacts_chart(CONTACTS).table
    assert list(table.columns) == [
        "Kanaal",
        "Jaar",
        "Klachten",
        "Klantcontacten",
        "Klachten per 1.000 contacten",
    ]
    assert table["Klachten"].sum() == 40 + 35 + 10 + 8
    assert table["Klachten per 1.000 contacten"].round(6).tolist() == [3.333333, 2.592593, 6.666667, 5.714286]


def test_trend_table_holds_the_charted_series_per_year():
    table = charts.trend_chart(TREND).table
    assert table["Jaar"].tolist() == [2023, 2024]
    assert table["Ontvangen klachten"].tolist() == [83, 64]
    assert table["Afgebroken, ingetrokken of niet ontvankelijk"].tolist() == [10, 14]


def test_prevented_complaints_are_labelled_as_not_complaints():
    chart = charts.trend_chart(TREND)
    assert "Voorkomen klachten (geen klacht)" in chart.table.columns
    assert "15 keer een klacht voorkomen" in chart.alt


def test_teams_are_ordered_most_first():
    assert charts.handled_per_team_chart(TEAMS, 2024).table["Team"].tolist() == [
        "<b>Team & Co</b>",
        "Publiekszaken",
        "Belastingen",
        "Sociaal domein: Werk, Inkomen en Wmo",
    ]


def test_teams_with_equal_counts_are_ordered_by_name():
    teams = pd.DataFrame({"team": ["b", "C", "a"], "aantal": [1, 1, 1]})
    assert charts.handled_per_team_chart(teams, 2024).table["Team"].tolist() == ["a", "b", "C"]


def test_verdicts_keep_the_fixed_order_with_missing_ones_as_zero():
    verdicts = pd.DataFrame({"oordeel": ["ongegrond", "gegrond"], "aantal": [10, 7]})
    table = charts.verdict_chart(verdicts, 2024).table
    assert table["Oordeel"].tolist() == ["Gegrond", "Deels gegrond", "Ongegrond", "Geen oordeel"]
    assert table["Aantal"].tolist() == [7, 0, 10, 0]


def test_contacts_without_known_volume_are_left_out():
    chart = charts.contacts_chart(CONTACTS)
    assert "Balie" not in chart.table["Kanaal"].tolist()
    assert "Balie" not in chart.alt


def test_titles_and_captions_are_dutch_and_name_the_year():
    chart = charts.handled_per_team_chart(TEAMS, 2024)
    assert chart.title == "Afgehandelde klachten per team, 2024"
    assert chart.caption == "Afgehandelde klachten per team in 2024"
    assert charts.trend_chart(TREND).title == "Verloop over de jaren, 2023-2024"


# ---------------------------------------------------------------- empty input


@pytest.mark.parametrize(
    "make",
    [
        lambda: charts.handled_per_team_chart(pd.DataFrame({"team": [], "aantal": []}), 2024),
        lambda: charts.handled_per_team_chart(pd.DataFrame({"team": ["A"], "aantal": [0]}), 2024),
        lambda: charts.count_chart(pd.DataFrame({"aard": ["x"], "aantal": [None]}), "aard", "Aard"),
        lambda: charts.contacts_chart(CONTACTS[CONTACTS["kanaal"] == "balie"]),
        lambda: charts.contacts_chart(CONTACTS.iloc[0:0]),
        lambda: charts.trend_chart(TREND.iloc[0:0]),
    ],
    ids=["no-rows", "only-zeros", "only-unknown", "no-known-volume", "no-contacts", "no-years"],
)
def test_empty_input_gives_no_chart(make):
    assert make() is None


def test_missing_column_is_a_clear_error():
    with pytest.raises(ValueError, match="ontbreken: aantal"):
        charts.count_chart(pd.DataFrame({"team": ["A"]}), "team", "Titel")


# ---------------------------------------------------------------- reproducible PNG


def test_png_bytes_are_identical_for_two_calls():
    first = [c.png for c in _all_charts()]
    second = [c.png for c in _all_charts()]
    assert first == second


def test_png_bytes_are_identical_in_a_fresh_process():
    code = (
        "import hashlib, pandas as pd; from klachtlib.presentation import charts; "
        "t = pd.DataFrame({'team': ['Publiekszaken', 'Belastingen'], 'aantal': [12, 9]}); "
        "print(hashlib.sha256(charts.handled_per_team_chart(t, 2024).png).hexdigest())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    teams = pd.DataFrame({"team": ["Publiekszaken", "Belastingen"], "aantal": [12, 9]})
    assert out == hashlib.sha256(charts.handled_per_team_chart(teams, 2024).png).hexdigest()


def test_png_has_no_software_text_or_time_chunk():
    for chart in _all_charts():
        kinds = [kind for kind, _ in _png_chunks(chart.png)]
        assert b"tIME" not in kinds
        assert not {b"tEXt", b"iTXt", b"zTXt"} & set(kinds)
        assert b"Software" not in chart.png and b"matplotlib" not in chart.png.lower()


def test_png_is_valid_and_800_pixels_wide():
    for chart in _all_charts():
        width, _height = _png_size(chart.png)
        assert width == 800
        idat = b"".join(data for kind, data in _png_chunks(chart.png) if kind == b"IDAT")
        assert zlib.decompress(idat)


def test_drawing_a_chart_leaves_global_rcparams_alone():
    before = dict(mpl.rcParams)
    with mpl.rc_context({"font.size": 20, "text.parse_math": True}):
        inside = dict(mpl.rcParams)
        png = charts.handled_per_team_chart(TEAMS, 2024).png
        assert dict(mpl.rcParams) == inside
    assert dict(mpl.rcParams) == before
    assert png == charts.handled_per_team_chart(TEAMS, 2024).png  # user settings do not leak in


def test_dollar_signs_and_markup_in_labels_are_drawn_as_plain_text():
    teams = pd.DataFrame(
        {"team": ["Kosten $5 & $x^2", "<script>alert(1)</script>", "a_b\\c"], "aantal": [1, 2, 3]}
    )
    chart = charts.handled_per_team_chart(teams, 2024)  # mathtext would fail on the odd `$`
    assert "Kosten $5 & $x^2 1" in chart.alt


# ---------------------------------------------------------------- palette


def _contrast(colour: str, background: str = "#FFFFFF") -> float:
    def luminance(hex_colour: str) -> float:
        rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted([luminance(colour), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_palette_colours_are_from_the_okabe_ito_set():
    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(charts.SERIES_COLOURS) <= okabe_ito
    assert charts.BAR_COLOUR in okabe_ito
    assert [c.upper() for c in charts.STYLE["axes.prop_cycle"].by_key()["color"]] == list(
        charts.SERIES_COLOURS
    )


def test_series_colours_have_three_to_one_contrast_on_white():
    assert all(_contrast(c) >= 3.0 for c in charts.SERIES_COLOURS)


def test_text_colour_has_four_and_a_half_to_one_contrast_on_white():
    assert _contrast(charts.TEXT_COLOUR) >= 4.5
    for key in ("text.color", "axes.labelcolor", "xtick.color", "ytick.color"):
        assert _contrast(charts.STYLE[key]) >= 4.5


def test_text_is_at_least_eleven_points():
    sizes = [
        v for k, v in charts.STYLE.items() if k.endswith(("size", "fontsize")) and isinstance(v, int | float)
    ]
    assert sizes and min(sizes) >= 11


# ---------------------------------------------------------------- HTML fragments


def test_chart_html_gives_image_and_table_as_one_figure_with_alt_text_and_size():
    chart = charts.handled_per_team_chart(TEAMS, 2024)
    markup = charts.chart_html(chart)
    assert markup.startswith('<div class="grafiek">')
    width, height = chart.size
    assert width == 800 and height > 100
    assert f'alt="{html.escape(chart.alt)}" width="800" height="{height}"' in markup
    assert markup.index("<img ") < markup.index('<table class="data-table">')


def test_chart_image_sits_in_a_labelled_focusable_scroll_region():
    chart = charts.handled_per_team_chart(TEAMS, 2024)
    markup = chart.figure_html()
    assert (
        '<div class="grafiek-beeld" role="region" aria-label="Grafiek: Afgehandelde klachten per team, 2024" '
        'tabindex="0">' in markup
    )


def test_figure_links_to_the_files_given():
    chart = charts.handled_per_team_chart(TEAMS, 2024)
    markup = chart.figure_html([("CSV", "cijfers/a&b.csv"), ("SVG", "cijfers/a.svg")])
    assert '<a href="cijfers/a&amp;b.csv">CSV</a>, <a href="cijfers/a.svg">SVG</a>' in markup


def test_year_cells_of_the_contacts_table_are_row_headers():
    chart = charts.contacts_chart(CONTACTS)
    markup = chart.table_html()
    body_rows = markup.split("<tbody>")[1].split("<tr>")[1:]
    assert body_rows and all(row.count('<th scope="row"') == 2 for row in body_rows)
    assert re.search(r'<th scope="row" id="[^"]+" headers="[^"]+" class="numeric">2023</th>', markup)


def test_chart_html_without_a_chart_says_there_is_no_data():
    assert charts.chart_html(None, "Er zijn geen afgehandelde klachten.") == (
        "<p>Er zijn geen afgehandelde klachten.</p>\n"
    )


def test_chart_html_escapes_a_team_name_in_the_alt_text():
    teams = pd.DataFrame({"team": ['Zorg & "Jeugd" <b>'], "aantal": [3]})
    fragment = charts.chart_html(charts.handled_per_team_chart(teams, 2024))
    alt = "afgehandelde klachten per team in 2024: Zorg &amp; &quot;Jeugd&quot; &lt;b&gt; 3."
    assert f'alt="Staafdiagram van de {alt}"' in fragment
    assert "<b>" not in fragment.split("<table")[0]  # the image and its region; the table escapes too
