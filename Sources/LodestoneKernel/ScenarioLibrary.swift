/// A named collection of ready-made scenario pieces (`scenarios("2025-controls")`): documented
/// building blocks — a licensing regime, a halt, a contract — that a user composes into a
/// scenario of their own and varies (`s.add(lib.january_2026_japan(severity: 0.5))`).
///
/// Libraries are registered by the host (``Registry/register(scenarioLibrary:)``), like named
/// datasets, so that the scripting layer needs no dependency on where they are defined.
public struct ScenarioLibrary: Sendable {
    /// The name users write: `2025-controls`.
    public let name: String
    /// One paragraph: what the pieces describe and where their numbers come from.
    public let doc: String
    /// The dataset whose region and commodity codes the pieces use (`baseline-2026`).
    public let dataset: String
    /// The pieces, in the order `help("scenarios")` lists them.
    public let pieces: [ScenarioPiece]

    /// A library of `pieces` on `dataset`'s codes.
    public init(name: String, doc: String, dataset: String, pieces: [ScenarioPiece]) {
        self.name = name
        self.doc = doc
        self.dataset = dataset
        self.pieces = pieces
    }
}

/// One piece of a ``ScenarioLibrary``: a function of a few named arguments (a severity, a start
/// month) to the events it adds.
public struct ScenarioPiece: Sendable {
    /// A named argument with its default.
    public struct Argument: Sendable, Equatable {
        /// What kind of value it takes.
        public enum Kind: Sendable, Equatable {
            /// A number within `range` (a severity, a share, a value in USD/year).
            case number(default: Double, range: ClosedRange<Double>)
            /// A calendar month.
            case month(default: Month)
            /// A whole number of months, at least 0.
            case months(default: Int)
        }
        /// The argument's name (`severity`).
        public let name: String
        /// What it means, with its unit.
        public let doc: String
        /// Its kind and default.
        public let kind: Kind

        /// An argument.
        public init(_ name: String, _ doc: String, _ kind: Kind) {
            self.name = name
            self.doc = doc
            self.kind = kind
        }
    }

    /// The arguments' values for one call: the caller's, or the defaults.
    public struct Values: Sendable {
        let numbers: [String: Double]
        let months: [String: Month]

        /// Values by argument name (numbers, and months; counts of months are numbers).
        public init(numbers: [String: Double], months: [String: Month]) {
            self.numbers = numbers
            self.months = months
        }

        /// A number argument's value (0 if the piece declares no such argument).
        public func number(_ name: String) -> Double { numbers[name] ?? 0 }
        /// A month argument's value.
        public func month(_ name: String) -> Month { months[name] ?? Month(2026, 1) }
        /// A count of months (an integer argument).
        public func count(_ name: String) -> Int { Int(numbers[name] ?? 0) }
    }

    /// The piece's name, a valid identifier (`january_2026_japan`).
    public let name: String
    /// One line for listings.
    public let summary: String
    /// The events, their sources and the judgements behind their numbers.
    public let doc: String
    /// The named arguments.
    public let arguments: [Argument]
    /// The events for a set of argument values.
    public let events: @Sendable (Values) -> [ScenarioEvent]

    /// A piece.
    public init(
        _ name: String, summary: String, doc: String, arguments: [Argument],
        events: @escaping @Sendable (Values) -> [ScenarioEvent]
    ) {
        self.name = name
        self.summary = summary
        self.doc = doc
        self.arguments = arguments
        self.events = events
    }

    /// The events at the arguments' defaults, with `overrides` by name.
    public func events(numbers overrides: [String: Double] = [:], months monthOverrides: [String: Month] = [:])
        -> [ScenarioEvent]
    {
        var numbers: [String: Double] = [:]
        var months: [String: Month] = [:]
        for argument in arguments {
            switch argument.kind {
            case .number(let value, _): numbers[argument.name] = overrides[argument.name] ?? value
            case .months(let value): numbers[argument.name] = overrides[argument.name] ?? Double(value)
            case .month(let value): months[argument.name] = monthOverrides[argument.name] ?? value
            }
        }
        return events(Values(numbers: numbers, months: months))
    }
}
