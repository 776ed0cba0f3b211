import Foundation
import LodestoneKernel

/// A test-only model module computing the Ishigami function
/// f(x) = sin x₁ + a sin² x₂ + b x₃⁴ sin x₁ (a = 7, b = 0.1; x on [−π, π]³), the standard check of
/// sensitivity methods: its Sobol indices are known in closed form (Ishigami & Homma 1990; Saltelli
/// et al. 2008, "Global Sensitivity Analysis: The Primer", §4.5). It reports `f` as the metric
/// `ishigami.y` and, for the treatment of "never", a month metric `ishigami.late_at`: month
/// ⌊2T·u⌋ with u = (x₁ + π)/(2π), or never when that is past the run's T months.
struct IshigamiModel: Model {
    let name = "ishigami"
    let summary = "the Ishigami function (a sensitivity test case)"

    func parameters(for dataset: Dataset) -> [ParameterDeclaration] {
        (1...3).map { i in
            ParameterDeclaration("x\(i)", unit: .dimensionless, default: 0, range: -Double.pi...Double.pi, doc: "input x\(i)")
        }
    }

    func interface(in context: ModelContext) throws -> ModelInterface {
        ModelInterface(
            outputs: [OutputDeclaration("value", keys: [], unit: .dimensionless, doc: "f(x) every month")],
            metrics: [
                MetricDeclaration("y", keys: [], kind: .quantity(.dimensionless), doc: "f(x)"),
                MetricDeclaration("late_at", keys: [], kind: .month, doc: "month 2T(x1 + π)/(2π), never past the run"),
            ])
    }

    func instantiate(in context: ModelContext, wiring: Wiring) throws -> any ModelInstance {
        IshigamiInstance(
            x: try (1...3).map { try wiring.parameter("x\($0)") }, value: try wiring.output("value"),
            y: try wiring.metric("y"), late: try wiring.metric("late_at"))
    }

    static func f(_ x1: Double, _ x2: Double, _ x3: Double) -> Double {
        sin(x1) + 7 * sin(x2) * sin(x2) + 0.1 * x3 * x3 * x3 * x3 * sin(x1)
    }
}

final class IshigamiInstance: ModelInstance {
    let x: [ParameterRef]
    let value: OutputRef
    let y: MetricRef
    let late: MetricRef
    var current = 0.0
    var x1 = 0.0

    init(x: [ParameterRef], value: OutputRef, y: MetricRef, late: MetricRef) {
        self.x = x
        self.value = value
        self.y = y
        self.late = late
    }

    func step(_ frame: StepFrame) throws {
        x1 = frame.parameter(x[0], 0)
        current = IshigamiModel.f(x1, frame.parameter(x[1], 0), frame.parameter(x[2], 0))
        frame.write(value, 0, current)
    }

    func finish(_ metrics: MetricFrame) {
        metrics.write(y, 0, current)
        let month = (2 * Double(metrics.months) * (x1 + Double.pi) / (2 * Double.pi)).rounded(.down)
        metrics.write(late, 0, month < Double(metrics.months) ? month : .nan)
    }
}
