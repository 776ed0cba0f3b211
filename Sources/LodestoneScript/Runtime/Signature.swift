import LodestoneKernel

/// The parameters of a built-in function or method: positional ones, an optional variadic tail,
/// and named ones; used to bind arguments, to explain mistakes, for `help` and for completion.
public struct Signature: Sendable {
    /// One parameter.
    public struct Parameter: Sendable {
        /// The name (`months`).
        public let name: String
        /// What it expects, as shown in help and errors (`a whole number`).
        public let expects: String
        /// Whether it must be given.
        public let isRequired: Bool

        /// Creates a parameter description.
        public init(_ name: String, _ expects: String, required: Bool = false) {
            self.name = name
            self.expects = expects
            self.isRequired = required
        }
    }

    /// The function or method name.
    public let name: String
    /// Parameters that may be given by position (or by name).
    public let positional: [Parameter]
    /// Any further positional arguments.
    public let variadic: Parameter?
    /// Parameters given only by name.
    public let named: [Parameter]
    /// One line saying what it does.
    public let summary: String

    /// Creates a signature.
    public init(
        _ name: String, positional: [Parameter] = [], variadic: Parameter? = nil, named: [Parameter] = [],
        summary: String
    ) {
        self.name = name
        self.positional = positional
        self.variadic = variadic
        self.named = named
        self.summary = summary
    }

    /// `run(model, scenario, start:, months:, seed:)`.
    public var usage: String {
        var parts = positional.map { $0.isRequired ? $0.name : "\($0.name)?" }
        if let variadic { parts.append("\(variadic.name)…") }
        parts += named.map { "\($0.name):" }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }

    /// Whether it takes a variadic tail (without copying ``variadic`` out).
    var hasVariadic: Bool { variadic?.isRequired != nil }

    /// Every argument name that may be written `name:`.
    public var labels: [String] { positional.map(\.name) + named.map(\.name) }

    /// Whether `label` may be written `label:` (``labels`` contains it), without making the list.
    func accepts(label: String) -> Bool {
        // By index: `contains` handed each parameter (two strings) over as a copy.
        for i in positional.indices where sameName(positional[i].name, label) { return true }
        for i in named.indices where sameName(named[i].name, label) { return true }
        return false
    }
}

/// Whether two argument names are the same: their lengths first (a word each for short names),
/// as most names differ in length and `==` on two different strings calls a comparison routine.
@inline(__always)
func sameName(_ a: String, _ b: String) -> Bool { a.utf8.count == b.utf8.count && a == b }

/// The values of bound arguments by parameter name: a list searched in order, as a call has a
/// handful of arguments whose names are short (compared in a word or two, where a dictionary
/// hashed every name it stored or looked up).
struct ArgumentValues {
    /// One bound argument (a struct: a tuple's copies went through the runtime's generic copy).
    private struct Entry {
        let name: String
        var value: Value
        var range: SourceRange
    }

    private var entries: [Entry] = []

    /// Whether no argument is bound.
    var isEmpty: Bool { entries.isEmpty }

    /// Makes room for `count` arguments.
    mutating func reserveCapacity(_ count: Int) { entries.reserveCapacity(count) }

    /// The argument bound to `name`; setting nil removes it.
    subscript(name: String) -> (value: Value, range: SourceRange)? {
        get {
            for i in entries.indices where sameName(entries[i].name, name) { return (entries[i].value, entries[i].range) }
            return nil
        }
        set {
            if let newValue {
                set(name, newValue.value, range: newValue.range)
            } else if let i = entries.firstIndex(where: { sameName($0.name, name) }) {
                entries.remove(at: i)
            }
        }
    }

    /// Binds `value` (written at `range`) to `name`, replacing what was bound to it.
    mutating func set(_ name: String, _ value: Value, range: SourceRange) {
        for i in entries.indices where sameName(entries[i].name, name) {
            entries[i].value = value
            entries[i].range = range
            return
        }
        entries.append(Entry(name: name, value: value, range: range))
    }

