import LodestoneKernel

// What the interactive shell (LodestoneREPL) needs from a session beyond `run`: statement-by-
// statement progress (to show every value, keep `ans` and save the statements that worked), and
// side-effect-free look-ups for completion and `:help`.
extension Session {
    /// Runs a chunk like ``run(_:)`` and reports each top-level statement as it completes, with
    /// the value of an expression statement (nil for other statements).
    ///
    /// The REPL uses the reports to show values, to set `ans` and to remember which statements
    /// succeeded (for `:save`): when statement 3 fails, statements 1 and 2 were reported.
    /// Values are not printed here whatever ``Options/echoesExpressions`` says.
    @discardableResult
    public func runStatements(
        _ file: SourceFile, onStatement: (_ statement: Stmt, _ value: Value?) -> Void
    ) throws(ScriptError) -> Value? {
        // On a large stack, like `run`: the parser and interpreter recurse.
        try LargeStack.run { () throws(ScriptError) -> Value? in try runTopLevel(file, onStatement: onStatement) }
    }

    /// `base.name` when it can be read without running anything but a property getter (a record
    /// field, a model's module, a module's parameter, a property); nil for methods and unknown
    /// names. Used by completion to follow `m.stockpile.` chains.
    public func memberValue(of base: Value, name: String) -> Value? {
        if Self.members(of: base.typeName).methods[name] != nil { return nil }
        let nowhere = SourceRange(file: SourceFile(name: "<completion>", text: ""), start: 0, end: 0)
        do { return try member(of: base, name: name, nameRange: nowhere, baseRange: nowhere) } catch { return nil }
    }

    /// The signature of the method `name` of `value`'s type, or nil (for named-argument
    /// completion and help).
    public func methodSignature(of value: Value, name: String) -> Signature? {
        Self.members(of: value.typeName).methods[name]?.signature
    }

    /// What `help("topic")` prints for a topic given by name — a built-in, a type (`"run"`), a
    /// method (`"restrict"`), a module, or `"syntax"` — or nil when there is no such topic.
    public func helpText(topic: String) -> String? {
        let nowhere = SourceRange(file: SourceFile(name: "<help>", text: ""), start: 0, end: 0)
        do { return try helpText(.string(topic), range: nowhere) } catch { return nil }
    }

    /// The type names whose values have methods (`run`, `scenario`, …), for help topics.
    public static var typeNamesWithMembers: [String] { typesWithMembers }

    /// The method and property names of a type name (`run` → `series`, `metric`, …), sorted.
    public static func memberNames(ofType typeName: String) -> [String] { members(of: typeName).names }
}
