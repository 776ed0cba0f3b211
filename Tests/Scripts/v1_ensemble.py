"""The v1 market equations (trade, stockpile, diplomacy) for a whole Monte Carlo ensemble at once,
in numpy: every state variable carries the runs as its first axis, so one month of N runs is a
few dozen array operations. Written from Docs/Models.md (the equations) and Docs/Ensembles.md
(what an ensemble draws), like `v1_reference.py`, whose dataset reader and v1 defaults it reuses;
it shares no code with the Swift engine.

The ensemble is the one `lodestone bench` times (BenchCommand.swift, `Bench`): the baseline-2024
dataset; an incident CN>JP of severity 0.8 in the first month and a full curb of CN's DyTb exports
to JP from the second month for 12 months; runs start in 2026-01; each run draws
`diplomacy.settle_base` ~ uniform(0.01, 0.06), `diplomacy.half_life_months` ~ triangular(3, 6, 12)
and `diplomacy.settle_pain_target` ~ uniform(0.2, 0.8), and then, each month the pair restricts
anything, one uniform for the settlement. The draws come from numpy's own generator, so runs are
not those of lodestone one by one: the two agree in distribution, within Monte Carlo error.

    import v1_ensemble
    world = v1_reference.World("Data/baseline-2024")
    metrics = v1_ensemble.simulate(world, runs=10_000, months=120, seed=1)
"""

import numpy as np

from v1_reference import DAYS_PER_MONTH, DIPLOMACY, STOCKPILE, TRADE, smoothing

# The bench's scenario, as months from the start (2026-01) and the draws of its `vary:`.
INCIDENT = ("CN", "JP", 0.8, 0)  # from, to, severity, month
CURB = ("CN", "JP", "DyTb", 1.0, 1, 12)  # from, to, commodity, share, start, months
VARY = {
    "settle_base": ("uniform", 0.01, 0.06),
    "half_life_months": ("triangular", 3.0, 6.0, 12.0),
    "settle_pain_target": ("uniform", 0.2, 0.8),
}


def lode_script(runs, months, threads=None, prints=(), preset="v1"):
    """The same ensemble in lodestone's language (`preset: "v1"`, seed 7, the bench's five band
    signals), followed by the lines `prints`; `threads` fixes the worker threads (default: every
    core). `preset` names another of the modules' presets (`"v3"`), or is None for the defaults
    without a preset (the ensemble `lodestone bench` measures first; its equations are not v1's)."""
    vary = ", ".join(
        f'"diplomacy.{name}": {kind}({", ".join(f"{a:g}" for a in args)})' for name, (kind, *args) in VARY.items())
    frm, to, com, share, start, length = CURB
    a, b, severity, _ = INCIDENT
    lines = [
        'let m = model(trade, stockpile, diplomacy, data: "baseline-2024"'
        + (f', preset: "{preset}")' if preset else ")"),
        'let s = scenario("2026 export curbs")',
        f's.incident(from: "{a}", to: "{b}", severity: {severity:g}, at: 2026-01)',
        f's.restrict(from: "{frm}", to: "{to}", commodity: "{com}", share: {share * 100:g}%, '
        f'start: 2026-{start + 1:02d}, months: {length})',
        f"let e = montecarlo(m, s, runs: {runs}, seed: 7, start: 2026-01, months: {months},"
        + (f" threads: {threads}," if threads else ""),
        f"    vary: {{{vary}}},",
        '    bands: ["stockpile.days_of_cover[JP/DyTb]", "trade.price[DyTb]", "trade.shortfall[JP/DyTb]",',
        '            "trade.share[CN>JP/DyTb]", "diplomacy.tension[CN>JP]"])',
    ]
    return "\n".join(lines + list(prints)) + "\n"


def draw_parameters(rng, runs, vary):
    """One value per run of each varied diplomacy parameter of `vary` (as VARY), in its order."""
    drawn = {}
    for name, (kind, *args) in vary.items():
        drawn[name] = rng.uniform(args[0], args[1], runs) if kind == "uniform" else rng.triangular(*args, runs)
    return drawn


