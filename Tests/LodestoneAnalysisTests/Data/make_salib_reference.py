#!/usr/bin/env python3
"""Generates the SALib reference data the LodestoneAnalysis tests compare with.

Run once (SALib 1.6.0 from PyPI: `pip install SALib==1.6.0`), from this folder:

    python3 make_salib_reference.py

It writes, for the Ishigami function f(x) = sin x1 + 7 sin² x2 + 0.1 x3⁴ sin x1 on [-π, π]³:

- sobol_points.csv: SALib's Saltelli design (N = 256, no second order, not scrambled, skipping
  256 points) in the unit cube, one run per row;
- sobol_outputs.csv: f at those points (scaled to [-π, π]);
- sobol_indices.csv: SALib's S1 and ST for them (its estimators; the bootstrap intervals are random
  and are not compared);
- morris_points.csv, morris_outputs.csv, morris_indices.csv: the same for a Morris design of 20
  trajectories on 4 levels (seed 7) and SALib's mu*, mu and sigma.
"""
import numpy as np
from SALib.sample import sobol as sobol_sample
from SALib.sample import morris as morris_sample
from SALib.analyze import sobol as sobol_analyze
from SALib.analyze import morris as morris_analyze

UNIT = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0, 1]] * 3}


def ishigami(unit):
    x = -np.pi + unit * (2 * np.pi)
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def save(name, array):
    np.savetxt(name, np.atleast_2d(array) if array.ndim == 1 else array, delimiter=",", fmt="%.17g")


points = sobol_sample.sample(UNIT, 256, calc_second_order=False, scramble=False, skip_values=256)
outputs = ishigami(points)
indices = sobol_analyze.analyze(UNIT, outputs, calc_second_order=False, num_resamples=10, seed=1)
save("sobol_points.csv", points)
save("sobol_outputs.csv", outputs.reshape(-1, 1))
save("sobol_indices.csv", np.vstack([indices["S1"], indices["ST"]]))

points = morris_sample.sample(UNIT, 20, num_levels=4, seed=7)
outputs = ishigami(points)
indices = morris_analyze.analyze(UNIT, points, outputs, num_levels=4, num_resamples=10, seed=1)
save("morris_points.csv", points)
save("morris_outputs.csv", outputs.reshape(-1, 1))
save("morris_indices.csv", np.vstack([indices["mu_star"], indices["mu"], indices["sigma"]]))
