import LodestoneKernel

/// A parameter whose value differs from its default, with the default and unit, for reports.
struct ParameterChange: Equatable {
    /// `module.name` or `module.name[key]`.
    let path: String
    /// The value used.
    let value: Double
    /// The declared default.
    let defaultValue: Double
    /// The unit symbol.
    let unit: String
}

/// One run metric as reports show it.
struct MetricRow {
    /// `module.metric[key]`.
    let id: String
    /// The value.
    let value: MetricValue
    /// The unit symbol (`month` for month metrics).
    let unit: String
    /// What it means.
    let doc: String
    /// Months from the run's start for month metrics, the quantity otherwise; NaN for none.
    let raw: Double
}

/// Facts about a run that several exporters print: changed parameters, metrics, event labels.
enum RunFacts {
    /// Every parameter value that differs from its default, in module and declaration order.
    static func changes(_ parameters: ParameterSet) -> [ParameterChange] {
        var result: [ParameterChange] = []
        for entry in parameters.entries {
            let declaration = entry.declaration
            for k in 0..<declaration.count {
                let value = parameters.values[entry.base + k]
                let defaultValue = declaration.defaults[k]
                guard value != defaultValue, !(value.isNaN && defaultValue.isNaN) else { continue }
                let key = declaration.keys.isEmpty ? "" : "[\(declaration.keys[k])]"
                result.append(
                    ParameterChange(
                        path: entry.path + key, value: value, defaultValue: defaultValue,
                        unit: declaration.unit.symbol))
            }
        }
        return result
    }

    /// The run's metrics in declaration order.
    static func metrics(_ result: RunResult) -> [MetricRow] {
        result.metrics.map { info in
            let raw = result.metricValues[info.index]
            return MetricRow(
                id: info.id, value: RunResult.metricValue(raw, kind: info.kind, start: result.start),
                unit: unit(of: info.kind), doc: info.doc, raw: raw)
        }
    }

    /// The unit symbol of a metric kind.
    static func unit(of kind: MetricKind) -> String {
        switch kind {
        case .quantity(let unit): unit.symbol
        case .month: "month"
        }
    }

    /// A metric value as text: a readable number, `YYYY-MM`, or `none`.
    static func text(_ value: MetricValue) -> String {
        switch value {
        case .number(let x): NumberText.readable(x, digits: 6)
        case .month(let month): month.description
        case .none: "none"
        }
    }

    /// A short label for an event marker on a chart (`restrict CN>JP DyTb 100%`).
    static func shortLabel(_ event: ScenarioEvent) -> String {
        switch event {
        case .restrict(let from, let to, let commodity, let share, _, _):
            "restrict \(from)>\(to ?? "all")\(commodity.map { " " + $0 } ?? "") \(percent(share))"
        case .incident(let from, let to, let severity, _):
            "incident \(from)>\(to) (\(NumberText.readable(severity)))"
        case .talks(let from, let to, _, _): "talks \(from)>\(to)"
        case .set(let path, let value, _): "\(path) = \(NumberText.readable(value))"
        case .demand(let region, let commodity, let factor, _, _):
            "demand \(region)\(commodity.map { " " + $0 } ?? "") ×\(NumberText.readable(factor))"
        case .capacity(let region, let commodity, let factor, _, _):
            "capacity \(region)\(commodity.map { " " + $0 } ?? "") ×\(NumberText.readable(factor))"
        case .quota(let from, let commodity, let tonnes, _, _):
            "quota \(from)\(commodity.map { " " + $0 } ?? "") \(NumberText.readable(tonnes)) t/yr"
        case .offtake(let from, let to, let commodity, let tonnes, _, _):
            "offtake \(from)>\(to) \(commodity) \(NumberText.readable(tonnes)) t/yr"
        case .newCapacity(let region, let commodity, let tonnes, _):
            "new capacity \(region) \(commodity) \(NumberText.readable(tonnes)) t/yr"
        }
    }

    /// A share as a percentage (`100%`, `12.5%`).
    static func percent(_ share: Double) -> String { NumberText.readable(share * 100) + "%" }

    /// The dataset citations used by any of `results`, without duplicates, in first-seen order.
    static func sources(_ results: [RunResult]) -> [Citation] {
        var seen = Set<String>()
        var out: [Citation] = []
        for result in results {
            for citation in result.sources where seen.insert(citation.id).inserted { out.append(citation) }
        }
        return out
    }
}

/// Resolves the signals an export includes.
enum SignalSelection {
    /// The columns named by `ids` (exact ids, or a family name such as `stockpile.level` meaning
    /// all its keys); all columns when `ids` is empty.
    static func columns(_ result: RunResult, _ ids: [String]) throws -> [Int] {
        guard !ids.isEmpty else { return Array(result.signals.indices) }
        var columns: [Int] = []
        for id in ids {
            let family = result.signals.indices.filter { result.signals[$0].name == SignalLookup.normalize(id) }
            let found = family.isEmpty ? [try result.column(of: id)] : family
            for column in found where !columns.contains(column) { columns.append(column) }
        }
        return columns
    }

    /// The default signals to chart (headline signals first, then others that change; see
    /// ``RunResult/defaultColumns(limit:module:)``). `module` restricts the choice to one module.
    static func defaultChart(_ result: RunResult, limit: Int = 4, module: String? = nil) -> [Int] {
        result.defaultColumns(limit: limit, module: module)
    }

    /// The series of column `j`.
    static func series(_ result: RunResult, _ j: Int) -> [Double] {
        let width = result.signals.count
        return (0..<result.months).map { result.values[$0 * width + j] }
    }
}

extension ExportPayload {
    /// The payload's `kind` in exports: `run`, `runs`, `ensemble`, `sweep` or `table`.
    var exportKind: String {
        switch self {
        case .run: "run"
        case .runs: "runs"
        case .ensemble: "ensemble"
        case .sweep: "sweep"
        case .table: "table"
        }
    }
}

/// The runs of a payload with their labels (`nil` for a single run), or nil for a table, an
/// ensemble or a sweep.
extension ExportPayload {
    var labelledRuns: [(label: String?, result: RunResult)]? {
        switch self {
        case .run(let result): [(nil, result)]
        case .runs(let runs): runs.map { ($0.label, $0.result) }
        case .table, .ensemble, .sweep: nil
        }
    }
}
