import Foundation
import Testing

@testable import LodestoneScript

/// Every ```lode block of Docs/Language.md runs (in order, in one session, like a notebook), and
/// every script in Examples/ runs without error.
@Suite("Documentation and examples")
struct DocumentationTests {
    static func blocks(_ markdown: String) -> [(line: Int, code: String)] {
        var blocks: [(Int, String)] = []
        var current: [String]?
        var start = 0
        for (number, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```lode" {
                current = []
                start = number + 2
            } else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append((start, current!.joined(separator: "\n")))
                current = nil
            } else if current != nil {
                current!.append(String(line))
            }
        }
        return blocks
    }

    @Test("every lode block of Docs/Language.md runs")
    func languageReference() throws {
        let url = Harness.packageRoot.appendingPathComponent("Docs/Language.md")
        let markdown = try String(contentsOf: url, encoding: .utf8)
        let blocks = Self.blocks(markdown)
        #expect(blocks.count >= 15)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        let sink = OutputSink()
        let session = Harness.session(sink: sink, outputDirectory: output.path)
        for (line, code) in blocks {
            do {
                try session.run(code, file: "Language.md", firstLine: line)
            } catch {
                Issue.record("Docs/Language.md block at line \(line) failed:\n\(error.render())")
            }
        }
        #expect(sink.text.contains("run \"2026 export curbs\": 2026-01…2028-12 (36 months), seed 1"))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("curbs.csv").path))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("curbs.html").path))
    }

    static var examples: [String] {
        let directory = Harness.packageRoot.appendingPathComponent("Examples")
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".lode") }.sorted()
    }

    @Test("the required examples exist")
    func requiredExamples() {
        #expect(Self.examples.contains("first-steps.lode"))
        #expect(Self.examples.contains("curb-2026.lode"))
    }

    @Test("every example runs", arguments: DocumentationTests.examples)
    func example(_ name: String) throws {
        let directory = Harness.packageRoot.appendingPathComponent("Examples")
        let source = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        let outcome = Harness.run(source, file: name, baseDirectory: directory.path, outputDirectory: output.path)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("run \""))
    }
}
