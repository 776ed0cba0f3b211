#!/usr/bin/env python3
"""Time lodestone's v1 Monte Carlo ensemble against an independent numpy implementation of the same
equations, in the same run, and check that the two agree on the ensemble's probabilities within
Monte Carlo error (issue 21, "How it is checked": goal ≥ 50× faster).

    swift build -c release
    python3 Scripts/bench-numpy.py [--runs 10000] [--months 120] [--lodestone .build/release/lodestone]

The ensemble is `lodestone bench`'s, with `preset: "v1"`: baseline-2024, an incident CN>JP
(severity 0.8) in 2026-01 and a full curb of CN's DyTb exports to JP for 12 months from 2026-02,
three diplomacy parameters drawn per run, bands for five signals, seed 7, every core. The numpy
side (`Tests/Scripts/v1_ensemble.py`: every run at once, runs as the first axis of each array)
draws from numpy's own generator, so the runs differ one by one and the two can only agree in
distribution: for each probability the script prints both estimates, their difference and the
standard error of that difference, sqrt(p1(1 − p1)/n1 + p2(1 − p2)/n2), and calls them in
agreement when the difference is within `--sigmas` (4) standard errors.

Times: lodestone's is the wall time of the whole `lodestone run` process (start-up, composing,
the ensemble, the probabilities; on every core), with its CPU time (user + system) beside it,
the median of `--repeats` (5) processes (a single process of about 0.1 s varies by a third from
run to run on a shared machine; every repeat must print the same probabilities); numpy's is the
wall and CPU time of `simulate` alone, once (one thread: it does no BLAS work, so OPENBLAS_*
settings do not change it; it takes seconds). The ratio is numpy's time over lodestone's.

Exit status: 0 when every probability agrees; 1 when one does not; 2 on bad input or when
lodestone fails.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "Scripts"))

import v1_ensemble  # noqa: E402
import v1_reference  # noqa: E402

# The probabilities compared: (label, lodestone's expression, numpy's from the metrics). Months
# are indices from 2026-01.
SETTLED = "diplomacy.settled_at[CN>JP]"
EXHAUSTED = "stockpile.exhausted_at[JP/DyTb]"


def month_name(index):
    """`2026-01` for index 0."""
    year, month = divmod(index, 12)
    return f"{2026 + year}-{month + 1:02d}"


def probabilities(months):
    """The compared probabilities: (label, lodestone expression, function of the numpy metrics)."""
    rows = []
    for by in (0, 1, 2, 3, 5, 8, 12, 24):
        if by < months:
            rows.append((f"P(settled by {month_name(by)})", f'e.probability("{SETTLED}", by: {month_name(by)})',
                         lambda m, by=by: np.mean(m["settled_at"] <= by)))
    rows.append(("P(settled at all)", f'e.probability("{SETTLED}")', lambda m: np.mean(~np.isnan(m["settled_at"]))))
    for by in (1, 2, 3):
        if by < months:
            rows.append((f"P(JP DyTb stock exhausted by {month_name(by)})",
                         f'e.probability("{EXHAUSTED}", by: {month_name(by)})',
                         lambda m, by=by: np.mean(m["exhausted_at"] <= by)))
    rows.append(("P(JP DyTb stock exhausted at all)", f'e.probability("{EXHAUSTED}")',
                 lambda m: np.mean(~np.isnan(m["exhausted_at"]))))
    return rows


def run_lodestone(executable, runs, months, rows):
    """Runs lodestone's side once; returns (wall seconds, CPU seconds, [probability per row])."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "v1-ensemble.lode"
        prints = [f'print("p{n}", {expression})' for n, (_, expression, _) in enumerate(rows)]
        script.write_text(v1_ensemble.lode_script(runs, months, prints=prints), encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        outcome = subprocess.run([executable, "run", str(script)], capture_output=True, text=True, cwd=folder)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if outcome.returncode != 0:
        print(f"error: lodestone failed ({outcome.returncode}):\n{outcome.stderr}", file=sys.stderr)
        sys.exit(2)
    values = {}
    for line in outcome.stdout.splitlines():
        fields = line.split()
        if len(fields) == 2 and fields[0].startswith("p") and fields[0][1:].isdigit():
            values[int(fields[0][1:])] = float(fields[1])
    if sorted(values) != list(range(len(rows))):
        print(f"error: lodestone printed no probability for some rows:\n{outcome.stdout}", file=sys.stderr)
        sys.exit(2)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, [values[n] for n in range(len(rows))]


def run_numpy(runs, months, seed, vary):
    """Runs the numpy side; returns (wall seconds, CPU seconds, metrics)."""
    world = v1_reference.World(ROOT / "Data" / "baseline-2024")
    start, cpu_start = time.perf_counter(), time.process_time()
    metrics = v1_ensemble.simulate(world, runs=runs, months=months, seed=seed, vary=vary)
    return time.perf_counter() - start, time.process_time() - cpu_start, metrics


def compare(rows, ours, theirs, n_lodestone, n_numpy, sigmas):
    """Prints the table of probabilities; returns the labels that disagree."""
    disagree = []
    width = max(len(label) for label, _, _ in rows)
    print(f"{'probability':<{width}}  {'lodestone':>9}  {'numpy':>9}  {'diff':>8}  {'se':>7}  {'|z|':>5}")
    for (label, _, _), p1, p2 in zip(rows, ours, theirs):
        se = np.sqrt(p1 * (1 - p1) / n_lodestone + p2 * (1 - p2) / n_numpy)
        diff = p1 - p2
        z = abs(diff) / se if se > 0 else (0.0 if diff == 0 else np.inf)
        mark = "" if z <= sigmas else "  DISAGREE"
        if mark:
            disagree.append(label)
        print(f"{label:<{width}}  {p1:>9.4f}  {p2:>9.4f}  {diff:>+8.4f}  {se:>7.4f}  {z:>5.2f}{mark}")
    return disagree


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10_000, help="runs of each ensemble (default 10000)")
    parser.add_argument("--months", type=int, default=120, help="months per run (default 120)")
    parser.add_argument("--numpy-runs", type=int, help="runs of the numpy ensemble (default: --runs)")
    parser.add_argument("--seed", type=int, default=1, help="seed of numpy's generator (default 1)")
    parser.add_argument("--sigmas", type=float, default=4.0, help="agreement within this many standard errors (default 4)")
    parser.add_argument("--numpy-settle-base", type=float, nargs=2, metavar=("LOW", "HIGH"),
                        help="draw numpy's settle_base from uniform(LOW, HIGH) instead of (0.01, 0.06): a different "
                             "model, to see the comparison fail")
    parser.add_argument("--repeats", type=int, default=5,
                        help="lodestone processes timed; the median is reported (default 5)")
    parser.add_argument("--lodestone", default=str(ROOT / ".build" / "release" / "lodestone"),
                        help="the lodestone executable (default .build/release/lodestone)")
    options = parser.parse_args(argv)
    if options.runs < 1 or not 13 <= options.months <= 12_000:
        parser.error("--runs must be ≥ 1 and --months within 13…12000 (the curb lasts to month 13)")
    if not 1 <= options.repeats <= 100:
        parser.error("--repeats must be within 1…100")
    numpy_runs = options.numpy_runs or options.runs
    vary = dict(v1_ensemble.VARY)
    if options.numpy_settle_base:
        vary["settle_base"] = ("uniform", *options.numpy_settle_base)
    if not os.access(options.lodestone, os.X_OK):
        print(f"error: {options.lodestone} is not an executable; build it with `swift build -c release`", file=sys.stderr)
        return 2
    rows = probabilities(options.months)
    load = os.getloadavg()[0]
    print(f"v1 ensemble, {options.runs} runs × {options.months} months (numpy: {numpy_runs} runs), "
          f"load average {load:.2f} on {os.cpu_count()} cores")
    timings = []
    for _ in range(options.repeats):
        wall, cpu, values = run_lodestone(str(Path(options.lodestone).resolve()), options.runs, options.months, rows)
        if timings and values != ours:
            print("error: lodestone printed different probabilities in two processes of the same script", file=sys.stderr)
            return 2
        timings.append((wall, cpu))
        ours = values
    timings.sort()
    l_wall, l_cpu = timings[len(timings) // 2]
    n_wall, n_cpu, metrics = run_numpy(numpy_runs, options.months, options.seed, vary)
    theirs = [float(function(metrics)) for _, _, function in rows]
    disagree = compare(rows, ours, theirs, options.runs, numpy_runs, options.sigmas)
    # The ratio per run-month, so that ensembles of different sizes compare too.
    scale = options.runs / numpy_runs
    print(f"lodestone: {l_wall:.3f} s wall, {l_cpu:.3f} s CPU (whole process, {os.cpu_count()} threads; "
          f"median of {len(timings)}, fastest {timings[0][0]:.3f} s, slowest {timings[-1][0]:.3f} s)")
    print(f"numpy:     {n_wall:.3f} s wall, {n_cpu:.3f} s CPU (simulate only, 1 thread)")
    print(f"ratio:     {n_wall * scale / l_wall:.1f}× in wall time, {n_cpu * scale / l_cpu:.1f}× in CPU time "
          f"(goal ≥ 50×; load average {load:.2f} → {os.getloadavg()[0]:.2f})")
    if disagree:
        print(f"{len(disagree)} probabilit{'y' if len(disagree) == 1 else 'ies'} disagree beyond {options.sigmas:g} "
              f"standard errors: {', '.join(disagree)}")
        return 1
    print(f"every probability agrees within {options.sigmas:g} standard errors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
