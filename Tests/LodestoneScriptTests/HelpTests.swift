import LodestoneScript
import Testing

/// `help()`'s list of functions and `help("name")` for the analysis functions and their results.
@Suite("help")
struct HelpTests {
    /// The lines of `help()` under the group `title`, up to the next blank line.
    static func group(_ title: String, in help: String) -> [Substring] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(title) }) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.isEmpty && $0.hasPrefix("  ") })
    }

    @Test("help() lists every function in a group, one line each, the analysis functions together")
    func everyFunctionGrouped() throws {
        let outcome = Harness.run("print(help())")
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let help = outcome.stdout
        let session = Harness.session(sink: OutputSink())
        #expect(!help.contains("\nOther:"), "\(help)")
        var listed: [String] = []
        for line in help.split(separator: "\n") where line.hasPrefix("  ") {
            let usage = line.dropFirst(2)
            if let open = usage.firstIndex(of: "("), !usage[..<open].contains(" ") { listed.append(String(usage[..<open])) }
        }
        #expect(listed.sorted() == session.builtinNames, "\(help)")
        let analysis = Self.group("Analysis", in: help)
        #expect(analysis.map { $0.dropFirst(2).prefix { $0 != "(" } } == ["sensitivity", "discover", "calibrate"])
        for (line, summary) in zip(analysis, ["Sobol indices or Morris screening", "scenario discovery (PRIM)", "Nelder–Mead"]) {
            #expect(line.contains(")  ") && line.contains(summary), "\(line)")
        }
    }

    @Test(
        "help on an analysis function or on what it returns explains both",
        arguments: [
            ("sensitivity", "sensitivity", "sensitivity"), ("discover", "discover", "discovery"),
            ("discovery", "discover", "discovery"), ("calibrate", "calibrate", "calibration"),
            ("calibration", "calibrate", "calibration"),
        ])
    func analysisTopic(topic: String, function: String, result: String) throws {
        let session = Harness.session(sink: OutputSink())
        let help = try #require(session.helpText(topic: topic), "help(\"\(topic)\") is an error")
        #expect(help.hasPrefix("\(function)(model") || help.hasPrefix("\(function)(ensemble"), "\(help)")
        let article = result.first == "a" || result.first == "e" || result.first == "i" ? "an" : "a"
        #expect(help.contains("It returns \(article) \(result). \(article.capitalized) \(result) has:"), "\(help)")
        // Every method and property of the result is listed on its own line.
        for member in Session.memberNames(ofType: result) {
            #expect(help.contains("\n  .\(member)"), "help(\"\(topic)\") lists .\(member)")
        }
        #expect(!Session.memberNames(ofType: result).isEmpty)
    }

    @Test("help(discover), on the function itself, also says what it returns")
    func analysisValue() {
        let outcome = Harness.run("print(help(discover))")
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("discover(ensemble, where:, threshold:)\n"))
        #expect(outcome.stdout.contains("It returns a discovery. A discovery has:"))
    }
}
