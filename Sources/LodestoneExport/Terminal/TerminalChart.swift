import LodestoneKernel

/// Line charts drawn with Unicode for the REPL's `plot` when no file is given.
///
/// The plot area is `width` × `height` character cells. One series, or several in colour, are
/// drawn in braille (2 × 4 dots per cell); several series without colour are drawn with a
/// distinct marker per series (`•`, `+`, `x`, `o`, `*`, `#`), so they stay apart in plain text.
/// A y axis with nice-number labels sits on the left; month ticks (`YYYY-MM`) below; a legend
/// last.
public enum TerminalChart {
    /// Markers of the plain-text mode, one per series.
    public static let markers: [Character] = ["•", "+", "x", "o", "*", "#", "@", "%"]

    /// The chart of `series` (one value per month from `start`) as lines of text. `width` and
    /// `height` are the plot area in character cells (at least 10 × 3); `color` adds ANSI
    /// colours; `unit` titles the y axis.
    public static func render(
        series: [(label: String, values: [Double])], start: Month, width: Int = 60, height: Int = 12,
        color: Bool = false, unit: String? = nil
    ) -> String {
        let width = max(10, width)
        let height = max(3, height)
        let months = series.map(\.values.count).max() ?? 0
        guard months > 0, series.contains(where: { $0.values.contains(where: \.isFinite) }) else { return "(no data to plot)\n" }
        let scale = NiceScale(data: series.flatMap(\.values), maxTicks: max(3, height / 2 + 1))
        let grid: [[Cell]]
        let braille = color || series.count == 1
        if braille {
            grid = brailleGrid(series.map(\.values), months: months, width: width, height: height, scale: scale)
        } else {
            grid = markerGrid(series.map(\.values), months: months, width: width, height: height, scale: scale)
        }

        // y axis labels at the rows nearest the ticks.
        var labels = [String?](repeating: nil, count: height)
        for tick in scale.ticks {
            let row = Int(((scale.upper - tick) / (scale.upper - scale.lower) * Double(height - 1)).rounded())
            if row >= 0, row < height { labels[row] = scale.label(tick) }
        }
        let gutter = max(labels.compactMap { $0?.count }.max() ?? 0, unit?.count ?? 0)
        func pad(_ text: String) -> String { String(repeating: " ", count: max(0, gutter - text.count)) + text }

        var out = ""
        if let unit, !unit.isEmpty { out += pad(unit) + "\n" }
        for row in 0..<height {
            out += pad(labels[row] ?? "") + (labels[row] == nil ? " │" : " ┤")
            out += line(grid[row], color: color) + "\n"
        }

        // Month axis.
        let ticks = MonthTicks.ticks(start: start, months: months, maxTicks: max(1, width / 9))
        let columns = ticks.map { column(of: $0, months: months, width: width) }
        var axis = Array(repeating: Character("─"), count: width)
        for column in columns { axis[column] = "┬" }
        out += String(repeating: " ", count: gutter) + " └" + String(axis) + "\n"
        var labelLine = Array(repeating: Character(" "), count: width + 8)
        var lastEnd = -2
        for (t, column) in zip(ticks, columns) {
            let text = Array((start + t).description)
            let from = min(max(0, column - text.count / 2), labelLine.count - text.count)
            guard from > lastEnd else { continue }
            for (k, character) in text.enumerated() { labelLine[from + k] = character }
            lastEnd = from + text.count
        }
        out += String(repeating: " ", count: gutter + 2) + String(String(labelLine).trimmedRight()) + "\n"

        // Legend.
        for (i, line) in series.enumerated() {
            let sample: String
            if braille {
                sample = color ? ansi(LineStyle.at(i).ansi, "━━") : "──"
            } else {
                sample = String(markers[i % markers.count])
            }
            out += String(repeating: " ", count: gutter + 2) + sample + " " + line.label + "\n"
        }
        return out
    }

    /// Charts `signals` of a run (exact ids or family names; empty: a sensible few), one chart
    /// per unit, stacked, each headed by its panel's title (the signals in words with the unit).
    public static func render(
        _ result: RunResult, signals: [String] = [], width: Int = 60, height: Int = 12, color: Bool = false
    ) throws -> String {
        let chart = try RunChart.make(result, signals: signals)
        return chart.units.map { unit in
            let shown = chart.series.filter { $0.unit == unit }
            return ChartWords.panelTitle(shown.map(\.words), unit: unit) + "\n"
                + render(
                    series: shown.map { (label: $0.label, values: $0.values) }, start: chart.start, width: width,
                    height: height, color: color, unit: SVGChart.unitTitle(unit))
        }.joined(separator: "\n")
    }

