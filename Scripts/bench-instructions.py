#!/usr/bin/env python3
"""Instructions per run-month of lodestone's v1 ensemble, counted by callgrind (for machines whose
processor gives `lodestone bench` no hardware instruction counter, such as most virtual machines).

    swift build -c release
    python3 Scripts/bench-instructions.py [--runs 1000] [--small-runs 100] [--months 120] [--threads 1]
                                          [--preset v1|v2|v3|defaults] [--keep FOLDER]

Difference method: the same ensemble (`lodestone bench`'s, `preset: "v1"`: see
Tests/Scripts/v1_ensemble.py) with `--runs` and with `--small-runs` runs, each under
`valgrind --tool=callgrind --separate-threads=yes`; (instructions of the large − of the small) /
((runs − small runs) × months) cancels start-up, composing and everything else done once. The
executable is copied without its debug information first (`objcopy --strip-debug`: valgrind 3.19
cannot read the DWARF 5 Swift writes; the symbols stay). The instructions of every thread are
added up, and each thread's share of the large ensemble's is printed, which shows how evenly
`--threads N` workers share the work.

`--preset defaults` counts the same ensemble with the modules' defaults (market model v3, no
`preset:`: the ensemble `lodestone bench` times first and sets against v1 in its "defaults (v3)
against v1" line); `--preset v2`, `--preset v3` name another preset. The default is `v1`.

`--keep FOLDER` writes the stripped executable, the scripts and the callgrind output
(`large.out…`, `small.out…`) into FOLDER and keeps them, for a breakdown by function:
`callgrind_annotate --inclusive=yes FOLDER/large.out-01` against the same of `small.out-01`.

`--from-files LARGE SMALL` computes the same from callgrind output already written (a file
`NAME.out` or the per-thread files `NAME.out-01`, `NAME.out-02`, … of one run).

Issue 21's target is at most 2,000 instructions per run-month (1,000 runs × 120 months, v1); it
is judged only for `--preset v1`.
Exit status: 0 when measured; 2 on bad input or when valgrind or lodestone fail.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "Scripts"))

TARGET = 2000


def fail(message):
    """Prints `message` to standard error and exits with status 2."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def thread_totals(path):
    """{thread: instructions} of one callgrind run: `path` itself, or its per-thread files
    `path-01`, `path-02`, … (--separate-threads=yes). Reads each file's `totals:` line (or
    `summary:`, which older callgrind versions write), and its `thread:` line."""
    files = sorted(glob.glob(glob.escape(str(path)) + "-[0-9]*")) or [str(path)]
    totals = {}
    for name in files:
        try:
            text = Path(name).read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            fail(f"cannot read {name}: {error.strerror}")
        thread = re.search(r"^thread: (\d+)$", text, re.M)
        count = re.search(r"^(?:totals|summary): (\d+)", text, re.M)
        if count is None:
            fail(f"{name}: no `totals:` or `summary:` line; expected callgrind output")
        totals[int(thread.group(1)) if thread else len(totals) + 1] = int(count.group(1))
    return totals


def per_run_month(large, small, runs, small_runs, months):
    """Instructions per run-month by the difference method."""
    return (sum(large.values()) - sum(small.values())) / ((runs - small_runs) * months)


def report(large, small, options):
    """Prints the measurement, each thread's share, and the target's verdict."""
    value = per_run_month(large, small, options.runs, options.small_runs, options.months)
    total = sum(large.values())
    print(f"{options.preset} ensemble, {options.runs} vs {options.small_runs} runs × {options.months} months: "
          f"{total:,} vs {sum(small.values()):,} instructions")
    for thread, count in sorted(large.items()):
        print(f"  thread {thread}: {count:,} instructions ({count / total * 100:.1f} %)")
    if options.preset == "v1":
        verdict = "met" if value <= TARGET else "not met"
        print(f"instructions per run-month: {value:,.0f} (target ≤ {TARGET:,}: {verdict})")
    else:
        print(f"instructions per run-month: {value:,.0f} (the target of {TARGET:,} is for v1)")
    return value


def callgrind(executable, runs, months, threads, folder, name, preset="v1"):
    """Runs the ensemble (with `preset`, None: the defaults) under callgrind in `folder`; returns
    the output file's path."""
    import v1_ensemble  # here, so that reading callgrind output (--from-files) needs no numpy

    script = Path(folder) / f"{name}.lode"
    script.write_text(v1_ensemble.lode_script(runs, months, threads=threads, preset=preset), encoding="utf-8")
    out = Path(folder) / f"{name}.out"
    outcome = subprocess.run(
        ["valgrind", "--tool=callgrind", "--separate-threads=yes", f"--callgrind-out-file={out}",
         executable, "run", str(script)], capture_output=True, text=True, cwd=folder)
    if outcome.returncode != 0:
        fail(f"callgrind of {runs} runs failed ({outcome.returncode}):\n{outcome.stderr[-2000:]}")
    return out


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs of the large ensemble (default 1000)")
    parser.add_argument("--small-runs", type=int, default=100, help="runs of the small ensemble (default 100)")
    parser.add_argument("--months", type=int, default=120, help="months per run (default 120)")
    parser.add_argument("--threads", type=int, default=1, help="worker threads of both ensembles (default 1)")
    parser.add_argument("--lodestone", default=str(ROOT / ".build" / "release" / "lodestone"),
                        help="the lodestone executable (default .build/release/lodestone)")
    parser.add_argument("--preset", default="v1",
                        help="the modules' preset, or `defaults` for none (the market model v3; default v1)")
    parser.add_argument("--keep", metavar="FOLDER",
                        help="write the executable, scripts and callgrind output into FOLDER and keep them")
    parser.add_argument("--from-files", nargs=2, metavar=("LARGE", "SMALL"),
                        help="callgrind output of the large and the small ensemble, instead of running them")
    options = parser.parse_args(argv)
    if not 1 <= options.small_runs < options.runs or not 13 <= options.months <= 12_000 or options.threads < 1:
        parser.error("expected 1 ≤ --small-runs < --runs, --months within 13…12000 and --threads ≥ 1")
    if options.from_files:
        report(thread_totals(options.from_files[0]), thread_totals(options.from_files[1]), options)
        return 0
    for tool in ("valgrind", "objcopy"):
        if shutil.which(tool) is None:
            fail(f"{tool} is not installed (apt-get install valgrind binutils)")
    if not os.access(options.lodestone, os.X_OK):
        fail(f"{options.lodestone} is not an executable; build it with `swift build -c release`")
    preset = None if options.preset == "defaults" else options.preset
    if options.keep:
        Path(options.keep).mkdir(parents=True, exist_ok=True)
        for old in glob.glob(glob.escape(options.keep) + "/*.out*"):
            os.remove(old)  # per-thread files of an earlier run would be counted too
    with tempfile.TemporaryDirectory() as temporary:
        folder = os.path.abspath(options.keep or temporary)
        stripped = Path(folder) / "lodestone"
        subprocess.run(["objcopy", "--strip-debug", options.lodestone, str(stripped)], check=True)
        large = callgrind(str(stripped), options.runs, options.months, options.threads, folder, "large", preset)
        small = callgrind(str(stripped), options.small_runs, options.months, options.threads, folder, "small", preset)
        report(thread_totals(large), thread_totals(small), options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
