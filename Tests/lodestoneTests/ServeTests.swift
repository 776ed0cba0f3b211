import Foundation
import Testing

/// `lodestone serve --stdio` end to end: the real executable driven through pipes, one JSON
/// request per line (Docs/Integration.md).
@Suite("serve --stdio", .serialized)
struct ServeTests {
    @Test("execute keeps the session: a value, printed text, a table as HTML, a plot as SVG")
    func executeKeepsTheSession() throws {
        let client = try ServeClient()
        let first = try client.execute("let m = model(trade)")
        #expect(first["status"] as? String == "ok")
        #expect(first["executionCount"] as? Int == 1)
        #expect(first.outputs.isEmpty)

        // The default of trade.ramp_months, as `lodestone -e` prints it.
        let cli = try LodestoneProcess.run(
            ["-e", "print(model(trade).trade.ramp_months)"], in: FileManager.default.temporaryDirectory)
        let expected = cli.stdout.trimmingCharacters(in: .newlines)
        #expect(Double(expected) != nil, "\(cli.stdout)\(cli.stderr)")
        let ramp = try client.execute("m.trade.ramp_months")
        #expect(ramp["status"] as? String == "ok")
        #expect(ramp.resultTexts == [expected])
        #expect(ramp["executionCount"] as? Int == 2)

        let mixed = try client.execute("print(\"cover\", 30 * 3)\nlet t = table({\"days\": [30, 60], \"unmet\": [12.5, 3]})\nt\nans")
        let types = mixed.outputs.map { $0["type"] as? String ?? "" }
        #expect(types == ["stream", "result", "result"])
        #expect(mixed.stdout == "cover 90\n")
        let table = try #require(mixed.outputs[1]["data"] as? [String: String])
        #expect(table["text/html"]?.contains("<th>days</th>") == true)
        #expect(table["text/html"]?.contains("<td class=\"num\">12.5</td>") == true)
        #expect(table["text/plain"]?.contains("days") == true)
        // `ans` is the shell's: the last value shown.
        #expect(mixed.resultTexts[1] == mixed.resultTexts[0])

        let plot = try client.execute("plot(run(m, scenario(\"x\"), months: 12))")
        #expect(plot["status"] as? String == "ok")
        let display = try #require(plot.outputs.first { $0["type"] as? String == "display" })
        let data = try #require(display["data"] as? [String: String])
        let svg = try #require(data["image/svg+xml"])
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("<title>x</title>"))
        #expect(svg.hasSuffix("</svg>\n") || svg.hasSuffix("</svg>"))
        #expect(data["text/plain"]?.hasPrefix("x\n") == true)
        #expect(plot.stdout.isEmpty, "the chart is not also printed as text")
        #expect(try client.finish() == 0)
    }

    @Test("an error carries its message, line and column in the code sent")
    func errorWithLineAndColumn() throws {
        let client = try ServeClient()
        let reply = try client.execute("let x = 1\nlet y = nosuch + 1")
        #expect(reply["status"] as? String == "error")
        let error = try #require(reply["error"] as? [String: Any])
        #expect(error["message"] as? String == "unknown name `nosuch`")
        #expect(error["line"] as? Int == 2)
        #expect(error["column"] as? Int == 9)
        #expect(error["endLine"] as? Int == 2)
        #expect(error["endColumn"] as? Int == 15)
        #expect(error["rendered"] as? String == "<cell 1>:2:9: error: unknown name `nosuch`\nlet y = nosuch + 1\n        ^~~~~~\n")
        #expect(reply.outputs.isEmpty, "the error is not also written to stderr")
        // The statement before the error ran.
        #expect(try client.execute("x + 1").resultTexts == ["2"])
        #expect(try client.finish() == 0)
    }

    @Test("complete and inspect use the shell's completer and help")
    func completeAndInspect() throws {
        let client = try ServeClient()
        let names = try client.call("complete", ["code": "montec"])
        #expect(names["matches"] as? [String] == ["montecarlo"])
        #expect(names["cursorStart"] as? Int == 0)
        #expect(names["cursorEnd"] as? Int == 6)

        _ = try client.execute("let m = model(trade, stockpile)")
        // A cursor in the middle of a second line: only what is before it counts.
        let code = "let r = run(m)\nm.stoc + 1"
        let members = try client.call("complete", ["code": code, "cursor": 21])
        #expect(members["matches"] as? [String] == ["stockpile"])
        #expect(members["cursorStart"] as? Int == 17)
        #expect(members["cursorEnd"] as? Int == 21)
        let keys = try client.call("complete", ["code": "m.stockpile.cover_days[\"J"])
        #expect((keys["matches"] as? [String])?.contains("JP") == true)

        // plugin(" offers the plugins on the search path (the executable's folder holds libindustry.so).
        let plugins = try #require(try client.call("complete", ["code": "plugin(\""])["matches"] as? [String])
        #expect(plugins.contains("industry"), "\(plugins)")
        #expect(!plugins.contains { $0.hasPrefix("lib") || $0.contains(".") }, "\(plugins)")

        let help = try client.call("inspect", ["code": "run(", "cursor": 4])
        #expect(help["found"] as? Bool == true)
        #expect(help["name"] as? String == "run")
        #expect((help["data"] as? [String: String])?["text/plain"]?.hasPrefix("run(model") == true)
        // Inside a call's brackets: the function called, as IPython does.
        #expect(try client.call("inspect", ["code": "let r = run(m, scenario(\"x\"), mo", "cursor": 33])["name"] as? String == "run")
        let parameter = try client.call("inspect", ["code": "m.stockpile.cover_days", "cursor": 15])
        #expect(parameter["name"] as? String == "m.stockpile.cover_days")
        #expect((parameter["data"] as? [String: String])?["text/plain"]?.contains("parameter") == true)
        let variable = try client.call("inspect", ["code": "m"])
        #expect((variable["data"] as? [String: String])?["text/plain"]?.hasPrefix("m: model = <model trade, stockpile>") == true)
        let nothing = try client.call("inspect", ["code": "zzz"])
        #expect(nothing["found"] as? Bool == false)

        #expect(try client.call("is_complete", ["code": "run(m,"])["status"] as? String == "incomplete")
        #expect(try client.call("is_complete", ["code": "run(m)"])["status"] as? String == "complete")
        #expect(try client.finish() == 0)
    }

    @Test("interrupt stops a long ensemble and keeps the variables")
    func interruptKeepsTheVariables() throws {
        let client = try ServeClient()
        #expect(try client.call("interrupt")["interrupted"] as? Bool == false, "nothing runs yet")
        _ = try client.execute("let m = model(trade, stockpile)\nlet s = scenario(\"x\")")
        let id = try client.send("execute", ["code": "let e = montecarlo(m, s, runs: 300000, seed: 7)"])
        Thread.sleep(forTimeInterval: 0.5)
        let interrupt = try client.send("interrupt")
        // The interrupt is answered at once, before the execution it stops.
        let first = try client.nextReply(timeout: 10)
        #expect(first["id"] as? Int == interrupt)
        #expect((first["result"] as? [String: Any])?["interrupted"] as? Bool == true)
        let stopped = try client.nextReply(timeout: 60)
        #expect(stopped["id"] as? Int == id)
        let result = try #require(stopped["result"] as? [String: Any])
        #expect(result["status"] as? String == "cancelled")
        let error = try #require(result["error"] as? [String: Any])
        #expect((error["rendered"] as? String)?.contains("the variables are as they were") == true)
        #expect(try client.execute("type(m)").resultTexts == ["\"model\""])
        #expect(try client.execute("type(e)")["status"] as? String == "error", "the cancelled ensemble was not assigned")
        #expect(try client.finish() == 0)
    }

    @Test(":save writes a script that runs again, its exports replacing the files they wrote")
    func saveReRuns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let client = try ServeClient(directory: directory)
        #expect(try client.execute("let r = run(model(trade), months: 3)\nexport(r, \"r.csv\")")["status"] as? String == "ok")
        #expect(try client.execute("plot(r, \"r.svg\")")["status"] as? String == "ok")
        #expect(try client.execute(":save again.lode").stdout == "saved 3 statements to again.lode\n")
        #expect(try client.finish() == 0)
        let script = try String(contentsOf: directory.appendingPathComponent("again.lode"), encoding: .utf8)
        #expect(script.contains("export(r, \"r.csv\", overwrite: true)\n"))
        for _ in 0..<2 {
            let again = try LodestoneProcess.run(["run", "again.lode"], in: directory)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout == "wrote r.csv\nwrote r.svg\n", "\(again.stdout)")
        }
    }

    @Test("shutdown answers, then the server exits")
    func shutdown() throws {
        let client = try ServeClient()
        let reply = try client.call("shutdown")
        #expect(reply["ok"] as? Bool == true)
        let deadline = Date().addingTimeInterval(10)
        while client.process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(!client.process.isRunning)
        #expect(client.process.terminationStatus == 0)
    }

    @Test("bad lines get JSON-RPC errors and the server goes on")
    func protocolErrors() throws {
        let client = try ServeClient()
        client.sendLine("this is not JSON")
        let notJSON = try client.nextReply()
        #expect(notJSON["id"] is NSNull)
        #expect((notJSON["error"] as? [String: Any])?["code"] as? Int == -32700)
        client.sendLine(#"{"id": 7}"#)
        #expect((try client.nextReply()["error"] as? [String: Any])?["code"] as? Int == -32600)
        client.sendLine(#"{"id": "a", "method": "exeute"}"#)
        let unknown = try client.nextReply()
        #expect(unknown["id"] as? String == "a")
        let failure = try #require(unknown["error"] as? [String: Any])
        #expect(failure["code"] as? Int == -32601)
        #expect((failure["message"] as? String)?.contains("did you mean `execute`?") == true)
        client.sendLine(#"{"id": 8, "method": "execute"}"#)
        #expect((try client.nextReply()["error"] as? [String: Any])?["code"] as? Int == -32602)
        let info = try client.call("info")
        #expect(info["protocolVersion"] as? Int == 1)
        #expect((info["methods"] as? [String])?.contains("interrupt") == true)
        #expect((info["banner"] as? String)?.hasPrefix("Lodestone ") == true)
        // Meta-commands work as in the shell.
        _ = try client.execute("let x = 42")
        #expect(try client.execute(":vars").stdout == "x  number  42\n")
        #expect(try client.execute(":nope")["status"] as? String == "error")
        #expect(try client.finish() == 0)
    }
}
