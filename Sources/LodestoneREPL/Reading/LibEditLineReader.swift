import CLibEditShim
import Foundation
import LodestoneKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads lines on a terminal with libedit: emacs keys, `~/.editrc`, persistent history, Ctrl-R
/// reverse search, prefix search on the up and down arrows, and Tab completion.
///
/// Ctrl-C while typing returns ``LineInput/interrupt``; Ctrl-D on an empty line returns
/// ``LineInput/end``. The SIGINT handler it installs also serves ``InterruptFlag/signal``, so
/// Ctrl-C during a computation stops it instead of killing the process.
public final class LibEditLineReader: LineReader {
    private let editor: OpaquePointer
    private let historyFile: String?
    private let colour: Bool
    private var complete: ((String) -> Completion)?
    private var closed = false

    /// Opens libedit on standard input and output. `historyFile` is read now and written after
    /// every line and on ``close()`` (its directory is created); nil keeps no history on disk.
    /// Returns nil when libedit cannot start (no terminal).
    public init?(
        program: String = "lodestone", historyFile: String? = HistoryLocation.file(), colour: Bool = false,
        historySize: Int = 1000
    ) {
        CLibEditShim_setLocale()
        InterruptFlag.installSignalHandler()
        guard let editor = CLibEditShim_open(program, Int32(historySize)) else {
            InterruptFlag.restoreSignalHandler()
            return nil
        }
        self.editor = editor
        self.historyFile = historyFile
        self.colour = colour
        let context = Unmanaged.passUnretained(self).toOpaque()
        CLibEditShim_setCompletion(editor, { context, el in
            guard let context, let el else { return UInt8(CC_ERROR) }
            return Unmanaged<LibEditLineReader>.fromOpaque(context).takeUnretainedValue().completeLine(el)
        }, context)
        CLibEditShim_sourceUserConfiguration(editor)
        if let historyFile { CLibEditShim_historyLoad(editor, historyFile) }
    }

    deinit { close() }

    /// True.
    public var isInteractive: Bool { true }

    /// The terminal's width.
    public var columns: Int? { Int(CLibEditShim_columns(editor)) }

    /// The number of lines in the history (loaded and added).
    public var historyCount: Int { Int(CLibEditShim_historyCount(editor)) }

    /// Reads a line after `prompt` (bold cyan when colour is on).
    public func readLine(prompt: String) -> LineInput {
        CLibEditShim_setPrompt(editor, styled(prompt))
        CLibEditShim_resize(editor)
        CLibEditShim_clearInterrupt()
        var count: Int32 = 0
        guard let raw = CLibEditShim_gets(editor, &count) else {
            if CLibEditShim_interrupted() != 0 {
                CLibEditShim_clearInterrupt()
                CLibEditShim_reset(editor)
                write("\n")
                return .interrupt
            }
            return .end
        }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        if line.hasSuffix("\r") { line.removeLast() }
        return .line(line)
    }

    /// Adds a line to the history and writes the history file.
    public func addHistory(_ line: String) {
        CLibEditShim_historyEnter(editor, line)
        saveHistory()
    }

    /// Installs the completion for Tab.
    public func setCompletion(_ complete: @escaping (String) -> Completion) {
        self.complete = complete
    }

    /// Saves the history, restores the terminal and the SIGINT handler.
    public func close() {
        guard !closed else { return }
        closed = true
        saveHistory()
        CLibEditShim_close(editor)
        InterruptFlag.restoreSignalHandler()
    }

    /// Writes the history to a temporary file beside the history file, then renames it, so that
    /// a crash never leaves half a history.
    private func saveHistory() {
        guard let historyFile else { return }
        let directory = FilePaths.folder(of: historyFile)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = historyFile + ".tmp-\(getpid())"
        if CLibEditShim_historySave(editor, temporary) >= 0 {
            if rename(temporary, historyFile) != 0 { unlink(temporary) }
        } else {
            unlink(temporary)
        }
    }

    private func styled(_ prompt: String) -> String {
        guard colour else { return prompt }
        let body = prompt.hasSuffix(" ") ? String(prompt.dropLast()) : prompt
        let tail = prompt.hasSuffix(" ") ? " " : ""
        return "\u{1}\u{1B}[1;36m\u{1}" + body + "\u{1}\u{1B}[0m\u{1}" + tail
    }

    private func write(_ text: String) {
        let out = CLibEditShim_stdout()
        fputs(text, out)
        fflush(out)
    }

    // MARK: Completion

    /// Tab: inserts the candidates' common prefix, or lists the candidates when it adds nothing.
    fileprivate func completeLine(_ el: OpaquePointer) -> UInt8 {
        guard let complete, let info = el_line(el)?.pointee, let buffer = info.buffer, let cursor = info.cursor else {
            return UInt8(CC_ERROR)
        }
        let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(buffer), count: cursor - buffer)
        let line = String(decoding: bytes, as: UTF8.self)
        let completion = complete(line)
        guard !completion.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let insertion = completion.insertion
        if !insertion.isEmpty {
            guard el_insertstr(el, insertion) == 0 else { return UInt8(CC_ERROR) }
            return UInt8(CC_REFRESH)
        }
        if completion.candidates.count == 1 { return UInt8(CC_REFRESH) }
        write("\n" + CandidateList.format(completion.candidates, width: columns ?? 80))
        return UInt8(CC_REDISPLAY)
    }
}
