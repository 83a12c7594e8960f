"""`make bench`: time the `klachten` commands as whole processes and write BENCHMARKS.md.

Four measurements, all in one run on registers generated with a fixed seed
(benchmarks/generate.py), each command repeated and summarised as min / median:

- report vs floor: `klachten report --year Y` against benchmarks/floor.py (the same reading,
  figures, charts and tables, the same files, no Jupyter); target ratio <= 2.0.
- batch: `klachten batch --years <10 years> --teams` with --jobs 1 and --jobs 2; pages per
  second, speed-up, and batch(2 jobs) / (pages x one report's time); target <= 0.25.
- a large municipality: 9,000 rows, 40 departments, three years, `batch --teams --jobs 2`;
  target <= 45 s.
- scale: `klachten validate` on 10k, 100k and 1M rows against a bare
  `python -c "import pandas; pandas.read_csv(path, sep=';')"`; time ratio (target <= 5),
  time per row (flat within +-30 %), peak memory ratio (target <= 3).

Usage: `python benchmarks/bench.py [--smoke] [--output BENCHMARKS.md] [--runs N]`
`--smoke` runs everything once on tiny registers (for tests/test_bench.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import make_data_folder  # noqa: E402

PYTHON = Path(sys.executable)
KLACHTEN = PYTHON.parent / "klachten"
REPORT_YEARS = (2020, 2024)

WARM_UP_TEXT = " after one warm-up run (batch: no warm-up)"
NOTES = Path(__file__).resolve().parent / "profile-notes.md"
TARGET_REPORT = 2.0
TARGET_BATCH = 0.25
TARGET_LARGE = 45.0  # seconds
TARGET_VALIDATE = 5.0  # issue 21: validate on 1M rows <= 5x a bare pandas.read_csv
TARGET_FLAT = 0.30
TARGET_MEMORY = 3.0


@dataclass
class Config:
    runs: int
    report_rows: int
    batch_rows: int
    batch_teams: int
    scale_rows: tuple[int, ...]
    large_runs: int  # runs for the largest scale size
    batch_years: tuple[int, int] = (2015, 2024)
    warm_up: bool = True
    # the large municipality: rows, departments, years, runs
    city_rows: int = 9_000
    city_teams: int = 40
    city_years: tuple[int, int] = (2022, 2024)
    city_runs: int = 3


FULL = Config(
    runs=5, report_rows=2000, batch_rows=4000, batch_teams=2, scale_rows=(10_000, 100_000, 1_000_000),
    large_runs=5,
)  # fmt: skip
SMOKE = Config(
    runs=1, report_rows=200, batch_rows=100, batch_teams=1, scale_rows=(1_000,), large_runs=1,
    batch_years=(2024, 2024), warm_up=False, city_rows=60, city_teams=3, city_years=(2024, 2024),
    city_runs=1,
)  # fmt: skip


@dataclass
class Timing:
    """Wall times (s) and peak resident memory (KiB) of repeated runs of one command."""

    label: str
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)

    @property
    def min(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mib(self) -> float:
        return max(self.peak_kib) / 1024


# Peak memory via GNU time: a child forked straight from this (large) process would report at
# least this process's own peak as its ru_maxrss (Linux keeps it across exec).
GNU_TIME = Path("/usr/bin/time") if Path("/usr/bin/time").exists() else None
MEMORY_METHOD = (
    "`/usr/bin/time -f %M` (maximum resident set size)"
    if GNU_TIME
    else "`wait4` rusage (upper bound: includes this script's own peak)"
)


def run(command: list[str], timing: Timing, cwd: Path | None = None) -> None:
    """Run once as a child process; record wall time and its peak resident memory."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as peak:
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", peak.name, *command] if GNU_TIME else command
        start = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{tail}")
        kib = int(peak.read().split()[-1]) if GNU_TIME else usage.ru_maxrss
    timing.seconds.append(elapsed)
    timing.peak_kib.append(kib)


def repeat(commands: dict[str, list[str]], runs: int, warm_up: bool = True) -> dict[str, Timing]:
    """Run each command `runs` times, interleaved so that background load hits all alike."""
    timings = {label: Timing(label) for label in commands}
    if warm_up:  # file cache and .pyc files; not counted
        for command in commands.values():
            run(command, Timing("warm-up"))
    for _ in range(runs):
        for label, command in commands.items():
            run(command, timings[label])
    return timings


# ----------------------------------------------------------------------------- measurements


