import Foundation
import LodestoneREPL
import Testing

@Suite struct ReaderTests {
    @Test func historyLivesInTheXDGStateDirectory() {
        #expect(HistoryLocation.file(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/lodestone/history")
        #expect(HistoryLocation.file(environment: ["HOME": "/h"]) == "/h/.local/state/lodestone/history")
        #expect(HistoryLocation.file(environment: ["XDG_STATE_HOME": "", "HOME": "/h"]) == "/h/.local/state/lodestone/history")
        #expect(HistoryLocation.file(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]) == "/h/.local/state/lodestone/history")
        #expect(HistoryLocation.file(environment: [:]) == nil)
    }

    @Test func plainReaderPlaysLinesThenEnds() {
        let reader = PlainLineReader(lines: ["a", "b"])
        #expect(reader.readLine(prompt: "> ") == .line("a"))
        #expect(reader.readLine(prompt: "> ") == .line("b"))
        #expect(reader.readLine(prompt: "> ") == .end)
        #expect(!reader.isInteractive)
    }

    @Test func plainReaderCanEchoPrompts() {
        var written = ""
        let reader = PlainLineReader(echoesPrompt: true, write: { written += $0 }, next: { nil })
        #expect(reader.readLine(prompt: "lodestone> ") == .end)
        #expect(written == "lodestone> ")
    }

    @Test func colourOnATerminalUnlessNoColorIsNonEmpty() {
        let terminal: (Int32) -> Bool = { _ in true }
        #expect(REPLConfiguration.wantsColour(fileDescriptor: 1, environment: [:], isTerminal: terminal))
        // no-color.org: only a non-empty value turns colour off.
        #expect(REPLConfiguration.wantsColour(fileDescriptor: 1, environment: ["NO_COLOR": ""], isTerminal: terminal))
        #expect(!REPLConfiguration.wantsColour(fileDescriptor: 1, environment: ["NO_COLOR": "1"], isTerminal: terminal))
        // A pipe or file is not a terminal.
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer {
            close(fds[0])
            close(fds[1])
        }
        #expect(!REPLConfiguration.wantsColour(fileDescriptor: fds[1], environment: [:]))
    }

    @Test func manualInterruptFlag() {
        let flag = InterruptFlag.manual()
        #expect(!flag.isSet())
        flag.set()
        #expect(flag.isSet())
        flag.clear()
        #expect(!flag.isSet())
    }

    @Test func signalFlagFollowsSIGINT() throws {
        try #require(InterruptFlag.installSignalHandler())
        defer { InterruptFlag.restoreSignalHandler() }
        InterruptFlag.signal.clear()
        #expect(!InterruptFlag.signal.isSet())
        raise(SIGINT)
        #expect(InterruptFlag.signal.isSet())
        InterruptFlag.signal.clear()
        #expect(!InterruptFlag.signal.isSet())
    }
}
