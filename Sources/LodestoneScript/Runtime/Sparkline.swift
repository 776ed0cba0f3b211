/// One-line charts: each value becomes one of `▁▂▃▄▅▆▇█`, scaled between the series' minimum
/// and maximum. The shell draws lists of numbers with it, and `plot` without a chart renderer.
public enum Sparkline {
    /// The eight levels, lowest first.
    public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The sparkline of `values`: one character per value (NaN and infinities are spaces; a
    /// constant series is drawn at mid height). With `width`, a longer series is first averaged
    /// down to `width` characters.
    public static func render(_ values: [Double], width: Int? = nil) -> String {
        let values = width.map { resample(values, to: $0) } ?? values
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return String(repeating: " ", count: values.count) }
        return String(
            values.map { value -> Character in
                guard value.isFinite else { return " " }
                guard high > low else { return levels[3] }
                // A span beyond the largest Double (−1e308…1e308) makes the fraction NaN.
                let fraction = (value - low) / (high - low)
                guard fraction.isFinite else { return levels[3] }
                let level = Int((fraction * Double(levels.count - 1)).rounded())
                return levels[min(levels.count - 1, max(0, level))]
            })
    }

    /// `values` averaged into `width` buckets of (nearly) equal size when longer than `width`.
    static func resample(_ values: [Double], to width: Int) -> [Double] {
        guard width > 0, values.count > width else { return values }
        return (0..<width).map { bucket in
            let from = bucket * values.count / width
            let to = max(from + 1, (bucket + 1) * values.count / width)
            let finite = values[from..<to].filter(\.isFinite)
            return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
        }
    }
}
