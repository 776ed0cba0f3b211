import LodestoneKernel

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The static manifest a plugin exports (`lodestone_plugin.manifest`): who it is and which model
/// modules it contains. What each module declares depends on the dataset and is asked for with
/// `describe` (see ``PluginDescription``).
public struct PluginManifest: Codable, Sendable, Equatable {
    /// One model module of the plugin.
    public struct Entry: Codable, Sendable, Equatable {
        /// The module's name (`industry`): letters, digits and `_`.
        public var name: String
        /// One line for `:modules`.
        public var summary: String
        /// Creates an entry.
        public init(name: String, summary: String) {
            self.name = name
            self.summary = summary
        }
    }
    /// The plugin's name, for messages (usually the library's `NAME` in `libNAME.so`).
    public var plugin: String
    /// The plugin's own version, free text (`1.0.0`).
    public var version: String
    /// Its model modules, in table order (the `model` index of `describe` and `prepare`).
    public var models: [Entry]
    /// Creates a manifest.
    public init(plugin: String, version: String, models: [Entry]) {
        self.plugin = plugin
        self.version = version
        self.models = models
    }
}

/// A model's declarations on one dataset and scenario, as JSON crosses the plugin boundary
/// (`describe`): the same information as ``ParameterDeclaration`` and ``ModelInterface``.
public struct PluginDescription: Codable, Sendable, Equatable {
    /// A parameter: name, unit, valid range `lower...upper`, keys and one default per key.
    public struct Parameter: Codable, Sendable, Equatable {
        /// The name (`substitution_per_year`).
        public var name: String
        /// The unit symbol.
        public var unit: String
        /// Lower bound of the valid range (may be `-inf`).
        public var lower: Double
        /// Upper bound of the valid range (may be `inf`).
        public var upper: Double
        /// The keys; empty for a scalar.
        public var keys: [String]
        /// One default per key (one value for a scalar).
        public var defaults: [Double]
        /// What it does.
        public var doc: String
    }
    /// A signal the model reads.
    public struct Input: Codable, Sendable, Equatable {
        /// The qualified signal (`stockpile.unmet`).
        public var signal: String
        /// The keys read, in buffer order.
        public var keys: [String]
        /// The unit expected.
        public var unit: String
        /// `current` or `delayed`.
        public var timing: String
        /// `nil` for a required input; the value read for keys nothing produces otherwise.
        public var fallback: Double?
        /// What the model uses it for.
        public var doc: String
        /// `true` for a summed input (``InputDeclaration/isSummed``: any number of modules may
        /// produce it, the kernel adds them up key by key); absent means false.
        public var summed: Bool?
    }
    /// A signal the model writes every month.
    public struct Output: Codable, Sendable, Equatable {
        /// The local name (`output_at_risk`).
        public var name: String
        /// The keys.
        public var keys: [String]
        /// The unit.
        public var unit: String
        /// What it means.
        public var doc: String
        /// `true` for a headline signal (``OutputDeclaration/isHeadline``); absent means false.
        public var headline: Bool?
        /// A short name in words for charts (``OutputDeclaration/title``); absent: derived from the name.
        public var title: String?
    }
    /// A scalar the model reports once per run.
    public struct Metric: Codable, Sendable, Equatable {
        /// The local name (`output_at_risk_total`).
        public var name: String
        /// The keys.
        public var keys: [String]
        /// `quantity` or `month`.
        public var kind: String
        /// The unit of a quantity (ignored for a month).
        public var unit: String
        /// What it means.
        public var doc: String
    }
    /// The parameters, in order.
    public var parameters: [Parameter]
    /// The inputs, in buffer order.
    public var inputs: [Input]
    /// The outputs, in buffer order.
    public var outputs: [Output]
    /// The metrics, in buffer order.
    public var metrics: [Metric]

    /// The description of kernel declarations (the plugin side).
    public init(parameters: [ParameterDeclaration], interface: ModelInterface) {
        self.parameters = parameters.map {
            Parameter(
                name: $0.name, unit: $0.unit.symbol, lower: $0.range.lowerBound, upper: $0.range.upperBound,
                keys: $0.keys,
                defaults: $0.defaults, doc: $0.doc)
        }
        inputs = interface.inputs.map {
            Input(
                signal: $0.signal, keys: $0.keys, unit: $0.unit.symbol,
                timing: $0.timing == .delayed ? "delayed" : "current",
                fallback: $0.fallback, doc: $0.doc, summed: $0.isSummed ? true : nil)
        }
        outputs = interface.outputs.map {
            Output(
                name: $0.name, keys: $0.keys, unit: $0.unit.symbol, doc: $0.doc, headline: $0.isHeadline ? true : nil,
                title: $0.title.isEmpty ? nil : $0.title)
        }
        metrics = interface.metrics.map {
            switch $0.kind {
            case .month: Metric(name: $0.name, keys: $0.keys, kind: "month", unit: UnitSymbol.month.symbol, doc: $0.doc)
            case .quantity(let unit):
                Metric(name: $0.name, keys: $0.keys, kind: "quantity", unit: unit.symbol, doc: $0.doc)
            }
        }
    }

