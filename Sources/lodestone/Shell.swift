import Foundation
import LodestoneExport
import LodestoneKernel
import LodestoneREPL
import LodestoneScript

/// `lodestone` with no arguments on a terminal: the interactive shell of LodestoneREPL on libedit
/// (history in `$XDG_STATE_HOME/lodestone/history`), or a plain line loop if libedit cannot start.
enum Shell {
    static func run(registry: Registry, settings: ScriptSettings, overrides: [(path: String, value: Double)]) throws {
        let session = ScriptRunner.session(registry: registry, baseDirectory: nil, settings: settings, overrides: overrides)
        let colour = Terminal.colourOnStdout
        let reader: any LineReader =
            LibEditLineReader(historyFile: HistoryLocation.file(), colour: colour)
            ?? PlainLineReader(echoesPrompt: true, write: Terminal.writeOut) { Swift.readLine(strippingNewline: true) }
        let configuration = REPLConfiguration(
            version: Lodestone.version, colour: colour,
            write: Terminal.writeOut, writeError: Terminal.writeError,
            progressOutput: { text in FileHandle.standardError.write(Data(text.utf8)) })
        REPL(session: session, reader: reader, configuration: configuration).run()
    }
}
