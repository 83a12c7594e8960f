"""Rules of the "Kerncijfers" block: five figures with last year's beside them, norms in words,
and "onbekend" wherever the register does not hold the figure (never 0)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from registers import NO_CONTACTS, make_register

from klachtlib.presentation import keyfigures
from klachtlib.reading.register import DataFolder
from klachtlib.reading.settings import Settings


def handled(n: int, year: int = 2024, **fields: str) -> list[dict[str, str]]:
    return [{"datum_ontvangst": f"{year}-03-01", **fields} for _ in range(n)]


def folder(rows, norms=None) -> DataFolder:
    return DataFolder(make_register(rows), NO_CONTACTS, Settings(norms=norms or {}), [])


def rows_of(data: DataFolder, year: int = 2024) -> dict[str, keyfigures.KeyFigure]:
    from klachtlib.domain.counts import year_figures

    figures = year_figures(data.register, data.contacts, data.settings, year)
    return {r.label: r for r in keyfigures.report_rows(data, figures)}


def closed(year: int, days: int) -> dict[str, str]:
    received = date(year, 3, 1)
    done = received + timedelta(days)
    # verdaagd recorded ("nee"): without it a complaint closed after 6 but within 10 weeks is
    # of unknown timeliness, and the share is "onbekend" (issue 12: not recorded is not none).
    return {"datum_ontvangst": received.isoformat(), "datum_afgehandeld": done.isoformat(), "verdaagd": "nee"}


def test_received_and_change_are_given_with_last_years_values():
    data = folder(handled(3, 2022) + handled(5, 2023) + handled(4, 2024))
    rows = rows_of(data)
    assert (rows["Klachten ontvangen"].value, rows["Klachten ontvangen"].previous) == ("4", "5")
    assert rows["Verschil met het jaar ervoor"].value == "1 minder (\u221220,0%)"
    assert rows["Verschil met het jaar ervoor"].previous == "2 meer (+66,7%)"


def test_a_year_not_in_the_register_gives_onbekend_not_zero():
    rows = rows_of(folder(handled(4)))
    for row in rows.values():
        assert row.previous == "onbekend", row
    assert rows["Verschil met het jaar ervoor"].value == "onbekend"


def test_shares_without_recorded_handling_or_verdicts_or_dates_are_onbekend():
    rows = rows_of(folder(handled(4)))  # no behandeling, oordeel or datum_afgehandeld recorded
    assert rows["Inhoudelijk afgehandeld"].value == "4"
    assert rows["Informeel behandeld, van de afgehandelde klachten"].value == "onbekend"
    assert rows["(Deels) gegrond, van de formele oordelen"].value == "onbekend"
    assert rows["Binnen de wettelijke termijn afgehandeld"].value == "onbekend"


def test_informal_share_counts_only_handling_that_is_recorded():
    data = folder(handled(3, behandeling="informeel") + handled(1, behandeling="formeel") + handled(4))
    assert rows_of(data)["Informeel behandeld, van de afgehandelde klachten"].value == "75,0%"


def test_partly_well_founded_share_is_of_the_formal_verdicts_given():
    """'geen oordeel' is no verdict: 2 of the 4 verdicts, not of the 5 formal complaints."""
    verdicts = ["gegrond", "deels gegrond", "ongegrond", "ongegrond", "geen oordeel"]
    data = folder(
        [{"behandeling": "formeel", "oordeel": v} for v in verdicts] + handled(5, behandeling="informeel")
    )
    assert rows_of(data)["(Deels) gegrond, van de formele oordelen"].value == "50,0%"


def test_norms_are_judged_in_words():
    rows = [closed(2024, 5)] * 9 + [closed(2024, 60)]  # 90% within 6 weeks
    norms = {"binnen_termijn_procent": 95, "informeel_procent": 50, "gegrond_procent_max": 30}
    data = folder([{**r, "behandeling": "informeel"} for r in rows], norms)
    result = rows_of(data)
    term = result["Binnen de wettelijke termijn afgehandeld"]
    assert (term.value, term.norm, term.verdict) == ("90,0%", "minstens 95%", "niet gehaald")
    informal = result["Informeel behandeld, van de afgehandelde klachten"]
    assert (informal.value, informal.norm, informal.verdict) == ("100,0%", "minstens 50%", "gehaald")
    founded = result["(Deels) gegrond, van de formele oordelen"]
    assert (founded.value, founded.norm, founded.verdict) == ("onbekend", "hoogstens 30%", "onbekend")


def test_a_share_is_judged_as_shown():
    rows = [closed(2024, 5)] * 1799 + [closed(2024, 60)] * 201  # 89.95% is shown as 90,0%
    data = folder(rows, {"binnen_termijn_procent": 90})
    term = rows_of(data)["Binnen de wettelijke termijn afgehandeld"]
    assert (term.value, term.verdict) == ("90,0%", "gehaald")


def test_the_block_states_norms_in_sentences_and_columns():
    data = folder([closed(2024, 5)] * 9 + [closed(2024, 60)], {"binnen_termijn_procent": 95})
    from klachtlib.domain.counts import year_figures

    markup = keyfigures.section_html(data, year_figures(data.register, data.contacts, data.settings, 2024))
    assert markup.startswith("<h2>Kerncijfers</h2>")
    assert '<th scope="col">Norm gehaald</th>' in markup
    assert "<td>niet gehaald</td>" in markup and "<td>geen norm</td>" in markup
    assert (
        "<li>De norm voor &#x27;binnen de wettelijke termijn afgehandeld&#x27; (minstens 95%) is in 2024 "
        "niet gehaald: 90,0%.</li>" in markup
    )


def test_without_norms_the_block_has_no_norm_columns():
    data = folder(handled(2))
    from klachtlib.domain.counts import year_figures

    markup = keyfigures.section_html(data, year_figures(data.register, data.contacts, data.settings, 2024))
    assert "Norm" not in markup and "<ul>" not in markup


def test_norms_in_klachten_toml_reach_the_key_figures(tmp_path):
    """[normen] as the coordinator writes it, read by the reader, judged in the block."""
    import shutil

    from klachtlib import config
    from klachtlib.reading.register import load_data_folder

    shutil.copytree(config.DATA_DIR, tmp_path / "data")
    toml = tmp_path / "data" / "klachten.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + "\n[normen]\nbinnen_termijn_procent = 95\n"
        "informeel_procent = 65\n",
        encoding="utf-8",
    )
    result = rows_of(load_data_folder(tmp_path / "data"))
    term = result["Binnen de wettelijke termijn afgehandeld"]
    assert (term.value, term.norm, term.verdict) == ("94,0%", "minstens 95%", "niet gehaald")
    informal = result["Informeel behandeld, van de afgehandelde klachten"]
    assert (informal.value, informal.norm, informal.verdict) == ("70,0%", "minstens 65%", "gehaald")


def test_every_share_in_the_block_has_one_decimal():
    rows = [closed(2024, 5)] * 9 + [closed(2024, 60)]  # 90% within the term
    data = folder([{**r, "behandeling": "informeel"} for r in rows[:7]] + rows[7:])
    shares = [r.value for r in rows_of(data).values() if r.value.endswith("%")]
    assert shares and all(re.fullmatch(r"\d+,\d%", s) for s in shares), shares


def test_sample_2024_partly_well_founded_is_8_of_14_verdicts():
    from klachtlib import config
    from klachtlib.reading.register import load_data_folder

    rows = rows_of(load_data_folder(config.DATA_DIR))
    assert rows["(Deels) gegrond, van de formele oordelen"].value == "57,1%"
    assert rows["Binnen de wettelijke termijn afgehandeld"].value == "94,0%"
