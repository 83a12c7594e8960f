"""Behoorlijkheidsnormen (shared/spec/report.md, "Beyond the seed"): read by name or number, several
per complaint, aliases through klachten.toml; counted over the (partly) upheld complaints per
cluster and per norm; "niet vastgelegd" when absent; an unknown norm is an error listing the 22."""

from __future__ import annotations

import pytest
from conftest import register_row, write_register_file
from registers import NO_CONTACTS, make_register

from klachtlib.domain import counts
from klachtlib.errors import DataError
from klachtlib.presentation import charts, text
from klachtlib.reading import behoorlijkheid
from klachtlib.reading.register import load_data_folder
from klachtlib.reading.settings import Settings

UPHELD = {"behandeling": "formeel", "oordeel": "gegrond"}
PARTLY = {"behandeling": "formeel", "oordeel": "deels gegrond"}
NOT_UPHELD = {"behandeling": "formeel", "oordeel": "ongegrond"}


def figures(rows, year: int = 2024) -> counts.YearFigures:
    return counts.year_figures(make_register(rows), NO_CONTACTS, Settings(), year)


def read(tmp_path, rows, toml: str = ""):
    write_register_file(tmp_path, rows)
    if toml:
        (tmp_path / "klachten.toml").write_text(toml, encoding="utf-8")
    return load_data_folder(tmp_path)


def normed(cell: str, klacht_id: str = "K-1", verdict: str = "gegrond") -> dict[str, str]:
    return register_row(klacht_id=klacht_id, behandeling="formeel", oordeel=verdict, behoorlijkheidsnorm=cell)


# --------------------------------------------------------------------------- the 22 norms


def test_there_are_22_norms_in_four_clusters_in_the_ombudsmans_order():
    assert [n.number for n in behoorlijkheid.NORMS] == list(range(1, 23))
    sizes = [sum(n.cluster == c for n in behoorlijkheid.NORMS) for c in behoorlijkheid.CLUSTERS]
    assert sizes == [4, 6, 5, 7]
    assert behoorlijkheid.NORMS[13].label == "14 Voortvarendheid"
    assert behoorlijkheid.NORMS[13].cluster == "betrokken en oplossingsgericht"


@pytest.mark.parametrize(
    "written",
    [
        "Voortvarendheid",
        "voortvarendheid ",
        "14",
        "14.",
        "norm 14",
        "14 Voortvarendheid",
        "14. voortvarendheid",
    ],
)
def test_a_norm_is_read_by_name_or_number(written):
    assert behoorlijkheid.norm_of(written) == behoorlijkheid.NORMS[13]


@pytest.mark.parametrize("written", ["23", "0", "Snelheid", "14 Fair play", ""])
def test_a_number_outside_1_to_22_a_wrong_name_or_a_number_that_contradicts_its_name_is_no_norm(written):
    assert behoorlijkheid.norm_of(written) is None


# --------------------------------------------------------------------------- reading the register


def test_several_norms_per_complaint_separated_by_semicolons_become_canonical_names(tmp_path):
    folder = read(tmp_path, [normed("14; 2;Fatsoenlijke bejegening;14")])
    assert folder.register["behoorlijkheidsnorm"].tolist() == [
        "Goede informatieverstrekking; Fatsoenlijke bejegening; Voortvarendheid"
    ]


def test_an_unknown_norm_is_an_error_naming_file_row_column_and_listing_the_22(tmp_path):
    with pytest.raises(DataError) as raised:
        read(tmp_path, [normed("14"), normed("Te laat; 23", klacht_id="K-2")])
    (problem,) = raised.value.errors
    assert (problem.row, problem.klacht_id, problem.column) == (3, "K-2", "behoorlijkheidsnorm")
    assert "'Te laat', '23'" in problem.message
    for norm in behoorlijkheid.NORMS:
        assert norm.label in problem.hint
    assert '[waarden.behoorlijkheidsnorm] toe: "Te laat" = ' in problem.hint


def test_an_alias_in_klachten_toml_maps_a_part_or_the_whole_cell(tmp_path):
    toml = (
        "[waarden.behoorlijkheidsnorm]\n"
        '"Te laat" = "Voortvarendheid"\n'
        '"Onbeschoft en te laat" = "7; 14"\n'
        '"n.v.t." = ""\n'
    )
    rows = [normed("Te laat; 2"), normed("Onbeschoft en te laat", "K-2"), normed("n.v.t.", "K-3")]
    register = read(tmp_path, rows, toml).register.set_index("klacht_id")["behoorlijkheidsnorm"]
    assert register["K-1"] == "Goede informatieverstrekking; Voortvarendheid"
    assert register["K-2"] == "Fatsoenlijke bejegening; Voortvarendheid"
    assert register.isna()["K-3"]  # mapped to "": not recorded


def test_an_alias_to_something_that_is_no_norm_is_an_error_in_klachten_toml(tmp_path):
    with pytest.raises(DataError) as raised:
        read(tmp_path, [normed("Te laat")], '[waarden.behoorlijkheidsnorm]\n"Te laat" = "Snelheid"\n')
    problem = raised.value.errors[0]
    assert problem.file.endswith("klachten.toml") and problem.row == 2
    assert "'Snelheid' geen behoorlijkheidsnorm" in problem.message and "22 Professionaliteit" in problem.hint


# --------------------------------------------------------------------------- counting