def simulate(world, runs, months, seed, vary=None):
    """Runs the ensemble (`vary`: the draws, VARY by default); returns per-run metrics as arrays of `runs` values (NaN: never):
    `settled_at` (CN>JP), `exhausted_at`, `unmet_total` and `release_total` (JP/DyTb), and
    `peak_price` (DyTb)."""
    rng = np.random.default_rng(seed)
    N, T = runs, months
    I, S, C = len(world.importers), len(world.exporters), len(world.commodities)
    ci = {c: n for n, c in enumerate(world.commodities)}
    si = {s: n for n, s in enumerate(world.exporters)}
    ii = {i: n for n, i in enumerate(world.importers)}
    p0 = world.p0

    # The scenario's restriction, month by month, [T, S, I, C]; demand and capacity factors are 1.
    r_scen = np.zeros((T, S, I, C))
    frm, to, com, share, start, length = CURB
    r_scen[start:start + length, si[frm], ii[to], ci[com]] = share
    a, b, severity, incident_month = INCIDENT
    sa, ib = si[a], ii[b]

    # Parameters: the v1 defaults, and the drawn ones.
    leakage = np.full(C, TRADE["leakage"])
    max_restriction = np.array([DIPLOMACY["max_restriction"].get(c, 1.0) for c in world.commodities])
    drawn = draw_parameters(rng, N, vary or VARY)
    settle_base, pain_target = drawn["settle_base"], drawn["settle_pain_target"]
    decay = 2.0 ** (-1.0 / drawn["half_life_months"])  # every drawn half-life is ≥ 3 months
    base_tension, threshold = DIPLOMACY["baseline_tension"], DIPLOMACY["threshold"]
    pain_restrictor = DIPLOMACY["settle_pain_restrictor"]
    ramp = smoothing(TRADE["ramp_months"])
    price_rate = smoothing(TRADE["price_lag_months"])
    expansion = TRADE["expansion_per_year"] / 12 * world.D0.sum(axis=0)  # [C], t/month
    baseline_flows = world.flows0.sum(axis=1)  # [S, C]
    restrictor_value = (world.flows0[sa].sum(axis=0) * p0).sum()

    per_day = world.D0 / DAYS_PER_MONTH  # [I, C]
    floor = STOCKPILE["floor_days"] * per_day
    max_release = np.where(per_day > 0, STOCKPILE["max_release_days"] * np.where(per_day > 0, per_day, 1), 0.0)
    release_lag = STOCKPILE["release_lag_months"]
    state_lag = max(release_lag, STOCKPILE["state_release_lag_months"])
    rebuild = STOCKPILE["rebuild_days"] * per_day
    target_stock = world.cover_days * per_day  # target_days −1: the cover itself

    # State, runs first.
    price = np.tile(p0, (N, 1))
    sigma = np.zeros((N, I, C))
    elevated_months = np.zeros((N, C))
    added = np.zeros((N, S, C))
    alt = np.zeros((N, I, C))
    purchases_prev = np.zeros((N, I, C))
    state_stock = np.tile(target_stock * world.state_share, (N, 1, 1))
    private_stock = np.tile(target_stock, (N, 1, 1)) - state_stock
    shortfall_months = np.zeros((N, I, C))
    tension = np.full(N, base_tension)
    unmet_prev = np.zeros((N, I, C))
    demand_prev = np.zeros((N, I, C))
    blocked_prev = np.zeros((N, S, C))
    r_dip = np.zeros((N, S, I, C))

    settled_at = np.full(N, np.nan)
    exhausted_at = np.full(N, np.nan)
    unmet_total = np.zeros(N)
    release_total = np.zeros(N)
    peak_price = np.full(N, -np.inf)

    for t in range(T):
        # --- diplomacy: one pair, a>b ---
        if t > 0:
            tension = base_tension + (tension - base_tension) * decay
        if t == incident_month:
            tension = tension + severity * (1 - tension)
        level = np.clip((tension - threshold) / (1 - threshold), 0.0, 1.0)
        restricting = level > 0  # every max_restriction is > 0
        wanted = (demand_prev[:, ib, :] * p0).sum(axis=1)
        lost = (unmet_prev[:, ib, :] * p0).sum(axis=1)
        pain_b = np.where(wanted > 0, lost / np.where(wanted > 0, wanted, 1), 0.0)
        pain_a = (blocked_prev[:, sa, :] * p0).sum(axis=1) / restrictor_value
        hazard = np.where(restricting, np.clip(settle_base + pain_target * pain_b + pain_restrictor * pain_a, 0, 1), 0.0)
        # One uniform per run that restricts (the others draw nothing this month).
        u = np.ones(N)
        u[restricting] = rng.random(int(restricting.sum()))
        settles = u < hazard
        tension = np.where(settles, base_tension, tension)
        settled_at = np.where(settles & np.isnan(settled_at), t, settled_at)
        level = np.clip((tension - threshold) / (1 - threshold), 0.0, 1.0)
        r_dip[:, sa, ib, :] = max_restriction[None, :] * level[:, None]

        # --- trade ---
        R = 1 - (1 - r_scen[t])[None] * (1 - r_dip)  # [N, S, I, C]
        K_eff = world.K[None] + added  # capacity factor 1
        # Step 0: long-run responses from last month's price.
        elevated = price > 1.5 * p0
        step = TRADE["substitution_per_year"] / 12 * np.where(elevated, 1.0, -1.0)
        sigma = np.clip(sigma + step[:, None, :], 0.0, TRADE["max_substitution"])
        elevated_months = np.where(elevated, elevated_months + 1, 0)
        eligible = ~(R > 0).any(axis=2)  # [N, S, C]: restricts no importer of c
        capacity_sum = (K_eff * eligible).sum(axis=1)  # [N, C]
        expanding = (elevated_months > TRADE["expansion_lag_months"]) & (capacity_sum > 0) & (expansion > 0)
        grant = np.where(expanding, expansion / np.where(capacity_sum > 0, capacity_sum, 1), 0.0)  # [N, C]
        extra = eligible * K_eff * grant[:, None, :]
        added += extra
        K_eff = K_eff + extra
        # Step 1: demand.
        response = (price / p0) ** (-TRADE["demand_elasticity"])
        D = world.D0[None] * response[:, None, :] * (1 - sigma) + purchases_prev
        # Step 2: direct flows and lost volume.
        base = world.share0[None] * D[:, None, :, :]
        stopped = base * R * (1 - leakage)
        F = base - stopped
        L = stopped.sum(axis=1)  # [N, I, C]
        blocked = stopped.sum(axis=2)  # [N, S, C]
        # Step 3: re-sourcing target.
        spare = np.maximum(0.0, K_eff - baseline_flows[None])  # [N, S, C]
        open_loss = np.where(R == 0, L[:, None, :, :], 0.0)  # [N, S, I, C]
        eligible_loss = open_loss.sum(axis=2)  # [N, S, C]
        offered = (spare > 0) & (eligible_loss > 0)
        per_tonne = np.where(offered, spare / np.where(offered, eligible_loss, 1), 0.0)
        allocation = open_loss * per_tonne[:, :, None, :]
        allocated = allocation.sum(axis=1)  # [N, I, C]
        # Step 4: ramp.
        alt = alt + (np.minimum(L, allocated) - alt) * ramp
        delivered = np.minimum(alt, L)
        # Step 5: imports and shortfall.
        M = F.sum(axis=1) + delivered
        short = np.maximum(0.0, D - M)
        short = np.where(short < 1e-9 * D, 0.0, short)
        # Step 6: price.
        x = np.minimum(0.95, short.sum(axis=1) / D.sum(axis=1))
        target = np.where(x == 0, p0, p0 * (1 - x) ** (-1 / TRADE["price_elasticity"]))
        target = np.minimum(target, TRADE["max_price_multiple"] * p0)
        price = price + (target - price) * price_rate

        # --- stockpile ---
        need = short
        shortfall_months = np.where(need > 0, shortfall_months + 1, 0)
        releasing = (need > 0) & (need >= STOCKPILE["release_trigger"] * D) & (shortfall_months > release_lag)
        state_open = shortfall_months > state_lag
        available = private_stock + np.where(state_open, state_stock, 0.0)
        amount = np.where(releasing, np.minimum(np.minimum(need, max_release), np.maximum(0.0, available - floor)), 0.0)
        from_private = np.minimum(amount, private_stock)
        private_stock = private_stock - from_private
        state_stock = state_stock - (amount - from_private)
        stock = private_stock + state_stock
        refilling = (need <= STOCKPILE["rebuild_tolerance"] * D) & (stock < target_stock)
        buy = np.where(refilling, np.minimum(rebuild, target_stock - stock), 0.0)
        state_gap = np.maximum(0.0, target_stock * world.state_share - state_stock)
        private_gap = np.maximum(0.0, target_stock * (1 - world.state_share) - private_stock)
        gaps = state_gap + private_gap
        to_state = np.where(gaps > 0, buy * state_gap / np.where(gaps > 0, gaps, 1), 0.0)
        state_stock = state_stock + to_state
        private_stock = private_stock + (buy - to_state)
        unmet = need - amount

        # Metrics of JP/DyTb and DyTb (exhausted: the stock at its floor while there is need, to a
        # billionth of a day).
        j, d = ii["JP"], ci["DyTb"]
        level_jp = private_stock[:, j, d] + state_stock[:, j, d]
        hits = (need[:, j, d] > 0) & (level_jp <= floor[j, d] + 1e-9 * per_day[j, d]) & np.isnan(exhausted_at)
        if world.cover_days[j, d] > 0:
            exhausted_at = np.where(hits, t, exhausted_at)
        unmet_total += unmet[:, j, d]
        release_total += amount[:, j, d]
        peak_price = np.maximum(peak_price, price[:, d])

        purchases_prev = buy
        unmet_prev, demand_prev, blocked_prev = unmet, D, blocked
    return {
        "settled_at": settled_at, "exhausted_at": exhausted_at, "unmet_total": unmet_total,
        "release_total": release_total, "peak_price": peak_price,
    }
