/// The shell's own one-line chart, used when the host gives none: each value becomes one of
/// `▁▂▃▄▅▆▇█` between the series' minimum and maximum (non-finite values are spaces).
enum Sparkline {
    /// The eight levels, lowest first.
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The sparkline of `values`, averaged down to at most `width` characters.
    static func render(_ values: [Double], width: Int = 60) -> String {
        var values = values
        if width > 0, values.count > width {
            let source = values
            values = (0..<width).map { bucket in
                let from = bucket * source.count / width
                let to = max(from + 1, (bucket + 1) * source.count / width)
                let finite = source[from..<to].filter(\.isFinite)
                return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
            }
        }
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return String(repeating: " ", count: values.count) }
        return String(
            values.map { value -> Character in
                guard value.isFinite else { return " " }
                guard high > low else { return levels[3] }
                let fraction = (value - low) / (high - low)
                guard fraction.isFinite else { return levels[3] }
                let level = Int((fraction * Double(levels.count - 1)).rounded())
                return levels[min(levels.count - 1, max(0, level))]
            })
    }
}
