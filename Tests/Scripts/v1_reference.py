#!/usr/bin/env python3
"""An independent implementation of Lodestone's v1 market equations (trade, stockpile,
diplomacy), written from Docs/Models.md and DESIGN.md §3.5 only, in numpy.

It replays the case of `Tests/Scripts/v1-reference/case.lode` (the dataset in `data/` beside it,
the scenario and parameter changes restated in CASE below) and compares every series of the
CSV that `lodestone run case.lode` exports with its own, month by month, within a relative
tolerance. `preset: "v1"` must agree with these equations (issue 14, "How it is checked").

    python3 Tests/Scripts/v1_reference.py DATASET_DIR EXPORTED_CSV [--tolerance 1e-9]

Exit status 0 when every series agrees; 1 (and a report of the worst disagreements) otherwise;
2 on bad input.
"""

import csv
import math
import sys
from pathlib import Path

import numpy as np

DAYS_PER_MONTH = 365.25 / 12

# The case: what `case.lode` asks for. Months are indices from the run's start (2026-01).
CASE = {
    "months": 36,
    "trade": {"leakage": {"NdPr": 0.2}},
    "stockpile": {
        # (importer, commodity) -> value; a key "JP" sets every commodity of JP.
        "release_lag_months": {("JP", "NdPr"): 1, ("JP", "DyTb"): 1},
        "state_release_lag_months": {("JP", "NdPr"): 3, ("JP", "DyTb"): 3},
        "max_release_days": {("JP", "DyTb"): 10},
        "floor_days": {("JP", "DyTb"): 5},
    },
    "diplomacy": {"settle_base": 0.0, "settle_pain_target": 0.0, "settle_pain_restrictor": 0.0},
    # scenario.restriction events: (from, to or None, commodity or None, share, start, months)
    "restrict": [("CN", "JP", "DyTb", 1.0, 2, 16), ("CN", None, "NdPr", 0.4, 4, 6)],
    "demand": [("US", "NdPr", 1.2, 1, 12)],  # (region, commodity, factor, start, months)
    "capacity": [("AU", "NdPr", 0.8, 8, 6)],  # (region, commodity, factor, start, months)
    "incident": [("CN", "JP", 0.7, 1)],  # (from, to, severity, month)
}

# Defaults of the v1 equations (Docs/Models.md, parameter tables).
TRADE = {
    "ramp_months": 6.0, "leakage": 0.0, "demand_elasticity": 0.1, "price_elasticity": 0.15,
    "price_lag_months": 1.0, "max_price_multiple": 30.0, "substitution_per_year": 0.1,
    "max_substitution": 0.3, "expansion_per_year": 0.04, "expansion_lag_months": 12.0,
}
STOCKPILE = {
    "floor_days": 0.0, "release_trigger": 0.0, "max_release_days": math.inf,
    "release_lag_months": 0.0, "state_release_lag_months": 0.0, "rebuild_days": 2.0,
    "rebuild_tolerance": 0.0,
}
DIPLOMACY = {
    "baseline_tension": 0.2, "half_life_months": 6.0, "threshold": 0.5,
    "max_restriction": {"DyTb": 1.0, "NdPr": 0.5, "Other": 0.3},  # else 1
    "settle_base": 0.03, "settle_pain_target": 0.5, "settle_pain_restrictor": 0.5,
}


def smoothing(tau):
    """The share of a gap closed per month by a lag with time constant tau: 1 − e^(−1/τ)."""
    if tau <= 0:
        return 1.0
    if math.isinf(tau):
        return 0.0
    return 1.0 - math.exp(-1.0 / tau)


