/// The messages of `lodestone serve --stdio`: one JSON object per line each way, shaped like
/// JSON-RPC 2.0 (`id`, `method`, `params` in; `id` and `result` or `error` out). Docs/Integration.md
/// describes them and Docs/serve-protocol.schema.json is their JSON Schema.
public enum ServeMessage {
    /// The protocol's version, reported by `info`; it changes when a message changes incompatibly.
    public static let protocolVersion = 1

    /// The methods a client may call.
    public static let methods = ["info", "execute", "complete", "inspect", "is_complete", "interrupt", "shutdown"]

    /// A request's id: a number or a string, echoed in its reply.
    public enum ID: Codable, Sendable, Equatable {
        /// A numeric id.
        case number(Int)
        /// A string id.
        case string(String)

        /// Reads a number or a string.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                self = .number(number)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        /// Writes the number or string.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .number(let number): try container.encode(number)
            case .string(let string): try container.encode(string)
            }
        }
    }

    /// One request line.
    public struct Request: Decodable, Sendable {
        /// Echoed in the reply; optional.
        public var id: ID?
        /// `execute`, `complete`, … (see ``ServeMessage/methods``).
        public var method: String
        /// The method's arguments.
        public var params: Params?
    }

    /// The arguments of every method (each uses some of them).
    public struct Params: Decodable, Sendable {
        /// The code to run, complete or inspect.
        public var code: String?
        /// The cursor's offset in `code`, in Unicode code points (default: the end).
        public var cursor: Int?
        /// `execute`: the name errors give the code (default `<cell N>`, N the execution count).
        public var name: String?
    }

    /// A protocol error: the line is not JSON, not a request, or names an unknown method.
    public struct Failure: Encodable, Sendable {
        /// JSON-RPC's codes: -32700 not JSON, -32600 not a request, -32601 unknown method,
        /// -32602 missing or wrong parameters.
        public var code: Int
        /// What was wrong.
        public var message: String
    }

    /// One piece of what an execution showed, in order.
    public struct Output: Encodable, Sendable, Equatable {
        /// `stream` (text written), `display` (a chart) or `result` (a value the input showed).
        public var type: String
        /// For a stream: `stdout` or `stderr`.
        public var name: String?
        /// For a stream: the text.
        public var text: String?
        /// For a display or result: the value by MIME type (`text/plain` always; `image/svg+xml`,
        /// `text/html` when the value has that form).
        public var data: [String: String]?

        /// Text written to `stdout` or `stderr`.
        public static func stream(_ name: String, _ text: String) -> Output {
            Output(type: "stream", name: name, text: text, data: nil)
        }

        /// A chart or other rich display.
        public static func display(_ data: [String: String]) -> Output { Output(type: "display", name: nil, text: nil, data: data) }

        /// A value the input showed.
        public static func result(_ data: [String: String]) -> Output { Output(type: "result", name: nil, text: nil, data: data) }
    }

    /// Where and why an execution failed.
    public struct ErrorInfo: Encodable, Sendable {
        /// The message (`unknown name `x``).
        public var message: String
        /// The line in the executed code, from 1 (nil when the error has no place).
        public var line: Int?
        /// The column, from 1, in Unicode code points.
        public var column: Int?
        /// The line where the erroneous span ends.
        public var endLine: Int?
        /// The column just past the span's end.
        public var endColumn: Int?
        /// Further explanations.
        public var notes: [String]
        /// The error as the terminal shows it: `<cell 3>:2:9: error: …`, the line, a caret.
        public var rendered: String
    }

    /// The reply to `execute`.
    public struct ExecuteResult: Encodable, Sendable {
        /// `ok`, `error` or `cancelled` (interrupted; the variables are as they were before the
        /// statement that was running).
        public var status: String
        /// How many `execute` requests the session has had, this one included.
        public var executionCount: Int
        /// What the code printed, drew and showed, in order.
        public var outputs: [Output]
        /// Why it failed (status `error` or `cancelled`).
        public var error: ErrorInfo?
    }

    /// The reply to `complete`.
    public struct CompleteResult: Encodable, Sendable {
        /// The texts that may replace `code[cursorStart..<cursorEnd]`, sorted.
        public var matches: [String]
        /// Where the replaced fragment starts (code points).
        public var cursorStart: Int
        /// Where it ends: the cursor.
        public var cursorEnd: Int
    }

    /// The reply to `inspect`.
    public struct InspectResult: Encodable, Sendable {
        /// Whether there is help on the name at the cursor.
        public var found: Bool
        /// The name looked up (`run`, `m.stockpile`, `stockpile.cover_days`).
        public var name: String
        /// The help by MIME type (`text/plain`), empty when not found.
        public var data: [String: String]
    }

    /// The reply to `is_complete`.
    public struct IsCompleteResult: Encodable, Sendable {
        /// `complete` (it would run) or `incomplete` (a bracket, string or operator is open).
        public var status: String
    }

    /// The reply to `interrupt`.
    public struct InterruptResult: Encodable, Sendable {
        /// Whether an execution was running or waiting to run (and will stop).
        public var interrupted: Bool
    }

    /// The reply to `shutdown`.
    public struct ShutdownResult: Encodable, Sendable {
        /// Always true: the server exits after this line.
        public var ok = true
    }

    /// The reply to `info`.
    public struct InfoResult: Encodable, Sendable {
        /// ``ServeMessage/protocolVersion``.
        public var protocolVersion: Int
        /// Lodestone's version.
        public var version: String
        /// The shell's banner (version, data, modules).
        public var banner: String
        /// The language: name `lode`, file extension `.lode`, MIME type `text/x-lode`.
        public var language: Language
        /// The methods this server answers.
        public var methods: [String]
    }

    /// What the language is called.
    public struct Language: Encodable, Sendable {
        /// `lode`.
        public var name = "lode"
        /// `.lode`.
        public var fileExtension = ".lode"
        /// `text/x-lode`.
        public var mimetype = "text/x-lode"
    }
}
