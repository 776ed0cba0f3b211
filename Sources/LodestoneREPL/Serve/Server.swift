import Foundation
import LodestoneKernel
import LodestoneScript

/// `lodestone serve --stdio`: a session driven by a program (a notebook kernel, an editor)
/// through newline-delimited JSON requests and replies (see ``ServeMessage`` and
/// Docs/Integration.md).
///
/// It is the shell without a terminal: the same ``REPL`` runs the code (values, `ans`, `:save`,
/// the meta-commands), completes with its ``Completer`` and answers `inspect` with its `:help`.
/// Requests are read on a thread of their own, so that `interrupt` stops an execution while it
/// runs; every other request is answered in order.
///
/// ```swift
/// let server = Server(session: session, send: { line in print(line) })
/// server.run(readLine: { Swift.readLine() })
/// ```
public final class Server {
    /// The shell whose session, completer and help the server uses.
    public let repl: REPL
    private let capture = OutputCapture()
    private let control: ServeControl
    private let send: @Sendable (String) -> Void
    private var executionCount = 0

    /// A server over `session`. `send` writes one reply line (without its newline); it may be
    /// called from two threads, never at once. With `usesSignal`, SIGINT interrupts an execution
    /// as `interrupt` does (install the handler with ``InterruptFlag/installSignalHandler()``).
    public init(
        session: Session, version: String = "", renderers: RichRenderers = RichRenderers(),
        baseDirectory: String? = nil, usesSignal: Bool = false, send: @escaping @Sendable (String) -> Void
    ) {
        let capture = self.capture
        let control = ServeControl(usesSignal: usesSignal)
        self.control = control
        self.send = Self.serialized(send)
        session.options.output = { capture.stream("stdout", $0) }
        session.options.chartRenderer = { chart in
            capture.display(renderers.chart(chart))
            return ""
        }
        var configuration = REPLConfiguration(
            version: version, colour: false, write: { capture.stream("stdout", $0) },
            writeError: { capture.diagnostic($0) }, interrupts: control.flag, baseDirectory: baseDirectory)
        configuration.showValue = { value, text in capture.result(renderers.data(for: value, text: text)) }
        repl = REPL(session: session, reader: PlainLineReader(lines: []), configuration: configuration)
    }

    /// Answers requests read with `readLine` (one line each, nil at the end) until `shutdown` or
    /// the end of the input.
    public func run(readLine: @escaping @Sendable () -> String?) {
        let control = self.control, send = self.send
        let reader = Thread {
            while let line = readLine() {
                guard let request = Self.accept(line, control: control, send: send) else { continue }
                control.put(.request(request))
                if request.method == "shutdown" { return }
            }
            control.put(.end)
        }
        reader.start()
        while case .request(let request) = control.take() {
            answer(request)
            if request.method == "shutdown" { return }
        }
    }

    // MARK: Reading

    /// The request on `line`, or nil when it was answered at once: a protocol error, or
    /// `interrupt` (which must not wait behind the execution it stops).
    static func accept(_ line: String, control: ServeControl, send: @Sendable (String) -> Void) -> ServeMessage.Request? {
        guard line.contains(where: { !$0.isWhitespace }) else { return nil }
        let data = Data(line.utf8)
        let request: ServeMessage.Request
        do {
            request = try JSONDecoder().decode(ServeMessage.Request.self, from: data)
        } catch {
            let isJSON = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil
            send(
                Self.encode(
                    id: nil,
                    failure: isJSON
                        ? .init(code: -32600, message: "not a request: expected {\"id\": 1, \"method\": \"execute\", \"params\": {\"code\": \"…\"}}")
                        : .init(code: -32700, message: "not JSON: each line must be one JSON object")))
            return nil
        }
        switch request.method {
        case "interrupt":
            send(Self.encode(id: request.id, result: ServeMessage.InterruptResult(interrupted: control.interrupt())))
            return nil
        case "execute":
            control.executionQueued()
        case let method where !ServeMessage.methods.contains(method):
            let hint = Suggestions.hint(for: method, among: ServeMessage.methods)
            send(
                Self.encode(
                    id: request.id,
                    failure: .init(
                        code: -32601,
                        message: "unknown method `\(method)`\(hint) (methods: \(ServeMessage.methods.joined(separator: ", ")))")))
            return nil
        default: break
        }
        return request
    }

    // MARK: Answering

    private func answer(_ request: ServeMessage.Request) {
        let code = request.params?.code
        switch request.method {
        case "info":
            send(
                Self.encode(
                    id: request.id,
                    result: ServeMessage.InfoResult(
                        protocolVersion: ServeMessage.protocolVersion, version: repl.configuration.version,
                        banner: repl.banner(), language: ServeMessage.Language(), methods: ServeMessage.methods)))
        case "shutdown":
            send(Self.encode(id: request.id, result: ServeMessage.ShutdownResult()))
        case _ where code == nil:
            if request.method == "execute" { control.executionFinished() }
            send(Self.encode(id: request.id, failure: .init(code: -32602, message: "`\(request.method)` needs params.code, a string")))
        case "execute":
            let result = execute(code ?? "", name: request.params?.name)
            control.executionFinished()
            send(Self.encode(id: request.id, result: result))
        case "complete":
            send(Self.encode(id: request.id, result: complete(code ?? "", cursor: request.params?.cursor)))
        case "inspect":
            send(Self.encode(id: request.id, result: inspect(code ?? "", cursor: request.params?.cursor)))
        default:  // is_complete
            let status = Session.isIncomplete(code ?? "") ? "incomplete" : "complete"
            send(Self.encode(id: request.id, result: ServeMessage.IsCompleteResult(status: status)))
        }
    }

