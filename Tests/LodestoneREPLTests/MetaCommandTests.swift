import Foundation
import LodestoneKernel
import LodestoneREPL
import LodestoneScript
import Testing

@Suite struct MetaCommandTests {
    @Test func modulesListsEveryModuleWithItsSummary() throws {
        let (repl, capture) = try runLines([":modules"])
        for model in repl.session.registry.models {
            #expect(capture.output.contains(model.name + "  ") && capture.output.contains(model.summary))
        }
    }

    @Test func paramsListsAModulesParameters() throws {
        let (repl, capture) = try runLines([":params stockpile"])
        let dataset = try repl.session.registry.dataSource("default").load()
        let model = try repl.session.registry.model(named: "stockpile")
        let lines = capture.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("parameter") && $0.contains("default") && $0.contains("range") })
        for parameter in model.parameters(for: dataset) {
            let row = try #require(lines.first { $0.hasPrefix("stockpile.\(parameter.name) ") })
            #expect(row.contains(ParameterSet.format(parameter.range)))
        }
        #expect(capture.errors.isEmpty)
    }

    @Test func paramsExplainsAMissingOrUnknownModule() throws {
        let (_, capture) = try runLines([":params", ":params stokpile"])
        #expect(capture.errors.contains(":params needs a module name, e.g. `:params trade`"))
        #expect(capture.errors.contains("unknown module `stokpile`; did you mean `stockpile`?"))
    }

    @Test func signalsListsModuleSignalsOrARunsIDs() throws {
        let (repl, capture) = try runLines(setupLines + [":signals stockpile", ":signals r", ":signals x"])
        #expect(capture.output.contains("stockpile:\n  stockpile.level[JP/NdPr] (25 keys)  t — "))
        #expect(capture.output.contains("\n  stockpile.days_of_cover[JP/NdPr] (25 keys)  days — "))
        #expect(capture.output.contains("\n  stockpile.exhausted_at[JP/NdPr] (25 keys)  metric — "))
        guard case .run(let run)? = repl.session.value(of: "r") else {
            Issue.record("no run")
            return
        }
        for id in repl.session.signalIDs(of: run) { #expect(capture.output.contains(id + "\n")) }
        #expect(capture.errors.contains("unknown module `x`"))
    }

    @Test func varsListsNamesTypesAndValues() throws {
        let (_, capture) = try runLines(["let x = 5", "let name = \"JP\"", ":vars"])
        #expect(capture.output.contains("name  string  \"JP\"\nx     number  5\n"))
    }

    @Test func varsWithoutVariables() throws {
        let (_, capture) = try runLines([":vars"])
        #expect(capture.output.contains("no variables yet"))
    }

    @Test func loadRunsAScriptInTheSession() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("let loaded = 6\nlet twice = loaded * 2\n".utf8).write(to: URL(fileURLWithPath: directory + "/setup.lode"))
        try Data("let fine = 1\nlet broken = nope\n".utf8).write(to: URL(fileURLWithPath: directory + "/bad.lode"))
        let (repl, capture) = try runLines(
            [":load setup.lode", "twice + 1", ":load bad.lode", ":load missing.lode", ":load stup.lode", ":load"],
            baseDirectory: directory)
        #expect(number(repl, "twice") == 12)
        #expect(capture.output.contains("13\n"))
        #expect(number(repl, "fine") == 1)
        #expect(capture.errors.contains("bad.lode:2:14: error: unknown name `nope`"))
        #expect(capture.errors.contains("let broken = nope\n             ^~~~"))
        #expect(capture.errors.contains(":load: no such file: missing.lode\n"))
        #expect(capture.errors.contains(":load: no such file: stup.lode; did you mean `setup.lode`?"))
        #expect(capture.errors.contains(":load needs a file"))
    }

    @Test func loadReadsDataRelativeToTheScript() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/study", withIntermediateDirectories: true)
        try Data("let d = data(\"tables/\")\n".utf8).write(to: URL(fileURLWithPath: directory + "/study/s.lode"))
        try FileManager.default.createDirectory(atPath: directory + "/study/tables", withIntermediateDirectories: true)
        let (_, capture) = try runLines([":load study/s.lode"], baseDirectory: directory)
        // The directory is found next to the script (it is empty, so loading it fails on its content).
        #expect(capture.errors.contains("study/s.lode:1:14: error: in the data: "))
        #expect(capture.errors.contains("missing file regions.csv"))
        #expect(!capture.errors.contains("no such directory"))
    }

    @Test func timeRunsAndReportsTheDuration() throws {
        let (_, capture) = try runLines([":time 6 * 7"])
        #expect(capture.output.contains("42\ntime: "))
        let line = try #require(capture.output.split(separator: "\n").first { $0.hasPrefix("time: ") })
        #expect(line.hasSuffix(" µs") || line.hasSuffix(" ms") || line.hasSuffix(" s"))
    }

    @Test func quitStopsReading() throws {
        let (repl, _) = try runLines(["let before = 1", ":quit", "let after = 2"])
        #expect(repl.hasQuit)
        #expect(number(repl, "before") == 1)
        #expect(repl.session.value(of: "after") == nil)
        let (aliased, _) = try runLines([":q", "let after = 2"])
        #expect(aliased.session.value(of: "after") == nil)
    }

    @Test func unknownCommandSuggestsTheClosest() throws {
        let (_, capture) = try runLines([":sav x.lode", ":frobnicate"])
        #expect(capture.errors.contains("unknown command `:sav`; did you mean `:save`?"))
        #expect(capture.errors.contains("unknown command `:frobnicate` (commands: :help, :modules"))
    }

    @Test func helpWithoutTopicListsCommandsAndTopics() throws {
        let (_, capture) = try runLines([":help"])
        for command in MetaCommand.allCases { #expect(capture.output.contains(command.usage)) }
        #expect(capture.output.contains(":help MODULE.PARAMETER"))
    }

    @Test func everyHelpTopicHasAnExample() throws {
        let (repl, _) = try makeREPL()
        var topics = repl.session.builtinNames + repl.session.moduleNames
        topics += MetaCommand.allCases.flatMap { [":" + $0.rawValue, $0.rawValue] }
        let dataset = try repl.session.registry.dataSource("default").load()
        for model in repl.session.registry.models {
            topics += model.parameters(for: dataset).map { "\(model.name).\($0.name)" }
        }
        for topic in topics {
            let text = repl.helpText(for: topic)
            #expect(text?.contains("example: ") == true, "no example in :help \(topic)")
        }
    }

    @Test func helpExplainsBuiltinsModulesParametersAndCommands() throws {
        let (repl, _) = try makeREPL()
        let run = try #require(repl.helpText(for: "run"))
        #expect(run.hasPrefix("run(model, scenario?"))
        #expect(run.contains("example: let r = run(m, s, start: 2026-01, months: 36, seed: 1)"))
        let module = try #require(repl.helpText(for: "stockpile"))
        #expect(module.hasPrefix("module stockpile: "))
        #expect(module.contains("example: let m = model(stockpile, trade, diplomacy); m.stockpile."))
        let parameter = try #require(repl.helpText(for: "stockpile.cover_days"))
        #expect(parameter.hasPrefix("parameter stockpile.cover_days ("))
        #expect(parameter.contains("example: let m = model(stockpile); m.stockpile.cover_days[\"JP\"] = "))
        #expect(repl.helpText(for: "cover_days") == parameter)
        #expect(repl.helpText(for: ":save") == MetaCommand.save.helpText)
        #expect(repl.helpText(for: "save") == MetaCommand.save.helpText)
        #expect(repl.helpText(for: "\"restrict\"")?.contains("scenario.restrict(") == true)
        #expect(repl.helpText(for: "syntax")?.contains("Syntax:") == true)
        #expect(repl.helpText(for: "nonsense") == nil)
    }

    @Test func helpOnAnUnknownTopicSuggests() throws {
        let (_, capture) = try runLines([":help stockpil"])
        #expect(capture.errors.contains("no help on `stockpil`; did you mean `stockpile`?"))
    }
}
