/// Where to put short labels (event names) inside a plot so that no line crosses them.
///
/// Hand-written (a few dozen lines of geometry; no listed library places labels). The algorithm
/// is greedy, one label at a time in the order given:
/// 1. Candidates: the label's box beside its anchor line, to the right (text starting `gap`
///    after the anchor) and then to the left (ending `gap` before it), at every row from the
///    plot's top down to its bottom in steps of ``rowStep``.
/// 2. A candidate must lie inside the plot and overlap no label already placed.
/// 3. The first candidate (top-most, right before left) whose box no obstacle segment
///    intersects is taken. If every candidate is crossed, the one with the fewest crossings is
///    taken (the first of those), a data line counting more than any number of marker lines,
///    and the label keeps its white halo.
/// Obstacles are the chart's data lines as straight segments between months (series and
/// medians: ``segments``) and the event markers' vertical lines (``markers``: crossed only when
/// events are too close together for their labels to fit between them).
struct LabelPlacement {
    /// An axis-aligned box in drawing coordinates (y grows downward).
    struct Box: Equatable {
        var left: Double
        var top: Double
        var right: Double
        var bottom: Double

        /// Whether the boxes share any point.
        func overlaps(_ other: Box) -> Bool {
            left <= other.right && other.left <= right && top <= other.bottom && other.top <= bottom
        }

        /// Whether the segment from `a` to `b` touches the box (Liang–Barsky clipping).
        func intersects(_ a: Point, _ b: Point) -> Bool {
            var t0 = 0.0, t1 = 1.0
            let dx = b.x - a.x, dy = b.y - a.y
            for (p, q) in [(-dx, a.x - left), (dx, right - a.x), (-dy, a.y - top), (dy, bottom - a.y)] {
                if p == 0 {
                    if q < 0 { return false }
                } else {
                    let r = q / p
                    if p < 0 { t0 = max(t0, r) } else { t1 = min(t1, r) }
                    if t0 > t1 { return false }
                }
            }
            return true
        }
    }

    /// A point in drawing coordinates.
    struct Point: Equatable {
        var x: Double
        var y: Double
    }

    /// A label to place: the x of its anchor line and the size of its box.
    struct Request {
        var anchor: Double
        var width: Double
        var height: Double
    }

    /// The rows tried are this far apart.
    static let rowStep = 6.0

    /// The plot area labels must stay in.
    let plot: Box
    /// The data lines labels must not be crossed by, as segments.
    let segments: [(Point, Point)]
    /// Other lines (event markers) labels should not be crossed by, if there is room.
    var markers: [(Point, Point)] = []
    /// The distance between a label and its anchor line.
    var gap = 3.0

    /// The boxes of `requests`, in order.
    func place(_ requests: [Request]) -> [Box] {
        var placed: [Box] = []
        for request in requests {
            var best: (box: Box, crossings: Int)?
            var y = plot.top + 2
            search: while y + request.height <= plot.bottom {
                for right in [true, false] {
                    let left = right ? request.anchor + gap : request.anchor - gap - request.width
                    let box = Box(left: left, top: y, right: left + request.width, bottom: y + request.height)
                    guard box.left >= plot.left, box.right <= plot.right, !placed.contains(where: box.overlaps) else { continue }
                    let crossings = 10_000 * segments.count(where: { box.intersects($0.0, $0.1) })
                        + markers.count(where: { box.intersects($0.0, $0.1) })
                    if best == nil || crossings < best!.crossings { best = (box, crossings) }
                    if crossings == 0 { break search }
                }
                y += Self.rowStep
            }
            // Nothing fits inside the plot (a label wider than the room): at the top, to the right.
            let fallback = Box(
                left: request.anchor + gap, top: plot.top + 2, right: request.anchor + gap + request.width,
                bottom: plot.top + 2 + request.height)
            placed.append(best?.box ?? fallback)
        }
        return placed
    }

    /// The segments of a polyline given as one point per month (nil: a gap).
    static func segments(_ points: [Point?]) -> [(Point, Point)] {
        zip(points, points.dropFirst()).compactMap { a, b in
            guard let a, let b else { return nil }
            return (a, b)
        }
    }
}
