/// The shell's own commands, typed with a leading colon (`:help`, `:save FILE`).
public enum MetaCommand: String, CaseIterable, Sendable {
    /// `:help [topic]`.
    case help
    /// `:modules`.
    case modules
    /// `:params MODULE`.
    case params
    /// `:signals [MODULE|RUN]`.
    case signals
    /// `:vars`.
    case vars
    /// `:load FILE`.
    case load
    /// `:save FILE`.
    case save
    /// `:time EXPR`.
    case time
    /// `:safe [on|off]`.
    case safe
    /// `:quit`.
    case quit

    /// Other spellings accepted for a command (`:q`, `:exit`, `:h`, `:?`).
    static let aliases: [String: MetaCommand] = ["q": .quit, "exit": .quit, "h": .help, "?": .help]

    /// The command named `name` (without the colon), or nil.
    public init?(named name: String) {
        if let command = MetaCommand(rawValue: name) {
            self = command
        } else if let command = Self.aliases[name] {
            self = command
        } else {
            return nil
        }
    }

    /// `:params MODULE`.
    public var usage: String {
        switch self {
        case .help: ":help [topic]"
        case .modules: ":modules"
        case .params: ":params MODULE"
        case .signals: ":signals [MODULE|RUN]"
        case .vars: ":vars"
        case .load: ":load FILE"
        case .save: ":save FILE"
        case .time: ":time EXPR"
        case .safe: ":safe [on|off]"
        case .quit: ":quit"
        }
    }

    /// One line saying what it does.
    public var summary: String {
        switch self {
        case .help: "explains a function, module, parameter, type or command; without a topic, lists them"
        case .modules: "lists the model modules"
        case .params: "lists a module's parameters: default, unit, valid range and meaning"
        case .signals: "lists the signals and metrics of the modules, or every signal id of a run variable"
        case .vars: "lists the session's variables with their types and values"
        case .load: "runs a .lode script in this session (its variables stay)"
        case .save: "writes the statements that worked so far as a runnable .lode script"
        case .time: "evaluates an expression and says how long it took"
        case .safe: "safe mode: files only inside the starting folder, no plugins (for scripts from others)"
        case .quit: "leaves the shell and saves the history (Ctrl-D does the same)"
        }
    }

    /// An example of use.
    public var example: String {
        switch self {
        case .help: ":help run    :help stockpile.cover_days    :help :save"
        case .modules: ":modules"
        case .params: ":params stockpile"
        case .signals: ":signals trade    :signals r"
        case .vars: ":vars"
        case .load: ":load Examples/curb-2026.lode"
        case .save: ":save session.lode"
        case .time: ":time montecarlo(m, s, runs: 1000)"
        case .safe: ":safe on    :safe off    :safe"
        case .quit: ":quit"
        }
    }

    /// The help text: usage, summary and example.
    public var helpText: String { "\(usage)\n  \(summary)\n  example: \(example)" }
}
