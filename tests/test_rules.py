"""The Rekenregels annex (shared/spec/report.md, "Beyond the seed"): each published figure's rule in
plain Dutch, generated from the same definitions and klachten.toml settings the figures use, with
counts; it never lists a value from [waarden], [afleiden], [overslaan] or [teams]."""

from __future__ import annotations

from conftest import register_row, write_register_file
from registers import NO_CONTACTS, make_register

from klachtlib.domain import counts
from klachtlib.presentation import rules
from klachtlib.presentation.report import YearReport
from klachtlib.reading.register import load_data_folder
from klachtlib.reading.settings import Settings

SECRET_NAMES = ("Jansen", "Pietersen", "De Vries", "Bakker", "Visser")
DEFAULTS = Settings()


def annex(rows, settings: Settings = DEFAULTS, skipped=None) -> str:
    figures = counts.year_figures(make_register(rows), NO_CONTACTS, settings, 2024)
    return "\n".join(rules.rules(figures, settings, skipped))


def test_the_term_rule_states_this_municipalitys_termijnen_and_the_denominator():
    rows = [{"datum_afgehandeld": "2024-03-10", "verdaagd": "nee"}] * 3 + [{}]
    text = annex(rows, Settings(term_weeks=8, extension_weeks=2))
    assert "binnen 8 weken na ontvangst, of binnen 10 weken als de behandeling is verdaagd" in text
    assert "behandeltermijn_weken = 8, verdaging_weken = 2" in text
    assert "gedeeld door de afgehandelde klachten met een datum van afhandeling (in 2024: 3 van 3)" in text


def test_the_rules_say_which_date_puts_a_complaint_in_a_year_and_what_is_excluded():
    text = annex([{}, {"status": "voorkomen"}, {"status": "voorkomen"}])
    assert "telt mee in het jaar waarin hij is ontvangen (de datum van ontvangst)" in text
    assert "1 januari 2024 tot en met 31 december 2024" in text
    assert "Voorkomen klachten (status 'voorkomen') zijn geen klachten" in text and "(in 2024: 2)" in text
    assert "status 'ingetrokken', 'niet-ontvankelijk', 'afgebroken' of 'doorgestuurd'" in text


def test_rows_skipped_by_overslaan_are_counted_without_their_values():
    text = annex([{}], skipped={'Zaaktype = "Jansen"': 3, 'Zaaknummer = "Totaal"': 1})
    assert "Niet meegeteld: 4 regels van de export die volgens [overslaan] in klachten.toml geen" in text
    assert "(2 regels in [overslaan])" in text
    assert "Jansen" not in text and "Totaal" not in text


def test_a_figure_that_is_not_published_has_no_rule():
    text = annex([{}, {}])  # no closing dates, handling, verdicts, ombudsman, norms or inhabitants
    absent = ("Binnen de wettelijke termijn", "Behandelduur", "Informeel behandeld", "Oordeel:")
    absent += ("Behoorlijkheidsnormen", "Nationale ombudsman", "Openstaande klachten", "10.000 inwoners")
    for rule in absent:
        assert rule not in text, rule


def test_the_annex_of_a_real_export_never_lists_values_from_waarden_afleiden_overslaan_or_teams(tmp_path):
    """Settings that could hold a person's name: the annex names settings and counts only."""
    jansen, pietersen, de_vries, bakker, visser = SECRET_NAMES
    write_register_file(
        tmp_path,
        [
            {**register_row(klacht_id="K-1", team=jansen), "Resultaat": pietersen, "Zaaktype": "Klacht"},
            {**register_row(klacht_id="K-2", team="Belastingen"), "Resultaat": pietersen, "Zaaktype": visser},
        ],
    )
    (tmp_path / "klachten.toml").write_text(
        f'[teams]\n"{jansen}" = "Publiekszaken"\n'
        f'[waarden.aard]\n"{de_vries}" = "geen oplossing"\n'
        f'[afleiden."Resultaat"]\n"{pietersen}" = {{ behandeling = "informeel" }}\n'
        f'[overslaan]\n"Zaaktype" = ["{visser}", "{bakker}"]\n',
        encoding="utf-8",
    )
    report = YearReport.from_folder(load_data_folder(tmp_path), tmp_path, 2024)
    html = report.rules_html()
    assert "1 hernoeming in [teams]" in html and "1 regel van de export" in html
    assert "De kolom behandeling wordt afgeleid uit 1 andere kolom van de export ([afleiden]" in html
    for name in SECRET_NAMES:
        assert name not in html, name


def test_the_annex_follows_the_settings_it_documents(tmp_path):
    """Change [termijnen] and the annex changes with the figures: it cannot drift."""
    row = register_row(klacht_id="K-1", datum_ontvangst="2024-03-01", datum_afgehandeld="2024-04-20")
    write_register_file(tmp_path, [row])
    before = YearReport.from_folder(load_data_folder(tmp_path), tmp_path, 2024)
    (tmp_path / "klachten.toml").write_text("[termijnen]\nbehandeltermijn_weken = 8\n", encoding="utf-8")
    after = YearReport.from_folder(load_data_folder(tmp_path), tmp_path, 2024)
    assert "binnen 6 weken" in before.rules_html() and "binnen 8 weken" in after.rules_html()
    assert before.figures.within_term_count == 0 and after.figures.within_term_count == 1
    assert "(in 2024: 0 van 1)" in before.rules_html() and "(in 2024: 1 van 1)" in after.rules_html()
