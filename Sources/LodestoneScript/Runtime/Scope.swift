/// A level of variables: the session's globals, a function call, or a block.
final class Scope {
    var values: [String: Value] = [:]
    let parent: Scope?

    init(parent: Scope?) { self.parent = parent }

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
