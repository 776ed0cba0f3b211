import Foundation
import Testing

/// The parts of a workshop handout the tests check: its ```lode blocks (each must run when
/// appended to the pack's script) and its quoted outputs: ```text blocks right after a line
/// `<!-- output of PACK/SCRIPT.lode -->` (what the script prints), or with
/// `… with lode block N -->` (the script with the handout's N-th ```lode block appended, from 1) or
/// `… with the lode block above -->` (with the nearest ```lode block above appended).
struct Handout {
    /// A ```lode block: its first line number (1-based) and its code.
    struct Block {
        var line: Int
        var code: String
    }

    /// A quoted output: where it is, which script it quotes, which lode block (index into
    /// `blocks`) was appended, if any, and the quoted lines.
    struct Quote {
        var line: Int
        var script: String
        var block: Int?
        var lines: [String]
    }

    var blocks: [Block] = []
    var quotes: [Quote] = []
    /// Markers that are not followed by a ```text block, or that name no script (line numbers).
    var malformed: [Int] = []
    /// The `## ` headings, in order.
    var headings: [String] = []

    init(markdown: String) {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("## ") { headings.append(String(trimmed.dropFirst(3))) }
            if trimmed == "```lode" {
                let start = index + 1
                var code: [String] = []
                index += 1
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces) != "```" {
                    code.append(lines[index])
                    index += 1
                }
                blocks.append(Block(line: start + 1, code: code.joined(separator: "\n")))
            } else if trimmed.hasPrefix("<!-- output of "), trimmed.hasSuffix("-->") {
                let marker = index + 1
                var spec = String(trimmed.dropFirst("<!-- output of ".count).dropLast(3)).trimmingCharacters(in: .whitespaces)
                // Which lode block was appended: none, "the lode block above", or "lode block N" (1-based).
                var block: Int?
                var blockIsValid = true
                if let range = spec.range(of: " with the lode block above"), range.upperBound == spec.endIndex {
                    spec = String(spec[..<range.lowerBound])
                    block = blocks.count - 1
                    blockIsValid = !blocks.isEmpty
                } else if let range = spec.range(of: " with lode block ") {
                    let number = Int(spec[range.upperBound...])
                    spec = String(spec[..<range.lowerBound])
                    block = number.map { $0 - 1 }
                    blockIsValid = number.map { $0 >= 1 } ?? false
                }
                index += 1
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).isEmpty { index += 1 }
                guard index < lines.count, lines[index].trimmingCharacters(in: .whitespaces) == "```text", spec.hasSuffix(".lode"),
                    blockIsValid
                else {
                    malformed.append(marker)
                    continue
                }
                var quoted: [String] = []
                index += 1
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces) != "```" {
                    let line = LodestoneProcess.rightTrimmed(lines[index])
                    if !line.isEmpty { quoted.append(line) }
                    index += 1
                }
                quotes.append(Quote(line: marker, script: spec, block: block, lines: quoted))
            }
            index += 1
        }
    }
}

/// One workshop pack: a folder of Docs/Workshops with one `.lode` script, its handout and the
/// report and chart the script writes.
struct WorkshopPack {
    var folder: String

    static let root = LodestoneProcess.packageRoot.appendingPathComponent("Docs/Workshops")
    var directory: URL { Self.root.appendingPathComponent(folder) }

    /// The pack's single `.lode` script.
    func script() throws -> String {
        let scripts = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".lode") }
        try #require(scripts.count == 1, "\(folder) holds exactly one .lode script, found \(scripts)")
        return scripts[0]
    }

    /// The report (`SCRIPT.html`) and chart (`SCRIPT.svg`) names.
    func outputs() throws -> (report: String, chart: String) {
        let base = String(try script().dropLast(".lode".count))
        return (base + ".html", base + ".svg")
    }

    func handout() throws -> Handout {
        Handout(markdown: try String(contentsOf: directory.appendingPathComponent("handout.md"), encoding: .utf8))
    }

    /// A fresh copy of the pack in a temporary directory, without the committed report and
    /// chart, so that the script's run writes them anew and the committed ones stay untouched.
    func temporaryCopy() throws -> URL {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-workshop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let copy = parent.appendingPathComponent(folder)
        try FileManager.default.copyItem(at: directory, to: copy)
        let (report, chart) = try outputs()
        for name in [report, chart] { try? FileManager.default.removeItem(at: copy.appendingPathComponent(name)) }
        return copy
    }

    /// The text of an HTML section `<section id="ID">…</section>`, or nil.
    static func section(_ id: String, of html: String) -> Substring? {
        guard let open = html.range(of: "<section id=\"\(id)\">") else { return nil }
        guard let close = html.range(of: "</section>", range: open.upperBound..<html.endIndex) else { return nil }
        return html[open.lowerBound..<close.upperBound]
    }
}