def test_only_partly_upheld_complaints_count_per_cluster_once_and_per_norm_each():
    rows = [
        {**UPHELD, "behoorlijkheidsnorm": "Transparant; Goede motivering; Voortvarendheid"},
        {**PARTLY, "behoorlijkheidsnorm": "Voortvarendheid"},
        {**UPHELD, "behoorlijkheidsnorm": "Fair play"},
        {**NOT_UPHELD, "behoorlijkheidsnorm": "Transparant"},  # not upheld: not counted
        {**UPHELD},  # upheld, no norm recorded
    ]
    result = figures(rows)
    assert (result.upheld, result.upheld_without_norm) == (4, 1)
    assert list(result.norms_per_cluster.itertuples(index=False, name=None)) == [
        ("open en duidelijk", 1),  # one complaint, two norms of the cluster
        ("respectvol", 1),
        ("betrokken en oplossingsgericht", 2),
        ("eerlijk en betrouwbaar", 0),
    ]
    assert list(result.norms_per_norm.itertuples(index=False, name=None)) == [
        (14, "Voortvarendheid", "betrokken en oplossingsgericht", 2),
        (1, "Transparant", "open en duidelijk", 1),
        (4, "Goede motivering", "open en duidelijk", 1),
        (8, "Fair play", "respectvol", 1),
    ]


def test_norms_of_another_year_are_not_counted():
    earlier = {**UPHELD, "behoorlijkheidsnorm": "Voortvarendheid", "datum_ontvangst": "2023-05-01"}
    rows = [earlier, {**UPHELD}]
    result = figures(rows)
    assert result.upheld == 1 and result.norms_per_norm.empty


# --------------------------------------------------------------------------- sentences and charts


def test_sentence_when_every_upheld_complaint_has_its_norms():
    rows = [{**UPHELD, "behoorlijkheidsnorm": "Voortvarendheid"}, {**PARTLY, "behoorlijkheidsnorm": "2"}]
    assert text.norms_sentence(figures(rows)) == (
        "Bij alle 2 (deels) gegronde klachten uit 2024 is vastgelegd welke behoorlijkheidsnormen zijn "
        "geschonden; een klacht kan meer dan één norm raken."
    )


def test_sentence_when_some_upheld_complaints_have_no_norm():
    rows = [{**UPHELD, "behoorlijkheidsnorm": "Voortvarendheid"}, {**PARTLY}, {**UPHELD}]
    assert text.norms_sentence(figures(rows)) == (
        "Van de 3 (deels) gegronde klachten uit 2024 is bij 1 vastgelegd welke behoorlijkheidsnormen zijn "
        "geschonden; een klacht kan meer dan één norm raken."
    )


def test_sentence_for_one_upheld_complaint_and_for_none():
    assert text.norms_sentence(figures([{**UPHELD, "behoorlijkheidsnorm": "7"}])) == (
        "Bij de (deels) gegronde klacht uit 2024 is vastgelegd welke behoorlijkheidsnormen zijn geschonden."
    )
    none = figures([{**NOT_UPHELD, "behoorlijkheidsnorm": "7"}])
    assert text.norms_sentence(none) == (
        "Geen van de afgehandelde klachten uit 2024 is (deels) gegrond verklaard."
    )


def test_without_the_column_the_norms_are_niet_vastgelegd_never_zero():
    result = figures([{**UPHELD}, {**PARTLY}])
    assert "behoorlijkheidsnorm" in result.not_recorded
    assert text.norms_sentence(result) == (
        "Bij de klachten uit 2024 is in het register niet vastgelegd welke behoorlijkheidsnormen zijn "
        "geschonden."
    )


def test_without_verdicts_it_is_not_known_which_complaints_were_upheld():
    result = figures([{"behandeling": "formeel", "behoorlijkheidsnorm": "7"}])
    assert text.norms_sentence(result).startswith("Het oordeel over de klachten uit 2024 is niet vastgelegd")


def test_the_cluster_chart_keeps_the_ombudsmans_order_and_states_every_number_in_dutch():
    rows = [
        {**UPHELD, "behoorlijkheidsnorm": "Voortvarendheid; Integriteit"},
        {**PARTLY, "behoorlijkheidsnorm": "14"},
    ]
    result = figures(rows)
    chart = charts.norm_cluster_chart(result.norms_per_cluster, result.when)
    assert chart is not None
    assert chart.alt == (
        "Staafdiagram van de (deels) gegronde klachten per cluster van behoorlijkheidsnormen in 2024: "
        "Open en duidelijk 0; Respectvol 0; Betrokken en oplossingsgericht 2; Eerlijk en betrouwbaar 1."
    )
    assert chart.table["Cluster"].tolist()[0] == "Open en duidelijk"


def test_the_norm_chart_table_names_each_norms_cluster():
    result = figures([{**UPHELD, "behoorlijkheidsnorm": "Voortvarendheid; Integriteit"}])
    chart = charts.norm_chart(result.norms_per_norm, result.when)
    assert chart is not None
    assert list(chart.table.itertuples(index=False, name=None)) == [
        ("14 Voortvarendheid", "Betrokken en oplossingsgericht", 1),
        ("16 Integriteit", "Eerlijk en betrouwbaar", 1),
    ]
    assert "14 Voortvarendheid 1; 16 Integriteit 1" in chart.alt
