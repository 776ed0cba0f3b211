/// How deep lists and records may nest, and how the interpreter measures it.
///
/// Values are freed, printed and compared recursively, one stack frame per level: a list nested a
/// million deep (`x = [x]` in a loop) would overflow the stack when it is freed. So every place
/// that puts a value inside a new list or record — list and record literals, element and field
/// assignment, `map` — checks that the result nests at most ``Session/maximumNesting`` deep.
/// Measuring stops at that depth, and lists already measured are remembered (by their storage,
/// which a list keeps while it is shared), so that `x = [x]` and `x = [x, x]` in a loop cost the
/// same at every iteration.
extension Session {
    /// The deepest nesting of lists and records a script may build.
    public static let maximumNesting = 1_000

    /// The most lists and records one measurement visits before giving up.
    static let nestingBudget = 10_000_000

    /// Throws at `range` when `value`, placed `levels` levels down inside lists or records, would
    /// make them nest deeper than ``maximumNesting``.
    func checkNesting(_ value: Value, levels: Int, at range: SourceRange) throws(ScriptError) {
        switch value {
        case .list, .record: break
        default: return
        }
        var budget = Self.nestingBudget
        let limit = Self.maximumNesting - levels
        guard limit >= 0, nestingDepth(value, limit: limit, budget: &budget) != nil else {
            throw ScriptError(
                budget < 0
                    ? "this value holds more than \(Self.nestingBudget) nested lists and records, too many to nest inside another"
                    : "lists and records may nest at most \(Self.maximumNesting) levels deep; this would nest deeper (keep data flat: a list of records, or a record of lists)",
                at: range)
        }
    }

    /// The nesting depth of lists and records in `value` (0 for anything else, 1 for a flat list),
    /// or nil when it is deeper than `limit` or the measurement runs out of `budget`.
    func nestingDepth(_ value: Value, limit: Int, budget: inout Int) -> Int? {
        switch value {
        case .list(let items):
            guard limit >= 1 else { return nil }
            if items.isEmpty { return 1 }
            if let known = nestingCache.depth(of: items) { return known <= limit ? known : nil }
            var deepest = 0
            for item in items {
                switch item {
                case .list, .record:
                    budget -= 1
                    guard budget >= 0, let depth = nestingDepth(item, limit: limit - 1, budget: &budget) else { return nil }
                    deepest = max(deepest, depth)
                default: continue
                }
            }
            if deepest > 0 { nestingCache.remember(items, depth: deepest + 1) }
            return deepest + 1
        case .record(let record):
            guard limit >= 1 else { return nil }
            var deepest = 0
            for (_, item) in record.fields {
                switch item {
                case .list, .record:
                    budget -= 1
                    guard budget >= 0, let depth = nestingDepth(item, limit: limit - 1, budget: &budget) else { return nil }
                    deepest = max(deepest, depth)
                default: continue
                }
            }
            return deepest + 1
        default:
            return 0
        }
    }

    /// How many fields and indexes an assignment target goes down (`a[0].b` → 2).
    static func accessDepth(_ expr: Expr) -> Int {
        var levels = 0
        var current = expr
        while true {
            switch current.kind {
            case .index(let base, _), .member(let base, _, _):
                levels += 1
                current = base
            default:
                return levels
            }
        }
    }
}

/// The nesting depths of the lists measured last, keyed by their element storage. Each entry
/// holds its list, so the storage cannot be freed and reused by another list while it is here.
final class NestingCache {
    private var entries: [(address: UnsafeRawPointer, count: Int, items: [Value], depth: Int)] = []
    private static let capacity = 64

    /// The depth remembered for `items`, or nil.
    func depth(of items: [Value]) -> Int? {
        guard let address = Self.address(of: items) else { return nil }
        return entries.last { $0.address == address && $0.count == items.count }?.depth
    }

    /// Remembers the depth of `items` (the oldest entry goes when full).
    func remember(_ items: [Value], depth: Int) {
        guard let address = Self.address(of: items) else { return }
        if entries.count == Self.capacity { entries.removeFirst() }
        entries.append((address, items.count, items, depth))
    }

    /// Forgets everything (and lets go of the lists held).
    func removeAll() { entries.removeAll() }

    private static func address(of items: [Value]) -> UnsafeRawPointer? {
        items.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }
}
