// Fuzz target `interpret`: runs arbitrary text as a script in a fresh session with the built-in
// modules and the embedded dataset, a small step budget, a shallow call depth and a half-second
// deadline (standing in for Ctrl-C). The registry has no exporters, no data-path resolver and no
// plugin loader, and the session's access policy forbids files and plugins: nothing touches the
// disk. A hang past the deadline (something that ignores cancellation) shows up as a libFuzzer
// timeout; a trap or memory error as a crash.

import Foundation
import LodestoneData
import LodestoneDiplomacy
import LodestoneKernel
import LodestoneScript
import LodestoneStockpile
import LodestoneTrade

private let registry: Registry = {
    var registry = Registry()
    try? registerTrade(in: &registry)
    try? registerStockpile(in: &registry)
    try? registerDiplomacy(in: &registry)
    DataSources.registerEmbedded(in: &registry)
    return registry
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInterpret(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = text(data, size)
    ScriptWorker.shared.run { interpret(source) }
    return 0
}

private func interpret(_ source: String) {
    let count = SourceFile(name: "fuzz.lode", text: source).scalars.count
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(500))
    var options = Session.Options()
    let printed = Counter()
    options.output = { printed.add($0.utf8.count) }
    options.stepBudget = 20_000
    options.maximumCallDepth = 64
    options.isCancelled = { ContinuousClock.now > deadline }
    options.datasetDescriber = { LodestoneData.describe($0) }
    options.access = .sealed
    let session = Session(registry: registry, options: options)
    do {
        try session.run(source, file: "fuzz.lode")
    } catch {
        require(!error.message.isEmpty, "empty error message")
        if let range = error.range, range.file.name == "fuzz.lode" {
            require(range.start >= 0 && range.start <= range.end && range.end <= count, "error range outside the text: \(error)")
        }
        _ = error.render(colour: true)
    }
    // The variables survive, whatever happened, and each can be shown.
    for name in session.variableNames {
        if let value = session.value(of: name) { _ = ValueFormatter.display(value) }
    }
}

/// Counts printed bytes (the output closure must be Sendable-free of shared mutable state).
private final class Counter: @unchecked Sendable {
    private var total = 0
    func add(_ n: Int) { total &+= n }
}
