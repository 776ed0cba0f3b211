import ArgumentParser
import Dispatch
import Foundation
import LodestoneData
import LodestoneDiplomacy
import LodestoneKernel
import LodestoneScript
import LodestoneStockpile
import LodestoneTrade

/// `lodestone bench`: throughput of the engine on the `baseline-2024` dataset, fixed so that timings stay comparable (run it on a release build:
/// `make bench`). Prints one line per measurement and the process's peak memory.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure run, Monte Carlo and sweep throughput on the baseline-2024 dataset (use a release build).")

    @Option(help: "Runs of the Monte Carlo measurement.")
    var runs = 10_000

    @Option(help: "Months per run.")
    var months = 120

    /// `--threads N` (worker threads of the ensembles; default every core) is the root command's
    /// option, parsed wherever it appears on the line.
    @ParentCommand var root: Lodestone
    var threads: Int? { root.settings.threads }

    @Flag(help: "Also run a 100,000-run ensemble with bands for five signals and report its peak memory.")
    var large = false

    @Flag(help: "Skip timing `lodestone -e 1` from start to exit.")
    var skipStartup = false

    @Flag(help: "Print the measurements as one JSON object (for Scripts/bench-compare.py) instead of lines.")
    var json = false

    @Option(help: "Repeats of the 1-thread ensemble that measure the serial fraction.")
    var serialRepeats = 5

    @Flag(
        help: """
            Count the instructions per run-month with valgrind's callgrind where the processor gives no             instruction counter (most virtual machines; needs valgrind and objcopy, adds about 15 s).
            """)
    var callgrind = false

    /// Runs only the v1 ensemble of this many runs on one thread and exits: what `--callgrind`
    /// runs under callgrind.
    @Option(help: .hidden)
    var ensembleOnly: Int?

    mutating func run() throws {
        guard runs >= 1, months >= 1, months <= RunPlan.maximumMonths else {
            throw ValidationError("--runs must be ≥ 1 and --months within 1…\(RunPlan.maximumMonths)")
        }
        guard serialRepeats >= 1 else { throw ValidationError("--serial-repeats must be ≥ 1") }
        if let ensembleOnly {
            guard ensembleOnly >= 1 else { throw ValidationError("--ensemble-only must be ≥ 1") }
            _ = try Bench(months: months, preset: "v1").monteCarlo(runs: ensembleOnly, threads: 1, bands: 5)
            return
        }
        let bench = try Bench(months: months)
        let cores = MonteCarlo.processorCount()
        var report = BenchReport(json: json, runs: runs, months: months, cores: cores)
        report.header(
            "lodestone bench — baseline-2024 dataset, trade + stockpile + diplomacy, \(Self.count(months, "month")), \(Self.count(cores, "core"))")
        #if DEBUG
            report.header("warning: this is a debug build; measure with `make bench` (release)")
        #endif

        let single = try bench.singleRuns(minimumSeconds: 1)
        report.line(
            "single run      \(format(single.perRun * 1000, 3)) ms per run   "
                + "\(format(Double(months) / single.perRun / 1e6, 2)) M run-months/s   (\(single.count) runs)",
            BenchValue("single run", single.perRun * 1000, "ms per run"))

        var lastEnsemble = 0.0
        var timings: [Int: EnsembleTiming] = [:]
        let threadCounts = threads.map({ [$0] }) ?? (cores > 1 ? [1, cores] : [1])
        for threadCount in threadCounts {
            let (seconds, timing) = try bench.monteCarlo(runs: runs, threads: threadCount, bands: 5)
            timings[threadCount] = timing
            lastEnsemble = seconds
            let threadWord = "\(threadCount) thread\(threadCount == 1 ? "" : "s")"
            report.line(
                "monte carlo     \(Self.count(runs, "run")) × \(Self.count(months, "month"))   \(format(seconds, 3)) s wall   "
                    + "\(format(Double(runs * months) / seconds / 1e6, 2)) M run-months/s   \(threadWord)",
                BenchValue("monte carlo, \(threadWord)", seconds, "s"),
                BenchValue("monte carlo throughput, \(threadWord)", Double(runs * months) / seconds / 1e6, "M run-months/s", better: .higher))
        }
        // The part of an ensemble's wall time spent outside its parallel sections (set-up, the
        // waves' bookkeeping, the result), on one thread over several repeats: Amdahl's serial
        // fraction, which bounds the speed-up on many cores at 1 / (s + (1 − s) / N).
        var serial = 0.0
        var total = 0.0
        for _ in 0..<serialRepeats {
            let timing = try bench.monteCarlo(runs: runs, threads: 1, bands: 5).timing
            serial += timing.serialSeconds
            total += timing.totalSeconds
        }
        let fraction = total > 0 ? serial / total : 0
        let serialBound = BenchTarget.serialFractionBound()
        report.line(
            "serial fraction \(format(fraction * 100, 3)) % of the 1-thread ensemble's wall time outside its parallel sections   "
                + "(\(serialRepeats) repeats; at most \(format(1 / (fraction + (1 - fraction) / 16), 1))× on 16 threads)",
            BenchValue("serial fraction", fraction * 100, "%", tracked: false, target: serialBound))

        // Inside the parallel sections on several threads: how much of the workers' time went to
        // work (the rest is waiting at the end of a wave), and the processor time per run against
        // one thread's (above 1: contention between the cores).
        if let one = timings[1], let many = threadCounts.last, many > 1, let timing = timings[many],
            timing.workerCapacitySeconds > 0, one.workerCPUSeconds > 0
        {
            let busy = timing.workerBusySeconds / timing.workerCapacitySeconds * 100
            let cpu = timing.workerCPUSeconds / one.workerCPUSeconds
            report.line(
                "scaling         \(many) threads: workers busy \(format(busy, 1)) % of the parallel sections (the rest waiting "
                    + "at wave ends); processor time per run \(format(cpu, 3))× one thread's",
                BenchValue("worker busy share, \(many) threads", busy, "%", better: .higher, tracked: false),
                BenchValue("processor time per run, \(many) threads / 1 thread", cpu, "×", tracked: false))
        }

        // The market model's defaults (v3, measured above) against the v1 equations, same run:
        // the ratio is what the new mechanisms cost per run-month.
        let v1 = try Bench(months: months, preset: "v1")
        let v1Single = try v1.singleRuns(minimumSeconds: 1)
        let v1Ensemble = try v1.monteCarlo(runs: runs, threads: threadCounts.last ?? 1, bands: 5).seconds
        // The ratio compares the fastest of 3 ensembles of each, taken in turn: one timing of
        // each moved it from 1.1× to 2.5× between benches on this shared machine.
        var fastestDefaults = lastEnsemble, fastestV1 = v1Ensemble
        for _ in 0..<2 {
            fastestDefaults = min(fastestDefaults, try bench.monteCarlo(runs: runs, threads: threadCounts.last ?? 1, bands: 5).seconds)
            fastestV1 = min(fastestV1, try v1.monteCarlo(runs: runs, threads: threadCounts.last ?? 1, bands: 5).seconds)
        }
        let defaultsOverV1 = fastestDefaults / fastestV1
        report.line(
            "market v1       single run \(format(v1Single.perRun * 1000, 3)) ms (defaults: \(format(single.perRun / v1Single.perRun, 2))× v1)   "
                + "monte carlo \(format(v1Ensemble, 3)) s wall (defaults: \(format(defaultsOverV1, 2))× v1, fastest of 3 each)",
            BenchValue("market v1 single run", v1Single.perRun * 1000, "ms per run"),
            BenchValue("market v1 monte carlo", v1Ensemble, "s"),
            BenchValue("market defaults / v1 monte carlo", defaultsOverV1, "×", tracked: false, target: 2))
        let v1Throughput = try v1ThroughputOnTwoThreads(v1, fastestOfThree: threadCounts.last == 2 ? fastestV1 : nil)
        report.line(
            "market v1       \(Self.count(runs, "run")) × \(Self.count(months, "month"))   \(format(v1Throughput.seconds, 3)) s wall   "
                + "\(format(v1Throughput.rate, 2)) M run-months/s   2 threads (fastest of 3)",
            BenchValue(
                "market v1 monte carlo throughput, 2 threads", v1Throughput.rate, "M run-months/s", better: .higher,
                target: 12))
        var instructions = Self.instructionsPerRunMonth(v1, months: months)
        var counter = "hardware counter"
        if case .failure = instructions, callgrind {
            instructions = CallgrindCount.perRunMonth(months: months)
            counter = "callgrind"
        }
        if case .success(let perRunMonth) = instructions {
            report.line(
                "market v1       \(format(perRunMonth, 0)) instructions per run-month   (\(counter), 1000 vs 100 runs × "
                    + "\(Self.count(months, "month")), 1 thread)",
                BenchValue("market v1 instructions per run-month", perRunMonth, "instructions", target: 2000))
        }

        // A script's loop of runs against one ensemble of as many runs, on as many threads as the
        // ensembles above (1,000 of each unless --runs is smaller).
        // The loop runs on one thread (a script's loop is sequential); the ensemble on every thread
        // the ensembles above used, and once on one thread for the like-for-like ratio.
        let scriptRuns = min(runs, 1000)
        let ensembleThreads = threadCounts.last ?? 1
        // Each the fastest of 3, taken in turn: the 1,000-run ensemble lasts about 0.015 s, so a
        // single timing of it moved the ratio by a third from one bench to the next.
        let script = try ScriptLoop(months: months, threads: ensembleThreads)
        var loop = ScriptLoop.Timing.slowest, ensemble = ScriptLoop.Timing.slowest, oneThread = Double.infinity
        for _ in 0..<3 {
            loop = loop.fastest(try script.runs(scriptRuns))
            ensemble = ensemble.fastest(try script.ensemble(scriptRuns, threads: ensembleThreads))
            if ensembleThreads > 1 { oneThread = min(oneThread, try script.ensemble(scriptRuns, threads: 1).wall) }
        }
        if ensembleThreads == 1 { oneThread = ensemble.wall }
        let scriptRatio = loop.wall / ensemble.wall
        // What each costs the machine: the loop keeps one core busy, the ensemble every core it
        // was given; their processor times compare the work, their wall times also the cores.
        let processorRatio = loop.processor / ensemble.processor
        report.line(
            "script runs     \(scriptRuns) × run(…) \(format(loop.wall, 3)) s wall   one \(scriptRuns)-run montecarlo(…) "
                + "\(format(ensemble.wall, 3)) s wall   \(format(scriptRatio, 2))×   (\(Self.count(ensembleThreads, "thread")); "
                + "in processor time \(format(loop.processor, 3)) s against \(format(ensemble.processor, 3)) s, "
                + "\(format(processorRatio, 2))×; on 1 thread \(format(oneThread, 3)) s wall, \(format(loop.wall / oneThread, 2))×; "
                + "each the fastest of 3)",
            BenchValue("script runs", loop.wall, "s"), BenchValue("script montecarlo", ensemble.wall, "s"),
            BenchValue("script montecarlo, 1 thread", oneThread, "s"),
            BenchValue("script runs, processor time", loop.processor, "s"),
            BenchValue("script montecarlo, processor time", ensemble.processor, "s"),
            BenchValue("script runs / montecarlo", scriptRatio, "×", tracked: false),
            BenchValue("script runs / montecarlo, processor time", processorRatio, "×", tracked: false, target: 3))

        let sweepSeconds = try bench.sweep(points: 30)
        report.line(
            "sweep           30 points × \(Self.count(months, "month"))   \(format(sweepSeconds, 3)) s wall",
            BenchValue("sweep", sweepSeconds, "s"))
        let peak = Double(Self.peakResidentKilobytes()) / 1024
        report.line("peak memory     \(format(peak, 1)) MB", BenchValue("peak memory", peak, "MB"))

        if large {
            let seconds = try bench.monteCarlo(runs: 100_000, threads: threads ?? cores, bands: 5).seconds
            let largePeak = Double(Self.peakResidentKilobytes()) / 1024
            report.line(
                "large ensemble  100000 runs × \(Self.count(months, "month")), bands for 5 signals   \(format(seconds, 2)) s wall   "
                    + "peak memory \(format(largePeak, 1)) MB",
                BenchValue("large ensemble", seconds, "s"), BenchValue("large ensemble peak memory", largePeak, "MB"))
        }
        if !skipStartup, let startup = Startup.medianSeconds(launches: 10) {
            report.line(
                "startup         lodestone -e 1: \(format(startup * 1000, 1)) ms (median of 10; posix_spawn, then waitpid)",
                BenchValue("startup", startup * 1000, "ms"))
        }
        let size = runs == 10_000 && months == 120 ? "" : "; the targets are for 10,000 runs × 120 months"
        report.header("targets (issue 21), each met or not by the measurements above\(size):")
        for target in Self.targets(
            instructions: instructions, counter: counter, months: months, throughput: v1Throughput.rate,
            defaultsOverV1: defaultsOverV1,
            serialFraction: fraction * 100,
            scriptRuns: (processorRatio, ensembleThreads, scriptRatio, loop.wall / oneThread))
        {
            report.header(target.text)
        }
        report.finish()
    }

    /// The v1 ensemble's throughput on 2 threads, fastest of 3 ensembles (the machine is shared),
    /// taking `fastestOfThree` when the defaults/v1 comparison above already timed 3 of them on
    /// 2 threads.
    private func v1ThroughputOnTwoThreads(_ v1: Bench, fastestOfThree: Double?) throws -> (seconds: Double, rate: Double) {
        var fastest = fastestOfThree ?? .infinity
        if fastestOfThree == nil {
            for _ in 0..<3 { fastest = min(fastest, try v1.monteCarlo(runs: runs, threads: 2, bands: 5).seconds) }
        }
        return (fastest, Double(runs * months) / fastest / 1e6)
    }

    /// Instructions per run-month of the v1 ensemble on one thread, by the difference of 1,000 and
    /// 100 runs (so set-up cancels), read from the hardware counter; the reason when it cannot be.
    static func instructionsPerRunMonth(_ v1: Bench, months: Int) -> Result<Double, InstructionCounter.Unavailable> {
        do {
            let large = try InstructionCounter.count { _ = try v1.monteCarlo(runs: 1000, threads: 1, bands: 5) }
            let small = try InstructionCounter.count { _ = try v1.monteCarlo(runs: 100, threads: 1, bands: 5) }
            let perRunMonth = Double(large - small) / Double(900 * months)
            // A one-thread ensemble runs its runs on the calling thread; if it did not, the counter
            // (of this thread only) saw almost nothing.
            guard perRunMonth >= 100 else {
                return .failure(.init(reason: "the counter saw \(Int(perRunMonth)) per run-month: the runs were not on this thread"))
            }
            return .success(perRunMonth)
        } catch let error as InstructionCounter.Unavailable {
            return .failure(error)
        } catch {
            return .failure(.init(reason: "\(error)"))
        }
    }

    /// Issue 21's targets against this run's measurements.
    static func targets(
        instructions: Result<Double, InstructionCounter.Unavailable>, counter: String = "hardware counter", months: Int,
        throughput: Double, defaultsOverV1: Double,
        serialFraction: Double,
        scriptRuns: (processorRatio: Double, threads: Int, wallRatio: Double, oneThreadWallRatio: Double)
    ) -> [BenchTarget] {
        let counted: Double?
        let how: String
        switch instructions {
        case .success(let value):
            counted = value
            how = "\(counter), 1,000 vs 100 runs × \(count(months, "month")), 1 thread"
        case .failure(let unavailable):
            counted = nil
            how = "no hardware instruction counter here, \(unavailable.reason); count them with callgrind: "
                + "lodestone bench --callgrind, or python3 Scripts/bench-instructions.py"
        }
        return [
            BenchTarget(
                name: "instructions per run-month, v1, 1,000 × 120", bound: 2000, better: .lower, unit: "instructions",
                measured: counted, detail: how),
            BenchTarget(
                name: "run-months per second, v1, 2 threads", bound: 12, better: .higher, unit: "M run-months/s",
                measured: throughput, detail: "10,000 × 120 in at most 0.1 s"),
            BenchTarget(
                name: "defaults (v3) against v1, ensemble", bound: 2, better: .lower, unit: "×", measured: defaultsOverV1,
                detail: "wall time of the same ensemble"),
            BenchTarget(
                name: "serial fraction", bound: BenchTarget.serialFractionBound(), better: .lower, unit: "%",
                measured: serialFraction, detail: "Amdahl: at least 90 % efficiency on 16 threads; necessary, not sufficient"),
            BenchTarget(
                name: "1,000 script run(…) against a 1,000-run ensemble", bound: 3, better: .lower, unit: "×",
                measured: scriptRuns.processorRatio,
                detail: "processor time, what each costs; the loop on 1 thread, the ensemble on "
                    + "\(count(scriptRuns.threads, "thread")); in wall time \(BenchTarget.number(scriptRuns.wallRatio))× "
                    + "against the ensemble on \(count(scriptRuns.threads, "thread")), "
                    + "\(BenchTarget.number(scriptRuns.oneThreadWallRatio))× against it on 1 thread"),
        ]
    }

    /// `1 month`, `12 months`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// The process's peak resident set, in kilobytes.
    static func peakResidentKilobytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss
    }

    private func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}