def read_rows(folder, name):
    with open(Path(folder) / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class World:
    """The dataset (DESIGN.md §3.5) as arrays: importers i, exporters s, commodities c."""

    def __init__(self, folder):
        self.commodities = [r["code"] for r in read_rows(folder, "commodities.csv")]
        self.p0 = np.array([float(r["price_usd_per_kg"]) for r in read_rows(folder, "commodities.csv")])
        imports = read_rows(folder, "imports.csv")
        consumption = read_rows(folder, "consumption.csv")
        capacity = read_rows(folder, "capacity.csv")
        importers = []
        for r in consumption + [{"region": r["importer"]} for r in imports]:
            if r["region"] not in importers:
                importers.append(r["region"])
        exporters = []
        for r in capacity + [{"region": r["exporter"]} for r in imports]:
            if r["region"] not in exporters:
                exporters.append(r["region"])
        self.importers, self.exporters = importers, exporters
        I, S, C = len(importers), len(exporters), len(self.commodities)
        ci = {c: n for n, c in enumerate(self.commodities)}
        self.flows0 = np.zeros((S, I, C))  # t/month
        for r in imports:
            self.flows0[exporters.index(r["exporter"]), importers.index(r["importer"]), ci[r["commodity"]]] = \
                float(r["tonnes_per_year"]) / 12
        total = self.flows0.sum(axis=0)  # [i, c]
        # D0: the consumption row / 12, or the importer's total imports / 12 without a row.
        self.D0 = total.copy()
        for r in consumption:
            self.D0[importers.index(r["region"]), ci[r["commodity"]]] = float(r["tonnes_per_year"]) / 12
        # share0: the share of i's imports of c that come from s.
        with np.errstate(invalid="ignore", divide="ignore"):
            self.share0 = np.where(total > 0, self.flows0 / np.where(total > 0, total, 1), 0.0)
        self.K = np.zeros((S, C))
        for r in capacity:
            self.K[exporters.index(r["region"]), ci[r["commodity"]]] = float(r["tonnes_per_year"]) / 12
        # stockpile defaults: cover_days = state + private days, state_share = state / total.
        state = np.zeros((I, C))
        private = np.zeros((I, C))
        for r in read_rows(folder, "stockpiles.csv"):
            target = state if r["holder"] == "state" else private
            target[importers.index(r["region"]), ci[r["commodity"]]] = float(r["days"])
        self.cover_days = state + private
        with np.errstate(invalid="ignore", divide="ignore"):
            self.state_share = np.where(self.cover_days > 0, state / np.where(self.cover_days > 0, self.cover_days, 1), 0.0)


def keyed(world, table, defaults_value):
    """An [i, c] array of a stockpile parameter with CASE overrides."""
    a = np.full((len(world.importers), len(world.commodities)), float(defaults_value))
    for (i, c), v in table.items():
        a[world.importers.index(i), world.commodities.index(c)] = v
    return a


def simulate(world, case):
    I, S, C = len(world.importers), len(world.exporters), len(world.commodities)
    T = case["months"]
    ci = {c: n for n, c in enumerate(world.commodities)}
    si = {s: n for n, s in enumerate(world.exporters)}
    ii = {i: n for n, i in enumerate(world.importers)}

    # Scenario signals, month by month.
    r_scen = np.zeros((T, S, I, C))
    for frm, to, com, share, start, months in case["restrict"]:
        for t in range(start, min(T, start + months)):
            for i in ([ii[to]] if to else range(I)):
                for c in ([ci[com]] if com else range(C)):
                    r_scen[t, si[frm], i, c] = 1 - (1 - r_scen[t, si[frm], i, c]) * (1 - share)
    demand_factor = np.ones((T, I, C))
    for region, com, factor, start, months in case["demand"]:
        demand_factor[start:start + months, ii[region], ci[com]] *= factor
    capacity_factor = np.ones((T, S, C))
    for region, com, factor, start, months in case["capacity"]:
        capacity_factor[start:start + months, si[region], ci[com]] *= factor

    # Parameters.
    tp = dict(TRADE)
    leakage = np.array([case["trade"]["leakage"].get(c, tp["leakage"]) for c in world.commodities])
    sp = {name: keyed(world, case["stockpile"].get(name, {}), value) for name, value in STOCKPILE.items()}
    dp = dict(DIPLOMACY)
    dp.update(case["diplomacy"])
    max_restriction = np.array([dp["max_restriction"].get(c, 1.0) for c in world.commodities])
    pairs = sorted({(frm, to) for frm, to, _, _ in case["incident"]})

    out = {}

    def put(name, key, t, value):
        out.setdefault((name, key), np.zeros(T))[t] = value

    # State.
    price = world.p0.copy()
    sigma = np.zeros((I, C))
    elevated_months = np.zeros(C)
    added = np.zeros((S, C))
    alt = np.zeros((I, C))
    purchases_prev = np.zeros((I, C))
    per_day = world.D0 / DAYS_PER_MONTH
    stock_total0 = world.cover_days * per_day
    state_stock = stock_total0 * world.state_share
    private_stock = stock_total0 - state_stock
    target_stock = stock_total0  # target_days −1: the same as cover_days
    shortfall_months = np.zeros((I, C))
    tension = {p: dp["baseline_tension"] for p in pairs}
    unmet_prev = np.zeros((I, C))
    demand_prev = np.zeros((I, C))
    blocked_prev = np.zeros((S, C))

    threat = np.zeros(C)  # buyers' expected share of supply lost, E (Models.md, v2 section)
    threat_rate = smoothing(6.0)  # threat_months: 6 by default, in v1 as in v2

    for t in range(T):
        # --- scenario signals (Models.md, "Scenario signals") ---
        for s, exp in enumerate(world.exporters):
            for c, com in enumerate(world.commodities):
                put("scenario.capacity_factor", f"{exp}/{com}", t, capacity_factor[t, s, c])
                for i, imp in enumerate(world.importers):
                    put("scenario.restriction", f"{exp}>{imp}/{com}", t, r_scen[t, s, i, c])
        for i, imp in enumerate(world.importers):
            for c, com in enumerate(world.commodities):
                put("scenario.demand_factor", f"{imp}/{com}", t, demand_factor[t, i, c])
        for (a, b) in pairs:
            severity = 1.0
            for frm, to, sev, month in case["incident"]:
                if (frm, to) == (a, b) and month == t:
                    severity *= 1 - sev
            put("scenario.incident", f"{a}>{b}", t, 1 - severity)
            put("scenario.talks", f"{a}>{b}", t, 0.0)

        # --- diplomacy (steps before trade) ---
        r_dip = np.zeros((S, I, C))
        for (a, b) in pairs:
            th = tension[(a, b)]
            if t > 0:
                th = dp["baseline_tension"] + (th - dp["baseline_tension"]) * 2 ** (-1 / dp["half_life_months"])
            for frm, to, severity, month in case["incident"]:
                if (frm, to) == (a, b) and month == t:
                    th += severity * (1 - th)
            r = max_restriction * min(1.0, max(0.0, (th - dp["threshold"]) / (1 - dp["threshold"])))
            hazard = 0.0
            if np.any(r > 0):
                sb, sa = ii[b], si[a]
                pain_b = (unmet_prev[sb] * world.p0).sum() / (demand_prev[sb] * world.p0).sum() \
                    if (demand_prev[sb] * world.p0).sum() > 0 else 0.0
                base_exports = world.flows0[sa].sum(axis=0)
                pain_a = (blocked_prev[sa] * world.p0).sum() / (base_exports * world.p0).sum() \
                    if (base_exports * world.p0).sum() > 0 else 0.0
                hazard = min(1.0, max(0.0, dp["settle_base"] + dp["settle_pain_target"] * pain_b
                                       + dp["settle_pain_restrictor"] * pain_a))
                if hazard > 0:
                    raise SystemExit("the reference cannot draw the settlement: set every hazard term to 0")
            tension[(a, b)] = th
            if a in si and b in ii:
                r_dip[si[a], ii[b], :] = r
            key = f"{a}>{b}"
            put("diplomacy.tension", key, t, th)
            put("diplomacy.hazard", key, t, hazard)
            for c in range(C):
                put("diplomacy.restriction", f"{key}/{world.commodities[c]}", t, r[c])

        # --- trade ---
        R = 1 - (1 - r_scen[t]) * (1 - r_dip)
        K_eff = (world.K + added) * capacity_factor[t]
        # Step 0: long-run responses from last month's price.
        elevated = price > 1.5 * world.p0
        step = TRADE["substitution_per_year"] / 12 * np.where(elevated, 1.0, -1.0)
        sigma = np.clip(sigma + step[None, :], 0.0, TRADE["max_substitution"])
        elevated_months = np.where(elevated, elevated_months + 1, 0)
        for c in range(C):
            if elevated_months[c] > TRADE["expansion_lag_months"]:
                restricts = (R[:, :, c] > 0).any(axis=1)
                eligible = ~restricts
                capacity_sum = K_eff[eligible, c].sum()
                extra = TRADE["expansion_per_year"] / 12 * world.D0[:, c].sum()
                if capacity_sum > 0 and extra > 0:
                    share = np.where(eligible, K_eff[:, c] / capacity_sum, 0.0)
                    added[:, c] += extra * share
                    K_eff[:, c] += extra * share * capacity_factor[t][:, c]
        # Step 1: demand.
        ratio = price / world.p0
        response = ratio ** (-TRADE["demand_elasticity"])
        D = world.D0 * demand_factor[t] * response[None, :] * (1 - sigma) + purchases_prev
        # Step 2: direct flows and lost volume.
        base = world.share0 * D[None, :, :]
        stopped = base * R * (1 - leakage[None, None, :])
        F = base - stopped
        L = stopped.sum(axis=0)
        blocked = stopped.sum(axis=1)
        # Step 3: re-sourcing target.
        spare = np.maximum(0.0, K_eff - world.flows0.sum(axis=1))
        allocation = np.zeros((S, I, C))
        for s in range(S):
            for c in range(C):
                open_ = R[s, :, c] == 0
                eligible_loss = L[open_, c].sum()
                if spare[s, c] > 0 and eligible_loss > 0:
                    allocation[s, open_, c] = spare[s, c] * L[open_, c] / eligible_loss
        alt_target = np.minimum(L, allocation.sum(axis=0))
        # Step 4: ramp.
        alt = alt + (alt_target - alt) * smoothing(TRADE["ramp_months"])
        delivered = np.minimum(alt, L)
        # Step 5: imports and shortfall.
        M = F.sum(axis=0) + delivered
        short = np.maximum(0.0, D - M)
        short = np.where(short < 1e-9 * D, 0.0, short)
        # Step 6: price.
        x = np.minimum(0.95, short.sum(axis=0) / D.sum(axis=0))
        target = np.where(x == 0, world.p0, world.p0 * (1 - x) ** (-1 / TRADE["price_elasticity"]))
        target = np.minimum(target, TRADE["max_price_multiple"] * world.p0)
        price = price + (target - price) * smoothing(TRADE["price_lag_months"])
        # The expectation E of lost supply moves toward this month's lost share (v2's hoard reads
        # it; v1 computes it too, with hoard_months 0 it changes nothing).
        threat = threat + (np.minimum(1.0, L.sum(axis=0) / D.sum(axis=0)) - threat) * threat_rate
        # Shares: the direct flow plus s's part of what was re-sourced and delivered, over imports.
        alloc_total = allocation.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            attributed = np.where(alloc_total > 0, allocation * delivered / np.where(alloc_total > 0, alloc_total, 1), 0.0)
            share = np.where(M > 0, (F + attributed) / np.where(M > 0, M, 1), 0.0)

        for i, imp in enumerate(world.importers):
            for c, com in enumerate(world.commodities):
                key = f"{imp}/{com}"
                put("trade.demand", key, t, D[i, c])
                put("trade.imports", key, t, M[i, c])
                put("trade.shortfall", key, t, short[i, c])
                put("trade.alt_supply", key, t, delivered[i, c])
                put("trade.substitution", key, t, sigma[i, c])
                for s, exp in enumerate(world.exporters):
                    if world.K[s, c] > 0 or world.flows0[s, :, c].sum() > 0:
                        put("trade.share", f"{exp}>{imp}/{com}", t, share[s, i, c])
        for c, com in enumerate(world.commodities):
            put("trade.price", com, t, price[c])
            put("trade.threat", com, t, threat[c])
        for s, exp in enumerate(world.exporters):
            for c, com in enumerate(world.commodities):
                put("trade.export_loss", f"{exp}/{com}", t, blocked[s, c] * 1000 * world.p0[c])
                put("trade.capacity", f"{exp}/{com}", t, K_eff[s, c])

        # --- stockpile ---
        need = short
        shortfall_months = np.where(need > 0, shortfall_months + 1, 0)
        floor = sp["floor_days"] * per_day
        release = np.zeros((I, C))
        purchases = np.zeros((I, C))
        for i in range(I):
            for c in range(C):
                n = shortfall_months[i, c]
                if need[i, c] > 0 and need[i, c] >= sp["release_trigger"][i, c] * D[i, c] \
                        and n > sp["release_lag_months"][i, c]:
                    state_open = n > max(sp["release_lag_months"][i, c], sp["state_release_lag_months"][i, c])
                    eligible = private_stock[i, c] + (state_stock[i, c] if state_open else 0.0)
                    amount = min(need[i, c], sp["max_release_days"][i, c] * per_day[i, c],
                                 max(0.0, eligible - floor[i, c]))
                    from_private = min(amount, private_stock[i, c])
                    private_stock[i, c] -= from_private
                    state_stock[i, c] -= amount - from_private
                    release[i, c] = amount
                stock = private_stock[i, c] + state_stock[i, c]
                if need[i, c] <= sp["rebuild_tolerance"][i, c] * D[i, c] and stock < target_stock[i, c]:
                    buy = min(sp["rebuild_days"][i, c] * per_day[i, c], target_stock[i, c] - stock)
                    state_gap = max(0.0, target_stock[i, c] * world.state_share[i, c] - state_stock[i, c])
                    private_gap = max(0.0, target_stock[i, c] * (1 - world.state_share[i, c]) - private_stock[i, c])
                    gaps = state_gap + private_gap
                    to_state = buy * state_gap / gaps if gaps > 0 else 0.0
                    state_stock[i, c] += to_state
                    private_stock[i, c] += buy - to_state
                    purchases[i, c] = buy
        unmet = need - release
        level = private_stock + state_stock
        for i, imp in enumerate(world.importers):
            for c, com in enumerate(world.commodities):
                key = f"{imp}/{com}"
                put("stockpile.level", key, t, level[i, c])
                put("stockpile.state_level", key, t, state_stock[i, c])
                put("stockpile.days_of_cover", key, t, level[i, c] / per_day[i, c] if per_day[i, c] > 0 else 0.0)
                put("stockpile.release", key, t, release[i, c])
                put("stockpile.unmet", key, t, unmet[i, c])
                put("stockpile.purchases", key, t, purchases[i, c])
        purchases_prev = purchases
        unmet_prev, demand_prev, blocked_prev = unmet, D, blocked
    return out


def read_export(path):
    """The exported run's series: {(signal, key): {month: value}} (Docs/Exports.md, CSV)."""
    series = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row.get("month", "") == "" or row.get("signal", "") == "":
                continue
            signal = f"{row['module']}.{row['signal']}" if "." not in row["signal"] else row["signal"]
            value = float(row["value"]) if row["value"] != "" else math.nan
            series.setdefault((signal, row["key"]), []).append(value)
    return series


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    tolerance = 1e-9
    if "--tolerance" in argv:
        tolerance = float(argv[argv.index("--tolerance") + 1])
        args = [a for a in args if a != argv[argv.index("--tolerance") + 1]]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    world = World(args[0])
    reference = simulate(world, CASE)
    exported = read_export(args[1])
    failures = []
    compared = 0
    for key, values in sorted(exported.items()):
        values = np.array(values)
        if key not in reference:
            # A signal the v1 equations do not define (a v2 one) must stay 0 under preset v1.
            if np.any(values != 0):
                failures.append((math.inf, key, "not a v1 signal, yet not 0"))
            continue
        ours = reference[key]
        if len(values) != len(ours):
            failures.append((math.inf, key, f"{len(values)} months exported, {len(ours)} computed"))
            continue
        scale = np.maximum(np.abs(ours), np.abs(values))
        error = np.where(scale > 0, np.abs(values - ours) / np.where(scale > 0, scale, 1), 0.0)
        # Values that are zero in one and tiny in the other: compare absolutely against 1e-12.
        error = np.where((scale < 1e-12), 0.0, error)
        compared += 1
        worst = int(np.argmax(error))
        if error[worst] > tolerance:
            failures.append((error[worst], key, f"month {worst}: lodestone {values[worst]!r}, reference {ours[worst]!r}"))
    missing = sorted(set(reference) - set(exported))
    for key in missing:
        failures.append((math.inf, key, "computed by the reference but not exported"))
    if failures:
        failures.sort(key=lambda f: -f[0])
        for error, key, what in failures[:20]:
            print(f"{key[0]}[{key[1]}]: relative error {error:.3g}: {what}")
        print(f"{len(failures)} of {compared} series disagree beyond {tolerance:g}")
        return 1
    print(f"{compared} series agree within {tolerance:g} relative over {CASE['months']} months")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