    /// The kernel's parameter declarations, after checking every field; errors name the
    /// parameter (`parameters[2] (cover_days): …`).
    public func parameterDeclarations() throws(PluginFormatError) -> [ParameterDeclaration] {
        var seen = Set<String>()
        var result: [ParameterDeclaration] = []
        for (p, parameter) in parameters.enumerated() {
            let place = "parameters[\(p)] (\(parameter.name))"
            try Self.checkName(parameter.name, place: place)
            guard seen.insert(parameter.name).inserted else { throw PluginFormatError("\(place): declared twice") }
            try Self.checkUnit(parameter.unit, place: place)
            guard !parameter.lower.isNaN, !parameter.upper.isNaN, parameter.lower <= parameter.upper else {
                throw PluginFormatError(
                    "\(place): expected a range lower ≤ upper, got \(ParameterSet.format(parameter.lower))…\(ParameterSet.format(parameter.upper))"
                )
            }
            try Self.checkKeys(parameter.keys, place: place)
            let expected = max(1, parameter.keys.count)
            guard parameter.defaults.count == expected else {
                throw PluginFormatError(
                    "\(place): expected \(expected) default\(expected == 1 ? "" : "s") (one per key), got \(parameter.defaults.count)"
                )
            }
            let range = parameter.lower...parameter.upper
            if let bad = parameter.defaults.firstIndex(where: { $0.isNaN || !range.contains($0) }) {
                let key = parameter.keys.isEmpty ? "" : "[\(parameter.keys[bad])]"
                throw PluginFormatError(
                    "\(place): default\(key) = \(ParameterSet.format(parameter.defaults[bad])) is outside its range \(ParameterSet.format(range))"
                )
            }
            result.append(
                parameter.keys.isEmpty
                    ? ParameterDeclaration(
                        parameter.name, unit: UnitSymbol(parameter.unit), default: parameter.defaults[0], range: range,
                        doc: parameter.doc)
                    : ParameterDeclaration(
                        parameter.name, unit: UnitSymbol(parameter.unit), keys: parameter.keys,
                        defaults: parameter.defaults,
                        range: range, doc: parameter.doc))
        }
        return result
    }

