import Testing

@testable import LodestoneScript

@Suite("Seeds beyond 2^53")
struct SeedTextTests {
    @Test("a seed up to 2^64 − 1 is given and read back as text, so that a run can be repeated exactly")
    func exactSeeds() {
        let script = """
            let m = model(trade, stockpile, data: "baseline-2024")
            let s = scenario("x")
            let r = run(m, s, months: 3, seed: "18446744073709551615")
            print(r.seed)
            let again = run(m, s, months: 3, seed: r.seed)
            print(again.seed == r.seed, again.metric("trade.shortfall_total[JP/DyTb]") == r.metric("trade.shortfall_total[JP/DyTb]"))
            print(run(m, s, months: 3, seed: 7).seed)
            """
        let out = Harness.run(script)
        #expect(out.stderr == "", "\(out.stderr)")
        #expect(out.stdout == "18446744073709551615\ntrue true\n7\n", "\(out.stdout)")
        let bad = Harness.run("run(model(trade, data: \"baseline-2024\"), scenario(\"x\"), months: 1, seed: \"18446744073709551616\")")
        #expect(bad.stderr.contains("expects a whole number from 0 to 18446744073709551615"), "\(bad.stderr)")
    }
}
