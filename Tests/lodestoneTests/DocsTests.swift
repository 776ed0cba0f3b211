import Foundation
import Testing

/// Every documentation page runs as written.
///
/// For each of README.md and Docs/**/*.md (except Docs/Workshops/, which has tests of its own):
///
/// - the ```lode blocks, in order, form one script, run with `lodestone run` in a scratch folder
///   (so exports land there) — like typing them into one REPL session; it must succeed;
/// - in ```sh (or `shell`, `bash`, `console`) blocks, each line that calls `lodestone` runs with
///   the built binary in the same folder, after the script (`Examples/` is linked there); it must
///   exit 0, or N when the line ends with `# exit N`. A line that would start the interactive
///   shell (it needs a terminal) is skipped, and so is every other command;
/// - a ```text block directly preceded by `<!-- output -->` must appear in what the nearest code
///   block before it printed: the standard output of the page's script for a `lode` block, the
///   standard output and error of the block's commands for a shell block;
/// - a block directly preceded by `<!-- file: NAME -->` must appear in the file NAME that the
///   page's code wrote in the scratch folder.
///
/// Lines are compared without trailing blanks.
@Suite("documentation")
struct DocsTests {
    /// README.md and every page under Docs/ except the workshop packs, relative to the package.
    static let pages: [String] = {
        var pages = ["README.md"]
        let docs = DocsCLI.packageRoot.appendingPathComponent("Docs")
        let found = FileManager.default.enumerator(atPath: docs.path)?.compactMap { $0 as? String } ?? []
        pages += found.filter { $0.hasSuffix(".md") && !$0.hasPrefix("Workshops/") }.sorted().map { "Docs/" + $0 }
        return pages
    }()

    @Test("the pages are found")
    func pagesAreFound() {
        for page in ["README.md", "Docs/README.md", "Docs/Tutorial.md", "Docs/REPL.md", "Docs/CLI.md", "Docs/Exports.md",
            "Docs/Ensembles.md", "Docs/Language.md"]
        {
            #expect(Self.pages.contains(page), "\(page)")
        }
        #expect(!Self.pages.contains { $0.hasPrefix("Docs/Workshops/") })
    }

