"""The shipped sample data reproduces every figure and sentence of the seed report (2024).

Reads the real data folder through the reader (register.load_data_folder), so this is the
end-to-end check of reader + counts + text against shared/seed/cijfers-klachtenbehandeling-2024.txt.
"""

from __future__ import annotations

import pytest
from seed import SEED_BULLETS, SEED_NOT_HANDLED, SEED_PER_TEAM, SEED_TOTAL

from klachtlib import config
from klachtlib.domain import counts
from klachtlib.presentation import text


@pytest.fixture(scope="module")
def folder():
    from klachtlib.reading.register import load_data_folder

    return load_data_folder(config.DATA_DIR)


@pytest.fixture(scope="module")
def figures_2024(folder) -> counts.YearFigures:
    return counts.year_figures(folder.register, folder.contacts, folder.settings, 2024)


def test_sample_totals_match_the_seed(figures_2024):
    assert (figures_2024.total_previous, figures_2024.total) == (83, 64)
    assert (figures_2024.handled, figures_2024.not_handled, figures_2024.still_open) == (50, 14, 0)
    assert figures_2024.prevented == 15


def test_sample_reasons_match_the_seed_in_order(figures_2024):
    table = figures_2024.not_handled_by_reason
    assert list(zip(table["reden"], table["aantal"], strict=True)) == [
        ("De klager reageerde niet meer tijdens de klachtbehandeling", 4),
        ("De klacht betrof een melding", 3),
        ("De klacht ging alleen over een opgelegde boete", 3),
        ("De klager trok de klacht in toen er toch een oplossing kwam", 2),
        ("De klacht werd meegenomen in het hoger beroep", 1),
        ("De klacht hoorde thuis bij een andere instantie", 1),
    ]


def test_sample_sentences_are_the_seeds(figures_2024):
    assert text.total_sentence(figures_2024) == SEED_TOTAL
    assert text.not_handled_sentence(figures_2024) == SEED_NOT_HANDLED
    assert text.reason_bullets(figures_2024) == SEED_BULLETS
    assert text.handled_per_team_sentence(figures_2024) == SEED_PER_TEAM
    assert text.still_open_sentence(figures_2024) is None
    assert text.trend_heading(figures_2024) == "Daling aantal klachten"
    assert text.prevented_sentence(figures_2024) == (
        "In 2024 zijn 15 situaties geregistreerd waarin een klacht is voorkomen."
    )


def test_sample_contacts_lack_data_for_counter_phone_and_email(figures_2024):
    assert set(figures_2024.channels_without_data) == {"balie", "telefoon", "e-mail"}
    assert text.contacts_without_data_sentence(figures_2024) == (
        "Over de baliecontacten, telefonische contacten en e-mailcontacten zijn geen gegevens bekend."
    )


def test_sample_narrative_fills_the_prevented_count(figures_2024):
    narrative = text.render_narrative(config.DATA_DIR, 2024, figures_2024)
    assert narrative.warnings == []
    assert (
        "door 15 geregistreerde situaties waarin een klacht is voorkomen"
        in narrative.sections["Daling aantal klachten"]
    )
    assert all(narrative.sections.values())
