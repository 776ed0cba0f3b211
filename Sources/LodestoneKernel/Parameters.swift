/// A parameter of one module in a composition, with the position of its values.
public struct ParameterEntry: Sendable, Equatable {
    /// The module's name.
    public let module: String
    /// The declaration.
    public let declaration: ParameterDeclaration
    /// Index of its first value in ``ParameterSet/values``.
    public let base: Int
    /// `module.name`.
    public var path: String { "\(module).\(declaration.name)" }
}

/// A problem with a parameter path or value, naming the path and what is valid.
public struct ParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message, starting with the path.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message, starting with the path.
    public var description: String { message }
}

/// The values of every parameter of a set of modules on a dataset, with validation.
///
/// Paths are `module.name` for every key, or `module.name[selector]` for the keys matching the
/// selector: a key matches when it contains each `/`-separated part of the selector
/// (`cover_days["JP"]` sets `JP/NdPr`, `JP/DyTb`, `JP/Other`; `["JP/DyTb"]` one of them).
public struct ParameterSet: Sendable, Equatable {
    /// The parameters, in module then declaration order.
    public let entries: [ParameterEntry]
    /// All values, flat: entry `e`'s key `k` is at `e.base + k`.
    public private(set) var values: [Double]
    private let index: [String: Int]

    /// The parameters of `models` on `dataset`, at their defaults.
    public init(models: [any Model], dataset: Dataset) {
        var entries: [ParameterEntry] = []
        var values: [Double] = []
        var index: [String: Int] = [:]
        for model in models {
            for declaration in model.parameters(for: dataset) {
                let entry = ParameterEntry(module: model.name, declaration: declaration, base: values.count)
                index[entry.path] = entries.count
                entries.append(entry)
                values.append(contentsOf: declaration.defaults)
            }
        }
        self.entries = entries
        self.values = values
        self.index = index
    }

    /// The entry for `module.name`, or nil.
    public func entry(_ path: String) -> ParameterEntry? { index[path].map { entries[$0] } }

    /// The reference a module instance uses to read `name`.
    func ref(module: String, name: String) -> ParameterRef? {
        entry("\(module).\(name)").map { ParameterRef(base: $0.base, count: $0.declaration.count) }
    }

    /// Splits `module.name[selector]` into its parts, validating the form.
    public static func split(_ path: String) throws(ParameterError) -> (path: String, selector: String?) {
        var base = path
        var selector: String?
        if let open = path.firstIndex(of: "[") {
            guard path.hasSuffix("]") else {
                throw ParameterError("`\(path)`: expected `module.name[key]` with a closing `]`")
            }
            base = String(path[..<open])
            var inner = String(path[path.index(after: open)..<path.index(before: path.endIndex)])
            if inner.count >= 2, inner.first == "\"", inner.last == "\"" { inner = String(inner.dropFirst().dropLast()) }
            selector = inner
        }
        guard base.split(separator: ".", omittingEmptySubsequences: false).count == 2 else {
            throw ParameterError("`\(path)`: expected a parameter path `module.name` or `module.name[key]`")
        }
        return (base, selector)
    }

    /// The positions in ``values`` that `path` (with optional selector) addresses.
    public func positions(_ path: String) throws(ParameterError) -> [Int] {
        let (base, selector) = try Self.split(path)
        guard let entry = entry(base) else {
            let module = String(base.split(separator: ".").first ?? "")
            let modules = Set(entries.map(\.module))
            if !modules.contains(module) {
                throw ParameterError(
                    "unknown module `\(module)` in `\(path)`" + Suggestions.hint(for: module, among: modules.sorted())
                        + (modules.isEmpty ? "" : " (modules: \(modules.sorted().joined(separator: ", ")))"))
            }
            let name = String(base.split(separator: ".").last ?? "")
            let names = entries.filter { $0.module == module }.map(\.declaration.name)
            // A close name is the likely intent; with none, the whole list says what there is.
            let hint = Suggestions.hint(for: name, among: names)
            throw ParameterError(
                "unknown parameter `\(name)` of module `\(module)`"
                    + (hint.isEmpty ? " (parameters: \(names.joined(separator: ", ")))" : hint))
        }
        return try positions(entry: entry, selector: selector, path: path)
    }