def bench_report(work: Path, config: Config) -> dict:
    data = make_data_folder(work / "report-data", config.report_rows, *REPORT_YEARS)
    year = REPORT_YEARS[1]
    out, floor_out = work / "report-out", work / "floor-out"
    timings = repeat(
        {
            "report": [
                str(KLACHTEN),
                "report",
                "--year",
                str(year),
                "--data-dir",
                str(data),
                "--output-dir",
                str(out),
            ],
            "floor": [
                str(PYTHON),
                str(ROOT / "benchmarks" / "floor.py"),
                "--year",
                str(year),
                "--data-dir",
                str(data),
                "--output",
                str(floor_out / str(year) / f"jaarverslag-klachten-{year}.html"),
            ],
        },  # fmt: skip
        config.runs,
        config.warm_up,
    )
    same_files(out, floor_out)
    return {"data": data, "year": year, **timings}


def same_files(report: Path, floor: Path) -> None:
    """The floor writes what the report writes: the same file names (the executed notebook's
    internal tree aside) and, but for the pages, the same bytes; else the comparison means nothing."""
    names = lambda root: {p.relative_to(root) for p in root.rglob("*") if p.is_file()}  # noqa: E731
    notebook = lambda p: p.parts[0] == "intern"  # noqa: E731  the executed notebook's own tree
    written, floor_written = {p for p in names(report) if not notebook(p)}, names(floor)
    differ = sorted(
        str(p)
        for p in written & floor_written
        if p.suffix != ".html" and (report / p).read_bytes() != (floor / p).read_bytes()
    )
    if written != floor_written or differ:
        only_report = sorted(map(str, written - floor_written))
        only_floor = sorted(map(str, floor_written - written))
        raise SystemExit(
            f"floor.py does not write what the report writes: only the report {only_report}, "
            f"only the floor {only_floor}, different bytes {differ}"
        )


def bench_batch(work: Path, config: Config, one_report: Timing) -> dict:
    first, last = config.batch_years
    data = make_data_folder(work / "batch-data", config.batch_rows, first, last, teams=config.batch_teams)
    years = f"{first}-{last}"
    commands = {
        f"jobs {jobs}": [str(KLACHTEN), "batch", "--years", years, "--teams", "--jobs", str(jobs),
                         "--data-dir", str(data), "--output-dir", str(work / f"batch-out-{jobs}")]
        for jobs in (1, 2)
    }  # fmt: skip
    timings = repeat(commands, config.runs, warm_up=False)
    pages = sum(1 for p in (work / "batch-out-1").rglob("*.html") if p.name != "index.html")
    return {"data": data, "pages": pages, "one_report": one_report, **timings}


def bench_city(work: Path, config: Config) -> dict:
    first, last = config.city_years
    data = make_data_folder(work / "city-data", config.city_rows, first, last, teams=config.city_teams)
    out = work / "city-out"
    command = [str(KLACHTEN), "batch", "--years", f"{first}-{last}", "--teams", "--jobs", "2",
               "--data-dir", str(data), "--output-dir", str(out)]  # fmt: skip
    timings = repeat({"batch": command}, config.city_runs, warm_up=False)
    pages = sum(1 for p in out.rglob("*.html") if p.name != "index.html")
    return {"pages": pages, **timings}


def bench_scale(work: Path, config: Config) -> dict:
    results = {}
    tiny = make_data_folder(work / "scale-tiny", 50, *config.batch_years)
    startup = repeat(
        {"validate": [str(KLACHTEN), "validate", "--data-dir", str(tiny)]}, config.runs, config.warm_up
    )
    results["startup"] = startup["validate"]
    for rows in config.scale_rows:
        data = make_data_folder(work / f"scale-{rows}", rows, *config.batch_years)
        path = data / "klachtenregister.csv"
        runs = config.large_runs if rows == max(config.scale_rows) else config.runs
        results[rows] = repeat(
            {
                "validate": [str(KLACHTEN), "validate", "--data-dir", str(data)],
                "bare": [str(PYTHON), "-c", f"import pandas; pandas.read_csv({str(path)!r}, sep=';')"],
            },
            runs,
            config.warm_up,
        )
        shutil.rmtree(data)  # the 1M-row file is ~180 MB
    return results


# ----------------------------------------------------------------------------- report


def _machine() -> list[str]:
    import matplotlib
    import nbconvert
    import pandas
    import papermill

    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "?",
    )  # fmt: skip
    mem = next(
        (int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
         if line.startswith("MemTotal")),
        0,
    )  # fmt: skip
    load = os.getloadavg()
    return [
        f"- Machine: {os.cpu_count()} CPUs ({os.sched_getaffinity(0).__len__()} usable), {cpu}, "
        f"{mem / 1024 / 1024:.1f} GiB RAM; load average at start "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}",
        f"- Python {platform.python_version()}, pandas {pandas.__version__}, "
        f"papermill {papermill.__version__}, nbconvert {nbconvert.__version__}, "
        f"matplotlib {matplotlib.__version__}",
    ]


