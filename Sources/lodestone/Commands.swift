import ArgumentParser
import Foundation
import LodestoneData
import LodestoneKernel
import LodestoneScript

/// `lodestone run FILE`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a .lode script.")

    @Argument(help: ArgumentHelp("The script to run.", valueName: "FILE"), completion: .file(extensions: ["lode"]))
    var file: String

    @OptionGroup var settings: ScriptSettings

    mutating func run() throws {
        let registry = try ScriptRunner.registry(plugins: settings.plugins)
        let overrides = try settings.overrides(registry: registry)
        let source = try ScriptRunner.read(file)
        try ScriptRunner.run(
            source: source, name: file, baseDirectory: ScriptRunner.directory(of: file), settings: settings,
            overrides: overrides, registry: registry)
    }
}

/// `lodestone check FILE`: parse and resolve names; run nothing.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Parse a .lode script and resolve its names without running it.")

    @Argument(help: ArgumentHelp("The script to check.", valueName: "FILE"), completion: .file(extensions: ["lode"]))
    var file: String

    /// `--plugin` is parsed by the root command wherever it appears on the line.
    @ParentCommand var root: Lodestone

    mutating func run() throws {
        let registry = try ScriptRunner.registry(plugins: root.settings.plugins)
        let source = try ScriptRunner.read(file)
        let session = Session(registry: registry, options: makeSessionOptions())
        let problems = session.check(source, file: file)
        if problems.isEmpty {
            Terminal.writeOut("\(file): ok\n")
            return
        }
        let colour = Terminal.colourOnStderr
        for problem in problems { Terminal.writeError(problem.render(colour: colour)) }
        Terminal.writeError("\(problems.count) problem\(problems.count == 1 ? "" : "s") found\n")
        throw ScriptFailure.script
    }
}

/// `lodestone modules [NAME]`.
struct ModulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modules", abstract: "List the model modules, or describe one (parameters, signals, metrics).")

    @Argument(help: ArgumentHelp("A module to describe.", valueName: "NAME"))
    var name: String?

    /// `--plugin` is parsed by the root command wherever it appears on the line.
    @ParentCommand var root: Lodestone

    mutating func run() throws {
        let registry = try ScriptRunner.registry(plugins: root.settings.plugins)
        let session = Session(registry: registry, options: makeSessionOptions())
        if let name {
            let model: any Model
            do { model = try registry.model(named: name) } catch { throw ScriptFailure.usage(error.message) }
            Terminal.writeOut(session.describe(module: model) + "\n")
            return
        }
        let width = registry.models.map(\.name.count).max() ?? 0
        for model in registry.models {
            Terminal.writeOut(model.name + String(repeating: " ", count: width - model.name.count + 2) + model.summary + "\n")
        }
    }
}

/// `lodestone data [SPEC] [--describe]`.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Show a dataset: its size, or with --describe its tables and citations.")

    @Argument(help: ArgumentHelp("The dataset: default, a CSV directory (dir/) or a JSON file.", valueName: "SPEC"))
    var spec: String = "default"

    @Flag(help: "Print the tables, shares and citations, and the dataset's notes (its NOTES.md) if it has any.")
    var describe = false

    mutating func run() throws {
        let registry = try ScriptRunner.registry()
        let dataset: Dataset
        do {
            let source = try registry.dataSource(spec)
            if let reporting = source as? any ReportingDataSource {
                // Every problem at once, so that a dataset can be fixed in one pass.
                let report = reporting.loadReport()
                if !report.errors.isEmpty {
                    Terminal.writeError(report.diagnostics + "\n")
                    let count = report.errors.count
                    Terminal.writeError("\(count) error\(count == 1 ? "" : "s") in \(spec); the dataset was not loaded\n")
                    throw ScriptFailure.script
                }
                if !report.warnings.isEmpty { Terminal.writeError(report.diagnostics + "\n") }
            }
            dataset = try source.load()
        } catch let failure as ScriptFailure {
            throw failure
        } catch let error as DataError {
            Terminal.writeError("\(error)\n")
            throw ScriptFailure.script
        } catch {
            Terminal.writeError("error: \(error)\n")
            throw ScriptFailure.script
        }
        if describe {
            Terminal.writeOut(LodestoneData.describe(dataset) + "\n")
            if !dataset.notes.isEmpty { Terminal.writeOut("\n" + dataset.notes + "\n") }
            return
        }
        var out = "dataset \(dataset.name)" + (dataset.description.isEmpty ? "" : ": \(dataset.description)") + "\n"
        out += "  regions      \(dataset.regionCodes.joined(separator: ", "))\n"
        out += "  commodities  \(dataset.commodityCodes.joined(separator: ", "))\n"
        out += "  importers    \(dataset.importers.joined(separator: ", "))\n"
        out += "  exporters    \(dataset.exporters.joined(separator: ", "))\n"
        out += "  rows         \(dataset.flows.count) flows, \(dataset.consumption.count) consumption, \(dataset.capacities.count) capacity, \(dataset.stockpiles.count) stockpile\n"
        out += "  sources      \(dataset.sources.count) (lodestone data --describe lists them)\n"
        Terminal.writeOut(out)
    }
}
