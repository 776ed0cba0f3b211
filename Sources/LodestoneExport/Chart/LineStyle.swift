/// How the n-th line of a chart is drawn: a colour (Okabe–Ito, readable by colour-blind
/// readers) and a dash pattern, so that lines stay distinct when printed in black and white.
struct LineStyle: Equatable {
    /// An SVG colour.
    let color: String
    /// An SVG `stroke-dasharray` ("" for solid).
    let dash: String
    /// An ANSI foreground colour code for terminals.
    let ansi: Int

    private static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
    private static let dashes = ["", "8 4", "2 3", "10 3 2 3", "4 4", "12 3 2 3 2 3", "1 5", "6 2 1 2 1 2"]
    private static let ansiColors = [34, 31, 32, 35, 33, 36, 37]

    /// The style of line `index` (0-based); patterns repeat after 56 lines.
    static func at(_ index: Int) -> LineStyle {
        let i = max(0, index)
        return LineStyle(
            color: colors[i % colors.count], dash: dashes[i % dashes.count], ansi: ansiColors[i % ansiColors.count])
    }
}
