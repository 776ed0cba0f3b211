/// A level of variables: the session's globals, a function call, or a block.
final class Scope {
    var values: [String: Value] = [:]
    let parent: Scope?

    init(parent: Scope?) { self.parent = parent }

    deinit {
        guard !values.isEmpty else { return }
        var closures: [Closure] = []
        for value in values.values { Self.collectClosures(value, into: &closures, depth: 0) }
        values.removeAll()
        Self.release(&closures)
    }

    /// The most elements of a list or record searched for functions; larger ones are freed
    /// as a whole.
    private static let smallContainer = 64

    /// Appends the functions `value` holds: itself, or those in a small list or record.
    private static func collectClosures(_ value: Value, into closures: inout [Closure], depth: Int) {
        switch value {
        case .function(let closure):
            closures.append(closure)
        case .list(let items) where items.count <= smallContainer && depth < 4:
            for item in items { collectClosures(item, into: &closures, depth: depth + 1) }
        case .record(let record) where record.count <= smallContainer && depth < 4:
            for (_, item) in record.fields { collectClosures(item, into: &closures, depth: depth + 1) }
        default:
            break
        }
    }

    /// Frees functions one at a time instead of recursively. A function made in a loop that calls
    /// the one made before (`f = fn() { g() }`) builds a chain — a function, its scope, the
    /// earlier function in that scope, … — that Swift would free with one stack frame per link, so
    /// a long chain would overflow the stack. Here a function whose last reference is in hand
    /// gives up the functions of its scope to the work list before it goes, so every link is freed
    /// with nothing left inside it. Functions shared with something still alive are let go of:
    /// their other owner frees them later.
    private static func release(_ closures: inout [Closure]) {
        while var closure = closures.popLast() {
            guard isKnownUniquelyReferenced(&closure) else { continue }
            var scope = closure.scope
            closure = placeholder
            guard isKnownUniquelyReferenced(&scope), !scope.values.isEmpty else { continue }
            for value in scope.values.values { collectClosures(value, into: &closures, depth: 0) }
            scope.values.removeAll()
        }
    }

    /// Stands in for a closure being freed (so that the variable holding it lets go of it).
    nonisolated(unsafe) private static let placeholder = Closure(placeholderIn: Scope(parent: nil))

    /// The value of a name in this scope or an enclosing one.
    func lookup(_ name: String) -> Value? {
        var scope: Scope? = self
        while let current = scope {
            if let value = current.values[name] { return value }
            scope = current.parent
        }
        return nil
    }

    /// Assigns an existing variable in the nearest scope that has it; false when none has.
    func assign(_ name: String, _ value: Value) -> Bool {
        var scope: Scope? = self
        while let current = scope {
            if current.values[name] != nil {
                current.values[name] = value
                return true
            }
            scope = current.parent
        }
        return false
    }

    /// Every visible name.
    var allNames: Set<String> {
        var names = Set(values.keys)
        if let parent { names.formUnion(parent.allNames) }
        return names
    }
}
