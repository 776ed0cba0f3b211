import LodestoneKernel

/// One failed conformance check: which check, and a message naming the parameter, signal,
/// balance or month at fault and what was expected.
public struct ConformanceFinding: Sendable, Equatable, CustomStringConvertible {
    /// The kinds of check the kit runs.
    public enum Check: String, Sendable, Equatable, CaseIterable {
        /// Parameters, outputs and metrics are documented, have units, unique keys and valid defaults.
        case declarations
        /// The model reads or writes only names it declared (``Wiring`` refuses anything else).
        case undeclaredAccess = "undeclared access"
        /// The model composes with its companions on the dataset and scenario.
        case composition
        /// A run completes (no step reports an error).
        case run
        /// Two runs with the same seed are bit-identical.
        case determinism
        /// No signal or metric is NaN or infinite, at the defaults and over random valid parameters.
        case finiteness
        /// Every declared balance holds within its tolerance.
        case balance
        /// A module producing one of the market's open inputs offers no negative supply, and
        /// trade's balance holds with it in the composition.
        case openInputs = "open inputs"
        /// Runs stepped in blocks (the batch form) compute bit for bit what each computes alone.
        case blocks
    }
    /// The check that failed.
    public var check: Check
    /// What is wrong, naming the place and what was expected.
    public var message: String
    /// Creates a finding.
    public init(_ check: Check, _ message: String) {
        self.check = check
        self.message = message
    }
    /// `[check] message`.
    public var description: String { "[\(check.rawValue)] \(message)" }
}