    private func positions(entry: ParameterEntry, selector: String?, path: String) throws(ParameterError) -> [Int] {
        let keys = entry.declaration.keys
        guard let selector, !selector.isEmpty else { return Array(entry.base..<entry.base + entry.declaration.count) }
        guard !keys.isEmpty else {
            throw ParameterError("`\(entry.path)` is a single value and takes no key (got `[\(selector)]`)")
        }
        let parts = selector.split(separator: "/").map(String.init)
        var found: [Int] = []
        for (k, key) in keys.enumerated() {
            let components = Set(key.split(separator: "/").map(String.init))
            if parts.allSatisfy(components.contains) { found.append(entry.base + k) }
        }
        guard !found.isEmpty else {
            throw ParameterError(
                "`\(path)`: no key matches `\(selector)`" + Suggestions.hint(for: selector, among: keys)
                    + " (keys: \(keys.prefix(12).joined(separator: ", "))\(keys.count > 12 ? ", …" : ""))")
        }
        return found
    }

    /// Whether `other` stores the same parameters at the same positions (cheap: names and bases).
    public func hasLayout(of other: ParameterSet) -> Bool {
        guard entries.count == other.entries.count, values.count == other.values.count else { return false }
        // Copies of one set share their entries' storage: no need to compare the names.
        let sameStorage = entries.withUnsafeBufferPointer { a in
            other.entries.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress }
        }
        if sameStorage { return true }
        for (a, b) in zip(entries, other.entries)
        where a.base != b.base || a.module != b.module || a.declaration.name != b.declaration.name {
            return false
        }
        return true
    }

    /// Sets the value at a position (from ``positions(_:)``), clamped into the parameter's range;
    /// ensembles use it for drawn values.
    public mutating func setClamped(position: Int, to value: Double) {
        guard position >= 0, position < values.count else { return }
        values[position] = clamped(value, at: position)
    }

    /// `value` clamped into the range of the parameter at `position`; NaN gives that key's default.
    public func clamped(_ value: Double, at position: Int) -> Double {
        guard let entry = entries.last(where: { $0.base <= position }) else { return value }
        let range = entry.declaration.range
        return value.isNaN ? entry.declaration.defaults[min(position - entry.base, entry.declaration.defaults.count - 1)]
            : min(max(value, range.lowerBound), range.upperBound)
    }

    /// Sets every value `path` addresses, checking the range.
    public mutating func set(_ path: String, to value: Double) throws(ParameterError) {
        let positions = try positions(path)
        let entry = entries.last { $0.base <= positions[0] }!
        let range = entry.declaration.range
        guard !value.isNaN, range.contains(value) else {
            throw ParameterError(
                "`\(path)` = \(Self.format(value)) is out of range: expected \(Self.format(range)) \(entry.declaration.unit)")
        }
        for position in positions { values[position] = value }
    }

    /// The values `path` addresses, as (key, value) pairs ("" for a scalar).
    public func values(_ path: String) throws(ParameterError) -> [(key: String, value: Double)] {
        let positions = try positions(path)
        let entry = entries.last { $0.base <= positions[0] }!
        return positions.map { position in
            let k = position - entry.base
            return (entry.declaration.keys.isEmpty ? "" : entry.declaration.keys[k], values[position])
        }
    }

    /// Every `path[key] = value` that differs from its default.
    public var changes: [(path: String, value: Double)] {
        var result: [(String, Double)] = []
        for entry in entries {
            for k in 0..<entry.declaration.count where values[entry.base + k] != entry.declaration.defaults[k] {
                let key = entry.declaration.keys.isEmpty ? "" : "[\(entry.declaration.keys[k])]"
                result.append((entry.path + key, values[entry.base + k]))
            }
        }
        return result
    }

    /// Every `path[key] = value`, for exports.
    public var all: [(path: String, value: Double)] {
        entries.flatMap { entry in
            (0..<entry.declaration.count).map { k in
                let key = entry.declaration.keys.isEmpty ? "" : "[\(entry.declaration.keys[k])]"
                return (entry.path + key, values[entry.base + k])
            }
        }
    }

    /// A number as users write it: `5`, `0.1`, `∞`.
    public static func format(_ value: Double) -> String {
        if value.isInfinite { return value < 0 ? "-∞" : "∞" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// A range as users read it: `0…365`, `0…∞`.
    public static func format(_ range: ClosedRange<Double>) -> String {
        "\(format(range.lowerBound))…\(format(range.upperBound))"
    }

    /// Two sets are equal when they hold the same parameters with the same values.
    public static func == (lhs: ParameterSet, rhs: ParameterSet) -> Bool {
        lhs.entries == rhs.entries && lhs.values == rhs.values
    }
}
