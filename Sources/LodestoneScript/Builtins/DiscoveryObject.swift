import Foundation
import LodestoneAnalysis
import LodestoneKernel

/// The result of `discover(…)`: the PRIM box of varied-parameter values in which the runs meeting
/// a condition are dense, and the coverage/density trade-off it was chosen from.
public final class DiscoveryObject {
    /// The analysis' result.
    public let result: DiscoveryResult

    init(_ result: DiscoveryResult) { self.result = result }

    /// A parameter value to three significant digits (`74`, `0.0312`).
    static func short(_ x: Double) -> String { ValueFormatter.number(Double(String(format: "%.3g", x)) ?? x) }

    /// A share as a percentage to the nearest whole (`85 %`).
    static func percent(_ x: Double) -> String { "\(Int((100 * x).rounded())) %" }

    func inline() -> String { "<discovery of \(result.condition), \(result.runs) runs>" }

    /// The finding in one sentence.
    var sentence: String {
        let r = result
        guard !r.restrictions.isEmpty else {
            return "no box is denser than all the runs: runs where \(r.condition) are \(Self.percent(r.box.density)) of all runs"
        }
        return "runs where \(r.condition) are \(Self.percent(r.box.density)) of the runs with "
            + r.restrictionText(format: Self.short)
            + " (which hold \(Self.percent(r.box.coverage)) of such runs and \(Self.percent(r.box.mass)) of all runs)"
    }

    func display() -> String {
        let r = result
        var out = "discovery of \(r.condition): \(r.interesting) of \(r.runs) runs (\(Self.percent(Double(r.interesting) / Double(r.runs))))\n"
        out += sentence + "\n"
        if !r.restrictions.isEmpty { out += ValueFormatter.display(.table(r.table)) + "\n" }
        let first = r.trajectory.first!
        let last = r.trajectory.last!
        out += "peeling: \(r.trajectory.count) boxes, from coverage \(Self.percent(first.coverage)) at density \(Self.percent(first.density))"
            + " to coverage \(Self.percent(last.coverage)) at density \(Self.percent(last.density)); box \(r.chosen) chosen"
            + " (the most coverage at density ≥ \(Self.percent(r.threshold))), then pasted"
        return out
    }

    /// The condition in words: `stockpile exhausted at (JP/DyTb) ≤ 2026-12`.
    var conditionWords: String {
        let c = result.condition
        let name = String(c.metric.prefix { $0 != "[" })
        let key = c.metric.dropFirst(name.count).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let symbols: [MetricCondition.Comparison: String] = [
            .lessOrEqual: "≤", .greaterOrEqual: "≥", .notEqual: "≠", .equal: "=", .less: "<", .greater: ">",
        ]
        let words = SignalInfo.words(forName: name).lowercased() + (key.isEmpty ? "" : " (\(key))")
        return words + " " + (symbols[c.comparison] ?? c.comparison.rawValue) + " " + (c.month.map(\.description) ?? ValueFormatter.number(c.value))
    }

    /// The coverage/density trade-off as a figure for files (`plot(d, "d.svg")`): the peeling
    /// boxes joined in order, the chosen box and the pasted box marked.
    func figure(title: String?) -> Figure {
        let r = result
        let chosen = r.trajectory[r.chosen]
        func words(_ box: PrimBox) -> String { "coverage \(Self.percent(box.coverage)), density \(Self.percent(box.density))" }
        let marks = [
            Figure.Mark(label: "chosen: box \(r.chosen), \(words(chosen))", x: chosen.coverage, y: chosen.density, diamond: true),
            Figure.Mark(label: "after pasting: \(words(r.box))", x: r.box.coverage, y: r.box.density, diamond: false),
        ]
        return Figure(
            title: title ?? "Boxes where \(conditionWords): coverage against density",
            subtitle: "\(r.interesting) of \(r.runs) runs meet the condition; chosen: the most coverage at density ≥ \(Self.percent(r.threshold))",
            content: .curve(Figure.Curve(
                xs: r.trajectory.map(\.coverage), ys: r.trajectory.map(\.density), pointsLabel: "peeling boxes, from all runs (right) to the smallest box (left)",
                xTitle: "coverage: share of the runs of interest inside the box (%)",
                yTitle: "density: share of the box's runs that are of interest (%)", marks: marks, percent: true)))
    }

    /// The coverage/density trade-off as a scatter in text: `·` each peeling box, `◆` the chosen
    /// one, `■` after pasting.
    func chart(title: String?) -> String {
        let r = result
        let width = 50
        let height = 12
        let low = max(0, (r.trajectory.map(\.density).min() ?? 0) - 0.02)
        let span = max(1e-9, 1 - low)
        var grid = [[Character]](repeating: [Character](repeating: " ", count: width + 1), count: height + 1)
        func place(_ box: PrimBox, _ mark: Character) {
            let x = Int((box.coverage * Double(width)).rounded())
            let y = Int(((1 - box.density) / span * Double(height)).rounded())
            grid[min(height, max(0, y))][min(width, max(0, x))] = mark
        }
        for box in r.trajectory { place(box, "·") }
        place(r.trajectory[r.chosen], "◆")
        place(r.box, "■")
        // The trade-off's y axis: density from just below the lowest box's to 100 %.
        var out = (title ?? "Trade-off of \(r.condition)") + "\n"
        for (row, line) in grid.enumerated() {
            let label = row == 0 ? "100 %" : row == height ? Self.percent(low).padded(to: 5) : ""
            out += label.padded(to: 7) + "│" + String(line) + "\n"
        }
        out += String(repeating: " ", count: 7) + "└" + String(repeating: "─", count: width + 1) + "\n"
        out += String(repeating: " ", count: 8) + "0 %" + String(repeating: " ", count: width - 7) + "100 %\n"
        out += "up: density, across: coverage; · peeling boxes  ◆ chosen  ■ chosen and pasted\n"
        return out
    }
}
