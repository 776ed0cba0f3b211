import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneAnalysis

@Suite("Morris screening")
struct MorrisTests {
    @Test("μ*, μ and σ are SALib's on SALib's trajectories")
    func matchesSALib() throws {
        let points = try referenceRows("morris_points.csv").flatMap { $0 }
        let outputs = try referenceRows("morris_outputs.csv").map { $0[0] }
        let salib = try referenceRows("morris_indices.csv")
        let design = try MorrisDesign(points: points, parameters: 3)
        let indices = try MorrisIndices.estimate(outputs: outputs, design: design)
        for j in 0..<3 {
            #expect(abs(indices.muStar[j] - salib[0][j]) < 1e-9)
            #expect(abs(indices.mu[j] - salib[1][j]) < 1e-9)
            #expect(abs(indices.sigma[j] - salib[2][j]) < 1e-9)
        }
    }

    @Test("a linear function's elementary effects are its slopes: μ* = |a|, μ = a, σ = 0")
    func linear() throws {
        let design = try MorrisDesign(parameters: 4, trajectories: 10, seed: 5)
        let slopes = [3.0, -2.0, 0.5, 0]
        let outputs = (0..<design.runs).map { run in (0..<4).reduce(0.0) { $0 + slopes[$1] * design.points[run * 4 + $1] } }
        let indices = try MorrisIndices.estimate(outputs: outputs, design: design)
        for j in 0..<4 {
            #expect(abs(indices.muStar[j] - abs(slopes[j])) < 1e-12)
            #expect(abs(indices.mu[j] - slopes[j]) < 1e-12)
            #expect(indices.sigma[j] < 1e-12)
        }
    }

    @Test("trajectories stay on the 4-level grid and move each parameter once by 2/3")
    func design() throws {
        let design = try MorrisDesign(parameters: 3, trajectories: 50, seed: 1)
        #expect(design.points.count == 50 * 4 * 3)
        #expect(design.points.allSatisfy { x in [0, 1.0 / 3, 2.0 / 3, 1].contains { abs($0 - x) < 1e-12 } })
        for t in 0..<50 {
            #expect(Set(design.moved[(t * 3)..<(t * 3 + 3)]) == [0, 1, 2])
            for k in 1...3 {
                let j = design.moved[t * 3 + k - 1]
                let row = t * 4 + k
                #expect(abs(abs(design.points[row * 3 + j] - design.points[(row - 1) * 3 + j]) - 2.0 / 3) < 1e-12)
            }
        }
        // Both directions occur.
        var ups = 0
        for t in 0..<50 {
            let j = design.moved[t * 3]
            let after: Double = design.points[(t * 4 + 1) * 3 + j]
            let before: Double = design.points[t * 4 * 3 + j]
            if after > before { ups += 1 }
        }
        #expect(ups > 10 && ups < 40)
    }

    @Test("Ishigami through the model: x3 alone has no effect on average but a large σ (it acts through x1)")
    func ishigami() throws {
        let result = try runIshigami(method: .morris, samples: 200)
        let m = try #require(result.morris)
        #expect(result.ensemble.completedRuns == 200 * 4)
        // x1 and x2 matter most; x3's μ is near 0 (sin x1 is odd) while its μ* and σ are not.
        #expect(m.muStar[0] > m.muStar[2] && m.muStar[1] > m.muStar[2])
        #expect(abs(m.mu[2]) < 0.5 * m.muStar[2])
        #expect(m.sigma[2] > 0.5 * m.muStar[2])
    }
}
