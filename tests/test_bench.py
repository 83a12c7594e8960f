"""`make bench` must not rot: its smoke mode runs every measurement once on tiny registers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_smoke_run_writes_every_table(tmp_path):
    output = tmp_path / "BENCHMARKS.md"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--smoke", "--output", str(output)],
        check=True,
        timeout=600,  # a shared, loaded machine
        capture_output=True,
    )
    text = output.read_text(encoding="utf-8")
    assert "smoke run" in text
    for heading in ("## One year report vs the floor", "## Batch", "## A large municipality",
                    "## Validate at scale"):  # fmt: skip
        assert heading in text
    assert "Ratio report / floor" in text and "Speed-up 2 jobs vs 1" in text and "time ratio" in text


def test_floor_writes_the_page_figures_pack_and_index(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import make_data_folder

    data = make_data_folder(tmp_path / "data", 120, 2023, 2024)
    page = tmp_path / "out" / "2024" / "jaarverslag-klachten-2024.html"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "floor.py"), "--year", "2024", "--data-dir", str(data),
         "--output", str(page)],
        check=True,
        timeout=60,
        capture_output=True,
    )  # fmt: skip
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="nl"' in html
    assert html.count('<img src="data:image/png;base64,') == 5 and "<table" in html
    figures = page.parent / "cijfers"
    assert len(list(figures.glob("*.png"))) == len(list(figures.glob("*.svg"))) == 5
    assert len(list(figures.glob("*.csv"))) == 8 and len(list(figures.glob("*.xlsx"))) == 1
    assert (tmp_path / "out" / "index.html").is_file()
