import LodestoneKernel

/// A plain-text description of a dataset for `lodestone data --describe` and the REPL: the
/// tables with row counts, regions, commodities with baseline prices p0, baseline demand, the
/// `exporter`'s (default China's) share of each importer's imports by commodity and in total,
/// and the citations with assumption flags.
public func describe(_ dataset: Dataset, exporter: String = "CN") -> String {
    var lines: [String] = []
    lines.append("Dataset \(dataset.name)" + (dataset.description.isEmpty ? "" : ": \(dataset.description)"))
    lines.append("")

    lines.append("Tables (rows)")
    for table in DataTable.allCases {
        lines.append("  " + pad(table.rawValue, 13) + pad(String(table.cells(of: dataset).count), 4, right: true))
    }
    lines.append("")

    lines.append("Regions")
    for region in dataset.regions { lines.append("  " + pad(region.code, 6) + region.name) }
    lines.append("  importers: " + dataset.importers.joined(separator: ", "))
    lines.append("  exporters: " + dataset.exporters.joined(separator: ", "))
    lines.append("")

    lines.append("Commodities (baseline price p0)")
    for commodity in dataset.commodities {
        let price = pad(JSONWriter.number(commodity.priceUSDPerKilogram), 6, right: true) + " USD/kg"
        lines.append("  " + pad(commodity.code, 7) + price + "  " + commodity.name + " [\(commodity.source)]")
    }
    lines.append("")

    let codes = dataset.commodityCodes
    lines.append("Baseline demand D0, t/yr (from consumption; total imports where no row)")
    lines.append("  " + pad("importer", 9) + codes.map { pad($0, 10, right: true) }.joined())
    for importer in dataset.importers {
        let cells = codes.map { pad(fixed(dataset.baselineDemand(importer: importer, commodity: $0) * 12, 0), 10, right: true) }
        lines.append("  " + pad(importer, 9) + cells.joined())
    }
    lines.append("")

    if let region = dataset.regions.first(where: { $0.code == exporter }) {
        lines.append("\(region.name)'s (\(exporter)) share of each importer's baseline imports, by tonnage")
        lines.append("  " + pad("importer", 9) + (codes + ["total"]).map { pad($0, 10, right: true) }.joined())
        for importer in dataset.importers {
            var cells: [String] = []
            for commodity in codes + [nil] {
                let rows = dataset.flows.filter { $0.importer == importer && (commodity == nil || $0.commodity == commodity) }
                let total = rows.reduce(0) { $0 + $1.tonnesPerYear }
                let fromExporter = rows.filter { $0.exporter == exporter }.reduce(0) { $0 + $1.tonnesPerYear }
                cells.append(pad(total > 0 ? fixed(100 * fromExporter / total, 1) + " %" : "—", 10, right: true))
            }
            lines.append("  " + pad(importer, 9) + cells.joined())
        }
        lines.append("")
        lines.append(contentsOf: alternatives(to: exporter, in: dataset))
    }

    lines.append("Sources (rows citing each; * = assumption, a judgement call to vary)")
    var citing: [String: Int] = [:]
    for table in DataTable.allCases {
        for record in dataset.provenance(in: table) { citing[record.sourceID, default: 0] += 1 }
    }
    let width = min(24, (dataset.sources.map(\.id.count).max() ?? 0) + 2)
    for source in dataset.sources {
        let flag = source.isAssumption ? "*" : " "
        let url = source.url.isEmpty ? "" : " <\(source.url)>"
        lines.append(
            "  " + flag + pad(source.id, width) + pad(String(citing[source.id] ?? 0), 3, right: true) + "  "
                + source.readerText(notes: "the dataset's notes (`lodestone data \(dataset.name) --describe` prints them)") + url)
    }
    let assumed = dataset.assumptions.count
    let numbers = DataTable.allCases.reduce(0) { $0 + dataset.provenance(in: $1).count }
    lines.append("  \(assumed) of \(numbers) numbers are assumptions.")
    return lines.joined(separator: "\n") + "\n"
}

/// What other exporters could send if `exporter` stopped: their spare capacity (capacity beyond
/// their baseline flows) by commodity, against `exporter`'s baseline exports, and a flag where
/// there is none or almost none — a curb on such a commodity has no alternative supplier in this
/// dataset, and runs say so.
func alternatives(to exporter: String, in dataset: Dataset) -> [String] {
    var lines = ["Spare capacity outside \(exporter), t/yr (share of \(exporter)'s exports): what re-sourcing can draw on"]
    for commodity in dataset.commodityCodes {
        let exported = dataset.flows.filter { $0.exporter == exporter && $0.commodity == commodity }
            .reduce(0) { $0 + $1.tonnesPerYear }
        guard exported > 0 else { continue }
        var spare = 0.0
        for other in dataset.exporters where other != exporter {
            let committed = dataset.flows.filter { $0.exporter == other && $0.commodity == commodity }
                .reduce(0) { $0 + $1.tonnesPerYear }
            spare += max(0, dataset.capacity(exporter: other, commodity: commodity) * 12 - committed)
        }
        let share = spare / exported
        let flag = spare == 0 ? "   none: no other supplier can replace \(exporter)" : share < 0.05 ? "   almost none" : ""
        lines.append("  " + pad(commodity, 7) + pad(fixed(spare, 0), 10, right: true) + "  (" + fixed(100 * share, 1) + " %)" + flag)
    }
    return lines + [""]
}

/// Pads `text` with spaces to `width` characters (on the left when `right`).
private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return right ? padding + text : text + padding
}

/// `value` rounded to `digits` decimals, in plain notation (`70.0`, `1569`).
func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return String(value) }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let sign = value < 0 && scaled > 0 ? "-" : ""
    guard scaled < 9e15 else { return String(value) }
    let whole = Int(scaled) / Int(scale)
    let fraction = Int(scaled) % Int(scale)
    guard digits > 0 else { return sign + String(whole) }
    let fractionText = String(fraction)
    return sign + String(whole) + "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
}
