/// The scopes of a session that outlived the code that made them while functions made in them
/// could still refer to them: candidates for a reference cycle (see ``Scope``).
///
/// When a call returns or a block ends, the session frees a captured scope at once if only its own
/// functions refer to it (``Scope/dropOwnFunctions(_:)``). A scope still referred to then — a
/// function made in it was returned (`fn adder(n) { fn add(x) { x + n }; return add }`) or stored
/// outside — is remembered here, weakly, and checked again later: when the list has doubled since
/// the last check, and when the session ends, which empties every one still alive, as it empties
/// the globals. Checking when the list doubles keeps the cost per call constant on average and
/// frees, in a loop, what the loop's earlier iterations dropped.
struct LingeringScopes {
    /// A weak reference to a scope.
    private struct Entry {
        weak var scope: Scope?
    }

    private var entries: [Entry] = []
    /// The number of entries at which ``add(_:)`` checks them all.
    private var checkAt = LingeringScopes.minimumCheck
    private static let minimumCheck = 64

    /// The number of scopes remembered (some may have been freed since).
    var count: Int { entries.count }

    /// Remembers `scope`, and checks every remembered scope when the list has doubled.
    mutating func add(_ scope: Scope) {
        entries.append(Entry(scope: scope))
        if entries.count >= checkAt { check() }
    }

    /// Frees the scopes that only their own functions still refer to, and forgets the freed ones.
    mutating func check() {
        var kept: [Entry] = []
        for entry in entries {
            guard var scope = entry.scope else { continue }
            if !Scope.dropOwnFunctions(&scope) { kept.append(entry) }
        }
        entries = kept
        checkAt = max(Self.minimumCheck, 2 * kept.count)
    }

    /// Empties every remembered scope still alive (the session has ended), which breaks whatever
    /// cycle it is part of.
    mutating func emptyAll() {
        let entries = self.entries
        self.entries = []
        checkAt = Self.minimumCheck
        for entry in entries { entry.scope?.values.removeAll() }
    }
}
