import Synchronization
import Testing

@testable import LodestoneKernel

/// ``EnsembleTiming``: the split of an ensemble's wall time into serial and parallel parts, and
/// the workers' busy and processor time inside the parallel sections (what `lodestone bench`
/// prints as the serial fraction and the scaling line). No durations are asserted, only the
/// relations that hold whatever the machine's load.
@Suite("Ensemble timing")
struct EnsembleTimingTests {
    @Test("busy time fits in the workers' capacity, which fits in the parallel time times the threads")
    func relations() throws {
        let (plan, parameters) = try BatchTests.plan(batch: false, months: 24)
        for threads in [1, 2, 3] {
            let timing = EnsembleTiming()
            let result = try MonteCarlo.run(
                plan, parameters: parameters, request: BatchTests.request(runs: 200, threads: threads, blockSize: nil),
                timing: timing)
            #expect(result.completedRuns == 200)
            #expect(timing.totalSeconds > 0)
            #expect(timing.parallelSeconds > 0 && timing.parallelSeconds <= timing.totalSeconds)
            #expect(timing.serialSeconds == timing.totalSeconds - timing.parallelSeconds)
            #expect(timing.workerBusySeconds > 0)
            #expect(timing.workerBusySeconds <= timing.workerCapacitySeconds * (1 + 1e-9))
            #expect(timing.workerCapacitySeconds <= timing.parallelSeconds * Double(threads) * (1 + 1e-9))
            // A thread cannot use more processor time than the wall time it was busy.
            #expect(timing.workerCPUSeconds > 0)
            #expect(timing.workerCPUSeconds <= timing.workerBusySeconds * 1.01 + 1e-3, "threads \(threads)")
        }
    }

    @Test("one thread: every parallel section has one worker, so capacity equals the parallel time")
    func oneThread() throws {
        let (plan, parameters) = try BatchTests.plan(batch: true, months: 12)
        let timing = EnsembleTiming()
        _ = try MonteCarlo.run(
            plan, parameters: parameters, request: BatchTests.request(runs: 100, threads: 1, blockSize: nil), timing: timing)
        #expect(abs(timing.workerCapacitySeconds - timing.parallelSeconds) <= 1e-12 * max(1, timing.parallelSeconds))
    }

    @Test("progress counts the runs done wave by wave, ending at the total")
    func progressCounts() throws {
        let (plan, parameters) = try BatchTests.plan(batch: false, months: 6)
        let reports = Mutex<[Int]>([])
        // 1 thread: waves of 8 chunks of 64 runs; 1,100 runs make three waves.
        _ = try MonteCarlo.run(
            plan, parameters: parameters, request: BatchTests.request(runs: 1100, threads: 1, blockSize: nil),
            progress: { done, total in
                #expect(total == 1100)
                reports.withLock { $0.append(done) }
            })
        #expect(reports.withLock { $0 } == [512, 1024, 1100])
    }
}