    @Test("the code of the page runs and its quoted outputs are what it prints", arguments: DocsTests.pages)
    func page(_ page: String) throws {
        let binary = try #require(DocsCLI.binary, "the lodestone executable is built next to the tests")
        let markdown = try String(contentsOf: DocsCLI.packageRoot.appendingPathComponent(page), encoding: .utf8)
        let blocks = MarkdownBlock.blocks(in: markdown)
        let sandbox = try DocsSandbox(binary: binary)
        defer { sandbox.remove() }

        // 1. The page's lode blocks as one script.
        var script: [String] = []
        var pageLines: [Int] = []  // the page's line number of each script line
        for block in blocks where block.language == "lode" {
            for (offset, line) in block.lines.enumerated() {
                script.append(line)
                pageLines.append(block.line + offset)
            }
        }
        var scriptOutput = ""
        if !script.isEmpty {
            let name = (page as NSString).lastPathComponent + ".lode"
            try (script.joined(separator: "\n") + "\n").write(
                to: sandbox.directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            let outcome = try DocsCLI.run(binary, ["run", name], in: sandbox.directory, environment: sandbox.environment)
            scriptOutput = outcome.stdout
            #expect(
                outcome.status == 0,
                "the lode blocks of \(page) failed (exit \(outcome.status)):\n\(Self.locate(outcome.stderr, script: name, page: page, lines: pageLines))"
            )
        }

        // 2. Shell commands, and the quoted outputs of both.
        var last: (kind: String, output: String)?
        for block in blocks {
            switch block.language {
            case "lode":
                last = ("the lode script", scriptOutput)
            case "sh", "shell", "bash", "console":
                var output = ""
                for line in block.lines {
                    guard let command = ShellCommand(line: line) else { continue }
                    let outcome = try DocsCLI.run(
                        URL(fileURLWithPath: "/bin/sh"), ["-c", command.command], in: sandbox.directory,
                        environment: sandbox.environment, mergeOutput: true)
                    output += outcome.stdout
                    #expect(
                        outcome.status == command.expectedStatus,
                        "\(page):\(block.line): `\(command.command)` exited \(outcome.status), expected \(command.expectedStatus):\n\(outcome.stdout.suffix(3000))"
                    )
                }
                last = ("the commands of the block at line \(block.line)", output)
            case "text" where block.isQuotedOutput:
                guard let (kind, output) = last else {
                    Issue.record("\(page):\(block.line): a quoted output with no code block before it")
                    continue
                }
                let expected = normalizedOutput(block.text)
                let actual = normalizedOutput(output)
                #expect(
                    actual.contains(expected),
                    "\(page):\(block.line): this output is not in what \(kind) printed.\n--- quoted\n\(expected)\n--- printed\n\(actual.suffix(6000))"
                )
            default:
                guard let file = block.quotedFile else { continue }
                let url = sandbox.directory.appendingPathComponent(file)
                guard let written = try? String(contentsOf: url, encoding: .utf8) else {
                    Issue.record("\(page):\(block.line): the page's code wrote no file `\(file)`")
                    continue
                }
                let expected = normalizedOutput(block.text)
                #expect(
                    normalizedOutput(written).contains(expected),
                    "\(page):\(block.line): this is not in the file `\(file)`.\n--- quoted\n\(expected)\n--- file\n\(written.prefix(6000))"
                )
            }
        }
    }

    /// `stderr` with the script's locations (`Tutorial.md.lode:12:5`) turned into the page's.
    static func locate(_ stderr: String, script: String, page: String, lines: [Int]) -> String {
        var out = ""
        var rest = Substring(stderr)
        while let found = rest.range(of: script + ":") {
            out += rest[..<found.lowerBound]
            rest = rest[found.upperBound...]
            let digits = rest.prefix { $0.isNumber }
            if let number = Int(digits), number >= 1, number <= lines.count {
                out += "\(page):\(lines[number - 1])"
                rest = rest.dropFirst(digits.count)
            } else {
                out += script + ":"
            }
        }
        return out + rest
    }

    // MARK: README's answer

    /// The numbers quoted between `<!-- answer -->` and `<!-- /answer -->` in README.md (code spans
    /// and link targets left out; commas in numbers dropped; years such as 2026 skipped, as dates
    /// of the prose).
    static func quotedNumbers(_ readme: String) throws -> [String] {
        let start = try #require(readme.range(of: "<!-- answer -->"), "README.md marks its answer with <!-- answer -->")
        let end = try #require(readme.range(of: "<!-- /answer -->"), "README.md ends its answer with <!-- /answer -->")
        var prose = String(readme[start.upperBound..<end.lowerBound])
        prose.replace(#/`[^`]*`/#, with: " ")
        prose.replace(#/\]\([^)]*\)/#, with: "] ")
        return numbers(in: prose).filter { token in
            guard let year = Int(token), token.count == 4 else { return true }
            return !(1900...2100).contains(year)
        }
    }

    /// Numeric tokens: `190.9`, `11100` (from `11,100`), months such as `2026-03`.
    static func numbers(in text: String) -> [String] {
        text.matches(of: #/\d[\d,]*(?:\.\d+)?(?:-\d\d(?!\d))?/#).map { match in
            var token = String(text[match.range]).replacingOccurrences(of: ",", with: "")
            while token.hasSuffix(".") { token.removeLast() }
            return token
        }
    }

    @Test("README's answer quotes what Examples/answer-2026.lode prints, and its chart is what the script draws")
    func readmeAnswer() throws {
        let binary = try #require(DocsCLI.binary, "the lodestone executable is built next to the tests")
        let readme = try String(contentsOf: DocsCLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let quoted = try Self.quotedNumbers(readme)
        #expect(quoted.count >= 8, "the answer quotes numbers: \(quoted)")
        let sandbox = try DocsSandbox(binary: binary)
        defer { sandbox.remove() }
        let outcome = try DocsCLI.run(
            binary, ["run", "Examples/answer-2026.lode"], in: sandbox.directory, environment: sandbox.environment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let printed = Set(Self.numbers(in: outcome.stdout))
        for number in quoted {
            #expect(printed.contains(number), "README.md quotes \(number), which Examples/answer-2026.lode does not print:\n\(outcome.stdout)")
        }
        // The chart is compared without its provenance, which records when it was written.
        let drawn = Self.withoutProvenance(
            try String(contentsOf: sandbox.directory.appendingPathComponent("curb-2026.svg"), encoding: .utf8))
        let committed = Self.withoutProvenance(
            try String(contentsOf: DocsCLI.packageRoot.appendingPathComponent("Docs/images/curb-2026.svg"), encoding: .utf8))
        #expect(drawn == committed, "Docs/images/curb-2026.svg is out of date: copy the curb-2026.svg that Examples/answer-2026.lode writes")
        #expect(readme.contains("](Docs/images/curb-2026.svg)"), "README.md shows the chart")
    }

    /// An SVG without its `<metadata id="lodestone-provenance">…</metadata>` element.
    static func withoutProvenance(_ svg: String) -> String {
        guard let start = svg.range(of: "<metadata id=\"lodestone-provenance\">"),
            let end = svg.range(of: "</metadata>\n", range: start.upperBound..<svg.endIndex)
        else { return svg }
        return String(svg[..<start.lowerBound] + svg[end.upperBound...])
    }

    @Test("Docs/README.md links every page of Docs/")
    func mapLinksEveryPage() throws {
        let map = try String(contentsOf: DocsCLI.packageRoot.appendingPathComponent("Docs/README.md"), encoding: .utf8)
        for page in Self.pages where page.hasPrefix("Docs/") && page != "Docs/README.md" && !page.dropFirst(5).contains("/") {
            #expect(map.contains("](\(page.dropFirst(5)))"), "Docs/README.md does not link \(page)")
        }
        #expect(map.contains("](Workshops/"), "Docs/README.md links the workshop packs")
    }

    @Test("shell lines: which run, which need a terminal, expected exit codes")
    func shellLines() {
        #expect(ShellCommand(line: "make run") == nil)
        #expect(ShellCommand(line: "lodestone") == nil)
        #expect(ShellCommand(line: "lodestone --plugin industry") == nil)
        #expect(ShellCommand(line: "$ lodestone run Examples/first-steps.lode")?.command == "lodestone run Examples/first-steps.lode")
        #expect(ShellCommand(line: "echo 'print(1)' | lodestone")?.expectedStatus == 0)
        #expect(ShellCommand(line: "NO_COLOR=1 lodestone -e 'x'   # exit 1")?.expectedStatus == 1)
        #expect(ShellCommand(line: "swift run lodestone") == nil)
        let blocks = MarkdownBlock.blocks(in: "a\n<!-- output -->\n\n```text\nx\n```\n```lode\n1\n```\n<!-- file: a.csv -->\n```csv\nm\n```")
        #expect(blocks.map(\.isQuotedOutput) == [true, false, false])
        #expect(blocks.map(\.quotedFile) == [nil, nil, "a.csv"])
        #expect(blocks.map(\.line) == [5, 8, 12])
        #expect(normalizedOutput("a  \nb\t\n\n") == "a\nb")
        #expect(Self.numbers(in: "190.9 t, 11,100 USD/kg in 2026-03.") == ["190.9", "11100", "2026-03"])
    }
}