def _verdict(value: float, target: float, smaller: bool = True) -> str:
    ok = value <= target if smaller else value >= target
    return "met" if ok else f"**missed** by {value / target - 1:.0%}"


def _s(t: float) -> str:
    return f"{t:.2f}"


def write_markdown(path: Path, config: Config, report: dict, batch: dict, city: dict, scale: dict,
                   started: datetime, seconds: float, machine: list[str], smoke: bool) -> None:  # fmt: skip
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`benchmarks/bench.py`); every number below comes from one run of it"
        + (" (**smoke run**: tiny sizes, one run each; not meaningful)." if smoke else "."),
        f"Run {started:%Y-%m-%d %H:%M} UTC, {seconds:.0f} s in total. Each command is a whole process "
        "(start-up included), repeated and interleaved with its comparison; times are min / median "
        f"of {config.runs} runs{WARM_UP_TEXT if config.warm_up else ''}. Memory is the peak resident "
        "set size of the process "
        f"({MEMORY_METHOD}, largest of the runs).",
        "",
        *machine,
        "",
    ]
    # report vs floor
    rep, floor = report["report"], report["floor"]
    ratio = rep.median / floor.median
    lines += [
        "## One year report vs the floor",
        "",
        f"`klachten report --year {report['year']}` on a generated 5-year register "
        f"({config.report_rows} rows, `;`, mixed date formats and spellings, a free-text column) against "
        "`benchmarks/floor.py`: same reader, figures, charts and tables, the same files (the page with "
        "its 5 charts embedded as PNG, its open data, the figures pack: 5 charts as PNG and SVG, 8 tables "
        "as CSV and one XLSX; and the index), checked by name and, but for the page, byte for byte; no "
        "Jupyter.",
        "",
        "| command | min (s) | median (s) | peak memory (MiB) |",
        "|---|---:|---:|---:|",
        f"| klachten report | {_s(rep.min)} | {_s(rep.median)} | {rep.peak_mib:.0f} (parent only) |",
        f"| floor.py | {_s(floor.min)} | {_s(floor.median)} | {floor.peak_mib:.0f} |",
        "",
        f"Ratio report / floor (medians): **{ratio:.2f}** (min / min {rep.min / floor.min:.2f}); "
        f"target <= {TARGET_REPORT}: {_verdict(ratio, TARGET_REPORT)}.",
        "",
    ]
    # batch
    j1, j2, pages, one = batch["jobs 1"], batch["jobs 2"], batch["pages"], batch["one_report"]
    expected = pages * one.median
    batch_ratio = j2.median / expected
    lines += [
        "## Batch",
        "",
        f"`klachten batch --years {config.batch_years[0]}-{config.batch_years[1]} --teams` on a generated "
        f"{config.batch_years[1] - config.batch_years[0] + 1}-year register "
        f"({config.batch_rows} rows, {config.batch_teams} teams): {pages} pages (year reports and team "
        "overviews; index pages not counted).",
        "",
        "| jobs | min (s) | median (s) | pages/s (median) |",
        "|---:|---:|---:|---:|",
        f"| 1 | {_s(j1.min)} | {_s(j1.median)} | {pages / j1.median:.2f} |",
        f"| 2 | {_s(j2.min)} | {_s(j2.median)} | {pages / j2.median:.2f} |",
        "",
        f"Speed-up 2 jobs vs 1: **{j1.median / j2.median:.2f}x**. One report as a whole process: "
        f"{_s(one.median)} s (median, from the first table), so {pages} pages one by one would take "
        f"{expected:.1f} s; batch(2 jobs) / (pages x one report) = **{batch_ratio:.2f}**; "
        f"target <= {TARGET_BATCH}: {_verdict(batch_ratio, TARGET_BATCH)}.",
        "",
    ]
    # a large municipality
    big = city["batch"]
    lines += [
        "## A large municipality",
        "",
        f"`klachten batch --years {config.city_years[0]}-{config.city_years[1]} --teams --jobs 2` on a "
        f"generated register of {config.city_rows:,} rows, {config.city_teams} departments over "
        f"{config.city_years[1] - config.city_years[0] + 1} years: {city['pages']} pages (year reports and "
        f"team overviews; index pages not counted), {config.city_runs} runs.",
        "",
        "| min (s) | median (s) | pages/s (median) |",
        "|---:|---:|---:|",
        f"| {_s(big.min)} | {_s(big.median)} | {city['pages'] / big.median:.2f} |",
        "",
        f"Target <= {TARGET_LARGE:.0f} s (median): {_verdict(big.median, TARGET_LARGE)}.",
        "",
    ]
    # scale
    startup = scale["startup"]
    sizes = [k for k in scale if isinstance(k, int)]
    lines += [
        "## Validate at scale",
        "",
        "`klachten validate --data-dir D` against "
        "`python -c \"import pandas; pandas.read_csv(path, sep=';')\"` on the same generated file. "
        "Time per row is given two ways: the whole process divided by "
        f"the rows, and after subtracting the start-up (`klachten validate` on a 50-row register: "
        f"{_s(startup.median)} s median), which is what should stay flat.",
        "",
        "| rows | validate min / median (s) | bare read min / median (s) | time ratio | "
        "µs/row (whole) | µs/row (minus start-up) | peak MiB validate | peak MiB bare | memory ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    per_row: dict[int, float] = {}
    for rows in sizes:
        v, b = scale[rows]["validate"], scale[rows]["bare"]
        per_row[rows] = max(v.median - startup.median, 0.0) / rows * 1e6
        lines.append(
            f"| {rows:,} | {_s(v.min)} / {_s(v.median)} | {_s(b.min)} / {_s(b.median)} | "
            f"{v.median / b.median:.2f} | {v.median / rows * 1e6:.2f} | {per_row[rows]:.2f} | "
            f"{v.peak_mib:.0f} | {b.peak_mib:.0f} | {v.peak_mib / b.peak_mib:.2f} |"
        )
    medians = {rows: scale[rows]["validate"].median for rows in sizes}
    marginal = [
        f"{a:,} -> {b:,} rows: {(medians[b] - medians[a]) / (b - a) * 1e6:.2f}"
        for a, b in zip(sizes, sizes[1:], strict=False)
    ]
    largest = max(sizes)
    v, b = scale[largest]["validate"], scale[largest]["bare"]
    smallest = min(per_row.values())
    if smallest > 0:
        spread = max(per_row.values()) / smallest - 1
        flatness = (
            f"Time per row after start-up, largest / smallest: {spread:+.0%} of the smallest "
            f"(target within +-{TARGET_FLAT:.0%}: {_verdict(abs(spread), TARGET_FLAT)}). "
        )
    else:  # a size whose run took no longer than the start-up's median: no time per row to compare
        flatness = (
            f"Time per row after start-up: not measured (at {min(per_row, key=per_row.get):,} rows the "
            f"run took no longer than the start-up; target within +-{TARGET_FLAT:.0%}). "
        )
    lines += [
        "",
        f"At {largest:,} rows: time ratio **{v.median / b.median:.2f}** (target <= {TARGET_VALIDATE}: "
        f"{_verdict(v.median / b.median, TARGET_VALIDATE)}), memory ratio **{v.peak_mib / b.peak_mib:.2f}** "
        f"(target <= {TARGET_MEMORY}: {_verdict(v.peak_mib / b.peak_mib, TARGET_MEMORY)}). "
        + flatness
        + (
            "Marginal time per extra row (µs, difference of medians): " + "; ".join(marginal) + "."
            if marginal
            else ""
        ),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run each")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5; 1 with --smoke)")
    parser.add_argument(
        "--notes", type=Path, default=NOTES, help="Markdown appended as it is (default: profile notes)"
    )
    args = parser.parse_args()
    config = SMOKE if args.smoke else FULL
    if args.runs:
        config.runs = config.large_runs = args.runs
    started, start = datetime.now(UTC), time.perf_counter()
    machine = _machine()
    with tempfile.TemporaryDirectory(prefix="klachten-bench-") as tmp:
        work = Path(tmp)
        print("report vs floor ...", file=sys.stderr, flush=True)
        report = bench_report(work, config)
        print("batch ...", file=sys.stderr, flush=True)
        batch = bench_batch(work, config, report["report"])
        print("a large municipality ...", file=sys.stderr, flush=True)
        city = bench_city(work, config)
        print("validate at scale ...", file=sys.stderr, flush=True)
        scale = bench_scale(work, config)
    elapsed = time.perf_counter() - start
    load_end = os.getloadavg()
    machine.append(
        f"- Load average at the end {load_end[0]:.2f} / {load_end[1]:.2f} / {load_end[2]:.2f}. The machine "
        "is shared: other work running at the same time slows every command, the comparisons less so "
        "(each pair is interleaved)."
    )
    write_markdown(args.output, config, report, batch, city, scale, started, elapsed, machine, args.smoke)
    if args.notes and args.notes.exists():
        with args.output.open("a", encoding="utf-8") as out:
            out.write("\n" + args.notes.read_text(encoding="utf-8"))
    print(f"{args.output} ({elapsed:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
