import Foundation
import LodestoneKernel

extension Session {
    private static func unaryMath(
        _ name: String, _ summary: String, domain: String? = nil, valid: @escaping @Sendable (Double) -> Bool = { _ in true },
        _ f: @escaping @Sendable (Double) -> Double
    ) -> Builtin {
        builtin(name, positional: [.init("x", domain ?? "a number", required: true)], summary: summary) { _, args throws(ScriptError) in
            let x = try numberArgument(args, "x")
            guard valid(x) else {
                throw ScriptError("`\(name)` needs \(domain ?? "a number"), got \(ValueFormatter.number(x))", at: args.range("x"))
            }
            let y = f(x)
            guard y.isFinite else {
                throw ScriptError("`\(name)(\(ValueFormatter.number(x)))` is too large (beyond ±1.8e308, the largest number)", at: args.callRange)
            }
            return .number(y)
        }
    }

    /// The values to aggregate: a list argument, or several numbers.
    private static func aggregateInput(_ args: Arguments, session: Session) throws(ScriptError) -> [Double] {
        if args.rest.count == 1 {
            let (value, range) = args.rest[0]
            if case .number(let x) = value { return [x] }
            var bound = Arguments(callee: args.callee, callRange: args.callRange)
            bound.values["values"] = (value, range)
            return try numbers(value, bound, "values", session: session)
        }
        var out: [Double] = []
        for (value, range) in args.rest {
            guard case .number(let x) = value else {
                throw ScriptError("`\(args.callee)` expects numbers or one list of numbers, got \(ValueFormatter.describeForError(value))", at: range)
            }
            out.append(x)
        }
        return out
    }

    private static func aggregate(
        _ name: String, _ summary: String, emptyIsZero: Bool, _ f: @escaping @Sendable ([Double]) -> Double
    ) -> Builtin {
        builtin(name, variadic: .init("values", "a list of numbers, or numbers", required: true), summary: summary) {
            session, args throws(ScriptError) in
            let xs = try aggregateInput(args, session: session)
            if xs.isEmpty {
                if emptyIsZero { return .number(0) }
                throw ScriptError("`\(name)` of an empty list has no value", at: args.callRange)
            }
            let y = f(xs)
            guard y.isFinite else {
                throw ScriptError("the `\(name)` of these values is too large (beyond ±1.8e308, the largest number)", at: args.callRange)
            }
            return .number(y)
        }
    }

    static let mathBuiltins: [Builtin] = [
        unaryMath("abs", "the absolute value") { abs($0) },
        unaryMath("sqrt", "the square root", domain: "a number ≥ 0", valid: { $0 >= 0 }) { $0.squareRoot() },
        unaryMath("floor", "the largest whole number ≤ x") { $0.rounded(.down) },
        unaryMath("ceil", "the smallest whole number ≥ x") { $0.rounded(.up) },
        unaryMath("exp", "e to the power x") { Foundation.exp($0) },
        unaryMath("log", "the natural logarithm", domain: "a number > 0", valid: { $0 > 0 }) { Foundation.log($0) },
        builtin(
            "round", positional: [.init("x", "a number", required: true), .init("digits", "decimal places (default 0)")],
            summary: "x rounded half away from zero"
        ) { _, args throws(ScriptError) in
            let x = try numberArgument(args, "x")
            let digits = try args.integer("digits") ?? 0
            guard (-15...15).contains(digits) else {
                throw ScriptError("`digits` of `round` must be within -15…15, got \(digits)", at: args.range("digits"))
            }
            let scale = pow(10, Double(digits))
            let scaled = (x * scale).rounded(.toNearestOrAwayFromZero) / scale
            return .number(scaled.isFinite ? scaled : x)
        },
        aggregate("sum", "the total", emptyIsZero: true) { $0.reduce(0, +) },
        aggregate("mean", "the average", emptyIsZero: false) { $0.reduce(0, +) / Double($0.count) },
        aggregate("min", "the smallest value", emptyIsZero: false) { $0.min() ?? .nan },
        aggregate("max", "the largest value", emptyIsZero: false) { $0.max() ?? .nan },
        builtin(
            "quantile", positional: [.init("values", "a list of numbers", required: true), .init("p", "the probability, 0…1 (50% is the median)", required: true)],
            summary: "the p-quantile of the values (linear interpolation)"
        ) { session, args throws(ScriptError) in
            let xs = try numbers(try args.required("values"), args, "values", session: session).sorted()
            guard let p = try args.number("p", in: 0...1) else { return .none }
            guard !xs.isEmpty else { throw ScriptError("`quantile` of an empty list has no value", at: args.range("values")) }
            let position = p * Double(xs.count - 1)
            let lower = Int(position.rounded(.down)), upper = min(xs.count - 1, lower + 1)
            return .number(xs[lower] + (xs[upper] - xs[lower]) * (position - Double(lower)))
        },
    ]
}
