/// A level of variables: the session's globals, a function call, or a block.
///
/// A function refers to the scope it was made in, so a function stored in that same scope — a
/// local `fn helper() {…}` in a function body, `let f = fn() {…}` — closes a reference cycle that
/// Swift never frees. ``dropOwnFunctions(_:)`` breaks such cycles when nothing else refers to the
/// scope; the session calls it when a call returns or a block ends, and again later for scopes that
/// were still referred to then (see ``LingeringScopes``).
final class Scope {
    var values: [String: Value] = [:]
    let parent: Scope?
    /// Whether a function was made in this scope or in one inside it: only such a scope can be
    /// part of a reference cycle.
    var isCaptured = false

    init(parent: Scope?) { self.parent = parent }

    /// The scope of a function freed together with the scope it was made in (never used to run).
    nonisolated(unsafe) static let detached = Scope(parent: nil)

    /// Whether the caller's `scope` is the last reference to it once the functions made in it and
    /// stored in it let go of it.
    ///
    /// When nothing but those functions refers to the scope, and nothing but the scope refers to
    /// them, the functions are dropped (each pointed at ``detached`` first, so that dropping them
    /// does not touch the scope) and the result is true: letting go of `scope` frees it and its
    /// variables. Otherwise — one of the functions was returned or stored elsewhere, a function made
    /// in the scope or in a block inside it is still around, the scope is still running — everything
    /// is left as it was and the result is false. The session's globals (emptied when the session
    /// ends) are left alone.
    static func dropOwnFunctions(_ scope: inout Scope) -> Bool {
        if isKnownUniquelyReferenced(&scope) { return true }
        guard scope.parent != nil else { return false }
        // The scope's own functions (each once, though it may be bound to several names).
        var own: [Closure] = []
        var names: [(name: String, index: Int)] = []
        for (name, value) in scope.values {
            guard case .function(let closure) = value, closure.scope === scope else { continue }
            if let index = own.firstIndex(where: { $0 === closure }) {
                names.append((name, index))
            } else {
                names.append((name, own.count))
                own.append(closure)
            }
        }
        guard !own.isEmpty else { return false }
        for entry in names { scope.values[entry.name] = nil }
        // `own` holds the only reference to each now, unless it is referred to from elsewhere.
        var onlyHere = true
        for index in own.indices where !isKnownUniquelyReferenced(&own[index]) {
            onlyHere = false
            break
        }
        if onlyHere {
            for closure in own { closure.scope = detached }
            if isKnownUniquelyReferenced(&scope) { return true }
            for closure in own { closure.scope = scope }
        }
        for entry in names { scope.values[entry.name] = .function(own[entry.index]) }
        return false
    }

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
    /// with nothing left inside it; a scope that only its own functions still refer to goes too
    /// (``dropOwnFunctions(_:)``). Functions shared with something still alive are let go of:
    /// their other owner frees them later.
    private static func release(_ closures: inout [Closure]) {
        while var closure = closures.popLast() {
            guard isKnownUniquelyReferenced(&closure) else { continue }
            var scope = closure.scope
            closure = placeholder
            guard dropOwnFunctions(&scope), !scope.values.isEmpty else { continue }
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
