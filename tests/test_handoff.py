"""The parent's checked data reaches the kernel only for exactly the same inputs."""

from __future__ import annotations

import pickle
import shutil

from klachtlib import config
from klachtlib.report import YearReport


def _sample(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    return data


def test_the_kernel_takes_over_the_parents_report_for_the_same_inputs(tmp_path, monkeypatch):
    data = _sample(tmp_path)
    parent = YearReport.load(data, 2024)
    handoff = tmp_path / "handoff.pickle"
    key, _ = parent.handoff()
    marked = YearReport(parent.folder, parent.figures, parent.narrative, parent.data_dir)
    object.__setattr__(marked, "marker", "from the parent")  # proves which object is returned
    handoff.write_bytes(pickle.dumps((key, marked)))
    monkeypatch.setenv(config.HANDOFF_ENV, str(handoff))
    assert getattr(YearReport.load(data, 2024), "marker", None) == "from the parent"


def test_a_changed_register_is_read_again_not_taken_over(tmp_path, monkeypatch):
    data = _sample(tmp_path)
    parent = YearReport.load(data, 2024)
    handoff = tmp_path / "handoff.pickle"
    handoff.write_bytes(pickle.dumps(parent.handoff()))
    monkeypatch.setenv(config.HANDOFF_ENV, str(handoff))
    register = data / "klachtenregister.csv"
    lines = register.read_text(encoding="utf-8").splitlines(keepends=True)
    register.write_text(
        "".join(line for line in lines if ";Voorkomen;" not in line or "2024" not in line), encoding="utf-8"
    )
    assert YearReport.load(data, 2024).figures.prevented == 0 != parent.figures.prevented


def test_another_year_is_not_taken_over(tmp_path, monkeypatch):
    data = _sample(tmp_path)
    handoff = tmp_path / "handoff.pickle"
    handoff.write_bytes(pickle.dumps(YearReport.load(data, 2024).handoff()))
    monkeypatch.setenv(config.HANDOFF_ENV, str(handoff))
    assert YearReport.load(data, 2023).year == 2023
