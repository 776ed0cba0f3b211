#!/usr/bin/env python3
"""Compare a `lodestone bench --json` run against a baseline (Benchmarks/baseline.json).

    lodestone bench --json > new.json
    python3 Scripts/bench-compare.py Benchmarks/baseline.json new.json

Prints one row per measurement: the baseline value, the new value, and the slowdown ratio
(new / baseline for times and memory, baseline / new for throughputs, so above 1 is always
worse). A tracked line more than --threshold (default 10 %) worse is flagged SLOWER and the exit
status is 1; otherwise 0. Untracked lines (noisy ones, such as the serial fraction) are shown with
their ratio but never flagged. Lines present in only one file are listed. A line with a
`target` (issue 21's bounds: instructions per run-month, throughput on 2 threads, the defaults against v1,
serial fraction, script runs against an ensemble) also shows whether the new run meets it; targets do not change the exit status.
Exit status 2: a file is missing or is not bench output.

Both runs should come from release builds on the same machine; each file records the cores and
the load average while it ran, which the figures depend on (the development machine is shared).
"""

import argparse
import json
import sys


def fail(message):
    """Prints `message` to standard error and exits with status 2."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def load(path):
    """The bench object in `path`; exits with status 2 and a message if it is not one."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror}")
    except json.JSONDecodeError as error:
        fail(f"{path}:{error.lineno}:{error.colno}: not JSON ({error.msg}); expected `lodestone bench --json` output")
    if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
        fail(f"{path}: expected a `lodestone bench --json` object with a `lines` list")
    lines = {}
    for index, line in enumerate(data["lines"]):
        if not isinstance(line, dict) or not isinstance(line.get("name"), str) or not isinstance(line.get("value"), (int, float)):
            fail(f"{path}: lines[{index}]: expected an object with a `name` and a numeric `value`")
        if line.get("better", "lower") not in ("lower", "higher"):
            fail(f"{path}: lines[{index}] (`{line['name']}`): `better` must be \"lower\" or \"higher\"")
        lines[line["name"]] = line
    return data, lines


def slowdown(base, new):
    """How many times worse `new` is than `base` (above 1: worse), or None if undefined."""
    if line_better(base) == "higher":
        return base["value"] / new["value"] if new["value"] > 0 else None
    return new["value"] / base["value"] if base["value"] > 0 else None


def line_better(line):
    return line.get("better", "lower")


def target_note(line):
    """`  [target ≤ 2: met]` for a line with a target, else an empty string."""
    if not isinstance(line.get("target"), (int, float)):
        return ""
    sign = "≥" if line_better(line) == "higher" else "≤"
    met = line["value"] >= line["target"] if line_better(line) == "higher" else line["value"] <= line["target"]
    return f"  [target {sign} {line['target']:.4g}: {'met' if met else 'NOT MET'}]"


def describe(data):
    load = data.get("load_average_1min", {})
    return (f"{data.get('build', '?')} build, {data.get('cores', '?')} cores, "
            f"load {load.get('start', '?')} → {load.get('end', '?')}")


def main(argv):
    parser = argparse.ArgumentParser(description="Compare `lodestone bench --json` output against a baseline.")
    parser.add_argument("baseline", help="the baseline (Benchmarks/baseline.json)")
    parser.add_argument("new", help="the new run's `lodestone bench --json` output")
    parser.add_argument("--threshold", type=float, default=0.10,
                        help="flag a tracked line more than this fraction worse (default 0.10)")
    options = parser.parse_args(argv)
    base_data, base = load(options.baseline)
    new_data, new = load(options.new)
    print(f"baseline: {describe(base_data)}")
    print(f"new:      {describe(new_data)}")
    if base_data.get("build") != new_data.get("build"):
        print("warning: the two runs come from different builds; compare release with release")
    width = max([len(name) for name in list(base) + list(new)] + [len("measurement")])
    print(f"{'measurement':<{width}}  {'baseline':>12}  {'new':>12}  {'ratio':>6}  unit")
    flagged = []
    for name, line in base.items():
        if name not in new:
            print(f"{name:<{width}}  {line['value']:>12.4g}  {'—':>12}  {'':>6}  {line.get('unit', '')}  (not in the new run)")
            continue
        ratio = slowdown(line, new[name])
        mark = ""
        if ratio is not None and ratio > 1 + options.threshold:
            if line.get("tracked", True):
                mark = "  SLOWER"
                flagged.append(name)
            else:
                mark = "  (untracked)"
        shown = f"{ratio:6.2f}" if ratio is not None else f"{'—':>6}"
        print(f"{name:<{width}}  {line['value']:>12.4g}  {new[name]['value']:>12.4g}  {shown}  {line.get('unit', '')}{mark}"
              f"{target_note(new[name])}")
    for name, line in new.items():
        if name not in base:
            print(f"{name:<{width}}  {'—':>12}  {line['value']:>12.4g}  {'':>6}  {line.get('unit', '')}  (not in the baseline)"
                  f"{target_note(line)}")
    if flagged:
        print(f"{len(flagged)} measurement{'s' if len(flagged) != 1 else ''} more than "
              f"{options.threshold * 100:g} % slower: {', '.join(flagged)}")
        return 1
    print(f"no measurement more than {options.threshold * 100:g} % slower")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
