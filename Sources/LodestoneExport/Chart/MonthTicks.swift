import LodestoneKernel

/// Month ticks for a time axis: evenly spaced, aligned to the calendar (quarters start in
/// January, April, …; yearly ticks in January), and at most a given number of them.
public enum MonthTicks {
    /// Candidate spacings in months.
    public static let steps = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200]

    /// The month indices (from `start`) of the ticks for a run of `months` months, at most
    /// `maxTicks` of them (at least 1). A run with no aligned month gets a tick at its start.
    public static func ticks(start: Month, months: Int, maxTicks: Int) -> [Int] {
        guard months > 0 else { return [] }
        let limit = max(1, maxTicks)
        for step in steps {
            let ticks = aligned(start: start, months: months, step: step)
            if ticks.count <= limit, !ticks.isEmpty { return ticks }
        }
        return [0]
    }

    /// The spacing chosen for the ticks, in months.
    public static func step(start: Month, months: Int, maxTicks: Int) -> Int {
        let ticks = ticks(start: start, months: months, maxTicks: maxTicks)
        return ticks.count > 1 ? ticks[1] - ticks[0] : months
    }

    private static func aligned(start: Month, months: Int, step: Int) -> [Int] {
        let first = ((start.ordinal % step) + step) % step
        let offset = first == 0 ? 0 : step - first
        return Array(stride(from: offset, to: months, by: step))
    }
}