/// The benchmark's model: the 2026 curb on Japan, on the `baseline-2024` dataset.
struct Bench {
    let plan: RunPlan
    let parameters: ParameterSet
    let models: [any Model] = [TradeModel(), StockpileModel(), DiplomacyModel()]

    /// The signals whose bands the ensembles keep.
    static let bandSignals = [
        "stockpile.days_of_cover[JP/DyTb]", "trade.price[DyTb]", "trade.shortfall[JP/DyTb]", "trade.share[CN>JP/DyTb]",
        "diplomacy.tension[CN>JP]",
    ]

    /// Parameters varied by the ensemble.
    static let variations = [
        Variation("diplomacy.settle_base", .uniform(low: 0.01, high: 0.06)),
        Variation("diplomacy.half_life_months", .triangular(low: 3, mode: 6, high: 12)),
        Variation("diplomacy.settle_pain_target", .uniform(low: 0.2, high: 0.8)),
    ]

    /// The benchmark on `months` months, with the modules' preset `preset` (nil: the defaults).
    init(months: Int, preset: String? = nil) throws {
        let dataset = try Baseline2024Dataset.source.load()  // fixed, so that timings stay comparable
        var scenario = Scenario("2026 export curbs")
        scenario.add(.incident(from: "CN", to: "JP", severity: 0.8, at: Month(2026, 1)))
        scenario.add(.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 1, start: Month(2026, 2), months: 12))
        var parameters = ParameterSet(models: models, dataset: dataset)
        if let preset { try parameters.apply(preset: preset, of: models, dataset: dataset) }
        self.parameters = parameters
        let composition = try Composition(models: models, dataset: dataset, scenario: scenario, parameters: parameters)
        plan = try RunPlan(composition: composition, start: Month(2026, 1), months: months)
    }

    /// Repeats single recorded runs for at least `minimumSeconds`; seconds per run.
    func singleRuns(minimumSeconds: Double) throws -> (perRun: Double, count: Int) {
        _ = try Runner.run(plan, parameters: parameters, seed: 1)  // warm up
        var count = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            for _ in 0..<100 { _ = try Runner.run(plan, parameters: parameters, seed: UInt64(count)); count += 1 }
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < minimumSeconds
        return (elapsed / Double(count), count)
    }

    /// Wall seconds of one ensemble, and the kernel's split of them into serial and parallel time.
    func monteCarlo(runs: Int, threads: Int, bands: Int) throws -> (seconds: Double, timing: EnsembleTiming) {
        let request = MonteCarloRequest(
            runs: runs, seed: 7, vary: Self.variations, bandSignals: Array(Self.bandSignals.prefix(bands)),
            threads: threads)
        let timing = EnsembleTiming()
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try MonteCarlo.run(plan, parameters: parameters, request: request, timing: timing)
        precondition(result.completedRuns == runs)
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, timing)
    }

    /// Wall seconds of a sweep of JP's stockpile cover over `points` values.
    func sweep(points: Int) throws -> Double {
        let values = (0..<points).map { Double($0) * 6 }
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try Sweep.run(plan, parameters: parameters, grid: [("stockpile.cover_days[JP]", values)], seed: 1)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// The bench's scenario in a `.lode` session: what a script's loop of `run(…)` calls costs
/// against one ensemble of as many runs (composing is cached per model, so the loop should cost
/// the runs and the results they record, not the composing).
struct ScriptLoop {
    let session: Session
    let months: Int

    init(months: Int, threads: Int) throws {
        var options = makeSessionOptions()
        options.output = { _ in }
        options.threads = threads
        session = Session(registry: try makeStandardRegistry(), options: options)
        self.months = months
        _ = try session.run(
            """
            let m = model(trade, stockpile, diplomacy, data: "baseline-2024")
            let s = scenario("2026 export curbs")
            s.incident(from: "CN", to: "JP", severity: 0.8, at: 2026-01)
            s.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 100%, start: 2026-02, months: 12)
            let r = run(m, s, months: \(months))
            """, file: "bench")
    }

    /// The wall and processor seconds of one timing (processor time of every thread of the process).
    struct Timing {
        /// Seconds from start to end.
        var wall: Double
        /// Processor seconds of every thread of the process over that time.
        var processor: Double
        /// No timing yet: the fastest of it and any other is the other.
        static let slowest = Timing(wall: .infinity, processor: .infinity)
        /// The faster wall time and the smaller processor time of the two (each may come from a
        /// different timing).
        func fastest(_ other: Timing) -> Timing { Timing(wall: min(wall, other.wall), processor: min(processor, other.processor)) }
    }

    /// Wall and processor seconds of `count` script calls `run(m, s, months: …, seed: k)`.
    func runs(_ count: Int) throws -> Timing {
        try time("for k in 1..\(count) { let r = run(m, s, months: \(months), seed: k) }")
    }

    /// Wall and processor seconds of one `montecarlo` of `count` runs without bands, on `threads` threads.
    func ensemble(_ count: Int, threads: Int) throws -> Timing {
        try time("let e = montecarlo(m, s, runs: \(count), months: \(months), bands: [], threads: \(threads))")
    }

    private func time(_ source: String) throws -> Timing {
        let start = DispatchTime.now().uptimeNanoseconds
        let processorStart = Self.processorSeconds()
        _ = try session.run(source, file: "bench")
        let processor = Self.processorSeconds() - processorStart
        return Timing(wall: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, processor: processor)
    }

    /// The processor time the process has used so far, in seconds, every thread included.
    static func processorSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