    /// Whether an argument is bound to `name`.
    func contains(_ name: String) -> Bool {
        for i in entries.indices where sameName(entries[i].name, name) { return true }
        return false
    }
}

/// Arguments bound to a ``Signature``, with typed accessors whose errors point at the argument.
public struct Arguments {
    /// The function's name, for messages.
    public let callee: String
    /// The whole call.
    public let callRange: SourceRange
    /// Values by parameter name.
    var values = ArgumentValues()
    /// The variadic tail.
    public internal(set) var rest: [(value: Value, range: SourceRange)] = []

    init(callee: String, callRange: SourceRange) {
        self.callee = callee
        self.callRange = callRange
    }

    /// Binds `arguments` (already evaluated) to `signature`.
    static func bind(
        _ arguments: [EvaluatedArgument],
        to signature: Signature, callee: String, callRange: SourceRange
    ) throws(ScriptError) -> Arguments {
        var bound = Arguments(callee: callee, callRange: callRange)
        // Sized once: growing from empty resized the table twice for a four-argument call.
        bound.values.reserveCapacity(arguments.count)
        var next = 0
        // By index, reading each field in place: a copy of a whole argument (a tuple holding a
        // value and two ranges) went through the runtime's generic tuple copy, ≈300 instructions.
        for i in arguments.indices {
            if let label = arguments[i].label {
                guard signature.accepts(label: label) else {
                    let labels = signature.labels
                    var message = "unknown argument `\(label):` for `\(callee)`"
                    if let close = NameHint.closest(to: label, among: labels) {
                        message += "; did you mean `\(close):`?"
                    }
                    message += labels.isEmpty
                        ? " (it takes no named arguments)" : " (arguments: \(labels.map { "\($0):" }.joined(separator: ", ")))"
                    throw ScriptError(message, at: arguments[i].labelRange)
                }
                guard !bound.values.contains(label) else {
                    throw ScriptError("argument `\(label)` of `\(callee)` is given twice", at: arguments[i].labelRange)
                }
                bound.values.set(label, arguments[i].value, range: arguments[i].range)
            } else if next < signature.positional.count {
                bound.values.set(signature.positional[next].name, arguments[i].value, range: arguments[i].range)
                next += 1
            } else if signature.hasVariadic {
                bound.rest.append((arguments[i].value, arguments[i].range))
            } else {
                let argument = arguments[i]
                let count = arguments.filter { $0.label == nil }.count
                let names = signature.positional.map(\.name).joined(separator: ", ")
                let takes =
                    signature.positional.isEmpty
                    ? "takes no positional arguments"
                    : "takes at most \(signature.positional.count) positional argument\(signature.positional.count == 1 ? "" : "s") (\(names))"
                var message = "`\(callee)` \(takes), got \(count)"
                if !signature.named.isEmpty {
                    message += "; name the others (\(signature.named.map { "\($0.name):" }.joined(separator: ", ")))"
                }
                throw ScriptError(message, at: argument.range)
            }
        }
        // Positional parameters first, then named ones (each list read in place, not joined).
        let given = bound.values
        func requireGiven(_ parameters: [Signature.Parameter]) throws(ScriptError) {
            // By index, without copying each parameter (two strings) out of the list.
            for i in parameters.indices where parameters[i].isRequired && !given.contains(parameters[i].name) {
                let parameter = parameters[i]
                let isNamed = signature.named.contains { $0.name == parameter.name }
                throw ScriptError(
                    "`\(callee)` needs \(isNamed ? "`\(parameter.name):`" : "`\(parameter.name)`") (\(parameter.expects)); usage: \(signature.usage)",
                    at: callRange)
            }
        }
        try requireGiven(signature.positional)
        try requireGiven(signature.named)
        // The optional parameter is read in place (a copy of it for every call cost two retains).
        if signature.variadic?.isRequired == true, bound.rest.isEmpty,
            signature.positional.allSatisfy({ bound.values.contains($0.name) })
        {
            if bound.values.isEmpty || signature.positional.isEmpty, let variadic = signature.variadic {
                throw ScriptError(
                    "`\(callee)` needs at least one \(variadic.name) (\(variadic.expects)); usage: \(signature.usage)",
                    at: callRange)
            }
        }
        return bound
    }

