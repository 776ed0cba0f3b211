/// A named set of parameter values a module ships: `model(trade, stockpile, preset: "v1")` sets
/// every module that knows the preset to its values, and leaves the others at their defaults.
///
/// Presets keep earlier results reproducible (`v1` turns every mechanism of the market model v2
/// off, so that the equations are those of Lodestone 1) and name documented calibrations. A
/// preset lists only the parameters it changes; keys follow parameter paths (`max_thrifting`
/// sets every key, `cover_days[JP]` some of them).
///
/// ## Declaring presets
///
/// Return them from ``Model/presets(for:)``:
///
/// ```swift
/// func presets(for dataset: Dataset) -> [Preset] {
///     [Preset("v1", doc: "Lodestone 1's equations", values: [("hoard_months", 0)])]
/// }
/// ```
public struct Preset: Sendable, Equatable {
    /// The name users write (`v1`).
    public var name: String
    /// What the preset is for, in one line.
    public var doc: String
    /// Parameter paths relative to the module (`thrifting_per_year`, `cover_days[JP]`) and their
    /// values, applied in order.
    public var values: [Assignment]

    /// One parameter setting of a preset.
    public struct Assignment: Sendable, Equatable {
        /// The path relative to the module (`max_thrifting`, `cover_days[JP]`).
        public var path: String
        /// The value, in the parameter's unit.
        public var value: Double
    }

    /// Creates a preset from `(path, value)` pairs.
    public init(_ name: String, doc: String, values: [(String, Double)]) {
        self.name = name
        self.doc = doc
        self.values = values.map { Assignment(path: $0.0, value: $0.1) }
    }
}

extension Model {
    /// Default: no presets.
    public func presets(for dataset: Dataset) -> [Preset] { [] }
}

extension ParameterSet {
    /// Applies the preset `name` of every module of `models` that ships one; the others keep
    /// their values. Throws when no module knows the name (listing the presets that exist) or a
    /// preset sets a parameter outside its range.
    public mutating func apply(preset name: String, of models: [any Model], dataset: Dataset) throws(ParameterError) {
        var known: [String] = []
        var applied = false
        for model in models {
            let presets = model.presets(for: dataset)
            for preset in presets where !known.contains(preset.name) { known.append(preset.name) }
            guard let preset = presets.first(where: { $0.name == name }) else { continue }
            applied = true
            for assignment in preset.values {
                do { try set("\(model.name).\(assignment.path)", to: assignment.value) } catch {
                    throw ParameterError("preset `\(name)` of `\(model.name)`: \(error.message)")
                }
            }
        }
        guard applied else {
            let list = known.isEmpty ? "these modules ship no presets" : "presets: \(known.joined(separator: ", "))"
            throw ParameterError("unknown preset `\(name)`" + Suggestions.hint(for: name, among: known) + " (\(list))")
        }
    }
}
