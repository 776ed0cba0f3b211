import Foundation
import Testing

/// Runs the built `lodestone` executable (next to the test bundle) and reports what it printed.
private struct CLI {
    var stdout: String
    var stderr: String
    var status: Int32

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `lodestone` binary in the build directory of this test process.
    static let binary: URL? = {
        var candidates: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        for directory in candidates {
            let url = directory.appendingPathComponent("lodestone")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> CLI {
        let binary = try #require(Self.binary, "the lodestone executable is built next to the tests")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI(
            stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
            status: process.terminationStatus)
    }

    static func script(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-cli-\(UUID().uuidString).lode")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}

@Suite("lodestone command line", .serialized)
struct CLITests {
    @Test("--version and --help exit 0")
    func versionAndHelp() throws {
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "0.1.0\n")
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        for word in ["USAGE", "run", "check", "modules", "data", "-e"] { #expect(help.stdout.contains(word), "\(word)") }
    }

    @Test("-e runs code; top-level expressions print")
    func inlineCode() throws {
        let result = try CLI.run(["-e", "let x = 2026-03 + 12\nx\nprint(1 + 1, 25%)"])
        #expect(result.status == 0)
        #expect(result.stdout == "2027-03\n2 0.25\n")
        #expect(result.stderr == "")
    }

    @Test("a script error exits 1 with file:line:column, the line and a caret, without colour off a terminal")
    func scriptError() throws {
        let result = try CLI.run(["-e", "print(\"before\")\nlet m = model(trade, stokpile)"])
        #expect(result.status == 1)
        #expect(result.stdout == "before\n")
        #expect(
            result.stderr == """
                -e:2:22: error: unknown name `stokpile`; did you mean `stockpile`?
                let m = model(trade, stokpile)
                                     ^~~~~~~~

                """)
        #expect(!result.stderr.contains("\u{1B}"))
    }

    @Test("usage errors exit 2")
    func usageErrors() throws {
        let unknown = try CLI.run(["--bogus"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--bogus"))
        let missing = try CLI.run(["run", "/nonexistent/script.lode"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: no such file: /nonexistent/script.lode\n")
        // One-character names: Foundation's path methods trapped on them (the process crashed).
        for name in ["x", "-", "."] {
            let short = try CLI.run(["run", name])
            #expect(short.status == 2, "\(name): \(short.stderr)")
            #expect(short.stderr.hasPrefix("error: "), "\(name): \(short.stderr)")
            #expect(!short.stderr.contains("crashed"), "\(name): \(short.stderr)")
        }
        let badSet = try CLI.run(["-e", "1", "--set", "stockpile.cover_day[JP]=90"])
        #expect(badSet.status == 2)
        #expect(badSet.stderr.contains("unknown parameter `cover_day` of module `stockpile`; did you mean `cover_days`?"))
        let badValue = try CLI.run(["-e", "1", "--set", "trade.ramp_months=soon"])
        #expect(badValue.status == 2)
        #expect(badValue.stderr.contains("`soon` is not a number"))
        let outOfRange = try CLI.run(["-e", "1", "--set", "stockpile.cover_days=-1"])
        #expect(outOfRange.status == 2)
        #expect(outOfRange.stderr.contains("out of range"))
        let runWithoutFile = try CLI.run(["run"])
        #expect(runWithoutFile.status == 2)
        for bad in ["0", "1025", "two"] {
            let threads = try CLI.run(["-e", "1", "--threads", bad])
            #expect(threads.status == 2)
            #expect(threads.stderr.contains("The value '\(bad)' is invalid for '--threads <N>': expected a whole number of threads from 1 to 1024"))
        }
    }

    @Test("--threads is accepted before -e, and the ensemble's results do not depend on it")
    func threadsOption() throws {
        let source = "print(montecarlo(model(trade, stockpile, data: \"baseline-2024\"), runs: 40, months: 6, bands: []).samples(\"stockpile.unmet_total[JP/DyTb]\"))"
        let one = try CLI.run(["--threads", "1", "-e", source])
        let three = try CLI.run(["--threads", "3", "-e", source])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.hasPrefix("["))
        #expect(three.stdout == one.stdout)
    }

    @Test("run FILE with --seed and --set")
    func runWithSettings() throws {
        let script = try CLI.script(
            """
            let m = model(trade, stockpile, data: "baseline-2024")
            print(m.stockpile.cover_days["JP/DyTb"], m.trade.ramp_months)
            print(run(m, months: 2).seed, run(m, months: 2, seed: 9).seed)
            """)
        defer { try? FileManager.default.removeItem(at: script) }
        let plain = try CLI.run(["run", script.path])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.hasSuffix("\n1 9\n"))
        let set = try CLI.run([
            "run", script.path, "--seed", "5", "--set", "stockpile.cover_days[JP]=90", "--set", "trade.ramp_months=25%",
        ])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout == "90 0.25\n5 9\n")
    }

    @Test("check resolves names without running")
    func check() throws {
        let good = try CLI.script("let x = 1\nprint(x)\nfn f() { y }\nlet y = 2")
        let bad = try CLI.script("print(\"ran\")\nlet r = run(model(trade), seeds: 2)\nprint(undefined)")
        defer {
            try? FileManager.default.removeItem(at: good)
            try? FileManager.default.removeItem(at: bad)
        }
        let ok = try CLI.run(["check", good.path])
        #expect(ok.status == 0)
        #expect(ok.stdout == "\(good.path): ok\n")
        let problems = try CLI.run(["check", bad.path])
        #expect(problems.status == 1)
        #expect(problems.stdout == "")
        #expect(problems.stderr.contains("\(bad.path):2:27: error: unknown argument `seeds:` for `run`; did you mean `seed:`?"))
        #expect(problems.stderr.contains("\(bad.path):3:7: error: unknown name `undefined`"))
        #expect(problems.stderr.hasSuffix("2 problems found\n"))
    }

    @Test("bench prints each measurement with its throughput and the peak memory")
    func benchOutput() throws {
        let bench = try CLI.run(["bench", "--runs", "40", "--months", "3", "--threads", "1", "--skip-startup", "--serial-repeats", "2"])
        #expect(bench.status == 0, "\(bench.stderr)")
        let lines = bench.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first)
        #expect(header.hasPrefix("lodestone bench — baseline-2024 dataset, trade + stockpile + diplomacy, 3 months, "))
        #expect(header.hasSuffix(" cores") || header.hasSuffix(", 1 core"))
        // The measurements come before the targets (BenchTargetTests checks those); the hardware
        // instruction count is a line only where the processor's counter can be read.
        let targets = lines.firstIndex { $0.hasPrefix("targets (issue 21)") } ?? lines.count
        let measured = lines[..<targets].filter {
            !$0.hasPrefix("lodestone bench") && !$0.hasPrefix("warning:") && !$0.contains("instructions per run-month")
        }
        #expect(measured.count == 8)
        #expect(measured[0].hasPrefix("single run      ") && measured[0].contains(" ms per run   ") && measured[0].hasSuffix(" runs)"))
        #expect(measured[1].hasPrefix("monte carlo     40 runs × 3 months   ") && measured[1].hasSuffix(" M run-months/s   1 thread"))
        #expect(measured[2].hasPrefix("serial fraction ")
            && measured[2].contains(" % of the 1-thread ensemble's wall time outside its parallel sections   (2 repeats; at most ")
            && measured[2].hasSuffix("× on 16 threads)"))
        #expect(measured[3].hasPrefix("market v1       single run ") && measured[3].contains("× v1)   monte carlo ")
            && measured[3].hasSuffix("× v1, fastest of 3 each)"))
        #expect(measured[4].hasPrefix("market v1       40 runs × 3 months   ") && measured[4].hasSuffix("2 threads (fastest of 3)"))
        #expect(measured[5].hasPrefix("script runs     40 × run(…) ") && measured[5].contains(" s wall   one 40-run montecarlo(…) "))
        #expect(measured[5].contains("; in processor time ") && measured[5].hasSuffix("; each the fastest of 3)"))
        #expect(measured[6].hasPrefix("sweep           30 points × 3 months   ") && measured[6].hasSuffix(" s wall"))
        #expect(measured[7].hasPrefix("peak memory     ") && measured[7].hasSuffix(" MB"))
    }

