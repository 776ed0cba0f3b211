import LodestoneKernel

extension Session {
    /// The message for a signal or metric `id` that `run` does not have. When the id's module took
    /// part in the run but made nothing — diplomacy makes its signals and metrics only for the
    /// pairs of countries that the scenario's events name — it says so and shows how to name one.
    static func lookupMessage(_ error: LookupError, id: String, in run: RunResult) -> String {
        let module = String(SignalLookup.normalize(id).prefix { $0 != "." })
        guard run.modules.contains(module),
            !run.signals.contains(where: { $0.id.hasPrefix(module + ".") }),
            !run.metrics.contains(where: { $0.id.hasPrefix(module + ".") })
        else { return error.message }
        let example =
            module == "diplomacy"
            ? #"s.incident(from: "CN", to: "JP", severity: 0.8, at: 2026-01) or s.restrict(from: "CN", to: "JP", …)"#
            : "an event that names what it models"
        return "`\(module)` has no signals or metrics in this run: it makes them only for the pairs of countries the scenario's "
            + "events name, and scenario \"\(run.scenario.name)\" names none; add one, e.g. \(example), and run again"
    }
}
