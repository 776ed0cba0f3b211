#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A box in parameter space: per parameter a lower and an upper bound (inclusive).
public struct PrimBox: Sendable, Equatable {
    /// Lower bound per parameter.
    public var lower: [Double]
    /// Upper bound per parameter.
    public var upper: [Double]
    /// Share of all the cases of interest that fall in the box (0…1).
    public var coverage: Double
    /// Share of the box's points that are cases of interest (0…1).
    public var density: Double
    /// Share of all points in the box (0…1).
    public var mass: Double
    /// Points in the box.
    public var count: Int
    /// Cases of interest in the box.
    public var interesting: Int

    /// Whether `row` (one value per parameter) lies in the box.
    public func contains(_ row: ArraySlice<Double>) -> Bool {
        var j = 0
        for x in row {
            if x < lower[j] || x > upper[j] { return false }
            j += 1
        }
        return true
    }
}

/// The Patient Rule Induction Method (Friedman & Fisher, "Bump hunting in high-dimensional data",
/// Statistics and Computing 9 (1999) 123–143), as the EMA Workbench uses it for scenario discovery
/// (Bryant & Lempert 2010): it looks for a box of parameter values in which the cases of interest
/// are dense.
///
/// - **Peeling:** from the box of all points, repeatedly cut off the share `alpha` of the box's
///   points at the low or high end of one parameter, whichever cut leaves the highest density,
///   while the box keeps at least `minimumMass` of all points. Each box on the way is a point of
///   the **coverage/density trade-off** (``peelingTrajectory``).
/// - **Pasting:** the chosen box is then widened again, one bound at a time, by `alpha` of its
///   points, as long as that takes in cases of interest without lowering its density.
/// - The **chosen box** is, among the boxes whose density reaches `threshold`, the one with the
///   highest coverage (ties: the highest density); when none reaches it, the densest box.
/// - Each restricted parameter gets a **quasi-p-value** (Bryant & Lempert 2010): the one-sided
///   binomial probability of at least the box's count of cases of interest among its points, if
///   they were drawn at the density of the box without that restriction. Small values say the
///   restriction matters.
///
/// Written by hand: no mirrored Swift package does PRIM; it is short.
public struct Prim: Sendable {
    /// The points, row-major: `points[i * parameters + j]`.
    public let points: [Double]
    /// Number of parameters per point.
    public let parameters: Int
    /// Whether each point is a case of interest.
    public let interesting: [Bool]
    /// Share of the box's points peeled or pasted per step.
    public var alpha = 0.05
    /// The smallest share of all points a box may keep.
    public var minimumMass = 0.05
    /// The density the chosen box should reach.
    public var threshold = 0.8

    /// A PRIM analysis of `points` (row-major, `parameters` values each) and which are of interest.
    public init(points: [Double], parameters: Int, interesting: [Bool]) throws(AnalysisError) {
        guard parameters >= 1, points.count == parameters * interesting.count else {
            throw AnalysisError("expected \(interesting.count) points of \(parameters) values, got \(points.count) values")
        }
        guard !interesting.isEmpty else { throw AnalysisError("no runs to analyse") }
        guard points.allSatisfy(\.isFinite) else { throw AnalysisError("every parameter value must be a finite number") }
        self.points = points
        self.parameters = parameters
        self.interesting = interesting
    }