    @Test("bench prints the start-up time of `lodestone -e 1`, measured with posix_spawn and waitpid")
    func benchStartup() throws {
        let bench = try CLI.run(["bench", "--runs", "1", "--months", "1", "--threads", "1", "--serial-repeats", "1"])
        #expect(bench.status == 0, "\(bench.stderr)")
        let line = try #require(bench.stdout.split(separator: "\n").last { $0.hasPrefix("startup ") }.map(String.init))
        #expect(line.hasPrefix("startup         lodestone -e 1: ") && line.hasSuffix(" ms (median of 10; posix_spawn, then waitpid)"))
        let milliseconds = try #require(Double(line.dropFirst("startup         lodestone -e 1: ".count).prefix { $0 != " " }))
        #expect(milliseconds > 0)
    }

    @Test("modules and data")
    func modulesAndData() throws {
        let modules = try CLI.run(["modules"])
        #expect(modules.status == 0)
        let names = modules.stdout.split(separator: "\n").map { String($0.split(separator: " ").first ?? "") }
        #expect(names == ["trade", "stockpile", "diplomacy"])
        let stockpile = try CLI.run(["modules", "stockpile"])
        #expect(stockpile.status == 0)
        #expect(stockpile.stdout.hasPrefix("module stockpile: "))
        #expect(stockpile.stdout.contains("cover_days"))
        // Diplomacy's signals exist only for a scenario's pairs: shown for one, and said so.
        let diplomacy = try CLI.run(["modules", "diplomacy"])
        #expect(diplomacy.status == 0)
        #expect(diplomacy.stdout.contains(
            "signals (keyed by the pairs a scenario names in incidents and talks; shown for CN>JP):\n  diplomacy.tension[…] — 1: "))
        let unknown = try CLI.run(["modules", "stokpile"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean `stockpile`?"))
        let data = try CLI.run(["data"])
        #expect(data.status == 0)
        // Without a name: the default, baseline-2026; the 2024 set by its name.
        #expect(data.stdout.hasPrefix("dataset baseline-2026: the world as of early 2026"))
        #expect(data.stdout.contains("commodities  NdPr, Dy, Tb, HREE, Other"))
        let pinned = try CLI.run(["data", "baseline-2024"])
        #expect(pinned.status == 0)
        #expect(pinned.stdout.hasPrefix("dataset baseline-2024: 2024 baseline"))
        #expect(pinned.stdout.contains("commodities  NdPr, DyTb, Other"))
        let described = try CLI.run(["data", "--describe"])
        #expect(described.status == 0)
        #expect(described.stdout.count > data.stdout.count)
        // The early-2026 dataset by name: its tables, then its NOTES.md.
        let baseline = try CLI.run(["data", "baseline-2026"])
        #expect(baseline.status == 0)
        #expect(baseline.stdout.contains("commodities  NdPr, Dy, Tb, HREE, Other"))
        #expect(baseline.stdout.contains("importers    JP, US, EU, KR, ROW"))
        let baselineDescribed = try CLI.run(["data", "baseline-2026", "--describe"])
        #expect(baselineDescribed.status == 0)
        #expect(baselineDescribed.stdout.hasPrefix("Dataset baseline-2026: the world as of early 2026"))
        #expect(baselineDescribed.stdout.contains("\n# baseline-2026 — the world as of early 2026"))
        let missing = try CLI.run(["data", "no-such-dir/"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: "))
    }

    @Test("a script on standard input runs like a file")
    func standardInput() throws {
        let result = try CLI.run([], stdin: "let x = 20\nx * 2\n")
        #expect(result.status == 0)
        #expect(result.stdout == "40\n")
        let failing = try CLI.run([], stdin: "print(1)\n1 / 0\n")
        #expect(failing.status == 1)
        #expect(failing.stdout == "1\n")
        #expect(failing.stderr.hasPrefix("<stdin>:2:5: error: division by zero\n1 / 0\n    ^\n"))
    }

    @Test("the examples run", arguments: ["first-steps.lode", "curb-2026.lode"])
    func examples(_ name: String) throws {
        let result = try CLI.run(["run", "Examples/\(name)"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("run \""))
        #expect(result.stderr == "")
    }
}

@Suite("runtime plugins from the command line", .serialized)
struct PluginCLITests {
    /// Issue 16's check: with `recycling` in the market, a one-year total curb of Dy and Tb on
    /// Japan leaves less unmet demand and a lower peak price, with both runs off the price cap.
    @Test func recyclingLowersUnmetDemandAndThePeakPriceOffTheCap() throws {
        let result = try CLI.run(["run", "Examples/checks/recycling.lode"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.components(separatedBy: "\n")
        for c in ["Dy", "Tb"] {
            #expect(lines.contains("\(c): lower with recycling: true true"), "\(result.stdout)")
            #expect(
                lines.contains { $0.hasPrefix("\(c): Japan's unmet demand") && $0.hasSuffix("months at the cap 0 and 0") },
                "\(result.stdout)")
        }
    }

    @Test func pluginBuiltinLoadsTheIndustryModuleIntoModels() throws {
        let result = try CLI.run([
            "-e",
            """
            let i = plugin("industry")
            print(i)
            let m = model(trade, stockpile, i, data: "baseline-2024")
            let s = scenario("curb")
            s.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 100%, start: 2026-01, months: 12)
            let r = run(m, s, months: 12)
            print(r.metric("industry.output_at_risk_total[JP]") > 0)
            print(plugin("industry") == i)
            """,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("module industry: "))
        #expect(result.stdout.hasSuffix("true\ntrue\n"))
    }

    @Test("help on the recycling plugin says what it offers the market and what each assumption is")
    func recyclingExplainsItself() throws {
        let result = try CLI.run(["-e", "plugin(\"recycling\")\nhelp(\"recycling\")"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(text.hasPrefix("module recycling: Oxide recovered from end-of-life magnets, offered to importers as extra supply"), "\(text)")
        // The open input it produces, and the assumptions behind it, with the citation for the start.
        #expect(text.contains("market.extra_supply[…] — t/month: Oxide recovered from end-of-life magnets, met before imports"))
        #expect(text.contains("UNEP 2011: under 1 % of rare earths are recycled"))
        #expect(text.contains("Months of elevated price before new capacity recycles (assumption)"))
    }

    @Test func theRecyclingPluginLowersUnmetDemandAndThePeakPriceOfACurb() throws {
        let result = try CLI.run([
            "-e",
            """
            plugin("recycling")
            let plain = model(trade, stockpile, diplomacy, data: "baseline-2024")
            let recycled = model(trade, stockpile, diplomacy, recycling, data: "baseline-2024")
            let s = scenario("DyTb curb on Japan")
            s.restrict(from: "CN", to: "JP", commodity: "DyTb", share: 100%, start: 2026-03, months: 12)
            let without = run(plain, s, start: 2026-01, months: 36, seed: 1)
            let with = run(recycled, s, start: 2026-01, months: 36, seed: 1)
            print(with.metric("stockpile.unmet_total[JP/DyTb]") < without.metric("stockpile.unmet_total[JP/DyTb]"))
            print(with.metric("trade.months_at_price_cap[DyTb]") > 0, without.metric("trade.months_at_price_cap[DyTb]") > 0)
            plain.trade.max_price_multiple = 1000
            recycled.trade.max_price_multiple = 1000
            let marketWithout = run(plain, s, start: 2026-01, months: 36, seed: 1)
            let marketWith = run(recycled, s, start: 2026-01, months: 36, seed: 1)
            print(marketWith.metric("trade.months_at_price_cap[DyTb]") + marketWithout.metric("trade.months_at_price_cap[DyTb]"))
            print(marketWith.metric("trade.peak_price[DyTb]") < marketWithout.metric("trade.peak_price[DyTb]"))
            print(marketWith.metric("stockpile.unmet_total[JP/DyTb]") < marketWithout.metric("stockpile.unmet_total[JP/DyTb]"))
            """,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        // With the defaults (the market model v3) the DyTb price stays below its cap (100 × p0) in
        // both runs; with the cap raised to 1000 × p0 neither run is at it either, and the market's
        // peak and the unmet demand are lower with recycling. (Under v2 the stock-cover term sent
        // both runs to the cap.)
        #expect(result.stdout.hasSuffix("true\nfalse false\n0\ntrue\ntrue\n"), "\(result.stdout)")
    }

    @Test func pluginFlagAddsModulesToEveryCommand() throws {
        let modules = try CLI.run(["modules", "--plugin", "industry"])
        #expect(modules.status == 0)
        #expect(modules.stdout.split(separator: "\n").map { $0.split(separator: " ").first ?? "" } == [
            "trade", "stockpile", "diplomacy", "industry",
        ])
        let script = try CLI.script("print(model(trade, stockpile, industry, data: \"baseline-2024\").modules)\n")
        let run = try CLI.run(["run", "--plugin", "industry", script.path])
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func aMissingPluginIsAUsageErrorOnTheCommandLineAndAScriptErrorInAScript() throws {
        let flag = try CLI.run(["--plugin", "nowhere", "-e", "1"])
        #expect(flag.status == 2)
        #expect(flag.stderr.contains("--plugin nowhere: no plugin `nowhere`: looked for libnowhere.so"))
        let builtin = try CLI.run(["-e", "plugin(\"/tmp/no-such-plugin.so\")"])
        #expect(builtin.status == 1)
        #expect(builtin.stderr.hasPrefix("-e:1:8: error: "))
        #expect(builtin.stderr.contains("^~~~"))
    }
}
