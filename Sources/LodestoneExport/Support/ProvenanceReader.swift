import Foundation
import LodestoneKernel

/// A file whose provenance cannot be read, with what to do.
public struct ProvenanceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message, naming the file.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Reads back the provenance that every export records (``ExportProvenance``), for `lodestone
/// provenance FILE`: from a JSON or JSON-records file, a CSV's metadata file, the data block of
/// an HTML report, the comment at the end of a Markdown file, an SVG's `<metadata>`, or each
/// row of a database's `runs` table.
public enum ProvenanceReader {
    /// The provenance records of the file at `path`, each with a label (the file name, or for a
    /// database `run 3 (ensemble)`).
    public static func read(_ path: String) throws(ProvenanceError) -> [(label: String, provenance: ExportProvenance)] {
        let target = AtomicFile.resolve(path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isFolder) else {
            throw ProvenanceError("\(path) does not exist")
        }
        guard !isFolder.boolValue else { throw ProvenanceError("\(path) is a folder; give an exported file") }
        guard let data = FileManager.default.contents(atPath: target) else {
            throw ProvenanceError("cannot read \(path) (permission denied?)")
        }
        if data.starts(with: Array("SQLite format 3\0".utf8)) { return try SQLiteProvenance.read(target, reportedAs: path) }
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") {
            let base = lower.hasSuffix(".metrics.csv") ? String(path.dropLast(".metrics.csv".count)) + ".csv" : path
            let metadata = AtomicFile.resolve(CSVExporter.companionPaths(base).metadata)
            guard let sidecar = FileManager.default.contents(atPath: metadata) else {
                throw ProvenanceError(
                    "\(path) has no metadata file beside it (\(CSVExporter.companionPaths(base).metadata)), where Lodestone "
                        + "records a CSV's provenance; was it written by Lodestone, and moved without it?")
            }
            return [(path, try provenance(fromJSON: sidecar, path: path))]
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ProvenanceError("\(path) is neither text nor an SQLite database, so no Lodestone export")
        }
        if let json = embedded(text) { return [(path, try provenance(fromJSON: Data(json.utf8), path: path, member: nil))] }
        if text.drop(while: \.isWhitespace).hasPrefix("{") { return [(path, try provenance(fromJSON: data, path: path))] }
        throw ProvenanceError(
            "\(path) holds no Lodestone provenance (exports since Lodestone 0.1.0 record it: JSON, CSV metadata, HTML, "
                + "Markdown, SVG and SQLite)")
    }

    /// The provenance JSON inside an HTML data block, a Markdown comment or an SVG `<metadata>`.
    static func embedded(_ text: String) -> String? {
        let marker = ExportProvenance.marker
        if let start = text.range(of: "<script type=\"application/json\" id=\"\(marker)\">"),
            let end = text.range(of: "</script>", range: start.upperBound..<text.endIndex)
        {
            return String(text[start.upperBound..<end.lowerBound])
        }
        if let start = text.range(of: "<metadata id=\"\(marker)\">"),
            let end = text.range(of: "</metadata>", range: start.upperBound..<text.endIndex)
        {
            return TextEscaping.unescapeXML(String(text[start.upperBound..<end.lowerBound]))
        }
        if let start = text.range(of: "<!-- \(marker)\n"), let end = text.range(of: "-->", range: start.upperBound..<text.endIndex) {
            return String(text[start.upperBound..<end.lowerBound])
        }
        return nil
    }

    /// The provenance of a JSON document: its `member` (nil: the document itself).
    static func provenance(fromJSON data: Data, path: String, member: String? = "provenance") throws(ProvenanceError) -> ExportProvenance {
        let document: Any
        do { document = try JSONSerialization.jsonObject(with: data) } catch {
            throw ProvenanceError("\(path): the provenance is not valid JSON (\(error.localizedDescription))")
        }
        let object = document as? [String: Any]
        guard let record = member.map({ object?[$0] as? [String: Any] }) ?? object else {
            throw ProvenanceError("\(path) has no `provenance` member; it was not written by Lodestone 0.1.0 or later")
        }
        return try ExportProvenance(json: record, path: path)
    }
}

extension ExportProvenance {
    /// A record read from its JSON form (see ``json(includeScriptText:)``).
    init(json: [String: Any], path: String) throws(ProvenanceError) {
        guard let version = json["lodestone"] as? String, let kind = json["kind"] as? String,
            let created = json["created"] as? String
        else {
            throw ProvenanceError("\(path): the provenance lacks `lodestone`, `kind` or `created`")
        }
        let datasets = (json["datasets"] as? [[String: Any]] ?? []).map {
            DatasetRecord(name: $0["name"] as? String ?? "", hash: $0["hash"] as? String ?? "unknown")
        }
        var script: ScriptRecord?
        if let record = json["script"] as? [String: Any], let name = record["name"] as? String {
            script = ScriptRecord(name: name, hash: record["hash"] as? String ?? "unknown", text: record["text"] as? String)
        }
        let parameters = (json["parameters"] as? [[String: Any]] ?? []).map {
            ParameterRecord(
                run: $0["run"] as? String, path: $0["path"] as? String ?? "", value: ($0["value"] as? NSNumber)?.doubleValue ?? .nan,
                defaultValue: ($0["default"] as? NSNumber)?.doubleValue ?? .nan, unit: $0["unit"] as? String ?? "")
        }
        self.init(
            lodestoneVersion: version, kind: kind, datasets: datasets, script: script,
            seeds: json["seeds"] as? [String] ?? [], parameters: parameters, created: created)
    }
}
