import Foundation
import LodestoneREPL
import LodestoneScript
import Testing

@Suite struct CompletionTests {
    @Test func completesModuleNames() throws {
        let (repl, _) = try makeREPL()
        let completion = repl.complete("let m = model(trade, stockp")
        #expect(completion.word == "stockp")
        #expect(completion.candidates == ["stockpile"])
        #expect(completion.insertion == "ile")
    }

    @Test func completesVariablesBuiltinsAndKeywords() throws {
        let (repl, _) = try runLines(["let montage = 1"])
        #expect(repl.complete("mo").candidates == ["model", "montage", "montecarlo", "month"])
        #expect(repl.complete("wh").candidates == ["while"])
        #expect(repl.complete("x = 2 # mo").candidates.isEmpty)
        #expect(repl.complete("1.").candidates.isEmpty)
    }

    @Test func completesMembersAfterADot() throws {
        let (repl, _) = try runLines(setupLines)
        let model = repl.complete("m.").candidates
        #expect(model.contains("stockpile") && model.contains("trade") && model.contains("diplomacy"))
        #expect(repl.complete("m.stock").candidates == ["stockpile"])
        let parameters = repl.complete("m.stockpile.").candidates
        #expect(parameters.contains("cover_days"))
        #expect(repl.complete("m.stockpile.cov").insertion == "er_days")
        #expect(repl.complete("r.ser").candidates == ["series"])
        #expect(repl.complete("s.rest").candidates == ["restrict"])
        #expect(repl.complete("trade.").candidates == Session.memberNames(ofType: "module"))
        // A method is not followed: nothing to complete after `r.series.`.
        #expect(repl.complete("r.series.").candidates.isEmpty)
    }

    @Test func completesKeysOfAParameter() throws {
        let (repl, _) = try runLines(setupLines)
        let keys = repl.complete("m.stockpile.cover_days[\"").candidates
        #expect(keys.contains("JP"))
        #expect(keys.contains("JP/DyTb"))
        #expect(repl.complete("m.stockpile.cover_days[\"JP/D").candidates == ["JP/DyTb"])
    }

    @Test func completesSignalIDsInsideAString() throws {
        let (repl, _) = try runLines(setupLines)
        let completion = repl.complete("r.series(\"stockpile.days_")
        #expect(completion.word == "stockpile.days_")
        #expect(completion.candidates.contains("stockpile.days_of_cover[JP/DyTb]"))
        #expect(completion.candidates.allSatisfy { $0.hasPrefix("stockpile.days_of_cover[") })
        #expect(completion.insertion == "of_cover[")
        #expect(repl.complete("plot(r, \"stockpile.days_of_cover[JP/Dy").candidates == ["stockpile.days_of_cover[JP/DyTb]"])
        // Metrics too.
        #expect(repl.complete("r.metric(\"stockpile.exhausted_at[JP/D").candidates == ["stockpile.exhausted_at[JP/DyTb]"])
    }

    @Test func completesParameterPathsForSweepsAndEnsembles() throws {
        let (repl, _) = try runLines(setupLines)
        let sweep = repl.complete("sweep(m, s, param: \"stockpile.cover_days[J").candidates
        #expect(sweep.contains("stockpile.cover_days[JP]"))
        #expect(sweep.contains("stockpile.cover_days[JP/DyTb]"))
        let vary = repl.complete("montecarlo(m, s, vary: {\"diplomacy.").candidates
        #expect(!vary.isEmpty && vary.allSatisfy { $0.hasPrefix("diplomacy.") })
        let bands = repl.complete("montecarlo(m, s, bands: [\"stockpile.days_of_cover[JP/N").candidates
        #expect(bands == ["stockpile.days_of_cover[JP/NdPr]"])
    }

    @Test func completesRegionsAndCommoditiesOfScenarioEvents() throws {
        let (repl, _) = try runLines(setupLines)
        #expect(repl.complete("s.restrict(from: \"C").candidates.contains("CN"))
        #expect(repl.complete("s.restrict(from: \"CN\", to: \"JP\", commodity: \"D").candidates == ["Dy", "DyTb"])
    }

    @Test func completesArgumentLabels() throws {
        let (repl, _) = try runLines(setupLines)
        #expect(repl.complete("run(m, s, mo").candidates.contains("months:"))
        #expect(repl.complete("r.series(").candidates.contains("r"))
        #expect(repl.complete("montecarlo(m, s, ru").candidates.contains("runs:"))
    }

    @Test func completesFileNames() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/data2010", withIntermediateDirectories: true)
        try Data("let x = 1\n".utf8).write(to: URL(fileURLWithPath: directory + "/curbs.lode"))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: directory + "/data2010/trade.json"))
        try Data("".utf8).write(to: URL(fileURLWithPath: directory + "/.hidden"))
        let (repl, _) = try makeREPL(baseDirectory: directory)
        #expect(repl.complete("data(\"d").candidates == ["data2010/", "default"])
        #expect(repl.complete("data(\"data2010/").candidates == ["data2010/trade.json"])
        #expect(repl.complete("export(r, \"cu").candidates == ["curbs.lode"])
        #expect(repl.complete(":load cu").candidates == ["curbs.lode"])
        #expect(repl.complete(":load ").candidates == ["curbs.lode", "data2010/"])
        #expect(repl.complete(":save da").candidates == ["data2010/"])
        #expect(repl.complete("plot(r, file: \"c").candidates == ["curbs.lode"])
    }

    @Test func completesMetaCommandsAndTheirArguments() throws {
        let (repl, _) = try runLines(setupLines)
        #expect(repl.complete(":pa").candidates == [":params"])
        #expect(repl.complete(":").candidates.count == MetaCommand.allCases.count)
        #expect(repl.complete(":params st").candidates == ["stockpile"])
        #expect(repl.complete(":signals ").candidates.contains("r"))
        #expect(repl.complete(":help stockpile.cov").candidates == ["stockpile.cover_days"])
        #expect(repl.complete(":help :sa").candidates == [":safe", ":save"])
        #expect(repl.complete(":help :sav").candidates == [":save"])
        #expect(repl.complete(":time m.stockpile.cov").candidates == ["cover_days"])
    }

    @Test func usesTheEarlierLinesOfAnUnfinishedInput() throws {
        let (repl, _) = try makeREPL()
        let completer = repl.completer
        #expect(completer.complete("  mon", pending: "run(m,").candidates.contains("months:"))
        #expect(completer.complete("  \"stockp", pending: "help(").candidates.contains("stockpile"))
    }

    @Test func commonPrefixAndInsertion() {
        let completion = Completion(word: "st", candidates: ["stockpile.a", "stockpile.b", "other"])
        #expect(completion.candidates == ["stockpile.a", "stockpile.b"])
        #expect(completion.commonPrefix == "stockpile.")
        #expect(completion.insertion == "ockpile.")
        #expect(Completion(word: "x", candidates: []).insertion == "")
    }
}