    /// One character cell of the plot area.
    struct Cell {
        var dots: UInt8 = 0
        var marker: Character?
        var series = -1

        /// The cell's character: its marker, its braille dots, or a space.
        var character: Character {
            if let marker { return marker }
            guard dots != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(dots)) else { return " " }
            return Character(scalar)
        }
    }

    /// One row of cells; with colour, runs of cells of the same series share one escape code.
    static func line(_ cells: [Cell], color: Bool) -> String {
        guard color else { return cells.map { String($0.character) }.joined() }
        var out = ""
        var run = ""
        var runSeries = -1
        func flush() {
            if !run.isEmpty { out += runSeries >= 0 ? ansi(LineStyle.at(runSeries).ansi, run) : run }
            run = ""
        }
        for cell in cells {
            let series = cell.character == " " ? -1 : cell.series
            if series != runSeries { flush(); runSeries = series }
            run.append(cell.character)
        }
        flush()
        return out
    }

    static func ansi(_ code: Int, _ text: String) -> String { "\u{1B}[\(code)m\(text)\u{1B}[0m" }

    /// The cell column of month index `t`.
    static func column(of t: Int, months: Int, width: Int) -> Int {
        months <= 1 ? width / 2 : Int((Double(t) * Double(width - 1) / Double(months - 1)).rounded())
    }

    /// Braille dots: bit of the dot at (column 0/1, row 0–3) within a cell.
    private static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    private static func brailleGrid(
        _ series: [[Double]], months: Int, width: Int, height: Int, scale: NiceScale
    ) -> [[Cell]] {
        var grid = [[Cell]](repeating: [Cell](repeating: Cell(), count: width), count: height)
        let dotsWide = width * 2
        let dotsHigh = height * 4
        func point(_ t: Int, _ value: Double) -> (x: Int, y: Int) {
            let x = months <= 1 ? dotsWide / 2 : Int((Double(t) * Double(dotsWide - 1) / Double(months - 1)).rounded())
            let fraction = (value - scale.lower) / (scale.upper - scale.lower)
            let y = dotsHigh - 1 - Int((fraction * Double(dotsHigh - 1)).rounded())
            return (min(max(0, x), dotsWide - 1), min(max(0, y), dotsHigh - 1))
        }
        func set(_ x: Int, _ y: Int, _ s: Int) {
            grid[y / 4][x / 2].dots |= dotBits[x % 2][y % 4]
            grid[y / 4][x / 2].series = s
        }
        for (s, values) in series.enumerated() {
            var previous: (x: Int, y: Int)?
            for (t, value) in values.enumerated() {
                guard value.isFinite else { previous = nil; continue }
                let p = point(t, value)
                if let q = previous {
                    for (x, y) in bresenham(q, p) { set(x, y, s) }
                } else {
                    set(p.x, p.y, s)
                }
                previous = p
            }
        }
        return grid
    }

    private static func markerGrid(
        _ series: [[Double]], months: Int, width: Int, height: Int, scale: NiceScale
    ) -> [[Cell]] {
        var grid = [[Cell]](repeating: [Cell](repeating: Cell(), count: width), count: height)
        for (s, values) in series.enumerated() {
            for column in 0..<width {
                let position = months <= 1 ? 0 : Double(column) * Double(months - 1) / Double(width - 1)
                let low = Int(position.rounded(.down))
                let high = min(values.count - 1, low + 1)
                guard low < values.count else { continue }
                let a = values[low]
                let b = values[high]
                let value = a.isFinite && b.isFinite ? a + (b - a) * (position - Double(low)) : (position - Double(low) < 0.5 ? a : b)
                guard value.isFinite else { continue }
                let fraction = (value - scale.lower) / (scale.upper - scale.lower)
                let row = height - 1 - Int((fraction * Double(height - 1)).rounded())
                grid[min(max(0, row), height - 1)][column].marker = markers[s % markers.count]
                grid[min(max(0, row), height - 1)][column].series = s
            }
        }
        return grid
    }

    /// The dots on the segment from `a` to `b`, ends included.
    static func bresenham(_ a: (x: Int, y: Int), _ b: (x: Int, y: Int)) -> [(Int, Int)] {
        var points: [(Int, Int)] = []
        var (x, y) = a
        let dx = abs(b.x - a.x)
        let dy = -abs(b.y - a.y)
        let sx = a.x < b.x ? 1 : -1
        let sy = a.y < b.y ? 1 : -1
        var error = dx + dy
        while true {
            points.append((x, y))
            if x == b.x, y == b.y { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
        return points
    }
}

extension String {
    /// The string without trailing spaces.
    func trimmedRight() -> Substring {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