    /// The kernel's interface, after checking every field; errors name the declaration.
    public func modelInterface() throws(PluginFormatError) -> ModelInterface {
        var interface = ModelInterface()
        var seen = Set<String>()
        for (j, input) in inputs.enumerated() {
            let place = "inputs[\(j)] (\(input.signal))"
            let parts = input.signal.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw PluginFormatError("\(place): expected a qualified signal `module.name`")
            }
            guard seen.insert(input.signal).inserted else { throw PluginFormatError("\(place): declared twice") }
            try Self.checkUnit(input.unit, place: place)
            try Self.checkKeys(input.keys, place: place)
            let timing: InputTiming
            switch input.timing {
            case "current": timing = .current
            case "delayed": timing = .delayed
            default: throw PluginFormatError("\(place): timing: expected `current` or `delayed`, got `\(input.timing)`")
            }
            interface.inputs.append(
                InputDeclaration(
                    input.signal, keys: input.keys, unit: UnitSymbol(input.unit), timing: timing,
                    fallback: input.fallback, summed: input.summed ?? false,
                    doc: input.doc))
        }
        seen = []
        for (j, output) in outputs.enumerated() {
            let place = "outputs[\(j)] (\(output.name))"
            if output.name.contains(".") {
                let parts = output.name.split(separator: ".", omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw PluginFormatError("\(place): expected `name` or `module.name`") }
                for part in parts { try Self.checkName(String(part), place: place) }
            } else {
                try Self.checkName(output.name, place: place)
            }
            guard seen.insert(output.name).inserted else { throw PluginFormatError("\(place): declared twice") }
            try Self.checkUnit(output.unit, place: place)
            try Self.checkKeys(output.keys, place: place)
            interface.outputs.append(
                OutputDeclaration(
                    output.name, keys: output.keys, unit: UnitSymbol(output.unit), doc: output.doc,
                    headline: output.headline ?? false, title: output.title ?? ""))
        }
        seen = []
        for (j, metric) in metrics.enumerated() {
            let place = "metrics[\(j)] (\(metric.name))"
            try Self.checkName(metric.name, place: place)
            guard seen.insert(metric.name).inserted else { throw PluginFormatError("\(place): declared twice") }
            try Self.checkKeys(metric.keys, place: place)
            let kind: MetricKind
            switch metric.kind {
            case "month": kind = .month
            case "quantity":
                try Self.checkUnit(metric.unit, place: place)
                kind = .quantity(UnitSymbol(metric.unit))
            default: throw PluginFormatError("\(place): kind: expected `quantity` or `month`, got `\(metric.kind)`")
            }
            interface.metrics.append(MetricDeclaration(metric.name, keys: metric.keys, kind: kind, doc: metric.doc))
        }
        return interface
    }

    /// Number of doubles in the inputs buffer.
    public var inputCount: Int { inputs.reduce(0) { $0 + max(1, $1.keys.count) } }
    /// Number of doubles in the outputs buffer.
    public var outputCount: Int { outputs.reduce(0) { $0 + max(1, $1.keys.count) } }
    /// Number of doubles in the parameters buffer.
    public var parameterCount: Int { parameters.reduce(0) { $0 + max(1, $1.keys.count) } }
    /// Number of doubles in the metrics buffer.
    public var metricCount: Int { metrics.reduce(0) { $0 + max(1, $1.keys.count) } }

    static func checkName(_ name: String, place: String) throws(PluginFormatError) {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw PluginFormatError("\(place): `\(name)` is not a valid name (letters, digits and _ only)")
        }
    }

    static func checkUnit(_ unit: String, place: String) throws(PluginFormatError) {
        guard !unit.isEmpty else {
            throw PluginFormatError("\(place): expected a unit symbol (`1` for a share), got \"\"")
        }
    }

    static func checkKeys(_ keys: [String], place: String) throws(PluginFormatError) {
        var seen = Set<String>()
        for key in keys {
            guard !key.isEmpty else { throw PluginFormatError("\(place): keys: an empty key") }
            guard seen.insert(key).inserted else { throw PluginFormatError("\(place): keys: `\(key)` appears twice") }
        }
    }
}

/// What is wrong with JSON a plugin returned (or a host sent), naming the field.
public struct PluginFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message, starting with the field's path.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// The dataset and scenario a plugin sees, as JSON (`describe` and `prepare`).
struct PluginContext: Codable {
    struct DatasetJSON: Codable {
        var name: String
        var description: String
        var regions: [Region]
        var commodities: [Commodity]
        var consumption: [RegionQuantity]
        var flows: [TradeFlow]
        var capacities: [RegionQuantity]
        var stockpiles: [StockpileCover]
        var sources: [Citation]
    }
    struct EventJSON: Codable {
        var kind: String
        var from: String?
        var to: String?
        var region: String?
        var commodity: String?
        var share: Double?
        var severity: Double?
        var boost: Double?
        var factor: Double?
        var path: String?
        var value: Double?
        /// Tonnes per year, for `quota`, `offtake` and `new_capacity`.
        var tonnes: Double?
        var start: Month
        var months: Int?
    }
    struct ScenarioJSON: Codable {
        var name: String
        var events: [EventJSON]
    }
    var dataset: DatasetJSON
    var scenario: ScenarioJSON

    init(_ context: ModelContext) {
        let d = context.dataset
        dataset = DatasetJSON(
            name: d.name, description: d.description, regions: d.regions, commodities: d.commodities,
            consumption: d.consumption, flows: d.flows, capacities: d.capacities, stockpiles: d.stockpiles,
            sources: d.sources)
        scenario = ScenarioJSON(
            name: context.scenario.name,
            events: context.scenario.events.map { event in
                switch event {
                case .restrict(let from, let to, let commodity, let share, let start, let months):
                    EventJSON(
                        kind: "restrict", from: from, to: to, commodity: commodity, share: share, start: start,
                        months: months)
                case .incident(let from, let to, let severity, let at):
                    EventJSON(kind: "incident", from: from, to: to, severity: severity, start: at)
                case .talks(let from, let to, let boost, let at):
                    EventJSON(kind: "talks", from: from, to: to, boost: boost, start: at)
                case .set(let path, let value, let at):
                    EventJSON(kind: "set", path: path, value: value, start: at)
                case .demand(let region, let commodity, let factor, let start, let months):
                    EventJSON(
                        kind: "demand", region: region, commodity: commodity, factor: factor, start: start,
                        months: months)
                case .capacity(let region, let commodity, let factor, let start, let months):
                    EventJSON(
                        kind: "capacity", region: region, commodity: commodity, factor: factor, start: start,
                        months: months)
                case .quota(let from, let commodity, let tonnes, let start, let months):
                    EventJSON(kind: "quota", from: from, commodity: commodity, tonnes: tonnes, start: start, months: months)
                case .offtake(let from, let to, let commodity, let tonnes, let start, let months):
                    EventJSON(
                        kind: "offtake", from: from, to: to, commodity: commodity, tonnes: tonnes, start: start,
                        months: months)
                case .newCapacity(let region, let commodity, let tonnes, let start):
                    EventJSON(kind: "new_capacity", region: region, commodity: commodity, tonnes: tonnes, start: start)
                }
            })
    }