@Suite("Workshop packs", .serialized)
struct WorkshopTests {
    static let folders = ["01-embargo-2010", "02-heavy-rare-earth-controls-2025", "03-curb-on-japan-2026", "04-what-must-be-true"]
    /// The most a script may take in a debug build.
    static let budget = Duration.seconds(60)

    @Test("each pack has a script, a handout with every part, a committed report and chart", arguments: folders)
    func packContents(_ folder: String) throws {
        let pack = WorkshopPack(folder: folder)
        let (report, chart) = try pack.outputs()
        let files = try FileManager.default.contentsOfDirectory(atPath: pack.directory.path)
        for name in ["handout.md", report, chart] { #expect(files.contains(name), "\(folder)/\(name)") }
        let handout = try pack.handout()
        for part in ["Context", "Questions", "Exercises", "Discussion", "Answers"] {
            #expect(handout.headings.contains { $0.hasPrefix(part) }, "\(folder)/handout.md has a `## \(part)…` section")
        }
        #expect(handout.malformed.isEmpty, "markers without a ```text block at lines \(handout.malformed)")
        #expect(handout.quotes.count >= 3, "\(folder)/handout.md quotes the script's output")
        #expect(handout.blocks.count >= 3, "\(folder)/handout.md has exercises in ```lode blocks")
        for quote in handout.quotes {
            if let block = quote.block { #expect(block < handout.blocks.count, "handout.md:\(quote.line) names lode block \(block + 1)") }
            #expect(quote.script == "\(folder)/\(try pack.script())", "handout.md:\(quote.line) quotes this pack's script")
            #expect(!quote.lines.isEmpty, "handout.md:\(quote.line) quotes something")
        }
    }

    @Test("the script runs within the budget, writes the report and chart, and prints what the handout quotes", arguments: folders)
    func scriptRuns(_ folder: String) throws {
        let pack = WorkshopPack(folder: folder)
        let script = try pack.script()
        let (report, chart) = try pack.outputs()
        let copy = try pack.temporaryCopy()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }

        let result = try LodestoneProcess.run(["run", script], in: copy)
        #expect(result.status == 0, "\(folder)/\(script) failed:\n\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.duration < Self.budget, "\(folder)/\(script) took \(result.duration)")
        #expect(result.stdout.contains("wrote \(report)"))

        let html = try String(contentsOf: copy.appendingPathComponent(report), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for id in ["headline", "scenario", "parameters", "metrics", "sources"] {
            #expect(WorkshopPack.section(id, of: html) != nil, "\(report) has its `\(id)` section")
        }
        #expect(html.contains("<figure class=\"key-chart\">\n<svg"), "\(report) opens with a chart beside its headline")
        #expect(html.contains("<h2>Data sources</h2>"))
        let svg = try String(contentsOf: copy.appendingPathComponent(chart), encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("</svg>"), "\(chart) is an SVG image")

        // The committed report shows the same numbers as the one the script writes today.
        let committed = try String(contentsOf: pack.directory.appendingPathComponent(report), encoding: .utf8)
        #expect(
            WorkshopPack.section("metrics", of: committed) == WorkshopPack.section("metrics", of: html),
            "the committed \(folder)/\(report) is stale: run the script again in its folder")

        let printed = Set(result.stdoutLines)
        for quote in try pack.handout().quotes where quote.block == nil {
            for line in quote.lines {
                let isPrinted = printed.contains(line)
                #expect(isPrinted, "\(folder)/handout.md:\(quote.line) quotes a line the script does not print:\n\(line)")
            }
        }
    }

    @Test("every lode block of the handout runs after the script, and prints what the handout quotes", arguments: folders)
    func handoutBlocksRun(_ folder: String) throws {
        let pack = WorkshopPack(folder: folder)
        let script = try pack.script()
        let source = try String(contentsOf: pack.directory.appendingPathComponent(script), encoding: .utf8)
        let handout = try pack.handout()
        let copy = try pack.temporaryCopy()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }

        for (index, block) in handout.blocks.enumerated() {
            let name = "handout-block-\(index).lode"
            try (source + "\n# handout.md, line \(block.line)\n" + block.code + "\n").write(
                to: copy.appendingPathComponent(name), atomically: true, encoding: .utf8)
            let result = try LodestoneProcess.run(["run", name], in: copy)
            #expect(result.status == 0, "the lode block at handout.md:\(block.line) fails after \(script):\n\(result.stderr)")
            #expect(result.duration < Self.budget, "the lode block at handout.md:\(block.line) took \(result.duration)")
            let printed = Set(result.stdoutLines)
            for quote in handout.quotes where quote.block == index {
                for line in quote.lines {
                    let isPrinted = printed.contains(line)
                    #expect(
                        isPrinted,
                        "\(folder)/handout.md:\(quote.line) quotes a line that the script with lode block \(index + 1) does not print:\n\(line)")
                }
            }
        }
    }

    @Test("the workshop README lists every pack")
    func readme() throws {
        let readme = try String(contentsOf: WorkshopPack.root.appendingPathComponent("README.md"), encoding: .utf8)
        for folder in Self.folders { #expect(readme.contains("\(folder)/"), "README.md links \(folder)") }
        // Every page that counts the packs says how many there are, and names every notebook.
        let count = ["one", "two", "three", "four", "five", "six"][Self.folders.count - 1]
        #expect(readme.hasPrefix("# Workshop packs\n\n\(count.capitalized) ready-to-teach sessions"))
        #expect(readme.contains("runs the \(count) notebooks"))
        for folder in Self.folders {
            let pack = WorkshopPack(folder: folder)
            let notebook = String(try pack.script().dropLast(".lode".count)) + ".ipynb"
            #expect(readme.contains("`\(notebook)`"), "README.md names \(notebook)")
        }
        let docs = WorkshopPack.root.deletingLastPathComponent()
        for page in ["README.md", "Tutorial.md"] {
            let text = try String(contentsOf: docs.appendingPathComponent(page), encoding: .utf8)
            #expect(text.contains("\(count) ready-to-teach packs"), "Docs/\(page) counts \(count) packs")
        }
    }

    @Test("the handout parser finds blocks, quotes and malformed markers")
    func parser() {
        let handout = Handout(
            markdown: """
                ## Context
                ```lode
                print(1)
                ```
                <!-- output of p/s.lode with the lode block above -->

                ```text
                1   
                ```
                <!-- output of p/s.lode -->
                ```text
                a

                b
                ```
                <!-- output of p/s.lode -->
                no block here
                <!-- output of p/s.lode with lode block 1 -->
                ```text
                c
                ```
                <!-- output of p/s.lode with lode block 0 -->
                ```text
                d
                ```
                """)
        #expect(handout.headings == ["Context"])
        #expect(handout.blocks.count == 1)
        #expect(handout.blocks.first?.line == 3)
        #expect(handout.blocks.first?.code == "print(1)")
        #expect(handout.quotes.count == 3)
        #expect(handout.quotes.first?.block == 0)
        #expect(handout.quotes.first?.lines == ["1"])
        #expect(handout.quotes[1].block == nil)
        #expect(handout.quotes[1].lines == ["a", "b"])
        #expect(handout.quotes[1].script == "p/s.lode")
        #expect(handout.quotes[2].block == 0)
        #expect(handout.quotes[2].lines == ["c"])
        #expect(handout.malformed == [16, 22])
    }
}
