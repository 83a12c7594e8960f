"""The parent's checked data reaches the kernel only for exactly the same inputs."""

from __future__ import annotations

import pickle
import shutil

import pytest

from klachtlib import config, report
from klachtlib.report import YearReport, prepare_handed_over


def _sample(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    return data


def _hand_over(tmp_path, monkeypatch, parent: YearReport, key: tuple | None = None):
    """Leave `parent` where the kernel looks (as `WarmKernel.hand_over` does); the file's path."""
    handoff = tmp_path / "handoff.pickle"
    handoff.write_bytes(pickle.dumps((key or parent.handoff()[0], parent)))
    monkeypatch.setenv(config.HANDOFF_ENV, str(handoff))
    return handoff


def _drop_prevented_2024(data) -> None:
    register = data / "klachtenregister.csv"
    lines = register.read_text(encoding="utf-8").splitlines(keepends=True)
    register.write_text(
        "".join(line for line in lines if ";Voorkomen;" not in line or "2024" not in line), encoding="utf-8"
    )


@pytest.fixture
def prepared(monkeypatch):
    """An empty `_prepared` for the test (the module-level one is this process's)."""
    monkeypatch.setattr(report, "_prepared", {})
    return report._prepared


def test_the_kernel_takes_over_the_parents_report_for_the_same_inputs(tmp_path, monkeypatch):
    data = _sample(tmp_path)
    parent = YearReport.load(data, 2024)
    marked = YearReport(parent.folder, parent.figures, parent.narrative, parent.data_dir)
    object.__setattr__(marked, "marker", "from the parent")  # proves which object is returned
    _hand_over(tmp_path, monkeypatch, marked, key=parent.handoff()[0])
    assert getattr(YearReport.load(data, 2024), "marker", None) == "from the parent"


def test_a_changed_register_is_read_again_not_taken_over(tmp_path, monkeypatch):
    data = _sample(tmp_path)
    parent = YearReport.load(data, 2024)
    _hand_over(tmp_path, monkeypatch, parent)
    _drop_prevented_2024(data)
    assert YearReport.load(data, 2024).figures.prevented == 0 != parent.figures.prevented


def test_another_year_is_not_taken_over(tmp_path, monkeypatch):
    data = _sample(tmp_path)
    _hand_over(tmp_path, monkeypatch, YearReport.load(data, 2024))
    assert YearReport.load(data, 2023).year == 2023


def test_a_prepared_hand_over_is_taken_with_its_charts_already_drawn(tmp_path, monkeypatch, prepared):
    data = _sample(tmp_path)
    handoff = _hand_over(tmp_path, monkeypatch, YearReport.load(data, 2024))
    prepare_handed_over()
    handoff.unlink()  # the notebook then needs nothing from the file
    taken = YearReport.load(data, 2024)
    assert taken is next(iter(prepared.values()))
    drawn = ("team_chart", "verdict_chart", "nature_chart", "contacts_chart", "trend_chart")
    assert all(name in vars(taken) for name in drawn)  # cached_property keeps what was drawn
    assert taken.contacts_chart.png.startswith(b"\x89PNG")


def test_a_prepared_hand_over_for_other_inputs_is_not_taken(tmp_path, monkeypatch, prepared):
    data = _sample(tmp_path)
    parent = YearReport.load(data, 2024)
    _hand_over(tmp_path, monkeypatch, parent)
    prepare_handed_over()
    assert YearReport.load(data, 2023).year == 2023
    _drop_prevented_2024(data)
    assert YearReport.load(data, 2024).figures.prevented == 0 != parent.figures.prevented


def test_preparing_without_a_hand_over_forgets_the_previous_one(tmp_path, monkeypatch, prepared):
    data = _sample(tmp_path)
    handoff = _hand_over(tmp_path, monkeypatch, YearReport.load(data, 2024))
    prepare_handed_over()
    handoff.unlink()
    prepare_handed_over()
    assert prepared == {}