    /// Number of points.
    public var count: Int { interesting.count }
    /// Number of cases of interest.
    public var interestingCount: Int { interesting.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// The box of all points: each parameter's smallest and largest value.
    public var fullBox: PrimBox {
        var lower = [Double](repeating: .infinity, count: parameters)
        var upper = [Double](repeating: -.infinity, count: parameters)
        for i in 0..<count {
            for j in 0..<parameters {
                lower[j] = min(lower[j], points[i * parameters + j])
                upper[j] = max(upper[j], points[i * parameters + j])
            }
        }
        return measured(lower: lower, upper: upper)
    }

    /// The box with these bounds, with its coverage, density and mass.
    func measured(lower: [Double], upper: [Double]) -> PrimBox {
        var box = PrimBox(lower: lower, upper: upper, coverage: 0, density: 0, mass: 0, count: 0, interesting: 0)
        for i in 0..<count where box.contains(points[(i * parameters)..<((i + 1) * parameters)]) {
            box.count += 1
            if interesting[i] { box.interesting += 1 }
        }
        box.mass = Double(box.count) / Double(count)
        box.density = box.count == 0 ? 0 : Double(box.interesting) / Double(box.count)
        let all = interestingCount
        box.coverage = all == 0 ? 0 : Double(box.interesting) / Double(all)
        return box
    }

    /// The indices of the points in `box`.
    func members(_ box: PrimBox) -> [Int] {
        (0..<count).filter { box.contains(points[($0 * parameters)..<(($0 + 1) * parameters)]) }
    }

    /// The boxes peeling passes through, from the box of all points to the last one that keeps
    /// `minimumMass`.
    public func peelingTrajectory() -> [PrimBox] {
        var box = fullBox
        var trajectory = [box]
        var inside = Array(0..<count)
        let smallest = max(1, Int((minimumMass * Double(count)).rounded(.up)))
        let all = interestingCount
        while true {
            // The best cut: (parameter, low end?, bound, kept points, kept cases of interest).
            var best: (j: Int, low: Bool, bound: Double, kept: Int, hits: Int)?
            for j in 0..<parameters {
                let values = inside.map { points[$0 * parameters + j] }.sorted()
                let cut = max(1, Int((alpha * Double(values.count)).rounded(.down)))
                guard values.count > cut else { continue }
                for low in [true, false] {
                    // Drop the values beyond the cut's value (so at least one distinct value goes).
                    let bound = low ? values[cut] : values[values.count - 1 - cut]
                    guard low ? bound > values[0] : bound < values[values.count - 1] else { continue }
                    var kept = 0
                    var hits = 0
                    for i in inside {
                        let x = points[i * parameters + j]
                        if low ? x >= bound : x <= bound {
                            kept += 1
                            if interesting[i] { hits += 1 }
                        }
                    }
                    guard kept >= smallest, kept < inside.count else { continue }
                    if let b = best {
                        // Higher density first; then more points kept.
                        let better = hits * b.kept > b.hits * kept || (hits * b.kept == b.hits * kept && kept > b.kept)
                        if !better { continue }
                    }
                    best = (j, low, bound, kept, hits)
                }
            }
            guard let cut = best else { break }
            if cut.low { box.lower[cut.j] = cut.bound } else { box.upper[cut.j] = cut.bound }
            inside = inside.filter { cut.low ? points[$0 * parameters + cut.j] >= cut.bound : points[$0 * parameters + cut.j] <= cut.bound }
            box.count = cut.kept
            box.interesting = cut.hits
            box.mass = Double(cut.kept) / Double(count)
            box.density = Double(cut.hits) / Double(cut.kept)
            box.coverage = all == 0 ? 0 : Double(cut.hits) / Double(all)
            trajectory.append(box)
            // A box of nothing but cases of interest cannot get denser.
            if cut.hits == cut.kept { break }
        }
        return trajectory
    }

    /// The index in `trajectory` of the box PRIM chooses: the highest coverage among those with
    /// density ≥ ``threshold`` (ties: the highest density), else the densest.
    public func chosenIndex(_ trajectory: [PrimBox]) -> Int {
        let dense = trajectory.indices.filter { trajectory[$0].density >= threshold }
        let pool = dense.isEmpty ? Array(trajectory.indices) : dense
        if dense.isEmpty {
            return pool.max { (trajectory[$0].density, -$0) < (trajectory[$1].density, -$1) } ?? 0
        }
        return pool.max { (trajectory[$0].coverage, trajectory[$0].density) < (trajectory[$1].coverage, trajectory[$1].density) } ?? 0
    }

    /// `box` widened by pasting: repeatedly move one bound outwards to take in `alpha` of the box's
    /// points more — the move that leaves the highest density — while one takes in cases of
    /// interest without lowering the density.
    public func paste(_ box: PrimBox) -> PrimBox {
        var box = box
        let full = fullBox
        while true {
            var best: PrimBox?
            let step = max(1, Int((alpha * Double(box.count)).rounded(.down)))
            for j in 0..<parameters {
                // Points outside the box only because of parameter j, below and above it.
                var below: [Double] = []
                var above: [Double] = []
                for i in 0..<count {
                    let row = points[(i * parameters)..<((i + 1) * parameters)]
                    var outsideOnlyHere = true
                    for (k, x) in row.enumerated() where k != j && (x < box.lower[k] || x > box.upper[k]) {
                        outsideOnlyHere = false
                        break
                    }
                    guard outsideOnlyHere else { continue }
                    let x = points[i * parameters + j]
                    if x < box.lower[j] { below.append(x) } else if x > box.upper[j] { above.append(x) }
                }
                var candidates: [PrimBox] = []
                if !below.isEmpty {
                    below.sort(by: >)
                    var lower = box.lower
                    lower[j] = max(full.lower[j], below[min(below.count, step) - 1])
                    candidates.append(measured(lower: lower, upper: box.upper))
                }
                if !above.isEmpty {
                    above.sort()
                    var upper = box.upper
                    upper[j] = min(full.upper[j], above[min(above.count, step) - 1])
                    candidates.append(measured(lower: box.lower, upper: upper))
                }
                // Widen when it takes in cases of interest without lowering the density.
                for candidate in candidates
                where candidate.interesting > box.interesting && candidate.density >= (best?.density ?? box.density) {
                    best = candidate
                }
            }
            guard let next = best else { return box }
            box = next
        }
    }

    /// The parameters `box` restricts (a bound inside the full box's), in parameter order.
    public func restricted(_ box: PrimBox) -> [Int] {
        let full = fullBox
        return (0..<parameters).filter { box.lower[$0] > full.lower[$0] || box.upper[$0] < full.upper[$0] }
    }

    /// The quasi-p-value of each restricted parameter of `box` (see the type's documentation).
    public func quasiPValues(_ box: PrimBox) -> [(parameter: Int, p: Double)] {
        let full = fullBox
        return restricted(box).map { j in
            var lower = box.lower
            var upper = box.upper
            lower[j] = full.lower[j]
            upper[j] = full.upper[j]
            let loose = measured(lower: lower, upper: upper)
            let rate = loose.count == 0 ? 0 : Double(loose.interesting) / Double(loose.count)
            return (j, Self.binomialUpperTail(successes: box.interesting, trials: box.count, probability: rate))
        }
    }

    /// P(X ≥ k) for X ~ Binomial(n, p), summed in logarithms (exact to rounding for n up to millions).
    /// For k > n it is 0.
    static func binomialUpperTail(successes k: Int, trials n: Int, probability p: Double) -> Double {
        guard k > 0 else { return 1 }
        guard k <= n else { return 0 }
        guard p > 0 else { return 0 }
        guard p < 1 else { return 1 }
        let logP = log(p)
        let logQ = log1p(-p)
        // log i! for i = 0…n.
        var logFactorial = [Double](repeating: 0, count: n + 1)
        if n >= 1 { for i in 1...n { logFactorial[i] = logFactorial[i - 1] + log(Double(i)) } }
        var total = 0.0
        for i in k...n {
            let logTerm = logFactorial[n] - logFactorial[i] - logFactorial[n - i] + Double(i) * logP + Double(n - i) * logQ
            total += exp(logTerm)
        }
        return min(1, total)
    }
}