    /// Runs `code` as one input of the shell (meta-commands when it starts with `:`); errors
    /// name it `name`, or `<cell N>`.
    func execute(_ code: String, name: String? = nil) -> ServeMessage.ExecuteResult {
        executionCount += 1
        capture.reset()
        var error: ServeMessage.ErrorInfo?
        var status = "ok"
        if code.drop(while: { $0.isWhitespace }).first == ":" {
            for line in code.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
                guard repl.runMetaCommand(String(line)) else {
                    status = "error"
                    let message = capture.diagnostics.trimmingCharacters(in: .whitespacesAndNewlines)
                    error = ServeMessage.ErrorInfo(
                        message: message.hasPrefix("error: ") ? String(message.dropFirst(7)) : message, notes: [],
                        rendered: capture.diagnostics)
                    break
                }
            }
        } else {
            let outcome = repl.submit(code, file: name ?? "<cell \(executionCount)>")
            if let failure = outcome.error {
                status = failure.isCancellation ? "cancelled" : "error"
                error = Self.errorInfo(failure, rendered: capture.diagnostics)
            } else if !capture.diagnostics.isEmpty {
                capture.stream("stderr", capture.diagnostics)
            }
        }
        return ServeMessage.ExecuteResult(status: status, executionCount: executionCount, outputs: capture.outputs, error: error)
    }

    static func errorInfo(_ error: ScriptError, rendered: String) -> ServeMessage.ErrorInfo {
        var info = ServeMessage.ErrorInfo(
            message: error.message, notes: error.notes, rendered: rendered.isEmpty ? error.render() : rendered)
        if let range = error.range {
            let start = range.file.lineAndColumn(of: range.start)
            let end = range.file.lineAndColumn(of: max(range.start, range.end))
            info.line = start.line
            info.column = start.column
            info.endLine = end.line
            info.endColumn = end.column
        }
        return info
    }

    /// Completes `code` at `cursor` with the shell's completer.
    func complete(_ code: String, cursor: Int?) -> ServeMessage.CompleteResult {
        let scalars = Array(code.unicodeScalars)
        let end = min(max(0, cursor ?? scalars.count), scalars.count)
        let before = String(String.UnicodeScalarView(scalars[..<end]))
        var pending = "", line = before
        if let newline = before.lastIndex(of: "\n") {
            pending = String(before[..<newline])
            line = String(before[before.index(after: newline)...])
        }
        let completion = repl.completer.complete(line, pending: pending)
        return ServeMessage.CompleteResult(
            matches: completion.candidates, cursorStart: end - completion.word.unicodeScalars.count, cursorEnd: end)
    }

    /// The shell's help on the name at `cursor`.
    func inspect(_ code: String, cursor: Int?) -> ServeMessage.InspectResult {
        let scalars = Array(code.unicodeScalars)
        let name = REPL.name(in: scalars, at: min(max(0, cursor ?? scalars.count), scalars.count))
        guard let text = repl.inspection(of: name) else { return ServeMessage.InspectResult(found: false, name: name, data: [:]) }
        return ServeMessage.InspectResult(found: true, name: name, data: ["text/plain": text])
    }

    // MARK: Writing

    private struct Envelope<Result: Encodable>: Encodable {
        var id: ServeMessage.ID?
        var result: Result?
        var error: ServeMessage.Failure?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("2.0", forKey: .jsonrpc)
            try container.encode(id, forKey: .id)  // null when the request had none
            try container.encodeIfPresent(result, forKey: .result)
            try container.encodeIfPresent(error, forKey: .error)
        }

        enum CodingKeys: String, CodingKey { case jsonrpc, id, result, error }
    }

    /// One reply line.
    static func encode<Result: Encodable>(id: ServeMessage.ID?, result: Result) -> String {
        line(Envelope(id: id, result: result, error: nil))
    }

    /// One error line.
    static func encode(id: ServeMessage.ID?, failure: ServeMessage.Failure) -> String {
        line(Envelope<ServeMessage.ShutdownResult>(id: id, result: nil, error: failure))
    }

    private static func line(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Only non-finite numbers could fail to encode, and replies carry none.
        guard let data = try? encoder.encode(value) else {
            return #"{"error":{"code":-32603,"message":"the reply could not be encoded"},"id":null,"jsonrpc":"2.0"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `send` behind a lock: the reading thread answers `interrupt` while the other answers the rest.
    private static func serialized(_ send: @escaping @Sendable (String) -> Void) -> @Sendable (String) -> Void {
        let lock = Locked(())
        return { line in lock.withLock { _ in send(line) } }
    }
}
