#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import ArgumentParser
import LodestoneExport
import LodestoneKernel
import LodestoneREPL
import LodestoneScript

/// `lodestone serve --stdio`: the machine interface (Docs/Integration.md). Requests are read
/// from standard input and replies written to standard output, one JSON object per line; what
/// anything else would print on standard output goes to standard error instead, so that the
/// replies stay clean.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer newline-delimited JSON requests: a session for notebooks and editors.")

    @Flag(help: "Speak newline-delimited JSON on standard input and output (the only transport).")
    var stdio = false

    /// `--seed`, `--set`, `--plugin` and `--safe` are parsed by the root command.
    @ParentCommand var root: Lodestone

    func validate() throws {
        guard stdio else { throw ValidationError("serve needs --stdio (the only transport): lodestone serve --stdio") }
    }

    mutating func run() throws {
        let registry = try ScriptRunner.registry(plugins: root.settings.plugins)
        let overrides = try root.settings.overrides(registry: registry)
        let session = ScriptRunner.session(registry: registry, baseDirectory: nil, settings: root.settings, overrides: overrides)
        // Replies get standard output to themselves.
        let replies = dup(STDOUT_FILENO)
        dup2(STDERR_FILENO, STDOUT_FILENO)
        signal(SIGPIPE, SIG_IGN)
        InterruptFlag.installSignalHandler()
        defer { InterruptFlag.restoreSignalHandler() }
        let server = Server(
            session: session, version: Lodestone.version, renderers: Self.renderers, usesSignal: true,
            send: { line in DescriptorIO.write(line + "\n", to: replies) })
        let input = DescriptorIO.Lines(descriptor: STDIN_FILENO)
        server.run(readLine: { input.next() })
    }

    /// Charts as SVG (LodestoneExport's chart) with the terminal chart as text; tables as HTML.
    static var renderers: RichRenderers {
        RichRenderers(
        chart: { chart in
            let months = chart.series.map(\.values.count).max() ?? 0
            let lines = LineChart(
                title: chart.title, start: chart.start, months: months,
                series: chart.series.map {
                    // The panel is titled with the chart's signals in words, as in the terminal.
                    ChartSeries(
                        label: $0.label, unit: chart.unit ?? "", values: $0.values,
                        title: chart.names.isEmpty ? nil : chart.names.joined(separator: ", "))
                })
            return [
                "text/plain": chart.titleLines
                    + TerminalChart.render(series: chart.series, start: chart.start, color: false, unit: chart.unit),
                "image/svg+xml": SVGChart.render(lines, standalone: false),
            ]
        },
            tableHTML: { table in HTMLReport.fragment(table: table) })
    }
}

/// Reading lines from, and writing to, a file descriptor with plain system calls, retrying when
/// a signal (Ctrl-C, an interrupt) breaks the call off.
enum DescriptorIO {
    /// Writes all of `text`; gives up silently when the reader is gone.
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// The lines of a descriptor, read by one thread.
    final class Lines: @unchecked Sendable {
        private let descriptor: Int32
        private var buffer: [UInt8] = []
        private var ended = false

        /// Lines of `descriptor`.
        init(descriptor: Int32) { self.descriptor = descriptor }

        /// The next line without its newline, or nil at the end of the input.
        func next() -> String? {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    buffer.removeSubrange(...newline)
                    return line
                }
                if ended {
                    guard !buffer.isEmpty else { return nil }
                    defer { buffer = [] }
                    return String(decoding: buffer, as: UTF8.self)
                }
                var chunk = [UInt8](repeating: 0, count: 65536)
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 {
                    ended = true
                } else {
                    buffer += chunk[..<count]
                }
            }
        }
    }
}
