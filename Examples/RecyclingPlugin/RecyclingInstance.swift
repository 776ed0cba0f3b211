import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `recycling` module's names resolved once per composition: every reference is declared
/// here, once, and the instances use this value as it is.
struct RecyclingRefs: Sendable {
    let price: InputRef
    let supply: OutputRef, recycled: OutputRef, potential: OutputRef, capacityShare: OutputRef
    let lifetime: ParameterRef, growth: ParameterRef, collection: ParameterRef, recovery: ParameterRef
    let initialShare: ParameterRef, trigger: ParameterRef, lag: ParameterRef, build: ParameterRef
    let total: MetricRef

    init(_ wiring: Wiring) throws {
        price = try wiring.input("trade.price")
        supply = try wiring.output("market.extra_supply")
        recycled = try wiring.output("recycled")
        potential = try wiring.output("potential")
        capacityShare = try wiring.output("capacity_share")
        lifetime = try wiring.parameter("lifetime_years")
        growth = try wiring.parameter("use_growth_per_year")
        collection = try wiring.parameter("collection_rate")
        recovery = try wiring.parameter("recovery_rate")
        initialShare = try wiring.parameter("initial_share")
        trigger = try wiring.parameter("price_trigger")
        lag = try wiring.parameter("build_lag_months")
        build = try wiring.parameter("build_per_year")
        total = try wiring.metric("recycled_total")
    }
}

/// Makes `recycling` instances from the dataset's tables and the resolved names (blocks of runs;
/// a single run is a block of one).
struct RecyclingFactory: BatchModelFactory {
    let refs: RecyclingRefs
    /// D0 per importer and magnet commodity, `[i*C+c]`, t/month.
    let baselineDemand: [Double]
    /// p0 per magnet commodity, USD/kg.
    let basePrice: [Double]

    func makeBatch(width: Int) throws -> any BatchModelInstance {
        RecyclingBatch(refs: refs, baselineDemand: baselineDemand, basePrice: basePrice, width: width)
    }
}

/// The `recycling` module for a block of runs: the capacity share κ per commodity and the running
/// totals, each equation a loop over the block's runs.
final class RecyclingBatch: BatchModelInstance {
    private let refs: RecyclingRefs
    private let baselineDemand: [Double], basePrice: [Double]
    private let C: Int, I: Int
    private let state: BatchState
    /// κ per commodity.
    private let share: BatchState.Doubles
    /// Consecutive months with the price above the trigger, per commodity.
    private let elevated: BatchState.Doubles
    /// What one unit of baseline demand gives back this month (this commodity's, in the step).
    private let recovered: BatchState.Doubles
    /// Recycled over the run, `[i*C+c]`.
    private let sums: BatchState.Doubles

    init(refs: RecyclingRefs, baselineDemand: [Double], basePrice: [Double], width: Int) {
        self.refs = refs
        self.baselineDemand = baselineDemand
        self.basePrice = basePrice
        C = basePrice.count
        I = basePrice.isEmpty ? 0 : baselineDemand.count / basePrice.count
        state = BatchState(width: width)
        share = state.doubles(keys: C)
        elevated = state.doubles(keys: C)
        recovered = state.doubles(keys: 1)
        sums = state.doubles(keys: I * C)
    }

    func reset(_ frame: BatchFrame) throws {
        for c in 0..<C {
            let initial = frame.parameter(refs.initialShare, c)
            var share = frame.state(self.share, c), elevated = frame.state(self.elevated, c)
            for r in 0..<frame.width {
                share[r] = initial[r]
                elevated[r] = 0
            }
        }
        for k in 0..<(I * C) {
            var sums = frame.state(self.sums, k)
            for r in 0..<frame.width { sums[r] = 0 }
        }
    }

    func step(_ frame: BatchFrame) throws {
        let months = frame.parameter(refs.lag, 0), threshold = frame.parameter(refs.trigger, 0)
        for c in 0..<C {
            let price = frame.input(refs.price, c), build = frame.parameter(refs.build, c)
            let growth = frame.parameter(refs.growth, c), lifetime = frame.parameter(refs.lifetime, c)
            let collection = frame.parameter(refs.collection, c), recovery = frame.parameter(refs.recovery, c)
            var share = frame.state(self.share, c), elevated = frame.state(self.elevated, c)
            var recovered = frame.state(self.recovered, 0)
            var capacityShare = frame.output(refs.capacityShare, c)
            for r in 0..<frame.width {
                let high = price[r] > threshold[r] * basePrice[c]
                elevated[r] = high ? elevated[r] + 1 : 0
                if elevated[r] > months[r] { share[r] = min(1, share[r] + build[r] / 12) }
                capacityShare[r] = share[r]
                let ageing = pow(1 + growth[r], -lifetime[r])
                recovered[r] = ageing * collection[r] * recovery[r]
            }
            for i in 0..<I {
                let k = i * C + c
                var potential = frame.output(refs.potential, k), recycled = frame.output(refs.recycled, k)
                var supply = frame.output(refs.supply, k), sums = frame.state(self.sums, k)
                for r in 0..<frame.width {
                    let possible = baselineDemand[k] * recovered[r]
                    let amount = share[r] * possible
                    potential[r] = possible
                    recycled[r] = amount
                    supply[r] = amount
                    sums[r] += amount
                }
            }
        }
    }

    func finish(_ metrics: BatchMetricFrame) {
        for k in 0..<(I * C) {
            let sums = metrics.state(self.sums, k)
            var total = metrics.metric(refs.total, k)
            for r in 0..<metrics.width { total[r] = sums[r] }
        }
    }
}
