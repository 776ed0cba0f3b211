import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run of the `recycling` module: the capacity share κ per commodity and the running totals.
final class RecyclingInstance: ModelInstance {
    private let C: Int, I: Int
    private let price: InputRef
    private let supply: OutputRef, recycled: OutputRef, potential: OutputRef, capacityShare: OutputRef
    private let lifetime: ParameterRef, growth: ParameterRef, collection: ParameterRef, recovery: ParameterRef
    private let initialShare: ParameterRef, trigger: ParameterRef, lag: ParameterRef, build: ParameterRef
    private let total: MetricRef
    private let arena = StateArena()
    private let baselineDemand: UnsafeMutableBufferPointer<Double>  // D0, [i*C+c]
    private let basePrice: UnsafeMutableBufferPointer<Double>  // p0, [c]
    private let share: UnsafeMutableBufferPointer<Double>  // κ, [c]
    private let elevated: UnsafeMutableBufferPointer<Double>  // consecutive months above the trigger, [c]
    private let sums: UnsafeMutableBufferPointer<Double>  // recycled over the run, [i*C+c]

    init(baselineDemand demand: [Double], basePrice prices: [Double], wiring: Wiring) throws {
        C = prices.count
        I = prices.isEmpty ? 0 : demand.count / prices.count
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
        baselineDemand = arena.doubles(copying: demand)
        basePrice = arena.doubles(copying: prices)
        share = arena.doubles(C)
        elevated = arena.doubles(C)
        sums = arena.doubles(I * C)
    }

    func reset(_ frame: StepFrame) throws {
        for c in 0..<C {
            share[c] = frame.parameter(initialShare, c)
            elevated[c] = 0
        }
        for k in 0..<(I * C) { sums[k] = 0 }
    }

    func step(_ frame: StepFrame) throws {
        let months = frame.parameter(lag, 0)
        let threshold = frame.parameter(trigger, 0)
        for c in 0..<C {
            let high = frame.read(price, c) > threshold * basePrice[c]
            elevated[c] = high ? elevated[c] + 1 : 0
            if elevated[c] > months { share[c] = min(1, share[c] + frame.parameter(build, c) / 12) }
            frame.write(capacityShare, c, share[c])
            let ageing = pow(1 + frame.parameter(growth, c), -frame.parameter(lifetime, c))
            let recovered = ageing * frame.parameter(collection, c) * frame.parameter(recovery, c)
            for i in 0..<I {
                let k = i * C + c
                let possible = baselineDemand[k] * recovered
                let amount = share[c] * possible
                frame.write(potential, k, possible)
                frame.write(recycled, k, amount)
                frame.write(supply, k, amount)
                sums[k] += amount
            }
        }
    }

    func finish(_ metrics: MetricFrame) {
        for k in 0..<(I * C) { metrics.write(total, k, sums[k]) }
    }
}
