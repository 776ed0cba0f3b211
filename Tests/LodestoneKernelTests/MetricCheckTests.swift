import Testing

@testable import LodestoneKernel

/// The block-wide ±∞ check of an ensemble's metric rows, which decides whether the run-by-run
/// check (and its error) runs at all.
struct MetricCheckTests {
    /// Values that are not ±∞, including the bit patterns next to it and NaNs of both signs.
    static let notInfinite: [Double] = [
        0, -0.0, 1, -1, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
        .nan, -.nan, Double(bitPattern: 0x7FF0_0000_0000_0001), Double(bitPattern: 0xFFF0_0000_0000_0001),
        Double(bitPattern: 0x7FEF_FFFF_FFFF_FFFF), Double(bitPattern: 0x7FF8_0000_0000_0000), 1e308,
    ]

    @Test("no ±∞ among finite values and NaNs, whatever their count")
    func finiteAndNaN() {
        for count in 0...40 {
            let values = (0..<count).map { Self.notInfinite[$0 % Self.notInfinite.count] }
            #expect(!values.withUnsafeBufferPointer { MonteCarlo.containsInfinity($0) }, "count \(count)")
        }
    }

    @Test("+∞ or −∞ is found at every position")
    func infinityAnywhere() {
        for count in 1...40 {
            for position in 0..<count {
                for infinity in [Double.infinity, -.infinity] {
                    var values = (0..<count).map { Self.notInfinite[$0 % Self.notInfinite.count] }
                    values[position] = infinity
                    #expect(values.withUnsafeBufferPointer { MonteCarlo.containsInfinity($0) }, "\(infinity) at \(position) of \(count)")
                }
            }
        }
    }
}

/// An ensemble whose metric becomes +∞ in the runs that draw a large scale: the error is the one
/// the run-by-run path reports, in blocks as run alone.
extension MetricCheckTests {
    /// `scaled[JP]` = scale × 10³⁰⁷ (+∞ once scale > 17.9), `none[JP]` = NaN ("none", never an error).
    static var scaled: ToyModel {
        ToyModel(
            name: "scaled",
            declaredParameters: [ParameterDeclaration("scale", unit: .dimensionless, default: 1, range: 0...100, doc: "The metric's scale")],
            declaredInterface: ModelInterface(
                outputs: [OutputDeclaration("level", keys: ["JP"], unit: .tonnes, doc: "a constant level")],
                metrics: [
                    MetricDeclaration("none", keys: ["JP"], kind: .quantity(.dimensionless), doc: "always none"),
                    MetricDeclaration("scaled", keys: ["JP"], kind: .quantity(.dimensionless), doc: "scale × 1e307"),
                ]),
            onStep: { instance, frame in
                instance.memory[0] = frame.parameter(instance.parameters[0], 0)
                frame.write(instance.outputs[0], 0, 1)
            },
            onFinish: { instance, metrics in
                metrics.write(instance.metrics[0], 0, .nan)
                metrics.write(instance.metrics[1], 0, instance.memory[0] * 1e307)
            })
    }

    static func ensemble(high: Double, blockSize: Int?) throws -> EnsembleResult {
        let parameters = ParameterSet(models: [scaled], dataset: ToyWorld.dataset)
        let composition = try Composition(models: [scaled], dataset: ToyWorld.dataset, scenario: Scenario("calm"), parameters: parameters)
        let plan = try RunPlan(composition: composition, start: ToyWorld.january2026, months: 3)
        var request = MonteCarloRequest(runs: 40, seed: 7, vary: [Variation("scaled.scale", .uniform(low: 0, high: high))], threads: 1)
        request.blockSize = blockSize
        return try MonteCarlo.run(plan, parameters: parameters, request: request)
    }

    @Test("a metric that is +∞ in some runs stops the ensemble naming the same run in blocks and alone; NaN metrics do not")
    func infiniteMetricInEnsemble() throws {
        let alone = try #require(throws: NonFiniteError.self) { try Self.ensemble(high: 20, blockSize: nil) }
        #expect(alone.signal == "scaled.scaled[JP]" && alone.value == .infinity)
        let run = try #require(alone.run)
        #expect(run > 0, "not the first run: the runs before it are fine")
        for blockSize in [1, 4, 64] {
            let blocked = try #require(throws: NonFiniteError.self) { try Self.ensemble(high: 20, blockSize: blockSize) }
            #expect(blocked.run == run && blocked.signal == alone.signal && blocked.value == .infinity)
        }
        // Below 17.9 every metric is finite or NaN: no error.
        #expect(try Self.ensemble(high: 17, blockSize: 64).metricValues.count == 80)
    }
}
