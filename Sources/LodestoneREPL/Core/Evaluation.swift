import LodestoneKernel
import LodestoneScript

extension REPL {
    /// What running one input did.
    public struct Outcome {
        /// The values shown, in order (one per expression statement that was not `none`).
        public var values: [Value] = []
        /// The error that stopped the input, if any (a cancellation is an error too).
        public var error: ScriptError?
        /// For a cancelled ensemble or sweep: how many runs were done, of how many.
        public var cancelledRuns: (done: Int, total: Int)?
    }

    /// Runs one complete input as code: shows each expression's value (and makes the last one
    /// `ans`), records the statements that worked, and shows an error with a caret. `indent` is
    /// the width of what precedes the input's last line on the screen (the prompt), so that the
    /// caret lands under the typed text. With `file`, the input is a script of that name
    /// (`:load`): its lines number from 1 and its errors quote the line.
    @discardableResult
    public func submit(_ source: String, indent: Int = REPLConfiguration.prompt.count, file: String? = nil) -> Outcome {
        let isTyped = file == nil
        let chunk = SourceFile(name: file ?? configuration.sourceName, text: source, firstLine: isTyped ? nextLine : 1)
        if isTyped { nextLine += source.reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
        configuration.interrupts.clear()
        progress.reset()
        outputMonitor.wrote = false
        var outcome = Outcome()
        var reached = Set<Int>()
        let display = ValueDisplay(sparkline: configuration.sparkline ?? { Sparkline.render($0, width: 60) }, colour: configuration.colour)
        do {
            try session.runStatements(chunk) { statement, value in
                reached.insert(statement.range.start)
                guard let value, !isNone(value) else {
                    transcript.record(statement, setsAnswer: false)
                    if value != nil, showsNone(statement) { show(.none, "none") }
                    return
                }
                transcript.record(statement, setsAnswer: true)
                session.setValue(value, for: "ans")
                outcome.values.append(value)
                progress.finish()
                show(value, display.text(value))
                outputMonitor.wrote = true
            }
        } catch {
            progress.finish()
            outcome.error = error
            if error.isCancellation {
                outcome.cancelledRuns = progress.lastCount
                writeError(cancellationMessage(progress.lastCount))
            } else {
                let typed = isTyped && reader.isInteractive && !outputMonitor.wrote
                    ? ErrorDisplay.TypedInput(source: chunk, indent: indent, columns: reader.columns ?? 80) : nil
                writeError(ErrorDisplay(colour: configuration.colour).text(error, typed: typed))
            }
            recordUnreachedFunctions(of: chunk, reached: reached)
        }
        progress.finish()
        configuration.interrupts.clear()
        return outcome
    }

    /// Shows a value: through ``REPLConfiguration/showValue``, else on the terminal.
    private func show(_ value: Value, _ text: String) {
        if let show = configuration.showValue {
            show(value, text)
        } else {
            write(text + "\n")
        }
    }

    /// Whether a statement whose value is `none` shows it: a question that found nothing (a
    /// variable, a field, `r.metric(…)` of something that never happened), not an action such as
    /// `print(…)`, `plot(…)` or `s.restrict(…)`, whose value is always `none`.
    func showsNone(_ statement: Stmt) -> Bool {
        guard case .expression(let expression) = statement.kind else { return false }
        guard case .call(let callee, _) = expression.kind else { return true }
        guard case .member(let base, _, _) = callee.kind, case .identifier(let name) = base.kind,
            let receiver = session.value(of: name)
        else { return false }
        switch receiver {
        case .run, .ensemble, .sweep, .table, .record, .list, .dataset: return true
        default: return false
        }
    }

    /// `cancelled after 2560 of 100000 runs` (the variables are kept).
    func cancellationMessage(_ count: (done: Int, total: Int)?) -> String {
        var text = "cancelled"
        if let count { text += " after \(count.done) of \(count.total) run\(count.total == 1 ? "" : "s")" }
        return text + " (Ctrl-C); the variables are as they were\n"
    }

    /// Functions are defined before an input runs, so a failed input still defines those it
    /// declares: keep them for `:save` too.
    private func recordUnreachedFunctions(of chunk: SourceFile, reached: Set<Int>) {
        guard let program = try? Parser.parse(chunk) else { return }
        for statement in program where !reached.contains(statement.range.start) {
            if case .function(let declaration) = statement.kind, declaration.name != nil {
                transcript.record(statement, setsAnswer: false)
            }
        }
    }

    private func isNone(_ value: Value) -> Bool {
        if case .none = value { return true }
        return false
    }
}
