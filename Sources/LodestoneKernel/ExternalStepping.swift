/// Building blocks for adapters that step a model outside a ``Simulation``: the runtime-plugin
/// kit lays a module's inputs, outputs, parameters and metrics out in flat buffers of its own and
/// builds the ``Wiring``, ``StepFrame`` and ``MetricFrame`` over them. Ordinary modules never need
/// these: the kernel resolves their names and owns their buffers.
extension InputRef {
    /// An input read from `slots` of the frame's signal buffers (one per key), last month's
    /// buffer when `delayed`; `produced[k]` says whether a module writes key `k`.
    public static func external(slots: [Int], delayed: Bool, produced: [Bool]) -> InputRef {
        InputRef(slots: slots, isDelayed: delayed, isProduced: produced)
    }
}

extension OutputRef {
    /// An output written to `count` consecutive slots from `base`.
    public static func external(base: Int, count: Int) -> OutputRef { OutputRef(base: base, count: count) }
}

extension ParameterRef {
    /// A parameter whose `count` values start at `base` in the frame's parameter buffer.
    public static func external(base: Int, count: Int) -> ParameterRef { ParameterRef(base: base, count: count) }
}

extension MetricRef {
    /// A metric whose `count` values start at `base` in the metric buffer.
    public static func external(base: Int, count: Int) -> MetricRef { MetricRef(base: base, count: count) }
}

extension Wiring {
    /// A wiring over an adapter's own buffer layout; lookups of names not in these tables throw
    /// exactly as in a composition, naming `module`.
    public static func external(
        module: String, inputs: [String: InputRef], outputs: [String: OutputRef],
        parameters: [String: ParameterRef], metrics: [String: MetricRef]
    ) -> Wiring {
        Wiring(module: module, inputs: inputs, outputs: outputs, parameters: parameters, metrics: metrics)
    }
}

extension StepFrame {
    /// A frame over an adapter's buffers: `current` and `previous` hold this month's and last
    /// month's signals, `parameters` the parameter values, `generator` the random stream. The
    /// buffers must outlive the call the frame is passed to.
    public static func external(
        monthIndex: Int, month: Month, current: UnsafeMutablePointer<Double>,
        previous: UnsafeMutablePointer<Double>, parameters: UnsafePointer<Double>,
        generator: UnsafeMutablePointer<SeededGenerator>
    ) -> StepFrame {
        StepFrame(
            monthIndex: monthIndex, month: month, current: current, previous: previous, parameters: parameters,
            generator: generator)
    }

    /// A copy of the run's generator, not advanced: derive an independent stream from it (a
    /// plugin seeds its own generator this way) without changing what other modules draw.
    public func forkedGenerator() -> SeededGenerator { generator.pointee }
}

extension MetricFrame {
    /// A metric frame over an adapter's buffer of metric values, for a run of `months` months.
    public static func external(values: UnsafeMutablePointer<Double>, months: Int) -> MetricFrame {
        MetricFrame(values: values, months: months)
    }
}

extension Registry {
    /// Loads the runtime plugin `spec` (a name such as `industry`, or a path) through the host's
    /// ``pluginLoader`` and registers its modules; returns their names. Errors name the plugin
    /// and say what is wrong (no loader installed, a bad file, a module name already taken).
    public mutating func loadPlugin(_ spec: String) throws -> [String] {
        guard let loader = pluginLoader else {
            throw RegistryError("this host cannot load plugins (`\(spec)`): no plugin loader is installed")
        }
        let loaded = try loader(spec)
        var names: [String] = []
        var copy = self
        for model in loaded {
            do { try copy.register(model: model) } catch {
                throw RegistryError("plugin `\(spec)`: \(error.message)")
            }
            names.append(model.name)
        }
        self = copy
        return names
    }
}

extension BatchFrame {
    /// A block frame over an adapter's buffers (the plugin kit's batch form): `current` and
    /// `previous` hold this month's and last month's signals and `parameters` the parameter
    /// values, each slot with the block's `width` runs side by side, and `generators` one random
    /// stream per run. The buffers must outlive the call the frame is passed to.
    public static func external(
        monthIndex: Int, month: Month, width: Int, current: UnsafeMutablePointer<Double>,
        previous: UnsafeMutablePointer<Double>, parameters: UnsafePointer<Double>,
        generators: UnsafeMutablePointer<SeededGenerator>
    ) -> BatchFrame {
        BatchFrame(
            monthIndex: monthIndex, month: month, width: width, current: current, previous: previous,
            parameters: parameters, generators: generators)
    }

    /// A copy of run `r`'s generator, not advanced: derive an independent stream from it (a
    /// plugin seeds each run's generator this way, exactly as ``StepFrame/forkedGenerator()``
    /// does for one run) without changing what other modules draw.
    public func forkedGenerator(run r: Int) -> SeededGenerator {
        precondition(r >= 0 && r < width, "run out of range")
        return generators[r]
    }
}

extension BatchMetricFrame {
    /// A metric frame over an adapter's buffer of metric values for a block of `width` runs
    /// (metric `j` of run `r` at `j · width + r`), for runs of `months` months.
    public static func external(values: UnsafeMutablePointer<Double>, width: Int, months: Int) -> BatchMetricFrame {
        BatchMetricFrame(values: values, width: width, months: months)
    }
}
