import Foundation
import LodestoneData
import LodestoneDiplomacy
import LodestoneExport
import LodestoneKernel
import LodestoneStockpile
import LodestoneTrade

@testable import LodestoneScript

/// What a script printed and how it ended.
struct ScriptOutcome {
    var stdout = ""
    var stderr = ""
    var exitCode: Int32 = 0
    var error: ScriptError?
}

enum Harness {
    /// The executable's registry (built-in modules, exporters, default data) plus the test `tank`.
    static let registry: Registry = {
        var registry = Registry()
        try? registerTrade(in: &registry)
        try? registerStockpile(in: &registry)
        try? registerDiplomacy(in: &registry)
        try? LodestoneExport.registerAll(in: &registry)
        try? registry.register(model: ToyTank())
        DataSources.registerEmbedded(in: &registry)
        for library in ScenarioLibraries.all { registry.register(scenarioLibrary: library) }
        registry.dataSourceResolver = { spec in try DataSources.resolve(spec) }
        return registry
    }()

    /// A session that collects its output into `sink`.
    static func session(
        sink: OutputSink, baseDirectory: String? = nil, outputDirectory: String? = nil, stepBudget: Int? = nil
    ) -> Session {
        var options = Session.Options()
        options.output = { sink.text += $0 }
        options.chartRenderer = { chart in
            chart.titleLines + TerminalChart.render(series: chart.series, start: chart.start, color: false, unit: chart.unit)
        }
        options.datasetDescriber = { LodestoneData.describe($0) }
        options.baseDirectory = baseDirectory
        options.outputDirectory = outputDirectory ?? FileManager.default.temporaryDirectory.path
        if let stepBudget { options.stepBudget = stepBudget }
        return Session(registry: registry, options: options)
    }

    /// Runs a script in a fresh session, as `lodestone run` would (on a large stack).
    static func run(
        _ source: String, file: String = "test.lode", baseDirectory: String? = nil, outputDirectory: String? = nil,
        stepBudget: Int? = nil
    ) -> ScriptOutcome {
        onLargeStack {
            let sink = OutputSink()
            let session = session(
                sink: sink, baseDirectory: baseDirectory, outputDirectory: outputDirectory, stepBudget: stepBudget)
            var outcome = ScriptOutcome()
            do { try session.run(source, file: file) } catch let error as ScriptError {
                outcome.stderr = error.render(colour: false)
                outcome.exitCode = 1
                outcome.error = error
            } catch {
                outcome.stderr = "\(error)"
                outcome.exitCode = 1
            }
            outcome.stdout = sink.text
            return outcome
        }
    }

    /// Runs `body` on a thread with a 64 MB stack, like the executable's main thread and more:
    /// the interpreter recurses, and test threads have small stacks.
    static func onLargeStack<T>(_ body: @escaping () -> T) -> T {
        let box = ResultBox<T>()
        box.work = body
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = box.work?()
            done.signal()
        }
        thread.stackSize = 64 << 20
        thread.start()
        done.wait()
        return box.value!
    }

    /// The package's root directory.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Collects printed text.
final class OutputSink: @unchecked Sendable {
    var text = ""
}

final class ResultBox<T>: @unchecked Sendable {
    var work: (() -> T)?
    var value: T?
}
