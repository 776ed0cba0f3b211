import Foundation
import LodestoneData
import LodestoneDiplomacy
import LodestoneKernel
import LodestoneREPL
import LodestoneScript
import LodestoneStockpile
import LodestoneTrade

/// The built-in modules and the default dataset, as the executable registers them (no exporters).
func makeRegistry() throws -> Registry {
    var registry = Registry()
    try registerTrade(in: &registry)
    try registerStockpile(in: &registry)
    try registerDiplomacy(in: &registry)
    DataSources.registerEmbedded(in: &registry)
    for library in ScenarioLibraries.all { registry.register(scenarioLibrary: library) }
    registry.dataSourceResolver = { spec in try DataSources.resolve(spec) }
    return registry
}

/// Everything a shell wrote.
final class Capture {
    var output = ""
    var errors = ""
    var all = ""
}

/// A reader that plays given lines and says it is a terminal (so the caret goes under the input).
final class ScriptedTerminalReader: LineReader {
    var lines: [LineInput]
    var prompts: [String] = []
    var history: [String] = []
    var closed = false
    var completion: ((String) -> Completion)?

    init(_ lines: [LineInput]) { self.lines = lines }

    var isInteractive: Bool { true }
    var columns: Int? { 100 }
    func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        return lines.isEmpty ? .end : lines.removeFirst()
    }
    func addHistory(_ line: String) { history.append(line) }
    func setCompletion(_ complete: @escaping (String) -> Completion) { completion = complete }
    func close() { closed = true }
}

/// A shell over a fresh session with the standard modules, writing into a ``Capture``.
func makeREPL(
    reader: any LineReader = PlainLineReader(lines: []), interrupts: InterruptFlag = .manual(),
    baseDirectory: String? = nil
) throws -> (REPL, Capture) {
    let capture = Capture()
    var options = Session.Options()
    options.output = { text in
        capture.output += text
        capture.all += text
    }
    options.baseDirectory = baseDirectory
    let session = Session(registry: try makeRegistry(), options: options)
    let configuration = REPLConfiguration(
        version: "9.9.9", colour: false,
        write: { text in
            capture.output += text
            capture.all += text
        },
        writeError: { text in
            capture.errors += text
            capture.all += text
        },
        interrupts: interrupts, baseDirectory: baseDirectory)
    return (REPL(session: session, reader: reader, configuration: configuration), capture)
}

/// Runs `lines` through a shell reading them as a pipe would.
func runLines(_ lines: [String], baseDirectory: String? = nil) throws -> (REPL, Capture) {
    let (repl, capture) = try makeREPL(reader: PlainLineReader(lines: lines), baseDirectory: baseDirectory)
    repl.run()
    return (repl, capture)
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "lodestone-repl-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The number a variable holds.
func number(_ repl: REPL, _ name: String) -> Double? {
    if case .number(let x)? = repl.session.value(of: name) { return x }
    return nil
}

/// The statements that set up a model, a scenario and a run (`m`, `s`, `r`).
let setupLines = [
    "let m = model(trade, stockpile, diplomacy, data: \"baseline-2024\")",
    "let s = scenario(\"curbs\")",
    "s.restrict(from: \"CN\", to: \"JP\", commodity: \"DyTb\", share: 100%, start: 2026-02, months: 12)",
    "let r = run(m, s, months: 24)",
]
