"""Where one `klachten report` spends its time: a timeline of the parent and the kernel.

Not a benchmark (`bench.py` measures); this explains its numbers. Runs `klachten report` once
in a child process with a few of klachtlib's functions wrapped to note when they start and
end, plus the kernel's own start, preload and cells, and prints seconds from the parent's
start. The profile notes in BENCHMARKS.md quote it.

Usage: `python benchmarks/timeline.py --year 2024 --data-dir D --output-dir O`
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

# Run in the child: wraps functions, then runs the command line as `klachten` would.
CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    from datetime import datetime

    T0 = float(os.environ["TIMELINE_T0"])
    events = []

    def mark(what):
        events.append((time.time() - T0, what))

    import klachtlib.cli as cli
    import klachtlib.render as render

    def wrap(owner, name, label=None):
        original = getattr(owner, name)
        def wrapped(*args, **kwargs):
            mark(f"{label or name} begins")
            try:
                return original(*args, **kwargs)
            finally:
                mark(f"{label or name} ends")
        setattr(owner, name, wrapped)

    KERNEL_LOG = os.environ["TIMELINE_KERNEL_LOG"]
    PRELOAD = (
        "import time as _t\\n_k0 = _t.time()\\n" + render.PRELOAD + "\\n"
        f"open({KERNEL_LOG!r}, 'a').write(f'preload {{_k0}} {{_t.time()}}\\\\n')"
    )
    original_init = render.WarmKernel.__init__
    def init(self, cwd, preload=None):
        mark("kernel launch begins")
        original_init(self, cwd, PRELOAD)
        mark("kernel launch ends")
    render.WarmKernel.__init__ = init
    original_hand_over = render.WarmKernel.hand_over
    def hand_over(self, obj, then=None):
        mark("hand-over to the kernel")
        if then:
            then = (
                f"import time as _t\\n_k0 = _t.time()\\n{then}\\n"
                f"open({KERNEL_LOG!r}, 'a').write(f'prepare {{_k0}} {{_t.time()}}\\\\n')"
            )
        original_hand_over(self, obj, then)
    render.WarmKernel.hand_over = hand_over
    wrap(render.WarmKernel, "reset", "wait for the kernel")
    for name in ("warm_up", "execute_notebook", "render_html", "write_all_atomic"):
        wrap(render, name)
    original_reproducible = render.make_reproducible
    def reproducible(nb):
        for number, cell in enumerate(nb.cells, start=1):
            times = cell.metadata.get("execution", {})
            if times:
                begin, end = (datetime.fromisoformat(times[k].replace("Z", "+00:00")).timestamp() - T0
                              for k in ("iopub.execute_input", "shell.execute_reply"))
                events.append((begin, f"kernel: cell {number} begins"))
                events.append((end, f"kernel: cell {number} ends"))
        return original_reproducible(nb)
    render.make_reproducible = reproducible

    def exit_now(code):
        mark("exit")
        json.dump({"t0": T0, "events": events}, open(os.environ["TIMELINE_EVENTS"], "w"))
        sys.stdout.flush()
        os._exit(code)
    cli._exit_now = exit_now
    sys.argv = ["klachten", *sys.argv[1:]]
    cli.main()
    """
)

# sitecustomize for both processes: the moment each interpreter starts.
SITE = textwrap.dedent(
    """
    import os, time
    _now = time.time()
    if os.environ.pop("TIMELINE_PARENT", None):
        os.environ["TIMELINE_T0"] = repr(_now)
    elif "TIMELINE_KERNEL_LOG" in os.environ:
        open(os.environ["TIMELINE_KERNEL_LOG"], "a").write(f"start {_now}\\n")
    """
)


def main() -> None:
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--output-dir", type=Path, required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        (work_dir / "sitecustomize.py").write_text(SITE, encoding="utf-8")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [work, os.environ.get("PYTHONPATH")])),
            "TIMELINE_PARENT": "1",
            "TIMELINE_KERNEL_LOG": str(work_dir / "kernel.log"),
            "TIMELINE_EVENTS": str(work_dir / "events.json"),
        }
        command = ["report", "--year", str(args.year), "--data-dir", str(args.data_dir)]
        command += ["--output-dir", str(args.output_dir)]
        child = [sys.executable, "-c", CHILD, *command]
        subprocess.run(child, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        recorded = json.loads((work_dir / "events.json").read_text(encoding="utf-8"))
        kernel = (work_dir / "kernel.log").read_text(encoding="utf-8").split()
    events = [*map(tuple, recorded["events"]), *kernel_lines(kernel, recorded["t0"])]
    for seconds, what in sorted(events):
        print(f"{seconds:6.2f}  {what}")


def kernel_lines(kernel: list[str], t0: float) -> list[tuple[float, str]]:
    """The kernel's own events (`start T`, `preload T0 T1`, `prepare T0 T1`) from the parent's start."""
    lines = []
    words = iter(kernel)
    for word in words:
        if word == "start":
            lines.append((float(next(words)) - t0, "kernel: interpreter starts"))
        else:  # preload / prepare: begin and end
            begin, end = float(next(words)), float(next(words))
            lines += [(begin - t0, f"kernel: {word} begins"), (end - t0, f"kernel: {word} ends")]
    return lines


if __name__ == "__main__":
    main()
