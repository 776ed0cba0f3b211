import LodestoneKernel

/// A random walk per importer, written twice: in the per-run form (``ModelInstance``) and in the
/// batch form (``BatchModelInstance``), with the same operations in the same order, so that an
/// ensemble must give bit-identical results whichever form, block size or thread count runs it.
///
/// `position[i]` = last month's position + `drift[i]` + `step · (2u − 1)` + 0.01 · `echo.twice[i]`
/// (delayed: last month's), u a uniform draw per importer per month; reset sets the position to
/// `start`. Metrics: `peak[i]` (largest position) and `crossed_at[i]` (first month above 2).
struct WalkModel: Model {
    /// Whether the model offers its batch form (false: the kernel adapts the per-run form).
    var batch: Bool
    static let keys = ["JP", "US"]

    var name: String { "walk" }
    var summary: String { "a random walk, per run or in blocks, for the batch tests" }

    func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        [
            ParameterDeclaration("step", unit: .tonnes, default: 1, range: 0...10, doc: "Largest move per month"),
            ParameterDeclaration(
                "drift", unit: .tonnes, keys: Self.keys, defaults: [0.05, -0.02], range: -1...1, doc: "Move per month"),
            ParameterDeclaration("start", unit: .tonnes, default: 0.5, range: -10...10, doc: "Position before month 0"),
        ]
    }

    func interface(in context: ModelContext) throws -> ModelInterface {
        ModelInterface(
            inputs: [
                InputDeclaration(
                    "echo.twice", keys: Self.keys, unit: .tonnes, timing: .delayed, fallback: 0, doc: "last month's echo")
            ],
            outputs: [OutputDeclaration("position", keys: Self.keys, unit: .tonnes, doc: "where the walk is")],
            metrics: [
                MetricDeclaration("peak", keys: Self.keys, kind: .quantity(.tonnes), doc: "largest position"),
                MetricDeclaration("crossed_at", keys: Self.keys, kind: .month, doc: "first month above 2"),
            ])
    }

    func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        WalkInstance(refs: try WalkRefs(wiring))
    }

    func prepareBatch(in context: ModelContext, wiring: Wiring) throws -> (any BatchModelFactory)? {
        batch ? WalkBatchFactory(refs: try WalkRefs(wiring)) : nil
    }
}

/// The walk's references, declared once.
struct WalkRefs: Sendable {
    let echo: InputRef
    let position: OutputRef
    let step: ParameterRef, drift: ParameterRef, start: ParameterRef
    let peak: MetricRef, crossedAt: MetricRef
    init(_ wiring: Wiring) throws {
        echo = try wiring.input("echo.twice")
        position = try wiring.output("position")
        step = try wiring.parameter("step")
        drift = try wiring.parameter("drift")
        start = try wiring.parameter("start")
        peak = try wiring.metric("peak")
        crossedAt = try wiring.metric("crossed_at")
    }
}

/// The per-run form.
final class WalkInstance: ModelInstance {
    let refs: WalkRefs
    var peak = [Double](repeating: -.infinity, count: 2)
    var crossed = [Double](repeating: .nan, count: 2)
    init(refs: WalkRefs) { self.refs = refs }

    func reset(_ frame: StepFrame) throws {
        for k in 0..<2 { frame.setInitial(refs.position, k, frame.parameter(refs.start, k)) }
    }

    func step(_ frame: StepFrame) throws {
        for k in 0..<2 {
            let move = frame.parameter(refs.step, k) * (2 * frame.uniform() - 1)
            let x = frame.previous(refs.position, k) + frame.parameter(refs.drift, k) + move + 0.01 * frame.read(refs.echo, k)
            frame.write(refs.position, k, x)
            peak[k] = max(peak[k], x)
            if crossed[k].isNaN, x > 2 { crossed[k] = Double(frame.monthIndex) }
        }
    }

    func finish(_ metrics: MetricFrame) {
        for k in 0..<2 {
            metrics.write(refs.peak, k, peak[k])
            metrics.write(refs.crossedAt, k, crossed[k])
        }
    }
}

struct WalkBatchFactory: BatchModelFactory {
    let refs: WalkRefs
    func makeBatch(width: Int) throws -> any BatchModelInstance { WalkBatch(refs: refs, width: width) }
}

/// The batch form: the same equations as ``WalkInstance``, as loops over the block's runs.
final class WalkBatch: BatchModelInstance {
    let refs: WalkRefs
    let state: BatchState
    let peak: BatchState.Doubles, crossed: BatchState.Doubles

    init(refs: WalkRefs, width: Int) {
        self.refs = refs
        state = BatchState(width: width)
        peak = state.doubles(keys: 2, initial: -.infinity)
        crossed = state.doubles(keys: 2, initial: .nan)
    }

    func reset(_ frame: BatchFrame) throws {
        for k in 0..<2 {
            let start = frame.parameter(refs.start, k)
            var position = frame.output(refs.position, k)
            for r in 0..<frame.width { position[r] = start[r] }
        }
    }

    func step(_ frame: BatchFrame) throws {
        let state = self.state  // the spans below borrow it for the call
        // Draw order per run as in the per-run form: key 0, then key 1.
        for k in 0..<2 {
            let last = frame.previous(refs.position, k)
            let echo = frame.input(refs.echo, k)
            let step = frame.parameter(refs.step, k), drift = frame.parameter(refs.drift, k)
            var position = frame.output(refs.position, k)
            var peak = state[self.peak, k], crossed = state[self.crossed, k]
            for r in 0..<frame.width {
                let move = step[r] * (2 * frame.uniform(run: r) - 1)
                let x = last[r] + drift[r] + move + 0.01 * echo[r]
                position[r] = x
                peak[r] = max(peak[r], x)
                if crossed[r].isNaN, x > 2 { crossed[r] = Double(frame.monthIndex) }
            }
        }
    }

    func finish(_ metrics: BatchMetricFrame) {
        let state = self.state
        for k in 0..<2 {
            var peakOut = metrics.metric(refs.peak, k), crossedOut = metrics.metric(refs.crossedAt, k)
            let peak = state[self.peak, k], crossed = state[self.crossed, k]
            for r in 0..<metrics.width {
                peakOut[r] = peak[r]
                crossedOut[r] = crossed[r]
            }
        }
    }
}

/// Per run only (the adapter steps it in blocks): `twice[i]` = 2 · this month's `walk.position[i]`.
struct EchoModel: Model {
    var name: String { "echo" }
    var summary: String { "twice the walk's position" }
    func parameters(for dataset: Dataset) -> [ParameterDeclaration] { [] }
    func interface(in context: ModelContext) throws -> ModelInterface {
        ModelInterface(
            inputs: [InputDeclaration("walk.position", keys: WalkModel.keys, unit: .tonnes, doc: "the walk")],
            outputs: [OutputDeclaration("twice", keys: WalkModel.keys, unit: .tonnes, doc: "twice the walk")])
    }
    func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        EchoInstance(position: try wiring.input("walk.position"), twice: try wiring.output("twice"))
    }
}

final class EchoInstance: ModelInstance {
    let position: InputRef, twice: OutputRef
    init(position: InputRef, twice: OutputRef) {
        self.position = position
        self.twice = twice
    }
    func step(_ frame: StepFrame) throws {
        for k in 0..<2 { frame.write(twice, k, 2 * frame.read(position, k)) }
    }
}