    /// Whether the argument was given.
    public func has(_ name: String) -> Bool { values.contains(name) }

    /// The argument's value, or nil.
    public func value(_ name: String) -> Value? { values[name]?.value }

    /// Where the argument is (the call when it was not given).
    public func range(_ name: String) -> SourceRange { values[name]?.range ?? callRange }

    func mismatch(_ name: String, _ expected: String, _ value: Value) -> ScriptError {
        ScriptError("`\(name)` of `\(callee)` expects \(expected), got \(ValueFormatter.describeForError(value))", at: range(name))
    }

    /// A number argument, or nil when not given (`none` counts as not given).
    public func number(_ name: String) throws(ScriptError) -> Double? {
        guard let value = value(name) else { return nil }
        switch value {
        case .number(let x):
            // ±∞ and NaN only come from an overflowing calculation (`1e308 * 10`); no argument
            // means them, and they would spread into every result.
            guard x.isFinite else {
                throw ScriptError(
                    "`\(name)` of `\(callee)` must be a finite number, got \(ValueFormatter.number(x)) (a calculation overflowed)",
                    at: range(name))
            }
            return x
        case .none: return nil
        default: throw mismatch(name, "a number", value)
        }
    }

    /// A number argument within `range`, or nil when not given.
    public func number(_ name: String, in bounds: ClosedRange<Double>) throws(ScriptError) -> Double? {
        guard let x = try number(name) else { return nil }
        guard bounds.contains(x) else {
            throw ScriptError(
                "`\(name)` of `\(callee)` must be within \(ParameterSet.format(bounds)), got \(ValueFormatter.number(x))",
                at: range(name))
        }
        return x
    }

    /// A whole-number argument, or nil when not given.
    public func integer(_ name: String, minimum: Int? = nil) throws(ScriptError) -> Int? {
        guard let x = try number(name) else { return nil }
        guard x == x.rounded(), abs(x) < 1e15 else {
            throw ScriptError("`\(name)` of `\(callee)` expects a whole number, got \(ValueFormatter.number(x))", at: range(name))
        }
        if let minimum, Int(x) < minimum {
            throw ScriptError("`\(name)` of `\(callee)` must be at least \(minimum), got \(Int(x))", at: range(name))
        }
        return Int(x)
    }

    /// A string argument, or nil when not given.
    public func string(_ name: String) throws(ScriptError) -> String? {
        guard let value = value(name) else { return nil }
        switch value {
        case .string(let s): return s
        case .none: return nil
        default: throw mismatch(name, "a string", value)
        }
    }

    /// A bool argument, or nil when not given.
    public func bool(_ name: String) throws(ScriptError) -> Bool? {
        guard let value = value(name) else { return nil }
        switch value {
        case .bool(let b): return b
        case .none: return nil
        default: throw mismatch(name, "true or false", value)
        }
    }

    /// A month argument, or nil when not given.
    public func month(_ name: String) throws(ScriptError) -> Month? {
        guard let value = value(name) else { return nil }
        switch value {
        case .month(let m): return m
        case .none: return nil
        case .string(let s):
            if let m = Month(s) { return m }
            throw mismatch(name, "a month such as 2026-03", value)
        default: throw mismatch(name, "a month such as 2026-03", value)
        }
    }

    /// A required argument (the binder already checked presence for required parameters).
    public func required(_ name: String) throws(ScriptError) -> Value {
        guard let value = value(name) else {
            throw ScriptError("`\(callee)` needs `\(name)`", at: callRange)
        }
        return value
    }
}
