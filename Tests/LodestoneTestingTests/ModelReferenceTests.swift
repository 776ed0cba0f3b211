import Foundation
import LodestoneDiplomacy
import LodestoneKernel
import LodestoneStockpile
import LodestoneTesting
import LodestoneTrade
import Testing

/// Docs/Models.md must list every parameter, signal and metric of the built-in modules with the
/// units, defaults and ranges the code declares, so that the reference cannot rot.
@Suite struct ModelReferenceTests {
    static let docsURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Docs/Models.md")

    /// Table rows (cells without the outer pipes) under `## heading`, for rows whose first cell is code.
    static func rows(under heading: String) throws -> [[String]] {
        let text = try String(contentsOf: docsURL, encoding: .utf8)
        var inSection = false
        var rows: [[String]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { inSection = line == "## \(heading)" }
            guard inSection, line.hasPrefix("| `") else { continue }
            rows.append(line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        return rows
    }

    static func unquote(_ cell: String) -> String { cell.replacingOccurrences(of: "`", with: "") }

    static func number(_ cell: String) -> Double? {
        let text = cell.replacingOccurrences(of: "−", with: "-")
        if text == "∞" { return .infinity }
        return Double(text)
    }

    @Test(arguments: ["trade", "stockpile", "diplomacy"])
    func parametersMatchTheirDeclarations(module: String) throws {
        let model: any Model = [TradeModel(), StockpileModel(), DiplomacyModel()].first { $0.name == module }!
        let declarations = model.parameters(for: Fixtures.miniature)
        let documented = try Self.rows(under: module).filter { row in
            declarations.contains { $0.name == Self.unquote(row[0]) }
        }
        #expect(Set(documented.map { Self.unquote($0[0]) }) == Set(declarations.map(\.name)), "every parameter documented")
        for row in documented {
            let declaration = declarations.first { $0.name == Self.unquote(row[0]) }!
            #expect(row[2] == declaration.unit.symbol, "unit of \(module).\(declaration.name)")
            #expect(
                row[4].replacingOccurrences(of: "−", with: "-") == ParameterSet.format(declaration.range),
                "range of \(module).\(declaration.name)")
            if let value = Self.number(row[3]) {
                #expect(declaration.defaults.allSatisfy { $0 == value }, "default of \(module).\(declaration.name)")
            }
        }
    }

    @Test(arguments: ["trade", "stockpile", "diplomacy"])
    func openInputsAreDocumentedWithTheirUnits(module: String) throws {
        let model: any Model = [TradeModel(), StockpileModel(), DiplomacyModel()].first { $0.name == module }!
        let interface = try model.interface(
            in: ModelContext(dataset: Fixtures.miniature, scenario: Fixtures.curbScenario))
        let rows = try Self.rows(under: module)
        for input in interface.inputs where input.isSummed {
            let row = rows.first { Self.unquote($0[0]) == input.signal && $0.count >= 4 }
            #expect(row != nil, "open input \(input.signal) is documented under ## \(module)")
            if let row { #expect(row[2] == input.unit.symbol, "unit of \(input.signal)") }
        }
    }

    @Test(arguments: ["trade", "stockpile", "diplomacy"])
    func signalsAndMetricsMatchTheInterface(module: String) throws {
        let model: any Model = [TradeModel(), StockpileModel(), DiplomacyModel()].first { $0.name == module }!
        let interface = try model.interface(
            in: ModelContext(dataset: Fixtures.miniature, scenario: Fixtures.curbScenario))
        let rows = try Self.rows(under: module)
        let signals = rows.filter { Self.unquote($0[0]).hasPrefix("\(module).") && $0.count >= 4 }
        for output in interface.outputs {
            let row = signals.first { Self.unquote($0[0]) == "\(module).\(output.name)" }
            #expect(row != nil, "\(module).\(output.name) is documented")
            if let row { #expect(row[2] == output.unit.symbol, "unit of \(module).\(output.name)") }
        }
        for metric in interface.metrics {
            let row = signals.first { Self.unquote($0[0]) == "\(module).\(metric.name)" }
            #expect(row != nil, "metric \(module).\(metric.name) is documented")
            if let row {
                let kind: String = switch metric.kind {
                case .month: "month"
                case .quantity(let unit): unit.symbol
                }
                #expect(row[2] == kind, "kind of \(module).\(metric.name)")
            }
        }
    }
}
