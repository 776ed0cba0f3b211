import LodestoneKernel

extension Session {
    static let modelMembers = MemberTable(
        properties: [
            property("modules", "the module names") { _, v in
                guard case .model(let m) = v else { return .none }
                return .list(m.moduleNames.map(Value.string))
            },
            property("data", "the dataset") { _, v in
                guard case .model(let m) = v else { return .none }
                return .dataset(m.dataset)
            },
        ],
        methods: [
            method("copy", summary: "an independent copy with the same parameter values") { _, receiver, _ in
                guard case .model(let m) = receiver else { return .none }
                return .model(m.copy())
            },
            method(
                "parameters", positional: [.init("module", "only this module's parameters, e.g. \"stockpile\"")],
                summary: "a table of every parameter: value, default, unit and valid range"
            ) { _, receiver, args throws(ScriptError) in
                guard case .model(let m) = receiver else { return .none }
                let module = try args.string("module")
                if let module, !m.moduleNames.contains(module) {
                    throw ScriptError(
                        "the model has no module `\(module)`" + NameHint.hint(for: module, among: m.moduleNames)
                            + " (modules: \(m.moduleNames.joined(separator: ", ")))",
                        at: args.range("module"))
                }
                return .table(ValueFormatter.parameterTable(m, module: module))
            },
            method(
                "reset", positional: [.init("path", "a parameter path such as \"stockpile.cover_days\" (default: every parameter)")],
                summary: "puts parameters back to their defaults"
            ) { _, receiver, args throws(ScriptError) in
                guard case .model(let m) = receiver else { return .none }
                let defaults = ParameterSet(models: m.modules, dataset: m.dataset.dataset)
                guard let path = try args.string("path") else {
                    m.parameters = defaults
                    return .none
                }
                do {
                    for (key, value) in try defaults.values(path) {
                        let base = try ParameterSet.split(path).path
                        try m.parameters.set(key.isEmpty ? base : "\(base)[\(key)]", to: value)
                    }
                } catch let error as ParameterError {
                    throw ScriptError(error.message, at: args.range("path"))
                } catch {
                    throw ScriptError("\(error)", at: args.range("path"))
                }
                return .none
            },
        ])

    static let tableMembers = MemberTable(
        properties: [
            property("columns", "the column titles") { _, v in
                guard case .table(let t) = v else { return .none }
                return .list(t.columns.map(Value.string))
            },
            property("count", "the number of rows") { _, v in
                guard case .table(let t) = v else { return .none }
                return .number(Double(t.rows.count))
            },
        ],
        methods: [
            method("column", positional: [.init("name", "a column title", required: true)], summary: "a column's values as a list") {
                session, receiver, args throws(ScriptError) in
                guard case .table(let t) = receiver else { return .none }
                return try session.tableColumn(t, try requiredString(args, "name"), range: args.range("name"))
            },
            method("row", positional: [.init("index", "a row number from 0 (negative: from the end)", required: true)], summary: "a row as a record") {
                session, receiver, args throws(ScriptError) in
                guard case .table(let t) = receiver else { return .none }
                let p = try session.position(try args.required("index"), count: t.rows.count, range: args.range("index"), what: "table")
                return .record(rowRecord(t, t.rows[p]))
            },
        ])

    static let datasetMembers = MemberTable(
        properties: [
            property("name", "the dataset's name") { _, v in
                guard case .dataset(let d) = v else { return .none }
                return .string(d.dataset.name)
            },
            property("regions", "the region codes") { _, v in
                guard case .dataset(let d) = v else { return .none }
                return .list(d.dataset.regionCodes.map(Value.string))
            },
            property("commodities", "the commodity codes") { _, v in
                guard case .dataset(let d) = v else { return .none }
                return .list(d.dataset.commodityCodes.map(Value.string))
            },
            property("importers", "the regions that import") { _, v in
                guard case .dataset(let d) = v else { return .none }
                return .list(d.dataset.importers.map(Value.string))
            },
            property("exporters", "the regions that export") { _, v in
                guard case .dataset(let d) = v else { return .none }
                return .list(d.dataset.exporters.map(Value.string))
            },
            property("sources", "the citations as a table (id, citation, url)") { _, v in
                guard case .dataset(let d) = v else { return .none }
                return .table(
                    ResultTable(
                        columns: ["id", "citation", "url"],
                        rows: d.dataset.sources.map { [.text($0.id), .text($0.citation), .text($0.url)] }))
            },
        ])

    static let moduleMembers = MemberTable(
        properties: [
            property("name", "the module's name") { _, v in
                guard case .module(let m) = v else { return .none }
                return .string(m.model.name)
            },
            property("summary", "what the module computes") { _, v in
                guard case .module(let m) = v else { return .none }
                return .string(m.model.summary)
            },
        ])

    static let monthMembers = MemberTable(
        properties: [
            property("year", "the calendar year") { _, v in
                guard case .month(let m) = v else { return .none }
                return .number(Double(m.year))
            },
            property("month", "the month number, 1…12") { _, v in
                guard case .month(let m) = v else { return .none }
                return .number(Double(m.month))
            },
        ])

    static let recordMembers = MemberTable(
        methods: [
            method("keys", summary: "the keys in order") { _, receiver, _ in
                guard case .record(let r) = receiver else { return .none }
                return .list(r.keys.map(Value.string))
            },
            method("values", summary: "the values in key order") { _, receiver, _ in
                guard case .record(let r) = receiver else { return .none }
                return .list(r.fields.map(\.value))
            },
            method("has", positional: [.init("key", "a key", required: true)], summary: "whether the record has the key") {
                _, receiver, args throws(ScriptError) in
                guard case .record(let r) = receiver else { return .none }
                return .bool(r[try requiredString(args, "key")] != nil)
            },
        ])
}