    /// The kernel's context; errors name the event.
    func modelContext() throws(PluginFormatError) -> ModelContext {
        let d = dataset
        let data = Dataset(
            name: d.name, description: d.description, regions: d.regions, commodities: d.commodities,
            consumption: d.consumption, flows: d.flows, capacities: d.capacities, stockpiles: d.stockpiles,
            sources: d.sources)
        var result = Scenario(scenario.name)
        for (n, e) in scenario.events.enumerated() {
            func need<T>(_ value: T?, _ field: String) throws(PluginFormatError) -> T {
                guard let value else {
                    throw PluginFormatError("scenario.events[\(n)] (\(e.kind)): missing `\(field)`")
                }
                return value
            }
            switch e.kind {
            case "restrict":
                result.add(
                    .restrict(
                        from: try need(e.from, "from"), to: e.to, commodity: e.commodity,
                        share: try need(e.share, "share"),
                        start: e.start, months: e.months))
            case "incident":
                result.add(
                    .incident(
                        from: try need(e.from, "from"), to: try need(e.to, "to"),
                        severity: try need(e.severity, "severity"), at: e.start))
            case "talks":
                result.add(
                    .talks(
                        from: try need(e.from, "from"), to: try need(e.to, "to"), boost: try need(e.boost, "boost"),
                        at: e.start))
            case "set":
                result.add(.set(path: try need(e.path, "path"), value: try need(e.value, "value"), at: e.start))
            case "demand":
                result.add(
                    .demand(
                        region: try need(e.region, "region"), commodity: e.commodity,
                        factor: try need(e.factor, "factor"),
                        start: e.start, months: e.months))
            case "capacity":
                result.add(
                    .capacity(
                        region: try need(e.region, "region"), commodity: e.commodity,
                        factor: try need(e.factor, "factor"),
                        start: e.start, months: e.months))
            case "quota":
                result.add(
                    .quota(
                        from: try need(e.from, "from"), commodity: e.commodity, tonnesPerYear: try need(e.tonnes, "tonnes"),
                        start: e.start, months: e.months))
            case "offtake":
                result.add(
                    .offtake(
                        from: try need(e.from, "from"), to: try need(e.to, "to"),
                        commodity: try need(e.commodity, "commodity"), tonnesPerYear: try need(e.tonnes, "tonnes"),
                        start: e.start, months: e.months))
            case "new_capacity":
                result.add(
                    .newCapacity(
                        region: try need(e.region, "region"), commodity: try need(e.commodity, "commodity"),
                        tonnesPerYear: try need(e.tonnes, "tonnes"), start: e.start))
            default:
                throw PluginFormatError("scenario.events[\(n)]: unknown event kind `\(e.kind)`")
            }
        }
        return ModelContext(dataset: data, scenario: result)
    }
}

/// JSON coding shared by both sides of the boundary: non-finite numbers as `"inf"`, `"-inf"`,
/// `"nan"`, and decoding errors rendered with the path of the offending field.
enum PluginJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String, what: String) throws(PluginFormatError) -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw PluginFormatError("\(what): \(describe(error))")
        } catch {
            throw PluginFormatError("\(what): \(error)")
        }
    }

    /// `models[0].name: expected a string`, `missing field `version``, `not valid JSON (…)`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text
        }
        func at(_ keys: [any CodingKey]) -> String { keys.isEmpty ? "" : "\(path(keys)): " }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(at(context.codingPath))missing field `\(key.stringValue)`"
        case .typeMismatch(let type, let context):
            return "\(at(context.codingPath))expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(at(context.codingPath))expected \(typeName(type)), got null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "\(at(context.codingPath))\(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Double.Type, is Int.Type, is UInt32.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }
}
